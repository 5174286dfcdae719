#pragma once

#include "net/connectionpolicy.h"
#include "net/controlchannel.h"
#include "net/reconnectcoordinator.h"
#include "net/subscriptionmanager.h"
#include "protocol/connectionstatus.h"
#include "protocol/controlmessages.h"
#include "protocol/result.h"
#include "protocol/transactionsummary.h"
#include "session/managedevent.h"

#include <QByteArrayView>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QTimer>

#include <chrono>
#include <optional>
#include <variant>

namespace SlotScope {

/// One socket of a managed session as seen from outside.
struct SocketStatus
{
    QString label;                 ///< "control", "transactions", "transactions 2", …
    ConnectionStatus status = ConnectionStatus::Down;
    QString reason;
    int attempt = 0;               ///< reconnect attempts in the socket's current budget
};

/// The status of one socket: its connection's status, reason and attempt, or
/// Down with `waitingReason` while the connection does not exist yet (null).
SocketStatus socketStatusOf(const QString &label, const WebSocketConnection *connection,
                            const QString &waitingReason = {});

/// The driver of one backtest session, shared by a single session
/// (ManagedSession) and a sub-session of a parallel batch
/// (ParallelSubSession), issue 10: the subscriptions, the Continue gate, the
/// paused → readyForContinue rule, the completion drain and the endings, over
/// a ControlChannel (seed session.rs `ManagedBacktestSession`, parallel.rs
/// `ParallelSubSession`; DESIGN.md §4; PROTOCOL.md §6.1, §6.3, §6.7;
/// PROTOCOL-0.31.md §3.2). The engine drives both through this one type.
/// Everything runs on the owning thread.
///
/// * Subscriptions open once the session runs (activate()), on its RPC
///   endpoint; a batch's siblings share a ReconnectCoordinator.
/// * sendContinue() / sendContinueTo() are queued until the control
///   connection and every subscription are Up and no step of this session is
///   unanswered, then sent exactly once (seed `wait_connections_up`,
///   `wait_all_up`); a Failed connection fails the call or the session.
/// * Paused → ready (PROTOCOL-0.31.md §3.2): `paused` is delivered as it is;
///   the session is steppable again on the `readyForContinue` that follows.
///   A server older than 0.31 sends `paused` alone: when no ready (and no
///   step) follows within ConnectionPolicy::legacyReadyGrace, the core
///   delivers a synthesized ReadyForContinue (logged) and from then on
///   answers every `paused` of this session with one at once.
/// * A terminal error event (noMoreBlocks, advanceSlotFailed,
///   finalizeSlotFailed, internal, cut) is delivered, then the session fails
///   (a single session's connection fails by itself, the core follows it).
/// * On `completed` the session keeps delivering transactions and account
///   diffs until every subscription reached its end of stream, then emits
///   Completed (seed `drain_subscriptions_until_complete`). The idle backstop
///   (ConnectionPolicy::drainIdleTimeout, restarted by every notification and
///   whenever a subscription comes Up again) declares a stall only while an
///   open subscription is Up and silent (Down / Parked keeps waiting); all
///   closed but one Failed is a stall too. A stall is failed(DrainStalled)
///   after the drained notifications, never a silent Completed. shutdown()
///   during the drain completes it (the run then ends Stopped, its capture
///   without a summary). Nothing else closes the session before its drain
///   ended: a data socket's normal close is its end of stream only after
///   `completed` and while the session is not closed (issue 8).
/// * Endings: after Completed or failed() the channel is told
///   (ControlChannel::closeSession()); after shutdown() while running it is
///   cancelled (ControlChannel::cancelSession()). finished() follows once
///   every own socket has stopped.
/// * A subscription back Up after an outage is checked against the server's
///   replay window (PROTOCOL.md §5.2, kServerReplaySlots): slots that left it
///   while the socket was down are reported (replayGapFound()), never
///   silently skipped.
/// * Every failure carries the control connection's FailureKind, read when
///   it happened, so a batch's sub-session is classified like a single session.
class SessionCore : public QObject
{
    Q_OBJECT
public:
    enum class State {
        Idle,       ///< not started (a sub-session: created, not yet running)
        Creating,   ///< a single session's create is under way
        Running,
        Draining,   ///< `completed` arrived; subscriptions drain
        Completed,
        Failed,
        ShutDown,
    };
    Q_ENUM(State)

