#pragma once

#include "net/connectionpolicy.h"
#include "net/controlmanager.h"
#include "net/framelog.h"
#include "protocol/controlmessages.h"
#include "session/sessioncore.h"

#include <QPointer>
#include <QString>

#include <optional>

namespace SlotScope {

/// One single (non-parallel) backtest session (seed session.rs
/// `ManagedBacktestSession`, DESIGN.md §4, PROTOCOL.md §6.1, §6.7): a
/// SessionCore over its own ControlManager, which it creates on start().
/// Everything else — subscriptions, the Continue gate, paused → ready, the
/// completion drain, the endings — is SessionCore's.
///
/// * start() creates the session; created() or failed() follows. A failure
///   before the session exists is failed(Create, one line): "API key rejected
///   by the server (HTTP 401)", "cannot connect to …", "session create
///   failed: …".
/// * connectionStatusChanged() and reconnectScheduled() report the control
///   socket ("control") as well as the subscriptions.
/// * After Completed or failed() the control connection is closed gracefully
///   (closeBacktestSession + close frame), only after the completion drain
///   ended (issue 8); finished() follows once every socket has stopped.
class ManagedSession : public SessionCore
{
    Q_OBJECT
public:
    /// `controlUrl` is normalised with backtestWsUrl() (a bare host becomes
    /// wss://<host>/backtest). `apiKey` is sent as X-API-Key and never logged.
    ManagedSession(QString controlUrl, QString apiKey, CreateSessionParams params,
                   ConnectionPolicy policy = {}, QObject *parent = nullptr);
    ~ManagedSession() override;

    /// Connect and create the session.
    void start();

    std::optional<SessionInfo> sessionInfo() const;
    /// The underlying control connection (diagnostics and tests); null before start().
    ControlManager *control() const { return m_control; }

Q_SIGNALS:
    /// A `status` while the create still waits for `sessionCreated` (the
    /// server waits for capacity, PROTOCOL-0.31.md §4.5), as it arrives; it is
    /// delivered again as an event once the session exists.
    void startupStatusReceived(const QString &status);
    /// Control frames for the protocol console.
    void frameLogged(const SlotScope::FrameLogEntry &entry);
    /// A reconnect of the control socket attached the session again
    /// (`attachSession` + `resumeAttachedSession` succeeded;
    /// ControlManager::sessionReattached()).
    void reattached(const SlotScope::SessionInfo &info);

private:
    QString m_controlUrl;
    QString m_apiKey;
    CreateSessionParams m_params;
    ConnectionPolicy m_policy;
    QPointer<ControlManager> m_control;
};

} // namespace SlotScope
