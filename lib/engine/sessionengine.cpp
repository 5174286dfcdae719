#include "engine/sessionengine.h"

#include "engine/logging.h"
#include "model/transactionrecord.h"
#include "net/controlmanager.h"
#include "net/framelog.h"
#include "protocol/transactionsummary.h"
#include "session/managedsession.h"

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

void SessionEngine::start(const RunConfig &config, const QString &controlUrl)
{
    if (m_running)
        stop();

    m_config = config;
    m_controlUrl = controlUrl;
    m_runId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    m_sessionId.clear();
    m_state = SessionState::Creating;
    m_stepInFlight = false;
    m_nextSlot = config.startSlot;
    m_currentSlot = config.startSlot;
    m_pausedAt.reset();
    m_discoveries.clear();
    m_controlLink = {};
    m_subscriptionLinks.clear();
    m_reconnects = 0;
    m_lastError.clear();
    m_pending = {};
    switch (config.drive) {
    case RunConfig::Drive::Manual: m_drive = Drive::Manual; break;
    case RunConfig::Drive::RunToEnd: m_drive = Drive::RunToEnd; break;
    case RunConfig::Drive::PauseAtDiscoveries: m_drive = Drive::PauseAtDiscoveries; break;
    }
    m_running = true;

    // The run row exists from the first moment, so a failure before the session
    // is created (bad key, unreachable server) still shows on it.
    SessionUpdate run;
    run.runId = m_runId;
    run.label = u"%1..%2"_s.arg(config.startSlot).arg(config.endSlot);
    run.parallel = false;
    run.startSlot = config.startSlot;
    run.endSlot = config.endSlot;
    run.currentSlot = config.startSlot;
    run.state = SessionState::Creating;
    m_pending.sessions.append(run);

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
    for (const QString &program : config.discoverPrograms)
        params.discoveries.append(DiscoveryFilter::programExecuted(program));

    auto *session = new ManagedSession(controlUrl, config.apiKey, params, m_policy, this);
    m_session = session;
    connect(session, &ManagedSession::created, this, &SessionEngine::onCreated);
    connect(session, &ManagedSession::eventReceived, this, &SessionEngine::onEvent);
    connect(session, &ManagedSession::transactionReceived, this, &SessionEngine::onTransaction);
    connect(session, &ManagedSession::accountDiffReceived, this,
            [this](quint64, const QString &, const QString &, QByteArrayView raw) { onAccountDiff(raw); });
    connect(session, &ManagedSession::connectionStatusChanged, this,
            &SessionEngine::onConnectionStatus);
    connect(session, &ManagedSession::reconnectScheduled, this, &SessionEngine::onReconnectScheduled);
    connect(session, &ManagedSession::duplicateDropped, this,
            [this](const QString &socket, const QString &key, quint64 slot) {
                ++m_pending.duplicatesDropped;
                logEvent(u"duplicate_dropped"_s, QJsonObject{{u"socket"_s, socket}, {u"signature"_s, key}, {u"slot"_s, qint64(slot)}});
                markSessionDirty();
            });
    connect(session, &ManagedSession::frameLogged, this, [this](const FrameLogEntry &entry) {
        ProtocolLogEntry log;
        log.timeMs = entry.at.toMSecsSinceEpoch();
        log.sessionId = m_sessionId;
        log.direction = entry.direction == FrameDirection::Sent ? ProtocolLogEntry::Direction::Outgoing
                                                                : ProtocolLogEntry::Direction::Incoming;
        log.method = entry.method;
        log.seqId = entry.seqId;
        log.summary = entry.summary;
        log.dropped = entry.droppedAsDuplicate;
        m_pending.protocol.append(log);
    });
    connect(session, &ManagedSession::failed, this, &SessionEngine::onFailed);

    session->subscribeTransactions(config.subscribePrograms, config.zstd);
    if (config.accountDiffs) {
        for (const QString &owner : accountDiffOwners(config))
            session->subscribeAccountDiffs(owner, /*programOwner=*/true, config.zstd);
    }
    session->start();
    m_flushTimer.start();
}

