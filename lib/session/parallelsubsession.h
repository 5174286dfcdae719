#pragma once

#include "net/connectionpolicy.h"
#include "net/parallelcontrolmanager.h"
#include "net/subscriptionmanager.h"
#include "protocol/connectionstatus.h"
#include "protocol/controlmessages.h"
#include "protocol/result.h"
#include "protocol/transactionsummary.h"
#include "session/managedevent.h"
#include "session/managedsession.h"

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

class ReconnectCoordinator;

/// One sub-session of a parallel batch (seed parallel.rs `ParallelSubSession`,
/// DESIGN.md §4, PROTOCOL.md §6.3, §6.7). Made by ManagedParallelSession once
/// the batch exists; it mirrors ManagedSession's driver surface: control events
/// arrive demultiplexed from the batch's shared ParallelControlManager, while
/// transactions flow over this sub-session's own SubscriptionManagers on its
/// RPC endpoint. Those reconnect through the batch's shared
/// ReconnectCoordinator: the first policy.ungatedAttempts retries fire at once,
/// later ones park until no sibling streams (status Parked), one handshake at
/// a time, parked time not charged to the budget.
///
/// * created() is emitted right after ManagedParallelSession::created() (so a
///   driver connected in that slot sees it), then the startup events.
/// * sendContinue() / sendContinueTo() are queued until the shared control
///   connection and every subscription of this sub-session are Up, then sent
///   once as `continueSessionV1` / `continueToSessionV1` (seed
///   `wait_all_up`). A Failed connection fails the call (or the sub-session).
/// * On `completed` the sub-session keeps delivering until every subscription
///   reached its end of stream, then emits Completed; the drain's idle
///   backstop and stall rules are ManagedSession's (PROTOCOL.md §6.7).
/// * A terminal error event (noMoreBlocks, advanceSlotFailed,
///   finalizeSlotFailed, internal) is delivered, then the sub-session fails.
///   simulationError never arrives (the control manager swallows it).
/// * connectionStatusChanged() / reconnectScheduled() report this
///   sub-session's own subscription sockets; the shared control socket is
///   reported once by ManagedParallelSession (controlStatus() reads it here).
/// * finished() once the sub-session ended (Completed, failed, shut down) and
///   its subscriptions stopped; the shared control is not this object's.
class ParallelSubSession : public QObject
{
    Q_OBJECT
public:
    enum class State { Pending, Running, Draining, Completed, Failed, ShutDown };
    Q_ENUM(State)

    ~ParallelSubSession() override;

    const ParallelSubSessionInfo &subSessionInfo() const { return m_info; }
    SessionInfo sessionInfo() const { return m_info.info; }
    QString sessionId() const { return m_info.info.sessionId; }
    /// Server-authoritative range of this sub-session, inclusive slots (sessionsCreatedV2).
    quint64 startSlot() const { return m_info.startSlot; }
    quint64 endSlot() const { return m_info.endSlot; }
    /// Highest slot reported by slotNotification so far.
    std::optional<quint64> currentSlot() const { return m_currentSlot; }
    /// Highest seq_id delivered on the shared control connection for this sub-session.
    quint64 lastSequence() const;

    /// Add a transaction subscription (empty = every transaction), zstd asked
    /// for unless `zstd` is false. Labels "transactions", "transactions 2", …
    /// Ignored once the sub-session ended.
    void subscribeTransactions(const QStringList &programIds, bool zstd = true);
    /// Add an account-diff subscription (PROTOCOL.md §5.6); labels "account
    /// diffs", "account diffs 2", …
    void subscribeAccountDiffs(const QString &address, bool programOwner, bool zstd = false);
    /// Queue a Continue (sent once the control and every own subscription are
    /// Up). Errors: not running (pending, draining, completed, failed, shut
    /// down), a Continue already queued or in flight, a connection Failed.
    Result<void> sendContinue(const ContinueParams &params);
    /// Queue a Continue-to; same rules as sendContinue().
    Result<void> sendContinueTo(const ContinueToParams &params);
    /// Stop this sub-session: its subscriptions stop, and while it runs the
    /// server is told with `closeSessionV1` (so the batch can still complete).
    /// During the completion drain this completes it. The shared control stays.
    void shutdown();
    /// "Reconnect now" on this sub-session's subscription labelled
    /// `socketLabel`: WebSocketConnection::reconnectNow() (a parked socket
    /// still waits for the coordinator's handshake slot). False when there is
    /// no such socket or it is not Down / Parked.
    bool reconnectNow(const QString &socketLabel);

