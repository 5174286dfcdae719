#pragma once

#include "protocol/coordinatorsnapshot.h"
#include "sessionlabels.h"

#include <QTimer>
#include <QWidget>

#include <functional>
#include <optional>

class QLabel;
class QStandardItemModel;
class QTreeView;

namespace SlotScope {

class ConnectionTimelineModel;

/// The Reconnect coordinator panel (DESIGN.md §1, §4; PROTOCOL.md §6.6) of a
/// parallel batch:
///  * who holds the single handshake slot, since when, and at which attempt;
///  * the parked queue in the order it is served, each with the time parked
///    so far and its attempt ("Reconnect now" ones first, marked);
///  * every socket that is not Up or used reconnect attempts, with its
///    attempt and the ungated attempts it has left before the gate engages;
///  * the batch's storm figures: reconnects, parks, longest park, total parked
///    time, storms and the time from the first drop to every socket Up again
///    (the last and the longest), and a storm going on now.
/// Fed with CoordinatorSnapshot (the engine's, or an opened capture's
/// `coordinator` events) and the timeline model (per-socket attempts).
/// Refreshes at most four times a second and not at all while hidden.
class CoordinatorPanel : public QWidget
{
    Q_OBJECT

public:
    explicit CoordinatorPanel(ConnectionTimelineModel *timeline, QWidget *parent = nullptr);

    /// The coordinator as it is now (replaces the previous one).
    void setSnapshot(const CoordinatorSnapshot &snapshot);
    /// A new run: nothing known; `parallel` false shows that a single session
    /// has no coordinator.
    void reset(bool parallel);
    /// Live (the default): durations grow up to now and "Reconnect now" is
    /// offered. Not live (a run that has ended, an opened capture): every
    /// duration ends at the snapshot's own time (CoordinatorSnapshot::atMs),
    /// nothing ticks, and there is nothing to reconnect. reset() makes it live.
    void setLive(bool live);
    bool isLive() const { return m_live; }
    /// Display name of a sub-session (default: its id shortened).
    void setSessionLabelProvider(std::function<QString(const QString &sessionId)> provider);

    /// Refreshes done so far (tests: none while hidden).
    int refreshCount() const { return m_refreshes; }
    QTreeView *queueView() const { return m_queueView; }
    QTreeView *socketsView() const { return m_socketsView; }
    /// The headline ("Handshake slot: …"), the storm line under it and the
    /// figures, as plain text (tests).
    QString headline() const;
    QString stormLine() const;
    QString figuresText() const;

Q_SIGNALS:
    void reconnectRequested(const QString &sessionId, const QString &socket);
    void sessionSelected(const QString &sessionId);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void scheduleRefresh();
    void refresh();
    void fillQueue(qint64 now);
    /// The queue row's "Slots behind" cell: red from kServerReplaySlots on.
    void setBehind(int row, std::optional<quint64> slotsBehind);
    void fillSockets();
    void showContextMenu(QTreeView *view, const QPoint &pos);

    ConnectionTimelineModel *m_timeline;
    SessionLabels m_sessionLabel;
    std::optional<CoordinatorSnapshot> m_snapshot;
    ParkedQueuePace m_pace;    ///< of the snapshots since reset()
    bool m_parallel = true;
    bool m_live = true;
    QLabel *m_slot = nullptr;
    QLabel *m_storm = nullptr;
    QLabel *m_figures = nullptr;
    QTreeView *m_queueView = nullptr;
    QTreeView *m_socketsView = nullptr;
    QStandardItemModel *m_queue = nullptr;
    QStandardItemModel *m_sockets = nullptr;
    QTimer m_refreshTimer;
    QTimer m_clock;            ///< "parked for" / "for" grow while something waits
    bool m_stale = false;
    int m_refreshes = 0;
};

} // namespace SlotScope
