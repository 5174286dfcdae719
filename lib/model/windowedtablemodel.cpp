#include "model/windowedtablemodel.h"

namespace SlotScope::Internal {

WindowedTableModel::WindowedTableModel(int windowSize, QObject *parent)
    : QAbstractTableModel(parent)
    , m_windowSize(windowSize)
{
}

int WindowedTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(windowRows());
}

void WindowedTableModel::setWindowSize(int rows)
{
    rows = qMax(1, rows);
    if (rows == m_windowSize)
        return;
    m_windowSize = rows;
    const qsizetype overflow = windowRows() - rows;
    if (overflow > 0) {
        evict(overflow);
        countEvicted(overflow);
    }
}

void WindowedTableModel::evict(qsizetype count)
{
    if (count <= 0)
        return;
    beginRemoveRows({}, 0, int(count - 1));
    removeOldestRows(count);
    endRemoveRows();
}

void WindowedTableModel::countEvicted(qsizetype count)
{
    if (count <= 0)
        return;
    m_evictedCount += count;
    Q_EMIT evictedCountChanged(m_evictedCount);
}

} // namespace SlotScope::Internal
