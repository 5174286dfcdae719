#include "preferencesdialog.h"

#include "apikeystore.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace SlotScope {

namespace {

QSpinBox *spinBox(QWidget *parent, PreferenceRange range, const QString &suffix)
{
    auto *box = new QSpinBox(parent);
    box->setRange(range.min, range.max);
    box->setSuffix(suffix);
    box->setGroupSeparatorShown(true);
    return box;
}

} // namespace

PreferencesDialog::PreferencesDialog(QWidget *parent)
    : QDialog(parent)
    , m_captureDirectory(new QLineEdit(this))
    , m_liveTableWindow(spinBox(this, Preferences::liveTableWindowRange, tr(" rows")))
    , m_largeRangeSlots(spinBox(this, Preferences::largeRangeSlotsRange, tr(" slots")))
    , m_language(new QComboBox(this))
    , m_connectTimeout(spinBox(this, Preferences::connectTimeoutSecsRange, tr(" s")))
    , m_initialBackoff(spinBox(this, Preferences::initialBackoffMsRange, tr(" ms")))
    , m_maxBackoff(spinBox(this, Preferences::maxBackoffSecsRange, tr(" s")))
    , m_maxAttempts(spinBox(this, Preferences::maxAttemptsRange, QString()))
    , m_maxTotal(spinBox(this, Preferences::maxTotalSecsRange, tr(" s")))
    , m_keys(new QListWidget(this))
    , m_forgetKey(new QPushButton(tr("&Forget Key"), this))
    , m_keyStatus(new QLabel(this))
    , m_captures(new QListWidget(this))
    , m_clearCaptures(new QPushButton(tr("C&lear List"), this))
{
    setWindowTitle(tr("Preferences"));
    m_keys->setObjectName(u"rememberedKeys"_s);
    m_forgetKey->setObjectName(u"forgetKey"_s);
    m_captures->setObjectName(u"recentCaptures"_s);
    m_clearCaptures->setObjectName(u"clearRecentCaptures"_s);
    m_captureDirectory->setObjectName(u"captureDirectory"_s);
    m_liveTableWindow->setObjectName(u"liveTableWindow"_s);
    m_largeRangeSlots->setObjectName(u"largeRangeSlots"_s);
    m_language->setObjectName(u"language"_s);
    m_initialBackoff->setObjectName(u"initialBackoff"_s);
    m_maxBackoff->setObjectName(u"maxBackoff"_s);
    // The first retry waits no longer than the longest retry delay (the
    // reconnect budget grows the delay up to it, but starts where it is
    // told): lowering the longest delay lowers the first one with it, visibly.
    connect(m_maxBackoff, &QSpinBox::valueChanged, this, &PreferencesDialog::limitFirstRetry);

    // General
    m_captureDirectory->setPlaceholderText(QDir::toNativeSeparators(Preferences::defaultCaptureDirectory()));
    m_captureDirectory->setToolTip(tr("Where new captures are written; empty = the default shown"));
    auto *browse = new QToolButton(this);
    browse->setText(u"…"_s);
    browse->setToolTip(tr("Choose the capture directory"));
    auto *captureRow = new QHBoxLayout;
    captureRow->addWidget(m_captureDirectory, 1);
    captureRow->addWidget(browse);
    m_liveTableWindow->setSingleStep(50'000);
    m_liveTableWindow->setToolTip(tr("Rows the live transaction table keeps; older rows stay in the capture file"));
    m_largeRangeSlots->setSingleStep(10'000);
    m_largeRangeSlots->setToolTip(tr("A run over more slots than this asks before it starts"));
    const QString systemLanguage = QLocale::system().nativeLanguageName();
    m_language->addItem(systemLanguage.isEmpty() ? tr("System default")
                                                 : tr("System default (%1)").arg(systemLanguage), QString());
    m_language->addItem(u"English"_s, u"en"_s);
    m_language->addItem(u"Deutsch"_s, u"de"_s);
    auto *languageNote = new QLabel(tr("A new language applies when SlotScope next starts."), this);
    languageNote->setWordWrap(true);
    auto *resetLayout = new QPushButton(tr("&Reset Layout"), this);
    resetLayout->setToolTip(tr("Put docks, toolbars and columns back where they were on first start"));

    auto *general = new QWidget(this);
    auto *generalForm = new QFormLayout(general);
    auto *captureLabel = new QLabel(tr("&Capture directory:"), general);
    captureLabel->setBuddy(m_captureDirectory); // a layout row has no buddy of its own
    generalForm->addRow(captureLabel, captureRow);
    generalForm->addRow(tr("&Live table keeps:"), m_liveTableWindow);
    generalForm->addRow(tr("Ask before runs &over:"), m_largeRangeSlots);
    generalForm->addRow(tr("Lan&guage:"), m_language);
    generalForm->addRow(QString(), languageNote);
    generalForm->addRow(tr("Window layout:"), resetLayout);

    // Reconnect: the ConnectionPolicy values worth tuning (DESIGN.md §4).
    m_connectTimeout->setToolTip(tr("TCP, TLS and WebSocket upgrade of one connection attempt"));
    m_initialBackoff->setToolTip(tr("Delay before the first reconnect, at most the longest retry delay; it doubles "
                                    "after each failed attempt"));
    m_maxBackoff->setToolTip(tr("The reconnect delay never grows beyond this"));
    m_maxAttempts->setToolTip(tr("Reconnect attempts before a connection is given up"));
    m_maxTotal->setToolTip(tr("Time spent reconnecting before a connection is given up"));
    auto *reconnect = new QWidget(this);
    auto *reconnectForm = new QFormLayout(reconnect);
    reconnectForm->addRow(tr("Connect &timeout:"), m_connectTimeout);
    reconnectForm->addRow(tr("&First retry after:"), m_initialBackoff);
    reconnectForm->addRow(tr("Longest retry &delay:"), m_maxBackoff);
    reconnectForm->addRow(tr("&Attempts per outage:"), m_maxAttempts);
    reconnectForm->addRow(tr("Time &per outage:"), m_maxTotal);
    auto *defaults = new QPushButton(tr("Restore &Defaults"), reconnect);
    reconnectForm->addRow(QString(), defaults);
    auto *reconnectNote = new QLabel(tr("Applies to runs started from now on."), reconnect);
    reconnectForm->addRow(QString(), reconnectNote);

    // What SlotScope remembers
    auto *keysBox = new QGroupBox(tr("API keys in the system keyring"), this);
    auto *keysLayout = new QVBoxLayout(keysBox);
    m_keys->setToolTip(tr("Servers whose API key SlotScope keeps in the system keyring (the keys are not shown)"));
    m_keyStatus->setWordWrap(true);
    auto *keyButtons = new QHBoxLayout;
    keyButtons->addWidget(m_keyStatus, 1);
    keyButtons->addWidget(m_forgetKey);
    keysLayout->addWidget(m_keys);
    keysLayout->addLayout(keyButtons);
    auto *capturesBox = new QGroupBox(tr("Recent captures"), this);
    auto *capturesLayout = new QVBoxLayout(capturesBox);
    auto *captureButtons = new QHBoxLayout;
    captureButtons->addStretch(1);
    captureButtons->addWidget(m_clearCaptures);
    capturesLayout->addWidget(m_captures);
    capturesLayout->addLayout(captureButtons);
    auto *remembered = new QWidget(this);
    auto *rememberedLayout = new QVBoxLayout(remembered);
    rememberedLayout->addWidget(keysBox);
    rememberedLayout->addWidget(capturesBox);

    auto *tabs = new QTabWidget(this);
    tabs->addTab(general, tr("General"));
    tabs->addTab(reconnect, tr("Reconnect"));
    tabs->addTab(remembered, tr("Remembered"));

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(tabs);
    layout->addWidget(buttons);

    connect(browse, &QToolButton::clicked, this, [this] {
        const QString start = m_captureDirectory->text().isEmpty() ? Preferences::defaultCaptureDirectory()
                                                                   : m_captureDirectory->text();
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Capture directory"), start);
        if (!dir.isEmpty())
            m_captureDirectory->setText(dir);
    });
    connect(resetLayout, &QPushButton::clicked, this, &PreferencesDialog::resetLayoutRequested);
    connect(defaults, &QPushButton::clicked, this, [this] {
        Preferences current = preferences();
        const Preferences factory;
        current.connectTimeoutSecs = factory.connectTimeoutSecs;
        current.initialBackoffMs = factory.initialBackoffMs;
        current.maxBackoffSecs = factory.maxBackoffSecs;
        current.maxAttempts = factory.maxAttempts;
        current.maxTotalSecs = factory.maxTotalSecs;
        setPreferences(current);
    });
    connect(m_keys, &QListWidget::currentRowChanged, this, [this](int row) { m_forgetKey->setEnabled(row >= 0); });
    connect(m_forgetKey, &QPushButton::clicked, this, &PreferencesDialog::forgetSelectedKey);
    connect(m_clearCaptures, &QPushButton::clicked, this, [this] {
        AppSettings().clearRecentCaptures();
        refreshRemembered();
    });
    connect(buttons, &QDialogButtonBox::accepted, this, &PreferencesDialog::accepted);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    setPreferences(AppSettings().preferences());
    refreshRemembered();
    resize(600, 460);
}

void PreferencesDialog::setPreferences(const Preferences &p)
{
    m_captureDirectory->setText(p.captureDirectory);
    m_liveTableWindow->setValue(p.liveTableWindow);
    m_largeRangeSlots->setValue(p.largeRangeSlots);
    const int language = m_language->findData(p.language);
    m_language->setCurrentIndex(language < 0 ? 0 : language);
    m_connectTimeout->setValue(p.connectTimeoutSecs);
    m_maxBackoff->setValue(p.maxBackoffSecs);
    limitFirstRetry(); // (setting the value the box already holds signals nothing)
    m_initialBackoff->setValue(p.initialBackoffMs);
    m_maxAttempts->setValue(p.maxAttempts);
    m_maxTotal->setValue(p.maxTotalSecs);
}

void PreferencesDialog::limitFirstRetry()
{
    m_initialBackoff->setMaximum(qMin(Preferences::initialBackoffMsRange.max, m_maxBackoff->value() * 1000));
}

Preferences PreferencesDialog::preferences() const
{
    Preferences p;
    p.captureDirectory = m_captureDirectory->text().trimmed();
    p.liveTableWindow = m_liveTableWindow->value();
    p.largeRangeSlots = m_largeRangeSlots->value();
    p.language = m_language->currentData().toString();
    p.connectTimeoutSecs = m_connectTimeout->value();
    p.initialBackoffMs = m_initialBackoff->value();
    p.maxBackoffSecs = m_maxBackoff->value();
    p.maxAttempts = m_maxAttempts->value();
    p.maxTotalSecs = m_maxTotal->value();
    return p;
}

void PreferencesDialog::accepted()
{
    // A capture directory that cannot be written fails every run at its
    // start: said here, where it is typed.
    if (const QString dir = m_captureDirectory->text().trimmed(); !dir.isEmpty()) {
        // (mkpath() succeeds only with a folder there, made or found.)
        const bool usable = QDir().mkpath(dir) && QFileInfo(dir).isWritable();
        if (!usable) {
            const auto answer = QMessageBox::question(
                this, tr("Capture directory"),
                tr("Captures cannot be written to %1: it cannot be created or is not writable.\n\n"
                   "Keep it anyway? Every run will fail at its start until it can.")
                    .arg(QDir::toNativeSeparators(dir)),
                QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
            if (answer != QMessageBox::Yes) {
                m_captureDirectory->setFocus();
                m_captureDirectory->selectAll();
                return;
            }
        }
    }
    AppSettings().setPreferences(preferences());
    accept();
}

void PreferencesDialog::refreshRemembered()
{
    const AppSettings settings;
    m_keys->clear();
    m_keys->addItems(settings.rememberedKeyTargets());
    m_forgetKey->setEnabled(false);
    if (m_keys->count() == 0)
        m_keyStatus->setText(tr("No API key is remembered."));
    m_captures->clear();
    m_captures->addItems(settings.recentCaptures());
    m_clearCaptures->setEnabled(m_captures->count() > 0);
}

void PreferencesDialog::forgetSelectedKey()
{
    const QListWidgetItem *item = m_keys->currentItem();
    if (!item)
        return;
    const QString target = item->text();
    m_forgetKey->setEnabled(false);
    m_keyStatus->setText(tr("Removing the key for %1 …").arg(target));
    ApiKeyStore::remove(target, this, [this, target](const KeyringResult &result) {
        if (result.status == KeyringResult::Status::Ok || result.status == KeyringResult::Status::NotFound) {
            AppSettings().setKeyRemembered(target, false);
            refreshRemembered();
            m_keyStatus->setText(tr("The key for %1 was removed from the keyring.").arg(target));
        } else {
            m_forgetKey->setEnabled(true);
            m_keyStatus->setText(tr("The keyring did not remove the key: %1").arg(result.message));
        }
    });
}

} // namespace SlotScope
