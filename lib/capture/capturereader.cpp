#include "capture/capturereader.h"

#include "capture/captureparsing.h"
#include "capture/deduplicator.h"
#include "capture/linesource.h"
#include "capture/logging.h"
#include "protocol/dataplane.h"

#include <QFile>
#include <QJsonDocument>
#include <QSet>

#include <algorithm>
#include <cstring>

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
    qint64 damaged = 0;
    QList<qint64> damagedLineNumbers;    // first maxWarnings
    QStringList warnings;
    QStringList fileWarnings;            // warnings less the damaged lines' (first maxWarnings)
    // A part from splitOff() numbers its lines from the split point: its
    // warnings wait here, unformatted, for joinPart().
    bool isPart = false;
    struct PartWarning
    {
        qint64 lineNumber = 0;
        QString text;
        bool damagedLine = false;
    };
    QList<PartWarning> partWarnings;
    qint64 partSummaryLine = 0;          // first summary line of a part
    qint64 linesWithoutSession = 0;      // tx lines without their own session_id
    QByteArray seededSole;               // a part's soleSession when split off
    qint64 seededStarted = 0;            // startedIds a part was given
    qint64 splitAt = -1;                 // this reader stops there (splitOff)
    qint64 joinedDuplicates = 0;         // dropped by a joined part
    qsizetype startedAtSplit = 0;
    QString error;
    bool isOpen = false;
    bool atEnd = false;
    bool txAfterSummaryWarned = false;
    qint64 firstTxLine = 0;              // of this reader's (or part's) lines; 0: none yet
    qint64 lastOffset = -1;
    qint64 lastLineNumber = 0;

    // Legacy single document (§5): the whole file, and where each element of
    // `transactions` is in it (so a row can be read back by offset like an
    // NDJSON line).
    struct Span
    {
        qint64 offset = 0;
        qint64 size = 0;
        qint64 lineNumber = 0;
    };
    simdjson::padded_string legacyJson;
    std::vector<Span> legacySpans;
    simdjson::padded_string scratch;
    qint64 legacyIndex = 0;
    qint64 legacyCount = 0;
    qint64 fileSize = 0;

    void reset();
    void warn(qint64 lineNumber, const QString &text, bool damagedLine = false);
    void damagedLine(qint64 lineNumber, const QString &text);
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
    txAfterSummaryWarned = false;
    firstTxLine = 0;
    startedIds.clear();
    startedSet.clear();
    txSessionIds.clear();
    txSessionSet.clear();
    lastTxSession.clear();
    soleSession.clear();
    total = successes = 0;
    skipped = 0;
    damaged = 0;
    damagedLineNumbers.clear();
    warnings.clear();
    fileWarnings.clear();
    error.clear();
    isOpen = atEnd = false;
    isPart = false;
    partWarnings.clear();
    partSummaryLine = 0;
    linesWithoutSession = 0;
    seededSole.clear();
    seededStarted = 0;
    splitAt = -1;
    joinedDuplicates = 0;
    startedAtSplit = 0;
    lastOffset = -1;
    lastLineNumber = 0;
    legacyJson = simdjson::padded_string();
    legacySpans.clear();
    scratch = simdjson::padded_string();
    legacyIndex = 0;
    legacyCount = 0;
    fileSize = 0;
}

void CaptureReader::Private::warn(qint64 lineNumber, const QString &text, bool damagedLine)
{
    if (isPart) {
        if (partWarnings.size() < maxWarnings)
            partWarnings.append({lineNumber, text, damagedLine});
        qCDebug(lcCapture, "%s: line %lld after byte %lld: %s", qPrintable(path), lineNumber,
                source.position(), qPrintable(text));
        return;
    }
    const QString message = lineNumber > 0 ? u"line %1: %2"_s.arg(lineNumber).arg(text) : text;
    if (warnings.size() < maxWarnings)
        warnings.append(message);
    if (!damagedLine && fileWarnings.size() < maxWarnings)
        fileWarnings.append(message);
    qCDebug(lcCapture, "%s: %s", qPrintable(path), qPrintable(message));
}

