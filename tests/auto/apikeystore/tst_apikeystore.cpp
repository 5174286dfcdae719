// API keys in the system keyring (issue 13, item 2), against a real Secret
// Service: ctest runs this program through with-keyring.sh, which starts a
// private D-Bus session with GNOME Keyring unlocked in a scratch HOME.
//
// - ApiKeyStore saves, reads back (under either spelling of the URL) and
//   removes a key through QtKeychain.
// - End to end through the window: the Run dialog remembers the key on Start,
//   the run authenticates with it, and afterwards the settings file, the
//   capture, the events file, the log output and the protocol console hold no
//   trace of it; the next Run dialog reads it back from the keyring;
//   SIMULATOR_API_KEY still wins; Preferences forgets it.
// - Started with SLOTSCOPE_TEST_NO_KEYRING=1 (a second ctest entry, no session
//   bus at all): the dialog says the keyring is not available and the run
//   still starts.

#include "apikeystore.h"
#include "appsettings.h"
#include "demoserver.h"
#include "mainwindow.h"
#include "support/policies.h"
#include "support/rundialoghelpers.h"
#include "model/protocollogmodel.h"
#include "model/sessionmodel.h"
#include "model/sessionstate.h"
#include "net/connectionpolicy.h"
#include "preferencesdialog.h"
#include "rundialog.h"
#include "../../support/widgettesthelpers.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QDirIterator>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLoggingCategory>
#include <QMutex>
#include <QPushButton>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <optional>

using namespace Qt::StringLiterals;
using namespace std::chrono;
using namespace SlotScope;
using namespace SlotScope::TestSupport;

namespace {

QMutex logMutex;
QString logText;
QtMessageHandler previousHandler = nullptr;

void recordMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    {
        QMutexLocker lock(&logMutex);
        logText += message + u'\n';
    }
    if (previousHandler)
        previousHandler(type, context, message);
}

bool keyringExpected()
{
    return qEnvironmentVariable("SLOTSCOPE_TEST_NO_KEYRING") != u"1"_s;
}

std::optional<KeyringResult> wait(const std::function<void(ApiKeyStore::Callback)> &request)
{
    std::optional<KeyringResult> result;
    request([&result](const KeyringResult &r) { result = r; });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, 20000))
        return std::nullopt;
    return result;
}

/// Writes a fresh key ("<prefix><ms since the epoch>") for `target` into the
/// keyring; the key, or nullopt when the keyring did not keep it (logged).
std::optional<QString> storeFreshKey(const QString &target, const QString &prefix)
{
    const QString key = prefix + QString::number(QDateTime::currentMSecsSinceEpoch());
    QObject context;
    const std::optional<KeyringResult> written =
        wait([&](auto done) { ApiKeyStore::write(target, key, &context, done); });
    if (!written || written->status != KeyringResult::Status::Ok) {
        qWarning() << "the keyring did not keep the key:" << (written ? written->message : u"no answer"_s);
        return std::nullopt;
    }
    return key;
}

// File ▸ New Run through the window's action; `inspect` gets the modal dialog.
void withRunDialog(MainWindow &window, const std::function<void(RunDialog *)> &inspect)
{
    withModal<RunDialog>(&window, [&] { actionNamed(window, u"newRun"_s)->trigger(); }, inspect);
}

// A real server that demands a key: the demo server with its random key,
// reached as a "Server URL" target like a hosted simulator.
bool startKeyedServer(DemoServer &server)
{
    RefServerConfig config{.txDir = QString::fromUtf8(SLOTSCOPE_FIXTURES_DIR)};
    const Result<QString> started = server.start(config);
    if (!started)
        qWarning() << "the server did not start:" << started.error().message;
    return bool(started);
}

QString fileText(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll());
}

QString protocolConsoleText(const ProtocolLogModel *model)
{
    QString text;
    for (int row = 0; row < model->rowCount(); ++row) {
        for (int column = 0; column < model->columnCount(); ++column) {
            text += model->index(row, column).data().toString() + u'\t';
            text += model->index(row, column).data(Qt::ToolTipRole).toString() + u'\t';
        }
        text += u'\n';
    }
    return text;
}

} // namespace

class tst_ApiKeyStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void savesReadsBackAndRemovesAKey();
    void rememberedKeyIsReadBackAndNeverWrittenElsewhere();
    void aKeyFromTheKeyringStaysWithItsServer();
    void theLastRunsKeyStaysWithItsServer();
    void withoutKeyringTheDialogSaysSoAndTheRunStarts();

