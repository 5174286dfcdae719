#include "capture/csvexporter.h"

#include "capture/accountdiffparser.h"
#include "capture/capturediffs.h"
#include "capture/capturereader.h"
#include "capture/captureparsing.h"
#include "capture/capturewriter.h"
#include "capture/deduplicator.h"
#include "protocol/jsonencoding.h"
#include "protocol/sessionids.h"
#include "capture/logging.h"
#include "capture/outputfile.h"

#include <QFileInfo>

#include <set>
#include <string>

using namespace Qt::StringLiterals;

namespace SlotScope {

using namespace Internal;

namespace {

constexpr qsizetype writeChunk = qsizetype(1) << 20;
constexpr qint64 progressStep = qint64(1) << 20;

QByteArrayView bytes(std::string_view s)
{
    return QByteArrayView(s.data(), qsizetype(s.size()));
}

Error cancelledError()
{
    return makeError(u"Export cancelled"_s);
}

/// Shared plumbing of the three export kinds: buffered, checked output,
/// progress, cancel and the filters.
class Job
{
public:
    Job(const ExportRequest &request, const std::function<void(qint64, qint64)> &progress,
        const std::atomic_bool *cancel)
        : m_request(request), m_progress(progress), m_cancel(cancel), m_file(request.csvPath)
    {
        if (request.sessionId) {
            m_session = request.sessionId->toStdString();
            m_sessionKey = sessionIdKey(*request.sessionId);
        }
        if (request.signatures) {
            for (const QString &s : *request.signatures)
                m_signatures.insert(s.toStdString());
        }
    }

    Result<void> open()
    {
        // Checked again as the file opens, not only when the path was given:
        // a link made meanwhile (or named before the capture existed) must
        // not turn the export into the capture's replacement.
        const QString capture = m_request.capturePath;
        if (const QString input = OutputFile::inputAt(m_request.csvPath, {capture, CaptureWriter::eventsPathFor(capture)});
            !input.isEmpty())
            return makeError(u"%1 is %2 the CSV is made from; it was not replaced"_s.arg(
                input, input == capture ? u"the capture"_s : u"the events file of the capture"_s));
        if (auto r = m_file.open(); !r)
            return r;
        m_out.reserve(writeChunk + (64 << 10));
        m_out.append(CsvExporter::header(m_request.kind));
        return {};
    }

    const ExportRequest &request() const { return m_request; }
    bool cancelled() const { return m_cancel && m_cancel->load(std::memory_order_relaxed); }
    const std::atomic_bool *cancelFlag() const { return m_cancel; }
    /// Progress only (a reader that reports as it skips lines).
    void reportProgress(qint64 done, qint64 total)
    {
        if (m_progress && done - m_lastProgress >= progressStep) {
            m_lastProgress = done;
            m_progress(done, total);
        }
    }

    bool slotAccepted(quint64 slot) const
    {
        return (!m_request.fromSlot || slot >= *m_request.fromSlot) && (!m_request.toSlot || slot <= *m_request.toSlot);
    }
    /// Either form of the filter's id matches (PROTOCOL-0.31.md §5.1): the
    /// exact text first, the normalised key only for a differing text.
    bool sessionAccepted(std::string_view session) const
    {
        if (!m_request.sessionId || session == m_session)
            return true;
        return isSessionId(QString::fromUtf8(session.data(), qsizetype(session.size())))
            && sessionIdKey(QString::fromUtf8(session.data(), qsizetype(session.size()))) == m_sessionKey;
    }
    bool signatureAccepted(std::string_view signature) const
    {
        return !m_request.signatures || m_signatures.find(signature) != m_signatures.end();
    }

    void field(QByteArrayView utf8) { CsvExporter::appendField(m_out, utf8, m_request.spreadsheetSafe); }
    void field(std::string_view utf8) { field(bytes(utf8)); }
    void number(quint64 v) { appendUInt(m_out, v); }
    /// An empty cell for a value the source does not have.
    void number(std::optional<quint64> v)
    {
        if (v)
            number(*v);
    }
    void comma() { m_out.append(','); }
    void endRow()
    {
        m_out.append("\r\n", 2);
        ++m_stats.rowsWritten;
    }
    QByteArray &out() { return m_out; }

    /// Before each input line: the user's cancel, then step(). An error
    /// ends the export (no file is left).
    std::optional<Error> next(qint64 done, qint64 total)
    {
        if (cancelled())
            return abort(cancelledError().message);
        if (auto r = step(done, total); !r)
            return r.error();
        return std::nullopt;
    }
    /// After the last input line: a read error, or a cancel that came with
    /// it, ends the export (no file is left).
    std::optional<Error> endOfInput(const QString &readError)
    {
        if (!readError.isEmpty())
            return abort(readError);
        if (cancelled())
            return abort(cancelledError().message);
        return std::nullopt;
    }

