#pragma once

// Helpers shared by the benchmarks of tests/bench (DESIGN.md §7): a reference
// server on its own thread, per-thread CPU clocks, the expected transaction
// stream, and plain-text tables.

#include "protocol/result.h"
#include "refserver/refserverconfig.h"
#include "refserver/refserverthread.h"

#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QThread>

#include <ctime>
#include <memory>

class QProcess;

namespace SlotScope {
}

namespace SlotScope::Bench {

/// The shared real-transaction fixtures: $SLOTSCOPE_FIXTURES_DIR, else the
/// directory the build was configured with.
QString fixturesDir();

/// Points the process's user-scope QSettings (and QStandardPaths, test mode)
/// at a fresh temporary directory, kept until the process ends: a window
/// benchmark starts from the default layout, not from one an earlier run
/// saved (with its docks closed, say), and never writes into the user's own
/// SlotScope settings. Call once, after the QApplication exists.
void isolateSettings();

/// CPU clock of the calling thread (pthread_getcpuclockid); another thread may
/// read it with cpuSeconds() while this thread lives.
clockid_t currentThreadCpuClock();
/// Seconds of CPU time consumed so far on `clock`.
double cpuSeconds(clockid_t clock);
/// User and kernel CPU seconds of the calling thread so far (getrusage RUSAGE_THREAD).
struct ThreadTimes
{
    double user = 0;
    double kernel = 0;
};
ThreadTimes currentThreadTimes();

/// Seconds of monotonic wall-clock time since an arbitrary origin.
double wallSeconds();
/// User + kernel CPU seconds of this whole process so far (every thread).
double processCpuSeconds();

/// A RefServer on its own thread, so serving never competes with the event
/// loop of the client under test (the same arrangement as the app's
/// DemoServer). Listens on 127.0.0.1 with an OS-chosen port.
class ServerThread
{
public:
    /// Starts the server (loads the transactions; apiKey in `config` is used
    /// as given). Errors: the transactions cannot be loaded, no port.
    Result<void> start(const RefServerConfig &config);
    void stop() { m_thread.stop(); }

    QString controlUrl() const { return m_thread.controlUrl(); }
    QString apiKey() const { return m_apiKey; }
    /// CPU clock of the server thread (valid while started).
    clockid_t cpuClock() const { return m_cpuClock; }

private:
    RefServerThread m_thread{QStringLiteral("bench-refserver")};
    QString m_apiKey;
    clockid_t m_cpuClock = CLOCK_THREAD_CPUTIME_ID;
};

/// slotscope-refserver in a process of its own (bench_window, bench_idle): the
/// client's threads do not share a process with the server, as against the
/// hosted service. Started with `arguments` (an API key is added); the first
/// stdout line is its control URL.
class ExternalServer
{
public:
    ExternalServer();
    ~ExternalServer();
    ExternalServer(const ExternalServer &) = delete;
    ExternalServer &operator=(const ExternalServer &) = delete;

    /// The binary built beside the benchmarks.
    static QString defaultProgram();
    /// Errors: the program does not start or prints no URL within 30 s.
    Result<void> start(const QString &program, const QStringList &arguments);
    /// SIGTERM, then waits (kills after 5 s).
    void stop();
    QString controlUrl() const { return m_controlUrl; }
    QString apiKey() const { return m_apiKey; }
    qint64 pid() const;
    /// User + kernel CPU seconds the server process used so far (/proc), -1 when unknown.
    double cpuSeconds() const;

private:
    std::unique_ptr<QProcess> m_process;
    QString m_controlUrl;
    QString m_apiKey;
};

/// The stream one benchmark session receives: slots [startSlot, startSlot +
/// slotCount − 1] with `perSlot` transactions each (RefServerConfig::transactionsPerSlot).
struct StreamSpec
{
    quint64 startSlot = 1000;
    quint64 slotCount = 0;
    int perSlot = 0;

    quint64 endSlot() const { return startSlot + slotCount - 1; }
    quint64 transactions() const { return slotCount * quint64(perSlot); }
};

/// The signatures the reference server delivers for `spec` when it replays
/// the transactions of `txDir` (the server's own TransactionPlan, so a
/// benchmark can prove it lost nothing). Also reports the bytes of every
/// notification `result` (the JSON the capture keeps as `raw`).
struct ExpectedStream
{
    QSet<QString> signatures;
    qint64 resultBytes = 0;
};
Result<ExpectedStream> expectedStream(const QString &txDir, const StreamSpec &spec);

/// A plain-text table with right-aligned numeric columns.
class Table
{
public:
    explicit Table(QStringList headers) : m_headers(std::move(headers)) {}
    void addRow(QStringList cells) { m_rows.append(std::move(cells)); }
    QString render() const;

private:
    QStringList m_headers;
    QList<QStringList> m_rows;
};

/// `value` with `decimals` digits after the point and thousands separators
/// left out (machine-friendly), e.g. "12345.6".
QString number(double value, int decimals = 1);

/// The 1, 5 and 15 minute load averages (/proc/loadavg), e.g. "0.12 0.30 0.25":
/// other work on the machine skews every wall-clock figure.
QString loadAverage();

/// Writes `text` to stdout (UTF-8) and flushes.
void print(const QString &text);

} // namespace SlotScope::Bench
