#include "engine/sessionengine.h"

#include "engine/logging.h"
#include "model/transactionrecord.h"
#include "net/controlmanager.h"
#include "net/framelog.h"
#include "net/parallelcontrolmanager.h"
#include "protocol/runclock.h"
#include "protocol/sessionids.h"
#include "protocol/transactionsummary.h"
#include "session/managedparallelsession.h"
#include "session/managedsession.h"
#include "session/parallelsubsession.h"

#include <QDateTime>
#include <QUuid>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace SlotScope {

namespace {

/// The outcome category of a session failure: the error kind, refined by why
/// the control connection had failed (rejected key, unreachable server,
/// rejected create, terminal server error) — the same for a single session, a
/// sub-session and a batch.
RunOutcome::Category categoryFor(const ManagedSessionError &error)
{
    switch (error.failure) {
    case FailureKind::Unauthorized:
        return RunOutcome::Category::Auth;
    case FailureKind::Unreachable:
        return RunOutcome::Category::Unreachable;
    case FailureKind::HandshakeRejected:
        return error.kind == ManagedSessionError::Kind::Create ? RunOutcome::Category::Range
                                                               : RunOutcome::Category::Connection;
    case FailureKind::Terminal:
        return RunOutcome::Category::Server;
    case FailureKind::RetriesExhausted:
        return RunOutcome::Category::Connection;
    case FailureKind::None:
        break;
    }
    switch (error.kind) {
    case ManagedSessionError::Kind::Create:
        return RunOutcome::Category::Range;
    case ManagedSessionError::Kind::DrainStalled:
        return RunOutcome::Category::Stalled;
    case ManagedSessionError::Kind::ControlFailed:
    case ManagedSessionError::Kind::SubscriptionFailed:
    case ManagedSessionError::Kind::ContinueSend:
        return RunOutcome::Category::Connection;
    case ManagedSessionError::Kind::Cancelled:
        return RunOutcome::Category::None;
    }
    return RunOutcome::Category::Server;
}

qint64 nowMs()
{
    return runClockMs();
}

} // namespace

SessionEngine::SessionEngine(QObject *parent)
    : QObject(parent)
    , m_batcher(this)
    , m_waitTicker(this)
{
    connect(&m_batcher, &UpdateBatcher::due, this, &SessionEngine::flush);
    // An events-file line waits for the next flush like a batch does.
    m_journal.setLineWritten([this] { m_batcher.wake(); });
    m_waitTicker.setInterval(1000);
    connect(&m_waitTicker, &QTimer::timeout, this, &SessionEngine::tickWaiting);
}

SessionEngine::~SessionEngine()
{
    // Lines written from here on (the closing sessions') wake nothing.
    m_journal.setLineWritten({});
    m_batcher.stop();
    teardownSession();
    if (m_capture.isOpen())
        m_capture.close();
}

QStringList SessionEngine::accountDiffOwners(const RunConfig &config)
{
    if (!config.subscribePrograms.isEmpty()) {
        QStringList owners = config.subscribePrograms;
        owners.removeDuplicates(); // one subscription each: a program named twice would deliver every diff twice
        return owners;
    }
    return {u"TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"_s, u"11111111111111111111111111111111"_s};
}

// ---------------------------------------------------------------------------
// Starting a run

void SessionEngine::start(const RunConfig &config, const QString &controlUrl, const QString &runId)
{
    if (m_running)
        stop();

    m_config = config;
    m_newSessionDrive.reset();
    m_controlUrl = controlUrl;
    m_runId = runId.isEmpty() ? QUuid::createUuid().toString(QUuid::WithoutBraces) : runId;
    m_sessions.clear();
    m_byId.clear();
    m_firstFailure.reset();
    m_duplicatesTotal = 0;
    m_batchCreated = false;
    m_batchStartingSinceMs.reset();
    m_framesDroppedTotal = 0;
    m_replayGapsTotal = 0;
    m_missedSlotsTotal = 0;
    m_coordinatorChanged = false;
    m_coordinatorUnjournaled.reset();
    m_coordinatorJournaledAtMs = 0;
    m_journaledSomeoneParked = false;
    m_running = true;
    m_batcher.reset(m_runId, config.parallel);

    // The run row exists from the first moment, so a failure before any
    // session is created (bad key, unreachable server) still shows on it.
    SessionUpdate run;
    run.runId = m_runId;
    run.label = u"%1..%2"_s.arg(config.startSlot).arg(config.endSlot);
    run.parallel = config.parallel;
    run.startSlot = config.startSlot;
    run.endSlot = config.endSlot;
    run.currentSlot = config.startSlot;
    run.state = SessionState::Creating;
    m_batcher.announceRun(run);
    if (!config.parallel)
        addSession({}, config.startSlot, config.endSlot);
    // The name asked for, as the server will spell it, until the server's own
    // session_name / control_session_name arrives.
    const QString requestedName = config.name.trimmed().toLower();
    if (config.parallel)
        m_batcher.editBatchRow().name = requestedName;
    else
        rowOf(m_sessions.front().get())->name = requestedName;

    if (const QString problem = config.validate(); !problem.isEmpty()) {
        finishRun(RunOutcome::Kind::Failed, RunOutcome::Category::Usage, problem);
        return;
    }

    CaptureMetadata metadata;
    metadata.startSlot = config.startSlot;
    metadata.endSlot = config.endSlot;
    metadata.programIds = config.subscribePrograms;
    metadata.ranAtUnixSecs = QDateTime::currentSecsSinceEpoch();
    metadata.sessionName = requestedName;
    const auto existing = config.overwriteCapture ? CaptureWriter::Existing::ReplaceOnFirstData
                                                  : CaptureWriter::Existing::Refuse;
    if (const Result<void> opened = m_capture.open(config.capturePath, metadata, existing); !opened) {
        finishRun(RunOutcome::Kind::Failed, RunOutcome::Category::Capture,
                  tr("cannot write the capture: %1").arg(opened.error().message));
        return;
    }
    Q_EMIT runStarted(m_runId, m_capture.path());

    CreateSessionParams params;
    params.startSlot = config.startSlot;
    params.endSlot = config.endSlot;
    params.sendSummary = true;
    params.disconnectTimeoutSecs = config.disconnectTimeoutSecs;
    params.capacityWaitTimeoutSecs = config.capacityWaitTimeoutSecs;
    params.parallel = config.parallel;
    if (!requestedName.isEmpty()) {
        // One token per run: the session layer resends this same create after
        // a drop before its answer, and the token reclaims the name instead of
        // meeting sessionNameTaken (PROTOCOL-0.31.md §3.1.2, §6.6).
        params.name = requestedName;
        params.createToken = newCreateToken();
    }
    for (const QString &program : config.discoverPrograms)
        params.discoveries.append(DiscoveryFilter::programExecuted(program));

    if (config.parallel)
        startParallel(params);
    else
        startSingle(params);
    m_batcher.start();
}

