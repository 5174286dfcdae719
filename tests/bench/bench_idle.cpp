// Idle batch benchmark (DESIGN.md §7: an idle batch of 256 sub-sessions, keepalives
// only, costs < 2 % of one core). slotscope-refserver runs in its own process;
// a parallel batch of N sub-sessions (default 256) is created, every
// sub-session subscribed and ready, and then nothing is stepped: the sockets
// only keep alive (a ping every 15 s each). Over --seconds the client
// process's CPU time (every thread: engine, capture, GUI) is measured, once
// headless (SessionEngine on its worker thread, as `slotscope --headless`
// runs) and once in the window (MainWindow offscreen with the Connections
// timeline, Reconnect coordinator and Charts docks shown).
//
//   bench_idle [--sub-sessions 256] [--seconds 60] [--mode both|headless|window] [--strict]

#include "benchcommon.h"

#include "batchmonitor.h"
#include "engine/modelupdate.h"
#include "engine/runconfig.h"
#include "engine/sessionengine.h"
#include "mainwindow.h"
#include "model/sessionmodel.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDockWidget>
#include <QEventLoop>
#include <QHash>
#include <QLoggingCategory>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <optional>

using namespace Qt::StringLiterals;
using namespace SlotScope;
using namespace SlotScope::Bench;

