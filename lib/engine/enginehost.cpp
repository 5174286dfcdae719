#include "engine/enginehost.h"

#include "engine/logging.h"
#include "engine/sessionengine.h"
#include "protocol/runclock.h"
#include "protocol/threadexit.h"

#include <QUuid>

#include <algorithm>
#include <cerrno>
#include <cstring>

#if defined(Q_OS_LINUX)
#include <sys/resource.h>
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace SlotScope {

namespace {

/// Lowers the calling thread's priority by 10 nice steps (at most 19).
/// Linux keeps a nice value per thread; elsewhere QThread::LowPriority.
void lowerCurrentThreadPriority()
{
#if defined(Q_OS_LINUX)
    const pid_t thread = gettid();
    errno = 0;
    const int nice = getpriority(PRIO_PROCESS, id_t(thread));
    if (errno != 0 || setpriority(PRIO_PROCESS, id_t(thread), std::min(nice + 10, 19)) != 0)
        qCWarning(lcEngine, "cannot lower the engine thread's priority: %s", std::strerror(errno));
#else
    QThread::currentThread()->setPriority(QThread::LowPriority);
#endif
}

} // namespace

EngineHost::EngineHost(QObject *parent, ThreadPriority priority)
    : QObject(parent)
{
    qRegisterMetaType<SlotScope::ModelUpdate>();
    qRegisterMetaType<SlotScope::RunOutcome>();
    m_thread.setObjectName(u"engine"_s);
    m_engine = new SessionEngine;
    m_engine->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_engine, &QObject::deleteLater);
    connect(m_engine, &SessionEngine::runStarted, this, &EngineHost::runStarted);
    connect(m_engine, &SessionEngine::modelUpdated, this, &EngineHost::modelUpdated);
    connect(m_engine, &SessionEngine::runFinished, this, &EngineHost::runFinished);
    connect(m_engine, &SessionEngine::reconnectNowHandled, this, &EngineHost::reconnectNowHandled);
    connect(m_engine, &SessionEngine::stepRefused, this, &EngineHost::stepRefused);
    m_thread.start();
    QMetaObject::invokeMethod(m_engine, [this, priority] {
        m_engineThreadId.store(currentKernelThreadId());
        if (priority == ThreadPriority::BelowCaller)
            lowerCurrentThreadPriority();
    });
}

EngineHost::~EngineHost()
{
    // Stop the run on its own thread and let that thread's event loop finish
    // the graceful close (closeBacktestSession, close frames; bounded) before
    // it ends (SessionEngine::shutdown()).
    connect(m_engine, &SessionEngine::shutdownFinished, &m_thread, &QThread::quit, Qt::DirectConnection);
    QMetaObject::invokeMethod(m_engine, [engine = m_engine] { engine->shutdown(); });
    m_thread.wait();
    // …and until the thread is really gone, thread-exit handlers and all,
    // before the process may exit (see waitForKernelThreadExit()).
    if (!waitForKernelThreadExit(m_engineThreadId.load(), std::chrono::seconds{2}))
        qCWarning(lcEngine, "the engine thread had not exited 2 s after its event loop ended");
}

void EngineHost::setConnectionPolicy(const ConnectionPolicy &policy)
{
    QMetaObject::invokeMethod(m_engine, [engine = m_engine, policy] { engine->setConnectionPolicy(policy); });
}

QString EngineHost::start(const RunConfig &config, const QString &controlUrl)
{
    const QString runId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    restartRunClock(); // this run's timestamps start on the wall clock's time
    QMetaObject::invokeMethod(m_engine, [engine = m_engine, config, controlUrl, runId] {
        engine->start(config, controlUrl, runId);
    });
    return runId;
}

void EngineHost::continueSession(quint64 advanceCount, const QString &sessionId)
{
    QMetaObject::invokeMethod(m_engine, [engine = m_engine, advanceCount, sessionId] {
        engine->continueSession(advanceCount, sessionId);
    });
}

void EngineHost::continueTo(quint64 slot, qint64 batchIndex, const QString &sessionId)
{
    QMetaObject::invokeMethod(m_engine, [engine = m_engine, slot, batchIndex, sessionId] {
        engine->continueTo(slot, batchIndex, sessionId);
    });
}

void EngineHost::runToEnd(const QString &sessionId)
{
    QMetaObject::invokeMethod(m_engine, [engine = m_engine, sessionId] { engine->runToEnd(sessionId); });
}

void EngineHost::runToNextDiscovery(const QString &sessionId)
{
    QMetaObject::invokeMethod(m_engine, [engine = m_engine, sessionId] { engine->runToNextDiscovery(sessionId); });
}

void EngineHost::pauseDriving(const QString &sessionId)
{
    QMetaObject::invokeMethod(m_engine, [engine = m_engine, sessionId] { engine->pauseDriving(sessionId); });
}

void EngineHost::setBreakpoints(const QList<DiscoveryBreakpoint> &breakpoints)
{
    QMetaObject::invokeMethod(m_engine, [engine = m_engine, breakpoints] { engine->setBreakpoints(breakpoints); });
}

void EngineHost::stop()
{
    QMetaObject::invokeMethod(m_engine, [engine = m_engine] { engine->stop(); });
}

void EngineHost::reconnectNow(const QString &sessionId, const QString &socket)
{
    QMetaObject::invokeMethod(m_engine, [engine = m_engine, sessionId, socket] { engine->reconnectNow(sessionId, socket); });
}

} // namespace SlotScope
