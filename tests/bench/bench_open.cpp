// Opening a large capture (DESIGN.md §7: a 1 000 000-transaction capture
// opens with first rows on screen in < 1 s and is fully indexed at ≥ 0.5 ×
// the rate of `wc -l` on the same file; memory per row ≤ ~150 bytes).
//
// 1. Generates the capture the way the app does: the reference server's
//    synthetic generator (transactionsPerSlot per slot) streamed through
//    SessionEngine (RunToEnd) into NAME.ndjson + NAME.events.ndjson. An
//    existing capture is reused with --capture FILE --reuse.
// 2. Warms the page cache (reads the file once), then times `wc -l FILE` and
//    `cat FILE > /dev/null` (best of --repeat).
// 3. Opens it in a CaptureView (the widget File ▸ Open shows; offscreen unless
//    QT_QPA_PLATFORM says otherwise): time from the constructor to the first
//    rows in the table's model and painted, and to the end of indexing;
//    TransactionModel bytes per row, and the growth per row of the malloc
//    heap and of the process's resident anonymous memory (RssAnon; the
//    model's rows of a large document live in huge-page arrays outside malloc).

#include "benchcommon.h"

#include "captureview.h"
#include "engine/sessionengine.h"
#include "model/transactionfilterproxymodel.h"
#include "model/transactionmodel.h"
#include "refserver/refserverconfig.h"
#include "workbench/capturedocument.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QProcess>
#include <QTableView>
#include <QTimer>

#include <malloc.h>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace SlotScope;
using namespace SlotScope::Bench;

namespace {

struct Settings
{
    quint64 transactions = 1000000;
    int perSlot = 1000;
    QString capture;
    bool reuse = false;
    int repeat = 3;
    bool strict = false;
    int timeoutSecs = 1800;
};

size_t heapInUse()
{
    const struct mallinfo2 info = mallinfo2();
    return info.uordblks + info.hblkhd;
}

/// RssAnon of /proc/self/status, in bytes (0 when it cannot be read).
size_t residentAnonymousBytes()
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("RssAnon:"))
            return size_t(line.mid(8).trimmed().split(' ').value(0).toULongLong()) * 1024;
    }
    return 0;
}

/// Streams the synthetic run into `capture`; false (with a message) on failure.
bool generate(const Settings &s, QString &message)
{
    ServerThread server;
    RefServerConfig config;
    config.apiKey = u"bench-open"_s;
    config.transactionsPerSlot = s.perSlot;
    config.zstd = false;
    if (const Result<void> started = server.start(config); !started) {
        message = started.error().message;
        return false;
    }
    const quint64 slotCount = (s.transactions + quint64(s.perSlot) - 1) / quint64(s.perSlot);
    RunConfig run;
    run.target = RunConfig::Target::Url;
    run.url = server.controlUrl();
    run.apiKey = server.apiKey();
    run.startSlot = 1000;
    run.endSlot = 1000 + slotCount - 1;
    run.drive = RunConfig::Drive::RunToEnd;
    run.advanceCount = 50;
    run.capturePath = s.capture;
    run.zstd = false;

    QThread thread;
    auto *engine = new SessionEngine;
    engine->moveToThread(&thread);
    thread.start();
    QEventLoop loop;
    RunOutcome outcome;
    bool finished = false;
    quint64 received = 0;
    double lastPrint = wallSeconds();
    QObject::connect(engine, &SessionEngine::modelUpdated, &loop, [&](const ModelUpdate &update) {
        received += quint64(update.transactions.size());
        if (wallSeconds() - lastPrint > 5) {
            lastPrint = wallSeconds();
            print(u"  generating: %1 transactions\n"_s.arg(received));
        }
    });
    QObject::connect(engine, &SessionEngine::runFinished, &loop, [&](const RunOutcome &o) {
        outcome = o;
        finished = true;
    });
    QObject::connect(engine, &SessionEngine::sessionClosed, &loop, [&] {
        if (finished)
            loop.quit();
    });
    QTimer::singleShot(s.timeoutSecs * 1000, &loop, &QEventLoop::quit);
    const QString url = server.controlUrl();
    QMetaObject::invokeMethod(engine, [engine, run, url] { engine->start(run, url); });
    loop.exec();
    QMetaObject::invokeMethod(engine, [engine] { delete engine; }, Qt::BlockingQueuedConnection);
    thread.quit();
    thread.wait();
    server.stop();
    if (!finished || !outcome.succeeded()) {
        message = finished ? outcome.message : u"timed out"_s;
        return false;
    }
    print(u"  generated %1 transactions\n"_s.arg(outcome.transactions));
    return true;
}

