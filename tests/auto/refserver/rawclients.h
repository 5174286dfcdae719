#pragma once

// Raw WebSocket clients and frame helpers for the reference-server tests
// (tst_refserver, tst_refserverwire, tst_refserverdata, …): every frame
// recorded, nothing of the product's client code in between; the data-plane
// client decodes zstd with libzstd's streaming API itself.

#include "protocol/controlmessages.h"
#include "protocol/dataplane.h"
#include "protocol/urls.h"
#include "refserver/refserver.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkRequest>
#include <QTest>
#include <QTimer>
#include <QWebSocket>

#include <zstd.h>

#include <functional>
#include <memory>
#include <optional>

namespace RefServerTest {

using namespace Qt::StringLiterals;
using namespace SlotScope;

inline const QString ApiKey = u"test-key"_s;
inline const QString OtherKey = u"other-key"_s;
inline const QString JupiterV6 = u"JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4"_s;
inline constexpr int Timeout = 30000;

/// One clock for every client, so arrival times compare across sockets.
inline qint64 nowMs()
{
    static QElapsedTimer clock = [] {
        QElapsedTimer timer;
        timer.start();
        return timer;
    }();
    return clock.elapsed();
}

inline QString fixturesDir()
{
    return QString::fromUtf8(SLOTSCOPE_FIXTURES_DIR);
}

/// A server configuration that replays the fixture transactions (fixturesDir()).
inline RefServerConfig fixtureConfig()
{
    RefServerConfig config;
    config.txDir = fixturesDir();
    return config;
}

inline QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

inline QByteArray createRequest(quint64 startSlot, quint64 endSlot, QJsonObject extra = {})
{
    extra.insert(u"startSlot"_s, qint64(startSlot));
    extra.insert(u"endSlot"_s, qint64(endSlot));
    return compact({{u"method"_s, u"createBacktestSession"_s}, {u"params"_s, extra}});
}

inline QByteArray continueRequest(quint64 advanceCount)
{
    return compact({{u"method"_s, u"continue"_s},
                    {u"params"_s,
                     QJsonObject{{u"advanceCount"_s, qint64(advanceCount)},
                                 {u"transactions"_s, QJsonArray()},
                                 {u"modifyAccountStates"_s, QJsonObject()}}}});
}

inline QByteArray continueToRequest(quint64 slot, std::optional<quint32> batchIndex)
{
    QJsonObject params{{u"slot"_s, qint64(slot)}};
    if (batchIndex)
        params.insert(u"batchIndex"_s, qint64(*batchIndex));
    return compact({{u"method"_s, u"continueTo"_s}, {u"params"_s, params}});
}

inline QJsonObject discoveryFilter(const QString &program)
{
    return QJsonObject{{u"programExecuted"_s, program}};
}

/// "status:decodedTransactions", "slot:1000", "paused:1001/2", "discovery:1005/0",
/// "error:invalidRequest", or the method name.
inline QString describeFrame(const QJsonObject &frame)
{
    const QString method = frame.value(u"method"_s).toString();
    const QJsonValue params = frame.value(u"params"_s);
    if (method == "status"_L1)
        return u"status:"_s + params.toObject().value(u"status"_s).toString();
    if (method == "slotNotification"_L1)
        return u"slot:"_s + QString::number(params.toInteger());
    if (method == "paused"_L1) {
        const QJsonValue batch = params.toObject().value(u"batchIndex"_s);
        return u"paused:%1/%2"_s.arg(params.toObject().value(u"slot"_s).toInteger())
            .arg(batch.isDouble() ? QString::number(batch.toInteger()) : u"-"_s);
    }
    if (method == "discoveryBatch"_L1) {
        return u"discovery:%1/%2"_s.arg(params.toObject().value(u"slot"_s).toInteger())
            .arg(params.toObject().value(u"batchIndex"_s).toInteger());
    }
    if (method == "error"_L1)
        return u"error:"_s + (params.isString() ? params.toString() : params.toObject().keys().value(0));
    return method;
}

inline QStringList slotFrames(quint64 slot)
{
    return {u"status:executingBlockTransactions"_s, u"status:executedBlockTransactions"_s,
            u"slot:"_s + QString::number(slot)};
}

inline const QStringList ContinueStatuses{u"status:decodedTransactions"_s, u"status:appliedAccountModifications"_s,
                                          u"status:readyToExecuteUserTransactions"_s,
                                          u"status:executedUserTransactions"_s};

/// A reference server listening on port 0 with `config` (its API key
/// ApiKey unless it names one) on the `wire` generation; nullptr, with the
/// reason logged, when it cannot listen.
inline std::unique_ptr<RefServer> startServer(RefServerConfig config, WireVersion wire = WireVersion::V0_28)
{
    if (config.apiKey.isEmpty())
        config.apiKey = ApiKey;
    config.wire = wire;
    auto server = std::make_unique<RefServer>(config);
    if (auto listening = server->listen(); !listening) {
        qWarning() << listening.error().message;
        return nullptr;
    }
    return server;
}

/// Run the event loop until `predicate` holds (checked every 5 ms) or the
/// timeout passes. Unlike QTest::qWaitFor it never sleeps between passes, so a
/// server streaming tens of megabytes in-process runs at full speed.
inline bool spinUntil(const std::function<bool()> &predicate, int timeoutMs = Timeout)
{
    if (predicate())
        return true;
    QEventLoop loop;
    QTimer poll;
    poll.setInterval(5);
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (predicate())
            loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    poll.start();
    loop.exec();
    return predicate();
}

/// A raw control-plane client recording every frame.
class ControlClient : public QObject
{
public:
    struct Frame
    {
        QByteArray raw;
        QJsonObject json;
    };

