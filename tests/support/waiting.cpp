#include "support/waiting.h"

#include <QAbstractEventDispatcher>
#include <QCoreApplication>
#include <QTest>

namespace SlotScope::Testing {

void settle()
{
    // A handler may post more work: repeat until a pass finds nothing new.
    for (int pass = 0; pass < 100; ++pass) {
        QCoreApplication::sendPostedEvents();
        if (!QCoreApplication::instance()->thread()->eventDispatcher()->processEvents(QEventLoop::AllEvents))
            return;
    }
}

bool holdsFor(const std::function<bool()> &condition, std::chrono::milliseconds duration)
{
    const bool broke = QTest::qWaitFor([&condition] { return !condition(); }, int(duration.count()));
    return !broke && condition();
}

} // namespace SlotScope::Testing
