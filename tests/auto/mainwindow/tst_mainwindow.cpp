// Widget tests of the main window against the embedded demo simulator
// (real fixtures): Continue advances the slot, Continue-to pauses before a
// discovered batch, the detail pane reads the capture, a failing run shows its
// error on the session row and leaves the window usable.
//
// With SLOTSCOPE_SCREENSHOT_DIR set, the window mid-run is saved there as
// mainwindow.png (QWidget::grab), for the README and for looking at it.

#include "capture/capturewriter.h"
#include "appsettings.h"
#include "breakpointmodel.h"
#include "capture/capturereader.h"
#include "exportdialog.h"
#include "mainwindow.h"
#include "model/discoverymodel.h"
#include "model/modelroles.h"
#include "refserver/refserver.h"
#include "rundialog.h"
#include "support/capturefiles.h"
#include "model/sessionmodel.h"
#include "model/transactionmodel.h"
#include "net/connectionpolicy.h"
#include "support/policies.h"
#include "support/waiting.h"
#include "transactiondetailview.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QLoggingCategory>
#include <QMessageBox>
#include <QMutex>
#include <QPushButton>
#include <QTimer>
#include <QTableView>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QSignalSpy>
#include <QTest>
#include <QTextBrowser>
#include <QToolBar>
#include <QToolButton>

using namespace Qt::StringLiterals;
using namespace std::chrono;
using namespace SlotScope;
using namespace SlotScope::Testing;

namespace {

constexpr auto JupiterV6 = "JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4";

ConnectionPolicy windowPolicy()
{
    ConnectionPolicy policy = refServerPolicy();
    policy.maxAttempts = 3;
    policy.maxTotal = milliseconds{5000};
    policy.drainIdleTimeout = milliseconds{5000};
    return policy;
}

QVariant sessionCell(const MainWindow &window, int column, int role = Qt::DisplayRole)
{
    // Runs accumulate in the tree; the newest one is the last row.
    const SessionModel *model = window.sessionModel();
    if (model->rowCount() == 0)
        return {};
    return model->index(model->rowCount() - 1, column).data(role);
}

quint64 currentSlot(const MainWindow &window)
{
    return sessionCell(window, SessionModel::CurrentSlotColumn).toULongLong();
}

SessionState sessionState(const MainWindow &window)
{
    const QVariant state = sessionCell(window, SessionModel::StateColumn, SessionModel::StateRole);
    return state.isValid() ? SessionState(state.toInt()) : SessionState::Creating;
}

QToolButton *toolButtonFor(MainWindow &window, QAction *action)
{
    for (QToolBar *toolbar : window.findChildren<QToolBar *>()) {
        if (auto *button = qobject_cast<QToolButton *>(toolbar->widgetForAction(action)))
            return button;
    }
    return nullptr;
}

/// Answers the next modal QMessageBox with `button`, recording its text.
/// Collect the texts with questions(); a QMessageBox nobody expected fails
/// the test through its recorded text rather than blocking it.
class QuestionAnswerer : public QObject
{
public:
    explicit QuestionAnswerer(QMessageBox::StandardButton button) : m_button(button)
    {
        m_timer.setInterval(20);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
            if (!box)
                return;
            m_questions.append(box->text());
            if (const QString dir = qEnvironmentVariable("SLOTSCOPE_SCREENSHOT_DIR"); !dir.isEmpty())
                box->grab().save(QDir(dir).filePath(u"question-%1.png"_s.arg(++s_saved)));
            box->button(m_button) ? box->button(m_button)->click() : box->reject();
        });
        m_timer.start();
    }
    QStringList questions() const { return m_questions; }

private:
    static inline int s_saved = 0;
    QMessageBox::StandardButton m_button;
    QTimer m_timer;
    QStringList m_questions;
};