    ControlClient()
    {
        connect(&socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
            const QByteArray raw = text.toUtf8();
            frames.append({raw, QJsonDocument::fromJson(raw).object()});
            if (frames.constLast().json.value(u"method"_s).toString() == "completed"_L1)
                completedAtMs = nowMs();
        });
        connect(&socket, &QWebSocket::disconnected, this, [this] { disconnected = true; });
    }

    bool open(const QUrl &url, const QString &key = ApiKey)
    {
        QNetworkRequest request(url);
        if (!key.isNull())
            request.setRawHeader("X-API-Key", key.toUtf8());
        socket.open(request);
        return spinUntil([this] { return socket.state() == QAbstractSocket::ConnectedState || disconnected; })
            && socket.state() == QAbstractSocket::ConnectedState;
    }

    void send(const QByteArray &json) { socket.sendTextMessage(QString::fromUtf8(json)); }

    QStringList described(qsizetype from = 0) const
    {
        QStringList out;
        for (qsizetype i = from; i < frames.size(); ++i)
            out.append(describeFrame(frames.at(i).json));
        return out;
    }

    /// Frames since `from` whose description is in `ends` (a step's end).
    int countEnds(qsizetype from, const QStringList &prefixes) const
    {
        int n = 0;
        for (const QString &d : described(from)) {
            for (const QString &prefix : prefixes) {
                if (d.startsWith(prefix)) {
                    ++n;
                    break;
                }
            }
        }
        return n;
    }

    bool waitForEnd(qsizetype from, const QStringList &prefixes = {u"readyForContinue"_s, u"paused"_s,
                                                                    u"completed"_s, u"error"_s})
    {
        return spinUntil([&] { return countEnds(from, prefixes) > 0; });
    }

    /// How many frames of `method` arrived.
    int count(const QString &method) const
    {
        int n = 0;
        for (const Frame &frame : frames)
            n += frame.json.value(u"method"_s).toString() == method ? 1 : 0;
        return n;
    }

    /// Send `json` and wait for the end of the step it starts: the frames
    /// that came since, described (empty when no end came in time).
    QStringList step(const QByteArray &json)
    {
        const qsizetype mark = frames.size();
        send(json);
        return waitForEnd(mark) ? described(mark) : QStringList();
    }

    std::optional<QJsonObject> first(const QString &method, qsizetype from = 0) const
    {
        for (qsizetype i = from; i < frames.size(); ++i) {
            if (frames.at(i).json.value(u"method"_s).toString() == method)
                return frames.at(i).json;
        }
        return std::nullopt;
    }

