#include "engine/enginehost.h"

#include "engine/logging.h"
#include "engine/sessionengine.h"

#include <QUuid>

#include <algorithm>
#include <cerrno>
#include <cstring>

#if defined(Q_OS_LINUX)
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include <chrono>
#include <thread>

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

/// The calling thread's kernel id (Linux), 0 elsewhere.
qint64 currentKernelThreadId()
{
#if defined(Q_OS_LINUX)
    return qint64(gettid());
#else
    return 0;
#endif
}

/// Waits, at most `limit`, until the kernel thread `threadId` of this process
/// has exited. QThread::wait() returns when the thread's run() is over, but
/// Qt's threads are detached (Qt 6.4: wait() returns before them): the thread
/// then still runs its thread-exit handlers (OpenSSL's per-thread cleanup,
/// registered once Qt Network's TLS backend touched OpenSSL on it; malloc's
/// thread cache). If main() returns meanwhile, exit()'s
/// OPENSSL_cleanup() frees the same state: a double free that aborted
/// `slotscope --headless` at exit now and then (AddressSanitizer:
/// "attempting double-free" in OPENSSL_cleanup; a core with the engine
/// thread in __libc_thread_freeres beside the main thread in exit()).
void waitForKernelThreadExit(qint64 threadId, std::chrono::milliseconds limit)
{
#if defined(Q_OS_LINUX)
    if (threadId == 0)
        return;
    const auto deadline = std::chrono::steady_clock::now() + limit;
    // Signal 0 only checks that the thread exists (ESRCH once it is gone).
    while (syscall(SYS_tgkill, getpid(), pid_t(threadId), 0) == 0) {
        if (std::chrono::steady_clock::now() >= deadline) {
            qCWarning(lcEngine, "the engine thread had not exited %lld ms after its event loop ended",
                      qlonglong(limit.count()));
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds{1});
    }
#else
    Q_UNUSED(threadId);
    Q_UNUSED(limit);
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
    m_thread.start();
    QMetaObject::invokeMethod(m_engine, [this, priority] {
        m_engineThreadId.store(currentKernelThreadId());
        if (priority == ThreadPriority::BelowCaller)
            lowerCurrentThreadPriority();
    });
}

EngineHost::~EngineHost()
{
    // Stop the run on its own thread and let it finish the graceful close
    // (closeBacktestSession, close frames; bounded) before the thread ends.
    QMetaObject::invokeMethod(m_engine, [engine = m_engine] { engine->shutdown(); },
                              Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    // …and until the thread is really gone, thread-exit handlers and all,
    // before the process may exit (see waitForKernelThreadExit()).
    waitForKernelThreadExit(m_engineThreadId.load(), std::chrono::seconds{2});
}

void EngineHost::setConnectionPolicy(const ConnectionPolicy &policy)
{
    QMetaObject::invokeMethod(m_engine, [engine = m_engine, policy] { engine->setConnectionPolicy(policy); });
}

QString EngineHost::start(const RunConfig &config, const QString &controlUrl)
{
    const QString runId = QUuid::createUuid().toString(QUuid::WithoutBraces);
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
