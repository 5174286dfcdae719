#pragma once

#include <QObject>

#include <functional>

namespace SlotScope {

/// Turns SIGINT and SIGTERM into a call of `onSignal` on the event loop of
/// `context`'s thread (a self-pipe, so the handler itself only writes a byte).
/// Both the headless run (stop, exit 130) and the window (close, so the run's
/// sessions are closed gracefully before the process ends) install it once.
void installQuitSignals(QObject *context, std::function<void()> onSignal);

} // namespace SlotScope
