#include "engine/sessionengine.h"

#include "engine/logging.h"
#include "model/transactionrecord.h"
#include "net/controlmanager.h"
#include "net/framelog.h"
#include "net/parallelcontrolmanager.h"
#include "protocol/transactionsummary.h"
#include "session/managedparallelsession.h"
#include "session/managedsession.h"
#include "session/parallelsubsession.h"

#include <QDateTime>
#include <QFileInfo>
#include <QJsonArray>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace SlotScope {

namespace {

QJsonValue optionalBatchIndex(std::optional<quint32> batchIndex)
{
    return batchIndex ? QJsonValue(qint64(*batchIndex)) : QJsonValue(QJsonValue::Null);
}

QJsonObject discoveryJson(const DiscoveryBatchEvent &event)
{
    QJsonArray matched;
    for (const DiscoveryFilter &filter : event.matched)
        matched.append(filter.toJson());
    QJsonArray indices;
    for (quint32 index : event.transactionIndices)
        indices.append(qint64(index));
    return {{u"slot"_s, qint64(event.slot)},
            {u"batchIndex"_s, qint64(event.batchIndex)},
            {u"matched"_s, matched},
            {u"transactionCount"_s, qint64(event.transactions.size())},
            {u"transactionIndices"_s, indices}};
}

/// The outcome category of a session failure: the error kind, refined by why
/// the control connection failed (rejected key, unreachable server, rejected
/// create, terminal server error).
RunOutcome::Category categoryFor(const ManagedSessionError &error, FailureKind controlFailure)
{
    switch (controlFailure) {
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

LinkState closedLink(const QString &reason)
{
    return LinkState{ConnectionStatus::Down, 0, std::nullopt, reason};
}

} // namespace

SessionEngine::SessionEngine(QObject *parent)
    : QObject(parent)
    , m_flushTimer(this)
{
    m_flushTimer.setInterval(33);
    connect(&m_flushTimer, &QTimer::timeout, this, &SessionEngine::flush);
}

SessionEngine::~SessionEngine()
{
    teardownSession();
    if (m_capture.isOpen())
        m_capture.close();
}

void SessionEngine::setFlushInterval(std::chrono::milliseconds interval)
{
    m_flushTimer.setInterval(interval);
}

QStringList SessionEngine::accountDiffOwners(const RunConfig &config)
{
    if (!config.subscribePrograms.isEmpty())
        return config.subscribePrograms;
    return {u"TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"_s, u"11111111111111111111111111111111"_s};
}

SessionEngine::Drive SessionEngine::driveFor(RunConfig::Drive drive)
{
    switch (drive) {
    case RunConfig::Drive::Manual: return Drive::Manual;
    case RunConfig::Drive::RunToEnd: return Drive::RunToEnd;
    case RunConfig::Drive::PauseAtDiscoveries: return Drive::PauseAtDiscoveries;
    }
    return Drive::Manual;
}

// ---------------------------------------------------------------------------
// Starting a run

void SessionEngine::start(const RunConfig &config, const QString &controlUrl)
{
    if (m_running)
        stop();

    m_config = config;
    m_controlUrl = controlUrl;
    m_runId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    m_drivers.clear();
    m_driverById.clear();
    m_batchControl = {};
    m_runState = SessionState::Creating;
    m_runError.clear();
    m_firstFailure.reset();
    m_pending = {};
    m_duplicatesTotal = 0;
    m_running = true;

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
    m_pending.sessions.append(run);
    if (!config.parallel)
        addDriver({}, config.startSlot, config.endSlot);

    if (const QString problem = config.validate(); !problem.isEmpty()) {
        finishRun(RunOutcome::Kind::Failed, RunOutcome::Category::Usage, problem);
        return;
    }

    CaptureMetadata metadata;
    metadata.startSlot = config.startSlot;
    metadata.endSlot = config.endSlot;
    metadata.programIds = config.subscribePrograms;
    metadata.ranAtUnixSecs = QDateTime::currentSecsSinceEpoch();
    if (const Result<void> opened = m_capture.open(config.capturePath, metadata); !opened) {
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
    params.parallel = config.parallel;
    for (const QString &program : config.discoverPrograms)
        params.discoveries.append(DiscoveryFilter::programExecuted(program));

    if (config.parallel)
        startParallel(params);
    else
        startSingle(params);
    m_flushTimer.start();
}

template<typename Session>
void SessionEngine::connectDriverSignals(Session *session, Driver *driver)
{
    connect(session, &Session::eventReceived, this,
            [this, driver](const ManagedEvent &event) { onEvent(driver, event); });
    connect(session, &Session::transactionReceived, this,
            [this, driver](const TransactionSummary &summary, QByteArrayView raw) {
                onTransaction(driver, summary, raw);
            });
    connect(session, &Session::accountDiffReceived, this,
            [this, driver](quint64, const QString &, const QString &, QByteArrayView raw) {
                onAccountDiff(driver, raw);
            });
    connect(session, &Session::connectionStatusChanged, this,
            [this, driver](const QString &socket, ConnectionStatus status, const QString &reason, int attempt) {
                onConnectionStatus(driver, socket, status, reason, attempt);
            });
    connect(session, &Session::reconnectScheduled, this,
            [this, driver](const QString &socket, int attempt, std::chrono::milliseconds delay) {
                onReconnectScheduled(driver, socket, attempt, delay);
            });
    connect(session, &Session::duplicateDropped, this,
            [this, driver](const QString &socket, const QString &key, quint64 slot) {
                ++driver->duplicates;
                ++m_duplicatesTotal;
                logEvent(u"duplicate_dropped"_s, driver->sessionId,
                         QJsonObject{{u"socket"_s, socket}, {u"signature"_s, key}, {u"slot"_s, qint64(slot)}});
                driver->dirty = true;
            });
    driver->sendContinue = [session](const ContinueParams &params) { return session->sendContinue(params); };
    driver->sendContinueTo = [session](const ContinueToParams &params) { return session->sendContinueTo(params); };
}

void SessionEngine::startSingle(const CreateSessionParams &params)
{
    Driver *driver = m_drivers.front().get();
    driver->drive = driveFor(m_config.drive);
    auto *session = new ManagedSession(m_controlUrl, m_config.apiKey, params, m_policy, this);
    m_session = session;
    connect(session, &ManagedSession::created, this, [this, driver](const SessionInfo &info) {
        driver->sessionId = info.sessionId;
        m_driverById.insert(info.sessionId, driver);
        logEvent(u"session_created"_s, info.sessionId,
                 {{u"session_id"_s, info.sessionId},
                  {u"rpc_endpoint"_s, info.rpcEndpoint},
                  {u"task_id"_s, info.taskId ? QJsonValue(*info.taskId) : QJsonValue()}});
        driver->dirty = true;
    });
    connectDriverSignals(session, driver);
    connect(session, &ManagedSession::frameLogged, this,
            [this, driver](const FrameLogEntry &entry) { onFrameLogged(entry, driver->sessionId); });
    connect(session, &ManagedSession::failed, this, [this, driver](const ManagedSessionError &error) {
        const FailureKind controlFailure = m_session && m_session->control() ? m_session->control()->failureKind()
                                                                            : FailureKind::None;
        onSessionFailed(driver, error, controlFailure);
    });

    session->subscribeTransactions(m_config.subscribePrograms, m_config.zstd);
    if (m_config.accountDiffs) {
        for (const QString &owner : accountDiffOwners(m_config))
            session->subscribeAccountDiffs(owner, /*programOwner=*/true, m_config.zstd);
    }
    session->start();
}

void SessionEngine::startParallel(const CreateSessionParams &params)
{
    auto *batch = new ManagedParallelSession(m_controlUrl, m_config.apiKey, params, m_policy, this);
    m_batch = batch;
    connect(batch, &ManagedParallelSession::created, this,
            [this](const QString &controlSessionId, const QList<ParallelSubSession *> &subSessions) {
                logEvent(u"session_created"_s, {},
                         {{u"control_session_id"_s, controlSessionId},
                          {u"sub_sessions"_s, qint64(subSessions.size())}});
                onBatchCreated(subSessions);
            });
    connect(batch, &ManagedParallelSession::reattached, this, [this](const QString &controlSessionId) {
        logEvent(u"session_attached"_s, {}, {{u"control_session_id"_s, controlSessionId}});
    });
    connect(batch, &ManagedParallelSession::connectionStatusChanged, this,
            [this](const QString &socket, ConnectionStatus status, const QString &reason, int attempt) {
                onConnectionStatus(nullptr, socket, status, reason, attempt);
            });
    connect(batch, &ManagedParallelSession::reconnectScheduled, this,
            [this](const QString &socket, int attempt, std::chrono::milliseconds delay) {
                onReconnectScheduled(nullptr, socket, attempt, delay);
            });
    connect(batch, &ManagedParallelSession::frameLogged, this,
            [this](const FrameLogEntry &entry) { onFrameLogged(entry, {}); });
    connect(batch, &ManagedParallelSession::duplicateDropped, this, [this](const QString &sessionId, quint64 seqId) {
        ++m_duplicatesTotal;
        logEvent(u"duplicate_dropped"_s, sessionId, QJsonObject{{u"socket"_s, u"control"_s}, {u"seq_id"_s, qint64(seqId)}});
    });
    connect(batch, &ManagedParallelSession::completed, this, [this] {
        // Every sub-session completed after its drain; each driver finished
        // already, this is the batch's own word on it.
        if (m_running && std::all_of(m_drivers.cbegin(), m_drivers.cend(), [](const auto &d) { return d->ended; }))
            onDriverEnded(nullptr);
    });
    connect(batch, &ManagedParallelSession::failed, this, [this](const ManagedSessionError &error) {
        const FailureKind controlFailure = m_batch && m_batch->control() ? m_batch->control()->failureKind()
                                                                        : FailureKind::None;
        onSessionFailed(nullptr, error, controlFailure);
    });
    batch->subscribeTransactions(m_config.subscribePrograms, m_config.zstd);
    if (m_config.accountDiffs) {
        for (const QString &owner : accountDiffOwners(m_config))
            batch->subscribeAccountDiffs(owner, /*programOwner=*/true, m_config.zstd);
    }
    batch->start();
}

void SessionEngine::onBatchCreated(const QList<ParallelSubSession *> &subSessions)
{
    m_runState = SessionState::Ready;
    m_runRowDirty = true;
    for (ParallelSubSession *sub : subSessions) {
        Driver *driver = addDriver(sub->sessionId(), sub->startSlot(), sub->endSlot());
        driver->drive = driveFor(m_config.drive);
        logEvent(u"session_created"_s, sub->sessionId(),
                 {{u"session_id"_s, sub->sessionId()},
                  {u"rpc_endpoint"_s, sub->sessionInfo().rpcEndpoint},
                  {u"start_slot"_s, qint64(sub->startSlot())},
                  {u"end_slot"_s, qint64(sub->endSlot())},
                  {u"task_id"_s, sub->sessionInfo().taskId ? QJsonValue(*sub->sessionInfo().taskId) : QJsonValue()}});
        connectDriverSignals(sub, driver);
        connect(sub, &ParallelSubSession::failed, this, [this, driver](const ManagedSessionError &error) {
            onSessionFailed(driver, error, FailureKind::None);
        });
    }
}

SessionEngine::Driver *SessionEngine::addDriver(const QString &sessionId, quint64 startSlot, quint64 endSlot)
{
    auto driver = std::make_unique<Driver>();
    driver->sessionId = sessionId;
    driver->startSlot = startSlot;
    driver->endSlot = endSlot;
    driver->nextSlot = startSlot;
    driver->currentSlot = startSlot;
    Driver *raw = driver.get();
    m_drivers.push_back(std::move(driver));
    if (!sessionId.isEmpty())
        m_driverById.insert(sessionId, raw);
    return raw;
}

QList<SessionEngine::Driver *> SessionEngine::driversFor(const QString &sessionId)
{
    QList<Driver *> drivers;
    if (sessionId.isEmpty()) {
        for (const auto &driver : m_drivers)
            drivers.append(driver.get());
    } else if (Driver *driver = m_driverById.value(sessionId)) {
        drivers.append(driver);
    }
    return drivers;
}

// ---------------------------------------------------------------------------
// Stepping commands

void SessionEngine::continueSession(quint64 advanceCount, const QString &sessionId)
{
    if (!m_running)
        return;
    for (Driver *driver : driversFor(sessionId)) {
        if (driver->ended)
            continue;
        driver->drive = Drive::Manual;
        if (driver->state == SessionState::Ready || driver->state == SessionState::Paused)
            sendContinue(driver, advanceCount == 0 ? m_config.advanceCount : advanceCount);
    }
}

void SessionEngine::continueTo(quint64 slot, qint64 batchIndex, const QString &sessionId)
{
    if (!m_running)
        return;
    Driver *target = nullptr;
    if (!sessionId.isEmpty()) {
        target = m_driverById.value(sessionId);
    } else {
        for (const auto &driver : m_drivers) {
            if (slot >= driver->startSlot && slot <= driver->endSlot && !driver->ended) {
                target = driver.get();
                break;
            }
        }
        if (!target && m_drivers.size() == 1)
            target = m_drivers.front().get(); // a single session: let the server judge the target
    }
    if (!target) {
        m_runError = tr("no running session covers slot %1").arg(slot);
        m_runRowDirty = true;
        return;
    }
    target->drive = Drive::Manual;
    sendContinueTo(target, slot, batchIndex < 0 ? std::nullopt : std::optional<quint32>(quint32(batchIndex)));
}

void SessionEngine::runToEnd(const QString &sessionId)
{
    if (!m_running)
        return;
    for (Driver *driver : driversFor(sessionId)) {
        driver->drive = Drive::RunToEnd;
        stepIfDriven(driver);
    }
}

void SessionEngine::runToNextDiscovery(const QString &sessionId)
{
    if (!m_running)
        return;
    for (Driver *driver : driversFor(sessionId)) {
        driver->drive = Drive::ToNextDiscovery;
        stepIfDriven(driver);
    }
}

void SessionEngine::stop()
{
    if (!m_running)
        return;
    logEvent(u"stopped"_s, {}, {});
    for (const auto &driver : m_drivers) {
        if (!driver->ended)
            setState(driver.get(), SessionState::Stopped);
    }
    m_runState = SessionState::Stopped;
    finishRun(RunOutcome::Kind::Stopped, RunOutcome::Category::None, tr("stopped by the user"));
}

// ---------------------------------------------------------------------------
// Session events

void SessionEngine::onEvent(Driver *driver, const ManagedEvent &event)
{
    using namespace ManagedEvents;
    const QString &sessionId = driver->sessionId;
    if (const auto *slot = std::get_if<Slot>(&event)) {
        driver->currentSlot = slot->slot;
        // Before the first step the notification says where the session
        // stands; during a step it says the slot has executed (PROTOCOL.md §4.6).
        driver->nextSlot = driver->stepInFlight ? slot->slot + 1 : slot->slot;
        driver->pausedAt.reset();
        logEvent(u"slot"_s, sessionId, QJsonObject{{u"slot"_s, qint64(slot->slot)}});
        queuePosition(driver);
        driver->dirty = true;
    } else if (const auto *status = std::get_if<Status>(&event)) {
        logEvent(u"status"_s, sessionId, QJsonObject{{u"status"_s, status->status}});
        if (driver->stepInFlight)
            setState(driver, SessionState::Running);
    } else if (std::holds_alternative<ReadyForContinue>(event)) {
        logEvent(u"ready"_s, sessionId, {});
        if (driver->stepInFlight)
            driver->lastError.clear(); // a step completed: an earlier refusal is history
        driver->stepInFlight = false;
        setState(driver, SessionState::Ready);
        stepIfDriven(driver);
    } else if (const auto *paused = std::get_if<Paused>(&event)) {
        const PausedEvent &p = paused->event;
        logEvent(u"paused"_s, sessionId,
                 QJsonObject{{u"slot"_s, qint64(p.slot)}, {u"batchIndex"_s, optionalBatchIndex(p.batchIndex)}});
        driver->stepInFlight = false;
        driver->pausedAt = p;
        driver->currentSlot = p.slot;
        driver->nextSlot = p.batchIndex ? p.slot : p.slot + 1;
        setState(driver, SessionState::Paused);
        queuePosition(driver);
        stepIfDriven(driver);
    } else if (const auto *discovery = std::get_if<DiscoveryBatch>(&event)) {
        const DiscoveryBatchEvent &batch = discovery->event;
        const bool known = std::any_of(driver->discoveries.cbegin(), driver->discoveries.cend(), [&](const auto &d) {
            return d.slot == batch.slot && d.batchIndex == batch.batchIndex;
        });
        if (!known) {
            driver->discoveries.append(batch);
            logEvent(u"discovery_batch"_s, sessionId, discoveryJson(batch));
            m_pending.discoveries.append({sessionId, batch});
        }
    } else if (const auto *completed = std::get_if<Completed>(&event)) {
        // Delivered after the completion drain: every transaction is captured.
        logEvent(u"completed"_s, sessionId, completed->summary ? completed->summary->toJson() : QJsonObject{});
        driver->currentSlot = driver->endSlot;
        // Every subscription delivered its end of stream (PROTOCOL.md §5.8).
        for (auto &[socket, link] : driver->subscriptions)
            link.state = closedLink(tr("end of stream"));
        setState(driver, SessionState::Completed);
        queuePosition(driver, /*finished=*/true);
        driver->ended = true;
        onDriverEnded(driver);
    } else if (const auto *error = std::get_if<ManagedEvents::Error>(&event)) {
        // A non-terminal server error (terminal ones arrive through failed()):
        // most likely the server refused the step we sent, so no step is in flight.
        driver->lastError = error->error.message();
        logEvent(u"error"_s, sessionId,
                 QJsonObject{{u"error"_s, error->error.toJson()}, {u"message"_s, driver->lastError}});
        if (driver->stepInFlight) {
            driver->stepInFlight = false;
            setState(driver, driver->pausedAt ? SessionState::Paused : SessionState::Ready);
            // Stepping automatically into a refusal would loop; hand control back.
            driver->drive = Drive::Manual;
        }
        driver->dirty = true;
    }
}

void SessionEngine::onTransaction(Driver *driver, const TransactionSummary &summary, QByteArrayView raw)
{
    // Disk first (DESIGN.md §3): the capture is the source of truth.
    const qint64 offset = m_capture.appendTransaction(driver->sessionId, summary, raw);
    m_pending.transactions.append(makeTransactionRecord(driver->sessionId, summary, offset));
    ++driver->transactions;
    driver->dirty = true;
}

void SessionEngine::onAccountDiff(Driver *driver, QByteArrayView raw)
{
    // Disk first, verbatim: {context:{slot}, account, signature, pre, post}
    // (DESIGN.md §3; CsvExporter's account-diff export reads these events).
    if (m_capture.isOpen())
        m_capture.appendEvent(u"account_diff"_s, driver->sessionId, raw);
}

SessionEngine::Link &SessionEngine::linkFor(Driver *driver, const QString &socket)
{
    if (!driver)
        return m_batchControl;
    if (socket == u"control")
        return driver->control;
    for (auto &[name, link] : driver->subscriptions) {
        if (name == socket)
            return link;
    }
    driver->subscriptions.append({socket, Link{}});
    return driver->subscriptions.last().second;
}

void SessionEngine::onConnectionStatus(Driver *driver, const QString &socket, ConnectionStatus status,
                                       const QString &reason, int attempt)
{
    Link &link = linkFor(driver, socket);
    if (status == ConnectionStatus::Up && link.everUp && driver)
        ++driver->reconnects;
    if (status == ConnectionStatus::Up)
        link.everUp = true;
    link.state.status = status;
    link.state.attempt = attempt;
    link.state.retryInMs.reset();
    link.state.reason = status == ConnectionStatus::Up ? QString() : reason;
    const QString sessionId = driver ? driver->sessionId : QString();
    logEvent(u"connection"_s, sessionId,
             QJsonObject{{u"socket"_s, socket},
                         {u"status"_s, connectionStatusName(status)},
                         {u"reason"_s, reason},
                         {u"attempt"_s, attempt}});
    m_pending.connections.append(ConnectionEvent{QDateTime::currentMSecsSinceEpoch(), sessionId, socket,
                                                 status, reason, attempt});
    if (driver)
        driver->dirty = true;
    else
        m_runRowDirty = true;
}

void SessionEngine::onReconnectScheduled(Driver *driver, const QString &socket, int attempt,
                                         std::chrono::milliseconds delay)
{
    Link &link = linkFor(driver, socket);
    link.state.attempt = attempt;
    link.state.retryInMs = qint64(delay.count());
    logEvent(u"connection"_s, driver ? driver->sessionId : QString(),
             QJsonObject{{u"socket"_s, socket},
                         {u"status"_s, connectionStatusName(link.state.status)},
                         {u"reason"_s, link.state.reason},
                         {u"attempt"_s, attempt},
                         {u"delay_ms"_s, qint64(delay.count())}});
    if (driver)
        driver->dirty = true;
    else
        m_runRowDirty = true;
}

void SessionEngine::onFrameLogged(const FrameLogEntry &entry, const QString &sessionId)
{
    ProtocolLogEntry log;
    log.timeMs = entry.at.toMSecsSinceEpoch();
    log.sessionId = sessionId;
    log.direction = entry.direction == FrameDirection::Sent ? ProtocolLogEntry::Direction::Outgoing
                                                            : ProtocolLogEntry::Direction::Incoming;
    log.method = entry.method;
    log.seqId = entry.seqId;
    log.summary = entry.summary;
    log.dropped = entry.droppedAsDuplicate;
    m_pending.protocol.append(log);
}

void SessionEngine::onSessionFailed(Driver *driver, const ManagedSessionError &error, FailureKind controlFailure)
{
    const RunOutcome::Category category = categoryFor(error, controlFailure);
    logEvent(u"error"_s, driver ? driver->sessionId : QString(),
             QJsonObject{{u"message"_s, error.message},
                         {u"kind"_s, managedSessionErrorKindName(error.kind)},
                         {u"connection"_s, failureKindName(controlFailure)}});
    if (!m_firstFailure)
        m_firstFailure = std::pair{category, error.message};
    if (!driver || m_drivers.size() == 1) {
        // The run itself failed (create, the shared control, or its only session).
        for (const auto &d : m_drivers) {
            if (!d->ended) {
                d->lastError = error.message;
                setState(d.get(), SessionState::Failed);
                d->ended = true;
            }
        }
        m_runError = error.message;
        m_runState = SessionState::Failed;
        finishRun(RunOutcome::Kind::Failed, category, error.message);
        return;
    }
    // One sub-session of a batch: its row fails, its siblings go on.
    driver->lastError = error.message;
    setState(driver, SessionState::Failed);
    driver->ended = true;
    onDriverEnded(driver);
}

void SessionEngine::onDriverEnded(Driver *)
{
    if (!m_running)
        return;
    if (!std::all_of(m_drivers.cbegin(), m_drivers.cend(), [](const auto &d) { return d->ended; }))
        return;
    if (m_firstFailure) {
        const int failedCount = int(std::count_if(m_drivers.cbegin(), m_drivers.cend(), [](const auto &d) {
            return d->state == SessionState::Failed;
        }));
        m_runState = SessionState::Failed;
        m_runError = m_drivers.size() > 1
            ? tr("%1 of %2 sub-sessions failed; first: %3").arg(failedCount).arg(m_drivers.size()).arg(m_firstFailure->second)
            : m_firstFailure->second;
        finishRun(RunOutcome::Kind::Failed, m_firstFailure->first, m_runError);
        return;
    }
    m_runState = SessionState::Completed;
    finishRun(RunOutcome::Kind::Completed, RunOutcome::Category::None, {});
}

// ---------------------------------------------------------------------------
// Driving

void SessionEngine::stepIfDriven(Driver *driver)
{
    if (!m_running || driver->stepInFlight || driver->ended)
        return;
    if (driver->state != SessionState::Ready && driver->state != SessionState::Paused)
        return;
    switch (driver->drive) {
    case Drive::Manual:
        return;
    case Drive::RunToEnd:
        sendContinue(driver, m_config.advanceCount);
        return;
    case Drive::PauseAtDiscoveries:
    case Drive::ToNextDiscovery:
        if (const auto next = nextDiscoveryAhead(*driver)) {
            if (driver->drive == Drive::ToNextDiscovery)
                driver->drive = Drive::Manual; // stop once paused before it
            sendContinueTo(driver, next->slot, next->batchIndex);
        } else {
            sendContinue(driver, m_config.advanceCount);
        }
        return;
    }
}

void SessionEngine::sendContinue(Driver *driver, quint64 advanceCount)
{
    if (!driver->sendContinue || driver->stepInFlight)
        return;
    ContinueParams params;
    params.advanceCount = advanceCount;
    driver->stepInFlight = true;
    driver->pausedAt.reset();
    logEvent(u"continue_sent"_s, driver->sessionId, QJsonObject{{u"advanceCount"_s, qint64(advanceCount)}});
    setState(driver, SessionState::Running);
    if (const Result<void> sent = driver->sendContinue(params); !sent)
        refuseStep(driver, sent.error().message);
}

void SessionEngine::sendContinueTo(Driver *driver, quint64 slot, std::optional<quint32> batchIndex)
{
    if (!driver->sendContinueTo || driver->stepInFlight)
        return;
    ContinueToParams params;
    params.slot = slot;
    params.batchIndex = batchIndex;
    driver->stepInFlight = true;
    logEvent(u"continue_to_sent"_s, driver->sessionId,
             QJsonObject{{u"slot"_s, qint64(slot)}, {u"batchIndex"_s, optionalBatchIndex(batchIndex)}});
    setState(driver, SessionState::Running);
    if (const Result<void> sent = driver->sendContinueTo(params); !sent)
        refuseStep(driver, sent.error().message);
}

void SessionEngine::refuseStep(Driver *driver, const QString &reason)
{
    driver->stepInFlight = false;
    driver->drive = Drive::Manual;
    driver->lastError = reason;
    logEvent(u"error"_s, driver->sessionId, QJsonObject{{u"message"_s, reason}});
    setState(driver, driver->pausedAt ? SessionState::Paused : SessionState::Ready);
}

bool SessionEngine::isAhead(const Driver &driver, quint64 slot, quint32 batchIndex)
{
    if (driver.pausedAt) {
        if (!driver.pausedAt->batchIndex)
            return slot > driver.pausedAt->slot;
        return slot > driver.pausedAt->slot
               || (slot == driver.pausedAt->slot && batchIndex > *driver.pausedAt->batchIndex);
    }
    return slot >= driver.nextSlot;
}

std::optional<DiscoveryBatchEvent> SessionEngine::nextDiscoveryAhead(const Driver &driver)
{
    std::optional<DiscoveryBatchEvent> best;
    for (const DiscoveryBatchEvent &batch : driver.discoveries) {
        if (!isAhead(driver, batch.slot, batch.batchIndex))
            continue;
        if (!best || batch.slot < best->slot || (batch.slot == best->slot && batch.batchIndex < best->batchIndex))
            best = batch;
    }
    return best;
}

// ---------------------------------------------------------------------------
// Rows, capture, finishing

void SessionEngine::setState(Driver *driver, SessionState state)
{
    if (driver->state == state)
        return;
    driver->state = state;
    driver->dirty = true;
    if (m_config.parallel && !isTerminalState(state) && m_runState != SessionState::Running
        && state == SessionState::Running) {
        m_runState = SessionState::Running;
        m_runRowDirty = true;
    }
}

void SessionEngine::queuePosition(Driver *driver, bool finished)
{
    PositionUpdate position;
    position.sessionId = driver->sessionId;
    position.finished = finished;
    if (driver->pausedAt) {
        position.slot = driver->pausedAt->slot;
        position.batchIndex = driver->pausedAt->batchIndex;
        position.paused = true;
    } else {
        position.slot = driver->currentSlot;
    }
    m_pending.positions.append(position);
}

void SessionEngine::logEvent(const QString &type, const QString &sessionId, const QJsonObject &data)
{
    if (m_capture.isOpen())
        m_capture.appendEvent(type, sessionId, data);
}

void SessionEngine::queueRunRow()
{
    // A batch's own row: its state and the shared control socket; the model
    // adds the totals of its sub-sessions.
    SessionUpdate update;
    update.runId = m_runId;
    update.state = m_runState;
    update.control = m_batchControl.state;
    update.lastError = m_runError;
    m_pending.sessions.append(update);
    m_runRowDirty = false;
}

void SessionEngine::flush()
{
    if (m_capture.isOpen()) {
        if (const Result<void> flushed = m_capture.flush(); !flushed && m_running) {
            const QString message = tr("capture write failed: %1").arg(flushed.error().message);
            m_runError = message;
            for (const auto &driver : m_drivers) {
                driver->lastError = message;
                setState(driver.get(), SessionState::Failed);
            }
            finishRun(RunOutcome::Kind::Failed, RunOutcome::Category::Capture, message);
            return;
        }
    }
    if (m_config.parallel && m_runRowDirty)
        queueRunRow();
    for (const auto &driver : m_drivers) {
        if (!driver->dirty)
            continue;
        SessionUpdate update;
        update.runId = m_runId;
        update.sessionId = driver->sessionId;
        update.startSlot = driver->startSlot;
        update.endSlot = driver->endSlot;
        update.currentSlot = driver->currentSlot;
        update.state = driver->state;
        if (!m_config.parallel)
            update.control = driver->control.state;
        QList<LinkState> subscriptions;
        for (const auto &[socket, link] : std::as_const(driver->subscriptions))
            subscriptions.append(link.state);
        update.subscriptions = subscriptions;
        update.reconnectCount = driver->reconnects;
        update.transactionsCaptured = driver->transactions;
        update.duplicatesDropped = driver->duplicates;
        update.lastError = driver->lastError;
        m_pending.sessions.append(update);
        driver->dirty = false;
    }
    if (m_pending.isEmpty())
        return;
    m_pending.capturedTotal = m_capture.transactionCount();
    m_pending.duplicatesDropped = m_duplicatesTotal;
    Q_EMIT modelUpdated(m_pending);
    m_pending = {};
}

void SessionEngine::finishRun(RunOutcome::Kind kind, RunOutcome::Category category, const QString &message)
{
    if (!m_running)
        return;
    m_running = false;

    RunOutcome outcome;
    outcome.kind = kind;
    outcome.category = category;
    outcome.message = message;
    outcome.capturePath = m_capture.isOpen() ? m_capture.path() : m_config.capturePath;
    outcome.transactions = m_capture.transactionCount();

    if (m_capture.isOpen()) {
        if (kind == RunOutcome::Kind::Completed) {
            QStringList sessionIds;
            for (const auto &driver : m_drivers) {
                if (!driver->sessionId.isEmpty())
                    sessionIds.append(driver->sessionId);
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
        m_runState = SessionState::Failed;
        m_runError = outcome.message;
        for (const auto &driver : m_drivers) {
            if (driver->state != SessionState::Failed && driver->state != SessionState::Completed) {
                setState(driver.get(), SessionState::Failed);
                if (driver->lastError.isEmpty())
                    driver->lastError = outcome.message;
            }
            if (m_drivers.size() == 1 && driver->lastError.isEmpty())
                driver->lastError = outcome.message;
        }
        if (m_drivers.size() == 1 && outcome.category == RunOutcome::Category::Capture)
            m_drivers.front()->lastError = outcome.message;
    }
    // The sockets close with the run: say so instead of leaving the last Up.
    for (const auto &driver : m_drivers) {
        if (kind != RunOutcome::Kind::Failed)
            driver->control.state = closedLink(tr("closed"));
        if (kind == RunOutcome::Kind::Stopped) {
            for (auto &[socket, link] : driver->subscriptions)
                link.state = closedLink(tr("closed"));
        }
        driver->dirty = true;
    }
    if (kind != RunOutcome::Kind::Failed)
        m_batchControl.state = closedLink(tr("closed"));
    if (m_config.parallel)
        m_runRowDirty = true;

    flush();
    m_flushTimer.stop();
    teardownSession();
    Q_EMIT runFinished(outcome);
}

namespace {

/// Closes a finished or running session object from the event loop: a running
/// one is shut down (graceful close), one still closing is left to finish;
/// either is deleted once every socket has stopped.
template<typename Session>
void closeAndDelete(Session *session, QObject *owner, const std::function<void()> &closed)
{
    session->disconnect(owner);
    QObject::connect(session, &Session::finished, session, &QObject::deleteLater);
    QObject::connect(session, &Session::finished, owner, closed);
    const auto state = session->state();
    const bool closing = state == Session::State::Completed || state == Session::State::Failed
                         || state == Session::State::ShutDown;
    if (!closing) {
        session->shutdown();
    } else if (session->control() && !session->control()->isRunning()) {
        // Already closed: finished() has been emitted before we listened.
        QMetaObject::invokeMethod(session, [session] { session->deleteLater(); }, Qt::QueuedConnection);
        QMetaObject::invokeMethod(owner, closed, Qt::QueuedConnection);
    }
}

} // namespace

void SessionEngine::teardownSession()
{
    const auto closed = [this] { Q_EMIT sessionClosed(); };
    if (ManagedSession *session = m_session.data()) {
        m_session.clear();
        closeAndDelete(session, this, closed);
    }
    if (ManagedParallelSession *batch = m_batch.data()) {
        m_batch.clear();
        closeAndDelete(batch, this, closed);
    }
}

} // namespace SlotScope
