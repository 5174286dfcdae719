#include "net/controlmanager.h"
#include "net/logging.h"
#include "net/overloaded.h"

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

} // namespace Internal

ControlManager::ControlManager(CreateSessionParams params, ConnectionPolicy policy, QObject *parent)
    : WebSocketConnection(policy, parent)
    , m_params(std::move(params))
{
    // Keep the session alive across a control drop so it can be re-attached
    // (PROTOCOL.md §3.1; the server clamps to 900 s).
    if (!m_params.disconnectTimeoutSecs)
        m_params.disconnectTimeoutSecs = 900;
}

bool ControlManager::sendRequest(const ControlRequest &request)
{
    if (!sendText(encodeControlRequest(request)))
        return false;
    FrameLogEntry entry;
    entry.at = QDateTime::currentDateTimeUtc();
    entry.direction = FrameDirection::Sent;
    entry.method = methodName(request);
    entry.summary = Internal::describeRequest(request);
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
        qCWarning(lcNet).nospace() << "skipping a control frame: " << decoded.error().message
                                   << " (" << utf8.first(std::min<qsizetype>(utf8.size(), 200)).toByteArray() << ")";
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
        // A terminal error replayed during attach is the session's own end, not
        // a rejection of the attach; deliver it like any other event.
        if (!e.isTerminal()) {
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
            m_continueInFlight = false;
            Q_EMIT eventReceived(frame);
        },
        [&](const Responses::Paused &) {
            m_continueInFlight = false;
            Q_EMIT eventReceived(frame);
        },
        [&](const Responses::Completed &) {
            m_continueInFlight = false;
            m_completed = true;
            Q_EMIT eventReceived(frame);
        },
        [&](const Responses::Error &error) {
            if (Internal::rejectsContinue(error.error.kind))
                m_continueInFlight = false;
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

Result<void> ControlManager::checkCanContinue() const
{
    if (!m_session)
        return makeError(tr("the session has not been created yet"));
    if (m_completed)
        return makeError(tr("the session has completed"));
    if (phase() != Phase::Up)
        return makeError(tr("the control connection is not up"));
    if (m_continueInFlight)
        return makeError(tr("a Continue is already in flight"));
    return {};
}

Result<void> ControlManager::sendContinue(const ContinueParams &params)
{
    if (Result<void> ok = checkCanContinue(); !ok)
        return ok;
    if (!sendRequest(Requests::Continue{params}))
        return makeError(tr("the control connection is not up"));
    m_continueInFlight = true;
    return {};
}

Result<void> ControlManager::sendContinueTo(const ContinueToParams &params)
{
    if (Result<void> ok = checkCanContinue(); !ok)
        return ok;
    if (!sendRequest(Requests::ContinueTo{params}))
        return makeError(tr("the control connection is not up"));
    m_continueInFlight = true;
    return {};
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
