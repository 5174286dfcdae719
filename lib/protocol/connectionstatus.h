#pragma once

#include <QMetaType>
#include <QObject>
#include <QString>

namespace SlotScope {
Q_NAMESPACE

/// State of one WebSocket (control or subscription) as seen from outside its
/// connection loop (seed mod.rs `ConnectionStatus`): Down = not connected, the
/// loop is retrying; Up = handshake done, streaming; Failed = terminal (budget
/// exhausted or a fatal handshake error; the reason travels beside it);
/// Parked = Down and waiting behind a ReconnectCoordinator (parallel batches).
enum class ConnectionStatus { Down, Up, Failed, Parked };
Q_ENUM_NS(ConnectionStatus)

/// "Down", "Up", "Failed", "Parked".
QString connectionStatusName(ConnectionStatus status);

} // namespace SlotScope