/// Wall seconds of `program arguments`, stdout discarded; negative on failure.
double timeProcess(const QString &program, const QStringList &arguments)
{
    QProcess process;
    process.setStandardOutputFile(QProcess::nullDevice());
    QElapsedTimer timer;
    timer.start();
    process.start(program, arguments);
    if (!process.waitForFinished(-1) || process.exitCode() != 0)
        return -1;
    return double(timer.nsecsElapsed()) / 1e9;
}

void warmPageCache(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return;
    QByteArray buffer(8 << 20, Qt::Uninitialized);
    while (file.read(buffer.data(), buffer.size()) > 0) {
    }
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QLoggingCategory::setFilterRules(u"slotscope.*.info=false\nslotscope.*.debug=false"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(u"Open-a-large-capture benchmark (DESIGN.md §7)."_s);
    parser.addHelpOption();
    const QCommandLineOption transactions(u"transactions"_s, u"Transactions to generate (default 1000000)."_s, u"N"_s, u"1000000"_s);
    const QCommandLineOption perSlot(u"per-slot"_s, u"Transactions per slot (default 1000)."_s, u"K"_s, u"1000"_s);
    const QCommandLineOption capture(u"capture"_s, u"Capture file (default: a file in the temp dir, removed at the end)."_s, u"FILE"_s);
    const QCommandLineOption reuse(u"reuse"_s, u"Use --capture as it is when it exists."_s);
    const QCommandLineOption repeat(u"repeat"_s, u"Runs of wc -l / cat, best kept (default 3)."_s, u"N"_s, u"3"_s);
    const QCommandLineOption strict(u"strict"_s, u"Exit 2 when a target is missed."_s);
    parser.addOptions({transactions, perSlot, capture, reuse, repeat, strict});
    parser.process(app);

    Settings s;
    s.transactions = parser.value(transactions).toULongLong();
    s.perSlot = parser.value(perSlot).toInt();
    s.repeat = qMax(1, parser.value(repeat).toInt());
    s.strict = parser.isSet(strict);
    s.reuse = parser.isSet(reuse);
    const bool temporary = !parser.isSet(capture);
    s.capture = temporary ? QDir::temp().filePath(u"slotscope-bench-open.ndjson"_s) : parser.value(capture);

    print(u"bench_open: %1 transactions, %2 per slot; load average %3\n"_s.arg(s.transactions).arg(s.perSlot)
              .arg(loadAverage()));
    if (!(s.reuse && QFileInfo::exists(s.capture))) {
        QFile::remove(s.capture);
        QFile::remove(QFileInfo(s.capture).dir().filePath(QFileInfo(s.capture).completeBaseName() + u".events.ndjson"_s));
        QString message;
        if (!generate(s, message)) {
            print(u"generation failed: %1\n"_s.arg(message));
            return 1;
        }
    }
    const qint64 size = QFileInfo(s.capture).size();
    print(u"capture: %1 (%2 MB)\n"_s.arg(s.capture).arg(number(double(size) / 1e6, 1)));

    // wc -l and cat, page-cached.
    warmPageCache(s.capture);
    double wc = 1e9;
    double cat = 1e9;
    for (int i = 0; i < s.repeat; ++i) {
        wc = std::min(wc, timeProcess(u"wc"_s, {u"-l"_s, s.capture}));
        cat = std::min(cat, timeProcess(u"cat"_s, {s.capture}));
    }

    // Open it as File ▸ Open does.
    warmPageCache(s.capture);
    const size_t heapBefore = heapInUse();
    const size_t residentBefore = residentAnonymousBytes();
    QElapsedTimer timer;
    timer.start();
    auto *view = new CaptureView(s.capture);
    view->resize(1400, 900);
    view->show();
    double firstRows = -1;
    double painted = -1;
    QObject::connect(view->transactionView()->model(), &QAbstractItemModel::rowsInserted, view, [&] {
        if (firstRows >= 0)
            return;
        firstRows = double(timer.nsecsElapsed()) / 1e9;
        view->transactionView()->viewport()->repaint(); // on screen, not just in the model
        painted = double(timer.nsecsElapsed()) / 1e9;
    });
    QEventLoop loop;
    QObject::connect(view, &CaptureView::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(s.timeoutSecs * 1000, &loop, &QEventLoop::quit);
    if (view->document()->isIndexing())
        loop.exec();
    const double indexed = double(timer.nsecsElapsed()) / 1e9;
    CaptureDocument *doc = view->document();
    const qint64 rows = doc->transactions()->rowCount();
    malloc_trim(0);
    const size_t heapAfter = heapInUse();
    const size_t residentAfter = residentAnonymousBytes();

    const double wcRate = double(size) / wc / 1e6;
    const double catRate = double(size) / cat / 1e6;
    const double openRate = double(size) / indexed / 1e6;
    Table table({u"what"_s, u"seconds"_s, u"MB/s"_s, u"rows/s"_s});
    table.addRow({u"wc -l (best of %1)"_s.arg(s.repeat), number(wc, 3), number(wcRate, 0), number(double(rows) / wc, 0)});
    table.addRow({u"cat > /dev/null (best of %1)"_s.arg(s.repeat), number(cat, 3), number(catRate, 0), {}});
    table.addRow({u"open: first rows in the model"_s, number(firstRows, 3), {}, {}});
    table.addRow({u"open: first rows painted"_s, number(painted, 3), {}, {}});
    table.addRow({u"open: fully indexed (events too)"_s, number(indexed, 3), number(openRate, 0),
                  number(double(rows) / indexed, 0)});
    print(table.render());
    const double bytesPerRow = rows ? double(doc->transactions()->memoryBytes()) / double(rows) : 0;
    const double heapPerRow = rows ? double(qint64(heapAfter) - qint64(heapBefore)) / double(rows) : 0;
    const double residentPerRow = rows ? double(qint64(residentAfter) - qint64(residentBefore)) / double(rows) : 0;
    print(u"rows %1 (damaged lines %2); TransactionModel %3 bytes/row; growth per row (whole document: models, "
          "pools): malloc heap %4 bytes, resident anonymous memory %5 bytes\n"_s.arg(rows).arg(doc->result().damagedLines)
              .arg(number(bytesPerRow, 1), number(heapPerRow, 1), number(residentPerRow, 1)));

    const bool firstOk = painted >= 0 && painted < 1.0;
    const bool rateOk = openRate >= 0.5 * wcRate;
    const bool complete = quint64(rows) == s.transactions && doc->result().damagedLines == 0;
    print(u"first rows on screen < 1 s: %1 (%2 s)\nindexed ≥ 0.5 × wc -l: %3 (%4 ×)\nevery row read: %5\n"_s
              .arg(firstOk ? u"PASS"_s : u"MISS"_s, number(painted, 3), rateOk ? u"PASS"_s : u"MISS"_s,
                   number(openRate / wcRate, 2), complete ? u"yes"_s : u"NO"_s));
    delete view;
    if (temporary) {
        QFile::remove(s.capture);
        QFile::remove(QFileInfo(s.capture).dir().filePath(QFileInfo(s.capture).completeBaseName() + u".events.ndjson"_s));
    }
    if (!complete)
        return 1;
    if (s.strict && (!firstOk || !rateOk))
        return 2;
    return 0;
}
