#pragma once

// The reference simulator server: the embedded demo of SlotScope and the peer
// of every integration test (DESIGN.md §2, PROTOCOL.md §8).

#include "protocol/result.h"
#include "refserver/refserverconfig.h"
#include "refserver/transcript.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <memory>

namespace SlotScope {

namespace Internal {
class RefServerPrivate;
}

/// What the server's fault options injected so far (server-wide counts).
struct RefServerFaultStats
{
    int subscriptionDrops = 0;        ///< DataFaults::dropEveryNotifications
    int subscriptionStalls = 0;       ///< DataFaults::stallAfterNotifications
    int completionDrops = 0;          ///< DataFaults::dropAtCompletion (sessions)
    int malformedNotifications = 0;   ///< DataFaults::malformedNotifications
    int controlAborts = 0;            ///< ControlFaults aborts of every kind
    int controlSilences = 0;
    int refusedUpgrades = 0;
    int garbageFrames = 0;
};

/// A local backtest simulator speaking the wire protocol of PROTOCOL.md on one
/// TCP port: the control WebSocket `/backtest` (X-API-Key required, else HTTP
/// 401), per-session data-plane WebSockets `/backtest/<session_id>` (no key;
/// unknown session → 404), and plain HTTP `GET /available-ranges`, `/health`,
/// `/ready`. Sessions replay real transactions from `txDir` or synthetic ones
/// (RefServerConfig). Everything runs asynchronously on the event loop of the
/// thread the server lives in (moveToThread() before listen() is fine).
///
///     RefServer server({.apiKey = u"key"_s});
///     if (auto ok = server.listen(); !ok) qWarning() << ok.error().message;
///     client.open(server.controlUrl());
class RefServer : public QObject
{
    Q_OBJECT
public:
    explicit RefServer(RefServerConfig config, QObject *parent = nullptr);
    ~RefServer() override;

    /// Load the transactions and start listening on config.host:config.port.
    /// Errors: the transaction directory cannot be loaded, the port is taken.
    Result<void> listen();
    bool isListening() const;
    /// `ws://127.0.0.1:PORT/backtest` (the configured host when not loopback/any).
    QUrl controlUrl() const;
    /// `http://127.0.0.1:PORT`.
    QString httpBase() const;
    quint16 port() const;
    const RefServerConfig &config() const;

    /// Every frame any client sent, in arrival order.
    QList<TranscriptEntry> transcript() const;
    int activeSessionCount() const;
    /// The faults injected so far.
    RefServerFaultStats faultStats() const;
    QStringList sessionIds() const;

    /// Stop listening, drop every session and close every connection.
    void close();

Q_SIGNALS:
    void sessionCreated(const QString &sessionId);
    void sessionCompleted(const QString &sessionId);
    void clientFrameReceived(const SlotScope::TranscriptEntry &entry);

private:
    std::unique_ptr<Internal::RefServerPrivate> d;
};

} // namespace SlotScope