/// Collects the embedded demo server's log lines (slotscope.refserver), from
/// whichever thread they come.
class ServerLog
{
public:
    ServerLog()
    {
        s_self = this;
        QLoggingCategory::setFilterRules(u"slotscope.refserver.info=true"_s);
        m_previous = qInstallMessageHandler([](QtMsgType type, const QMessageLogContext &context, const QString &text) {
            if (context.category && qstrcmp(context.category, "slotscope.refserver") == 0) {
                const QMutexLocker lock(&s_self->m_mutex);
                s_self->m_lines.append(text);
            }
            s_self->m_previous(type, context, text);
        });
    }
    ~ServerLog()
    {
        qInstallMessageHandler(m_previous);
        QLoggingCategory::setFilterRules(QString());
        s_self = nullptr;
    }
    QString text() const
    {
        const QMutexLocker lock(&m_mutex);
        return m_lines.join(u'\n');
    }

private:
    static inline ServerLog *s_self = nullptr;
    mutable QMutex m_mutex;
    QStringList m_lines;
    QtMessageHandler m_previous = nullptr;
};

} // namespace

class tst_MainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void continueAdvancesTheSlot();
    void continueToPausesBeforeTheSelectedDiscovery();
    void runToNextDiscoveryHonoursBreakpoints();
    void detailPaneShowsTheSelectedTransaction();
    void failedRunShowsOnTheSessionRow();
    // Issue 9: nothing lost, nothing hidden.
    void freshCapturePathsNeverReuseAName();
    void existingCaptureAsksFirst();
    void existingCaptureSurvivesAFailedRun();
    void largeRangeAsksFirst();
    void exportReportsUnreadableLines();
    void closingTheWindowClosesTheSessionFirst();

private:
    RunConfig demoConfig() const;
    void waitUntilSteppable(MainWindow &window);
    /// Starts the demo run in `window` and runs it to its end (31 transactions).
    void runDemoToCompletion(MainWindow &window);

    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_MainWindow::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    // The window remembers its layout and last run: never in the user's settings.
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir->filePath(u"config"_s));
}

void tst_MainWindow::cleanup()
{
    m_dir.reset();
}

RunConfig tst_MainWindow::demoConfig() const
{
    RunConfig config = MainWindow::demoRunConfig();
    config.demoTxDir = QString::fromUtf8(SLOTSCOPE_FIXTURES_DIR);
    config.capturePath = m_dir->filePath(u"run.ndjson"_s);
    return config;
}

void tst_MainWindow::waitUntilSteppable(MainWindow &window)
{
    QTRY_VERIFY_WITH_TIMEOUT(window.continueAction()->isEnabled(), 20000);
}

void tst_MainWindow::runDemoToCompletion(MainWindow &window)
{
    window.setConnectionPolicy(windowPolicy());
    window.show();
    window.startRun(demoConfig());
    waitUntilSteppable(window);
    window.runToEndAction()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(sessionState(window), SessionState::Completed, 30000);
}

