#pragma once

#include "engine/stepper.h"
#include "protocol/connectionstatus.h"
#include "protocol/controlmessages.h"
#include "protocol/coordinatorsnapshot.h"
#include "protocol/dataplane.h"

#include <QByteArrayView>
#include <QJsonObject>
#include <QString>

#include <chrono>
#include <functional>
#include <optional>

namespace SlotScope {

class CaptureWriter;

/// The events file of a run (NAME.events.ndjson, DESIGN.md §3 "Capture"):
/// one method per event type, each writing one line
/// `{"type", "session_id", "at", "data"}` through the run's CaptureWriter.
/// `session_id` is "" for events of the run itself (before a single session
/// exists, a batch's shared control socket). Nothing is written while the
/// capture is closed. Types and their `data`:
///
/// | type | data |
/// | --- | --- |
/// | `session_created` | `session_id`, `rpc_endpoint`, `task_id`, `session_name`; a sub-session adds `start_slot`, `end_slot`; a batch (session "") has `control_session_id`, `control_session_name`, `sub_sessions` |
/// | `session_attached` | re-attached after a drop: a batch (session "") `control_session_id`; a single session `session_id`, `rpc_endpoint`, `session_name` |
/// | `status` | `status` (camelCase BacktestStatus as on the wire) |
/// | `slot` | `slot` |
/// | `discovery_batch` | `slot`, `batchIndex`, `matched`, `transactionCount`, `transactionIndices` |
/// | `breakpoint` | `slot`, `batchIndex`, `program`, `hit` (that breakpoint's hits in the session so far), `action` (`pause`, `log`, `skip`); one line per breakpoint that counted a discovered batch, after its `discovery_batch` |
/// | `paused` | `slot`, `batchIndex` (null: the whole slot) |
/// | `ready` | `{}`; `synthesized: true` when the session layer stood in for a legacy server's missing readyForContinue |
/// | `completed` | the SessionSummary (camelCase), `{}` without one |
/// | `error` | a server error: `error` (wire form), `message`; a failure: `message`, `kind`, `connection`; a step not sent or driving stopped: `message` |
/// | `simulation_error` | `error` (wire form), `message`, `count` (this session's so far) — informational (PROTOCOL-0.31.md §4.7) |
/// | `continue_sent` | `advanceCount` |
/// | `continue_to_sent` | `slot`, `batchIndex` |
/// | `connection` | `socket`, `status`, `reason`, `attempt`, and `delay_ms` when a reconnect was scheduled |
/// | `account_diff` | the notification's result object, verbatim |
/// | `duplicate_dropped` | `socket`, and `signature` + `slot` (data plane; `account` too for an account diff) or `seq_id` (control) |
/// | `frame_dropped` | `socket`, `reason`, `size` (bytes), and the frame's first bytes (WebSocketConnection::kDroppedFramePrefixBytes at most): `raw` when they are UTF-8 text, else `raw_base64`; `truncated: true` when that is not the whole frame |
/// | `replay_gap` | `socket`, `first_slot`, `last_slot` (inclusive), `newest_slot`: the subscription resumed when the session had executed `newest_slot`, and `first_slot`…`last_slot` had left the server's replay window (kServerReplaySlots); their notifications are missing. Known from the session's newest slot (replayGap()) or, when the control plane was down or late too, from the replay's first slot (replayStartedLate(): then slots just before it that had no notification count too) |
/// | `stopped` | `{}` (the user stopped the run) |
/// | `coordinator` | a parallel batch's reconnect coordinator and storm figures: CoordinatorSnapshot::toJson() (`holder`, `parked` in order, `reconnects`, `longest_park_ms`, `total_parked_ms`, `storms`, `last_storm_ms`, …); at most every 250 ms while it changes, and its last state |
/// | `reconnect_now` | `socket`, `accepted` (the user asked a Down / Parked socket to reconnect now; false: it was not waiting) |
class RunJournal
{
public:
    explicit RunJournal(CaptureWriter &capture) : m_capture(capture) {}

    /// Called after every line written (the engine wakes its flush for it).
    void setLineWritten(std::function<void()> written) { m_lineWritten = std::move(written); }

    void sessionCreated(const SessionInfo &info, std::optional<std::pair<quint64, quint64>> subSessionRange = {});
    void batchCreated(const QString &controlSessionId, const std::optional<QString> &controlSessionName,
                      int subSessions);
    void batchAttached(const QString &controlSessionId);
    /// A single session attached again after its control socket dropped
    /// (ManagedSession::reattached()): `session_attached` with the session's
    /// id, endpoint and name as the attach answered them.
    void sessionAttached(const QString &sessionId, const SessionInfo &info);
    void status(const QString &sessionId, const QString &status);
    void slot(const QString &sessionId, quint64 slot);
    void discoveryBatch(const QString &sessionId, const DiscoveryBatchEvent &batch);
    void breakpointHit(const QString &sessionId, const DiscoveryBatchEvent &batch, const BreakpointHit &hit);
    void paused(const QString &sessionId, const PausedEvent &paused);
    void ready(const QString &sessionId, bool synthesized);
    void completed(const QString &sessionId, const std::optional<SessionSummary> &summary);
    /// A server `error` event that did not end the session by itself.
    void serverError(const QString &sessionId, const BacktestError &error);
    /// A per-transaction simulationError; `count` = this session's so far.
    void simulationError(const QString &sessionId, const BacktestError &error, quint64 count);
    /// The session (or, with `sessionId` "", the run) failed.
    void failure(const QString &sessionId, const QString &message, const QString &kind, const QString &connection);
    /// A one-line problem of our own: a step that could not be sent, driving that stopped.
    void problem(const QString &sessionId, const QString &message);
    void stepSent(const QString &sessionId, const Step &step);
    /// A `connection` event: a status change, or a reconnect scheduled
    /// (`delay_ms`); `ended` (written only when true): the socket's last status.
    void connection(const QString &sessionId, const QString &socket, ConnectionStatus status,
                    const QString &reason, int attempt,
                    std::optional<std::chrono::milliseconds> reconnectDelay = std::nullopt, bool ended = false);
    void accountDiff(const QString &sessionId, QByteArrayView rawResult);
    /// A replayed data-plane notification dropped: a transaction (`account`
    /// "") or an account diff (`signature` may be "": a diff of none).
    void duplicateNotification(const QString &sessionId, const QString &socket, const QString &signature,
                               const QString &account, quint64 slot);
    void duplicateControlEvent(const QString &sessionId, quint64 seqId);
    /// A received frame was skipped (WebSocketConnection::frameDropped()):
    /// `rawPrefix` is its first bytes, `size` its whole size.
    void frameDropped(const QString &sessionId, const QString &socket, const QString &reason,
                      QByteArrayView rawPrefix, qint64 size);
    /// A subscription resumed too late to get `gap` replayed (SessionCore::replayGapFound()).
    void replayGap(const QString &sessionId, const QString &socket, const ReplayGap &gap, quint64 newestSlot);
    void stopped();
    /// The batch's reconnect coordinator (session "").
    void coordinator(const CoordinatorSnapshot &snapshot);
    void reconnectNow(const QString &sessionId, const QString &socket, bool accepted);

private:
    void write(const QString &type, const QString &sessionId, const QJsonObject &data);

    CaptureWriter &m_capture;
    std::function<void()> m_lineWritten;
};

} // namespace SlotScope
