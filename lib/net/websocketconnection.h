#pragma once

#include "net/connectionpolicy.h"
#include "net/reconnectbudget.h"
#include "protocol/connectionstatus.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>
#include <QUrl>
#include <QWebSocketProtocol>

#include <chrono>
#include <optional>
#include <utility>

QT_BEGIN_NAMESPACE
class QWebSocket;
QT_END_NAMESPACE

namespace SlotScope {

class ReconnectCoordinator;

/// Outcome of a failed handshake (seed mod.rs `HandshakeError`): Transient
/// (network blip, contended session) retries with backoff; Fatal ends the loop
/// as Failed with `reason` verbatim.
struct HandshakeError
{
    enum class Kind { Transient, Fatal };
    Kind kind = Kind::Transient;
    QString reason;

    static HandshakeError transient(QString reason) { return {Kind::Transient, std::move(reason)}; }
    static HandshakeError fatal(QString reason) { return {Kind::Fatal, std::move(reason)}; }
};

/// Why a connection ended Failed (beside the one-line reason).
enum class FailureKind {
    None,
    Unreachable,        ///< connect attempts failed until the budget ran out (or a bad URL)
    Unauthorized,       ///< HTTP 401/403 at the upgrade: the API key was rejected; never retried
    HandshakeRejected,  ///< the server rejected create / attach / subscribe (fatal handshake error)
    RetriesExhausted,   ///< lost or transient handshake failures until the budget ran out
    Terminal,           ///< the subclass declared the session unrecoverable
};

/// "none", "unreachable", "unauthorized", "handshake rejected", "retries exhausted", "terminal".
QString failureKindName(FailureKind kind);

/// How a live connection ended, handed to WebSocketConnection::connectionLost().
struct ConnectionLoss
{
    QString reason;                 ///< one line, e.g. "remote close: 1001 going away"
    bool peerClosed = false;        ///< a close frame arrived (no socket error before the disconnect)
    QWebSocketProtocol::CloseCode closeCode = QWebSocketProtocol::CloseCodeAbnormalDisconnection;
    QString closeReason;
    bool duringHandshake = false;   ///< lost before handshakeSucceeded()
};

/// One WebSocket (control or subscription) with its own connection loop
/// (DESIGN.md §4, seed mod.rs `run_control_loop`, PROTOCOL.md §7):
///
///   Down → connect (connectTimeout) → beginHandshake() → handshakeSucceeded() → Up
///        → frames … → lost → [Up ≥ uptimeReset ⇒ budget reset] → backoff → connect …
///
/// With a ReconnectCoordinator (parallel batches), a reconnect beyond the
/// policy's ungatedAttempts parks after its backoff (status Parked) until no
/// sibling streams, holds the single handshake permit until Up again, and the
/// parked time is not charged to the budget (PROTOCOL.md §6.6).
///
/// * Connect failures and transient handshake failures retry with the
///   ReconnectBudget's backoff until it is exhausted, then Failed.
/// * HTTP 401/403 at the upgrade is fatal at once ("API key rejected (HTTP 401)").
/// * Keepalive while Up: a WebSocket ping every keepaliveInterval (first tick
///   right away); any inbound frame or pong refreshes liveness; no inbound
///   traffic for longer than keepaliveMissDeadline = lost.
/// * Binary frames that are valid UTF-8 are handled as text (seed
///   `classify_inbound`); a close frame is a loss unless connectionLost() says
///   it ends the stream.
/// * Reconnects always run from a timer (the event loop), never from inside the
///   socket's `disconnected` handler.
///
/// Everything runs on the thread that owns the object; no threads inside.
/// A fresh QWebSocket is used per attempt so stale signals cannot leak across
/// attempts.
class WebSocketConnection : public QObject
{
    Q_OBJECT
public:
    /// Where the loop is; exposed for tests and diagnostics.
    enum class Phase { Idle, Connecting, Handshaking, Up, Backoff, Parked, Closing, Finished };

    explicit WebSocketConnection(ConnectionPolicy policy, QObject *parent = nullptr);
    ~WebSocketConnection() override;

