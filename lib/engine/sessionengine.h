#pragma once

#include "capture/accountdiffparser.h"
#include "capture/capturewriter.h"
#include "engine/crosssubscriptiondiffs.h"
#include "engine/modelupdate.h"
#include "engine/runconfig.h"
#include "engine/runjournal.h"
#include "engine/stepper.h"
#include "engine/updatebatcher.h"
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
class SessionCore;
struct FrameLogEntry;
struct TransactionSummary;

/// Runs one RunConfig (DESIGN.md §2–§3): owns the ManagedSession (or, with
/// RunConfig::parallel, the ManagedParallelSession and its sub-sessions) and
/// coordinates, per session, three parts:
///  * a Stepper (the stepping policy: drive modes, next discovery, pause →
///    readyForContinue, refusals),
///  * the RunJournal (the events file) beside the transaction capture, which
///    is written as data arrives (disk first: the source of truth),
///  * the UpdateBatcher (coalesced ModelUpdate batches for the GUI thread).
/// What is left here: the run's life cycle, wiring the sessions' signals to
/// those parts, and classifying how the run ended (RunOutcome).
///
/// Lives on a worker thread (EngineHost); every public slot is meant to be
/// invoked through a queued call. Drives come from RunConfig::Drive: Manual
/// waits for continueSession() / continueTo(); RunToEnd continues
/// `advanceCount` slots whenever the session is ready; PauseAtDiscoveries
/// continues to every discovered batch ahead (PROTOCOL.md §6.2) and otherwise
/// continues `advanceCount` slots. A session steps only on readyForContinue,
/// never on `paused` (PROTOCOL-0.31.md §3.2). Stepping commands take an
/// optional session id: empty = every session (lockstep in a batch).
///
/// A RunConfig::unattended run (headless) never waits for a person: when a
/// driven session cannot go on (a refused step, a step that could not be
/// sent) that session fails with Category::Driving; terminal errors fail it
/// through the session layer (Category::Server).
///
/// Reports: runStarted() once the capture is open, modelUpdated() at most every
/// flush interval (default 33 ms), runFinished() exactly once per run,
/// sessionClosed() once the run's sockets are closed. A batch finishes when
/// every sub-session ended: Completed only if all completed.
class SessionEngine : public QObject
{
    Q_OBJECT

public:
    explicit SessionEngine(QObject *parent = nullptr);
    ~SessionEngine() override;

    /// Connection timings (tests use milliseconds). Takes effect on start().
    void setConnectionPolicy(const ConnectionPolicy &policy) { m_policy = policy; }

    bool isRunning() const { return m_running; }
    /// A finished run's sockets are still closing (graceful close).
    bool isClosing() const { return m_closing > 0; }

