#include "support/peerserver.h"

#include <QTest>

namespace SlotScope::Testing {

PeerServer::PeerServer(const QString &name, QObject *parent)
    : QObject(parent)
    , m_server(name, QWebSocketServer::NonSecureMode)
{
    connect(&m_server, &QWebSocketServer::newConnection, this, [this] {
        while (QWebSocket *socket = m_server.nextPendingConnection()) {
            socket->setParent(this);
            m_sockets.append(socket);
            m_upgrades.append(socket->request());
            current = socket;
            connect(socket, &QWebSocket::disconnected, this, [this, socket] {
                m_clientCloses.append({int(socket->closeCode()), socket->closeReason()});
            });
            connect(socket, &QWebSocket::pong, this,
                    [this](quint64, const QByteArray &payload) { m_pongs.append(payload); });
            accepted(socket);
        }
    });
}

PeerServer::~PeerServer()
{
    // Sockets go before the lists their handlers write to.
    for (const QPointer<QWebSocket> &socket : std::as_const(m_sockets)) {
        if (socket) {
            disconnect(socket, nullptr, this, nullptr);
            delete socket;
        }
    }
}

bool PeerServer::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

QUrl PeerServer::urlFor(const QString &path) const
{
    return QUrl(QStringLiteral("ws://127.0.0.1:%1%2").arg(m_server.serverPort()).arg(path));
}

QList<int> PeerServer::closeCodes() const
{
    QList<int> codes;
    for (const auto &[code, reason] : m_clientCloses)
        codes.append(code);
    return codes;
}

bool PeerServer::roundTrip(QWebSocket *socket, int timeoutMs)
{
    if (!socket)
        socket = current;
    if (!socket || socket->state() != QAbstractSocket::ConnectedState)
        return false;
    const QByteArray payload = "barrier " + QByteArray::number(++m_pings);
    socket->ping(payload);
    return QTest::qWaitFor([this, &payload] { return m_pongs.contains(payload); }, timeoutMs);
}

void PeerServer::closeAll(QWebSocketProtocol::CloseCode code, const QString &reason)
{
    for (const QPointer<QWebSocket> &socket : std::as_const(m_sockets)) {
        if (socket && socket->state() == QAbstractSocket::ConnectedState)
            socket->close(code, reason);
    }
}

void PeerServer::drop()
{
    if (current)
        current->abort();
}

} // namespace SlotScope::Testing
