#pragma once

#include "net/connectionpolicy.h"
#include "net/controlmanager.h"
#include "net/framelog.h"
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

/// The driver-facing API of one single (non-parallel) backtest session
/// (seed session.rs `ManagedBacktestSession`, DESIGN.md §4, PROTOCOL.md §6.1,
/// §6.7). Owns a ControlManager and one SubscriptionManager per
/// subscribeTransactions() / subscribeAccountDiffs() call; everything runs on
/// the owning thread.
///
/// * start() creates the session; created() or failed() follows.
/// * Subscriptions open once the session exists, on its RPC endpoint.
/// * sendContinue() / sendContinueTo() are queued until the control connection
///   and every subscription are Up, then sent exactly once (seed
///   `wait_connections_up`); a Failed connection fails the session with an
///   error naming the socket.
/// * On `completed` the session keeps delivering transactions and account
///   diffs until every subscription reached its end of stream, then emits
///   Completed (seed `drain_subscriptions_until_complete`). The idle backstop
///   (ConnectionPolicy::drainIdleTimeout, restarted by every notification and
///   whenever a subscription comes Up again) declares a stall only while an
///   open subscription is Up and silent (Down / Parked keeps waiting); all
///   closed but one Failed is a stall too. A stall is failed(DrainStalled)
///   after the drained notifications, never a silent Completed. shutdown()
///   during the drain completes it.
/// * After Completed or failed() the control connection is closed gracefully
///   (closeBacktestSession + close frame); finished() follows once every
///   socket has stopped.
class ManagedSession : public QObject
{
    Q_OBJECT
public:
    enum class State { Idle, Creating, Running, Draining, Completed, Failed, ShutDown };
    Q_ENUM(State)

    /// `controlUrl` is normalised with backtestWsUrl() (a bare host becomes
    /// wss://<host>/backtest). `apiKey` is sent as X-API-Key and never logged.
    ManagedSession(QString controlUrl, QString apiKey, CreateSessionParams params,
                   ConnectionPolicy policy = {}, QObject *parent = nullptr);
    ~ManagedSession() override;

    /// Connect and create the session.
    void start();
    /// Add a transaction subscription (empty = every transaction), asking for
    /// zstd-compressed notifications unless `zstd` is false (PROTOCOL.md §5.4;
    /// a server that ignores it sends text). Before the session exists it is
    /// opened once created() fires. Labels: "transactions", "transactions 2", …
    void subscribeTransactions(const QStringList &programIds, bool zstd = true);
    /// Add an account-diff subscription (PROTOCOL.md §5.6, seed
    /// `subscribe_account_diffs`): `address` is one account, or with
    /// `programOwner` every account that program owns. Compression is opt-in.
    /// Labels: "account diffs", "account diffs 2", …
    void subscribeAccountDiffs(const QString &address, bool programOwner, bool zstd = false);
    /// Share `coordinator` with the sibling sessions of a parallel batch: the
    /// subscriptions' reconnects step aside for streaming siblings (seed
    /// `start_with_cancel(…, reconnect_coordinator)`). Call before start();
    /// nullptr (the default) for a standalone session.
    void setReconnectCoordinator(ReconnectCoordinator *coordinator) { m_coordinator = coordinator; }
    /// Queue a Continue (sent once every connection is Up). Errors: not
    /// running (not started, draining, completed, failed, shut down), a
    /// Continue already queued or in flight, a connection Failed.
    Result<void> sendContinue(const ContinueParams &params);
    /// Queue a Continue-to; same rules as sendContinue().
    Result<void> sendContinueTo(const ContinueToParams &params);
    /// Stop: graceful close of the control connection, subscriptions stopped.
    /// During the completion drain this completes the session.
    void shutdown();
    /// "Reconnect now" on the socket labelled `socketLabel` ("control",
    /// "transactions", …): WebSocketConnection::reconnectNow(). False when
    /// there is no such socket or it is not Down / Parked.
    bool reconnectNow(const QString &socketLabel);

