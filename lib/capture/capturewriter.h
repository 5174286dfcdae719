#pragma once

// Writes a capture: NAME.ndjson (the `sim run`-compatible transaction stream,
// CAPTURE_FORMAT.md §8.1 writer profile) and NAME.events.ndjson (everything
// else, DESIGN.md §3 "Capture").

#include "capture/capturetypes.h"
#include "protocol/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <chrono>
#include <memory>

namespace SlotScope {

/// Buffered NDJSON capture writer. Not thread-safe: use it from one thread
/// (the engine thread). Lines are collected in memory and written to the OS in
/// large chunks: whenever the buffer reaches the chunk size (default 1 MiB),
/// when an append finds the last write older than the flush interval (default
/// 100 ms), and on flush()/finish(). Data still buffered while no append
/// happens reaches the OS on the next flush(); the engine calls it after each
/// batch.
///
/// With a chunk size of at least 1 MiB (the default) the chunks are written by
/// a writer thread owned by the CaptureWriter, so the calling thread never
/// waits for the page cache (tests/bench/README.md): offsets and
/// bytesWritten() count every appended byte at once, flush()/finish()/close()
/// wait until everything appended before them is in the files, and at most
/// 32 MiB wait for the writer thread (further appends block until it catches
/// up). Smaller chunk sizes write on the calling thread. The writer thread
/// also keeps a long capture from filling the page cache: what it wrote more
/// than a few 32 MiB windows ago is written back and dropped (Linux).
///
/// A writer that is destroyed or close()d without finish() leaves valid
/// NDJSON without the `summary` line, which readers tolerate (§2, §8.2 item 6).
/// After an I/O error (e.g. disk full) the writer stops writing, appends are
/// dropped, and flush()/finish()/lastError() report the error; the chunk that
/// failed is cut off again, so each file ends with its last complete line.
///
/// An existing capture is never truncated (issue 9, "Captures are never
/// replaced by accident"): open() refuses one unless asked to replace it, and
/// then writes NAME.ndjson and NAME.events.ndjson under temporary names beside
/// them (replacementSuffix() plus a random tag) and renames both over the old
/// files only when the run has produced its first line of data: the first
/// `tx` line, the first `session_created` / `session_attached` event (the
/// server accepted the run), or finish(). A run closed before that removes
/// its temporary files and leaves the old capture byte for byte.
class CaptureWriter
{
public:
    /// What open() does when NAME.ndjson or NAME.events.ndjson exists.
    enum class Existing {
        Refuse,             ///< fail with "… already exists"
        ReplaceOnFirstData, ///< write beside, rename over the old files on the first data
    };

    CaptureWriter();
    ~CaptureWriter();
    CaptureWriter(const CaptureWriter &) = delete;
    CaptureWriter &operator=(const CaptureWriter &) = delete;

    /// Creates `path` and eventsFileWritten(path) and writes the `metadata`
    /// line (§4.1: no `session_ids`; `program_ids`/`program_so` only when
    /// non-empty). An existing capture is refused or replaced later, per
    /// `existing` (see the class comment); a device or FIFO at either path is
    /// written straight through, and a capture into a device or a standard
    /// stream has no events file (appendEvent() writes nothing). Errors: a
    /// file exists (Refuse), a file cannot be created, the path or its events
    /// file is a folder.
    Result<void> open(const QString &path, const CaptureMetadata &metadata,
                      Existing existing = Existing::Refuse);

    /// True when `path` or its events file exists (what Existing::Refuse
    /// refuses); a device or FIFO at `path` is no capture to keep.
    static bool captureExists(const QString &path);
    /// The file that makes captureExists() true: `path`, else its events
    /// file; empty when neither exists.
    static QString existingCaptureFile(const QString &path);
    /// Temporary files of a replacing run are named NAME.ndjson + this + a tag.
    static QString replacementSuffix();
    /// True while the files are written under temporary names (a replacing
    /// run that has not produced data yet).
    bool isReplacementPending() const { return m_replacing; }

    /// "x.ndjson" → "x.events.ndjson"; any other name gets ".events.ndjson" appended.
    static QString eventsPathFor(const QString &path);
    /// The events file open() writes for a capture at `path`: eventsPathFor(path),
    /// or empty when `path` is a device or a standard stream (`/dev/null`,
    /// `/dev/stdout`, `/dev/fd/3`), beside which there is no folder of the
    /// user's to write it in (a named pipe of the user's has its events file).
    static QString eventsFileWritten(const QString &path);
    /// The captures whose events file `eventsPath` may be, most likely first
    /// (eventsPathFor() gives `eventsPath` for each): "x.events.ndjson" →
    /// "x.ndjson", "x"; none for a name that is not an events file's.
    static QStringList capturePathsForEvents(const QString &eventsPath);

