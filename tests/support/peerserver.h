#pragma once

#include <QList>
#include <QNetworkRequest>
#include <QObject>
#include <QPair>
#include <QPointer>
#include <QString>
#include <QUrl>
#include <QWebSocket>
#include <QWebSocketServer>

namespace SlotScope::Testing {

/// A WebSocket peer on 127.0.0.1 with an OS-chosen port (STYLE.md "in-process
/// echo server on port 0"): it accepts every upgrade, keeps each socket (they
/// live until the server is destroyed) and records what a test asserts about
/// connections: the upgrade requests, the close code each client left with.
/// Subclasses say what a socket does with its frames (accepted()).
class PeerServer : public QObject
{
public:
    explicit PeerServer(const QString &name = QStringLiteral("peer"), QObject *parent = nullptr);
    ~PeerServer() override;

    /// Listen on 127.0.0.1, port 0.
    bool listen();
    quint16 port() const { return m_server.serverPort(); }
    /// `ws://127.0.0.1:<port><path>`.
    QUrl urlFor(const QString &path) const;

    /// Sockets accepted so far.
    int connections() const { return int(m_sockets.size()); }
    /// Every accepted socket, in order (null once deleted).
    const QList<QPointer<QWebSocket>> &sockets() const { return m_sockets; }
    /// The upgrade request of each accepted socket, in order.
    const QList<QNetworkRequest> &upgrades() const { return m_upgrades; }
    /// (close code, close reason) of each socket whose client left, in order.
    const QList<QPair<int, QString>> &clientCloses() const { return m_clientCloses; }
    /// The close codes of clientCloses().
    QList<int> closeCodes() const;

    /// The latest accepted socket.
    QPointer<QWebSocket> current;

    /// A barrier instead of a sleep: ping `socket` (default: current) and wait
    /// up to `timeoutMs` for its pong. The client answers a ping in order, so
    /// once this returns true every frame the client wrote before it has been
    /// handled here, and the client has handled every frame written here before.
    bool roundTrip(QWebSocket *socket = nullptr, int timeoutMs = 5000);
    /// Close every open socket with `code` and `reason`.
    void closeAll(QWebSocketProtocol::CloseCode code, const QString &reason);
    /// Abort the current socket (a TCP drop, no close frame).
    void drop();

protected:
    /// A socket was accepted and recorded: connect its frame handlers here.
    virtual void accepted(QWebSocket *socket) = 0;

private:
    QWebSocketServer m_server;
    QList<QPointer<QWebSocket>> m_sockets;
    QList<QNetworkRequest> m_upgrades;
    QList<QPair<int, QString>> m_clientCloses;
    quint64 m_pings = 0;
    QList<QByteArray> m_pongs;
};

} // namespace SlotScope::Testing