private:
    QTemporaryDir m_dir;
};

void tst_ApiKeyStore::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // Never the user's settings, captures or logs.
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.filePath(u"config"_s));
    QLoggingCategory::setFilterRules(u"slotscope.*=true"_s);
    previousHandler = qInstallMessageHandler(recordMessage);
    qunsetenv("SIMULATOR_API_KEY");
}

void tst_ApiKeyStore::cleanupTestCase()
{
    qInstallMessageHandler(previousHandler);
}

void tst_ApiKeyStore::savesReadsBackAndRemovesAKey()
{
    if (!keyringExpected())
        QSKIP("no keyring service in this run (SLOTSCOPE_TEST_NO_KEYRING=1)");
    const QString target = u"wss://simulator.example/backtest"_s;
    const std::optional<QString> stored = storeFreshKey(target, u"sk-test-"_s);
    QVERIFY(stored);
    const QString key = *stored;
    QObject context;

    std::optional<KeyringResult> read = wait([&](auto done) { ApiKeyStore::read(target, &context, done); });
    QVERIFY(read);
    QCOMPARE(read->status, KeyringResult::Status::Ok);
    QCOMPARE(read->key, key);

    // The bare host normalises to the same control URL, so it finds the same entry.
    read = wait([&](auto done) { ApiKeyStore::read(u"simulator.example"_s, &context, done); });
    QVERIFY(read);
    QCOMPARE(read->status, KeyringResult::Status::Ok);
    QCOMPARE(read->key, key);

    // Another server has no key.
    read = wait([&](auto done) { ApiKeyStore::read(u"wss://other.example/backtest"_s, &context, done); });
    QVERIFY(read);
    QCOMPARE(read->status, KeyringResult::Status::NotFound);

    std::optional<KeyringResult> removed = wait([&](auto done) { ApiKeyStore::remove(target, &context, done); });
    QVERIFY(removed);
    QCOMPARE(removed->status, KeyringResult::Status::Ok);
    read = wait([&](auto done) { ApiKeyStore::read(target, &context, done); });
    QVERIFY(read);
    QCOMPARE(read->status, KeyringResult::Status::NotFound);
    QVERIFY(read->key.isEmpty());
}

