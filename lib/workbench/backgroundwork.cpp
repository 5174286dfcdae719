#include "workbench/backgroundwork.h"

#include <QThread>
#include <QThreadPool>

namespace SlotScope {

namespace {

struct BackgroundPool : QThreadPool
{
    BackgroundPool() { setMaxThreadCount(qMax(8, 2 * QThread::idealThreadCount())); }
};

Q_GLOBAL_STATIC(BackgroundPool, pool)

} // namespace

QThreadPool *backgroundThreadPool()
{
    return pool();
}

} // namespace SlotScope
