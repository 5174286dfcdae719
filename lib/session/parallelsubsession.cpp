#include "session/parallelsubsession.h"
#include "session/logging.h"

#include "net/reconnectcoordinator.h"
#include "protocol/urls.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace SlotScope {

ParallelSubSession::ParallelSubSession(ParallelSubSessionInfo info, QString controlUrl,
                                       ParallelControlManager *control, ReconnectCoordinator *coordinator,
                                       ConnectionPolicy policy, QObject *parent)
    : QObject(parent)
    , m_info(std::move(info))
    , m_controlUrl(std::move(controlUrl))
    , m_control(control)
    , m_coordinator(coordinator)
    , m_policy(policy)
{
    m_drainIdleTimer.setSingleShot(true);
    connect(&m_drainIdleTimer, &QTimer::timeout, this, &ParallelSubSession::onDrainIdle);
}

ParallelSubSession::~ParallelSubSession()
{
    for (const Subscription &subscription : std::as_const(m_subscriptions)) {
        if (subscription.manager)
            disconnect(subscription.manager, nullptr, this, nullptr);
    }
}

quint64 ParallelSubSession::lastSequence() const
{
    return m_control ? m_control->lastSequences().value(sessionId(), 0) : 0;
}

void ParallelSubSession::activate()
{
    if (m_state != State::Pending)
        return;
    m_state = State::Running;
    Q_EMIT created(m_info.info);
    for (Subscription &subscription : m_subscriptions) {
        if (m_state != State::Running)
            return;
        if (!subscription.manager)
            openSubscription(subscription);
    }
    flushQueued();
}

void ParallelSubSession::subscribeTransactions(const QStringList &programIds, bool zstd)
{
    addSubscription(u"transactions"_s, SubscriptionSpec::transactions(programIds, zstd));
}

void ParallelSubSession::subscribeAccountDiffs(const QString &address, bool programOwner, bool zstd)
{
    addSubscription(u"account diffs"_s, SubscriptionSpec::accountDiffs(address, programOwner, zstd));
}

