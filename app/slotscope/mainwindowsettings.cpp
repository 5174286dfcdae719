// MainWindow's settings, Preferences and Help menus (issue 13), apart from
// mainwindow.cpp so the window's run logic stays in one place.

#include "mainwindow.h"
#include "model/accountdiffmodel.h"

#include "aboutdialog.h"
#include "appsettings.h"
#include "demoserver.h"
#include "engine/enginehost.h"
#include "model/transactionmodel.h"
#include "preferencesdialog.h"
#include "shortcutsdialog.h"

#include <QAction>
#include <QApplication>
#include <QMenu>
#include <QMenuBar>
#include <QSpinBox>
#include <QStatusBar>

using namespace Qt::StringLiterals;

namespace SlotScope {

void MainWindow::createSettingsAndHelpMenus()
{
    auto *settingsMenu = menuBar()->addMenu(tr("Se&ttings"));
    QAction *preferences = settingsMenu->addAction(QIcon::fromTheme(u"preferences-system"_s), tr("&Preferences…"),
                                                   this, &MainWindow::showPreferences);
    preferences->setObjectName(u"preferences"_s);
    preferences->setShortcut(Qt::CTRL | Qt::Key_Comma);
    preferences->setMenuRole(QAction::PreferencesRole);
    QAction *reset = settingsMenu->addAction(tr("&Reset Layout"), this, &MainWindow::resetLayout);
    reset->setObjectName(u"resetLayout"_s);
    reset->setToolTip(tr("Put docks, toolbars and columns back where they were on first start"));

    auto *helpMenu = menuBar()->addMenu(tr("&Help"));
    QAction *shortcuts = helpMenu->addAction(QIcon::fromTheme(u"preferences-desktop-keyboard-shortcuts"_s),
                                             tr("&Keyboard Shortcuts"), this, [this] {
                                                 ShortcutsDialog dialog(this, this);
                                                 dialog.exec();
                                             });
    shortcuts->setObjectName(u"keyboardShortcuts"_s);
    shortcuts->setShortcut(Qt::CTRL | Qt::Key_Slash);
    helpMenu->addSeparator();
    QAction *about = helpMenu->addAction(QIcon(u":/icons/slotscope.svg"_s), tr("&About SlotScope"), this, [this] {
        AboutDialog dialog(this);
        dialog.exec();
    });
    about->setObjectName(u"about"_s);
    about->setMenuRole(QAction::AboutRole);
    QAction *aboutQt = helpMenu->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
    aboutQt->setMenuRole(QAction::AboutQtRole);
}

void MainWindow::restoreSettings()
{
    m_defaultLayout = WindowLayout::capture(this);
    const AppSettings settings;
    if (const std::optional<WindowLayout> layout = settings.windowLayout())
        layout->applyTo(this);
    showDiscoverySessions(false); // no run yet
    if (const int count = settings.advanceCount(); count > 0)
        m_advanceCount->setValue(count);
    applyPreferences(settings.preferences());
}

void MainWindow::saveSettings()
{
    AppSettings settings;
    settings.setWindowLayout(WindowLayout::capture(this));
    settings.setAdvanceCount(m_advanceCount->value());
}

void MainWindow::applyPreferences(const Preferences &preferences)
{
    m_transactions->setWindowSize(preferences.liveTableWindow);
    m_accountDiffs->setWindowSize(preferences.liveTableWindow);
    if (!m_policySet)
        m_engine->setConnectionPolicy(preferences.applyTo(ConnectionPolicy{}));
}

void MainWindow::showPreferences()
{
    PreferencesDialog dialog(this);
    connect(&dialog, &PreferencesDialog::resetLayoutRequested, this, &MainWindow::resetLayout);
    const QString languageBefore = AppSettings().preferences().language;
    if (dialog.exec() != QDialog::Accepted)
        return;
    const Preferences preferences = AppSettings().preferences();
    applyPreferences(preferences);
    if (preferences.language != languageBefore)
        statusBar()->showMessage(tr("The new language applies when SlotScope next starts."), 10000);
}

void MainWindow::resetLayout()
{
    m_defaultLayout.applyTo(this);
    showDiscoverySessions(!m_runId.isEmpty() && m_config.parallel);
    AppSettings().clearWindowLayout();
    statusBar()->showMessage(tr("Layout reset."), 5000);
}

RunConfig MainWindow::suggestedRunConfig() const
{
    RunConfig suggested = demoRunConfig();
    if (!m_config.capturePath.isEmpty()) {
        suggested = m_config; // this session's last run
    } else if (const std::optional<RunConfig> last = AppSettings().lastRunConfig()) {
        const RunConfig demo = suggested;
        suggested = *last;
        suggested.demoTxDir = demo.demoTxDir;
        suggested.demoSlotDelayMs = demo.demoSlotDelayMs;
    }
    if (suggested.target == RunConfig::Target::Demo)
        suggested.apiKey.clear(); // the demo server's random key is no user's key
    suggested.capturePath.clear();
    return suggested;
}

} // namespace SlotScope
