#pragma once

#include "model/transactionmodel.h"

#include <QSortFilterProxyModel>

namespace SlotScope {

/// Filter bar and sorting for the live transaction table (DESIGN.md §1):
/// text (signature / fee payer / program id substring), status, session,
/// program id and slot range. Sorts on RawValueRole, so fees and slots sort
/// numerically. Over a TransactionModel both filtering and sorting read the
/// compact rows directly (TransactionModel::rowMatches / rawLessThan), so a
/// filter change over 500 000 rows builds no QVariant; over any other source
/// model it falls back to RawValueRole.
class TransactionFilterProxyModel : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit TransactionFilterProxyModel(QObject *parent = nullptr);

    void setSourceModel(QAbstractItemModel *sourceModel) override;

    const TransactionFilter &filter() const { return m_filter; }
    /// Replaces every criterion at once (one re-filter).
    void setFilter(const TransactionFilter &filter);

    void setTextFilter(const QString &text);
    void setStatusFilter(TransactionFilter::Status status);
    void setSessionFilter(const QString &sessionId);
    void setProgramFilter(const QString &programId);
    /// Inclusive bounds; nullopt = unbounded on that side.
    void setSlotRange(std::optional<quint64> minSlot, std::optional<quint64> maxSlot);

Q_SIGNALS:
    void filterChanged();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    void applyFilter(TransactionFilter filter);

    TransactionFilter m_filter;
    const TransactionModel *m_transactions = nullptr;
};

} // namespace SlotScope
