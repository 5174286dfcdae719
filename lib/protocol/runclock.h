#pragma once

#include <QtGlobal>

namespace SlotScope {

/// Milliseconds since the Unix epoch that never step during a run: the wall
/// clock read when the run started (restartRunClock()) plus the time a clock
/// that NTP does not step has counted since (CLOCK_BOOTTIME on Linux, which
/// also counts a suspend; the steady clock elsewhere). Every timestamp of a
/// run comes from it (connection events and the events file's "at", the
/// reconnect coordinator's parks and storms, the Protocol Console, the
/// charts' samples, the panels' "for 12.3 s"), so the durations between
/// them are right even when NTP or a user steps the wall clock mid-run; the
/// times shown are the wall clock's at the start. Before the first
/// restartRunClock() the process's first call anchors it. Thread-safe.
qint64 runClockMs();

/// Anchors runClockMs() to the wall clock now (EngineHost::start(): each run
/// starts on the wall clock's time, however long the process has lived).
void restartRunClock();

} // namespace SlotScope
