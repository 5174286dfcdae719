#include "refserver/subscriptionconnection.h"

#include "refserver/backtestsession.h"
#include "refserver/dataplaneshared.h"
#include "refserver/logging.h"
#include "refserver/sessionregistry.h"
#include "refserver/zstdcompressor.h"

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

/// How often a pending drop checks whether the socket flushed, and for how
/// many polls at most (a peer that stopped reading must not keep it open).
constexpr int AbortPollMs = 2;
constexpr int MaxAbortPolls = 2500;

/// An unmasked server-to-client WebSocket frame (RFC 6455 §5.2), FIN set.
QByteArray webSocketFrame(bool binary, const QByteArray &payload)
{
    QByteArray frame;
    frame.reserve(payload.size() + 10);
    frame.append(char(0x80 | (binary ? 0x2 : 0x1)));
    const quint64 size = quint64(payload.size());
    if (size < 126) {
        frame.append(char(size));
    } else if (size <= 0xffff) {
        frame.append(char(126));
        frame.append(char(size >> 8));
        frame.append(char(size & 0xff));
    } else {
        frame.append(char(127));
        for (int shift = 56; shift >= 0; shift -= 8)
            frame.append(char((size >> shift) & 0xff));
    }
    frame.append(payload);
    return frame;
}

} // namespace

bool Subscription::matches(const PlannedTransaction &transaction) const
{
    if (kind == SubscriptionKind::AccountDiffs)
        return true; // the diffs decide, matches(AccountDelta)
    if (accounts.isEmpty())
        return true;
    return std::any_of(accounts.cbegin(), accounts.cend(),
                       [&transaction](const QString &key) { return transaction.keys.contains(key); });
}

bool Subscription::matches(const AccountDelta &delta) const
{
    if (accounts.isEmpty())
        return true;
    return accounts.contains(programOwner ? delta.owner : delta.account);
}

SubscriptionConnection::SubscriptionConnection(int connectionId, QWebSocket *socket, QTcpSocket *tcp,
                                               BacktestSession *session, SessionRegistry *registry,
                                               DataPlaneShared *shared, QObject *parent)
    : QObject(parent)
    , m_connectionId(connectionId)
    , m_socket(socket)
    , m_tcp(tcp)
    , m_session(session)
    , m_sessionId(session->id())
    , m_registry(registry)
    , m_shared(shared)
    , m_stallTimer(this)
    , m_abortTimer(this)
{
    m_socket->setParent(this);
    m_stallTimer.setSingleShot(true);
    m_stallTimer.setTimerType(Qt::PreciseTimer); // a stall lasts stallMs, not up to 5 % less
    connect(&m_stallTimer, &QTimer::timeout, this, &SubscriptionConnection::endStall);
    m_abortTimer.setInterval(AbortPollMs);
    connect(&m_abortTimer, &QTimer::timeout, this, [this] {
        if (m_tcp && m_tcp->bytesToWrite() > 0 && ++m_abortPolls < MaxAbortPolls)
            return;
        m_abortTimer.stop();
        qCInfo(lcRefServer) << "data fault: aborting subscription connection" << m_connectionId << "of session"
                            << m_sessionId << "after" << m_notificationsSent << "notifications";
        m_socket->abort();
    });
    connect(m_socket, &QWebSocket::textMessageReceived, this, &SubscriptionConnection::onTextMessage);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, &SubscriptionConnection::onBinaryMessage);
    connect(m_socket, &QWebSocket::disconnected, this, [this] {
        m_closing = true;
        m_stallTimer.stop();
        m_abortTimer.stop();
        if (m_shared)
            m_shared->limiter()->forget(this);
        if (m_session)
            m_session->removeSubscriber(this);
        Q_EMIT finished(this);
    });
    session->addSubscriber(this);
}

SubscriptionConnection::~SubscriptionConnection()
{
    if (m_shared)
        m_shared->limiter()->forget(this);
    if (m_session)
        m_session->removeSubscriber(this);
}

qint64 SubscriptionConnection::pendingBytes() const
{
    return m_queuedBytes + (m_tcp ? m_tcp->bytesToWrite() : m_socket->bytesToWrite());
}

