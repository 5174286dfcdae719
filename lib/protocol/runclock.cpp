#include "runclock.h"

#include <atomic>
#include <chrono>

#if defined(Q_OS_LINUX)
#include <time.h>
#endif

namespace SlotScope {
namespace {

/// Microseconds of a clock NTP does not step, from an arbitrary origin.
qint64 unsteppedUs()
{
#if defined(Q_OS_LINUX)
    timespec now{};
    if (::clock_gettime(CLOCK_BOOTTIME, &now) == 0)
        return qint64(now.tv_sec) * 1000000 + now.tv_nsec / 1000;
#endif
    using namespace std::chrono;
    return duration_cast<microseconds>(steady_clock::now().time_since_epoch()).count();
}

/// The wall clock minus unsteppedUs(), in microseconds. The wall clock is
/// read first and a microsecond of rounding is given away, so the run clock
/// never runs ahead of it (it lags by a microsecond or two): a timestamp is
/// never later than a wall clock read after it.
qint64 anchorUs()
{
    using namespace std::chrono;
    const qint64 wallUs = duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
    return wallUs - unsteppedUs() - 1;
}

std::atomic<qint64> &offsetUs()
{
    static std::atomic<qint64> value{anchorUs()};
    return value;
}

} // namespace

qint64 runClockMs()
{
    const qint64 us = offsetUs().load(std::memory_order_relaxed) + unsteppedUs();
    return us >= 0 ? us / 1000 : -((-us + 999) / 1000); // floor, as the wall clock's milliseconds
}

void restartRunClock()
{
    offsetUs().store(anchorUs(), std::memory_order_relaxed);
}

} // namespace SlotScope
