#include "model/transactionfilterproxymodel.h"

#include <algorithm>

namespace SlotScope {

TransactionFilterProxyModel::TransactionFilterProxyModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(RawValueRole);
}

void TransactionFilterProxyModel::setSourceModel(QAbstractItemModel *sourceModel)
{
    m_transactions = qobject_cast<const TransactionModel *>(sourceModel);
    QSortFilterProxyModel::setSourceModel(sourceModel);
}

void TransactionFilterProxyModel::applyFilter(TransactionFilter filter)
{
    if (filter == m_filter)
        return;
    // Narrowing criteria only need the visible rows re-checked, but a clean
    // invalidate is simple and already runs on the compact rows.
    m_filter = std::move(filter);
    invalidateFilter();
    Q_EMIT filterChanged();
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

void TransactionFilterProxyModel::setProgramFilter(const QString &programId)
{
    TransactionFilter next = m_filter;
    next.programId = programId.trimmed();
    applyFilter(std::move(next));
}

void TransactionFilterProxyModel::setSlotRange(std::optional<quint64> minSlot,
                                               std::optional<quint64> maxSlot)
{
    TransactionFilter next = m_filter;
    next.minSlot = minSlot;
    next.maxSlot = maxSlot;
    applyFilter(std::move(next));
}

bool TransactionFilterProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_filter.isEmpty())
        return true;
    if (m_transactions)
        return m_transactions->rowMatches(sourceRow, m_filter);

    // Generic source: the same rules on RawValueRole.
    const QAbstractItemModel *source = sourceModel();
    const auto raw = [&](int column) {
        return source->index(sourceRow, column, sourceParent).data(RawValueRole);
    };
    const quint64 slot = raw(TransactionModel::SlotColumn).toULongLong();
    if ((m_filter.minSlot && slot < *m_filter.minSlot) || (m_filter.maxSlot && slot > *m_filter.maxSlot))
        return false;
    const bool success = raw(TransactionModel::StatusColumn).toBool();
    if ((m_filter.status == TransactionFilter::Status::Succeeded && !success)
        || (m_filter.status == TransactionFilter::Status::Failed && success))
        return false;
    if (!m_filter.sessionId.isEmpty() && raw(TransactionModel::SessionColumn).toString() != m_filter.sessionId)
        return false;
    const QStringList programs = raw(TransactionModel::ProgramsColumn).toStringList();
    if (!m_filter.programId.isEmpty() && !programs.contains(m_filter.programId))
        return false;
    if (m_filter.text.isEmpty())
        return true;
    return raw(TransactionModel::SignatureColumn).toString().contains(m_filter.text)
            || raw(TransactionModel::FeePayerColumn).toString().contains(m_filter.text)
            || std::any_of(programs.cbegin(), programs.cend(),
                           [&](const QString &p) { return p.contains(m_filter.text); });
}

bool TransactionFilterProxyModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    if (m_transactions && sortRole() == RawValueRole && left.column() == right.column())
        return m_transactions->rawLessThan(left.column(), left.row(), right.row());
    return QSortFilterProxyModel::lessThan(left, right);
}

} // namespace SlotScope