    /// Writes the buffer when it is big enough; reports progress.
    Result<void> step(qint64 done, qint64 total)
    {
        if (m_out.size() >= writeChunk) {
            if (auto r = writeBuffer(); !r)
                return r;
        }
        reportProgress(done, total);
        return {};
    }

    Result<ExportStats> finish(qint64 total)
    {
        if (auto r = writeBuffer(); !r)
            return r.error();
        if (auto r = m_file.commit(); !r)
            return r.error();
        m_stats.bytesRead = total;
        if (m_progress)
            m_progress(total, total);
        return m_stats;
    }

    Error abort(const QString &message)
    {
        m_file.cancel();
        return makeError(message);
    }

    ExportStats &stats() { return m_stats; }

private:
    Result<void> writeBuffer()
    {
        if (m_out.isEmpty())
            return {};
        if (auto r = m_file.write(m_out); !r)
            return r;
        m_stats.bytesWritten += m_out.size();
        m_out.resize(0);
        return {};
    }

    const ExportRequest &m_request;
    const std::function<void(qint64, qint64)> &m_progress;
    const std::atomic_bool *m_cancel;
    OutputFile m_file;
    QByteArray m_out;
    std::string m_session;
    QString m_sessionKey;               // sessionIdKey() of the filter
    std::set<std::string, std::less<>> m_signatures;
    ExportStats m_stats;
    qint64 m_lastProgress = 0;
};

Result<ExportStats> exportTransactions(const ExportRequest &request, Job &job)
{
    CaptureReader reader;
    reader.setDeduplicate(true);
    reader.setIncludeLogs(false);
    reader.setIncludeBalanceChanges(false);
    if (auto r = reader.open(request.capturePath); !r)
        return job.abort(r.error().message);
    if (auto r = job.open(); !r)
        return r.error();

    QByteArray programs;
    while (const TxView *tx = readNextTransactionView(reader)) {
        if (auto stop = job.next(reader.bytesRead(), reader.totalBytes()))
            return *stop;
        if (!job.slotAccepted(tx->slot) || !job.sessionAccepted(tx->sessionId) || !job.signatureAccepted(tx->signature))
            continue;
        job.field(tx->sessionId);
        job.comma();
        job.number(tx->slot);
        job.comma();
        job.field(tx->signature);
        job.comma();
        job.out().append(tx->success ? QByteArrayView("true") : QByteArrayView("false"));
        job.comma();
        if (!tx->success)
            job.field(tx->error);
        job.comma();
        if (tx->fee)
            job.number(*tx->fee);
        job.comma();
        if (tx->computeUnitsConsumed)
            job.number(*tx->computeUnitsConsumed);
        job.comma();
        if (const auto blockTime = tx->effectiveBlockTime())
            appendIsoUtc(job.out(), *blockTime);
        job.comma();
        job.field(tx->feePayer);
        job.comma();
        programs.resize(0);
        for (size_t i = 0; i < tx->programIds.size(); ++i) {
            if (i)
                programs.append(';');
            programs.append(bytes(tx->programIds[i]));
        }
        job.field(QByteArrayView(programs));
        job.endRow();
    }
    if (auto stop = job.endOfInput(reader.errorString()))
        return *stop;
    job.stats().duplicatesDropped = reader.duplicatesDropped();
    // A line of an unknown type is no lost row (§8.2 skips it with a
    // warning): only damaged lines make the CSV incomplete.
    job.stats().skippedLines = reader.damagedLines();
    job.stats().warnings = reader.warnings();
    return job.finish(reader.totalBytes());
}

/// The events file read as every events export reads it (payloads left as
/// text), and the CSV opened. Errors end the job (no file is left).
Result<void> openEvents(CaptureEventReader &reader, const QString &eventsPath, Job &job)
{
    reader.setParseData(false);
    if (auto r = reader.open(eventsPath); !r)
        return job.abort(r.error().message);
    return job.open();
}

/// The events file's damaged lines and warnings counted; the CSV committed.
Result<ExportStats> finishEvents(const CaptureEventReader &reader, Job &job)
{
    job.stats().skippedLines += reader.skippedLines();
    job.stats().warnings += reader.warnings();
    return job.finish(reader.totalBytes());
}

Result<ExportStats> exportEvents(const ExportRequest &request, Job &job)
{
    const QString eventsPath = CaptureWriter::eventsPathFor(request.capturePath);
    if (!QFileInfo::exists(eventsPath))
        return job.abort(u"No events file beside the capture (%1)"_s.arg(eventsPath));
    CaptureEventReader reader;
    if (auto opened = openEvents(reader, eventsPath, job); !opened)
        return opened.error();

    simdjson::dom::parser parser;
    CaptureEvent event;
    QByteArray scratch;
    while (reader.readNext(event)) {
        if (auto stop = job.next(reader.bytesRead(), reader.totalBytes()))
            return *stop;
        const QByteArray session = event.sessionId.toUtf8();
        if (!job.sessionAccepted(std::string_view(session.constData(), size_t(session.size()))))
            continue;
        simdjson::dom::element data;
        const bool parsed = parser.parse(event.dataJson.constData(), size_t(event.dataJson.size())).get(data)
            == simdjson::SUCCESS;
        simdjson::dom::object object;
        if (parsed && data.get(object) == simdjson::SUCCESS) {
            uint64_t n;
            // Events without a slot are kept by a slot range: they describe the run.
            if ((object["slot"].get(n) == simdjson::SUCCESS || object.at_pointer("/context/slot").get(n) == simdjson::SUCCESS)
                && !job.slotAccepted(n))
                continue;
        }
        if (parsed) {
            // Compact JSON: re-serialise without whitespace (exact integers kept).
            const std::string minified = simdjson::minify(data);
            scratch = QByteArray(minified.data(), qsizetype(minified.size()));
        } else {
            scratch = event.dataJson;
        }
        QByteArray at;
        if (event.at.isValid())
            appendIsoUtcMs(at, event.at.toMSecsSinceEpoch());
        job.field(QByteArrayView(at));
        job.comma();
        job.field(QByteArrayView(session));
        job.comma();
        job.field(QByteArrayView(event.type.toUtf8()));
        job.comma();
        job.field(QByteArrayView(scratch));
        job.endRow();
    }
    if (auto stop = job.endOfInput(reader.errorString()))
        return *stop;
    return finishEvents(reader, job);
}

/// One account-diffs row, when the request's filters take it; duplicates
/// (§8.2 item 5: slot, signature, account) dropped.
void writeAccountDiff(Job &job, Deduplicator &dedup, const AccountDiffRecord &diff, QByteArrayView json)
{
    const QByteArray session = diff.sessionId.toUtf8();
    const QByteArray signature = diff.signature.toUtf8();
    const QByteArray account = diff.account.toUtf8();
    const ExportRequest &request = job.request();
    if (!job.sessionAccepted(std::string_view(session.constData(), size_t(session.size())))
        || (diff.slot && !job.slotAccepted(*diff.slot))
        || !job.signatureAccepted(std::string_view(signature.constData(), size_t(signature.size())))
        || (request.accountFilter && !accountFilterAccepts(diff.account, *request.accountFilter))
        || (request.accountDiffKeys
            && !request.accountDiffKeys->contains(accountDiffKey(diff.slot, diff.signature, diff.account))))
        return;
    if (!dedup.admitAccountDiff(diff.slot.value_or(0), signature, account, json))
        return;
    job.field(QByteArrayView(session));
    job.comma();
    job.number(diff.slot);
    job.comma();
    job.field(QByteArrayView(signature));
    job.comma();
    job.field(QByteArrayView(account));
    job.comma();
    job.number(diff.preLamports);
    job.comma();
    job.number(diff.postLamports);
    job.comma();
    job.field(QByteArrayView(diff.preOwner.toUtf8()));
    job.comma();
    job.field(QByteArrayView(diff.postOwner.toUtf8()));
    job.comma();
    job.number(diff.preDataLen);
    job.comma();
    job.number(diff.postDataLen);
    job.endRow();
}

/// The account diffs of the events file (`account_diff` events), or, for a
/// `sim run` capture without one, those the capture carries (CaptureAccountDiffs).
Result<ExportStats> exportAccountDiffs(const ExportRequest &request, Job &job)
{
    Deduplicator dedup;
    AccountDiffRecord diff;
    const QString eventsPath = CaptureWriter::eventsPathFor(request.capturePath);
    if (!QFileInfo::exists(eventsPath)) {
        CaptureAccountDiffs diffs;
        diffs.setCancel(job.cancelFlag());
        diffs.setProgress([&job](qint64 done, qint64 total) { job.reportProgress(done, total); });
        if (auto r = diffs.open(request.capturePath); !r)
            return job.abort(r.error().message);
        if (auto r = job.open(); !r)
            return r.error();
        qint64 found = 0;
        while (diffs.next(diff)) {
            ++found;
            if (auto stop = job.next(diffs.bytesRead(), diffs.totalBytes()))
                return *stop;
            writeAccountDiff(job, dedup, diff, diffs.lastJson());
        }
        if (auto stop = job.endOfInput(diffs.errorString()))
            return *stop;
        const qint64 unreadable = diffs.damagedLines() + diffs.unreadableDiffs();
        // A SlotScope capture whose events file is gone: not "no diffs".
        if (found == 0 && unreadable == 0)
            return job.abort(u"No account diffs: no events file beside the capture (%1), and the capture carries none"_s
                                 .arg(eventsPath));
        job.stats().duplicatesDropped = dedup.duplicatesDropped();
        job.stats().skippedLines += unreadable;
        if (diffs.unreadableDiffs() > 0)
            job.stats().warnings.append(u"%1 account diffs that are no JSON object"_s.arg(diffs.unreadableDiffs()));
        return job.finish(diffs.totalBytes());
    }
    CaptureEventReader reader;
    if (auto opened = openEvents(reader, eventsPath, job); !opened)
        return opened.error();
    AccountDiffParser parser;
    CaptureEvent event;
    while (reader.readNext(event)) {
        if (auto stop = job.next(reader.bytesRead(), reader.totalBytes()))
            return *stop;
        if (event.type != u"account_diff")
            continue;
        if (!parser.parse(event.dataJson, event.sessionId, diff)) {
            ++job.stats().skippedLines;
            job.stats().warnings.append(u"line %1: account_diff without an object payload"_s.arg(event.lineNumber));
            continue;
        }
        writeAccountDiff(job, dedup, diff, event.dataJson);
    }
    if (auto stop = job.endOfInput(reader.errorString()))
        return *stop;
    job.stats().duplicatesDropped = dedup.duplicatesDropped();
    return finishEvents(reader, job);
}

} // namespace

QString ExportStats::summary() const
{
    if (skippedLines <= 0)
        return rowsWritten == 1 ? u"1 row exported"_s : u"%1 rows exported"_s.arg(rowsWritten);
    QString text = u"%1 of %2 rows exported, %3 %4 unreadable"_s.arg(rowsWritten)
                       .arg(rowsWritten + skippedLines)
                       .arg(skippedLines)
                       .arg(skippedLines == 1 ? u"line"_s : u"lines"_s);
    if (!warnings.isEmpty())
        text += u" (%1)"_s.arg(warnings.constFirst());
    return text;
}

QByteArray CsvExporter::header(ExportRequest::Kind kind)
{
    switch (kind) {
    case ExportRequest::Kind::Transactions:
        return QByteArrayLiteral("session_id,slot,signature,success,error,fee,compute_units_consumed,block_time,"
                                 "fee_payer,program_ids\r\n");
    case ExportRequest::Kind::AccountDiffs:
        return QByteArrayLiteral("session_id,slot,signature,account,pre_lamports,post_lamports,pre_owner,post_owner,"
                                 "pre_data_len,post_data_len\r\n");
    case ExportRequest::Kind::Events:
        return QByteArrayLiteral("at,session_id,type,data\r\n");
    }
    return {};
}

void CsvExporter::appendField(QByteArray &out, QByteArrayView utf8, bool spreadsheetSafe)
{
    const char *p = utf8.data();
    const qsizetype n = utf8.size();
    bool prefix = false;
    if (spreadsheetSafe && n > 0) {
        const char c = p[0];
        prefix = c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
    }
    bool quote = false;
    for (qsizetype i = 0; i < n; ++i) {
        const char c = p[i];
        if (c == ',' || c == '"' || c == '\r' || c == '\n') {
            quote = true;
            break;
        }
    }
    if (!quote) {
        if (prefix)
            out.append('\'');
        out.append(p, n);
        return;
    }
    out.append('"');
    if (prefix)
        out.append('\'');
    for (qsizetype i = 0; i < n; ++i) {
        if (p[i] == '"')
            out.append('"');
        out.append(p[i]);
    }
    out.append('"');
}

Result<ExportStats> CsvExporter::exportCsv(const ExportRequest &request,
                                           const std::function<void(qint64, qint64)> &progress,
                                           const std::atomic_bool *cancel)
{
    Job job(request, progress, cancel);
    Result<ExportStats> result = makeError(QString());
    switch (request.kind) {
    case ExportRequest::Kind::Transactions:
        result = exportTransactions(request, job);
        break;
    case ExportRequest::Kind::AccountDiffs:
        result = exportAccountDiffs(request, job);
        break;
    case ExportRequest::Kind::Events:
        result = exportEvents(request, job);
        break;
    }
    if (result) {
        qCInfo(lcCapture, "Exported %lld rows to %s", static_cast<long long>(result->rowsWritten),
               qPrintable(request.csvPath));
    } else {
        qCInfo(lcCapture, "CSV export to %s failed: %s", qPrintable(request.csvPath),
               qPrintable(result.error().message));
    }
    return result;
}

} // namespace SlotScope
