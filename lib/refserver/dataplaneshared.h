#pragma once

// What every data-plane socket of one reference server shares: the data-fault
// plan with its server-wide counters, the zstd accept flag and the bandwidth
// limiter. Internal; RefServer owns one.

#include "refserver/bandwidthlimiter.h"
#include "refserver/refserverconfig.h"

#include <QObject>

namespace SlotScope::Internal {

class DataPlaneShared : public QObject
{
    Q_OBJECT
public:
    explicit DataPlaneShared(const RefServerConfig &config, QObject *parent = nullptr);

    const DataFaults &faults() const { return m_faults; }
    /// config.zstd: honour compression:"zstd" (PROTOCOL.md §5.4).
    bool zstdAccepted() const { return m_zstd; }
    BandwidthLimiter *limiter() { return &m_limiter; }

    /// A socket reached a drop point: true (and counted) while maxDrops allows one more.
    bool takeDrop();
    /// A socket reached its stall point: true (and counted) while maxStalls allows one more.
    bool takeStall();
    int dropsInjected() const { return m_drops; }
    int stallsInjected() const { return m_stalls; }

private:
    DataFaults m_faults;
    bool m_zstd = true;
    BandwidthLimiter m_limiter;
    int m_drops = 0;
    int m_stalls = 0;
};

} // namespace SlotScope::Internal
