// Window responsiveness while a parallel batch runs (DESIGN.md §7: event-loop
// stall p99 < 16 ms while ingesting). Runs the real MainWindow (offscreen by
// default) on the embedded demo simulator: a parallel batch of N sub-sessions
// over the fixtures, every sub-session continued to the end, optionally with
// control drops and data-plane drops under a shared bandwidth cap. A 5 ms
// timer on the GUI thread measures how late each tick fires; the run's
// stalls are reported as p50 / p99 / max. With --screenshot the window is
// grabbed mid-run (Connections timeline raised) for the README / closing note.
//
//   bench_window [--sub-sessions 64] [--tx-per-slot 2] [--faults] [--screenshot out.png]

#include "mainwindow.h"
#include "model/sessionmodel.h"
#include "model/transactionmodel.h"
#include "net/connectionpolicy.h"

#include <QAction>
#include <QApplication>
#include <QCommandLineParser>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>

using namespace Qt::StringLiterals;
using namespace SlotScope;
using namespace std::chrono;

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCommandLineParser parser;
    const QCommandLineOption subSessionsOption(u"sub-sessions"_s, u"Sub-sessions in the batch."_s, u"N"_s, u"64"_s);
    const QCommandLineOption txPerSlotOption(u"tx-per-slot"_s, u"Transactions per slot (0 = the fixtures once)."_s, u"K"_s, u"2"_s);
    const QCommandLineOption faultsOption(u"faults"_s, u"Drop the control socket and data sockets under a bandwidth cap."_s);
    const QCommandLineOption screenshotOption(u"screenshot"_s, u"Grab the window mid-run to this PNG."_s, u"FILE"_s);
    parser.addOptions({subSessionsOption, txPerSlotOption, faultsOption, screenshotOption});
    parser.addHelpOption();
    parser.process(app);
    const int subSessions = parser.value(subSessionsOption).toInt();
    const int txPerSlot = parser.value(txPerSlotOption).toInt();
    const bool faults = parser.isSet(faultsOption);
    const QString screenshot = parser.value(screenshotOption);

    QTemporaryDir dir;
    MainWindow window;
    window.resize(1600, 1000);
    window.show();

    RefServerConfig server;
    server.bundleSize = 100;
    server.transactionsPerSlot = txPerSlot;
    if (faults) {
        server.controlFaults.abortEveryFrames = 400;
        server.controlFaults.maxAborts = 4;
        server.dataFaults.dropEveryNotifications = 150;
        server.dataFaults.maxDrops = 24;
        server.dataFaults.bandwidthBytesPerSecond = 40'000'000;
    }
    window.setDemoServerConfig(server);
    ConnectionPolicy policy;
    policy.initialBackoff = milliseconds{50};
    policy.maxBackoff = milliseconds{400};
    window.setConnectionPolicy(policy);

    RunConfig config = MainWindow::demoRunConfig();
    config.demoTxDir = QString::fromUtf8(SLOTSCOPE_FIXTURES_DIR);
    config.parallel = true;
    config.startSlot = 1000;
    config.endSlot = 1000 + quint64(subSessions) * 100 - 1;
    config.advanceCount = 25;
    config.discoverPrograms.clear();
    config.drive = RunConfig::Drive::RunToEnd;
    config.capturePath = dir.filePath(u"batch.ndjson"_s);

    // Event-loop lateness, sampled every 5 ms on the GUI thread.
    QList<qint64> lateUs;
    QElapsedTimer sinceTick;
    QTimer tick;
    tick.setTimerType(Qt::PreciseTimer);
    tick.setInterval(5);
    QObject::connect(&tick, &QTimer::timeout, &app, [&] {
        lateUs.append(qMax<qint64>(0, sinceTick.nsecsElapsed() / 1000 - 5000));
        sinceTick.restart();
    });

    QElapsedTimer wall;
    bool shot = screenshot.isEmpty();
    int exitCode = 0;
    QObject::connect(&window, &MainWindow::runFinished, &app, [&](const RunOutcome &outcome) {
        tick.stop();
        const double seconds = wall.nsecsElapsed() / 1e9;
        std::sort(lateUs.begin(), lateUs.end());
        auto pct = [&](double p) {
            return lateUs.isEmpty() ? 0.0 : lateUs.at(qMin(lateUs.size() - 1, qsizetype(p * lateUs.size()))) / 1000.0;
        };
        std::printf("sub-sessions            %d\n", subSessions);
        std::printf("outcome                 %s%s\n",
                    outcome.succeeded() ? "completed" : "FAILED: ", qPrintable(outcome.message));
        std::printf("transactions captured   %llu in %.2f s (%.0f tx/s)\n",
                    static_cast<unsigned long long>(outcome.transactions), seconds, outcome.transactions / seconds);
        std::printf("rows in the view        %d (%lld evicted)\n", window.transactionModel()->rowCount(),
                    static_cast<long long>(window.transactionModel()->evictedCount()));
        std::printf("event-loop stall (ms)   p50 %.2f  p99 %.2f  max %.2f  over %lld ticks (target p99 < 16)\n",
                    pct(0.50), pct(0.99), lateUs.isEmpty() ? 0.0 : lateUs.last() / 1000.0,
                    static_cast<long long>(lateUs.size()));
        exitCode = outcome.succeeded() ? 0 : 1;
        QTimer::singleShot(200, &app, &QCoreApplication::quit);
    });
    if (!shot) {
        auto *poll = new QTimer(&app);
        QObject::connect(poll, &QTimer::timeout, &app, [&] {
            const QModelIndex run = window.sessionModel()->index(0, SessionModel::ProgressColumn);
            if (!shot && run.data(SessionModel::ProgressRole).toDouble() > 0.45) {
                shot = true;
                if (auto *timeline = window.findChild<QWidget *>(u"timeline"_s)) {
                    if (auto *dock = qobject_cast<QDockWidget *>(timeline->parentWidget()))
                        dock->raise();
                }
                QTimer::singleShot(400, &app, [&] { window.grab().save(screenshot); });
            }
        });
        poll->start(100);
    }

    QTimer::singleShot(0, &app, [&] {
        wall.start();
        sinceTick.start();
        tick.start();
        window.startRun(config);
    });
    QTimer::singleShot(600'000, &app, [&] {
        std::fprintf(stderr, "bench_window: timed out\n");
        exitCode = 2;
        app.quit();
    });
    app.exec();
    return exitCode;
}