void tst_MainWindow::continueAdvancesTheSlot()
{
    MainWindow window;
    window.setConnectionPolicy(windowPolicy());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    RunConfig config = demoConfig();
    config.advanceCount = 10;
    window.startRun(config);
    waitUntilSteppable(window);
    QCOMPARE(sessionState(window), SessionState::Ready);
    QCOMPARE(currentSlot(window), quint64(1000));

    QToolButton *continueButton = toolButtonFor(window, window.continueAction());
    QVERIFY(continueButton);
    QTest::mouseClick(continueButton, Qt::LeftButton);
    // Ten slots executed: 1000..1009, the last one reported is 1009.
    QTRY_COMPARE_WITH_TIMEOUT(currentSlot(window), quint64(1009), 20000);
    QTRY_COMPARE_WITH_TIMEOUT(sessionState(window), SessionState::Ready, 20000);

    // F5 is the keyboard path to the same action.
    QTest::keyClick(&window, Qt::Key_F5);
    QTRY_COMPARE_WITH_TIMEOUT(currentSlot(window), quint64(1019), 20000);
    QVERIFY(window.transactionModel()->rowCount() > 0);

    if (const QString dir = qEnvironmentVariable("SLOTSCOPE_SCREENSHOT_DIR"); !dir.isEmpty()) {
        // Mid-run picture: select a Jupiter discovery and a transaction first.
        QTRY_VERIFY_WITH_TIMEOUT(window.discoveryModel()->rowCount() > 0, 20000);
        window.runToEndAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(currentSlot(window) > 1120, 30000);
        window.stopAction()->trigger();
        auto *table = window.findChild<QTableView *>(u"transactions"_s);
        QVERIFY(table);
        table->selectRow(std::min(5, table->model()->rowCount() - 1));
        QTest::qWait(300);
        QVERIFY(window.grab().save(QDir(dir).filePath(u"mainwindow.png"_s)));
        auto *timeline = window.findChild<QWidget *>(u"timeline"_s);
        QVERIFY(timeline);
        if (auto *dock = qobject_cast<QDockWidget *>(timeline->parentWidget()))
            dock->raise();
        QTest::qWait(400);
        QVERIFY(window.grab().save(QDir(dir).filePath(u"timeline.png"_s)));
    }
}

void tst_MainWindow::continueToPausesBeforeTheSelectedDiscovery()
{
    MainWindow window;
    window.setConnectionPolicy(windowPolicy());
    window.show();
    window.startRun(demoConfig());
    waitUntilSteppable(window);
    QTRY_VERIFY_WITH_TIMEOUT(window.discoveryModel()->rowCount() > 0, 20000);

    const DiscoveryBatchEvent batch = window.discoveryModel()->batchAt(0);
    QVERIFY(!batch.matched.isEmpty());
    QCOMPARE(batch.matched.first().program, QString::fromLatin1(JupiterV6));
    auto *discoveryView = window.findChild<QTableView *>(u"discoveries"_s);
    QVERIFY(discoveryView);
    discoveryView->selectRow(0);
    QTest::keyClick(&window, Qt::Key_F10, Qt::ControlModifier);

    QTRY_COMPARE_WITH_TIMEOUT(sessionState(window), SessionState::Paused, 20000);
    QCOMPARE(currentSlot(window), batch.slot);
    QTRY_COMPARE_WITH_TIMEOUT(window.discoveryModel()->stateAt(0), DiscoveryModel::BatchState::Reached, 5000);
}

