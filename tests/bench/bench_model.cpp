// TransactionModel memory and append-time benchmark (DESIGN.md §7: ≤ 150
// bytes per transaction row in the live view, raw JSON on disk).
//
// Appends `--rows` records (default 500 000, the default window) in batches
// of `--batch` (default 1000, about one engine flush at 30 000 tx/s), built
// from the real fixture summaries with a unique signature and a unique fee
// payer per row, so no string is shared by accident. Reports bytes per row from
// TransactionModel::memoryBytes() and from the malloc heap (mallinfo2 delta
// with every batch freed), and the time per batch append: filling the window,
// then with the window full (each append evicts as many rows as it inserts).

#include "benchcommon.h"

#include "model/transactionmodel.h"
#include "model/transactionrecord.h"
#include "protocol/base58.h"
#include "protocol/transactionfiles.h"
#include "protocol/transactionsummary.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QRandomGenerator>

#include <algorithm>
#include <vector>

#include <malloc.h>

using namespace Qt::StringLiterals;
using namespace SlotScope;
using namespace SlotScope::Bench;

namespace {

size_t heapInUse()
{
    const struct mallinfo2 info = mallinfo2();
    return info.uordblks + info.hblkhd;
}

QString randomBase58(QRandomGenerator &random, int bytes)
{
    QByteArray raw(bytes, Qt::Uninitialized);
    random.fillRange(reinterpret_cast<quint32 *>(raw.data()), bytes / 4);
    return QString::fromLatin1(base58Encode(raw));
}

/// Durations of the batch appends in nanoseconds, wall clock and CPU time of
/// this thread (preemption by other processes shows in the first only).
struct Samples
{
    std::vector<qint64> nanos;

