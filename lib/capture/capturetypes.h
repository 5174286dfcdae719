#pragma once

// Value types shared by CaptureWriter, CaptureReader and CsvExporter
// (CAPTURE_FORMAT.md §4, DESIGN.md §3 "Capture").

#include "protocol/transactionsummary.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace SlotScope {

/// The `metadata` line (CAPTURE_FORMAT.md §4.1). Slots are inclusive.
struct CaptureMetadata
{
    quint64 startSlot = 0;
    quint64 endSlot = 0;
    QStringList programIds;       ///< written only when non-empty
    qint64 ranAtUnixSecs = 0;     ///< wall-clock start of the run, Unix seconds UTC
    QStringList programSo;        ///< `program_so`; written only when non-empty
    QStringList sessionIds;       ///< read only (legacy files, §5); never written on this line
    /// `session_name`: SlotScope's own key (sim ignores unknown keys, §3), the
    /// name the run asked for (PROTOCOL-0.31.md §3.1.2, as the server
    /// lower-cases it); written only when non-empty. The server's answer is in
    /// the events file's `session_created`.
    QString sessionName;

    bool operator==(const CaptureMetadata &) const = default;
};

/// Totals of the `summary` line (§4.5) or, when it is missing, recomputed
/// from the `tx` lines.
struct CaptureSummary
{
    quint64 total = 0;
    quint64 successes = 0;
    quint64 failures = 0;
    QStringList sessionIds;

    bool operator==(const CaptureSummary &) const = default;
};

/// One `tx` line as read back (CAPTURE_FORMAT.md §4.3 plus SlotScope's keys,
/// DESIGN.md §3). Values that the line does not carry stay empty / nullopt.
struct CapturedTransaction
{
    QString sessionId;                         ///< "" when unknown (e.g. a `sim run` file of several sessions)
    quint64 slot = 0;
    QString signature;
    bool success = true;
    QString error;                             ///< "" on success
    std::optional<quint64> fee;                ///< lamports
    std::optional<quint64> computeUnitsConsumed;
    std::optional<qint64> blockTime;           ///< Unix seconds (`block_time`, else `timestamp`)
    std::optional<quint64> transactionIndex;
    QString feePayer;
    QStringList programIds;
    QStringList logs;                          ///< filled only when the reader includes logs
    QList<SolChange> solChanges;               ///< filled only when the reader includes balance changes
    QList<TokenChange> tokenChanges;
    /// Byte offset of the `tx` line in the capture (of the transaction's
    /// object inside a legacy document); CaptureReader::readTransactionAt()
    /// reads it back. -1 when unknown.
    qint64 offset = -1;
    qint64 lineNumber = 0;                     ///< 1-based line where the transaction starts; 0 when unknown

    bool operator==(const CapturedTransaction &) const = default;
};

/// A transaction read back by offset for the detail pane: the capture's own
/// fields (with logs and balance changes) and, when the line carries it,
/// SlotScope's `raw` getTransaction-shaped JSON (exact bytes).
struct CapturedTransactionDetail
{
    CapturedTransaction transaction;
    QByteArray raw;         ///< empty for files without `raw` (`sim run` output)
};

/// One line of NAME.events.ndjson: `{"type","session_id","at","data"}`.
struct CaptureEvent
{
    QString type;           ///< e.g. "paused", "connection", "account_diff" (DESIGN.md §3)
    QString sessionId;
    QDateTime at;           ///< UTC, millisecond precision
    QJsonObject data;       ///< empty when `data` is not an object (see dataJson)
    QByteArray dataJson;    ///< the `data` value exactly as stored (exact 64-bit integers)
    qint64 lineNumber = 0;  ///< 1-based
};

} // namespace SlotScope
