#include "capture/capturereader.h"

#include "capture/captureparsing.h"
#include "capture/deduplicator.h"
#include "capture/linesource.h"
#include "capture/logging.h"

#include <QFile>
#include <QJsonDocument>
#include <QSet>

using namespace Qt::StringLiterals;

namespace SlotScope {

using namespace Internal;

namespace {
constexpr qsizetype maxWarnings = 1000;
}

// ---------------------------------------------------------------------------
// CaptureReader

struct CaptureReader::Private
{
    LineSource source;
    simdjson::ondemand::parser parser;
    TxView view;
    ParsedLine parsed;
    Format format = Format::Ndjson;
    unsigned detail = TxLogs | TxBalanceChanges;
    bool deduplicate = false;
    Deduplicator dedup;

    QString path;
    std::optional<CaptureMetadata> metadata;
    std::optional<CaptureSummary> summary;
    QStringList startedIds;
    QSet<QString> startedSet;
    QStringList txSessionIds;
    QSet<QString> txSessionSet;
    QByteArray lastTxSession;            // UTF-8 of the last session_id recorded in txSessionSet
    QByteArray soleSession;              // filled into lines without session_id
    quint64 total = 0;
    quint64 successes = 0;
    qint64 skipped = 0;
    QStringList warnings;
    QString error;
    bool isOpen = false;
    bool atEnd = false;
    qint64 lastOffset = -1;
    qint64 lastLineNumber = 0;

    // Legacy single document (§5).
    std::unique_ptr<simdjson::dom::parser> dom;
    simdjson::padded_string legacyJson;
    simdjson::dom::array::iterator legacyIt;
    simdjson::dom::array::iterator legacyEnd;
    simdjson::padded_string scratch;
    qint64 legacyIndex = 0;
    qint64 legacyCount = 0;
    qint64 fileSize = 0;