void ParallelSubSession::addSubscription(const QString &baseLabel, SubscriptionSpec spec)
{
    if (m_state != State::Pending && m_state != State::Running) {
        qCWarning(lcSession) << sessionId() << ": subscribing after the sub-session ended; ignored";
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

void ParallelSubSession::openSubscription(Subscription &subscription)
{
    const Result<QString> url = subscriptionWsUrl(m_controlUrl, m_info.info.rpcEndpoint);
    if (!url) {
        fail(ManagedSessionError::Kind::SubscriptionFailed,
             tr("subscription %1 failed: %2").arg(subscription.label, url.error().message));
        return;
    }
    auto *manager = new SubscriptionManager(subscription.spec, m_policy, this);
    // Siblings share one link: reconnects beyond the ungated ones wait their
    // turn (seed `ReconnectCoordinator`, PROTOCOL.md §6.6).
    manager->setReconnectCoordinator(m_coordinator);
    if (m_coordinator)
        m_coordinator->setParticipantName(manager, sessionId(), subscription.label);
    subscription.manager = manager;
    const QString label = subscription.label;
    connect(manager, &WebSocketConnection::statusChanged, this,
            [this, label](ConnectionStatus status, const QString &reason) {
                onSubscriptionStatus(label, status, reason);
            });
    connect(manager, &WebSocketConnection::reconnectScheduled, this,
            [this, label](int attempt, std::chrono::milliseconds delay) {
                ++m_reconnects;
                Q_EMIT reconnectScheduled(label, attempt, delay);
            });
    connect(manager, &SubscriptionManager::transactionReceived, this,
            [this](const TransactionSummary &summary, QByteArrayView raw) {
                if (!acceptsNotifications())
                    return;
                ++m_transactions;
                Q_EMIT transactionReceived(summary, raw);
            });
    connect(manager, &SubscriptionManager::accountDiffReceived, this,
            [this](quint64 slot, const QString &signature, const QString &account, QByteArrayView raw) {
                if (acceptsNotifications())
                    Q_EMIT accountDiffReceived(slot, signature, account, raw);
            });
    connect(manager, &SubscriptionManager::duplicateDropped, this,
            [this, label](const QString &key, quint64 slot) { Q_EMIT duplicateDropped(label, key, slot); });
    connect(manager, &SubscriptionManager::endOfStream, this, &ParallelSubSession::checkDrain);
    connect(manager, &WebSocketConnection::finished, this, [this] {
        checkDrain();
        checkFinished();
    });
    qCDebug(lcSession) << "opening subscription" << label << "of" << sessionId() << "on" << *url;
    manager->start(QUrl(*url));
}

bool ParallelSubSession::acceptsNotifications()
{
    // After Completed, failed() or shutdown() nothing more is delivered.
    if (m_state != State::Running && m_state != State::Draining)
        return false;
    if (m_state == State::Draining)
        m_drainIdleTimer.start(m_policy.drainIdleTimeout); // bounds the gap, not the total
    return true;
}

// ---------------------------------------------------------------------------
// Control plane (demultiplexed by ManagedParallelSession)

void ParallelSubSession::handleControlEvent(const SessionEventKind &event)
{
    if (m_state != State::Running)
        return;
    const ControlResponse response = std::visit([](const auto &e) { return ControlResponse{e}; }, event);
    std::optional<ManagedEvent> managed = managedEventFromResponse(response);
    if (!managed)
        return;
    if (auto *completed = std::get_if<ManagedEvents::Completed>(&*managed)) {
        startDrain(completed->summary);
        return;
    }
    if (const auto *slot = std::get_if<ManagedEvents::Slot>(&*managed)) {
        if (!m_currentSlot || slot->slot > *m_currentSlot)
            m_currentSlot = slot->slot;
    }
    Q_EMIT eventReceived(*managed);
    if (const auto *error = std::get_if<ManagedEvents::Error>(&*managed); error && error->error.isTerminal())
        fail(ManagedSessionError::Kind::ControlFailed,
             tr("sub-session %1 failed: %2").arg(sessionId(), error->error.message()));
    else
        flushQueued();
}

void ParallelSubSession::handleControlStatus(ConnectionStatus status, const QString &reason)
{
    if (status == ConnectionStatus::Up) {
        flushQueued();
        return;
    }
    if (status != ConnectionStatus::Failed)
        return;
    if (m_state == State::Draining) {
        // The transactions still flow on their own sockets; the drain decides.
        qCInfo(lcSession) << sessionId() << ": control connection failed during the completion drain:" << reason;
        return;
    }
    if (m_state == State::Running || m_state == State::Pending)
        fail(ManagedSessionError::Kind::ControlFailed, tr("control connection failed: %1").arg(reason));
}

void ParallelSubSession::onSubscriptionStatus(const QString &label, ConnectionStatus status, const QString &reason)
{
    int attempt = 0;
    for (const Subscription &subscription : std::as_const(m_subscriptions)) {
        if (subscription.label == label && subscription.manager)
            attempt = subscription.manager->attempt();
    }
    Q_EMIT connectionStatusChanged(label, status, reason, attempt);
    switch (status) {
    case ConnectionStatus::Up:
        if (m_state == State::Draining)
            m_drainIdleTimer.start(m_policy.drainIdleTimeout); // back after an outage: a whole idle period
        flushQueued();
        return;
    case ConnectionStatus::Failed:
        if (m_state == State::Draining) {
            checkDrain();
            return;
        }
        if (m_state == State::Running)
            fail(ManagedSessionError::Kind::SubscriptionFailed,
                 tr("subscription %1 failed: %2").arg(label, reason));
        return;
    case ConnectionStatus::Down:
    case ConnectionStatus::Parked:
        return;
    }
}

// ---------------------------------------------------------------------------
// Continue gating (seed `wait_all_up`)

bool ParallelSubSession::allConnectionsUp() const
{
    if (!m_control || m_control->status() != ConnectionStatus::Up)
        return false;
    return std::all_of(m_subscriptions.cbegin(), m_subscriptions.cend(), [](const Subscription &subscription) {
        return subscription.manager && subscription.manager->status() == ConnectionStatus::Up;
    });
}

std::optional<SocketStatus> ParallelSubSession::firstFailedConnection() const
{
    if (m_control && m_control->status() == ConnectionStatus::Failed)
        return controlSocketStatus();
    for (const SocketStatus &status : subscriptionStatuses()) {
        if (status.status == ConnectionStatus::Failed)
            return status;
    }
    return std::nullopt;
}

Result<void> ParallelSubSession::queue(QueuedRequest request)
{
    switch (m_state) {
    case State::Running:
        break;
    case State::Pending:
        return makeError(tr("the sub-session is not running yet"));
    case State::Draining:
    case State::Completed:
        return makeError(tr("the sub-session has completed"));
    case State::Failed:
        return makeError(tr("the sub-session has failed"));
    case State::ShutDown:
        return makeError(tr("the sub-session was shut down"));
    }
    if (const std::optional<SocketStatus> failedSocket = firstFailedConnection())
        return makeError(tr("%1 connection failed: %2").arg(failedSocket->label, failedSocket->reason));
    if (m_queued)
        return makeError(tr("a Continue is already waiting for the connections"));
    if (m_control && m_control->isContinueInFlight(sessionId()))
        return makeError(tr("a Continue is already in flight"));
    m_queued = std::move(request);
    flushQueued();
    return {};
}

Result<void> ParallelSubSession::sendContinue(const ContinueParams &params)
{
    return queue(params);
}

Result<void> ParallelSubSession::sendContinueTo(const ContinueToParams &params)
{
    return queue(params);
}

void ParallelSubSession::flushQueued()
{
    if (!m_queued || m_state != State::Running || !allConnectionsUp())
        return;
    if (m_control->isContinueInFlight(sessionId()))
        return; // the previous step's answer is still out
    const QueuedRequest request = *std::exchange(m_queued, std::nullopt);
    Result<void> sent;
    if (const auto *params = std::get_if<ContinueParams>(&request)) {
        sent = m_control->sendContinue(sessionId(), *params);
        if (sent)
            Q_EMIT continueSent(*params);
    } else {
        const auto &toParams = std::get<ContinueToParams>(request);
        sent = m_control->sendContinueTo(sessionId(), toParams);
        if (sent)
            Q_EMIT continueToSent(toParams);
    }
    if (!sent)
        fail(ManagedSessionError::Kind::ContinueSend,
             tr("could not send the Continue: %1").arg(sent.error().message));
}

// ---------------------------------------------------------------------------
// Completion drain (seed `drain_until_subscriptions_complete`, PROTOCOL.md §6.7)

bool ParallelSubSession::isSubscriptionClosed(const Subscription &subscription) const
{
    return !subscription.manager || subscription.manager->hasEnded() || !subscription.manager->isRunning();
}

void ParallelSubSession::startDrain(std::optional<SessionSummary> summary)
{
    m_state = State::Draining;
    m_completedSummary = std::move(summary);
    m_queued.reset();
    qCDebug(lcSession) << sessionId() << "completed; draining" << m_subscriptions.size() << "subscription(s)";
    for (const Subscription &subscription : std::as_const(m_subscriptions)) {
        if (subscription.manager)
            subscription.manager->markSessionCompleted();
        if (m_state != State::Draining)
            return;
    }
    m_drainIdleTimer.start(m_policy.drainIdleTimeout);
    checkDrain();
}

void ParallelSubSession::checkDrain()
{
    if (m_state != State::Draining)
        return;
    for (const Subscription &subscription : std::as_const(m_subscriptions)) {
        if (!isSubscriptionClosed(subscription))
            return;
    }
    for (const Subscription &subscription : std::as_const(m_subscriptions)) {
        if (subscription.manager && subscription.manager->status() == ConnectionStatus::Failed) {
            fail(ManagedSessionError::Kind::DrainStalled,
                 tr("completion drain stalled: subscription %1 failed (%2); the captured stream is incomplete")
                     .arg(subscription.label, subscription.manager->statusReason()));
            return;
        }
    }
    completeDrain();
}

void ParallelSubSession::onDrainIdle()
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

void ParallelSubSession::completeDrain()
{
    m_drainIdleTimer.stop();
    m_state = State::Completed;
    Q_EMIT eventReceived(ManagedEvents::Completed{m_completedSummary});
    stopSubscriptions();
    checkFinished();
}

// ---------------------------------------------------------------------------
// Endings

void ParallelSubSession::fail(ManagedSessionError::Kind kind, const QString &message)
{
    if (m_state == State::Completed || m_state == State::Failed || m_state == State::ShutDown)
        return;
    m_state = State::Failed;
    m_queued.reset();
    m_drainIdleTimer.stop();
    qCWarning(lcSession).nospace() << "sub-session " << sessionId() << " failed ("
                                   << managedSessionErrorKindName(kind) << "): " << message;
    stopSubscriptions();
    Q_EMIT failed(ManagedSessionError{kind, message});
    checkFinished();
}

void ParallelSubSession::shutdown()
{
    switch (m_state) {
    case State::Pending:
    case State::Running:
        m_state = State::ShutDown;
        m_queued.reset();
        // Tell the server so the batch can still complete without it.
        if (m_control && m_control->phase() == WebSocketConnection::Phase::Up)
            m_control->closeSubSession(sessionId());
        stopSubscriptions();
        checkFinished();
        return;
    case State::Draining:
        completeDrain(); // an intentional stop ends the drain as complete (seed: cancel ⇒ Complete)
        return;
    case State::Completed:
    case State::Failed:
    case State::ShutDown:
        stopSubscriptions();
        return;
    }
}

void ParallelSubSession::stopSubscriptions()
{
    for (const Subscription &subscription : std::as_const(m_subscriptions)) {
        if (subscription.manager)
            subscription.manager->stop();
    }
}

void ParallelSubSession::checkFinished()
{
    if (m_finishedEmitted)
        return;
    if (m_state != State::Completed && m_state != State::Failed && m_state != State::ShutDown)
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

ConnectionStatus ParallelSubSession::controlStatus() const
{
    return m_control ? m_control->status() : ConnectionStatus::Down;
}

SocketStatus ParallelSubSession::controlSocketStatus() const
{
    return socketStatusOf(u"control"_s, m_control);
}

QList<SocketStatus> ParallelSubSession::subscriptionStatuses() const
{
    QList<SocketStatus> statuses;
    for (const Subscription &subscription : m_subscriptions)
        statuses.append(socketStatusOf(subscription.label, subscription.manager, tr("waiting for the sub-session")));
    return statuses;
}

QList<SubscriptionManager *> ParallelSubSession::subscriptions() const
{
    QList<SubscriptionManager *> managers;
    for (const Subscription &subscription : m_subscriptions) {
        if (subscription.manager)
            managers.append(subscription.manager);
    }
    return managers;
}

bool ParallelSubSession::reconnectNow(const QString &socketLabel)
{
    for (const Subscription &subscription : std::as_const(m_subscriptions)) {
        if (subscription.label == socketLabel)
            return subscription.manager && subscription.manager->reconnectNow();
    }
    return false;
}

} // namespace SlotScope
