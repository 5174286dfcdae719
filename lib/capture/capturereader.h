#pragma once

// Streaming reader for capture files: NDJSON written by SlotScope or by
// `sim run` ≥ 0.5.0, and the legacy single document of `sim run` ≤ 0.4.0
// (CAPTURE_FORMAT.md §8.2 reader profile), plus NAME.events.ndjson.

#include "capture/capturetypes.h"
#include "protocol/result.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace SlotScope {

class CaptureReader;
namespace Internal {
struct TxView;
/// The next transaction as views (valid until the next call), and where its
/// line starts (CapturedTransaction::offset) when `offset` is given.
const TxView *readNextTransactionView(CaptureReader &reader, qint64 *offset = nullptr);
} // namespace Internal

/// Reads the transactions of a capture one at a time, without loading the
/// file (legacy single documents are loaded whole; they predate streaming).
/// Per line it uses simdjson On-Demand with one reused parser.
///
/// Rules (§8.2): the format is sniffed from the first non-empty line; unknown
/// `type`s and malformed lines are skipped and counted (skippedLines(),
/// warnings() names the line numbers); a missing `summary` is tolerated
/// (totals() recomputes); CRLF line ends are accepted; `diff` lines are
/// recognised and ignored. For lines without SlotScope's keys (`sim run`
/// files) fee, compute units, block time and fee payer come from `raw` when it
/// is there, else stay absent; the session id is filled in when the file names
/// exactly one session before the line (legacy metadata or `session_started`).
class CaptureReader
{
public:
    enum class Format { Ndjson, Legacy };

    CaptureReader();
    ~CaptureReader();
    CaptureReader(const CaptureReader &) = delete;
    CaptureReader &operator=(const CaptureReader &) = delete;

    /// Drop transactions whose signature was already read (§8.2 item 5). Default off.
    void setDeduplicate(bool on);
    /// Extract `logs` (default on) and `sol_changes`/`token_changes` (default
    /// on). Turning them off makes reading faster (CSV export).
    void setIncludeLogs(bool on);
    void setIncludeBalanceChanges(bool on);

    /// Opens `path` and reads up to the first transaction (the metadata).
    /// Errors: cannot open/read, or neither NDJSON nor a legacy document.
    Result<void> open(const QString &path);
    void close();

    Format format() const;
    /// The metadata line (or legacy `metadata`); nullopt when the file has none.
    std::optional<CaptureMetadata> metadata() const;

    /// Reads the next transaction into `tx`; false at the end of the file or
    /// on an I/O error (errorString() is then non-empty).
    bool readNext(CapturedTransaction &tx);
    bool atEnd() const;
    QString errorString() const;

    /// The `summary` line, once it has been read (both layouts, §4.5).
    std::optional<CaptureSummary> summary() const;
    /// summary() when present, else totals counted from the transactions read
    /// so far (after de-duplication when it is on), with sessionIds().
    CaptureSummary totals() const;
    /// What the file held, whatever its summary line says: transactions read
    /// (each once), their successes and failures, sessionIds(). Complete once
    /// the whole file has been read.
    CaptureSummary counted() const;
    /// Session ids (§8.2 item 4): `session_started` ids in first-seen order,
    /// else the `summary` ids, else `metadata.session_ids`, else the
    /// `session_id` values of the transactions read so far. Complete once the
    /// whole file has been read.
    QStringList sessionIds() const;

    /// Progress of a long read: bytes consumed / file size.
    qint64 bytesRead() const;
    qint64 totalBytes() const;

    /// Lines skipped: damaged ones plus lines of an unknown `type`.
    qint64 skippedLines() const;
    /// Damaged lines (not JSON, cut short, a `tx` without slot / signature …)
    /// and, for legacy documents, damaged transactions; each was skipped.
    qint64 damagedLines() const;
    /// 1-based line numbers of the first 1000 damaged lines, in file order.
    QList<qint64> damagedLineNumbers() const;
    /// "line N: …" for skipped lines and other oddities (first 1000 kept).
    QStringList warnings() const;
    /// warnings() less the damaged lines' (damagedLines() counts those): what
    /// is odd about the file as a whole, e.g. a second metadata or summary
    /// line (two captures joined), a transaction after the summary, a first
    /// line that is not the metadata, lines of an unknown `type` (first 1000).
    QStringList fileWarnings() const;
    qint64 duplicatesDropped() const;
    /// Once the whole file has been read: how its `summary` line disagrees
    /// with the `tx` lines read (CAPTURE_FORMAT.md §4.5: the summary counts
    /// every transaction written), e.g. "the summary line counts 5
    /// transactions, the file holds 2"; empty when they agree, when there is
    /// no summary, or before the end.
    QString summaryDisagreement() const;

