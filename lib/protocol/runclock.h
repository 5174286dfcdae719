#pragma once

#include <QtGlobal>

namespace SlotScope {

/// Milliseconds since the Unix epoch that never step: the wall clock read
/// once, at the first call in the process, plus the steady clock's time
/// since. Every timestamp of a run comes from it (connection events, the
/// reconnect coordinator's parks and storms, the charts' samples, the
/// panels' "for 12.3 s"), so the durations between them are the steady
/// clock's even when NTP or a user steps the wall clock mid-run; the times
/// shown stay those of the wall clock at the start. Thread-safe.
qint64 runClockMs();

} // namespace SlotScope
