#pragma once

#include "engine/discoverybreakpoint.h"
#include "model/sessionstate.h"
#include "protocol/controlmessages.h"
#include "protocol/sessionposition.h"

#include <QList>
#include <QString>

#include <optional>
#include <variant>

namespace SlotScope {

// DriveMode and driveModeName(): model/sessionstate.h (the Sessions panel shows it).

/// One step request: a Continue (PROTOCOL.md §3.2) or a Continue-to (§3.3,
/// PROTOCOL-0.31.md §3.2).
using Step = std::variant<ContinueParams, ContinueToParams>;

/// The stepping policy of one session (a single session or one sub-session of
/// a batch), pure: no sockets, no timers, no Qt objects. SessionEngine feeds it
/// the session's control events and the user's commands; every input that may
/// start a step returns the step to send now (at most one), and the caller
/// sends it (or reports stepNotSent()).
///
/// Rules (PROTOCOL-0.31.md §3.2, §4.7, §4.8):
/// * A step goes out only while the session is steppable: after a
///   `readyForContinue` and before the next step. `paused` records the
///   position (pausedAt(), nextSlot()) and never makes the session steppable;
///   the `readyForContinue` that follows it does. For a legacy server that
///   sends `paused` alone, the session layer delivers a synthesized
///   readyForContinue after a grace period; it counts as a ready
///   (synthesizedReadies()).
/// * At most one step is in flight. A user command given while a step runs
///   or while the session waits for its readyForContinue (startup, or paused
///   before the ready) is held and sent on that ready, the last one winning;
///   it ends driving (a target typed during Run to End takes over), and
///   driving again (drive()) drops it, as does a refusal of the step in flight.
/// * A per-transaction `simulationError` is counted (simulationErrors()) and
///   changes nothing else.
/// * A rejected request (invalidRequest, invalid transaction / account /
///   blockhash, programdataNotDeployed) while a step is in flight refuses that
///   step: the session did not move and is steppable again, and driving
///   drops to Manual (stepping into the same refusal again would loop).
/// * A terminal error (noMoreBlocks, advanceSlotFailed, finalizeSlotFailed,
///   internal, cut) stops all stepping; the session layer then fails the session.
/// * Whenever a driven session (any mode but Manual) drops to Manual because
///   of a refusal or a terminal error, drivingStopped() says why: an
///   unattended run cannot go on.
///
/// Discovery breakpoints (issue 12 item 5): once setBreakpoints() was
/// called, each newly announced batch is judged by the BreakpointList
/// (lastHits()); only a batch a breakpoint pauses at ends Run to Next
/// Discovery (ToNextDiscovery). Driving still stops the session before every
/// discovered batch ahead (a Continue-to): the server announces the next
/// match only after each step (PROTOCOL.md §4.8, §6.2), so a Continue past an
/// unannounced later match would run through it. Without setBreakpoints()
/// every discovered batch pauses.
///
/// Positions: before the first step a `slot` notification says where the
/// session stands; during a step it says the slot has executed (PROTOCOL.md
/// §4.6, PROTOCOL-0.31.md §1 item 11). A discovered batch is "ahead" when the
/// session has not yet executed it.
class Stepper
{
public:
    enum class Phase {
        Starting,      ///< created, waiting for the first readyForContinue
        Ready,         ///< steppable
        Stepping,      ///< a step is in flight
        PausedWaiting, ///< paused; waiting for the readyForContinue that follows
        Ended,         ///< completed, failed or stopped: never steps again
    };

    /// What an error event meant (PROTOCOL-0.31.md §4.8 "Terminality").
    enum class ErrorEffect {
        Counted,  ///< simulationError: counted, nothing else
        Refused,  ///< the step in flight was refused; the session is steppable again
        Terminal, ///< the session cannot continue
        Shown,    ///< shown to the user; stepping unchanged
    };

    /// `advanceCount` is the run's slots per Continue (at least 1).
    Stepper(quint64 startSlot, quint64 endSlot, quint64 advanceCount, DriveMode drive);

    // --- Control events of the session, in order

    /// `readyForContinue` (or, with `synthesized`, the session layer's stand-in
    /// after a legacy `paused` alone). The step to send, if driven or held.
    [[nodiscard]] std::optional<Step> onReadyForContinue(bool synthesized = false);
    /// `paused`: records the position; the session waits for its readyForContinue.
    void onPaused(const PausedEvent &event);
    /// `slotNotification`.
    void onSlot(quint64 slot);
    /// `discoveryBatch`; false when the batch was already known (a replay).
    bool onDiscovery(const DiscoveryBatchEvent &batch);
    /// The verdicts of the breakpoints on the batch the last onDiscovery()
    /// returned true for (empty: none counted it).
    const QList<BreakpointHit> &lastHits() const { return m_lastHits; }
    /// `error` that did not end the session by itself.
    ErrorEffect onError(const BacktestError &error);
    /// The session ended in `state` (Completed, Failed or Stopped).
    void onEnded(SessionState state);

    // --- The user's commands (each switches the session to Manual)

