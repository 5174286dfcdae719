#pragma once

#include "engine/modelupdate.h"
#include "engine/runconfig.h"
#include "net/connectionpolicy.h"

#include <QObject>
#include <QThread>

#include <atomic>

namespace SlotScope {

class SessionEngine;

/// Owns the SessionEngine and the worker thread it runs on (DESIGN.md §3:
/// sockets, parsing and capture run on the engine thread; the GUI thread only
/// receives batches). Every call is forwarded as a queued call; every signal
/// arrives queued on the caller's thread.
///
/// Destroying the host (quitting the window, the end of a headless run) stops
/// the run and waits, at most the policy's graceful-close timeout (plus a
/// moment), until every session sent `closeBacktestSession` and closed its
/// sockets with a close frame; only then does the engine thread end.
class EngineHost : public QObject
{
    Q_OBJECT

public:
    /// The engine thread's CPU priority (Linux: its nice value; threads it
    /// starts, such as the capture writer's, inherit it).
    /// - SameAsCaller: the headless run, which has no GUI thread to yield to.
    /// - BelowCaller: 10 nice steps below the creating (GUI) thread, at most
    ///   19. When both cores are busy (a 256-sub-session batch at 20 000 tx/s
    ///   beside its server) the GUI thread runs first and the window does not
    ///   stall; with spare CPU the engine runs as fast as before. bench_window,
    ///   same layout: stall p99 16.7 ms → 8.7 ms at the same rate (issue 11;
    ///   tests/bench/README.md).
    enum class ThreadPriority { SameAsCaller, BelowCaller };

    explicit EngineHost(QObject *parent = nullptr, ThreadPriority priority = ThreadPriority::SameAsCaller);
    ~EngineHost() override;

    /// The thread the engine runs on (tests run code there).
    QThread *engineThread() { return &m_thread; }

    void setConnectionPolicy(const ConnectionPolicy &policy);
    /// Starts a run (a run in progress is stopped first, its session closed
    /// on the server). Returns the new run's id, which every later report of
    /// it carries (runStarted(), ModelUpdate::runId, RunOutcome::runId):
    /// reports of an earlier run can still arrive after this returns.
    QString start(const RunConfig &config, const QString &controlUrl);
    /// `sessionId` empty = every session (lockstep in a parallel batch).
    void continueSession(quint64 advanceCount, const QString &sessionId = {});
    void continueTo(quint64 slot, qint64 batchIndex, const QString &sessionId = {});
    void runToEnd(const QString &sessionId = {});
    void runToNextDiscovery(const QString &sessionId = {});
    /// SessionEngine::pauseDriving().
    void pauseDriving(const QString &sessionId = {});
    /// SessionEngine::setBreakpoints().
    void setBreakpoints(const QList<DiscoveryBreakpoint> &breakpoints);
    void stop();
    /// SessionEngine::reconnectNow(); answered with reconnectNowHandled().
    void reconnectNow(const QString &sessionId, const QString &socket);

Q_SIGNALS:
    void runStarted(const QString &runId, const QString &capturePath);
    void modelUpdated(const SlotScope::ModelUpdate &update);
    void runFinished(const SlotScope::RunOutcome &outcome);
    void reconnectNowHandled(const QString &sessionId, const QString &socket, bool accepted);
    /// SessionEngine::stepRefused().
    void stepRefused(const QString &runId, const QString &sessionId, const QString &message);

private:
    QThread m_thread;
    SessionEngine *m_engine = nullptr;
    /// The engine thread's kernel id (Linux), set from that thread when it
    /// starts; 0 until then. The destructor waits for it to be gone.
    std::atomic<qint64> m_engineThreadId{0};
};

} // namespace SlotScope
