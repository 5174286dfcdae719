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

} // namespace ModelEnums

using ModelEnums::SessionState;

/// Lower-case English name: "creating", "ready", "running", "paused",
/// "completed", "failed", "stopped" (the words of DESIGN.md §1; for logs and
/// the headless progress line).
QString sessionStateName(SessionState state);
/// Translated, capitalised text for views ("Running").
QString sessionStateText(SessionState state);
/// Completed, Failed or Stopped.
bool isTerminalState(SessionState state);

} // namespace SlotScope
