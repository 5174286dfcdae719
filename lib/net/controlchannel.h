#pragma once

#include "net/websocketconnection.h"
#include "protocol/controlmessages.h"
#include "protocol/result.h"

#include <optional>

namespace SlotScope {

/// The control plane of one session as SessionCore (lib/session) drives it
/// (issue 10): a single session's own ControlManager, or one sub-session's
/// share of its batch's ParallelControlManager (ParallelSessionChannel, the
/// pair of manager and session id). Events and status changes reach the core
/// through its owner; this is only what the core asks and sends.
class ControlChannel
{
public:
    virtual ~ControlChannel() = default;

    /// The connection that carries the session: status, reason, attempt,
    /// failureKind(). Never null while the channel exists.
    virtual WebSocketConnection *connection() const = 0;
    /// The connection carries this session alone (a single session's
    /// ControlManager): it ends with the session, "Reconnect now" on
    /// "control" reaches it, and it fails by itself (FailureKind::Terminal)
    /// right after delivering a terminal error. False for a sub-session on
    /// its batch's shared connection.
    virtual bool ownsConnection() const = 0;
    /// The session as the server created it (rpc_endpoint as last reported);
    /// nullopt before that.
    virtual std::optional<SessionInfo> sessionInfo() const = 0;
    /// A Continue / Continue-to of this session is unanswered, or waits to be
    /// sent after a re-attach.
    virtual bool isStepInFlight() const = 0;
    /// Send a Continue (`continue`, `continueSessionV1`). Errors as the
    /// manager's sendContinue().
    virtual Result<void> sendContinue(const ContinueParams &params) = 0;
    /// Send a Continue-to (`continueTo`, `continueToSessionV1`).
    virtual Result<void> sendContinueTo(const ContinueToParams &params) = 0;
    /// The client is done with the session (completed after its drain,
    /// failed): a single session closes gracefully (closeBacktestSession +
    /// close frame); a sub-session leaves that to its batch, which closes
    /// once every sub-session's drain ended (issue 8).
    virtual void closeSession() = 0;
    /// The user stopped the session while it runs: a single session closes
    /// gracefully; a sub-session is closed on the server (`closeSessionV1`)
    /// while the shared connection is Up, so its batch can still complete.
    virtual void cancelSession() = 0;
};

} // namespace SlotScope
