#include "session/managedparallelsession.h"
#include "session/logging.h"

#include "protocol/urls.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace SlotScope {

static const QString kParallelControlLabel = u"control"_s;

ManagedParallelSession::ManagedParallelSession(QString controlUrl, QString apiKey, CreateSessionParams params,
                                               ConnectionPolicy policy, QObject *parent)
    : QObject(parent)
    , m_controlUrl(backtestWsUrl(controlUrl))
    , m_apiKey(std::move(apiKey))
    , m_params(std::move(params))
    , m_policy(policy)
    , m_coordinator(new ReconnectCoordinator(this))
{
    m_params.parallel = true;
    m_coordinator->setUngatedAttempts(m_policy.ungatedAttempts);
    m_coordinator->setQuietAfterMs(m_policy.streamingQuietAfter.count());
}

ManagedParallelSession::~ManagedParallelSession()
{
    // Children go with us; no signals from here on.
    if (m_control)
        disconnect(m_control, nullptr, this, nullptr);
    for (ParallelSubSession *sub : std::as_const(m_subSessions))
        disconnect(sub, nullptr, this, nullptr);
    // The sub-sessions drive the control through their channels: they go first.
    qDeleteAll(std::exchange(m_subSessions, {}));
}

void ManagedParallelSession::start()
{
    if (m_state != State::Idle) {
        qCWarning(lcSession) << "start() called twice; ignored";
        return;
    }
    m_state = State::Creating;
    m_control = new ParallelControlManager(m_params, m_policy, this);
    ParallelControlManager *control = m_control;
    // Closing the batch tears down every sub-session's data plane: not before
    // each one drained (onSubSessionEnded), never on the last `completed`.
    control->setClosesWhenBatchCompleted(false);
    connect(control, &WebSocketConnection::statusChanged, this, &ManagedParallelSession::onControlStatus);
    connect(control, &WebSocketConnection::reconnectScheduled, this,
            [this](int attempt, std::chrono::milliseconds delay, const QString &reason) {
                Q_EMIT reconnectScheduled(kParallelControlLabel, attempt, delay, reason);
            });
    connect(control, &WebSocketConnection::finished, this, &ManagedParallelSession::checkFinished);
    connect(control, &ParallelControlManager::sessionsCreated, this, &ManagedParallelSession::onSessionsCreated);
    connect(control, &ParallelControlManager::reattached, this, &ManagedParallelSession::reattached);
    connect(control, &ParallelControlManager::eventReceived, this, &ManagedParallelSession::onControlEvent);
    connect(control, &ParallelControlManager::duplicateDropped, this, &ManagedParallelSession::duplicateDropped);
    connect(control, &ParallelControlManager::frameLogged, this, &ManagedParallelSession::frameLogged);
    connect(control, &ParallelControlManager::startupStatusReceived, this,
            &ManagedParallelSession::startupStatusReceived);
    connect(control, &WebSocketConnection::frameDropped, this,
            [this](const QString &reason, const QByteArray &raw, qint64 size) {
                Q_EMIT frameDropped(kParallelControlLabel, reason, raw, size);
            });
    control->start(QUrl(m_controlUrl), m_apiKey);
}

void ManagedParallelSession::subscribeTransactions(const QStringList &programIds, bool zstd)
{
    m_defaultSubscriptions.append(SubscriptionSpec::transactions(programIds, zstd));
    for (ParallelSubSession *sub : std::as_const(m_subSessions))
        sub->subscribeTransactions(programIds, zstd);
}

void ManagedParallelSession::subscribeAccountDiffs(const QString &address, bool programOwner, bool zstd)
{
    m_defaultSubscriptions.append(SubscriptionSpec::accountDiffs(address, programOwner, zstd));
    for (ParallelSubSession *sub : std::as_const(m_subSessions))
        sub->subscribeAccountDiffs(address, programOwner, zstd);
}

