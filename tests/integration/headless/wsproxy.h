#pragma once

// A TCP proxy between WebSocket clients (the real slotscope binary) and a
// server (lib/refserver), reading every frame on the wire in both directions
// (RFC 6455 §5.2): what the client sent before it went away — its
// closeBacktestSession, its close frames — and a place to answer a client
// frame in the server's stead (a refused step). Bytes pass through unchanged
// and whole frames at a time, so an injected frame never splits one.

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTcpServer>
#include <QTcpSocket>

#include <functional>

namespace SlotScope::Testing {

class WsProxy : public QObject
{
public:
    /// One WebSocket frame seen on the wire.
    struct Frame
    {
        int connection = 0;       ///< 1, 2, … in accept order
        QString path;             ///< the upgrade's request path: "/backtest", "/backtest/<id>"
        bool fromClient = true;
        int opcode = 0;           ///< 0 continuation, 1 text, 2 binary, 8 close, 9 ping, 10 pong
        QByteArray payload;       ///< unmasked
        int closeCode = -1;       ///< a close frame's status code (-1: none or not a close frame)
    };

    explicit WsProxy(quint16 upstreamPort, QObject *parent = nullptr);
    ~WsProxy() override;

    bool listen();
    quint16 port() const { return m_listener.serverPort(); }
    /// ws://127.0.0.1:<port>/backtest
    QString controlUrl() const;

    /// Called for each complete client frame before it is forwarded; return
    /// true to swallow it (the server never sees it).
    std::function<bool(const Frame &)> interceptClientFrame;
    /// Sends a text frame to the client of `connection`, as the server would.
    void sendTextToClient(int connection, const QByteArray &text);

    /// Every frame, both directions, in the order the proxy read them.
    const QList<Frame> &frames() const { return m_frames; }
    /// Client frames of `connection` (text ones as their text, others as "<opcode N>").
    QStringList clientFrameLog(int connection) const;
    /// The connections that completed a WebSocket upgrade, with their paths.
    QHash<int, QString> webSocketPaths() const { return m_paths; }
    /// Connections whose TCP connection ended (either side).
    QList<int> closedConnections() const { return m_closed; }
    int openConnections() const;

private:
    struct Link
    {
        int id = 0;
        QPointer<QTcpSocket> client;
        QPointer<QTcpSocket> upstream;
        QByteArray fromClient;
        QByteArray fromUpstream;
        bool clientUpgraded = false;
        bool upstreamUpgraded = false;
        QString path;
        bool closed = false;
    };

    void onNewConnection();
    void pump(Link &link, bool fromClient);
    void close(Link &link);

    quint16 m_upstreamPort = 0;
    QTcpServer m_listener;
    QList<Link *> m_links;
    QList<Frame> m_frames;
    QHash<int, QString> m_paths;
    QList<int> m_closed;
    int m_nextId = 1;
};

} // namespace SlotScope::Testing
