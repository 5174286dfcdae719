#include "model/protocollogmodel.h"

#include <QDateTime>

namespace SlotScope {

ProtocolLogModel::ProtocolLogModel(QObject *parent)
    : WindowedTableModel({tr("Time"), tr("Session"), tr("Direction"), tr("Method"), tr("seqId"), tr("Summary")},
                         DefaultWindowSize, parent)
{
    Q_ASSERT(columnCount() == ColumnCount); // one title per column
}

ProtocolLogModel::~ProtocolLogModel() = default;

QVariant ProtocolLogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ProtocolLogEntry &e = m_entries[index.row()];
    const bool incoming = e.direction == ProtocolLogEntry::Direction::Incoming;
    switch (role) {
    case SessionIdRole:
        return e.sessionId;
    case DroppedRole:
        return e.dropped;
    case DirectionRole:
        return int(e.direction);
    case TimeRole:
        return QVariant::fromValue<qlonglong>(e.timeMs);
    case Qt::ToolTipRole:
        if (e.dropped)
            return tr("Replayed duplicate (seqId already seen): dropped, not acted on");
        if (index.column() == SummaryColumn)
            return e.summary;
        if (index.column() == TimeColumn)
            return QDateTime::fromMSecsSinceEpoch(e.timeMs, Qt::UTC).toString(Qt::ISODateWithMs);
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == SeqIdColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::DisplayRole:
    case RawValueRole: {
        const bool raw = role == RawValueRole;
        switch (index.column()) {
        case TimeColumn:
            if (raw)
                return QVariant::fromValue<qlonglong>(e.timeMs);
            return QDateTime::fromMSecsSinceEpoch(e.timeMs).toString(QStringLiteral("hh:mm:ss.zzz"));
        case SessionColumn:
            return e.sessionId;
        case DirectionColumn:
            if (raw)
                return int(e.direction);
            if (e.dropped)
                return tr("in (dropped)");
            return incoming ? tr("in") : tr("out");
        case MethodColumn:
            return e.method;
        case SeqIdColumn:
            if (!e.seqId)
                return raw ? QVariant() : QVariant(QString());
            return raw ? QVariant::fromValue<qulonglong>(*e.seqId) : QVariant(QString::number(*e.seqId));
        case SummaryColumn:
            return e.summary;
        }
        return {};
    }
    }
    return {};
}

QHash<int, QByteArray> ProtocolLogModel::roleNames() const
{
    return withSharedRoleNames(QAbstractTableModel::roleNames(),
                               {{DroppedRole, "dropped"}, {DirectionRole, "direction"}, {TimeRole, "time"}});
}

void ProtocolLogModel::appendEntries(const QList<ProtocolLogEntry> &batch)
{
    appendWindowed(batch.size(), [&](qsizetype i) { m_entries.append(batch.at(i)); });
}

void ProtocolLogModel::clear()
{
    resetWindow([this] { m_entries.clear(); });
}

ProtocolLogEntry ProtocolLogModel::entry(int row) const
{
    return row >= 0 && row < m_entries.size() ? m_entries[row] : ProtocolLogEntry{};
}

} // namespace SlotScope
