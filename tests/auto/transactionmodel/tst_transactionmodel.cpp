#include "protocol/base58.h"
#include "model/metatypes.h"
#include "model/transactionfilterproxymodel.h"
#include "model/transactionmodel.h"

#include "protocol/base58.h"
#include "protocol/transactionsummary.h"
#include "support/modelsignallog.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QIdentityProxyModel>
#include <QItemSelectionModel>
#include <QRegularExpression>
#include <QSet>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <QLocale>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

using namespace Qt::StringLiterals;
using namespace SlotScope;
using namespace SlotScope::Testing;

namespace {

// Records the structural signals of a model in order: "insert 0,99",
// "remove 0,49", "reset".
using StructureLog = ModelSignalLog;

QString encode(QByteArrayView bytes)
{
    return QString::fromLatin1(base58Encode(bytes));
}

// A valid base58 key of `size` bytes, unique per (seed, salt).
QString uniqueKey(quint64 seed, int size, quint8 salt)
{
    QByteArray bytes(size, '\0');
    for (int i = 0; i < size; ++i)
        bytes[i] = char((seed >> ((i % 8) * 8)) ^ quint64(i * 37 + salt));
    bytes[0] = char(0x80 | salt); // no leading zero byte
    // The fast encoder (checked in tst_base58 fastEncodeMatchesAnyLength):
    // the memory test builds 320 000 keys.
    return Internal::base58String(reinterpret_cast<const unsigned char *>(bytes.constData()), size);
}

TransactionRecord makeRecord(quint64 i)
{
    TransactionRecord r{.sessionId = u"session-%1"_s.arg(i % 3), .slot = 1000 + i / 10,
                        .signature = uniqueKey(i, 64, 1), .success = i % 7 != 0};
    if (!r.success)
        r.error = u"Error processing Instruction 0: custom program error: 0x1"_s;
    r.fee = 5000 + i;
    if (i % 5 != 0)
        r.computeUnitsConsumed = 100000 + i;
    r.blockTime = 1700000000 + qint64(i);
    r.feePayer = uniqueKey(i, 32, 2);
    r.programIds = {u"ComputeBudget111111111111111111111111111111"_s,
                    u"JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4"_s};
    r.feePayerSolChange = -qint64(r.fee);
    r.captureOffset = qint64(i) * 14000;
    return r;
}

QList<TransactionRecord> makeBatch(quint64 first, int count)
{
    QList<TransactionRecord> batch;
    batch.reserve(count);
    for (int i = 0; i < count; ++i)
        batch.append(makeRecord(first + quint64(i)));
    return batch;
}

// The fixtures' real transactions, summarized (getTransaction envelopes).
QList<TransactionRecord> fixtureRecords()
{
    QList<TransactionRecord> records;
    QDir dir(QStringLiteral(SLOTSCOPE_FIXTURES_DIR "/jup-ag-instruction-parser"));
    TransactionSummarizer summarizer;
    const QStringList files = dir.entryList({u"*.json"_s}, QDir::Files, QDir::Name);
    for (const QString &name : files) {
        QFile file(dir.filePath(name));
        if (!file.open(QIODevice::ReadOnly))
            continue;
        const auto summary = summarizer.summarize(file.readAll());
        if (summary)
            records.append(makeTransactionRecord(u"fixture-session"_s, *summary, 0));
    }
    return records;
}

size_t heapInUse()
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
    const struct mallinfo2 info = mallinfo2();
    return info.uordblks + info.hblkhd;
#else
    return 0;
#endif
}

QList<int> proxySourceRows(const QAbstractProxyModel &proxy)
{
    QList<int> rows;
    for (int r = 0; r < proxy.rowCount(); ++r)
        rows << proxy.mapToSource(proxy.index(r, 0)).row();
    return rows;
}

} // namespace

class BatchEmitter : public QObject
{
    Q_OBJECT
Q_SIGNALS:
    void batchReady(const QList<SlotScope::TransactionRecord> &batch);
};

class tst_TransactionModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void batchesInsertOnce();
    void emptyBatchIsIgnored();
    void eviction_data();
    void eviction();
    void shrinkingWindowEvicts();
    void clearResetsEverything();
    void columnsAndRoles_data();
    void columnsAndRoles();
    void headers();
    void fixtureRecordsRoundTrip();
    void rowBatchesMatchRecords();
    void reservedRowsReadBackAndEvict();
    void compactRowSize();
    void memoryPerRowMeasured();
    void proxyFilters_data();
    void proxyFilters();
    void proxyRefusesOtherSources();
    void proxySortsByRawValue_data();
    void proxySortsByRawValue();
    void proxyFollowsLiveBatches();
    void proxyBatchSignals();
    void proxyMatchesBruteForce();
    void proxyKeepsSelection();
    void queuedBatchDelivery();
};

void tst_TransactionModel::initTestCase()
{
    registerModelMetaTypes();
}

void tst_TransactionModel::batchesInsertOnce()
{
    TransactionModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    StructureLog log(&model);

    model.appendRows(makeBatch(0, 100));
    QCOMPARE(log.events, QStringList{u"insert 0,99"_s});
    model.appendRows(makeBatch(100, 50));
    QCOMPARE(log.events, (QStringList{u"insert 0,99"_s, u"insert 100,149"_s}));
    QCOMPARE(model.rowCount(), 150);
    QCOMPARE(model.evictedCount(), 0);
    // Rows are in arrival order.
    for (int row : {0, 99, 100, 149})
        QCOMPARE(model.record(row), makeRecord(quint64(row)));
}

void tst_TransactionModel::emptyBatchIsIgnored()
{
    TransactionModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    StructureLog log(&model);
    model.appendRows({});
    QVERIFY(log.events.isEmpty());
    QCOMPARE(model.rowCount(), 0);
}

