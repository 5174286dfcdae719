#include "workbench/captureindexer.h"

#include "capture/captureparsing.h"
#include "protocol/largearray.h"

#include <QElapsedTimer>
#include <QThread>

#include <string>
#include <limits>
#include <thread>
#include <unordered_map>

namespace SlotScope {

using namespace Internal;

namespace {

/// Shares the QString / QStringList of values that repeat across rows, keyed
/// by their UTF-8 bytes (bounded, so a capture of all-distinct values does not
/// grow it without end).
template<typename T>
class ValueCache
{
public:
    template<typename Make>
    const T &get(std::string_view key, Make make)
    {
        const auto it = m_values.find(key);
        if (it != m_values.end())
            return it->second;
        if (m_values.size() >= maxEntries)
            m_values.clear();
        return m_values.emplace(std::string(key), make()).first->second;
    }

private:
    static constexpr size_t maxEntries = 8192;
    struct Hash
    {
        using is_transparent = void;
        size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
    };
    std::unordered_map<std::string, T, Hash, std::equal_to<>> m_values;
};

class RecordBuilder
{
public:
    TransactionRecord build(const TxView &v, qint64 offset)
    {
        TransactionRecord r;
        if (!v.sessionId.empty()) {
            if (v.sessionId != m_lastSessionKey) {
                m_lastSessionKey.assign(v.sessionId);
                m_lastSession = toQString(v.sessionId);
            }
            r.sessionId = m_lastSession;
        }
        r.slot = v.slot;
        r.signature = keyText(v.signature);
        r.success = v.success;
        if (!v.error.empty())
            r.error = m_errors.get(v.error, [&] { return toQString(v.error); });
        r.fee = v.fee.value_or(0);
        r.computeUnitsConsumed = v.computeUnitsConsumed;
        r.blockTime = v.effectiveBlockTime();
        r.feePayer = keyText(v.feePayer);
        if (!v.programIds.empty()) {
            m_key.clear();
            for (const auto &p : v.programIds) {
                m_key.append(p);
                m_key.push_back(',');
            }
            r.programIds = m_programs.get(m_key, [&] { return toQStringList(v.programIds); });
        }
        // The fee payer's SOL change: its entry in sol_changes (listed only
        // when the balance changed).
        if (!v.feePayer.empty()) {
            for (const SolChangeView &c : v.solChanges) {
                if (c.account == v.feePayer) {
                    r.feePayerSolChange = qint64(c.post - c.pre);
                    break;
                }
            }
        }
        r.captureOffset = offset;
        return r;
    }

private:
    /// A signature or account key (base58: ASCII, but any UTF-8 is kept).
    static QString keyText(std::string_view s)
    {
        for (char c : s) {
            if (uchar(c) >= 0x80)
                return toQString(s);
        }
        return QString::fromLatin1(s.data(), qsizetype(s.size()));
    }

    std::string m_lastSessionKey;
    QString m_lastSession;
    std::string m_key;
    ValueCache<QString> m_errors;
    ValueCache<QStringList> m_programs;
};

} // namespace

namespace {

/// Rows read before a part's average line length predicts its row count.
constexpr qint64 rowsBeforeEstimate = 1024;
/// A prediction never sizes anything for more rows than this.
constexpr qint64 maxExpectedRows = 8'000'000;

/// The rows `partBytes` of the file hold at the line length of the first
/// `rows` rows, which took `bytesRead` bytes (capped at maxExpectedRows);
/// -1 when it cannot tell.
qint64 predictRows(qint64 rows, qint64 bytesRead, qint64 partBytes)
{
    if (rows <= 0 || bytesRead <= 0 || partBytes <= 0)
        return -1;
    return qMin(maxExpectedRows, qint64(double(partBytes) / double(bytesRead) * double(rows) * 1.05));
}

/// The second half of a large capture, indexed on its own thread while the
/// calling thread indexes the first half. Its rows wait here, already
/// compact, until the first half is done: rows stay in file order, and a
/// waiting row holds no heap block of its own (a thread's malloc arena grows
/// a page at a time, a system call each).
struct TailPart
{
    std::unique_ptr<CaptureReader> reader;
    qint64 begin = 0;                       ///< file offset of its first line
    qint64 end = 0;                         ///< file size: the part reads to the end
    std::vector<TransactionRowBatch> chunks;
    std::basic_string<char, std::char_traits<char>, LargeArrayAllocator<char>>
        signatures;                         ///< every row's signature, UTF-8, for the de-duplication
    std::vector<quint32> signatureEnds;     ///< per row: end of its signature in `signatures`
    std::vector<bool> success;              ///< per row
    std::vector<bool> hasFee;               ///< per row: the line recorded a fee
    std::vector<quint32> sessionIndex;      ///< per row: index into `sessions`
    QStringList sessions;
    std::atomic<qint64> bytesRead{0};       ///< consumed since `begin`
    std::thread thread;

