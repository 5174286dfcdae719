// Window responsiveness while a large parallel batch streams (DESIGN.md §7:
// event-loop stall p99 < 16 ms while a 256-sub-session batch streams
// ≥ 20 000 tx/s for ≥ 60 s). slotscope-refserver runs in its own process,
// pacing every sub-session (a slot of K transactions every period)
// so the batch streams at the asked rate for the asked time; the real
// MainWindow (offscreen unless QT_QPA_PLATFORM says otherwise) runs the batch
// to its end with the Connections timeline, the Reconnect coordinator and the
// Charts shown (or, with --hidden, all three closed), and the live table
// keeps every row (window ≥ the batch). A 5 ms Qt::PreciseTimer on the GUI
// thread records how late each tick fires; p50 / p99 / max of that lateness
// over the streaming interval is the event-loop stall.
//
// With --faults the server drops subscriptions (every reconnect gated by the
// coordinator, so sockets park behind the single handshake slot); with
// --screenshot the window is grabbed mid-storm (a holder and a parked queue,
// or the first long parked queue when the panel never showed a holder).
//
//   bench_window [--sub-sessions 256] [--seconds 60] [--rate 20000] [--hidden]
//                [--faults [--drop-every N] [--ungated]] [--fixtures] [--screenshot FILE] [--strict]
//
// By default the server streams its synthetic mainnet-like transactions
// (system and token transfers, Jupiter swaps): the real fixtures make an
// 18 KB capture line each, 23 GB for the default run at 360 MB/s — more than
// this VM writes new file data at, so the disk, not the window, would set the
// rate (--fixtures streams them anyway).

#include "benchcommon.h"

#include "batchmonitor.h"
#include "coordinatorpanel.h"
#include "localization.h"
#include "mainwindow.h"
#include "model/sessionmodel.h"
#include "model/transactionmodel.h"
#include "net/connectionpolicy.h"

#include <QAbstractItemModel>
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QImage>
#include <QLoggingCategory>
#include <QTemporaryDir>
#include <QTimer>
#include <QTreeView>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;
using namespace SlotScope;
using namespace SlotScope::Bench;
using namespace std::chrono;

namespace {

double percentile(const QList<qint64> &sorted, double p)
{
    if (sorted.isEmpty())
        return 0.0;
    return double(sorted.at(qMin(sorted.size() - 1, qsizetype(p * double(sorted.size()))))) / 1000.0;
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"bench_window"_s);
    installTranslations(QString()); // as the app does: its screenshots read as the window does
    QLoggingCategory::setFilterRules(u"slotscope.*.info=false\nslotscope.*.debug=false"_s);
    isolateSettings();