void tst_TransactionModel::eviction_data()
{
    QTest::addColumn<int>("window");
    QTest::addColumn<QList<int>>("batches");
    QTest::addColumn<QStringList>("events");
    QTest::addColumn<qint64>("evicted");
    QTest::addColumn<quint64>("firstKept"); // index (in the whole stream) of row 0

    QTest::addRow("fits exactly") << 200 << QList<int>{100, 100} << QStringList{u"insert 0,99"_s, u"insert 100,199"_s}
                                  << qint64(0) << quint64(0);
    QTest::addRow("one over") << 200 << QList<int>{100, 100, 1}
                              << QStringList{u"insert 0,99"_s, u"insert 100,199"_s, u"remove 0,0"_s, u"insert 199,199"_s}
                              << qint64(1) << quint64(1);
    QTest::addRow("partial overflow") << 200 << QList<int>{150, 100}
                                      << QStringList{u"insert 0,149"_s, u"remove 0,49"_s, u"insert 100,199"_s}
                                      << qint64(50) << quint64(50);
    QTest::addRow("batch equals window") << 100 << QList<int>{30, 100}
                                         << QStringList{u"insert 0,29"_s, u"remove 0,29"_s, u"insert 0,99"_s}
                                         << qint64(30) << quint64(30);
    QTest::addRow("batch larger than window") << 100 << QList<int>{40, 250}
                                              << QStringList{u"insert 0,39"_s, u"remove 0,39"_s, u"insert 0,99"_s}
                                              << qint64(40 + 150) << quint64(190);
    QTest::addRow("first batch larger than window") << 10 << QList<int>{25}
                                                    << QStringList{u"insert 0,9"_s}
                                                    << qint64(15) << quint64(15);
    QTest::addRow("steady state") << 100 << QList<int>{100, 10, 10}
                                  << QStringList{u"insert 0,99"_s, u"remove 0,9"_s, u"insert 90,99"_s,
                                                 u"remove 0,9"_s, u"insert 90,99"_s}
                                  << qint64(20) << quint64(20);
}

void tst_TransactionModel::eviction()
{
    QFETCH(int, window);
    QFETCH(QList<int>, batches);
    QFETCH(QStringList, events);
    QFETCH(qint64, evicted);
    QFETCH(quint64, firstKept);

    TransactionModel model;
    model.setWindowSize(window);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    StructureLog log(&model);
    QSignalSpy evictedSpy(&model, &TransactionModel::evictedCountChanged);

    quint64 next = 0;
    QList<qint64> expectedSignals;
    qint64 total = 0;
    qsizetype rows = 0;
    for (int size : batches) {
        model.appendRows(makeBatch(next, size));
        next += quint64(size);
        const qint64 gone = qMax<qint64>(0, rows + size - window);
        rows = qMin<qsizetype>(window, rows + size);
        if (gone > 0) {
            total += gone;
            expectedSignals << total;
        }
    }
    QCOMPARE(log.events, events);
    QCOMPARE(model.evictedCount(), evicted);
    QCOMPARE(model.rowCount(), int(rows));
    QList<qint64> signalled;
    for (const auto &args : evictedSpy)
        signalled << args.at(0).toLongLong();
    QCOMPARE(signalled, expectedSignals);
    // The window keeps the newest rows, oldest first.
    QCOMPARE(model.record(0), makeRecord(firstKept));
    QCOMPARE(model.record(model.rowCount() - 1), makeRecord(next - 1));
}

void tst_TransactionModel::shrinkingWindowEvicts()
{
    TransactionModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.appendRows(makeBatch(0, 100));
    StructureLog log(&model);
    QSignalSpy evictedSpy(&model, &TransactionModel::evictedCountChanged);
    model.setWindowSize(30);
    QCOMPARE(log.events, QStringList{u"remove 0,69"_s});
    QCOMPARE(model.evictedCount(), 70);
    QCOMPARE(evictedSpy.size(), 1);
    QCOMPARE(model.record(0), makeRecord(70));
    model.setWindowSize(0); // clamped to 1
    QCOMPARE(model.windowSize(), 1);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.record(0), makeRecord(99));
}

void tst_TransactionModel::clearResetsEverything()
{
    TransactionModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setWindowSize(10);
    model.appendRows(makeBatch(0, 25));
    QCOMPARE(model.evictedCount(), 15);
    QSignalSpy evictedSpy(&model, &TransactionModel::evictedCountChanged);
    StructureLog log(&model);
    model.clear();
    QCOMPARE(log.events, QStringList{u"reset"_s});
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.evictedCount(), 0);
    QCOMPARE(evictedSpy.size(), 1);
    QCOMPARE(evictedSpy.at(0).at(0).toLongLong(), 0);
    model.appendRows(makeBatch(500, 3));
    QCOMPARE(model.record(2), makeRecord(502));
}

void tst_TransactionModel::columnsAndRoles_data()
{
    QTest::addColumn<TransactionRecord>("record");

    const QString signature = u"5SnGKXqNQ6zYGfNHQwHWwRtbxnYHUHLbANXgpvCLuXD1LA5paStRBcuXwu2T5eM9xsVWFQTzeUNwPWx6UAQhUb2t"_s;
    TransactionRecord full;
    full.sessionId = u"0b5c9f2e-session"_s;
    full.slot = 277138295;
    full.signature = signature;
    full.success = true;
    full.fee = 105000;
    full.computeUnitsConsumed = 181234;
    full.blockTime = 1720000000;
    full.feePayer = u"8rCmUp2hZ6GJhv8mpMGZ2QgLVmtaNdf1bRvnMspzJBHF"_s;
    full.programIds = {u"ComputeBudget111111111111111111111111111111"_s,
                       u"JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4"_s};
    full.feePayerSolChange = -2039280 - 105000;
    full.captureOffset = 123456789012;
    QTest::addRow("complete") << full;

    TransactionRecord absent = full;
    absent.computeUnitsConsumed.reset();
    absent.blockTime.reset();
    absent.captureOffset = -1;
    absent.programIds.clear();
    QTest::addRow("absent CU, block time, offset") << absent;

    TransactionRecord failed = full;
    failed.success = false;
    failed.error = u"Error processing Instruction 3: Program failed to complete"_s;
    failed.fee = 5000;
    QTest::addRow("failed") << failed;

    TransactionRecord failedNoText = full;
    failedNoText.success = false;
    QTest::addRow("failed without text") << failedNoText;

    TransactionRecord leadingZeros = full;
    QByteArray zeros(64, '\0');
    zeros[63] = 1;
    leadingZeros.signature = encode(zeros);
    QByteArray payer(32, '\x11');
    payer[0] = 0;
    leadingZeros.feePayer = encode(payer);
    QTest::addRow("leading zero bytes") << leadingZeros;

    TransactionRecord notBase58 = full;
    notBase58.signature = u"not-a-base58-signature (0OIl)"_s;
    notBase58.feePayer = u"short"_s;
    notBase58.sessionId.clear();
    QTest::addRow("not base58, no session") << notBase58;

    TransactionRecord huge = full;
    huge.fee = std::numeric_limits<quint64>::max();
    huge.slot = std::numeric_limits<quint64>::max();
    huge.feePayerSolChange = std::numeric_limits<qint64>::min();
    huge.computeUnitsConsumed = 0;
    QTest::addRow("extreme numbers") << huge;
}

