#include "capture/capturewriter.h"

#include "protocol/jsonencoding.h"
#include "protocol/runclock.h"
#include "capture/logging.h"
#include "capture/outputfile.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QRandomGenerator>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#if defined(Q_OS_LINUX)
#include <fcntl.h>
#include <pthread.h>
#endif
#if defined(Q_OS_UNIX)
#include <sys/stat.h>
#endif

using namespace Qt::StringLiterals;

namespace SlotScope {

using namespace Internal;

namespace {

void appendKey(QByteArray &out, std::string_view commaKeyColon)
{
    out.append(commaKeyColon.data(), qsizetype(commaKeyColon.size()));
}

void appendStringArray(QByteArray &out, const QStringList &list)
{
    out.append('[');
    for (qsizetype i = 0; i < list.size(); ++i) {
        if (i)
            out.append(',');
        appendJsonString(out, list.at(i));
    }
    out.append(']');
}

/// Chunk sizes from which chunks go to the writer thread.
constexpr qsizetype backgroundMinChunk = 1 << 20;
/// Bytes handed to the writer thread and not yet written, at most.
constexpr qsizetype backgroundQueueLimit = 32 << 20;
/// Written buffers kept for reuse (each holds a chunk's capacity).
constexpr size_t spareBuffers = 8;

/// Writes `data` (whole lines) to `file`; adds the bytes that reached the
/// file to `written`. A short write is cut off again (the file is truncated to
/// where the chunk began), so the file ends with its last complete line.
/// Returns "" or what went wrong (without the file name).
QString writeChunk(QFile &file, const QByteArray &data, qint64 &written)
{
    const qint64 before = file.isSequential() ? -1 : file.pos();
    errno = 0;
    const qint64 n = file.write(data.constData(), data.size());
    if (n == data.size()) {
        written += n;
        return {};
    }
    const int savedErrno = errno;
    const QString what = describeShortWrite(file, n, data.size(), savedErrno);
    if (n > 0 && (before < 0 || !file.resize(before)))
        written += n; // a device, or the cut failed: the partial line stays
    return what;
}

/// Keeps a long capture from filling the page cache with data nobody reads
/// again soon (a 256-sub-session batch writes tens of GB an hour): every
/// writeBehindWindow bytes, writeback of the newest window is started
/// (sync_file_range), and the windows behind it are dropped from the cache
/// (POSIX_FADV_DONTNEED; the kernel's advice for streaming writers). Nothing
/// waits for the disk: pages still being written back stay cached and are
/// dropped on a later round (droppedWindows back), or, on a disk slower than
/// the capture, left to the kernel as before. The next writes reuse the
/// dropped pages instead of taking fresh ones: on this project's VM a fresh
/// page cost more than the copy into it (tests/bench/README.md, stop 29), and
/// on any machine the rest of the page cache survives a long run. Linux only;
/// a file that has no page cache to manage (tmpfs, a pipe) is left alone.
class WriteBehind
{
public:
    static constexpr qint64 writeBehindWindow = 32 << 20;
    static constexpr qint64 droppedWindows = 4; ///< how far back a round drops what is clean by then

    /// `file` (open, unbuffered) now ends at `end`. Returns "" or why its data
    /// cannot be written back (EIO, ENOSPC).
    QString wrote(QFile &file, qint64 end)
    {
#if defined(Q_OS_LINUX)
        const int fd = file.handle();
        if (fd != m_fd || end < m_started) { // another file: a new capture (its fd may be the old one's number)
            *this = WriteBehind();
            m_fd = fd;
        }
        if (m_off || fd < 0 || end - m_started < writeBehindWindow)
            return {};
        if (::sync_file_range(fd, m_started, end - m_started, SYNC_FILE_RANGE_WRITE) != 0)
            return failed();
        const qint64 from = qMax<qint64>(0, m_started - droppedWindows * writeBehindWindow);
        if (m_started > from)
            ::posix_fadvise(fd, from, m_started - from, POSIX_FADV_DONTNEED);
        m_started = end;
#else
        Q_UNUSED(file);
        Q_UNUSED(end);
#endif
        return {};
    }

private:
    QString failed()
    {
        const int error = errno;
        if (error == EIO || error == ENOSPC)
            return qt_error_string(error);
        m_off = true; // not for this file (ESPIPE, EINVAL: no page cache to manage)
        return {};
    }