void tst_MainWindow::runToNextDiscoveryHonoursBreakpoints()
{
    // Issue 12 item 5 in the window: Jupiter v6 skips its first 2 hits, the
    // Compute Budget program only logs. Run to Next Discovery (F10) stops
    // before Jupiter's third announced batch, then its fourth; unchecking
    // the Jupiter breakpoint in the panel mid-run lets F10 run to the end.
    const QString jupiter = QString::fromLatin1(JupiterV6);
    const QString computeBudget = u"ComputeBudget111111111111111111111111111111"_s;
    MainWindow window;
    window.setConnectionPolicy(windowPolicy());
    window.show();
    RunConfig config = demoConfig();
    config.discoverPrograms = {jupiter, computeBudget};
    DiscoveryBreakpoint skip = DiscoveryBreakpoint::forProgram(jupiter);
    skip.skipHits = 2;
    DiscoveryBreakpoint log = DiscoveryBreakpoint::forProgram(computeBudget);
    log.logOnly = true;
    config.breakpoints = {skip, log};
    QVERIFY(window.startRun(config));
    BreakpointModel *breakpoints = window.breakpointModel();
    QCOMPARE(breakpoints->rowCount(), 2);
    QCOMPARE(breakpoints->breakpoints(), config.breakpoints);
    waitUntilSteppable(window);

    // The batches the server announced so far, in order, that matched `program`: their rows.
    DiscoveryModel *discoveries = window.discoveryModel();
    const auto announced = [discoveries](const QString &program) {
        QList<int> rows;
        for (int row = 0; row < discoveries->rowCount(); ++row) {
            for (const DiscoveryFilter &filter : discoveries->batchAt(row).matched) {
                if (filter.program == program)
                    rows.append(row);
            }
        }
        return rows;
    };
    // Paused for the user before the n-th (0-based) Jupiter batch: the row is
    // Reached (paused exactly before it) and stays so.
    const auto waitForPauseAtJupiter = [&](int n) {
        QTRY_VERIFY_WITH_TIMEOUT(announced(jupiter).size() > n
                                     && discoveries->stateAt(announced(jupiter).at(n)) == DiscoveryModel::BatchState::Reached
                                     && sessionState(window) == SessionState::Paused,
                                 30000);
        const DiscoveryBatchEvent batch = discoveries->batchAt(announced(jupiter).at(n));
        QVERIFY(Testing::holdsFor([&] { return sessionState(window) == SessionState::Paused; },
                                  std::chrono::milliseconds{500}));
        QCOMPARE(currentSlot(window), batch.slot);
        // Every batch before it was passed, not stopped at for good.
        for (int row = 0; row < announced(jupiter).at(n); ++row)
            QCOMPARE(discoveries->stateAt(row), DiscoveryModel::BatchState::Passed);
    };
    // The `breakpoint` lines of the events file for `program`: "hit action".
    const auto verdicts = [&](const QString &program) {
        QStringList out;
        const auto events = CaptureEventReader::readAll(CaptureWriter::eventsPathFor(config.capturePath));
        for (const CaptureEvent &event : events.value()) {
            if (event.type == u"breakpoint" && event.data.value(u"program"_s).toString() == program)
                out.append(u"%1 %2"_s.arg(event.data.value(u"hit"_s).toInteger())
                               .arg(event.data.value(u"action"_s).toString()));
        }
        return out;
    };
    const auto expectedJupiter = [&] {
        QStringList out;
        for (qsizetype i = 1; i <= announced(jupiter).size(); ++i)
            out.append(u"%1 %2"_s.arg(i).arg(i <= 2 ? u"skip"_s : u"pause"_s));
        return out;
    };
    const auto expectedLogs = [&] {
        QStringList out;
        for (qsizetype i = 1; i <= announced(computeBudget).size(); ++i)
            out.append(u"%1 log"_s.arg(i));
        return out;
    };

    QTest::keyClick(&window, Qt::Key_F10);
    waitForPauseAtJupiter(2);
    if (QTest::currentTestFailed())
        return;
    // The server may already have announced the batch after it: hits count announcements.
    QCOMPARE(breakpoints->hits(jupiter), quint64(announced(jupiter).size()));
    QVERIFY(breakpoints->hits(jupiter) >= 3);
    QCOMPARE(breakpoints->hits(computeBudget), quint64(announced(computeBudget).size()));
    QVERIFY(breakpoints->hits(computeBudget) > 0);
    QCOMPARE(breakpoints->index(0, BreakpointModel::HitsColumn).data().toString(),
             QString::number(announced(jupiter).size()));
    QTRY_COMPARE_WITH_TIMEOUT(verdicts(jupiter), expectedJupiter(), 5000);
    QCOMPARE(verdicts(computeBudget), expectedLogs());

    // F10 again: the fourth Jupiter batch.
    QTest::keyClick(&window, Qt::Key_F10);
    waitForPauseAtJupiter(3);
    if (QTest::currentTestFailed())
        return;
    QTRY_COMPARE_WITH_TIMEOUT(verdicts(jupiter), expectedJupiter(), 5000);

    // Disabled in the panel: saved with the run configuration, and F10 runs to the end.
    const quint64 hitsWhenDisabled = breakpoints->hits(jupiter);
    QVERIFY(breakpoints->setData(breakpoints->index(0, BreakpointModel::ProgramColumn), Qt::Unchecked,
                                 Qt::CheckStateRole));
    const std::optional<RunConfig> saved = AppSettings().lastRunConfig();
    QVERIFY(saved);
    QCOMPARE(saved->breakpoints.size(), 2);
    QCOMPARE(saved->breakpoints.at(0).toSpec(), jupiter + u",skip=2,off"_s);
    QCOMPARE(saved->breakpoints.at(1).toSpec(), computeBudget + u",log"_s);
    QTest::keyClick(&window, Qt::Key_F10);
    QTRY_COMPARE_WITH_TIMEOUT(sessionState(window), SessionState::Completed, 60000);
    QCOMPARE(breakpoints->hits(jupiter), hitsWhenDisabled); // disabled: no more hits counted
    QVERIFY(announced(jupiter).size() > qsizetype(hitsWhenDisabled));
    QCOMPARE(verdicts(computeBudget), expectedLogs());
}

