#pragma once

// Indexing an opened capture into the transaction table's rows (issue 12
// item 1; DESIGN.md §3: a row is a small struct with the offset of its raw
// JSON, which stays on disk).

#include "capture/capturereader.h"
#include "capture/capturetypes.h"
#include "model/transactionmodel.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <optional>

namespace SlotScope {

/// What is known of a capture once it is open (before its rows).
struct CaptureOpenInfo
{
    QString path;
    CaptureReader::Format format = CaptureReader::Format::Ndjson;
    std::optional<CaptureMetadata> metadata;
    qint64 totalBytes = 0;
};

/// How far indexing got.
struct IndexProgress
{
    qint64 bytesRead = 0;
    qint64 totalBytes = 0;
    qint64 transactions = 0;   ///< rows produced so far
    /// Rows the whole file will give, predicted from the average line length
    /// of its first rows (for sizing storage); -1 until known.
    qint64 expectedTransactions = -1;
};

/// The outcome of indexing a whole capture (or as far as it got).
struct IndexResult
{
    bool cancelled = false;
    QString error;                        ///< open / read error; "" when the file was read to its end
    std::optional<CaptureSummary> summary; ///< the `summary` line; nullopt for a run cut short
    CaptureSummary totals;                 ///< counted from the rows read (the summary line's own: `summary`)
    QString summaryDisagreement;           ///< CaptureReader::summaryDisagreement(); "" when the summary agrees
    QStringList sessionIds;
    qint64 transactions = 0;
    qint64 rowsWithFee = 0;               ///< rows whose fee is known (`sim run` files record none)
    qint64 skippedLines = 0;
    qint64 damagedLines = 0;
    QList<qint64> damagedLineNumbers;      ///< first 1000, 1-based
    QStringList warnings;
    qint64 duplicatesDropped = 0;
    QHash<QString, quint64> transactionsPerSession;
    bool readInHalves = false;             ///< the second half was read on a thread of its own (Options::parallelMinBytes)
    /// Where the reading ended: the bytes the rows come from. More than the
    /// size when opened (CaptureOpenInfo::totalBytes) when a run still
    /// writing the file added lines meanwhile: they were read too.
    qint64 bytesIndexed = 0;
};

/// Reads a capture (CaptureReader: SlotScope NDJSON, `sim run` NDJSON, legacy
/// single document) and turns each transaction into a table row with its
/// offset, compacted here (TransactionRowBatch: keys decoded, repeated values
/// pooled) so that the GUI thread only appends, in batches: the first after
/// `firstBatchRows` rows (so the first rows show at once), then whenever
/// `batchIntervalMs` passed or `maxBatchRows` rows are waiting. Runs on the calling thread,
/// and from Options::parallelMinBytes on also on a thread of its own that
/// reads the second half of the file (its rows follow the first half's, so
/// rows stay in file order); `cancel` is polled every few hundred rows.
class CaptureIndexer
{
public:
    struct Options
    {
        bool deduplicate = true;       ///< CAPTURE_FORMAT.md §8.2 item 5
        qsizetype firstBatchRows = 200;
        qsizetype maxBatchRows = 50000;
        int batchIntervalMs = 50;
        /// From this size on (bytes; 0: never) an NDJSON capture is read in
        /// two halves on two threads (CaptureReader::splitOff).
        qint64 parallelMinBytes = qint64(64) << 20;
    };
    struct Sink
    {
        std::function<void(const CaptureOpenInfo &)> opened;
        std::function<void(TransactionRowBatch &&rows, const IndexProgress &progress)> rows;
    };

    static IndexResult run(const QString &path, const Options &options, const Sink &sink,
                           const std::atomic_bool *cancel = nullptr);
};

} // namespace SlotScope