void tst_TransactionModel::columnsAndRoles()
{
    QFETCH(TransactionRecord, record);

    TransactionModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.appendRows({makeRecord(1), record});
    QCOMPARE(model.record(1), record);

    const auto cell = [&](int column, int role = Qt::DisplayRole) {
        return model.index(1, column).data(role);
    };
    using M = TransactionModel;
    QCOMPARE(model.columnCount(), int(M::ColumnCount));

    QCOMPARE(cell(M::SlotColumn).toString(), QString::number(record.slot));
    QCOMPARE(cell(M::SlotColumn, RawValueRole).metaType(), QMetaType::fromType<qulonglong>());
    QCOMPARE(cell(M::SlotColumn, RawValueRole).toULongLong(), record.slot);

    QCOMPARE(cell(M::SignatureColumn).toString(), record.signature);
    QCOMPARE(cell(M::SignatureColumn, RawValueRole).toString(), record.signature);

    QCOMPARE(cell(M::StatusColumn).toString(), record.success ? u"OK"_s : u"Failed"_s);
    QCOMPARE(cell(M::StatusColumn, RawValueRole).metaType(), QMetaType::fromType<bool>());
    QCOMPARE(cell(M::StatusColumn, RawValueRole).toBool(), record.success);

    QCOMPARE(cell(M::ErrorColumn).toString(), record.error);
    QCOMPARE(cell(M::ErrorColumn, Qt::ToolTipRole).toString(), record.error);
    QCOMPARE(cell(M::StatusColumn, Qt::ToolTipRole).toString(), record.error);

    // Amounts are shown in the UI locale (1,234 / 1.234), the raw value is exact.
    QCOMPARE(cell(M::FeeColumn).toString(), QLocale().toString(record.fee));
    QCOMPARE(cell(M::FeeColumn, RawValueRole).metaType(), QMetaType::fromType<qulonglong>());
    QCOMPARE(cell(M::FeeColumn, RawValueRole).toULongLong(), record.fee);

    if (record.computeUnitsConsumed) {
        QCOMPARE(cell(M::ComputeUnitsColumn).toString(), QLocale().toString(*record.computeUnitsConsumed));
        QCOMPARE(cell(M::ComputeUnitsColumn, RawValueRole).toULongLong(), *record.computeUnitsConsumed);
    } else {
        QCOMPARE(cell(M::ComputeUnitsColumn).toString(), QString());
        QVERIFY(!cell(M::ComputeUnitsColumn, RawValueRole).isValid());
    }

    QCOMPARE(cell(M::FeePayerColumn).toString(), record.feePayer);
    QCOMPARE(cell(M::FeePayerColumn, RawValueRole).toString(), record.feePayer);
    QCOMPARE(cell(M::ProgramsColumn).toString(), record.programIds.join(u", "_s));
    QCOMPARE(cell(M::ProgramsColumn, RawValueRole).toStringList(), record.programIds);
    QCOMPARE(cell(M::SessionColumn).toString(), record.sessionId);
    QCOMPARE(cell(M::SessionColumn, RawValueRole).toString(), record.sessionId);

    for (int column = 0; column < M::ColumnCount; ++column) {
        QCOMPARE(cell(column, SessionIdRole).toString(), record.sessionId);
        QCOMPARE(cell(column, M::SignatureRole).toString(), record.signature);
        QCOMPARE(cell(column, M::SuccessRole).toBool(), record.success);
        if (record.captureOffset >= 0)
            QCOMPARE(cell(column, M::CaptureOffsetRole).toLongLong(), record.captureOffset);
        else
            QVERIFY(!cell(column, M::CaptureOffsetRole).isValid());
        if (record.blockTime)
            QCOMPARE(cell(column, M::BlockTimeRole).toLongLong(), *record.blockTime);
        else
            QVERIFY(!cell(column, M::BlockTimeRole).isValid());
    }
    // The row before is untouched by its neighbour.
    QCOMPARE(model.record(0), makeRecord(1));
}

void tst_TransactionModel::headers()
{
    TransactionModel model;
    QStringList headers;
    for (int c = 0; c < model.columnCount(); ++c)
        headers << model.headerData(c, Qt::Horizontal).toString();
    QCOMPARE(headers, (QStringList{u"Slot"_s, u"Signature"_s, u"Status"_s, u"Error"_s, u"Fee (lamports)"_s,
                                   u"CU"_s, u"Fee payer"_s, u"Programs"_s, u"Session"_s}));

    TransactionRecord r = makeRecord(3);
    r.fee = 1234567890;
    model.appendRows({r});
    QCOMPARE(model.index(0, TransactionModel::FeeColumn).data(Qt::ToolTipRole).toString(), u"1.23456789 SOL"_s);
    r.fee = 5000;
    model.appendRows({r});
    QCOMPARE(model.index(1, TransactionModel::FeeColumn).data(Qt::ToolTipRole).toString(), u"0.000005 SOL"_s);
    r.fee = 2000000000;
    model.appendRows({r});
    QCOMPARE(model.index(2, TransactionModel::FeeColumn).data(Qt::ToolTipRole).toString(), u"2 SOL"_s);
}

