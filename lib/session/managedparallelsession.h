#pragma once

#include "net/connectionpolicy.h"
#include "net/framelog.h"
#include "net/parallelcontrolmanager.h"
#include "net/reconnectcoordinator.h"
#include "net/subscriptionmanager.h"
#include "protocol/connectionstatus.h"
#include "protocol/controlmessages.h"
#include "session/managedevent.h"
#include "session/managedsession.h"
#include "session/parallelsubsession.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>

#include <chrono>
#include <optional>

namespace SlotScope {

/// The driver-facing API of a parallel batch (seed parallel.rs
/// `ManagedParallelSession`, DESIGN.md §4, PROTOCOL.md §6.3, §6.5): owns the
/// one multiplexed ParallelControlManager, one ReconnectCoordinator shared by
/// every sub-session's subscriptions, and one ParallelSubSession per
/// server-created sub-session. Everything runs on the owning thread.
///
/// * start() sends the parallel create (parallel forced on; disconnectTimeoutSecs
///   900 unless given). created() lists the sub-sessions once
///   `sessionsCreatedV2` arrived; connect to their signals in that slot: each
///   then emits created() and its startup events, and opens the subscriptions
///   asked for with subscribeTransactions() / subscribeAccountDiffs() here.
/// * A create that fails (auth, range, unreachable, an old server without
///   ranges) is failed(Create, message) with the one-line reason, e.g. "the
///   server did not report the sub-session slot ranges (too old for parallel
///   batches)".
/// * Control drops re-attach with the per-session cursors; the sub-sessions
///   keep running. If the control connection fails for good, every running
///   sub-session fails (draining ones finish their drain) and the batch fails.
/// * Once every sub-session ended — its completion drain complete, stalled or
///   failed — the batch is closed gracefully (closeBacktestSession + close
///   frame; never on the last `completed` alone, which would cut the data
///   planes still draining, issue 8), then all Completed ⇒ completed(),
///   otherwise failed() with the first sub-session error. A control failure
///   after every sub-session completed leaves the outcome to the drains.
///   finished() follows when the control and every sub-session have stopped.
class ManagedParallelSession : public QObject
{
    Q_OBJECT
public:
    enum class State { Idle, Creating, Running, Completed, Failed, ShutDown };
    Q_ENUM(State)

    /// `controlUrl` is normalised with backtestWsUrl(); `apiKey` is sent as
    /// X-API-Key and never logged; `params` is the whole batch range.
    ManagedParallelSession(QString controlUrl, QString apiKey, CreateSessionParams params,
                           ConnectionPolicy policy = {}, QObject *parent = nullptr);
    ~ManagedParallelSession() override;

    /// Connect and send the parallel create.
    void start();
    /// Subscribe every sub-session (present and future) to transactions
    /// (empty = all), zstd asked for unless `zstd` is false.
    void subscribeTransactions(const QStringList &programIds, bool zstd = true);
    /// Subscribe every sub-session to account diffs (PROTOCOL.md §5.6).
    void subscribeAccountDiffs(const QString &address, bool programOwner, bool zstd = false);
    /// Stop: every sub-session stops (draining ones complete), then the control
    /// connection closes gracefully (closeBacktestSession + close frame).
    void shutdown();
    /// shutdown() unless the batch already ended, then deleteLater() once the
    /// control and every sub-session stopped (at once when they already have).
    void shutdownAndDelete();
    /// "Reconnect now" on the shared control socket (`sessionId` "") or a
    /// sub-session's subscription: WebSocketConnection::reconnectNow(). False
    /// when there is no such socket or it is not Down / Parked.
    bool reconnectNow(const QString &sessionId, const QString &socketLabel);

    State state() const { return m_state; }
    /// Ended and every socket stopped: finished() was emitted.
    bool hasFinished() const { return m_finishedEmitted; }
    /// `parallel_<uuid>`; empty until created.
    QString controlSessionId() const;
    /// The sub-sessions in the server's order; empty until created.
    QList<ParallelSubSession *> subSessions() const { return m_subSessions; }
    ParallelSubSession *subSession(const QString &sessionId) const;
    ConnectionStatus controlStatus() const;
    SocketStatus controlSocketStatus() const;
    /// The underlying connection and coordinator (diagnostics, timeline, tests).
    ParallelControlManager *control() const { return m_control; }
    ReconnectCoordinator *reconnectCoordinator() const { return m_coordinator; }

Q_SIGNALS:
    /// The batch exists; `subSessions` are in the server's order (parented to this).
    void created(const QString &controlSessionId, const QList<SlotScope::ParallelSubSession *> &subSessions);
    /// The control connection re-attached after a drop.
    void reattached(const QString &controlSessionId);
    /// A top-level `status` before the batch exists: the server waits for
    /// capacity (`startingRuntime` about every 10 s, PROTOCOL-0.31.md §4.5).
    void startupStatusReceived(const QString &status);
    /// The shared control socket (label "control") changed status; `ended`
    /// as SessionCore::connectionStatusChanged().
    void connectionStatusChanged(const QString &socketLabel, SlotScope::ConnectionStatus status,
                                 const QString &reason, int attempt, bool ended);
    /// A socket will retry after `delay` because of `reason` (WebSocketConnection::reconnectScheduled()).
    void reconnectScheduled(const QString &socketLabel, int attempt, std::chrono::milliseconds delay,
                            const QString &reason);
    /// Control frames for the protocol console.
    void frameLogged(const SlotScope::FrameLogEntry &entry);
    /// A replayed control event was dropped by the per-session seq_id dedup.
    void duplicateDropped(const QString &sessionId, quint64 seqId);
    /// A received frame was skipped on socket `socketLabel` (WebSocketConnection::frameDropped()).
    void frameDropped(const QString &socketLabel, const QString &reason, const QByteArray &rawPrefix, qint64 size);
    /// Every sub-session completed (after its drain).
    void completed();
    /// The batch failed (at most once): create, control, or a sub-session failed.
    void failed(const SlotScope::ManagedSessionError &error);
    /// The control connection and every sub-session have stopped.
    void finished();

private:
    void onSessionsCreated(const QString &controlSessionId, const QList<ParallelSubSessionInfo> &subSessions);
    void onControlStatus(ConnectionStatus status, const QString &reason);
    void onControlEvent(const QString &sessionId, quint64 seqId, const SessionEventKind &event);
    void onSubSessionEnded();
    void fail(ManagedSessionError::Kind kind, const QString &message);
    void checkFinished();

    QString m_controlUrl;
    QString m_apiKey;
    CreateSessionParams m_params;
    ConnectionPolicy m_policy;
    State m_state = State::Idle;
    QPointer<ParallelControlManager> m_control;
    ReconnectCoordinator *m_coordinator = nullptr;
    QList<SubscriptionSpec> m_defaultSubscriptions;
    QList<ParallelSubSession *> m_subSessions;
    QHash<QString, ParallelSubSession *> m_byId;
    std::optional<ManagedSessionError> m_firstSubSessionError;
    bool m_finishedEmitted = false;
};

} // namespace SlotScope
