#pragma once

// One control WebSocket on /backtest (PROTOCOL.md §3, §4). Internal.

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

#include <optional>

QT_BEGIN_NAMESPACE
class QTcpSocket;
class QWebSocket;
QT_END_NAMESPACE

namespace SlotScope {
struct BacktestError;
}

namespace SlotScope::Internal {

class BacktestSession;
class ControlFaultInjector;
class SessionRegistry;

/// Decodes client requests and routes them to the registry (create, attach)
/// or to the bound session (continue, continueTo, resume, close). At most one
/// session per connection. Malformed or unknown frames get error
/// invalidRequest; the socket stays open.
///
/// With a ControlFaultInjector every frame written passes through the control
/// faults (RefServerConfig::controlFaults): delay, injected garbage, abort
/// after N frames (no close frame, only once the client's kernel acknowledged
/// every byte), silence (no writes, no reads, hence no pongs), an aborted step
/// end and a lost request. A connection that is aborting or silent ignores
/// what the client sends (not even recorded in the transcript).
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
    /// Apply the server's control faults to this connection (before any frame).
    void setFaultInjector(ControlFaultInjector *faults) { m_faults = faults; }
    /// The bound session is about to send the readyForContinue / paused that
    /// ends a step: with the step-end fault the connection aborts first, so
    /// that frame (and what follows) only reaches the replay buffer.
    void stepEnding();

    /// One text frame, verbatim.
    void sendFrame(const QByteArray &json);
    /// An error outside any session (no seqId).
    void sendError(const BacktestError &error);
    /// Close with 1000 after the queued (and delayed) frames.
    void closeNormally(const QString &reason);

Q_SIGNALS:
    void finished(SlotScope::Internal::ControlConnection *connection);

private:
    void onTextMessage(const QString &text);
    void onBinaryMessage(const QByteArray &data);
    void handleFrame(const QByteArray &utf8);
    /// An error through the bound session (sequenced) or directly.
    void reply(const BacktestError &error);
    /// Write one frame now and apply the per-frame faults.
    void writeFrame(const QByteArray &json);
    void writeDueFrames();
    /// Stop writing and reading, then abort the TCP socket once the client's
    /// kernel acknowledged every byte written (no close frame).
    void abortAfterFlush(const QString &why);
    /// A continue / continueTo (`method`) arrived: its control fault, if any,
    /// carried out (ControlFaults::loseRequests, abortAfterActing). True when
    /// the session should act on it.
    bool stepRequestFault(const QString &method);
    void pollAbort();
    /// Stop writing; stop reading the socket, so QWebSocket answers no ping.
    void goSilent();

    enum class Fault { None, Aborting, Silent };

    int m_connectionId = 0;
    QWebSocket *m_socket = nullptr;
    QPointer<QTcpSocket> m_tcp;
    QByteArray m_apiKey;
    SessionRegistry *m_registry = nullptr;
    QPointer<BacktestSession> m_session;

    ControlFaultInjector *m_faults = nullptr;
    Fault m_fault = Fault::None;
    int m_framesWritten = 0;
    struct DelayedFrame
    {
        qint64 dueMs = 0;
        QByteArray json;
    };
    QList<DelayedFrame> m_delayed;      // frameDelayMs: frames waiting for their time, in order
    qint64 m_delayedBytes = 0;
    std::optional<QString> m_closeAfterDelayed;
    QElapsedTimer m_clock;
    QTimer m_delayTimer;
    QElapsedTimer m_abortWait;
};

} // namespace SlotScope::Internal