void SessionEngine::connectSession(SessionCore *core, Session *session)
{
    session->core = core;
    connect(core, &SessionCore::eventReceived, this,
            [this, session](const ManagedEvent &event) { onEvent(session, event); });
    connect(core, &SessionCore::drainStarted, this, [this, session] {
        session->draining = true;
        syncRow(session);
    });
    connect(core, &SessionCore::transactionReceived, this,
            [this, session](const TransactionSummary &summary, QByteArrayView raw) {
                onTransaction(session, summary, raw);
            });
    connect(core, &SessionCore::accountDiffReceived, this,
            [this, session](quint64, const QString &, const QString &, QByteArrayView raw) {
                // Disk first, verbatim (DESIGN.md §3); then the live panel,
                // read as a reopened capture reads the events file.
                m_journal.accountDiff(session->sessionId, raw);
                AccountDiffRecord diff;
                if (m_accountDiffParser.parse(raw, session->sessionId, diff) && m_crossSubscriptionDiffs.admit(diff))
                    m_batcher.addAccountDiff(std::move(diff));
            });
    connect(core, &SessionCore::connectionStatusChanged, this,
            [this, session](const QString &socket, ConnectionStatus status, const QString &reason, int attempt,
                            bool ended) { onConnectionStatus(session, socket, status, reason, attempt, ended); });
    connect(core, &SessionCore::reconnectScheduled, this,
            [this, session](const QString &socket, int attempt, std::chrono::milliseconds delay,
                            const QString &reason) { onReconnectScheduled(session, socket, attempt, delay, reason);
            });
    connect(core, &SessionCore::duplicateDropped, this,
            [this, session](const QString &socket, const QString &signature, const QString &account, quint64 slot) {
                ++rowOf(session)->duplicates;
                ++m_duplicatesTotal;
                m_journal.duplicateNotification(session->sessionId, socket, signature, account, slot);
            });
    connect(core, &SessionCore::failed, this,
            [this, session](const ManagedSessionError &error) { onSessionFailed(session, error); });
    connect(core, &SessionCore::frameDropped, this,
            [this, session](const QString &socket, const QString &reason, const QByteArray &raw, qint64 size) {
                onFrameDropped(session, socket, reason, raw, size);
            });
    connect(core, &SessionCore::replayGapFound, this,
            [this, session](const QString &socket, const ReplayGap &gap, quint64 newestSlot) {
                // Disk first, then the row: the slots are named, never skipped in silence.
                m_journal.replayGap(session->sessionId, socket, gap, newestSlot);
                ++m_replayGapsTotal;
                m_missedSlotsTotal += gap.slotCount();
                session->replayGap = describeReplayGap(socket, gap.firstSlot, gap.lastSlot, newestSlot);
                // As syncRow() keeps it: the stepper's own error first while running.
                if (session->ended || session->stepper.lastError().isEmpty())
                    rowOf(session)->lastError = session->replayGap;
            });
}

void SessionEngine::startSingle(const CreateSessionParams &params)
{
    Session *session = m_sessions.front().get();
    auto *object = new ManagedSession(m_controlUrl, m_config.apiKey, params, m_policy, this);
    m_session = object;
    connect(object, &ManagedSession::startupStatusReceived, this,
            [this, session](const QString &status) { onStartupStatus(session, status); });
    connect(object, &ManagedSession::created, this, [this, session](const SessionInfo &info) {
        session->sessionId = info.sessionId;
        m_byId.insert(info.sessionId, session);
        rowOf(session)->sessionId = info.sessionId;
        if (info.sessionName && !info.sessionName->isEmpty())
            rowOf(session)->name = *info.sessionName; // the server's spelling wins
        m_journal.sessionCreated(info);
    });
    connectSession(object, session);
    connect(object, &ManagedSession::reattached, this,
            [this, session](const SessionInfo &info) { m_journal.sessionAttached(session->sessionId, info); });
    connect(object, &ManagedSession::frameLogged, this,
            [this, session](const FrameLogEntry &entry) { onFrameLogged(entry, session->sessionId); });

    object->subscribeTransactions(m_config.subscribePrograms, m_config.zstd);
    if (m_config.accountDiffs) {
        for (const QString &owner : accountDiffOwners(m_config))
            object->subscribeAccountDiffs(owner, /*programOwner=*/true, m_config.zstd);
    }
    object->start();
}