    QWebSocket socket;
    QList<Frame> frames;
    bool disconnected = false;
    qint64 completedAtMs = -1; ///< arrival of `completed`, nowMs()
};

/// A raw data-plane client. Binary frames go through this connection's own
/// ZSTD_DCtx (PROTOCOL.md §5.4); every frame is kept raw and decoded.
class DataClient : public QObject
{
public:
    struct Frame
    {
        bool binary = false;
        QByteArray raw;
        QByteArray json;   ///< the decoded JSON message (empty when decoding failed)
        qint64 atMs = 0;   ///< arrival, nowMs()
    };

    DataClient()
        : m_context(ZSTD_createDCtx(), &ZSTD_freeDCtx)
    {
        connect(&socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
            const QByteArray utf8 = text.toUtf8();
            frames.append({false, utf8, utf8, nowMs()});
        });
        connect(&socket, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray &data) {
            auto decoded = decompress(m_context.get(), data);
            if (!decoded)
                decodeErrors.append(frames.size());
            frames.append({true, data, decoded.value_or(QByteArray()), nowMs()});
        });
        // We never close a DataClient ourselves, so aboutToClose means the
        // server's close frame arrived; a bare TCP abort skips it.
        connect(&socket, &QWebSocket::aboutToClose, this, [this] { closeFrameReceived = true; });
        connect(&socket, &QWebSocket::disconnected, this, [this] {
            disconnected = true;
            closeCode = socket.closeCode();
            closeReason = socket.closeReason();
            disconnectedAtMs = nowMs();
        });
    }

    /// One streaming decode of `frame` into `context`: exactly the bytes it
    /// yields, or nullopt on a zstd error.
    static std::optional<QByteArray> decompress(ZSTD_DCtx *context, const QByteArray &frame)
    {
        QByteArray out;
        QByteArray chunk(int(ZSTD_DStreamOutSize()), Qt::Uninitialized);
        ZSTD_inBuffer input{frame.constData(), size_t(frame.size()), 0};
        for (;;) {
            ZSTD_outBuffer output{chunk.data(), size_t(chunk.size()), 0};
            const size_t result = ZSTD_decompressStream(context, &output, &input);
            if (ZSTD_isError(result))
                return std::nullopt;
            out.append(chunk.constData(), qsizetype(output.pos));
            if (input.pos == input.size && output.pos < output.size)
                return out;
        }
    }

    bool open(const QUrl &controlUrl, const QString &sessionId)
    {
        const auto url = subscriptionWsUrl(controlUrl.toString(), u"/backtest/"_s + sessionId);
        if (!url)
            return false;
        socket.open(QUrl(*url));
        return spinUntil([this] { return socket.state() == QAbstractSocket::ConnectedState || disconnected; })
            && socket.state() == QAbstractSocket::ConnectedState;
    }

    /// Send a subscribe request and wait for its ack; the subscription id or -1.
    qint64 request(const QByteArray &json, qint64 requestId)
    {
        const qsizetype mark = frames.size();
        socket.sendTextMessage(QString::fromUtf8(json));
        qint64 subscription = -1;
        qsizetype ackAt = -1;
        spinUntil([&] {
            for (qsizetype i = mark; i < frames.size(); ++i) {
                auto message = decodeDataPlaneMessage(frames.at(i).json);
                if (!message)
                    continue;
                if (const auto *ack = std::get_if<DataPlane::SubscribeAck>(&*message);
                    ack && ack->requestId == requestId) {
                    subscription = ack->subscription;
                    ackAt = i;
                    return true;
                }
            }
            return false;
        });
        if (ackAt >= 0)
            ackFrames.append(ackAt);
        return subscription;
    }

    /// Subscribe to the transactions of `accounts` (none: all) and wait for the ack.
    qint64 subscribe(qint64 requestId, const QStringList &accounts, std::optional<quint64> replayFromSlot = {})
    {
        TransactionSubscribeParams params;
        params.accountInclude = accounts;
        params.replayFromSlot = replayFromSlot;
        return request(encodeTransactionSubscribe(requestId, params), requestId);
    }

    /// Round trip on this socket: everything the server wrote before it has arrived.
    bool barrier(qint64 requestId)
    {
        const qsizetype mark = frames.size();
        socket.sendTextMessage(QString::fromUtf8(
            compact({{u"jsonrpc"_s, u"2.0"_s}, {u"id"_s, requestId}, {u"method"_s, u"slotscopeBarrier"_s}})));
        return spinUntil([&] {
            for (qsizetype i = mark; i < frames.size(); ++i) {
                auto message = decodeDataPlaneMessage(frames.at(i).json);
                if (!message)
                    continue;
                if (const auto *error = std::get_if<DataPlane::RpcError>(&*message);
                    error && error->requestId == requestId && error->code == -32601) {
                    return true;
                }
            }
            return false;
        });
    }

    qint64 subscribeTransactions(qint64 requestId, bool zstd = false, std::optional<quint64> replayFromSlot = {})
    {
        TransactionSubscribeParams params;
        params.zstd = zstd;
        params.replayFromSlot = replayFromSlot;
        return request(encodeTransactionSubscribe(requestId, params), requestId);
    }

    qint64 subscribeDiffs(qint64 requestId, const QString &address, bool program, bool zstd = false,
                          std::optional<quint64> replayFromSlot = {})
    {
        AccountDiffSubscribeParams params;
        params.address = address;
        params.programOwner = program;
        params.zstd = zstd;
        params.replayFromSlot = replayFromSlot;
        return request(encodeAccountDiffSubscribe(requestId, params), requestId);
    }

    /// Indices of the notification frames (transaction or account diff), in order.
    QList<qsizetype> notificationFrames() const
    {
        QList<qsizetype> out;
        for (qsizetype i = 0; i < frames.size(); ++i) {
            auto message = decodeDataPlaneMessage(frames.at(i).json);
            if (message
                && (std::holds_alternative<DataPlane::TransactionNotification>(*message)
                    || std::holds_alternative<DataPlane::AccountDiffNotification>(*message))) {
                out.append(i);
            }
        }
        return out;
    }

    qsizetype notificationCount() const { return notificationFrames().size(); }

    /// Raw `result` of every notification of `subscription` (-1 = any), in order.
    QList<QByteArray> results(qint64 subscription = -1) const
    {
        QList<QByteArray> out;
        for (const Frame &frame : frames) {
            auto message = decodeDataPlaneMessage(frame.json);
            if (!message)
                continue;
            if (const auto *n = std::get_if<DataPlane::TransactionNotification>(&*message)) {
                if (subscription < 0 || n->subscription == subscription)
                    out.append(n->result.toByteArray());
            } else if (const auto *d = std::get_if<DataPlane::AccountDiffNotification>(&*message)) {
                if (subscription < 0 || d->subscription == subscription)
                    out.append(d->result.toByteArray());
            }
        }
        return out;
    }

    /// Signatures of the transactionNotifications of `subscription`.
    QStringList signatures(qint64 subscription = -1) const
    {
        QStringList out;
        for (const QByteArray &result : results(subscription)) {
            const QJsonObject object = QJsonDocument::fromJson(result).object();
            if (object.contains(u"transaction"_s)) {
                out.append(
                    object.value(u"transaction"_s).toObject().value(u"signatures"_s).toArray().first().toString());
            }
        }
        return out;
    }

    /// Slot of a notification result (transaction `slot` or diff `context.slot`).
    static quint64 slotOf(const QByteArray &result)
    {
        const QJsonObject object = QJsonDocument::fromJson(result).object();
        if (object.contains(u"context"_s))
            return quint64(object.value(u"context"_s).toObject().value(u"slot"_s).toInteger());
        return quint64(object.value(u"slot"_s).toInteger());
    }

    /// Slot of every notification result of `subscription` (-1 = any), in order.
    QList<quint64> slotList(qint64 subscription = -1) const
    {
        QList<quint64> out;
        for (const QByteArray &result : results(subscription))
            out.append(slotOf(result));
        return out;
    }

    /// Slot of the newest notification received (what a client resubscribes with).
    quint64 lastSlot() const
    {
        const QList<QByteArray> all = results();
        return all.isEmpty() ? 0 : slotOf(all.constLast());
    }

    /// Payload bytes of every notification frame as received (compressed when Binary).
    qint64 notificationBytes() const
    {
        qint64 bytes = 0;
        for (qsizetype i : notificationFrames())
            bytes += frames.at(i).raw.size();
        return bytes;
    }

    bool closedNormally() const
    {
        return disconnected && closeFrameReceived && closeCode == QWebSocketProtocol::CloseCodeNormal
            && closeReason == u"session completed"_s;
    }

    QWebSocket socket;
    QList<Frame> frames;
    QList<qsizetype> ackFrames;
    QList<qsizetype> decodeErrors;
    bool disconnected = false;
    bool closeFrameReceived = false;
    QWebSocketProtocol::CloseCode closeCode = QWebSocketProtocol::CloseCodeNormal;
    QString closeReason;
    qint64 disconnectedAtMs = -1;

