#include "model/sessionstate.h"

#include <QCoreApplication>

namespace SlotScope {

QString sessionStateName(SessionState state)
{
    switch (state) {
    case SessionState::Creating: return QStringLiteral("creating");
    case SessionState::Ready: return QStringLiteral("ready");
    case SessionState::Running: return QStringLiteral("running");
    case SessionState::Paused: return QStringLiteral("paused");
    case SessionState::Completed: return QStringLiteral("completed");
    case SessionState::Failed: return QStringLiteral("failed");
    case SessionState::Stopped: return QStringLiteral("stopped");
    }
    return QStringLiteral("unknown");
}

QString sessionStateText(SessionState state)
{
    switch (state) {
    case SessionState::Creating: return QCoreApplication::translate("SlotScope::SessionState", "Creating");
    case SessionState::Ready: return QCoreApplication::translate("SlotScope::SessionState", "Ready");
    case SessionState::Running: return QCoreApplication::translate("SlotScope::SessionState", "Running");
    case SessionState::Paused: return QCoreApplication::translate("SlotScope::SessionState", "Paused");
    case SessionState::Completed: return QCoreApplication::translate("SlotScope::SessionState", "Completed");
    case SessionState::Failed: return QCoreApplication::translate("SlotScope::SessionState", "Failed");
    case SessionState::Stopped: return QCoreApplication::translate("SlotScope::SessionState", "Stopped");
    }
    return QCoreApplication::translate("SlotScope::SessionState", "Unknown");
}

QString driveModeName(DriveMode mode)
{
    switch (mode) {
    case DriveMode::Manual: return QStringLiteral("manual");
    case DriveMode::RunToEnd: return QStringLiteral("run to end");
    case DriveMode::PauseAtDiscoveries: return QStringLiteral("pause at discoveries");
    case DriveMode::ToNextDiscovery: return QStringLiteral("to next discovery");
    }
    return {};
}

QString driveModeText(DriveMode mode)
{
    switch (mode) {
    case DriveMode::Manual: return {};
    case DriveMode::RunToEnd: return QCoreApplication::translate("SlotScope::DriveMode", "run to end");
    case DriveMode::PauseAtDiscoveries:
        return QCoreApplication::translate("SlotScope::DriveMode", "pause at discoveries");
    case DriveMode::ToNextDiscovery:
        return QCoreApplication::translate("SlotScope::DriveMode", "run to next discovery");
    }
    return {};
}

bool isTerminalState(SessionState state)
{
    return state == SessionState::Completed || state == SessionState::Failed
            || state == SessionState::Stopped;
}

} // namespace SlotScope
