#pragma once

#include <QtGlobal>

#include <chrono>

namespace SlotScope {

/// The calling thread's kernel id (Linux), 0 elsewhere. Recorded on a worker
/// thread for waitForKernelThreadExit().
qint64 currentKernelThreadId();

/// Waits, at most `limit`, until the kernel thread `threadId` of this process
/// has exited; false when it still runs then. True at once for 0 (not
/// recorded, or not Linux).
///
/// QThread::wait() is not enough before the process may exit: Qt 6.4's
/// threads are detached and wait() returns before the thread ran its
/// thread-exit handlers (OpenSSL's per-thread cleanup, once Qt Network's TLS
/// backend touched OpenSSL on it; malloc's thread cache). If main() returns
/// meanwhile, exit()'s OPENSSL_cleanup() frees the same state: a double free
/// that aborted `slotscope --headless` at exit now and then (a core with the
/// engine thread in __libc_thread_freeres beside the main thread in exit();
/// AddressSanitizer: "attempting double-free" in OPENSSL_cleanup).
bool waitForKernelThreadExit(qint64 threadId, std::chrono::milliseconds limit);

} // namespace SlotScope