    /// The owners whose accounts RunConfig::accountDiffs subscribes to: every
    /// subscribe-program (each once), or (none given) the token and system programs.
    static QStringList accountDiffOwners(const RunConfig &config);

public Q_SLOTS:
    /// Starts a run against `controlUrl` (already resolved: the demo server's
    /// URL or the normalised server URL). A run in progress is stopped first
    /// (its runFinished() comes before the new run's runStarted()). `runId`
    /// names the run in every report (empty = a fresh UUID).
    void start(const SlotScope::RunConfig &config, const QString &controlUrl, const QString &runId = {});
    /// Continue `advanceCount` slots (0 = the run's advance count) on
    /// `sessionId` (empty = every session); switches those sessions to manual
    /// stepping. A session waiting for its readyForContinue gets it then.
    void continueSession(quint64 advanceCount = 0, const QString &sessionId = {});
    /// Continue-to batch `batchIndex` of `slot` (negative = the whole slot) on
    /// `sessionId` (empty = the session whose range holds `slot`).
    void continueTo(quint64 slot, qint64 batchIndex, const QString &sessionId = {});
    /// Keep continuing until the session (empty = every session) completes;
    /// with RunConfig::pauseAtDiscoveries, by way of a Continue-to every
    /// discovered batch (DriveMode::PauseAtDiscoveries).
    void runToEnd(const QString &sessionId = {});
    /// Continue until the next discovered batch a breakpoint pauses at
    /// (Stepper, DiscoveryBreakpoint), then pause before it.
    void runToNextDiscovery(const QString &sessionId = {});
    /// Pause: the session (empty = every session) stops being driven after
    /// the step in flight and waits, open, for the user (Stepper::stopDriving()).
    void pauseDriving(const QString &sessionId = {});
    /// New breakpoint options for the running sessions (and any created
    /// later); hit counts of programs kept are kept. Batches already
    /// announced keep their verdict.
    void setBreakpoints(const QList<DiscoveryBreakpoint> &breakpoints);
    /// Closes the session(s) gracefully; the capture keeps what arrived (no summary).
    void stop();
    /// "Reconnect now" on a Down or Parked socket: `sessionId` ("" = a batch's
    /// shared control socket) and its label ("control", "transactions", …).
    /// A parked socket still waits for the coordinator's handshake slot
    /// (WebSocketConnection::reconnectNow()). Journaled (`reconnect_now`);
    /// answered with reconnectNowHandled().
    void reconnectNow(const QString &sessionId, const QString &socket);
    /// stop(), then shutdownFinished() once every socket closed, at most the
    /// graceful-close timeout (plus a moment for the sessions' own timers)
    /// later. For the end of the engine thread (EngineHost): connect
    /// shutdownFinished() to QThread::quit and let the thread's own event loop run
    /// the close. (Not a nested event loop: one entered from a queued call
    /// does not deliver the events posted while that call's batch of posted
    /// events was being sent — a socket's deferred disconnect among them —
    /// and every run that finished just then waited the whole timeout.)
    void shutdown();

Q_SIGNALS:
    // Every report names its run (ModelUpdate::runId, RunOutcome::runId): a
    // stopped run's last batch and its runFinished() may arrive after the
    // next run started.
    void runStarted(const QString &runId, const QString &capturePath);
    void modelUpdated(const SlotScope::ModelUpdate &update);
    void runFinished(const SlotScope::RunOutcome &outcome);
    /// Every socket of the finished run is closed.
    void sessionClosed();
    /// shutdown() is done: every socket closed, or the timeout passed (then
    /// a warning names how many sessions were still closing). Emitted once
    /// per shutdown(), from the engine's thread.
    void shutdownFinished();
    /// reconnectNow() was applied (`accepted`) or the socket was not waiting
    /// (an answer to the user's click on the current run).
    void reconnectNowHandled(const QString &sessionId, const QString &socket, bool accepted);
    /// The server refused the step in flight of `sessionId` (an error that
    /// answers the step, e.g. `invalidRequest` for a Continue To behind the
    /// session, PROTOCOL-0.31.md §3.2); `message` is the error's text. The
    /// session is steppable again; the window says so where the user looks.
    void stepRefused(const QString &runId, const QString &sessionId, const QString &message);

private:
    /// One session of the run (the single session, or one sub-session).
    struct Session
    {
        Session(int row, quint64 startSlot, quint64 endSlot, quint64 advanceCount, DriveMode drive)
            : row(row), stepper(startSlot, endSlot, advanceCount, drive)
        {
        }
        int row = 0;            ///< its UpdateBatcher row
        QString sessionId;      ///< "" until created (single session)
        Stepper stepper;
        QPointer<SessionCore> core; ///< the single session or the sub-session
        bool ended = false;     ///< completed, failed or stopped
        std::optional<qint64> startingRuntimeSinceMs; ///< first `startingRuntime` while starting up
        bool draining = false;  ///< completed on the server, its stream still being read (SessionCore::drainStarted())
        QString replayGap;      ///< the last replay gap, for people: the row's last error unless the stepper has one
    };

    void startSingle(const CreateSessionParams &params);
    void startParallel(const CreateSessionParams &params);
    void connectSession(SessionCore *core, Session *session);
    void onBatchCreated(const QString &controlSessionId, const QList<ParallelSubSession *> &subSessions);

