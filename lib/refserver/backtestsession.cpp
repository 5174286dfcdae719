#include "refserver/backtestsession.h"

#include "refserver/controlconnection.h"
#include "refserver/dataplaneshared.h"
#include "refserver/logging.h"
#include "refserver/subscriptionconnection.h"

#include <QElapsedTimer>
#include <QJsonObject>

#include <algorithm>
#include <utility>

using namespace Qt::StringLiterals;

namespace SlotScope::Internal {

namespace {

/// Longest stretch of the event loop one pump call may take (milliseconds).
constexpr qint64 PumpBudgetMs = 10;
/// Poll interval while waiting for a socket to drain (milliseconds).
constexpr int DrainPollMs = 2;
/// Positions a discovery scan inspects at most per announcement.
constexpr int MaxDiscoveryScan = 1000000;

} // namespace

BacktestSession::BacktestSession(const QString &id, const QByteArray &ownerKey, const CreateSessionParams &params,
                                 TransactionPlan plan, const RefServerConfig &config, QObject *parent)
    : QObject(parent)
    , m_id(id)
    , m_ownerKey(ownerKey)
    , m_params(params)
    , m_plan(std::move(plan))
    , m_config(config)
    // 0.31 (§2.2): an unset disconnectTimeoutSecs means 30 s; 0.28: 0.
    , m_disconnectTimeoutSecs(std::min<int>(
          params.disconnectTimeoutSecs.value_or(config.wire == WireVersion::V0_31 ? DefaultDisconnectTimeoutSecs : 0),
          int(kMaxDisconnectTimeoutSecs)))
    , m_cursor{params.startSlot, 0}
{
    m_startupTimer.setSingleShot(true);
    connect(&m_startupTimer, &QTimer::timeout, this, &BacktestSession::finishStartup);
    connect(&m_startingStatusTimer, &QTimer::timeout, this,
            [this] { sendUnsequenced(Responses::Status{u"startingRuntime"_s}); });
    m_readyTimer.setSingleShot(true);
    connect(&m_readyTimer, &QTimer::timeout, this, &BacktestSession::becomeReady);
    m_pumpTimer.setSingleShot(true);
    connect(&m_pumpTimer, &QTimer::timeout, this, &BacktestSession::pump);
    m_expiryTimer.setSingleShot(true);
    connect(&m_expiryTimer, &QTimer::timeout, this, [this] {
        qCInfo(lcRefServer) << "session" << m_id << "expired after" << m_disconnectTimeoutSecs
                            << "s without a control connection";
        Q_EMIT expired(m_id);
    });
}

BacktestSession::~BacktestSession() = default;

SessionInfo BacktestSession::info() const
{
    SessionInfo info{m_id, u"/backtest/"_s + m_id, std::nullopt};
    // 0.29+: the session's name; a sub-session carries its run's (§4.1).
    if (isWire031() && m_params.name)
        info.sessionName = m_params.name->trimmed().toLower();
    return info;
}

ControlConnection *BacktestSession::control() const
{
    return m_control;
}

void BacktestSession::attachControl(ControlConnection *connection)
{
    m_expiryTimer.stop();
    m_control = connection;
    wake();
}

void BacktestSession::detachControl()
{
    m_control = nullptr;
    m_replayHeld = false;
    if (isSequenced())
        m_expiryTimer.start(m_disconnectTimeoutSecs * 1000);
}

void BacktestSession::start()
{
    if (isWire031()) {
        // PROTOCOL-0.31.md §4.5: startingRuntime when the create is accepted,
        // then about every 10 s until the session is ready.
        sendUnsequenced(Responses::Status{u"startingRuntime"_s});
        if ((m_config.startupDelayMs > 0 || m_config.capacityShortfallMs > 0) && m_config.startingRuntimeIntervalMs > 0)
            m_startingStatusTimer.start(m_config.startingRuntimeIntervalMs);
    } else {
        // Order of PROTOCOL.md §6.1 (statuses, then sessionCreated; the order between
        // the two is not guaranteed by the real service, clients buffer either way).
        sendStatus(u"preparingBundle"_s);
        sendStatus(u"bundleReady"_s);
    }
    if (m_config.capacityShortfallMs > 0 && !m_responseSink) { // a sub-session: its batch waited
        const qint64 allowedMs = qint64(m_params.capacityWaitTimeoutSecs.value_or(0)) * 1000;
        if (m_config.capacityShortfallMs > allowedMs) {
            qCInfo(lcRefServer) << "session" << m_id << "gets no capacity within its" << allowedMs << "ms wait";
            QTimer::singleShot(allowedMs, this, [this, allowedMs] {
                if (m_state != State::Preparing)
                    return;
                m_startingStatusTimer.stop();
                m_startupTimer.stop();
                sendUnsequenced(Responses::Error{BacktestError::make(
                    BacktestErrorKind::ClerkError,
                    {{u"error"_s, u"no capacity within the create's capacityWaitTimeoutSecs (%1 s)"_s.arg(allowedMs / 1000)}})});
                Q_EMIT capacityRefused(m_id);
            });
            return;
        }
    }
    const int waitMs = std::max(m_config.startupDelayMs, m_config.capacityShortfallMs);
    if (waitMs > 0) {
        qCInfo(lcRefServer) << "session" << m_id << "waits" << waitMs << "ms for capacity";
        m_startupTimer.start(waitMs);
        return;
    }
    finishStartup();
}

void BacktestSession::finishStartup()
{
    if (m_state != State::Preparing)
        return;
    m_startingStatusTimer.stop();
    if (!isWire031())
        sendStatus(u"startingRuntime"_s);
    sendUnsequenced(Responses::SessionCreated{info()});
    send(Responses::SlotNotification{m_params.startSlot});
    announceNextDiscovery();
    m_state = State::Ready;
    send(Responses::ReadyForContinue{});
}

void BacktestSession::sendUnsequenced(const ControlResponse &response)
{
    if (!isWire031() || m_responseSink) {
        send(response);
        return;
    }
    if (m_control)
        m_control->sendFrame(encodeControlResponse(response));
}

void BacktestSession::sendRequestError(const BacktestError &error)
{
    if (m_state == State::Preparing)
        sendUnsequenced(Responses::Error{error});
    else
        send(Responses::Error{error});
}

void BacktestSession::send(const ControlResponse &response)
{
    if (m_responseSink) {
        m_responseSink(response);
        return;
    }
    std::optional<quint64> seqId;
    if (isSequenced())
        seqId = m_nextSeq++;
    const QByteArray frame = encodeControlResponse(response, seqId);
    if (seqId) {
        m_replayBuffer.append({*seqId, frame});
        if (m_replayBuffer.size() > ReplayBufferFrames)
            m_replayBuffer.remove(0, m_replayBuffer.size() - ReplayBufferFrames);
    }
    if (m_control && !m_replayHeld)
        m_control->sendFrame(frame);
}

void BacktestSession::holdReplay(std::optional<quint64> lastSequence)
{
    m_replayHeld = true;
    m_heldReplayAfter = lastSequence;
}

void BacktestSession::answerResume()
{
    if (!m_replayHeld) {
        sendUnsequenced(Responses::Success{});
        return;
    }
    m_replayHeld = false;
    if (m_control)
        m_control->sendFrame(encodeControlResponse(Responses::Success{}));
    replayAfter(m_heldReplayAfter);
}

void BacktestSession::sendStatus(const QString &status)
{
    send(Responses::Status{status});
}

void BacktestSession::sendError(const BacktestError &error)
{
    send(Responses::Error{error});
}

void BacktestSession::replayAfter(std::optional<quint64> lastSequence)
{
    if (!m_control)
        return;
    const quint64 after = lastSequence.value_or(0);
    if (!m_replayBuffer.isEmpty() && m_replayBuffer.first().first > after + 1) {
        qCWarning(lcRefServer) << "session" << m_id << ": responses" << after + 1 << "to"
                               << m_replayBuffer.first().first - 1 << "are no longer buffered";
    }
    for (const auto &[seqId, frame] : std::as_const(m_replayBuffer)) {
        if (seqId > after)
            m_control->sendFrame(frame);
    }
}

void BacktestSession::delayNextStep(int delayMs)
{
    m_nextStepDelayMs = delayMs;
}

bool BacktestSession::startLater(std::function<void()> start)
{
    if (m_nextStepDelayMs <= 0)
        return false;
    const int delayMs = std::exchange(m_nextStepDelayMs, 0);
    m_stepStartPending = true;
    qCInfo(lcRefServer) << "session" << m_id << ": fault: the step starts in" << delayMs << "ms";
    QTimer::singleShot(delayMs, this, [this, start = std::move(start)] {
        m_stepStartPending = false;
        start();
    });
    return true;
}

QString BacktestSession::stepRefusal(const char *method) const
{
    if (m_stepStartPending)
        return u"%1 sent while the step before is starting"_s.arg(QLatin1StringView(method));
    switch (m_state) {
    case State::Ready:
        return {};
    case State::Completed:
        return u"session already completed"_s;
    case State::Cut:
        return u"session was cut at slot %1"_s.arg(m_config.cutAtSlot.value_or(0));
    case State::Preparing:
        return u"%1 before the session is ready (still starting)"_s.arg(QLatin1StringView(method));
    case State::Pausing:
        return u"%1 sent before the readyForContinue that follows paused"_s.arg(QLatin1StringView(method));
    case State::Executing:
    case State::Closed:
        break;
    }
    return isWire031() ? u"%1 is only accepted after readyForContinue"_s.arg(QLatin1StringView(method))
                       : u"%1 is only accepted after readyForContinue or paused"_s.arg(QLatin1StringView(method));
}

void BacktestSession::handleContinue(const ContinueParams &params)
{
    if (const QString refusal = stepRefusal("continue"); !refusal.isEmpty()) {
        m_nextStepDelayMs = 0; // the slow-step fault was for a step taken
        sendRequestError(BacktestError::invalidRequest(refusal));
        return;
    }
    if (startLater([this, params] { handleContinue(params); }))
        return;
    if (params.advanceCount == 0) {
        sendError(BacktestError::invalidRequest(u"advanceCount must be >= 1"_s));
        return;
    }
    if (!params.transactions.isEmpty() || !params.modifyAccountStates.isEmpty()) {
        qCInfo(lcRefServer) << "session" << m_id << ": the reference server does not execute user transactions"
                            << "or apply account modifications; ignoring" << params.transactions.size()
                            << "transactions and" << params.modifyAccountStates.size() << "modifications";
    }
    if (isWire031()) {
        // PROTOCOL-0.31.md §4.5: the user-transaction statuses only when the
        // continue carries user transactions.
        const bool userTransactions = !params.transactions.isEmpty();
        if (userTransactions)
            sendStatus(u"decodedTransactions"_s);
        sendStatus(u"appliedAccountModifications"_s);
        sendStatus(u"readyToExecuteUserTransactions"_s);
        if (userTransactions)
            sendStatus(u"executedUserTransactions"_s);
    } else {
        sendStatus(u"decodedTransactions"_s);
        sendStatus(u"appliedAccountModifications"_s);
        sendStatus(u"readyToExecuteUserTransactions"_s);
        sendStatus(u"executedUserTransactions"_s);
    }
    m_step = Step{};
    m_step->slotsRemaining = params.advanceCount;
    startExecuting();
}

void BacktestSession::handleContinueTo(const ContinueToParams &params)
{
    if (const QString refusal = stepRefusal("continueTo"); !refusal.isEmpty()) {
        m_nextStepDelayMs = 0; // the slow-step fault was for a step taken
        sendRequestError(BacktestError::invalidRequest(refusal));
        return;
    }
    if (startLater([this, params] { handleContinueTo(params); }))
        return;
    // 0.28: a target after the range is refused. 0.31 (PROTOCOL-0.31.md §3.2):
    // a target the session never stops at (beyond the range, like a skipped
    // slot) runs it to the end, which answers with completed instead of paused.
    if (params.slot > m_plan.endSlot() && !isWire031()) {
        sendError(BacktestError::invalidRequest(u"continueTo slot %1 is after endSlot %2"_s.arg(params.slot)
                                                    .arg(m_plan.endSlot())));
        return;
    }
    Step step;
    step.continueTo = true;
    step.targetSlot = params.slot;
    step.requestedBatch = params.batchIndex;
    if (params.batchIndex) {
        // Past the slot's last batch = after its last transaction, before the slot boundary.
        const Position target{params.slot, std::min(*params.batchIndex, m_plan.batchCount(params.slot))};
        if (target < m_cursor) {
            sendError(BacktestError::invalidRequest(u"continueTo target %1/%2 is behind the session (next %3/%4)"_s
                                                        .arg(params.slot)
                                                        .arg(*params.batchIndex)
                                                        .arg(m_cursor.slot)
                                                        .arg(m_cursor.batch)));
            return;
        }
        step.batchTarget = target;
    } else if (params.slot < m_cursor.slot) {
        sendError(BacktestError::invalidRequest(u"continueTo slot %1 was already executed (next slot %2)"_s
                                                    .arg(params.slot)
                                                    .arg(m_cursor.slot)));
        return;
    }
    m_step = step;
    startExecuting();
}

void BacktestSession::startExecuting()
{
    m_state = State::Executing;
    // The step's first slot keeps the pace of the slots before it (a client
    // stepping one slot at a time once ran every slot at once): it starts
    // when the last one's period is over, or now when that is past.
    if (m_config.slotDelayMs <= 0 || m_slotDue.hasExpired()) {
        m_slotDue = QDeadlineTimer(0);
        schedulePump(0);
    } else {
        schedulePump(int(m_slotDue.remainingTime()));
    }
}

int BacktestSession::nextSlotDelayMs()
{
    // slotDelayMs is the period from one slot's start to the next: the time a
    // slot takes and a timer that fires late do not lower the rate a
    // benchmark asks for (bench_window). Already past the next slot's time
    // (a slow slot, back-pressure): it starts now and the schedule restarts
    // from it, with no burst to catch up.
    m_slotDue += m_config.slotDelayMs;
    if (m_slotDue.hasExpired())
        m_slotDue = QDeadlineTimer(0);
    return int(m_slotDue.remainingTime());
}

void BacktestSession::schedulePump(int delayMs)
{
    if (m_state == State::Closed)
        return;
    if (!m_pumpTimer.isActive() || m_pumpTimer.remainingTime() > delayMs)
        m_pumpTimer.start(delayMs);
}

void BacktestSession::wake()
{
    schedulePump(0);
}

bool BacktestSession::congested() const
{
    if (m_control && m_control->pendingBytes() > BackPressureBytes)
        return true;
    return std::any_of(m_subscribers.cbegin(), m_subscribers.cend(), [](const auto &subscriber) {
        return subscriber && !subscriber->isClosing() && subscriber->pendingBytes() > BackPressureBytes;
    });
}

void BacktestSession::pump()
{
    QElapsedTimer budget;
    budget.start();
    while (budget.elapsed() < PumpBudgetMs) {
        if (m_state == State::Closed)
            return;
        if (congested()) {
            schedulePump(DrainPollMs);
            return;
        }
        // Replays first: live deliveries wait until every resubscribe caught up,
        // so a subscription sees its transactions in execution order.
        if (pumpReplayOnce())
            continue;
        if (m_state == State::Executing) {
            const bool slotFinished = executeUnit();
            if (slotFinished && m_config.slotDelayMs > 0) {
                // When the next slot is due, in this step or the next one.
                const int delay = nextSlotDelayMs();
                if (m_state == State::Executing) {
                    schedulePump(delay);
                    return;
                }
            }
            continue;
        }
        if (m_state == State::Completed)
            closeFinishedSubscribers();
        return;
    }
    schedulePump(0);
}

quint64 BacktestSession::retainedFromSlot() const
{
    // The newest slot with executed transactions: the current one when started.
    const bool current = m_slotStarted || m_cursor.batch > 0;
    const quint64 start = m_plan.startSlot();
    if (!current && m_cursor.slot == start)
        return start; // nothing executed yet
    const quint64 newest = current ? m_cursor.slot : m_cursor.slot - 1;
    if (newest < start + ReplaySlots - 1)
        return start;
    return newest - (ReplaySlots - 1);
}

void BacktestSession::beginReplay(Subscription &subscription, quint64 fromSlot)
{
    const quint64 retained = retainedFromSlot();
    if (fromSlot < retained) {
        qCInfo(lcRefServer) << "session" << m_id << ": replayFromSlot" << fromSlot
                            << "is older than the retained history; replaying from slot" << retained;
    }
    subscription.replayCursor = Position{std::max(fromSlot, retained), 0};
    wake();
}

bool BacktestSession::pumpReplayOnce()
{
    const auto subscribers = m_subscribers; // a send may close a socket and shrink the list
    for (const QPointer<SubscriptionConnection> &subscriber : subscribers) {
        if (!subscriber || subscriber->isClosing())
            continue;
        for (Subscription &subscription : subscriber->subscriptions()) {
            if (!subscription.replayCursor)
                continue;
            const auto at = m_plan.nextTransaction(*subscription.replayCursor);
            if (!at || !(*at < m_cursor)) {
                subscription.replayCursor.reset(); // caught up with execution
                return true;
            }
            subscription.replayCursor = Position{at->slot, at->batch + 1};
            const PlannedTransaction transaction =
                m_plan.transactionAt(*at, subscription.kind == SubscriptionKind::AccountDiffs);
            if (subscription.matches(transaction))
                subscriber->notify(subscription, transaction);
            return true;
        }
    }
    return false;
}

bool BacktestSession::executeUnit()
{
    Step &step = *m_step;
    if (step.batchTarget && m_cursor == *step.batchTarget) {
        finishStep();
        return false;
    }
    if (!m_slotStarted) {
        if (m_config.cutAtSlot && m_cursor.slot == *m_config.cutAtSlot && m_cursor.batch == 0) {
            cut(m_cursor.slot);
            return false;
        }
        if (m_config.dataFaults.dropAtSlot != 0 && m_cursor.slot == m_config.dataFaults.dropAtSlot
            && m_cursor.batch == 0)
            dropSubscribers(u"dropped at slot %1"_s.arg(m_cursor.slot));
        sendStatus(u"executingBlockTransactions"_s);
        m_slotStarted = true;
        m_slotBatches = m_plan.batchCount(m_cursor.slot);
        return false;
    }
    if (m_cursor.batch < m_slotBatches) {
        executeTransaction(m_cursor);
        ++m_cursor.batch;
        return false;
    }

    const quint64 slot = m_cursor.slot;
    sendStatus(u"executedBlockTransactions"_s);
    send(Responses::SlotNotification{slot});
    m_cursor = Position{slot + 1, 0};
    m_slotStarted = false;
    if (slot == m_plan.endSlot()) {
        complete();
    } else if (!step.continueTo) {
        if (--step.slotsRemaining == 0)
            finishStep();
    } else if (!step.batchTarget && slot == step.targetSlot) {
        finishStep();
    }
    return true;
}

void BacktestSession::executeTransaction(Position at)
{
    if (m_plan.omittedAt(at))
        return; // an experiment left it out: nothing executes, nothing is delivered
    if (m_plan.successAt(at))
        ++m_succeeded;
    else
        ++m_failed;
    ++m_executed;
    if (m_config.simulationErrorEvery > 0 && m_executed % quint64(m_config.simulationErrorEvery) == 0) {
        // PROTOCOL-0.31.md §4.7: per-transaction and informational; the step goes on.
        send(Responses::Error{BacktestError::fromJson(QJsonObject{
            {u"simulationError"_s,
             QJsonObject{{u"error"_s, u"Transaction simulation failed: Error processing Instruction 0: custom program "
                                      u"error: 0x1 (transaction %1, injected every %2 transactions)"_s
                                          .arg(m_plan.signatureAt(at))
                                          .arg(m_config.simulationErrorEvery)}}}})});
    }
    // Subscribers holding this transaction's frames encoded in advance
    // (RefServerConfig::preencodedNotifications) get them now; the others
    // need the JSON.
    QList<QPointer<SubscriptionConnection>> listeners;
    const auto subscribers = m_subscribers; // a send may close a socket and shrink the list
    for (const QPointer<SubscriptionConnection> &subscriber : subscribers) {
        if (subscriber && !subscriber->isClosing() && subscriber->hasSubscriptions()
            && !subscriber->deliverPreencoded(at)) {
            listeners.append(subscriber);
        }
    }
    if (listeners.isEmpty())
        return; // nobody (else) listens: skip building the JSON
    const bool diffs = std::any_of(listeners.cbegin(), listeners.cend(), [](const auto &subscriber) {
        return subscriber && !subscriber->isClosing() && subscriber->hasAccountDiffSubscriptions();
    });
    const PlannedTransaction transaction = m_plan.transactionAt(at, diffs);
    for (const QPointer<SubscriptionConnection> &subscriber : std::as_const(listeners)) {
        if (subscriber && !subscriber->isClosing())
            subscriber->deliver(transaction);
    }
}

void BacktestSession::finishStep()
{
    if (m_control)
        m_control->stepEnding(); // the step-end control fault (ControlFaults::abortAtStepEnds)
    const Step step = *m_step;
    m_step.reset();
    m_state = State::Ready;
    // Design choice: the next discoveryBatch goes out BEFORE the readyForContinue /
    // paused that ends the step, so a client deciding its next step already knows
    // the upcoming match (PROTOCOL.md §4.8, §6.2 allow either order).
    announceNextDiscovery();
    if (!step.continueTo) {
        send(Responses::ReadyForContinue{});
        return;
    }
    send(Responses::Paused{PausedEvent{step.targetSlot, step.requestedBatch}});
    if (!isWire031())
        return; // 0.28: paused alone ends the step
    // PROTOCOL-0.31.md §3.2: paused, then readyForContinue; only the latter
    // may be answered.
    m_state = State::Pausing;
    if (m_config.readyAfterPausedMs > 0)
        m_readyTimer.start(m_config.readyAfterPausedMs);
    else
        becomeReady();
}

void BacktestSession::becomeReady()
{
    if (m_state != State::Pausing)
        return;
    m_state = State::Ready;
    send(Responses::ReadyForContinue{});
}

void BacktestSession::cut(quint64 slot)
{
    // PROTOCOL-0.31.md §4.8: the run was cut off at this slot; terminal.
    m_step.reset();
    m_state = State::Cut;
    qCInfo(lcRefServer) << "session" << m_id << "cut at slot" << slot;
    send(Responses::Error{BacktestError::fromJson(QJsonObject{{u"cut"_s, QJsonObject{{u"slot"_s, qint64(slot)}}}})});
}

void BacktestSession::complete()
{
    m_step.reset();
    m_state = State::Completed;
    std::optional<SessionSummary> summary;
    if (m_params.sendSummary) {
        summary = SessionSummary{};
        summary->correctSimulation = m_succeeded;
        summary->executionErrors = m_failed;
    }
    send(Responses::Completed{summary});
    qCInfo(lcRefServer) << "session" << m_id << "completed:" << m_succeeded << "succeeded," << m_failed << "failed";
    Q_EMIT completed(m_id);
    // DataFaults::dropAtCompletion: this session's data sockets drop instead
    // of closing normally.
    for (const QPointer<SubscriptionConnection> &subscriber : std::as_const(m_subscribers)) {
        if (!subscriber || subscriber->isClosing() || !subscriber->hasSubscriptions())
            continue;
        if (DataPlaneShared *shared = subscriber->shared(); shared && shared->takeCompletionDrop()) {
            m_holdCompletedClose = true;
            QTimer::singleShot(shared->faults().dropAtCompletionDelayMs, this,
                               &BacktestSession::dropSubscribersAfterCompletion);
        }
        break;
    }
    schedulePump(0);
}

void BacktestSession::dropSubscribersAfterCompletion()
{
    m_holdCompletedClose = false;
    dropSubscribers(u"dropped after the session completed"_s);
    wake();
}

void BacktestSession::dropSubscribers(const QString &why)
{
    const auto subscribers = m_subscribers; // dropping may shrink the list
    for (const QPointer<SubscriptionConnection> &subscriber : subscribers) {
        if (subscriber && !subscriber->isClosing() && subscriber->hasSubscriptions())
            subscriber->dropNow(why);
    }
}

void BacktestSession::closeFinishedSubscribers()
{
    // PROTOCOL.md §5.8 [P]: after completed and a full flush, close each
    // subscription socket with 1000. A socket that has not subscribed yet stays
    // open: it may be a reconnect about to ask for its replay.
    if (m_holdCompletedClose)
        return; // dropSubscribersAfterCompletion() comes first
    bool waiting = false;
    const auto subscribers = m_subscribers; // closing may shrink the list
    for (const QPointer<SubscriptionConnection> &subscriber : subscribers) {
        if (!subscriber || subscriber->isClosing() || !subscriber->hasSubscriptions())
            continue;
        // pendingBytes() includes notifications still queued behind the
        // bandwidth cap or a stall: the close waits for every one of them.
        if (subscriber->pendingBytes() > 0) {
            waiting = true;
            continue;
        }
        subscriber->closeCompleted();
    }
    if (waiting)
        schedulePump(DrainPollMs);
}

void BacktestSession::announceNextDiscovery()
{
    // One outstanding announcement at a time: a batch announced but not reached
    // yet is still "the next matching batch".
    if (m_lastAnnounced && *m_lastAnnounced > m_cursor)
        return;
    QList<DiscoveryFilter> live;
    for (const DiscoveryFilter &filter : std::as_const(m_params.discoveries)) {
        // oracleUpdate and unknown filters are accepted but never match here.
        if (filter.kind == DiscoveryFilter::Kind::ProgramExecuted && m_plan.mayInvoke(filter.program))
            live.append(filter);
    }
    if (live.isEmpty())
        return;

    Position from = m_cursor;
    if (m_lastAnnounced && !(*m_lastAnnounced < from))
        from = Position{m_lastAnnounced->slot, m_lastAnnounced->batch + 1};
    int scanned = 0;
    for (auto at = m_plan.nextTransaction(from); at; at = m_plan.nextTransaction({at->slot, at->batch + 1})) {
        if (m_plan.omittedAt(*at))
            continue; // an experiment left it out: nothing to discover
        const QStringList programs = m_plan.programIdsAt(*at);
        QList<DiscoveryFilter> matched;
        for (const DiscoveryFilter &filter : std::as_const(live)) {
            if (programs.contains(filter.program))
                matched.append(filter);
        }
        if (!matched.isEmpty()) {
            const PlannedTransaction transaction = m_plan.transactionAt(*at);
            DiscoveryBatchEvent event;
            event.slot = at->slot;
            event.batchIndex = at->batch;
            event.matched = matched;
            event.transactions = {QString::fromLatin1(transaction.json.toBase64())};
            event.transactionIndices = {at->batch};
            m_lastAnnounced = *at;
            send(Responses::DiscoveryBatch{event});
            return;
        }
        if (++scanned >= MaxDiscoveryScan) {
            qCWarning(lcRefServer) << "session" << m_id << ": discovery scan gave up after" << scanned
                                   << "transactions";
            return;
        }
    }
}

void BacktestSession::addSubscriber(SubscriptionConnection *connection)
{
    m_subscribers.append(connection);
}

void BacktestSession::removeSubscriber(SubscriptionConnection *connection)
{
    m_subscribers.removeIf([connection](const QPointer<SubscriptionConnection> &subscriber) {
        return !subscriber || subscriber == connection;
    });
    wake();
}

void BacktestSession::shutdown(const QString &reason, QWebSocketProtocol::CloseCode closeCode)
{
    m_state = State::Closed;
    m_step.reset();
    m_pumpTimer.stop();
    m_expiryTimer.stop();
    m_startupTimer.stop();
    m_startingStatusTimer.stop();
    m_readyTimer.stop();
    const auto subscribers = std::exchange(m_subscribers, {});
    for (const QPointer<SubscriptionConnection> &subscriber : subscribers) {
        if (subscriber && !subscriber->isClosing())
            subscriber->closeDropped(closeCode, reason);
    }
    m_control = nullptr;
}

} // namespace SlotScope::Internal
