#pragma once

#include "model/flattablemodel.h"
#include "protocol/connectionstatus.h"

#include <QHash>
#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

namespace SlotScope {

/// One status change of one socket (control or a subscription), as the
/// engine reports it (DESIGN.md §1 "Connections timeline").
struct ConnectionEvent
{
    qint64 timeMs = 0;        ///< milliseconds since the Unix epoch (UTC)
    QString sessionId;        ///< "" before the session exists
    QString socket;           ///< "control", "transactions", "account diffs", …
    ConnectionStatus status = ConnectionStatus::Down;
    QString reason;           ///< why Down / Parked / Failed
    int attempt = 0;          ///< reconnect attempt of the socket's budget
    /// The socket's last status (its loop ended: stopped, end of stream); a
    /// Down that is not waiting to retry. The lane ends here.
    bool ended = false;

    bool operator==(const ConnectionEvent &) const = default;
};

/// The Connections timeline (DESIGN.md §1): one lane per socket, and on each
/// lane the intervals it spent Up / Down / Parked / Failed, with reconnect
/// markers (a return to Up after the first). One row per interval, in the
/// order intervals began; the last interval of a lane is open (endMs empty)
/// until the socket changes again or the run ends (closeAll()).
///
/// Fed in batches by the engine (appendEvents); a repeated status on a lane
/// only updates the reason / attempt of its open interval.
///
/// Beside the flat table, for views that must stay fast with hundreds of
/// sockets: lanes grouped per sub-session (groups()), each lane's intervals
/// in time order (intervalsIn() finds the visible ones by binary search), and
/// the batch summary — how many sockets were Up / Down / Parked / Failed over
/// time (summary()).
class ConnectionTimelineModel : public Internal::FlatTableModel
{
    Q_OBJECT

public:
    enum Column { LaneColumn, StatusColumn, StartColumn, EndColumn, AttemptColumn, ReasonColumn, ColumnCount };
    Q_ENUM(Column)

    enum Role {
        LaneIndexRole = Qt::UserRole + 32, ///< int, every column: the lane of the row
        StatusRole,                        ///< int(ConnectionStatus)
        StartMsRole,                       ///< qlonglong, ms since epoch
        EndMsRole,                         ///< qlonglong, invalid while open
        ReconnectRole,                     ///< bool: this Up interval is a reconnect
    };
    Q_ENUM(Role)

    struct Interval
    {
        int lane = 0;
        ConnectionStatus status = ConnectionStatus::Down;
        qint64 startMs = 0;
        std::optional<qint64> endMs;
        QString reason;
        int attempt = 0;
        bool reconnect = false;   ///< an Up that followed an earlier Up on the lane
    };

    /// One socket of the run: its sub-session ("" = the run's own, e.g. a
    /// batch's shared control socket), its label, its intervals in time order
    /// (rows of intervals()), and where it stands now.
    struct Lane
    {
        QString sessionId;
        QString socket;
        QList<qsizetype> rows;      ///< its intervals, in time order (each ends where the next begins)
        /// The socket's last status; an ended lane's may differ from its last
        /// interval's (a socket that ended while Up ends its lane Up: no Down after it).
        ConnectionStatus status = ConnectionStatus::Down;
        int attempt = 0;
        QString reason;
        bool ended = false;         ///< closeAll(), Failed or an `ended` event: no open interval
    };

    /// The lanes of one sub-session (or of the run, sessionId ""), in order of first appearance.
    struct Group
    {
        QString sessionId;
        QList<int> lanes;
    };

    /// How many lanes were in each status from `timeMs` on (until the next point):
    /// the batch summary lane (DESIGN.md §1).
    struct SummaryPoint
    {
        qint64 timeMs = 0;
        int up = 0;
        int down = 0;
        int parked = 0;
        int failed = 0;

        int total() const { return up + down + parked + failed; }
        bool sameCounts(const SummaryPoint &other) const
        {
            return up == other.up && down == other.down && parked == other.parked && failed == other.failed;
        }
    };

    explicit ConnectionTimelineModel(QObject *parent = nullptr);

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    /// Applies events in order (one insertion for the new intervals of the
    /// batch, one dataChanged for the intervals they closed).
    void appendEvents(const QList<ConnectionEvent> &events);
    /// Ends every open interval at `timeMs` (the run finished).
    void closeAll(qint64 timeMs);
    void clear();

    /// "session · socket" names of the lanes, in order of first appearance.
    QStringList lanes() const { return m_laneNames; }
    const QList<Interval> &intervals() const { return m_intervals; }
    /// Times of the reconnect markers (returns to Up) of `lane`.
    QList<qint64> reconnectTimes(int lane) const;
    /// Earliest event time, or 0 when empty.
    qint64 originMs() const { return m_originMs; }
    /// Latest event (or closeAll()) time, or 0 when empty.
    qint64 latestMs() const { return m_latestMs; }

    int laneCount() const { return int(m_lanes.size()); }
    const Lane &lane(int lane) const { return m_lanes.at(lane); }
    /// The lane of `socket` of `sessionId`, or -1.
    int laneOf(const QString &sessionId, const QString &socket) const;
    /// Lanes grouped per sub-session, in order of first appearance.
    const QList<Group> &groups() const { return m_groups; }
    /// The group of `sessionId`, or -1.
    int groupOf(const QString &sessionId) const { return m_groupIndex.value(sessionId, -1); }
    /// The batch summary: one point per change of the counts, in time order.
    const QList<SummaryPoint> &summary() const { return m_summary; }
    /// The counts now (the last summary point; zeros when empty).
    SummaryPoint currentCounts() const { return m_summary.isEmpty() ? SummaryPoint{} : m_summary.constLast(); }
    /// The most sockets the summary ever counted at once (its vertical scale).
    int peakSockets() const { return m_peakSockets; }
    /// Some lane has an open interval (its socket is still running).
    bool hasOpenIntervals() const { return !m_openInterval.isEmpty(); }

    /// Positions in lane(lane).rows of the intervals overlapping [fromMs, toMs]
    /// (an open interval lasts until `openUntilMs`): [first, last), found by
    /// binary search, so the cost does not grow with intervals outside the range.
    std::pair<qsizetype, qsizetype> intervalsIn(int lane, qint64 fromMs, qint64 toMs, qint64 openUntilMs) const;
    /// Position in summary() of the point in effect at `timeMs` (-1: before the first).
    qsizetype summaryAt(qint64 timeMs) const;

Q_SIGNALS:
    void lanesChanged();

private:
    qsizetype rows() const override { return m_intervals.size(); }
    int laneFor(const ConnectionEvent &event);
    void addToGroup(const QString &sessionId, int lane);
    void count(ConnectionStatus status, int delta, SummaryPoint &point);
    void pushSummary(const SummaryPoint &point);

    QList<Interval> m_intervals;
    QStringList m_laneNames;
    QList<Lane> m_lanes;
    QList<Group> m_groups;
    QHash<QString, int> m_groupIndex;       ///< session id → group
    QHash<QString, int> m_laneIndex;        ///< lane key → lane
    QHash<int, qsizetype> m_openInterval;   ///< lane → row of its open interval
    QHash<int, bool> m_laneWasUp;
    QList<SummaryPoint> m_summary;
    qint64 m_originMs = 0;
    qint64 m_latestMs = 0;
    int m_peakSockets = 0;
};

} // namespace SlotScope

Q_DECLARE_METATYPE(SlotScope::ConnectionEvent)
