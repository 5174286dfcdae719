#pragma once

// One backtest session of the reference server: its execution cursor, its
// control-response sequence and replay buffer, discovery, and the delivery of
// executed transactions to its data-plane subscribers. Internal.

#include "protocol/dataplane.h"
#include "protocol/controlmessages.h"
#include "refserver/refserverconfig.h"
#include "refserver/transactionplan.h"

#include <QByteArray>
#include <QDeadlineTimer>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>
#include <QWebSocketProtocol>

#include <functional>
#include <optional>

namespace SlotScope::Internal {

class ControlConnection;
class SubscriptionConnection;
struct Subscription;

/// A single (non-parallel) session, PROTOCOL.md §6.1, §6.2, §6.4 and §8.3–§8.6,
/// in the wire generation of RefServerConfig::wire (PROTOCOL-0.31.md §2.2,
/// §3.2, §4.5, §4.7, §4.8 for 0.31).
///
/// Execution runs asynchronously on a zero/short-interval timer in chunks of at
/// most ~10 ms, so the event loop stays responsive; `slotDelayMs` paces it, one
/// slot a period; a subscriber (or the control socket) with more than
/// BackPressureBytes queued pauses it until the socket drains. The cursor is the
/// next position to execute: (slot, batch index inside it).
///
/// States: Preparing (startup, startupDelayMs; steps refused) → Ready ⇄
/// Executing; in 0.31 a continueTo ends in Pausing (`paused` sent, its
/// `readyForContinue` readyAfterPausedMs later; steps refused) → Ready; the
/// last slot → Completed; RefServerConfig::cutAtSlot → Cut (terminal, steps
/// refused); shutdown() → Closed.
class BacktestSession : public QObject
{
    Q_OBJECT
public:
    /// Bytes queued on one socket above which execution waits (memory bound of a
    /// fast benchmark run).
    static constexpr qint64 BackPressureBytes = 4 * 1024 * 1024;
    /// Slots of executed transactions a resubscribe can replay, transactions and
    /// account diffs alike (PROTOCOL.md §5.2): the window the client assumes.
    static constexpr quint64 ReplaySlots = kServerReplaySlots;
    /// Control responses kept for attach replay (oldest dropped first).
    static constexpr qsizetype ReplayBufferFrames = 200000;
    /// PROTOCOL-0.31.md §2.2: an unset disconnectTimeoutSecs means 30 s (0.31 only).
    static constexpr int DefaultDisconnectTimeoutSecs = 30;

    BacktestSession(const QString &id, const QByteArray &ownerKey, const CreateSessionParams &params,
                    TransactionPlan plan, const RefServerConfig &config, QObject *parent = nullptr);
    ~BacktestSession() override;

    QString id() const { return m_id; }
    SessionInfo info() const;
    const QByteArray &ownerKey() const { return m_ownerKey; }
    /// disconnectTimeoutSecs > 0 (0.31: also when absent, which means 30 s):
    /// responses carry seqId and the session outlives its control socket.
    bool isSequenced() const { return m_disconnectTimeoutSecs > 0; }
    bool isCompleted() const { return m_state == State::Completed; }
    const TransactionPlan &plan() const { return m_plan; }
    Position cursor() const { return m_cursor; }

    // --- control plane -----------------------------------------------------
    ControlConnection *control() const;
    /// Bind the session to `connection` (create or attach); stops the expiry timer.
    void attachControl(ControlConnection *connection);
    /// The control socket went away: keep the session for min(t, 900) s when
    /// sequenced (then emit expired()), else the caller drops it.
    void detachControl();
    /// Start the session: startup statuses, then — at once or after
    /// startupDelayMs, with startingRuntime repeated meanwhile in 0.31 —
    /// sessionCreated, slotNotification(startSlot), the first discoveryBatch and
    /// readyForContinue.
    void start();
    void handleContinue(const ContinueParams &params);
    void handleContinueTo(const ContinueToParams &params);
    /// ControlFaults::slowSteps: the next step accepted starts `delayMs`
    /// later; until then it is under way and every other step is refused.
    void delayNextStep(int delayMs);
    /// Send a response through the session: seqId + replay buffer when sequenced.
    void send(const ControlResponse &response);
    /// Send a response that never carries a seqId in 0.31 (startup statuses,
    /// sessionCreated, success, errors before the session runs; §2.2): past
    /// the replay buffer, straight to the control connection (or the sink).
    /// In 0.28 the same as send().
    void sendUnsequenced(const ControlResponse &response);
    /// An error in reply to a client request: unsequenced while the session
    /// has not started running (0.31), else sequenced.
    void sendRequestError(const BacktestError &error);
    /// Hand every response to `sink` instead of the control connection, without
    /// seqId or replay buffer (a parallel sub-session: its ParallelBatch wraps
    /// them in sessionEventV2). An empty sink restores the normal path.
    void setResponseSink(std::function<void(const ControlResponse &)> sink) { m_responseSink = std::move(sink); }
    /// Re-send buffered responses with seqId > lastSequence (all when empty).
    void replayAfter(std::optional<quint64> lastSequence);
    /// ControlFaults::replayAfterHandshake: buffer the replay and everything
    /// sequenced after it until answerResume().
    void holdReplay(std::optional<quint64> lastSequence);
    /// Answer resumeAttachedSession with `success`; then the held replay, if any.
    void answerResume();
    /// Stop everything and close the data-plane sockets (session dropped)
    /// with `closeCode` and `reason`; notifications still queued are discarded.
    void shutdown(const QString &reason, QWebSocketProtocol::CloseCode closeCode = QWebSocketProtocol::CloseCodeGoingAway);