    bool isOpen() const { return m_open; }
    /// The capture's final paths (also while a replacement is pending).
    QString path() const { return m_main.path; }
    QString eventsPath() const { return m_events.path; } ///< empty: no events file (a device capture)

    /// Appends one `tx` line (§8.1 items 3, 4 plus SlotScope's keys) and returns
    /// the byte offset of the line in NAME.ndjson (for
    /// CaptureReader::readRawTransaction), or -1 when the writer is not open or
    /// has failed. `rawResult` is the getTransaction-shaped notification result,
    /// written verbatim as `raw` (surrounding whitespace trimmed, CR/LF turned
    /// into spaces so that the line stays one line; `null` when empty).
    qint64 appendTransaction(const QString &sessionId, const TransactionSummary &summary,
                             QByteArrayView rawResult);

    /// Appends `{"type","session_id","at","data"}` to NAME.events.ndjson; `at`
    /// is the current time (ISO 8601 UTC with milliseconds). Types: DESIGN.md §3.
    void appendEvent(const QString &type, const QString &sessionId, const QJsonObject &data);
    /// Same with `data` already serialised as one JSON value (e.g. an
    /// account-diff notification result, kept exact); `{}` when empty.
    void appendEvent(const QString &type, const QString &sessionId, QByteArrayView dataJson);

    /// Writes every buffered byte to the OS. Errors: the first I/O error seen.
    Result<void> flush();
    /// Writes the `summary` line in the combined form of §4.5/§7.6 (totals
    /// counted from the appended transactions), flushes and closes both files.
    Result<void> finish(const QStringList &sessionIds);
    /// Flushes and closes without a `summary` line (an interrupted run).
    void close();

    /// "" while no I/O error happened.
    QString lastError() const;

    /// Transactions in NAME.ndjson: every one appended while no I/O error
    /// happened; after one (lastError()), those of the chunks written whole,
    /// not those a failed write cut off again (the count a full disk left).
    quint64 transactionCount() const;
    quint64 successCount() const { return m_successes; }
    quint64 failureCount() const { return m_total - m_successes; }
    /// Bytes of NAME.ndjson so far, buffered bytes included.
    qint64 bytesWritten() const { return m_main.written + m_main.buffer.size(); }

    /// Chunk size in bytes and the maximum age of buffered data while appends
    /// keep coming. Defaults: 1 MiB, 100 ms.
    void setFlushPolicy(qsizetype chunkBytes, std::chrono::milliseconds interval);

private:
    struct Sink
    {
        QFile file;
        QString path;        ///< the final path (file.fileName() may be a temporary)
        bool created = false; ///< open() created the file (not a device written through)
        QByteArray buffer;
        qint64 written = 0;
        quint64 bufferedTransactions = 0; ///< `tx` lines in `buffer`
    };

    class BackgroundWriter;

    void afterAppend();
    /// Hands the buffer to the writer thread (background chunk sizes, unless
    /// `handOff` is false) or writes it on this thread after the queue drained.
    bool writeOut(Sink &sink, bool handOff = true);
    void fail(const Sink &sink, const QString &what);
    /// An error when a file written (not a device) was deleted under the run.
    void checkStillThere();
    void failWith(const QString &message);
    /// True (and m_error set) once the writer thread reported an error.
    bool backgroundFailed();
    /// Waits until the writer thread wrote everything handed to it; false on an error.
    bool drainBackground();
    void closeFiles();
    Result<void> openSink(Sink &sink, const QString &path, bool replace, const QString &tag);
    /// Renames the temporary files over the old capture (a pending replacement).
    void commitReplacement();

    Sink m_main;
    Sink m_events;
    QElapsedTimer m_lastWrite;
    QElapsedTimer m_presenceChecked;
    qsizetype m_chunkBytes = 1 << 20;
    qint64 m_intervalMs = 100;
    quint64 m_total = 0;
    quint64 m_successes = 0;
    quint64 m_savedTransactions = 0; ///< `tx` lines of the chunks this thread wrote whole
    QString m_error;
    bool m_open = false;
    bool m_replacing = false;  ///< writing under temporary names (see the class comment)
    std::unique_ptr<BackgroundWriter> m_background; ///< started on the first background chunk
};

} // namespace SlotScope
