#pragma once

class QThreadPool;

namespace SlotScope {

/// The thread pool for SlotScope's long-running work: indexing a capture and
/// replaying its events (CaptureDocument), comparing runs, exporting CSV.
/// Pass it to QtConcurrent::run(pool, …).
///
/// Never QThreadPool::globalInstance(): Qt 6.4's raster paint engine splits
/// large fills and image conversions over the global pool and waits for them
/// on the GUI thread. A global-pool task that waits for the GUI thread (a
/// CaptureDocument worker holding back until the window has taken its rows)
/// then hangs the window for good, and any long task there stalls painting.
/// At least eight threads: every open document uses two, mostly waiting.
QThreadPool *backgroundThreadPool();

} // namespace SlotScope
