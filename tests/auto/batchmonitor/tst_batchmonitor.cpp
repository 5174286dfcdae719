// BatchMonitor: the Connections timeline, Reconnect coordinator and Charts
// docks follow the Sessions tree's selection and select in it; names come from
// the tree; "Reconnect now" goes to the engine thread and its answer shows in
// the status bar.

#include "batchmonitor.h"
#include "connectiontimelineview.h"
#include "coordinatorpanel.h"
#include "engine/enginehost.h"
#include "engine/modelupdate.h"
#include "model/connectiontimelinemodel.h"
#include "model/modelroles.h"
#include "model/sessionmodel.h"
#include "runchartsview.h"

#include <QDateTime>
#include <QDockWidget>
#include <QMainWindow>
#include <QMenu>
#include <QStatusBar>
#include <QTest>
#include <QTreeView>

using namespace Qt::StringLiterals;
using namespace SlotScope;
using S = ConnectionStatus;

class tst_BatchMonitor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void selectionFollowsTheTree();
    void rowsOfAnEarlierRunSelectNothingInTheDocks();
    void aNewRunIsScrolledIntoView();
    void rowMenuStepsTheRowItWasOpenedOn();
    void timelineAndCoordinatorSelectInTheTree();
    void namesComeFromTheTree();
    void reconnectNowIsAnswered();

private:
    QString selectedInTree() const
    {
        // Selected, not only current: what the window's actions and docks follow.
        const QModelIndexList rows = m_tree->selectionModel()->selectedRows();
        const QModelIndex current = m_tree->currentIndex();
        if (rows.isEmpty() || !current.isValid() || rows.constFirst().siblingAtColumn(0) != current.siblingAtColumn(0))
            return u"<none>"_s;
        return current.siblingAtColumn(0).data(SessionIdRole).toString();
    }

    std::unique_ptr<QMainWindow> m_window;
    EngineHost *m_engine = nullptr;
    SessionModel *m_sessions = nullptr;
    ConnectionTimelineModel *m_timeline = nullptr;
    QTreeView *m_tree = nullptr;
    BatchMonitor *m_monitor = nullptr;
};