void tst_MainWindow::detailPaneShowsTheSelectedTransaction()
{
    MainWindow window;
    runDemoToCompletion(window);
    QCOMPARE(window.transactionModel()->rowCount(), 31);

    auto *table = window.findChild<QTableView *>(u"transactions"_s);
    QVERIFY(table);
    table->setCurrentIndex(table->model()->index(0, 0));
    const QString signature = table->model()->index(0, TransactionModel::SignatureColumn)
                                  .data(TransactionModel::SignatureRole).toString();
    QVERIFY(!signature.isEmpty());
    auto *detail = window.findChild<TransactionDetailView *>();
    QVERIFY(detail);
    QTRY_VERIFY_WITH_TIMEOUT(detail->overviewHtml().contains(signature), 5000);
    QVERIFY(detail->overviewHtml().contains(u"Fee"_s));
}

void tst_MainWindow::failedRunShowsOnTheSessionRow()
{
    MainWindow window;
    window.setConnectionPolicy(windowPolicy());
    window.show();
    QSignalSpy finished(&window, &MainWindow::runFinished);

    // The demo server rejects an inverted range; the error lands on the row.
    RunConfig config = demoConfig();
    config.startSlot = 1100;
    config.endSlot = 1000;
    window.startRun(config);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(sessionState(window), SessionState::Failed, 5000);
    QVERIFY2(sessionCell(window, SessionModel::LastErrorColumn).toString().contains(u"startSlot must be <= endSlot"_s),
             qPrintable(sessionCell(window, SessionModel::LastErrorColumn).toString()));
    QVERIFY(window.errorBannerText().contains(u"startSlot must be <= endSlot"_s));
    QVERIFY(!window.continueAction()->isEnabled());

    // An unreachable server: the window stays usable and a new run works.
    RunConfig unreachable = demoConfig();
    unreachable.target = RunConfig::Target::Url;
    unreachable.url = u"ws://127.0.0.1:9/backtest"_s;
    unreachable.apiKey = u"key"_s;
    unreachable.capturePath = m_dir->filePath(u"unreachable.ndjson"_s);
    window.startRun(unreachable);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 20000);
    QCOMPARE(window.sessionModel()->rowCount(), 2);
    QTRY_COMPARE_WITH_TIMEOUT(sessionState(window), SessionState::Failed, 5000);
    QVERIFY2(sessionCell(window, SessionModel::LastErrorColumn).toString().contains(u"cannot connect"_s),
             qPrintable(sessionCell(window, SessionModel::LastErrorColumn).toString()));

    RunConfig again = demoConfig();
    again.capturePath = m_dir->filePath(u"again.ndjson"_s);
    window.startRun(again);
    waitUntilSteppable(window);
    QCOMPARE(sessionState(window), SessionState::Ready);
}