    ~SessionCore() override;

    /// Add a transaction subscription (empty = every transaction), asking for
    /// zstd-compressed notifications unless `zstd` is false (PROTOCOL.md §5.4).
    /// Before the session runs it is opened once it does. Labels:
    /// "transactions", "transactions 2", … Ignored once the session ended.
    void subscribeTransactions(const QStringList &programIds, bool zstd = true);
    /// Add an account-diff subscription (PROTOCOL.md §5.6, seed
    /// `subscribe_account_diffs`): `address` is one account, or with
    /// `programOwner` every account that program owns. Labels "account
    /// diffs", "account diffs 2", …
    void subscribeAccountDiffs(const QString &address, bool programOwner, bool zstd = false);
    /// Share `coordinator` with the sibling sessions of a parallel batch: the
    /// subscriptions' reconnects step aside for streaming siblings (seed
    /// `start_with_cancel(…, reconnect_coordinator)`). Before the session runs.
    void setReconnectCoordinator(ReconnectCoordinator *coordinator) { m_coordinator = coordinator; }
    /// Queue a Continue (sent once every connection is Up). Errors: not
    /// running (not started, draining, completed, failed, shut down), a
    /// Continue already queued or in flight, a connection Failed.
    Result<void> sendContinue(const ContinueParams &params);
    /// Queue a Continue-to; same rules as sendContinue().
    Result<void> sendContinueTo(const ContinueToParams &params);
    /// Stop: subscriptions stop and the channel is cancelled (see class doc).
    /// During the completion drain this completes the session.
    void shutdown();
    /// shutdown() unless the session already ended, then deleteLater() once
    /// every own socket stopped (at once when that already happened).
    void shutdownAndDelete();
    /// "Reconnect now" on the socket labelled `socketLabel` ("control" only
    /// when the session owns its control connection):
    /// WebSocketConnection::reconnectNow(). False when there is no such
    /// socket or it is not Down / Parked.
    bool reconnectNow(const QString &socketLabel);