void SessionEngine::startParallel(const CreateSessionParams &params)
{
    auto *batch = new ManagedParallelSession(m_controlUrl, m_config.apiKey, params, m_policy, this);
    m_batch = batch;
    connect(batch->reconnectCoordinator(), &ReconnectCoordinator::changed, this, [this] {
        m_coordinatorChanged = true;
        m_batcher.wake();
    });
    connect(batch, &ManagedParallelSession::created, this, &SessionEngine::onBatchCreated);
    connect(batch, &ManagedParallelSession::startupStatusReceived, this, [this](const QString &status) {
        // The batch's own statuses never reach a sub-session: the events file gets them here.
        m_journal.status({}, status);
        onStartupStatus(nullptr, status);
    });
    connect(batch, &ManagedParallelSession::reattached, this,
            [this](const QString &controlSessionId) { m_journal.batchAttached(controlSessionId); });
    connect(batch, &ManagedParallelSession::connectionStatusChanged, this,
            [this](const QString &socket, ConnectionStatus status, const QString &reason, int attempt, bool ended) {
                onConnectionStatus(nullptr, socket, status, reason, attempt, ended);
            });
    connect(batch, &ManagedParallelSession::reconnectScheduled, this,
            [this](const QString &socket, int attempt, std::chrono::milliseconds delay, const QString &reason) {
                onReconnectScheduled(nullptr, socket, attempt, delay, reason);
            });
    connect(batch, &ManagedParallelSession::frameLogged, this,
            [this](const FrameLogEntry &entry) { onFrameLogged(entry, {}); });
    connect(batch, &ManagedParallelSession::duplicateDropped, this, [this](const QString &sessionId, quint64 seqId) {
        ++m_duplicatesTotal;
        m_journal.duplicateControlEvent(sessionId, seqId);
    });
    connect(batch, &ManagedParallelSession::frameDropped, this,
            [this](const QString &socket, const QString &reason, const QByteArray &raw, qint64 size) {
                onFrameDropped(nullptr, socket, reason, raw, size);
            });
    connect(batch, &ManagedParallelSession::completed, this, [this] {
        // Every sub-session completed after its drain; each session ended
        // already, this is the batch's own word on it.
        onSessionEnded();
    });
    connect(batch, &ManagedParallelSession::failed, this,
            [this](const ManagedSessionError &error) { onSessionFailed(nullptr, error); });
    batch->subscribeTransactions(m_config.subscribePrograms, m_config.zstd);
    if (m_config.accountDiffs) {
        for (const QString &owner : accountDiffOwners(m_config))
            batch->subscribeAccountDiffs(owner, /*programOwner=*/true, m_config.zstd);
    }
    batch->start();
}

void SessionEngine::onBatchCreated(const QString &controlSessionId, const QList<ParallelSubSession *> &subSessions)
{
    m_batchCreated = true;
    if (m_batchStartingSinceMs) {
        syncBatchWait();
        m_batchStartingSinceMs.reset();
    }
    const std::optional<QString> name =
        m_batch && m_batch->control() ? m_batch->control()->controlSessionName() : std::nullopt;
    m_journal.batchCreated(controlSessionId, name, int(subSessions.size()));
    m_batcher.editBatchRow().state = SessionState::Ready;
    if (name && !name->isEmpty())
        m_batcher.editBatchRow().name = *name; // the server's spelling wins
    for (ParallelSubSession *sub : subSessions) {
        Session *session = addSession(sub->sessionId(), sub->startSlot(), sub->endSlot());
        m_journal.sessionCreated(sub->sessionInfo(), std::pair{sub->startSlot(), sub->endSlot()});
        connectSession(sub, session);
    }
}

void SessionEngine::onFrameDropped(Session *session, const QString &socket, const QString &reason,
                                   const QByteArray &rawPrefix, qint64 size)
{
    // Disk first: the events file keeps the frame's first bytes and why.
    m_journal.frameDropped(session ? session->sessionId : QString(), socket, reason, rawPrefix, size);
    ++m_framesDroppedTotal;
    ++(session ? *rowOf(session) : m_batcher.editBatchRow()).framesDropped;
}

SessionEngine::Session *SessionEngine::addSession(const QString &sessionId, quint64 startSlot, quint64 endSlot)
{
    const int row = m_batcher.addRow(sessionId, startSlot, endSlot);
    DriveMode drive = DriveMode::Manual;
    switch (m_config.drive) {
    case RunConfig::Drive::Manual: drive = DriveMode::Manual; break;
    case RunConfig::Drive::RunToEnd: drive = DriveMode::RunToEnd; break;
    case RunConfig::Drive::PauseAtDiscoveries: drive = DriveMode::PauseAtDiscoveries; break;
    }
    drive = m_newSessionDrive.value_or(drive);
    auto session = std::make_unique<Session>(row, startSlot, endSlot, m_config.advanceCount, drive);
    session->sessionId = sessionId;
    m_batcher.edit(row).drive = drive; // shown from the start (syncRow() keeps it current)
    session->stepper.setBreakpoints(BreakpointList::effective(m_config.discoverPrograms, m_config.breakpoints));
    Session *raw = session.get();
    m_sessions.push_back(std::move(session));
    if (!sessionId.isEmpty())
        m_byId.insert(sessionId, raw);
    return raw;
}

// ---------------------------------------------------------------------------
// Stepping commands

void SessionEngine::command(const QString &sessionId, const std::function<std::optional<Step>(Stepper &)> &step)
{
    if (!m_running)
        return;
    QList<Session *> sessions;
    if (sessionId.isEmpty()) {
        for (const auto &session : m_sessions)
            sessions.append(session.get());
    } else if (Session *session = m_byId.value(sessionId)) {
        sessions.append(session);
    }
    for (Session *session : std::as_const(sessions)) {
        send(session, step(session->stepper));
        syncRow(session);
    }
}

void SessionEngine::continueSession(quint64 advanceCount, const QString &sessionId)
{
    command(sessionId, [advanceCount](Stepper &stepper) { return stepper.continueBy(advanceCount); });
}

void SessionEngine::continueTo(quint64 slot, qint64 batchIndex, const QString &sessionId)
{
    if (!m_running)
        return;
    Session *target = nullptr;
    if (!sessionId.isEmpty()) {
        target = m_byId.value(sessionId);
    } else {
        for (const auto &session : m_sessions) {
            if (slot >= session->stepper.startSlot() && slot <= session->stepper.endSlot() && !session->ended) {
                target = session.get();
                break;
            }
        }
        if (!target && m_sessions.size() == 1)
            target = m_sessions.front().get(); // a single session: let the server judge the target
    }
    if (!target) {
        m_batcher.editBatchRow().lastError = tr("no running session covers slot %1").arg(slot);
        return;
    }
    send(target, target->stepper.continueTo(
                     slot, batchIndex < 0 ? std::nullopt : std::optional<quint32>(quint32(batchIndex))));
    syncRow(target);
}