    /// The exact bytes of the `raw` value of the `tx` line that starts at
    /// `offset` in `capturePath` (CapturedTransaction::offset,
    /// CaptureWriter::appendTransaction). Errors: cannot open, no `tx` line at
    /// that offset, no `raw`.
    static Result<QByteArray> readRawTransaction(const QString &capturePath, qint64 offset);

    /// The transaction at `offset` (CapturedTransaction::offset) of
    /// `capturePath`, with logs, balance changes and `raw` when present: an
    /// NDJSON `tx` line, or a transaction object of a legacy document. Reads
    /// only that line / object. Errors: cannot open, `offset` is not where a
    /// transaction starts, the transaction is malformed; with
    /// `expectedSignature` (what the index found there), another transaction
    /// at `offset` ("… changed since it was opened …; reopen it"), and every
    /// error says the file may have changed.
    static Result<CapturedTransactionDetail> readTransactionAt(const QString &capturePath, qint64 offset,
                                                               const QString &expectedSignature = {});

    /// Reading a large NDJSON capture on two threads (CaptureIndexer). This
    /// reader stops before the first line that starts at or after `near`;
    /// the returned reader reads from that line to the end of the file,
    /// knowing what this one knew when split (options, metadata, sessions
    /// started). Until joinPart() its line numbers count from the split.
    /// nullptr for a legacy document, a reader already split or at its end,
    /// or when no line starts between this reader's position and the end.
    std::unique_ptr<CaptureReader> splitOff(qint64 near);
    /// Once this reader and `part` (from splitOff()) have both read to their
    /// ends: takes over `part`'s counts, sessions, summary, warnings and
    /// damaged lines (renumbered after this reader's lines), as if one reader
    /// had read the whole file; the caller then passes `part`'s transactions,
    /// in order, through admitJoinedTransaction(). Returns false, changing
    /// nothing, when `part` read lines without a session id (they take the
    /// run's sole session, CAPTURE_FORMAT.md §8.2 item 4) and this reader
    /// learnt of sessions after the split: continueAfterSplit() then reads
    /// the rest here.
    bool joinPart(CaptureReader &part);
    /// Reads on past the split point (`part`'s results are discarded).
    void continueAfterSplit();
    /// For each transaction a joined part read, in order: false, counted as
    /// a dropped duplicate, when de-duplication is on and this reader had
    /// already read `signature` before the split point.
    bool admitJoinedTransaction(QByteArrayView signatureUtf8, bool success);

    /// About how many transactions this reader will read in all: sizes its
    /// de-duplication for them up front (nothing without de-duplication).
    void expectTransactions(qint64 count);

    /// Convenience: every transaction of a capture (with logs and changes).
    static Result<QList<CapturedTransaction>> readAllTransactions(const QString &path, bool deduplicate = false);

private:
    friend const Internal::TxView *Internal::readNextTransactionView(CaptureReader &reader, qint64 *offset);
    struct Private;
    std::unique_ptr<Private> d;
};

/// Streaming reader for NAME.events.ndjson (DESIGN.md §3). Malformed lines
/// are skipped and counted like CaptureReader's.
class CaptureEventReader
{
public:
    CaptureEventReader();
    ~CaptureEventReader();
    CaptureEventReader(const CaptureEventReader &) = delete;
    CaptureEventReader &operator=(const CaptureEventReader &) = delete;

    /// Turn off to skip building CaptureEvent::data (dataJson is always set).
    void setParseData(bool on);
    /// `eventsPath` is the events file itself (see CaptureWriter::eventsPathFor).
    Result<void> open(const QString &eventsPath);
    bool readNext(CaptureEvent &event);
    QString errorString() const;
    qint64 bytesRead() const;
    qint64 totalBytes() const;
    /// Bytes of the file read through, lines and all: past totalBytes()
    /// when the file grew while it was read (a run still writing it).
    qint64 readThrough() const;
    qint64 skippedLines() const;
    QStringList warnings() const;

    /// Convenience: every event of an events file.
    static Result<QList<CaptureEvent>> readAll(const QString &eventsPath);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace SlotScope
