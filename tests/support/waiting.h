#pragma once

#include <chrono>
#include <functional>

namespace SlotScope::Testing {

/// Run every event already posted (queued calls, zero-delay timers) until none
/// is left, without waiting for anything that is not due yet. Use it before
/// asserting that a queued reaction did NOT happen.
void settle();

/// True when `condition` held at every check for `duration` (checked as the
/// event loop runs, ≥ every 10 ms); false as soon as it does not. For the few
/// tests whose subject is time itself (a connection that stays up past a
/// deadline, a wait that outlasts a budget); everything else waits for an
/// event with QTRY_* or a PeerServer::roundTrip() barrier.
bool holdsFor(const std::function<bool()> &condition, std::chrono::milliseconds duration);

} // namespace SlotScope::Testing