    static constexpr qsizetype chunkRows = 50000;

    void read(const std::atomic_bool *cancel)
    {
        RecordBuilder builder;
        qint64 offset = -1;
        qsizetype sinceCheck = 0;
        while (const TxView *v = readNextTransactionView(*reader, &offset)) {
            if (chunks.empty() || chunks.back().size() == chunkRows) {
                chunks.emplace_back();
                chunks.back().reserve(chunkRows);
            }
            const TransactionRecord record = builder.build(*v, offset);
            chunks.back().append(record);
            signatures.append(v->signature);
            signatureEnds.push_back(quint32(signatures.size()));
            success.push_back(record.success);
            hasFee.push_back(v->fee.has_value());
            if (sessions.isEmpty() || sessions.constLast() != record.sessionId)
                sessions.append(record.sessionId);
            sessionIndex.push_back(quint32(sessions.size() - 1));
            if (signatureEnds.size() == size_t(rowsBeforeEstimate)) {
                const qint64 rows = predictRows(rowsBeforeEstimate, reader->bytesRead() - begin, end - begin);
                if (rows > 0) {
                    reader->expectTransactions(rows);
                    signatures.reserve(size_t(rows) * signatures.size() / size_t(rowsBeforeEstimate));
                    signatureEnds.reserve(size_t(rows));
                    success.reserve(size_t(rows));
                    hasFee.reserve(size_t(rows));
                    sessionIndex.reserve(size_t(rows));
                    chunks.reserve(size_t(rows / chunkRows + 1));
                }
            }
            if (++sinceCheck >= 256) {
                sinceCheck = 0;
                bytesRead.store(reader->bytesRead() - begin, std::memory_order_relaxed);
                if (cancel && cancel->load(std::memory_order_relaxed))
                    break;
            }
        }
        bytesRead.store(reader->bytesRead() - begin, std::memory_order_relaxed);
    }

