#include "net/parallelcontrolmanager.h"
#include "net/logging.h"
#include "net/overloaded.h"
#include "protocol/sessionids.h"

#include <QPointer>
#include <QTimer>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace SlotScope {

ParallelControlManager::ParallelControlManager(CreateSessionParams params, ConnectionPolicy policy,
                                               QObject *parent)
    : ControlConnection(std::move(params), policy, parent)
{
    m_params.parallel = true;
}

QMap<QString, quint64> ParallelControlManager::lastSequences() const
{
    QMap<QString, quint64> cursors;
    for (auto it = sequenceCursors().cbegin(); it != sequenceCursors().cend(); ++it)
        cursors.insert(it.key(), it.value());
    return cursors;
}

bool ParallelControlManager::isBatchCompleted() const
{
    return isCreated() && !m_subSessions.isEmpty() && m_done.size() >= m_subSessions.size();
}

std::chrono::milliseconds ParallelControlManager::handshakeResponseTimeout() const
{
    // The create streams for as long as the server needs to find capacity for
    // every sub-session (seed CREATE_RESPONSE_TIMEOUT, per read).
    return isCreated() ? policy().handshakeResponseTimeout : policy().parallelCreateReadTimeout;
}

void ParallelControlManager::beginHandshake()
{
    ++m_connections;
    if (!isCreated()) {
        // A create interrupted before sessionsCreatedV2 is sent again (seed `handshake`).
        sendCreate();
        return;
    }
    m_stage = Stage::Attaching;
    sendRequest(Requests::AttachParallelControlSessionV2{m_controlSessionId, lastSequences()});
}

QString ParallelControlManager::announcedForm(const QString &id)
{
    if (const auto known = m_announcedForms.constFind(id); known != m_announcedForms.cend())
        return *known;
    QString form = id;
    const QString key = sessionIdKey(id);
    for (const SessionInfo &info : std::as_const(m_announced)) {
        if (sessionIdKey(info.sessionId) == key)
            form = info.sessionId;
    }
    for (const ParallelSubSessionInfo &sub : std::as_const(m_subSessions)) {
        if (sessionIdKey(sub.info.sessionId) == key)
            form = sub.info.sessionId;
    }
    if (form != id || !m_subSessions.isEmpty())
        m_announcedForms.insert(id, form); // the forms of the batch's own ids (and strays, once created)
    return form;
}

std::optional<QString> ParallelControlManager::admit(const ControlFrame &frame,
                                                     const Responses::SessionEventV2 &event)
{
    QString sessionId = announcedForm(event.sessionId);
    // Replay dedup per sub-session (seed `route_event`): the cursor advances
    // even for events that are not delivered (success, simulationError).
    const bool isNew = admitSequence(sessionId, event.seqId);
    // An event of the sub-session that only a running step sends shows the
    // server got its Continue (StepTracker::showsStepActedOn()).
    if (const auto step = m_steps.find(sessionId); isNew && step != m_steps.end()) {
        step->noteActivity(event.event);
        if (step->isActedOn())
            dropHeldRefusal(sessionId);
    }
    logReceived(frame, !isNew);
    if (!isNew) {
        Q_EMIT duplicateDropped(sessionId, event.seqId);
        return std::nullopt;
    }
    return sessionId;
}

void ParallelControlManager::sendCreate()
{
    // Whatever an abandoned attempt announced means nothing now.
    m_stage = Stage::Creating;
    m_announced.clear();
    m_announcedForms.clear();
    m_heldEvents.clear();
    clearSequences();
    ++m_createsSent;
    sendRequest(Requests::CreateBacktestSession{m_params});
}

void ParallelControlManager::handleCreateStage(const ControlFrame &frame)
{
    std::visit(Internal::Overloaded{
        [&](const Responses::SessionCreated &created) {
            logReceived(frame, false);
            m_announced.append(created.info);
        },
        [&](const Responses::SessionEventV2 &event) {
            // No consumer exists before sessionsCreatedV2: hold the event back
            // (with the id as received: its announced form may change with
            // the sub-session list).
            if (admit(frame, event))
                m_heldEvents.append({event.sessionId, event.seqId, event.event});
        },
        [&](const Responses::SessionsCreatedV2 &created) {
            logReceived(frame, false);
            finishCreate(created);
        },
        [&](const Responses::Error &error) {
            logReceived(frame, false);
            if (respellCreateOnce(error.error)) {
                sendCreate();
                return;
            }
            failHandshake(error.error, tr("parallel create"), tr("parallel create failed"));
        },
        [&](const Responses::Status &status) {
            logReceived(frame, false);
            Q_EMIT startupStatusReceived(status.status);
        },
        [&](const auto &) {
            logReceived(frame, false);
            qCDebug(lcNet) << "ignoring" << methodName(frame.response) << "during a parallel create";
        },
    }, frame.response);
}