    int m_fd = -1;
    qint64 m_started = 0; ///< writeback started below this offset
    bool m_off = false;
};

QString writeErrorMessage(const QString &path, const QString &what)
{
    return u"Cannot write to %1: %2"_s.arg(path, what.isEmpty() ? u"write error"_s : what);
}

/// Bytes of random hex for temporary names.
QString randomTag()
{
    return QString::number(QRandomGenerator::global()->generate64(), 16).right(8);
}

} // namespace

/// The writer thread: a FIFO of chunks for either file, bounded by
/// backgroundQueueLimit. The files are only touched by this thread while it runs.
class CaptureWriter::BackgroundWriter
{
public:
    BackgroundWriter() : m_thread([this] { run(); }) {}

    ~BackgroundWriter()
    {
        {
            const std::lock_guard lock(m_mutex);
            m_stop = true;
        }
        m_workAvailable.notify_one();
        m_thread.join();
    }

    /// Queues `data` (taken, replaced by an empty buffer with spare capacity
    /// when one is available) for `file`; blocks while the queue is full.
    void enqueue(QFile *file, const QString *path, QByteArray &data, quint64 transactions)
    {
        std::unique_lock lock(m_mutex);
        m_progress.wait(lock, [&] {
            return m_failed || m_queuedBytes == 0 || m_queuedBytes + data.size() <= backgroundQueueLimit;
        });
        if (m_failed) {
            data.resize(0);
            return;
        }
        m_queuedBytes += data.size();
        m_queue.push_back(Job{file, path, std::move(data), transactions});
        data = QByteArray();
        if (!m_spare.empty()) {
            data = std::move(m_spare.back());
            m_spare.pop_back();
        }
        lock.unlock();
        m_workAvailable.notify_one();
    }

    /// Waits until every queued chunk is written (or dropped after an error).
    /// Returns the error, "" when none.
    QString drain()
    {
        std::unique_lock lock(m_mutex);
        m_progress.wait(lock, [&] { return m_queue.empty() && !m_writing; });
        return m_error;
    }

    /// A chunk is being written or waits.
    bool busy() const
    {
        const std::lock_guard lock(m_mutex);
        return m_writing || !m_queue.empty();
    }

    bool failed() const { return m_failedFlag.load(std::memory_order_relaxed); }

    QString error() const
    {
        const std::lock_guard lock(m_mutex);
        return m_error;
    }

    /// `tx` lines of the chunks written whole.
    quint64 savedTransactions() const
    {
        const std::lock_guard lock(m_mutex);
        return m_savedTransactions;
    }

private:
    struct Job
    {
        QFile *file;
        const QString *path; ///< the final path, for the error message
        QByteArray data;
        quint64 transactions; ///< `tx` lines in `data`
    };

    void run()
    {
#if defined(Q_OS_LINUX)
        pthread_setname_np(pthread_self(), "capture-writer"); // for top/perf; default: the creator's name
#endif
        std::unique_lock lock(m_mutex);
        for (;;) {
            m_workAvailable.wait(lock, [&] { return m_stop || !m_queue.empty(); });
            if (m_queue.empty())
                return; // m_stop, and everything written
            Job job = std::move(m_queue.front());
            m_queue.pop_front();
            m_writing = true;
            const bool skip = m_failed;
            lock.unlock();

            const qsizetype size = job.data.size();
            QString what;
            if (!skip) {
                qint64 ignored = 0;
                what = writeChunk(*job.file, job.data, ignored);
                if (what.isEmpty() && !job.file->isSequential())
                    what = writeBehindFor(job.file).wrote(*job.file, job.file->pos());
            }
            job.data.resize(0); // keeps the capacity for reuse

            lock.lock();
            if (!skip && what.isEmpty())
                m_savedTransactions += job.transactions;
            if (!what.isEmpty() && !m_failed) {
                m_error = writeErrorMessage(*job.path, what);
                m_failed = true;
                m_failedFlag.store(true, std::memory_order_relaxed);
            }
            m_queuedBytes -= size;
            m_writing = false;
            if (m_spare.size() < spareBuffers)
                m_spare.push_back(std::move(job.data));
            m_progress.notify_all();
        }
    }

