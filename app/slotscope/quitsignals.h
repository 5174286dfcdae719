#pragma once

#include <QObject>

#include <functional>

namespace SlotScope {

/// Turns SIGINT, SIGTERM and SIGHUP (the terminal closed) into a call of
/// `onSignal(signalNumber)` on the event loop of `context`'s thread (a
/// self-pipe carrying the signal number, so the handler itself only writes a
/// byte). Both the headless run (stop, exit 128 + the signal) and the window
/// (close, so the run's sessions are closed gracefully before the process
/// ends) install it once.
void installQuitSignals(QObject *context, std::function<void(int signal)> onSignal);

} // namespace SlotScope
