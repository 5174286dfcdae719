#include "protocol/threadexit.h"

#include <thread>

#if defined(Q_OS_LINUX)
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace SlotScope {

qint64 currentKernelThreadId()
{
#if defined(Q_OS_LINUX)
    return qint64(gettid());
#else
    return 0;
#endif
}

bool waitForKernelThreadExit(qint64 threadId, std::chrono::milliseconds limit)
{
#if defined(Q_OS_LINUX)
    if (threadId == 0)
        return true;
    const auto deadline = std::chrono::steady_clock::now() + limit;
    // Signal 0 only checks that the thread exists (ESRCH once it is gone).
    while (syscall(SYS_tgkill, getpid(), pid_t(threadId), 0) == 0) {
        if (std::chrono::steady_clock::now() >= deadline)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds{1});
    }
    return true;
#else
    Q_UNUSED(threadId);
    Q_UNUSED(limit);
    return true;
#endif
}

} // namespace SlotScope