void SessionEngine::continueSession(quint64 advanceCount)
{
    if (!m_running)
        return;
    m_drive = Drive::Manual;
    sendContinue(advanceCount == 0 ? m_config.advanceCount : advanceCount);
}

void SessionEngine::continueTo(quint64 slot, qint64 batchIndex)
{
    if (!m_running)
        return;
    m_drive = Drive::Manual;
    sendContinueTo(slot, batchIndex < 0 ? std::nullopt : std::optional<quint32>(quint32(batchIndex)));
}

void SessionEngine::runToEnd()
{
    if (!m_running)
        return;
    m_drive = Drive::RunToEnd;
    stepIfDriven();
}

void SessionEngine::runToNextDiscovery()
{
    if (!m_running)
        return;
    m_drive = Drive::ToNextDiscovery;
    stepIfDriven();
}

void SessionEngine::stop()
{
    if (!m_running)
        return;
    logEvent(u"stopped"_s, {});
    setState(SessionState::Stopped);
    finishRun(RunOutcome::Kind::Stopped, RunOutcome::Category::None, tr("stopped by the user"));
}

void SessionEngine::onCreated(const SessionInfo &info)
{
    m_sessionId = info.sessionId;
    logEvent(u"session_created"_s,
             {{u"session_id"_s, info.sessionId},
              {u"rpc_endpoint"_s, info.rpcEndpoint},
              {u"task_id"_s, info.taskId ? QJsonValue(*info.taskId) : QJsonValue()}});
    markSessionDirty();
}

void SessionEngine::onEvent(const ManagedEvent &event)
{
    using namespace ManagedEvents;
    if (const auto *slot = std::get_if<Slot>(&event)) {
        m_currentSlot = slot->slot;
        // Before the first step the notification says where the session
        // stands; during a step it says the slot has executed (PROTOCOL.md §4.6).
        m_nextSlot = m_stepInFlight ? slot->slot + 1 : slot->slot;
        m_pausedAt.reset();
        logEvent(u"slot"_s, QJsonObject{{u"slot"_s, qint64(slot->slot)}});
        queuePosition();
        markSessionDirty();
    } else if (const auto *status = std::get_if<Status>(&event)) {
        logEvent(u"status"_s, QJsonObject{{u"status"_s, status->status}});
        if (m_stepInFlight)
            setState(SessionState::Running);
    } else if (std::holds_alternative<ReadyForContinue>(event)) {
        logEvent(u"ready"_s, {});
        if (m_stepInFlight)
            m_lastError.clear(); // a step completed: an earlier refusal is history
        m_stepInFlight = false;
        setState(SessionState::Ready);
        stepIfDriven();
    } else if (const auto *paused = std::get_if<Paused>(&event)) {
        const PausedEvent &p = paused->event;
        logEvent(u"paused"_s, QJsonObject{{u"slot"_s, qint64(p.slot)}, {u"batchIndex"_s, optionalBatchIndex(p.batchIndex)}});
        m_stepInFlight = false;
        m_pausedAt = p;
        m_currentSlot = p.slot;
        m_nextSlot = p.batchIndex ? p.slot : p.slot + 1;
        setState(SessionState::Paused);
        queuePosition();
        stepIfDriven();
    } else if (const auto *discovery = std::get_if<DiscoveryBatch>(&event)) {
        const DiscoveryBatchEvent &batch = discovery->event;
        const bool known = std::any_of(m_discoveries.cbegin(), m_discoveries.cend(), [&](const auto &d) {
            return d.slot == batch.slot && d.batchIndex == batch.batchIndex;
        });
        if (!known) {
            m_discoveries.append(batch);
            logEvent(u"discovery_batch"_s, discoveryJson(batch));
            m_pending.discoveries.append({m_sessionId, batch});
        }
    } else if (const auto *completed = std::get_if<Completed>(&event)) {
        // Delivered after the completion drain: every transaction is captured.
        logEvent(u"completed"_s, completed->summary ? completed->summary->toJson() : QJsonObject{});
        m_currentSlot = m_config.endSlot;
        // Every subscription delivered its end of stream (PROTOCOL.md §5.8).
        for (auto &[socket, link] : m_subscriptionLinks)
            link.state = LinkState{ConnectionStatus::Down, 0, std::nullopt, tr("end of stream")};
        setState(SessionState::Completed);
        queuePosition(/*finished=*/true);
        finishRun(RunOutcome::Kind::Completed, RunOutcome::Category::None, {});
    } else if (const auto *error = std::get_if<ManagedEvents::Error>(&event)) {
        // A non-terminal server error (terminal ones arrive through failed()):
        // most likely the server refused the step we sent, so no step is in flight.
        m_lastError = error->error.message();
        logEvent(u"error"_s, QJsonObject{{u"error"_s, error->error.toJson()}, {u"message"_s, m_lastError}});
        if (m_stepInFlight) {
            m_stepInFlight = false;
            setState(m_pausedAt ? SessionState::Paused : SessionState::Ready);
            // Stepping automatically into a refusal would loop; hand control back.
            m_drive = Drive::Manual;
        }
        markSessionDirty();
    }
}