void CaptureReader::Private::damagedLine(qint64 lineNumber, const QString &text)
{
    ++skipped;
    ++damaged;
    if (damagedLineNumbers.size() < maxWarnings)
        damagedLineNumbers.append(lineNumber);
    warn(lineNumber, text, /*damagedLine=*/true);
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
        ++linesWithoutSession;
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
            if (firstTxLine == 0)
                firstTxLine = line.number;
            if (summary && !txAfterSummaryWarned) {
                txAfterSummaryWarned = true;
                warn(line.number, u"a transaction after the summary line (a summary ends a capture)"_s);
            }
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
            else if (isPart)
                partSummaryLine = line.number;
            summary = parsed.summary;
            break;
        case LineKind::Diff:
            break;
        case LineKind::Unknown:
            ++skipped;
            warn(line.number, u"unknown type \"%1\", skipped"_s.arg(toQString(parsed.type)));
            break;
        case LineKind::Malformed:
            damagedLine(line.number, u"malformed line skipped (%1)"_s.arg(QString::fromStdString(parsed.problem)));
            break;
        }
    }
    if (!source.errorString().isEmpty())
        error = source.errorString();
    if (splitAt < 0 || !error.isEmpty())
        atEnd = true;
    return nullptr;
}

const TxView *CaptureReader::Private::nextLegacyView()
{
    while (legacyIndex < legacyCount) {
        const Span span = legacySpans[size_t(legacyIndex)];
        ++legacyIndex;
        // Parse the element with the same code as NDJSON lines.
        scratch = simdjson::padded_string(legacyJson.data() + span.offset, size_t(span.size));
        if (const auto e = parseTxDocument(parser, scratch, detail, view)) {
            damagedLine(span.lineNumber, u"transaction #%1: malformed, skipped (%2)"_s.arg(legacyIndex).arg(QString::fromUtf8(simdjson::error_message(e))));
            continue;
        }
        if (admit(view)) {
            lastOffset = span.offset;
            lastLineNumber = span.lineNumber;
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
    // A byte order mark becomes white space: JSON allows it, and every offset stays.
    std::fill_n(legacyJson.data(), utf8BomLength(legacyJson.data(), legacyJson.size()), ' ');
    const auto notACapture = [this](const char *why) {
        return makeError(u"%1 is not a capture file (neither NDJSON nor a sim output document: %2)"_s
                             .arg(path, QString::fromUtf8(why)));
    };

    // One On-Demand pass over the document: metadata and summary are parsed,
    // the transactions are only located (their byte spans) and parsed one at a
    // time by readNext().
    simdjson::ondemand::parser documentParser;
    simdjson::ondemand::document doc;
    simdjson::ondemand::object root;
    if (documentParser.iterate(legacyJson).get(doc) != simdjson::SUCCESS || doc.get_object().get(root) != simdjson::SUCCESS)
        return notACapture("not a JSON object");
    const char *base = legacyJson.data();
    const char *counted = base;
    qint64 lineNumber = 1;
    bool sawTransactions = false;
    bool sawMetadata = false;
    for (auto fieldResult : root) {
        simdjson::ondemand::field field;
        std::string_view key;
        if (std::move(fieldResult).get(field) != simdjson::SUCCESS || field.unescaped_key().get(key) != simdjson::SUCCESS)
            return notACapture("malformed JSON");
        simdjson::ondemand::value value = field.value();
        if (key == "transactions") {
            simdjson::ondemand::array transactions;
            if (value.get_array().get(transactions) != simdjson::SUCCESS)
                return notACapture("\"transactions\" is not an array");
            sawTransactions = true;
            qint64 index = 0;
            for (auto item : transactions) {
                ++index;
                simdjson::ondemand::value element;
                simdjson::ondemand::object object;
                std::string_view raw;
                if (std::move(item).get(element) != simdjson::SUCCESS)
                    return notACapture("malformed JSON");
                const auto located = element.get_object().get(object) == simdjson::SUCCESS
                        ? object.raw_json().get(raw) : simdjson::INCORRECT_TYPE;
                if (located != simdjson::SUCCESS) {
                    if (located != simdjson::INCORRECT_TYPE)
                        return notACapture("malformed JSON");
                    damagedLine(lineNumber, u"transaction #%1: not an object, skipped"_s.arg(index));
                    continue;
                }
                // Line numbers for warnings: count the newlines since the last element.
                for (const char *p = counted; p < raw.data(); ++p)
                    lineNumber += *p == '\n';
                counted = raw.data();
                legacySpans.push_back(Span{qint64(raw.data() - base), qint64(raw.size()), lineNumber});
            }
        } else if (key == "metadata") {
            simdjson::ondemand::object object;
            std::string_view raw;
            CaptureMetadata m;
            if (value.get_object().get(object) == simdjson::SUCCESS && object.raw_json().get(raw) == simdjson::SUCCESS) {
                scratch = simdjson::padded_string(raw);
                if (parseMetadataDocument(parser, scratch, m) == simdjson::SUCCESS) {
                    metadata = m;
                    sawMetadata = true;
                    continue;
                }
            }
            warn(0, u"legacy metadata malformed, ignored"_s);
        } else if (key == "summary") {
            simdjson::ondemand::object object;
            std::string_view raw;
            CaptureSummary s;
            if (value.get_object().get(object) == simdjson::SUCCESS && object.raw_json().get(raw) == simdjson::SUCCESS) {
                scratch = simdjson::padded_string(raw);
                if (parseSummaryDocument(parser, scratch, s) == simdjson::SUCCESS) {
                    summary = s;
                    continue;
                }
            }
            warn(0, u"legacy summary malformed, ignored"_s);
        }
    }
    if (!sawTransactions)
        return notACapture("no \"transactions\" array");
    if (!sawMetadata && !metadata)
        warn(0, u"legacy document without metadata"_s);
    legacyCount = qint64(legacySpans.size());
    legacyIndex = 0;
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
    // Not an envelope: a legacy single document (§5), or NDJSON whose first
    // lines are damaged. No line of a legacy document is an envelope (serde
    // writes it on one line, or pretty-printed with one member a line), so an
    // envelope among the next few lines means NDJSON.
    constexpr int envelopeLookahead = 16; // lines after the first
    bool laterIsEnvelope = false;
    for (int looked = 0; looked < envelopeLookahead && d->source.next(line);) {
        parseLine(d->parser, line.data, line.size, line.capacity, TxRowOnly, d->view, d->parsed);
        if (d->parsed.kind == LineKind::Blank)
            continue;
        if (d->parsed.kind != LineKind::Malformed) {
            laterIsEnvelope = true;
            break;
        }
        ++looked;
    }
    if (laterIsEnvelope) {
        // NDJSON after all: read from the start; the damaged lines are counted when reached.
        if (auto r = d->source.open(path); !r)
            return r;
        return {};
    }
    d->source.close();
    auto legacy = d->openLegacy();
    if (legacy)
        return legacy;
    // Not a legacy document either: NDJSON damaged for longer than the
    // lookahead, when any later line is an envelope (§8.2 item 2: its good
    // lines are read, the damaged ones counted), else no capture at all.
    d->reset();
    d->path = path;
    if (d->source.open(path)) {
        bool anyEnvelope = false;
        while (!anyEnvelope && d->source.next(line)) {
            parseLine(d->parser, line.data, line.size, line.capacity, TxRowOnly, d->view, d->parsed);
            anyEnvelope = d->parsed.kind != LineKind::Blank && d->parsed.kind != LineKind::Malformed;
        }
        if (anyEnvelope && d->source.open(path)) {
            d->fileSize = d->source.size();
            d->isOpen = true;
            return {};
        }
        d->source.close();
    }
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
    return counted();
}

CaptureSummary CaptureReader::counted() const
{
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
    return d->atEnd && !d->isPart ? d->fileSize : d->source.position();
}

std::unique_ptr<CaptureReader> CaptureReader::splitOff(qint64 near)
{
    if (!d->isOpen || d->atEnd || d->format != Format::Ndjson || d->isPart || d->splitAt >= 0)
        return nullptr;
    // The first line that starts at or after `near`.
    QFile file(d->path);
    if (!file.open(QIODevice::ReadOnly))
        return nullptr;
    qint64 at = qMax(near, d->source.position() + 1);
    if (!file.seek(at - 1))
        return nullptr;
    for (;;) {
        char chunk[4096];
        const qint64 n = file.read(chunk, sizeof chunk);
        if (n <= 0)
            return nullptr;
        if (const void *nl = std::memchr(chunk, '\n', size_t(n))) {
            at += static_cast<const char *>(nl) - chunk;
            break;
        }
        at += n;
    }
    if (at >= d->fileSize)
        return nullptr;

    auto part = std::make_unique<CaptureReader>();
    Private &p = *part->d;
    if (!p.source.open(d->path, at))
        return nullptr;
    p.path = d->path;
    p.detail = d->detail;
    p.deduplicate = d->deduplicate;
    p.metadata = d->metadata;
    p.startedIds = d->startedIds;
    p.startedSet = d->startedSet;
    p.seededStarted = d->startedIds.size();
    p.soleSession = d->soleSession;
    p.seededSole = d->soleSession;
    p.fileSize = d->fileSize;
    p.isPart = true;
    p.isOpen = true;
    d->source.setEnd(at);
    d->splitAt = at;
    d->startedAtSplit = d->startedIds.size();
    return part;
}

bool CaptureReader::joinPart(CaptureReader &part)
{
    Private &p = *part.d;
    if (d->splitAt < 0 || !p.isPart)
        return false;
    // Lines without a session id take the sole session known before them:
    // the part knew this reader's state at the split only.
    if (p.linesWithoutSession > 0
        && (d->startedIds.size() != d->startedAtSplit || d->soleSession != p.seededSole)) {
        return false;
    }
    const qint64 base = d->source.linesRead();
    if (p.metadata && !d->metadata) {
        d->metadata = p.metadata;
        d->updateSoleSession();
    }
    if (d->summary && p.firstTxLine > 0 && !d->txAfterSummaryWarned) {
        // The first half ended with its summary, the second half goes on
        // with transactions: what one reader of the whole file would warn of.
        d->txAfterSummaryWarned = true;
        p.partWarnings.append({p.firstTxLine, u"a transaction after the summary line (a summary ends a capture)"_s});
    }
    if (p.summary) {
        if (d->summary)
            p.partWarnings.append({p.partSummaryLine, u"another summary line, replaces the previous one"_s});
        d->summary = p.summary;
    }
    std::stable_sort(p.partWarnings.begin(), p.partWarnings.end(),
                     [](const auto &a, const auto &b) { return a.lineNumber < b.lineNumber; });
    for (const auto &warning : std::as_const(p.partWarnings))
        d->warn(warning.lineNumber > 0 ? base + warning.lineNumber : 0, warning.text, warning.damagedLine);
    for (qint64 line : std::as_const(p.damagedLineNumbers)) {
        if (d->damagedLineNumbers.size() < maxWarnings)
            d->damagedLineNumbers.append(base + line);
    }
    for (qsizetype i = p.seededStarted; i < p.startedIds.size(); ++i)
        d->addStartedSession(p.startedIds.at(i));
    for (const QString &id : std::as_const(p.txSessionIds)) {
        if (!d->txSessionSet.contains(id)) {
            d->txSessionSet.insert(id);
            d->txSessionIds.append(id);
        }
    }
    d->total += p.total;
    d->successes += p.successes;
    d->skipped += p.skipped;
    d->damaged += p.damaged;
    d->joinedDuplicates += p.dedup.duplicatesDropped();
    if (d->error.isEmpty())
        d->error = p.error;
    if (p.lastOffset >= 0) {
        d->lastOffset = p.lastOffset;
        d->lastLineNumber = base + p.lastLineNumber;
    }
    d->splitAt = -1;
    d->atEnd = true;
    d->source.close();
    return true;
}

void CaptureReader::continueAfterSplit()
{
    if (d->splitAt < 0)
        return;
    d->splitAt = -1;
    d->source.setEnd(-1);
    d->atEnd = !d->error.isEmpty();
}

bool CaptureReader::admitJoinedTransaction(QByteArrayView signatureUtf8, bool success)
{
    if (!d->deduplicate || !d->dedup.containsTransaction(signatureUtf8))
        return true;
    ++d->joinedDuplicates;
    --d->total;
    if (success)
        --d->successes;
    return false;
}

void CaptureReader::expectTransactions(qint64 count)
{
    if (d->deduplicate)
        d->dedup.reserveTransactions(count);
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

QStringList CaptureReader::fileWarnings() const
{
    return d->fileWarnings;
}

qint64 CaptureReader::damagedLines() const
{
    return d->damaged;
}

QList<qint64> CaptureReader::damagedLineNumbers() const
{
    return d->damagedLineNumbers;
}

qint64 CaptureReader::duplicatesDropped() const
{
    return d->dedup.duplicatesDropped() + d->joinedDuplicates;
}

QString CaptureReader::summaryDisagreement() const
{
    if (!d->summary || !d->atEnd || d->splitAt >= 0)
        return {};
    // The writer counted every `tx` line it wrote, or (a writer that knew of
    // a re-delivered transaction) every transaction once: either agrees.
    const quint64 read = d->total + quint64(duplicatesDropped());
    const quint64 failures = d->total - d->successes;
    if (d->summary->total != read && d->summary->total != d->total) {
        const QString held = duplicatesDropped() == 0
            ? QString::number(read)
            : u"%1 (%2 once each)"_s.arg(read).arg(d->total);
        return u"the summary line counts %1 transactions, the file holds %2"_s.arg(d->summary->total).arg(held);
    }
    if (duplicatesDropped() == 0 && (d->summary->successes != d->successes || d->summary->failures != failures)) {
        return u"the summary line counts %1 succeeded and %2 failed, the file holds %3 and %4"_s
            .arg(d->summary->successes)
            .arg(d->summary->failures)
            .arg(d->successes)
            .arg(failures);
    }
    return {};
}

namespace {

// The JSON object of a legacy document's transaction that starts at `offset`
// (CapturedTransaction::offset of a Format::Legacy reader).
Result<QByteArray> legacyObjectAt(QFile &file, qint64 offset)
{
    constexpr qint64 maxObject = qint64(64) << 20;
    QByteArray text;
    for (qint64 want = qint64(64) << 10;; want *= 2) {
        if (!file.seek(offset))
            return makeError(u"Cannot seek to %1 in %2: %3"_s.arg(offset).arg(file.fileName(), file.errorString()));
        text = file.read(qMin(want, maxObject));
        if (!text.startsWith('{'))
            break;
        if (const auto span = jsonValueSpan(text, 0))
            return text.left(span->second);
        if (text.size() < qMin(want, maxObject))
            break; // the whole rest of the file, and still no complete object
        if (want >= maxObject)
            break;
    }
    return makeError(u"No transaction at offset %1 in %2"_s.arg(offset).arg(file.fileName()));
}

} // namespace

namespace {

Result<CapturedTransactionDetail> readTransactionUnchecked(const QString &capturePath, qint64 offset)
{
    if (offset < 0)
        return makeError(u"No transaction at offset %1"_s.arg(offset));
    QFile file(capturePath);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(u"Cannot open %1: %2"_s.arg(capturePath, file.errorString()));
    // A transaction starts a line (NDJSON) or follows '[' / ',' / whitespace
    // (an element of a legacy document's `transactions` array).
    char before = '\n';
    if (offset > 0 && (!file.seek(offset - 1) || file.read(&before, 1) != 1))
        return makeError(u"Offset %1 is beyond the end of %2"_s.arg(offset).arg(capturePath));
    // …or the file's byte order mark (LineSource skips it).
    char head[3] = {};
    const bool afterBom = offset == 3 && file.seek(0) && file.read(head, 3) == 3 && utf8BomLength(head, 3) == 3;
    const bool lineStart = before == '\n' || afterBom;
    if (!lineStart && before != '[' && before != ',' && before != ' ' && before != '\t' && before != '\r')
        return makeError(u"Offset %1 is not where a transaction starts in %2"_s.arg(offset).arg(capturePath));

    simdjson::ondemand::parser parser;
    TxView view;
    CapturedTransactionDetail detail;
    QString lineProblem; // an NDJSON line's damage, said if it is no legacy element either
    if (lineStart) {
        LineSource source;
        source.setInitialCapacity(size_t(64) << 10);
        if (auto r = source.open(capturePath, offset); !r)
            return r.error();
        Line line;
        if (!source.next(line)) {
            return makeError(source.errorString().isEmpty()
                                 ? u"No transaction at offset %1 in %2"_s.arg(offset).arg(capturePath)
                                 : source.errorString());
        }
        ParsedLine parsed;
        parseLine(parser, line.data, line.size, line.capacity, TxLogs | TxBalanceChanges, view, parsed);
        if (parsed.kind == LineKind::Tx) {
            toCapturedTransaction(view, detail.transaction);
            detail.transaction.offset = offset;
            std::string_view raw;
            if (rawOfTxLine(parser, line.data, line.size, line.capacity, raw) == simdjson::SUCCESS)
                detail.raw = QByteArray(raw.data(), qsizetype(raw.size()));
            return detail;
        }
        if (parsed.kind != LineKind::Malformed || line.size == 0 || line.data[0] != '{') {
            return makeError(parsed.kind == LineKind::Malformed
                                 ? u"The line at offset %1 in %2 is damaged (%3)"_s.arg(offset).arg(capturePath,
                                       QString::fromStdString(parsed.problem))
                                 : u"The line at offset %1 in %2 is not a transaction"_s.arg(offset).arg(capturePath));
        }
        // A '{' that is not an envelope: maybe a legacy document's element on a line of its own.
        lineProblem = QString::fromStdString(parsed.problem);
    }
    const auto lineDamaged = [&] {
        return makeError(u"The line at offset %1 in %2 is damaged (%3)"_s.arg(offset).arg(capturePath, lineProblem));
    };
    const Result<QByteArray> object = legacyObjectAt(file, offset);
    if (!object)
        return lineProblem.isEmpty() ? object.error() : lineDamaged();
    const simdjson::padded_string json(object->constData(), size_t(object->size()));
    if (const auto e = parseTxDocument(parser, json, TxLogs | TxBalanceChanges, view)) {
        if (!lineProblem.isEmpty())
            return lineDamaged();
        return makeError(u"The transaction at offset %1 in %2 is damaged (%3)"_s.arg(offset)
                             .arg(capturePath, QString::fromUtf8(simdjson::error_message(e))));
    }
    toCapturedTransaction(view, detail.transaction);
    detail.transaction.offset = offset;
    return detail;
}

} // namespace

Result<CapturedTransactionDetail> CaptureReader::readTransactionAt(const QString &capturePath, qint64 offset,
                                                                 const QString &expectedSignature)
{
    // The index was made when the file was opened: a file replaced or
    // rewritten since holds something else at `offset`, never shown as if it
    // were the row the user clicked.
    Result<CapturedTransactionDetail> detail = readTransactionUnchecked(capturePath, offset);
    if (expectedSignature.isEmpty())
        return detail;
    if (!detail)
        return makeError(u"%1 (the file may have changed since it was opened: reopen it)"_s.arg(detail.error().message));
    if (detail->transaction.signature != expectedSignature) {
        return makeError(u"%1 changed since it was opened: the transaction at offset %2 is %3, not %4; reopen it"_s
                             .arg(capturePath)
                             .arg(offset)
                             .arg(detail->transaction.signature, expectedSignature));
    }
    return detail;
}

Result<QByteArray> CaptureReader::readRawTransaction(const QString &capturePath, qint64 offset)
{
    Result<CapturedTransactionDetail> detail = readTransactionAt(capturePath, offset);
    if (!detail)
        return detail.error();
    if (detail->raw.isEmpty())
        return makeError(u"No raw transaction at offset %1 in %2"_s.arg(offset).arg(capturePath));
    return std::move(detail->raw);
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

const TxView *Internal::readNextTransactionView(CaptureReader &reader, qint64 *offset)
{
    const TxView *view = reader.d->nextView();
    if (offset)
        *offset = reader.d->lastOffset;
    return view;
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

qint64 CaptureEventReader::readThrough() const
{
    return d->source.position();
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
