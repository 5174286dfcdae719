#include "session/managedsession.h"
#include "session/logging.h"

#include "protocol/urls.h"

using namespace Qt::StringLiterals;

namespace SlotScope {

static const QString kControlLabel = u"control"_s;

ManagedSession::ManagedSession(QString controlUrl, QString apiKey, CreateSessionParams params,
                               ConnectionPolicy policy, QObject *parent)
    : SessionCore(backtestWsUrl(controlUrl), policy, u"session"_s, parent)
    , m_controlUrl(backtestWsUrl(controlUrl))
    , m_apiKey(std::move(apiKey))
    , m_params(std::move(params))
    , m_policy(policy)
{
}

ManagedSession::~ManagedSession()
{
    // The control is a child and goes with us; no signals from here on.
    if (m_control)
        disconnect(m_control, nullptr, this, nullptr);
}

void ManagedSession::start()
{
    if (state() != State::Idle || m_control) {
        qCWarning(lcSession) << "start() called twice; ignored";
        return;
    }
    beginCreating();
    m_control = new ControlManager(m_params, m_policy, this);
    ControlManager *control = m_control;
    setChannel(control);
    connect(control, &WebSocketConnection::statusChanged, this,
            [this, control](ConnectionStatus status, const QString &reason) {
                Q_EMIT connectionStatusChanged(kControlLabel, status, reason, control->attempt(), control->hasEnded());
                handleControlStatus(status, reason);
            });
    connect(control, &WebSocketConnection::reconnectScheduled, this,
            [this](int attempt, std::chrono::milliseconds delay, const QString &reason) {
                Q_EMIT reconnectScheduled(kControlLabel, attempt, delay, reason);
            });
    connect(control, &WebSocketConnection::finished, this, &ManagedSession::checkFinished);
    connect(control, &ControlManager::sessionCreated, this, &ManagedSession::activate);
    connect(control, &ControlManager::eventReceived, this,
            [this](const ControlFrame &frame) { handleControlEvent(frame.response); });
    connect(control, &ControlManager::startupStatusReceived, this, &ManagedSession::startupStatusReceived);
    connect(control, &ControlManager::frameLogged, this, &ManagedSession::frameLogged);
    connect(control, &ControlManager::sessionReattached, this, &ManagedSession::reattached);
    connect(control, &WebSocketConnection::frameDropped, this,
            [this](const QString &reason, const QByteArray &raw, qint64 size) {
                Q_EMIT frameDropped(kControlLabel, reason, raw, size);
            });
    control->start(QUrl(m_controlUrl), m_apiKey);
}

std::optional<SessionInfo> ManagedSession::sessionInfo() const
{
    return m_control ? m_control->sessionInfo() : std::nullopt;
}

} // namespace SlotScope