    State state() const { return m_state; }
    std::optional<SessionInfo> sessionInfo() const;
    QString controlUrl() const { return m_controlUrl; }
    ConnectionStatus controlStatus() const;
    SocketStatus controlSocketStatus() const;
    QList<SocketStatus> subscriptionStatuses() const;
    /// A Continue / Continue-to is queued, waiting for the connections.
    bool isContinueQueued() const { return m_queued.has_value(); }
    /// The underlying connections (diagnostics and tests).
    ControlManager *control() const { return m_control; }
    QList<SubscriptionManager *> subscriptions() const;

Q_SIGNALS:
    void created(const SlotScope::SessionInfo &info);
    /// Control events, in order; Completed only after the drain.
    void eventReceived(const SlotScope::ManagedEvent &event);
    /// A new transaction from any subscription; `raw` is valid only during the
    /// emission (connect directly; write it to the capture before returning).
    void transactionReceived(const SlotScope::TransactionSummary &summary, QByteArrayView raw);
    /// A new account diff from any subscription (§5.6): `raw` is the
    /// notification's result object, valid only during the emission (connect
    /// directly). Empty signature / account when null on the wire.
    void accountDiffReceived(quint64 slot, const QString &signature, const QString &account,
                             QByteArrayView raw);
    void connectionStatusChanged(const QString &socketLabel, SlotScope::ConnectionStatus status,
                                 const QString &reason, int attempt);
    void reconnectScheduled(const QString &socketLabel, int attempt, std::chrono::milliseconds delay);
    /// Control frames for the protocol console.
    void frameLogged(const SlotScope::FrameLogEntry &entry);
    /// A replayed duplicate was dropped (transactions: key = signature;
    /// account diffs: DuplicateFilter::accountDiffKey()).
    void duplicateDropped(const QString &socketLabel, const QString &key, quint64 slot);
    /// A queued Continue / Continue-to went out.
    void continueSent(const SlotScope::ContinueParams &params);
    void continueToSent(const SlotScope::ContinueToParams &params);
    /// The session stopped with an error (emitted at most once).
    void failed(const SlotScope::ManagedSessionError &error);
    /// Every socket has stopped after Completed, failed() or shutdown().
    void finished();

private:
    struct Subscription
    {
        QString label;
        SubscriptionSpec spec;
        SubscriptionManager *manager = nullptr; // null until the session exists
    };
    using QueuedRequest = std::variant<ContinueParams, ContinueToParams>;

    void addSubscription(const QString &baseLabel, SubscriptionSpec spec);
    Result<void> queue(QueuedRequest request);
    bool allConnectionsUp() const;
    std::optional<SocketStatus> firstFailedConnection() const;
    void flushQueued();
    void openSubscription(Subscription &subscription);
    void onControlStatus(ConnectionStatus status, const QString &reason);
    void onControlEvent(const ControlFrame &frame);
    void onSessionCreated(const SessionInfo &info);
    void onSubscriptionStatus(const QString &label, ConnectionStatus status, const QString &reason);
    bool acceptsNotifications();
    void startDrain(std::optional<SessionSummary> summary);
    void checkDrain();
    void onDrainIdle();
    void completeDrain();
    void fail(ManagedSessionError::Kind kind, const QString &message);
    void stopConnections();
    void checkFinished();
    bool isSubscriptionClosed(const Subscription &subscription) const;

    QString m_controlUrl;
    QString m_apiKey;
    CreateSessionParams m_params;
    ConnectionPolicy m_policy;
    State m_state = State::Idle;
    QPointer<ControlManager> m_control;
    QPointer<ReconnectCoordinator> m_coordinator;
    QList<Subscription> m_subscriptions;
    std::optional<QueuedRequest> m_queued;
    std::optional<SessionSummary> m_completedSummary;
    QTimer m_drainIdleTimer{this}; // a child, so moveToThread() takes it along
    bool m_finishedEmitted = false;
};

} // namespace SlotScope
