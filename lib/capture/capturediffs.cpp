#include "capturediffs.h"

#include "capturereader.h"
#include "captureparsing.h"
#include "linesource.h"

#include <simdjson.h>

#include <QByteArrayView>

#include <deque>

using namespace Qt::StringLiterals;

namespace SlotScope {

namespace {

struct Pending
{
    AccountDiffRecord record;
    QByteArray json;
};

} // namespace

struct CaptureAccountDiffs::Private
{
    Internal::LineSource source;
    simdjson::dom::parser parser;
    simdjson::padded_string legacy;    // a legacy document, whole
    bool isLegacy = false;
    bool legacyDone = false;
    std::deque<Pending> pending;
    QByteArray lastJson;
    QString soleSession;
    QStringList sessions;
    QString error;
    qint64 damaged = 0;
    qint64 unreadableDiffs = 0;
    qint64 totalBytes = 0;
    const std::atomic_bool *cancel = nullptr;
    std::function<void(qint64, qint64)> progress;
    qint64 lastProgress = 0;

    void noteSession(const QString &id)
    {
        if (!id.isEmpty() && !sessions.contains(id))
            sessions.append(id);
        soleSession = sessions.size() == 1 ? sessions.constFirst() : QString();
    }
    /// One diff object (a `diff` line's data, or an element of
    /// `account_diffs`); `signature` / `slot` from the transaction holding it.
    void add(simdjson::dom::object diff, std::string_view signature, std::optional<quint64> slot)
    {
        // A `diff` line may nest the diff itself (CAPTURE_FORMAT §4.4
        // Layout), wholly or in part: what the line says at its top wins.
        simdjson::dom::object inner;
        Internal::AccountDiffView view;
        Internal::readAccountDiff(diff, view);
        if (diff["diff"].get(inner) == simdjson::SUCCESS) {
            Internal::AccountDiffView nested;
            Internal::readAccountDiff(inner, nested);
            if (view.slot)
                nested.slot = view.slot;
            if (!view.signature.empty())
                nested.signature = view.signature;
            if (!view.account.empty())
                nested.account = view.account;
            if (view.pre.present)
                nested.pre = view.pre;
            if (view.post.present)
                nested.post = view.post;
            view = nested;
        }
        if (view.signature.empty())
            view.signature = signature;
        if (!view.slot)
            view.slot = slot;
        Pending p;
        Internal::toAccountDiffRecord(view, soleSession, p.record);
        p.json = QByteArray::fromStdString(simdjson::minify(diff));
        pending.push_back(std::move(p));
    }
    /// A transaction object's inline `account_diffs`.
    void addInline(simdjson::dom::object tx)
    {
        simdjson::dom::array diffs;
        if (tx["account_diffs"].get(diffs) != simdjson::SUCCESS && tx["accountDiffs"].get(diffs) != simdjson::SUCCESS)
            return;
        std::string_view signature;
        if (tx["signature"].get(signature) != simdjson::SUCCESS)
            signature = {};
        std::optional<quint64> slot;
        if (uint64_t n; tx["slot"].get(n) == simdjson::SUCCESS)
            slot = n;
        for (simdjson::dom::element element : diffs) {
            simdjson::dom::object diff;
            if (element.get(diff) == simdjson::SUCCESS)
                add(diff, signature, slot);
            else
                ++unreadableDiffs;
        }
    }
};

CaptureAccountDiffs::CaptureAccountDiffs()
    : d(std::make_unique<Private>())
{
}

CaptureAccountDiffs::~CaptureAccountDiffs() = default;

Result<void> CaptureAccountDiffs::open(const QString &capturePath)
{
    const std::atomic_bool *cancel = d->cancel;
    std::function<void(qint64, qint64)> progress = std::move(d->progress);
    d = std::make_unique<Private>();
    d->cancel = cancel;
    d->progress = std::move(progress);
    // NDJSON or a legacy document, as CaptureReader decides (§8.2 item 1);
    // its metadata names the sessions of a file that has them there.
    CaptureReader reader;
    if (Result<void> opened = reader.open(capturePath); !opened)
        return opened;
    if (const std::optional<CaptureMetadata> &metadata = reader.metadata()) {
        for (const QString &id : metadata->sessionIds)
            d->noteSession(id);
    }
    d->isLegacy = reader.format() == CaptureReader::Format::Legacy;
    d->totalBytes = reader.totalBytes();
    reader.close();
    if (!d->isLegacy)
        return d->source.open(capturePath);
    auto loaded = simdjson::padded_string::load(QFile::encodeName(capturePath).toStdString());
    if (loaded.error())
        return makeError(u"Cannot read %1: %2"_s.arg(capturePath, QString::fromUtf8(simdjson::error_message(loaded.error()))));
    d->legacy = std::move(loaded).value_unsafe();
    // A byte order mark becomes white space, as CaptureReader reads it.
    std::fill_n(d->legacy.data(), Internal::utf8BomLength(d->legacy.data(), d->legacy.size()), ' ');
    return {};
}

bool CaptureAccountDiffs::next(AccountDiffRecord &out)
{
    while (d->pending.empty()) {
        if (d->isLegacy) {
            if (d->legacyDone)
                return false;
            d->legacyDone = true;
            simdjson::dom::element root;
            if (const simdjson::error_code error = Internal::parseLeniently(
                    d->parser, std::string_view(d->legacy.data(), d->legacy.size()), true, root);
                error != simdjson::SUCCESS) {
                // The whole document is its one "line": said, never "no diffs".
                d->damaged = 1;
                d->error = u"the capture is no readable JSON document: %1"_s.arg(
                    QString::fromUtf8(simdjson::error_message(error)));
                return false;
            }
            simdjson::dom::array transactions;
            if (root["transactions"].get(transactions) == simdjson::SUCCESS) {
                for (simdjson::dom::element element : transactions) {
                    if (cancelled())
                        return false;
                    simdjson::dom::object tx;
                    if (element.get(tx) == simdjson::SUCCESS)
                        d->addInline(tx);
                }
            }
            continue;
        }
        if (cancelled())
            return false;
        Internal::Line line;
        if (!d->source.next(line)) {
            if (!d->source.errorString().isEmpty())
                d->error = d->source.errorString();
            return false;
        }
        if (d->progress && line.offset - d->lastProgress >= (qint64(1) << 20)) {
            d->lastProgress = line.offset;
            d->progress(line.offset, d->totalBytes);
        }
        const std::string_view text(line.data, line.size);
        // Most lines are transactions without diffs: not parsed at all.
        const bool diffLine = text.find("\"diff\"") != std::string_view::npos;
        const bool inlineDiffs = text.find("\"account_diffs\"") != std::string_view::npos
                                 || text.find("\"accountDiffs\"") != std::string_view::npos;
        const bool session = text.find("\"session_started\"") != std::string_view::npos;
        if (!diffLine && !inlineDiffs && !session)
            continue;
        simdjson::dom::element root;
        std::string_view type;
        simdjson::dom::object data;
        if (Internal::parseLeniently(d->parser, text, true, root) != simdjson::SUCCESS
            || root["type"].get(type) != simdjson::SUCCESS) {
            // Counted when it would have held diffs (a damaged session_started
            // is no lost diff: the transaction reader says it).
            d->damaged += diffLine || inlineDiffs ? 1 : 0;
            continue;
        }
        if (type == "session_started") {
            std::string_view id;
            if (root["data"].get(id) == simdjson::SUCCESS || root.at_pointer("/data/session_id").get(id) == simdjson::SUCCESS)
                d->noteSession(Internal::toQString(id));
        } else if (type == "diff") {
            if (root["data"].get(data) == simdjson::SUCCESS)
                d->add(data, {}, std::nullopt);
            else
                ++d->unreadableDiffs;
        } else if (type == "tx" && root["data"].get(data) == simdjson::SUCCESS) {
            d->addInline(data);
        }
    }
    out = std::move(d->pending.front().record);
    d->lastJson = std::move(d->pending.front().json);
    d->pending.pop_front();
    return true;
}

void CaptureAccountDiffs::setCancel(const std::atomic_bool *cancel)
{
    d->cancel = cancel;
}

void CaptureAccountDiffs::setProgress(std::function<void(qint64, qint64)> progress)
{
    d->progress = std::move(progress);
}

bool CaptureAccountDiffs::cancelled() const
{
    return d->cancel && d->cancel->load(std::memory_order_relaxed);
}

QByteArray CaptureAccountDiffs::lastJson() const
{
    return d->lastJson;
}

QString CaptureAccountDiffs::errorString() const
{
    return d->error;
}

qint64 CaptureAccountDiffs::damagedLines() const
{
    return d->damaged;
}

qint64 CaptureAccountDiffs::unreadableDiffs() const
{
    return d->unreadableDiffs;
}

qint64 CaptureAccountDiffs::bytesRead() const
{
    return d->isLegacy ? (d->legacyDone ? d->totalBytes : 0) : d->source.position();
}

qint64 CaptureAccountDiffs::totalBytes() const
{
    return d->totalBytes;
}

} // namespace SlotScope
