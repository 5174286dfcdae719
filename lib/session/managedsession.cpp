#include "session/managedsession.h"
#include "session/logging.h"

#include "net/controlmanager.h"
#include "net/subscriptionmanager.h"
#include "protocol/urls.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace SlotScope {

static const QString kControlLabel = u"control"_s;

ManagedSession::ManagedSession(QString controlUrl, QString apiKey, CreateSessionParams params,
                               ConnectionPolicy policy, QObject *parent)
    : QObject(parent)
    , m_controlUrl(backtestWsUrl(controlUrl))
    , m_apiKey(std::move(apiKey))
    , m_params(std::move(params))
    , m_policy(policy)
{
    m_drainIdleTimer.setSingleShot(true);
    connect(&m_drainIdleTimer, &QTimer::timeout, this, &ManagedSession::onDrainIdle);
}

ManagedSession::~ManagedSession()
{
    // Children (control, subscriptions) go with us; no signals from here on.
    if (m_control)
        disconnect(m_control, nullptr, this, nullptr);
    for (const Subscription &subscription : std::as_const(m_subscriptions)) {
        if (subscription.manager)
            disconnect(subscription.manager, nullptr, this, nullptr);
    }
}

void ManagedSession::start()
{
    if (m_state != State::Idle) {
        qCWarning(lcSession) << "start() called twice; ignored";
        return;
    }
    m_state = State::Creating;
    m_control = new ControlManager(m_params, m_policy, this);
    ControlManager *control = m_control;
    connect(control, &WebSocketConnection::statusChanged, this, &ManagedSession::onControlStatus);
    connect(control, &WebSocketConnection::reconnectScheduled, this,
            [this](int attempt, std::chrono::milliseconds delay) {
                Q_EMIT reconnectScheduled(kControlLabel, attempt, delay);
            });
    connect(control, &WebSocketConnection::finished, this, &ManagedSession::checkFinished);
    connect(control, &ControlManager::sessionCreated, this, &ManagedSession::onSessionCreated);
    connect(control, &ControlManager::eventReceived, this, &ManagedSession::onControlEvent);
    connect(control, &ControlManager::frameLogged, this, &ManagedSession::frameLogged);
    control->start(QUrl(m_controlUrl), m_apiKey);
}

void ManagedSession::subscribeTransactions(const QStringList &programIds, bool zstd)
{
    addSubscription(u"transactions"_s, SubscriptionSpec::transactions(programIds, zstd));
}

void ManagedSession::subscribeAccountDiffs(const QString &address, bool programOwner, bool zstd)
{
    addSubscription(u"account diffs"_s, SubscriptionSpec::accountDiffs(address, programOwner, zstd));
}

void ManagedSession::addSubscription(const QString &baseLabel, SubscriptionSpec spec)
{
    if (m_state != State::Idle && m_state != State::Creating && m_state != State::Running) {
        qCWarning(lcSession) << "subscribing after the session ended; ignored";
        return;
    }
    const auto sameKind = std::count_if(m_subscriptions.cbegin(), m_subscriptions.cend(),
                                        [&spec](const Subscription &s) { return s.spec.kind == spec.kind; });
    Subscription subscription;
    subscription.label = sameKind == 0 ? baseLabel : u"%1 %2"_s.arg(baseLabel).arg(sameKind + 1);
    subscription.spec = std::move(spec);
    m_subscriptions.append(subscription);
    if (m_control && m_control->sessionInfo())
        openSubscription(m_subscriptions.last());
}

