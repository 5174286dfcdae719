#include "support/policies.h"

using std::chrono::milliseconds;

namespace SlotScope::Testing {

ConnectionPolicy fastPolicy()
{
    ConnectionPolicy policy;
    policy.connectTimeout = milliseconds{2000};
    policy.handshakeResponseTimeout = milliseconds{500};
    policy.parallelCreateReadTimeout = milliseconds{500};
    policy.keepaliveInterval = milliseconds{100};
    policy.keepaliveMissDeadline = milliseconds{1000};
    policy.gracefulCloseTimeout = milliseconds{300};
    policy.initialBackoff = milliseconds{10};
    policy.maxBackoff = milliseconds{40};
    policy.jitter = 0.0;
    policy.maxAttempts = 3;
    policy.maxTotal = milliseconds{10'000};
    policy.drainIdleTimeout = milliseconds{3000};
    policy.reattachReplayGrace = milliseconds{200};
    policy.duplicateRefusalHold = milliseconds{1000};
    return policy;
}

ConnectionPolicy refServerPolicy()
{
    ConnectionPolicy policy = fastPolicy();
    policy.handshakeResponseTimeout = milliseconds{3000};
    policy.parallelCreateReadTimeout = milliseconds{3000};
    policy.keepaliveMissDeadline = milliseconds{5000};
    policy.maxAttempts = 10;
    policy.maxTotal = milliseconds{20'000};
    return policy;
}

ConnectionPolicy batchPolicy()
{
    ConnectionPolicy policy = refServerPolicy();
    policy.handshakeResponseTimeout = milliseconds{10'000};
    policy.parallelCreateReadTimeout = milliseconds{10'000};
    policy.keepaliveInterval = milliseconds{500};
    policy.keepaliveMissDeadline = milliseconds{10'000};
    policy.maxTotal = milliseconds{60'000};
    policy.drainIdleTimeout = milliseconds{10'000};
    return policy;
}

} // namespace SlotScope::Testing