    double percentile(double p) const
    {
        if (nanos.empty())
            return 0;
        std::vector<qint64> sorted = nanos;
        std::sort(sorted.begin(), sorted.end());
        const size_t index = std::min(sorted.size() - 1, size_t(p * double(sorted.size() - 1) + 0.5));
        return double(sorted[index]);
    }
    double mean() const
    {
        if (nanos.empty())
            return 0;
        double sum = 0;
        for (qint64 n : nanos)
            sum += double(n);
        return sum / double(nanos.size());
    }
};

struct Timing
{
    Samples wall;
    Samples cpu;
};

/// Appends `batch` to `model` and records how long it took.
void timedAppend(TransactionModel &model, const QList<TransactionRecord> &batch, Timing &timing)
{
    static const clockid_t clock = currentThreadCpuClock();
    QElapsedTimer timer;
    const double cpuStart = cpuSeconds(clock);
    timer.start();
    model.appendRows(batch);
    timing.wall.nanos.push_back(timer.nsecsElapsed());
    timing.cpu.nanos.push_back(qint64((cpuSeconds(clock) - cpuStart) * 1e9));
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"bench_model"_s);
    QLoggingCategory::setFilterRules(u"slotscope.*.info=false\nslotscope.*.debug=false"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(u"TransactionModel memory per row and batch append time (DESIGN.md §7)."_s);
    parser.addHelpOption();
    const QCommandLineOption rowsOption(u"rows"_s, u"Rows to append (= the window size). Default 500000."_s,
                                        u"N"_s, u"500000"_s);
    const QCommandLineOption batchOption(u"batch"_s, u"Rows per appendRows() call. Default 1000."_s, u"N"_s,
                                         u"1000"_s);
    const QCommandLineOption evictOption(u"evict-batches"_s,
        u"Batches appended after the window is full (each one evicts). Default 100."_s, u"N"_s, u"100"_s);
    const QCommandLineOption strictOption(u"strict"_s, u"Exit 2 when the 150 bytes/row target is missed."_s);
    parser.addOptions({rowsOption, batchOption, evictOption, strictOption});
    parser.process(app);
    const int rows = std::max(1, parser.value(rowsOption).toInt());
    const int batchSize = std::max(1, parser.value(batchOption).toInt());
    const int evictBatches = std::max(0, parser.value(evictOption).toInt());

    // Real summaries: every fixture transaction once.
    const QString txDir = fixturesDir();
    const Result<QList<LoadedTransaction>> loaded = loadTransactionDirectory(txDir);
    if (!loaded) {
        print(u"bench_model: cannot load %1: %2\n"_s.arg(txDir, loaded.error().message));
        return 1;
    }
    TransactionSummarizer summarizer;
    QList<TransactionSummary> summaries;
    for (const LoadedTransaction &transaction : *loaded) {
        Result<TransactionSummary> summary = summarizer.summarize(transaction.json);
        if (!summary) {
            print(u"bench_model: %1: %2\n"_s.arg(transaction.sourceFile, summary.error().message));
            return 1;
        }
        summaries.append(std::move(*summary));
    }

    const QString sessionId = u"backtest_0199d2c4-5b7e-7a31-9c1e-2f4b8d6a1c00"_s;
    QRandomGenerator random(20240611);
    quint64 nextIndex = 0;
    const auto makeBatch = [&](int count) {
        QList<TransactionRecord> batch;
        batch.reserve(count);
        for (int i = 0; i < count; ++i, ++nextIndex) {
            const TransactionSummary &base = summaries.at(qsizetype(nextIndex % quint64(summaries.size())));
            TransactionRecord record = makeTransactionRecord(sessionId, base, qint64(nextIndex) * 9000);
            record.slot = 300000000 + nextIndex / 200;
            record.signature = randomBase58(random, 64);
            record.feePayer = randomBase58(random, 32);
            batch.append(std::move(record));
        }
        return batch;
    };

    print(u"SlotScope TransactionModel benchmark — %1\n"_s.arg(QDateTime::currentDateTimeUtc().toString(Qt::ISODate)));
    print(u"load average at start: %1\n"_s.arg(loadAverage()));
    print(u"%1 rows in batches of %2, built from %3 real fixture summaries, unique signature and fee payer per row\n\n"_s
              .arg(rows).arg(batchSize).arg(summaries.size()));

    // Warm the allocator and the string pools' code paths outside the measurement.
    {
        TransactionModel warm;
        warm.appendRows(makeBatch(batchSize));
    }

    const size_t heapBefore = heapInUse();
    auto *model = new TransactionModel;
    model->setWindowSize(rows);
    Timing fill;
    for (int appended = 0; appended < rows;) {
        const int count = std::min(batchSize, rows - appended);
        timedAppend(*model, makeBatch(count), fill);
        appended += count;
    }
    const size_t heapAfter = heapInUse();
    const size_t modelBytes = model->memoryBytes();

    Timing evicting;
    for (int i = 0; i < evictBatches; ++i)
        timedAppend(*model, makeBatch(batchSize), evicting);
    const bool windowKept = model->rowCount() == rows
                            && model->evictedCount() == qint64(evictBatches) * batchSize;
    const size_t heapFull = heapInUse();
    delete model;

    const double perRowModel = double(modelBytes) / double(rows);
    const double perRowHeap = double(heapAfter - heapBefore) / double(rows);
    print(u"memory: stored row %1 bytes (sizeof), memoryBytes() %2 bytes/row, malloc heap delta %3 bytes/row\n"_s
              .arg(TransactionModel::bytesPerRow())
              .arg(number(perRowModel, 1), number(perRowHeap, 1)));
    print(u"        (%1 MB for %2 rows; heap after %3 evicting batches: %4 bytes/row)\n\n"_s
              .arg(number(double(heapAfter - heapBefore) / 1e6, 1)).arg(rows).arg(evictBatches)
              .arg(number(double(heapFull - heapBefore) / double(rows), 1)));

    Table table({u"append of one batch"_s, u"batches"_s, u"clock"_s, u"mean µs"_s, u"median µs"_s, u"p99 µs"_s,
                 u"max µs"_s, u"mean µs per 1000 rows"_s});
    const auto addTiming = [&](const QString &label, const Timing &timing) {
        for (const auto &[clock, samples] : {std::pair{u"wall"_s, &timing.wall}, std::pair{u"CPU"_s, &timing.cpu}}) {
            table.addRow({clock == u"wall" ? label : QString(), QString::number(samples->nanos.size()), clock,
                          number(samples->mean() / 1e3), number(samples->percentile(0.5) / 1e3),
                          number(samples->percentile(0.99) / 1e3), number(samples->percentile(1.0) / 1e3),
                          number(samples->mean() / 1e3 * 1000.0 / double(batchSize))});
        }
    };
    addTiming(u"filling the window"_s, fill);
    if (evictBatches > 0)
        addTiming(u"window full (evicts)"_s, evicting);
    print(table.render());
    print(u"(wall includes preemption by other processes, in whole scheduler ticks; CPU does not)\n"_s);

    const bool pass = perRowModel <= 150.0 && perRowHeap <= 150.0;
    print(u"\ntarget ≤ 150 bytes per row: memoryBytes() %1, heap %2 → %3\n"_s
              .arg(number(perRowModel, 1), number(perRowHeap, 1), pass ? u"PASS"_s : u"MISS"_s));
    if (!windowKept) {
        print(u"FAILED: the model kept the wrong rows after eviction\n"_s);
        return 1;
    }
    return parser.isSet(strictOption) && !pass ? 2 : 0;
}