void ManagedSession::openSubscription(Subscription &subscription)
{
    const SessionInfo info = *m_control->sessionInfo();
    const Result<QString> url = subscriptionWsUrl(m_controlUrl, info.rpcEndpoint);
    if (!url) {
        fail(ManagedSessionError::Kind::SubscriptionFailed,
             tr("subscription %1 failed: %2").arg(subscription.label, url.error().message));
        return;
    }
    auto *manager = new SubscriptionManager(subscription.spec, m_policy, this);
    manager->setReconnectCoordinator(m_coordinator);
    if (m_coordinator)
        m_coordinator->setParticipantName(manager, info.sessionId, subscription.label);
    subscription.manager = manager;
    const QString label = subscription.label;
    connect(manager, &WebSocketConnection::statusChanged, this,
            [this, label](ConnectionStatus status, const QString &reason) {
                onSubscriptionStatus(label, status, reason);
            });
    connect(manager, &WebSocketConnection::reconnectScheduled, this,
            [this, label](int attempt, std::chrono::milliseconds delay) {
                Q_EMIT reconnectScheduled(label, attempt, delay);
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
            [this, label](const QString &signature, quint64 slot) {
                Q_EMIT duplicateDropped(label, signature, slot);
            });
    connect(manager, &SubscriptionManager::endOfStream, this, &ManagedSession::checkDrain);
    connect(manager, &WebSocketConnection::finished, this, [this] {
        checkDrain();
        checkFinished();
    });
    qCDebug(lcSession) << "opening subscription" << label << "on" << *url;
    manager->start(QUrl(*url));
}

void ManagedSession::onSessionCreated(const SessionInfo &info)
{
    if (m_state != State::Creating)
        return;
    m_state = State::Running;
    Q_EMIT created(info);
    for (Subscription &subscription : m_subscriptions) {
        if (m_state != State::Running)
            return;
        if (!subscription.manager)
            openSubscription(subscription);
    }
    flushQueued();
}

void ManagedSession::onControlStatus(ConnectionStatus status, const QString &reason)
{
    Q_EMIT connectionStatusChanged(kControlLabel, status, reason, m_control ? m_control->attempt() : 0);
    if (status == ConnectionStatus::Up) {
        flushQueued();
        return;
    }
    if (status != ConnectionStatus::Failed)
        return;

    if (m_state == State::Draining) {
        // The transactions still flow on their own sockets; the drain decides.
        qCInfo(lcSession) << "control connection failed during the completion drain:" << reason;
        return;
    }
    const FailureKind kind = m_control->failureKind();
    if (kind == FailureKind::Unauthorized) {
        static const QRegularExpression httpStatus(u"HTTP \\d+"_s);
        const QString status = httpStatus.match(reason).captured();
        fail(ManagedSessionError::Kind::Create,
             status.isEmpty() ? tr("API key rejected by the server")
                              : tr("API key rejected by the server (%1)").arg(status));
        return;
    }
    if (m_state == State::Creating) {
        // Reasons are already one line: "cannot connect to …", "session create failed: …".
        const bool selfExplaining = kind == FailureKind::Unreachable
                                    || reason.startsWith(u"session create failed"_s);
        fail(ManagedSessionError::Kind::Create,
             selfExplaining ? reason : tr("session create failed: %1").arg(reason));
        return;
    }
    fail(ManagedSessionError::Kind::ControlFailed,
         kind == FailureKind::Terminal ? reason : tr("control connection failed: %1").arg(reason));
}

void ManagedSession::onControlEvent(const ControlFrame &frame)
{
    if (m_state != State::Running && m_state != State::Creating)
        return;
    std::optional<ManagedEvent> event = managedEventFromResponse(frame.response);
    if (!event)
        return;
    if (auto *completed = std::get_if<ManagedEvents::Completed>(&*event)) {
        startDrain(completed->summary);
        return;
    }
    Q_EMIT eventReceived(*event);
}

void ManagedSession::onSubscriptionStatus(const QString &label, ConnectionStatus status,
                                          const QString &reason)
{
    int attempt = 0;
    for (const Subscription &subscription : std::as_const(m_subscriptions)) {
        if (subscription.label == label && subscription.manager)
            attempt = subscription.manager->attempt();
    }
    Q_EMIT connectionStatusChanged(label, status, reason, attempt);
    switch (status) {
    case ConnectionStatus::Up:
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
        if (m_state == State::Running || m_state == State::Creating)
            fail(ManagedSessionError::Kind::SubscriptionFailed,
                 tr("subscription %1 failed: %2").arg(label, reason));
        return;
    case ConnectionStatus::Down:
    case ConnectionStatus::Parked:
        return;
    }
}

bool ManagedSession::acceptsNotifications()
{
    // After Completed, failed() or shutdown() nothing more is delivered.
    if (m_state != State::Running && m_state != State::Draining && m_state != State::Creating)
        return false;
    if (m_state == State::Draining)
        m_drainIdleTimer.start(m_policy.drainIdleTimeout); // bounds the gap, not the total
    return true;
}

// ---------------------------------------------------------------------------
// Continue gating (seed `wait_connections_up`)

bool ManagedSession::allConnectionsUp() const
{
    if (!m_control || m_control->status() != ConnectionStatus::Up || !m_control->sessionInfo())
        return false;
    for (const Subscription &subscription : m_subscriptions) {
        if (!subscription.manager || subscription.manager->status() != ConnectionStatus::Up)
            return false;
    }
    return true;
}

std::optional<SocketStatus> ManagedSession::firstFailedConnection() const
{
    if (m_control && m_control->status() == ConnectionStatus::Failed)
        return controlSocketStatus();
    for (const SocketStatus &status : subscriptionStatuses()) {
        if (status.status == ConnectionStatus::Failed)
            return status;
    }
    return std::nullopt;
}

Result<void> ManagedSession::queue(QueuedRequest request)
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
    if (m_control && m_control->isContinueInFlight())
        return makeError(tr("a Continue is already in flight"));
    m_queued = std::move(request);
    flushQueued();
    return {};
}

