#include "support/scriptedserver.h"

#include <QTest>

#include <zstd.h>

namespace SlotScope::Testing {

StreamCompressor::StreamCompressor(int level)
    : m_stream(ZSTD_createCStream())
{
    ZSTD_CCtx_setParameter(m_stream, ZSTD_c_compressionLevel, level);
}

StreamCompressor::~StreamCompressor()
{
    ZSTD_freeCStream(m_stream);
}

QByteArray StreamCompressor::compress(QByteArrayView message)
{
    QByteArray out;
    QByteArray chunk(qsizetype(ZSTD_CStreamOutSize()), Qt::Uninitialized);
    ZSTD_inBuffer input{message.data(), size_t(message.size()), 0};
    size_t remaining = 0;
    do {
        ZSTD_outBuffer output{chunk.data(), size_t(chunk.size()), 0};
        remaining = ZSTD_compressStream2(m_stream, &output, &input, ZSTD_e_flush);
        if (ZSTD_isError(remaining))
            qFatal("ZSTD_compressStream2: %s", ZSTD_getErrorName(remaining));
        out.append(chunk.constData(), qsizetype(output.pos));
    } while (remaining != 0);
    return out;
}

ScriptedServer::ScriptedServer()
    : PeerServer(QStringLiteral("scripted"))
{
}

ScriptedServer::~ScriptedServer() = default;

QUrl ScriptedServer::dataUrl(const QString &sessionId) const
{
    return urlFor(QStringLiteral("/backtest/") + sessionId);
}

void ScriptedServer::accepted(QWebSocket *socket)
{
    if (socket->requestUrl().path() == QStringLiteral("/backtest"))
        acceptControl(socket);
    else
        acceptData(socket);
}

void ScriptedServer::acceptControl(QWebSocket *socket)
{
    control = socket;
    connect(socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        Result<ControlRequest> request = decodeControlRequest(text.toUtf8());
        QVERIFY2(request.ok(), qPrintable(text));
        requests.append(*request);
        methods.append(methodName(*request));
        if (onRequest)
            onRequest(*request);
    });
}

void ScriptedServer::acceptData(QWebSocket *socket)
{
    ++dataConnections;
    data = socket;
    connect(socket, &QWebSocket::textMessageReceived, this, [this, socket](const QString &text) {
        Result<SubscribeRequest> request = decodeSubscribeRequest(text.toUtf8());
        QVERIFY2(request.ok(), qPrintable(text));
        subscribes.append(*request);
        dataByMethod.insert(request->method, socket);
        if (onSubscribeInstead) {
            onSubscribeInstead(socket, *request);
            return;
        }
        if (!autoAck)
            return;
        ack(*request, socket);
        if (afterAck)
            afterAck(*request);
    });
}

void ScriptedServer::send(const ControlResponse &response, std::optional<quint64> seqId)
{
    QVERIFY(control);
    control->sendTextMessage(QString::fromUtf8(encodeControlResponse(response, seqId)));
}

void ScriptedServer::sendSequenced(const ControlResponse &response)
{
    send(response, ++m_seq);
}

void ScriptedServer::sendRaw(const QByteArray &text)
{
    QVERIFY(control);
    control->sendTextMessage(QString::fromUtf8(text));
}

void ScriptedServer::ack(const SubscribeRequest &request, QWebSocket *socket)
{
    if (!socket)
        socket = data;
    QVERIFY(socket);
    if (request.zstd && honourZstd)
        m_compressors.insert(socket, std::make_shared<StreamCompressor>());
    socket->sendTextMessage(QString::fromUtf8(encodeSubscribeAck(request.requestId, subscriptionId)));
}

void ScriptedServer::sendData(const QByteArray &json, QWebSocket *socket)
{
    if (!socket)
        socket = data;
    QVERIFY(socket);
    if (const std::shared_ptr<StreamCompressor> compressor = m_compressors.value(socket)) {
        socket->sendBinaryMessage(compressor->compress(json));
        ++binaryFramesSent;
    } else {
        socket->sendTextMessage(QString::fromUtf8(json));
    }
}

void ScriptedServer::notify(const LoadedTransaction &transaction, QWebSocket *socket)
{
    sendData(encodeTransactionNotification(subscriptionId, transaction.json), socket);
}

void ScriptedServer::notifyDiff(const QByteArray &resultJson, QWebSocket *socket)
{
    sendData(encodeAccountDiffNotification(subscriptionId, resultJson), socket);
}

} // namespace SlotScope::Testing
