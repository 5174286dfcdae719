#pragma once

#include <QList>
#include <QMenu>
#include <QObject>
#include <QString>

#include <memory>

class QAction;
class QDockWidget;
class QMainWindow;
class QTreeView;

namespace SlotScope {

class ConnectionTimelineModel;
class ConnectionTimelineView;
class CoordinatorPanel;
class EngineHost;
class RunChartsView;
class SessionModel;
struct ModelUpdate;

/// The window's view of a batch's health (DESIGN.md §1): the Connections
/// timeline, the Reconnect coordinator panel and the Charts, each in its own
/// dock, wired to the engine and kept in step with the Sessions tree:
///  * selecting a sub-session in the tree highlights it in the timeline and
///    plots it as "selected" in the charts; picking a timeline row or a
///    coordinator row selects it in the tree;
///  * "Reconnect now" — the tree's row context menu, a timeline lane, the
///    coordinator's tables — goes to EngineHost::reconnectNow(); the answer
///    shows in the status bar.
/// The window adds the docks where it wants them (timelineDock(), …) and
/// forwards runs and model updates.
class BatchMonitor : public QObject
{
    Q_OBJECT

public:
    BatchMonitor(QMainWindow *window, EngineHost *engine, SessionModel *sessions,
                 ConnectionTimelineModel *timeline, QTreeView *sessionView);

    QDockWidget *timelineDock() const { return m_timelineDock; }
    QDockWidget *coordinatorDock() const { return m_coordinatorDock; }
    QDockWidget *chartsDock() const { return m_chartsDock; }
    ConnectionTimelineView *timelineView() const { return m_timelineView; }
    CoordinatorPanel *coordinatorPanel() const { return m_coordinator; }

    /// A run starts (the timeline model was cleared by the window).
    void startRun(bool parallel);
    /// The run the docks show: selecting a row of another (an earlier run's)
    /// in the Sessions tree selects nothing in them. Its row is scrolled to
    /// the top of the tree once it appears (below earlier runs' rows, a new
    /// run started out of sight).
    void setLiveRun(const QString &runId)
    {
        m_liveRunId = runId;
        m_liveRunShown = false;
    }
    void applyUpdate(const ModelUpdate &update);
    void finishRun();

    /// Actions put at the top of the Sessions tree's context menu (the
    /// window's step actions: they act on the selected row, and the menu
    /// selects the row it was opened on).
    void setStepActions(const QList<QAction *> &actions) { m_stepActions = actions; }
    /// The Sessions tree's context menu for the row at `index` (which it makes
    /// the current row): the step actions (a row of the live run only),
    /// Reconnect now for each of its sockets, Show in Connections.
    std::unique_ptr<QMenu> sessionMenu(const QModelIndex &index);

    /// The display name of a session in these docks: its server-given name
    /// when it has one, else its id shortened.
    QString sessionLabel(const QString &sessionId) const;

private:
    void selectInTree(const QString &sessionId);
    void showSessionMenu(const QPoint &pos);
    void reconnectNow(const QString &sessionId, const QString &socket);

    QMainWindow *m_window;
    EngineHost *m_engine;
    SessionModel *m_sessions;
    ConnectionTimelineModel *m_timeline;
    QTreeView *m_sessionView;
    ConnectionTimelineView *m_timelineView;
    CoordinatorPanel *m_coordinator;
    RunChartsView *m_charts;
    QDockWidget *m_timelineDock;
    QDockWidget *m_coordinatorDock;
    QDockWidget *m_chartsDock;
    QString m_liveRunId;
    QList<QAction *> m_stepActions;
    bool m_liveRunShown = false; ///< its row was scrolled into view
};

} // namespace SlotScope
