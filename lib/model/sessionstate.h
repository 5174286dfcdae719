#pragma once

#include <QMetaType>
#include <QObject>
#include <QString>

namespace SlotScope {

// Q_NAMESPACE may appear only once per namespace in a program: moc defines
// `<namespace>::staticMetaObject` for each, and SlotScope's is already taken
// by protocol/connectionstatus.h. The model layer's registered enums
// therefore live in SlotScope::ModelEnums and are re-exported below, so code
// spells them SlotScope::SessionState.
namespace ModelEnums {
Q_NAMESPACE

/// Life cycle of a backtest session (or of a whole run) as the Sessions panel
/// shows it (DESIGN.md §1): Creating until sessionCreated, Ready on
/// readyForContinue, Running while a Continue executes, Paused on `paused`
/// (PROTOCOL.md §4.7), then one terminal state: Completed (`completed`),
/// Failed (terminal error or connection budget exhausted) or Stopped (the user
/// stopped it).
enum class SessionState { Creating, Ready, Running, Paused, Completed, Failed, Stopped };
Q_ENUM_NS(SessionState)

/// How a session is stepped without the user (the engine's Stepper; the
/// Sessions panel shows it beside a live session's state).
enum class DriveMode {
    Manual,             ///< only the user's Continue / Continue-to
    RunToEnd,           ///< Continue the advance count whenever ready, until completed
    PauseAtDiscoveries, ///< Continue-to every discovered batch ahead, else Continue
    ToNextDiscovery,    ///< like PauseAtDiscoveries, then Manual once a Continue-to to a pausing batch went out
};
Q_ENUM_NS(DriveMode)

} // namespace ModelEnums

using ModelEnums::DriveMode;
using ModelEnums::SessionState;

/// Lower-case English name: "creating", "ready", "running", "paused",
/// "completed", "failed", "stopped" (the words of DESIGN.md §1; for logs and
/// the headless progress line).
QString sessionStateName(SessionState state);
/// Translated, capitalised text for views ("Running").
QString sessionStateText(SessionState state);
/// "manual", "run to end", "pause at discoveries", "to next discovery" (logs).
QString driveModeName(DriveMode mode);
/// Translated text for views, "" for Manual: "run to end", "run to next
/// discovery", "pause at discoveries" (the Step menu's words).
QString driveModeText(DriveMode mode);
/// Completed, Failed or Stopped.
bool isTerminalState(SessionState state);

} // namespace SlotScope
