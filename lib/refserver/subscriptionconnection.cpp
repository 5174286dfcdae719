#include "refserver/subscriptionconnection.h"

#include "refserver/backtestsession.h"
#include "refserver/logging.h"
#include "refserver/sessionregistry.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QWebSocket>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace SlotScope::Internal {

namespace {

// JSON-RPC 2.0 error codes.
constexpr qint64 ParseError = -32700;
constexpr qint64 InvalidRequest = -32600;
constexpr qint64 MethodNotFound = -32601;
constexpr qint64 InvalidParams = -32602;

} // namespace

bool Subscription::matches(const PlannedTransaction &transaction) const
{
    if (accounts.isEmpty())
        return true;
    return std::any_of(accounts.cbegin(), accounts.cend(),
                       [&transaction](const QString &key) { return transaction.keys.contains(key); });
}

SubscriptionConnection::SubscriptionConnection(int connectionId, QWebSocket *socket, QTcpSocket *tcp,
                                               BacktestSession *session, SessionRegistry *registry, QObject *parent)
    : QObject(parent)
    , m_connectionId(connectionId)
    , m_socket(socket)
    , m_tcp(tcp)
    , m_session(session)
    , m_sessionId(session->id())
    , m_registry(registry)
{
    m_socket->setParent(this);
    connect(m_socket, &QWebSocket::textMessageReceived, this, &SubscriptionConnection::onTextMessage);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, &SubscriptionConnection::onBinaryMessage);
    connect(m_socket, &QWebSocket::disconnected, this, [this] {
        m_closing = true;
        if (m_session)
            m_session->removeSubscriber(this);
        Q_EMIT finished(this);
    });
    session->addSubscriber(this);
}

SubscriptionConnection::~SubscriptionConnection()
{
    if (m_session)
        m_session->removeSubscriber(this);
}

qint64 SubscriptionConnection::pendingBytes() const
{
    return m_tcp ? m_tcp->bytesToWrite() : m_socket->bytesToWrite();
}

bool SubscriptionConnection::hasTransactionSubscriptions() const
{
    return std::any_of(m_subscriptions.cbegin(), m_subscriptions.cend(), [](const Subscription &subscription) {
        return subscription.kind == SubscriptionKind::Transactions;
    });
}

void SubscriptionConnection::sendText(const QByteArray &utf8)
{
    if (!m_closing)
        m_socket->sendTextMessage(QString::fromUtf8(utf8));
}

void SubscriptionConnection::deliver(const PlannedTransaction &transaction)
{
    for (const Subscription &subscription : std::as_const(m_subscriptions)) {
        if (subscription.kind == SubscriptionKind::Transactions && !subscription.replayCursor
            && subscription.matches(transaction)) {
            notify(subscription, transaction);
        }
    }
}

void SubscriptionConnection::notify(const Subscription &subscription, const PlannedTransaction &transaction)
{
    sendText(encodeTransactionNotification(subscription.id, transaction.json));
}

void SubscriptionConnection::closeCompleted()
{
    if (m_closing)
        return;
    m_closing = true;
    m_socket->close(QWebSocketProtocol::CloseCodeNormal, u"session completed"_s);
}

void SubscriptionConnection::closeGoingAway(const QString &reason)
{
    if (m_closing)
        return;
    m_closing = true;
    m_socket->close(QWebSocketProtocol::CloseCodeGoingAway, reason);
}

void SubscriptionConnection::onTextMessage(const QString &text)
{
    handleFrame(text.toUtf8());
}

void SubscriptionConnection::onBinaryMessage(const QByteArray &data)
{
    handleFrame(data);
}

void SubscriptionConnection::handleFrame(const QByteArray &utf8)
{
    m_registry->record(m_connectionId, TranscriptEntry::Kind::Subscription, m_sessionId, QString::fromUtf8(utf8));

    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(utf8, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        sendText(encodeRpcError(-1, ParseError, u"Parse error"_s));
        return;
    }
    const QJsonObject request = document.object();
    const QJsonValue idValue = request.value(u"id"_s);
    const qint64 requestId = idValue.isDouble() ? idValue.toInteger() : -1;
    const QString method = request.value(u"method"_s).toString();
    if (method.isEmpty()) {
        sendText(encodeRpcError(requestId, InvalidRequest, u"Invalid request: missing method"_s));
        return;
    }

    if (method == "transactionSubscribe"_L1 || method == "accountDiffSubscribe"_L1) {
        auto decoded = decodeSubscribeRequest(utf8);
        if (!decoded) {
            sendText(encodeRpcError(requestId, InvalidParams, decoded.error().message));
            return;
        }
        decoded->method = method;
        handleSubscribe(*decoded);
        return;
    }
    if (method == "transactionUnsubscribe"_L1 || method == "accountDiffUnsubscribe"_L1) {
        const QJsonArray params = request.value(u"params"_s).toArray();
        const qint64 subscriptionId = params.isEmpty() ? -1 : params.first().toInteger(-1);
        const qsizetype removed = m_subscriptions.removeIf(
            [subscriptionId](const Subscription &subscription) { return subscription.id == subscriptionId; });
        const QJsonObject reply{{u"jsonrpc"_s, u"2.0"_s}, {u"result"_s, removed > 0}, {u"id"_s, idValue}};
        sendText(QJsonDocument(reply).toJson(QJsonDocument::Compact));
        return;
    }
    sendText(encodeRpcError(requestId, MethodNotFound, u"Method not found: "_s + method));
}

void SubscriptionConnection::handleSubscribe(const SubscribeRequest &request)
{
    if (request.zstd && !m_zstdNoted) {
        m_zstdNoted = true;
        qCInfo(lcRefServer) << "session" << m_sessionId
                            << ": compression zstd requested; not implemented yet, notifications stay Text frames";
    }
    Subscription subscription;
    subscription.id = m_registry->nextSubscriptionId();
    subscription.kind = request.method == "accountDiffSubscribe"_L1 ? SubscriptionKind::AccountDiffs
                                                                     : SubscriptionKind::Transactions;
    subscription.accounts = request.accounts;
    sendText(encodeSubscribeAck(request.requestId, subscription.id));
    // accountDiffSubscribe is acknowledged so clients that always subscribe to
    // diffs keep working, but no accountDiffNotification is ever sent: the
    // reference server does not compute account diffs yet (a later issue adds them).
    m_subscriptions.append(subscription);
    if (!m_session)
        return;
    if (subscription.kind == SubscriptionKind::Transactions && request.replayFromSlot)
        m_session->beginReplay(m_subscriptions.last(), *request.replayFromSlot);
    m_session->wake();
}

} // namespace SlotScope::Internal
