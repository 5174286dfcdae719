#pragma once

// One data-plane WebSocket on /backtest/<session_id> (PROTOCOL.md §5.2–§5.5,
// §5.8): JSON-RPC subscriptions of one session. Internal.

#include "protocol/dataplane.h"
#include "refserver/transactionplan.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>

#include <optional>

QT_BEGIN_NAMESPACE
class QTcpSocket;
class QWebSocket;
QT_END_NAMESPACE

namespace SlotScope::Internal {

class BacktestSession;
class SessionRegistry;

/// One subscription on a data-plane socket.
struct Subscription
{
    qint64 id = 0;
    SubscriptionKind kind = SubscriptionKind::Transactions;
    QStringList accounts;                  ///< accountInclude; empty = every transaction
    std::optional<Position> replayCursor;  ///< next position to replay; empty = live

    /// §5.5 [P]: a transaction matches when any filter key is among its account
    /// keys or program ids; an empty filter matches everything.
    bool matches(const PlannedTransaction &transaction) const;
};

class SubscriptionConnection : public QObject
{
    Q_OBJECT
public:
    /// Takes ownership of `socket`. `tcp` is the socket handed to
    /// QWebSocketServer::handleConnection (for bytesToWrite()).
    SubscriptionConnection(int connectionId, QWebSocket *socket, QTcpSocket *tcp, BacktestSession *session,
                           SessionRegistry *registry, QObject *parent = nullptr);
    ~SubscriptionConnection() override;

    int connectionId() const { return m_connectionId; }
    /// Bytes queued for the peer (back-pressure).
    qint64 pendingBytes() const;
    QList<Subscription> &subscriptions() { return m_subscriptions; }
    bool hasTransactionSubscriptions() const;
    bool isClosing() const { return m_closing; }

    /// Send `transaction` to every live transaction subscription it matches.
    void deliver(const PlannedTransaction &transaction);
    /// Send `transaction` to one subscription (replay).
    void notify(const Subscription &subscription, const PlannedTransaction &transaction);
    /// End of stream after `completed` (PROTOCOL.md §5.8 [P]): close 1000 "session completed".
    void closeCompleted();
    /// Session dropped: close 1001 with `reason`.
    void closeGoingAway(const QString &reason);

Q_SIGNALS:
    void finished(SlotScope::Internal::SubscriptionConnection *connection);

private:
    void onTextMessage(const QString &text);
    void onBinaryMessage(const QByteArray &data);
    void handleFrame(const QByteArray &utf8);
    void handleSubscribe(const SubscribeRequest &request);
    void sendText(const QByteArray &utf8);

    int m_connectionId = 0;
    QWebSocket *m_socket = nullptr;
    QPointer<QTcpSocket> m_tcp;
    QPointer<BacktestSession> m_session;
    QString m_sessionId;
    SessionRegistry *m_registry = nullptr;
    QList<Subscription> m_subscriptions;
    bool m_closing = false;
    bool m_zstdNoted = false;
};

} // namespace SlotScope::Internal
