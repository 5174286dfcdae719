#include "runclock.h"

#include <QDateTime>

#include <chrono>

namespace SlotScope {

qint64 runClockMs()
{
    using namespace std::chrono;
    // Read together once (a function-local static is initialised once, thread-safely).
    struct Origin
    {
        qint64 epochMs = QDateTime::currentMSecsSinceEpoch();
        steady_clock::time_point steady = steady_clock::now();
    };
    static const Origin origin;
    return origin.epochMs + duration_cast<milliseconds>(steady_clock::now() - origin.steady).count();
}

} // namespace SlotScope
