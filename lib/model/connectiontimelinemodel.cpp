#include "model/connectiontimelinemodel.h"

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
    : QAbstractTableModel(parent)
{
}

int ConnectionTimelineModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_intervals.size());
}

int ConnectionTimelineModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
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
        case StatusColumn: return connectionStatusName(interval.status);
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
            .arg(m_laneNames.value(interval.lane), connectionStatusName(interval.status),
                 interval.attempt > 0 ? tr(" (attempt %1)").arg(interval.attempt) : QString(),
                 interval.reason.isEmpty() ? QString() : u" — "_s + interval.reason);
    default:
        break;
    }
    return {};
}

QVariant ConnectionTimelineModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case LaneColumn: return tr("Socket");
    case StatusColumn: return tr("Status");
    case StartColumn: return tr("From (UTC)");
    case EndColumn: return tr("To (UTC)");
    case AttemptColumn: return tr("Attempt");
    case ReasonColumn: return tr("Reason");
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
            Q_EMIT lanesChanged();
            return lane;
        }
    }
    const int lane = int(m_laneNames.size());
    m_laneNames.append(event.sessionId.isEmpty() ? event.socket
                                                 : shortSession(event.sessionId) + u" · "_s + event.socket);
    m_laneIndex.insert(key, lane);
    Q_EMIT lanesChanged();
    return lane;
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

    for (const ConnectionEvent &event : events) {
        if (m_originMs == 0 || event.timeMs < m_originMs)
            m_originMs = event.timeMs;
        const int lane = laneFor(event);
        if (const auto open = m_openInterval.constFind(lane); open != m_openInterval.constEnd()) {
            Interval &current = intervalAt(*open);
            if (current.status == event.status) {
                current.reason = event.reason;
                current.attempt = event.attempt;
                if (*open < existing) {
                    firstClosed = firstClosed < 0 ? *open : qMin(firstClosed, *open);
                    lastClosed = qMax(lastClosed, *open);
                }
                continue;
            }
            closeRow(*open, event.timeMs);
        }
        Interval interval;
        interval.lane = lane;
        interval.status = event.status;
        interval.startMs = event.timeMs;
        interval.reason = event.reason;
        interval.attempt = event.attempt;
        if (event.status == ConnectionStatus::Up) {
            interval.reconnect = m_laneWasUp.value(lane, false);
            m_laneWasUp.insert(lane, true);
        }
        added.append(interval);
        m_openInterval.insert(lane, existing + added.size() - 1);
        if (event.status == ConnectionStatus::Failed) {
            // Failed is terminal for the socket: nothing follows on the lane.
            added.last().endMs = event.timeMs;
            m_openInterval.remove(lane);
        }
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
    for (const qsizetype row : std::as_const(m_openInterval)) {
        m_intervals[row].endMs = qMax(timeMs, m_intervals[row].startMs);
        first = qMin(first, row);
        last = qMax(last, row);
    }
    m_openInterval.clear();
    Q_EMIT dataChanged(index(int(first), 0), index(int(last), ColumnCount - 1));
}

void ConnectionTimelineModel::clear()
{
    beginResetModel();
    m_intervals.clear();
    m_laneNames.clear();
    m_laneIndex.clear();
    m_openInterval.clear();
    m_laneWasUp.clear();
    m_originMs = 0;
    endResetModel();
    Q_EMIT lanesChanged();
}

QList<qint64> ConnectionTimelineModel::reconnectTimes(int lane) const
{
    QList<qint64> times;
    for (const Interval &interval : m_intervals) {
        if (interval.lane == lane && interval.reconnect)
            times.append(interval.startMs);
    }
    return times;
}

} // namespace SlotScope