void SessionEngine::runToEnd(const QString &sessionId)
{
    // RunConfig::pauseAtDiscoveries (the window's New Run checkbox): to the
    // end by way of every discovered batch, each Continue-to'd and gone past.
    const DriveMode mode = m_config.pauseAtDiscoveries ? DriveMode::PauseAtDiscoveries : DriveMode::RunToEnd;
    if (sessionId.isEmpty())
        m_newSessionDrive = mode;
    command(sessionId, [mode](Stepper &stepper) { return stepper.drive(mode); });
}

void SessionEngine::runToNextDiscovery(const QString &sessionId)
{
    if (sessionId.isEmpty())
        m_newSessionDrive = DriveMode::ToNextDiscovery;
    command(sessionId, [](Stepper &stepper) { return stepper.drive(DriveMode::ToNextDiscovery); });
}

void SessionEngine::pauseDriving(const QString &sessionId)
{
    if (sessionId.isEmpty())
        m_newSessionDrive = DriveMode::Manual;
    command(sessionId, [](Stepper &stepper) {
        stepper.stopDriving();
        return std::optional<Step>();
    });
}

void SessionEngine::setBreakpoints(const QList<DiscoveryBreakpoint> &breakpoints)
{
    m_config.breakpoints = breakpoints;
    const QList<DiscoveryBreakpoint> effective = BreakpointList::effective(m_config.discoverPrograms, breakpoints);
    for (const auto &session : m_sessions) {
        // A batch ahead that a breakpoint now counts: journaled and shown
        // (the Breakpoints panel's hits) as when it was announced.
        for (const Stepper::LateHits &late : session->stepper.setBreakpoints(effective)) {
            for (const BreakpointHit &hit : late.hits)
                m_journal.breakpointHit(session->sessionId, late.batch, hit);
            m_batcher.addDiscovery({session->sessionId, late.batch, late.hits});
        }
    }
}

void SessionEngine::stop()
{
    if (!m_running)
        return;
    m_journal.stopped();
    const bool anyRunningOnServer = std::any_of(m_sessions.cbegin(), m_sessions.cend(), [](const auto &session) {
        return !session->ended && !session->draining;
    });
    for (const auto &session : m_sessions) {
        if (!session->ended) {
            session->stepper.onEnded(SessionState::Stopped);
            syncRow(session.get());
        }
    }
    m_batcher.editBatchRow().state = SessionState::Stopped;
    // The close goes out on the control socket: while it is not Up the server
    // is not told, and keeps what it still runs until its disconnect timeout.
    // (A session it completed holds nothing; a control socket that ended did
    // so after the server's `completed`.)
    const bool created = m_config.parallel ? m_batchCreated
                                           : !m_sessions.empty() && !m_sessions.front()->sessionId.isEmpty();
    const SessionRow::Link *control = m_config.parallel ? &m_batcher.editBatchRow().control
                                      : m_sessions.empty() ? nullptr
                                                           : &rowOf(m_sessions.front().get())->control;
    const quint16 keptSecs = ControlConnection::effectiveDisconnectTimeoutSecs(m_config.disconnectTimeoutSecs, m_policy);
    // Stopped while the create waits (for capacity, for the runtime): the
    // socket that asked is dropped, and what the server started for it is
    // kept until its disconnect timeout (the seed finishes the handshake
    // first and then closes; a create cannot be cancelled on the wire).
    const WebSocketConnection *controlConnection = nullptr;
    if (m_config.parallel && m_batch)
        controlConnection = m_batch->control();
    else if (!m_config.parallel && !m_sessions.empty()) {
        if (const auto *single = qobject_cast<ManagedSession *>(m_sessions.front()->core.data()))
            controlConnection = single->control();
    }
    const bool createPending = !created && controlConnection && controlConnection->serverReached();
    const bool serverNotTold = createPending
                               || (created && control && control->state.status != ConnectionStatus::Up
                                   && !control->state.ended && anyRunningOnServer);
    const QString message =
        createPending ? tr("stopped by the user while the server was creating the session; it could not be told, so "
                           "it keeps what it started until its %1 s disconnect timeout")
                            .arg(keptSecs)
        : serverNotTold ? tr("stopped by the user; the server could not be told (its connection is %1), so it keeps "
                             "the session until its %2 s disconnect timeout")
                              .arg(connectionStatusText(control->state.status))
                              .arg(keptSecs)
                        : tr("stopped by the user");
    finishRun(RunOutcome::Kind::Stopped, RunOutcome::Category::None, message, serverNotTold);
}

void SessionEngine::shutdown()
{
    stop();
    if (m_closing == 0) {
        Q_EMIT shutdownFinished();
        return;
    }
    // The sessions bound their own graceful close by the policy's timeout;
    // the margin lets those timers fire before we give up on them.
    auto *timeout = new QTimer(this);
    timeout->setSingleShot(true);
    const auto finish = [this, timeout] {
        disconnect(this, &SessionEngine::sessionClosed, timeout, nullptr);
        timeout->stop();
        timeout->deleteLater();
        if (m_closing > 0)
            qCWarning(lcEngine) << m_closing << "session(s) still closing when the engine stopped";
        Q_EMIT shutdownFinished();
    };
    connect(timeout, &QTimer::timeout, this, finish);
    connect(this, &SessionEngine::sessionClosed, timeout, [this, finish] {
        if (m_closing == 0)
            finish();
    });
    timeout->start(m_policy.gracefulCloseTimeout + std::chrono::milliseconds{500});
}

// ---------------------------------------------------------------------------
// Session events

