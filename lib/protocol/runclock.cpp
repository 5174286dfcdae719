#include "runclock.h"

#include <QDateTime>

#include <atomic>
#include <chrono>

#if defined(Q_OS_LINUX)
#include <time.h>
#endif

namespace SlotScope {
namespace {

/// Milliseconds of a clock NTP does not step, from an arbitrary origin.
qint64 unsteppedMs()
{
#if defined(Q_OS_LINUX)
    timespec now{};
    if (::clock_gettime(CLOCK_BOOTTIME, &now) == 0)
        return qint64(now.tv_sec) * 1000 + now.tv_nsec / 1000000;
#endif
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

/// Wall clock minus unsteppedMs() at the anchor.
std::atomic<qint64> &offset()
{
    static std::atomic<qint64> value{QDateTime::currentMSecsSinceEpoch() - unsteppedMs()};
    return value;
}

} // namespace

qint64 runClockMs()
{
    return offset().load(std::memory_order_relaxed) + unsteppedMs();
}

void restartRunClock()
{
    offset().store(QDateTime::currentMSecsSinceEpoch() - unsteppedMs(), std::memory_order_relaxed);
}

} // namespace SlotScope