private:
    std::unique_ptr<ZSTD_DCtx, decltype(&ZSTD_freeDCtx)> m_context;
};

/// Open `client` on `controlUrl` unless it is open, send a create over
/// [start, end] with the `extra` params, and wait for a frame whose description
/// starts with one of `ends`; the session id of its sessionCreated (empty on
/// any failure).
inline QString createSession(ControlClient &client, const QUrl &controlUrl, quint64 start, quint64 end,
                             const QJsonObject &extra = {},
                             const QStringList &ends = {u"readyForContinue"_s, u"paused"_s, u"completed"_s,
                                                        u"error"_s})
{
    if (client.socket.state() != QAbstractSocket::ConnectedState && !client.open(controlUrl))
        return {};
    const qsizetype mark = client.frames.size();
    client.send(createRequest(start, end, extra));
    if (!client.waitForEnd(mark, ends))
        return {};
    const auto created = client.first(u"sessionCreated"_s, mark);
    return created ? created->value(u"params"_s).toObject().value(u"session_id"_s).toString() : QString();
}

/// A server, a control client that created a session on it, and (unless
/// openRun() was asked not to) a data client connected to that session.
struct SessionRun
{
    std::unique_ptr<RefServer> server;
    ControlClient control;
    QString id;
    DataClient data;
};

