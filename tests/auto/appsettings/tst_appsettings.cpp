// Settings that persist, Preferences, About, Keyboard Shortcuts and tool tips
// (issue 13, items 1 and 5), as widget tests of the real window. Settings go
// to a temporary directory (QSettings::setPath), never the user's.

#include "aboutdialog.h"
#include "appinfo.h"
#include "appsettings.h"
#include "mainwindow.h"
#include "support/policies.h"
#include "support/rundialoghelpers.h"
#include "model/sessionmodel.h"
#include "model/discoverymodel.h"
#include "model/transactionmodel.h"
#include "net/connectionpolicy.h"
#include "preferencesdialog.h"
#include "rundialog.h"
#include "shortcutsdialog.h"
#include "../../support/widgettesthelpers.h"

#include <QAction>
#include <QApplication>
#include <QCompleter>
#include <QDialogButtonBox>
#include <QDir>
#include <QDockWidget>
#include <QLabel>
#include <QSettings>
#include <QTabWidget>
#include <QFile>
#include <QHeaderView>
#include <QAbstractItemView>
#include <QLineEdit>
#include <QListWidget>
#include <QMenuBar>
#include <QComboBox>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStringListModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QMessageBox>
#include <QFileInfo>
#include <QTest>
#include <QTimer>
#include <QToolBar>
#include <QTreeView>
#include <QWidgetAction>

using namespace Qt::StringLiterals;
using namespace std::chrono;
using namespace SlotScope;
using namespace SlotScope::TestSupport;

namespace {

constexpr auto JupiterV6 = "JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4";

QDockWidget *dock(QMainWindow &window, const QString &name)
{
    return window.findChild<QDockWidget *>(name, Qt::FindDirectChildrenOnly);
}

QString strippedText(QString text)
{
    return text.remove(u'&');
}

} // namespace

class tst_AppSettings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void windowStartedTwiceRemembersLayoutTargetAndRunSettings();
    void resetLayoutGoesBackToTheDefaults();
    void preferencesApplyAndPersist();
    void firstRetryNeverWaitsPastTheLongestDelay();
    void preferencesWarnOfACaptureDirectoryThatCannotBeWritten();
    void preferencesShowAndClearRecentCaptures();
    void runConfigRoundTripsWithoutKeyOrCapture();
    void aFileEditedByHandOrAnOlderVersionIsReadSafely();
    void runDialogRefusesProgramIdsThatAreNotAddresses();
    void runDialogAsksForTheUrlAndKeyInItsOwnWords();
    void runDialogGivesBackTheServerRowsHeight();
    void runDialogLooksTheKeyUpWhileTheUrlIsTyped();
    void runDialogFetchesTheDemosRanges();
    void aboutShowsVersionBuildAndPaths();
    void shortcutsDialogListsEveryShortcutOfTheWindow();
    void toolbarToolTipsCarryTheirShortcut();
    void screenshots();

private:
    QTemporaryDir m_dir;
};

void tst_AppSettings::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.filePath(u"config"_s));
    QVERIFY(AppSettings().fileName().startsWith(m_dir.path()));
    qunsetenv("SIMULATOR_API_KEY");
}

void tst_AppSettings::init()
{
    QFile::remove(AppSettings().fileName());
}

