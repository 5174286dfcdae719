#pragma once

#include "capture/capturewriter.h"
#include "engine/modelupdate.h"
#include "engine/runconfig.h"
#include "model/sessionstate.h"
#include "net/connectionpolicy.h"
#include "protocol/controlmessages.h"
#include "session/managedevent.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <chrono>
#include <optional>

namespace SlotScope {

class ManagedSession;
struct TransactionSummary;

/// Runs one RunConfig: owns the ManagedSession, writes the capture as data
/// arrives (disk first: the source of truth) and turns session events into
/// coalesced ModelUpdate batches for the GUI thread (DESIGN.md §2–§3).
///
/// Lives on a worker thread (moveToThread); every public slot is meant to be
/// invoked through a queued call. Steps the session per RunConfig::Drive:
/// Manual waits for continueSession() / continueTo(); RunToEnd continues
/// `advanceCount` slots whenever the session is ready or paused;
/// PauseAtDiscoveries continues to every discovered batch ahead (PROTOCOL.md
/// §6.2) and otherwise continues `advanceCount` slots.
///
/// Reports: runStarted() once the capture is open, modelUpdated() at most every
/// flush interval (default 33 ms), runFinished() exactly once per run.
class SessionEngine : public QObject
{
    Q_OBJECT

public:
    explicit SessionEngine(QObject *parent = nullptr);
    ~SessionEngine() override;

    /// Connection timings (tests use milliseconds). Takes effect on start().
    void setConnectionPolicy(const ConnectionPolicy &policy) { m_policy = policy; }
    /// How often pending changes are sent to the GUI (and the capture flushed).
    void setFlushInterval(std::chrono::milliseconds interval);

    bool isRunning() const { return m_running; }

    /// The owner programs whose accounts a run with RunConfig::accountDiffs
    /// subscribes to: its subscribe programs, or — with none (every
    /// transaction) — the SPL Token program and the System program, which own
    /// the token accounts and the wallets whose balances most transactions move.
    static QStringList accountDiffOwners(const RunConfig &config);

public Q_SLOTS:
    /// Starts a run against `controlUrl` (already resolved: the demo server's
    /// URL or the normalised server URL). A run in progress is stopped first.
    void start(const SlotScope::RunConfig &config, const QString &controlUrl);
    /// Continue `advanceCount` slots (0 = the run's advance count); switches to
    /// manual stepping.
    void continueSession(quint64 advanceCount = 0);
    /// Continue-to batch `batchIndex` of `slot` (negative = the whole slot);
    /// switches to manual stepping.
    void continueTo(quint64 slot, qint64 batchIndex);
    /// Keep continuing until the session completes.
    void runToEnd();
    /// Continue until the next discovered batch, then pause before it.
    void runToNextDiscovery();
    /// Closes the session gracefully; the capture keeps what arrived (no summary).
    void stop();

Q_SIGNALS:
    void runStarted(const QString &runId, const QString &capturePath);
    void modelUpdated(const SlotScope::ModelUpdate &update);
    void runFinished(const SlotScope::RunOutcome &outcome);
    /// The session's sockets are closed (after a run finished).
    void sessionClosed();

private:
    enum class Drive { Manual, RunToEnd, PauseAtDiscoveries, ToNextDiscovery };

    void onCreated(const SessionInfo &info);
    void onEvent(const ManagedEvent &event);
    void onTransaction(const TransactionSummary &summary, QByteArrayView raw);
    void onAccountDiff(QByteArrayView raw);
    void onConnectionStatus(const QString &socket, ConnectionStatus status, const QString &reason,
                            int attempt);
    void onReconnectScheduled(const QString &socket, int attempt, std::chrono::milliseconds delay);
    void refuseStep(const QString &reason);
    void onFailed(const ManagedSessionError &error);

    void stepIfDriven();
    void sendContinue(quint64 advanceCount);
    void sendContinueTo(quint64 slot, std::optional<quint32> batchIndex);
    std::optional<DiscoveryBatchEvent> nextDiscoveryAhead() const;
    bool isAhead(quint64 slot, quint32 batchIndex) const;

    void setState(SessionState state);
    void markSessionDirty() { m_sessionDirty = true; }
    void queuePosition(bool finished = false);
    void logEvent(const QString &type, const QJsonObject &data);
    void flush();
    void finishRun(RunOutcome::Kind kind, RunOutcome::Category category, const QString &message);
    void teardownSession();

    ConnectionPolicy m_policy;
    RunConfig m_config;
    QString m_runId;
    QString m_controlUrl;
    QPointer<ManagedSession> m_session;
    CaptureWriter m_capture;
    QTimer m_flushTimer;

    bool m_running = false;
    Drive m_drive = Drive::Manual;
    QString m_sessionId;
    SessionState m_state = SessionState::Creating;
    bool m_stepInFlight = false;
    quint64 m_nextSlot = 0;                    ///< next slot to execute
    std::optional<PausedEvent> m_pausedAt;     ///< set while paused mid-range
    quint64 m_currentSlot = 0;                 ///< last slot reported
    QList<DiscoveryBatchEvent> m_discoveries;  ///< every batch announced, in order
    struct Link
    {
        LinkState state;
        bool everUp = false;   ///< an Up after this is a reconnect
    };
    Link m_controlLink;
    /// One per subscription socket, in the order they first reported
    /// ("transactions", "account diffs", …).
    QList<std::pair<QString, Link>> m_subscriptionLinks;
    Link &linkFor(const QString &socket);
    quint64 m_reconnects = 0;
    QString m_lastError;

    ModelUpdate m_pending;
    bool m_sessionDirty = false;
};

} // namespace SlotScope
