#pragma once

#include "net/controlchannel.h"
#include "net/controlconnection.h"
#include "net/steptracker.h"
#include "protocol/controlmessages.h"
#include "protocol/result.h"

#include <QList>

#include <optional>

namespace SlotScope {

/// The control WebSocket of one single (non-parallel) backtest session
/// (DESIGN.md §4, PROTOCOL.md §6.1, §6.4; seed control manager + mod.rs
/// `run_control_loop`). Decoding, the frame log, replay dedup, the
/// disconnect timeout and the handshake error mapping are ControlConnection's.
///
/// * First connect: `createBacktestSession` with the given parameters.
///   Frames that arrive before `sessionCreated` (statuses, …) are collected and
///   delivered right after sessionCreated() (statuses are also announced at
///   once, startupStatusReceived()); each response must arrive within the
///   handshake response timeout, which every frame restarts — a server that
///   waits for capacity and repeats `startingRuntime` is waited for as long as
///   it keeps talking (PROTOCOL-0.31.md §4.5). An `error` during create is fatal with
///   the server's message ("session create failed: invalid request: …"), except
///   `sessionOwnershipBusy`, which is transient.
/// * Reconnects: `attachBacktestSession` {session_id, last_sequence = highest
///   seqId seen}, then `resumeAttachedSession`; Up on its `success`, or on an
///   unsequenced `invalidRequest` to it (a server without resume,
///   PROTOCOL-0.31.md §6.3 step 4). Replayed frames with seqId ≤ last are
///   dropped and counted. Otherwise during attach / resume an unsequenced
///   `error` answers the handshake: `sessionOwnershipBusy` is transient
///   (backoff, retry), any other is fatal ("attach rejected: …", seed
///   `handshake_error_for_response`); an `error` with a seqId is a replayed
///   session event and is delivered like one.
/// * Terminal errors (noMoreBlocks, advanceSlotFailed, finalizeSlotFailed,
///   internal, cut) are delivered as an event, then the session is closed
///   (closeBacktestSession, the close frame once `success` or `completed`
///   answers, within gracefulCloseTimeout; frames meanwhile are delivered,
///   PROTOCOL-0.31.md §4.8) and the loop ends Failed with the error's
///   message. Other errors are delivered as events.
/// * At most one Continue / Continue-to in flight: a second one is rejected
///   (an error value) until readyForContinue, paused or completed arrives.
/// * A Continue / Continue-to requested while the connection is down (the
///   session exists, the loop is reconnecting) waits and is sent once, right
///   after the re-attach succeeded (issue "Control plane that survives drops").
/// * A Continue / Continue-to sent before a drop may never have reached the
///   server. After re-attach and replay (on resume's `success`), if no status,
///   slotNotification, readyForContinue, paused, completed or error arrived
///   after it, it is sent again — once per re-attach, never twice.
/// * After `completed`, a lost connection ends the loop quietly (no re-attach).
/// * Malformed or unknown frames are logged (slotscope.net) and skipped.
///
/// It is its session's ControlChannel (the connection carries that session
/// alone; SessionCore drives it).
class ControlManager : public ControlConnection, public ControlChannel
{
    Q_OBJECT
public:
    ControlManager(CreateSessionParams params, ConnectionPolicy policy, QObject *parent = nullptr);

    /// Set once sessionCreated arrived (rpc_endpoint updated by a re-attach).
    std::optional<SessionInfo> sessionInfo() const override { return m_session; }
    /// Highest seqId seen (sent as last_sequence when re-attaching).
    std::optional<quint64> lastSequence() const { return lastSequenceOf({}); }
    /// A Continue / Continue-to was sent and not answered yet, or waits for
    /// the re-attach (isContinuePending()).
    bool isContinueInFlight() const { return m_step.hasStep() || m_pending.has_value(); }
    /// A Continue / Continue-to waits for the connection to be Up again.
    bool isContinuePending() const { return m_pending.has_value(); }
    /// Continues / Continue-tos sent again after a re-attach because nothing
    /// showed the server had acted on them.
    int continuesResent() const { return m_continuesResent; }
    /// `completed` arrived.
    bool isSessionCompleted() const { return m_completed; }

    /// Send `continue` (or keep it until the re-attach when Down). Errors: no
    /// session yet, completed, the loop stopped or closing, or a Continue /
    /// Continue-to already in flight or waiting.
    Result<void> sendContinue(const ContinueParams &params) override;
    /// Send `continueTo`. Same errors as sendContinue().
    Result<void> sendContinueTo(const ContinueToParams &params) override;
    /// Graceful close: `closeBacktestSession`, then the close frame, within the
    /// policy's graceful close timeout (seed `graceful_close`). Same as stop().
    void closeSession() override { stop(); }

    // ControlChannel
    WebSocketConnection *connection() const override { return const_cast<ControlManager *>(this); }
    bool ownsConnection() const override { return true; }
    bool isStepInFlight() const override { return isContinueInFlight(); }
    /// A stop by the user closes gracefully too (closeBacktestSession + close frame).
    void cancelSession() override { stop(); }

Q_SIGNALS:
    /// `sessionCreated` arrived (once per ControlManager).
    void sessionCreated(const SlotScope::SessionInfo &info);
    /// A reconnect re-attached (after `resumeAttachedSession` succeeded).
    void sessionReattached(const SlotScope::SessionInfo &info);
    /// A session event: readyForContinue, slotNotification, paused,
    /// discoveryBatch, status, completed or error (never a duplicate).
    void eventReceived(const SlotScope::ControlFrame &frame);

protected:
    void beginHandshake() override;
    void handleFrame(const ControlFrame &frame) override;
    void handleCreateStage(const ControlFrame &frame) override;
    void handleAttachStage(const ControlFrame &frame) override;
    void handleStreamingFrame(const ControlFrame &frame) override;
    void sendCloseRequest() override;
    bool endsOnLoss(const ConnectionLoss &loss) override;
    /// Until sessionCreated nothing is at stake: first-connect failures fail fast.
    bool sessionExists() const override { return m_session.has_value(); }
    void resendUnansweredSteps() override;

private:
    /// createBacktestSession with m_params, the stage reset to Creating.
    void sendCreate();
    Result<void> requestStep(const ControlRequest &request);
    /// Resume succeeded: send the waiting step, or resend the unanswered one
    /// unless the replay shows the server acted on it
    /// (resendUnansweredStepsAfterReplay()).
    void sendStepAfterReattach();
    /// The re-attach handshake is over (resume answered, or refused as
    /// unknown): streaming, the step settled, Up.
    void finishReattach();

    std::optional<SessionInfo> m_session;
    QList<ControlFrame> m_startupFrames;
    StepTracker m_step;                         // the Continue / Continue-to awaiting its answer
    std::optional<ControlRequest> m_pending;    // requested while Down; sent after the re-attach
    int m_continuesResent = 0;
    bool m_completed = false;
};

} // namespace SlotScope
