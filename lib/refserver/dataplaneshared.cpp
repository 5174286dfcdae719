#include "refserver/dataplaneshared.h"

namespace SlotScope::Internal {

DataPlaneShared::DataPlaneShared(const RefServerConfig &config, QObject *parent)
    : QObject(parent)
    , m_faults(config.dataFaults)
    , m_zstd(config.zstd)
    , m_limiter(config.dataFaults.bandwidthBytesPerSecond, this)
{
}

bool DataPlaneShared::takeDrop()
{
    if (m_faults.dropEveryNotifications <= 0 || (m_faults.maxDrops > 0 && m_drops >= m_faults.maxDrops))
        return false;
    ++m_drops;
    return true;
}

bool DataPlaneShared::takeStall()
{
    if (m_faults.stallAfterNotifications <= 0 || (m_faults.maxStalls > 0 && m_stalls >= m_faults.maxStalls))
        return false;
    ++m_stalls;
    return true;
}

} // namespace SlotScope::Internal