    /// Start (or restart after finished()) the loop on `url` (ws:// or wss://).
    /// `apiKey` goes into an X-API-Key header only when non-empty (it is never
    /// logged); `userAgent` into User-Agent.
    void start(const QUrl &url, const QString &apiKey = {},
               const QString &userAgent = defaultUserAgent());
    /// User intent: graceful close (sendCloseRequest() + close frame, bounded
    /// by gracefulCloseTimeout when Up), no reconnect. Ends with finished().
    void stop();

    ConnectionStatus status() const { return m_status; }
    /// Reason given with the last status change.
    QString statusReason() const { return m_statusReason; }
    /// Frames skipped over the object's lifetime (frameDropped()).
    qint64 framesDropped() const { return m_framesDropped; }
    /// How much of a dropped frame frameDropped() carries, bytes.
    static constexpr qsizetype kDroppedFramePrefixBytes = 4096;
    /// Why the loop ended Failed; None otherwise.
    FailureKind failureKind() const { return m_failureKind; }
    Phase phase() const { return m_phase; }
    /// Started and not yet finished.
    bool isRunning() const { return m_phase != Phase::Idle && m_phase != Phase::Finished; }
    /// The loop has ended (after stop(), Failed or an end of stream) and not
    /// been started again: a Down reported now is this socket's last status.
    bool hasEnded() const { return m_phase == Phase::Finished; }
    /// Reconnect attempts recorded in the current budget.
    int attempt() const { return m_budget.attempt(); }
    QUrl url() const { return m_url; }
    const ConnectionPolicy &policy() const { return m_policy; }
    /// Gate reconnects beyond policy().ungatedAttempts on `coordinator` (shared by
    /// a parallel batch's subscriptions; nullptr = never gated). Only while idle.
    void setReconnectCoordinator(ReconnectCoordinator *coordinator);
    /// User intent "Reconnect now" on a Down or Parked socket: a socket
    /// waiting out its backoff reconnects at once (past its ungated attempts
    /// it parks, expedited, instead: it still needs the coordinator's single
    /// handshake slot); a parked socket is expedited (ReconnectCoordinator::
    /// expedite(): served next, once the slot is free, without waiting for a
    /// quiet link). The attempt counts against the budget as usual. False
    /// when the socket is not waiting (Up, connecting, finished).
    bool reconnectNow();

Q_SIGNALS:
    /// Every status transition (no-op transitions are suppressed). The
    /// loop's last one (hasEnded() already true) is always reported.
    void statusChanged(SlotScope::ConnectionStatus status, const QString &reason);
    /// A reconnect will be tried after `delay` (attempt = 1-based retry number)
    /// because of `reason` (what failed this time; the status may already
    /// have been Down, so statusChanged() does not repeat it).
    void reconnectScheduled(int attempt, std::chrono::milliseconds delay, const QString &reason);
    /// Every text frame written (UTF-8), for protocol consoles. The view is
    /// valid only during the emission: connect directly and copy what you keep.
    void frameSent(QByteArrayView utf8);
    /// The loop ended: after stop(), Failed, or an end of stream. Emitted once per start().
    void finished();
    /// A received frame was skipped (undecodable, missing fields, failed
    /// decompression, an unusable binary frame): nothing of it reached the
    /// session. `reason`: one line; `rawPrefix`: its first bytes (at most
    /// kDroppedFramePrefixBytes); `size`: its whole size in bytes. Issue 9:
    /// every drop is counted and shown (the events file's `frame_dropped`).
    void frameDropped(const QString &reason, const QByteArray &rawPrefix, qint64 size);

protected:
    /// The socket is open: send create / attach / subscribe. The handshake
    /// timer is already running (handshakeResponseTimeout()).
    virtual void beginHandshake() = 0;
    /// One inbound text frame (or UTF-8 binary frame), as UTF-8 bytes valid
    /// for the duration of the call and followed by at least kJsonReadPadding
    /// readable bytes, so that parts of it can be summarized in place
    /// (TransactionSummarizer::summarizeInPlace()).
    virtual void handleText(QByteArrayView utf8) = 0;
    /// One inbound binary frame. Default: valid UTF-8 → handleText(), else
    /// logged and ignored. Subclasses may override (e.g. zstd).
    virtual void handleBinary(const QByteArray &frame);
    /// stop() while Up: write the protocol's close request (e.g.
    /// closeBacktestSession) before the close frame. Default: nothing.
    virtual void sendCloseRequest() {}
    /// The connection was lost (peer close, socket error, keepalive deadline,
    /// handshake interrupted). Return true to end the loop quietly (status
    /// Down with `loss.reason`, finished()) instead of reconnecting. Default:
    /// false. Called with the socket already gone and, if it was streaming,
    /// still counted as streaming by the reconnect coordinator: a loss that
    /// ends the loop is no drop (no storm starts). An override that announces
    /// the end calls leaveCoordinator() first, so whoever hears it sees the
    /// coordinator without this socket.
    virtual bool endsOnLoss(const ConnectionLoss &loss);
    /// This socket takes no further part in the batch's reconnects (it ends):
    /// its parked request, handshake permit and streaming mark go
    /// (ReconnectCoordinator::cancel). Idempotent; the loop's end calls it too.
    void leaveCoordinator();
    /// Per-response timeout during the handshake. Default: the policy's.
    virtual std::chrono::milliseconds handshakeResponseTimeout() const;
    /// Whether a session exists on the server for this socket. Until one
    /// does and until an upgrade first succeeded, connect failures fail fast
    /// (ConnectionPolicy::firstConnect…, inFirstConnect()). Default: true
    /// (the seed's budget, e.g. a subscription socket).
    virtual bool sessionExists() const { return true; }
    /// The short first-connect budget applies: no session exists and no
    /// upgrade has succeeded since start(). Once the server was reached a
    /// create may be pending on it (a drop during a long capacity wait, a
    /// 1012 redeploy), so reconnects get the seed's budget
    /// (`run_control_loop`: every connect failure goes through
    /// `next_backoff`).
    bool inFirstConnect() const;
public:
    /// An upgrade succeeded since start(): the server has been reached (and,
    /// for a control connection, may hold what a create asked for).
    bool serverReached() const { return m_serverReached; }
protected:
    /// Why an HTTP status at the upgrade means this socket's endpoint is gone
    /// for good, so that no reconnect can succeed; the loop then fails at
    /// once (FailureKind::Terminal) with that reason instead of spending its
    /// budget. Default: nullopt (4xx other than 401/403/408/429 already count
    /// as permanent before a session exists).
    virtual std::optional<QString> endpointGone(int /*httpStatus*/) const { return std::nullopt; }