    std::string_view signature(size_t row) const
    {
        const size_t from = row == 0 ? 0 : signatureEnds[row - 1];
        return std::string_view(signatures).substr(from, signatureEnds[row] - from);
    }
};

} // namespace

IndexResult CaptureIndexer::run(const QString &path, const Options &options, const Sink &sink,
                                const std::atomic_bool *cancel)
{
    IndexResult result;
    CaptureReader reader;
    reader.setDeduplicate(options.deduplicate);
    reader.setIncludeLogs(false);
    reader.setIncludeBalanceChanges(true); // the fee payer's SOL change
    if (const Result<void> opened = reader.open(path); !opened) {
        result.error = opened.error().message;
        return result;
    }
    if (sink.opened)
        sink.opened(CaptureOpenInfo{path, reader.format(), reader.metadata(), reader.totalBytes()});

    TailPart tail;
    bool tailPending = false;
    qint64 expectedTransactions = -1;
    const auto progress = [&] {
        const qint64 bytes = reader.bytesRead() + (tailPending ? tail.bytesRead.load(std::memory_order_relaxed) : 0);
        return IndexProgress{bytes, reader.totalBytes(), result.transactions, expectedTransactions};
    };
    const auto emitRows = [&](TransactionRowBatch &&rows) {
        result.transactions += rows.size();
        if (sink.rows)
            sink.rows(std::move(rows), progress());
    };

    TransactionRowBatch batch;
    qsizetype batchLimit = qMax<qsizetype>(1, options.firstBatchRows);
    QElapsedTimer sinceBatch;
    sinceBatch.start();
    const auto emitBatch = [&] {
        if (batch.isEmpty())
            return;
        emitRows(std::move(batch));
        batch = {};
        batch.reserve(qMin<qsizetype>(options.maxBatchRows, 4096));
        batchLimit = qMax<qsizetype>(1, options.maxBatchRows);
        sinceBatch.restart();
    };
    const auto cancelled = [&] {
        if (cancel && cancel->load(std::memory_order_relaxed))
            result.cancelled = true;
        return result.cancelled;
    };

    // Per-session counts for the Sessions panel, and rows with a fee (QHash
    // nodes are stable while nothing else is inserted).
    QString lastSession;
    quint64 *lastCounter = nullptr;
    const auto countRow = [&](const QString &sessionId, bool hasFee) {
        result.rowsWithFee += hasFee;
        if (!lastCounter || sessionId != lastSession) {
            lastSession = sessionId;
            lastCounter = &result.transactionsPerSession[lastSession];
        }
        ++*lastCounter;
    };

    // The first half (or the whole file), as it is read.
    RecordBuilder builder;
    qsizetype sinceCheck = 0;
    qint64 firstRows = 0;
    const auto readOn = [&](qint64 maxRows) {
        qint64 offset = -1;
        for (qint64 rows = 0; rows < maxRows; ++rows) {
            const TxView *v = readNextTransactionView(reader, &offset);
            if (!v)
                return;
            if (++firstRows == rowsBeforeEstimate) {
                // This reader's de-duplication holds its own part; the model, every row.
                const qint64 partEnd = tail.reader ? tail.begin : reader.totalBytes();
                if (const qint64 part = predictRows(firstRows, reader.bytesRead(), partEnd); part > 0)
                    reader.expectTransactions(part);
                expectedTransactions = predictRows(firstRows, reader.bytesRead(), reader.totalBytes());
            }
            const TransactionRecord record = builder.build(*v, offset);
            countRow(record.sessionId, v->fee.has_value());
            batch.append(record);
            if (++sinceCheck >= 256) {
                sinceCheck = 0;
                if (cancelled())
                    return;
                if (sinceBatch.elapsed() >= options.batchIntervalMs)
                    emitBatch();
            }
            if (batch.size() >= batchLimit)
                emitBatch();
        }
    };
    // The first transaction, then, for a large NDJSON capture, the second half
    // on a thread of its own (after the first transaction: the sessions a
    // `sim run` file starts before it name its lines).
    readOn(1);
    if (options.parallelMinBytes > 0 && reader.totalBytes() >= options.parallelMinBytes
        && QThread::idealThreadCount() >= 2 && !cancelled()) {
        tail.reader = reader.splitOff(reader.totalBytes() / 2);
        if (tail.reader) {
            tail.begin = tail.reader->bytesRead();
            tail.end = reader.totalBytes();
            tail.thread = std::thread([&tail, cancel] { tail.read(cancel); });
        }
    }
    tailPending = tail.thread.joinable();
    readOn(std::numeric_limits<qint64>::max());

    // Then the second half's rows, without those the first half already had.
    if (tail.reader) {
        tail.thread.join();
        tailPending = false;
        if (cancelled()) {
            // Nothing more to add.
        } else if (reader.joinPart(*tail.reader)) {
            result.readInHalves = true;
            emitBatch();
            size_t row = 0;
            for (TransactionRowBatch &chunk : tail.chunks) {
                std::vector<bool> keep(size_t(chunk.size()), true);
                bool dropped = false;
                for (size_t i = 0; i < keep.size(); ++i, ++row) {
                    const std::string_view signature = tail.signature(row);
                    if (reader.admitJoinedTransaction(QByteArrayView(signature.data(), qsizetype(signature.size())),
                                                      tail.success[row])) {
                        countRow(tail.sessions.at(tail.sessionIndex[row]), tail.hasFee[row]);
                    } else {
                        keep[i] = false;
                        dropped = true;
                    }
                }
                if (dropped)
                    chunk.keepRows(keep);
                emitRows(std::move(chunk));
                chunk = {};
                if (cancelled())
                    break;
            }
        } else {
            // The first half learnt of sessions after the split that the
            // second half's lines without a session id would take: read that
            // half again, here.
            reader.continueAfterSplit();
            readOn(std::numeric_limits<qint64>::max());
        }
    }
    emitBatch();
    result.bytesIndexed = result.readInHalves ? tail.begin + tail.bytesRead.load(std::memory_order_relaxed)
                                              : reader.bytesRead();
    if (!reader.errorString().isEmpty())
        result.error = reader.errorString();
    result.summary = reader.summary();
    result.totals = reader.counted(); // the table's rows; the summary line's own figures are in `summary`
    result.sessionIds = reader.sessionIds();
    result.skippedLines = reader.skippedLines();
    result.damagedLines = reader.damagedLines();
    result.damagedLineNumbers = reader.damagedLineNumbers();
    result.warnings = reader.warnings();
    result.summaryDisagreement = reader.summaryDisagreement();
    if (!result.summaryDisagreement.isEmpty())
        result.warnings.append(result.summaryDisagreement);
    result.duplicatesDropped = reader.duplicatesDropped();
    return result;
}

} // namespace SlotScope