void ManagedParallelSession::onSessionsCreated(const QString &controlSessionId,
                                               const QList<ParallelSubSessionInfo> &subSessions)
{
    if (m_state != State::Creating)
        return;
    m_state = State::Running;
    for (const ParallelSubSessionInfo &info : subSessions) {
        auto *sub = new ParallelSubSession(info, m_controlUrl, m_control, m_coordinator, m_policy, this);
        for (const SubscriptionSpec &spec : std::as_const(m_defaultSubscriptions)) {
            if (spec.kind == SubscriptionKind::AccountDiffs)
                sub->subscribeAccountDiffs(spec.address, spec.programOwner, spec.zstd);
            else
                sub->subscribeTransactions(spec.programIds, spec.zstd);
        }
        connect(sub, &ParallelSubSession::failed, this, [this](const ManagedSessionError &error) {
            if (!m_firstSubSessionError)
                m_firstSubSessionError = error;
        });
        connect(sub, &ParallelSubSession::finished, this, &ManagedParallelSession::onSubSessionEnded);
        m_subSessions.append(sub);
        m_byId.insert(sub->sessionId(), sub);
    }
    qCInfo(lcSession) << "parallel batch" << controlSessionId << "running with" << m_subSessions.size()
                      << "sub-sessions";
    Q_EMIT created(controlSessionId, m_subSessions);
    // The driver connected to the sub-sessions in created(); now they run.
    const QList<ParallelSubSession *> subs = m_subSessions;
    for (ParallelSubSession *sub : subs) {
        if (m_state != State::Running)
            return;
        sub->activate();
    }
}

void ManagedParallelSession::onControlEvent(const QString &sessionId, quint64, const SessionEventKind &event)
{
    if (ParallelSubSession *sub = m_byId.value(sessionId))
        sub->handleControlEvent(event);
}

void ManagedParallelSession::onControlStatus(ConnectionStatus status, const QString &reason)
{
    Q_EMIT connectionStatusChanged(kParallelControlLabel, status, reason, m_control ? m_control->attempt() : 0,
                                   m_control && m_control->hasEnded());
    const QList<ParallelSubSession *> subs = m_subSessions;
    for (ParallelSubSession *sub : subs)
        sub->handleControlStatus(status, reason);
    if (status != ConnectionStatus::Failed)
        return;

    if (m_control->isBatchCompleted()) {
        // Every sub-session completed: their drains run on their own sockets
        // and decide the outcome; only the final close is lost.
        qCInfo(lcSession) << "control connection failed after every sub-session completed:" << reason;
        return;
    }
    const FailureKind kind = m_control->failureKind();
    if (kind == FailureKind::Unauthorized) {
        static const QRegularExpression httpStatus(u"HTTP \\d+"_s);
        const QString code = httpStatus.match(reason).captured();
        fail(ManagedSessionError::Kind::Create, code.isEmpty() ? tr("API key rejected by the server")
                                                               : tr("API key rejected by the server (%1)").arg(code));
        return;
    }
    if (m_state == State::Creating) {
        // Fatal create reasons are already one clear line ("the server did not
        // report the sub-session slot ranges …", "parallel create failed: …").
        const bool selfExplaining = kind == FailureKind::Unreachable || kind == FailureKind::HandshakeRejected;
        fail(ManagedSessionError::Kind::Create,
             selfExplaining ? reason : tr("parallel create failed: %1").arg(reason));
        return;
    }
    if (m_state == State::Running) {
        fail(ManagedSessionError::Kind::ControlFailed,
             kind == FailureKind::Terminal ? reason : tr("control connection failed: %1").arg(reason));
    }
}

void ManagedParallelSession::onSubSessionEnded()
{
    checkFinished();
    if (m_state != State::Running)
        return;
    bool allCompleted = true;
    for (const ParallelSubSession *sub : std::as_const(m_subSessions)) {
        if (!sub->hasEnded())
            return; // not over yet
        if (sub->state() != ParallelSubSession::State::Completed)
            allCompleted = false;
    }
    // Every drain has ended: now the batch may close (closeBacktestSession).
    if (m_control)
        m_control->closeSession();
    if (allCompleted) {
        m_state = State::Completed;
        qCInfo(lcSession) << "parallel batch" << controlSessionId() << "completed";
        Q_EMIT completed();
    } else if (m_firstSubSessionError) {
        ManagedSessionError error = *m_firstSubSessionError;
        m_state = State::Failed;
        Q_EMIT failed(error);
    } else {
        m_state = State::ShutDown;
    }
    checkFinished();
}