void ParallelControlManager::finishCreate(const Responses::SessionsCreatedV2 &created)
{
    const qsizetype n = created.sessionIds.size();
    if (!created.startSlots || !created.endSlots || created.startSlots->size() != n
        || created.endSlots->size() != n) {
        // Without the server's split the sub-sessions' ranges are unknown; an
        // old server cannot be driven (seed `create_sessions`).
        qCWarning(lcNet).nospace() << "sessionsCreatedV2 without usable ranges: session_ids=" << n
                                   << " start_slots=" << (created.startSlots ? created.startSlots->size() : -1)
                                   << " end_slots=" << (created.endSlots ? created.endSlots->size() : -1);
        handshakeFailed(HandshakeError::fatal(
            tr("the server did not report the sub-session slot ranges (too old for parallel batches)")));
        return;
    }
    if (n == 0) {
        handshakeFailed(HandshakeError::fatal(tr("parallel create failed: the server created no sub-sessions")));
        return;
    }
    QList<ParallelSubSessionInfo> subSessions;
    subSessions.reserve(n);
    for (qsizetype i = 0; i < n; ++i) {
        const QString &id = created.sessionIds.at(i);
        const auto announced = std::find_if(m_announced.cbegin(), m_announced.cend(),
                                            [&id](const SessionInfo &info) { return sameSessionId(info.sessionId, id); });
        if (announced == m_announced.cend()) {
            qCWarning(lcNet) << "sessionsCreatedV2 lists" << id << "without a sessionCreated; ignoring it";
            continue;
        }
        ParallelSubSessionInfo sub;
        sub.info = *announced;
        if (!sub.info.taskId && i < created.taskIds.size())
            sub.info.taskId = created.taskIds.at(i);
        sub.startSlot = created.startSlots->at(i);
        sub.endSlot = created.endSlots->at(i);
        subSessions.append(sub);
    }
    for (const SessionInfo &info : std::as_const(m_announced)) {
        const bool listed = std::any_of(created.sessionIds.cbegin(), created.sessionIds.cend(),
                                        [&info](const QString &id) { return sameSessionId(id, info.sessionId); });
        if (!listed) {
            handshakeFailed(HandshakeError::fatal(
                tr("parallel create failed: sessionsCreatedV2 does not list sub-session %1").arg(info.sessionId)));
            return;
        }
    }

    m_controlSessionId = created.controlSessionId;
    m_controlSessionName = created.controlSessionName;
    m_subSessions = subSessions;
    m_subSessionIds.clear();
    for (const ParallelSubSessionInfo &sub : std::as_const(m_subSessions))
        m_subSessionIds.insert(sub.info.sessionId);
    m_announced.clear();
    const QList<HeldEvent> held = std::exchange(m_heldEvents, {});
    m_stage = Stage::Streaming;
    qCInfo(lcNet) << "parallel batch" << m_controlSessionId << "created with" << m_subSessions.size()
                  << "sub-sessions";

    handshakeSucceeded();
    if (!isRunning())
        return;
    Q_EMIT sessionsCreated(m_controlSessionId, m_subSessions);
    for (const HeldEvent &event : held) {
        if (!isRunning())
            return;
        deliver(announcedForm(event.sessionId), event.seqId, event.event);
    }
    scheduleCloseIfDone();
}

void ParallelControlManager::handleAttachStage(const ControlFrame &frame)
{
    if (const auto *event = std::get_if<Responses::SessionEventV2>(&frame.response)) {
        // Replay may come before parallelSessionAttachedV2 (PROTOCOL.md §6.5).
        if (const std::optional<QString> sessionId = admit(frame, *event))
            deliver(*sessionId, event->seqId, event->event);
        return;
    }
    logReceived(frame, false);
    if (std::holds_alternative<Responses::ParallelSessionAttachedV2>(frame.response)) {
        m_stage = Stage::Streaming;
        // Before Up: Continues queued behind the reconnect go out on Up and
        // must not be mistaken for lost ones.
        sendStepsAfterReattach();
        handshakeSucceeded();
        if (!isRunning())
            return;
        Q_EMIT reattached(m_controlSessionId);
        scheduleCloseIfDone();
        return;
    }
    if (const auto *error = std::get_if<Responses::Error>(&frame.response)) {
        failHandshake(error->error, tr("attach"), tr("attach rejected"));
        return;
    }
    qCDebug(lcNet) << "ignoring" << methodName(frame.response) << "during a parallel attach";
}