    QCommandLineParser parser;
    parser.setApplicationDescription(u"Window responsiveness while a large parallel batch streams (DESIGN.md §7)."_s);
    parser.addHelpOption();
    const QCommandLineOption subSessionsOption(u"sub-sessions"_s, u"Sub-sessions in the batch. Default 256."_s,
                                               u"N"_s, u"256"_s);
    const QCommandLineOption secondsOption(u"seconds"_s, u"Seconds the batch streams. Default 60."_s, u"S"_s,
                                           u"60"_s);
    const QCommandLineOption rateOption(u"rate"_s, u"Transactions per second of the whole batch. Default 20000."_s,
                                        u"R"_s, u"20000"_s);
    const QCommandLineOption txPerSlotOption(u"tx-per-slot"_s, u"Transactions per slot. Default 8."_s, u"K"_s,
                                             u"8"_s);
    const QCommandLineOption hiddenOption(u"hidden"_s, u"Close the timeline, coordinator and charts docks."_s);
    const QCommandLineOption faultsOption(u"faults"_s,
        u"Drop subscriptions (a reconnect storm; every reconnect parks behind the handshake slot)."_s);
    const QCommandLineOption ungatedOption(u"ungated"_s,
        u"With --faults: reconnect with the default policy (its ungated attempts go at once, Down and Up "
        "again) instead of parking every reconnect; --screenshot then grabs half-way."_s);
    const QCommandLineOption noZstdOption(u"no-zstd"_s, u"Text frames instead of the default zstd stream."_s);
    const QCommandLineOption fixturesOption(u"fixtures"_s,
        u"Stream the real fixture transactions (13.5 KB each, an 18 KB capture line: 23 GB for the default "
        "run) instead of the server's synthetic mainnet-like ones."_s);
    const QCommandLineOption dropEveryOption(u"drop-every"_s,
        u"With --faults: drop each subscription after every N notifications. Default 1500."_s, u"N"_s, u"1500"_s);
    const QCommandLineOption screenshotOption(u"screenshot"_s,
        u"Grab the window to this PNG mid-run (with --faults: mid-storm, a holder and a parked queue; when the "
        "panel never showed a holder, the first look at a parked queue). Exits 4 when there was no such moment "
        "or the file cannot be written."_s,
        u"FILE"_s);
    const QCommandLineOption dirOption(u"dir"_s, u"Directory for the capture (~18 KB per transaction)."_s,
                                       u"dir"_s, QDir::tempPath());
    const QCommandLineOption serverOption(u"server"_s, u"The slotscope-refserver binary."_s, u"path"_s,
                                          ExternalServer::defaultProgram());
    const QCommandLineOption strictOption(u"strict"_s, u"Exit 2 when a target is missed."_s);
    parser.addOptions({subSessionsOption, secondsOption, rateOption, txPerSlotOption, hiddenOption, faultsOption,
                       ungatedOption, noZstdOption, fixturesOption, dropEveryOption, screenshotOption, dirOption, serverOption, strictOption});
    parser.process(app);
    const int subSessions = qMax(1, parser.value(subSessionsOption).toInt());
    const int seconds = qMax(1, parser.value(secondsOption).toInt());
    const double rate = qMax(1.0, parser.value(rateOption).toDouble());
    const int txPerSlot = qMax(1, parser.value(txPerSlotOption).toInt());
    const bool hidden = parser.isSet(hiddenOption);
    const bool faults = parser.isSet(faultsOption);
    const bool storm = faults && !parser.isSet(ungatedOption); // reconnects park
    const QString screenshot = parser.value(screenshotOption);

    // Pacing: every sub-session starts a slot of K transactions every
    // `--slot-delay-ms` (a period, not a pause: RefServerConfig::slotDelayMs);
    // 1 % headroom for the batch's first and last seconds.
    const int slotDelayMs = qMax(1, int(std::floor(1000.0 * subSessions * txPerSlot / (rate * 1.01))));
    const quint64 slotsPerSub = quint64(std::ceil(double(seconds) * 1000.0 / slotDelayMs)) + 2;
    const quint64 expected = quint64(subSessions) * slotsPerSub * quint64(txPerSlot);
    QStringList serverArgs{u"--port"_s, u"0"_s, u"--bundle-size"_s,
                           QString::number(slotsPerSub), u"--tx-per-slot"_s, QString::number(txPerSlot),
                           u"--slot-delay-ms"_s, QString::number(slotDelayMs)};
    if (parser.isSet(fixturesOption))
        serverArgs << u"--tx-dir"_s << fixturesDir();
    if (faults) {
        // Each subscription drops after every N-th notification (1500: once
        // per ~20 s of its stream), at most two per sub-session in all.
        serverArgs << u"--drop-subscription-every"_s << parser.value(dropEveryOption) << u"--max-subscription-drops"_s
                   << QString::number(subSessions * 2);
    }
    if (parser.isSet(noZstdOption))
        serverArgs << u"--no-zstd"_s;
    ExternalServer server;
    if (const Result<void> started = server.start(parser.value(serverOption), serverArgs); !started) {
        print(u"bench_window: %1\n"_s.arg(started.error().message));
        return 1;
    }

