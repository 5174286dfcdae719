#include "model/connectiontimelinemodel.h"
#include "model/sessionupdate.h"

#include <QDateTime>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace SlotScope {

namespace {

QString shortSession(const QString &sessionId)
{
    // backtest_0199d2c4-5b7e-… → backtest_…1c00 keeps lanes readable.
    if (sessionId.size() <= 20)
        return sessionId;
    return sessionId.left(9) + u"…"_s + sessionId.right(4);
}

} // namespace

ConnectionTimelineModel::ConnectionTimelineModel(QObject *parent)
    : FlatTableModel({tr("Socket"), tr("Status"), tr("From (UTC)"), tr("To (UTC)"), tr("Attempt"), tr("Reason")},
                     parent)
{
    Q_ASSERT(columnCount() == ColumnCount); // one title per column
}

QVariant ConnectionTimelineModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Interval &interval = m_intervals.at(index.row());
    switch (role) {
    case LaneIndexRole: return interval.lane;
    case StatusRole: return int(interval.status);
    case StartMsRole: return interval.startMs;
    case EndMsRole: return interval.endMs ? QVariant(*interval.endMs) : QVariant();
    case ReconnectRole: return interval.reconnect;
    case Qt::DisplayRole:
        switch (index.column()) {
        case LaneColumn: return m_laneNames.value(interval.lane);
        case StatusColumn: return connectionStatusText(interval.status);
        case StartColumn:
            return QDateTime::fromMSecsSinceEpoch(interval.startMs, Qt::UTC).toString(u"HH:mm:ss.zzz"_s);
        case EndColumn:
            return interval.endMs ? QDateTime::fromMSecsSinceEpoch(*interval.endMs, Qt::UTC).toString(u"HH:mm:ss.zzz"_s)
                                  : QString();
        case AttemptColumn: return interval.attempt > 0 ? QString::number(interval.attempt) : QString();
        case ReasonColumn: return interval.reason;
        }
        break;
    case Qt::ToolTipRole:
        return tr("%1: %2%3%4")
            .arg(m_laneNames.value(interval.lane), connectionStatusText(interval.status),
                 interval.attempt > 0 ? tr(" (attempt %1)").arg(interval.attempt) : QString(),
                 interval.reason.isEmpty() ? QString() : u" — "_s + interval.reason);
    default:
        break;
    }
    return {};
}

int ConnectionTimelineModel::laneFor(const ConnectionEvent &event)
{
    const QString key = event.sessionId + u'\x1f' + event.socket;
    if (const auto it = m_laneIndex.constFind(key); it != m_laneIndex.constEnd())
        return *it;
    // A socket first seen before its session existed keeps its lane.
    const QString orphanKey = QString(u'\x1f') + event.socket;
    if (!event.sessionId.isEmpty()) {
        if (const auto it = m_laneIndex.constFind(orphanKey); it != m_laneIndex.constEnd()) {
            const int lane = *it;
            m_laneIndex.remove(orphanKey);
            m_laneIndex.insert(key, lane);
            m_laneNames[lane] = shortSession(event.sessionId) + u" · "_s + event.socket;
            // Out of the run's group into its session's.
            if (const int group = m_groupIndex.value(QString(), -1); group >= 0) {
                m_groups[group].lanes.removeOne(lane);
                if (m_groups[group].lanes.isEmpty()) {
                    m_groups.removeAt(group);
                    m_groupIndex.clear();
                    for (int i = 0; i < m_groups.size(); ++i)
                        m_groupIndex.insert(m_groups.at(i).sessionId, i);
                }
            }
            m_lanes[lane].sessionId = event.sessionId;
            addToGroup(event.sessionId, lane);
            Q_EMIT lanesChanged();
            return lane;
        }
    }
    const int lane = int(m_laneNames.size());
    m_laneNames.append(event.sessionId.isEmpty() ? event.socket
                                                 : shortSession(event.sessionId) + u" · "_s + event.socket);
    Lane added;
    added.sessionId = event.sessionId;
    added.socket = event.socket;
    added.ended = true; // nothing counted until its first interval
    m_lanes.append(added);
    m_laneIndex.insert(key, lane);
    addToGroup(event.sessionId, lane);
    Q_EMIT lanesChanged();
    return lane;
}

