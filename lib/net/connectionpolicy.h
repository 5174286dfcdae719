#pragma once

#include <QString>

#include <chrono>

namespace SlotScope {

/// Every timing and retry constant of the managed connection loops
/// (PROTOCOL.md §7, seed mod.rs constants). The defaults are the seed's values;
/// tests inject millisecond timings. All durations are milliseconds.
struct ConnectionPolicy
{
    /// TCP (+TLS) + HTTP upgrade of any WebSocket (CONNECT_TIMEOUT).
    std::chrono::milliseconds connectTimeout{30'000};
    /// Per response during create / attach / resume / subscribe-ack
    /// (HANDSHAKE_RESPONSE_TIMEOUT).
    std::chrono::milliseconds handshakeResponseTimeout{120'000};
    /// WebSocket ping period while Up (KEEPALIVE_INTERVAL).
    std::chrono::milliseconds keepaliveInterval{15'000};
    /// No inbound frame of any kind for longer than this = connection lost
    /// (KEEPALIVE_MISS_DEADLINE).
    std::chrono::milliseconds keepaliveMissDeadline{45'000};
    /// Close request + close frame, in total (GRACEFUL_CLOSE_TIMEOUT).
    std::chrono::milliseconds gracefulCloseTimeout{5'000};
    /// First reconnect delay, before jitter (RECONNECT_INITIAL_BACKOFF).
    std::chrono::milliseconds initialBackoff{1'000};
    /// Growth factor of the delay (RECONNECT_BACKOFF_MULTIPLIER).
    double backoffMultiplier = 2.0;
    /// Cap of the delay, before jitter (RECONNECT_MAX_BACKOFF).
    std::chrono::milliseconds maxBackoff{30'000};
    /// Each delay is multiplied by 1 + U[-jitter, +jitter) (RECONNECT_JITTER).
    double jitter = 0.2;
    /// Reconnect attempts per budget (RECONNECT_MAX_ATTEMPTS).
    int maxAttempts = 20;
    /// Wall-clock per budget, parked time discounted (RECONNECT_MAX_TOTAL).
    std::chrono::milliseconds maxTotal{300'000};
    /// A connection Up at least this long resets the budget when it is lost
    /// (RECONNECT_UPTIME_RESET).
    std::chrono::milliseconds uptimeReset{30'000};
    /// Before a session exists and before the server was first reached
    /// (WebSocketConnection::inFirstConnect()) nothing is at stake on the
    /// server, so a first connect gets a short budget instead of the one
    /// above (issue 9): a
    /// refused connection, a timeout or an HTTP 5xx at the upgrade is tried
    /// at most firstConnectAttempts times in all, within firstConnectTotal
    /// (each connect attempt is also bounded by what is left of it). A
    /// permanent failure — HTTP 4xx other than 408/429, a TLS handshake
    /// failure, an unknown host — fails at once. Our own policy, not the seed's.
    int firstConnectAttempts = 3;
    std::chrono::milliseconds firstConnectTotal{15'000};
    /// Subscription reconnects before a ReconnectCoordinator gate engages
    /// (RECONNECT_UNGATED_ATTEMPTS; parallel batches only).
    int ungatedAttempts = 5;
    /// A streaming sibling that received nothing this long no longer keeps a
    /// parked subscription from the permit (ReconnectCoordinator::setQuietAfterMs).
    /// Our own addition to the seed's quiet-link rule: a session steps only
    /// with every socket Up, so when each sub-session has one socket parked
    /// the others stay Up and silent, and waiting for them to stop would
    /// hang the batch.
    std::chrono::milliseconds streamingQuietAfter{5000};
    /// Completion drain: longest gap between trailing notifications while a
    /// subscription is Up (seed session.rs DEFAULT_COMPLETION_DRAIN_TIMEOUT).
    std::chrono::milliseconds drainIdleTimeout{60'000};
    /// Per read while streaming a parallel create (seed parallel.rs
    /// CREATE_RESPONSE_TIMEOUT).
    std::chrono::milliseconds parallelCreateReadTimeout{900'000};
    /// How long a `paused` waits for its `readyForContinue` before the server
    /// is taken for one older than 0.31, which sends `paused` alone
    /// (PROTOCOL-0.31.md §3.2, issue 8 item 2; SessionCore then stands in for
    /// the ready, at once for every later `paused` of the session).
    std::chrono::milliseconds legacyReadyGrace{3'000};
    /// A subscription closed normally (1000) before the control plane reported
    /// `completed` and could not reconnect: how long the session waits for
    /// `completed` before that counts as a failure (PROTOCOL.md §5.8: the end
    /// of stream may overtake `completed`, which travels on another socket).
    std::chrono::milliseconds endOfStreamGrace{5'000};
    /// After a re-attach, how long a step sent before the drop waits for the
    /// replay to show the server acted on it before it is sent again: the
    /// replay may follow the handshake's answer (PROTOCOL-0.31.md §6.3 step 2,
    /// PROTOCOL.md §6.5), and a step the server did run must not run twice.
    std::chrono::milliseconds reattachReplayGrace{2'000};
    /// A step sent again after that grace and refused while nothing showed
    /// the server acted on either copy: most likely the server is busy with
    /// the first, slow to send anything of it, and refused the copy as
    /// premature. The refusal is held this long: a frame of the step drops
    /// it (the first copy is under way); with none it is delivered then (the
    /// first copy was lost after all, and the server refused the step on its
    /// merits). Our own rule: the seed never sends a step twice.
    std::chrono::milliseconds duplicateRefusalHold{30'000};

    bool operator==(const ConnectionPolicy &) const = default;
};

/// "slotscope/<version> (managed)": the User-Agent sent on every upgrade
/// (PROTOCOL.md §1.1 "Identification").
QString defaultUserAgent();

} // namespace SlotScope