void tst_MainWindow::freshCapturePathsNeverReuseAName()
{
    // Issue 9 item 1: the window proposes a name no capture has.
    const QString path = m_dir->filePath(u"run.ndjson"_s);
    QCOMPARE(freshCapturePath(path), path);
    writeEarlierCapture(path);
    QCOMPARE(freshCapturePath(path), m_dir->filePath(u"run-2.ndjson"_s));
    // An events file alone also counts as a capture.
    QFile events(CaptureWriter::eventsPathFor(m_dir->filePath(u"run-2.ndjson"_s)));
    QVERIFY(events.open(QIODevice::WriteOnly));
    events.close();
    QCOMPARE(freshCapturePath(path), m_dir->filePath(u"run-3.ndjson"_s));
    // Two default names asked for within the same second differ once the
    // first one has been written.
    const QString first = defaultCapturePath();
    writeEarlierCapture(first);
    const QString second = defaultCapturePath();
    QVERIFY(second != first);
    QFile::remove(first);
    QFile::remove(CaptureWriter::eventsPathFor(first));
}

void tst_MainWindow::existingCaptureAsksFirst()
{
    // Issue 9 item 1: the window asks before reusing a capture's name; No
    // starts nothing and keeps the files, Yes replaces them once the new run
    // has its session.
    const QString path = m_dir->filePath(u"run.ndjson"_s);
    const auto [oldCapture, oldEvents] = writeEarlierCapture(path);
    MainWindow window;
    window.setConnectionPolicy(windowPolicy());
    window.show();
    {
        QuestionAnswerer no(QMessageBox::No);
        QVERIFY(!window.startRun(demoConfig()));
        QCOMPARE(no.questions().size(), 1);
        QVERIFY2(no.questions().first().contains(u"run.ndjson"_s), qPrintable(no.questions().first()));
    }
    QVERIFY(!window.isRunning());
    QCOMPARE(window.sessionModel()->rowCount(), 0);
    QCOMPARE(fileBytes(path), oldCapture);
    QCOMPARE(fileBytes(CaptureWriter::eventsPathFor(path)), oldEvents);

    QuestionAnswerer yes(QMessageBox::Yes);
    QVERIFY(window.startRun(demoConfig()));
    QCOMPARE(yes.questions().size(), 1);
    waitUntilSteppable(window);
    QTRY_VERIFY_WITH_TIMEOUT(fileBytes(CaptureWriter::eventsPathFor(path)).contains("session_created"), 5000);
    QVERIFY(!fileBytes(path).contains("earlier"));
    QCOMPARE(QDir(m_dir->path()).entryList(QDir::Files), (QStringList{u"run.events.ndjson"_s, u"run.ndjson"_s}));
}

void tst_MainWindow::existingCaptureSurvivesAFailedRun()
{
    // Issue 9 item 1, done-when: the user agreed to replace the capture, and
    // the run fails before it had a session (API key rejected): the earlier
    // capture survives byte for byte.
    RefServerConfig serverConfig;
    serverConfig.apiKey = u"the-right-key"_s;
    serverConfig.txDir = QString::fromUtf8(SLOTSCOPE_FIXTURES_DIR);
    RefServer server(serverConfig);
    QVERIFY(server.listen());

    const QString path = m_dir->filePath(u"keep.ndjson"_s);
    const auto [oldCapture, oldEvents] = writeEarlierCapture(path);
    MainWindow window;
    window.setConnectionPolicy(windowPolicy());
    window.show();
    QSignalSpy finished(&window, &MainWindow::runFinished);
    RunConfig config = demoConfig();
    config.target = RunConfig::Target::Url;
    config.url = server.controlUrl().toString();
    config.apiKey = u"a-wrong-key"_s;
    config.capturePath = path;
    config.overwriteCapture = true; // as after the window's question, answered Yes
    QuestionAnswerer unexpected(QMessageBox::No);
    QVERIFY(window.startRun(config));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000);
    QCOMPARE(unexpected.questions(), QStringList{});
    QCOMPARE(finished.first().first().value<RunOutcome>().category, RunOutcome::Category::Auth);
    QCOMPARE(fileBytes(path), oldCapture);
    QCOMPARE(fileBytes(CaptureWriter::eventsPathFor(path)), oldEvents);
    QCOMPARE(QDir(m_dir->path()).entryList(QDir::Files), (QStringList{u"keep.events.ndjson"_s, u"keep.ndjson"_s}));
}