void ParallelControlManager::handleStreamingFrame(const ControlFrame &frame)
{
    if (const auto *event = std::get_if<Responses::SessionEventV2>(&frame.response)) {
        if (const std::optional<QString> sessionId = admit(frame, *event))
            deliver(*sessionId, event->seqId, event->event);
        return;
    }
    logReceived(frame, false);
    if (const auto *error = std::get_if<Responses::Error>(&frame.response)) {
        if (error->error.isTerminal()) {
            // Closes the batch's sessions first, as a single session does;
            // the close frame after the server's own close or the graceful
            // timeout (which `success` answers the close is not told apart
            // from a cancelled sub-session's, PROTOCOL.md §3.7).
            if (phase() != Phase::Closing)
                failAfterClosing(FailureKind::Terminal,
                                 tr("parallel control session failed: %1").arg(error->error.message()));
            return;
        }
        qCWarning(lcNet) << "non-terminal parallel control error:" << error->error.message();
        return;
    }
    qCDebug(lcNet) << "ignoring an unexpected" << methodName(frame.response) << "on a parallel control connection";
}

void ParallelControlManager::deliver(const QString &sessionId, quint64 seqId, const SessionEventKind &event)
{
    if (!m_subSessionIds.contains(sessionId)) {
        qCDebug(lcNet) << "dropping an event of unknown sub-session" << sessionId;
        return;
    }
    // Per-session seed `session_event_to_control` mapping.
    bool deliverIt = true;
    std::visit(Internal::Overloaded{
        [&](const Responses::ReadyForContinue &) {
            // The late ready of the pause the step in flight followed leaves
            // that step in flight (StepTracker).
            m_steps[sessionId].readyArrived();
        },
        [&](const Responses::Paused &) { m_steps[sessionId].pausedArrived(); },
        [&](const Responses::Completed &) {
            m_steps[sessionId].clearStep();
            m_done.insert(sessionId);
        },
        [&](const Responses::Success &) { deliverIt = false; },
        [&](const Responses::Error &error) {
            if (error.error.kind == BacktestErrorKind::SimulationError) {
                // Per-transaction and non-fatal (PROTOCOL-0.31.md §4.7): counted
                // and delivered to be shown, never answers the step in flight.
                ++m_simulationErrors;
                qCInfo(lcNet) << "simulation error in" << sessionId << ":" << error.error.message();
                return;
            }
            if (rejectsStep(error.error) && m_steps[sessionId].refusalAnswersCopy()) {
                deliverIt = false;
                m_steps[sessionId].copyRefused();
                dropRefusalOfCopy(sessionId);
                return;
            }
            if (rejectsStep(error.error) && m_steps[sessionId].refusalMayAnswerCopy()) {
                deliverIt = false;
                holdRefusal(sessionId, [this, sessionId, seqId, event] {
                    StepTracker &step = m_steps[sessionId];
                    if (!step.refusalMayAnswerCopy())
                        return; // answered meanwhile
                    step.stepRefused();
                    Q_EMIT eventReceived(sessionId, seqId, event);
                });
                return;
            }
            if (rejectsStep(error.error))
                m_steps[sessionId].stepRefused();
        },
        [&](const auto &) {},
    }, event);
    if (deliverIt)
        Q_EMIT eventReceived(sessionId, seqId, event);
    if (std::holds_alternative<Responses::Completed>(event))
        scheduleCloseIfDone();
}

void ParallelControlManager::scheduleCloseIfDone()
{
    if (m_closeScheduled || !isBatchCompleted() || !isRunning())
        return;
    m_closeScheduled = true;
    qCInfo(lcNet) << "parallel batch" << m_controlSessionId << ": every sub-session completed"
                  << (m_closesWhenBatchCompleted ? "; closing" : "");
    Q_EMIT batchCompleted();
    if (!m_closesWhenBatchCompleted)
        return;
    // From the event loop, never from inside the frame handler.
    QPointer<ParallelControlManager> self(this);
    QTimer::singleShot(0, this, [self] {
        if (self && self->phase() == Phase::Up)
            self->stop();
    });
}

Result<void> ParallelControlManager::checkCanSend(const QString &sessionId, bool needsUp) const
{
    if (!isCreated())
        return makeError(tr("the parallel batch has not been created yet"));
    if (!m_subSessionIds.contains(sessionId))
        return makeError(tr("unknown sub-session %1").arg(sessionId));
    if (m_done.contains(sessionId))
        return makeError(tr("sub-session %1 has completed").arg(sessionId));
    if (needsUp && phase() != Phase::Up)
        return makeError(tr("the control connection is not up"));
    return {};
}

