#include "refserver/bandwidthlimiter.h"

#include <algorithm>
#include <cmath>

namespace SlotScope::Internal {

BandwidthLimiter::BandwidthLimiter(qint64 bytesPerSecond, QObject *parent)
    : QObject(parent)
    , m_rate(std::max<qint64>(0, bytesPerSecond))
    , m_burst(std::max<qint64>(1, m_rate / 10))
    , m_tokens(double(m_burst))
    , m_timer(this)
{
    m_clock.start();
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &BandwidthLimiter::serve);
}

void BandwidthLimiter::refill()
{
    const qint64 now = m_clock.nsecsElapsed();
    m_tokens = std::min(double(m_burst), m_tokens + double(now - m_lastRefillNs) * double(m_rate) / 1e9);
    m_lastRefillNs = now;
}

void BandwidthLimiter::request(BandwidthClient *client)
{
    if (!m_waiting.contains(client))
        m_waiting.append(client);
    if (!m_timer.isActive())
        serve();
}

void BandwidthLimiter::forget(BandwidthClient *client)
{
    m_waiting.removeAll(client);
}

void BandwidthLimiter::serve()
{
    if (m_serving) // a sendQueued() that asked again: the running loop picks it up
        return;
    m_serving = true;
    refill();
    while (m_tokens > 0 && !m_waiting.isEmpty()) {
        BandwidthClient *client = m_waiting.takeFirst();
        if (!client->readyToSend())
            continue; // stalled or closing: it asks again when it can send
        const qint64 bytes = client->sendQueued();
        m_tokens -= double(bytes);
        if (client->readyToSend() && !m_waiting.contains(client))
            m_waiting.append(client);
    }
    m_serving = false;
    if (!m_waiting.isEmpty()) {
        // Wake when the debt is paid back (at least 1 ms later).
        const double deficit = std::max(0.0, -m_tokens) + 1.0;
        m_timer.start(std::max(1, int(std::ceil(deficit * 1000.0 / double(m_rate)))));
    }
}

} // namespace SlotScope::Internal
