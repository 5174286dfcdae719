#pragma once

// One control WebSocket on /backtest (PROTOCOL.md §3, §4). Internal.

#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QString>

QT_BEGIN_NAMESPACE
class QTcpSocket;
class QWebSocket;
QT_END_NAMESPACE

namespace SlotScope {
struct BacktestError;
}

namespace SlotScope::Internal {

class BacktestSession;
class SessionRegistry;

/// Decodes client requests and routes them to the registry (create, attach)
/// or to the bound session (continue, continueTo, resume, close). At most one
/// session per connection. Malformed or unknown frames get error
/// invalidRequest; the socket stays open.
class ControlConnection : public QObject
{
    Q_OBJECT
public:
    /// Takes ownership of `socket`; `apiKey` is the key of the upgrade request.
    ControlConnection(int connectionId, QWebSocket *socket, QTcpSocket *tcp, const QByteArray &apiKey,
                      SessionRegistry *registry, QObject *parent = nullptr);
    ~ControlConnection() override;

    int connectionId() const { return m_connectionId; }
    const QByteArray &apiKey() const { return m_apiKey; }
    bool isOpen() const;
    qint64 pendingBytes() const;
    BacktestSession *session() const { return m_session; }
    void setSession(BacktestSession *session) { m_session = session; }

    /// One text frame, verbatim.
    void sendFrame(const QByteArray &json);
    /// An error outside any session (no seqId).
    void sendError(const BacktestError &error);
    /// Close with 1000 after the queued frames.
    void closeNormally(const QString &reason);

Q_SIGNALS:
    void finished(SlotScope::Internal::ControlConnection *connection);

private:
    void onTextMessage(const QString &text);
    void onBinaryMessage(const QByteArray &data);
    void handleFrame(const QByteArray &utf8);
    /// An error through the bound session (sequenced) or directly.
    void reply(const BacktestError &error);

    int m_connectionId = 0;
    QWebSocket *m_socket = nullptr;
    QPointer<QTcpSocket> m_tcp;
    QByteArray m_apiKey;
    SessionRegistry *m_registry = nullptr;
    QPointer<BacktestSession> m_session;
};

} // namespace SlotScope::Internal