    QTemporaryDir dir(parser.value(dirOption) + u"/slotscope-bench-window-XXXXXX"_s);
    MainWindow window;
    window.resize(1600, 1000);
    window.show();
    window.transactionModel()->setWindowSize(int(qMin<quint64>(quint64(INT_MAX), qMax<quint64>(1'000'000, expected + 1000))));
    BatchMonitor *monitor = window.batchMonitor();
    if (hidden) {
        for (QDockWidget *dock : {monitor->timelineDock(), monitor->coordinatorDock(), monitor->chartsDock()})
            dock->close();
    } else {
        // All three visible at once: the timeline and the charts side by side
        // below the rest (out of their tab group), the coordinator on the right.
        QDockWidget *timeline = monitor->timelineDock();
        QDockWidget *charts = monitor->chartsDock();
        window.removeDockWidget(timeline);
        window.removeDockWidget(charts);
        window.addDockWidget(Qt::BottomDockWidgetArea, timeline, Qt::Vertical);
        window.splitDockWidget(timeline, charts, Qt::Horizontal);
        // Other docks go behind ours as tabs (the protocol console behind the
        // timeline, the discovery batches behind the coordinator).
        QDockWidget *coordinator = monitor->coordinatorDock();
        for (QDockWidget *other : window.findChildren<QDockWidget *>()) {
            if (other == timeline || other == charts || other == coordinator || other->isHidden())
                continue;
            if (window.dockWidgetArea(other) == Qt::BottomDockWidgetArea)
                window.tabifyDockWidget(timeline, other);
            else if (window.dockWidgetArea(other) == window.dockWidgetArea(coordinator))
                window.tabifyDockWidget(coordinator, other);
        }
        for (QDockWidget *dock : {timeline, coordinator, charts}) {
            dock->show();
            dock->raise();
        }
        window.resizeDocks({timeline}, {380}, Qt::Vertical);
        window.resizeDocks({timeline, charts}, {820, 780}, Qt::Horizontal);
        window.resizeDocks({monitor->coordinatorDock()}, {520}, Qt::Vertical);
    }
    ConnectionPolicy policy;
    if (storm) {
        policy.initialBackoff = milliseconds{50};
        policy.maxBackoff = milliseconds{400};
        policy.ungatedAttempts = 0; // every reconnect parks behind the single handshake slot
        policy.maxAttempts = 40;
        policy.maxTotal = milliseconds{600'000};
    }
    window.setConnectionPolicy(policy);
    // The batch spans ~160 000 slots: no "Large slot range" question (it
    // would wait for a click the benchmark never gives).
    window.setLargeRangeSlots(std::numeric_limits<quint64>::max());

    RunConfig config;
    config.target = RunConfig::Target::Url;
    config.url = server.controlUrl();
    config.apiKey = server.apiKey();
    config.parallel = true;
    // The server splits a batch at multiples of its bundle size: start on one,
    // so the batch has exactly N sub-sessions.
    config.startSlot = (1000 / slotsPerSub + 1) * slotsPerSub;
    config.endSlot = config.startSlot + quint64(subSessions) * slotsPerSub - 1;
    config.advanceCount = slotsPerSub;
    config.drive = RunConfig::Drive::RunToEnd;
    config.capturePath = QDir(dir.path()).filePath(u"batch.ndjson"_s);

    print(u"SlotScope window benchmark — %1\n"_s.arg(QDateTime::currentDateTimeUtc().toString(Qt::ISODate)));
    print(u"batch: %1 sub-sessions × %2 slots × %3 tx = %4 transactions; server paced at %5 ms per slot "
          "(≈ %6 tx/s), pid %7, %8; docks %9\n"_s
              .arg(subSessions).arg(slotsPerSub).arg(txPerSlot).arg(expected).arg(slotDelayMs)
              .arg(qRound(1000.0 * subSessions * txPerSlot / slotDelayMs)).arg(server.pid())
              .arg((parser.isSet(noZstdOption) ? u"Text frames"_s : u"zstd stream"_s)
                   + (parser.isSet(fixturesOption) ? u" of the fixtures"_s : u" of synthetic transactions"_s))
              .arg(hidden ? u"hidden"_s : u"timeline, coordinator, charts visible"_s));
    print(u"load average at start: %1\n"_s.arg(loadAverage()));

    // Event-loop lateness, sampled every 5 ms on the GUI thread, kept while
    // transactions stream (first to last new row).
    QList<qint64> lateUs;
    QElapsedTimer sinceTick;
    QTimer tick;
    tick.setTimerType(Qt::PreciseTimer);
    tick.setInterval(5);
    bool streaming = false;
    QObject::connect(&tick, &QTimer::timeout, &app, [&] {
        const qint64 late = qMax<qint64>(0, sinceTick.nsecsElapsed() / 1000 - 5000);
        sinceTick.restart();
        if (streaming)
            lateUs.append(late);
    });
    // Rows per second, every second: (the second's end, rows in it).
    QList<std::pair<double, double>> perSecond;
    qint64 lastRows = 0;
    double firstRowAt = 0;
    double lastRowAt = 0;
    qint64 rowsAtFirst = 0;
    QTimer rowsTimer;
    rowsTimer.setInterval(1000);
    QObject::connect(&rowsTimer, &QTimer::timeout, &app, [&] {
        const qint64 rows = window.transactionModel()->rowCount() + window.transactionModel()->evictedCount();
        if (streaming)
            perSecond.append({wallSeconds(), double(rows - lastRows)});
        lastRows = rows;
    });
    QObject::connect(window.transactionModel(), &QAbstractItemModel::rowsInserted, &app, [&] {
        const double now = wallSeconds();
        if (!streaming) {
            streaming = true;
            firstRowAt = now;
            rowsAtFirst = window.transactionModel()->rowCount();
        }
        lastRowAt = now;
    });

    // The handshake slot is held only across one connect + subscribe (a few
    // ms on this machine) and the panel shows a snapshot every 250 ms, so a
    // storm may never be shown with a holder: the first look at a long parked
    // queue is kept and saved at the end if no holder came.
    bool shot = screenshot.isEmpty();
    QImage parkedOnly;
    int parkedOnlyCount = 0;
    bool shotFailed = false;
    auto saveScreenshot = [&](const QImage &image, int parked, const QString &note) {
        shot = true; // one attempt: a path that cannot be written fails the run below
        if (image.save(screenshot)) {
            print(u"screenshot: %1 (%2 parked%3)\n"_s.arg(screenshot).arg(parked).arg(note));
        } else {
            shotFailed = true;
            print(u"screenshot: cannot write %1\n"_s.arg(screenshot));
        }
    };
    if (!shot) {
        auto *poll = new QTimer(&app);
        QObject::connect(poll, &QTimer::timeout, &app, [&, poll] {
            if (shot) {
                poll->stop();
                return;
            }
            CoordinatorPanel *panel = monitor->coordinatorPanel();
            const int parked = panel->queueView()->model()->rowCount();
            const bool longQueue = storm && parked >= qMax(8, subSessions / 8);
            const bool midRun = !storm && streaming && wallSeconds() - firstRowAt > seconds / 2.0;
            if ((longQueue && panel->headline().contains(u"held by"_s)) || midRun) {
                saveScreenshot(window.grab().toImage(), parked, QString());
            } else if (longQueue && parkedOnly.isNull()) {
                parkedOnly = window.grab().toImage();
                parkedOnlyCount = parked;
            }
        });
        poll->start(100);
    }

    const double cpuStart = processCpuSeconds();
    double serverCpuStart = server.cpuSeconds();
    double wallStart = 0;
    int exitCode = 0;
    QObject::connect(&window, &MainWindow::runFinished, &app, [&](const RunOutcome &outcome) {
        tick.stop();
        rowsTimer.stop();
        streaming = false;
        const double wall = wallSeconds() - wallStart;
        const double cpu = processCpuSeconds() - cpuStart;
        const double serverCpu = server.cpuSeconds() - serverCpuStart;
        const TransactionModel *model = window.transactionModel();
        const double interval = lastRowAt - firstRowAt;
        const qint64 rows = model->rowCount();
        const double sustained = interval > 0 ? double(rows - rowsAtFirst) / interval : 0.0;
        std::sort(lateUs.begin(), lateUs.end());
        // Only the seconds wholly between the first row and the last: the
        // first is partial, and after the last row the batch still closes its
        // 256 sessions for a second or two with no rows (which once read as a
        // per-second minimum of 0).
        QList<double> sortedRates;
        for (const auto &[end, count] : perSecond) {
            if (end - 1.0 >= firstRowAt && end <= lastRowAt)
                sortedRates.append(count);
        }
        std::sort(sortedRates.begin(), sortedRates.end());
        const double minRate = sortedRates.isEmpty() ? 0 : sortedRates.first();
        const double medianRate = sortedRates.isEmpty() ? 0 : sortedRates.at(sortedRates.size() / 2);
        const double bytesPerRow = rows > 0 ? double(model->memoryBytes()) / double(rows) : 0.0;
        const double p99 = percentile(lateUs, 0.99);
        print(u"load average at end: %1\n\n"_s.arg(loadAverage()));
        Table table({u"figure"_s, u"value"_s});
        table.addRow({u"outcome"_s, outcome.succeeded() ? u"completed"_s : u"FAILED: "_s + outcome.message});
        table.addRow({u"transactions captured"_s, QString::number(outcome.transactions)});
        if (outcome.replayGaps > 0) {
            // A reconnect parked past the server's replay window (--faults with a long wait).
            table.addRow({u"replay gaps (slots missed)"_s,
                          u"%1 (%2)"_s.arg(outcome.replayGaps).arg(outcome.missedSlots)});
        }
        table.addRow({u"rows in the live table"_s, u"%1 (%2 evicted)"_s.arg(rows).arg(model->evictedCount())});
        table.addRow({u"streaming interval s"_s, number(interval, 1)});
        table.addRow({u"rate tx/s: whole interval"_s, number(sustained, 0)});
        table.addRow({u"rate tx/s: per second, min / median"_s, u"%1 / %2"_s.arg(number(minRate, 0), number(medianRate, 0))});
        table.addRow({u"event-loop ticks (5 ms)"_s, QString::number(lateUs.size())});
        table.addRow({u"stall ms p50 / p99 / p99.9 / max"_s,
                      u"%1 / %2 / %3 / %4"_s.arg(number(percentile(lateUs, 0.5), 2), number(p99, 2),
                                                number(percentile(lateUs, 0.999), 2),
                                                number(lateUs.isEmpty() ? 0.0 : double(lateUs.last()) / 1000.0, 2))});
        table.addRow({u"live table bytes per row"_s, number(bytesPerRow, 1)});
        table.addRow({u"client process CPU (% of one core)"_s, number(wall > 0 ? cpu / wall * 100 : 0.0, 1)});
        table.addRow({u"server process CPU (% of one core)"_s, number(wall > 0 ? serverCpu / wall * 100 : 0.0, 1)});
        // What the run showed: each dock's size at the end (0 × 0 = closed).
        QStringList docks;
        bool docksShown = true;
        for (QDockWidget *dock : {monitor->timelineDock(), monitor->coordinatorDock(), monitor->chartsDock()}) {
            const bool shown = dock->isVisible() && dock->width() >= 200 && dock->height() >= 150;
            docksShown = docksShown && shown;
            docks.append(u"%1 %2×%3"_s.arg(dock->windowTitle())
                             .arg(dock->isVisible() ? dock->width() : 0)
                             .arg(dock->isVisible() ? dock->height() : 0));
        }
        table.addRow({u"docks (px)"_s, docks.join(u", "_s)});
        print(table.render());
        const bool rateOk = sustained >= 20000 && interval >= 60 && lateUs.size() >= 10000 && (hidden || docksShown);
        const bool stallOk = p99 < 16.0;
        const bool rowsOk = rows >= 1'000'000 && bytesPerRow <= 150;
        print(u"\ntarget stall p99 < 16 ms: %1 (%2 ms)\n"_s.arg(stallOk ? u"PASS"_s : u"MISS"_s, number(p99, 2)));
        print(u"conditions ≥ 20 000 tx/s for ≥ 60 s, ≥ 10 000 ticks%1: %2\n"_s
                  .arg(hidden ? QString() : u", docks shown"_s, rateOk ? u"met"_s : u"NOT met"_s));
        print(u"target ≥ 1 000 000 live rows at ≤ 150 bytes per row: %1\n"_s.arg(rowsOk ? u"PASS"_s : u"MISS"_s));
        exitCode = outcome.succeeded() && outcome.replayGaps == 0 ? 0 : 1;
        if (exitCode == 0 && parser.isSet(strictOption) && !(rateOk && stallOk && rowsOk))
            exitCode = 2;
        if (!shot && !parkedOnly.isNull())
            saveScreenshot(parkedOnly, parkedOnlyCount, u"; the panel never showed the handshake slot held"_s);
        if (shotFailed && exitCode == 0)
            exitCode = 4;
        if (!shot) {
            print(u"screenshot: NOT taken, %1\n"_s.arg(storm ? u"no parked queue of %1 or more was seen"_s.arg(qMax(8, subSessions / 8))
                                                             : u"the batch did not stream past its middle"_s));
            if (exitCode == 0)
                exitCode = 4;
        }
        QTimer::singleShot(200, &app, &QCoreApplication::quit);
    });

    QTimer::singleShot(0, &app, [&] {
        wallStart = wallSeconds();
        serverCpuStart = server.cpuSeconds();
        sinceTick.start();
        tick.start();
        rowsTimer.start();
        window.startRun(config);
    });
    QTimer::singleShot((seconds * 4 + 300) * 1000, &app, [&] {
        print(u"bench_window: timed out\n"_s);
        exitCode = 3;
        app.quit();
    });
    app.exec();
    server.stop();
    return exitCode;
}
