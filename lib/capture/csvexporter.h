#pragma once

// CSV export of a capture (DESIGN.md §1 "Export", §5 CSV columns, §7 speed
// target; STYLE.md "CSV"). Reads the capture file, never a view.

#include "protocol/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QSet>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <optional>

namespace SlotScope {

/// What to export and where.
struct ExportRequest
{
    enum class Kind {
        Transactions,   ///< from NAME.ndjson, one row per transaction
        AccountDiffs,   ///< from the `account_diff` events of NAME.events.ndjson
        Events,         ///< every line of NAME.events.ndjson
    };
    using enum Kind;  // ExportRequest::Transactions works as well as ExportRequest::Kind::Transactions

    QString capturePath;                  ///< NAME.ndjson (events are read from beside it)
    QString csvPath;
    Kind kind = Kind::Transactions;
    std::optional<quint64> fromSlot;      ///< inclusive; events without a slot are kept
    std::optional<quint64> toSlot;        ///< inclusive
    std::optional<QString> sessionId;     ///< only rows of this (sub-)session
    std::optional<QSet<QString>> signatures; ///< only these transactions (selected rows)
    /// Account diffs: only accounts the Account diffs panel's filter passes
    /// (accountFilterAccepts(): a case-sensitive substring).
    std::optional<QString> accountFilter;
    /// Account diffs: only these (accountDiffKey(), the panel's selected rows).
    std::optional<QSet<QString>> accountDiffKeys;
    bool spreadsheetSafe = false;         ///< prefix cells starting with = + - @ TAB CR with '
};

struct ExportStats
{
    qint64 rowsWritten = 0;               ///< data rows, header excluded
    qint64 duplicatesDropped = 0;
    qint64 skippedLines = 0;              ///< damaged lines of the source (not those of an unknown type)
    qint64 bytesRead = 0;
    qint64 bytesWritten = 0;
    QStringList warnings;

    /// True when lines of the source could not be read (the CSV lacks them).
    bool incomplete() const { return skippedLines > 0; }
    /// One line for the user: "31 rows exported", or with unreadable source
    /// lines "15 of 31 rows exported, 16 lines unreadable (line 17: …)" — the
    /// total counts the exported rows and the unreadable lines, the
    /// parenthesis names the first warning. Shared by the window's Export CSV
    /// and the headless --csv.
    QString summary() const;
};

/// Writes CSV (RFC 4180: records end with CRLF; UTF-8 without BOM, `.`
/// decimal point, ISO 8601 UTC times) through an OutputFile: to a regular
/// file atomically, committed only on success (a cancelled or failed export —
/// a short write, a full disk, a failed flush or rename — leaves no file and
/// an existing file at csvPath untouched); to a device or FIFO straight
/// through, never renamed over.
///
/// Columns:
/// - Transactions: session_id,slot,signature,success,error,fee,compute_units_consumed,block_time,fee_payer,program_ids
///   (success true/false, block_time ISO 8601 UTC, program_ids joined with ';',
///   empty cell when absent; duplicates by signature dropped).
/// - AccountDiffs: session_id,slot,signature,account,pre_lamports,post_lamports,pre_owner,post_owner,pre_data_len,post_data_len
///   (from the notification's `pre`/`post` objects; data_len is `space`, else
///   the decoded length of base64 `data`; duplicates by (slot, signature, account) dropped).
/// - Events: at,session_id,type,data (data as compact JSON).
class CsvExporter
{
public:
    /// Runs the export on the calling thread. `progress(done, total)` (bytes of
    /// the source file; may be empty) is called about every MiB and at the end;
    /// `cancel` (may be null) is polled per row. Errors: cannot read the
    /// capture or events file, cannot write csvPath, cancelled.
    static Result<ExportStats> exportCsv(const ExportRequest &request,
                                         const std::function<void(qint64 done, qint64 total)> &progress,
                                         const std::atomic_bool *cancel);

    /// Appends one CSV cell: quoted when it holds a comma, quote, CR or LF
    /// (embedded quotes doubled); with `spreadsheetSafe`, a cell starting with
    /// = + - @ TAB or CR gets a leading '.
    static void appendField(QByteArray &out, QByteArrayView utf8, bool spreadsheetSafe);

    /// The header line (with its trailing CRLF) of a kind.
    static QByteArray header(ExportRequest::Kind kind);
};

} // namespace SlotScope