    State state() const { return m_state; }
    /// Completed, failed or shut down.
    bool hasEnded() const;
    /// Ended and every socket stopped: finished() was emitted.
    bool hasFinished() const { return m_finishedEmitted; }
    /// The control connection's status (a sub-session: the batch's shared one).
    ConnectionStatus controlStatus() const;
    SocketStatus controlSocketStatus() const;
    QList<SocketStatus> subscriptionStatuses() const;
    /// A Continue / Continue-to is queued, waiting for the connections.
    bool isContinueQueued() const { return m_queued.has_value(); }
    /// Highest slot reported by slotNotification so far.
    std::optional<quint64> currentSlot() const { return m_currentSlot; }
    /// How far subscription `socketLabel` would resume behind the session:
    /// currentSlot() − the slot its next subscribe replays from (its last
    /// slot received, or the session's first slot when it has none), 0 when
    /// not behind. From kServerReplaySlots on, a resubscribe misses slots
    /// (replayGapFound()). nullopt: no such subscription, or no slot yet.
    std::optional<quint64> slotsBehind(const QString &socketLabel) const;
    QList<SubscriptionManager *> subscriptions() const;

Q_SIGNALS:
    void created(const SlotScope::SessionInfo &info);
    /// Control events, in order; Completed only after the drain.
    void eventReceived(const SlotScope::ManagedEvent &event);
    /// The server said `completed`; the subscriptions are being read to their
    /// end of stream (PROTOCOL.md §6.7, seed `drain_subscriptions_until_complete`).
    /// Completed follows, or failed() with DrainStalled.
    void drainStarted();
    /// A new transaction from any subscription; `raw` is valid only during the
    /// emission (connect directly; write it to the capture before returning).
    void transactionReceived(const SlotScope::TransactionSummary &summary, QByteArrayView raw);
    /// A new account diff from any subscription (§5.6): `raw` is the
    /// notification's result object, valid only during the emission (connect
    /// directly). Empty signature / account when null on the wire.
    void accountDiffReceived(quint64 slot, const QString &signature, const QString &account,
                             QByteArrayView raw);
    /// A socket of this session changed status (a sub-session: its own
    /// subscriptions; the batch reports the shared control socket). `ended`:
    /// its loop ended (WebSocketConnection::hasEnded()), this status is its
    /// last — a Down that will not retry.
    void connectionStatusChanged(const QString &socketLabel, SlotScope::ConnectionStatus status,
                                 const QString &reason, int attempt, bool ended);
    /// A socket will retry after `delay` because of `reason` (WebSocketConnection::reconnectScheduled()).
    void reconnectScheduled(const QString &socketLabel, int attempt, std::chrono::milliseconds delay,
                            const QString &reason);
    /// A replayed duplicate was dropped (SubscriptionManager::duplicateDropped():
    /// `account` is "" for a transaction).
    void duplicateDropped(const QString &socketLabel, const QString &signature, const QString &account, quint64 slot);
    /// A received frame was skipped on socket `socketLabel` (WebSocketConnection::frameDropped()).
    void frameDropped(const QString &socketLabel, const QString &reason, const QByteArray &rawPrefix, qint64 size);
    /// Subscription `socketLabel` came back Up after the slots of `gap`
    /// (inclusive) had left the server's replay window, the session having
    /// executed `newestSlot` (replayGap(), kServerReplaySlots). Their
    /// notifications, if there were any, are missing; each slot is reported
    /// once per subscription.
    void replayGapFound(const QString &socketLabel, const SlotScope::ReplayGap &gap, quint64 newestSlot);
    /// A queued Continue went out.
    void continueSent(const SlotScope::ContinueParams &params);
    /// The session stopped with an error (emitted at most once).
    void failed(const SlotScope::ManagedSessionError &error);
    /// Every own socket has stopped after Completed, failed() or shutdown().
    void finished();

protected:
    /// `controlUrl` resolves the subscriptions' URLs (subscriptionWsUrl());
    /// `logName` names the session in log lines ("session", "sub-session <id>").
    SessionCore(QString controlUrl, ConnectionPolicy policy, QString logName, QObject *parent);

    /// The channel (not owned; set before activate(), kept for the session's life).
    void setChannel(ControlChannel *channel) { m_channel = channel; }
    /// Idle → Creating (a single session's create went out).
    void beginCreating() { m_state = State::Creating; }
    /// Idle or Creating → Running: created(), subscriptions open, a queued
    /// step may go. Ignored in any other state.
    void activate(const SessionInfo &info);
    /// A control event of this session (deduplicated, in order).
    void handleControlEvent(const ControlResponse &response);
    /// The control connection changed status. Failed fails a running session
    /// (classified with the connection's FailureKind); during the drain the
    /// drain decides.
    void handleControlStatus(ConnectionStatus status, const QString &reason);
    /// Emits finished() once the session ended and every own socket stopped.
    void checkFinished();

private:
    struct Subscription
    {
        QString label;
        SubscriptionSpec spec;
        SubscriptionManager *manager = nullptr; // null until the session runs
        std::optional<quint64> missedThrough;   // last slot of the replay gaps reported
        ConnectionStatus lastStatus = ConnectionStatus::Down;
        // The control plane at the last drop: Up, and m_controlOutages then.
        bool controlUpAtDrop = false;
        quint64 controlOutagesAtDrop = 0;
        // checkReplayWindow() of the last resubscribe saw a control plane Up since the drop.
        bool windowCheckedCurrent = false;
    };
    using QueuedRequest = std::variant<ContinueParams, ContinueToParams>;

