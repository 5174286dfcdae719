#pragma once

#include "model/flattablemodel.h"

namespace SlotScope::Internal {

/// The bounded window TransactionModel and ProtocolLogModel share: at most
/// windowSize() rows (≥ 1). Appending past it first removes the oldest rows
/// with one beginRemoveRows(0, k − 1), counted in evictedCount() until the
/// next resetWindow(). A subclass keeps the rows and says how many it holds
/// (rows()) and how to drop the oldest (removeOldestRows()).
class WindowedTableModel : public FlatTableModel
{
    Q_OBJECT
    Q_PROPERTY(qint64 evictedCount READ evictedCount NOTIFY evictedCountChanged)
    Q_PROPERTY(int windowSize READ windowSize WRITE setWindowSize)

public:
    /// Largest number of rows kept (≥ 1). Shrinking evicts at once.
    int windowSize() const { return m_windowSize; }
    void setWindowSize(int size);
    /// Rows that left the window since the last clear.
    qint64 evictedCount() const { return m_evictedCount; }

Q_SIGNALS:
    void evictedCountChanged(qint64 evictedCount);

protected:
    WindowedTableModel(QStringList titles, int windowSize, QObject *parent);

    /// Appends the last min(batchSize, windowSize()) rows of a batch as one
    /// insertion: evicts what would overflow first, then calls appendRow(i)
    /// for each kept batch index i between beginInsertRows and endInsertRows.
    /// The batch rows that never fit are counted as evicted too.
    template<typename AppendRow>
    void appendWindowed(qsizetype batchSize, AppendRow &&appendRow)
    {
        if (batchSize <= 0)
            return; // beginInsertRows() needs at least one row
        const qsizetype skipped = qMax<qsizetype>(0, batchSize - m_windowSize);
        const qsizetype incoming = batchSize - skipped;
        const qsizetype overflow = qMax<qsizetype>(0, rows() + incoming - m_windowSize);
        evict(overflow);
        const int first = int(rows());
        beginInsertRows({}, first, first + int(incoming) - 1);
        for (qsizetype i = skipped; i < batchSize; ++i)
            appendRow(i);
        endInsertRows();
        countEvicted(skipped + overflow);
    }
    /// Runs clearRows() inside one model reset and sets evictedCount() back to 0.
    template<typename ClearRows>
    void resetWindow(ClearRows &&clearRows)
    {
        beginResetModel();
        clearRows();
        endResetModel();
        if (m_evictedCount != 0) {
            m_evictedCount = 0;
            Q_EMIT evictedCountChanged(0);
        }
    }

private:
    virtual void removeOldestRows(qsizetype count) = 0;
    void evict(qsizetype count);
    void countEvicted(qsizetype count);

    int m_windowSize;
    qint64 m_evictedCount = 0;
};

} // namespace SlotScope::Internal
