#include "net/websocketconnection.h"
#include "net/logging.h"
#include "net/reconnectcoordinator.h"
#include "protocol/transactionsummary.h"
#include "protocol/urls.h"

#include <QNetworkRequest>
#include <QRegularExpression>
#include <QScopedValueRollback>
#include <QStringDecoder>
#include <QStringEncoder>
#include <QWebSocket>

using namespace Qt::StringLiterals;
using std::chrono::milliseconds;

namespace SlotScope {

namespace {

/// A URL as logs and failure reasons show it: no user info, no credential in
/// its query (redactedUrl()).
QString shownUrl(const QUrl &url)
{
    return redactedUrl(url.toDisplayString(QUrl::RemoveUserInfo));
}

} // namespace

QString failureKindName(FailureKind kind)
{
    switch (kind) {
    case FailureKind::None: return u"none"_s;
    case FailureKind::Unreachable: return u"unreachable"_s;
    case FailureKind::Unauthorized: return u"unauthorized"_s;
    case FailureKind::HandshakeRejected: return u"handshake rejected"_s;
    case FailureKind::RetriesExhausted: return u"retries exhausted"_s;
    case FailureKind::Terminal: return u"terminal"_s;
    }
    return u"unknown"_s;
}

namespace Internal {

// Short lower-case text of a socket error for one-line reasons.
static QString describeSocketError(QAbstractSocket::SocketError error, const QString &errorString)
{
    switch (error) {
    case QAbstractSocket::ConnectionRefusedError: return u"connection refused"_s;
    case QAbstractSocket::HostNotFoundError: return u"host not found"_s;
    case QAbstractSocket::RemoteHostClosedError: return u"connection closed by the server"_s;
    case QAbstractSocket::SocketTimeoutError: return u"timed out"_s;
    case QAbstractSocket::SslHandshakeFailedError:
        return u"TLS handshake failed (a wss:// URL for a plain ws:// server?): %1"_s.arg(errorString);
    default: break;
    }
    return errorString.isEmpty() ? u"socket error %1"_s.arg(int(error)) : errorString;
}

// QWebSocket (6.4) reports a non-101 upgrade answer only as an error string:
// "QWebSocketPrivate::processHandshake: Unhandled http status code: 401 (Unauthorized)."
static int upgradeHttpStatus(const QString &errorString)
{
    static const QRegularExpression re(u"status code: (\\d{3})"_s);
    const QRegularExpressionMatch match = re.match(errorString);
    return match.hasMatch() ? match.captured(1).toInt() : 0;
}

static bool isValidUtf8(QByteArrayView bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString ignored = decoder.decode(bytes);
    Q_UNUSED(ignored);
    return !decoder.hasError();
}

} // namespace Internal

WebSocketConnection::WebSocketConnection(ConnectionPolicy policy, QObject *parent)
    : QObject(parent)
    , m_policy(policy)
    , m_budget(policy)
{
    for (QTimer *timer : {&m_connectTimer, &m_handshakeTimer, &m_backoffTimer, &m_closeTimer})
        timer->setSingleShot(true);
    connect(&m_connectTimer, &QTimer::timeout, this, &WebSocketConnection::onConnectTimeout);
    connect(&m_handshakeTimer, &QTimer::timeout, this, &WebSocketConnection::onHandshakeTimeout);
    connect(&m_keepaliveTimer, &QTimer::timeout, this, &WebSocketConnection::onKeepaliveTick);
    connect(&m_backoffTimer, &QTimer::timeout, this, &WebSocketConnection::onBackoffElapsed);
    connect(&m_closeTimer, &QTimer::timeout, this, &WebSocketConnection::onCloseTimeout);
}

WebSocketConnection::~WebSocketConnection()
{
    stopTimers();
    leaveCoordinator();
    if (m_socket)
        disconnect(m_socket, nullptr, this, nullptr);
}

milliseconds WebSocketConnection::now() const
{
    return std::chrono::duration_cast<milliseconds>(
        std::chrono::steady_clock::now().time_since_epoch());
}

void WebSocketConnection::setStatus(ConnectionStatus next, const QString &reason, bool final)
{
    // The loop's last status is always reported (hasEnded(): the lane ends).
    if (next == m_status && !final)
        return;
    m_status = next;
    m_statusReason = reason;
    Q_EMIT statusChanged(next, reason);
}

void WebSocketConnection::setReconnectCoordinator(ReconnectCoordinator *coordinator)
{
    if (isRunning()) {
        qCWarning(lcNet) << "setReconnectCoordinator() on a running connection ignored";
        return;
    }
    m_coordinator = coordinator;
}

void WebSocketConnection::leaveCoordinator()
{
    if (m_coordinator)
        m_coordinator->cancel(this);
    m_holdsPermit = false;
}

void WebSocketConnection::onBackoffElapsed()
{
    if (m_phase != Phase::Backoff)
        return;
    if (!m_coordinator || m_budget.attempt() <= m_policy.ungatedAttempts) {
        openSocket();
        return;
    }
    park(false);
}

void WebSocketConnection::park(bool expedited)
{
    // Past the fast ungated retries: step aside until the siblings stopped
    // streaming (seed `reconnect_slot`); expedited ("Reconnect now") only
    // waits for the free handshake slot.
    m_phase = Phase::Parked;
    m_parkedSince = now();
    const quint64 generation = m_generation;
    setStatus(ConnectionStatus::Parked,
              expedited ? tr("reconnect now: waiting for the handshake slot (attempt %1)").arg(m_budget.attempt())
                        : tr("waiting for the other subscriptions to finish or fall silent (attempt %1)").arg(m_budget.attempt()));
    if (generation != m_generation || m_phase != Phase::Parked)
        return;
    m_coordinator->requestSlot(this, [this, generation] {
        if (generation == m_generation && m_phase == Phase::Parked)
            onSlotGranted();
        else if (m_coordinator)
            m_coordinator->releaseSlot(this);
    }, m_budget.attempt());
    if (expedited)
        m_coordinator->expedite(this);
}

bool WebSocketConnection::reconnectNow()
{
    switch (m_phase) {
    case Phase::Backoff:
        m_backoffTimer.stop();
        qCInfo(lcNet) << "reconnect now:" << shownUrl(m_url) << "skips its backoff, attempt" << m_budget.attempt();
        if (!m_coordinator || m_budget.attempt() <= m_policy.ungatedAttempts)
            openSocket();
        else
            park(true);
        return true;
    case Phase::Parked:
        return m_coordinator && m_coordinator->expedite(this);
    case Phase::Idle:
    case Phase::Connecting:
    case Phase::Handshaking:
    case Phase::Up:
    case Phase::Closing:
    case Phase::Finished:
        break;
    }
    return false;
}

void WebSocketConnection::onSlotGranted()
{
    // Parking is deliberate waiting, not retry thrashing (seed `discount_parked`).
    m_budget.discountParked(now() - m_parkedSince);
    m_holdsPermit = true;
    const quint64 generation = m_generation;
    setStatus(ConnectionStatus::Down, tr("reconnecting"));
    if (generation == m_generation)
        openSocket();
}

void WebSocketConnection::start(const QUrl &url, const QString &apiKey, const QString &userAgent)
{
    if (isRunning()) {
        qCWarning(lcNet) << "start() on a running connection to" << shownUrl(m_url) << "ignored";
        return;
    }
    ++m_generation;
    m_url = url;
    m_apiKey = apiKey.toUtf8();
    m_userAgent = userAgent.toUtf8();
    m_failureKind = FailureKind::None;
    m_failureAfterClosing.reset();
    m_budget.reset();
    m_startedAt = now();
    m_serverReached = false;
    m_phase = Phase::Connecting;
    setStatus(ConnectionStatus::Down, tr("connecting"));

    const QString scheme = url.scheme();
    if (!url.isValid() || (scheme != u"ws"_s && scheme != u"wss"_s)) {
        fail(FailureKind::Unreachable,
             tr("cannot connect to %1: not a ws:// or wss:// URL").arg(shownUrl(url)));
        return;
    }
    // Never a header with a line break in it (the rest would become headers of its own).
    if (const Result<void> key = validateApiKey(apiKey); !key) {
        fail(FailureKind::Unauthorized, key.error().message);
        return;
    }
    openSocket();
}

void WebSocketConnection::openSocket()
{
    detachSocket();
    m_phase = Phase::Connecting;
    m_peerCloseSeen = false;
    m_disconnectPending = false;

    auto *socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket = socket;
    connect(socket, &QWebSocket::connected, this, &WebSocketConnection::onConnected);
    connect(socket, &QWebSocket::disconnected, this, [this, socket] { onDisconnected(socket); });
    // QWebSocket answers a peer's close frame itself and announces it only
    // through aboutToClose. Qt 6.4 forwards the TCP socket's aboutToClose as
    // well, so a plain TCP drop emits it too — with the default code 1000, no
    // reason, and the socket error already set (RemoteHostClosedError).
    // Mistaking that drop for the peer's normal close would end a stream
    // early, a silent loss (issue 8). A close frame is seen on a healthy
    // socket, or carries a reason or a code of its own.
    connect(socket, &QWebSocket::aboutToClose, this, [this, socket] {
        if (socket != m_socket || m_phase == Phase::Closing)
            return;
        if (socket->error() == QAbstractSocket::UnknownSocketError || !socket->closeReason().isEmpty()
            || socket->closeCode() != QWebSocketProtocol::CloseCodeNormal)
            m_peerCloseSeen = true;
    });
    // Qt 6.5 renamed the signal and deprecated the old name (-Werror would fail).
#if QT_VERSION >= QT_VERSION_CHECK(6, 5, 0)
    connect(socket, &QWebSocket::errorOccurred, this,
#else
    connect(socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
#endif
            [this, socket](QAbstractSocket::SocketError) { onSocketError(socket); });
    connect(socket, &QWebSocket::textMessageReceived, this, &WebSocketConnection::onTextMessage);
    connect(socket, &QWebSocket::binaryMessageReceived, this, &WebSocketConnection::onBinaryMessage);
    m_firstPingSerialOfSocket = m_lastPingSerial + 1;
    connect(socket, &QWebSocket::pong, this, [this](quint64, const QByteArray &payload) {
        m_lastInbound = now();
        bool ok = false;
        const quint64 serial = payload.toULongLong(&ok);
        if (ok && serial >= m_firstPingSerialOfSocket && serial <= m_lastPingSerial)
            keepalivePongReceived(serial);
    });

    QNetworkRequest request(m_url);
    if (!m_apiKey.isEmpty())
        request.setRawHeader("X-API-Key", m_apiKey);
    if (!m_userAgent.isEmpty())
        request.setRawHeader("User-Agent", m_userAgent);
    qCDebug(lcNet) << "connecting to" << shownUrl(m_url) << "attempt" << m_budget.attempt();
    milliseconds connectTimeout = m_policy.connectTimeout;
    if (inFirstConnect()) // never past the first-connect budget
        connectTimeout = std::min(connectTimeout, std::max(milliseconds{1000},
                                                           m_policy.firstConnectTotal - (now() - m_startedAt)));
    m_connectTimer.start(connectTimeout);
    socket->open(request);
}

void WebSocketConnection::detachSocket()
{
    if (!m_socket)
        return;
    QWebSocket *socket = m_socket;
    m_socket = nullptr;
    disconnect(socket, nullptr, this, nullptr);
    socket->abort();
    socket->deleteLater();
}

void WebSocketConnection::stopTimers()
{
    m_connectTimer.stop();
    m_handshakeTimer.stop();
    m_keepaliveTimer.stop();
    m_backoffTimer.stop();
    m_closeTimer.stop();
}

void WebSocketConnection::onConnected()
{
    if (m_phase != Phase::Connecting)
        return;
    m_connectTimer.stop();
    m_phase = Phase::Handshaking;
    m_serverReached = true;
    m_lastInbound = now();
    restartHandshakeTimer();
    beginHandshake();
}

void WebSocketConnection::onSocketError(QWebSocket *socket)
{
    if (socket != m_socket)
        return;
    // Some errors (bad URL, unsupported scheme, refused) may come without a
    // `disconnected`; settle them from the event loop if nothing else did.
    // An upgrade answered with anything but 101 leaves Qt 6.4's socket
    // connecting, its TCP stream open for as long as the server keeps it
    // (keep-alive, a proxy): the HTTP status is in the error string now, and
    // waiting for the connect timeout would take a rejected key for an
    // unreachable host (PROTOCOL-0.31.md §6.6).
    if (socket->state() == QAbstractSocket::UnconnectedState
        || (m_phase == Phase::Connecting && Internal::upgradeHttpStatus(socket->errorString()) != 0)) {
        const quint64 generation = m_generation;
        QPointer<QWebSocket> guarded(socket);
        QTimer::singleShot(0, this, [this, guarded, generation] {
            if (guarded && guarded == m_socket && generation == m_generation)
                onDisconnected(guarded);
        });
    }
}

void WebSocketConnection::onDisconnected(QWebSocket *socket)
{
    if (socket != m_socket || m_disconnectPending)
        return;
    // QWebSocket emits `disconnected` as soon as the TCP stream ends, while the
    // frames read just before (trailing notifications, the close frame) still
    // wait in its queued processing. Settle from the event loop, after them, so
    // nothing the server sent last is lost.
    m_disconnectPending = true;
    const quint64 generation = m_generation;
    QPointer<QWebSocket> guarded(socket);
    QMetaObject::invokeMethod(this, [this, guarded, generation] {
        if (guarded && guarded == m_socket && generation == m_generation)
            settleDisconnect(guarded);
    }, Qt::QueuedConnection);
}

void WebSocketConnection::settleDisconnect(QWebSocket *socket)
{
    const QAbstractSocket::SocketError error = socket->error();
    const QString errorString = socket->errorString();
    const bool peerClosed = m_peerCloseSeen;
    const QWebSocketProtocol::CloseCode closeCode =
        peerClosed ? socket->closeCode() : QWebSocketProtocol::CloseCodeAbnormalDisconnection;
    const QString closeReason = peerClosed ? socket->closeReason() : QString();
    const Phase phase = m_phase;
    detachSocket();

    switch (phase) {
    case Phase::Connecting: {
        m_connectTimer.stop();
        const int httpStatus = Internal::upgradeHttpStatus(errorString);
        if (httpStatus == 401 || httpStatus == 403) {
            fail(FailureKind::Unauthorized, tr("API key rejected (HTTP %1)").arg(httpStatus));
            return;
        }
        if (const std::optional<QString> gone = httpStatus != 0 ? endpointGone(httpStatus) : std::nullopt) {
            fail(FailureKind::Terminal, tr("cannot connect to %1: HTTP %2 at the WebSocket upgrade: %3")
                                            .arg(shownUrl(m_url))
                                            .arg(httpStatus)
                                            .arg(*gone));
            return;
        }
        if (httpStatus != 0) {
            // 4xx: this URL will not upgrade, however often we ask (408 and 429 may).
            const bool permanent = httpStatus >= 400 && httpStatus < 500 && httpStatus != 408 && httpStatus != 429;
            connectFailed(httpStatus == 404 ? tr("HTTP 404 at the WebSocket upgrade (no backtest service at this path)")
                                            : tr("HTTP %1 at the WebSocket upgrade").arg(httpStatus),
                          permanent);
            return;
        }
        const bool permanent = error == QAbstractSocket::HostNotFoundError
                               || error == QAbstractSocket::SslHandshakeFailedError
                               || error == QAbstractSocket::SslInternalError
                               || error == QAbstractSocket::SslInvalidUserDataError
                               || error == QAbstractSocket::UnsupportedSocketOperationError;
        connectFailed(Internal::describeSocketError(error, errorString), permanent);
        return;
    }
    case Phase::Handshaking:
    case Phase::Up: {
        ConnectionLoss loss;
        loss.peerClosed = peerClosed;
        loss.closeCode = closeCode;
        loss.closeReason = closeReason;
        loss.duringHandshake = phase == Phase::Handshaking;
        if (peerClosed && closeCode == QWebSocketProtocol::CloseCodeProtocolError
            && closeReason.startsWith(u"Invalid close code"_s)) {
            // Qt 6.4 refuses the codes 1012-2999 and reports its own 1002 in
            // their place; the likeliest is 1012, a redeploy (PROTOCOL-0.31.md
            // §6.6), which is reconnected after like any close.
            loss.reason = tr("remote close with a code Qt %1 does not accept (1012-2999, e.g. 1012 service restart; "
                             "Qt: %2)")
                              .arg(QString::fromLatin1(qVersion()), closeReason);
        } else if (peerClosed) {
            loss.reason = closeReason.isEmpty()
                              ? tr("remote close: %1").arg(int(closeCode))
                              : tr("remote close: %1 (%2)").arg(int(closeCode)).arg(closeReason);
        } else {
            loss.reason = Internal::describeSocketError(error, errorString);
        }
        connectionLostWhileOpen(loss);
        return;
    }
    case Phase::Closing:
        finish(tr("stopped"));
        return;
    case Phase::Idle:
    case Phase::Backoff:
    case Phase::Parked:
    case Phase::Finished:
        return;
    }
}

void WebSocketConnection::connectFailed(const QString &why, bool permanent)
{
    const QString reason = tr("cannot connect to %1: %2").arg(shownUrl(m_url), why);
    if (inFirstConnect()) {
        // Nothing is at stake on the server yet: fail fast (issue 9).
        if (permanent) {
            fail(FailureKind::Unreachable, reason);
            return;
        }
        const int tries = m_budget.attempt() + 1;
        if (tries >= m_policy.firstConnectAttempts || now() - m_startedAt >= m_policy.firstConnectTotal) {
            fail(FailureKind::Unreachable, tries == 1 ? tr("%1 (gave up after 1 attempt)").arg(reason)
                                                      : tr("%1 (gave up after %2 attempts)").arg(reason).arg(tries));
            return;
        }
    }
    retryOrFail(FailureKind::Unreachable, reason);
}

void WebSocketConnection::connectionLostWhileOpen(const ConnectionLoss &loss)
{
    m_keepaliveTimer.stop();
    m_handshakeTimer.stop();
    const bool wasUp = !loss.duringHandshake;
    const milliseconds upFor = now() - m_upSince;

    // Decided before the coordinator hears of a drop: a stream that ends
    // (the session completed) leaves it without starting a storm.
    const quint64 generation = m_generation;
    if (endsOnLoss(loss)) {
        if (generation == m_generation)
            finish(loss.reason);
        return;
    }
    if (generation != m_generation)
        return;
    if (wasUp && m_coordinator)
        m_coordinator->leaveStreaming(this);
    if (wasUp && upFor >= m_policy.uptimeReset)
        m_budget.reset(); // a long healthy run earns a full budget (RECONNECT_UPTIME_RESET)
    retryOrFail(FailureKind::RetriesExhausted,
                wasUp ? tr("connection lost: %1").arg(loss.reason)
                      : tr("handshake: %1").arg(loss.reason));
}

void WebSocketConnection::retryOrFail(FailureKind exhaustedKind, const QString &failedReason)
{
    if (m_holdsPermit) {
        m_holdsPermit = false; // a failed gated attempt gives the slot back
        if (m_coordinator)
            m_coordinator->releaseSlot(this);
    }
    const int tries = m_budget.attempt() + 1;
    if (const std::optional<milliseconds> delay = m_budget.nextBackoff()) {
        qCInfo(lcNet).nospace() << shownUrl(m_url) << ": " << failedReason
                                << "; retry " << m_budget.attempt() << " in " << delay->count() << " ms";
        m_phase = Phase::Backoff;
        const quint64 generation = m_generation;
        setStatus(ConnectionStatus::Down, failedReason);
        if (generation != m_generation)
            return;
        Q_EMIT reconnectScheduled(m_budget.attempt(), *delay, failedReason);
        if (generation != m_generation || m_phase != Phase::Backoff)
            return;
        m_backoffTimer.start(*delay);
        return;
    }
    fail(exhaustedKind, tries == 1 ? tr("%1 (gave up after 1 attempt)").arg(failedReason)
                                   : tr("%1 (gave up after %2 attempts)").arg(failedReason).arg(tries));
}

void WebSocketConnection::handshakeSucceeded()
{
    if (m_phase != Phase::Handshaking) {
        qCWarning(lcNet) << "handshakeSucceeded() outside a handshake ignored";
        return;
    }
    m_handshakeTimer.stop();
    m_phase = Phase::Up;
    m_upSince = now();
    m_lastFrame = m_upSince;
    if (m_coordinator) {
        // How long nothing came (keepalive pongs aside): a socket Up but idle
        // — its session waits — is no sibling to wait for.
        m_coordinator->enterStreaming(this, [this] { return qint64((now() - m_lastFrame).count()); });
        if (m_holdsPermit) {
            m_holdsPermit = false;
            m_coordinator->releaseSlot(this);
        }
    }
    m_lastInbound = m_upSince;
    m_keepaliveTimer.start(m_policy.keepaliveInterval);
    const quint64 generation = m_generation;
    setStatus(ConnectionStatus::Up, tr("connected"));
    if (generation == m_generation && m_phase == Phase::Up)
        onKeepaliveTick(); // the first tick runs right away (seed keepalive interval)
}

void WebSocketConnection::handshakeFailed(const HandshakeError &error)
{
    if (m_phase != Phase::Handshaking) {
        qCWarning(lcNet) << "handshakeFailed() outside a handshake ignored:" << error.reason;
        return;
    }
    m_handshakeTimer.stop();
    if (error.kind == HandshakeError::Kind::Fatal) {
        fail(FailureKind::HandshakeRejected, error.reason);
        return;
    }
    detachSocket();
    retryOrFail(FailureKind::RetriesExhausted, tr("handshake: %1").arg(error.reason));
}

milliseconds WebSocketConnection::handshakeResponseTimeout() const
{
    return m_policy.handshakeResponseTimeout;
}

void WebSocketConnection::restartHandshakeTimer()
{
    if (m_phase == Phase::Handshaking)
        m_handshakeTimer.start(handshakeResponseTimeout());
}

bool WebSocketConnection::endsOnLoss(const ConnectionLoss &)
{
    return false;
}

bool WebSocketConnection::sendText(const QByteArray &utf8)
{
    if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState)
        return false;
    m_socket->sendTextMessage(QString::fromUtf8(utf8));
    Q_EMIT frameSent(utf8);
    return true;
}

void WebSocketConnection::onTextMessage(const QString &message)
{
    m_lastInbound = now();
    m_lastFrame = m_lastInbound;
    // QWebSocket only offers text frames as QString. Convert back to UTF-8 into
    // a buffer this thread reuses frame after frame (notifications are ~14 KB,
    // thousands per second) instead of a new QByteArray per frame; a nested
    // call (an event loop run from a handler) gets a buffer of its own.
    thread_local QByteArray reused;
    thread_local bool reusedBusy = false;
    QByteArray nested;
    QByteArray &utf8 = reusedBusy ? nested : reused;
    const QScopedValueRollback busy(reusedBusy, true);
    QStringEncoder encoder(QStringEncoder::Utf8, QStringConverter::Flag::Stateless);
    utf8.resize(encoder.requiredSpace(message.size()) + kJsonReadPadding);
    keepJsonReadPadding(utf8, encoder.appendToBuffer(utf8.data(), message) - utf8.constData()); // handleText()'s padding
    const QByteArrayView frame(utf8);

    if (m_phase == Phase::Handshaking)
        restartHandshakeTimer();
    if (m_phase == Phase::Handshaking || m_phase == Phase::Up || m_phase == Phase::Closing)
        handleText(frame);
    if (utf8.capacity() > (4 << 20))
        utf8 = QByteArray(); // one huge frame does not pin its buffer for the connection's life
}

void WebSocketConnection::onBinaryMessage(const QByteArray &message)
{
    m_lastInbound = now();
    m_lastFrame = m_lastInbound;
    if (m_phase == Phase::Handshaking)
        restartHandshakeTimer();
    if (m_phase == Phase::Handshaking || m_phase == Phase::Up || m_phase == Phase::Closing)
        handleBinary(message);
}

void WebSocketConnection::handleBinary(const QByteArray &frame)
{
    if (Internal::isValidUtf8(frame)) {
        // QWebSocket's buffer promises no room after the frame: a copy with
        // handleText()'s readable padding (plain JSON as Binary is rare).
        QByteArray padded = frame;
        keepJsonReadPadding(padded, frame.size());
        handleText(padded);
        return;
    }
    dropFrame(tr("binary frame that is not UTF-8"), frame);
}

void WebSocketConnection::dropFrame(const QString &reason, QByteArrayView raw)
{
    ++m_framesDropped;
    const QByteArrayView prefix = raw.first(std::min(raw.size(), kDroppedFramePrefixBytes));
    qCWarning(lcNet).nospace() << shownUrl(m_url) << ": skipping a frame of " << raw.size()
                               << " bytes: " << reason << " ("
                               << raw.first(std::min<qsizetype>(raw.size(), 200)).toByteArray() << ")";
    Q_EMIT frameDropped(reason, prefix.toByteArray(), raw.size());
}

void WebSocketConnection::onKeepaliveTick()
{
    if (m_phase != Phase::Up || !m_socket)
        return;
    const milliseconds silent = now() - m_lastInbound;
    if (silent > m_policy.keepaliveMissDeadline) {
        detachSocket();
        ConnectionLoss loss;
        loss.reason = tr("no traffic for %1 ms").arg(silent.count());
        connectionLostWhileOpen(loss);
        return;
    }
    m_socket->ping(QByteArray::number(++m_lastPingSerial));
    keepalivePingSent(m_lastPingSerial);
}

void WebSocketConnection::dropConnection(const QString &reason)
{
    if (m_phase != Phase::Handshaking && m_phase != Phase::Up)
        return;
    ConnectionLoss loss;
    loss.reason = reason;
    loss.duringHandshake = m_phase == Phase::Handshaking;
    detachSocket();
    connectionLostWhileOpen(loss);
}

bool WebSocketConnection::inFirstConnect() const
{
    return !m_serverReached && !sessionExists();
}

void WebSocketConnection::onConnectTimeout()
{
    if (m_phase != Phase::Connecting)
        return;
    if (m_socket && Internal::upgradeHttpStatus(m_socket->errorString()) != 0) {
        settleDisconnect(m_socket); // the upgrade was answered, only its TCP stream stays
        return;
    }
    detachSocket();
    connectFailed(tr("connect timeout after %1 ms").arg(m_connectTimer.interval()));
}

void WebSocketConnection::onHandshakeTimeout()
{
    if (m_phase != Phase::Handshaking)
        return;
    handshakeFailed(HandshakeError::transient(
        tr("no response within %1 ms").arg(handshakeResponseTimeout().count())));
}

void WebSocketConnection::stop()
{
    switch (m_phase) {
    case Phase::Idle:
    case Phase::Finished:
        return;
    case Phase::Closing:
        // Closing after a terminal error waits for the server's answer; the
        // user does not: the close frame goes now.
        closeAnswered();
        return;
    case Phase::Up:
        break;
    case Phase::Connecting:
    case Phase::Handshaking:
    case Phase::Backoff:
    case Phase::Parked:
        finish(tr("stopped"));
        return;
    }
    // Graceful close (seed `graceful_close`): close request, then close frame,
    // both within one gracefulCloseTimeout.
    if (beginClosing())
        m_socket->close(QWebSocketProtocol::CloseCodeNormal, tr("client closing"));
}

bool WebSocketConnection::beginClosing()
{
    stopTimers();
    m_phase = Phase::Closing;
    const quint64 generation = m_generation;
    sendCloseRequest();
    if (generation != m_generation || m_phase != Phase::Closing)
        return false;
    if (!m_socket) {
        finish(tr("stopped"));
        return false;
    }
    m_closeTimer.start(m_policy.gracefulCloseTimeout);
    return true;
}

void WebSocketConnection::closeAnswered()
{
    // (QWebSocket stops reading once its close frame is out: only now.)
    if (m_phase == Phase::Closing && m_failureAfterClosing && m_socket)
        m_socket->close(QWebSocketProtocol::CloseCodeNormal, tr("client closing"));
}

void WebSocketConnection::onCloseTimeout()
{
    if (m_phase != Phase::Closing)
        return;
    qCInfo(lcNet) << "graceful close of" << shownUrl(m_url) << "timed out; aborting";
    finish(tr("stopped"));
}

void WebSocketConnection::finish(const QString &reason)
{
    if (m_failureAfterClosing) {
        const auto [kind, failure] = *std::exchange(m_failureAfterClosing, std::nullopt);
        fail(kind, failure);
        return;
    }
    if (!endConnection())
        return;
    setStatus(ConnectionStatus::Down, reason, true);
    Q_EMIT finished();
}

void WebSocketConnection::fail(FailureKind kind, const QString &reason)
{
    if (!endConnection())
        return;
    m_failureKind = kind;
    qCWarning(lcNet).nospace() << shownUrl(m_url) << " failed (" << failureKindName(kind)
                               << "): " << reason;
    setStatus(ConnectionStatus::Failed, reason);
    Q_EMIT finished();
}

void WebSocketConnection::failAfterClosing(FailureKind kind, const QString &reason)
{
    // (Handshaking too: a terminal error replayed during a re-attach.)
    if ((m_phase != Phase::Up && m_phase != Phase::Handshaking) || !m_socket) {
        fail(kind, reason);
        return;
    }
    qCInfo(lcNet).nospace() << shownUrl(m_url) << ": " << reason << "; closing before failing";
    m_failureAfterClosing = std::pair{kind, reason};
    // The close frame waits for the server's answer (closeAnswered()), the
    // server's own close or gracefulCloseTimeout, so that what the server
    // still sends is read.
    beginClosing();
}

bool WebSocketConnection::endConnection()
{
    if (m_phase == Phase::Idle || m_phase == Phase::Finished)
        return false;
    stopTimers();
    detachSocket();
    leaveCoordinator();
    m_phase = Phase::Finished;
    ++m_generation;
    return true;
}

} // namespace SlotScope