void tst_TransactionModel::fixtureRecordsRoundTrip()
{
    const QList<TransactionRecord> records = fixtureRecords();
    QVERIFY2(records.size() >= 8, qPrintable(u"only %1 fixture transactions summarized"_s.arg(records.size())));
    TransactionModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.appendRows(records);
    for (int row = 0; row < records.size(); ++row) {
        QCOMPARE(model.record(row), records.at(row));
        QCOMPARE(model.index(row, TransactionModel::SignatureColumn).data().toString(),
                 records.at(row).signature);
    }
}

void tst_TransactionModel::rowBatchesMatchRecords()
{
    // Rows compacted into a TransactionRowBatch (off the GUI thread, with the
    // batch's own pools) read back as the records they came from. The second
    // batch meets the values in another order, so its pool ids differ from
    // the first's and from the model's; a key that is not base58 is interned.
    QList<TransactionRecord> records = makeBatch(0, 40) + fixtureRecords();
    records[3].signature = u"not base58: 0OIl"_s;
    records[5].feePayer = u"also not a key"_s;
    records[9].sessionId = u"only-here"_s;
    records[11].programIds = {u"Memo1UhkJRfHyvLtcFwSHCNDp6XSUtGq9QGqQQ1bQ"_s};
    QList<TransactionRecord> reversed(records.crbegin(), records.crend());
    reversed[2].error = u"another error"_s;
    reversed[2].success = false;

    TransactionModel viaRecords;
    viaRecords.appendRows(records);
    viaRecords.appendRows(reversed);
    TransactionModel viaBatches;
    QAbstractItemModelTester tester(&viaBatches, QAbstractItemModelTester::FailureReportingMode::Fatal);
    for (const QList<TransactionRecord> &list : {records, reversed}) {
        TransactionRowBatch batch;
        for (const TransactionRecord &record : list)
            batch.append(record);
        QCOMPARE(batch.size(), list.size());
        viaBatches.appendRowBatch(batch);
    }
    QCOMPARE(viaBatches.rowCount(), 2 * records.size());
    const QList<TransactionRecord> all = records + reversed;
    for (int row = 0; row < all.size(); ++row) {
        QCOMPARE(viaBatches.record(row), all.at(row));
        QCOMPARE(viaBatches.record(row), viaRecords.record(row));
    }

    // keepRows() drops rows and keeps the rest in order.
    TransactionRowBatch batch;
    for (const TransactionRecord &record : std::as_const(records))
        batch.append(record);
    std::vector<bool> keep(size_t(records.size()), true);
    keep[0] = keep[3] = keep[size_t(records.size()) - 1] = false;
    batch.keepRows(keep);
    TransactionModel kept;
    kept.appendRowBatch(batch);
    QList<TransactionRecord> expected = records;
    expected.removeLast();
    expected.removeAt(3);
    expected.removeAt(0);
    QCOMPARE(kept.rowCount(), expected.size());
    for (int row = 0; row < expected.size(); ++row)
        QCOMPARE(kept.record(row), expected.at(row));
}

// reserveRows() (an offline capture about to arrive) sets storage aside in
// one large array; rows stored there, rows beyond the reservation (in chunks
// of their own) and rows after a second reservation read back alike, and
// eviction and clear() release both kinds.
void tst_TransactionModel::reservedRowsReadBackAndEvict()
{
    TransactionModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setWindowSize(INT_MAX);
    model.appendRows(makeBatch(0, 100)); // before the reservation
    model.reserveRows(20000);           // about 2.9 MB: a huge-page array
    quint64 next = 100;
    for (int size : {5000, 15000, 7000}) { // the last batch overruns the reservation
        model.appendRows(makeBatch(next, size));
        next += quint64(size);
    }
    model.reserveRows(3000);
    model.appendRows(makeBatch(next, 2500));
    next += 2500;
    QCOMPARE(model.rowCount(), int(next));
    for (quint64 i = 0; i < next; i += 97)
        QCOMPARE(model.record(int(i)), makeRecord(i));
    QCOMPARE(model.record(int(next - 1)), makeRecord(next - 1));
    QVERIFY(model.memoryBytes() >= size_t(next) * TransactionModel::bytesPerRow());

    // A window: the oldest rows go, reserved or not, and their chunks are reused.
    model.setWindowSize(10000);
    QCOMPARE(model.rowCount(), 10000);
    model.appendRows(makeBatch(next, 4000));
    next += 4000;
    QCOMPARE(model.rowCount(), 10000);
    for (int row = 0; row < model.rowCount(); row += 331)
        QCOMPARE(model.record(row), makeRecord(next - 10000 + quint64(row)));

    model.clear();
    QCOMPARE(model.rowCount(), 0);
    model.reserveRows(1000);
    model.appendRows(makeBatch(7, 3));
    QCOMPARE(model.record(2), makeRecord(9));
}

void tst_TransactionModel::compactRowSize()
{
    QVERIFY(TransactionModel::bytesPerRow() <= 150);
    QCOMPARE(TransactionModel::bytesPerRow(), size_t(144));

    // The model's own estimate at a full window of realistic rows.
    TransactionModel model;
    model.setWindowSize(100000);
    for (quint64 i = 0; i < 150; ++i)
        model.appendRows(makeBatch(i * 1000, 1000));
    QCOMPARE(model.rowCount(), 100000);
    const double estimate = double(model.memoryBytes()) / model.rowCount();
    QVERIFY2(estimate <= 150.0, qPrintable(u"%1 bytes per row (estimate)"_s.arg(estimate)));
}