    State state() const { return m_state; }
    /// The shared control connection's status.
    ConnectionStatus controlStatus() const;
    SocketStatus controlSocketStatus() const;
    QList<SocketStatus> subscriptionStatuses() const;
    bool isContinueQueued() const { return m_queued.has_value(); }
    /// Reconnects scheduled on this sub-session's subscription sockets so far.
    int reconnectCount() const { return m_reconnects; }
    /// New transactions delivered so far.
    qint64 transactionsReceived() const { return m_transactions; }
    QList<SubscriptionManager *> subscriptions() const;

Q_SIGNALS:
    void created(const SlotScope::SessionInfo &info);
    /// Control events of this sub-session, in order; Completed only after the drain.
    void eventReceived(const SlotScope::ManagedEvent &event);
    /// A new transaction; `raw` is valid only during the emission (connect directly).
    void transactionReceived(const SlotScope::TransactionSummary &summary, QByteArrayView raw);
    /// A new account diff; `raw` is valid only during the emission.
    void accountDiffReceived(quint64 slot, const QString &signature, const QString &account,
                             QByteArrayView raw);
    /// One of this sub-session's subscription sockets changed status.
    void connectionStatusChanged(const QString &socketLabel, SlotScope::ConnectionStatus status,
                                 const QString &reason, int attempt);
    void reconnectScheduled(const QString &socketLabel, int attempt, std::chrono::milliseconds delay);
    /// A replayed duplicate was dropped on a subscription (key = signature or diff key).
    void duplicateDropped(const QString &socketLabel, const QString &key, quint64 slot);
    void continueSent(const SlotScope::ContinueParams &params);
    void continueToSent(const SlotScope::ContinueToParams &params);
    /// The sub-session stopped with an error (at most once).
    void failed(const SlotScope::ManagedSessionError &error);
    /// Ended and every own subscription stopped.
    void finished();

private:
    friend class ManagedParallelSession;

    struct Subscription
    {
        QString label;
        SubscriptionSpec spec;
        SubscriptionManager *manager = nullptr; // null until the sub-session runs
    };
    using QueuedRequest = std::variant<ContinueParams, ContinueToParams>;

    ParallelSubSession(ParallelSubSessionInfo info, QString controlUrl, ParallelControlManager *control,
                       ReconnectCoordinator *coordinator, ConnectionPolicy policy, QObject *parent);

    /// Pending → Running: created(), subscriptions open.
    void activate();
    /// Called by ManagedParallelSession for this sub-session's events.
    void handleControlEvent(const SessionEventKind &event);
    /// The shared control connection changed status.
    void handleControlStatus(ConnectionStatus status, const QString &reason);

    void addSubscription(const QString &baseLabel, SubscriptionSpec spec);
    void openSubscription(Subscription &subscription);
    bool acceptsNotifications();
    Result<void> queue(QueuedRequest request);
    bool allConnectionsUp() const;
    std::optional<SocketStatus> firstFailedConnection() const;
    void flushQueued();
    void onSubscriptionStatus(const QString &label, ConnectionStatus status, const QString &reason);
    void startDrain(std::optional<SessionSummary> summary);
    void checkDrain();
    void onDrainIdle();
    void completeDrain();
    void fail(ManagedSessionError::Kind kind, const QString &message);
    void stopSubscriptions();
    void checkFinished();
    bool isSubscriptionClosed(const Subscription &subscription) const;

    ParallelSubSessionInfo m_info;
    QString m_controlUrl;
    QPointer<ParallelControlManager> m_control;
    QPointer<ReconnectCoordinator> m_coordinator;
    ConnectionPolicy m_policy;
    State m_state = State::Pending;
    QList<Subscription> m_subscriptions;
    std::optional<QueuedRequest> m_queued;
    std::optional<SessionSummary> m_completedSummary;
    std::optional<quint64> m_currentSlot;
    int m_reconnects = 0;
    qint64 m_transactions = 0;
    QTimer m_drainIdleTimer{this};
    bool m_finishedEmitted = false;
};

} // namespace SlotScope