void tst_AppSettings::windowStartedTwiceRemembersLayoutTargetAndRunSettings()
{
    // Nothing listens there (port 1 on the loopback): only the run's settings matter here.
    const QString target = u"ws://127.0.0.1:1/backtest"_s;
    int signatureWidth = 0;
    QSize size;
    {
        MainWindow window;
        window.setConnectionPolicy(Testing::refServerPolicy());
        QVERIFY(showAndWaitExposed(window));
        QCOMPARE(dock(window, u"discoveries"_s)->isVisible(), true);
        // Rearrange: hide a dock, move another, resize and reorder columns, change the advance count.
        dock(window, u"discoveries"_s)->hide();
        window.addDockWidget(Qt::LeftDockWidgetArea, dock(window, u"sessions"_s));
        auto *transactions = window.findChild<QTableView *>(u"transactions"_s);
        transactions->horizontalHeader()->resizeSection(TransactionModel::SignatureColumn, 333);
        transactions->horizontalHeader()->moveSection(TransactionModel::FeePayerColumn, 0);
        window.findChild<QSpinBox *>(u"advanceCount"_s)->setValue(37);
        window.resize(1234, 777);
        signatureWidth = transactions->horizontalHeader()->sectionSize(TransactionModel::SignatureColumn);
        size = window.size();

        // A run on a server URL.
        RunConfig config = MainWindow::demoRunConfig();
        config.target = RunConfig::Target::Url;
        config.url = target;
        config.apiKey = u"not-a-real-key-xyzzy"_s;
        config.startSlot = 123456;
        config.endSlot = 123999;
        config.parallel = true;
        config.subscribePrograms = {QString::fromLatin1(JupiterV6)};
        config.discoverPrograms = {QString::fromLatin1(JupiterV6)};
        config.pauseAtDiscoveries = true;
        config.accountDiffs = true;
        config.advanceCount = 25;
        config.disconnectTimeoutSecs = 120;
        config.capturePath = m_dir.filePath(u"url-run.ndjson"_s);
        window.startRun(config);
        window.findChild<QSpinBox *>(u"advanceCount"_s)->setValue(37); // the user changes it during the run
        window.close();
    }
    {
        QFile file(AppSettings().fileName());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY2(!file.readAll().contains("not-a-real-key-xyzzy"), "the API key is in the settings file");
    }

    MainWindow window;
    QVERIFY(showAndWaitExposed(window));
    QCOMPARE(window.size(), size);
    QVERIFY(dock(window, u"discoveries"_s)->isHidden());
    QCOMPARE(window.dockWidgetArea(dock(window, u"sessions"_s)), Qt::LeftDockWidgetArea);
    auto *transactions = window.findChild<QTableView *>(u"transactions"_s);
    QCOMPARE(transactions->horizontalHeader()->sectionSize(TransactionModel::SignatureColumn), signatureWidth);
    QCOMPARE(transactions->horizontalHeader()->visualIndex(TransactionModel::FeePayerColumn), 0);
    QCOMPARE(window.findChild<QSpinBox *>(u"advanceCount"_s)->value(), 37);

    // New Run offers the last target and run settings, and the recent targets.
    withModal<RunDialog>(&window, [&] { actionNamed(window, u"newRun"_s)->trigger(); }, [&](RunDialog *dialog) {
        const RunConfig offered = dialog->config();
        QCOMPARE(offered.target, RunConfig::Target::Url);
        QCOMPARE(offered.url, target);
        QVERIFY(offered.apiKey.isEmpty()); // never from the settings file
        QCOMPARE(offered.startSlot, quint64(123456));
        QCOMPARE(offered.endSlot, quint64(123999));
        QCOMPARE(offered.parallel, true);
        QCOMPARE(offered.subscribePrograms, QStringList{QString::fromLatin1(JupiterV6)});
        QCOMPARE(offered.discoverPrograms, QStringList{QString::fromLatin1(JupiterV6)});
        QCOMPARE(offered.pauseAtDiscoveries, true);
        QCOMPARE(offered.accountDiffs, true);
        QCOMPARE(offered.advanceCount, quint64(25));
        QCOMPARE(offered.disconnectTimeoutSecs, quint16(120));
        QVERIFY(offered.capturePath.endsWith(u".ndjson"_s));
        QVERIFY(offered.capturePath != m_dir.filePath(u"url-run.ndjson"_s)); // a fresh capture
        QLineEdit *url = nullptr;
        for (QLineEdit *edit : dialog->findChildren<QLineEdit *>()) {
            if (edit->text() == target)
                url = edit;
        }
        QVERIFY(url);
        QVERIFY(url->completer());
        auto *recent = qobject_cast<QStringListModel *>(url->completer()->model());
        QVERIFY(recent);
        QCOMPARE(recent->stringList(), QStringList{target});
    });
}

void tst_AppSettings::resetLayoutGoesBackToTheDefaults()
{
    int defaultWidth = 0;
    {
        MainWindow window;
        QVERIFY(showAndWaitExposed(window));
        auto *transactions = window.findChild<QTableView *>(u"transactions"_s);
        defaultWidth = transactions->horizontalHeader()->sectionSize(TransactionModel::SignatureColumn);
        transactions->horizontalHeader()->resizeSection(TransactionModel::SignatureColumn, defaultWidth + 111);
        dock(window, u"protocol"_s)->hide();
        // A batch showed which sub-session each discovery belongs to.
        window.findChild<QTableView *>(u"discoveries"_s)->setColumnHidden(DiscoveryModel::SessionColumn, false);
        window.close();
    }
    MainWindow window;
    QVERIFY(showAndWaitExposed(window));
    auto *transactions = window.findChild<QTableView *>(u"transactions"_s);
    QCOMPARE(transactions->horizontalHeader()->sectionSize(TransactionModel::SignatureColumn), defaultWidth + 111);
    QVERIFY(dock(window, u"protocol"_s)->isHidden());
    // The layout comes back, but no run is a batch yet: no session column.
    QVERIFY(window.findChild<QTableView *>(u"discoveries"_s)->isColumnHidden(DiscoveryModel::SessionColumn));

    QAction *reset = actionNamed(window, u"resetLayout"_s);
    QVERIFY(reset);
    reset->trigger();
    QTRY_VERIFY(dock(window, u"protocol"_s)->isVisible());
    QCOMPARE(transactions->horizontalHeader()->sectionSize(TransactionModel::SignatureColumn), defaultWidth);
    QVERIFY(!AppSettings().windowLayout());
}