void SessionEngine::onEvent(Session *session, const ManagedEvent &event)
{
    using namespace ManagedEvents;
    const QString &sessionId = session->sessionId;
    if (const auto *slot = std::get_if<Slot>(&event)) {
        session->stepper.onSlot(slot->slot);
        m_journal.slot(sessionId, slot->slot);
        queuePosition(session);
    } else if (const auto *status = std::get_if<Status>(&event)) {
        m_journal.status(sessionId, status->status);
        onStartupStatus(session, status->status);
    } else if (const auto *ready = std::get_if<ReadyForContinue>(&event)) {
        // Synthesized by the session layer after a legacy server's `paused` alone.
        readyForContinue(session, ready->synthesized);
        return;
    } else if (const auto *paused = std::get_if<Paused>(&event)) {
        // Records the position; the session steps on the readyForContinue that
        // follows (PROTOCOL-0.31.md §3.2), never on the `paused`.
        m_journal.paused(sessionId, paused->event);
        session->stepper.onPaused(paused->event);
        queuePosition(session);
    } else if (const auto *discovery = std::get_if<DiscoveryBatch>(&event)) {
        if (session->stepper.onDiscovery(discovery->event)) {
            m_journal.discoveryBatch(sessionId, discovery->event);
            const QList<BreakpointHit> &hits = session->stepper.lastHits();
            for (const BreakpointHit &hit : hits) {
                m_journal.breakpointHit(sessionId, discovery->event, hit);
                if (hit.action == BreakpointAction::Log)
                    qCInfo(lcEngine).noquote() << "breakpoint" << hit.program << "hit" << hit.hit << "at"
                                               << discovery->event.slot << '/' << discovery->event.batchIndex
                                               << "(log only)";
            }
            m_batcher.addDiscovery({sessionId, discovery->event, hits});
        }
    } else if (const auto *completed = std::get_if<Completed>(&event)) {
        // Delivered after the completion drain: every transaction is captured.
        m_journal.completed(sessionId, completed->summary);
        session->stepper.onEnded(SessionState::Completed);
        session->ended = true;
        SessionRow *row = rowOf(session);
        // Every subscription delivered its end of stream (PROTOCOL.md §5.8).
        for (auto &[socket, link] : row->subscriptions)
            link.state = LinkState{ConnectionStatus::Down, 0, std::nullopt, tr("end of stream"), /*ended=*/true};
        syncRow(session);
        queuePosition(session, /*finished=*/true);
        onSessionEnded();
        return;
    } else if (const auto *error = std::get_if<ManagedEvents::Error>(&event)) {
        onServerError(session, error->error);
        return;
    }
    syncRow(session);
}

void SessionEngine::onStartupStatus(Session *session, const QString &status)
{
    // Startup while the server waits for capacity (PROTOCOL-0.31.md §4.5):
    // `startingRuntime` repeats about every 10 s until the session runs; the
    // row counts the wait from the first one.
    if (!m_running || backtestStatus(status) != BacktestStatus::StartingRuntime)
        return;
    if (session) {
        if (session->stepper.phase() != Stepper::Phase::Starting || session->startingRuntimeSinceMs)
            return;
        session->startingRuntimeSinceMs = nowMs();
        syncRow(session);
    } else {
        if (m_batchCreated || m_batchStartingSinceMs)
            return;
        m_batchStartingSinceMs = nowMs();
        syncBatchWait();
    }
    m_waitTicker.start();
}

void SessionEngine::syncBatchWait()
{
    SessionRow &batch = m_batcher.editBatchRow();
    batch.stateDetail = m_batchStartingSinceMs && !m_batchCreated
        ? tr("starting runtime, %1").arg(describeDuration(std::chrono::milliseconds{nowMs() - *m_batchStartingSinceMs}))
        : QString();
}

void SessionEngine::readyForContinue(Session *session, bool synthesized)
{
    m_journal.ready(session->sessionId, synthesized);
    session->startingRuntimeSinceMs.reset();
    send(session, session->stepper.onReadyForContinue(synthesized));
    syncRow(session);
}

void SessionEngine::onServerError(Session *session, const BacktestError &error)
{
    switch (session->stepper.onError(error)) {
    case Stepper::ErrorEffect::Counted:
        // Informational (PROTOCOL-0.31.md §4.7): never refuses, ends or re-drives a step.
        m_journal.simulationError(session->sessionId, error, session->stepper.simulationErrors());
        syncRow(session);
        return;
    case Stepper::ErrorEffect::Refused:
        m_journal.serverError(session->sessionId, error);
        syncRow(session);
        Q_EMIT stepRefused(m_runId, session->sessionId, error.message());
        checkDriving(session, tr("the server refused a step"));
        return;
    case Stepper::ErrorEffect::Terminal:
    case Stepper::ErrorEffect::Shown:
        // A terminal one fails the session through the session layer next.
        m_journal.serverError(session->sessionId, error);
        syncRow(session);
        return;
    }
}

void SessionEngine::onTransaction(Session *session, const TransactionSummary &summary, QByteArrayView raw)
{
    // Disk first (DESIGN.md §3): the capture is the source of truth.
    const qint64 offset = m_capture.appendTransaction(session->sessionId, summary, raw);
    m_batcher.addTransaction(makeTransactionRecord(session->sessionId, summary, offset));
    ++rowOf(session)->transactions;
}

void SessionEngine::onConnectionStatus(Session *session, const QString &socket, ConnectionStatus status,
                                       const QString &reason, int attempt, bool ended)
{
    SessionRow &row = session ? *rowOf(session) : m_batcher.editBatchRow();
    row.setLinkStatus(socket, status, reason, attempt, ended);
    const QString sessionId = session ? session->sessionId : QString();
    m_journal.connection(sessionId, socket, status, reason, attempt, std::nullopt, ended);
    m_batcher.addConnectionEvent(ConnectionEvent{nowMs(), sessionId, socket, status, reason, attempt, ended});
}