    /// Continue `advanceCount` slots (0 = the run's advance count).
    [[nodiscard]] std::optional<Step> continueBy(quint64 advanceCount);
    /// Continue-to batch `batchIndex` of `slot` (nullopt = the whole slot).
    [[nodiscard]] std::optional<Step> continueTo(quint64 slot, std::optional<quint32> batchIndex);
    /// Drive the session in `mode` from now on; the first step when steppable.
    [[nodiscard]] std::optional<Step> drive(DriveMode mode);
    /// The user's Pause: Manual from now on, so no step follows the one in
    /// flight (which finishes; the session then waits, open, for the next
    /// command). A driven session also drops a command held for the next
    /// readyForContinue; an undriven one keeps it (the user's own Continue,
    /// queued on a sub-session while the whole batch is paused).
    /// Unlike Stop, nothing is closed on the server.
    void stopDriving();

    /// A batch announced before and its verdicts from a breakpoint that had
    /// not counted it (setBreakpoints()).
    struct LateHits
    {
        DiscoveryBatchEvent batch;
        QList<BreakpointHit> hits;
    };
    /// Judge discovered batches by `breakpoints` from now on (hit counts of
    /// programs kept are kept). Batches announced before keep their hit
    /// numbers, but whether driving stops before one ahead follows the new
    /// options (a breakpoint disabled mid-run no longer stops there). A
    /// breakpoint switched on, or whose slots now cover it, counts a batch
    /// still ahead that it had not counted: the server announces only the
    /// next batch, so that one would otherwise be run through. Returns those
    /// late hits, in the order the batches were announced.
    QList<LateHits> setBreakpoints(const QList<DiscoveryBreakpoint> &breakpoints);
    const BreakpointList &breakpoints() const { return m_breakpoints; }
    /// Whether driving stops for the user before batch `batchIndex` of `slot`
    /// (a discovered batch; false for one not announced).
    bool pausesBefore(quint64 slot, quint32 batchIndex) const;

    /// The step returned last could not be handed to the session (`reason`,
    /// one line): like a refusal, the session stays steppable and drops to Manual.
    void stepNotSent(const QString &reason);

    // --- State

    Phase phase() const { return m_phase; }
    DriveMode driveMode() const { return m_drive; }
    /// The Sessions-panel state while the session lives: Creating before the
    /// first ready, Running while a step is in flight, Paused while paused
    /// (also once steppable again), else Ready.
    SessionState state() const;
    /// Paused and the readyForContinue has not come yet.
    bool isWaitingForReady() const { return m_phase == Phase::PausedWaiting; }
    /// A user command held until the next readyForContinue.
    bool hasHeldCommand() const { return m_held.has_value(); }
    std::optional<PausedEvent> pausedAt() const { return m_pausedAt; }
    quint64 startSlot() const { return m_startSlot; }
    quint64 endSlot() const { return m_endSlot; }
    /// Last slot reported (a `slot`, or the slot of a `paused`).
    quint64 currentSlot() const { return m_currentSlot; }
    /// Next slot to execute.
    quint64 nextSlot() const { return m_nextSlot; }
    const QList<DiscoveryBatchEvent> &discoveries() const { return m_discoveries; }
    /// The earliest discovered batch the session has not executed yet.
    std::optional<DiscoveryBatchEvent> nextDiscoveryAhead() const;
    quint64 simulationErrors() const { return m_simulationErrors; }
    quint64 synthesizedReadies() const { return m_synthesizedReadies; }
    /// Why driving stopped (a refused step, a step not sent, a terminal
    /// error); empty while the session is driven or was switched to Manual by
    /// the user.
    QString drivingStopped() const { return m_drivingStopped; }
    /// The last refusal or terminal error, cleared by the next completed step.
    QString lastError() const { return m_lastError; }

private:
    std::optional<Step> nextDrivenStep();
    /// Whether a Continue To `to` would still move the session forward.
    bool targetAhead(const ContinueToParams &to) const;
    /// Where the session stands: paused (pausedAt()), or its next slot.
    SessionPosition position() const;
    std::optional<Step> begin(Step step);
    std::optional<Step> command(Step step);
    bool isAhead(quint64 slot, quint32 batchIndex) const;
    void dropDriving(const QString &reason);

    quint64 m_startSlot = 0;
    quint64 m_endSlot = 0;
    quint64 m_advanceCount = 1;
    DriveMode m_drive = DriveMode::Manual;
    Phase m_phase = Phase::Starting;
    std::optional<Step> m_held;
    std::optional<Step> m_inFlight;   ///< the step begin() sent last
    std::optional<PausedEvent> m_pausedAt;
    quint64 m_currentSlot = 0;
    quint64 m_nextSlot = 0;
    QList<DiscoveryBatchEvent> m_discoveries;
    QList<QList<BreakpointHit>> m_batchHits; ///< parallel to m_discoveries
    bool m_judged = false;            ///< setBreakpoints() was called
    BreakpointList m_breakpoints;
    QList<BreakpointHit> m_lastHits;
    quint64 m_simulationErrors = 0;
    quint64 m_synthesizedReadies = 0;
    QString m_drivingStopped;
    QString m_lastError;
    SessionState m_endState = SessionState::Completed;
};

} // namespace SlotScope