    void reset();
    void warn(qint64 lineNumber, const QString &text);
    void addStartedSession(const QString &id);
    void updateSoleSession();
    const TxView *nextView();
    const TxView *nextLegacyView();
    const TxView *admit(const TxView &v);
    Result<void> openLegacy();
};

void CaptureReader::Private::reset()
{
    source.close();
    format = Format::Ndjson;
    dedup.reset();
    metadata.reset();
    summary.reset();
    startedIds.clear();
    startedSet.clear();
    txSessionIds.clear();
    txSessionSet.clear();
    lastTxSession.clear();
    soleSession.clear();
    total = successes = 0;
    skipped = 0;
    warnings.clear();
    error.clear();
    isOpen = atEnd = false;
    lastOffset = -1;
    lastLineNumber = 0;
    dom.reset();
    legacyJson = simdjson::padded_string();
    scratch = simdjson::padded_string();
    legacyIndex = 0;
    legacyCount = 0;
    fileSize = 0;
}

void CaptureReader::Private::warn(qint64 lineNumber, const QString &text)
{
    const QString message = lineNumber > 0 ? u"line %1: %2"_s.arg(lineNumber).arg(text) : text;
    if (warnings.size() < maxWarnings)
        warnings.append(message);
    qCDebug(lcCapture, "%s: %s", qPrintable(path), qPrintable(message));
}

void CaptureReader::Private::addStartedSession(const QString &id)
{
    if (id.isEmpty() || startedSet.contains(id))
        return;
    startedSet.insert(id);
    startedIds.append(id);
    updateSoleSession();
}

void CaptureReader::Private::updateSoleSession()
{
    if (!startedIds.isEmpty())
        soleSession = startedIds.size() == 1 ? startedIds.constFirst().toUtf8() : QByteArray();
    else if (metadata && metadata->sessionIds.size() == 1)
        soleSession = metadata->sessionIds.constFirst().toUtf8();
    else
        soleSession.clear();
}

const TxView *CaptureReader::Private::admit(const TxView &v)
{
    if (deduplicate && !dedup.admitTransaction(QByteArrayView(v.signature.data(), qsizetype(v.signature.size()))))
        return nullptr;
    if (v.sessionId.empty()) {
        if (!soleSession.isEmpty())
            view.sessionId = std::string_view(soleSession.constData(), size_t(soleSession.size()));
    } else if (QByteArrayView(v.sessionId.data(), qsizetype(v.sessionId.size())) != lastTxSession) {
        lastTxSession = QByteArray(v.sessionId.data(), qsizetype(v.sessionId.size()));
        const QString id = QString::fromUtf8(lastTxSession);
        if (!txSessionSet.contains(id)) {
            txSessionSet.insert(id);
            txSessionIds.append(id);
        }
    }
    ++total;
    if (v.success)
        ++successes;
    return &view;
}

const TxView *CaptureReader::Private::nextView()
{
    if (!isOpen || atEnd)
        return nullptr;
    if (format == Format::Legacy)
        return nextLegacyView();
    Line line;
    while (source.next(line)) {
        parseLine(parser, line.data, line.size, line.capacity, detail, view, parsed);
        switch (parsed.kind) {
        case LineKind::Blank:
            break;
        case LineKind::Tx:
            if (admit(view)) {
                lastOffset = line.offset;
                lastLineNumber = line.number;
                return &view;
            }
            break;
        case LineKind::Metadata:
            if (!metadata) {
                metadata = parsed.metadata;
                updateSoleSession();
            } else {
                warn(line.number, u"another metadata line, ignored"_s);
            }
            break;
        case LineKind::SessionStarted:
            addStartedSession(parsed.sessionStartedId);
            break;
        case LineKind::Summary:
            if (summary)
                warn(line.number, u"another summary line, replaces the previous one"_s);
            summary = parsed.summary;
            break;
        case LineKind::Diff:
            break;
        case LineKind::Unknown:
            ++skipped;
            warn(line.number, u"unknown type \"%1\", skipped"_s.arg(toQString(parsed.type)));
            break;
        case LineKind::Malformed:
            ++skipped;
            warn(line.number, u"malformed line skipped (%1)"_s.arg(QString::fromStdString(parsed.problem)));
            break;
        }
    }
    if (!source.errorString().isEmpty())
        error = source.errorString();
    atEnd = true;
    return nullptr;
}

const TxView *CaptureReader::Private::nextLegacyView()
{
    while (legacyIt != legacyEnd) {
        const simdjson::dom::element element = *legacyIt;
        ++legacyIt;
        ++legacyIndex;
        // Re-serialise the element and parse it with the same code as NDJSON lines.
        scratch = simdjson::padded_string(simdjson::to_string(element));
        if (const auto e = parseTxDocument(parser, scratch, detail, view)) {
            ++skipped;
            warn(0, u"transaction #%1: malformed, skipped (%2)"_s.arg(legacyIndex).arg(QString::fromUtf8(simdjson::error_message(e))));
            continue;
        }
        if (admit(view)) {
            lastOffset = -1;
            lastLineNumber = 0;
            return &view;
        }
    }
    atEnd = true;
    return nullptr;
}

Result<void> CaptureReader::Private::openLegacy()
{
    auto loaded = simdjson::padded_string::load(QFile::encodeName(path).toStdString());
    if (loaded.error())
        return makeError(u"Cannot read %1: %2"_s.arg(path, QString::fromUtf8(simdjson::error_message(loaded.error()))));
    legacyJson = std::move(loaded).value_unsafe();
    dom = std::make_unique<simdjson::dom::parser>();
    simdjson::dom::element root;
    if (dom->parse(legacyJson).get(root) != simdjson::SUCCESS || !root.is_object())
        return makeError(u"%1 is not a capture file (neither NDJSON nor a sim output document)"_s.arg(path));
    simdjson::dom::array transactions;
    if (root["transactions"].get(transactions) != simdjson::SUCCESS)
        return makeError(u"%1 is not a capture file (no \"transactions\" array)"_s.arg(path));

    simdjson::dom::element element;
    if (root["metadata"].get(element) == simdjson::SUCCESS) {
        scratch = simdjson::padded_string(simdjson::to_string(element));
        CaptureMetadata m;
        if (parseMetadataDocument(parser, scratch, m) == simdjson::SUCCESS)
            metadata = m;
        else
            warn(0, u"legacy metadata malformed, ignored"_s);
    } else {
        warn(0, u"legacy document without metadata"_s);
    }
    if (root["summary"].get(element) == simdjson::SUCCESS) {
        scratch = simdjson::padded_string(simdjson::to_string(element));
        CaptureSummary s;
        if (parseSummaryDocument(parser, scratch, s) == simdjson::SUCCESS)
            summary = s;
        else
            warn(0, u"legacy summary malformed, ignored"_s);
    }
    legacyCount = qint64(transactions.size());
    legacyIt = transactions.begin();
    legacyEnd = transactions.end();
    format = Format::Legacy;
    updateSoleSession();
    return {};
}

CaptureReader::CaptureReader()
    : d(std::make_unique<Private>())
{
}

CaptureReader::~CaptureReader() = default;

void CaptureReader::setDeduplicate(bool on)
{
    d->deduplicate = on;
}

void CaptureReader::setIncludeLogs(bool on)
{
    d->detail = on ? (d->detail | TxLogs) : (d->detail & ~unsigned(TxLogs));
}

void CaptureReader::setIncludeBalanceChanges(bool on)
{
    d->detail = on ? (d->detail | TxBalanceChanges) : (d->detail & ~unsigned(TxBalanceChanges));
}

Result<void> CaptureReader::open(const QString &path)
{
    d->reset();
    d->path = path;
    if (auto r = d->source.open(path); !r)
        return r;
    d->fileSize = d->source.size();

    // Sniff (§8.2 item 1): the first non-empty line decides.
    Line line;
    bool found = false;
    while (d->source.next(line)) {
        parseLine(d->parser, line.data, line.size, line.capacity, TxRowOnly, d->view, d->parsed);
        if (d->parsed.kind != LineKind::Blank) {
            found = true;
            break;
        }
    }
    if (!d->source.errorString().isEmpty())
        return makeError(d->source.errorString());
    d->isOpen = true;
    if (!found) {
        d->atEnd = true; // empty file: a run that died before writing anything
        d->warn(0, u"empty capture file"_s);
        return {};
    }
    if (d->parsed.kind == LineKind::Metadata) {
        d->metadata = d->parsed.metadata;
        d->updateSoleSession();
        return {};
    }
    if (d->parsed.kind != LineKind::Malformed) {
        // NDJSON without a leading metadata line: read everything from the start.
        d->warn(line.number, u"the file does not start with a metadata line"_s);
        if (auto r = d->source.open(path); !r)
            return r;
        return {};
    }
    // Not an envelope: a legacy single document (§5), or NDJSON with a damaged first line.
    bool nextIsEnvelope = false;
    while (d->source.next(line)) {
        parseLine(d->parser, line.data, line.size, line.capacity, TxRowOnly, d->view, d->parsed);
        if (d->parsed.kind == LineKind::Blank)
            continue;
        nextIsEnvelope = d->parsed.kind != LineKind::Malformed;
        break;
    }
    if (nextIsEnvelope) {
        // NDJSON after all: read from the start; the damaged line is counted when reached.
        if (auto r = d->source.open(path); !r)
            return r;
        return {};
    }
    d->source.close();
    auto legacy = d->openLegacy();
    if (!legacy)
        d->isOpen = false;
    return legacy;
}

void CaptureReader::close()
{
    d->reset();
}

CaptureReader::Format CaptureReader::format() const
{
    return d->format;
}

std::optional<CaptureMetadata> CaptureReader::metadata() const
{
    return d->metadata;
}

bool CaptureReader::readNext(CapturedTransaction &tx)
{
    const TxView *v = d->nextView();
    if (!v)
        return false;
    toCapturedTransaction(*v, tx);
    tx.offset = d->lastOffset;
    tx.lineNumber = d->lastLineNumber;
    return true;
}

bool CaptureReader::atEnd() const
{
    return d->atEnd;
}

QString CaptureReader::errorString() const
{
    return d->error;
}

std::optional<CaptureSummary> CaptureReader::summary() const
{
    return d->summary;
}

CaptureSummary CaptureReader::totals() const
{
    if (d->summary) {
        CaptureSummary s = *d->summary;
        if (s.sessionIds.isEmpty())
            s.sessionIds = sessionIds();
        return s;
    }
    return CaptureSummary{d->total, d->successes, d->total - d->successes, sessionIds()};
}

QStringList CaptureReader::sessionIds() const
{
    if (!d->startedIds.isEmpty())
        return d->startedIds;
    if (d->summary && !d->summary->sessionIds.isEmpty())
        return d->summary->sessionIds;
    if (d->metadata && !d->metadata->sessionIds.isEmpty())
        return d->metadata->sessionIds;
    return d->txSessionIds;
}

qint64 CaptureReader::bytesRead() const
{
    if (d->format == Format::Legacy) {
        if (d->atEnd || d->legacyCount == 0)
            return d->atEnd ? d->fileSize : 0;
        return d->fileSize * d->legacyIndex / d->legacyCount;
    }
    return d->atEnd ? d->fileSize : d->source.position();
}

qint64 CaptureReader::totalBytes() const
{
    return d->fileSize;
}

qint64 CaptureReader::skippedLines() const
{
    return d->skipped;
}

QStringList CaptureReader::warnings() const
{
    return d->warnings;
}

qint64 CaptureReader::duplicatesDropped() const
{
    return d->dedup.duplicatesDropped();
}

Result<QByteArray> CaptureReader::readRawTransaction(const QString &capturePath, qint64 offset)
{
    if (offset < 0)
        return makeError(u"No transaction line at offset %1"_s.arg(offset));
    if (offset > 0) {
        // The offset must be the start of a line.
        QFile file(capturePath);
        if (!file.open(QIODevice::ReadOnly))
            return makeError(u"Cannot open %1: %2"_s.arg(capturePath, file.errorString()));
        char before = 0;
        if (!file.seek(offset - 1) || file.read(&before, 1) != 1 || before != '\n')
            return makeError(u"Offset %1 is not the start of a line in %2"_s.arg(offset).arg(capturePath));
    }
    LineSource source;
    source.setInitialCapacity(size_t(64) << 10);
    if (auto r = source.open(capturePath, offset); !r)
        return r.error();
    Line line;
    if (!source.next(line)) {
        return makeError(source.errorString().isEmpty()
                             ? u"No transaction line at offset %1 in %2"_s.arg(offset).arg(capturePath)
                             : source.errorString());
    }
    simdjson::ondemand::parser parser;
    std::string_view raw;
    if (const auto e = rawOfTxLine(parser, line.data, line.size, line.capacity, raw)) {
        return makeError(u"No raw transaction at offset %1 in %2 (%3)"_s.arg(offset)
                             .arg(capturePath, QString::fromUtf8(simdjson::error_message(e))));
    }
    return QByteArray(raw.data(), qsizetype(raw.size()));
}

Result<QList<CapturedTransaction>> CaptureReader::readAllTransactions(const QString &path, bool deduplicate)
{
    CaptureReader reader;
    reader.setDeduplicate(deduplicate);
    if (auto r = reader.open(path); !r)
        return r.error();
    QList<CapturedTransaction> list;
    CapturedTransaction tx;
    while (reader.readNext(tx))
        list.append(tx);
    if (!reader.errorString().isEmpty())
        return makeError(reader.errorString());
    return list;
}

const TxView *Internal::readNextTransactionView(CaptureReader &reader)
{
    return reader.d->nextView();
}

// ---------------------------------------------------------------------------
// CaptureEventReader

struct CaptureEventReader::Private
{
    LineSource source;
    simdjson::ondemand::parser parser;
    bool parseData = true;
    qint64 skipped = 0;
    QStringList warnings;
    QString error;
    QString path;
    bool atEnd = false;
};

CaptureEventReader::CaptureEventReader()
    : d(std::make_unique<Private>())
{
}

CaptureEventReader::~CaptureEventReader() = default;

void CaptureEventReader::setParseData(bool on)
{
    d->parseData = on;
}

Result<void> CaptureEventReader::open(const QString &eventsPath)
{
    d->skipped = 0;
    d->warnings.clear();
    d->error.clear();
    d->atEnd = false;
    d->path = eventsPath;
    d->source.setInitialCapacity(size_t(1) << 20);
    return d->source.open(eventsPath);
}

bool CaptureEventReader::readNext(CaptureEvent &event)
{
    if (d->atEnd)
        return false;
    Line line;
    EventView v;
    while (d->source.next(line)) {
        const auto e = parseEventLine(d->parser, line.data, line.size, line.capacity, v);
        if (e == simdjson::EMPTY)
            continue;
        if (e) {
            ++d->skipped;
            if (d->warnings.size() < maxWarnings) {
                d->warnings.append(u"line %1: malformed event skipped (%2)"_s.arg(line.number)
                                       .arg(QString::fromUtf8(simdjson::error_message(e))));
            }
            continue;
        }
        event.type = toQString(v.type);
        event.sessionId = toQString(v.sessionId);
        event.at = QDateTime::fromString(toQString(v.at), Qt::ISODateWithMs);
        event.dataJson = QByteArray(v.dataJson.data(), qsizetype(v.dataJson.size()));
        event.data = d->parseData ? QJsonDocument::fromJson(event.dataJson).object() : QJsonObject();
        event.lineNumber = line.number;
        return true;
    }
    if (!d->source.errorString().isEmpty())
        d->error = d->source.errorString();
    d->atEnd = true;
    return false;
}

QString CaptureEventReader::errorString() const
{
    return d->error;
}

qint64 CaptureEventReader::bytesRead() const
{
    return d->atEnd ? d->source.size() : d->source.position();
}

qint64 CaptureEventReader::totalBytes() const
{
    return d->source.size();
}

qint64 CaptureEventReader::skippedLines() const
{
    return d->skipped;
}

QStringList CaptureEventReader::warnings() const
{
    return d->warnings;
}

Result<QList<CaptureEvent>> CaptureEventReader::readAll(const QString &eventsPath)
{
    CaptureEventReader reader;
    if (auto r = reader.open(eventsPath); !r)
        return r.error();
    QList<CaptureEvent> events;
    CaptureEvent event;
    while (reader.readNext(event))
        events.append(event);
    if (!reader.errorString().isEmpty())
        return makeError(reader.errorString());
    return events;
}

} // namespace SlotScope
