#pragma once

#include "net/connectionpolicy.h"

#include <chrono>
#include <functional>
#include <optional>

namespace SlotScope {

/// Reconnect attempts and wall-clock budget of one connection loop (seed
/// mod.rs `ReconnectBudget`, PROTOCOL.md §7).
///
/// nextBackoff() records an attempt and returns its delay: initialBackoff,
/// then × backoffMultiplier per attempt, capped at maxBackoff (1, 2, 4, 8, 16,
/// 30, 30, … s with the defaults), each multiplied by 1 + U[−jitter, +jitter)
/// and floored at 0. It returns nullopt once maxAttempts attempts were made or
/// maxTotal has elapsed since the budget (re)started.
///
/// The clock and the random source are injectable for tests; by default the
/// clock is std::chrono::steady_clock and the random source
/// QRandomGenerator::global().
class ReconnectBudget
{
public:
    /// Monotonic time in milliseconds (any epoch).
    using Clock = std::function<std::chrono::milliseconds()>;
    /// Uniform double in [0, 1).
    using RandomSource = std::function<double()>;

    explicit ReconnectBudget(const ConnectionPolicy &policy = {}, Clock clock = {},
                             RandomSource random = {});

    /// Record an attempt and return its delay, or nullopt when the budget is
    /// exhausted (the attempt counter is incremented before returning).
    std::optional<std::chrono::milliseconds> nextBackoff();
    /// Full budget again: zero attempts, clock restarted, initial delay.
    void reset();
    /// Attempts recorded since the last reset.
    int attempt() const { return m_attempts; }
    /// Do not charge `parked` (time spent waiting behind a
    /// ReconnectCoordinator) to the wall-clock budget (seed `discount_parked`).
    void discountParked(std::chrono::milliseconds parked);
    /// Wall-clock charged to this budget so far.
    std::chrono::milliseconds elapsed() const;

private:
    ConnectionPolicy m_policy;
    Clock m_clock;
    RandomSource m_random;
    int m_attempts = 0;
    std::chrono::milliseconds m_startedAt{0};
    std::chrono::milliseconds m_currentBackoff{0};
};

} // namespace SlotScope
