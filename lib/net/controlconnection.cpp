#include "net/controlconnection.h"

#include "net/logging.h"
#include "net/steptracker.h"
#include "protocol/runclock.h"

#include <algorithm>
#include <chrono>

using namespace Qt::StringLiterals;

namespace SlotScope {
namespace {

/// A frame log entry's time: the run clock's (the timeline's and coordinator's).
QDateTime logTime()
{
    return QDateTime::fromMSecsSinceEpoch(runClockMs(), Qt::UTC);
}

} // namespace

ControlConnection::ControlConnection(CreateSessionParams params, ConnectionPolicy policy, QObject *parent)
    : WebSocketConnection(policy, parent)
    , m_params(std::move(params))
{
    const quint16 effective = effectiveDisconnectTimeoutSecs(m_params.disconnectTimeoutSecs, policy);
    if (m_params.disconnectTimeoutSecs && *m_params.disconnectTimeoutSecs != effective) {
        qCInfo(lcNet) << "disconnectTimeoutSecs" << *m_params.disconnectTimeoutSecs
                      << "is shorter than the reconnect budget; using" << effective;
    }
    m_params.disconnectTimeoutSecs = effective;
    m_replayGraceTimer.setSingleShot(true);
    connect(&m_replayGraceTimer, &QTimer::timeout, this, [this] {
        if (phase() == Phase::Up && m_stage == Stage::Streaming)
            resendUnansweredSteps(); // else a re-attach (or the end) is under way: it decides
    });
}

bool ControlConnection::respellCreateOnce(const BacktestError &error)
{
    if (m_createRespelled || !respellDiscoveryVariants(error.message(), m_params))
        return false;
    m_createRespelled = true;
    QStringList spellings;
    for (auto it = m_params.discoveryVariantSpellings.cbegin(); it != m_params.discoveryVariantSpellings.cend(); ++it)
        spellings.append(it.key() + u" → "_s + it.value());
    qCInfo(lcNet).noquote() << u"the server spells discovery filters its own way (%1); sending the create again"_s
                                   .arg(spellings.join(u", "_s));
    return true;
}

void ControlConnection::resendUnansweredStepsAfterReplay()
{
    m_replayGraceTimer.start(policy().reattachReplayGrace);
}

void ControlConnection::holdRefusal(const QString &sessionId, std::function<void()> deliver)
{
    const quint64 serial = ++m_lastHoldSerial;
    m_heldRefusals.insert(sessionId, serial);
    qCInfo(lcNet).noquote() << "a step" << (sessionId.isEmpty() ? QString() : u"of "_s + sessionId)
                            << "sent again was refused before anything showed the server running the first: held"
                            << policy().duplicateRefusalHold.count() << "ms for that one's frames";
    QTimer::singleShot(policy().duplicateRefusalHold, this, [this, sessionId, serial, deliver = std::move(deliver)] {
        if (m_heldRefusals.value(sessionId) != serial)
            return; // dropped, or held anew
        m_heldRefusals.remove(sessionId);
        if (!isRunning())
            return; // the loop ended: nobody waits for the step any more
        qCInfo(lcNet).noquote() << "nothing of the step" << sessionId << "came: its refusal stands";
        deliver();
    });
}

void ControlConnection::dropHeldRefusal(const QString &sessionId)
{
    if (!m_heldRefusals.remove(sessionId))
        return;
    ++m_refusalsOfCopiesDropped;
    qCInfo(lcNet).noquote() << "the server is running the step" << sessionId
                            << "sent before the drop: the refusal of the copy answered the copy only";
}

void ControlConnection::dropRefusalOfCopy(const QString &sessionId)
{
    ++m_refusalsOfCopiesDropped;
    qCInfo(lcNet).noquote() << "a step" << (sessionId.isEmpty() ? QString() : u"of "_s + sessionId)
                            << "sent again was refused after the server showed it running the first:"
                            << "the refusal answered the copy only";
}

void ControlConnection::discardHeldRefusal(const QString &sessionId)
{
    if (m_heldRefusals.remove(sessionId))
        qCInfo(lcNet).noquote() << "the step" << sessionId << "goes out again: the refusal held for its last copy is set aside";
}

quint16 ControlConnection::effectiveDisconnectTimeoutSecs(std::optional<quint16> requested,
                                                          const ConnectionPolicy &policy)
{
    if (!requested)
        return kMaxDisconnectTimeoutSecs;
    // Keep the session alive across a control drop so it can be re-attached:
    // at least as long as the reconnect budget lasts.
    const qint64 budgetSecs = std::chrono::ceil<std::chrono::seconds>(policy.maxTotal).count();
    const auto floorSecs = quint16(std::clamp<qint64>(budgetSecs, 1, kMaxDisconnectTimeoutSecs));
    return std::max(*requested, floorSecs);
}

bool ControlConnection::rejectsStep(const BacktestError &error)
{
    return StepTracker::isRefusal(error);
}

void ControlConnection::handleText(QByteArrayView utf8)
{
    Result<ControlFrame> decoded = decodeControlResponse(utf8);
    if (!decoded) {
        FrameLogEntry entry;
        entry.at = logTime();
        if (const std::optional<UnrecognizedControlFrame> unknown = unrecognizedControlFrame(utf8)) {
            // A newer server's message: shown and skipped, nothing lost.
            ++m_unrecognizedFrames;
            qCInfo(lcNet).noquote() << "ignoring a frame with the unknown method" << unknown->method
                                    << unknown->sessionId;
            entry.method = unknown->method;
            entry.seqId = unknown->seqId;
            entry.sessionId = unknown->sessionId;
            entry.summary = tr("unknown method, ignored: %1")
                                .arg(QString::fromUtf8(utf8.first(std::min<qsizetype>(utf8.size(), 200))));
        } else {
            ++m_malformedFrames;
            dropFrame(decoded.error().message, utf8); // logged, counted, frameDropped()
            entry.summary = decoded.error().message;
            entry.malformed = true;
        }
        Q_EMIT frameLogged(entry);
        return;
    }
    handleFrame(*decoded);
}

void ControlConnection::handleFrame(const ControlFrame &frame)
{
    switch (m_stage) {
    case Stage::Creating:
        handleCreateStage(frame);
        return;
    case Stage::Attaching:
    case Stage::Resuming:
        handleAttachStage(frame);
        return;
    case Stage::Streaming:
        handleStreamingFrame(frame);
        return;
    }
}

bool ControlConnection::sendRequest(const ControlRequest &request, const QString &summaryPrefix)
{
    if (!sendText(encodeControlRequest(request)))
        return false;
    FrameLogEntry entry;
    entry.at = logTime();
    entry.direction = FrameDirection::Sent;
    entry.method = methodName(request);
    entry.summary = summaryPrefix + describe(request);
    Q_EMIT frameLogged(entry);
    return true;
}

void ControlConnection::logReceived(const ControlFrame &frame, bool droppedAsDuplicate)
{
    FrameLogEntry entry;
    entry.at = logTime();
    entry.direction = FrameDirection::Received;
    entry.method = methodName(frame.response);
    entry.seqId = frame.seqId;
    if (const auto *event = std::get_if<Responses::SessionEventV2>(&frame.response)) {
        entry.seqId = event->seqId;
        entry.sessionId = event->sessionId;
    }
    entry.summary = describe(frame.response);
    entry.droppedAsDuplicate = droppedAsDuplicate;
    Q_EMIT frameLogged(entry);
}

bool ControlConnection::admitSequence(const QString &cursor, quint64 seqId)
{
    const auto it = m_cursors.find(cursor);
    if (it != m_cursors.end() && seqId <= *it) {
        ++m_duplicatesDropped;
        return false;
    }
    // Only a number at or below the cursor is dropped (PROTOCOL.md §2.3, as
    // the seed's route_event); a jump is taken as it comes (whether a server
    // may skip numbers is open, PROTOCOL.md Q2), but never unsaid.
    if (it != m_cursors.end() && seqId > *it + 1) {
        m_sequenceNumbersSkipped += seqId - *it - 1;
        qCInfo(lcNet).noquote() << "the sequence of" << (cursor.isEmpty() ? u"the session"_s : cursor) << "jumped from"
                                << *it << "to" << seqId << "(" << (seqId - *it - 1) << "numbers never received)";
    }
    m_cursors.insert(cursor, seqId);
    return true;
}

std::optional<quint64> ControlConnection::lastSequenceOf(const QString &cursor) const
{
    const auto it = m_cursors.constFind(cursor);
    return it == m_cursors.cend() ? std::nullopt : std::optional<quint64>(*it);
}

void ControlConnection::failHandshake(const BacktestError &error, const QString &stage, const QString &failure)
{
    if (error.kind == BacktestErrorKind::SessionOwnershipBusy)
        handshakeFailed(HandshakeError::transient(tr("%1 contended: %2").arg(stage, error.message())));
    else
        handshakeFailed(HandshakeError::fatal(tr("%1: %2").arg(failure, error.message())));
}

} // namespace SlotScope
