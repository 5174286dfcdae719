#include "refserver/controlconnection.h"

#include "protocol/controlmessages.h"
#include "refserver/backtestsession.h"
#include "refserver/faultinjection.h"
#include "refserver/logging.h"
#include "refserver/parallelbatch.h"
#include "refserver/sessionregistry.h"

#include <QTcpSocket>
#include <QWebSocket>

#include <type_traits>
#include <utility>

#ifdef Q_OS_LINUX
#include <linux/sockios.h>
#include <sys/ioctl.h>
#endif

using namespace Qt::StringLiterals;

namespace SlotScope::Internal {

namespace {

/// Longest wait for the client to acknowledge what an aborting connection wrote.
constexpr qint64 AbortFlushTimeoutMs = 2000;

/// Bytes written to `tcp` the peer has not acknowledged yet: Qt's write buffer
/// plus the kernel's send queue (Linux SIOCOUTQ; elsewhere Qt's buffer only).
qint64 unacknowledgedBytes(QTcpSocket *tcp)
{
    qint64 pending = tcp->bytesToWrite();
#ifdef Q_OS_LINUX
    int queued = 0;
    if (tcp->socketDescriptor() >= 0 && ::ioctl(int(tcp->socketDescriptor()), SIOCOUTQ, &queued) == 0)
        pending += queued;
#endif
    return pending;
}

} // namespace

ControlConnection::ControlConnection(int connectionId, QWebSocket *socket, QTcpSocket *tcp, const QByteArray &apiKey,
                                     SessionRegistry *registry, QObject *parent)
    : QObject(parent)
    , m_connectionId(connectionId)
    , m_socket(socket)
    , m_tcp(tcp)
    , m_apiKey(apiKey)
    , m_registry(registry)
    , m_delayTimer(this)
{
    m_clock.start();
    m_delayTimer.setSingleShot(true);
    connect(&m_delayTimer, &QTimer::timeout, this, &ControlConnection::writeDueFrames);
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
    return (m_tcp ? m_tcp->bytesToWrite() : m_socket->bytesToWrite()) + m_delayedBytes;
}

void ControlConnection::sendFrame(const QByteArray &json)
{
    if (!isOpen() || m_fault != Fault::None)
        return;
    const int delayMs = m_faults ? m_faults->faults().frameDelayMs : 0;
    if (delayMs <= 0) {
        writeFrame(json);
        return;
    }
    // A constant latency: each frame leaves delayMs after it was produced.
    m_delayed.append(DelayedFrame{m_clock.elapsed() + delayMs, json});
    m_delayedBytes += json.size();
    if (!m_delayTimer.isActive())
        m_delayTimer.start(delayMs);
}

void ControlConnection::writeDueFrames()
{
    while (!m_delayed.isEmpty() && m_fault == Fault::None && isOpen()) {
        const qint64 wait = m_delayed.constFirst().dueMs - m_clock.elapsed();
        if (wait > 0) {
            m_delayTimer.start(int(wait));
            return;
        }
        const DelayedFrame frame = m_delayed.takeFirst();
        m_delayedBytes -= frame.json.size();
        writeFrame(frame.json);
    }
    if (m_delayed.isEmpty() && m_closeAfterDelayed && m_fault == Fault::None)
        m_socket->close(QWebSocketProtocol::CloseCodeNormal, *std::exchange(m_closeAfterDelayed, std::nullopt));
}

void ControlConnection::writeFrame(const QByteArray &json)
{
    m_socket->sendTextMessage(QString::fromUtf8(json));
    if (!m_faults)
        return;
    ++m_framesWritten;
    if (const QByteArray garbage = m_faults->garbageAfterFrame(); !garbage.isEmpty())
        m_socket->sendTextMessage(QString::fromUtf8(garbage));
    switch (m_faults->afterFrame(m_framesWritten)) {
    case ControlFaultInjector::AfterFrame::Continue:
        return;
    case ControlFaultInjector::AfterFrame::Abort:
        abortAfterFlush(u"abort after %1 frames"_s.arg(m_framesWritten));
        return;
    case ControlFaultInjector::AfterFrame::GoSilent:
        goSilent();
        return;
    }
}

void ControlConnection::stepEnding()
{
    if (m_fault == Fault::None && m_faults && m_faults->abortAtStepEnd())
        abortAfterFlush(u"abort before a step end"_s);
}

bool ControlConnection::stepRequestFault(const QString &method)
{
    if (!m_faults)
        return true;
    const ControlFaultInjector::StepRequest fault = m_faults->stepRequest();
    if (fault != ControlFaultInjector::StepRequest::Lose && m_session && m_faults->stepStartDelayMs() > 0)
        m_session->delayNextStep(m_faults->stepStartDelayMs());
    switch (fault) {
    case ControlFaultInjector::StepRequest::Act:
        return true;
    case ControlFaultInjector::StepRequest::Lose:
        abortAfterFlush(method + u" lost, never acted on"_s);
        return false;
    case ControlFaultInjector::StepRequest::ActThenAbort:
        // Aborting from here on: nothing the step sends leaves this socket.
        abortAfterFlush(method + u" acted on, the socket aborted before any of it was sent"_s);
        return true;
    }
    return true;
}

void ControlConnection::abortAfterFlush(const QString &why)
{
    if (m_fault != Fault::None)
        return;
    m_fault = Fault::Aborting;
    m_delayed.clear();
    m_delayedBytes = 0;
    m_delayTimer.stop();
    m_closeAfterDelayed.reset();
    qCInfo(lcRefServer).noquote() << "control connection" << m_connectionId << "fault:" << why
                                  << "(no close frame)";
    m_abortWait.start();
    // From the event loop: the caller (a session sending a frame) must not see
    // its control connection vanish under it.
    QTimer::singleShot(0, this, &ControlConnection::pollAbort);
}

void ControlConnection::pollAbort()
{
    if (!m_tcp || m_tcp->state() != QAbstractSocket::ConnectedState)
        return;
    m_tcp->flush();
    // Only what the client's kernel acknowledged is safe from the reset an
    // abort may send (the client's unread requests make the close a RST).
    if (unacknowledgedBytes(m_tcp) > 0 && m_abortWait.elapsed() < AbortFlushTimeoutMs) {
        QTimer::singleShot(1, this, &ControlConnection::pollAbort);
        return;
    }
    m_tcp->abort();
}

void ControlConnection::goSilent()
{
    if (m_fault != Fault::None)
        return;
    m_fault = Fault::Silent;
    m_delayed.clear();
    m_delayedBytes = 0;
    m_delayTimer.stop();
    m_closeAfterDelayed.reset();
    qCInfo(lcRefServer) << "control connection" << m_connectionId << "fault: silent after" << m_framesWritten
                        << "frames (no frames, no pongs)";
    // QWebSocket parses (and answers pings) only on the TCP socket's readyRead;
    // without it nothing is read or answered, while the socket itself still
    // notices when the client closes it.
    if (m_tcp)
        QObject::disconnect(m_tcp.data(), &QIODevice::readyRead, nullptr, nullptr);
}

void ControlConnection::sendError(const BacktestError &error)
{
    sendFrame(encodeControlResponse(Responses::Error{error}));
}

void ControlConnection::reply(const BacktestError &error)
{
    if (m_session)
        m_session->sendRequestError(error);
    else
        sendError(error);
}

void ControlConnection::closeNormally(const QString &reason)
{
    if (m_fault != Fault::None)
        return; // aborting anyway, or silent until the client gives up
    if (!m_delayed.isEmpty()) {
        m_closeAfterDelayed = reason; // after the delayed frames (writeDueFrames)
        return;
    }
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
    if (m_fault != Fault::None)
        return; // a connection being aborted (or gone silent) no longer listens
    ParallelBatches *batches = ParallelBatches::of(m_registry);
    ParallelBatch *batch = m_session ? nullptr : batches->batchFor(this);
    m_registry->record(m_connectionId, TranscriptEntry::Kind::Control,
                       m_session ? m_session->id() : batch ? batch->id() : QString(), QString::fromUtf8(utf8));

    auto decoded = decodeControlRequest(utf8);
    if (!decoded) {
        reply(BacktestError::invalidRequest(decoded.error().message));
        return;
    }

    const auto noBatch = [this] {
        reply(BacktestError::invalidRequest(u"no parallel control session on this connection"_s));
    };
    std::visit(
        [this, batches, batch, &noBatch](auto &&request) {
            using T = std::decay_t<decltype(request)>;
            if constexpr (std::is_same_v<T, Requests::CreateBacktestSession>) {
                if (request.params.parallel || batch)
                    batches->create(this, request.params); // PROTOCOL.md §6.3, §8.7
                else
                    m_registry->createSession(this, request.params);
            } else if constexpr (std::is_same_v<T, Requests::AttachParallelControlSessionV2>) {
                batches->attach(this, request.controlSessionId, request.lastSequences); // §6.5
            } else if constexpr (std::is_same_v<T, Requests::ContinueSessionV1>) {
                batch ? batch->handleContinue(request.sessionId, request.request) : noBatch();
            } else if constexpr (std::is_same_v<T, Requests::ContinueToSessionV1>) {
                batch ? batch->handleContinueTo(request.sessionId, request.request) : noBatch();
            } else if constexpr (std::is_same_v<T, Requests::CloseSessionV1>) {
                batch ? batch->handleCloseSession(request.sessionId) : noBatch();
            } else if constexpr (std::is_same_v<T, Requests::AttachBacktestSession>) {
                m_registry->attachSession(this, request.sessionId, request.lastSequence);
            } else if constexpr (std::is_same_v<T, Requests::Continue>) {
                if (m_session && stepRequestFault(u"continue"_s))
                    m_session->handleContinue(request.params);
                else if (!m_session)
                    sendError(BacktestError::invalidRequest(u"no session on this connection"_s));
            } else if constexpr (std::is_same_v<T, Requests::ContinueTo>) {
                if (m_session && stepRequestFault(u"continueTo"_s))
                    m_session->handleContinueTo(request.params);
                else if (!m_session)
                    sendError(BacktestError::invalidRequest(u"no session on this connection"_s));
            } else if constexpr (std::is_same_v<T, Requests::ResumeAttachedSession>) {
                if (m_session)
                    m_session->answerResume();
                else
                    sendError(BacktestError::invalidRequest(u"no session attached to this connection"_s));
            } else if constexpr (std::is_same_v<T, Requests::CloseBacktestSession>) {
                // PROTOCOL.md §3.4, §8.8: success, drop the session, close the socket.
                if (batch) {
                    batch->close(); // closes every sub-session and the socket
                    return;
                }
                if (m_session) {
                    m_session->sendUnsequenced(Responses::Success{});
                    m_registry->dropSession(m_session->id(), u"session closed"_s, m_registry->closedByClientCode());
                    m_session = nullptr;
                } else {
                    sendFrame(encodeControlResponse(Responses::Success{}));
                }
                closeNormally(u"session closed"_s);
            }
        },
        *decoded);
}

} // namespace SlotScope::Internal
