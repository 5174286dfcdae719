#include "benchcommon.h"

#include "refserver/refserver.h"
#include "refserver/transactionplan.h"

#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QProcessEnvironment>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QUuid>

#include <algorithm>
#include <cstdio>

#include <pthread.h>
#include <csignal>
#include <sys/prctl.h>
#include <unistd.h>
#include <sys/resource.h>

using namespace Qt::StringLiterals;

namespace SlotScope::Bench {

void isolateSettings()
{
    static QTemporaryDir settingsDir;
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settingsDir.path());
}

QString fixturesDir()
{
    const QString fromEnvironment = qEnvironmentVariable("SLOTSCOPE_FIXTURES_DIR");
    if (!fromEnvironment.isEmpty())
        return fromEnvironment;
    return QString::fromUtf8(SLOTSCOPE_FIXTURES_DIR);
}

clockid_t currentThreadCpuClock()
{
    clockid_t clock = CLOCK_THREAD_CPUTIME_ID;
    if (pthread_getcpuclockid(pthread_self(), &clock) != 0)
        return CLOCK_THREAD_CPUTIME_ID;
    return clock;
}

double cpuSeconds(clockid_t clock)
{
    timespec ts{};
    if (clock_gettime(clock, &ts) != 0)
        return 0.0;
    return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

ThreadTimes currentThreadTimes()
{
    rusage usage{};
    if (getrusage(RUSAGE_THREAD, &usage) != 0)
        return {};
    const auto seconds = [](const timeval &tv) { return double(tv.tv_sec) + double(tv.tv_usec) * 1e-6; };
    return {seconds(usage.ru_utime), seconds(usage.ru_stime)};
}

double wallSeconds()
{
    return cpuSeconds(CLOCK_MONOTONIC);
}

double processCpuSeconds()
{
    rusage usage{};
    if (getrusage(RUSAGE_SELF, &usage) != 0)
        return 0.0;
    const auto seconds = [](const timeval &tv) { return double(tv.tv_sec) + double(tv.tv_usec) * 1e-6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// ---------------------------------------------------------------------------

ExternalServer::ExternalServer() = default;

ExternalServer::~ExternalServer()
{
    stop();
}

QString ExternalServer::defaultProgram()
{
    return QString::fromUtf8(SLOTSCOPE_BINARY_DIR) + u"/bin/slotscope-refserver"_s;
}

Result<void> ExternalServer::start(const QString &program, const QStringList &arguments)
{
    stop();
    m_apiKey = QUuid::createUuid().toString(QUuid::WithoutBraces);
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::SeparateChannels);
    m_process->setStandardErrorFile(QProcess::nullDevice());
    // A benchmark that is killed takes its server with it.
    m_process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
    m_process->start(program, arguments + QStringList{u"--api-key"_s, m_apiKey});
    if (!m_process->waitForStarted(10000))
        return makeError(u"cannot start %1: %2"_s.arg(program, m_process->errorString()));
    QByteArray line;
    const double deadline = wallSeconds() + 30;
    while (!line.contains('\n') && wallSeconds() < deadline) {
        if (!m_process->waitForReadyRead(500) && m_process->state() != QProcess::Running)
            break;
        line += m_process->readAllStandardOutput();
    }
    m_controlUrl = QString::fromUtf8(line.left(line.indexOf('\n')).trimmed());
    if (!m_controlUrl.startsWith(u"ws"_s))
        return makeError(u"%1 printed no control URL (exit status %2)"_s.arg(program).arg(m_process->exitCode()));
    return {};
}

void ExternalServer::stop()
{
    if (!m_process)
        return;
    if (m_process->state() != QProcess::NotRunning) {
        m_process->terminate();
        if (!m_process->waitForFinished(5000)) {
            m_process->kill();
            m_process->waitForFinished(2000);
        }
    }
    m_process.reset();
}

qint64 ExternalServer::pid() const
{
    return m_process ? m_process->processId() : 0;
}

double ExternalServer::cpuSeconds() const
{
    QFile stat(u"/proc/%1/stat"_s.arg(pid()));
    if (pid() <= 0 || !stat.open(QIODevice::ReadOnly))
        return -1;
    // Fields after the command name: state is field 3, utime 14, stime 15.
    const QByteArray text = stat.readAll();
    const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 13)
        return -1;
    const double ticks = double(sysconf(_SC_CLK_TCK));
    return (fields.at(11).toDouble() + fields.at(12).toDouble()) / ticks;
}

// ---------------------------------------------------------------------------

Result<void> ServerThread::start(const RefServerConfig &config)
{
    m_apiKey = config.apiKey;
    if (Result<QString> url = m_thread.start(config); !url)
        return url.error();
    m_thread.runOnServerThread([this] { m_cpuClock = currentThreadCpuClock(); });
    return {};
}

// ---------------------------------------------------------------------------

Result<ExpectedStream> expectedStream(const QString &txDir, const StreamSpec &spec)
{
    auto catalog = Internal::TransactionCatalog::load(txDir);
    if (!catalog)
        return catalog.error();
    const Internal::TransactionPlan plan(*catalog, spec.startSlot, spec.endSlot(), spec.perSlot);
    ExpectedStream expected;
    expected.signatures.reserve(qsizetype(spec.transactions()));
    for (auto at = plan.nextTransaction({spec.startSlot, 0}); at;
         at = plan.nextTransaction({at->slot, at->batch + 1})) {
        const Internal::PlannedTransaction transaction = plan.transactionAt(*at);
        expected.signatures.insert(transaction.signature);
        expected.resultBytes += transaction.json.size();
    }
    if (quint64(expected.signatures.size()) != spec.transactions()) {
        return makeError(u"the plan holds %1 unique signatures, expected %2"_s
                             .arg(expected.signatures.size())
                             .arg(spec.transactions()));
    }
    return expected;
}

// ---------------------------------------------------------------------------

QString Table::render() const
{
    QList<qsizetype> widths;
    for (const QString &header : m_headers)
        widths.append(header.size());
    for (const QStringList &row : m_rows) {
        for (qsizetype i = 0; i < row.size() && i < widths.size(); ++i)
            widths[i] = std::max(widths[i], row.at(i).size());
    }
    const auto line = [&](const QStringList &cells) -> QString {
        QString out;
        for (qsizetype i = 0; i < widths.size(); ++i) {
            const QString cell = i < cells.size() ? cells.at(i) : QString();
            if (i == 0)
                out += cell.leftJustified(widths[i]);
            else
                out += u"  "_s + cell.rightJustified(widths[i]);
        }
        out += u'\n';
        return out;
    };
    QString out = line(m_headers);
    QString rule;
    for (qsizetype i = 0; i < widths.size(); ++i)
        rule += (i == 0 ? QString() : u"  "_s) + QString(widths[i], u'-');
    out += rule + u'\n';
    for (const QStringList &row : m_rows)
        out += line(row);
    return out;
}

QString number(double value, int decimals)
{
    return QString::number(value, 'f', decimals);
}

QString loadAverage()
{
    QFile file(u"/proc/loadavg"_s);
    if (!file.open(QIODevice::ReadOnly))
        return u"unknown"_s;
    const QList<QByteArray> fields = file.readAll().split(' ');
    QStringList out;
    for (qsizetype i = 0; i < 3 && i < fields.size(); ++i)
        out << QString::fromLatin1(fields.at(i));
    return out.join(u' ');
}

void print(const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    std::fwrite(utf8.constData(), 1, size_t(utf8.size()), stdout);
    std::fflush(stdout);
}

} // namespace SlotScope::Bench