void SessionEngine::onTransaction(const TransactionSummary &summary, QByteArrayView raw)
{
    // Disk first (DESIGN.md §3): the capture is the source of truth.
    const qint64 offset = m_capture.appendTransaction(m_sessionId, summary, raw);
    m_pending.transactions.append(makeTransactionRecord(m_sessionId, summary, offset));
    markSessionDirty();
}

void SessionEngine::onAccountDiff(QByteArrayView raw)
{
    // Disk first, verbatim: {context:{slot}, account, signature, pre, post}
    // (DESIGN.md §3; CsvExporter's account-diff export reads these events).
    if (m_capture.isOpen())
        m_capture.appendEvent(u"account_diff"_s, m_sessionId, raw);
}

QStringList SessionEngine::accountDiffOwners(const RunConfig &config)
{
    if (!config.subscribePrograms.isEmpty())
        return config.subscribePrograms;
    return {u"TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"_s, u"11111111111111111111111111111111"_s};
}

void SessionEngine::onConnectionStatus(const QString &socket, ConnectionStatus status,
                                       const QString &reason, int attempt)
{
    Link &link = linkFor(socket);
    if (status == ConnectionStatus::Up && link.everUp)
        ++m_reconnects;
    if (status == ConnectionStatus::Up)
        link.everUp = true;
    link.state.status = status;
    link.state.attempt = attempt;
    link.state.retryInMs.reset();
    link.state.reason = status == ConnectionStatus::Up ? QString() : reason;
    logEvent(u"connection"_s, QJsonObject{{u"socket"_s, socket},
                                          {u"status"_s, connectionStatusName(status)},
                                          {u"reason"_s, reason},
                                          {u"attempt"_s, attempt}});
    m_pending.connections.append(ConnectionEvent{QDateTime::currentMSecsSinceEpoch(), m_sessionId, socket,
                                                 status, reason, attempt});
    markSessionDirty();
}

SessionEngine::Link &SessionEngine::linkFor(const QString &socket)
{
    if (socket == u"control")
        return m_controlLink;
    for (auto &[name, link] : m_subscriptionLinks) {
        if (name == socket)
            return link;
    }
    m_subscriptionLinks.append({socket, Link{}});
    return m_subscriptionLinks.last().second;
}

void SessionEngine::onReconnectScheduled(const QString &socket, int attempt, std::chrono::milliseconds delay)
{
    Link &link = linkFor(socket);
    link.state.attempt = attempt;
    link.state.retryInMs = qint64(delay.count());
    logEvent(u"connection"_s, QJsonObject{{u"socket"_s, socket},
                                          {u"status"_s, connectionStatusName(link.state.status)},
                                          {u"reason"_s, link.state.reason},
                                          {u"attempt"_s, attempt},
                                          {u"delay_ms"_s, qint64(delay.count())}});
    markSessionDirty();
}

void SessionEngine::onFailed(const ManagedSessionError &error)
{
    m_lastError = error.message;
    const FailureKind controlFailure = m_session && m_session->control() ? m_session->control()->failureKind()
                                                                        : FailureKind::None;
    logEvent(u"error"_s, QJsonObject{{u"message"_s, error.message},
                                     {u"kind"_s, managedSessionErrorKindName(error.kind)},
                                     {u"connection"_s, failureKindName(controlFailure)}});
    setState(SessionState::Failed);
    finishRun(RunOutcome::Kind::Failed, categoryFor(error, controlFailure), error.message);
}