void tst_ApiKeyStore::rememberedKeyIsReadBackAndNeverWrittenElsewhere()
{
    if (!keyringExpected())
        QSKIP("no keyring service in this run (SLOTSCOPE_TEST_NO_KEYRING=1)");
    DemoServer server;
    QVERIFY(startKeyedServer(server));
    const QString url = server.controlUrl();
    const QString key = server.apiKey();
    QVERIFY(key.size() >= 16);
    const QString capturePath = m_dir.filePath(u"keyed-run.ndjson"_s);

    {
        MainWindow window;
        window.setConnectionPolicy(Testing::refServerPolicy());
        window.show();
        withRunDialog(window, [&](RunDialog *dialog) {
            RunConfig config = MainWindow::demoRunConfig();
            config.target = RunConfig::Target::Url;
            config.url = url;
            config.apiKey = key;
            config.startSlot = 1000;
            config.endSlot = 1019;
            config.capturePath = capturePath;
            dialog->setConfig(config);
            auto *remember = dialog->findChild<QCheckBox *>(u"rememberKey"_s);
            QVERIFY(remember);
            // The lookup for this URL finds nothing and leaves the box usable.
            QTRY_VERIFY_WITH_TIMEOUT(dialog->findChild<QLabel *>(u"keyStatus"_s)->text().contains(u"No key"_s), 20000);
            QVERIFY(remember->isEnabled());
            remember->setChecked(true);
            dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
            // Start waits for the keyring, then closes the dialog.
            QTRY_VERIFY_WITH_TIMEOUT(!dialog->isVisible(), 20000);
        });
        QTRY_VERIFY_WITH_TIMEOUT(window.continueAction()->isEnabled(), 20000);
        window.runToEndAction()->trigger();
        const SessionModel *sessions = window.sessionModel();
        QTRY_COMPARE_WITH_TIMEOUT(sessions->index(sessions->rowCount() - 1, SessionModel::StateColumn)
                                      .data(SessionModel::StateRole).toInt(),
                                  int(SessionState::Completed), 30000);
        QVERIFY(window.protocolLogModel()->rowCount() > 0);
        const QString console = protocolConsoleText(window.protocolLogModel());
        QVERIFY2(!console.contains(key), "the protocol console shows the API key");
        window.close();
    }
    QCOMPARE(AppSettings().rememberedKeyTargets(), QStringList{url});

    // Nowhere on disk but the keyring, nowhere in the log output.
    AppSettings settings;
    settings.sync();
    QVERIFY(QFile::exists(settings.fileName()));
    QString events = capturePath;
    events.replace(u".ndjson"_s, u".events.ndjson"_s);
    const QStringList files{settings.fileName(), capturePath, events};
    for (const QString &path : files) {
        QVERIFY2(QFile::exists(path), qPrintable(path));
        QVERIFY2(!fileText(path).contains(key), qPrintable(u"the API key is in "_s + path));
    }
    QVERIFY(fileText(settings.fileName()).contains(url)); // the URL is remembered, the key is not
    {
        QMutexLocker lock(&logMutex);
        QVERIFY(!logText.isEmpty());
        QVERIFY2(!logText.contains(key), "the API key is in the log output");
    }
    // Nothing else SlotScope wrote under its test data and config directories either.
    for (const QString &root : {m_dir.path(), QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation)}) {
        QDirIterator it(root, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            QVERIFY2(!fileText(path).contains(key), qPrintable(u"the API key is in "_s + path));
        }
    }

    // The next start: the Run dialog offers the last server and reads its key back.
    {
        MainWindow window;
        window.setConnectionPolicy(Testing::refServerPolicy());
        withRunDialog(window, [&](RunDialog *dialog) {
            QCOMPARE(dialog->config().target, RunConfig::Target::Url);
            QCOMPARE(dialog->config().url, url);
            QTRY_COMPARE_WITH_TIMEOUT(dialog->config().apiKey, key, 20000);
            QVERIFY(dialog->findChild<QCheckBox *>(u"rememberKey"_s)->isChecked());
        });
    }

    // SIMULATOR_API_KEY wins over the keyring.
    qputenv("SIMULATOR_API_KEY", "from-the-environment");
    {
        MainWindow window;
        withRunDialog(window, [&](RunDialog *dialog) {
            QCOMPARE(dialog->config().apiKey, u"from-the-environment"_s);
            QTest::qWait(300); // a keyring answer arriving late must not replace it
            QCOMPARE(dialog->config().apiKey, u"from-the-environment"_s);
            QVERIFY(!dialog->findChild<QCheckBox *>(u"rememberKey"_s)->isEnabled());
        });
    }
    qunsetenv("SIMULATOR_API_KEY");

    // Preferences forgets it: gone from the keyring and from the list.
    {
        PreferencesDialog preferences;
        auto *keys = preferences.findChild<QListWidget *>(u"rememberedKeys"_s);
        QVERIFY(keys);
        QCOMPARE(keys->count(), 1);
        keys->setCurrentRow(0);
        preferences.findChild<QPushButton *>(u"forgetKey"_s)->click();
        QTRY_COMPARE_WITH_TIMEOUT(keys->count(), 0, 20000);
    }
    QObject context;
    const std::optional<KeyringResult> read = wait([&](auto done) { ApiKeyStore::read(url, &context, done); });
    QVERIFY(read);
    QCOMPARE(read->status, KeyringResult::Status::NotFound);
    QVERIFY(AppSettings().rememberedKeyTargets().isEmpty());
}