void ManagedParallelSession::fail(ManagedSessionError::Kind kind, const QString &message)
{
    if (m_state == State::Completed || m_state == State::Failed || m_state == State::ShutDown)
        return;
    m_state = State::Failed;
    qCWarning(lcSession).nospace() << "parallel batch failed (" << managedSessionErrorKindName(kind)
                                   << "): " << message;
    const FailureKind failure = m_control ? m_control->failureKind() : FailureKind::None;
    if (m_control)
        m_control->closeSession();
    Q_EMIT failed(ManagedSessionError{kind, message, failure});
    checkFinished();
}

void ManagedParallelSession::shutdown()
{
    switch (m_state) {
    case State::Idle:
        m_state = State::ShutDown;
        checkFinished();
        return;
    case State::Creating:
        m_state = State::ShutDown;
        if (m_control)
            m_control->closeSession();
        Q_EMIT failed(ManagedSessionError{ManagedSessionError::Kind::Cancelled,
                                          tr("cancelled before the parallel batch was created")});
        checkFinished();
        return;
    case State::Running:
        m_state = State::ShutDown;
        [[fallthrough]];
    case State::Completed:
    case State::Failed:
    case State::ShutDown: {
        // Control first: closeBacktestSession ends every sub-session on the
        // server, so the sub-sessions need not close one by one.
        if (m_control)
            m_control->closeSession();
        const QList<ParallelSubSession *> subs = m_subSessions;
        for (ParallelSubSession *sub : subs)
            sub->shutdown();
        checkFinished();
        return;
    }
    }
}

void ManagedParallelSession::shutdownAndDelete()
{
    if (m_finishedEmitted) {
        deleteLater();
        return;
    }
    connect(this, &ManagedParallelSession::finished, this, &QObject::deleteLater);
    if (m_state != State::Completed && m_state != State::Failed && m_state != State::ShutDown)
        shutdown();
}

void ManagedParallelSession::checkFinished()
{
    if (m_finishedEmitted)
        return;
    if (m_state != State::Completed && m_state != State::Failed && m_state != State::ShutDown)
        return;
    if (m_control && m_control->isRunning())
        return;
    for (const ParallelSubSession *sub : std::as_const(m_subSessions)) {
        if (!sub->hasEnded())
            return;
        for (const SubscriptionManager *manager : sub->subscriptions()) {
            if (manager->isRunning())
                return;
        }
    }
    m_finishedEmitted = true;
    Q_EMIT finished();
}

// ---------------------------------------------------------------------------
// Accessors

QString ManagedParallelSession::controlSessionId() const
{
    return m_control ? m_control->controlSessionId() : QString();
}

ParallelSubSession *ManagedParallelSession::subSession(const QString &sessionId) const
{
    return m_byId.value(sessionId);
}

ConnectionStatus ManagedParallelSession::controlStatus() const
{
    return m_control ? m_control->status() : ConnectionStatus::Down;
}

SocketStatus ManagedParallelSession::controlSocketStatus() const
{
    SocketStatus status;
    status.label = kParallelControlLabel;
    if (m_control) {
        status.status = m_control->status();
        status.reason = m_control->statusReason();
        status.attempt = m_control->attempt();
    }
    return status;
}

bool ManagedParallelSession::reconnectNow(const QString &sessionId, const QString &socketLabel)
{
    if (sessionId.isEmpty())
        return socketLabel == kParallelControlLabel && m_control && m_control->reconnectNow();
    ParallelSubSession *sub = subSession(sessionId);
    return sub && sub->reconnectNow(socketLabel);
}

} // namespace SlotScope
