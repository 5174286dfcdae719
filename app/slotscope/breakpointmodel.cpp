#include "breakpointmodel.h"

#include "protocol/knownprograms.h"

using namespace Qt::StringLiterals;

namespace SlotScope {

namespace {

QString slotText(const std::optional<quint64> &slot)
{
    return slot ? QString::number(*slot) : QString();
}

} // namespace

BreakpointModel::BreakpointModel(QObject *parent)
    : FlatTableModel({tr("Discovery filter"), tr("Skip"), tr("Log only"), tr("From slot"), tr("To slot"), tr("Hits"),
                      tr("Last hit")}, parent)
{
    Q_ASSERT(columnCount() == ColumnCount); // one title per column
}

void BreakpointModel::setBreakpoints(const QList<DiscoveryBreakpoint> &breakpoints)
{
    beginResetModel();
    m_rows.clear();
    for (const DiscoveryBreakpoint &breakpoint : breakpoints)
        m_rows.append(Row{breakpoint, 0, {}});
    endResetModel();
}

QList<DiscoveryBreakpoint> BreakpointModel::breakpoints() const
{
    QList<DiscoveryBreakpoint> out;
    for (const Row &row : m_rows)
        out.append(row.breakpoint);
    return out;
}

void BreakpointModel::addHits(const DiscoveryBatchEvent &batch, const QList<BreakpointHit> &hits)
{
    for (const BreakpointHit &hit : hits) {
        for (qsizetype i = 0; i < m_rows.size(); ++i) {
            Row &row = m_rows[i];
            if (row.breakpoint.program != hit.program)
                continue;
            ++row.hits;
            row.lastHit = tr("%1/%2 %3").arg(batch.slot).arg(batch.batchIndex).arg(breakpointActionName(hit.action));
            Q_EMIT dataChanged(index(int(i), HitsColumn), index(int(i), LastHitColumn), {Qt::DisplayRole});
        }
    }
}

quint64 BreakpointModel::hits(const QString &program) const
{
    for (const Row &row : m_rows) {
        if (row.breakpoint.program == program)
            return row.hits;
    }
    return 0;
}

QVariant BreakpointModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &row = m_rows.at(index.row());
    const DiscoveryBreakpoint &b = row.breakpoint;
    if (role == Qt::CheckStateRole) {
        if (index.column() == ProgramColumn)
            return b.enabled ? Qt::Checked : Qt::Unchecked;
        if (index.column() == LogOnlyColumn)
            return b.logOnly ? Qt::Checked : Qt::Unchecked;
        return {};
    }
    if (role == Qt::ToolTipRole && index.column() == ProgramColumn)
        return tr("programExecuted %1 — unchecked: disabled, counts no hits").arg(b.program);
    // A batch counts its hits per sub-session, as skip does; the panel adds them up.
    if (role == Qt::ToolTipRole && (index.column() == HitsColumn || index.column() == SkipColumn))
        return tr("Hits: of every session of the run together. Skip: the first hits each session passes on its own");
    if (role == Qt::TextAlignmentRole && index.column() != ProgramColumn && index.column() != LastHitColumn)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != Qt::EditRole)
        return {};
    switch (Column(index.column())) {
    case ProgramColumn: {
        const QString name = knownProgramName(b.program);
        return name.isEmpty() ? b.program : u"%1 (%2)"_s.arg(name, shortAddress(b.program));
    }
    case SkipColumn: return role == Qt::EditRole ? QVariant(int(qMin<quint64>(b.skipHits, 1'000'000'000)))
                                                 : QVariant(QString::number(b.skipHits));
    case LogOnlyColumn: return {};
    case FromColumn: return slotText(b.fromSlot);
    case ToColumn: return slotText(b.toSlot);
    case HitsColumn: return QString::number(row.hits);
    case LastHitColumn: return row.lastHit;
    case ColumnCount: break;
    }
    return {};
}

Qt::ItemFlags BreakpointModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags flags = QAbstractTableModel::flags(index);
    switch (index.column()) {
    case ProgramColumn:
    case LogOnlyColumn: return flags | Qt::ItemIsUserCheckable;
    case SkipColumn:
    case FromColumn:
    case ToColumn: return flags | Qt::ItemIsEditable;
    default: return flags;
    }
}

bool BreakpointModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return false;
    DiscoveryBreakpoint edited = m_rows.at(index.row()).breakpoint;
    if (role == Qt::CheckStateRole && index.column() == ProgramColumn) {
        edited.enabled = value.value<Qt::CheckState>() == Qt::Checked;
    } else if (role == Qt::CheckStateRole && index.column() == LogOnlyColumn) {
        edited.logOnly = value.value<Qt::CheckState>() == Qt::Checked;
    } else if (role == Qt::EditRole && index.column() == SkipColumn) {
        bool ok = false;
        const qlonglong skip = value.toLongLong(&ok);
        if (!ok || skip < 0)
            return false;
        edited.skipHits = quint64(skip);
    } else if (role == Qt::EditRole && (index.column() == FromColumn || index.column() == ToColumn)) {
        const QString text = value.toString().trimmed();
        std::optional<quint64> slot;
        if (!text.isEmpty()) {
            bool ok = false;
            slot = text.toULongLong(&ok);
            if (!ok)
                return false;
        }
        (index.column() == FromColumn ? edited.fromSlot : edited.toSlot) = slot;
        if (edited.fromSlot && edited.toSlot && *edited.fromSlot > *edited.toSlot)
            return false; // an inverted range is refused, the old value stays
    } else {
        return false;
    }
    if (edited == m_rows.at(index.row()).breakpoint)
        return true;
    m_rows[index.row()].breakpoint = edited;
    Q_EMIT dataChanged(this->index(index.row(), 0), this->index(index.row(), ColumnCount - 1));
    Q_EMIT breakpointsEdited(breakpoints());
    return true;
}

} // namespace SlotScope