void tst_AppSettings::preferencesApplyAndPersist()
{
    MainWindow window;
    window.show();
    const QString captures = m_dir.filePath(u"my-captures"_s);
    withModal<PreferencesDialog>(&window, [&] { actionNamed(window, u"preferences"_s)->trigger(); },
                                 [&](PreferencesDialog *dialog) {
                                     QCOMPARE(dialog->preferences(), Preferences{});
                                     Preferences p;
                                     p.captureDirectory = captures;
                                     p.liveTableWindow = 20000;
                                     p.maxAttempts = 7;
                                     p.initialBackoffMs = 250;
                                     p.language = u"de"_s;
                                     dialog->setPreferences(p);
                                     QCOMPARE(dialog->preferences(), p);
                                     // The first retry never waits longer than the longest retry delay.
                                     auto *first = dialog->findChild<QSpinBox *>(u"initialBackoff"_s);
                                     auto *longest = dialog->findChild<QSpinBox *>(u"maxBackoff"_s);
                                     QVERIFY(first && longest);
                                     first->setValue(5000);
                                     longest->setValue(2);
                                     QCOMPARE(first->value(), 2000);
                                     longest->setValue(30);
                                     QCOMPARE(first->maximum(), 30'000);
                                     first->setValue(250);
                                     QCOMPARE(dialog->preferences(), p);
                                     dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
                                 });
    const Preferences saved = AppSettings().preferences();
    QCOMPARE(saved.captureDirectory, captures);
    QCOMPARE(saved.liveTableWindow, 20000);
    QCOMPARE(saved.maxAttempts, 7);
    QCOMPARE(saved.language, u"de"_s);
    QCOMPARE(window.transactionModel()->windowSize(), 20000);
    QVERIFY(defaultCapturePath().startsWith(captures + u"/run-"_s));
    const ConnectionPolicy policy = saved.applyTo(ConnectionPolicy{});
    QCOMPARE(policy.maxAttempts, 7);
    QCOMPARE(policy.initialBackoff, milliseconds{250});
    QCOMPARE(policy.keepaliveInterval, ConnectionPolicy{}.keepaliveInterval); // not a tunable

    // A new window starts with them.
    MainWindow second;
    QCOMPARE(second.transactionModel()->windowSize(), 20000);
}

void tst_AppSettings::firstRetryNeverWaitsPastTheLongestDelay()
{
    // Saved as a 60 s first retry under a 1 s longest delay (by hand, or
    // before the dialog limited it): the dialog shows and saves 1 s, and the
    // connections wait at most 1 s (a 1 s longest delay is the spin box's
    // own minimum, so setting it changed nothing the limit listened to).
    Preferences saved;
    saved.initialBackoffMs = 60'000;
    saved.maxBackoffSecs = 1;
    AppSettings().setPreferences(saved);
    PreferencesDialog dialog; // opens with what is saved
    auto *first = dialog.findChild<QSpinBox *>(u"initialBackoff"_s);
    QVERIFY(first);
    QCOMPARE(first->maximum(), 1000);
    QCOMPARE(first->value(), 1000);
    QCOMPARE(dialog.preferences().initialBackoffMs, 1000);
    QCOMPARE(saved.applyTo(ConnectionPolicy{}).initialBackoff, milliseconds{1000});
    QCOMPARE(saved.applyTo(ConnectionPolicy{}).maxBackoff, seconds{1});
}

void tst_AppSettings::preferencesWarnOfACaptureDirectoryThatCannotBeWritten()
{
    // Every run would fail at its start: said where the directory is typed.
    PreferencesDialog dialog;
    dialog.show();
    Preferences p;
    p.captureDirectory = u"/proc/slotscope-no-such-dir"_s;
    dialog.setPreferences(p);
    QStringList asked;
    const auto answer = [&asked](QMessageBox::StandardButton button) {
        QTimer::singleShot(0, [&asked, button] {
            auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
            QVERIFY(box);
            asked.append(box->text());
            box->button(button)->click();
        });
    };
    QPushButton *ok = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    answer(QMessageBox::No);
    ok->click();
    QCOMPARE(asked.size(), 1);
    QVERIFY2(asked.constFirst().startsWith(u"Captures cannot be written to /proc/slotscope-no-such-dir"_s),
             qPrintable(asked.constFirst()));
    QVERIFY(dialog.isVisible()); // still open, the path to mend
    QCOMPARE(AppSettings().preferences().captureDirectory, QString());
    answer(QMessageBox::Yes);
    ok->click();
    QCOMPARE(asked.size(), 2);
    QVERIFY(!dialog.isVisible());
    QCOMPARE(AppSettings().preferences().captureDirectory, p.captureDirectory);

    // A directory that can be made is made, without a question.
    PreferencesDialog fine;
    fine.show();
    p.captureDirectory = m_dir.filePath(u"new/captures"_s);
    fine.setPreferences(p);
    fine.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
    QCOMPARE(asked.size(), 2);
    QVERIFY(QFileInfo(p.captureDirectory).isDir());
}

void tst_AppSettings::preferencesShowAndClearRecentCaptures()
{
    const QStringList captures{u"/data/a.ndjson"_s, u"/data/b.ndjson"_s};
    QSettings(QSettings::NativeFormat, QSettings::UserScope, u"SlotScope"_s, u"SlotScope"_s)
        .setValue(u"recentCaptures"_s, captures);
    PreferencesDialog dialog;
    auto *list = dialog.findChild<QListWidget *>(u"recentCaptures"_s);
    QVERIFY(list);
    QCOMPARE(list->count(), 2);
    QCOMPARE(list->item(0)->text(), captures.at(0));
    auto *clear = dialog.findChild<QPushButton *>(u"clearRecentCaptures"_s);
    QVERIFY(clear->isEnabled());
    clear->click();
    QCOMPARE(list->count(), 0);
    QVERIFY(!clear->isEnabled());
    QVERIFY(AppSettings().recentCaptures().isEmpty());
}

void tst_AppSettings::runConfigRoundTripsWithoutKeyOrCapture()
{
    RunConfig config;
    config.target = RunConfig::Target::Url;
    config.url = u"sim.example"_s;
    config.apiKey = u"secret"_s;
    config.startSlot = 5;
    config.endSlot = 9;
    config.zstd = false;
    config.capturePath = u"/tmp/x.ndjson"_s;
    AppSettings settings;
    QVERIFY(!settings.lastRunConfig());
    settings.setLastRunConfig(config);
    const std::optional<RunConfig> back = AppSettings().lastRunConfig();
    QVERIFY(back);
    QCOMPARE(back->url, config.url);
    QCOMPARE(back->zstd, false);
    QCOMPARE(back->startSlot, quint64(5));
    QVERIFY(back->apiKey.isEmpty());
    QVERIFY(back->capturePath.isEmpty());

    for (int i = 0; i < AppSettings::MaxRecentTargets + 3; ++i)
        settings.addRecentTarget(u"host%1"_s.arg(i));
    settings.addRecentTarget(u"host5"_s);
    const QStringList recent = AppSettings().recentTargets();
    QCOMPARE(recent.size(), AppSettings::MaxRecentTargets);
    QCOMPARE(recent.first(), u"host5"_s);
    QCOMPARE(recent.count(u"host5"_s), 1);
    QCOMPARE(recent.at(1), u"host12"_s);

    // A URL with a credential in it is neither remembered nor offered again,
    // nor its token written anywhere in the settings file.
    config.url = u"wss://sim.example/backtest?token=tok-abc123"_s;
    settings.setLastRunConfig(config);
    settings.addRecentTarget(config.url);
    settings.addRecentTarget(u"wss://user:pa55@sim.example"_s);
    QCOMPARE(AppSettings().lastRunConfig()->url, QString());
    QCOMPARE(AppSettings().recentTargets(), recent);
    settings.sync();
    QFile file(settings.fileName());
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray stored = file.readAll();
    QVERIFY(!stored.contains("tok-abc123"));
    QVERIFY(!stored.contains("pa55"));
    // Nor in the list of targets with a remembered key; and one an older
    // version stored is not offered again.
    settings.setKeyRemembered(config.url, true);
    QVERIFY(!AppSettings().rememberedKeyTargets().contains(config.url));
    {
        QSettings raw(settings.fileName(), QSettings::NativeFormat);
        raw.setValue(u"run/recentTargets"_s, QStringList{config.url, u"host5"_s});
    }
    QCOMPARE(AppSettings().recentTargets(), QStringList{u"host5"_s});
}

void tst_AppSettings::aFileEditedByHandOrAnOlderVersionIsReadSafely()
{
    // Numbers that are no numbers, or out of the Preferences dialog's range,
    // are the defaults (not the nearest bound: 0 attempts is no "1"); a
    // boolean that is neither true nor false is the default; credentials an
    // older version kept in plain text are neither offered nor kept.
    const QString fileName = AppSettings().fileName();
    {
        QSettings raw(fileName, QSettings::NativeFormat);
        raw.setValue(u"preferences/reconnect/connectTimeoutSecs"_s, u"abc"_s);
        raw.setValue(u"preferences/reconnect/maxAttempts"_s, 0);
        raw.setValue(u"preferences/reconnect/maxTotalSecs"_s, u"99999999999"_s);
        raw.setValue(u"preferences/reconnect/initialBackoffMs"_s, 2500);
        raw.setValue(u"preferences/largeRangeSlots"_s, -5);
        raw.setValue(u"run/last/target"_s, u"url"_s);
        raw.setValue(u"run/last/url"_s, u"wss://u:OLDPW@old.example/backtest"_s);
        raw.setValue(u"run/last/parallel"_s, u"maybe"_s);
        raw.setValue(u"run/last/zstd"_s, u"false"_s);
        raw.setValue(u"run/recentTargets"_s, QStringList{u"wss://x.example/backtest?token=OLDSECRET1"_s, u"host5"_s});
        raw.setValue(u"keyring/targets"_s, QStringList{u"wss://x.example/backtest?token=OLDTOKEN"_s, u"host7"_s,
                                                      u"wss://host7/backtest"_s});
    }
    const Preferences defaults;
    const Preferences read = AppSettings().preferences();
    QCOMPARE(read.connectTimeoutSecs, defaults.connectTimeoutSecs);
    QCOMPARE(read.maxAttempts, defaults.maxAttempts);
    QCOMPARE(read.maxTotalSecs, defaults.maxTotalSecs);
    QCOMPARE(read.initialBackoffMs, 2500); // in range: kept
    QCOMPARE(read.largeRangeSlots, defaults.largeRangeSlots);

    const std::optional<RunConfig> last = AppSettings().lastRunConfig();
    QVERIFY(last);
    QCOMPARE(last->url, QString());
    QCOMPARE(last->parallel, RunConfig{}.parallel);
    QCOMPARE(last->zstd, false);
    QCOMPARE(AppSettings().recentTargets(), QStringList{u"host5"_s});
    // One entry per keyring entry ("host7" is "wss://host7/backtest" there).
    QCOMPARE(AppSettings().rememberedKeyTargets(), QStringList{u"wss://host7/backtest"_s});
    QVERIFY(AppSettings().isKeyRemembered(u"host7"_s));

    QCOMPARE(AppSettings().dropStoredCredentials(), QStringList{u"wss://x.example/backtest?token=OLDTOKEN"_s});
    QVERIFY(AppSettings().dropStoredCredentials().isEmpty()); // done once
    AppSettings().sync();
    QFile file(fileName);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray stored = file.readAll();
    for (const char *secret : {"OLDPW", "OLDSECRET1", "OLDTOKEN"})
        QVERIFY2(!stored.contains(secret), secret);
    QVERIFY(stored.contains("host5"));
    QCOMPARE(AppSettings().rememberedKeyTargets(), QStringList{u"wss://host7/backtest"_s});
}

void tst_AppSettings::runDialogRefusesProgramIdsThatAreNotAddresses()
{
    // Issue 9 item 7: a mistyped program id is refused before anything
    // connects (it would subscribe to nothing and capture nothing).
    RunDialog dialog;
    RunConfig config = MainWindow::demoRunConfig();
    config.capturePath = m_dir.filePath(u"programs.ndjson"_s);
    config.subscribePrograms = {u"JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4"_s, u"notabase58!!"_s};
    dialog.setConfig(config);
    dialog.show();
    auto *start = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    QTest::mouseClick(start, Qt::LeftButton);
    QVERIFY(dialog.isVisible());
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
    const QString problem = dialog.findChild<QLabel *>(u"problem"_s)->text();
    QVERIFY2(problem.contains(u"program id \"notabase58!!\" is not base58"_s), qPrintable(problem));

    config.subscribePrograms = {u"JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4"_s};
    config.discoverPrograms = {u"JUP6Lkb"_s};
    dialog.setConfig(config);
    QTest::mouseClick(start, Qt::LeftButton);
    QVERIFY(dialog.isVisible());
    QVERIFY2(dialog.findChild<QLabel *>(u"problem"_s)->text().contains(u"decodes to 5 bytes"_s),
             qPrintable(dialog.findChild<QLabel *>(u"problem"_s)->text()));

    config.discoverPrograms = {u"JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4"_s};
    dialog.setConfig(config);
    QTest::mouseClick(start, Qt::LeftButton);
    QTRY_VERIFY(!dialog.isVisible());
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
}

void tst_AppSettings::runDialogAsksForTheUrlAndKeyInItsOwnWords()
{
    // A server target without a URL or key is refused with words for the
    // dialog (not the command line's "--api-key"), the field to fix focused.
    // (initTestCase cleared SIMULATOR_API_KEY.)
    RunDialog dialog;
    QVERIFY(TestSupport::showServerRunDialog(dialog, m_dir.filePath(u"keyless.ndjson"_s)));
    auto *start = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    auto *problem = dialog.findChild<QLabel *>(u"problem"_s);
    auto *url = dialog.findChild<QLineEdit *>(u"url"_s);
    auto *apiKey = dialog.findChild<QLineEdit *>(u"apiKey"_s);
    QVERIFY(problem && url && apiKey);
    // Nothing to say about the key yet: its note takes no row.
    QVERIFY(!dialog.findChild<QLabel *>(u"keyStatus"_s)->isVisible());

    QTest::mouseClick(start, Qt::LeftButton);
    QVERIFY(dialog.isVisible());
    QCOMPARE(problem->text(), u"Enter the simulator's URL or host name."_s);
    QTRY_COMPARE(dialog.focusWidget(), url);

    // Not a server address: refused in the dialog, with the text it read.
    QTest::keyClicks(url, u"http://sim.example.com"_s);
    QTest::mouseClick(start, Qt::LeftButton);
    QVERIFY(dialog.isVisible());
    QVERIFY2(problem->text().contains(u"\"http://sim.example.com\""_s) && problem->text().contains(u"ws://"_s),
             qPrintable(problem->text()));
    QTRY_COMPARE(dialog.focusWidget(), url);
    url->clear();

    QTest::keyClicks(url, u"127.0.0.1:9"_s);
    QTest::mouseClick(start, Qt::LeftButton);
    QVERIFY(dialog.isVisible());
    QVERIFY2(problem->text().startsWith(u"Enter the API key for this server"_s), qPrintable(problem->text()));
    QVERIFY2(!problem->text().contains(u"--api-key"_s), qPrintable(problem->text()));
    QTRY_COMPARE(dialog.focusWidget(), apiKey);

    // The slots are checked one field at a time, the empty one focused.
    RunConfig config = MainWindow::demoRunConfig();
    config.capturePath = m_dir.filePath(u"keyless.ndjson"_s);
    dialog.setConfig(config);
    auto *endSlot = dialog.findChild<QLineEdit *>(u"endSlot"_s);
    endSlot->clear();
    QTest::mouseClick(start, Qt::LeftButton);
    QCOMPARE(problem->text(), u"Enter the first and last slot."_s);
    QTRY_COMPARE(dialog.focusWidget(), endSlot);
    // An inverted range is refused before anything (a live run) is stopped for it.
    QTest::keyClicks(endSlot, u"999"_s);
    QTest::mouseClick(start, Qt::LeftButton);
    QVERIFY(dialog.isVisible());
    QVERIFY2(problem->text().startsWith(u"The last slot (999) is before the first"_s), qPrintable(problem->text()));
    QTRY_COMPARE(dialog.focusWidget(), endSlot);

    // A capture that cannot be created is refused here too: New Run would
    // otherwise stop the live run for a run that fails at its start.
    auto *capturePath = dialog.findChild<QLineEdit *>(u"capturePath"_s);
    QVERIFY(capturePath);
    endSlot->setText(u"1199"_s);
    const QString missingFolder = m_dir.filePath(u"no-such-folder"_s);
    capturePath->setText(missingFolder + u"/run.ndjson"_s);
    QTest::mouseClick(start, Qt::LeftButton);
    QVERIFY(dialog.isVisible());
    QCOMPARE(problem->text(), u"Capture file: The folder %1 does not exist."_s.arg(missingFolder));
    QTRY_COMPARE(dialog.focusWidget(), capturePath);
    capturePath->setText(m_dir.path());
    QTest::mouseClick(start, Qt::LeftButton);
    QVERIFY(dialog.isVisible());
    QCOMPARE(problem->text(), u"Capture file: %1 is a folder, not a file."_s.arg(m_dir.path()));
    capturePath->setText(m_dir.filePath(u"fine.ndjson"_s));
    QTest::mouseClick(start, Qt::LeftButton);
    QTRY_VERIFY(!dialog.isVisible());
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
}

void tst_AppSettings::runDialogGivesBackTheServerRowsHeight()
{
    // A server target shows the keyring row; back on the demo the dialog is
    // as tall as it opened, with no empty band under its buttons.
    RunDialog dialog;
    RunConfig config = MainWindow::demoRunConfig();
    config.capturePath = m_dir.filePath(u"heights.ndjson"_s);
    dialog.setConfig(config);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    const int demoHeight = dialog.height();
    auto *target = dialog.findChild<QComboBox *>(u"target"_s);
    QVERIFY(target);
    target->setCurrentIndex(target->findData(int(RunConfig::Target::Url)));
    QTRY_VERIFY(dialog.height() > demoHeight);
    target->setCurrentIndex(target->findData(int(RunConfig::Target::Demo)));
    QTRY_COMPARE(dialog.height(), demoHeight);
    // A height the user gave it by hand is kept while nothing is hidden.
    dialog.resize(dialog.width(), demoHeight + 80);
    QTRY_COMPARE(dialog.height(), demoHeight + 80);
    target->setCurrentIndex(target->findData(int(RunConfig::Target::Url)));
    QTest::qWait(50);
    QCOMPARE(dialog.height(), demoHeight + 80);
}

void tst_AppSettings::runDialogLooksTheKeyUpWhileTheUrlIsTyped()
{
    // The keyring's answer for a URL (its key, none, or no keyring) is there
    // after a pause in typing the URL, still in the URL field: its note does
    // not push the fields below down once the key is being typed.
    RunDialog dialog;
    QVERIFY(TestSupport::showServerRunDialog(dialog, m_dir.filePath(u"typed-url.ndjson"_s)));
    auto *url = dialog.findChild<QLineEdit *>(u"url"_s);
    auto *keyStatus = dialog.findChild<QLabel *>(u"keyStatus"_s);
    QVERIFY(url && keyStatus);
    QVERIFY(keyStatus->text().isEmpty());
    url->setFocus();
    QTest::keyClicks(url, u"ws://127.0.0.1:1/typed-only"_s);
    QTRY_VERIFY_WITH_TIMEOUT(!keyStatus->text().isEmpty(), 20000);
    QVERIFY(keyStatus->isVisible());
    QCOMPARE(dialog.focusWidget(), url); // never left it
}

void tst_AppSettings::runDialogFetchesTheDemosRanges()
{
    // Fetch ranges asks the demo simulator's /available-ranges; the line under
    // the picker says what came back, and takes no room before that.
    MainWindow window;
    window.show();
    withModal<RunDialog>(&window, [&] { actionNamed(window, u"newRun"_s)->trigger(); }, [&](RunDialog *dialog) {
        auto *status = dialog->findChild<QLabel *>(u"rangeStatus"_s);
        auto *ranges = dialog->findChild<QComboBox *>(u"ranges"_s);
        auto *fetch = dialog->findChild<QPushButton *>(u"fetchRanges"_s);
        QVERIFY(status && ranges && fetch);
        QVERIFY(!status->isVisible());
        QCOMPARE(ranges->count(), 0);
        QTest::mouseClick(fetch, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(u"available"_s) || status->text().contains(u"Could not"_s),
                                 20000);
        // ("1 range available." with the app's English plurals, which this test does not load.)
        QVERIFY2(status->text().startsWith(u"1 range"_s), qPrintable(status->text()));
        QVERIFY(status->isVisible());
        QCOMPARE(ranges->count(), 1);
        const QVariantList range = ranges->itemData(0).toList();
        QCOMPARE(range.size(), 2);
        QVERIFY(range.at(0).toLongLong() <= range.at(1).toLongLong());
        // The picker has the focus, its list is not open: the next click
        // lands where it is aimed (an open popup swallowed a click on Start).
        QVERIFY(ranges->hasFocus());
        QVERIFY(!ranges->view()->isVisible());
        auto *startSlot = dialog->findChild<QLineEdit *>(u"startSlot"_s);
        auto *endSlot = dialog->findChild<QLineEdit *>(u"endSlot"_s);
        QVERIFY(startSlot && endSlot);
        QTest::mouseClick(startSlot, Qt::LeftButton);
        QVERIFY(startSlot->hasFocus());
        // Picking the range from the keyboard fills in its slots.
        ranges->setFocus();
        QTest::keyClick(ranges, Qt::Key_Down);
        QCOMPARE(startSlot->text(), range.at(0).toString());
        QCOMPARE(endSlot->text(), range.at(1).toString());
        // Asked again, and the user moves on to type a slot before the
        // answer: the picker does not take the focus (and the keys) away.
        QTest::mouseClick(fetch, Qt::LeftButton);
        QVERIFY(status->text().startsWith(u"Asking"_s));
        endSlot->setFocus();
        QTRY_VERIFY_WITH_TIMEOUT(status->text().startsWith(u"1 range"_s), 20000);
        QVERIFY(endSlot->hasFocus());
    });
}

void tst_AppSettings::aboutShowsVersionBuildAndPaths()
{
    QCOMPARE(AppInfo::version(), QStringLiteral(SLOTSCOPE_VERSION));
    QVERIFY(!AppInfo::version().isEmpty());
    AboutDialog dialog;
    const QString text = dialog.plainText();
    QVERIFY2(text.contains(u"Version: "_s + AppInfo::version()), qPrintable(text));
    QVERIFY(text.contains(QString::fromLatin1(qVersion())));
    QVERIFY(text.contains(AppInfo::buildDescription()));
    QVERIFY(text.contains(AppInfo::licence()));
    QVERIFY(text.contains(AppSettings().fileName()));
    QVERIFY(text.contains(AppSettings().preferences().effectiveCaptureDirectory()));
}

void tst_AppSettings::shortcutsDialogListsEveryShortcutOfTheWindow()
{
    MainWindow window;
    QSet<QString> expected;
    for (const QAction *action : window.findChildren<QAction *>()) {
        if (!action->shortcut().isEmpty())
            expected.insert(action->shortcut().toString(QKeySequence::PortableText));
    }
    QVERIFY(expected.contains(u"F5"_s));
    QVERIFY(expected.contains(u"Ctrl+F10"_s));
    QVERIFY(expected.contains(u"Ctrl+,"_s));

    const QList<ShortcutEntry> entries = collectShortcuts(&window);
    QSet<QString> listed;
    for (const ShortcutEntry &entry : entries) {
        QVERIFY(!entry.action.isEmpty());
        QVERIFY(!entry.action.contains(u'&'));
        listed.insert(entry.keys.first().toString(QKeySequence::PortableText));
    }
    QCOMPARE(listed, expected);
    // Menus in menu-bar order, then the rest.
    QCOMPARE(entries.first().group, strippedText(window.menuBar()->actions().first()->text()));
    const auto continueEntry = std::find_if(entries.cbegin(), entries.cend(),
                                            [](const ShortcutEntry &e) { return e.keys.first() == QKeySequence(Qt::Key_F5); });
    QVERIFY(continueEntry != entries.cend());
    QCOMPARE(continueEntry->action, u"Continue"_s);
    QCOMPARE(continueEntry->group, u"Step"_s);

    withModal<ShortcutsDialog>(&window, [&] { actionNamed(window, u"keyboardShortcuts"_s)->trigger(); },
                               [&](ShortcutsDialog *dialog) {
                                   QCOMPARE(dialog->visibleRowCount(), int(entries.size()));
                                   dialog->setFilterText(u"F10"_s);
                                   QCOMPARE(dialog->visibleRowCount(), 2); // Continue To, Run to Next Discovery
                                   dialog->setFilterText(u"no such action"_s);
                                   QCOMPARE(dialog->visibleRowCount(), 0);
                               });
}

void tst_AppSettings::toolbarToolTipsCarryTheirShortcut()
{
    MainWindow window;
    auto *toolbar = window.findChild<QToolBar *>(u"stepping"_s);
    QVERIFY(toolbar);
    int checked = 0;
    for (const QAction *action : toolbar->actions()) {
        if (action->isSeparator() || qobject_cast<const QWidgetAction *>(action))
            continue;
        QVERIFY2(!action->toolTip().isEmpty(), qPrintable(action->text()));
        QVERIFY2(action->toolTip() != strippedText(action->text()),
                 qPrintable(u"no tool tip of its own: "_s + action->text()));
        if (!action->shortcut().isEmpty()) {
            const QString keys = action->shortcut().toString(QKeySequence::NativeText);
            QVERIFY2(action->toolTip().endsWith(u" ("_s + keys + u')'), qPrintable(action->toolTip()));
            QCOMPARE(action->toolTip().count(keys), 1);
            ++checked;
        }
    }
    QVERIFY(checked >= 6);
    // A tool tip that changes later (Continue names the selected sub-session) keeps its shortcut.
    window.continueAction()->setToolTip(u"Continue the advance count of slots on sub-session 3"_s);
    QCOMPARE(window.continueAction()->toolTip(), u"Continue the advance count of slots on sub-session 3 (F5)"_s);
}

// With SLOTSCOPE_SCREENSHOT_DIR set: the dialogs as PNGs, for looking at them.
void tst_AppSettings::screenshots()
{
    const QString dir = qEnvironmentVariable("SLOTSCOPE_SCREENSHOT_DIR");
    if (dir.isEmpty())
        QSKIP("set SLOTSCOPE_SCREENSHOT_DIR to save the dialogs as PNG");
    AppSettings().setKeyRemembered(u"wss://simulator.example/backtest"_s, true);
    QSettings(QSettings::NativeFormat, QSettings::UserScope, u"SlotScope"_s, u"SlotScope"_s)
        .setValue(u"recentCaptures"_s, QStringList{u"/data/captures/run-20261204-101500.ndjson"_s});
    MainWindow window;
    QVERIFY(showAndWaitExposed(window));
    auto save = [&](QWidget *widget, const QString &name) {
        QVERIFY(showAndWaitExposed(*widget));
        QTest::qWait(100);
        QVERIFY(widget->grab().save(QDir(dir).filePath(name)));
    };
    PreferencesDialog preferences(&window);
    auto *tabs = preferences.findChild<QTabWidget *>();
    for (int i = 0; i < tabs->count(); ++i) {
        tabs->setCurrentIndex(i);
        save(&preferences, u"preferences-%1.png"_s.arg(i));
    }
    preferences.hide();
    AboutDialog about(&window);
    save(&about, u"about.png"_s);
    about.hide();
    ShortcutsDialog shortcuts(&window, &window);
    save(&shortcuts, u"shortcuts.png"_s);
    shortcuts.hide();
    RunDialog run(&window);
    RunConfig config = MainWindow::demoRunConfig();
    config.target = RunConfig::Target::Url;
    config.url = u"ws://127.0.0.1:1/backtest"_s;
    run.setConfig(config);
    QTRY_VERIFY_WITH_TIMEOUT(!run.findChild<QLabel *>(u"keyStatus"_s)->text().isEmpty(), 20000);
    save(&run, u"rundialog.png"_s);
    run.hide();
    save(&window, u"window.png"_s);
}

QTEST_MAIN(tst_AppSettings)
#include "tst_appsettings.moc"