namespace {

struct Settings
{
    int subSessions = 256;
    int seconds = 60;
    int settleSeconds = 3;
    int timeoutSecs = 300;
};

struct Measured
{
    QString name;
    bool ok = false;
    QString note;
    double setupSeconds = 0;   ///< start → every sub-session ready
    double seconds = 0;        ///< the idle interval measured
    double cpu = 0;            ///< client process CPU seconds over it
    double serverCpu = -1;
    QString paints;            ///< window: paint events over the idle interval, per widget
    double percentOfCore() const { return seconds > 0 ? cpu / seconds * 100.0 : 0.0; }
};

RunConfig batchConfig(const ExternalServer &server, const Settings &settings, const QString &capture)
{
    RunConfig config;
    config.target = RunConfig::Target::Url;
    config.url = server.controlUrl();
    config.apiKey = server.apiKey();
    config.parallel = true;
    config.startSlot = 1000;
    config.endSlot = 1000 + quint64(settings.subSessions) * 100 - 1;
    config.drive = RunConfig::Drive::Manual;
    config.advanceCount = 10;
    config.capturePath = capture;
    return config;
}

/// Waits (processing events) until `ready()` or the timeout; false on timeout.
bool waitFor(const std::function<bool()> &ready, int timeoutSecs)
{
    const double deadline = wallSeconds() + timeoutSecs;
    while (!ready()) {
        if (wallSeconds() > deadline)
            return false;
        QEventLoop loop;
        QTimer::singleShot(50, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return true;
}

/// Lets the event loop run for `seconds` and returns the process CPU used.
double idleFor(double seconds)
{
    const double cpuStart = processCpuSeconds();
    QEventLoop loop;
    QTimer::singleShot(int(seconds * 1000), &loop, &QEventLoop::quit);
    loop.exec();
    return processCpuSeconds() - cpuStart;
}

/// Counts paint events per widget (class and object name) while it lives:
/// what an idle window still repaints.
class PaintCounter : public QObject
{
public:
    PaintCounter() { qApp->installEventFilter(this); }
    ~PaintCounter() override { qApp->removeEventFilter(this); }
    /// "name ×count" for the widgets painted most often, most first.
    QString summary(int top = 8) const
    {
        QList<std::pair<QString, int>> counts;
        for (auto it = m_counts.cbegin(); it != m_counts.cend(); ++it)
            counts.append({it.key(), it.value()});
        std::sort(counts.begin(), counts.end(), [](const auto &a, const auto &b) { return a.second > b.second; });
        QStringList parts;
        for (const auto &[name, count] : counts.first(qMin(top, int(counts.size()))))
            parts << u"%1 ×%2"_s.arg(name).arg(count);
        return parts.join(u", "_s);
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint) {
            QString name = QString::fromLatin1(watched->metaObject()->className());
            if (!watched->objectName().isEmpty())
                name += u'#' + watched->objectName();
            if (watched->parent() && watched->parent()->isWidgetType())
                name += u" in "_s + QString::fromLatin1(watched->parent()->metaObject()->className());
            ++m_counts[name];
        }
        return false;
    }

private:
    QHash<QString, int> m_counts;
};

/// Lets the batch settle, then measures the client process's CPU (and the
/// server's) over the idle interval; ok unless the run `finished` meanwhile.
void measureIdle(const ExternalServer &server, const Settings &settings, const bool &finished, Measured &measured)
{
    idleFor(settings.settleSeconds);
    const double serverStart = server.cpuSeconds();
    const double wallStart = wallSeconds();
    measured.cpu = idleFor(settings.seconds);
    measured.seconds = wallSeconds() - wallStart;
    measured.serverCpu = server.cpuSeconds() - serverStart;
    measured.ok = !finished;
}

Measured runHeadless(const ExternalServer &server, const Settings &settings)
{
    Measured measured;
    measured.name = u"headless (SessionEngine)"_s;
    QTemporaryDir dir;
    QThread thread;
    thread.setObjectName(u"engine"_s);
    auto *engine = new SessionEngine;
    engine->moveToThread(&thread);
    thread.start();

    QHash<QString, SessionState> states;
    bool finished = false;
    QString failure;
    QObject context;
    QObject::connect(engine, &SessionEngine::modelUpdated, &context, [&](const ModelUpdate &update) {
        for (const SessionUpdate &session : update.sessions) {
            if (!session.sessionId.isEmpty() && session.state)
                states.insert(session.sessionId, *session.state);
        }
    });
    QObject::connect(engine, &SessionEngine::runFinished, &context, [&](const RunOutcome &outcome) {
        finished = true;
        failure = outcome.message;
    });
    const RunConfig config = batchConfig(server, settings, dir.filePath(u"idle.ndjson"_s));
    const QString url = server.controlUrl();
    const double start = wallSeconds();
    QMetaObject::invokeMethod(engine, [engine, config, url] { engine->start(config, url); });
    const bool ready = waitFor([&] {
        if (finished)
            return true;
        if (states.size() < settings.subSessions)
            return false;
        return std::all_of(states.cbegin(), states.cend(), [](SessionState s) { return s == SessionState::Ready; });
    }, settings.timeoutSecs);
    measured.setupSeconds = wallSeconds() - start;
    if (!ready || finished) {
        measured.note = finished ? u"the run ended: "_s + failure
                                 : u"%1 of %2 sub-sessions ready after %3 s"_s.arg(states.size())
                                       .arg(settings.subSessions).arg(settings.timeoutSecs);
    } else {
        measureIdle(server, settings, finished, measured);
        if (finished)
            measured.note = u"the run ended while idle: "_s + failure;
    }
    QObject::connect(&thread, &QThread::finished, engine, &QObject::deleteLater);
    QObject::connect(engine, &SessionEngine::shutdownFinished, &thread, &QThread::quit, Qt::DirectConnection);
    QMetaObject::invokeMethod(engine, [engine] { engine->shutdown(); });
    thread.wait();
    return measured;
}

Measured runWindow(const ExternalServer &server, const Settings &settings)
{
    Measured measured;
    measured.name = u"window (timeline, coordinator, charts shown)"_s;
    QTemporaryDir dir;
    auto window = std::make_unique<MainWindow>();
    window->resize(1600, 1000);
    window->show();
    // The batch docks visible: the timeline and charts raised in their tab group.
    window->batchMonitor()->timelineDock()->show();
    window->batchMonitor()->timelineDock()->raise();
    window->batchMonitor()->coordinatorDock()->show();
    window->batchMonitor()->chartsDock()->setFloating(true);
    window->batchMonitor()->chartsDock()->resize(1200, 300);
    window->batchMonitor()->chartsDock()->show();

    bool finished = false;
    QString failure;
    QObject::connect(window.get(), &MainWindow::runFinished, window.get(), [&](const RunOutcome &outcome) {
        finished = true;
        failure = outcome.message;
    });
    const RunConfig config = batchConfig(server, settings, dir.filePath(u"idle-window.ndjson"_s));
    const double start = wallSeconds();
    window->startRun(config);
    const SessionModel *sessions = window->sessionModel();
    const bool ready = waitFor([&] {
        if (finished)
            return true;
        if (sessions->rowCount() == 0)
            return false;
        const QModelIndex run = sessions->index(sessions->rowCount() - 1, 0);
        if (sessions->rowCount(run) < settings.subSessions)
            return false;
        for (int row = 0; row < sessions->rowCount(run); ++row) {
            if (SessionState(sessions->index(row, 0, run).data(SessionModel::StateRole).toInt()) != SessionState::Ready)
                return false;
        }
        return true;
    }, settings.timeoutSecs);
    measured.setupSeconds = wallSeconds() - start;
    if (!ready || finished) {
        measured.note = finished ? u"the run ended: "_s + failure : u"not every sub-session became ready"_s;
    } else {
        std::optional<PaintCounter> paints;
        QTimer::singleShot(int(settings.settleSeconds * 1000), [&paints] { paints.emplace(); });
        measureIdle(server, settings, finished, measured);
        if (paints)
            measured.paints = paints->summary();
    }
    window->close();
    window.reset(); // stops the run, closes every socket gracefully
    return measured;
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    isolateSettings();
    QCoreApplication::setApplicationName(u"bench_idle"_s);
    QLoggingCategory::setFilterRules(u"slotscope.*.info=false\nslotscope.*.debug=false"_s);
    qRegisterMetaType<SlotScope::ModelUpdate>();
    qRegisterMetaType<SlotScope::RunOutcome>();

    QCommandLineParser parser;
    parser.setApplicationDescription(u"Idle batch benchmark (DESIGN.md §7): CPU of a batch that only keeps alive."_s);
    parser.addHelpOption();
    const QCommandLineOption subSessionsOption(u"sub-sessions"_s, u"Sub-sessions in the batch. Default 256."_s,
                                               u"N"_s, u"256"_s);
    const QCommandLineOption secondsOption(u"seconds"_s, u"Idle seconds measured. Default 60."_s, u"S"_s, u"60"_s);
    const QCommandLineOption modeOption(u"mode"_s, u"both, headless or window. Default both."_s, u"mode"_s,
                                        u"both"_s);
    const QCommandLineOption serverOption(u"server"_s, u"The slotscope-refserver binary."_s, u"path"_s,
                                          ExternalServer::defaultProgram());
    const QCommandLineOption strictOption(u"strict"_s, u"Exit 2 when the target (< 2 % of one core) is missed."_s);
    parser.addOptions({subSessionsOption, secondsOption, modeOption, serverOption, strictOption});
    parser.process(app);
    Settings settings;
    settings.subSessions = qMax(1, parser.value(subSessionsOption).toInt());
    settings.seconds = qMax(1, parser.value(secondsOption).toInt());
    const QString mode = parser.value(modeOption);

    ExternalServer server;
    const Result<void> started = server.start(
        parser.value(serverOption),
        {u"--port"_s, u"0"_s, u"--tx-dir"_s, fixturesDir(), u"--bundle-size"_s, u"100"_s, u"--tx-per-slot"_s, u"2"_s});
    if (!started) {
        print(u"bench_idle: %1\n"_s.arg(started.error().message));
        return 1;
    }
    print(u"SlotScope idle batch benchmark — %1 sub-sessions, %2 s idle, server pid %3 (its own process)\n"_s
              .arg(settings.subSessions).arg(settings.seconds).arg(server.pid()));
    print(u"load average at start: %1\n"_s.arg(loadAverage()));

    QList<Measured> results;
    if (mode == u"both" || mode == u"headless")
        results << runHeadless(server, settings);
    if (mode == u"both" || mode == u"window")
        results << runWindow(server, settings);
    print(u"load average at end: %1\n\n"_s.arg(loadAverage()));

    Table table({u"client"_s, u"setup s"_s, u"idle s"_s, u"client CPU s"_s, u"% of one core"_s,
                 u"server CPU s"_s, u"status"_s});
    bool failed = false;
    bool missed = false;
    for (const Measured &m : std::as_const(results)) {
        failed |= !m.ok;
        missed |= m.ok && m.percentOfCore() >= 2.0;
        table.addRow({m.name, number(m.setupSeconds), number(m.seconds), number(m.cpu, 3),
                      m.ok ? number(m.percentOfCore(), 2) : u"-"_s, m.serverCpu >= 0 ? number(m.serverCpu, 3) : u"-"_s,
                      m.ok ? (m.percentOfCore() < 2.0 ? u"PASS (< 2 %)"_s : u"MISS (≥ 2 %)"_s) : u"FAILED: "_s + m.note});
    }
    print(table.render());
    for (const Measured &m : std::as_const(results)) {
        if (!m.paints.isEmpty())
            print(u"\n%1, paint events while idle: %2\n"_s.arg(m.name, m.paints));
    }
    server.stop();
    if (failed)
        return 1;
    return parser.isSet(strictOption) && missed ? 2 : 0;
}