void tst_TransactionModel::memoryPerRowMeasured()
{
#if !defined(__GLIBC__) || (__GLIBC__ == 2 && __GLIBC_MINOR__ < 33)
    QSKIP("mallinfo2() needs glibc 2.33");
#else
    // Real transactions cycled with unique signatures and fee payers (the
    // worst case for interning), window full and evicting: heap actually held
    // per row, as malloc counts it.
    const QList<TransactionRecord> fixtures = fixtureRecords();
    QVERIFY(!fixtures.isEmpty());
    constexpr int window = 100000;
    constexpr int total = 160000;
    constexpr int batchSize = 1000;

    auto model = std::make_unique<TransactionModel>();
    model->setWindowSize(window);
    const size_t before = heapInUse();
    quint64 serial = 0;
    for (int appended = 0; appended < total; appended += batchSize) {
        QList<TransactionRecord> batch;
        batch.reserve(batchSize);
        for (int i = 0; i < batchSize; ++i, ++serial) {
            TransactionRecord r = fixtures.at(qsizetype(serial % quint64(fixtures.size())));
            r.signature = uniqueKey(serial, 64, 3);
            r.feePayer = uniqueKey(serial, 32, 4);
            r.sessionId = u"session-%1"_s.arg(serial % 4);
            r.captureOffset = qint64(serial) * 14000;
            r.slot += serial / 100;
            batch.append(std::move(r));
        }
        model->appendRows(batch);
    }
    const size_t after = heapInUse();
    QCOMPARE(model->rowCount(), window);
    QCOMPARE(model->evictedCount(), qint64(total - window));
    const double perRow = double(after - before) / window;
    qInfo("measured %.1f bytes per row (%d rows), estimate %.1f", perRow, window,
          double(model->memoryBytes()) / window);
    QVERIFY2(perRow <= 150.0, qPrintable(u"%1 bytes per row measured"_s.arg(perRow)));
    // A QList<TransactionRecord> would hold several hundred bytes per row; make
    // sure the measurement sees the rows at all.
    QVERIFY2(perRow >= 140.0, qPrintable(u"%1 bytes per row: measurement broken?"_s.arg(perRow)));
    model.reset();
    QVERIFY(heapInUse() < after);
#endif
}

void tst_TransactionModel::proxyFilters_data()
{
    QTest::addColumn<TransactionFilter>("filter");
    QTest::addColumn<QList<int>>("rows");

    // Rows built in proxyFilters(): see `records` there.
    using F = TransactionFilter;
    const QString jupiter = u"JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4"_s;
    QTest::addRow("no filter") << F{} << QList<int>{0, 1, 2, 3, 4, 5};

    QTest::addRow("status ok") << F{.status = F::Status::Succeeded} << QList<int>{0, 2, 3, 5};
    QTest::addRow("status failed") << F{.status = F::Status::Failed} << QList<int>{1, 4};

    QTest::addRow("session") << F{.sessionId = u"beta"_s} << QList<int>{3, 4, 5};
    QTest::addRow("unknown session") << F{.sessionId = u"gamma"_s} << QList<int>{};

    QTest::addRow("program id exact") << F{.programId = jupiter} << QList<int>{0, 1, 4};
    QTest::addRow("program id is not a substring match") << F{.programId = u"JUP6"_s} << QList<int>{};

    QTest::addRow("slot range") << F{.minSlot = 101, .maxSlot = 103} << QList<int>{1, 2, 3};
    QTest::addRow("slot from") << F{.minSlot = 104} << QList<int>{4, 5};

    // In row 2's signature, row 3's fee payer, row 5's programs (Orca Whirlpool).
    QTest::addRow("text in signature") << F{.text = u"QTzeUNwPWx6"_s} << QList<int>{2};
    QTest::addRow("text in fee payer") << F{.text = u"Z6GJhv8mp"_s} << QList<int>{3};
    QTest::addRow("text in program id") << F{.text = u"whirLbMii"_s} << QList<int>{5};
    QTest::addRow("text is case-sensitive") << F{.text = u"z6gjhv8mp"_s} << QList<int>{};
    QTest::addRow("text in a non-base58 signature") << F{.text = u"not-base58"_s} << QList<int>{1};
    QTest::addRow("non-ASCII text matches nothing") << F{.text = u"ü"_s} << QList<int>{};

    QTest::addRow("all criteria") << F{.status = F::Status::Succeeded, .sessionId = u"alpha"_s, .programId = jupiter}
                                  << QList<int>{0};
}

namespace {

QList<TransactionRecord> filterRecords()
{
    const QString jup = u"JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4"_s;
    const QString whirlpool = u"whirLbMiicVdio4qvUfM5KAg6Ct8VwpYzGff3uctyCc"_s;
    const QString system = u"11111111111111111111111111111111"_s;
    QList<TransactionRecord> records;
    for (int i = 0; i < 6; ++i) {
        TransactionRecord r = makeRecord(quint64(i));
        r.slot = 100 + quint64(i);
        r.sessionId = i < 3 ? u"alpha"_s : u"beta"_s;
        r.success = true;
        r.error.clear();
        r.programIds = {system};
        records << r;
    }
    records[0].programIds = {system, jup};
    records[1].programIds = {jup};
    records[1].success = false;
    records[1].signature = u"not-base58-signature"_s;
    records[2].signature = u"5SnGKXqNQ6zYGfNHQwHWwRtbxnYHUHLbANXgpvCLuXD1LA5paStRBcuXwu2T5eM9xsVWFQTzeUNwPWx6UAQhUb2t"_s;
    records[3].feePayer = u"8rCmUp2hZ6GJhv8mpMGZ2QgLVmtaNdf1bRvnMspzJBHF"_s;
    records[4].programIds = {jup, system};
    records[4].success = false;
    records[5].programIds = {whirlpool};
    return records;
}

} // namespace