    // --- data plane --------------------------------------------------------
    void addSubscriber(SubscriptionConnection *connection);
    void removeSubscriber(SubscriptionConnection *connection);
    /// A subscription asked for replayFromSlot: re-deliver from that slot
    /// (inclusive, clamped to the retained ReplaySlots) up to the cursor.
    void beginReplay(Subscription &subscription, quint64 fromSlot);
    /// Something changed for the subscribers (new subscription, drained socket):
    /// run the pump soon.
    void wake();

Q_SIGNALS:
    void completed(const QString &sessionId);
    void expired(const QString &sessionId);
    /// The create's capacity wait ended without capacity
    /// (RefServerConfig::capacityShortfallMs): the error went out, the
    /// session is to be dropped.
    void capacityRefused(const QString &sessionId);

private:
    enum class State { Preparing, Ready, Executing, Pausing, Completed, Cut, Closed };

    /// The pending continue / continueTo.
    struct Step
    {
        bool continueTo = false;
        quint64 slotsRemaining = 0;               // continue
        quint64 targetSlot = 0;                   // continueTo
        std::optional<quint32> requestedBatch;    // continueTo, as the client sent it
        std::optional<Position> batchTarget;      // continueTo with batchIndex (clamped)
    };

    bool isWire031() const { return m_config.wire == WireVersion::V0_31; }
    /// The end of the startup: sessionCreated … readyForContinue.
    void finishStartup();
    /// Why a step is refused in the current state, or empty when it is accepted.
    QString stepRefusal(const char *method) const;
    /// With delayNextStep() pending: `start` (the step's handling) runs
    /// after that delay, every step sent meanwhile refused; true then.
    bool startLater(std::function<void()> start);
    void becomeReady();
    void cut(quint64 slot);
    void dropSubscribersAfterCompletion();
    /// Abort every subscribed socket of this session now (data faults).
    void dropSubscribers(const QString &why);
    void schedulePump(int delayMs);
    /// Enters Executing for a new step and runs its first slot at once.
    void startExecuting();
    /// Milliseconds until the next slot is due, slotDelayMs after the
    /// finished slot was due (RefServerConfig::slotDelayMs).
    int nextSlotDelayMs();
    void pump();
    bool congested() const;
    bool pumpReplayOnce();
    bool executeUnit();
    void executeTransaction(Position at);
    void finishStep();
    void complete();
    void closeFinishedSubscribers();
    void announceNextDiscovery();
    void sendStatus(const QString &status);
    void sendError(const BacktestError &error);
    quint64 retainedFromSlot() const;

    QString m_id;
    QByteArray m_ownerKey;
    CreateSessionParams m_params;
    TransactionPlan m_plan;
    int m_nextStepDelayMs = 0;       ///< delayNextStep()
    bool m_stepStartPending = false; ///< a step accepted, its start delayed
    RefServerConfig m_config;
    bool m_replayHeld = false;                    // holdReplay() until answerResume()
    std::optional<quint64> m_heldReplayAfter;
    int m_disconnectTimeoutSecs = 0;

    State m_state = State::Preparing;
    Position m_cursor;
    bool m_slotStarted = false;
    quint32 m_slotBatches = 0;
    std::optional<Step> m_step;
    quint64 m_succeeded = 0;
    quint64 m_failed = 0;
    quint64 m_executed = 0;              // transactions executed (simulationErrorEvery)
    bool m_holdCompletedClose = false;   // DataFaults::dropAtCompletion pending: no normal close yet
    std::optional<Position> m_lastAnnounced;

    QPointer<ControlConnection> m_control;
    QList<QPointer<SubscriptionConnection>> m_subscribers;

    quint64 m_nextSeq = 1;
    QList<QPair<quint64, QByteArray>> m_replayBuffer;

    QTimer m_pumpTimer;
    QDeadlineTimer m_slotDue;     // when the executing slot was due to start (slotDelayMs pacing)
    QTimer m_expiryTimer;
    QTimer m_startupTimer;        // startupDelayMs
    QTimer m_startingStatusTimer; // 0.31: repeated startingRuntime
    QTimer m_readyTimer;          // 0.31: readyForContinue after paused
    std::function<void(const ControlResponse &)> m_responseSink;
};

} // namespace SlotScope::Internal
