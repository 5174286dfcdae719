#include "capture/capturewriter.h"

#include "capture/jsonencoding.h"
#include "capture/logging.h"

#include <QDateTime>
#include <QJsonDocument>

#include <cerrno>

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

} // namespace

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

void CaptureWriter::setFlushPolicy(qsizetype chunkBytes, std::chrono::milliseconds interval)
{
    m_chunkBytes = qMax<qsizetype>(1, chunkBytes);
    m_intervalMs = interval.count();
}

Result<void> CaptureWriter::open(const QString &path, const CaptureMetadata &metadata)
{
    close();
    m_error.clear();
    m_total = 0;
    m_successes = 0;
    m_main.written = 0;
    m_events.written = 0;
    m_main.buffer.clear();
    m_events.buffer.clear();

    m_main.file.setFileName(path);
    if (!m_main.file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Unbuffered)) {
        return makeError(u"Cannot create the capture file %1: %2"_s.arg(path, m_main.file.errorString()));
    }
    m_events.file.setFileName(eventsPathFor(path));
    if (!m_events.file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Unbuffered)) {
        const QString message = u"Cannot create the events file %1: %2"_s.arg(m_events.file.fileName(),
                                                                               m_events.file.errorString());
        m_main.file.close();
        return makeError(message);
    }
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
    if (!m_open || !m_error.isEmpty())
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
    if (!m_open || !m_error.isEmpty())
        return;
    QByteArray &out = m_events.buffer;
    appendKey(out, R"({"type":)");
    appendJsonString(out, type);
    appendKey(out, R"(,"session_id":)");
    appendJsonString(out, sessionId);
    appendKey(out, R"(,"at":")");
    appendIsoUtcMs(out, QDateTime::currentMSecsSinceEpoch());
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

bool CaptureWriter::writeOut(Sink &sink)
{
    if (!m_error.isEmpty()) {
        sink.buffer.clear();
        return false;
    }
    if (sink.buffer.isEmpty())
        return true;
    const qint64 n = sink.file.write(sink.buffer.constData(), sink.buffer.size());
    if (n != sink.buffer.size()) {
        const int savedErrno = errno;
        if (n > 0)
            sink.written += n;
        QString why = sink.file.error() != QFileDevice::NoError ? sink.file.errorString() : QString();
        if (why.isEmpty() || why == u"Unknown error"_s)
            why = savedErrno ? qt_error_string(savedErrno) : QString();
        fail(sink, u"%1 (%2 of %3 bytes written; is the disk full?)"_s.arg(why.isEmpty() ? u"write failed"_s : why)
                       .arg(qMax<qint64>(0, n)).arg(sink.buffer.size()));
        sink.buffer.clear();
        return false;
    }
    sink.written += n;
    sink.buffer.resize(0); // keeps the capacity
    return true;
}

void CaptureWriter::fail(const Sink &sink, const QString &what)
{
    if (!m_error.isEmpty())
        return;
    m_error = u"Cannot write to %1: %2"_s.arg(sink.file.fileName(),
                                               what.isEmpty() ? u"write error"_s : what);
    qCWarning(lcCapture, "%s", qPrintable(m_error));
    m_main.buffer.clear();
    m_events.buffer.clear();
}

Result<void> CaptureWriter::flush()
{
    if (m_open) {
        writeOut(m_main);
        writeOut(m_events);
        m_lastWrite.start();
    }
    if (!m_error.isEmpty())
        return makeError(m_error);
    return {};
}

Result<void> CaptureWriter::finish(const QStringList &sessionIds)
{
    if (!m_open)
        return makeError(m_error.isEmpty() ? u"The capture is not open"_s : m_error);
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
    m_main.file.close();
    m_events.file.close();
    m_main.buffer.clear();
    m_events.buffer.clear();
    m_open = false;
}

} // namespace SlotScope
