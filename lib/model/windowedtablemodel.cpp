#include "model/windowedtablemodel.h"

namespace SlotScope::Internal {

WindowedTableModel::WindowedTableModel(QStringList titles, int windowSize, QObject *parent)
    : FlatTableModel(std::move(titles), parent)
    , m_windowSize(windowSize)
{
}

void WindowedTableModel::setWindowSize(int size)
{
    size = qMax(1, size);
    if (size == m_windowSize)
        return;
    m_windowSize = size;
    const qsizetype overflow = rows() - size;
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