void tst_BatchMonitor::init()
{
    m_window = std::make_unique<QMainWindow>();
    m_engine = new EngineHost(m_window.get());
    m_sessions = new SessionModel(m_window.get());
    m_timeline = new ConnectionTimelineModel(m_window.get());
    m_tree = new QTreeView(m_window.get());
    m_tree->setModel(m_sessions);
    m_window->setCentralWidget(m_tree);
    m_monitor = new BatchMonitor(m_window.get(), m_engine, m_sessions, m_timeline, m_tree);
    m_window->addDockWidget(Qt::BottomDockWidgetArea, m_monitor->timelineDock());
    m_window->addDockWidget(Qt::RightDockWidgetArea, m_monitor->coordinatorDock());
    m_window->addDockWidget(Qt::BottomDockWidgetArea, m_monitor->chartsDock());
    m_window->resize(1400, 900);

    // A parallel run of three sub-sessions; the second has a server-given name.
    QList<SessionUpdate> updates;
    SessionUpdate run;
    run.runId = u"run-1"_s;
    run.parallel = true;
    run.label = u"1000..1299"_s;
    updates << run;
    for (int i = 0; i < 3; ++i) {
        SessionUpdate sub;
        sub.runId = u"run-1"_s;
        sub.sessionId = u"backtest_%1"_s.arg(i);
        sub.startSlot = quint64(1000 + 100 * i);
        sub.endSlot = quint64(1099 + 100 * i);
        sub.currentSlot = sub.startSlot;
        if (i == 1)
            sub.name = u"jupiter-window"_s;
        updates << sub;
    }
    m_sessions->applyUpdates(updates);
    m_tree->expandAll();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QList<ConnectionEvent> events{ConnectionEvent{now - 5000, {}, u"control"_s, S::Up, {}, 0}};
    for (int i = 0; i < 3; ++i)
        events << ConnectionEvent{now - 5000, u"backtest_%1"_s.arg(i), u"transactions"_s, S::Up, {}, 0};
    m_timeline->appendEvents(events);
    m_monitor->startRun(true);
    m_monitor->setLiveRun(u"run-1"_s);
    ModelUpdate update{.sessions = updates};
    m_monitor->applyUpdate(update);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void tst_BatchMonitor::cleanup()
{
    m_window.reset();
}

void tst_BatchMonitor::selectionFollowsTheTree()
{
    const QModelIndex sub = m_sessions->indexForSession(u"backtest_2"_s);
    QVERIFY(sub.isValid());
    m_tree->setCurrentIndex(sub);
    QCOMPARE(m_monitor->timelineView()->selectedSession(), u"backtest_2"_s);
    // The run row is the batch's own sockets.
    m_tree->setCurrentIndex(m_sessions->indexForRun(u"run-1"_s));
    QCOMPARE(m_monitor->timelineView()->selectedSession(), QString());
    QVERIFY(m_monitor->timelineView()->hasSelection());
}

void tst_BatchMonitor::rowsOfAnEarlierRunSelectNothingInTheDocks()
{
    // The docks show the live run: an earlier batch's row (still in the tree)
    // highlights neither the live run's Batch lane nor a sub-session.
    QList<SessionUpdate> earlier;
    SessionUpdate run;
    run.runId = u"run-0"_s;
    run.parallel = true;
    run.label = u"1000..1299"_s;
    SessionUpdate sub;
    sub.runId = u"run-0"_s;
    sub.sessionId = u"backtest_old"_s;
    earlier << run << sub;
    m_sessions->applyUpdates(earlier);
    m_tree->setCurrentIndex(m_sessions->indexForSession(u"backtest_1"_s));
    QVERIFY(m_monitor->timelineView()->hasSelection());
    m_tree->setCurrentIndex(m_sessions->indexForRun(u"run-0"_s));
    QVERIFY(!m_monitor->timelineView()->hasSelection());
    m_tree->setCurrentIndex(m_sessions->indexForSession(u"backtest_old"_s));
    QVERIFY(!m_monitor->timelineView()->hasSelection());
}

void tst_BatchMonitor::aNewRunIsScrolledIntoView()
{
    // Earlier runs fill the tree (three batches of 40 sub-sessions, expanded)
    // far past its height; the run started next is appended at the bottom.
    for (int r = 2; r <= 4; ++r) {
        QList<SessionUpdate> batch;
        batch << SessionUpdate{.runId = u"run-%1"_s.arg(r), .parallel = true};
        for (int i = 0; i < 40; ++i)
            batch << SessionUpdate{.runId = u"run-%1"_s.arg(r), .sessionId = u"backtest_%1_%2"_s.arg(r).arg(i)};
        m_sessions->applyUpdates(batch);
    }
    m_tree->expandAll();
    m_tree->scrollToTop();
    QTest::qWait(50);
    const auto shown = [this](const QModelIndex &index) {
        const QRect rect = m_tree->visualRect(index);
        return rect.isValid() && m_tree->viewport()->rect().contains(rect.topLeft());
    };
    m_monitor->startRun(true);
    m_monitor->setLiveRun(u"run-5"_s);
    const QList<SessionUpdate> live{SessionUpdate{.runId = u"run-5"_s, .parallel = true},
                                    SessionUpdate{.runId = u"run-5"_s, .sessionId = u"backtest_live"_s}};
    m_sessions->applyUpdates(live);
    const QModelIndex run = m_sessions->indexForRun(u"run-5"_s);
    QVERIFY(run.isValid());
    QVERIFY(!shown(run)); // out of sight until the monitor sees the run's first update
    m_monitor->applyUpdate(ModelUpdate{.sessions = live});
    QTRY_VERIFY(shown(run));
    // Once: the analyst's own scrolling afterwards stays where it is.
    m_tree->scrollToTop();
    m_monitor->applyUpdate(ModelUpdate{.sessions = live});
    QTest::qWait(20);
    QVERIFY(!shown(run));
}

void tst_BatchMonitor::rowMenuStepsTheRowItWasOpenedOn()
{
    QAction continueAction(u"Continue"_s);
    QAction pauseAction(u"Pause"_s);
    m_monitor->setStepActions({&continueAction, &pauseAction});
    m_tree->setCurrentIndex(m_sessions->indexForSession(u"backtest_0"_s));
    const auto texts = [](const QMenu &menu) {
        QStringList out;
        for (const QAction *action : menu.actions())
            out << (action->isSeparator() ? u"--"_s : action->text());
        return out;
    };
    const QModelIndex row = m_sessions->indexForSession(u"backtest_2"_s).siblingAtColumn(SessionModel::StateColumn);
    const std::unique_ptr<QMenu> menu = m_monitor->sessionMenu(row);
    // The step actions first, acting on the row right-clicked (now the current one).
    QCOMPARE(texts(*menu), (QStringList{u"Continue"_s, u"Pause"_s, u"--"_s, u"Reconnect transactions now"_s, u"--"_s,
                                        u"Show in Connections"_s}));
    QCOMPARE(selectedInTree(), u"backtest_2"_s);
    QCOMPARE(m_monitor->timelineView()->selectedSession(), u"backtest_2"_s);
    QVERIFY(!menu->actions().at(3)->isEnabled()); // its socket is Up

    // The row right-clicked is current but not selected (the view made it
    // current when it took the focus): it gets selected, and so scoped.
    const QModelIndex first = m_sessions->indexForSession(u"backtest_1"_s);
    m_tree->selectionModel()->setCurrentIndex(first, QItemSelectionModel::Clear);
    QVERIFY(!m_tree->selectionModel()->hasSelection());
    const std::unique_ptr<QMenu> onCurrent = m_monitor->sessionMenu(first);
    QCOMPARE(selectedInTree(), u"backtest_1"_s);
    QCOMPARE(m_monitor->timelineView()->selectedSession(), u"backtest_1"_s);

    // A row of an earlier run: nothing of the live run to step from it.
    m_sessions->applyUpdates({SessionUpdate{.runId = u"run-0"_s, .parallel = true},
                              SessionUpdate{.runId = u"run-0"_s, .sessionId = u"backtest_old"_s}});
    const std::unique_ptr<QMenu> old = m_monitor->sessionMenu(m_sessions->indexForSession(u"backtest_old"_s));
    QCOMPARE(texts(*old), (QStringList{u"Reconnect now (no socket of this row is known yet)"_s, u"--"_s,
                                       u"Show in Connections"_s}));
}

void tst_BatchMonitor::timelineAndCoordinatorSelectInTheTree()
{
    ConnectionTimelineView *view = m_monitor->timelineView();
    m_monitor->timelineDock()->raise();
    QTRY_VERIFY(view->isVisible());
    // Rows: Batch, backtest_0, backtest_1, backtest_2 (one socket each).
    QCOMPARE(view->layoutRowCount(), 4);
    const QRect row = view->rowRect(2);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, QPoint(view->chartLeft() + 40, row.center().y()));
    QCOMPARE(selectedInTree(), u"backtest_1"_s);
    Q_EMIT m_monitor->coordinatorPanel()->sessionSelected(u"backtest_0"_s);
    QCOMPARE(selectedInTree(), u"backtest_0"_s);
    QCOMPARE(view->selectedSession(), u"backtest_0"_s); // and back to the timeline
}

void tst_BatchMonitor::namesComeFromTheTree()
{
    QCOMPARE(m_monitor->sessionLabel(u"backtest_1"_s), u"jupiter-window"_s);
    QCOMPARE(m_monitor->sessionLabel(u"backtest_0"_s), u"backtest_0"_s);
    QCOMPARE(m_monitor->sessionLabel(u"backtest_0199d2c4-5b7e-7000-8000-000000000001"_s),
             u"backtest_…00000001"_s);
}

void tst_BatchMonitor::reconnectNowIsAnswered()
{
    // No run on the engine: nothing is waiting, and the window says so.
    Q_EMIT m_monitor->timelineView()->reconnectRequested(u"backtest_1"_s, u"transactions"_s);
    QTRY_VERIFY(!m_window->statusBar()->currentMessage().isEmpty());
    const QString message = m_window->statusBar()->currentMessage();
    QVERIFY2(message.contains(u"transactions of jupiter-window has nothing to skip"_s), qPrintable(message));
}

QTEST_MAIN(tst_BatchMonitor)
#include "tst_batchmonitor.moc"
