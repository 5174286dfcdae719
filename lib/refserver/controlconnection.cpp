#include "refserver/controlconnection.h"

#include "protocol/controlmessages.h"
#include "refserver/backtestsession.h"
#include "refserver/logging.h"
#include "refserver/sessionregistry.h"

#include <QTcpSocket>
#include <QWebSocket>

#include <type_traits>

using namespace Qt::StringLiterals;

namespace SlotScope::Internal {

ControlConnection::ControlConnection(int connectionId, QWebSocket *socket, QTcpSocket *tcp, const QByteArray &apiKey,
                                     SessionRegistry *registry, QObject *parent)
    : QObject(parent)
    , m_connectionId(connectionId)
    , m_socket(socket)
    , m_tcp(tcp)
    , m_apiKey(apiKey)
    , m_registry(registry)
{
    m_socket->setParent(this);
    connect(m_socket, &QWebSocket::textMessageReceived, this, &ControlConnection::onTextMessage);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, &ControlConnection::onBinaryMessage);
    connect(m_socket, &QWebSocket::disconnected, this, [this] {
        m_registry->controlClosed(this);
        m_session = nullptr;
        Q_EMIT finished(this);
    });
}

ControlConnection::~ControlConnection() = default;

bool ControlConnection::isOpen() const
{
    return m_socket->state() == QAbstractSocket::ConnectedState;
}

qint64 ControlConnection::pendingBytes() const
{
    return m_tcp ? m_tcp->bytesToWrite() : m_socket->bytesToWrite();
}

void ControlConnection::sendFrame(const QByteArray &json)
{
    if (isOpen())
        m_socket->sendTextMessage(QString::fromUtf8(json));
}

void ControlConnection::sendError(const BacktestError &error)
{
    sendFrame(encodeControlResponse(Responses::Error{error}));
}

void ControlConnection::reply(const BacktestError &error)
{
    if (m_session)
        m_session->send(Responses::Error{error});
    else
        sendError(error);
}

void ControlConnection::closeNormally(const QString &reason)
{
    m_socket->close(QWebSocketProtocol::CloseCodeNormal, reason);
}

void ControlConnection::onTextMessage(const QString &text)
{
    handleFrame(text.toUtf8());
}

void ControlConnection::onBinaryMessage(const QByteArray &data)
{
    // PROTOCOL.md §1.1: binary frames that are valid UTF-8 count as text.
    handleFrame(data);
}

void ControlConnection::handleFrame(const QByteArray &utf8)
{
    m_registry->record(m_connectionId, TranscriptEntry::Kind::Control, m_session ? m_session->id() : QString(),
                       QString::fromUtf8(utf8));

    auto decoded = decodeControlRequest(utf8);
    if (!decoded) {
        reply(BacktestError::invalidRequest(decoded.error().message));
        return;
    }

    std::visit(
        [this](auto &&request) {
            using T = std::decay_t<decltype(request)>;
            if constexpr (std::is_same_v<T, Requests::CreateBacktestSession>) {
                m_registry->createSession(this, request.params);
            } else if constexpr (std::is_same_v<T, Requests::AttachBacktestSession>) {
                m_registry->attachSession(this, request.sessionId, request.lastSequence);
            } else if constexpr (std::is_same_v<T, Requests::Continue>) {
                if (m_session)
                    m_session->handleContinue(request.params);
                else
                    sendError(BacktestError::invalidRequest(u"no session on this connection"_s));
            } else if constexpr (std::is_same_v<T, Requests::ContinueTo>) {
                if (m_session)
                    m_session->handleContinueTo(request.params);
                else
                    sendError(BacktestError::invalidRequest(u"no session on this connection"_s));
            } else if constexpr (std::is_same_v<T, Requests::ResumeAttachedSession>) {
                if (m_session)
                    m_session->send(Responses::Success{});
                else
                    sendError(BacktestError::invalidRequest(u"no session attached to this connection"_s));
            } else if constexpr (std::is_same_v<T, Requests::CloseBacktestSession>) {
                // PROTOCOL.md §3.4, §8.8: success, drop the session, close the socket.
                if (m_session) {
                    m_session->send(Responses::Success{});
                    m_registry->dropSession(m_session->id(), u"session closed"_s);
                    m_session = nullptr;
                } else {
                    sendFrame(encodeControlResponse(Responses::Success{}));
                }
                closeNormally(u"session closed"_s);
            } else {
                // continueSessionV1, continueToSessionV1, closeSessionV1,
                // attachParallelControlSessionV2: parallel mode comes later.
                reply(BacktestError::invalidRequest(
                    u"%1 is not supported by this reference server (no parallel sessions)"_s.arg(
                        methodName(ControlRequest(request)))));
            }
        },
        *decoded);
}

} // namespace SlotScope::Internal
