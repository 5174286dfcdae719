#pragma once

// One data-plane WebSocket on /backtest/<session_id> (PROTOCOL.md §5.2–§5.8):
// JSON-RPC subscriptions of one session. Internal.

#include "protocol/dataplane.h"
#include "refserver/bandwidthlimiter.h"
#include "refserver/transactionplan.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QWebSocketProtocol>

#include <memory>
#include <optional>

QT_BEGIN_NAMESPACE
class QTcpSocket;
class QWebSocket;
QT_END_NAMESPACE

namespace SlotScope::Internal {

class BacktestSession;
class DataPlaneShared;
class SessionRegistry;
class ZstdStreamCompressor;

/// One subscription on a data-plane socket.
struct Subscription
{
    qint64 id = 0;
    SubscriptionKind kind = SubscriptionKind::Transactions;
    /// Transactions: accountInclude (empty = every transaction). Account diffs:
    /// the subscribed address (an account, or the owner program with programOwner).
    QStringList accounts;
    bool programOwner = false;             ///< accountDiffSubscribe with address_type "program"
    std::optional<Position> replayCursor;  ///< next position to replay; empty = live

    /// §5.5 [P]: a transaction matches when any filter key is among its account
    /// keys or program ids; an empty filter matches everything.
    bool matches(const PlannedTransaction &transaction) const;
    /// §5.6: an account diff matches when its account (or, with programOwner,
    /// its owner program) is the subscribed address.
    bool matches(const AccountDelta &delta) const;
};

/// The server side of one data-plane socket. Notifications go through a
/// per-socket FIFO: with zstd (PROTOCOL.md §5.4) each is compressed into the
/// connection's one stream as it is queued and sent as a Binary frame; the
/// queue drains at once, or within the server's shared bandwidth budget, or
/// not at all while a stall fault holds it. pendingBytes() (queue + socket
/// buffer) is the session's back-pressure signal, so memory stays bounded.
class SubscriptionConnection : public QObject, public BandwidthClient
{
    Q_OBJECT
public:
    /// Takes ownership of `socket`. `tcp` is the socket handed to
    /// QWebSocketServer::handleConnection (for bytesToWrite()). `shared` holds
    /// the server's data faults, zstd flag and bandwidth limiter.
    SubscriptionConnection(int connectionId, QWebSocket *socket, QTcpSocket *tcp, BacktestSession *session,
                           SessionRegistry *registry, DataPlaneShared *shared, QObject *parent = nullptr);
    ~SubscriptionConnection() override;

    int connectionId() const { return m_connectionId; }
    /// Bytes not yet handed to the kernel: queued notifications + socket buffer (back-pressure).
    qint64 pendingBytes() const;
    QList<Subscription> &subscriptions() { return m_subscriptions; }
    bool hasAccountDiffSubscriptions() const;
    bool hasSubscriptions() const { return !m_subscriptions.isEmpty(); }
    /// Closing, closed, or about to be aborted by a drop fault: send nothing more.
    bool isClosing() const { return m_closing || m_dropPending; }
    /// Notifications handed to the socket so far (injected malformed ones not counted).
    qint64 notificationsSent() const { return m_notificationsSent; }
    /// The server's shared data-plane state (faults, limiter); may be null.
    DataPlaneShared *shared() const { return m_shared; }

    /// Send `transaction` to every live subscription it matches (its account
    /// diffs to the diff subscriptions: `transaction.deltas` must be filled
    /// when hasAccountDiffSubscriptions()).
    void deliver(const PlannedTransaction &transaction);
    /// Send `transaction` (or its matching diffs) to one subscription (replay);
    /// nothing when the experiment omitted it, its copy after it when it added one.
    void notify(const Subscription &subscription, const PlannedTransaction &transaction);
    /// RefServerConfig::preencodedNotifications: write the frames encoded in
    /// advance for the transaction at `at` and return true; false when this
    /// connection holds none for `at` (then it holds none any more, and the
    /// caller delivers the usual way).
    bool deliverPreencoded(Position at);
    /// End of stream after `completed` (PROTOCOL.md §5.8 [P]): close 1000 "session completed".
    /// The caller waits for pendingBytes() == 0 first.
    void closeCompleted();
    /// Session dropped: close with `code` and `reason` (1001 in 0.28; 1000
    /// "session closed" for a session closed by its client in 0.31); queued
    /// notifications are discarded.
    void closeDropped(QWebSocketProtocol::CloseCode code, const QString &reason);
    /// Abort the socket (no close frame) once Qt's buffer reached the kernel,
    /// discarding queued notifications (DataFaults::dropAtCompletion).
    void dropNow(const QString &why);

    // BandwidthClient
    bool readyToSend() const override;
    qint64 sendQueued() override;

Q_SIGNALS:
    void finished(SlotScope::Internal::SubscriptionConnection *connection);

private:
    struct Outgoing
    {
        QByteArray payload;
        bool binary = false;
        bool injected = false; ///< a malformed notification (DataFaults::malformedNotifications)
    };

    void onTextMessage(const QString &text);
    void onBinaryMessage(const QByteArray &data);
    void handleFrame(const QByteArray &utf8);
    void handleSubscribe(const SubscribeRequest &request);
    /// A reply (ack, error): a Text frame at once, outside the notification queue.
    void sendText(const QByteArray &utf8);
    void notifyOne(const Subscription &subscription, const PlannedTransaction &transaction);
    /// Encodes every notification `subscription` will get from the session's
    /// cursor to its end (preencodedNotifications).
    void preencode(const Subscription &subscription);
    /// Queue one notification and drain what may go.
    void enqueueNotification(const QByteArray &json, bool injected = false);
    /// DataFaults::malformedNotifications: after a real transactionNotification
    /// was queued, queue a malformed one when it is due.
    void injectMalformed(qint64 subscription, quint64 slot);
    void flush();
    void applyFaultsAfterSend();
    void abortWhenFlushed();
    void endStall();

    int m_connectionId = 0;
    QWebSocket *m_socket = nullptr;
    QPointer<QTcpSocket> m_tcp;
    QPointer<BacktestSession> m_session;
    QString m_sessionId;
    SessionRegistry *m_registry = nullptr;
    QPointer<DataPlaneShared> m_shared;
    QList<Subscription> m_subscriptions;
    bool m_closing = false;
    bool m_zstdNoted = false;

    std::unique_ptr<ZstdStreamCompressor> m_compressor;
    struct Preencoded
    {
        Position at;
        QByteArray frames;     ///< whole WebSocket frames, ready for the TCP socket
        int notifications = 0;
    };
    QList<Preencoded> m_preencoded;
    qsizetype m_preencodedNext = 0;
    QList<Outgoing> m_queue;
    qint64 m_queuedBytes = 0;
    qint64 m_notificationsSent = 0;
    qint64 m_transactionsQueued = 0; // real transactionNotifications queued (malformed injection)
    bool m_stalled = false;
    bool m_dropPending = false;
    QTimer m_stallTimer;
    QTimer m_abortTimer;
    int m_abortPolls = 0;
};

} // namespace SlotScope::Internal
