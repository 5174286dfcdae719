#pragma once

#include "protocol/result.h"
#include "refserver/refserverconfig.h"

#include <QString>
#include <QThread>

#include <functional>

namespace SlotScope {

class RefServer;

/// A RefServer on a thread of its own, so replaying transactions never
/// competes with the caller's event loop (the app's demo simulator, the
/// benchmarks). The server listens as `config` says; start() and stop() block
/// until the server thread has done them.
class RefServerThread
{
public:
    /// `threadName` names the thread (top, perf, gdb).
    explicit RefServerThread(const QString &threadName);
    ~RefServerThread();
    RefServerThread(const RefServerThread &) = delete;
    RefServerThread &operator=(const RefServerThread &) = delete;

    /// Starts a new server (stopping a running one first) and returns its
    /// control URL. Errors: RefServer::listen()'s (the transactions directory
    /// cannot be loaded, no port to listen on); the thread is stopped then.
    Result<QString> start(const RefServerConfig &config);
    /// Deletes the server on its thread and ends the thread; no-op when stopped.
    void stop();
    bool isRunning() const { return m_server != nullptr; }
    QString controlUrl() const { return m_controlUrl; }
    /// Runs `work` on the server thread and waits for it (e.g. to read the
    /// thread's CPU clock). Requires a running server.
    void runOnServerThread(const std::function<void()> &work) const;

private:
    QThread m_thread;
    QObject *m_context = nullptr;
    RefServer *m_server = nullptr;
    QString m_controlUrl;
    qint64 m_threadId = 0; ///< the server thread's kernel id (waitForKernelThreadExit())
};

} // namespace SlotScope
