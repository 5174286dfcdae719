#include "refserver/refserver.h"

#include "refserver/backtestsession.h"
#include "refserver/controlconnection.h"
#include "refserver/faultinjection.h"
#include "refserver/dataplaneshared.h"
#include "refserver/httphead.h"
#include "refserver/logging.h"
#include "refserver/sessionregistry.h"
#include "refserver/subscriptionconnection.h"
#include "refserver/transactionplan.h"

#include <QHash>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

using namespace Qt::StringLiterals;

namespace SlotScope {

namespace Internal {

namespace {

/// A client that opens a TCP connection must send its request head within this time.
constexpr int HeadTimeoutMs = 10000;

QString peerKey(const QHostAddress &address, quint16 port)
{
    return address.toString() + u'|' + QString::number(port);
}

/// Comparison whose time does not depend on where the keys differ.
bool keysEqual(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

} // namespace

class RefServerPrivate : public QObject
{
public:
    /// What the HTTP head said about a socket handed to the WebSocket server.
    struct Handoff
    {
        QPointer<QTcpSocket> tcp;
        bool control = false;
        QByteArray apiKey;
        QString sessionId;
    };

    RefServerPrivate(RefServer *q, RefServerConfig config);
    ~RefServerPrivate() override;

    void onNewTcpConnection();
    void inspect(QTcpSocket *socket);
    void respond(QTcpSocket *socket, int status, QByteArrayView contentType, QByteArrayView body);
    void handOff(QTcpSocket *socket, Handoff handoff);
    void onNewWebSocket();
    QByteArray availableRangesJson() const;
    bool isAcceptedKey(QByteArrayView key) const;
    QString hostText() const;
    void closeConnections();

