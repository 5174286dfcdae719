// CSV export benchmark (DESIGN.md §7: CSV export of a capture ≥ 0.5 × `cat`
// of the same file to disk).
//
// Writes a large capture the way the engine does (CaptureWriter, real fixture
// transactions cycled with unique signatures by the reference server's own
// TransactionPlan, every line summarized), then times, alternately and
// `--repeat` times each, with a warm page cache for the input:
//   cat          `cat capture.ndjson > copy` (QProcess, stdout to the file)
//   cat + fsync  the same, then fsync(copy): the durability QSaveFile gives
//   csv export   CsvExporter::exportCsv(Transactions) → capture.csv
// and reports input MB/s and the ratio export / cat (medians).

#include "benchcommon.h"

#include "capture/capturewriter.h"
#include "capture/csvexporter.h"
#include "protocol/transactionsummary.h"
#include "refserver/transactionplan.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <algorithm>
#include <vector>

#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace SlotScope;
using namespace SlotScope::Bench;

namespace {

double median(std::vector<double> values)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

/// Seconds `cat source > target` takes (with fsync(target) when `fsync`), or
/// a negative value when cat failed.
double timeCat(const QString &cat, const QString &source, const QString &target, bool fsyncTarget)
{
    QFile::remove(target);
    ::sync();
    QElapsedTimer timer;
    timer.start();
    QProcess process;
    process.setStandardOutputFile(target, QIODevice::Truncate);
    process.start(cat, {source});
    if (!process.waitForFinished(-1) || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        return -1;
    if (fsyncTarget) {
        QFile file(target);
        if (!file.open(QIODevice::ReadWrite) || ::fsync(file.handle()) != 0)
            return -1;
    }
    return double(timer.nsecsElapsed()) * 1e-9;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"bench_export"_s);
    QLoggingCategory::setFilterRules(u"slotscope.*.info=false\nslotscope.*.debug=false"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(u"CSV export of a large capture vs cat of the same file (DESIGN.md §7)."_s);
    parser.addHelpOption();
    const QCommandLineOption transactionsOption(u"transactions"_s,
        u"Transactions in the capture. Default 30000 (about 560 MB)."_s, u"N"_s, u"30000"_s);
    const QCommandLineOption perSlotOption(u"per-slot"_s, u"Transactions per slot. Default 200."_s, u"K"_s,
                                           u"200"_s);
    const QCommandLineOption repeatOption(u"repeat"_s, u"Timed runs of each command (median kept). Default 3."_s,
                                          u"R"_s, u"3"_s);
    const QCommandLineOption dirOption(u"dir"_s, u"Directory for the capture and the outputs. Default: temp."_s,
                                       u"dir"_s, QDir::tempPath());
    const QCommandLineOption strictOption(u"strict"_s, u"Exit 2 when the 0.5 × cat target is missed."_s);
    parser.addOptions({transactionsOption, perSlotOption, repeatOption, dirOption, strictOption});
    parser.process(app);

    StreamSpec spec;
    spec.perSlot = std::max(1, parser.value(perSlotOption).toInt());
    const quint64 wanted = std::max<quint64>(1, parser.value(transactionsOption).toULongLong());
    spec.slotCount = (wanted + quint64(spec.perSlot) - 1) / quint64(spec.perSlot);
    const int repeat = std::max(1, parser.value(repeatOption).toInt());

    const QString cat = QStandardPaths::findExecutable(u"cat"_s);
    if (cat.isEmpty()) {
        print(u"bench_export: cat not found\n"_s);
        return 1;
    }
    QTemporaryDir dir(parser.value(dirOption) + u"/slotscope-bench-export-XXXXXX"_s);
    if (!dir.isValid()) {
        print(u"bench_export: cannot create a directory below %1\n"_s.arg(parser.value(dirOption)));
        return 1;
    }
    const QString capturePath = dir.filePath(u"capture.ndjson"_s);
    const QString copyPath = dir.filePath(u"copy.ndjson"_s);
    const QString csvPath = dir.filePath(u"capture.csv"_s);

    print(u"SlotScope CSV export benchmark — %1\n"_s.arg(QDateTime::currentDateTimeUtc().toString(Qt::ISODate)));

    print(u"load average at start: %1\n"_s.arg(loadAverage()));
    // 1. The capture, written like the engine writes it.
    const auto catalog = Internal::TransactionCatalog::load(fixturesDir());
    if (!catalog) {
        print(u"bench_export: %1\n"_s.arg(catalog.error().message));
        return 1;
    }
    const Internal::TransactionPlan plan(*catalog, spec.startSlot, spec.endSlot(), spec.perSlot);
    const QString sessionId = u"backtest_0199d2c4-5b7e-7a31-9c1e-2f4b8d6a1c00"_s;
    {
        QElapsedTimer timer;
        timer.start();
        CaptureWriter writer;
        CaptureMetadata metadata;
        metadata.startSlot = spec.startSlot;
        metadata.endSlot = spec.endSlot();
        metadata.ranAtUnixSecs = QDateTime::currentSecsSinceEpoch();
        if (const Result<void> opened = writer.open(capturePath, metadata); !opened) {
            print(u"bench_export: %1\n"_s.arg(opened.error().message));
            return 1;
        }
        TransactionSummarizer summarizer;
        for (auto at = plan.nextTransaction({spec.startSlot, 0}); at;
             at = plan.nextTransaction({at->slot, at->batch + 1})) {
            const Internal::PlannedTransaction transaction = plan.transactionAt(*at);
            const Result<TransactionSummary> summary = summarizer.summarize(transaction.json);
            if (!summary) {
                print(u"bench_export: %1\n"_s.arg(summary.error().message));
                return 1;
            }
            writer.appendTransaction(sessionId, *summary, transaction.json);
        }
        if (const Result<void> finished = writer.finish({sessionId}); !finished) {
            print(u"bench_export: %1\n"_s.arg(finished.error().message));
            return 1;
        }
        print(u"capture: %1 transactions, %2 MB (written in %3 s)\n\n"_s.arg(spec.transactions())
                  .arg(number(double(QFileInfo(capturePath).size()) / 1e6), number(timer.elapsed() / 1000.0, 2)));
    }
    const double captureMB = double(QFileInfo(capturePath).size()) / 1e6;

    // 2. Warm the page cache for the input, then alternate the commands.
    if (timeCat(cat, capturePath, QStringLiteral("/dev/null"), false) < 0) {
        print(u"bench_export: cat failed\n"_s);
        return 1;
    }
    std::vector<double> catTimes, catSyncTimes, exportTimes;
    qint64 rows = 0;
    qint64 csvBytes = 0;
    for (int run = 0; run < repeat; ++run) {
        // Alternate the order: on a VM the second of two big writes can reuse
        // the pages the first one just freed, which makes it faster.
        const bool plainFirst = run % 2 == 0;
        const double first = timeCat(cat, capturePath, copyPath, !plainFirst);
        const double second = timeCat(cat, capturePath, copyPath, plainFirst);
        const double plain = plainFirst ? first : second;
        const double synced = plainFirst ? second : first;
        QFile::remove(copyPath);
        if (plain < 0 || synced < 0) {
            print(u"bench_export: cat failed\n"_s);
            return 1;
        }
        catTimes.push_back(plain);
        catSyncTimes.push_back(synced);

        QFile::remove(csvPath);
        ::sync();
        ExportRequest request;
        request.capturePath = capturePath;
        request.csvPath = csvPath;
        request.kind = ExportRequest::Kind::Transactions;
        QElapsedTimer timer;
        timer.start();
        const Result<ExportStats> stats = CsvExporter::exportCsv(request, {}, nullptr);
        exportTimes.push_back(double(timer.nsecsElapsed()) * 1e-9);
        if (!stats) {
            print(u"bench_export: export failed: %1\n"_s.arg(stats.error().message));
            return 1;
        }
        rows = stats->rowsWritten;
        csvBytes = QFileInfo(csvPath).size();
        if (quint64(rows) != spec.transactions()) {
            print(u"FAILED: the export wrote %1 rows, expected %2\n"_s.arg(rows).arg(spec.transactions()));
            return 1;
        }
    }

    const double catTime = median(catTimes);
    const double catSyncTime = median(catSyncTimes);
    const double exportTime = median(exportTimes);
    Table table({u"command (median of %1)"_s.arg(repeat), u"seconds"_s, u"input MB/s"_s, u"output MB"_s});
    table.addRow({u"cat > file"_s, number(catTime, 3), number(captureMB / catTime), number(captureMB)});
    table.addRow({u"cat > file + fsync"_s, number(catSyncTime, 3), number(captureMB / catSyncTime), number(captureMB)});
    table.addRow({u"CsvExporter (Transactions)"_s, number(exportTime, 3), number(captureMB / exportTime),
                  number(double(csvBytes) / 1e6)});
    print(table.render());

    const double ratio = catTime / exportTime;
    const double ratioSync = catSyncTime / exportTime;
    const bool pass = ratio >= 0.5;
    print(u"\n%1 rows exported. target export ≥ 0.5 × cat: %2 × cat → %3 (%4 × cat + fsync)\n"_s.arg(rows)
              .arg(number(ratio, 2), pass ? u"PASS"_s : u"MISS"_s, number(ratioSync, 2)));
    return parser.isSet(strictOption) && !pass ? 2 : 0;
}