Result<void> ManagedSession::sendContinue(const ContinueParams &params)
{
    return queue(params);
}

Result<void> ManagedSession::sendContinueTo(const ContinueToParams &params)
{
    return queue(params);
}

void ManagedSession::flushQueued()
{
    if (!m_queued || m_state != State::Running || !allConnectionsUp())
        return;
    const QueuedRequest request = *std::exchange(m_queued, std::nullopt);
    Result<void> sent;
    if (const auto *params = std::get_if<ContinueParams>(&request)) {
        sent = m_control->sendContinue(*params);
        if (sent)
            Q_EMIT continueSent(*params);
    } else {
        const auto &toParams = std::get<ContinueToParams>(request);
        sent = m_control->sendContinueTo(toParams);
        if (sent)
            Q_EMIT continueToSent(toParams);
    }
    if (!sent)
        fail(ManagedSessionError::Kind::ContinueSend,
             tr("could not send the Continue: %1").arg(sent.error().message));
}

// ---------------------------------------------------------------------------
// Completion drain (seed `drain_subscriptions_until_complete`, PROTOCOL.md §6.7)

bool ManagedSession::isSubscriptionClosed(const Subscription &subscription) const
{
    return !subscription.manager || subscription.manager->hasEnded()
           || !subscription.manager->isRunning();
}

void ManagedSession::startDrain(std::optional<SessionSummary> summary)
{
    m_state = State::Draining;
    m_completedSummary = std::move(summary);
    m_queued.reset();
    qCDebug(lcSession) << "session completed; draining" << m_subscriptions.size() << "subscription(s)";
    for (const Subscription &subscription : std::as_const(m_subscriptions)) {
        if (subscription.manager)
            subscription.manager->markSessionCompleted();
        if (m_state != State::Draining)
            return;
    }
    m_drainIdleTimer.start(m_policy.drainIdleTimeout);
    checkDrain();
}

void ManagedSession::checkDrain()
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

