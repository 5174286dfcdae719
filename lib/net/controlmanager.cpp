#include "net/controlmanager.h"
#include "net/logging.h"
#include "net/overloaded.h"

#include <algorithm>
#include <chrono>

using namespace Qt::StringLiterals;

namespace SlotScope {

ControlManager::ControlManager(CreateSessionParams params, ConnectionPolicy policy, QObject *parent)
    : ControlConnection(std::move(params), policy, parent)
{
}

void ControlManager::beginHandshake()
{
    if (!m_session) {
        // A create interrupted before sessionCreated is simply sent again.
        sendCreate();
        return;
    }
    m_stage = Stage::Attaching;
    sendRequest(Requests::AttachBacktestSession{m_session->sessionId, lastSequence()});
}

void ControlManager::sendCreate()
{
    // The abandoned attempt's frames and sequence numbers mean nothing now.
    m_stage = Stage::Creating;
    m_startupFrames.clear();
    clearSequences();
    sendRequest(Requests::CreateBacktestSession{m_params});
}

void ControlManager::handleFrame(const ControlFrame &frame)
{
    // Replay dedup (PROTOCOL.md §2.3, §6.4): drop anything at or below the
    // highest seqId already delivered.
    if (frame.seqId && !admitSequence({}, *frame.seqId)) {
        logReceived(frame, true);
        return;
    }
    logReceived(frame, false);
    // Unsequenced frames of a handshake (its own errors) say nothing about the step.
    if (frame.seqId || m_stage == Stage::Streaming) {
        m_step.noteActivity(frame.response);
        if (m_step.isActedOn())
            dropHeldRefusal({});
    }

    ControlConnection::handleFrame(frame);
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
            handleStreamingFrame(early);
        }
        return;
    }
    if (const auto *error = std::get_if<Responses::Error>(&frame.response)) {
        if (respellCreateOnce(error->error)) {
            sendCreate();
            return;
        }
        failHandshake(error->error, tr("create"), tr("session create failed"));
        return;
    }
    // Startup statuses etc. may precede sessionCreated (PROTOCOL.md §6.1).
    m_startupFrames.append(frame);
    if (const auto *status = std::get_if<Responses::Status>(&frame.response))
        Q_EMIT startupStatusReceived(status->status);
}

void ControlManager::handleAttachStage(const ControlFrame &frame)
{
    if (phase() == Phase::Closing) {
        // A terminal error replayed during the re-attach: the session is
        // being closed (failAfterClosing()); what follows is no handshake
        // (a `success` answers the close).
        handleStreamingFrame(frame);
        return;
    }
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
        if (m_stage == Stage::Resuming)
            finishReattach();
        return;
    }
    if (const auto *error = std::get_if<Responses::Error>(&frame.response)) {
        const BacktestError &e = error->error;
        // A server without resume refuses it as an invalid request: the
        // session is attached (sessionAttached came), so carry on
        // (PROTOCOL-0.31 §6.3 step 4). A refused attach stays fatal: on this
        // socket there is then no session (PROTOCOL.md §4.11).
        if (m_stage == Stage::Resuming && !frame.seqId && e.kind == BacktestErrorKind::InvalidRequest) {
            qCInfo(lcNet) << "the server refused resumeAttachedSession as an invalid request; carrying on";
            finishReattach();
            return;
        }
        const QString stage = m_stage == Stage::Attaching ? tr("attach") : tr("resume");
        // The handshake's own answer carries no seqId. A sequenced error is a
        // replayed session event (e.g. a refused step), and a terminal one is
        // the session's own end, not a rejection of the attach: deliver them
        // like any other event (a terminal one then fails the loop).
        if (e.kind == BacktestErrorKind::SessionOwnershipBusy || (!frame.seqId && !e.isTerminal())) {
            failHandshake(e, stage, tr("%1 rejected").arg(stage));
            return;
        }
    }
    // Replayed events (already deduplicated by seqId) are new to us.
    handleStreamingFrame(frame);
}