void ConnectionTimelineModel::addToGroup(const QString &sessionId, int lane)
{
    int group = m_groupIndex.value(sessionId, -1);
    if (group < 0) {
        group = int(m_groups.size());
        m_groups.append(Group{sessionId, {}});
        m_groupIndex.insert(sessionId, group);
    }
    m_groups[group].lanes.append(lane);
}

int ConnectionTimelineModel::laneOf(const QString &sessionId, const QString &socket) const
{
    return m_laneIndex.value(sessionId + u'\x1f' + socket, -1);
}

void ConnectionTimelineModel::count(ConnectionStatus status, int delta, SummaryPoint &point)
{
    switch (status) {
    case ConnectionStatus::Up: point.up += delta; return;
    case ConnectionStatus::Down: point.down += delta; return;
    case ConnectionStatus::Parked: point.parked += delta; return;
    case ConnectionStatus::Failed: point.failed += delta; return;
    }
}

void ConnectionTimelineModel::pushSummary(const SummaryPoint &point)
{
    m_peakSockets = qMax(m_peakSockets, point.total());
    if (!m_summary.isEmpty()) {
        SummaryPoint &last = m_summary.last();
        if (last.sameCounts(point))
            return;
        if (last.timeMs >= point.timeMs) {
            // Same moment (or a clock step back): the latest counts win.
            last = SummaryPoint{last.timeMs, point.up, point.down, point.parked, point.failed};
            if (m_summary.size() > 1 && m_summary.at(m_summary.size() - 2).sameCounts(last))
                m_summary.removeLast();
            return;
        }
    }
    m_summary.append(point);
}

void ConnectionTimelineModel::appendEvents(const QList<ConnectionEvent> &events)
{
    if (events.isEmpty())
        return;
    QList<Interval> added;
    qsizetype firstClosed = -1;
    qsizetype lastClosed = -1;
    const qsizetype existing = m_intervals.size();
    auto closeRow = [&](qsizetype row, qint64 at) {
        if (row < existing) {
            m_intervals[row].endMs = at;
            firstClosed = firstClosed < 0 ? row : qMin(firstClosed, row);
            lastClosed = qMax(lastClosed, row);
        } else {
            added[row - existing].endMs = at;
        }
    };
    auto intervalAt = [&](qsizetype row) -> Interval & {
        return row < existing ? m_intervals[row] : added[row - existing];
    };
    SummaryPoint counts = currentCounts();
    // A lane's last interval (row) ends at `at`: Failed is terminal and stays
    // counted; a socket whose loop ended otherwise (stopped, end of stream)
    // leaves the summary's counts, as at closeAll().
    auto endLane = [&](int lane, Lane &info, qsizetype row, qint64 at) {
        closeRow(row, at);
        m_openInterval.remove(lane);
        info.ended = true;
        if (info.status != ConnectionStatus::Failed) {
            count(info.status, -1, counts);
            counts.timeMs = at;
            pushSummary(counts);
        }
    };

    for (const ConnectionEvent &event : events) {
        if (m_originMs == 0 || event.timeMs < m_originMs)
            m_originMs = event.timeMs;
        const int lane = laneFor(event);
        Lane &info = m_lanes[lane];
        // Intervals of a lane stay in time order even if the clock stepped back.
        qint64 at = event.timeMs;
        if (!info.rows.isEmpty()) {
            // (An ended lane's last interval may end after it started: not before its end either.)
            const Interval &last = intervalAt(info.rows.constLast());
            at = qMax(at, last.endMs.value_or(last.startMs));
        }
        m_latestMs = qMax(m_latestMs, at);
        info.attempt = event.attempt;
        info.reason = event.reason;
        if (const auto open = m_openInterval.constFind(lane); open != m_openInterval.constEnd()) {
            Interval &current = intervalAt(*open);
            if (current.status == event.status) {
                current.reason = event.reason;
                current.attempt = event.attempt;
                if (*open < existing) {
                    firstClosed = firstClosed < 0 ? *open : qMin(firstClosed, *open);
                    lastClosed = qMax(lastClosed, *open);
                }
                if (event.ended) // its loop ended in the status it had
                    endLane(lane, info, *open, at);
                continue;
            }
            if (event.ended && event.status != ConnectionStatus::Failed) {
                // Its loop ended (end of stream, stopped with its session):
                // the lane ends where it was, with no Down after it — that
                // would read as a loss, drawn as a sliver at its end.
                endLane(lane, info, *open, at);
                info.status = event.status; // its last status, as the lane's label says it ("Closed")
                continue;
            }
            closeRow(*open, at);
        }
        if (!info.ended || info.status == ConnectionStatus::Failed) {
            if (!info.rows.isEmpty())
                count(info.status, -1, counts);
        }
        count(event.status, +1, counts);
        counts.timeMs = at;
        pushSummary(counts);
        info.status = event.status;
        info.ended = false;

        Interval interval;
        interval.lane = lane;
        interval.status = event.status;
        interval.startMs = at;
        interval.reason = event.reason;
        interval.attempt = event.attempt;
        if (event.status == ConnectionStatus::Up) {
            interval.reconnect = m_laneWasUp.value(lane, false);
            m_laneWasUp.insert(lane, true);
        }
        added.append(interval);
        info.rows.append(existing + added.size() - 1);
        m_openInterval.insert(lane, existing + added.size() - 1);
        if (event.status == ConnectionStatus::Failed || event.ended)
            endLane(lane, info, existing + added.size() - 1, at);
    }
    if (firstClosed >= 0)
        Q_EMIT dataChanged(index(int(firstClosed), 0), index(int(lastClosed), ColumnCount - 1));
    if (!added.isEmpty()) {
        beginInsertRows({}, int(existing), int(existing + added.size() - 1));
        m_intervals.append(added);
        endInsertRows();
    }
}

