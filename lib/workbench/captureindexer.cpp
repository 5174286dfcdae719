#include "workbench/captureindexer.h"

#include "capture/captureparsing.h"

#include <QElapsedTimer>

#include <string>
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
        r.signature = QString::fromLatin1(v.signature.data(), qsizetype(v.signature.size()));
        if (!isAscii(v.signature))
            r.signature = toQString(v.signature);
        r.success = v.success;
        if (!v.error.empty())
            r.error = m_errors.get(v.error, [&] { return toQString(v.error); });
        r.fee = v.fee.value_or(0);
        r.computeUnitsConsumed = v.computeUnitsConsumed;
        r.blockTime = v.effectiveBlockTime();
        r.feePayer = toQString(v.feePayer);
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
    static bool isAscii(std::string_view s)
    {
        for (char c : s) {
            if (uchar(c) >= 0x80)
                return false;
        }
        return true;
    }

    std::string m_lastSessionKey;
    QString m_lastSession;
    std::string m_key;
    ValueCache<QString> m_errors;
    ValueCache<QStringList> m_programs;
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

    RecordBuilder builder;
    QList<TransactionRecord> batch;
    qsizetype batchLimit = qMax<qsizetype>(1, options.firstBatchRows);
    QElapsedTimer sinceBatch;
    sinceBatch.start();
    const auto emitBatch = [&] {
        if (batch.isEmpty())
            return;
        result.transactions += batch.size();
        if (sink.rows)
            sink.rows(std::move(batch), IndexProgress{reader.bytesRead(), reader.totalBytes(), result.transactions});
        batch = {};
        batch.reserve(qMin<qsizetype>(options.maxBatchRows, 4096));
        batchLimit = qMax<qsizetype>(1, options.maxBatchRows);
        sinceBatch.restart();
    };

    QString lastSession;
    quint64 *lastCounter = nullptr;
    qsizetype sinceCheck = 0;
    qint64 offset = -1;
    while (const TxView *v = readNextTransactionView(reader, &offset)) {
        TransactionRecord record = builder.build(*v, offset);
        result.rowsWithFee += v->fee.has_value();
        // Per-session counts for the Sessions panel (QHash nodes are stable
        // while nothing else is inserted).
        if (!lastCounter || record.sessionId != lastSession) {
            lastSession = record.sessionId;
            lastCounter = &result.transactionsPerSession[lastSession];
        }
        ++*lastCounter;
        batch.append(std::move(record));
        if (++sinceCheck >= 256) {
            sinceCheck = 0;
            if (cancel && cancel->load(std::memory_order_relaxed)) {
                result.cancelled = true;
                break;
            }
            if (sinceBatch.elapsed() >= options.batchIntervalMs)
                emitBatch();
        }
        if (batch.size() >= batchLimit)
            emitBatch();
    }
    emitBatch();
    if (!reader.errorString().isEmpty())
        result.error = reader.errorString();
    result.summary = reader.summary();
    result.totals = reader.totals();
    result.sessionIds = reader.sessionIds();
    result.skippedLines = reader.skippedLines();
    result.damagedLines = reader.damagedLines();
    result.damagedLineNumbers = reader.damagedLineNumbers();
    result.warnings = reader.warnings();
    result.duplicatesDropped = reader.duplicatesDropped();
    return result;
}

} // namespace SlotScope