/// `run` with a server of `config` on `wire` and a session over [start, end]
/// created with the `extra` params (createSession()); its data client
/// connected unless `openData` is false. False if any step failed.
inline bool openRun(SessionRun &run, const RefServerConfig &config, quint64 start, quint64 end, bool openData = true,
                    const QJsonObject &extra = {}, WireVersion wire = WireVersion::V0_28)
{
    run.server = startServer(config, wire);
    if (!run.server)
        return false;
    run.id = createSession(run.control, run.server->controlUrl(), start, end, extra);
    return !run.id.isEmpty() && (!openData || run.data.open(run.server->controlUrl(), run.id));
}

/// Send `run`'s control client a continue of `advanceCount` slots and wait until its
/// data client disconnects; false if that did not happen within `timeoutMs`.
inline bool continueUntilDataEnd(SessionRun &run, quint64 advanceCount, int timeoutMs = Timeout)
{
    run.control.send(continueRequest(advanceCount));
    return spinUntil([&] { return run.data.disconnected; }, timeoutMs);
}

/// continueUntilDataEnd(), and the data client saw the normal end of stream (close 1000).
inline bool continueToNormalClose(SessionRun &run, quint64 advanceCount, int timeoutMs = Timeout)
{
    return continueUntilDataEnd(run, advanceCount, timeoutMs) && run.data.closedNormally();
}

/// Send an attach until it is not refused as busy; returns the index of the
/// sessionAttached frame (-1 on any other outcome).
inline qsizetype attachUntilAccepted(ControlClient &client, const QByteArray &request)
{
    for (int attempt = 0; attempt < 200; ++attempt) {
        const qsizetype mark = client.frames.size();
        client.send(request);
        if (!client.waitForEnd(mark, {u"error"_s, u"sessionAttached"_s}))
            return -1;
        const QString answer = client.described(mark).first();
        if (answer == u"sessionAttached"_s)
            return mark;
        if (answer != u"error:sessionOwnershipBusy"_s)
            return -1;
        QTest::qWait(10);
    }
    return -1;
}

} // namespace RefServerTest