void tst_TransactionModel::proxyFilters()
{
    QFETCH(TransactionFilter, filter);
    QFETCH(QList<int>, rows);

    TransactionModel model;
    TransactionFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.appendRows(filterRecords());

    proxy.setFilter(filter);
    QCOMPARE(proxySourceRows(proxy), rows);
    // And back to everything.
    proxy.setFilter({});
    QCOMPARE(proxy.rowCount(), 6);
}

void tst_TransactionModel::proxyRefusesOtherSources()
{
    QIdentityProxyModel identity;
    TransactionModel model;
    model.appendRows(makeBatch(0, 3));
    identity.setSourceModel(&model);
    TransactionFilterProxyModel proxy;
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"needs a TransactionModel source"_s));
    proxy.setSourceModel(&identity);
    QCOMPARE(proxy.sourceModel(), nullptr);
    QCOMPARE(proxy.rowCount(), 0);
    proxy.setSourceModel(&model);
    QCOMPARE(proxy.rowCount(), 3);
    QCOMPARE(proxy.headerData(0, Qt::Horizontal).toString(), u"Slot"_s);
}

void tst_TransactionModel::proxySortsByRawValue_data()
{
    QTest::addColumn<int>("column");
    QTest::addColumn<QList<int>>("ascending");  // source rows in order
    QTest::addColumn<QList<int>>("descending"); // ties stay in arrival order

    // Rows from proxySortsByRawValue(): fees 9, 10, 100, 2000, 5 (lexically
    // "10" < "100" < "2000" < "5" < "9").
    QTest::addRow("fee numerically") << int(TransactionModel::FeeColumn) << QList<int>{4, 0, 1, 2, 3}
                                     << QList<int>{3, 2, 1, 0, 4};
    QTest::addRow("slot numerically") << int(TransactionModel::SlotColumn) << QList<int>{3, 2, 4, 0, 1}
                                      << QList<int>{1, 0, 4, 2, 3};
    QTest::addRow("compute units, absent first") << int(TransactionModel::ComputeUnitsColumn)
                                                 << QList<int>{2, 4, 0, 3, 1} << QList<int>{1, 3, 0, 4, 2};
    QTest::addRow("status, failed first") << int(TransactionModel::StatusColumn) << QList<int>{1, 3, 0, 2, 4}
                                          << QList<int>{0, 2, 4, 1, 3};
    QTest::addRow("session") << int(TransactionModel::SessionColumn) << QList<int>{0, 2, 4, 1, 3}
                             << QList<int>{1, 3, 0, 2, 4};
    QTest::addRow("arrival order") << -1 << QList<int>{0, 1, 2, 3, 4} << QList<int>{0, 1, 2, 3, 4};
}

void tst_TransactionModel::proxySortsByRawValue()
{
    QFETCH(int, column);
    QFETCH(QList<int>, ascending);
    QFETCH(QList<int>, descending);

    const QList<quint64> fees{9, 10, 100, 2000, 5};
    const QList<quint64> slotNumbers{90, 900, 9, 8, 10};
    const QList<std::optional<quint64>> units{3000, 200000, std::nullopt, 90000, 0};
    QList<TransactionRecord> records;
    for (int i = 0; i < 5; ++i) {
        TransactionRecord r = makeRecord(quint64(i));
        r.fee = fees[i];
        r.slot = slotNumbers[i];
        r.computeUnitsConsumed = units[i];
        r.success = i != 1 && i != 3;
        r.sessionId = i % 2 == 0 ? u"a"_s : u"b"_s;
        records << r;
    }
    TransactionModel model;
    model.appendRows(records);
    TransactionFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::Fatal);

    proxy.sort(column, Qt::AscendingOrder);
    QCOMPARE(proxySourceRows(proxy), ascending);
    proxy.sort(column, Qt::DescendingOrder);
    QCOMPARE(proxySourceRows(proxy), descending);
    QCOMPARE(proxy.sortColumn(), column);
    // Back to arrival order.
    proxy.sort(-1);
    QCOMPARE(proxySourceRows(proxy), (QList<int>{0, 1, 2, 3, 4}));
}

void tst_TransactionModel::proxyFollowsLiveBatches()
{
    TransactionModel model;
    model.setWindowSize(20);
    TransactionFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester sourceTester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::Fatal);
    proxy.setStatusFilter(TransactionFilter::Status::Failed); // makeRecord: every 7th fails
    proxy.sort(TransactionModel::FeeColumn, Qt::DescendingOrder);

    model.appendRows(makeBatch(0, 15)); // failures at 0, 7, 14
    QCOMPARE(proxy.rowCount(), 3);
    QCOMPARE(proxy.index(0, TransactionModel::FeeColumn).data(RawValueRole).toULongLong(), 5014ull);
    model.appendRows(makeBatch(15, 15)); // 21, 28 fail; 0..9 evicted (0, 7 gone)
    QCOMPARE(model.evictedCount(), 10);
    QList<quint64> fees;
    for (int r = 0; r < proxy.rowCount(); ++r)
        fees << proxy.index(r, TransactionModel::FeeColumn).data(RawValueRole).toULongLong();
    QCOMPARE(fees, (QList<quint64>{5028, 5021, 5014}));
    for (int r = 0; r < proxy.rowCount(); ++r)
        QCOMPARE(model.record(proxy.mapToSource(proxy.index(r, 0)).row()).fee, fees[r]);

    // A session filter set before its first row arrives still matches later rows.
    proxy.setFilter({});
    proxy.setSessionFilter(u"late-session"_s);
    QCOMPARE(proxy.rowCount(), 0);
    TransactionRecord late = makeRecord(99);
    late.sessionId = u"late-session"_s;
    model.appendRows({late});
    QCOMPARE(proxy.rowCount(), 1);

    // A source reset empties the proxy.
    model.clear();
    QCOMPARE(proxy.rowCount(), 0);
    model.appendRows({late});
    QCOMPARE(proxy.rowCount(), 1);
}

