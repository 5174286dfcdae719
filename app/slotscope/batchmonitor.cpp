#include "batchmonitor.h"

#include "connectiontimelineview.h"
#include "coordinatorpanel.h"
#include "engine/enginehost.h"
#include "model/connectiontimelinemodel.h"
#include "model/modelroles.h"
#include "model/sessionmodel.h"
#include "runchartsview.h"
#include "sessionlabels.h"

#include <QDockWidget>
#include <QMainWindow>
#include <QMenu>
#include <QStatusBar>
#include <QTreeView>

using namespace Qt::StringLiterals;

namespace SlotScope {

BatchMonitor::BatchMonitor(QMainWindow *window, EngineHost *engine, SessionModel *sessions,
                           ConnectionTimelineModel *timeline, QTreeView *sessionView)
    : QObject(window)
    , m_window(window)
    , m_engine(engine)
    , m_sessions(sessions)
    , m_timeline(timeline)
    , m_sessionView(sessionView)
    , m_timelineView(new ConnectionTimelineView(timeline, window))
    , m_coordinator(new CoordinatorPanel(timeline, window))
    , m_charts(new RunChartsView(window))
    , m_timelineDock(new QDockWidget(tr("Connections"), window))
    , m_coordinatorDock(new QDockWidget(tr("Reconnect Coordinator"), window))
    , m_chartsDock(new QDockWidget(tr("Charts"), window))
{
    const auto label = [this](const QString &sessionId) { return sessionLabel(sessionId); };
    m_timelineView->setObjectName(u"timeline"_s);
    m_timelineView->setMinimumHeight(140);
    m_timelineView->setSessionLabelProvider(label);
    m_timelineDock->setObjectName(u"connections"_s);
    m_timelineDock->setWidget(m_timelineView);

    m_coordinator->setObjectName(u"coordinatorPanel"_s);
    m_coordinator->setSessionLabelProvider(label);
    m_coordinatorDock->setObjectName(u"coordinator"_s);
    m_coordinatorDock->setWidget(m_coordinator);

    m_charts->setObjectName(u"chartsView"_s);
    m_charts->setSessionLabelProvider(label);
    m_chartsDock->setObjectName(u"charts"_s);
    m_chartsDock->setWidget(m_charts);
    connect(m_charts, &RunChartsView::statusMessage, this,
            [this](const QString &message) { m_window->statusBar()->showMessage(message, 10000); });

    // Selection: tree → timeline and charts; timeline / coordinator → tree.
    // The selected row, as the step actions and the tables follow it.
    connect(m_sessionView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] {
                const QModelIndex current = selectedSessionRow(m_sessionView);
                if (current.isValid() && current.siblingAtColumn(0).data(SessionModel::RunIdRole).toString() != m_liveRunId) {
                    // A row of an earlier run: nothing the docks show.
                    m_timelineView->clearSelection();
                    m_charts->setSelectedSession(QString());
                    return;
                }
                const QString sessionId = current.isValid()
                                              ? current.siblingAtColumn(0).data(SessionIdRole).toString()
                                              : QString();
                const bool child = current.isValid() && current.parent().isValid();
                m_timelineView->setSelectedSession(current.isValid() ? sessionId : QString());
                m_charts->setSelectedSession(child || (current.isValid() && !sessionId.isEmpty()) ? sessionId
                                                                                                  : QString());
            });
    connect(m_timelineView, &ConnectionTimelineView::sessionSelected, this, &BatchMonitor::selectInTree);
    connect(m_coordinator, &CoordinatorPanel::sessionSelected, this, &BatchMonitor::selectInTree);