void ConnectionTimelineModel::closeAll(qint64 timeMs)
{
    if (m_openInterval.isEmpty())
        return;
    qsizetype first = m_intervals.size();
    qsizetype last = -1;
    SummaryPoint counts = currentCounts();
    for (auto it = m_openInterval.cbegin(); it != m_openInterval.cend(); ++it) {
        const qsizetype row = it.value();
        m_intervals[row].endMs = qMax(timeMs, m_intervals[row].startMs);
        m_latestMs = qMax(m_latestMs, *m_intervals[row].endMs);
        Lane &info = m_lanes[it.key()];
        count(info.status, -1, counts);
        info.ended = true;
        first = qMin(first, row);
        last = qMax(last, row);
    }
    m_openInterval.clear();
    counts.timeMs = qMax(timeMs, m_summary.isEmpty() ? timeMs : m_summary.constLast().timeMs);
    pushSummary(counts);
    Q_EMIT dataChanged(index(int(first), 0), index(int(last), ColumnCount - 1));
}

void ConnectionTimelineModel::clear()
{
    beginResetModel();
    m_intervals.clear();
    m_laneNames.clear();
    m_lanes.clear();
    m_groups.clear();
    m_groupIndex.clear();
    m_laneIndex.clear();
    m_openInterval.clear();
    m_laneWasUp.clear();
    m_summary.clear();
    m_originMs = 0;
    m_latestMs = 0;
    m_peakSockets = 0;
    endResetModel();
    Q_EMIT lanesChanged();
}

QList<qint64> ConnectionTimelineModel::reconnectTimes(int lane) const
{
    QList<qint64> times;
    if (lane < 0 || lane >= m_lanes.size())
        return times;
    for (const qsizetype row : m_lanes.at(lane).rows) {
        if (m_intervals.at(row).reconnect)
            times.append(m_intervals.at(row).startMs);
    }
    return times;
}

std::pair<qsizetype, qsizetype> ConnectionTimelineModel::intervalsIn(int lane, qint64 fromMs, qint64 toMs,
                                                                     qint64 openUntilMs) const
{
    const QList<qsizetype> &rows = m_lanes.at(lane).rows;
    // Ends never decrease along a lane, nor do starts.
    const auto endOf = [&](qsizetype row) {
        const Interval &interval = m_intervals.at(row);
        return interval.endMs.value_or(qMax(openUntilMs, interval.startMs));
    };
    const auto first = std::partition_point(rows.cbegin(), rows.cend(),
                                            [&](qsizetype row) { return endOf(row) < fromMs; });
    const auto last = std::partition_point(first, rows.cend(),
                                           [&](qsizetype row) { return m_intervals.at(row).startMs <= toMs; });
    return {first - rows.cbegin(), last - rows.cbegin()};
}

qsizetype ConnectionTimelineModel::summaryAt(qint64 timeMs) const
{
    const auto after = std::partition_point(m_summary.cbegin(), m_summary.cend(),
                                            [&](const SummaryPoint &point) { return point.timeMs <= timeMs; });
    return (after - m_summary.cbegin()) - 1;
}

} // namespace SlotScope
