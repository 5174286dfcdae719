#include "model/transactionfilterproxymodel.h"

#include "model/logging.h"

#include <QHash>

#include <algorithm>

namespace SlotScope {

TransactionFilterProxyModel::TransactionFilterProxyModel(QObject *parent)
    : QAbstractProxyModel(parent)
{
}

TransactionFilterProxyModel::~TransactionFilterProxyModel() = default;

void TransactionFilterProxyModel::setSourceModel(QAbstractItemModel *sourceModel)
{
    auto *transactions = qobject_cast<TransactionModel *>(sourceModel);
    if (sourceModel && !transactions)
        qCWarning(lcModel) << "TransactionFilterProxyModel needs a TransactionModel source; got"
                           << sourceModel->metaObject()->className();

    beginResetModel();
    for (const auto &connection : std::as_const(m_connections))
        disconnect(connection);
    m_connections.clear();
    QAbstractProxyModel::setSourceModel(transactions);
    m_source = transactions;
    m_rows = transactions;
    m_serials.clear();
    m_base = 0;
    if (m_source) {
        using M = TransactionModel;
        m_connections = {
            connect(m_source, &M::rowsInserted, this, &TransactionFilterProxyModel::onRowsInserted),
            connect(m_source, &M::rowsAboutToBeRemoved, this,
                    &TransactionFilterProxyModel::onRowsAboutToBeRemoved),
            connect(m_source, &M::rowsRemoved, this, &TransactionFilterProxyModel::onRowsRemoved),
            connect(m_source, &M::modelAboutToBeReset, this,
                    &TransactionFilterProxyModel::onSourceAboutToBeReset),
            connect(m_source, &M::modelReset, this, &TransactionFilterProxyModel::onSourceReset),
            // TransactionModel never reorders or edits rows; should a source
            // do it anyway, start over rather than show stale rows.
            connect(m_source, &M::layoutAboutToBeChanged, this,
                    &TransactionFilterProxyModel::onSourceAboutToBeReset),
            connect(m_source, &M::layoutChanged, this, &TransactionFilterProxyModel::onSourceReset),
            connect(m_source, &M::headerDataChanged, this,
                    [this](Qt::Orientation orientation, int first, int last) {
                        if (orientation == Qt::Horizontal)
                            Q_EMIT headerDataChanged(orientation, first, last);
                    }),
            connect(m_source, &QObject::destroyed, this, [this] {
                beginResetModel();
                m_serials.clear();
                m_rows = nullptr;
                endResetModel();
            }),
        };
        rebuild();
    }
    endResetModel();
}

bool TransactionFilterProxyModel::before(Serial a, Serial b) const
{
    if (m_sortColumn >= 0) {
        int left = sourceRow(a);
        int right = sourceRow(b);
        if (m_sortOrder == Qt::DescendingOrder)
            std::swap(left, right);
        if (m_rows->rawLessThan(m_sortColumn, left, right))
            return true;
        if (m_rows->rawLessThan(m_sortColumn, right, left))
            return false;
    }
    return a < b; // ties (and column -1): arrival order
}

void TransactionFilterProxyModel::rebuild()
{
    m_serials.clear();
    if (!m_source)
        return;
    const int rows = m_source->rowCount();
    m_serials.reserve(size_t(rows));
    const bool all = m_filter.isEmpty();
    for (int row = 0; row < rows; ++row) {
        if (all || m_source->rowMatches(row, m_filter))
            m_serials.push_back(row + m_base);
    }
    if (m_sortColumn >= 0)
        std::sort(m_serials.begin(), m_serials.end(), [this](Serial a, Serial b) { return before(a, b); });
}

template<typename Reorder>
void TransactionFilterProxyModel::relayout(Reorder reorder, QAbstractItemModel::LayoutChangeHint hint)
{
    Q_EMIT layoutAboutToBeChanged({}, hint);
    const QModelIndexList persistent = persistentIndexList();
    std::vector<Serial> persistentSerials;
    persistentSerials.reserve(size_t(persistent.size()));
    for (const QModelIndex &index : persistent)
        persistentSerials.push_back(m_serials[size_t(index.row())]);

    const auto newRow = reorder();

    if (!persistent.isEmpty()) {
        QModelIndexList moved;
        moved.reserve(persistent.size());
        for (qsizetype i = 0; i < persistent.size(); ++i) {
            const QModelIndex &old = persistent.at(i);
            moved << index(newRow(old.row(), persistentSerials[size_t(i)]), old.column());
        }
        changePersistentIndexList(persistent, moved);
    }
    Q_EMIT layoutChanged({}, hint);
}

void TransactionFilterProxyModel::removeRows(const std::vector<bool> &doomed)
{
    const auto count = int(std::count(doomed.cbegin(), doomed.cend(), true));
    if (count == 0)
        return;
    const int first = int(std::find(doomed.cbegin(), doomed.cend(), true) - doomed.cbegin());
    const int last = int(doomed.size()) - 1
            - int(std::find(doomed.crbegin(), doomed.crend(), true) - doomed.crbegin());
    if (last - first + 1 != count) {
        // Scattered (a sorted view): gather them at the end first, so the
        // removal below is one range.
        std::vector<int> newIndex(m_serials.size());
        relayout([&] {
                     std::vector<Serial> reordered(m_serials.size());
                     const int kept = int(m_serials.size()) - count;
                     int keptAt = 0;
                     int doomedAt = kept;
                     for (size_t i = 0; i < m_serials.size(); ++i) {
                         const int to = doomed[i] ? doomedAt++ : keptAt++;
                         reordered[size_t(to)] = m_serials[i];
                         newIndex[i] = to;
                     }
                     m_serials.swap(reordered);
                     return [&newIndex](int oldRow, Serial) { return newIndex[size_t(oldRow)]; };
                 },
                 QAbstractItemModel::NoLayoutChangeHint);
        const int size = int(m_serials.size());
        beginRemoveRows({}, size - count, size - 1);
        m_serials.resize(size_t(size - count));
        endRemoveRows();
        return;
    }
    beginRemoveRows({}, first, last);
    m_serials.erase(m_serials.begin() + first, m_serials.begin() + last + 1);
    endRemoveRows();
}

void TransactionFilterProxyModel::insertSerials(std::vector<Serial> fresh)
{
    if (fresh.empty())
        return;
    const auto less = [this](Serial a, Serial b) { return before(a, b); };
    if (m_sortColumn >= 0)
        std::sort(fresh.begin(), fresh.end(), less);
    const bool inOrder = m_serials.empty() || !before(fresh.front(), m_serials.back());

    const int first = int(m_serials.size());
    beginInsertRows({}, first, first + int(fresh.size()) - 1);
    m_serials.insert(m_serials.end(), fresh.cbegin(), fresh.cend());
    endInsertRows();

    if (inOrder)
        return;
    // Merge: each new row goes before existing row pos[i] (binary search,
    // k·log n comparisons), then one backward pass moves blocks (no
    // comparisons), instead of a comparison per existing row.
    std::vector<int> pos(fresh.size());
    for (size_t i = 0; i < fresh.size(); ++i) {
        pos[i] = int(std::lower_bound(m_serials.cbegin(), m_serials.cbegin() + first, fresh[i], less)
                     - m_serials.cbegin());
    }
    relayout([&] {
                 int write = int(m_serials.size()) - 1;
                 int existing = first - 1;
                 for (int i = int(fresh.size()) - 1; i >= 0; --i) {
                     const int from = pos[size_t(i)];
                     const int block = existing - from + 1;
                     if (block > 0) {
                         std::move_backward(m_serials.begin() + from, m_serials.begin() + existing + 1,
                                            m_serials.begin() + write + 1);
                         write -= block;
                         existing = from - 1;
                     }
                     m_serials[size_t(write--)] = fresh[size_t(i)];
                 }
                 return [&pos, first](int oldRow, Serial) {
                     if (oldRow >= first) { // a new row: its slot plus the new rows before it
                         const int i = oldRow - first;
                         return pos[size_t(i)] + i;
                     }
                     // An existing row moves down by the new rows placed before it.
                     const auto before = std::upper_bound(pos.cbegin(), pos.cend(), oldRow) - pos.cbegin();
                     return oldRow + int(before);
                 };
             },
             QAbstractItemModel::VerticalSortHint);
}

void TransactionFilterProxyModel::applyFilter(TransactionFilter filter)
{
    if (filter == m_filter)
        return;
    m_filter = std::move(filter);
    if (m_source && !m_resetting) {
        const int rows = m_source->rowCount();
        const bool all = m_filter.isEmpty();
        const auto accepts = [&](int row) { return all || m_source->rowMatches(row, m_filter); };

        std::vector<bool> shown(size_t(rows), false);
        std::vector<bool> doomed(m_serials.size(), false);
        for (size_t i = 0; i < m_serials.size(); ++i) {
            const int row = sourceRow(m_serials[i]);
            shown[size_t(row)] = true;
            doomed[i] = !accepts(row);
        }
        removeRows(doomed);

        std::vector<Serial> fresh;
        for (int row = 0; row < rows; ++row) {
            if (!shown[size_t(row)] && accepts(row))
                fresh.push_back(row + m_base);
        }
        insertSerials(std::move(fresh));
    }
}

void TransactionFilterProxyModel::setFilter(const TransactionFilter &filter)
{
    applyFilter(filter);
}

void TransactionFilterProxyModel::setTextFilter(const QString &text)
{
    TransactionFilter next = m_filter;
    next.text = text.trimmed();
    applyFilter(std::move(next));
}

void TransactionFilterProxyModel::setStatusFilter(TransactionFilter::Status status)
{
    TransactionFilter next = m_filter;
    next.status = status;
    applyFilter(std::move(next));
}

void TransactionFilterProxyModel::setSessionFilter(const QString &sessionId)
{
    TransactionFilter next = m_filter;
    next.sessionId = sessionId;
    applyFilter(std::move(next));
}

void TransactionFilterProxyModel::sort(int column, Qt::SortOrder order)
{
    if (column < 0 || column >= TransactionModel::ColumnCount)
        column = -1;
    if (column == m_sortColumn && order == m_sortOrder)
        return;
    m_sortColumn = column;
    m_sortOrder = order;
    if (m_serials.empty())
        return;
    relayout([this] {
                 const auto less = [this](Serial a, Serial b) { return before(a, b); };
                 std::sort(m_serials.begin(), m_serials.end(), less);
                 return [this, less](int, Serial serial) {
                     return int(std::lower_bound(m_serials.cbegin(), m_serials.cend(), serial, less)
                                - m_serials.cbegin());
                 };
             },
             QAbstractItemModel::VerticalSortHint);
}

QModelIndex TransactionFilterProxyModel::index(int row, int column, const QModelIndex &parent) const
{
    if (parent.isValid() || row < 0 || row >= int(m_serials.size()) || column < 0
        || column >= columnCount())
        return {};
    return createIndex(row, column);
}

QModelIndex TransactionFilterProxyModel::parent(const QModelIndex &) const
{
    return {};
}

QModelIndex TransactionFilterProxyModel::sibling(int row, int column, const QModelIndex &) const
{
    return index(row, column);
}

int TransactionFilterProxyModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_serials.size());
}

int TransactionFilterProxyModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_source ? 0 : m_source->columnCount();
}

bool TransactionFilterProxyModel::hasChildren(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_serials.empty() && columnCount() > 0;
}

QVariant TransactionFilterProxyModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (!m_source)
        return {};
    if (orientation == Qt::Horizontal)
        return m_source->headerData(section, orientation, role);
    if (section < 0 || section >= int(m_serials.size()))
        return {};
    return m_source->headerData(sourceRow(m_serials[size_t(section)]), orientation, role);
}

QModelIndex TransactionFilterProxyModel::mapToSource(const QModelIndex &proxyIndex) const
{
    if (!m_source || !proxyIndex.isValid() || proxyIndex.row() >= int(m_serials.size()))
        return {};
    return m_source->index(sourceRow(m_serials[size_t(proxyIndex.row())]), proxyIndex.column());
}

QModelIndex TransactionFilterProxyModel::mapFromSource(const QModelIndex &sourceIndex) const
{
    if (!m_source || !sourceIndex.isValid() || sourceIndex.model() != m_source)
        return {};
    const Serial serial = sourceIndex.row() + m_base;
    const auto it = std::lower_bound(m_serials.cbegin(), m_serials.cend(), serial,
                                     [this](Serial a, Serial b) { return before(a, b); });
    if (it == m_serials.cend() || *it != serial)
        return {};
    return index(int(it - m_serials.cbegin()), sourceIndex.column());
}