    /// A keepalive ping numbered `serial` went out on the open socket (while
    /// Up). Serials increase over the connection's life, across sockets.
    /// Default: nothing.
    virtual void keepalivePingSent(quint64 /*serial*/) {}
    /// The peer answered keepalive ping `serial` on the socket it went out
    /// on: everything the peer wrote before it read that ping has arrived
    /// (one TCP stream, in order). Pongs that answer no ping of this socket
    /// (unsolicited, RFC 6455 §5.5.3) are not reported. Default: nothing.
    virtual void keepalivePongReceived(quint64 /*serial*/) {}

    /// The handshake is complete: status Up, keepalive starts.
    void handshakeSucceeded();
    /// Transient → backoff (or Failed when the budget is exhausted); fatal → Failed.
    void handshakeFailed(const HandshakeError &error);
    /// Re-arm the per-response handshake timer (call after each response).
    void restartHandshakeTimer();
    /// A received frame is skipped: counted, logged and reported with
    /// frameDropped() (the first kDroppedFramePrefixBytes of `raw`).
    void dropFrame(const QString &reason, QByteArrayView raw);
    /// Write a text frame; false when the socket is not open.
    bool sendText(const QByteArray &utf8);
    /// End the loop as Failed with `reason` (e.g. a terminal protocol error).
    void fail(FailureKind kind, const QString &reason);
    /// fail(), after closing when Up or Handshaking: sendCloseRequest() now,
    /// the close frame once the subclass reports the answer (closeAnswered())
    /// or stop() is called, all within gracefulCloseTimeout. The server learns
    /// the session is over instead of keeping it for its disconnect timeout,
    /// and frames it still sends are handled (PROTOCOL-0.31 §4.8: after a
    /// terminal error "close the session; a later `completed` (if any) is
    /// still accepted"). Otherwise fail() at once.
    void failAfterClosing(FailureKind kind, const QString &reason);
    /// Nothing more to wait for while failAfterClosing() closes (the close
    /// request was answered, or the session completed): the close frame goes
    /// out. Does nothing otherwise.
    void closeAnswered();
    /// End the loop without failure (e.g. end of stream): status Down with
    /// `reason`; Failed as failAfterClosing() asked when it was closing.
    void finish(const QString &reason);
    /// Treat the open connection as lost (e.g. an undecodable compressed
    /// stream): the socket is aborted and the loop goes on as after any loss
    /// (endsOnLoss(), then backoff and reconnect). Only while Handshaking or Up.
    void dropConnection(const QString &reason);

private:
    /// Closing: timers stopped, sendCloseRequest() sent, gracefulCloseTimeout
    /// running. False when that ended the loop (nothing left to close).
    bool beginClosing();
    /// Stops timers, socket and coordinator slot and marks the loop Finished;
    /// false when it had not started or already ended (nothing to report).
    bool endConnection();
    /// The only writer of m_status. No-op transitions are not reported, except
    /// a `final` one (stopped, finished): a connection already Down still
    /// reports its last reason, so nobody is left with a stale "connection lost".
    void setStatus(ConnectionStatus next, const QString &reason, bool final = false);
    void openSocket();
    void detachSocket();
    void onConnected();
    void onDisconnected(QWebSocket *socket);
    void settleDisconnect(QWebSocket *socket);
    void onSocketError(QWebSocket *socket);
    void onTextMessage(const QString &message);
    void onBinaryMessage(const QByteArray &message);
    void onKeepaliveTick();
    void onConnectTimeout();
    void onHandshakeTimeout();
    void onCloseTimeout();
    /// `permanent`: retrying cannot help (HTTP 4xx, TLS, unknown host).
    void connectFailed(const QString &why, bool permanent = false);
    void connectionLostWhileOpen(const ConnectionLoss &loss);
    void retryOrFail(FailureKind exhaustedKind, const QString &failedReason);
    void onBackoffElapsed();
    void park(bool expedited);
    void onSlotGranted();
    void stopTimers();
    std::chrono::milliseconds now() const;