void ControlManager::finishReattach()
{
    m_stage = Stage::Streaming;
    // Replay is over: before Up (and before anyone can queue a new step),
    // settle the step that was in flight or waiting across the drop.
    sendStepAfterReattach();
    if (phase() != Phase::Handshaking)
        return; // stopped from a frameLogged() listener
    handshakeSucceeded();
    if (isRunning())
        Q_EMIT sessionReattached(*m_session);
}

void ControlManager::handleStreamingFrame(const ControlFrame &frame)
{
    std::visit(Internal::Overloaded{
        [&](const Responses::ReadyForContinue &) {
            // The late ready of the pause the step in flight followed (the
            // session drops it too) leaves that step in flight (StepTracker).
            m_step.readyArrived();
            Q_EMIT eventReceived(frame);
        },
        [&](const Responses::Paused &) {
            m_step.pausedArrived();
            Q_EMIT eventReceived(frame);
        },
        [&](const Responses::Completed &) {
            m_step.clearStep();
            m_pending.reset();
            m_completed = true;
            Q_EMIT eventReceived(frame);
            closeAnswered(); // closing after a terminal error: nothing more to wait for
        },
        [&](const Responses::Error &error) {
            if (rejectsStep(error.error) && m_step.refusalAnswersCopy()) {
                m_step.copyRefused();
                dropRefusalOfCopy({});
                return;
            }
            if (rejectsStep(error.error) && m_step.refusalMayAnswerCopy()) {
                holdRefusal({}, [this, frame] {
                    if (!m_step.refusalMayAnswerCopy())
                        return; // answered meanwhile
                    m_step.stepRefused();
                    Q_EMIT eventReceived(frame);
                });
                return;
            }
            if (rejectsStep(error.error))
                m_step.stepRefused();
            Q_EMIT eventReceived(frame);
            if (error.error.isTerminal() && isRunning() && phase() != Phase::Closing)
                failAfterClosing(FailureKind::Terminal, tr("session failed: %1").arg(error.error.message()));
        },
        [&](const Responses::SlotNotification &) { Q_EMIT eventReceived(frame); },
        [&](const Responses::Status &) { Q_EMIT eventReceived(frame); },
        [&](const Responses::DiscoveryBatch &) { Q_EMIT eventReceived(frame); },
        [&](const Responses::Success &) {
            // Acknowledgement (close / resume); nothing for the session.
            closeAnswered();
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
    if (m_step.hasStep() || m_pending)
        return makeError(tr("a Continue is already in flight"));
    if (phase() != Phase::Up) {
        // Reconnecting: sent once, right after the re-attach (sendStepAfterReattach).
        qCDebug(lcNet) << methodName(request) << "requested while the control connection is down; sent after the re-attach";
        m_pending = request;
        return {};
    }
    if (!sendRequest(request))
        return makeError(tr("the control connection is not up"));
    m_step.stepSent(request);
    return {};
}

void ControlManager::sendStepAfterReattach()
{
    if (const ControlRequest *step = m_step.step(); step && !m_step.isActedOn()) {
        // Nothing replayed so far shows the server got it; the replay may
        // still follow the resume's answer.
        resendUnansweredStepsAfterReplay();
        return;
    }
    if (m_pending) {
        const ControlRequest request = *std::exchange(m_pending, std::nullopt);
        if (sendRequest(request)) {
            m_step.stepSent(request);
        } else {
            m_pending = request; // the socket went away again; next re-attach
        }
    }
}

void ControlManager::resendUnansweredSteps()
{
    const ControlRequest *step = m_step.step();
    if (!step || m_step.isActedOn() || m_completed)
        return;
    // Nothing replayed shows the server got it: it was lost with the old
    // socket. Once per re-attach; a duplicate that still crossed the original
    // would be refused as premature, never run twice.
    qCInfo(lcNet).noquote() << "the server never acted on the" << methodName(*step)
                            << "sent before the drop; sending it again";
    if (sendRequest(*step, tr("again: "))) {
        discardHeldRefusal({});
        m_step.copySent(0);
        ++m_continuesResent;
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