void tst_ApiKeyStore::aKeyFromTheKeyringStaysWithItsServer()
{
    // The Run dialog fills the key for a URL from the keyring; it leaves the
    // field as soon as the URL changes (one server's key never goes to
    // another), while a key the user typed stays whatever the URL.
    if (!keyringExpected())
        QSKIP("no keyring service in this run (SLOTSCOPE_TEST_NO_KEYRING=1)");
    const QString keyed = u"wss://keyed.example/backtest"_s;
    const std::optional<QString> stored = storeFreshKey(keyed, u"sk-keyed-"_s);
    QVERIFY(stored);
    const QString key = *stored;
    QObject context;

    RunDialog dialog;
    QVERIFY(TestSupport::showServerRunDialog(dialog, m_dir.filePath(u"keyed.ndjson"_s), keyed));
    auto *url = dialog.findChild<QLineEdit *>(u"url"_s);
    auto *apiKey = dialog.findChild<QLineEdit *>(u"apiKey"_s);
    auto *status = dialog.findChild<QLabel *>(u"keyStatus"_s);
    QVERIFY(url && apiKey && status);
    QTRY_COMPARE_WITH_TIMEOUT(apiKey->text(), key, 20000);

    // Another server, typed: the key leaves with the first keystroke, before
    // any lookup answered (Enter right after the URL once sent it there),
    // and its lookup finds nothing.
    url->setFocus();
    url->selectAll();
    QTest::keyClicks(url, u"wss://unkeyed.example/backtest"_s);
    QCOMPARE(apiKey->text(), QString());
    QTest::keyClick(url, Qt::Key_Return);
    QVERIFY(dialog.isVisible()); // refused: no key for this server
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(u"No key"_s), 20000);
    QCOMPARE(apiKey->text(), QString());

    // Back to the keyed server: its key again; then a key the user typed
    // stays on a server without one.
    url->selectAll();
    QTest::keyClicks(url, keyed);
    QTRY_COMPARE_WITH_TIMEOUT(apiKey->text(), key, 20000);
    apiKey->setText(u"sk-typed"_s);
    url->selectAll();
    QTest::keyClicks(url, u"wss://unkeyed.example/backtest"_s);
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(u"No key"_s), 20000);
    QCOMPARE(apiKey->text(), u"sk-typed"_s);

    std::optional<KeyringResult> removed = wait([&](auto done) { ApiKeyStore::remove(keyed, &context, done); });
    QVERIFY(removed && removed->status == KeyringResult::Status::Ok);
}

void tst_ApiKeyStore::theLastRunsKeyStaysWithItsServer()
{
    // New Run offers the last run's settings, its key included. That key is
    // server A's: typing server B's URL takes it out (B's keyring key comes
    // in), so neither is A's key sent to B nor written into B's entry. On A
    // itself it is kept even when A's keyring entry holds another key, and
    // the dialog says so instead of claiming the keyring's.
    if (!keyringExpected())
        QSKIP("no keyring service in this run (SLOTSCOPE_TEST_NO_KEYRING=1)");
    const QString serverA = u"wss://a.example/backtest"_s;
    const QString serverB = u"wss://b.example/backtest"_s;
    const std::optional<QString> keyB = storeFreshKey(serverB, u"sk-b-"_s);
    const std::optional<QString> keyringA = storeFreshKey(serverA, u"sk-a-keyring-"_s);
    QVERIFY(keyB && keyringA);
    QObject context;

    RunConfig last = MainWindow::demoRunConfig();
    last.target = RunConfig::Target::Url;
    last.url = serverA;
    last.apiKey = u"sk-a-last-run"_s;
    last.capturePath = m_dir.filePath(u"last-key.ndjson"_s);
    RunDialog dialog;
    dialog.setConfig(last);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowActive(&dialog));
    auto *url = dialog.findChild<QLineEdit *>(u"url"_s);
    auto *apiKey = dialog.findChild<QLineEdit *>(u"apiKey"_s);
    auto *status = dialog.findChild<QLabel *>(u"keyStatus"_s);
    auto *remember = dialog.findChild<QCheckBox *>(u"rememberKey"_s);
    QVERIFY(url && apiKey && status && remember);
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(u"another key"_s), 20000);
    QCOMPARE(apiKey->text(), u"sk-a-last-run"_s);
    QVERIFY(!remember->isChecked());

    url->setFocus();
    url->selectAll();
    QTest::keyClicks(url, serverB);
    QVERIFY(apiKey->text() != u"sk-a-last-run"_s);
    QTRY_COMPARE_WITH_TIMEOUT(apiKey->text(), *keyB, 20000);
    QVERIFY(status->text().contains(u"read from the system keyring"_s));
    QVERIFY(remember->isChecked());
    QTest::keyClick(url, Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(!dialog.isVisible(), 20000);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(dialog.config().apiKey, *keyB);
    const std::optional<KeyringResult> readB = wait([&](auto done) { ApiKeyStore::read(serverB, &context, done); });
    QVERIFY(readB && readB->status == KeyringResult::Status::Ok);
    QCOMPARE(readB->key, *keyB); // B's entry untouched

    // Started on A itself with the last run's key: the keyring's other key
    // stays (the box was unticked by the dialog, not by the user; it was
    // once taken as "forget" and the entry deleted).
    AppSettings().setKeyRemembered(serverA, true);
    RunDialog onA;
    onA.setConfig(last);
    onA.show();
    QVERIFY(QTest::qWaitForWindowActive(&onA));
    auto *noteA = onA.findChild<QLabel *>(u"keyStatus"_s);
    QTRY_VERIFY_WITH_TIMEOUT(noteA->text().contains(u"another key"_s), 20000);
    QTest::mouseClick(onA.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!onA.isVisible(), 20000);
    QCOMPARE(onA.config().apiKey, u"sk-a-last-run"_s);
    const std::optional<KeyringResult> readA = wait([&](auto done) { ApiKeyStore::read(serverA, &context, done); });
    QVERIFY(readA && readA->status == KeyringResult::Status::Ok);
    QCOMPARE(readA->key, *keyringA);
    QVERIFY(AppSettings().isKeyRemembered(serverA));

    for (const QString &server : {serverA, serverB}) {
        std::optional<KeyringResult> removed = wait([&](auto done) { ApiKeyStore::remove(server, &context, done); });
        QVERIFY(removed && removed->status == KeyringResult::Status::Ok);
    }
}