    ConnectionPolicy m_policy;
    ReconnectBudget m_budget;
    QUrl m_url;
    QByteArray m_apiKey;
    QByteArray m_userAgent;
    QPointer<QWebSocket> m_socket;
    bool m_peerCloseSeen = false;      // a close frame arrived (QWebSocket answered it)
    bool m_disconnectPending = false;  // `disconnected` seen; settled from the event loop
    Phase m_phase = Phase::Idle;
    ConnectionStatus m_status = ConnectionStatus::Down;
    QString m_statusReason;
    qint64 m_framesDropped = 0;
    FailureKind m_failureKind = FailureKind::None;
    std::optional<std::pair<FailureKind, QString>> m_failureAfterClosing; // failAfterClosing() under way
    std::chrono::milliseconds m_lastInbound{0};
    std::chrono::milliseconds m_lastFrame{0};   // the last text or binary frame (not a pong)
    quint64 m_lastPingSerial = 0;        ///< serial of the last keepalive ping sent (0: none yet)
    quint64 m_firstPingSerialOfSocket = 1; ///< serial of the current socket's first ping
    std::chrono::milliseconds m_upSince{0};
    std::chrono::milliseconds m_startedAt{0};   // start(): the first-connect budget's clock
    bool m_serverReached = false;               // an upgrade succeeded since start(): no first-connect budget
    quint64 m_generation = 0; // bumped whenever the loop ends or restarts (reentrancy guard)
    QPointer<ReconnectCoordinator> m_coordinator;
    bool m_holdsPermit = false;
    std::chrono::milliseconds m_parkedSince{0};

    // Parented to this so moveToThread() takes them along (a member child is
    // destroyed, and unregistered, before ~QObject runs).
    QTimer m_connectTimer{this};
    QTimer m_handshakeTimer{this};
    QTimer m_keepaliveTimer{this};
    QTimer m_backoffTimer{this};
    QTimer m_closeTimer{this};
};

} // namespace SlotScope
