#pragma once

#include "net/connectionpolicy.h"
#include "net/parallelcontrolmanager.h"
#include "protocol/controlmessages.h"
#include "session/sessioncore.h"

#include <QString>

namespace SlotScope {

class ReconnectCoordinator;

/// One sub-session of a parallel batch (seed parallel.rs `ParallelSubSession`,
/// DESIGN.md §4, PROTOCOL.md §6.3, §6.7): a SessionCore over its share of the
/// batch's ParallelControlManager (ParallelSessionChannel). Made by
/// ManagedParallelSession once the batch exists; control events arrive
/// demultiplexed from the shared connection, transactions over this
/// sub-session's own subscriptions on its RPC endpoint, which reconnect
/// through the batch's shared ReconnectCoordinator (the first
/// policy.ungatedAttempts retries at once, later ones park until no sibling
/// streams, one handshake at a time, parked time not charged to the budget).
///
/// * created() is emitted right after ManagedParallelSession::created() (so a
///   driver connected in that slot sees it), then the startup events.
/// * Steps go out as `continueSessionV1` / `continueToSessionV1` once the
///   shared control and this sub-session's subscriptions are Up.
/// * connectionStatusChanged() / reconnectScheduled() report this
///   sub-session's own subscription sockets; the shared control socket is
///   reported once by ManagedParallelSession (controlStatus() reads it here).
/// * shutdown() while it runs closes it on the server (`closeSessionV1`);
///   the batch's own close waits for every sub-session's drain (issue 8).
/// * finished() once it ended and its subscriptions stopped; the shared
///   control is not this object's.
class ParallelSubSession : public SessionCore
{
    Q_OBJECT
public:
    SessionInfo sessionInfo() const { return m_info.info; }
    QString sessionId() const { return m_info.info.sessionId; }
    /// Server-authoritative range of this sub-session, inclusive slots (sessionsCreatedV2).
    quint64 startSlot() const { return m_info.startSlot; }
    quint64 endSlot() const { return m_info.endSlot; }

private:
    friend class ManagedParallelSession;

    ParallelSubSession(ParallelSubSessionInfo info, QString controlUrl, ParallelControlManager *control,
                       ReconnectCoordinator *coordinator, ConnectionPolicy policy, QObject *parent);

    /// Idle → Running: created(), subscriptions open.
    void activate() { SessionCore::activate(m_info.info); }
    /// One event of this sub-session from the shared connection.
    void handleControlEvent(const SessionEventKind &event);

    ParallelSubSessionInfo m_info;
    ParallelSessionChannel m_channel;
};

} // namespace SlotScope