void tst_MainWindow::largeRangeAsksFirst()
{
    // Issue 9 item 7: a range above the limit asks; No starts nothing.
    MainWindow window;
    window.setConnectionPolicy(windowPolicy());
    window.setLargeRangeSlots(150);
    window.show();
    {
        QuestionAnswerer no(QMessageBox::No);
        QVERIFY(!window.startRun(demoConfig())); // 1000..1199: 200 slots
        QCOMPARE(no.questions().size(), 1);
        QVERIFY2(no.questions().first().contains(u"200 slots"_s), qPrintable(no.questions().first()));
    }
    QVERIFY(!window.isRunning());
    QCOMPARE(window.sessionModel()->rowCount(), 0);

    QuestionAnswerer yes(QMessageBox::Yes);
    QVERIFY(window.startRun(demoConfig()));
    QCOMPARE(yes.questions().size(), 1);
    waitUntilSteppable(window);

    // Within the limit: no question.
    window.setLargeRangeSlots(RunConfig::defaultLargeRangeSlots);
    RunConfig small = demoConfig();
    small.capturePath = m_dir->filePath(u"small.ndjson"_s);
    QVERIFY(window.startRun(small));
    QCOMPARE(yes.questions().size(), 1);
}

void tst_MainWindow::exportReportsUnreadableLines()
{
    // Issue 9 item 3: Export CSV of a capture with damaged lines says how many
    // rows it exported of how many, and that lines were unreadable.
    MainWindow window;
    runDemoToCompletion(window);
    QTRY_VERIFY_WITH_TIMEOUT(!window.isRunning(), 5000);

    // Damage the 3rd transaction line of the finished capture.
    const QString capture = window.capturePath();
    QList<QByteArray> lines = fileBytes(capture).split('\n');
    QVERIFY(lines.size() > 30);
    lines[3] = lines[3].left(120);
    QFile f(capture);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(lines.join('\n'));
    f.close();

    QTimer accept;
    accept.setInterval(20);
    connect(&accept, &QTimer::timeout, &window, [] {
        if (auto *dialog = qobject_cast<ExportDialog *>(QApplication::activeModalWidget()))
            dialog->accept();
    });
    accept.start();
    QVERIFY(window.exportAction()->isEnabled());
    window.exportAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!window.errorBannerText().isEmpty(), 10000);
    QVERIFY2(window.errorBannerText().contains(u"30 of 31 rows exported, 1 line unreadable (line 4: "_s),
             qPrintable(window.errorBannerText()));
    if (const QString dir = qEnvironmentVariable("SLOTSCOPE_SCREENSHOT_DIR"); !dir.isEmpty())
        QVERIFY(window.grab().save(QDir(dir).filePath(u"export-incomplete.png"_s)));
}

void tst_MainWindow::closingTheWindowClosesTheSessionFirst()
{
    // Issue 9 item 7: closing the window on the demo target closes the
    // client's session (closeBacktestSession: the server drops it as "session
    // closed") before the embedded server stops.
    ServerLog log;
    auto window = std::make_unique<MainWindow>();
    window->setConnectionPolicy(windowPolicy());
    window->show();
    window->startRun(demoConfig());
    waitUntilSteppable(*window);
    const QString sessionId = sessionCell(*window, SessionModel::SessionColumn, SessionIdRole).toString();
    QVERIFY(!sessionId.isEmpty());
    window->close();
    window.reset();
    QVERIFY2(log.text().contains(u"session \"%1\" dropped: \"session closed\""_s.arg(sessionId)), qPrintable(log.text()));
}

QTEST_MAIN(tst_MainWindow)
#include "tst_mainwindow.moc"