    /// The writer thread's page-cache bookkeeping of `file` (the capture or its events file).
    WriteBehind &writeBehindFor(const QFile *file)
    {
        for (auto &[known, writeBehind] : m_writeBehind) {
            if (known == file)
                return writeBehind;
        }
        m_writeBehind.emplace_back(file, WriteBehind());
        return m_writeBehind.back().second;
    }

    std::vector<std::pair<const QFile *, WriteBehind>> m_writeBehind; ///< the writer thread's own
    mutable std::mutex m_mutex;
    std::condition_variable m_workAvailable;
    std::condition_variable m_progress; ///< a chunk was written, or an error
    std::deque<Job> m_queue;
    std::vector<QByteArray> m_spare;
    qsizetype m_queuedBytes = 0;
    quint64 m_savedTransactions = 0;
    bool m_writing = false;
    bool m_stop = false;
    bool m_failed = false;
    std::atomic<bool> m_failedFlag{false};
    QString m_error;
    std::thread m_thread; // last: starts after the members above exist
};

CaptureWriter::CaptureWriter() = default;

CaptureWriter::~CaptureWriter()
{
    close();
}

QString CaptureWriter::eventsPathFor(const QString &path)
{
    static const QString suffix = u".ndjson"_s;
    if (path.endsWith(suffix))
        return path.left(path.size() - suffix.size()) + u".events.ndjson"_s;
    return path + u".events.ndjson"_s;
}

QString CaptureWriter::eventsFileWritten(const QString &path)
{
    if (outputTargetAt(path) == OutputTarget::Stream && !isNamedPipeAt(path))
        return {};
    return eventsPathFor(path);
}

QStringList CaptureWriter::capturePathsForEvents(const QString &eventsPath)
{
    static const QString suffix = u".events.ndjson"_s;
    if (!eventsPath.endsWith(suffix) || eventsPath.size() == suffix.size())
        return {};
    const QString base = eventsPath.left(eventsPath.size() - suffix.size());
    return {base + u".ndjson"_s, base};
}

void CaptureWriter::setFlushPolicy(qsizetype chunkBytes, std::chrono::milliseconds interval)
{
    m_chunkBytes = qMax<qsizetype>(1, chunkBytes);
    m_intervalMs = interval.count();
}

QString CaptureWriter::existingCaptureFile(const QString &path)
{
    // A device or FIFO is a destination written straight through, not an
    // earlier capture to keep (as for a CSV: OutputFile::checkOverwrite).
    if (QFileInfo::exists(path) && outputTargetAt(path) != OutputTarget::Stream)
        return path;
    if (const QString events = eventsFileWritten(path); !events.isEmpty() && QFileInfo::exists(events))
        return events;
    return {};
}

bool CaptureWriter::captureExists(const QString &path)
{
    return !existingCaptureFile(path).isEmpty();
}

QString CaptureWriter::replacementSuffix()
{
    return u".replacing-"_s;
}

Result<void> CaptureWriter::openSink(Sink &sink, const QString &path, bool replace, const QString &tag)
{
    sink.path = path;
    const OutputTarget target = outputTargetAt(path);
    // A device or FIFO is never renamed over: written straight through.
    const bool straight = target == OutputTarget::Stream;
    const bool temporary = replace && target == OutputTarget::RegularFile;
    sink.file.setFileName(temporary ? path + replacementSuffix() + tag : path);
    QIODevice::OpenMode mode = QIODevice::WriteOnly | QIODevice::Unbuffered;
    if (!straight)
        mode |= QIODevice::NewOnly; // never truncates: refusing or replacing was decided above
    sink.created = !straight;
    if (!sink.file.open(mode)) {
        return makeError(u"Cannot create the %1 %2: %3"_s.arg(&sink == &m_main ? u"capture file"_s : u"events file"_s,
                                                              path, sink.file.errorString()));
    }
    return {};
}

void CaptureWriter::commitReplacement()
{
    if (!m_replacing)
        return;
    m_replacing = false;
    for (Sink *sink : {&m_main, &m_events}) {
        const QString temporary = sink->file.fileName();
        if (temporary == sink->path)
            continue;
        // rename(2) replaces the old file atomically; the open descriptor keeps
        // writing to the renamed file. (QFile::rename would close it first.)
        if (::rename(QFile::encodeName(temporary).constData(), QFile::encodeName(sink->path).constData()) != 0) {
            failWith(u"Cannot replace %1: %2"_s.arg(sink->path, qt_error_string(errno)));
            return;
        }
        qCInfo(lcCapture, "Replaced the earlier capture file %s", qPrintable(sink->path));
    }
}

Result<void> CaptureWriter::open(const QString &path, const CaptureMetadata &metadata, Existing existing)
{
    close();
    m_error.clear();
    m_total = 0;
    m_successes = 0;
    m_savedTransactions = 0;
    m_main.bufferedTransactions = 0;
    m_main.written = 0;
    m_events.written = 0;
    m_main.buffer.clear();
    m_events.buffer.clear();

    m_replacing = false;

    // A folder is never a capture: refused now, not when the first data
    // would have replaced it (a run's worth of transactions lost by then).
    const QString eventsPath = eventsFileWritten(path);
    for (const QString &target : {path, eventsPath}) {
        if (!target.isEmpty() && outputTargetAt(target) == OutputTarget::Folder) {
            return makeError(u"Cannot create the %1 %2: it is a folder"_s.arg(
                target == path ? u"capture file"_s : u"events file"_s, target));
        }
    }
    const QString existingFile = existingCaptureFile(path);
    const bool exists = !existingFile.isEmpty();
    if (exists && existing == Existing::Refuse)
        return makeError(u"The capture file %1 already exists"_s.arg(existingFile));
    const QString tag = randomTag();
    if (auto r = openSink(m_main, path, exists, tag); !r)
        return r;
    m_events.path.clear();
    m_events.file.setFileName(QString());
    if (auto r = eventsPath.isEmpty() ? Result<void>() : openSink(m_events, eventsPath, exists, tag); !r) {
        m_main.file.close();
        if (m_main.created)
            m_main.file.remove(); // ours, just created (a temporary or a new file)
        return r;
    }
    m_replacing = m_main.file.fileName() != m_main.path || m_events.file.fileName() != m_events.path;
    m_main.buffer.reserve(m_chunkBytes + (64 << 10));
    m_open = true;

    QByteArray &out = m_main.buffer;
    out.append(R"({"type":"metadata","data":{"start_slot":)");
    appendUInt(out, metadata.startSlot);
    appendKey(out, R"(,"end_slot":)");
    appendUInt(out, metadata.endSlot);
    if (!metadata.programIds.isEmpty()) {
        appendKey(out, R"(,"program_ids":)");
        appendStringArray(out, metadata.programIds);
    }
    if (!metadata.programSo.isEmpty()) {
        appendKey(out, R"(,"program_so":)");
        appendStringArray(out, metadata.programSo);
    }
    appendKey(out, R"(,"ran_at_unix_secs":)");
    appendUInt(out, quint64(qMax<qint64>(0, metadata.ranAtUnixSecs)));
    if (!metadata.sessionName.isEmpty()) {
        appendKey(out, R"(,"session_name":)");
        appendJsonString(out, metadata.sessionName);
    }
    out.append("}}\n");
    // The metadata line reaches the disk at once: a run that dies early still
    // leaves a recognisable capture.
    if (auto r = flush(); !r)
        return r;
    return {};
}

qint64 CaptureWriter::appendTransaction(const QString &sessionId, const TransactionSummary &s,
                                        QByteArrayView rawResult)
{
    if (!m_open || !m_error.isEmpty() || backgroundFailed())
        return -1;
    commitReplacement(); // the run has data: the old capture goes now
    if (!m_error.isEmpty())
        return -1;
    QByteArray &out = m_main.buffer;
    const qint64 offset = m_main.written + out.size();

    out.append(R"({"type":"tx","data":{"slot":)");
    appendUInt(out, s.slot);
    if (s.blockTime && *s.blockTime >= 0) {
        appendKey(out, R"(,"timestamp":)");
        appendUInt(out, quint64(*s.blockTime));
    }
    appendKey(out, R"(,"signature":)");
    appendJsonString(out, s.signature);
    appendKey(out, s.success ? std::string_view(R"(,"success":true)") : std::string_view(R"(,"success":false)"));
    if (!s.success) {
        appendKey(out, R"(,"error":)");
        appendJsonString(out, s.error);
    }
    appendKey(out, R"(,"logs":)");
    if (!s.logsJson.isEmpty())
        out.append(s.logsJson); // the same text, formatted by the summarizer (Ingest detail)
    else
        appendStringArray(out, s.logs);

    appendKey(out, R"(,"sol_changes":[)");
    for (qsizetype i = 0; i < s.solChanges.size(); ++i) {
        const SolChange &c = s.solChanges.at(i);
        appendKey(out, i ? std::string_view(R"(,{"account":)") : std::string_view(R"({"account":)"));
        appendJsonString(out, c.account);
        appendKey(out, R"(,"pubkey":)");
        appendJsonString(out, c.account);
        appendKey(out, R"(,"pre_lamports":)");
        appendUInt(out, c.preLamports);
        appendKey(out, R"(,"post_lamports":)");
        appendUInt(out, c.postLamports);
        out.append('}');
    }
    appendKey(out, R"(],"token_changes":[)");
    for (qsizetype i = 0; i < s.tokenChanges.size(); ++i) {
        const TokenChange &c = s.tokenChanges.at(i);
        appendKey(out, i ? std::string_view(R"(,{"account":)") : std::string_view(R"({"account":)"));
        appendJsonString(out, c.account);
        appendKey(out, R"(,"pubkey":)");
        appendJsonString(out, c.account);
        appendKey(out, R"(,"mint":)");
        appendJsonString(out, c.mint);
        appendKey(out, R"(,"owner":)");
        appendJsonString(out, c.owner);
        appendKey(out, R"(,"pre_amount":)");
        appendUInt(out, c.preAmount);
        appendKey(out, R"(,"post_amount":)");
        appendUInt(out, c.postAmount);
        appendKey(out, R"(,"decimals":)");
        appendUInt(out, quint64(qMax(0, c.decimals)));
        out.append('}');
    }
    out.append(']');

    // SlotScope's own keys (ignored by `sim`, DESIGN.md §3).
    appendKey(out, R"(,"session_id":)");
    appendJsonString(out, sessionId);
    appendKey(out, R"(,"fee":)");
    appendUInt(out, s.fee);
    if (s.computeUnitsConsumed) {
        appendKey(out, R"(,"compute_units_consumed":)");
        appendUInt(out, *s.computeUnitsConsumed);
    }
    appendKey(out, R"(,"fee_payer":)");
    appendJsonString(out, s.feePayer);
    appendKey(out, R"(,"program_ids":)");
    appendStringArray(out, s.programIds);
    if (s.blockTime) {
        appendKey(out, R"(,"block_time":)");
        appendInt(out, *s.blockTime);
    }
    if (s.transactionIndex) {
        appendKey(out, R"(,"transaction_index":)");
        appendUInt(out, *s.transactionIndex);
    }
    appendKey(out, R"(,"raw":)");
    const QByteArrayView raw = rawResult.trimmed();
    if (raw.isEmpty())
        out.append("null");
    else
        appendSingleLine(out, raw);
    out.append("}}\n");

    ++m_total;
    ++m_main.bufferedTransactions;
    if (s.success)
        ++m_successes;
    afterAppend();
    return offset;
}

void CaptureWriter::appendEvent(const QString &type, const QString &sessionId, const QJsonObject &data)
{
    if (!m_open || !m_error.isEmpty())
        return;
    appendEvent(type, sessionId, QJsonDocument(data).toJson(QJsonDocument::Compact));
}

void CaptureWriter::appendEvent(const QString &type, const QString &sessionId, QByteArrayView dataJson)
{
    if (!m_open || !m_error.isEmpty() || backgroundFailed() || m_events.path.isEmpty())
        return;
    if (m_replacing && (type == u"session_created" || type == u"session_attached")) {
        commitReplacement(); // the server accepted the run
        if (!m_error.isEmpty())
            return;
    }
    QByteArray &out = m_events.buffer;
    appendKey(out, R"({"type":)");
    appendJsonString(out, type);
    appendKey(out, R"(,"session_id":)");
    appendJsonString(out, sessionId);
    appendKey(out, R"(,"at":")");
    appendIsoUtcMs(out, runClockMs()); // the run's other timestamps' clock (coordinator snapshots)
    appendKey(out, R"(","data":)");
    const QByteArrayView data = dataJson.trimmed();
    if (data.isEmpty())
        out.append("{}");
    else
        appendSingleLine(out, data);
    out.append("}\n");
    afterAppend();
}

void CaptureWriter::afterAppend()
{
    const bool due = !m_lastWrite.isValid() || m_lastWrite.elapsed() >= m_intervalMs;
    if (m_main.buffer.size() >= m_chunkBytes || (due && !m_main.buffer.isEmpty()))
        writeOut(m_main);
    if (m_events.buffer.size() >= m_chunkBytes || (due && !m_events.buffer.isEmpty()))
        writeOut(m_events);
    if (due)
        m_lastWrite.start();
}

bool CaptureWriter::writeOut(Sink &sink, bool handOff)
{
    if (!m_error.isEmpty() || backgroundFailed()) {
        sink.buffer.clear();
        sink.bufferedTransactions = 0;
        return false;
    }
    if (sink.buffer.isEmpty())
        return true;
    const quint64 transactions = std::exchange(sink.bufferedTransactions, 0);
    if (handOff && m_chunkBytes >= backgroundMinChunk) {
        if (!m_background) {
            m_background = std::make_unique<BackgroundWriter>();
        }
        const qsizetype size = sink.buffer.size();
        m_background->enqueue(&sink.file, &sink.path, sink.buffer, transactions);
        sink.written += size; // logical: offsets count every byte handed over
        if (&sink == &m_main && sink.buffer.capacity() < m_chunkBytes)
            sink.buffer.reserve(m_chunkBytes + (64 << 10));
        return true;
    }
    // Written on this thread: whatever the writer thread holds goes first.
    if (!drainBackground()) {
        sink.buffer.clear();
        return false;
    }
    if (const QString what = writeChunk(sink.file, sink.buffer, sink.written); !what.isEmpty()) {
        fail(sink, what);
        sink.buffer.clear();
        return false;
    }
    m_savedTransactions += transactions;
    sink.buffer.resize(0); // keeps the capacity
    return true;
}

void CaptureWriter::checkStillThere()
{
#if defined(Q_OS_UNIX)
    // Writes into a file deleted under the run succeed and keep nothing (a
    // capture folder removed mid-run): as lost as a full disk, and said so.
    // Looked at once a second at most: an fstat of each file.
    if (!m_error.isEmpty() || (m_presenceChecked.isValid() && m_presenceChecked.elapsed() < 1000))
        return;
    m_presenceChecked.start();
    for (const Sink *sink : {&m_main, &m_events}) {
        struct stat status {};
        if (!sink->created || !sink->file.isOpen() || ::fstat(sink->file.handle(), &status) != 0)
            continue;
        if (status.st_nlink == 0) {
            failWith(u"%1 was deleted while the run wrote it (its folder removed?): what arrives cannot be kept"_s
                         .arg(QDir::toNativeSeparators(sink->path)));
            return;
        }
    }
#endif
}

void CaptureWriter::fail(const Sink &sink, const QString &what)
{
    failWith(writeErrorMessage(sink.path, what));
}

void CaptureWriter::failWith(const QString &message)
{
    if (!m_error.isEmpty())
        return;
    m_error = message;
    qCWarning(lcCapture, "%s", qPrintable(m_error));
    m_main.buffer.clear();
    m_events.buffer.clear();
}

bool CaptureWriter::backgroundFailed()
{
    if (!m_background || !m_background->failed())
        return false;
    failWith(m_background->error());
    return true;
}

bool CaptureWriter::drainBackground()
{
    if (!m_background)
        return m_error.isEmpty();
    if (const QString error = m_background->drain(); !error.isEmpty())
        failWith(error);
    return m_error.isEmpty();
}

quint64 CaptureWriter::transactionCount() const
{
    if (lastError().isEmpty())
        return m_total;
    return m_savedTransactions + (m_background ? m_background->savedTransactions() : 0);
}

QString CaptureWriter::lastError() const
{
    if (m_error.isEmpty() && m_background && m_background->failed())
        return m_background->error();
    return m_error;
}

Result<void> CaptureWriter::flush()
{
    if (m_open) {
        // flush() waits for the queue. While the writer thread is busy the
        // rest (less than a chunk) joins its queue; when it is idle the rest is
        // written here, rather than waking it up and waiting for it.
        const bool handOff = m_background && m_background->busy();
        writeOut(m_main, handOff);
        writeOut(m_events, handOff);
        drainBackground();
        m_lastWrite.start();
        checkStillThere();
    }
    if (!m_error.isEmpty())
        return makeError(m_error);
    return {};
}

Result<void> CaptureWriter::finish(const QStringList &sessionIds)
{
    if (!m_open)
        return makeError(m_error.isEmpty() ? u"The capture is not open"_s : m_error);
    commitReplacement();
    if (m_error.isEmpty()) {
        QByteArray totals;
        totals.append(R"("total":)");
        appendUInt(totals, m_total);
        totals.append(R"(,"successes":)");
        appendUInt(totals, m_successes);
        totals.append(R"(,"failures":)");
        appendUInt(totals, m_total - m_successes);

        QByteArray &out = m_main.buffer;
        out.append(R"({"type":"summary","data":{)");
        out.append(totals);
        out.append(R"(,"session_ids":)");
        appendStringArray(out, sessionIds);
        out.append(R"(,"summary":{)");
        out.append(totals);
        out.append("}}}\n");
    }
    auto result = flush();
    closeFiles();
    return result;
}

void CaptureWriter::close()
{
    if (!m_open)
        return;
    (void)flush();
    closeFiles();
}

void CaptureWriter::closeFiles()
{
    if (m_background) {
        drainBackground();
        m_savedTransactions += m_background->savedTransactions(); // transactionCount() after the close
        m_background.reset(); // joins the writer thread before the files close
    }
    for (Sink *sink : {&m_main, &m_events}) {
        sink->file.close();
        if (sink->file.error() != QFileDevice::NoError && m_error.isEmpty())
            failWith(writeErrorMessage(sink->path, sink->file.errorString()));
        // A replacing run that never had data: the old capture stays as it was.
        if (m_replacing && sink->file.fileName() != sink->path)
            QFile::remove(sink->file.fileName());
        sink->buffer.clear();
    }
    m_replacing = false;
    m_open = false;
}

} // namespace SlotScope