void TransactionFilterProxyModel::onRowsInserted(const QModelIndex &parent, int first, int last)
{
    if (parent.isValid() || m_resetting)
        return;
    const int count = last - first + 1;
    if (last + 1 < m_source->rowCount()) {
        // Inserted above existing rows (not TransactionModel's way): the rows
        // below moved down, so do their serials.
        const Serial moved = first + m_base;
        for (Serial &serial : m_serials) {
            if (serial >= moved)
                serial += count;
        }
    }
    const bool all = m_filter.isEmpty();
    std::vector<Serial> fresh;
    fresh.reserve(size_t(count));
    for (int row = first; row <= last; ++row) {
        if (all || m_source->rowMatches(row, m_filter))
            fresh.push_back(row + m_base);
    }
    insertSerials(std::move(fresh));
}

void TransactionFilterProxyModel::onRowsAboutToBeRemoved(const QModelIndex &parent, int first, int last)
{
    if (parent.isValid() || m_resetting)
        return;
    // The source still has the rows: drop ours now, while views can read them.
    const Serial low = first + m_base;
    const Serial high = last + m_base;
    std::vector<bool> doomed(m_serials.size(), false);
    for (size_t i = 0; i < m_serials.size(); ++i)
        doomed[i] = m_serials[i] >= low && m_serials[i] <= high;
    removeRows(doomed);
}

void TransactionFilterProxyModel::onRowsRemoved(const QModelIndex &parent, int first, int last)
{
    if (parent.isValid() || m_resetting)
        return;
    const int count = last - first + 1;
    if (first == 0) {
        m_base += count; // evicted from the front: every serial stays
        return;
    }
    const Serial high = last + m_base;
    for (Serial &serial : m_serials) {
        if (serial > high)
            serial -= count;
    }
}

void TransactionFilterProxyModel::onSourceAboutToBeReset()
{
    if (m_resetting)
        return;
    m_resetting = true;
    beginResetModel();
}

void TransactionFilterProxyModel::onSourceReset()
{
    if (!m_resetting)
        return;
    m_base = 0;
    rebuild();
    m_resetting = false;
    endResetModel();
}

} // namespace SlotScope