void tst_ApiKeyStore::withoutKeyringTheDialogSaysSoAndTheRunStarts()
{
    if (keyringExpected())
        QSKIP("a keyring service runs here; the ctest entry apikeystore_nokeyring covers its absence");
    QObject context;
    const std::optional<KeyringResult> read =
        wait([&](auto done) { ApiKeyStore::read(u"wss://simulator.example/backtest"_s, &context, done); });
    QVERIFY(read);
    QVERIFY2(read->status == KeyringResult::Status::Unavailable, qPrintable(read->message));
    QVERIFY(!read->message.isEmpty());

    DemoServer server;
    QVERIFY(startKeyedServer(server));
    MainWindow window;
    window.setConnectionPolicy(Testing::refServerPolicy());
    window.show();
    withRunDialog(window, [&](RunDialog *dialog) {
        RunConfig config = MainWindow::demoRunConfig();
        config.target = RunConfig::Target::Url;
        config.url = server.controlUrl();
        config.apiKey = server.apiKey();
        config.capturePath = m_dir.filePath(u"unkeyed-run.ndjson"_s);
        dialog->setConfig(config);
        auto *status = dialog->findChild<QLabel *>(u"keyStatus"_s);
        QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(u"not available"_s), 20000);
        QVERIFY(!dialog->findChild<QCheckBox *>(u"rememberKey"_s)->isEnabled());
        // Every line of it shows (the dialog was up before it wrapped; it
        // was cut to a line and a half).
        QVERIFY2(status->heightForWidth(status->width()) > status->fontMetrics().lineSpacing() * 3 / 2,
                 "the note does not wrap at this width: the check below shows nothing");
        const auto allShown = [status] {
            return status->height() >= status->heightForWidth(status->width())
                   && status->height() < status->heightForWidth(status->width()) + status->fontMetrics().lineSpacing();
        };
        const auto shown = [status] {
            return u"%1 px of %2 shown"_s.arg(status->height()).arg(status->heightForWidth(status->width()));
        };
        QTRY_VERIFY2(allShown(), qPrintable(shown()));
        // Hidden with the demo target and shown again: still every line, no gap.
        auto *target = dialog->findChild<QComboBox *>(u"target"_s);
        QVERIFY(target);
        target->setCurrentIndex(target->findData(int(RunConfig::Target::Demo)));
        QTRY_VERIFY(!status->isVisible());
        target->setCurrentIndex(target->findData(int(RunConfig::Target::Url)));
        QTRY_VERIFY(status->isVisible());
        QTRY_VERIFY2(allShown(), qPrintable(shown()));
        // A narrower dialog wraps it to more lines: they show too.
        dialog->resize(dialog->width() * 3 / 4, dialog->height());
        QTRY_VERIFY2(allShown(), qPrintable(shown()));
        dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->isVisible(), 5000);
    });
    QTRY_VERIFY_WITH_TIMEOUT(window.continueAction()->isEnabled(), 20000);
    QVERIFY(AppSettings().rememberedKeyTargets().isEmpty());
}

QTEST_MAIN(tst_ApiKeyStore)
#include "tst_apikeystore.moc"
