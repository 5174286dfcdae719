#include "net/reconnectbudget.h"

#include <QRandomGenerator>

#include <algorithm>
#include <cmath>

namespace SlotScope {

using std::chrono::milliseconds;

ReconnectBudget::ReconnectBudget(const ConnectionPolicy &policy, Clock clock, RandomSource random)
    : m_policy(policy)
    , m_clock(std::move(clock))
    , m_random(std::move(random))
{
    if (!m_clock) {
        m_clock = [] {
            return std::chrono::duration_cast<milliseconds>(
                std::chrono::steady_clock::now().time_since_epoch());
        };
    }
    if (!m_random)
        m_random = [] { return QRandomGenerator::global()->generateDouble(); };
    reset();
}

void ReconnectBudget::reset()
{
    m_attempts = 0;
    m_startedAt = m_clock();
    m_currentBackoff = m_policy.initialBackoff;
}

void ReconnectBudget::discountParked(milliseconds parked)
{
    m_startedAt += parked;
}

milliseconds ReconnectBudget::elapsed() const
{
    return m_clock() - m_startedAt;
}

std::optional<milliseconds> ReconnectBudget::nextBackoff()
{
    if (m_attempts >= m_policy.maxAttempts || elapsed() >= m_policy.maxTotal)
        return std::nullopt;
    ++m_attempts;

    // delay × (1 + U[−j, +j)), floored at 0 (seed `with_jitter`).
    const double jitter = m_policy.jitter * (2.0 * m_random() - 1.0);
    const double jittered = std::max(0.0, double(m_currentBackoff.count()) * (1.0 + jitter));
    const milliseconds delay{qint64(std::llround(jittered))};

    const double grown = double(m_currentBackoff.count()) * m_policy.backoffMultiplier;
    m_currentBackoff = std::min(m_policy.maxBackoff, milliseconds{qint64(std::llround(grown))});
    return delay;
}

} // namespace SlotScope
