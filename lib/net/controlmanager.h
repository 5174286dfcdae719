#pragma once

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
/// * First connect: `createBacktestSession` with the given parameters
///   (disconnectTimeoutSecs defaults to 900 so the session survives a drop).
///   Frames that arrive before `sessionCreated` (statuses, …) are collected and
///   delivered right after sessionCreated(); each response must arrive within
///   the handshake response timeout. An `error` during create is fatal with
///   the server's message ("session create failed: invalid request: …"), except
///   `sessionOwnershipBusy`, which is transient.
/// * Reconnects: `attachBacktestSession` {session_id, last_sequence = highest
///   seqId seen}, then `resumeAttachedSession`; Up on its `success`. Replayed
///   frames with seqId ≤ last are dropped and counted.
/// * Terminal errors (noMoreBlocks, advanceSlotFailed, finalizeSlotFailed,
///   internal) are delivered as an event, then the loop ends Failed with the
///   error's message. Other errors are delivered as events.
/// * At most one Continue / Continue-to in flight: a second one is rejected
///   (an error value) until readyForContinue, paused or completed arrives.
/// * After `completed`, a lost connection ends the loop quietly (no re-attach).
/// * Malformed or unknown frames are logged (slotscope.net) and skipped.
class ControlManager : public WebSocketConnection
{
    Q_OBJECT
public:
    ControlManager(CreateSessionParams params, ConnectionPolicy policy, QObject *parent = nullptr);

    /// The parameters sent with createBacktestSession (with the defaults applied).
    const CreateSessionParams &createParams() const { return m_params; }
    /// Set once sessionCreated arrived.
    std::optional<SessionInfo> sessionInfo() const { return m_session; }
    /// Highest seqId seen (sent as last_sequence when re-attaching).
    std::optional<quint64> lastSequence() const { return m_lastSequence; }
    bool isContinueInFlight() const { return m_continueInFlight; }
    /// `completed` arrived.
    bool isSessionCompleted() const { return m_completed; }
    /// Replayed frames dropped because their seqId was ≤ the last seen.
    qint64 duplicatesDropped() const { return m_duplicatesDropped; }
    /// Undecodable or unknown frames skipped.
    qint64 malformedFrames() const { return m_malformedFrames; }

    /// Send `continue`. Errors: no session yet, completed, not Up, or a
    /// Continue / Continue-to already in flight.
    Result<void> sendContinue(const ContinueParams &params);
    /// Send `continueTo`. Same errors as sendContinue().
    Result<void> sendContinueTo(const ContinueToParams &params);
    /// Graceful close: `closeBacktestSession`, then the close frame, within the
    /// policy's graceful close timeout (seed `graceful_close`). Same as stop().
    void closeSession() { stop(); }

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

private:
    enum class Stage { Streaming, Creating, Attaching, Resuming };

    bool sendRequest(const ControlRequest &request);
    Result<void> checkCanContinue() const;
    void handleCreateStage(const ControlFrame &frame);
    void handleAttachStage(const ControlFrame &frame);
    void dispatch(const ControlFrame &frame);
    void logReceived(const ControlFrame &frame, bool droppedAsDuplicate);

    CreateSessionParams m_params;
    std::optional<SessionInfo> m_session;
    std::optional<quint64> m_lastSequence;
    Stage m_stage = Stage::Streaming;
    QList<ControlFrame> m_startupFrames;
    bool m_continueInFlight = false;
    bool m_completed = false;
    qint64 m_duplicatesDropped = 0;
    qint64 m_malformedFrames = 0;
};

} // namespace SlotScope
