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
#include "engine/enginehost.h"
#include "documentarea.h"
#include "exportdialog.h"
#include "accountdiffsview.h"
#include "mainwindow.h"
#include "model/discoverymodel.h"
#include "model/modelroles.h"
#include "model/protocollogmodel.h"
#include "refserver/refserver.h"
#include "rundialog.h"
#include "sessionlabels.h"
#include "support/capturefiles.h"
#include "model/sessionmodel.h"
#include "model/transactionmodel.h"
#include "net/connectionpolicy.h"
#include "support/policies.h"
#include "support/waiting.h"
#include "support/widgettesthelpers.h"
#include "transactiondetailview.h"

#include <QAbstractItemView>
#include <QAction>
#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QLabel>
#include <QLineEdit>
#include <QLoggingCategory>
#include <QMenu>
#include <QMessageBox>
#include <QMutex>
#include <QPushButton>
#include <QRadioButton>
#include <QTimer>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStatusBar>
#include <QTest>
#include <QTextBrowser>
#include <QToolBar>
#include <QToolButton>
#include <QTreeView>
#include <QWindow>
#include <QHeaderView>

#include <algorithm>
#include <cerrno>
#include <climits>

#if defined(Q_OS_LINUX)
#include <csignal>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

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

/// Answers every Export CSV dialog that opens: points it at `csvPath` (unless
/// empty) and accepts it; the dialogs after the first `accepts` are cancelled.
class ExportDialogAnswerer : public QObject
{
public:
    /// `scope`: the object name of a scope to choose ("subSessionScope", …).
    explicit ExportDialogAnswerer(const QString &csvPath = {}, int accepts = INT_MAX, const QString &scope = {})
    {
        m_timer.setInterval(20);
        connect(&m_timer, &QTimer::timeout, this, [this, csvPath, accepts, scope] {
            auto *dialog = qobject_cast<ExportDialog *>(QApplication::activeModalWidget());
            if (!dialog)
                return;
            if (!csvPath.isEmpty())
                dialog->findChild<QLineEdit *>(u"csvPath"_s)->setText(csvPath);
            if (!scope.isEmpty()) {
                auto *choice = dialog->findChild<QRadioButton *>(scope);
                QVERIFY(choice && choice->isEnabled());
                choice->setChecked(true);
            }
            ++m_answered <= accepts ? dialog->accept() : dialog->reject();
        });
        m_timer.start();
    }
    int answered() const { return m_answered; }

private:
    QTimer m_timer;
    int m_answered = 0;
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
    void pauseEndsRunToEndAndKeepsTheSessionOpen();
    void engineThreadYieldsToTheGuiThread();
    void continueToPausesBeforeTheSelectedDiscovery();
    void continueToATypedSlotOutsideTheSessionRefusesOrAsks();
    void aBatchInTheSlotAStepRanIsPassed();
    void aHalfTypedAdvanceIsNotStepped();
    void runActionsFromACaptureTabBringTheLiveRunForward();
    void runToNextDiscoveryHonoursBreakpoints();
    void detailPaneShowsTheSelectedTransaction();
    void failedRunShowsOnTheSessionRow();
    // Issue 9: nothing lost, nothing hidden.
    void freshCapturePathsNeverReuseAName();
    void existingCaptureAsksFirst();
    void existingCaptureSurvivesAFailedRun();
    void aStopTheServerNeverHeardIsSaid();
    void largeRangeAsksFirst();
    void exportReportsUnreadableLines();
    void aRunThatCannotOpenItsCaptureNamesNoOtherFile();
    void exportOntoAFullDiskIsAnError();
    void aFullDiskDuringARunCountsWhatTheCaptureKept();
    void exportAsksBeforeReplacingACsv();
    void exportNeverReplacesItsCapture();
    void closingTheWindowClosesTheSessionFirst();
    // Issue 8: what a 0.31 session waits for.
    void sessionsTreeShowsWhatTheSessionWaitsFor();
    void droppedFramesAreCountedAndShown();
    void replayGapIsNamedAndShown();
    void newRunMidRunStopsTheOldOneAndDrivesTheNew();
    void newRunWithAnUnwritableCaptureKeepsTheLiveRun();
    void aBatchStaysSteppableWhenOneSubSessionCompletes();
    void quitDuringARunAsksFirst_data();
    void quitDuringARunAsksFirst();
    void aFailedCaptureClosesTheSockets();

private:
    RunConfig demoConfig() const;
    void waitUntilSteppable(MainWindow &window);
    /// Shows `window` (exposed) and starts the demo run in it, until it can step.
    void startSteppableDemo(MainWindow &window);
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

void tst_MainWindow::startSteppableDemo(MainWindow &window)
{
    window.setConnectionPolicy(windowPolicy());
    QVERIFY(TestSupport::showAndWaitExposed(window));
    window.startRun(demoConfig());
    waitUntilSteppable(window);
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
    QVERIFY(TestSupport::showAndWaitExposed(window));
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
        QuestionAnswerer stop(QMessageBox::Yes);
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

void tst_MainWindow::pauseEndsRunToEndAndKeepsTheSessionOpen()
{
    MainWindow window;
    window.setConnectionPolicy(windowPolicy());
    QVERIFY(TestSupport::showAndWaitExposed(window));
    RunConfig config = demoConfig();
    config.advanceCount = 10; // a step of ten demo slots takes ~150 ms: time to pause mid-run
    window.startRun(config);
    waitUntilSteppable(window);
    QVERIFY(!window.pauseAction()->isEnabled()); // nothing drives the session yet
    QVERIFY(toolButtonFor(window, window.pauseAction()));

    window.runToEndAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(window.pauseAction()->isEnabled(), 20000);
    QVERIFY(!window.runToEndAction()->isEnabled()); // already running to end
    QVERIFY2(sessionCell(window, SessionModel::StateColumn).toString().endsWith(u"(run to end)"_s),
             qPrintable(sessionCell(window, SessionModel::StateColumn).toString()));
    QTRY_VERIFY_WITH_TIMEOUT(currentSlot(window) >= 1020, 20000);

    // F6: the step in flight finishes, then the session waits, still open.
    QTest::keyClick(&window, Qt::Key_F6);
    QTRY_VERIFY_WITH_TIMEOUT(sessionState(window) == SessionState::Ready && !window.pauseAction()->isEnabled(),
                             20000);
    const quint64 pausedAt = currentSlot(window);
    QVERIFY2(pausedAt < 1100, qPrintable(QString::number(pausedAt)));
    QCOMPARE((pausedAt - 1000 + 1) % 10, quint64(0)); // whole steps of ten
    QCOMPARE(sessionCell(window, SessionModel::StateColumn).toString(), u"Ready"_s);
    QVERIFY(window.continueAction()->isEnabled());
    QVERIFY(window.runToEndAction()->isEnabled());
    QTest::qWait(500); // driven, it would have run another ~30 slots
    QCOMPARE(currentSlot(window), pausedAt);
    QVERIFY(window.isRunning());

    // The same session goes on to its end.
    window.runToEndAction()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(sessionState(window), SessionState::Completed, 30000);
    QCOMPARE(window.transactionModel()->rowCount(), 31);
    QCOMPARE(window.sessionModel()->rowCount(), 1);
    QVERIFY(!window.pauseAction()->isEnabled());
}

void tst_MainWindow::engineThreadYieldsToTheGuiThread()
{
    // EngineHost::ThreadPriority: the window's engine thread (and the capture
    // writer's, which inherits from it) runs 10 nice steps below the GUI
    // thread, so a busy batch does not stall the window; a headless run's
    // engine keeps its creator's priority.
#if !defined(Q_OS_LINUX)
    QSKIP("a nice value per thread is Linux's");
#else
    const auto engineNices = [] {
        QList<int> nices;
        const QDir tasks(u"/proc/self/task"_s);
        for (const QString &task : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
            QFile comm(tasks.filePath(task + u"/comm"_s));
            if (comm.open(QIODevice::ReadOnly) && comm.readAll().trimmed() == "engine")
                nices.append(getpriority(PRIO_PROCESS, id_t(task.toInt())));
        }
        return nices;
    };
    const int guiNice = getpriority(PRIO_PROCESS, id_t(gettid()));
    {
        MainWindow window;
        QTRY_COMPARE(engineNices(), QList<int>{std::min(guiNice + 10, 19)});
    }
    QTRY_COMPARE(engineNices(), QList<int>{});
    EngineHost headless;
    QTest::qWait(50); // a queued priority change would have run by now
    QCOMPARE(engineNices(), QList<int>{guiNice});
#endif
}

void tst_MainWindow::aBatchInTheSlotAStepRanIsPassed()
{
    // Continue N through the slot of the first announced batch: the session
    // is at that slot, which has run (slotNotification: "has just executed"),
    // so its batch reads Passed, not Ahead, and Continue To it is refused here.
    MainWindow window;
    window.setConnectionPolicy(windowPolicy());
    window.show();
    window.startRun(demoConfig());
    waitUntilSteppable(window);
    QTRY_VERIFY_WITH_TIMEOUT(window.discoveryModel()->rowCount() > 0, 20000);
    const DiscoveryBatchEvent batch = window.discoveryModel()->batchAt(0);
    const quint64 at = currentSlot(window);
    QVERIFY(batch.slot >= at);
    QCOMPARE(window.discoveryModel()->stateAt(0), DiscoveryModel::BatchState::Ahead);
    window.findChild<QSpinBox *>(u"advanceCount"_s)->setValue(int(batch.slot - at + 1)); // from the next slot, `at`
    window.continueAction()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(currentSlot(window), batch.slot, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(sessionState(window), SessionState::Ready, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(window.discoveryModel()->stateAt(0), DiscoveryModel::BatchState::Passed, 5000);
    auto *discoveryView = window.findChild<QTableView *>(u"discoveries"_s);
    discoveryView->selectRow(0);
    QTest::keyClick(&window, Qt::Key_F10, Qt::ControlModifier);
    QVERIFY2(window.statusBar()->currentMessage().contains(u"is behind the session"_s),
             qPrintable(window.statusBar()->currentMessage()));
    QTest::qWait(300);
    QCOMPARE(currentSlot(window), batch.slot); // not sent
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
    {
        // Typed, the batch it is paused before is refused as its row is.
        auto *target = window.findChild<QLineEdit *>(u"continueTarget"_s);
        QTRY_VERIFY_WITH_TIMEOUT(window.continueAction()->isEnabled(), 20000);
        target->setText(u"%1/%2"_s.arg(batch.slot).arg(batch.batchIndex));
        QTest::keyClick(target, Qt::Key_Return);
        QVERIFY2(window.statusBar()->currentMessage().startsWith(u"The session is already paused before batch"_s),
                 qPrintable(window.statusBar()->currentMessage()));
        target->clear();
    }

    // The next batch is announced. Sorted latest slot first (a header click),
    // it is the first row and the one reached the second: Continue To steps
    // to the batch the selected row shows, not to the model's row of that number.
    QTRY_VERIFY_WITH_TIMEOUT(window.discoveryModel()->rowCount() > 1, 20000);
    const DiscoveryBatchEvent next = window.discoveryModel()->batchAt(1);
    QVERIFY(next.slot > batch.slot || next.batchIndex > batch.batchIndex);
    // (Two batches of one slot differ in their batch index.)
    const int column = next.slot > batch.slot ? DiscoveryModel::SlotColumn : DiscoveryModel::BatchIndexColumn;
    QHeaderView *header = discoveryView->horizontalHeader();
    const QPoint onColumn(header->sectionViewportPosition(column) + 5, header->height() / 2);
    QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, onColumn);
    QCOMPARE(header->sortIndicatorSection(), column);
    if (header->sortIndicatorOrder() == Qt::AscendingOrder)
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, onColumn);
    QCOMPARE(header->sortIndicatorOrder(), Qt::DescendingOrder);
    const auto batchOfRow = [&](int row) {
        const QModelIndex index = discoveryView->model()->index(row, 0);
        return std::pair(index.data(DiscoveryModel::SlotRole).toULongLong(),
                         index.data(DiscoveryModel::BatchIndexRole).toUInt());
    };
    QCOMPARE(batchOfRow(0), std::pair(next.slot, next.batchIndex));
    QCOMPARE(batchOfRow(1), std::pair(batch.slot, batch.batchIndex));
    QTRY_VERIFY_WITH_TIMEOUT(window.continueToAction()->isEnabled(), 10000);
    discoveryView->selectRow(0);
    QTest::keyClick(&window, Qt::Key_F10, Qt::ControlModifier);
    QTRY_COMPARE_WITH_TIMEOUT(window.discoveryModel()->stateAt(1), DiscoveryModel::BatchState::Reached, 20000);
    QCOMPARE(currentSlot(window), next.slot);

    // A selected batch the session has passed is refused with a word, not
    // sent for the server to refuse.
    QTRY_VERIFY_WITH_TIMEOUT(window.continueToAction()->isEnabled(), 10000);
    const auto selectBatch = [&](const DiscoveryBatchEvent &wanted) {
        for (int row = 0; row < discoveryView->model()->rowCount(); ++row) {
            if (batchOfRow(row) == std::pair(wanted.slot, wanted.batchIndex)) {
                discoveryView->selectRow(row);
                return true;
            }
        }
        return false;
    };
    QVERIFY(selectBatch(batch)); // behind
    QTest::keyClick(&window, Qt::Key_F10, Qt::ControlModifier);
    QVERIFY2(window.statusBar()->currentMessage().contains(u"is behind the session"_s),
             qPrintable(window.statusBar()->currentMessage()));
    QVERIFY(selectBatch(next)); // where the session is paused
    QTest::keyClick(&window, Qt::Key_F10, Qt::ControlModifier);
    QVERIFY2(window.statusBar()->currentMessage().contains(u"already paused before batch"_s),
             qPrintable(window.statusBar()->currentMessage()));
    // A slot typed while a batch is selected: Return, or Continue To with the
    // focus still in the box, goes to what was typed.
    auto *typed = window.findChild<QLineEdit *>(u"continueTarget"_s);
    QVERIFY(typed);
    const quint64 typedSlot = next.slot + 3;
    typed->setFocus();
    typed->setText(QString::number(typedSlot));
    QTest::keyClick(typed, Qt::Key_F10, Qt::ControlModifier);
    // The step taken: what was said against the one before is gone.
    QVERIFY2(!window.statusBar()->currentMessage().contains(u"already paused before batch"_s),
             qPrintable(window.statusBar()->currentMessage()));
    QTRY_VERIFY_WITH_TIMEOUT(currentSlot(window) >= typedSlot - 1, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(window.continueToAction()->isEnabled(), 10000);
    typed->setText(QString::number(typedSlot + 3));
    QTest::keyClick(typed, Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(currentSlot(window) >= typedSlot + 2, 20000);
    QVERIFY(currentSlot(window) < typedSlot + 10); // not to the end, nor a batch
}

void tst_MainWindow::continueToATypedSlotOutsideTheSessionRefusesOrAsks()
{
    // A typo in the Continue To box: a slot behind the session is refused
    // with a message; one past its end asks before running it out.
    MainWindow window;
    window.setConnectionPolicy(windowPolicy());
    window.show();
    window.startRun(demoConfig());
    waitUntilSteppable(window);
    auto *target = window.findChild<QLineEdit *>(u"continueTarget"_s);
    QVERIFY(target);
    const quint64 before = currentSlot(window);
    QCOMPARE(before, 1000u);

    // Not a slot at all: it says what it read, and typing replaces it.
    target->setText(u"1O83"_s);
    QTest::keyClick(target, Qt::Key_Return);
    QVERIFY2(window.statusBar()->currentMessage().startsWith(u"“1O83” is no target: type a slot"_s),
             qPrintable(window.statusBar()->currentMessage()));
    QCOMPARE(target->selectedText(), u"1O83"_s);

    target->setText(u"999"_s);
    QTest::keyClick(target, Qt::Key_Return);
    QVERIFY2(window.statusBar()->currentMessage().contains(u"Slot 999 is behind the session, which is at slot 1000"_s),
             qPrintable(window.statusBar()->currentMessage()));
    // Another refusal replaces it; any step asked for (even one that is then
    // asked about) clears it.
    {
        QuestionAnswerer no(QMessageBox::No);
        target->setText(u"5000"_s);
        QTest::keyClick(target, Qt::Key_Return);
        QCOMPARE(no.questions().size(), 1);
        QVERIFY2(no.questions().constFirst().contains(u"Slot 5000 is past the session's last slot 1199"_s),
                 qPrintable(no.questions().constFirst()));
    }
    QCOMPARE(window.statusBar()->currentMessage(), QString());
    QTest::qWait(500);
    QCOMPARE(currentSlot(window), before); // neither was sent
    QVERIFY(window.continueAction()->isEnabled());

    // The slot the session just executed has run: refused here too (the
    // server would refuse it), and not sent.
    window.continueAction()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(currentSlot(window), 1009u, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(sessionState(window), SessionState::Ready, 20000);
    for (const QString &typed : {u"1009"_s, u"1009/0"_s}) {
        target->setText(typed);
        QTest::keyClick(target, Qt::Key_Return);
        QVERIFY2(window.statusBar()->currentMessage().startsWith(
                     u"Slot %1 has run already (the session is at slot 1009)"_s.arg(typed)),
                 qPrintable(window.statusBar()->currentMessage()));
    }
    QTest::qWait(300);
    QCOMPARE(currentSlot(window), 1009u);
    // One that reaches the server anyway (as a held step could): its refusal
    // is said in the status bar, not only in the console.
    auto *engine = window.findChild<EngineHost *>();
    QVERIFY(engine);
    engine->continueTo(1009, -1);
    QTRY_VERIFY2_WITH_TIMEOUT(window.statusBar()->currentMessage().startsWith(u"The server refused the step: "_s),
                              qPrintable(window.statusBar()->currentMessage()), 10000);
    QVERIFY2(window.statusBar()->currentMessage().contains(u"1009"_s), qPrintable(window.statusBar()->currentMessage()));
    QTRY_VERIFY_WITH_TIMEOUT(window.continueAction()->isEnabled(), 5000); // where it was, steppable
    QCOMPARE(currentSlot(window), 1009u);

    {
        QuestionAnswerer yes(QMessageBox::Yes);
        target->setText(u"5000"_s);
        QTest::keyClick(target, Qt::Key_Return);
        QCOMPARE(yes.questions().size(), 1);
    }
    QTRY_COMPARE_WITH_TIMEOUT(sessionState(window), SessionState::Completed, 30000);
    QCOMPARE(currentSlot(window), 1199u);
    {
        // The run has ended: Enter in the box says so, and asks nothing
        // (it offered to run the completed session "to its end").
        QTRY_VERIFY_WITH_TIMEOUT(!window.isRunning(), 10000);
        // Its capture is on File ▸ Open Recent, to reopen without a search.
        QVERIFY(AppSettings().recentCaptures().contains(QFileInfo(demoConfig().capturePath).absoluteFilePath()));
        QuestionAnswerer unexpected(QMessageBox::No);
        target->setText(u"5000"_s);
        QTest::keyClick(target, Qt::Key_Return);
        QTest::qWait(100);
        QCOMPARE(unexpected.questions(), QStringList{});
        QVERIFY2(window.statusBar()->currentMessage().startsWith(u"No run is live, so there is nothing to step"_s),
                 qPrintable(window.statusBar()->currentMessage()));
    }

    // The window's Ctrl+E (Export CSV) works from the field too, which takes
    // it as "end of line" in X11's key scheme. (Offscreen's scheme does not:
    // a filter on the field claims it as QLineEdit does under X11.)
    QVERIFY(window.exportAction()->isEnabled());
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    target->setFocus();
    QTRY_COMPARE(QApplication::focusWidget(), target);
    struct ClaimsCtrlE : QObject
    {
        bool eventFilter(QObject *, QEvent *event) override
        {
            if (event->type() == QEvent::ShortcutOverride
                && static_cast<QKeyEvent *>(event)->keyCombination() == (Qt::CTRL | Qt::Key_E))
                event->accept();
            return false;
        }
    } x11LineEdit;
    target->installEventFilter(&x11LineEdit);
    ExportDialogAnswerer cancel({}, 0);
    target->setText(u"1083"_s);
    target->setCursorPosition(0);
    QTest::keyClick(target, Qt::Key_E, Qt::ControlModifier);
    QTRY_COMPARE_WITH_TIMEOUT(cancel.answered(), 1, 5000);
    QCOMPARE(target->cursorPosition(), 0);
    QTest::keyClick(target, Qt::Key_End);
    QCOMPARE(target->cursorPosition(), 4);

    // A table's cell editor keeps Ctrl+E: an export there would end the edit.
    auto *transactions = window.findChild<QTableView *>(u"transactions"_s);
    QVERIFY(transactions);
    auto *cellEditor = new QLineEdit(transactions->viewport());
    cellEditor->installEventFilter(&x11LineEdit);
    const auto overrideReaches = [](QWidget *widget) {
        QKeyEvent override(QEvent::ShortcutOverride, Qt::Key_E, Qt::ControlModifier);
        override.ignore();
        QCoreApplication::sendEvent(widget, &override);
        return override.isAccepted(); // claimed by the X11 stand-in: it got there
    };
    QVERIFY(overrideReaches(cellEditor));
    QVERIFY(!overrideReaches(target));
    delete cellEditor;
}

void tst_MainWindow::runActionsFromACaptureTabBringTheLiveRunForward()
{
    // With a capture's tab in front the live run's docks step aside; F5 there
    // once stepped the live run unseen. It still steps it, in view.
    MainWindow window;
    startSteppableDemo(window);
    auto *sessionsDock = window.findChild<QDockWidget *>(u"sessions"_s);
    QVERIFY(sessionsDock && sessionsDock->isVisible());
    window.openCapture(window.capturePath()); // the live run's own, as far as it goes
    QCOMPARE(window.documentArea()->count(), 2);
    QCOMPARE(window.documentArea()->currentIndex(), 1);
    QVERIFY(!sessionsDock->isVisible());

    window.continueAction()->trigger();
    QCOMPARE(window.documentArea()->currentIndex(), 0);
    QVERIFY(sessionsDock->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(currentSlot(window) > 1000, 20000);
    QCOMPARE(window.documentArea()->count(), 2); // the capture stays open behind
    waitUntilSteppable(window);

    // A question a step asks comes over the live run, not over the capture
    // (the tab once changed only after it was answered), whether Continue To
    // or Enter in its target box asked for the step.
    auto *target = window.findChild<QLineEdit *>(u"continueTarget"_s);
    QVERIFY(target);
    QList<int> tabsUnderQuestions;
    QTimer answerer;
    connect(&answerer, &QTimer::timeout, &window, [&] {
        if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget())) {
            tabsUnderQuestions << window.documentArea()->currentIndex();
            box->button(QMessageBox::No)->click();
        }
    });
    answerer.start(20);
    target->setText(u"999999"_s); // past the demo session's last slot: "Run the session to its end?"
    window.documentArea()->setCurrentIndex(1);
    window.continueToAction()->trigger();
    QTRY_COMPARE(tabsUnderQuestions.size(), 1);
    window.documentArea()->setCurrentIndex(1);
    QTest::keyClick(target, Qt::Key_Return);
    QTRY_COMPARE(tabsUnderQuestions.size(), 2);
    QCOMPARE(tabsUnderQuestions, (QList<int>{0, 0}));

    // A new run started from a capture's tab is shown, not started behind it.
    window.documentArea()->setCurrentIndex(1);
    RunConfig next = demoConfig();
    next.capturePath = m_dir->filePath(u"next.ndjson"_s);
    answerer.stop();
    QuestionAnswerer yes(QMessageBox::Yes); // stop the live run for it
    QVERIFY(window.startRun(next));
    QCOMPARE(window.documentArea()->currentIndex(), 0);
    QVERIFY(sessionsDock->isVisible());
    waitUntilSteppable(window);
}

void tst_MainWindow::aHalfTypedAdvanceIsNotStepped()
{
    // "0" typed over the Advance box shows "0 slots" while the spin box still
    // holds 10: Continue once stepped 10 without a word.
    MainWindow window;
    window.setConnectionPolicy(windowPolicy());
    window.show();
    window.startRun(demoConfig());
    waitUntilSteppable(window);
    auto *advance = window.findChild<QSpinBox *>(u"advanceCount"_s);
    QVERIFY(advance);
    advance->setFocus();
    advance->selectAll();
    QTest::keyClick(advance, Qt::Key_0);
    QVERIFY(!advance->hasAcceptableInput());
    window.continueAction()->trigger();
    QVERIFY2(window.statusBar()->currentMessage().startsWith(u"Advance “0” is no slot count"_s),
             qPrintable(window.statusBar()->currentMessage()));
    QTest::qWait(300);
    QCOMPARE(currentSlot(window), 1000u); // nothing sent
    QCOMPARE(sessionState(window), SessionState::Ready);

    QTest::keyClick(advance, Qt::Key_3); // "3": a count again
    QVERIFY(advance->hasAcceptableInput());
    window.continueAction()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(currentSlot(window), 1002u, 20000);
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
    // A socket that failed stays Failed (not Closed) when the run ends.
    QVERIFY2(sessionCell(window, SessionModel::ControlColumn).toString().startsWith(u"Failed: cannot connect"_s),
             qPrintable(sessionCell(window, SessionModel::ControlColumn).toString()));

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
    RefServerConfig serverConfig{.apiKey = u"the-right-key"_s, .txDir = QString::fromUtf8(SLOTSCOPE_FIXTURES_DIR)};
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

void tst_MainWindow::aStopTheServerNeverHeardIsSaid()
{
    // The close goes out on the control socket: with the server gone it is
    // never told, and keeps the session until its disconnect timeout. Said
    // after Stop, and after a new run replaced the live one.
    auto server = std::make_unique<RefServer>(
        RefServerConfig{.apiKey = u"window-key"_s, .txDir = QString::fromUtf8(SLOTSCOPE_FIXTURES_DIR)});
    QVERIFY(server->listen());
    MainWindow window;
    ConnectionPolicy policy = windowPolicy();
    policy.maxAttempts = 100; // still retrying when stopped or replaced
    policy.maxTotal = milliseconds{60'000};
    window.setConnectionPolicy(policy);
    QVERIFY(TestSupport::showAndWaitExposed(window));
    RunConfig config = demoConfig();
    config.target = RunConfig::Target::Url;
    config.url = server->controlUrl().toString();
    config.apiKey = u"window-key"_s;
    config.drive = RunConfig::Drive::Manual;
    auto *label = window.findChild<QLabel *>(u"connectionStatus"_s);
    QVERIFY(label);
    const auto startAndLoseTheServer = [&](const QString &capture) {
        config.capturePath = m_dir->filePath(capture);
        QVERIFY(window.startRun(config));
        waitUntilSteppable(window);
        server.reset();
        QTRY_VERIFY_WITH_TIMEOUT(label->text().startsWith(u"Control: Down"_s), 20000);
    };

    startAndLoseTheServer(u"gone.ndjson"_s);
    {
        // Asked first: No keeps the run, Yes stops it.
        QuestionAnswerer keep(QMessageBox::No);
        window.stopAction()->trigger();
        QVERIFY(window.isRunning());
        QCOMPARE(keep.questions().size(), 1);
        QVERIFY2(keep.questions().first().contains(u"cannot be resumed"_s), qPrintable(keep.questions().first()));
    }
    QuestionAnswerer stop(QMessageBox::Yes);
    window.stopAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!window.isRunning(), 10000);
    QVERIFY2(label->text().endsWith(u" · the server was not told: it keeps the session until its disconnect timeout"_s),
             qPrintable(label->text()));
    QVERIFY2(label->toolTip().contains(u"disconnect timeout"_s), qPrintable(label->toolTip()));

    server = std::make_unique<RefServer>(
        RefServerConfig{.apiKey = u"window-key"_s, .txDir = QString::fromUtf8(SLOTSCOPE_FIXTURES_DIR)});
    QVERIFY(server->listen());
    config.url = server->controlUrl().toString();
    startAndLoseTheServer(u"gone-again.ndjson"_s);
    QuestionAnswerer yes(QMessageBox::Yes); // stop the live run for the new one
    QVERIFY(window.startRun(demoConfig()));
    QTRY_VERIFY2_WITH_TIMEOUT(window.statusBar()->currentMessage().startsWith(
                                  u"The run before: stopped by the user; the server could not be told"_s),
                              qPrintable(window.statusBar()->currentMessage()), 10000);
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

    // Within the limit: no range question (only whether to stop the live run).
    window.setLargeRangeSlots(RunConfig::defaultLargeRangeSlots);
    RunConfig small = demoConfig();
    small.capturePath = m_dir->filePath(u"small.ndjson"_s);
    QVERIFY(window.startRun(small));
    QCOMPARE(yes.questions().size(), 2);
    QVERIFY2(yes.questions().last().startsWith(u"A run is in progress"_s), qPrintable(yes.questions().last()));
    QVERIFY2(yes.questions().last().contains(u"Its session is closed on the server;"_s), qPrintable(yes.questions().last()));
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

    ExportDialogAnswerer accept;
    QVERIFY(window.exportAction()->isEnabled());
    window.exportAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!window.errorBannerText().isEmpty(), 10000);
    QVERIFY2(window.errorBannerText().contains(u"30 of 31 rows exported, 1 line unreadable (line 4: "_s),
             qPrintable(window.errorBannerText()));
    if (const QString dir = qEnvironmentVariable("SLOTSCOPE_SCREENSHOT_DIR"); !dir.isEmpty())
        QVERIFY(window.grab().save(QDir(dir).filePath(u"export-incomplete.png"_s)));
}

void tst_MainWindow::aRunThatCannotOpenItsCaptureNamesNoOtherFile()
{
    // The run before's capture once stayed in the status bar (and in Export)
    // beside the failed run's "0 transactions".
    MainWindow window;
    runDemoToCompletion(window);
    QTRY_VERIFY_WITH_TIMEOUT(!window.isRunning(), 5000);
    auto *label = window.findChild<QLabel *>(u"captureFile"_s);
    QVERIFY(label);
    QVERIFY(label->text().endsWith(u".ndjson"_s));
    QVERIFY(window.exportAction()->isEnabled());

    RunConfig config = demoConfig();
    // Past the check before the start (the capture's folder is there), but
    // its events file's name is taken by a folder: refused by the capture
    // writer itself, after "Replace capture?" was answered Yes.
    QTemporaryDir dir;
    config.capturePath = dir.filePath(u"run.ndjson"_s);
    QVERIFY(QDir(dir.path()).mkdir(u"run.events.ndjson"_s));
    QSignalSpy finished(&window, &MainWindow::runFinished);
    QuestionAnswerer yes(QMessageBox::Yes);
    window.startRun(config);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    QVERIFY2(window.errorBannerText().contains(u"capture"_s), qPrintable(window.errorBannerText()));
    QCOMPARE(label->text(), QString());
    QVERIFY(!window.exportAction()->isEnabled());
}

void tst_MainWindow::exportOntoAFullDiskIsAnError()
{
    // A CSV export that cannot be written says so in the error banner, with
    // the system's reason; nothing claims it was exported.
    MainWindow window;
    // (The Account Diffs dock's Export CSV… as the toolbar's: off without a capture.)
    QToolButton *diffsExport = nullptr;
    for (QToolButton *button : window.accountDiffsView()->findChildren<QToolButton *>()) {
        if (button->text() == u"Export CSV…"_s)
            diffsExport = button;
    }
    QVERIFY(diffsExport && !diffsExport->isEnabled());
    runDemoToCompletion(window);
    QVERIFY(diffsExport->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(!window.isRunning(), 5000);
    QTemporaryDir dir;
    {
        ExportDialogAnswerer accept(dir.filePath(u"full.csv"_s));
        FileSizeLimit full(4096); // the 31 rows need more
        QVERIFY(full.ok());
        window.exportAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!window.errorBannerText().isEmpty(), 10000);
        QVERIFY2(window.errorBannerText().startsWith(u"CSV export failed: "_s)
                     && window.errorBannerText().contains(qt_error_string(EFBIG)),
                 qPrintable(window.errorBannerText()));
        QVERIFY(!window.statusBar()->currentMessage().startsWith(u"Exported"_s));
    }
    // Room again: the export that works takes the failed one's banner down
    // (it once stayed up, undismissable, until the next run).
    {
        ExportDialogAnswerer accept(dir.filePath(u"fine.csv"_s));
        window.exportAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(window.statusBar()->currentMessage().startsWith(u"Exported"_s), 10000);
        QCOMPARE(window.errorBannerText(), QString());
    }
    // Any banner has a Dismiss link.
    {
        FileSizeLimit full(4096);
        ExportDialogAnswerer accept(dir.filePath(u"full-again.csv"_s));
        window.exportAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!window.errorBannerText().isEmpty(), 10000);
    }
    auto *banner = window.findChild<QLabel *>(u"errorBanner"_s);
    QVERIFY(banner && banner->isVisible());
    QVERIFY(banner->text().contains(u"<a href=\"dismiss\">Dismiss</a>"_s));
    Q_EMIT banner->linkActivated(u"dismiss"_s);
    QVERIFY(!banner->isVisible());
    QCOMPARE(window.errorBannerText(), QString());
}

void tst_MainWindow::aFullDiskDuringARunCountsWhatTheCaptureKept()
{
    // The disk fills mid-run: the run fails with the system's reason, and the
    // status bar counts the transactions the capture holds, not the ones
    // that arrived (the chunk the disk refused was cut off again).
    MainWindow window;
    window.setConnectionPolicy(windowPolicy());
    window.show();
    const RunConfig config = demoConfig();
    FileSizeLimit full(64 << 10); // a few of the 31 transactions' ~18 KB lines
    QVERIFY(full.ok());
    window.startRun(config);
    waitUntilSteppable(window);
    window.runToEndAction()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(sessionState(window), SessionState::Failed, 30000);
    QVERIFY2(window.errorBannerText().contains(u"capture write failed"_s), qPrintable(window.errorBannerText()));
    const CaptureContents kept = readCapture(config.capturePath);
    QVERIFY(kept.transactions > 0 && kept.transactions < 31);
    const QString counted = window.findChild<QLabel *>(u"capturedStatus"_s)->text();
    QVERIFY2(counted.startsWith(u"%1 transaction"_s.arg(kept.transactions)),
             qPrintable(u"%1 (the file holds %2)"_s.arg(counted).arg(kept.transactions)));
}

void tst_MainWindow::exportAsksBeforeReplacingACsv()
{
    // Export CSV onto an existing file asks first: No keeps the file and
    // leaves the dialog open (here: then cancelled), Yes replaces it.
    MainWindow window;
    runDemoToCompletion(window);
    QTRY_VERIFY_WITH_TIMEOUT(!window.isRunning(), 5000);
    QTemporaryDir dir;
    const QString csv = dir.filePath(u"earlier.csv"_s);
    QFile earlier(csv);
    QVERIFY(earlier.open(QIODevice::WriteOnly) && earlier.write("earlier export\n") > 0);
    earlier.close();
    {
        ExportDialogAnswerer once(csv, 1);
        QuestionAnswerer no(QMessageBox::No);
        window.exportAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(once.answered(), 2, 5000); // asked, kept open, then cancelled
        QCOMPARE(no.questions(), QStringList{u"%1 already exists. Replace it?"_s.arg(csv)});
        QCOMPARE(fileBytes(csv), QByteArray("earlier export\n"));
    }
    ExportDialogAnswerer accept(csv);
    QuestionAnswerer yes(QMessageBox::Yes);
    window.exportAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(window.statusBar()->currentMessage().startsWith(u"Exported to "_s), 10000);
    QCOMPARE(yes.questions().size(), 1);
    QVERIFY(fileBytes(csv).startsWith(CsvExporter::header(ExportRequest::Kind::Transactions)));
}

void tst_MainWindow::exportNeverReplacesItsCapture()
{
    // A CSV pointed at the run's own capture (or its events file), even
    // after a Yes to "Replace?", is refused: the capture stays what it was
    // and the dialog stays open (here: then cancelled).
    MainWindow window;
    runDemoToCompletion(window);
    QTRY_VERIFY_WITH_TIMEOUT(!window.isRunning(), 5000);
    const QString capture = window.capturePath();
    const QString events = CaptureWriter::eventsPathFor(capture);
    const QByteArray captured = fileBytes(capture);
    const QByteArray logged = fileBytes(events);
    QVERIFY(captured.startsWith(R"({"type":"metadata")"));
    for (const QString &target : {capture, events}) {
        ExportDialogAnswerer once(target, 1);
        QuestionAnswerer yes(QMessageBox::Yes);
        window.exportAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(once.answered(), 2, 5000); // refused, kept open, then cancelled
        QCOMPARE(yes.questions(), QStringList{u"%1 belongs to the capture this CSV is made from. Choose another file."_s.arg(target)});
    }
    QCOMPARE(fileBytes(capture), captured);
    QCOMPARE(fileBytes(events), logged);
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

void tst_MainWindow::sessionsTreeShowsWhatTheSessionWaitsFor()
{
    // Issue 8, done-when: the window shows a session waiting for capacity, a
    // named session, a paused session waiting for its readyForContinue, and a
    // simulation-error count (wire 0.31). With SLOTSCOPE_SCREENSHOT_DIR set,
    // each of them is saved there.
    RefServerConfig serverConfig{.apiKey = u"window-key"_s, .txDir = QString::fromUtf8(SLOTSCOPE_FIXTURES_DIR),
                                 .wire = WireVersion::V0_31, .startupDelayMs = 2600, .startingRuntimeIntervalMs = 500,
                                 .readyAfterPausedMs = 1500, .simulationErrorEvery = 2};
    RefServer server(serverConfig);
    QVERIFY(server.listen());

    MainWindow window;
    window.setConnectionPolicy(windowPolicy());
    QVERIFY(TestSupport::showAndWaitExposed(window, {1500, 900}));
    RunConfig config = demoConfig();
    config.target = RunConfig::Target::Url;
    config.url = server.controlUrl().toString();
    config.apiKey = serverConfig.apiKey;
    config.name = u"SOL-USDC-Baseline"_s;
    config.drive = RunConfig::Drive::PauseAtDiscoveries;
    config.discoverPrograms = {QString::fromLatin1(JupiterV6)};
    config.pauseAtDiscoveries = true;
    QVERIFY(window.startRun(config));
    const QString dir = qEnvironmentVariable("SLOTSCOPE_SCREENSHOT_DIR");
    auto save = [&](const QString &name) {
        if (!dir.isEmpty()) {
            // Bring Simulation errors (right of Duplicates) into view.
            auto *tree = window.findChild<QAbstractItemView *>(u"sessions"_s);
            const SessionModel *model = window.sessionModel();
            if (tree && model->rowCount() > 0)
                tree->scrollTo(model->index(model->rowCount() - 1, SessionModel::SimulationErrorsColumn));
            QTest::qWait(100); // one model flush and repaint
            QVERIFY(window.grab().save(QDir(dir).filePath(name)));
        }
    };
    auto stateText = [&] { return sessionCell(window, SessionModel::StateColumn).toString(); };

    // Waiting for capacity: the elapsed time counts up on the row, beside
    // what will drive the session once it is ready.
    QTRY_COMPARE_WITH_TIMEOUT(stateText(), u"Creating (starting runtime, 1 s; pause at discoveries)"_s, 20000);
    QCOMPARE(sessionCell(window, SessionModel::NameColumn).toString(), u"sol-usdc-baseline"_s);
    save(u"session-waiting-for-capacity.png"_s);

    // Paused at a discovery, waiting for the readyForContinue that follows,
    // with simulation errors counted on the way.
    QTRY_VERIFY_WITH_TIMEOUT(stateText() == u"Paused (waiting for readyForContinue; pause at discoveries)"_s
                                 && sessionCell(window, SessionModel::SimulationErrorsColumn).toInt() > 0,
                             30000);
    QCOMPARE(sessionCell(window, SessionModel::NameColumn).toString(), u"sol-usdc-baseline"_s);
    QVERIFY(sessionCell(window, SessionModel::SessionColumn).toString().startsWith(u"backtest_"_s));
    save(u"session-paused-waiting-for-ready.png"_s);

    // The ready comes; from it the run goes on to the end.
    window.runToEndAction()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(sessionState(window), SessionState::Completed, 60000);
    const int errors = sessionCell(window, SessionModel::SimulationErrorsColumn).toInt();
    QCOMPARE(errors, 15); // one after every 2nd of the 31 transactions
    save(u"session-completed-with-simulation-errors.png"_s);
}

void tst_MainWindow::droppedFramesAreCountedAndShown()
{
    // Issue 9 item 3: a server that sends 5 malformed notifications — the
    // Sessions row counts 5 dropped frames, the status bar says so, and the
    // finished run does not pass for a complete capture.
    MainWindow window;
    RefServerConfig server;
    server.txDir = QString::fromUtf8(SLOTSCOPE_FIXTURES_DIR);
    server.dataFaults.malformedNotifications = 5;
    server.dataFaults.malformedEveryNotifications = 3;
    window.setDemoServerConfig(server);
    QSignalSpy finished(&window, &MainWindow::runFinished);
    runDemoToCompletion(window);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    const auto outcome = finished.first().first().value<RunOutcome>();
    QCOMPARE(outcome.framesDropped, quint64(5));
    QCOMPARE(window.transactionModel()->rowCount(), 31); // nothing real was lost

    QCOMPARE(sessionCell(window, SessionModel::FramesDroppedColumn).toString(), u"5"_s);
    QCOMPARE(sessionCell(window, SessionModel::FramesDroppedColumn, RawValueRole).toULongLong(), quint64(5));
    auto *captured = window.findChild<QLabel *>(u"capturedStatus"_s);
    QVERIFY(captured);
    QVERIFY2(captured->text().contains(u"unreadable frames dropped: 5"_s), qPrintable(captured->text()));
    auto *connection = window.findChild<QLabel *>(u"connectionStatus"_s);
    QVERIFY(connection);
    QVERIFY2(connection->text().startsWith(u"Completed"_s)
                 && connection->text().contains(u"unreadable frames dropped: 5 "_s),
             qPrintable(connection->text()));
    // The column sits beside Duplicates.
    auto *view = window.findChild<QTreeView *>(u"sessions"_s);
    QVERIFY(view);
    QCOMPARE(view->header()->visualIndex(SessionModel::FramesDroppedColumn),
             view->header()->visualIndex(SessionModel::DuplicatesColumn) + 1);
}

void tst_MainWindow::replayGapIsNamedAndShown()
{
    // One Continue over the whole 200-slot demo range; the transaction socket
    // drops after 3 notifications and comes back 2 s later, after the server
    // ran to the end: the row names the missed slots, and the finished run
    // says the capture lacks them.
    MainWindow window;
    RefServerConfig server;
    server.txDir = QString::fromUtf8(SLOTSCOPE_FIXTURES_DIR);
    server.dataFaults.dropEveryNotifications = 3;
    server.dataFaults.maxDrops = 1;
    window.setDemoServerConfig(server);
    ConnectionPolicy policy = windowPolicy();
    policy.initialBackoff = std::chrono::milliseconds{2000};
    policy.maxBackoff = std::chrono::milliseconds{2000};
    window.setConnectionPolicy(policy);
    window.show();
    RunConfig config = demoConfig();
    config.advanceCount = 200;
    QSignalSpy finished(&window, &MainWindow::runFinished);
    window.startRun(config);
    waitUntilSteppable(window);
    window.runToEndAction()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
    const auto outcome = finished.first().first().value<RunOutcome>();
    QCOMPARE(outcome.kind, RunOutcome::Kind::Completed);
    QCOMPARE(outcome.replayGaps, quint64(1));
    QVERIFY(outcome.missedSlots > 0);

    const QString lastError = sessionCell(window, SessionModel::LastErrorColumn).toString();
    QVERIFY2(lastError.startsWith(u"transactions: slots "_s)
                 && lastError.contains(u"had left the server's 100-slot replay window"_s),
             qPrintable(lastError));
    auto *connection = window.findChild<QLabel *>(u"connectionStatus"_s);
    QVERIFY(connection);
    QVERIFY2(connection->text().startsWith(u"Completed"_s)
                 && connection->text().contains(u"%1 slot(s) missed"_s.arg(outcome.missedSlots)),
             qPrintable(connection->text()));
}

void tst_MainWindow::newRunWithAnUnwritableCaptureKeepsTheLiveRun()
{
    // A mistyped capture folder once stopped the live run (after "Stop the
    // current run?") for a new run that failed at once. Said first, asked
    // nothing, the live run goes on.
    MainWindow window;
    window.setConnectionPolicy(windowPolicy());
    window.show();
    QVERIFY(window.startRun(demoConfig()));
    waitUntilSteppable(window);
    const QString session = sessionCell(window, SessionModel::SessionColumn, SessionIdRole).toString();

    RunConfig next = demoConfig();
    next.capturePath = m_dir->filePath(u"no-such-folder/run.ndjson"_s);
    QuestionAnswerer ok(QMessageBox::Ok);
    QVERIFY(!window.startRun(next));
    QCOMPARE(ok.questions().size(), 1);
    QVERIFY2(ok.questions().constFirst().startsWith(u"The run cannot start: The folder %1 does not exist."_s.arg(
                 m_dir->filePath(u"no-such-folder"_s))),
             qPrintable(ok.questions().constFirst()));
    QVERIFY2(ok.questions().constFirst().endsWith(u"The current run goes on."_s), qPrintable(ok.questions().constFirst()));
    // Nor a capture the window could not read back: a FIFO (a device alike)
    // opens, takes the header and leaves every transaction's details unreadable.
#if defined(Q_OS_LINUX)
    RunConfig fifo = demoConfig();
    fifo.capturePath = m_dir->filePath(u"capture.fifo"_s);
    QCOMPARE(::mkfifo(QFile::encodeName(fifo.capturePath).constData(), 0600), 0);
    QVERIFY(!window.startRun(fifo));
    QCOMPARE(ok.questions().size(), 2);
    QVERIFY2(ok.questions().constLast().contains(u"is a device, FIFO or socket, not a file"_s)
                 && ok.questions().constLast().endsWith(u"The current run goes on."_s),
             qPrintable(ok.questions().constLast()));
#endif
    QVERIFY(window.isRunning());
    QCOMPARE(window.sessionModel()->rowCount(), 1);
    QCOMPARE(sessionCell(window, SessionModel::SessionColumn, SessionIdRole).toString(), session);
    window.continueAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(currentSlot(window) > 1000, 20000);
    QVERIFY(!QFileInfo::exists(m_dir->filePath(u"no-such-folder"_s)));
}

void tst_MainWindow::newRunMidRunStopsTheOldOneAndDrivesTheNew()
{
    // Issue 9 item 4, done-when: New Run while a run streams, three times in
    // a row. Each time the window asks first, the old run stops cleanly (its
    // session closed on the server, its row Stopped), and the new run's every
    // action works; no transaction of an old run reaches the new run's list,
    // and an old run's late runFinished does not end the new one.
    ServerLog log;
    MainWindow window;
    window.setConnectionPolicy(windowPolicy());
    window.resize(1500, 900);
    window.show();
    QSignalSpy finished(&window, &MainWindow::runFinished);
    RunConfig first = demoConfig();
    first.advanceCount = 10;
    QVERIFY(window.startRun(first));
    waitUntilSteppable(window);

    const auto everyRowIsOf = [&](const QString &sessionId) {
        const TransactionModel *model = window.transactionModel();
        for (int row = 0; row < model->rowCount(); ++row) {
            if (model->index(row, 0).data(SessionIdRole).toString() != sessionId)
                return false;
        }
        return true;
    };
    QuestionAnswerer yes(QMessageBox::Yes);
    for (int round = 1; round <= 3; ++round) {
        const QString oldSession = sessionCell(window, SessionModel::SessionColumn, SessionIdRole).toString();
        QVERIFY(!oldSession.isEmpty());
        // The old run streams: transactions and batches are in flight.
        window.runToEndAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(currentSlot(window) > 1030, 20000);
        QVERIFY(window.isRunning());

        RunConfig next = demoConfig();
        next.advanceCount = 10;
        next.capturePath = m_dir->filePath(u"run-%1.ndjson"_s.arg(round));
        QVERIFY(window.startRun(next));
        QCOMPARE(yes.questions().size(), round);
        QVERIFY2(yes.questions().last().startsWith(u"A run is in progress"_s), qPrintable(yes.questions().last()));
        QTRY_COMPARE_WITH_TIMEOUT(window.sessionModel()->rowCount(), round + 1, 5000);

        waitUntilSteppable(window);
        const QString newSession = sessionCell(window, SessionModel::SessionColumn, SessionIdRole).toString();
        QVERIFY(!newSession.isEmpty() && newSession != oldSession);
        // The old run: closed on the server, Stopped in the tree.
        QTRY_VERIFY2_WITH_TIMEOUT(log.text().contains(u"session \"%1\" dropped: \"session closed\""_s.arg(oldSession)),
                                  qPrintable(log.text()), 10000);
        const QModelIndex oldRow = window.sessionModel()->index(round - 1, SessionModel::StateColumn);
        QTRY_COMPARE_WITH_TIMEOUT(SessionState(oldRow.data(SessionModel::StateRole).toInt()), SessionState::Stopped, 5000);

        // The new run: ready at its first slot, every action enabled and working.
        QCOMPARE(sessionState(window), SessionState::Ready);
        QCOMPARE(currentSlot(window), quint64(1000));
        QVERIFY(window.continueAction()->isEnabled());
        QVERIFY(window.runToEndAction()->isEnabled());
        QVERIFY(window.stopAction()->isEnabled());
        window.continueAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(currentSlot(window), quint64(1009), 20000);
        QTRY_COMPARE_WITH_TIMEOUT(sessionState(window), SessionState::Ready, 20000);
        QVERIFY(window.continueToAction()->isEnabled());
        QVERIFY(window.transactionModel()->rowCount() > 0);
        QVERIFY(everyRowIsOf(newSession));
        QVERIFY(finished.isEmpty()); // the stopped runs' ends are not the window's

        // The old run's row selected: nothing of it steps, and the step
        // actions once drove the live run instead of what was selected.
        auto *tree = window.findChild<QTreeView *>(u"sessions"_s);
        QVERIFY(tree);
        tree->setCurrentIndex(window.sessionModel()->index(round - 1, 0));
        for (QAction *action : {window.continueAction(), window.continueToAction(), window.runToEndAction(),
                                window.pauseAction()})
            QVERIFY2(!action->isEnabled(), qPrintable(action->text()));
        QVERIFY(window.stopAction()->isEnabled()); // Stop ends the live run, whatever is selected
        // Enter in the target box goes around the action: refused as well.
        auto *typed = window.findChild<QLineEdit *>(u"continueTarget"_s);
        const quint64 at = currentSlot(window);
        typed->setText(QString::number(at + 20));
        QTest::keyClick(typed, Qt::Key_Return);
        QVERIFY2(window.statusBar()->currentMessage().startsWith(u"The selected row is of an earlier run"_s),
                 qPrintable(window.statusBar()->currentMessage()));
        QTest::qWait(200);
        QCOMPARE(currentSlot(window), at);
        typed->clear();
        tree->setCurrentIndex(window.sessionModel()->index(round, 0)); // the live run's row
        QVERIFY(window.continueAction()->isEnabled());
        QVERIFY(window.runToEndAction()->isEnabled());
    }

    // The newest run goes to its end: all 31, all its own.
    const QString last = sessionCell(window, SessionModel::SessionColumn, SessionIdRole).toString();
    window.runToEndAction()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(sessionState(window), SessionState::Completed, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 5000);
    QCOMPARE(finished.first().first().value<RunOutcome>().kind, RunOutcome::Kind::Completed);
    QCOMPARE(window.transactionModel()->rowCount(), 31);
    QVERIFY(everyRowIsOf(last));
    QCOMPARE(window.sessionModel()->rowCount(), 4);
    for (int row = 0; row < 3; ++row) {
        QCOMPARE(SessionState(window.sessionModel()->index(row, 0).data(SessionModel::StateRole).toInt()),
                 SessionState::Stopped);
    }
    if (const QString dir = qEnvironmentVariable("SLOTSCOPE_SCREENSHOT_DIR"); !dir.isEmpty())
        QVERIFY(window.grab().save(QDir(dir).filePath(u"newrun-three-times.png"_s)));
}

void tst_MainWindow::aBatchStaysSteppableWhenOneSubSessionCompletes()
{
    // A parallel batch of four sub-sessions: one run to its end, the others
    // still wait for a Continue — the step actions follow the selected
    // sub-session, not whichever row reported last.
    MainWindow window;
    window.setConnectionPolicy(windowPolicy());
    QVERIFY(TestSupport::showAndWaitExposed(window));
    RunConfig config = demoConfig();
    config.parallel = true;
    config.startSlot = 1000;
    config.endSlot = 1399;
    config.advanceCount = 10;
    window.startRun(config);
    waitUntilSteppable(window);
    auto *view = window.findChild<QTreeView *>(u"sessions"_s);
    QVERIFY(view);
    const QAbstractItemModel *sessions = view->model();
    const QModelIndex run = sessions->index(0, 0);
    QTRY_COMPARE_WITH_TIMEOUT(sessions->rowCount(run), 4, 20000);
    const auto stateOf = [&](int child) {
        return SessionState(sessions->index(child, SessionModel::StateColumn, run).data(SessionModel::StateRole).toInt());
    };
    const auto select = [&](int child) {
        view->selectionModel()->setCurrentIndex(sessions->index(child, 0, run),
                                                QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    };
    for (int child = 0; child < 4; ++child)
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(child), SessionState::Ready, 20000);
    // The status bar: the batch's control socket and its data plane, as its row shows them.
    const auto *connection = window.findChild<QLabel *>(u"connectionStatus"_s);
    QTRY_COMPARE_WITH_TIMEOUT(connection->text(), u"Control: Up · Data: Up (4/4 up)"_s, 5000);
    select(0);
    window.runToEndAction()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(0), SessionState::Completed, 30000);
    QTest::qWait(200); // the sub-session's last updates
    QCOMPARE(stateOf(1), SessionState::Ready);
    {
        // Session columns name a sub-session by its id's ends (their first
        // 20-odd characters are alike): the discoveries' column, shown for a
        // batch, and the live table's.
        QStringList subSessions;
        for (int child = 0; child < 4; ++child)
            subSessions << sessions->index(child, SessionModel::SessionColumn, run).data(SessionIdRole).toString();
        auto *discoveries = window.findChild<QTableView *>(u"discoveries"_s);
        QVERIFY(discoveries);
        QVERIFY(!discoveries->isColumnHidden(DiscoveryModel::SessionColumn));
        QVERIFY(discoveries->columnWidth(DiscoveryModel::SessionColumn)
                > discoveries->fontMetrics().horizontalAdvance(shortSessionId(subSessions.constFirst())));
        auto *protocol = window.findChild<QTableView *>(u"protocol"_s);
        QVERIFY(protocol->columnWidth(ProtocolLogModel::SessionColumn)
                > protocol->fontMetrics().horizontalAdvance(shortSessionId(subSessions.constFirst())));
        // (With sub-session 0 selected the table shows its batches only: below.)
        view->selectionModel()->setCurrentIndex(run, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        QTRY_VERIFY_WITH_TIMEOUT(discoveries->model()->rowCount() > 0, 5000);
        const QModelIndex found = discoveries->model()->index(0, DiscoveryModel::SessionColumn);
        const QString subSession = found.data().toString();
        QVERIFY2(subSessions.contains(subSession) && subSession.size() > 22, qPrintable(subSession));
        const auto shown = [](const QTableView *table, const QModelIndex &index) {
            const auto *delegate = qobject_cast<const QStyledItemDelegate *>(table->itemDelegateForIndex(index));
            return delegate ? delegate->displayText(index.data(), QLocale()) : QString();
        };
        QCOMPARE(shown(discoveries, found),
                 shortSessionId(subSession));
        // A selected sub-session narrows Discovery Batches to its own, as it
        // does the live table, and says so; the run selected shows them all.
        const auto *scope = window.findChild<QLabel *>(u"discoveryScope"_s);
        QVERIFY(scope && !scope->isVisible()); // the run is selected
        const int all = discoveries->model()->rowCount();
        QCOMPARE(all, window.discoveryModel()->rowCount());
        int shownInAll = 0;
        for (int child = 0; child < 4; ++child) {
            int ofSubSession = 0;
            for (int row = 0; row < window.discoveryModel()->rowCount(); ++row)
                ofSubSession += window.discoveryModel()->sessionIdAt(row) == subSessions.at(child);
            select(child);
            QCOMPARE(discoveries->model()->rowCount(), ofSubSession);
            for (int row = 0; row < ofSubSession; ++row)
                QCOMPARE(discoveries->model()->index(row, 0).data(SessionIdRole).toString(), subSessions.at(child));
            QVERIFY(scope->isVisible());
            QVERIFY2(scope->text().contains(shortSessionId(subSessions.at(child))), qPrintable(scope->text()));
            shownInAll += ofSubSession;
        }
        QCOMPARE(shownInAll, window.discoveryModel()->rowCount());
        view->selectionModel()->setCurrentIndex(run, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        QCOMPARE(discoveries->model()->rowCount(), all);
        QVERIFY(!scope->isVisible());
        select(0);
        auto *transactions = window.findChild<QTableView *>(u"transactions"_s);
        QVERIFY(transactions && transactions->model()->rowCount() > 0);
        const QModelIndex row = transactions->model()->index(0, TransactionModel::SessionColumn);
        QCOMPARE(shown(transactions, row),
                 shortSessionId(row.data().toString()));
        // Export of the selected sub-session: its rows of the whole capture.
        const int ofFirst = transactions->model()->rowCount();
        const QString csv = m_dir->filePath(u"sub-session.csv"_s);
        ExportDialogAnswerer answer(csv, 1, u"subSessionScope"_s);
        window.exportAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(window.statusBar()->currentMessage().startsWith(u"Exported to %1"_s.arg(csv)), 10000);
        QFile file(csv);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QList<QByteArray> lines = file.readAll().split('\n');
        QCOMPARE(lines.takeLast(), QByteArray());
        QCOMPARE(lines.size(), 1 + ofFirst);
        for (const QByteArray &line : lines.mid(1))
            QCOMPARE(QString::fromUtf8(line.split(',').constFirst()), subSessions.constFirst());
    }
    QVERIFY(!window.continueAction()->isEnabled()); // the completed one is selected:
    QVERIFY(!window.runToEndAction()->isEnabled()); // nothing left to run on it
    if (const QString dir = qEnvironmentVariable("SLOTSCOPE_SCREENSHOT_DIR"); !dir.isEmpty()) {
        // The completed sub-session's lanes end where its sockets closed.
        QTest::qWait(600);
        QVERIFY(window.grab().save(QDir(dir).filePath(u"batch-one-completed.png"_s)));
    }
    select(1);
    QVERIFY(window.continueAction()->isEnabled());
    QVERIFY(window.continueToAction()->isEnabled());
    QVERIFY(window.runToEndAction()->isEnabled()); // the batch runs on
    const quint64 before = sessions->index(1, SessionModel::CurrentSlotColumn, run).data().toULongLong();
    window.continueAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(sessions->index(1, SessionModel::CurrentSlotColumn, run).data().toULongLong() >= before + 9,
                             20000);
    // Nothing selected: a step goes to every waiting sub-session.
    view->selectionModel()->clearCurrentIndex();
    view->selectionModel()->setCurrentIndex(run, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    QTRY_VERIFY_WITH_TIMEOUT(window.continueAction()->isEnabled(), 20000);
    {
        // A typed slot behind the sub-session whose range covers it is
        // refused here, as for a single session, not sent for the server to
        // refuse.
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(1), SessionState::Ready, 20000);
        const quint64 at = sessions->index(1, SessionModel::CurrentSlotColumn, run).data().toULongLong();
        auto *target = window.findChild<QLineEdit *>(u"continueTarget"_s);
        QVERIFY(target);
        target->setText(QString::number(at - 1));
        QTest::keyClick(target, Qt::Key_Return);
        QVERIFY2(window.statusBar()->currentMessage().contains(
                     u"Slot %1 is behind the session, which is at slot %2"_s.arg(at - 1).arg(at)),
                 qPrintable(window.statusBar()->currentMessage()));
        QTest::qWait(300);
        QCOMPARE(sessions->index(1, SessionModel::CurrentSlotColumn, run).data().toULongLong(), at); // not sent
        QCOMPARE(stateOf(1), SessionState::Ready);
        // Past every sub-session's range: said, never silently nothing.
        target->setText(u"99999999"_s);
        QTest::keyClick(target, Qt::Key_Return);
        QVERIFY2(window.statusBar()->currentMessage().startsWith(u"No running sub-session covers slot 99999999"_s),
                 qPrintable(window.statusBar()->currentMessage()));
    }

    // A new run forgets the old run's selection: the completed sub-session
    // selected, the next run's steps are still enabled, and nothing is selected.
    select(0);
    QVERIFY(!window.continueAction()->isEnabled());
    QuestionAnswerer yes(QMessageBox::Yes);
    RunConfig next = demoConfig();
    next.capturePath = m_dir->filePath(u"after-batch.ndjson"_s);
    QVERIFY(window.startRun(next));
    QCOMPARE(yes.questions().size(), 1);
    // The question counts what it closes: the batch's sub-sessions but the
    // one that completed.
    QVERIFY2(yes.questions().constFirst().contains(u"Its 3 sessions are closed on the server;"_s),
             qPrintable(yes.questions().constFirst()));
    QVERIFY(!view->selectionModel()->hasSelection());
    // A single session: its discoveries need no session column.
    QVERIFY(window.findChild<QTableView *>(u"discoveries"_s)->isColumnHidden(DiscoveryModel::SessionColumn));
    waitUntilSteppable(window);
    QVERIFY(!view->selectionModel()->hasSelection());
    QVERIFY(window.continueAction()->isEnabled());
    QVERIFY(window.runToEndAction()->isEnabled());
    // The tree made current a row of the earlier run without selecting it
    // (what Qt does when the view takes the focus): nothing is scoped to it.
    view->selectionModel()->setCurrentIndex(view->model()->index(0, 0), QItemSelectionModel::NoUpdate);
    QVERIFY(!view->selectionModel()->hasSelection());
    QVERIFY(window.continueAction()->isEnabled());
    QVERIFY(window.runToEndAction()->isEnabled());
}

void tst_MainWindow::quitDuringARunAsksFirst_data()
{
    QTest::addColumn<bool>("windowManager");
    QTest::addRow("Quit (Ctrl+Q)") << false;
    // The title bar's close button or Alt+F4: a spontaneous close event.
    QTest::addRow("the window manager's close") << true;
}

namespace {

/// What the window manager's close request (the title bar's button, Alt+F4)
/// does: a close event to the widget's window, which Qt hands on to the
/// widget as a spontaneous one. Returns whether the window closed.
bool windowManagerClose(QWidget &window)
{
    QCloseEvent event;
    QCoreApplication::sendEvent(window.windowHandle(), &event);
    return event.isAccepted();
}

} // namespace

void tst_MainWindow::quitDuringARunAsksFirst()
{
    // Quitting mid-run ends a backtest that cannot be resumed: it asks, No by
    // default; a window without a run quits at once.
    QFETCH(bool, windowManager);
    const auto request = [windowManager](MainWindow &window) {
        if (windowManager) {
            windowManagerClose(window);
        } else {
            auto *quit = window.findChild<QAction *>(u"quit"_s);
            QVERIFY(quit);
            quit->trigger();
        }
    };
    int asked = 0;
    const auto answer = [&asked](QMessageBox::StandardButton button) {
        QTimer::singleShot(0, [button, &asked] {
            auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
            if (!box)
                return;
            ++asked;
            QVERIFY(box->text().contains(u"A run is in progress"_s));
            QCOMPARE(box->defaultButton(), box->button(QMessageBox::No));
            box->button(button)->click();
        });
    };
    {
        MainWindow idle;
        QVERIFY(TestSupport::showAndWaitExposed(idle));
        answer(QMessageBox::No); // would keep the window open, were it asked
        request(idle);
        QVERIFY(!idle.isVisible());
        QCOMPARE(asked, 0);
    }

    MainWindow window;
    startSteppableDemo(window);
    // Where a desktop user looks for Quit: the File menu's last entry.
    auto *fileMenu = window.findChild<QMenu *>(u"fileMenu"_s);
    QVERIFY(fileMenu);
    QCOMPARE(fileMenu->actions().constLast(), window.findChild<QAction *>(u"quit"_s));
    answer(QMessageBox::No);
    request(window);
    QCOMPARE(asked, 1);
    QVERIFY(window.isVisible());
    QVERIFY(window.stopAction()->isEnabled()); // still running
    answer(QMessageBox::Yes);
    request(window);
    QCOMPARE(asked, 2);
    QVERIFY(!window.isVisible());
}

void tst_MainWindow::aFailedCaptureClosesTheSockets()
{
#if !defined(Q_OS_LINUX)
    QSKIP("needs RLIMIT_FSIZE");
#else
    // The capture stops being writable mid-run (a file-size limit, as a full
    // disk would): the run fails, and its sockets, Up until then, show Closed
    // in the Sessions tree once the run has shut them (they once stayed Up).
    MainWindow window;
    window.setConnectionPolicy(windowPolicy());
    QVERIFY(TestSupport::showAndWaitExposed(window));
    QSignalSpy finished(&window, &MainWindow::runFinished);
    RunConfig config = demoConfig();
    config.capturePath = m_dir->filePath(u"limited.ndjson"_s);
    window.startRun(config);
    waitUntilSteppable(window);
    QCOMPARE(sessionCell(window, SessionModel::ControlColumn).toString(), u"Up"_s);

    rlimit before{};
    QCOMPARE(::getrlimit(RLIMIT_FSIZE, &before), 0);
    const auto restore = qScopeGuard([&before] { ::setrlimit(RLIMIT_FSIZE, &before); });
    std::signal(SIGXFSZ, SIG_IGN); // EFBIG instead of the signal
    const rlimit limited{64 * 1024, before.rlim_max};
    QCOMPARE(::setrlimit(RLIMIT_FSIZE, &limited), 0);
    window.runToEndAction()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
    ::setrlimit(RLIMIT_FSIZE, &before);

    QTRY_COMPARE_WITH_TIMEOUT(sessionState(window), SessionState::Failed, 5000);
    QVERIFY2(window.errorBannerText().contains(u"capture"_s), qPrintable(window.errorBannerText()));
    QTRY_COMPARE_WITH_TIMEOUT(sessionCell(window, SessionModel::ControlColumn).toString(), u"Closed"_s, 5000);
    QCOMPARE(sessionCell(window, SessionModel::DataPlaneColumn).toString(), u"Closed"_s);
#endif
}

QTEST_MAIN(tst_MainWindow)
#include "tst_mainwindow.moc"