void SessionEngine::stepIfDriven()
{
    if (!m_running || m_stepInFlight)
        return;
    if (m_state != SessionState::Ready && m_state != SessionState::Paused)
        return;
    switch (m_drive) {
    case Drive::Manual:
        return;
    case Drive::RunToEnd:
        sendContinue(m_config.advanceCount);
        return;
    case Drive::PauseAtDiscoveries:
    case Drive::ToNextDiscovery:
        if (const auto next = nextDiscoveryAhead()) {
            if (m_drive == Drive::ToNextDiscovery)
                m_drive = Drive::Manual; // stop once paused before it
            sendContinueTo(next->slot, next->batchIndex);
        } else {
            sendContinue(m_config.advanceCount);
        }
        return;
    }
}

void SessionEngine::sendContinue(quint64 advanceCount)
{
    if (!m_session || m_stepInFlight)
        return;
    ContinueParams params;
    params.advanceCount = advanceCount;
    m_stepInFlight = true;
    m_pausedAt.reset();
    logEvent(u"continue_sent"_s, QJsonObject{{u"advanceCount"_s, qint64(advanceCount)}});
    setState(SessionState::Running);
    if (const Result<void> sent = m_session->sendContinue(params); !sent)
        refuseStep(sent.error().message);
}

void SessionEngine::sendContinueTo(quint64 slot, std::optional<quint32> batchIndex)
{
    if (!m_session || m_stepInFlight)
        return;
    ContinueToParams params;
    params.slot = slot;
    params.batchIndex = batchIndex;
    m_stepInFlight = true;
    logEvent(u"continue_to_sent"_s, QJsonObject{{u"slot"_s, qint64(slot)}, {u"batchIndex"_s, optionalBatchIndex(batchIndex)}});
    setState(SessionState::Running);
    if (const Result<void> sent = m_session->sendContinueTo(params); !sent)
        refuseStep(sent.error().message);
}

void SessionEngine::refuseStep(const QString &reason)
{
    m_stepInFlight = false;
    m_drive = Drive::Manual;
    m_lastError = reason;
    logEvent(u"error"_s, QJsonObject{{u"message"_s, reason}});
    setState(m_pausedAt ? SessionState::Paused : SessionState::Ready);
}

bool SessionEngine::isAhead(quint64 slot, quint32 batchIndex) const
{
    if (m_pausedAt) {
        if (!m_pausedAt->batchIndex)
            return slot > m_pausedAt->slot;
        return slot > m_pausedAt->slot || (slot == m_pausedAt->slot && batchIndex > *m_pausedAt->batchIndex);
    }
    return slot >= m_nextSlot;
}

std::optional<DiscoveryBatchEvent> SessionEngine::nextDiscoveryAhead() const
{
    std::optional<DiscoveryBatchEvent> best;
    for (const DiscoveryBatchEvent &batch : m_discoveries) {
        if (!isAhead(batch.slot, batch.batchIndex))
            continue;
        if (!best || batch.slot < best->slot || (batch.slot == best->slot && batch.batchIndex < best->batchIndex))
            best = batch;
    }
    return best;
}

void SessionEngine::setState(SessionState state)
{
    if (m_state == state)
        return;
    m_state = state;
    markSessionDirty();
}

void SessionEngine::queuePosition(bool finished)
{
    PositionUpdate position;
    position.sessionId = m_sessionId;
    position.finished = finished;
    if (m_pausedAt) {
        position.slot = m_pausedAt->slot;
        position.batchIndex = m_pausedAt->batchIndex;
        position.paused = true;
    } else {
        position.slot = m_currentSlot;
    }
    m_pending.positions.append(position);
}

void SessionEngine::logEvent(const QString &type, const QJsonObject &data)
{
    if (m_capture.isOpen())
        m_capture.appendEvent(type, m_sessionId, data);
}

