#pragma once

#include "net/controlchannel.h"
#include "net/framelog.h"
#include "net/websocketconnection.h"
#include "protocol/controlmessages.h"
#include "protocol/result.h"

#include <QList>

#include <optional>

namespace SlotScope {

/// The control WebSocket of one single (non-parallel) backtest session
/// (DESIGN.md §4, PROTOCOL.md §6.1, §6.4; seed control manager + mod.rs
/// `run_control_loop`).
///
/// * First connect: `createBacktestSession` with the given parameters.
///   disconnectTimeoutSecs defaults to 900 and is raised to at least the
///   reconnect budget (ConnectionPolicy::maxTotal, in whole seconds), so the
///   session outlives every reconnect the loop will try (PROTOCOL.md §7).
///   Frames that arrive before `sessionCreated` (statuses, …) are collected and
///   delivered right after sessionCreated(); each response must arrive within
///   the handshake response timeout. An `error` during create is fatal with
///   the server's message ("session create failed: invalid request: …"), except
///   `sessionOwnershipBusy`, which is transient.
/// * Reconnects: `attachBacktestSession` {session_id, last_sequence = highest
///   seqId seen}, then `resumeAttachedSession`; Up on its `success`. Replayed
///   frames with seqId ≤ last are dropped and counted. During attach / resume
///   an unsequenced `error` answers the handshake: `sessionOwnershipBusy` is
///   transient (backoff, retry), any other is fatal ("attach rejected: …",
///   seed `handshake_error_for_response`); an `error` with a seqId is a
///   replayed session event and is delivered like one.
/// * Terminal errors (noMoreBlocks, advanceSlotFailed, finalizeSlotFailed,
///   internal) are delivered as an event, then the loop ends Failed with the
///   error's message. Other errors are delivered as events.
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
class ControlManager : public WebSocketConnection, public ControlChannel
{
    Q_OBJECT
public:
    ControlManager(CreateSessionParams params, ConnectionPolicy policy, QObject *parent = nullptr);

    /// The parameters sent with createBacktestSession (with the defaults applied).
    const CreateSessionParams &createParams() const { return m_params; }
    /// Set once sessionCreated arrived (rpc_endpoint updated by a re-attach).
    std::optional<SessionInfo> sessionInfo() const override { return m_session; }
    /// Highest seqId seen (sent as last_sequence when re-attaching).
    std::optional<quint64> lastSequence() const { return m_lastSequence; }
    /// A Continue / Continue-to was sent and not answered yet, or waits for
    /// the re-attach (isContinuePending()).
    bool isContinueInFlight() const { return m_inFlight.has_value() || m_pending.has_value(); }
    /// A Continue / Continue-to waits for the connection to be Up again.
    bool isContinuePending() const { return m_pending.has_value(); }
    /// Continues / Continue-tos sent again after a re-attach because nothing
    /// showed the server had acted on them.
    int continuesResent() const { return m_continuesResent; }
    /// `completed` arrived.
    bool isSessionCompleted() const { return m_completed; }
    /// Replayed frames dropped because their seqId was ≤ the last seen.
    qint64 duplicatesDropped() const { return m_duplicatesDropped; }
    /// Undecodable or unknown frames skipped.
    qint64 malformedFrames() const { return m_malformedFrames; }

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
    /// Every frame sent or received, for the protocol console.
    void frameLogged(const SlotScope::FrameLogEntry &entry);

protected:
    void beginHandshake() override;
    void handleText(QByteArrayView utf8) override;
    void sendCloseRequest() override;
    bool endsOnLoss(const ConnectionLoss &loss) override;
    /// Until sessionCreated nothing is at stake: first-connect failures fail fast.
    bool sessionExists() const override { return m_session.has_value(); }

private:
    enum class Stage { Streaming, Creating, Attaching, Resuming };

    bool sendRequest(const ControlRequest &request, const QString &summaryPrefix = {});
    Result<void> requestStep(const ControlRequest &request);
    /// Resume succeeded: resend the unanswered step or send the waiting one.
    void sendStepAfterReattach();
    void handleCreateStage(const ControlFrame &frame);
    void handleAttachStage(const ControlFrame &frame);
    void dispatch(const ControlFrame &frame);
    void logReceived(const ControlFrame &frame, bool droppedAsDuplicate);

    CreateSessionParams m_params;
    std::optional<SessionInfo> m_session;
    std::optional<quint64> m_lastSequence;
    Stage m_stage = Stage::Streaming;
    QList<ControlFrame> m_startupFrames;
    std::optional<ControlRequest> m_inFlight;   // the Continue / Continue-to awaiting its answer
    bool m_inFlightActedOn = false;             // a frame after it shows the server acted on it
    std::optional<ControlRequest> m_pending;    // requested while Down; sent after the re-attach
    int m_continuesResent = 0;
    bool m_completed = false;
    qint64 m_duplicatesDropped = 0;
    qint64 m_malformedFrames = 0;
};

} // namespace SlotScope