void SessionEngine::onReconnectScheduled(Session *session, const QString &socket, int attempt,
                                         std::chrono::milliseconds delay, const QString &reason)
{
    SessionRow &row = session ? *rowOf(session) : m_batcher.editBatchRow();
    SessionRow::Link &link = row.link(socket);
    link.state.attempt = attempt;
    link.state.reason = reason; // a retry that failed while already Down changed no status
    link.state.retryInMs = qint64(delay.count());
    const qint64 now = nowMs();
    link.state.retryAtMs = now + qint64(delay.count());
    const QString sessionId = session ? session->sessionId : QString();
    m_journal.connection(sessionId, socket, link.state.status, link.state.reason, attempt, delay);
    // The status is unchanged (a retry that failed while Down), but the
    // timeline's lane and the coordinator's socket table show the attempt and
    // why: without this they kept those of the first loss.
    m_batcher.addConnectionEvent(ConnectionEvent{now, sessionId, socket, link.state.status, reason, attempt, false});
}

void SessionEngine::onFrameLogged(const FrameLogEntry &entry, const QString &sessionId)
{
    ProtocolLogEntry log;
    log.timeMs = entry.at.toMSecsSinceEpoch();
    // A batch's control socket carries every sub-session's events: each row
    // names the sub-session it is about.
    log.sessionId = entry.sessionId.isEmpty() ? sessionId : entry.sessionId;
    log.direction = entry.direction == FrameDirection::Sent ? ProtocolLogEntry::Direction::Outgoing
                                                            : ProtocolLogEntry::Direction::Incoming;
    log.method = entry.method;
    log.seqId = entry.seqId;
    log.summary = entry.summary;
    log.dropped = entry.droppedAsDuplicate;
    m_batcher.addProtocolEntry(log);
}

void SessionEngine::onSessionFailed(Session *session, const ManagedSessionError &error)
{
    m_journal.failure(session ? session->sessionId : QString(), error.message,
                      managedSessionErrorKindName(error.kind), failureKindName(error.failure));
    endFailed(session, categoryFor(error), error.message);
}

void SessionEngine::endFailed(Session *session, RunOutcome::Category category, const QString &message)
{
    if (!m_firstFailure)
        m_firstFailure = std::pair{category, message};
    if (!session || m_sessions.size() == 1) {
        // The run itself failed (create, the shared control, or its only session).
        for (const auto &s : m_sessions) {
            if (!s->ended) {
                s->stepper.onEnded(SessionState::Failed);
                s->ended = true;
                syncRow(s.get());
                rowOf(s.get())->lastError = message;
            }
        }
        SessionRow &batchRow = m_batcher.editBatchRow();
        batchRow.lastError = message;
        batchRow.state = SessionState::Failed;
        finishRun(RunOutcome::Kind::Failed, category, message);
        return;
    }
    // One sub-session of a batch: its row fails, its siblings go on.
    if (session->ended)
        return;
    session->stepper.onEnded(SessionState::Failed);
    session->ended = true;
    syncRow(session);
    rowOf(session)->lastError = message;
    onSessionEnded();
}

void SessionEngine::onSessionEnded()
{
    if (!m_running)
        return;
    if (!std::all_of(m_sessions.cbegin(), m_sessions.cend(), [](const auto &s) { return s->ended; }))
        return;
    if (m_firstFailure) {
        const int failedCount = int(std::count_if(m_sessions.cbegin(), m_sessions.cend(), [this](const auto &s) {
            return m_batcher.row(s->row).state == SessionState::Failed;
        }));
        const QString message = m_sessions.size() > 1
            ? tr("%1 of %2 sub-sessions failed; first: %3").arg(failedCount).arg(m_sessions.size()).arg(m_firstFailure->second)
            : m_firstFailure->second;
        SessionRow &batchRow = m_batcher.editBatchRow();
        batchRow.state = SessionState::Failed;
        batchRow.lastError = message;
        finishRun(RunOutcome::Kind::Failed, m_firstFailure->first, message);
        return;
    }
    m_batcher.editBatchRow().state = SessionState::Completed;
    finishRun(RunOutcome::Kind::Completed, RunOutcome::Category::None, {});
}

// ---------------------------------------------------------------------------
// Driving

void SessionEngine::send(Session *session, const std::optional<Step> &step)
{
    if (!step || !m_running || session->ended)
        return;
    m_journal.stepSent(session->sessionId, *step);
    if (m_config.parallel && m_batcher.batchRow().state == SessionState::Ready)
        m_batcher.editBatchRow().state = SessionState::Running;
    syncRow(session);
    Result<void> sent = makeError(tr("the session is not running"));
    if (session->core) {
        if (const auto *advance = std::get_if<ContinueParams>(&*step))
            sent = session->core->sendContinue(*advance);
        else
            sent = session->core->sendContinueTo(std::get<ContinueToParams>(*step));
    }
    if (sent)
        return;
    session->stepper.stepNotSent(sent.error().message);
    m_journal.problem(session->sessionId, sent.error().message);
    syncRow(session);
    checkDriving(session, tr("a step could not be sent"));
}

void SessionEngine::checkDriving(Session *session, const QString &cause)
{
    const QString reason = session->stepper.drivingStopped();
    if (!m_config.unattended || reason.isEmpty() || session->ended || !m_running)
        return;
    // Nobody will press Continue (DESIGN.md §5): this session cannot go on.
    const QString message = m_sessions.size() > 1
        ? tr("sub-session %1: %2 (%3); an unattended run cannot go on").arg(session->sessionId, cause, reason)
        : tr("%1 (%2); an unattended run cannot go on").arg(cause, reason);
    m_journal.problem(session->sessionId, message);
    if (m_sessions.size() > 1 && session->core)
        session->core->shutdown(); // its siblings go on; the batch then ends failed
    endFailed(session, RunOutcome::Category::Driving, message);
}

// ---------------------------------------------------------------------------
// Rows, capture, finishing

