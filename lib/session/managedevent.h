#pragma once

#include "net/websocketconnection.h"
#include "protocol/controlmessages.h"

#include <QMetaType>
#include <QString>

#include <optional>
#include <variant>

namespace SlotScope {

/// Control-plane events a driver sees from a managed session (seed session.rs
/// `ManagedEvent`, without the data-plane variants: transactions arrive on
/// their own signal).
namespace ManagedEvents {
/// The session waits for the next Continue / Continue-to. `synthesized`: no
/// `readyForContinue` came; SessionCore stands in for it after a `paused` of a
/// server older than 0.31 (PROTOCOL-0.31.md §3.2, ConnectionPolicy::legacyReadyGrace).
struct ReadyForContinue
{
    bool synthesized = false;
    bool operator==(const ReadyForContinue &) const = default;
};
/// Halted at a Continue-to target; Continue or Continue-to may follow.
struct Paused { PausedEvent event; bool operator==(const Paused &) const = default; };
/// An upcoming batch matched a discovery filter (send Continue-to to stop before it).
struct DiscoveryBatch { DiscoveryBatchEvent event; bool operator==(const DiscoveryBatch &) const = default; };
/// Progress: this slot was reported (idempotent; a slot may repeat).
struct Slot { quint64 slot = 0; bool operator==(const Slot &) const = default; };
/// A BacktestStatus phase, camelCase as on the wire (unknown values kept).
struct Status { QString status; bool operator==(const Status &) const = default; };
/// The range finished and every subscription delivered its end of stream.
struct Completed { std::optional<SessionSummary> summary; bool operator==(const Completed &) const = default; };
/// A server error that did not end the session by itself (terminal ones are
/// followed by ManagedSession::failed()).
struct Error { BacktestError error; bool operator==(const Error &o) const { return error.toJson() == o.error.toJson(); } };
} // namespace ManagedEvents

using ManagedEvent = std::variant<
    ManagedEvents::ReadyForContinue,
    ManagedEvents::Paused,
    ManagedEvents::DiscoveryBatch,
    ManagedEvents::Slot,
    ManagedEvents::Status,
    ManagedEvents::Completed,
    ManagedEvents::Error>;

/// The session event of a decoded control response, or nullopt for responses
/// that are not session events (sessionCreated, success, parallel frames, …).
std::optional<ManagedEvent> managedEventFromResponse(const ControlResponse &response);

/// "readyForContinue", "paused", "discoveryBatch", "slot", "status", "completed", "error".
QString managedEventName(const ManagedEvent &event);

/// Why a managed session stopped (seed session.rs `ManagedSessionError`, plus
/// DrainStalled for an incomplete completion drain). `message` is one line for
/// people, e.g. "API key rejected by the server (HTTP 401)".
struct ManagedSessionError
{
    enum class Kind {
        Create,             ///< the session could not be created (auth, range, unreachable)
        ControlFailed,      ///< the control connection failed after creation (or a terminal error)
        SubscriptionFailed, ///< a subscription socket failed
        Cancelled,          ///< shutdown() before the session was created
        ContinueSend,       ///< a queued Continue / Continue-to could not be sent
        DrainStalled,       ///< the completion drain did not finish: the capture is incomplete
    };
    Kind kind = Kind::ControlFailed;
    QString message;
    /// Why the control connection had failed when this happened (None while
    /// it was fine): the same classification for a single session, a
    /// sub-session and a batch (SessionEngine's outcome category).
    FailureKind failure = FailureKind::None;
};

/// "create", "control failed", "subscription failed", "cancelled", "continue send", "drain stalled".
QString managedSessionErrorKindName(ManagedSessionError::Kind kind);

} // namespace SlotScope

Q_DECLARE_METATYPE(SlotScope::ManagedEvent)
Q_DECLARE_METATYPE(SlotScope::ManagedSessionError)