void ManagedSession::onDrainIdle()
{
    if (m_state != State::Draining)
        return;
    for (const Subscription &subscription : std::as_const(m_subscriptions)) {
        if (!isSubscriptionClosed(subscription)
            && subscription.manager->status() == ConnectionStatus::Up) {
            fail(ManagedSessionError::Kind::DrainStalled,
                 tr("completion drain stalled: subscription %1 is up but delivered nothing for %2 ms "
                    "and no end of stream; the captured stream is incomplete")
                     .arg(subscription.label)
                     .arg(m_policy.drainIdleTimeout.count()));
            return;
        }
    }
    // Every open subscription is reconnecting: not a stall, keep waiting.
    m_drainIdleTimer.start(m_policy.drainIdleTimeout);
}

void ManagedSession::completeDrain()
{
    m_drainIdleTimer.stop();
    m_state = State::Completed;
    Q_EMIT eventReceived(ManagedEvents::Completed{m_completedSummary});
    stopConnections();
    checkFinished();
}

// ---------------------------------------------------------------------------
// Endings

void ManagedSession::fail(ManagedSessionError::Kind kind, const QString &message)
{
    if (m_state == State::Completed || m_state == State::Failed || m_state == State::ShutDown)
        return;
    m_state = State::Failed;
    m_queued.reset();
    m_drainIdleTimer.stop();
    qCWarning(lcSession).nospace() << "session failed (" << managedSessionErrorKindName(kind)
                                   << "): " << message;
    stopConnections();
    Q_EMIT failed(ManagedSessionError{kind, message});
    checkFinished();
}

void ManagedSession::shutdown()
{
    switch (m_state) {
    case State::Idle:
        m_state = State::ShutDown;
        checkFinished();
        return;
    case State::Creating:
        m_state = State::ShutDown;
        m_queued.reset();
        stopConnections();
        Q_EMIT failed(ManagedSessionError{ManagedSessionError::Kind::Cancelled,
                                          tr("cancelled before the session was created")});
        checkFinished();
        return;
    case State::Running:
        m_state = State::ShutDown;
        m_queued.reset();
        stopConnections();
        checkFinished();
        return;
    case State::Draining:
        // An intentional stop ends the drain as complete (seed: cancel ⇒ Complete).
        completeDrain();
        return;
    case State::Completed:
    case State::Failed:
    case State::ShutDown:
        stopConnections();
        return;
    }
}

void ManagedSession::stopConnections()
{
    for (const Subscription &subscription : std::as_const(m_subscriptions)) {
        if (subscription.manager)
            subscription.manager->stop();
    }
    // closeBacktestSession + close frame when Up; a plain stop otherwise.
    if (m_control)
        m_control->closeSession();
}

void ManagedSession::checkFinished()
{
    if (m_finishedEmitted)
        return;
    if (m_state != State::Completed && m_state != State::Failed && m_state != State::ShutDown)
        return;
    if (m_control && m_control->isRunning())
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

std::optional<SessionInfo> ManagedSession::sessionInfo() const
{
    return m_control ? m_control->sessionInfo() : std::nullopt;
}

ConnectionStatus ManagedSession::controlStatus() const
{
    return m_control ? m_control->status() : ConnectionStatus::Down;
}

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

SocketStatus ManagedSession::controlSocketStatus() const
{
    return socketStatusOf(kControlLabel, m_control);
}

QList<SocketStatus> ManagedSession::subscriptionStatuses() const
{
    QList<SocketStatus> statuses;
    for (const Subscription &subscription : m_subscriptions)
        statuses.append(socketStatusOf(subscription.label, subscription.manager, tr("waiting for the session")));
    return statuses;
}

QList<SubscriptionManager *> ManagedSession::subscriptions() const
{
    QList<SubscriptionManager *> managers;
    for (const Subscription &subscription : m_subscriptions) {
        if (subscription.manager)
            managers.append(subscription.manager);
    }
    return managers;
}

bool ManagedSession::reconnectNow(const QString &socketLabel)
{
    if (socketLabel == kControlLabel)
        return m_control && m_control->reconnectNow();
    for (const Subscription &subscription : std::as_const(m_subscriptions)) {
        if (subscription.label == socketLabel)
            return subscription.manager && subscription.manager->reconnectNow();
    }
    return false;
}

} // namespace SlotScope