void SessionEngine::syncRow(Session *session)
{
    SessionRow &row = *rowOf(session);
    const Stepper &stepper = session->stepper;
    row.state = stepper.state();
    row.drive = stepper.phase() == Stepper::Phase::Ended ? DriveMode::Manual : stepper.driveMode();
    row.currentSlot = stepper.currentSlot();
    row.simulationErrors = stepper.simulationErrors();
    if (!session->ended)
        row.lastError = stepper.lastError().isEmpty() ? session->replayGap : stepper.lastError();
    QString detail;
    if (session->draining && !session->ended && stepper.phase() != Stepper::Phase::Ended)
        // Said while it lasts (a stalled stream: up to ConnectionPolicy::drainIdleTimeout
        // of nothing), not "running" at the last slot reported.
        detail = tr("completed on the server; receiving the rest of its stream");
    else if (stepper.isWaitingForReady())
        detail = tr("waiting for readyForContinue");
    else if (stepper.phase() == Stepper::Phase::Starting && session->startingRuntimeSinceMs)
        detail = tr("starting runtime, %1")
                     .arg(describeDuration(std::chrono::milliseconds{nowMs() - *session->startingRuntimeSinceMs}));
    row.stateDetail = detail;
}

void SessionEngine::tickWaiting()
{
    bool anyWaiting = false;
    if (m_batchStartingSinceMs) {
        syncBatchWait();
        if (m_batchCreated)
            m_batchStartingSinceMs.reset();
        else
            anyWaiting = true;
    }
    for (const auto &session : m_sessions) {
        if (!session->startingRuntimeSinceMs)
            continue;
        if (session->ended || session->stepper.phase() != Stepper::Phase::Starting) {
            session->startingRuntimeSinceMs.reset();
        } else {
            anyWaiting = true;
        }
        syncRow(session.get());
    }
    if (!anyWaiting)
        m_waitTicker.stop();
}

void SessionEngine::queuePosition(Session *session, bool finished)
{
    PositionUpdate position;
    position.sessionId = session->sessionId;
    position.finished = finished;
    if (const std::optional<PausedEvent> paused = session->stepper.pausedAt()) {
        position.slot = paused->slot;
        position.batchIndex = paused->batchIndex;
        position.paused = true;
    } else {
        // Not the last slot reported: a batch of the slot a step just ran
        // is passed, not ahead (Continue To it would be refused).
        position.slot = session->stepper.nextSlot();
    }
    m_batcher.addPosition(position);
}

void SessionEngine::flush()
{
    if (m_capture.isOpen()) {
        if (const Result<void> flushed = m_capture.flush(); !flushed && m_running) {
            const QString message = tr("capture write failed: %1").arg(flushed.error().message);
            for (const auto &session : m_sessions) {
                session->stepper.onEnded(SessionState::Failed);
                session->ended = true;
                syncRow(session.get());
                rowOf(session.get())->lastError = message;
            }
            m_batcher.editBatchRow().lastError = message;
            finishRun(RunOutcome::Kind::Failed, RunOutcome::Category::Capture, message);
            return;
        }
    }
    takeCoordinator(false);
    const ModelUpdate update = m_batcher.take(m_capture.transactionCount(), m_duplicatesTotal, m_framesDroppedTotal);
    if (!update.isEmpty()) {
        Q_EMIT modelUpdated(update);
        return;
    }
    // Nothing came and the capture is flushed: sleep until the next change.
    // A batch that only keeps alive would otherwise wake this thread 30 times
    // a second, and each wake-up polls every one of its ~770 sockets.
    // Nor while a coordinator state waits for its 250 ms turn in the events
    // file (takeCoordinator()): the last one of a storm would otherwise stay
    // out of it until the next change, or for good if the app is killed.
    if (!m_coordinatorParked && !m_coordinatorChanged && !m_coordinatorUnjournaled)
        m_batcher.sleepUntilChanged();
}

void SessionEngine::takeCoordinator(bool final)
{
    // A parked socket falls further behind while its siblings stream: its
    // distance to the replay window is refreshed every second even when the
    // queue itself stands still.
    constexpr qint64 behindRefreshMs = 1000;
    if (m_coordinatorParked && m_batch && nowMs() - m_coordinatorTakenAtMs >= behindRefreshMs)
        m_coordinatorChanged = true;
    if (m_coordinatorChanged && m_batch) {
        m_coordinatorChanged = false;
        CoordinatorSnapshot snapshot = m_batch->reconnectCoordinator()->snapshot();
        addSlotsBehind(snapshot);
        m_coordinatorParked = snapshot.holder || !snapshot.parked.isEmpty();
        m_coordinatorTakenAtMs = nowMs();
        m_batcher.setCoordinator(snapshot);
        m_coordinatorUnjournaled = std::move(snapshot);
    }
    // A storm changes the coordinator hundreds of times a second; the events
    // file keeps its state every 250 ms, and always the last one. A queue
    // that fills or empties is written at once: a storm shorter than the
    // interval would otherwise replay as if nobody had been parked.
    constexpr qint64 journalIntervalMs = 250;
    if (!m_coordinatorUnjournaled)
        return;
    const bool someoneParked = !m_coordinatorUnjournaled->parked.isEmpty();
    const qint64 now = nowMs();
    if (!final && someoneParked == m_journaledSomeoneParked && now - m_coordinatorJournaledAtMs < journalIntervalMs)
        return;
    m_journal.coordinator(*m_coordinatorUnjournaled);
    m_coordinatorUnjournaled.reset();
    m_coordinatorJournaledAtMs = now;
    m_journaledSomeoneParked = someoneParked;
}

void SessionEngine::addSlotsBehind(CoordinatorSnapshot &snapshot) const
{
    const auto fill = [this](CoordinatorSnapshot::Socket &socket) {
        const Session *session = m_byId.value(socket.sessionId);
        if (session && session->core)
            socket.slotsBehind = session->core->slotsBehind(socket.socket);
    };
    if (snapshot.holder)
        fill(*snapshot.holder);
    for (CoordinatorSnapshot::Socket &socket : snapshot.parked)
        fill(socket);
}