    // Reconnect now, from wherever it is asked.
    connect(m_timelineView, &ConnectionTimelineView::reconnectRequested, this, &BatchMonitor::reconnectNow);
    connect(m_coordinator, &CoordinatorPanel::reconnectRequested, this, &BatchMonitor::reconnectNow);
    m_sessionView->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_sessionView, &QWidget::customContextMenuRequested, this, &BatchMonitor::showSessionMenu);
    connect(m_engine, &EngineHost::reconnectNowHandled, this,
            [this](const QString &sessionId, const QString &socket, bool accepted) {
                const QString who = sessionId.isEmpty() ? socket : u"%1 of %2"_s.arg(socket, sessionLabel(sessionId));
                m_window->statusBar()->showMessage(
                    accepted ? tr("Reconnecting %1 now").arg(who)
                             : tr("%1 has nothing to skip: its next attempt is already under way, or it is up "
                                  "again (only a socket waiting out its backoff or parked can be hurried)")
                                   .arg(who),
                    6000);
            });
}

QString BatchMonitor::sessionLabel(const QString &sessionId) const
{
    if (sessionId.isEmpty())
        return {};
    const QString name = sessionNameIn(m_sessions, sessionId);
    return name.isEmpty() ? shortSessionId(sessionId) : name;
}

void BatchMonitor::startRun(bool parallel)
{
    m_coordinator->reset(parallel);
    m_charts->clear();
}

void BatchMonitor::applyUpdate(const ModelUpdate &update)
{
    if (!update.sessions.isEmpty()) {
        m_charts->observe(update.sessions);
        if (!m_liveRunShown) {
            if (const QModelIndex run = m_sessions->indexForRun(m_liveRunId); run.isValid()) {
                m_liveRunShown = true;
                m_sessionView->scrollTo(run, QAbstractItemView::PositionAtTop);
            }
        }
    }
    if (update.coordinator)
        m_coordinator->setSnapshot(*update.coordinator);
}

void BatchMonitor::finishRun()
{
    m_charts->finish();
    m_coordinator->setLive(false);
}

void BatchMonitor::selectInTree(const QString &sessionId)
{
    selectSessionRow(m_sessionView, m_sessions, sessionId);
}

std::unique_ptr<QMenu> BatchMonitor::sessionMenu(const QModelIndex &index)
{
    auto menu = std::make_unique<QMenu>(m_sessionView);
    if (!index.isValid())
        return menu;
    // The step actions act on the selected row: the one right-clicked (the
    // current row may be unselected: the view makes one current on focus).
    if (!m_sessionView->selectionModel()->isRowSelected(index.row(), index.parent()))
        m_sessionView->selectionModel()->setCurrentIndex(
            index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    // (A row of an earlier run: nothing to step, the window's actions would act on the live run.)
    if (!m_stepActions.isEmpty() && index.siblingAtColumn(0).data(SessionModel::RunIdRole).toString() == m_liveRunId) {
        menu->addActions(m_stepActions);
        menu->addSeparator();
    }
    const QString sessionId = index.siblingAtColumn(0).data(SessionIdRole).toString();
    const int group = m_timeline->groupOf(sessionId);
    const qsizetype before = menu->actions().size();
    if (group >= 0)
        m_timelineView->addReconnectActions(menu.get(), m_timeline->groups().at(group).lanes);
    if (menu->actions().size() == before) {
        QAction *none = menu->addAction(tr("Reconnect now (no socket of this row is known yet)"));
        none->setEnabled(false);
    }
    menu->addSeparator();
    menu->addAction(tr("Show in Connections"), this, [this, sessionId] {
        m_timelineDock->show();
        m_timelineDock->raise();
        m_timelineView->setSelectedSession(sessionId);
    });
    return menu;
}

void BatchMonitor::showSessionMenu(const QPoint &pos)
{
    const QModelIndex index = m_sessionView->indexAt(pos);
    if (!index.isValid())
        return;
    sessionMenu(index)->exec(m_sessionView->viewport()->mapToGlobal(pos));
}

void BatchMonitor::reconnectNow(const QString &sessionId, const QString &socket)
{
    m_engine->reconnectNow(sessionId, socket);
}

} // namespace SlotScope