namespace {

// Records a proxy's structural signals: "insert a,b", "remove a,b", "layout", "reset".
class ProxyLog : public ModelSignalLog
{
public:
    explicit ProxyLog(QAbstractItemModel *model)
        : ModelSignalLog(model, {.layout = true})
    {
    }
};

} // namespace

void tst_TransactionModel::proxyBatchSignals()
{
    TransactionModel model;
    model.setWindowSize(100);
    TransactionFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::Fatal);
    ProxyLog log(&proxy);

    // Arrival order: like the source, one insert and one front removal per batch.
    model.appendRows(makeBatch(0, 80));
    model.appendRows(makeBatch(80, 40));
    QCOMPARE(log.events, (QStringList{u"insert 0,79"_s, u"remove 0,19"_s, u"insert 60,99"_s}));
    log.events.clear();

    // Sorted by slot: new rows sort last and evicted ones are at the top, so
    // no relayout is needed.
    proxy.sort(TransactionModel::SlotColumn);
    QCOMPARE(log.events, QStringList{u"layout"_s});
    log.events.clear();
    model.appendRows(makeBatch(120, 30));
    QCOMPARE(log.events, (QStringList{u"remove 0,29"_s, u"insert 70,99"_s}));
    log.events.clear();

    // Sorted by fee descending: new rows (higher fees) belong at the top.
    // Evicted rows are the bottom ones: contiguous, one removal; the new ones
    // go in at the end and move up with one layout change.
    proxy.sort(TransactionModel::FeeColumn, Qt::DescendingOrder);
    log.events.clear();
    model.appendRows(makeBatch(150, 10));
    QCOMPARE(log.events, (QStringList{u"remove 90,99"_s, u"insert 90,99"_s, u"layout"_s}));
    QCOMPARE(proxy.index(0, TransactionModel::FeeColumn).data(RawValueRole).toULongLong(), 5159ull);
    log.events.clear();

    // Sorted by status: the evicted rows are scattered; one layout change
    // gathers them, then one removal, one insert and one merge.
    proxy.sort(TransactionModel::StatusColumn);
    log.events.clear();
    model.appendRows(makeBatch(160, 50));
    QCOMPARE(log.events, (QStringList{u"layout"_s, u"remove 50,99"_s, u"insert 50,99"_s, u"layout"_s}));
    QCOMPARE(proxy.rowCount(), 100);
    // Failed rows first, each group in arrival order.
    QList<int> sourceRows = proxySourceRows(proxy);
    QList<int> failedFirst;
    for (bool success : {false, true}) {
        for (int row = 0; row < model.rowCount(); ++row) {
            if (model.record(row).success == success)
                failedFirst << row;
        }
    }
    QCOMPARE(sourceRows, failedFirst);
}

namespace {

// The proxy's rules, restated over records: what it should show, in order.
QList<int> expectedRows(const TransactionModel &model, const TransactionFilter &filter, int column,
                        Qt::SortOrder order)
{
    QList<TransactionRecord> records;
    for (int row = 0; row < model.rowCount(); ++row)
        records << model.record(row);
    QList<int> rows;
    for (int row = 0; row < records.size(); ++row) {
        const TransactionRecord &r = records.at(row);
        if ((filter.minSlot && r.slot < *filter.minSlot) || (filter.maxSlot && r.slot > *filter.maxSlot))
            continue;
        if ((filter.status == TransactionFilter::Status::Succeeded && !r.success)
            || (filter.status == TransactionFilter::Status::Failed && r.success))
            continue;
        if (!filter.sessionId.isEmpty() && r.sessionId != filter.sessionId)
            continue;
        if (!filter.programId.isEmpty() && !r.programIds.contains(filter.programId))
            continue;
        if (!filter.text.isEmpty() && !r.signature.contains(filter.text) && !r.feePayer.contains(filter.text)
            && std::none_of(r.programIds.cbegin(), r.programIds.cend(),
                            [&](const QString &p) { return p.contains(filter.text); }))
            continue;
        rows << row;
    }
    if (column < 0)
        return rows;
    const auto key = [&](int row) -> QVariant {
        const TransactionRecord &r = records.at(row);
        switch (column) {
        case TransactionModel::SlotColumn: return QVariant::fromValue<qulonglong>(r.slot);
        case TransactionModel::StatusColumn: return r.success;
        case TransactionModel::ErrorColumn: return r.error;
        case TransactionModel::FeeColumn: return QVariant::fromValue<qulonglong>(r.fee);
        case TransactionModel::ComputeUnitsColumn:
            return r.computeUnitsConsumed ? QVariant::fromValue<qlonglong>(qlonglong(*r.computeUnitsConsumed))
                                          : QVariant::fromValue<qlonglong>(-1);
        case TransactionModel::ProgramsColumn: return r.programIds.join(u", "_s);
        case TransactionModel::SessionColumn: return r.sessionId;
        }
        return {};
    };
    const auto less = [](const QVariant &a, const QVariant &b) {
        return QVariant::compare(a, b) == QPartialOrdering::Less;
    };
    std::stable_sort(rows.begin(), rows.end(), [&](int a, int b) {
        return order == Qt::AscendingOrder ? less(key(a), key(b)) : less(key(b), key(a));
    });
    return rows;
}

} // namespace