    void addSubscription(const QString &baseLabel, SubscriptionSpec spec);
    void openSubscription(Subscription &subscription);
    void onSubscriptionStatus(const QString &label, ConnectionStatus status, const QString &reason);
    void checkReplayWindow(Subscription &subscription);
    /// The slots of `subscription` that no replay gap can hold: those reported
    /// missing already and those its keepalives show it received,
    /// notifications or none (SubscriptionManager::deliveredThrough(), a
    /// heuristic with a one-interval margin). nullopt: none known.
    static std::optional<quint64> knownThrough(const Subscription &subscription);
    /// The control connection has been Up since `subscription` last dropped:
    /// the session's newest slot was current all along.
    bool controlUpSinceDrop(const Subscription &subscription) const;
    /// replayGapFound() for the slots a resubscribe's late replay start shows
    /// missing (SubscriptionManager::replayStartedAfter()).
    void reportReplayStartedLate(Subscription &subscription, quint64 resumeSlot, quint64 firstReplayedSlot);
    /// The subscription labelled `label`, or null. The pointer is valid until
    /// the list changes (a signal's receiver may add one).
    Subscription *findSubscription(const QString &label);
    const Subscription *findSubscription(const QString &label) const;
    /// The slot a subscribe with `replayFromSlot` resumes from: that slot, or
    /// without one (nothing received) the session's first slot.
    std::optional<quint64> resumeSlot(std::optional<quint64> replayFromSlot) const
    {
        return replayFromSlot ? replayFromSlot : m_firstSlot;
    }
    bool acceptsNotifications();
    Result<void> queue(QueuedRequest request);
    bool allConnectionsUp() const;
    std::optional<SocketStatus> firstFailedConnection() const;
    void flushQueued();
    void onPaused();
    /// A synthesized readyForContinue for a `paused` the server did not
    /// follow with its own (PROTOCOL-0.31.md §3.2; a server older than 0.31).
    void standInForReady();
    void onReadyGraceElapsed();
    /// PROTOCOL-0.31.md §4.8's watchdog: an error left a step in flight and
    /// the server has been silent since for the keepalive miss deadline.
    void onErrorSilenceElapsed();
    void onEndOfStreamGraceElapsed();
    void startDrain(std::optional<SessionSummary> summary);
    void checkDrain();
    void onDrainIdle();
    void completeDrain();
    void fail(ManagedSessionError::Kind kind, const QString &message);
    void stopSubscriptions();
    bool isSubscriptionClosed(const Subscription &subscription) const;

    QString m_controlUrl;
    ConnectionPolicy m_policy;
    QString m_logName;
    ControlChannel *m_channel = nullptr;
    QPointer<ReconnectCoordinator> m_coordinator;
    State m_state = State::Idle;
    std::optional<SessionInfo> m_info;
    QList<Subscription> m_subscriptions;
    std::optional<QueuedRequest> m_queued;
    std::optional<SessionSummary> m_completedSummary;
    std::optional<quint64> m_currentSlot;
    /// Times the control connection left Up: a subscription's outage with no
    /// control outage in it was watched by a current control plane.
    quint64 m_controlOutages = 0;
    std::optional<quint64> m_firstSlot;  // the first slotNotification (the session's start)
    bool m_waitingForReady = false;  // `paused` arrived, its readyForContinue has not
    bool m_legacyPauses = false;     // the server sends `paused` alone (older than 0.31)
    bool m_readyStoodIn = false;     // a ready was synthesized; no frame of the step it allowed yet
    bool m_pausedLast = false;       // the last step frame was `paused` (no slot or completed since)
    bool m_readyFollowsPaused = false; // the server sent a ready after a `paused`: a 0.31 server
    QTimer m_drainIdleTimer{this};   // children, so moveToThread() takes them along
    QTimer m_readyGraceTimer{this};
    QTimer m_endOfStreamGraceTimer{this};
    QTimer m_errorSilenceTimer{this}; // runs from an error that left a step in flight to the next frame
    QString m_silentAfterError;       // that error, for the message should the timer fire
    bool m_finishedEmitted = false;
};

} // namespace SlotScope