void SessionEngine::reconnectNow(const QString &sessionId, const QString &socket)
{
    bool accepted = false;
    if (m_running && m_batch)
        accepted = m_batch->reconnectNow(sessionId, socket);
    else if (m_running && m_session)
        accepted = m_session->reconnectNow(socket);
    qCInfo(lcEngine).nospace() << "reconnect now: " << (sessionId.isEmpty() ? u"run"_s : sessionId) << " · "
                               << socket << (accepted ? " accepted" : " not waiting");
    if (accepted) {
        // The retry is made now (or waits for the handshake slot): the time
        // it was due no longer holds.
        SessionRow *row = nullptr;
        if (Session *session = m_byId.value(sessionId))
            row = rowOf(session);
        else if (sessionId.isEmpty())
            row = m_config.parallel || m_sessions.empty() ? &m_batcher.editBatchRow() : rowOf(m_sessions.front().get());
        if (row) {
            LinkState &link = row->link(socket).state;
            link.retryInMs.reset();
            link.retryAtMs.reset();
        }
    }
    if (m_running)
        m_journal.reconnectNow(sessionId, socket, accepted);
    Q_EMIT reconnectNowHandled(sessionId, socket, accepted);
}

void SessionEngine::finishRun(RunOutcome::Kind kind, RunOutcome::Category category, const QString &message,
                              bool serverNotTold)
{
    if (!m_running)
        return;
    m_running = false;
    m_waitTicker.stop();

    RunOutcome outcome;
    outcome.runId = m_runId;
    outcome.kind = kind;
    outcome.category = category;
    outcome.message = message;
    outcome.serverNotTold = serverNotTold;
    outcome.capturePath = m_capture.isOpen() ? m_capture.path() : m_config.capturePath;
    outcome.transactions = m_capture.transactionCount();
    outcome.framesDropped = m_framesDroppedTotal;
    outcome.replayGaps = m_replayGapsTotal;
    outcome.missedSlots = m_missedSlotsTotal;

    if (kind == RunOutcome::Kind::Completed)
        m_coordinatorChanged = true; // the last state, with every ended stream gone from it
    if (kind != RunOutcome::Kind::Completed && m_batch) {
        // Stopped or failed mid-storm: the sockets close with the run, so the
        // last state has nobody parked (the panel and the replay froze on
        // "Storm … 230 parked" otherwise).
        m_batch->reconnectCoordinator()->cancelAll();
        m_coordinatorChanged = true;
    }
    takeCoordinator(true);
    if (m_capture.isOpen()) {
        if (kind == RunOutcome::Kind::Completed) {
            QStringList sessionIds;
            for (const auto &session : m_sessions) {
                if (!session->sessionId.isEmpty())
                    sessionIds.append(session->sessionId);
            }
            if (const Result<void> finished = m_capture.finish(sessionIds); finished) {
                outcome.captureComplete = true;
            } else {
                outcome.kind = RunOutcome::Kind::Failed;
                outcome.category = RunOutcome::Category::Capture;
                outcome.message = tr("capture could not be completed: %1").arg(finished.error().message);
            }
        } else {
            // A run cut short keeps everything that arrived, without a summary
            // line (CAPTURE_FORMAT.md §2 "Truncated files").
            (void)m_capture.flush();
            m_capture.close();
        }
    }

    // A run that ends failed shows Failed on every unfinished row, also when it
    // never had a session (unusable config, capture not writable) or its
    // summary could not be written.
    if (outcome.kind == RunOutcome::Kind::Failed) {
        SessionRow &batchRow = m_batcher.editBatchRow();
        batchRow.state = SessionState::Failed;
        batchRow.lastError = outcome.message;
        for (const auto &session : m_sessions) {
            SessionRow &row = *rowOf(session.get());
            if (row.state != SessionState::Failed && row.state != SessionState::Completed) {
                session->stepper.onEnded(SessionState::Failed);
                session->ended = true;
                row.state = SessionState::Failed;
                row.stateDetail.clear();
                if (row.lastError.isEmpty())
                    row.lastError = outcome.message;
            }
            if (m_sessions.size() == 1 && row.lastError.isEmpty())
                row.lastError = outcome.message;
        }
        if (m_sessions.size() == 1 && outcome.category == RunOutcome::Category::Capture)
            rowOf(m_sessions.front().get())->lastError = outcome.message;
    }
    // The sockets close with the run, also a failed one (teardownSession()):
    // say so instead of leaving the last Up. A completed run's subscriptions
    // closed at their end of stream already.
    for (const auto &session : m_sessions)
        rowOf(session.get())->closeLinks(tr("closed"), /*subscriptionsToo=*/kind != RunOutcome::Kind::Completed);
    m_batcher.editBatchRow().closeLinks(tr("closed"), false);

    flush();
    m_batcher.stop();
    teardownSession();
    Q_EMIT runFinished(outcome);
}

template<class SessionType>
void SessionEngine::trackClosing(SessionType *session)
{
    session->disconnect(this);
    if (session->hasFinished())
        return;
    ++m_closing;
    connect(session, &SessionType::finished, this, [this] {
        --m_closing;
        Q_EMIT sessionClosed();
    });
}

void SessionEngine::teardownSession()
{
    // Nothing of the old run reaches the engine any more.
    for (const auto &session : m_sessions) {
        if (session->core)
            session->core->disconnect(this);
        session->core.clear();
    }
    // Each closes gracefully (a running one is shut down) and deletes itself
    // once every socket stopped.
    if (ManagedSession *single = m_session.data()) {
        m_session.clear();
        trackClosing(single);
        single->shutdownAndDelete();
    }
    if (ManagedParallelSession *batch = m_batch.data()) {
        m_batch.clear();
        trackClosing(batch);
        batch->shutdownAndDelete();
    }
}


} // namespace SlotScope
