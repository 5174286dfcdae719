#pragma once

#include "model/sessionstate.h"

#include "protocol/connectionstatus.h"

#include <QList>
#include <QMetaType>
#include <QString>

#include <chrono>
#include <optional>

namespace SlotScope {

/// What the Sessions panel shows of one socket (control or subscription):
/// its ConnectionStatus (seed mod.rs `ConnectionStatus`) plus the reconnect
/// attempt, the pending backoff delay and the reason for Down / Failed.
struct LinkState
{
    ConnectionStatus status = ConnectionStatus::Down;
    int attempt = 0;                  ///< reconnect attempt, 0 = first connect
    std::optional<qint64> retryInMs;  ///< backoff delay scheduled, milliseconds
    QString reason;                   ///< why it is Down / Failed ("" when Up)
    /// The socket's loop ended (stopped, end of stream): a Down that is not
    /// retrying, shown as "Closed" and left out of a batch's worst status.
    bool ended = false;
    /// When the scheduled retry is due, milliseconds since the Unix epoch: a
    /// display that stays up shows this, not a delay that no longer counts down.
    std::optional<qint64> retryAtMs = std::nullopt;

    bool operator==(const LinkState &) const = default;
};

/// A socket status for people, translated ("Up", "Down", "Parked",
/// "Failed"); connectionStatusName() is the events file's untranslated form.
QString connectionStatusText(ConnectionStatus status);

/// One line for people: "Up", "Down (attempt 3, retry at 09:34:21, a 4 s
/// wait)" (local time; "retry in 4 s" when retryAtMs is not known),
/// "Parked (attempt 6)", "Failed: reconnect budget exhausted", "Closed".
QString describeLink(const LinkState &link);
/// describeLink() and, unless Up or Failed (whose text has it), why:
/// "Down (attempt 2, retry in 2.1 s) — cannot connect to …: connection refused".
QString describeLinkWithReason(const LinkState &link);

/// A wait for people, whole seconds: "12 s", "1 min 20 s", "2 h 5 min".
QString describeDuration(std::chrono::milliseconds elapsed);

/// A replay gap for people (the row's last error, the run's end):
/// "transactions: slots 2000–2199 had left the server's 100-slot replay window
/// when it resumed at slot 2299; their notifications are missing"
/// (kServerReplaySlots, PROTOCOL.md §5.2).
QString describeReplayGap(const QString &socket, quint64 firstSlot, quint64 lastSlot, quint64 newestSlot);

/// A partial update of one row of SessionModel, keyed by run id and session
/// id (empty session id = the run itself). Unset members leave the row as it
/// is; counters are absolute values, not increments, so a repeated update is
/// harmless. The engine coalesces these and sends them in batches
/// (SessionModel::applyUpdates, ≤ 30 per second).
struct SessionUpdate
{
    QString runId;
    QString sessionId;

    std::optional<QString> label;        ///< run label, e.g. "demo 1000..1100"
    /// The server's name of the session (`session_name`, PROTOCOL-0.31.md
    /// §4.1) or of a parallel run (`control_session_name`, §4.2).
    std::optional<QString> name;
    /// Honoured when this update creates the run: a parallel run shows one
    /// child row per sub-session, a single run shows its session on the run row.
    std::optional<bool> parallel;
    std::optional<quint64> startSlot;    ///< inclusive
    std::optional<quint64> endSlot;      ///< inclusive
    std::optional<quint64> currentSlot;  ///< last slotNotification / paused slot
    std::optional<SessionState> state;
    /// What the state waits for, shown beside it: "waiting for
    /// readyForContinue", "starting runtime, 1 min 20 s"; "" clears it.
    std::optional<QString> stateDetail;
    /// How the session is stepped without the user (Manual once it ended);
    /// unset for a parallel batch's own row.
    std::optional<DriveMode> drive;
    std::optional<LinkState> control;    ///< control WebSocket
    /// Every data-plane subscription of the row (replaces the previous list).
    std::optional<QList<LinkState>> subscriptions;
    std::optional<quint64> reconnectCount;
    std::optional<quint64> transactionsCaptured;
    std::optional<quint64> duplicatesDropped;
    /// Frames skipped on the row's sockets (malformed, undecodable, failed
    /// decompression): the events file's `frame_dropped` lines.
    std::optional<quint64> framesDropped;
    /// Per-transaction `simulationError`s reported (PROTOCOL-0.31.md §4.7).
    std::optional<quint64> simulationErrors;
    std::optional<QString> lastError;    ///< "" clears it

    bool operator==(const SessionUpdate &) const = default;
};

} // namespace SlotScope

Q_DECLARE_METATYPE(SlotScope::LinkState)
Q_DECLARE_METATYPE(SlotScope::SessionUpdate)
