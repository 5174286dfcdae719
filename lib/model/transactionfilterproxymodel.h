#pragma once

#include "model/transactionmodel.h"

#include <QAbstractProxyModel>
#include <QPointer>

#include <vector>

namespace SlotScope {

/// Filter bar and sorting for the live transaction table (DESIGN.md §1):
/// text (signature / fee payer / program id substring), status, session,
/// program id and slot range; sorting by any column's raw value (what
/// RawValueRole holds: fees and slots numerically, absent compute units
/// first; signatures and fee payers by their decoded bytes), ties in arrival
/// order. Column -1 = arrival order (the default).
///
/// Why not a QSortFilterProxyModel: its incremental updates cost O(rows) per
/// *contiguous range*, and in a sorted view a batch of 1 000 new rows (or
/// 1 000 evicted ones) lands in ~1 000 ranges — over a 500 000-row window
/// that is a second of GUI stall per batch (measured: 1.5 s). This proxy is
/// built for TransactionModel's shape (append at the end, evict at the front,
/// rows never change) and keeps every batch O(rows + batch·log batch):
///  * arrival order: new rows are one beginInsertRows at the end, evicted rows
///    one beginRemoveRows at the front — exactly like the source;
///  * sorted: new rows are inserted at the end in one range, then merged into
///    place with one layoutChanged (skipped when they already sort last, e.g.
///    sorted by slot); rows to drop are first moved to the end with one
///    layoutChanged and then removed in one range;
///  * a filter change drops and adds rows the same way, so the selection and
///    current row survive it.
/// Filtering and sorting read the compact rows directly
/// (TransactionModel::rowMatches / rawLessThan); no QVariant per row.
///
/// The source must be a TransactionModel (setSourceModel() ignores others).
class TransactionFilterProxyModel : public QAbstractProxyModel
{
    Q_OBJECT

public:
    explicit TransactionFilterProxyModel(QObject *parent = nullptr);
    ~TransactionFilterProxyModel() override;

    /// Accepts a TransactionModel (or nullptr); anything else is refused with
    /// a warning and leaves the proxy empty.
    void setSourceModel(QAbstractItemModel *sourceModel) override;

    const TransactionFilter &filter() const { return m_filter; }
    /// Replaces every criterion at once.
    void setFilter(const TransactionFilter &filter);
    void setTextFilter(const QString &text);
    void setStatusFilter(TransactionFilter::Status status);
    void setSessionFilter(const QString &sessionId);

    /// Sorts by `column` (TransactionModel::Column), or restores arrival order
    /// for column -1. One layoutChanged; selection is kept.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
    int sortColumn() const { return m_sortColumn; }
    Qt::SortOrder sortOrder() const { return m_sortOrder; }

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    QModelIndex sibling(int row, int column, const QModelIndex &index) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    QModelIndex mapToSource(const QModelIndex &proxyIndex) const override;
    /// O(log rows).
    QModelIndex mapFromSource(const QModelIndex &sourceIndex) const override;

private:
    // Proxy rows hold source *serials*: the source row plus the number of
    // rows evicted before it, so front evictions do not renumber anything.
    using Serial = qint64;

    bool before(Serial a, Serial b) const;
    int sourceRow(Serial serial) const { return int(serial - m_base); }
    void applyFilter(TransactionFilter filter);
    void rebuild();
    /// Removes the proxy rows for which `doomed[i]` is set (i = proxy row).
    void removeRows(const std::vector<bool> &doomed);
    /// Adds rows (ascending serials, all accepted) and puts them in order.
    void insertSerials(std::vector<Serial> fresh);
    /// Reorders m_serials with `reorder` between layoutAboutToBeChanged and
    /// layoutChanged and moves persistent indexes along: `reorder()` returns a
    /// callable (int oldRow, Serial serial) → new row.
    template<typename Reorder>
    void relayout(Reorder reorder, QAbstractItemModel::LayoutChangeHint hint);

    void onRowsInserted(const QModelIndex &parent, int first, int last);
    void onRowsAboutToBeRemoved(const QModelIndex &parent, int first, int last);
    void onRowsRemoved(const QModelIndex &parent, int first, int last);
    void onSourceAboutToBeReset();
    void onSourceReset();

    QPointer<TransactionModel> m_source;
    const TransactionModel *m_rows = nullptr; // m_source, unchecked, for the comparisons
    QList<QMetaObject::Connection> m_connections;
    TransactionFilter m_filter;
    int m_sortColumn = -1;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
    std::vector<Serial> m_serials; // proxy row → source serial
    Serial m_base = 0;             // serial of source row 0
    bool m_resetting = false;
};

} // namespace SlotScope
