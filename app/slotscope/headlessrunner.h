#pragma once

#include "commandline.h"
#include "engine/modelupdate.h"

#include <QElapsedTimer>
#include <QHash>
#include <QSet>
#include <QObject>
#include <QTemporaryDir>

#include <atomic>
#include <memory>

class QFile;

namespace SlotScope {

class DemoServer;
class EngineHost;

/// Exit codes of `slotscope --headless` (DESIGN.md §5: 0 only when every
/// session completed and the capture is complete).
enum class HeadlessExit : int {
    Success = 0,
    Usage = 2,
    Auth = 3,          ///< API key rejected
    Rejected = 4,      ///< the server rejected the session (range, request)
    Unreachable = 5,   ///< could not connect / connection lost for good
    Stalled = 6,       ///< the data plane stalled: the capture is incomplete
    Failed = 7,        ///< the session failed on the server
    Capture = 8,       ///< capture or CSV could not be written
    DrivingStopped = 9, ///< the run could not go on without a person (a refused step): the capture is incomplete
    FramesDropped = 10, ///< the run completed, but frames that could not be read were dropped (frame_dropped): the capture is incomplete
    ReplayGap = 11,     ///< the run completed, but a subscription resumed after slots had left the server's replay window (replay_gap): the capture is incomplete
    Hangup = 129,      ///< SIGHUP (the terminal closed): stopped like SIGINT
    Interrupted = 130, ///< SIGINT (Ctrl+C)
    Terminated = 143,  ///< SIGTERM: stopped like SIGINT
};

/// The exit code of a run stopped by `signal` (SIGINT, SIGTERM or SIGHUP):
/// 128 + the signal number, as a shell reports a process the signal killed.
HeadlessExit exitForSignal(int signal);

/// Drives one headless run: starts the demo server when asked, runs the
/// engine, prints progress to stderr (one line per state change, plus a
/// progress line at most every 2 s), exports the CSV, and sets the exit code.
class HeadlessRunner : public QObject
{
    Q_OBJECT

public:
    explicit HeadlessRunner(HeadlessOptions options, QObject *parent = nullptr);
    ~HeadlessRunner() override;

    /// Starts the run; the application quits with exitCode() when it ends.
    void start();
    int exitCode() const { return m_exitCode; }
    /// Stops the run on SIGINT, SIGTERM or SIGHUP: the session is closed on
    /// the server (closeBacktestSession), the capture keeps what arrived and
    /// is flushed; exits with exitForSignal(signal).
    void interrupt(int signal);

private:
    void onModelUpdate(const ModelUpdate &update);
    void onRunFinished(const RunOutcome &outcome);
    /// The CSV of a completed run, made on a worker thread so that a signal
    /// still reaches interrupt() and stops it; then checkCompleteness().
    void exportCsv(const RunOutcome &outcome);
    void checkCompleteness(const RunOutcome &outcome);
    void printProgress(bool force);
    void printLink(const QString &socket, const LinkState &link);
    void fail(HeadlessExit code, const QString &message);
    /// What a stopping line calls `signal`: hangup, terminated, interrupted.
    static QString signalWord(int signal);
    void finish(HeadlessExit code);

    HeadlessOptions m_options;
    std::unique_ptr<DemoServer> m_demo;
    std::unique_ptr<EngineHost> m_engine;
    std::unique_ptr<QTemporaryDir> m_tempDir;
    QHash<QString, SessionUpdate> m_sessions;   ///< latest state per run (single) or sub-session (parallel)
    QSet<QString> m_batchKeys;                  ///< keys of parallel batch rows
    QHash<QString, SessionState> m_printedStates;
    QHash<QString, QString> m_lastProgressLine; ///< per run: suppress repeats
    QHash<QString, QElapsedTimer> m_waitPrinted; ///< per run: when its progress line was last printed
    QElapsedTimer m_sinceProgress;
    int m_interruptSignal = 0;  ///< the signal that stopped the run (or its CSV export), 0 = none
    bool m_exporting = false;
    std::shared_ptr<std::atomic_bool> m_cancelExport = std::make_shared<std::atomic_bool>(false);
    bool m_finished = false;
    int m_exitCode = int(HeadlessExit::Failed);
};

/// The whole headless program: parse, run, return the exit code.
int runHeadless(int argc, char **argv);

} // namespace SlotScope
