#include "net/controlmanager.h"
#include "net/logging.h"
#include "net/overloaded.h"

#include <algorithm>
#include <chrono>

using namespace Qt::StringLiterals;

namespace SlotScope {

namespace Internal {

// Short text of a sent request for the protocol console.
static QString describeRequest(const ControlRequest &request)
{
    return std::visit(Overloaded{
        [](const Requests::CreateBacktestSession &r) {
            return u"create %1–%2"_s.arg(r.params.startSlot).arg(r.params.endSlot);
        },
        [](const Requests::Continue &r) {
            return u"continue %1 slot(s)"_s.arg(r.params.advanceCount);
        },
        [](const Requests::ContinueTo &r) {
            return r.params.batchIndex ? u"continue to %1/%2"_s.arg(r.params.slot).arg(*r.params.batchIndex)
                                       : u"continue to %1"_s.arg(r.params.slot);
        },
        [](const Requests::AttachBacktestSession &r) {
            return r.lastSequence ? u"attach %1 after seq %2"_s.arg(r.sessionId).arg(*r.lastSequence)
                                  : u"attach %1"_s.arg(r.sessionId);
        },
        [&request](const auto &) { return methodName(request); },
    }, request);
}

// Errors that answer (reject) the Continue in flight: the request itself was
// invalid, so the server will not send readyForContinue / paused for it.
static bool rejectsContinue(BacktestErrorKind kind)
{
    switch (kind) {
    case BacktestErrorKind::InvalidRequest:
    case BacktestErrorKind::InvalidTransactionEncoding:
    case BacktestErrorKind::InvalidTransactionFormat:
    case BacktestErrorKind::InvalidAccountEncoding:
    case BacktestErrorKind::InvalidAccountOwner:
    case BacktestErrorKind::InvalidAccountPubkey:
        return true;
    default:
        return false;
    }
}

// Frames that show the server acted on the Continue / Continue-to in flight
// (anything it only sends while executing or answering a step).
static bool showsStepActedOn(const ControlResponse &response)
{
    return std::holds_alternative<Responses::Status>(response)
           || std::holds_alternative<Responses::SlotNotification>(response)
           || std::holds_alternative<Responses::ReadyForContinue>(response)
           || std::holds_alternative<Responses::Paused>(response)
           || std::holds_alternative<Responses::Completed>(response)
           || std::holds_alternative<Responses::Error>(response);
}

} // namespace Internal

ControlManager::ControlManager(CreateSessionParams params, ConnectionPolicy policy, QObject *parent)
    : WebSocketConnection(policy, parent)
    , m_params(std::move(params))
{
    // Keep the session alive across a control drop so it can be re-attached
    // (PROTOCOL.md §3.1, §7; the server clamps to 900 s): at least as long as
    // the reconnect budget lasts.
    const qint64 budgetSecs = std::chrono::ceil<std::chrono::seconds>(policy.maxTotal).count();
    const auto floorSecs = quint16(std::clamp<qint64>(budgetSecs, 1, 900));
    if (!m_params.disconnectTimeoutSecs) {
        m_params.disconnectTimeoutSecs = 900;
    } else if (*m_params.disconnectTimeoutSecs < floorSecs) {
        qCInfo(lcNet) << "disconnectTimeoutSecs" << *m_params.disconnectTimeoutSecs
                      << "is shorter than the reconnect budget; using" << floorSecs;
        m_params.disconnectTimeoutSecs = floorSecs;
    }
}

bool ControlManager::sendRequest(const ControlRequest &request, const QString &summaryPrefix)
{
    if (!sendText(encodeControlRequest(request)))
        return false;
    FrameLogEntry entry;
    entry.at = QDateTime::currentDateTimeUtc();
    entry.direction = FrameDirection::Sent;
    entry.method = methodName(request);
    entry.summary = summaryPrefix + Internal::describeRequest(request);
    Q_EMIT frameLogged(entry);
    return true;
}

void ControlManager::beginHandshake()
{
    if (!m_session) {
        // A create interrupted before sessionCreated is simply sent again; the
        // abandoned attempt's frames and sequence numbers mean nothing now.
        m_stage = Stage::Creating;
        m_startupFrames.clear();
        m_lastSequence.reset();
        sendRequest(Requests::CreateBacktestSession{m_params});
        return;
    }
    m_stage = Stage::Attaching;
    sendRequest(Requests::AttachBacktestSession{m_session->sessionId, m_lastSequence});
}

void ControlManager::logReceived(const ControlFrame &frame, bool droppedAsDuplicate)
{
    FrameLogEntry entry;
    entry.at = QDateTime::currentDateTimeUtc();
    entry.direction = FrameDirection::Received;
    entry.method = methodName(frame.response);
    entry.seqId = frame.seqId;
    entry.summary = describe(frame.response);
    entry.droppedAsDuplicate = droppedAsDuplicate;
    Q_EMIT frameLogged(entry);
}

void ControlManager::handleText(QByteArrayView utf8)
{
    Result<ControlFrame> decoded = decodeControlResponse(utf8);
    if (!decoded) {
        ++m_malformedFrames;
        dropFrame(decoded.error().message, utf8);
        FrameLogEntry entry;
        entry.at = QDateTime::currentDateTimeUtc();
        entry.summary = decoded.error().message;
        entry.malformed = true;
        Q_EMIT frameLogged(entry);
        return;
    }
    const ControlFrame &frame = *decoded;

    // Replay dedup (PROTOCOL.md §2.3, §6.4): drop anything at or below the
    // highest seqId already delivered.
    if (frame.seqId) {
        if (m_lastSequence && *frame.seqId <= *m_lastSequence) {
            ++m_duplicatesDropped;
            logReceived(frame, true);
            return;
        }
        m_lastSequence = frame.seqId;
    }
    logReceived(frame, false);
    // Unsequenced frames of a handshake (its own errors) say nothing about the step.
    if (m_inFlight && (frame.seqId || m_stage == Stage::Streaming) && Internal::showsStepActedOn(frame.response))
        m_inFlightActedOn = true;

    switch (m_stage) {
    case Stage::Creating:
        handleCreateStage(frame);
        return;
    case Stage::Attaching:
    case Stage::Resuming:
        handleAttachStage(frame);
        return;
    case Stage::Streaming:
        dispatch(frame);
        return;
    }
}

void ControlManager::handleCreateStage(const ControlFrame &frame)
{
    if (const auto *created = std::get_if<Responses::SessionCreated>(&frame.response)) {
        m_session = created->info;
        m_stage = Stage::Streaming;
        const QList<ControlFrame> startup = std::exchange(m_startupFrames, {});
        handshakeSucceeded();
        if (!isRunning())
            return;
        Q_EMIT sessionCreated(*m_session);
        for (const ControlFrame &early : startup) {
            if (!isRunning())
                return;
            dispatch(early);
        }
        return;
    }
    if (const auto *error = std::get_if<Responses::Error>(&frame.response)) {
        const BacktestError &e = error->error;
        if (e.kind == BacktestErrorKind::SessionOwnershipBusy)
            handshakeFailed(HandshakeError::transient(tr("create contended: %1").arg(e.message())));
        else
            handshakeFailed(HandshakeError::fatal(tr("session create failed: %1").arg(e.message())));
        return;
    }
    // Startup statuses etc. may precede sessionCreated (PROTOCOL.md §6.1).
    m_startupFrames.append(frame);
}

void ControlManager::handleAttachStage(const ControlFrame &frame)
{
    if (const auto *attached = std::get_if<Responses::SessionAttached>(&frame.response)) {
        if (m_stage != Stage::Attaching)
            return;
        if (!attached->info.rpcEndpoint.isEmpty())
            m_session->rpcEndpoint = attached->info.rpcEndpoint;
        if (attached->info.taskId)
            m_session->taskId = attached->info.taskId;
        m_stage = Stage::Resuming;
        sendRequest(Requests::ResumeAttachedSession{});
        return;
    }
    if (std::holds_alternative<Responses::Success>(frame.response)) {
        if (m_stage != Stage::Resuming)
            return;
        m_stage = Stage::Streaming;
        // Replay is over: before Up (and before anyone can queue a new step),
        // settle the step that was in flight or waiting across the drop.
        sendStepAfterReattach();
        if (phase() != Phase::Handshaking)
            return; // stopped from a frameLogged() listener
        handshakeSucceeded();
        if (isRunning())
            Q_EMIT sessionReattached(*m_session);
        return;
    }
    if (const auto *error = std::get_if<Responses::Error>(&frame.response)) {
        const BacktestError &e = error->error;
        const QString stage = m_stage == Stage::Attaching ? tr("attach") : tr("resume");
        if (e.kind == BacktestErrorKind::SessionOwnershipBusy) {
            handshakeFailed(HandshakeError::transient(tr("%1 contended: %2").arg(stage, e.message())));
            return;
        }
        // The handshake's own answer carries no seqId. A sequenced error is a
        // replayed session event (e.g. a refused step), and a terminal one is
        // the session's own end, not a rejection of the attach: deliver them
        // like any other event (a terminal one then fails the loop).
        if (!frame.seqId && !e.isTerminal()) {
            handshakeFailed(HandshakeError::fatal(tr("%1 rejected: %2").arg(stage, e.message())));
            return;
        }
    }
    // Replayed events (already deduplicated by seqId) are new to us.
    dispatch(frame);
}

void ControlManager::dispatch(const ControlFrame &frame)
{
    std::visit(Internal::Overloaded{
        [&](const Responses::ReadyForContinue &) {
            m_inFlight.reset();
            Q_EMIT eventReceived(frame);
        },
        [&](const Responses::Paused &) {
            m_inFlight.reset();
            Q_EMIT eventReceived(frame);
        },
        [&](const Responses::Completed &) {
            m_inFlight.reset();
            m_pending.reset();
            m_completed = true;
            Q_EMIT eventReceived(frame);
        },
        [&](const Responses::Error &error) {
            if (Internal::rejectsContinue(error.error.kind))
                m_inFlight.reset();
            Q_EMIT eventReceived(frame);
            if (error.error.isTerminal() && isRunning())
                fail(FailureKind::Terminal, tr("session failed: %1").arg(error.error.message()));
        },
        [&](const Responses::SlotNotification &) { Q_EMIT eventReceived(frame); },
        [&](const Responses::Status &) { Q_EMIT eventReceived(frame); },
        [&](const Responses::DiscoveryBatch &) { Q_EMIT eventReceived(frame); },
        [&](const Responses::Success &) {
            // Acknowledgement (close / resume); nothing for the session.
        },
        [&](const auto &) {
            qCDebug(lcNet) << "ignoring an unexpected" << methodName(frame.response)
                           << "on a single-session control connection";
        },
    }, frame.response);
}

Result<void> ControlManager::requestStep(const ControlRequest &request)
{
    if (!m_session)
        return makeError(tr("the session has not been created yet"));
    if (m_completed)
        return makeError(tr("the session has completed"));
    if (!isRunning() || phase() == Phase::Closing)
        return makeError(tr("the control connection has stopped"));
    if (m_inFlight || m_pending)
        return makeError(tr("a Continue is already in flight"));
    if (phase() != Phase::Up) {
        // Reconnecting: sent once, right after the re-attach (sendStepAfterReattach).
        qCDebug(lcNet) << methodName(request) << "requested while the control connection is down; sent after the re-attach";
        m_pending = request;
        return {};
    }
    if (!sendRequest(request))
        return makeError(tr("the control connection is not up"));
    m_inFlight = request;
    m_inFlightActedOn = false;
    return {};
}

void ControlManager::sendStepAfterReattach()
{
    if (m_inFlight && !m_inFlightActedOn) {
        // Nothing replayed shows the server got it: it may have been lost with
        // the old socket. Once per re-attach; a duplicate that still crossed
        // the original would be refused as premature, never run twice.
        qCInfo(lcNet).noquote() << "the server never acted on the" << methodName(*m_inFlight)
                                << "sent before the drop; sending it again";
        if (sendRequest(*m_inFlight, tr("again: ")))
            ++m_continuesResent;
        return;
    }
    if (m_pending) {
        const ControlRequest request = *std::exchange(m_pending, std::nullopt);
        if (sendRequest(request)) {
            m_inFlight = request;
            m_inFlightActedOn = false;
        } else {
            m_pending = request; // the socket went away again; next re-attach
        }
    }
}

Result<void> ControlManager::sendContinue(const ContinueParams &params)
{
    return requestStep(Requests::Continue{params});
}

Result<void> ControlManager::sendContinueTo(const ContinueToParams &params)
{
    return requestStep(Requests::ContinueTo{params});
}

void ControlManager::sendCloseRequest()
{
    // Makes the server reap the runtime now instead of after the disconnect
    // timeout (seed `graceful_close`).
    if (m_session)
        sendRequest(Requests::CloseBacktestSession{});
}

bool ControlManager::endsOnLoss(const ConnectionLoss &loss)
{
    if (!m_completed)
        return false;
    qCDebug(lcNet) << "control connection ended after completed:" << loss.reason;
    return true;
}

} // namespace SlotScope