void SessionEngine::flush()
{
    if (m_capture.isOpen()) {
        if (const Result<void> flushed = m_capture.flush(); !flushed && m_running) {
            const QString message = tr("capture write failed: %1").arg(flushed.error().message);
            m_lastError = message;
            setState(SessionState::Failed);
            finishRun(RunOutcome::Kind::Failed, RunOutcome::Category::Capture, message);
            return;
        }
    }
    if (m_sessionDirty) {
        SessionUpdate update;
        update.runId = m_runId;
        update.sessionId = m_sessionId;
        update.startSlot = m_config.startSlot;
        update.endSlot = m_config.endSlot;
        update.currentSlot = m_currentSlot;
        update.state = m_state;
        update.control = m_controlLink.state;
        QList<LinkState> subscriptions;
        for (const auto &[socket, link] : std::as_const(m_subscriptionLinks))
            subscriptions.append(link.state);
        update.subscriptions = subscriptions;
        update.duplicatesDropped = m_pending.duplicatesDropped;
        update.reconnectCount = m_reconnects;
        update.transactionsCaptured = m_capture.transactionCount();
        update.lastError = m_lastError;
        m_pending.sessions.append(update);
        m_sessionDirty = false;
    }
    if (m_pending.isEmpty())
        return;
    m_pending.capturedTotal = m_capture.transactionCount();
    Q_EMIT modelUpdated(m_pending);
    const quint64 duplicates = m_pending.duplicatesDropped;
    m_pending = {};
    m_pending.duplicatesDropped = duplicates; // a running total, not per batch
}

void SessionEngine::finishRun(RunOutcome::Kind kind, RunOutcome::Category category, const QString &message)
{
    if (!m_running)
        return;
    m_running = false;
    m_stepInFlight = false;

    RunOutcome outcome;
    outcome.kind = kind;
    outcome.category = category;
    outcome.message = message;
    outcome.capturePath = m_capture.isOpen() ? m_capture.path() : m_config.capturePath;
    outcome.transactions = m_capture.transactionCount();

    if (m_capture.isOpen()) {
        if (kind == RunOutcome::Kind::Completed) {
            const QStringList sessionIds = m_sessionId.isEmpty() ? QStringList() : QStringList{m_sessionId};
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

    if (!message.isEmpty())
        m_lastError = kind == RunOutcome::Kind::Stopped ? QString() : outcome.message;
    // A run that ends failed shows Failed, also when it never had a session
    // (unusable config, capture not writable) or its summary could not be written.
    if (outcome.kind == RunOutcome::Kind::Failed)
        setState(SessionState::Failed);
    // The sockets close with the run: say so instead of leaving the last Up.
    if (kind == RunOutcome::Kind::Stopped) {
        m_controlLink.state = LinkState{ConnectionStatus::Down, 0, std::nullopt, tr("closed")};
        for (auto &[socket, link] : m_subscriptionLinks)
            link.state = LinkState{ConnectionStatus::Down, 0, std::nullopt, tr("closed")};
    } else if (kind == RunOutcome::Kind::Completed) {
        m_controlLink.state = LinkState{ConnectionStatus::Down, 0, std::nullopt, tr("closed")};
    }
    markSessionDirty();
    flush();
    m_flushTimer.stop();
    teardownSession();
    Q_EMIT runFinished(outcome);
}

void SessionEngine::teardownSession()
{
    if (ManagedSession *session = m_session.data()) {
        m_session.clear();
        session->disconnect(this);
        // The graceful close needs the event loop; the session is deleted once
        // every socket has stopped.
        connect(session, &ManagedSession::finished, session, &QObject::deleteLater);
        connect(session, &ManagedSession::finished, this, &SessionEngine::sessionClosed);
        if (session->state() == ManagedSession::State::Completed
            || session->state() == ManagedSession::State::Failed
            || session->state() == ManagedSession::State::ShutDown) {
            // Already closing (or closed) by itself.
            if (session->control() && !session->control()->isRunning())
                QMetaObject::invokeMethod(session, [session] { session->deleteLater(); }, Qt::QueuedConnection);
        } else {
            session->shutdown();
        }
    }
}

} // namespace SlotScope
