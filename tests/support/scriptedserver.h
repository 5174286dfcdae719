#pragma once

#include "protocol/controlmessages.h"
#include "protocol/dataplane.h"
#include "protocol/transactionfiles.h"
#include "support/peerserver.h"

#include <QHash>
#include <QList>
#include <QPointer>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

struct ZSTD_CCtx_s;

namespace SlotScope::Testing {

class StreamCompressor;

/// A simulator whose every reaction the test scripts (STYLE.md "a fake server
/// that records what the client sent"), on one port:
///
/// * Control plane, path `/backtest`: each request is decoded (an undecodable
///   one fails the test) and recorded in `requests` / `methods`, then handed to
///   `onRequest`, which answers with send(), sendSequenced() or sendRaw().
/// * Data plane, any other path (`/backtest/<session id>`): each subscribe is
///   decoded and recorded in `subscribes`, then acknowledged (unless `autoAck`
///   is false or `onSubscribeInstead` takes it) and `afterAck` runs. With
///   `honourZstd` a socket that asked for `compression:"zstd"` gets its
///   notifications as Binary frames of one streaming compressor (PROTOCOL.md
///   §5.4); otherwise Text.
class ScriptedServer : public PeerServer
{
public:
    ScriptedServer();
    ~ScriptedServer() override;

    /// `ws://127.0.0.1:<port>/backtest`.
    QUrl url() const { return urlFor(QStringLiteral("/backtest")); }
    QString controlUrl() const { return url().toString(); }
    /// `ws://127.0.0.1:<port>/backtest/<sessionId>`.
    QUrl dataUrl(const QString &sessionId = QStringLiteral("backtest_1")) const;

    // --- control plane -------------------------------------------------------
    QPointer<QWebSocket> control;                     ///< the latest control socket
    QList<ControlRequest> requests;                   ///< every control request, in order
    QStringList methods;                              ///< their method names
    std::function<void(const ControlRequest &)> onRequest;

    /// One response on the latest control socket, with `seqId` when given.
    void send(const ControlResponse &response, std::optional<quint64> seqId = std::nullopt);
    /// One response with this server's next seqId (1, 2, …).
    void sendSequenced(const ControlResponse &response);
    /// Raw text on the latest control socket (malformed frames).
    void sendRaw(const QByteArray &text);

    // --- data plane ----------------------------------------------------------
    QPointer<QWebSocket> data;                        ///< the latest data socket
    int dataConnections = 0;
    QList<SubscribeRequest> subscribes;               ///< every subscribe request, in order
    QHash<QString, QPointer<QWebSocket>> dataByMethod; ///< the latest socket per subscribe method
    bool autoAck = true;
    bool honourZstd = true;
    qint64 subscriptionId = 7;                        ///< sent in acks and notifications
    int binaryFramesSent = 0;
    std::function<void(const SubscribeRequest &)> afterAck;
    /// Takes a subscribe instead of the automatic ack.
    std::function<void(QWebSocket *, const SubscribeRequest &)> onSubscribeInstead;

    /// Acknowledge `request` on `socket` (default: the latest data socket).
    void ack(const SubscribeRequest &request, QWebSocket *socket = nullptr);
    /// A notification (or any JSON) on `socket` (default: the latest data
    /// socket): compressed when that socket asked for zstd and honourZstd.
    void sendData(const QByteArray &json, QWebSocket *socket = nullptr);
    void notify(const LoadedTransaction &transaction, QWebSocket *socket = nullptr);
    void notifyDiff(const QByteArray &resultJson, QWebSocket *socket = nullptr);

protected:
    void accepted(QWebSocket *socket) override;

private:
    void acceptControl(QWebSocket *socket);
    void acceptData(QWebSocket *socket);

    quint64 m_seq = 0;
    QHash<QWebSocket *, std::shared_ptr<StreamCompressor>> m_compressors;
};

/// The server side of PROTOCOL.md §5.4: one zstd compressor per connection,
/// flushed after every message (a compression error is fatal).
class StreamCompressor
{
public:
    explicit StreamCompressor(int level = 3);
    ~StreamCompressor();
    StreamCompressor(const StreamCompressor &) = delete;
    StreamCompressor &operator=(const StreamCompressor &) = delete;

    QByteArray compress(QByteArrayView message);

private:
    ::ZSTD_CCtx_s *m_stream;
};

} // namespace SlotScope::Testing
