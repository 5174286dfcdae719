#include "wsproxy.h"

#include <QtEndian>

using namespace Qt::StringLiterals;

namespace SlotScope::Testing {

namespace {

/// Length of the complete frame at the start of `buffer`, or 0 while it is
/// incomplete; fills `frame` (opcode, unmasked payload, close code).
qsizetype parseFrame(const QByteArray &buffer, WsProxy::Frame &frame)
{
    if (buffer.size() < 2)
        return 0;
    const auto *bytes = reinterpret_cast<const uchar *>(buffer.constData());
    frame.opcode = bytes[0] & 0x0F;
    const bool masked = bytes[1] & 0x80;
    quint64 length = bytes[1] & 0x7F;
    qsizetype at = 2;
    if (length == 126) {
        if (buffer.size() < 4)
            return 0;
        length = qFromBigEndian<quint16>(bytes + 2);
        at = 4;
    } else if (length == 127) {
        if (buffer.size() < 10)
            return 0;
        length = qFromBigEndian<quint64>(bytes + 2);
        at = 10;
    }
    uchar mask[4] = {0, 0, 0, 0};
    if (masked) {
        if (buffer.size() < at + 4)
            return 0;
        std::copy(bytes + at, bytes + at + 4, mask);
        at += 4;
    }
    if (quint64(buffer.size() - at) < length)
        return 0;
    frame.payload = buffer.mid(at, qsizetype(length));
    if (masked) {
        for (qsizetype i = 0; i < frame.payload.size(); ++i)
            frame.payload[i] = char(uchar(frame.payload[i]) ^ mask[i % 4]);
    }
    frame.closeCode = frame.opcode == 8 && frame.payload.size() >= 2
                          ? int(qFromBigEndian<quint16>(reinterpret_cast<const uchar *>(frame.payload.constData())))
                          : -1;
    return at + qsizetype(length);
}

} // namespace

WsProxy::WsProxy(quint16 upstreamPort, QObject *parent)
    : QObject(parent)
    , m_upstreamPort(upstreamPort)
{
    connect(&m_listener, &QTcpServer::newConnection, this, &WsProxy::onNewConnection);
}

WsProxy::~WsProxy()
{
    for (Link *link : std::as_const(m_links)) {
        if (link->client)
            link->client->disconnect(this);
        if (link->upstream)
            link->upstream->disconnect(this);
        delete link->client;
        delete link->upstream;
        delete link;
    }
}

bool WsProxy::listen()
{
    return m_listener.listen(QHostAddress::LocalHost, 0);
}

QString WsProxy::controlUrl() const
{
    return u"ws://127.0.0.1:%1/backtest"_s.arg(port());
}

int WsProxy::openConnections() const
{
    return int(std::count_if(m_links.cbegin(), m_links.cend(), [](const Link *link) { return !link->closed; }));
}

QStringList WsProxy::clientFrameLog(int connection) const
{
    QStringList log;
    for (const Frame &frame : m_frames) {
        if (frame.connection != connection || !frame.fromClient)
            continue;
        if (frame.opcode == 1)
            log.append(QString::fromUtf8(frame.payload));
        else if (frame.opcode == 8)
            log.append(u"<close %1>"_s.arg(frame.closeCode));
        else
            log.append(u"<opcode %1>"_s.arg(frame.opcode));
    }
    return log;
}

void WsProxy::onNewConnection()
{
    while (QTcpSocket *client = m_listener.nextPendingConnection()) {
        auto *link = new Link;
        link->id = m_nextId++;
        link->client = client;
        link->upstream = new QTcpSocket(this);
        client->setParent(this);
        m_links.append(link);
        connect(client, &QTcpSocket::readyRead, this, [this, link] { pump(*link, true); });
        connect(link->upstream, &QTcpSocket::readyRead, this, [this, link] { pump(*link, false); });
        connect(client, &QTcpSocket::disconnected, this, [this, link] { close(*link); });
        connect(link->upstream, &QTcpSocket::disconnected, this, [this, link] { close(*link); });
        link->upstream->connectToHost(QHostAddress::LocalHost, m_upstreamPort);
    }
}

void WsProxy::pump(Link &link, bool fromClient)
{
    QTcpSocket *source = fromClient ? link.client : link.upstream;
    QTcpSocket *sink = fromClient ? link.upstream : link.client;
    if (!source || !sink)
        return;
    QByteArray &buffer = fromClient ? link.fromClient : link.fromUpstream;
    bool &upgraded = fromClient ? link.clientUpgraded : link.upstreamUpgraded;
    buffer += source->readAll();
    if (!upgraded) {
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        const QByteArray head = buffer.left(end + 4);
        if (fromClient) {
            link.path = QString::fromLatin1(head.left(head.indexOf("\r\n")).split(' ').value(1));
            // The upstream may still be connecting: QTcpSocket buffers the write.
        } else if (head.startsWith("HTTP/1.1 101")) {
            m_paths.insert(link.id, link.path);
        }
        sink->write(head);
        buffer.remove(0, end + 4);
        upgraded = true;
    }
    for (;;) {
        Frame frame;
        frame.connection = link.id;
        frame.path = link.path;
        frame.fromClient = fromClient;
        const qsizetype length = parseFrame(buffer, frame);
        if (length == 0)
            return;
        const QByteArray raw = buffer.left(length);
        buffer.remove(0, length);
        m_frames.append(frame);
        if (fromClient && interceptClientFrame && interceptClientFrame(frame))
            continue;
        sink->write(raw);
    }
}

void WsProxy::sendTextToClient(int connection, const QByteArray &text)
{
    for (Link *link : std::as_const(m_links)) {
        if (link->id != connection || !link->client)
            continue;
        QByteArray frame;
        frame.append(char(0x81)); // FIN, text
        if (text.size() < 126) {
            frame.append(char(text.size()));
        } else if (text.size() < 65536) {
            frame.append(char(126));
            frame.append(char((text.size() >> 8) & 0xFF));
            frame.append(char(text.size() & 0xFF));
        } else {
            frame.append(char(127));
            for (int shift = 56; shift >= 0; shift -= 8)
                frame.append(char((quint64(text.size()) >> shift) & 0xFF));
        }
        frame += text;
        Frame seen;
        seen.connection = connection;
        seen.path = link->path;
        seen.fromClient = false;
        seen.opcode = 1;
        seen.payload = text;
        m_frames.append(seen);
        link->client->write(frame);
    }
}

void WsProxy::close(Link &link)
{
    if (link.closed)
        return;
    link.closed = true;
    m_closed.append(link.id);
    // Pass on what is still buffered, then close the other side as well.
    if (link.client && link.client->state() == QAbstractSocket::ConnectedState) {
        pump(link, false);
        link.client->disconnectFromHost();
    }
    if (link.upstream && link.upstream->state() == QAbstractSocket::ConnectedState) {
        pump(link, true);
        link.upstream->disconnectFromHost();
    }
}

} // namespace SlotScope::Testing
