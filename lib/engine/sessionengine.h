#pragma once

#include "capture/capturewriter.h"
#include "engine/modelupdate.h"
#include "engine/runconfig.h"
#include "model/sessionstate.h"
#include "net/connectionpolicy.h"
#include "net/websocketconnection.h"
#include "protocol/controlmessages.h"
#include "session/managedevent.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace SlotScope {

class ManagedParallelSession;
class ManagedSession;
class ParallelSubSession;
struct FrameLogEntry;
struct TransactionSummary;

/// Runs one RunConfig: owns the ManagedSession (or, with RunConfig::parallel,
/// the ManagedParallelSession and its sub-sessions), writes the capture as data
/// arrives (disk first: the source of truth) and turns session events into
/// coalesced ModelUpdate batches for the GUI thread (DESIGN.md §2–§3).
///
/// Lives on a worker thread (moveToThread); every public slot is meant to be
/// invoked through a queued call. Each session (a single session, or every
/// sub-session of a batch) has its own driver, stepped per RunConfig::Drive:
/// Manual waits for continueSession() / continueTo(); RunToEnd continues
/// `advanceCount` slots whenever the session is ready or paused;
/// PauseAtDiscoveries continues to every discovered batch ahead (PROTOCOL.md
/// §6.2) and otherwise continues `advanceCount` slots. Stepping commands take
/// an optional session id: empty = every session (lockstep in a batch).
///
/// Reports: runStarted() once the capture is open, modelUpdated() at most every
/// flush interval (default 33 ms), runFinished() exactly once per run. A batch
/// finishes when every sub-session ended: Completed only if all completed.
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

    /// The owners whose accounts RunConfig::accountDiffs subscribes to: every
    /// subscribe-program, or (none given) the token and system programs.
    static QStringList accountDiffOwners(const RunConfig &config);

public Q_SLOTS:
    /// Starts a run against `controlUrl` (already resolved: the demo server's
    /// URL or the normalised server URL). A run in progress is stopped first.
    void start(const SlotScope::RunConfig &config, const QString &controlUrl);
    /// Continue `advanceCount` slots (0 = the run's advance count) on
    /// `sessionId` (empty = every session that is ready or paused); switches
    /// those sessions to manual stepping.
    void continueSession(quint64 advanceCount = 0, const QString &sessionId = {});
    /// Continue-to batch `batchIndex` of `slot` (negative = the whole slot) on
    /// `sessionId` (empty = the session whose range holds `slot`).
    void continueTo(quint64 slot, qint64 batchIndex, const QString &sessionId = {});
    /// Keep continuing until the session (empty = every session) completes.
    void runToEnd(const QString &sessionId = {});
    /// Continue until the next discovered batch, then pause before it.
    void runToNextDiscovery(const QString &sessionId = {});
    /// Closes the session(s) gracefully; the capture keeps what arrived (no summary).
    void stop();

Q_SIGNALS:
    void runStarted(const QString &runId, const QString &capturePath);
    void modelUpdated(const SlotScope::ModelUpdate &update);
    void runFinished(const SlotScope::RunOutcome &outcome);
    /// Every socket of the finished run is closed.
    void sessionClosed();

private:
    enum class Drive { Manual, RunToEnd, PauseAtDiscoveries, ToNextDiscovery };

    struct Link
    {
        LinkState state;
        bool everUp = false;   ///< an Up after this is a reconnect
    };

    /// One session's stepping state, row and sockets.
    struct Driver
    {
        QString sessionId;         ///< "" until created (single session)
        quint64 startSlot = 0;
        quint64 endSlot = 0;
        std::function<Result<void>(const ContinueParams &)> sendContinue;
        std::function<Result<void>(const ContinueToParams &)> sendContinueTo;
        Drive drive = Drive::Manual;
        SessionState state = SessionState::Creating;
        bool stepInFlight = false;
        quint64 nextSlot = 0;                     ///< next slot to execute
        std::optional<PausedEvent> pausedAt;      ///< set while paused
        quint64 currentSlot = 0;                  ///< last slot reported
        QList<DiscoveryBatchEvent> discoveries;   ///< every batch announced
        Link control;                             ///< single session only
        QList<std::pair<QString, Link>> subscriptions;
        quint64 reconnects = 0;
        quint64 transactions = 0;
        quint64 duplicates = 0;
        QString lastError;
        bool dirty = true;
        bool ended = false;                       ///< completed, failed or stopped
    };

    void startSingle(const CreateSessionParams &params);
    void startParallel(const CreateSessionParams &params);
    template<typename Session>
    void connectDriverSignals(Session *session, Driver *driver);
    void onBatchCreated(const QList<ParallelSubSession *> &subSessions);

    Driver *addDriver(const QString &sessionId, quint64 startSlot, quint64 endSlot);
    QList<Driver *> driversFor(const QString &sessionId);
    void onEvent(Driver *driver, const ManagedEvent &event);
    void onTransaction(Driver *driver, const TransactionSummary &summary, QByteArrayView raw);
    void onAccountDiff(Driver *driver, QByteArrayView raw);
    void onConnectionStatus(Driver *driver, const QString &socket, ConnectionStatus status,
                            const QString &reason, int attempt);
    void onReconnectScheduled(Driver *driver, const QString &socket, int attempt,
                              std::chrono::milliseconds delay);
    void onFrameLogged(const FrameLogEntry &entry, const QString &sessionId);
    void onSessionFailed(Driver *driver, const ManagedSessionError &error, FailureKind controlFailure);
    void onDriverEnded(Driver *driver);

    void stepIfDriven(Driver *driver);
    void sendContinue(Driver *driver, quint64 advanceCount);
    void sendContinueTo(Driver *driver, quint64 slot, std::optional<quint32> batchIndex);
    void refuseStep(Driver *driver, const QString &reason);
    static std::optional<DiscoveryBatchEvent> nextDiscoveryAhead(const Driver &driver);
    static bool isAhead(const Driver &driver, quint64 slot, quint32 batchIndex);
    static Drive driveFor(RunConfig::Drive drive);

    Link &linkFor(Driver *driver, const QString &socket);
    void setState(Driver *driver, SessionState state);
    void queuePosition(Driver *driver, bool finished = false);
    void logEvent(const QString &type, const QString &sessionId, const QJsonObject &data);
    void queueRunRow();
    void flush();
    void finishRun(RunOutcome::Kind kind, RunOutcome::Category category, const QString &message);
    void teardownSession();

    ConnectionPolicy m_policy;
    RunConfig m_config;
    QString m_runId;
    QString m_controlUrl;
    QPointer<ManagedSession> m_session;            ///< single session
    QPointer<ManagedParallelSession> m_batch;      ///< parallel batch
    CaptureWriter m_capture;
    QTimer m_flushTimer;

    bool m_running = false;
    std::vector<std::unique_ptr<Driver>> m_drivers;  ///< stable addresses; a batch in server order
    QHash<QString, Driver *> m_driverById;
    Link m_batchControl;                           ///< the shared control socket of a batch
    bool m_runRowDirty = false;
    SessionState m_runState = SessionState::Creating;
    QString m_runError;
    std::optional<std::pair<RunOutcome::Category, QString>> m_firstFailure;

    ModelUpdate m_pending;
    quint64 m_duplicatesTotal = 0;
};

} // namespace SlotScope
