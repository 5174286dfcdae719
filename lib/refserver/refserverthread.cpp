#include "refserver/refserverthread.h"

#include "protocol/threadexit.h"
#include "refserver/logging.h"
#include "refserver/refserver.h"

namespace SlotScope {

RefServerThread::RefServerThread(const QString &threadName)
{
    m_thread.setObjectName(threadName);
}

RefServerThread::~RefServerThread()
{
    stop();
}

Result<QString> RefServerThread::start(const RefServerConfig &config)
{
    stop();
    m_thread.start();
    m_context = new QObject;
    m_context->moveToThread(&m_thread);

    Result<void> listening;
    QMetaObject::invokeMethod(m_context, [&] {
        m_threadId = currentKernelThreadId();
        m_server = new RefServer(config);
        listening = m_server->listen();
        if (listening)
            m_controlUrl = m_server->controlUrl().toString();
    }, Qt::BlockingQueuedConnection);
    if (!listening) {
        const Error error = listening.error();
        stop();
        return error;
    }
    return m_controlUrl;
}

void RefServerThread::stop()
{
    if (!m_thread.isRunning())
        return;
    QMetaObject::invokeMethod(m_context, [this] {
        delete m_server;
        m_server = nullptr;
        delete m_context;
        m_context = nullptr;
    }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    // The process may exit next (the demo simulator's window closing).
    if (!waitForKernelThreadExit(m_threadId, std::chrono::seconds{2}))
        qCWarning(lcRefServer, "the server thread had not exited 2 s after its event loop ended");
    m_threadId = 0;
    m_controlUrl.clear();
}

void RefServerThread::runOnServerThread(const std::function<void()> &work) const
{
    Q_ASSERT(m_context);
    QMetaObject::invokeMethod(m_context, work, Qt::BlockingQueuedConnection);
}

} // namespace SlotScope