    Session *addSession(const QString &sessionId, quint64 startSlot, quint64 endSlot);
    /// The step `step` makes of the stepper of `sessionId` (every session when
    /// empty) goes out, and the row follows; nothing while no run is going.
    void command(const QString &sessionId, const std::function<std::optional<Step>(Stepper &)> &step);
    void onEvent(Session *session, const ManagedEvent &event);
    void onServerError(Session *session, const BacktestError &error);
    /// A startup `status` of `session` (nullptr = the batch, before it exists).
    void onStartupStatus(Session *session, const QString &status);
    /// The batch row's "starting runtime, N s" while the batch waits for capacity.
    void syncBatchWait();
    void readyForContinue(Session *session, bool synthesized);
    void onTransaction(Session *session, const TransactionSummary &summary, QByteArrayView raw);
    void onConnectionStatus(Session *session, const QString &socket, ConnectionStatus status,
                            const QString &reason, int attempt, bool ended);
    void onReconnectScheduled(Session *session, const QString &socket, int attempt,
                              std::chrono::milliseconds delay, const QString &reason);
    void onFrameLogged(const FrameLogEntry &entry, const QString &sessionId);
    /// `session` nullptr = the run's own socket (a batch's shared control).
    void onFrameDropped(Session *session, const QString &socket, const QString &reason,
                        const QByteArray &rawPrefix, qint64 size);
    void onSessionFailed(Session *session, const ManagedSessionError &error);
    /// `session` (nullptr = the run: create, the shared control) failed.
    void endFailed(Session *session, RunOutcome::Category category, const QString &message);
    void onSessionEnded();

    void send(Session *session, const std::optional<Step> &step);
    void checkDriving(Session *session, const QString &cause);
    void syncRow(Session *session);
    SessionRow *rowOf(Session *session) { return &m_batcher.edit(session->row); }
    void queuePosition(Session *session, bool finished = false);
    void tickWaiting();
    void flush();
    /// Hands a changed coordinator to the GUI batch and the events file (at
    /// most every 250 ms there, unless `final`).
    void takeCoordinator(bool final);
    /// Fills in each waiting socket's SessionCore::slotsBehind().
    void addSlotsBehind(CoordinatorSnapshot &snapshot) const;
    void finishRun(RunOutcome::Kind kind, RunOutcome::Category category, const QString &message,
                   bool serverNotTold = false);
    void teardownSession();
    /// `session` (the single session or the batch) is shutting down and
    /// deletes itself once its sockets closed: count it until its finished()
    /// (not its deletion, which may come later than the shutdown waits).
    template<class SessionType>
    void trackClosing(SessionType *session);

    ConnectionPolicy m_policy;
    RunConfig m_config;
    /// How sessions created from now on are driven, once the user drove every
    /// session (Run to End, Run to Next Discovery, Pause with no target)
    /// before the batch's sub-sessions existed; else m_config.drive.
    std::optional<DriveMode> m_newSessionDrive;
    QString m_runId;
    QString m_controlUrl;
    QPointer<ManagedSession> m_session;            ///< single session
    QPointer<ManagedParallelSession> m_batch;      ///< parallel batch
    CaptureWriter m_capture;
    RunJournal m_journal{m_capture};
    AccountDiffParser m_accountDiffParser;  // the live Account diffs panel's rows
    CrossSubscriptionDiffs m_crossSubscriptionDiffs; // a diff two owner subscriptions both deliver, shown once
    UpdateBatcher m_batcher;
    QTimer m_waitTicker;                           ///< refreshes "starting runtime, N s" every second
    bool m_batchCreated = false;                   ///< sessionsCreatedV2 arrived
    std::optional<qint64> m_batchStartingSinceMs;  ///< first top-level `startingRuntime` of the batch

    bool m_running = false;
    int m_closing = 0;                             ///< session objects still closing their sockets
    std::vector<std::unique_ptr<Session>> m_sessions; ///< stable addresses; a batch in server order
    QHash<QString, Session *> m_byId;
    std::optional<std::pair<RunOutcome::Category, QString>> m_firstFailure;
    quint64 m_duplicatesTotal = 0;
    quint64 m_framesDroppedTotal = 0;             ///< frame_dropped events of the run
    quint64 m_replayGapsTotal = 0;                ///< replay_gap events of the run
    quint64 m_missedSlotsTotal = 0;               ///< slots they named, summed over subscriptions
    bool m_coordinatorChanged = false;             ///< since the last takeCoordinator()
    bool m_coordinatorParked = false;              ///< the last snapshot had a holder or parked sockets
    qint64 m_coordinatorTakenAtMs = 0;
    std::optional<CoordinatorSnapshot> m_coordinatorUnjournaled;
    qint64 m_coordinatorJournaledAtMs = 0;
    bool m_journaledSomeoneParked = false; ///< the last coordinator line had a parked queue
};

} // namespace SlotScope
