#include "session/sessioncore.h"
#include "session/logging.h"

#include "protocol/urls.h"

#include <QRegularExpression>

#include <algorithm>
#include <utility>

using namespace Qt::StringLiterals;

namespace SlotScope {

static const QString kControlLabel = u"control"_s;

SessionCore::SessionCore(QString controlUrl, ConnectionPolicy policy, QString logName, QObject *parent)
    : QObject(parent)
    , m_controlUrl(std::move(controlUrl))
    , m_policy(policy)
    , m_logName(std::move(logName))
{
    m_drainIdleTimer.setSingleShot(true);
    connect(&m_drainIdleTimer, &QTimer::timeout, this, &SessionCore::onDrainIdle);
    m_readyGraceTimer.setSingleShot(true);
    connect(&m_readyGraceTimer, &QTimer::timeout, this, &SessionCore::onReadyGraceElapsed);
    m_endOfStreamGraceTimer.setSingleShot(true);
    connect(&m_endOfStreamGraceTimer, &QTimer::timeout, this, &SessionCore::onEndOfStreamGraceElapsed);
    m_errorSilenceTimer.setSingleShot(true);
    connect(&m_errorSilenceTimer, &QTimer::timeout, this, &SessionCore::onErrorSilenceElapsed);
}

SessionCore::~SessionCore()
{
    // Children go with us; no signals from here on.
    for (const Subscription &subscription : std::as_const(m_subscriptions)) {
        if (subscription.manager)
            disconnect(subscription.manager, nullptr, this, nullptr);
    }
}

// ---------------------------------------------------------------------------
// Subscriptions

void SessionCore::subscribeTransactions(const QStringList &programIds, bool zstd)
{
    addSubscription(u"transactions"_s, SubscriptionSpec::transactions(programIds, zstd));
}

void SessionCore::subscribeAccountDiffs(const QString &address, bool programOwner, bool zstd)
{
    addSubscription(u"account diffs"_s, SubscriptionSpec::accountDiffs(address, programOwner, zstd));
}

void SessionCore::addSubscription(const QString &baseLabel, SubscriptionSpec spec)
{
    if (m_state != State::Idle && m_state != State::Creating && m_state != State::Running) {
        qCWarning(lcSession).noquote() << m_logName << ": subscribing after the session ended; ignored";
        return;
    }
    const auto sameKind = std::count_if(m_subscriptions.cbegin(), m_subscriptions.cend(),
                                        [&spec](const Subscription &s) { return s.spec.kind == spec.kind; });
    Subscription subscription;
    subscription.label = sameKind == 0 ? baseLabel : u"%1 %2"_s.arg(baseLabel).arg(sameKind + 1);
    subscription.spec = std::move(spec);
    m_subscriptions.append(subscription);
    if (m_state == State::Running)
        openSubscription(m_subscriptions.last());
}

void SessionCore::openSubscription(Subscription &subscription)
{
    // The endpoint as last reported (a re-attach may have moved it).
    const SessionInfo info = m_channel && m_channel->sessionInfo() ? *m_channel->sessionInfo() : *m_info;
    const Result<QString> url = subscriptionWsUrl(m_controlUrl, info.rpcEndpoint);
    if (!url) {
        fail(ManagedSessionError::Kind::SubscriptionFailed,
             tr("subscription %1 failed: %2").arg(subscription.label, url.error().message));
        return;
    }
    auto *manager = new SubscriptionManager(subscription.spec, m_policy, this);
    // Siblings of a batch share one link: reconnects beyond the ungated ones
    // wait their turn (seed `ReconnectCoordinator`, PROTOCOL.md §6.6).
    manager->setReconnectCoordinator(m_coordinator);
    if (m_coordinator)
        m_coordinator->setParticipantName(manager, info.sessionId, subscription.label);
    subscription.manager = manager;
    if (m_currentSlot)
        manager->noteSessionSlot(*m_currentSlot);
    const QString label = subscription.label;
    connect(manager, &WebSocketConnection::statusChanged, this,
            [this, label](ConnectionStatus status, const QString &reason) {
                onSubscriptionStatus(label, status, reason);
            });
    connect(manager, &WebSocketConnection::reconnectScheduled, this,
            [this, label](int attempt, std::chrono::milliseconds delay, const QString &reason) {
                Q_EMIT reconnectScheduled(label, attempt, delay, reason);
            });
    connect(manager, &SubscriptionManager::transactionReceived, this,
            [this](const TransactionSummary &summary, QByteArrayView raw) {
                if (acceptsNotifications())
                    Q_EMIT transactionReceived(summary, raw);
            });
    connect(manager, &SubscriptionManager::accountDiffReceived, this,
            [this](quint64 slot, const QString &signature, const QString &account, QByteArrayView raw) {
                if (acceptsNotifications())
                    Q_EMIT accountDiffReceived(slot, signature, account, raw);
            });
    connect(manager, &SubscriptionManager::duplicateDropped, this,
            [this, label](const QString &signature, const QString &account, quint64 slot) {
                Q_EMIT duplicateDropped(label, signature, account, slot);
            });
    connect(manager, &WebSocketConnection::frameDropped, this,
            [this, label](const QString &reason, const QByteArray &raw, qint64 size) {
                Q_EMIT frameDropped(label, reason, raw, size);
            });
    connect(manager, &SubscriptionManager::replayStartedAfter, this,
            [this, label](quint64 resumeSlot, quint64 firstReplayedSlot) {
                if (Subscription *subscription = findSubscription(label))
                    reportReplayStartedLate(*subscription, resumeSlot, firstReplayedSlot);
            });
    connect(manager, &SubscriptionManager::endOfStream, this, &SessionCore::checkDrain);
    connect(manager, &WebSocketConnection::finished, this, [this] {
        checkDrain();
        checkFinished();
    });
    qCDebug(lcSession).noquote() << "opening subscription" << label << "of" << m_logName << "on" << redactedUrl(*url);
    manager->start(QUrl(*url));
}

void SessionCore::onSubscriptionStatus(const QString &label, ConnectionStatus status, const QString &reason)
{
    const Subscription *changed = findSubscription(label);
    const int attempt = changed && changed->manager ? changed->manager->attempt() : 0;
    // The loop's end, however it came (end of stream, stopped with the
    // session, failed): the socket's lane and row end there.
    const bool ended = changed && changed->manager && changed->manager->WebSocketConnection::hasEnded();
    if (Subscription *subscription = findSubscription(label)) {
        if (subscription->lastStatus == ConnectionStatus::Up && status != ConnectionStatus::Up) {
            subscription->controlUpAtDrop = controlStatus() == ConnectionStatus::Up;
            subscription->windowCheckedCurrent = false;
            subscription->controlOutagesAtDrop = m_controlOutages;
        }
        subscription->lastStatus = status;
    }
    Q_EMIT connectionStatusChanged(label, status, reason, attempt, ended);
    // Looked up again below: a receiver may have added a subscription.
    switch (status) {
    case ConnectionStatus::Up:
        if (Subscription *subscription = findSubscription(label))
            checkReplayWindow(*subscription);
        // Back after an outage during the drain: give it a whole idle period
        // to deliver before it counts as silent.
        if (m_state == State::Draining)
            m_drainIdleTimer.start(m_policy.drainIdleTimeout);
        flushQueued();
        return;
    case ConnectionStatus::Failed:
        if (m_state == State::Draining) {
            checkDrain();
            return;
        }
        if (m_state != State::Running && m_state != State::Creating)
            return;
        if (const Subscription *subscription = findSubscription(label);
            subscription && subscription->manager && subscription->manager->closedNormallyBeforeCompletion()) {
            // The server ended the stream normally, probably because the
            // session completed; `completed` may still be on its way.
            qCInfo(lcSession).noquote() << m_logName << ": subscription" << label
                                        << "ended before the session reported completion; waiting"
                                        << m_policy.endOfStreamGrace.count() << "ms for it";
            if (!m_endOfStreamGraceTimer.isActive())
                m_endOfStreamGraceTimer.start(m_policy.endOfStreamGrace);
            return;
        }
        fail(ManagedSessionError::Kind::SubscriptionFailed, tr("subscription %1 failed: %2").arg(label, reason));
        return;
    case ConnectionStatus::Down:
    case ConnectionStatus::Parked:
        return;
    }
}

void SessionCore::checkReplayWindow(Subscription &subscription)
{
    const SubscriptionManager *manager = subscription.manager;
    // A first subscribe gets whatever the server holds; Continue waits for it.
    if (!manager || manager->subscribesSent() < 2 || !m_currentSlot || hasEnded())
        return;
    // With the newest slot current the estimate below is the whole story:
    // what the window lacks is reported now, the rest is replayed.
    subscription.windowCheckedCurrent = controlUpSinceDrop(subscription);
    if (subscription.windowCheckedCurrent)
        subscription.manager->settleReplay();
    // Nothing received before the outage: the subscribe asked for everything
    // the server still holds, from the session's first slot on.
    const std::optional<quint64> from = resumeSlot(manager->replayFromSlotSent());
    if (!from)
        return;
    const std::optional<ReplayGap> gap = replayGap(*from, *m_currentSlot, knownThrough(subscription));
    if (!gap)
        return;
    subscription.missedThrough = gap->lastSlot;
    qCWarning(lcSession).noquote() << m_logName << ": subscription" << subscription.label << "resumed from slot"
                                   << *from << "at slot" << *m_currentSlot << "; slots" << gap->firstSlot
                                   << "to" << gap->lastSlot << "are past the server's replay window";
    Q_EMIT replayGapFound(subscription.label, *gap, *m_currentSlot);
}

void SessionCore::reportReplayStartedLate(Subscription &subscription, quint64 resumeSlot, quint64 firstReplayedSlot)
{
    // The data's own evidence, for when the control plane was down or late
    // too and checkReplayWindow() saw an old newest slot (or none): the
    // replay began somewhere in resumeSlot + 1 … firstReplayedSlot, so slots
    // up to firstReplayedSlot − 1 are missing at most (those without a
    // notification were never there). Used only when the control plane's
    // estimate found nothing for this resume: that one is exact while the
    // control plane is current, this one counts the slots without a
    // notification just before the replay's first.
    if (subscription.missedThrough && *subscription.missedThrough >= resumeSlot)
        return;
    // A control plane Up from the drop until the subscription was back
    // reported the session's slots as they ran, so checkReplayWindow() knew
    // the newest slot then and found nothing missing. A late first
    // notification is then no evidence: a quiet subscription (an account
    // touched once in a while) gets its first one whenever the account is
    // next touched. (A control plane that is Up but reports late is not
    // told apart here.)
    if (subscription.windowCheckedCurrent)
        return;
    const std::optional<ReplayGap> gap = replayStartedLate(resumeSlot, firstReplayedSlot, knownThrough(subscription));
    if (!gap)
        return;
    subscription.missedThrough = gap->lastSlot;
    const quint64 newest = qMax(m_currentSlot.value_or(0), firstReplayedSlot);
    qCWarning(lcSession).noquote() << m_logName << ": subscription" << subscription.label << "resumed from slot"
                                   << resumeSlot << "but its replay began at slot" << firstReplayedSlot << "; slots"
                                   << gap->firstSlot << "to" << gap->lastSlot << "are past the server's replay window";
    Q_EMIT replayGapFound(subscription.label, *gap, newest);
}

std::optional<quint64> SessionCore::knownThrough(const Subscription &subscription)
{
    const std::optional<quint64> delivered = subscription.manager ? subscription.manager->deliveredThrough()
                                                                  : std::nullopt;
    if (!delivered)
        return subscription.missedThrough;
    if (!subscription.missedThrough)
        return delivered;
    return qMax(*delivered, *subscription.missedThrough);
}

bool SessionCore::controlUpSinceDrop(const Subscription &subscription) const
{
    return subscription.controlUpAtDrop && subscription.controlOutagesAtDrop == m_controlOutages
           && controlStatus() == ConnectionStatus::Up;
}

std::optional<quint64> SessionCore::slotsBehind(const QString &socketLabel) const
{
    const Subscription *subscription = findSubscription(socketLabel);
    if (!subscription || !subscription->manager || !m_currentSlot)
        return std::nullopt;
    const std::optional<quint64> from = resumeSlot(subscription->manager->lastSlot());
    if (!from)
        return std::nullopt;
    return *m_currentSlot > *from ? *m_currentSlot - *from : 0;
}

const SessionCore::Subscription *SessionCore::findSubscription(const QString &label) const
{
    for (const Subscription &subscription : m_subscriptions) {
        if (subscription.label == label)
            return &subscription;
    }
    return nullptr;
}

SessionCore::Subscription *SessionCore::findSubscription(const QString &label)
{
    for (Subscription &subscription : m_subscriptions) {
        if (subscription.label == label)
            return &subscription;
    }
    return nullptr;
}

void SessionCore::onEndOfStreamGraceElapsed()
{
    if (m_state != State::Running && m_state != State::Creating)
        return;
    for (const Subscription &subscription : std::as_const(m_subscriptions)) {
        if (subscription.manager && !subscription.manager->hasStreamEnded()
            && subscription.manager->status() == ConnectionStatus::Failed) {
            fail(ManagedSessionError::Kind::SubscriptionFailed,
                 tr("subscription %1 failed: %2").arg(subscription.label, subscription.manager->statusReason()));
            return;
        }
    }
}

bool SessionCore::acceptsNotifications()
{
    // After Completed, failed() or shutdown() nothing more is delivered.
    if (m_state != State::Running && m_state != State::Draining)
        return false;
    if (m_state == State::Draining)
        m_drainIdleTimer.start(m_policy.drainIdleTimeout); // bounds the gap, not the total
    return true;
}

// ---------------------------------------------------------------------------
// Control plane

void SessionCore::activate(const SessionInfo &info)
{
    if (m_state != State::Idle && m_state != State::Creating)
        return;
    m_state = State::Running;
    m_info = info;
    Q_EMIT created(info);
    for (Subscription &subscription : m_subscriptions) {
        if (m_state != State::Running)
            return;
        if (!subscription.manager)
            openSubscription(subscription);
    }
    flushQueued();
}

void SessionCore::handleControlEvent(const ControlResponse &response)
{
    if (m_state != State::Running)
        return;
    std::optional<ManagedEvent> event = managedEventFromResponse(response);
    if (!event)
        return;
    m_errorSilenceTimer.stop(); // the server is not silent
    if (auto *completed = std::get_if<ManagedEvents::Completed>(&*event)) {
        startDrain(completed->summary);
        return;
    }
    if (const auto *slot = std::get_if<ManagedEvents::Slot>(&*event)) {
        if (!m_currentSlot || slot->slot > *m_currentSlot) {
            m_currentSlot = slot->slot;
            for (const Subscription &subscription : std::as_const(m_subscriptions)) {
                if (subscription.manager)
                    subscription.manager->noteSessionSlot(slot->slot);
            }
        }
        if (!m_firstSlot)
            m_firstSlot = slot->slot;
    }
    if (std::holds_alternative<ManagedEvents::ReadyForContinue>(*event)) {
        if (std::exchange(m_pausedLast, false)) {
            // A 0.31 server: its later pauses wait for its own ready (up to
            // the keepalive deadline, onPaused()), however slow.
            m_readyFollowsPaused = true;
            m_legacyPauses = false;
        }
        if (std::exchange(m_readyStoodIn, false)) {
            // Slower than the grace: this is the ready of the pause already
            // answered, before anything of the step that answer sent.
            // Answering it too would step twice; it is dropped.
            qCInfo(lcSession).noquote() << m_logName << ": readyForContinue after its stand-in; dropped, and "
                                                        "later pauses wait for the server's own";
            return;
        }
        m_waitingForReady = false;
        m_readyGraceTimer.stop();
    } else if (!std::holds_alternative<ManagedEvents::Status>(*event)
               && !std::holds_alternative<ManagedEvents::DiscoveryBatch>(*event)) {
        m_readyStoodIn = false; // the step the stand-in allowed is under way (or refused)
        if (!std::holds_alternative<ManagedEvents::Error>(*event)) // (a refusal leaves the pause)
            m_pausedLast = std::holds_alternative<ManagedEvents::Paused>(*event);
    }
    Q_EMIT eventReceived(*event);
    if (m_state != State::Running)
        return;
    if (std::holds_alternative<ManagedEvents::Paused>(*event)) {
        onPaused();
        return;
    }
    const auto *error = std::get_if<ManagedEvents::Error>(&*event);
    if (error && error->error.isTerminal() && !(m_channel && m_channel->ownsConnection())) {
        // A single session's own connection fails by itself right after this
        // event (and the core follows it); a sub-session's shared one goes on.
        fail(ManagedSessionError::Kind::ControlFailed,
             tr("%1 failed: %2").arg(m_logName, error->error.message()));
        return;
    }
    if (error && !error->error.isTerminal() && m_channel && m_channel->isStepInFlight()) {
        // Not a refusal (that ends the step), so the step goes on, unless the
        // server stopped without saying so (an error this build cannot
        // classify): no frame for the keepalive deadline ends the session.
        m_silentAfterError = error->error.message();
        m_errorSilenceTimer.start(m_policy.keepaliveMissDeadline);
    }
    flushQueued();
}

void SessionCore::onErrorSilenceElapsed()
{
    if (m_state != State::Running || !m_channel || !m_channel->isStepInFlight()
        || m_channel->connection()->status() != ConnectionStatus::Up)
        return;
    fail(ManagedSessionError::Kind::ControlFailed,
         tr("%1: no frame from the server for %2 s after its error (%3) with a step in flight; "
            "the session is taken as ended")
             .arg(m_logName)
             .arg(std::chrono::duration<double>(m_policy.keepaliveMissDeadline).count())
             .arg(m_silentAfterError));
}

void SessionCore::onPaused()
{
    // PROTOCOL-0.31.md §3.2: the readyForContinue that follows makes the
    // session steppable again; a server older than 0.31 never sends it.
    m_waitingForReady = true;
    if (m_readyFollowsPaused) {
        // Known to send its ready: only a server silent for the keepalive
        // deadline is stood in for (PROTOCOL-0.31.md §4.8's watchdog).
        m_readyGraceTimer.start(qMax(m_policy.legacyReadyGrace, m_policy.keepaliveMissDeadline));
        return;
    }
    if (!m_legacyPauses) {
        m_readyGraceTimer.start(m_policy.legacyReadyGrace);
        return;
    }
    standInForReady();
}

void SessionCore::standInForReady()
{
    m_waitingForReady = false;
    m_readyStoodIn = true; // the server's own, should it come late, is not answered again
    Q_EMIT eventReceived(ManagedEvents::ReadyForContinue{/*synthesized=*/true});
}

void SessionCore::onReadyGraceElapsed()
{
    if (m_state != State::Running || !m_waitingForReady)
        return;
    if (m_readyFollowsPaused) {
        qCWarning(lcSession).noquote().nospace() << m_logName << ": no readyForContinue "
                                                 << m_readyGraceTimer.interval() << " ms after paused; going on";
    } else {
        qCInfo(lcSession).noquote().nospace()
            << m_logName << ": no readyForContinue " << m_policy.legacyReadyGrace.count()
            << " ms after paused: a server older than 0.31; answering its paused alone from now on";
        m_legacyPauses = true;
    }
    standInForReady();
}

void SessionCore::handleControlStatus(ConnectionStatus status, const QString &reason)
{
    // Silence across an outage is the connection's to judge; the re-attach
    // settles the step in flight (ControlManager::sendStepAfterReattach).
    m_errorSilenceTimer.stop();
    if (status == ConnectionStatus::Up) {
        flushQueued();
        return;
    }
    ++m_controlOutages;
    if (status != ConnectionStatus::Failed)
        return;
    if (m_state == State::Draining) {
        // The transactions still flow on their own sockets; the drain decides.
        qCInfo(lcSession).noquote() << m_logName << ": control connection failed during the completion drain:"
                                    << reason;
        return;
    }
    if (m_state != State::Running && m_state != State::Creating && m_state != State::Idle)
        return;
    const FailureKind kind = m_channel ? m_channel->connection()->failureKind() : FailureKind::None;
    if (kind == FailureKind::Unauthorized) {
        static const QRegularExpression httpStatus(u"HTTP \\d+"_s);
        const QString code = httpStatus.match(reason).captured();
        fail(ManagedSessionError::Kind::Create,
             code.isEmpty() ? tr("API key rejected by the server") : tr("API key rejected by the server (%1)").arg(code));
        return;
    }
    if (m_state == State::Creating) {
        // Reasons are already one line: "cannot connect to …", "session create failed: …".
        const bool selfExplaining = kind == FailureKind::Unreachable || reason.startsWith(u"session create failed"_s);
        fail(ManagedSessionError::Kind::Create, selfExplaining ? reason : tr("session create failed: %1").arg(reason));
        return;
    }
    fail(ManagedSessionError::Kind::ControlFailed,
         kind == FailureKind::Terminal ? reason : tr("control connection failed: %1").arg(reason));
}

// ---------------------------------------------------------------------------
// Continue gating (seed `wait_connections_up`, `wait_all_up`)

bool SessionCore::allConnectionsUp() const
{
    if (!m_channel || !m_info || m_channel->connection()->status() != ConnectionStatus::Up)
        return false;
    return std::all_of(m_subscriptions.cbegin(), m_subscriptions.cend(), [](const Subscription &subscription) {
        return subscription.manager && subscription.manager->status() == ConnectionStatus::Up;
    });
}

std::optional<SocketStatus> SessionCore::firstFailedConnection() const
{
    if (controlStatus() == ConnectionStatus::Failed)
        return controlSocketStatus();
    for (const SocketStatus &status : subscriptionStatuses()) {
        if (status.status == ConnectionStatus::Failed)
            return status;
    }
    return std::nullopt;
}

Result<void> SessionCore::queue(QueuedRequest request)
{
    switch (m_state) {
    case State::Creating:
    case State::Running:
        break;
    case State::Idle:
        return makeError(tr("the session has not been started"));
    case State::Draining:
    case State::Completed:
        return makeError(tr("the session has completed"));
    case State::Failed:
        return makeError(tr("the session has failed"));
    case State::ShutDown:
        return makeError(tr("the session was shut down"));
    }
    if (const std::optional<SocketStatus> failedSocket = firstFailedConnection())
        return makeError(tr("%1 connection failed: %2").arg(failedSocket->label, failedSocket->reason));
    if (m_queued)
        return makeError(tr("a Continue is already waiting for the connections"));
    if (m_channel && m_channel->isStepInFlight())
        return makeError(tr("a Continue is already in flight"));
    m_queued = std::move(request);
    flushQueued();
    return {};
}

Result<void> SessionCore::sendContinue(const ContinueParams &params)
{
    return queue(params);
}

Result<void> SessionCore::sendContinueTo(const ContinueToParams &params)
{
    return queue(params);
}

void SessionCore::flushQueued()
{
    if (!m_queued || m_state != State::Running || !allConnectionsUp() || m_channel->isStepInFlight())
        return;
    const QueuedRequest request = *std::exchange(m_queued, std::nullopt);
    // A step answers the pause: no stand-in ready for it any more.
    m_waitingForReady = false;
    m_readyGraceTimer.stop();
    Result<void> sent;
    if (const auto *params = std::get_if<ContinueParams>(&request)) {
        sent = m_channel->sendContinue(*params);
        if (sent)
            Q_EMIT continueSent(*params);
    } else {
        sent = m_channel->sendContinueTo(std::get<ContinueToParams>(request));
    }
    if (!sent)
        fail(ManagedSessionError::Kind::ContinueSend, tr("could not send the Continue: %1").arg(sent.error().message));
}

// ---------------------------------------------------------------------------
// Completion drain (seed `drain_subscriptions_until_complete`, PROTOCOL.md §6.7)

bool SessionCore::isSubscriptionClosed(const Subscription &subscription) const
{
    return !subscription.manager || subscription.manager->hasStreamEnded() || !subscription.manager->isRunning();
}

void SessionCore::startDrain(std::optional<SessionSummary> summary)
{
    m_state = State::Draining;
    m_completedSummary = std::move(summary);
    m_queued.reset();
    m_readyGraceTimer.stop();
    m_endOfStreamGraceTimer.stop();
    qCDebug(lcSession).noquote() << m_logName << "completed; draining" << m_subscriptions.size() << "subscription(s)";
    for (const Subscription &subscription : std::as_const(m_subscriptions)) {
        if (subscription.manager)
            subscription.manager->markSessionCompleted();
        if (m_state != State::Draining)
            return;
    }
    m_drainIdleTimer.start(m_policy.drainIdleTimeout);
    Q_EMIT drainStarted();
    checkDrain();
}

void SessionCore::checkDrain()
{
    if (m_state != State::Draining)
        return;
    for (const Subscription &subscription : std::as_const(m_subscriptions)) {
        if (!isSubscriptionClosed(subscription))
            return;
    }
    for (const Subscription &subscription : std::as_const(m_subscriptions)) {
        if (subscription.manager && !subscription.manager->hasStreamEnded()
            && subscription.manager->status() == ConnectionStatus::Failed) {
            fail(ManagedSessionError::Kind::DrainStalled,
                 tr("completion drain stalled: subscription %1 failed (%2); the captured stream is incomplete")
                     .arg(subscription.label, subscription.manager->statusReason()));
            return;
        }
    }
    completeDrain();
}

void SessionCore::onDrainIdle()
{
    if (m_state != State::Draining)
        return;
    for (const Subscription &subscription : std::as_const(m_subscriptions)) {
        if (!isSubscriptionClosed(subscription) && subscription.manager->status() == ConnectionStatus::Up) {
            fail(ManagedSessionError::Kind::DrainStalled,
                 tr("completion drain stalled: subscription %1 is up but delivered nothing for %2 ms "
                    "and no end of stream; the captured stream is incomplete")
                     .arg(subscription.label)
                     .arg(m_policy.drainIdleTimeout.count()));
            return;
        }
    }
    // Every open subscription is reconnecting or parked: not a stall, keep waiting.
    m_drainIdleTimer.start(m_policy.drainIdleTimeout);
}

void SessionCore::completeDrain()
{
    m_drainIdleTimer.stop();
    m_state = State::Completed;
    Q_EMIT eventReceived(ManagedEvents::Completed{m_completedSummary});
    stopSubscriptions();
    if (m_channel)
        m_channel->closeSession();
    checkFinished();
}

// ---------------------------------------------------------------------------
// Endings

void SessionCore::fail(ManagedSessionError::Kind kind, const QString &message)
{
    if (hasEnded())
        return;
    m_state = State::Failed;
    m_queued.reset();
    m_drainIdleTimer.stop();
    m_readyGraceTimer.stop();
    m_endOfStreamGraceTimer.stop();
    m_errorSilenceTimer.stop();
    const FailureKind failure = m_channel ? m_channel->connection()->failureKind() : FailureKind::None;
    qCWarning(lcSession).noquote().nospace() << m_logName << " failed (" << managedSessionErrorKindName(kind)
                                             << "): " << message;
    stopSubscriptions();
    if (m_channel)
        m_channel->closeSession();
    Q_EMIT failed(ManagedSessionError{kind, message, failure});
    checkFinished();
}

void SessionCore::shutdown()
{
    switch (m_state) {
    case State::Creating:
        m_state = State::ShutDown;
        m_queued.reset();
        stopSubscriptions();
        if (m_channel)
            m_channel->cancelSession();
        Q_EMIT failed(ManagedSessionError{ManagedSessionError::Kind::Cancelled,
                                          tr("cancelled before the session was created")});
        checkFinished();
        return;
    case State::Idle:
    case State::Running:
        m_state = State::ShutDown;
        m_queued.reset();
        m_readyGraceTimer.stop();
        if (m_channel)
            m_channel->cancelSession();
        stopSubscriptions();
        checkFinished();
        return;
    case State::Draining:
        // An intentional stop ends the drain as complete (seed: cancel ⇒ Complete).
        completeDrain();
        return;
    case State::Completed:
    case State::Failed:
    case State::ShutDown:
        stopSubscriptions();
        if (m_channel)
            m_channel->closeSession();
        return;
    }
}

void SessionCore::shutdownAndDelete()
{
    if (m_finishedEmitted) {
        deleteLater();
        return;
    }
    connect(this, &SessionCore::finished, this, &QObject::deleteLater);
    if (!hasEnded())
        shutdown();
}

bool SessionCore::hasEnded() const
{
    return m_state == State::Completed || m_state == State::Failed || m_state == State::ShutDown;
}

void SessionCore::stopSubscriptions()
{
    for (const Subscription &subscription : std::as_const(m_subscriptions)) {
        if (subscription.manager)
            subscription.manager->stop();
    }
}

void SessionCore::checkFinished()
{
    if (m_finishedEmitted || !hasEnded())
        return;
    if (m_channel && m_channel->ownsConnection() && m_channel->connection()->isRunning())
        return;
    for (const Subscription &subscription : std::as_const(m_subscriptions)) {
        if (subscription.manager && subscription.manager->isRunning())
            return;
    }
    m_finishedEmitted = true;
    Q_EMIT finished();
}

// ---------------------------------------------------------------------------
// Accessors

SocketStatus socketStatusOf(const QString &label, const WebSocketConnection *connection,
                            const QString &waitingReason)
{
    SocketStatus status;
    status.label = label;
    if (connection) {
        status.status = connection->status();
        status.reason = connection->statusReason();
        status.attempt = connection->attempt();
    } else {
        status.reason = waitingReason;
    }
    return status;
}

ConnectionStatus SessionCore::controlStatus() const
{
    return m_channel ? m_channel->connection()->status() : ConnectionStatus::Down;
}

SocketStatus SessionCore::controlSocketStatus() const
{
    return socketStatusOf(kControlLabel, m_channel ? m_channel->connection() : nullptr);
}

QList<SocketStatus> SessionCore::subscriptionStatuses() const
{
    QList<SocketStatus> statuses;
    for (const Subscription &subscription : m_subscriptions)
        statuses.append(socketStatusOf(subscription.label, subscription.manager, tr("waiting for the session")));
    return statuses;
}

QList<SubscriptionManager *> SessionCore::subscriptions() const
{
    QList<SubscriptionManager *> managers;
    for (const Subscription &subscription : m_subscriptions) {
        if (subscription.manager)
            managers.append(subscription.manager);
    }
    return managers;
}

bool SessionCore::reconnectNow(const QString &socketLabel)
{
    if (socketLabel == kControlLabel)
        return m_channel && m_channel->ownsConnection() && m_channel->connection()->reconnectNow();
    const Subscription *subscription = findSubscription(socketLabel);
    return subscription && subscription->manager && subscription->manager->reconnectNow();
}

} // namespace SlotScope