    RefServer *q;
    RefServerConfig config;
    // Children as well as members, so RefServer::moveToThread() moves them along.
    QTcpServer tcpServer{this};
    QWebSocketServer webSocketServer{u"SlotScope reference server"_s, QWebSocketServer::NonSecureMode, this};
    /// Data faults, zstd flag and the bandwidth cap every data-plane socket shares.
    DataPlaneShared dataPlane{config, this};
    /// Control faults every control connection shares (server-wide counts).
    ControlFaultInjector controlFaults{config.controlFaults};
    std::unique_ptr<SessionRegistry> registry;
    QHash<QString, Handoff> handoffs;
    QList<QPointer<QObject>> connections;
    int nextConnectionId = 1;
};

RefServerPrivate::RefServerPrivate(RefServer *q, RefServerConfig config)
    : QObject(q)
    , q(q)
    , config(std::move(config))
{
    connect(&tcpServer, &QTcpServer::newConnection, this, &RefServerPrivate::onNewTcpConnection);
    connect(&webSocketServer, &QWebSocketServer::newConnection, this, &RefServerPrivate::onNewWebSocket);
}

RefServerPrivate::~RefServerPrivate()
{
    // Connections (and the QWebSockets inside them) go before the TCP server
    // that parents their sockets.
    closeConnections();
    registry.reset();
}

void RefServerPrivate::closeConnections()
{
    const auto all = std::exchange(connections, {});
    for (const QPointer<QObject> &connection : all)
        delete connection.data();
}

QString RefServerPrivate::hostText() const
{
    const QHostAddress &host = config.host;
    if (host == QHostAddress::LocalHost || host == QHostAddress::Any || host == QHostAddress::AnyIPv4)
        return u"127.0.0.1"_s;
    if (host == QHostAddress::LocalHostIPv6 || host == QHostAddress::AnyIPv6)
        return u"[::1]"_s;
    if (host.protocol() == QAbstractSocket::IPv6Protocol)
        return u'[' + host.toString() + u']';
    return host.toString();
}

void RefServerPrivate::onNewTcpConnection()
{
    while (QTcpSocket *socket = tcpServer.nextPendingConnection()) {
        auto *timer = new QTimer(socket);
        timer->setSingleShot(true);
        connect(timer, &QTimer::timeout, socket, &QTcpSocket::abort);
        timer->start(HeadTimeoutMs);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { inspect(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [socket] { socket->deleteLater(); });
        if (socket->bytesAvailable() > 0)
            inspect(socket);
    }
}

void RefServerPrivate::inspect(QTcpSocket *socket)
{
    // Peek, do not consume: a WebSocket upgrade is handed on with its head intact.
    const QByteArray peeked = socket->peek(std::min<qint64>(socket->bytesAvailable(), MaxHttpHeadSize + 4));
    HttpRequestHead head;
    switch (parseHttpRequestHead(peeked, &head)) {
    case HttpHeadStatus::Incomplete:
        return;
    case HttpHeadStatus::Malformed:
        respond(socket, 400, "text/plain", "malformed request\n");
        return;
    case HttpHeadStatus::Complete:
        break;
    }

    const QByteArray &path = head.path;
    if (path == "/backtest" || path == "/backtest/") {
        if (!head.isWebSocketUpgrade()) {
            respond(socket, 426, "text/plain", "WebSocket upgrade required\n");
            return;
        }
        const auto key = head.header("X-API-Key");
        if (!key || !isAcceptedKey(*key)) {
            qCInfo(lcRefServer) << "rejected control upgrade from" << socket->peerAddress().toString()
                                << (key ? "(wrong X-API-Key)" : "(no X-API-Key)");
            respond(socket, 401, "text/plain", "missing or invalid X-API-Key\n");
            return;
        }
        if (controlFaults.refuseUpgrade()) {
            qCInfo(lcRefServer) << "fault: refusing control upgrade" << controlFaults.upgradesRefused() << "of"
                                << config.controlFaults.refuseUpgrades << "with HTTP 503";
            respond(socket, 503, "text/plain", "service unavailable (fault injection)\n");
            return;
        }
        handOff(socket, Handoff{socket, true, *key, {}});
        return;
    }
    if (path.startsWith("/backtest/")) {
        const QString sessionId = registry->canonicalId(QString::fromUtf8(QByteArray::fromPercentEncoding(path.mid(10))));
        if (!registry->session(sessionId)) {
            respond(socket, 404, "text/plain", "session not found\n");
            return;
        }
        if (!head.isWebSocketUpgrade()) {
            // PROTOCOL-0.31.md §7.1: the session RPC answers 502 after completed.
            if (config.wire == WireVersion::V0_31 && registry->session(sessionId)->isCompleted())
                respond(socket, 502, "text/plain", "session completed\n");
            else
                respond(socket, 501, "text/plain", "HTTP JSON-RPC is not implemented by the reference server\n");
            return;
        }
        handOff(socket, Handoff{socket, false, {}, sessionId});
        return;
    }
    if (head.method != "GET") {
        respond(socket, path == "/available-ranges" || path == "/health" || path == "/ready" ? 405 : 404,
                "text/plain", "not found\n");
        return;
    }
    if (path == "/available-ranges")
        respond(socket, 200, "application/json", availableRangesJson());
    else if (path == "/health")
        respond(socket, 200, "text/plain", "ok");
    else if (path == "/ready")
        respond(socket, 200, "text/plain", "ready");
    else
        respond(socket, 404, "text/plain", "not found\n");
}

bool RefServerPrivate::isAcceptedKey(QByteArrayView key) const
{
    bool accepted = keysEqual(key, config.apiKey.toUtf8());
    for (const QString &other : config.additionalApiKeys) {
        if (!other.isEmpty())
            accepted = keysEqual(key, other.toUtf8()) || accepted;
    }
    return accepted;
}

QByteArray RefServerPrivate::availableRangesJson() const
{
    // PROTOCOL.md §1.3, camelCase fields; built as text so u64 values stay
    // exact. 0.31 adds the snake_case BundleKind token (PROTOCOL-0.31.md §5.6).
    return "[{\"bundleStartSlot\":" + QByteArray::number(config.availableStart)
           + ",\"bundleStartSlotUtc\":null,\"maxBundleEndSlot\":" + QByteArray::number(config.availableEnd)
           + ",\"maxBundleEndSlotUtc\":null,\"maxBundleSize\":" + QByteArray::number(config.maxBundleSize)
           + (config.wire == WireVersion::V0_31 ? ",\"kind\":\"blocks\"}]" : "}]");
}

void RefServerPrivate::respond(QTcpSocket *socket, int status, QByteArrayView contentType, QByteArrayView body)
{
    disconnect(socket, &QTcpSocket::readyRead, this, nullptr);
    if (auto *timer = socket->findChild<QTimer *>())
        timer->stop();
    socket->readAll();
    socket->write(httpResponse(status, contentType, body));
    socket->disconnectFromHost();
}

void RefServerPrivate::handOff(QTcpSocket *socket, Handoff handoff)
{
    disconnect(socket, nullptr, this, nullptr);
    delete socket->findChild<QTimer *>();
    // QWebSocketServer reports the upgraded socket later, by itself; the peer
    // address and port tell us which head it came with.
    for (auto it = handoffs.begin(); it != handoffs.end();) {
        if (!it->tcp)
            it = handoffs.erase(it);
        else
            ++it;
    }
    handoffs.insert(peerKey(socket->peerAddress(), socket->peerPort()), std::move(handoff));
    // Control responses are many small frames; with Nagle's algorithm each
    // step would wait for the client's delayed ACK (~40 ms on loopback).
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    webSocketServer.handleConnection(socket);
}

void RefServerPrivate::onNewWebSocket()
{
    while (QWebSocket *socket = webSocketServer.nextPendingConnection()) {
        const auto it = handoffs.find(peerKey(socket->peerAddress(), socket->peerPort()));
        if (it == handoffs.end()) {
            qCWarning(lcRefServer) << "upgraded WebSocket without a known request head; closing it";
            socket->close(QWebSocketProtocol::CloseCodePolicyViolated, u"unknown connection"_s);
            socket->deleteLater();
            continue;
        }
        const Handoff handoff = *it;
        handoffs.erase(it);
        const int id = nextConnectionId++;
        if (handoff.control) {
            auto *connection = new ControlConnection(id, socket, handoff.tcp, handoff.apiKey, registry.get(), this);
            if (controlFaults.isActive())
                connection->setFaultInjector(&controlFaults);
            connect(connection, &ControlConnection::finished, this, [](ControlConnection *c) { c->deleteLater(); });
            connections.append(connection);
            qCDebug(lcRefServer) << "control connection" << id << "opened";
            continue;
        }
        BacktestSession *session = registry->session(handoff.sessionId);
        if (!session) {
            socket->close(QWebSocketProtocol::CloseCodeGoingAway, u"session not found"_s);
            socket->deleteLater();
            continue;
        }
        auto *connection =
            new SubscriptionConnection(id, socket, handoff.tcp, session, registry.get(), &dataPlane, this);
        connect(connection, &SubscriptionConnection::finished, this,
                [](SubscriptionConnection *c) { c->deleteLater(); });
        connections.append(connection);
        qCDebug(lcRefServer) << "subscription connection" << id << "opened for" << handoff.sessionId;
    }
    connections.removeIf([](const QPointer<QObject> &connection) { return connection.isNull(); });
}

} // namespace Internal

// ---------------------------------------------------------------------------

RefServer::RefServer(RefServerConfig config, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Internal::RefServerPrivate>(this, std::move(config)))
{
}

RefServer::~RefServer() = default;

Result<void> RefServer::listen()
{
    if (d->tcpServer.isListening())
        return {};
    if (d->config.apiKey.isEmpty())
        return makeError(tr("No API key configured for the reference server."));
    if (d->config.availableStart > d->config.availableEnd)
        return makeError(tr("The available range is empty (start %1 > end %2).")
                             .arg(d->config.availableStart)
                             .arg(d->config.availableEnd));

    std::shared_ptr<const Internal::TransactionCatalog> catalog;
    if (d->config.txDir.isEmpty()) {
        catalog = Internal::TransactionCatalog::synthetic(d->config.seed);
    } else {
        auto loaded = Internal::TransactionCatalog::load(d->config.txDir);
        if (!loaded)
            return makeError(tr("Cannot load transactions from %1: %2").arg(d->config.txDir, loaded.error().message));
        catalog = *loaded;
    }

    d->registry = std::make_unique<Internal::SessionRegistry>(d->config, std::move(catalog), d.get());
    connect(d->registry.get(), &Internal::SessionRegistry::sessionCreated, this, &RefServer::sessionCreated);
    connect(d->registry.get(), &Internal::SessionRegistry::sessionCompleted, this, &RefServer::sessionCompleted);
    connect(d->registry.get(), &Internal::SessionRegistry::clientFrameReceived, this,
            &RefServer::clientFrameReceived);

    if (!d->tcpServer.listen(d->config.host, d->config.port)) {
        const QString reason = d->tcpServer.errorString();
        d->registry.reset();
        return makeError(tr("Cannot listen on %1:%2: %3")
                             .arg(d->config.host.toString())
                             .arg(d->config.port)
                             .arg(reason));
    }
    qCInfo(lcRefServer) << "listening on" << controlUrl().toString() << "wire" << wireVersionName(d->config.wire)
                        << (d->config.txDir.isEmpty() ? u"(synthetic transactions)"_s
                                                      : u"(transactions from %1)"_s.arg(d->config.txDir));
    return {};
}

bool RefServer::isListening() const
{
    return d->tcpServer.isListening();
}

QUrl RefServer::controlUrl() const
{
    return QUrl(u"ws://%1:%2/backtest"_s.arg(d->hostText()).arg(port()));
}

QString RefServer::httpBase() const
{
    return u"http://%1:%2"_s.arg(d->hostText()).arg(port());
}

quint16 RefServer::port() const
{
    return d->tcpServer.serverPort();
}

const RefServerConfig &RefServer::config() const
{
    return d->config;
}

QList<TranscriptEntry> RefServer::transcript() const
{
    return d->registry ? d->registry->transcript() : QList<TranscriptEntry>();
}

int RefServer::activeSessionCount() const
{
    return d->registry ? d->registry->sessionCount() : 0;
}

RefServerFaultStats RefServer::faultStats() const
{
    RefServerFaultStats stats;
    stats.subscriptionDrops = d->dataPlane.dropsInjected();
    stats.subscriptionStalls = d->dataPlane.stallsInjected();
    stats.completionDrops = d->dataPlane.completionDropsInjected();
    stats.malformedNotifications = d->dataPlane.malformedInjected();
    stats.controlAborts = d->controlFaults.abortsDone();
    stats.controlSilences = d->controlFaults.silencesDone();
    stats.refusedUpgrades = d->controlFaults.upgradesRefused();
    stats.garbageFrames = d->controlFaults.garbageSent();
    return stats;
}

QStringList RefServer::sessionIds() const
{
    return d->registry ? d->registry->sessionIds() : QStringList();
}

void RefServer::close()
{
    d->tcpServer.close();
    if (d->registry)
        d->registry->dropAll(u"server closed"_s);
    d->closeConnections();
}

} // namespace SlotScope
