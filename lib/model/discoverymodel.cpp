#include "model/discoverymodel.h"

#include <QSet>
#include <QStringList>
#include <QLocale>

#include <algorithm>

namespace SlotScope {

namespace {

QStringList describeAll(const QList<DiscoveryFilter> &filters)
{
    QStringList texts;
    texts.reserve(filters.size());
    for (const DiscoveryFilter &filter : filters)
        texts << filter.describe();
    return texts;
}

} // namespace

DiscoveryModel::DiscoveryModel(QObject *parent)
    : FlatTableModel({tr("Session"), tr("Slot"), tr("Batch"), tr("Matched filters"), tr("Transactions"), tr("State")},
                     parent)
{
    Q_ASSERT(columnCount() == ColumnCount); // one title per column
}

DiscoveryModel::~DiscoveryModel() = default;

QString DiscoveryModel::stateText(BatchState state)
{
    switch (state) {
    case BatchState::Ahead: return tr("Ahead");
    case BatchState::Reached: return tr("Reached");
    case BatchState::Passed: return tr("Passed");
    }
    return QString();
}

QVariant DiscoveryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Entry &entry = m_entries.at(index.row());
    const DiscoveryBatchEvent &event = entry.event;
    switch (role) {
    case SessionIdRole:
        return entry.sessionId;
    case StateRole:
        return int(entry.state);
    case SlotRole:
        return QVariant::fromValue<qulonglong>(event.slot);
    case BatchIndexRole:
        return QVariant::fromValue<uint>(event.batchIndex);
    case Qt::TextAlignmentRole:
        if (index.column() == SlotColumn || index.column() == BatchIndexColumn
            || index.column() == TransactionsColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ToolTipRole:
        if (index.column() == MatchedColumn)
            return describeAll(event.matched).join(QLatin1Char('\n'));
        if (index.column() == TransactionsColumn && !event.transactionIndices.isEmpty()) {
            QStringList indices;
            for (quint32 i : event.transactionIndices)
                indices << QString::number(i);
            return tr("Positions in the block: %1").arg(indices.join(QStringLiteral(", ")));
        }
        return {};
    case Qt::DisplayRole:
    case RawValueRole: {
        const bool raw = role == RawValueRole;
        switch (index.column()) {
        case SessionColumn:
            return entry.sessionId;
        case SlotColumn:
            return raw ? QVariant::fromValue<qulonglong>(event.slot) : QVariant(QString::number(event.slot));
        case BatchIndexColumn:
            return raw ? QVariant::fromValue<qulonglong>(event.batchIndex)
                       : QVariant(QString::number(event.batchIndex));
        case MatchedColumn:
            return entry.matchedText;
        case TransactionsColumn:
            return raw ? QVariant::fromValue<qulonglong>(quint64(event.transactions.size()))
                       : QVariant(QLocale().toString(event.transactions.size()));
        case StateColumn:
            return raw ? QVariant(int(entry.state)) : QVariant(stateText(entry.state));
        }
        return {};
    }
    }
    return {};
}

QHash<int, QByteArray> DiscoveryModel::roleNames() const
{
    return withSharedRoleNames(QAbstractTableModel::roleNames(),
                               {{StateRole, "state"}, {SlotRole, "slot"}, {BatchIndexRole, "batchIndex"}});
}

DiscoveryModel::BatchState DiscoveryModel::stateFor(const Position *position, quint64 slot,
                                                    quint32 batchIndex, BatchState previous)
{
    if (previous == BatchState::Passed)
        return BatchState::Passed;
    if (!position)
        return previous;
    if (position->finished)
        return BatchState::Passed;

    const SessionPosition at = position->position();
    BatchState next = at.hasRun(slot, batchIndex) ? BatchState::Passed
                      : at.isAt(slot, batchIndex) ? BatchState::Reached
                                                  : BatchState::Ahead;
    // Reached, then the session moved on (resumed): the batch has run.
    if (previous == BatchState::Reached && next == BatchState::Ahead)
        next = BatchState::Passed;
    return next;
}

bool DiscoveryModel::addBatch(const QString &sessionId, const DiscoveryBatchEvent &event)
{
    return addBatches(sessionId, {event}) == 1;
}

int DiscoveryModel::addBatches(const QString &sessionId, const QList<DiscoveryBatchEvent> &events)
{
    QList<Entry> fresh;
    QSet<Key> seen;
    for (const DiscoveryBatchEvent &event : events) {
        const Key key{sessionId, event.slot, event.batchIndex};
        if (m_rows.contains(key) || seen.contains(key))
            continue;
        seen.insert(key);
        const auto position = m_positions.constFind(sessionId);
        Entry entry;
        entry.sessionId = sessionId;
        entry.event = event;
        entry.matchedText = describeAll(event.matched).join(QStringLiteral(", "));
        entry.state = stateFor(position == m_positions.cend() ? nullptr : &position.value(),
                               event.slot, event.batchIndex, BatchState::Ahead);
        fresh.append(std::move(entry));
    }
    if (fresh.isEmpty())
        return 0;

    const int first = int(m_entries.size());
    beginInsertRows({}, first, first + int(fresh.size()) - 1);
    for (Entry &entry : fresh) {
        const int row = int(m_entries.size());
        m_rows.insert(Key{entry.sessionId, entry.event.slot, entry.event.batchIndex}, row);
        m_rowsBySession[entry.sessionId].append(row);
        m_entries.append(std::move(entry));
    }
    endInsertRows();
    return int(fresh.size());
}

void DiscoveryModel::reevaluate(const QString &sessionId)
{
    const Position &position = m_positions[sessionId];
    int firstChanged = -1;
    int lastChanged = -1;
    for (int row : m_rowsBySession.value(sessionId)) {
        Entry &entry = m_entries[row];
        const BatchState next = stateFor(&position, entry.event.slot, entry.event.batchIndex, entry.state);
        if (next == entry.state)
            continue;
        entry.state = next;
        firstChanged = firstChanged < 0 ? row : qMin(firstChanged, row);
        lastChanged = qMax(lastChanged, row);
    }
    if (firstChanged < 0)
        return;
    // One signal for the session: rows of other sessions inside the range are
    // unchanged, which dataChanged allows.
    Q_EMIT dataChanged(index(firstChanged, 0), index(lastChanged, ColumnCount - 1),
                       {Qt::DisplayRole, RawValueRole, StateRole});
}

void DiscoveryModel::setPosition(const QString &sessionId, quint64 slot,
                                 std::optional<quint32> batchIndex, bool paused)
{
    Position &position = m_positions[sessionId];
    position.slot = slot;
    position.batchIndex = paused ? batchIndex : std::nullopt;
    position.paused = paused;
    reevaluate(sessionId);
}

bool DiscoveryModel::hasRun(const QString &sessionId, quint64 slot, std::optional<quint32> batchIndex) const
{
    const auto it = m_positions.constFind(sessionId);
    if (it == m_positions.cend())
        return false;
    const Position &position = it.value();
    if (position.finished)
        return true;
    const SessionPosition at = position.position();
    return batchIndex ? at.hasRun(slot, *batchIndex) : at.hasRunSlot(slot);
}

bool DiscoveryModel::isPausedBefore(const QString &sessionId, quint64 slot, quint32 batchIndex) const
{
    const auto it = m_positions.constFind(sessionId);
    return it != m_positions.cend() && !it->finished && it->position().isAt(slot, batchIndex);
}

void DiscoveryModel::setSessionFinished(const QString &sessionId)
{
    m_positions[sessionId].finished = true;
    reevaluate(sessionId);
}

void DiscoveryModel::clear()
{
    beginResetModel();
    m_entries.clear();
    m_rows.clear();
    m_rowsBySession.clear();
    m_positions.clear();
    endResetModel();
}

DiscoveryBatchEvent DiscoveryModel::batchAt(int row) const
{
    return row >= 0 && row < m_entries.size() ? m_entries.at(row).event : DiscoveryBatchEvent{};
}

QString DiscoveryModel::sessionIdAt(int row) const
{
    return row >= 0 && row < m_entries.size() ? m_entries.at(row).sessionId : QString();
}

DiscoveryModel::BatchState DiscoveryModel::stateAt(int row) const
{
    return row >= 0 && row < m_entries.size() ? m_entries.at(row).state : BatchState::Ahead;
}

int DiscoveryModel::rowOf(const QString &sessionId, quint64 slot, quint32 batchIndex) const
{
    return m_rows.value(Key{sessionId, slot, batchIndex}, -1);
}

} // namespace SlotScope