void tst_TransactionModel::proxyMatchesBruteForce()
{
    // Random batches, evictions, filter and sort changes; after every step the
    // proxy must show exactly what the rules say, in order.
    TransactionModel model;
    model.setWindowSize(300);
    TransactionFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::Fatal);

    QRandomGenerator random(1234);
    const QList<int> columns{-1, TransactionModel::SlotColumn, TransactionModel::StatusColumn,
                             TransactionModel::ErrorColumn, TransactionModel::FeeColumn,
                             TransactionModel::ComputeUnitsColumn, TransactionModel::ProgramsColumn,
                             TransactionModel::SessionColumn};
    const QStringList programs{u"ComputeBudget111111111111111111111111111111"_s,
                               u"JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4"_s,
                               u"whirLbMiicVdio4qvUfM5KAg6Ct8VwpYzGff3uctyCc"_s};
    quint64 serial = 0;
    // Persistent indexes (a view's current row, its selection) must follow
    // their transaction through every relayout, or die with it.
    QList<std::pair<QPersistentModelIndex, QString>> tracked;
    for (int step = 0; step < 120; ++step) {
        while (tracked.size() < 8 && proxy.rowCount() > 0) {
            const QModelIndex index = proxy.index(int(random.bounded(proxy.rowCount())), int(random.bounded(3)));
            tracked.append({QPersistentModelIndex(index), index.data(TransactionModel::SignatureRole).toString()});
        }
        const int action = int(random.bounded(4));
        if (action <= 1) {
            QList<TransactionRecord> batch;
            const int size = int(random.bounded(1, 90));
            for (int i = 0; i < size; ++i, ++serial) {
                TransactionRecord r = makeRecord(serial);
                r.fee = random.bounded(20);          // many ties
                r.slot = 1000 + random.bounded(50);
                r.programIds = {programs.at(int(random.bounded(3)))};
                if (random.bounded(2))
                    r.programIds << programs.at(int(random.bounded(3)));
                r.error = r.success ? QString() : u"error %1"_s.arg(random.bounded(3));
                batch << r;
            }
            model.appendRows(batch);
        } else if (action == 2) {
            TransactionFilter f;
            switch (random.bounded(6)) {
            case 0: break;
            case 1: f.status = random.bounded(2) ? TransactionFilter::Status::Failed : TransactionFilter::Status::Succeeded; break;
            case 2: f.sessionId = u"session-%1"_s.arg(random.bounded(4)); break;
            case 3: f.programId = programs.at(int(random.bounded(3))); break;
            case 4: f.minSlot = 1000 + random.bounded(50); f.maxSlot = *f.minSlot + random.bounded(20); break;
            case 5: f.text = QString(u"JUP6 whirL Budget 1"_s.split(QLatin1Char(' ')).at(int(random.bounded(4)))); break;
            }
            proxy.setFilter(f);
        } else {
            proxy.sort(columns.at(int(random.bounded(columns.size()))),
                       random.bounded(2) ? Qt::AscendingOrder : Qt::DescendingOrder);
        }
        QCOMPARE(proxySourceRows(proxy),
                 expectedRows(model, proxy.filter(), proxy.sortColumn(), proxy.sortOrder()));
        QSet<QString> shown;
        for (int row = 0; row < proxy.rowCount(); ++row)
            shown.insert(proxy.index(row, 0).data(TransactionModel::SignatureRole).toString());
        for (auto it = tracked.begin(); it != tracked.end();) {
            if (it->first.isValid()) {
                QCOMPARE(it->first.data(TransactionModel::SignatureRole).toString(), it->second);
                ++it;
            } else {
                QVERIFY(!shown.contains(it->second));
                it = tracked.erase(it);
            }
        }
        // mapFromSource is the inverse of mapToSource.
        for (int row = 0; row < proxy.rowCount(); row += 7) {
            const QModelIndex index = proxy.index(row, 2);
            QCOMPARE(proxy.mapFromSource(proxy.mapToSource(index)), index);
        }
    }
    QVERIFY(model.evictedCount() > 0);
}

void tst_TransactionModel::proxyKeepsSelection()
{
    TransactionModel model;
    model.setWindowSize(60);
    TransactionFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QItemSelectionModel selection(&proxy);
    model.appendRows(makeBatch(0, 50));

    const QString chosen = makeRecord(30).signature; // succeeds, session-0
    const auto select = [&] {
        for (int row = 0; row < proxy.rowCount(); ++row) {
            if (proxy.index(row, 0).data(TransactionModel::SignatureRole).toString() == chosen) {
                selection.setCurrentIndex(proxy.index(row, 0),
                                          QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
                return;
            }
        }
        QFAIL("chosen row not shown");
    };
    const auto current = [&] { return selection.currentIndex().data(TransactionModel::SignatureRole).toString(); };
    select();
    proxy.sort(TransactionModel::FeeColumn, Qt::DescendingOrder);
    QCOMPARE(current(), chosen);
    proxy.setStatusFilter(TransactionFilter::Status::Succeeded);
    QCOMPARE(current(), chosen);
    QCOMPARE(selection.selectedRows().size(), 1);
    model.appendRows(makeBatch(50, 20)); // evicts 0..9, merges new rows above
    QCOMPARE(current(), chosen);
    proxy.setFilter({});
    QCOMPARE(current(), chosen);
    proxy.setSessionFilter(u"session-1"_s); // hides it: selection and current move off it
    QVERIFY(current() != chosen);
    for (const QModelIndex &index : selection.selectedRows())
        QVERIFY(index.data(TransactionModel::SignatureRole).toString() != chosen);
}

void tst_TransactionModel::queuedBatchDelivery()
{
    // The engine emits QList<TransactionRecord> from its own thread; the model
    // receives it through a queued connection on the GUI thread.
    BatchEmitter emitter;
    TransactionModel model;
    connect(&emitter, &BatchEmitter::batchReady, &model, &TransactionModel::appendRows,
            Qt::QueuedConnection);
    StructureLog log(&model);
    std::unique_ptr<QThread> engine(QThread::create([&emitter] {
        Q_EMIT emitter.batchReady(makeBatch(0, 10));
        Q_EMIT emitter.batchReady(makeBatch(10, 5));
    }));
    engine->start();
    QVERIFY(engine->wait(5000));
    QCOMPARE(model.rowCount(), 0); // nothing delivered before the event loop runs
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 15, 5000);
    QCOMPARE(log.events, (QStringList{u"insert 0,9"_s, u"insert 10,14"_s}));
    QCOMPARE(model.record(14), makeRecord(14));
}

QTEST_GUILESS_MAIN(tst_TransactionModel)
#include "tst_transactionmodel.moc"