bool SubscriptionConnection::hasAccountDiffSubscriptions() const
{
    return std::any_of(m_subscriptions.cbegin(), m_subscriptions.cend(), [](const Subscription &subscription) {
        return subscription.kind == SubscriptionKind::AccountDiffs;
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
        if (!subscription.replayCursor && subscription.matches(transaction))
            notify(subscription, transaction);
    }
}

void SubscriptionConnection::notify(const Subscription &subscription, const PlannedTransaction &transaction)
{
    if (transaction.omitted)
        return;
    notifyOne(subscription, transaction);
    if (transaction.extra)
        notifyOne(subscription, *transaction.extra);
}

void SubscriptionConnection::notifyOne(const Subscription &subscription, const PlannedTransaction &transaction)
{
    if (subscription.kind == SubscriptionKind::Transactions) {
        enqueueNotification(encodeTransactionNotification(subscription.id, transaction.json));
        injectMalformed(subscription.id, transaction.position.slot);
        return;
    }
    for (const AccountDelta &delta : transaction.deltas) {
        if (subscription.matches(delta)) {
            enqueueNotification(encodeAccountDiffNotification(
                subscription.id, encodeAccountDiffResult(transaction.position.slot, transaction.signature, delta)));
        }
    }
}

void SubscriptionConnection::preencode(const Subscription &subscription)
{
    const TransactionPlan &plan = m_session->plan();
    std::optional<Position> at = plan.nextTransaction(m_session->cursor());
    for (; at; at = plan.nextTransaction(Position{at->slot, at->batch + 1})) {
        const PlannedTransaction transaction = plan.transactionAt(*at);
        Preencoded entry{*at, {}, 0};
        for (const PlannedTransaction *one : {&transaction, transaction.extra.get()}) {
            if (!one || transaction.omitted)
                continue;
            QByteArray payload = encodeTransactionNotification(subscription.id, one->json);
            if (m_compressor) {
                auto compressed = m_compressor->compress(payload);
                if (!compressed) {
                    m_preencoded.clear();
                    return; // the usual path reports it
                }
                payload = std::move(*compressed);
            }
            entry.frames += webSocketFrame(m_compressor != nullptr, payload);
            ++entry.notifications;
        }
        m_preencoded.append(std::move(entry));
    }
    m_preencodedNext = 0;
    qCInfo(lcRefServer) << "session" << m_sessionId << ": encoded" << m_preencoded.size()
                        << "notifications in advance";
}

bool SubscriptionConnection::deliverPreencoded(Position at)
{
    if (m_preencodedNext >= m_preencoded.size())
        return false;
    if (!m_tcp || m_preencoded.at(m_preencodedNext).at != at || !m_queue.isEmpty()) {
        m_preencoded.clear(); // off the plan: the usual path from here on
        m_preencodedNext = 0;
        return false;
    }
    Preencoded &entry = m_preencoded[m_preencodedNext++];
    if (!entry.frames.isEmpty() && !isClosing())
        m_tcp->write(entry.frames);
    m_notificationsSent += entry.notifications;
    entry.frames = QByteArray(); // sent once: free it
    return true;
}

void SubscriptionConnection::injectMalformed(qint64 subscription, quint64 slot)
{
    if (!m_shared || m_shared->faults().malformedNotifications <= 0 || isClosing())
        return;
    const int index = m_shared->takeMalformed(++m_transactionsQueued);
    if (index < 0)
        return;
    const auto shape = DataPlaneShared::malformedShape(index);
    qCInfo(lcRefServer) << "data fault: malformed notification" << index + 1 << "of"
                        << m_shared->faults().malformedNotifications << "(shape" << int(shape) << ") on connection"
                        << m_connectionId << "of session" << m_sessionId;
    if (shape == DataPlaneShared::MalformedShape::BadFrame && m_compressor) {
        // A zstd block header of the reserved block type 3: no decoder accepts
        // it as the continuation of the stream.
        m_queuedBytes += 8;
        m_queue.append(Outgoing{QByteArray("\x06\x00\x00\xde\xad\xbe\xef\x00", 8), true, true});
        flush();
        return;
    }
    enqueueNotification(DataPlaneShared::malformedNotification(shape, subscription, slot), true);
}

void SubscriptionConnection::enqueueNotification(const QByteArray &json, bool injected)
{
    if (isClosing())
        return;
    Outgoing outgoing{json, false, injected};
    if (m_compressor) {
        auto compressed = m_compressor->compress(json);
        if (!compressed) {
            qCWarning(lcRefServer) << "subscription connection" << m_connectionId << ":"
                                   << compressed.error().message;
            m_closing = true;
            m_socket->close(QWebSocketProtocol::CloseCodeAbnormalDisconnection, u"compression failed"_s);
            return;
        }
        outgoing = Outgoing{std::move(*compressed), true, injected};
    }
    m_queuedBytes += outgoing.payload.size();
    m_queue.append(std::move(outgoing));
    flush();
}

bool SubscriptionConnection::readyToSend() const
{
    return !m_queue.isEmpty() && !m_closing && !m_dropPending && !m_stalled
        && m_socket->state() == QAbstractSocket::ConnectedState;
}

void SubscriptionConnection::flush()
{
    if (!readyToSend())
        return;
    if (m_shared && m_shared->limiter()->isLimited()) {
        m_shared->limiter()->request(this); // sends now or when the shared budget allows
        return;
    }
    while (readyToSend())
        sendQueued();
}

qint64 SubscriptionConnection::sendQueued()
{
    if (!readyToSend())
        return 0;
    const Outgoing outgoing = m_queue.takeFirst();
    m_queuedBytes -= outgoing.payload.size();
    if (outgoing.binary)
        m_socket->sendBinaryMessage(outgoing.payload);
    else
        m_socket->sendTextMessage(QString::fromUtf8(outgoing.payload));
    if (outgoing.injected)
        return outgoing.payload.size();
    ++m_notificationsSent;
    applyFaultsAfterSend();
    // No wake() of the session here: it polls while it waits for a drain, and
    // a wake from inside its own delivery would cut a slot delay short.
    return outgoing.payload.size();
}

void SubscriptionConnection::applyFaultsAfterSend()
{
    if (!m_shared)
        return;
    const DataFaults &faults = m_shared->faults();
    if (faults.dropEveryNotifications > 0 && m_notificationsSent % faults.dropEveryNotifications == 0
        && m_shared->takeDrop()) {
        m_dropPending = true;
        abortWhenFlushed();
        return;
    }
    if (faults.stallAfterNotifications > 0 && m_notificationsSent == faults.stallAfterNotifications
        && m_shared->takeStall()) {
        qCInfo(lcRefServer) << "data fault: stalling subscription connection" << m_connectionId << "of session"
                            << m_sessionId << "after" << m_notificationsSent << "notifications"
                            << (faults.stallMs > 0 ? u"for %1 ms"_s.arg(faults.stallMs) : u"for good"_s);
        m_stalled = true;
        if (faults.stallMs > 0)
            m_stallTimer.start(faults.stallMs);
    }
}

void SubscriptionConnection::abortWhenFlushed()
{
    // The N notifications must reach the peer before the abort (abort() drops
    // whatever the socket still buffers), and the abort must not run inside a
    // caller that is iterating subscribers: poll from the event loop.
    if (m_tcp)
        m_tcp->flush();
    m_abortPolls = 0;
    m_abortTimer.start();
}

void SubscriptionConnection::endStall()
{
    qCInfo(lcRefServer) << "data fault: subscription connection" << m_connectionId << "resumes after its stall;"
                        << m_queue.size() << "notifications queued";
    m_stalled = false;
    flush();
}

void SubscriptionConnection::closeCompleted()
{
    if (isClosing())
        return;
    m_closing = true;
    m_socket->close(QWebSocketProtocol::CloseCodeNormal, u"session completed"_s);
}

void SubscriptionConnection::closeDropped(QWebSocketProtocol::CloseCode code, const QString &reason)
{
    if (m_closing)
        return;
    m_closing = true;
    m_socket->close(code, reason);
}

void SubscriptionConnection::dropNow(const QString &why)
{
    if (isClosing())
        return;
    qCInfo(lcRefServer).noquote() << "data fault: subscription connection" << m_connectionId << "of session"
                                  << m_sessionId << why << "(" << m_queue.size() << "queued notifications discarded)";
    m_dropPending = true;
    abortWhenFlushed();
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
    if (request.zstd) {
        if (m_shared && m_shared->zstdAccepted()) {
            // PROTOCOL.md §5.4: from now on every notification of this
            // connection is a Binary frame of its one stream (level 3).
            if (!m_compressor)
                m_compressor = std::make_unique<ZstdStreamCompressor>(3);
        } else if (!m_zstdNoted) {
            m_zstdNoted = true;
            qCInfo(lcRefServer) << "session" << m_sessionId
                                << ": compression zstd requested but disabled; notifications stay Text frames";
        }
    }
    Subscription subscription;
    subscription.id = m_registry->nextSubscriptionId();
    subscription.kind = request.method == "accountDiffSubscribe"_L1 ? SubscriptionKind::AccountDiffs
                                                                     : SubscriptionKind::Transactions;
    subscription.accounts = request.accounts;
    subscription.programOwner = subscription.kind == SubscriptionKind::AccountDiffs && request.programOwner;
    sendText(encodeSubscribeAck(request.requestId, subscription.id));
    m_subscriptions.append(subscription);
    if (!m_session)
        return;
    if (m_shared && m_shared->preencodes() && m_subscriptions.size() == 1 && m_tcp
        && subscription.kind == SubscriptionKind::Transactions && subscription.accounts.isEmpty()
        && !request.replayFromSlot) {
        preencode(subscription);
    }
    if (request.replayFromSlot)
        m_session->beginReplay(m_subscriptions.last(), *request.replayFromSlot);
    m_session->wake();
}

} // namespace SlotScope::Internal