Result<void> ParallelControlManager::sendStep(const QString &sessionId, const ControlRequest &request)
{
    if (Result<void> ok = checkCanSend(sessionId, /*needsUp=*/false); !ok)
        return ok;
    StepTracker &step = m_steps[sessionId];
    if (step.hasStep())
        return makeError(tr("a Continue is already in flight for %1").arg(sessionId));
    if (phase() != Phase::Up) {
        if (!isRunning() || phase() == Phase::Closing)
            return makeError(tr("the control connection has stopped"));
        // Reconnecting: sent once, right after the re-attach (resendUnansweredSteps),
        // the same policy as ControlManager's.
        qCDebug(lcNet) << methodName(request) << "of" << sessionId
                       << "requested while the control connection is down; sent after the re-attach";
        step.stepSent(request, /*connection=*/-1);
        return {};
    }
    if (!sendRequest(request))
        return makeError(tr("the control connection is not up"));
    step.stepSent(request, m_connections);
    return {};
}

Result<void> ParallelControlManager::sendContinue(const QString &sessionId, const ContinueParams &params)
{
    return sendStep(sessionId, Requests::ContinueSessionV1{sessionId, params});
}

Result<void> ParallelControlManager::sendContinueTo(const QString &sessionId, const ContinueToParams &params)
{
    return sendStep(sessionId, Requests::ContinueToSessionV1{sessionId, params});
}

void ParallelControlManager::sendStepsAfterReattach()
{
    bool unanswered = false;
    for (auto it = m_steps.begin(); it != m_steps.end(); ++it) {
        const ControlRequest *request = it->step();
        if (!request || it->isActedOn() || it->connection() == m_connections)
            continue; // answered in part (its answer follows, in order), or sent on this connection
        if (it->connection() >= 0) {
            unanswered = true; // sent before the drop: the replay may still show it acted on
            continue;
        }
        qCInfo(lcNet) << "sending the" << methodName(*request) << "of" << it.key() << "asked for while reconnecting";
        if (!sendRequest(*request))
            return;
        it->stepResent(m_connections);
    }
    if (unanswered)
        resendUnansweredStepsAfterReplay();
}

void ParallelControlManager::resendUnansweredSteps()
{
    // The replay (before or after parallelSessionAttachedV2) had its time: a
    // Continue whose sub-session said nothing since never reached the server.
    for (auto it = m_steps.begin(); it != m_steps.end(); ++it) {
        const ControlRequest *request = it->step();
        if (!request || it->isActedOn() || it->connection() < 0 || it->connection() == m_connections
            || m_done.contains(it.key()))
            continue;
        qCInfo(lcNet) << "re-sending the unanswered" << methodName(*request) << "of" << it.key();
        if (!sendRequest(*request))
            return;
        discardHeldRefusal(it.key());
        it->copySent(m_connections);
        ++m_continuesResent;
    }
}

Result<void> ParallelControlManager::closeSubSession(const QString &sessionId)
{
    if (Result<void> ok = checkCanSend(sessionId); !ok)
        return ok;
    if (!sendRequest(Requests::CloseSessionV1{sessionId}))
        return makeError(tr("the control connection is not up"));
    m_steps[sessionId].clearStep();
    m_done.insert(sessionId);
    scheduleCloseIfDone();
    return {};
}

ParallelSessionChannel::ParallelSessionChannel(ParallelControlManager *manager, QString sessionId)
    : m_manager(manager)
    , m_sessionId(std::move(sessionId))
{
}

std::optional<SessionInfo> ParallelSessionChannel::sessionInfo() const
{
    for (const ParallelSubSessionInfo &sub : m_manager->subSessions()) {
        if (sub.info.sessionId == m_sessionId)
            return sub.info;
    }
    return std::nullopt;
}

bool ParallelSessionChannel::isStepInFlight() const
{
    return m_manager->isContinueInFlight(m_sessionId);
}

Result<void> ParallelSessionChannel::sendContinue(const ContinueParams &params)
{
    return m_manager->sendContinue(m_sessionId, params);
}

Result<void> ParallelSessionChannel::sendContinueTo(const ContinueToParams &params)
{
    return m_manager->sendContinueTo(m_sessionId, params);
}

void ParallelSessionChannel::cancelSession()
{
    // Tell the server, so the batch can still complete without it.
    if (m_manager->phase() == WebSocketConnection::Phase::Up)
        (void)m_manager->closeSubSession(m_sessionId);
}

void ParallelControlManager::sendCloseRequest()
{
    // Closes every sub-session at once (seed `graceful_close`, PROTOCOL.md §3.4).
    if (isCreated())
        sendRequest(Requests::CloseBacktestSession{});
}

bool ParallelControlManager::endsOnLoss(const ConnectionLoss &loss)
{
    if (!isBatchCompleted() || !m_closesWhenBatchCompleted)
        return false;
    qCDebug(lcNet) << "parallel control connection ended after every sub-session completed:" << loss.reason;
    return true;
}

} // namespace SlotScope
