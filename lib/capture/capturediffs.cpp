#include "capturediffs.h"

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
    qint64 totalBytes = 0;

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
        // A `diff` line may nest the diff itself (CAPTURE_FORMAT §4.4 Layout).
        simdjson::dom::object inner;
        Internal::AccountDiffView view;
        Internal::readAccountDiff(diff, view);
        if (view.account.empty() && diff["diff"].get(inner) == simdjson::SUCCESS) {
            Internal::AccountDiffView nested;
            Internal::readAccountDiff(inner, nested);
            nested.slot = view.slot ? view.slot : nested.slot;
            if (!view.signature.empty())
                nested.signature = view.signature;
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
        if (tx["account_diffs"].get(diffs) != simdjson::SUCCESS)
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
    d = std::make_unique<Private>();
    if (Result<void> opened = d->source.open(capturePath); !opened)
        return opened;
    d->totalBytes = d->source.size();
    // NDJSON starts with an envelope on its first line; anything else is a
    // legacy document (as CaptureReader decides, §8.2 item 1), read whole.
    Internal::Line line;
    while (d->source.next(line)) {
        const std::string_view text(line.data, line.size);
        if (text.find_first_not_of(" \t\r") == std::string_view::npos)
            continue;
        simdjson::dom::element root;
        std::string_view type;
        if (d->parser.parse(line.data, line.size, false).get(root) == simdjson::SUCCESS
            && root["type"].get(type) == simdjson::SUCCESS)
            break;
        // Not an envelope: a legacy document unless a later line is one.
        d->isLegacy = true;
        break;
    }
    d->source.close();
    if (d->isLegacy) {
        auto loaded = simdjson::padded_string::load(QFile::encodeName(capturePath).toStdString());
        if (loaded.error())
            return makeError(u"Cannot read %1: %2"_s.arg(capturePath, QString::fromUtf8(simdjson::error_message(loaded.error()))));
        d->legacy = std::move(loaded).value_unsafe();
        simdjson::dom::element root;
        if (d->parser.parse(d->legacy).get(root) != simdjson::SUCCESS) {
            // Not a document after all: NDJSON with a damaged first line.
            d->isLegacy = false;
            d->legacy = simdjson::padded_string();
        }
    }
    if (!d->isLegacy)
        return d->source.open(capturePath);
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
            if (d->parser.parse(d->legacy).get(root) != simdjson::SUCCESS)
                return false;
            simdjson::dom::array ids;
            if (root.at_pointer("/metadata/session_ids").get(ids) == simdjson::SUCCESS) {
                for (simdjson::dom::element id : ids) {
                    std::string_view s;
                    if (id.get(s) == simdjson::SUCCESS)
                        d->noteSession(Internal::toQString(s));
                }
            }
            simdjson::dom::array transactions;
            if (root["transactions"].get(transactions) == simdjson::SUCCESS) {
                for (simdjson::dom::element element : transactions) {
                    simdjson::dom::object tx;
                    if (element.get(tx) == simdjson::SUCCESS)
                        d->addInline(tx);
                }
            }
            continue;
        }
        Internal::Line line;
        if (!d->source.next(line)) {
            if (!d->source.errorString().isEmpty())
                d->error = d->source.errorString();
            return false;
        }
        const std::string_view text(line.data, line.size);
        // Most lines are transactions without diffs: not parsed at all.
        const bool diffLine = text.find("\"diff\"") != std::string_view::npos;
        const bool inlineDiffs = text.find("\"account_diffs\"") != std::string_view::npos;
        const bool session = text.find("\"session_started\"") != std::string_view::npos;
        if (!diffLine && !inlineDiffs && !session)
            continue;
        simdjson::dom::element root;
        std::string_view type;
        simdjson::dom::object data;
        if (d->parser.parse(line.data, line.size, false).get(root) != simdjson::SUCCESS
            || root["type"].get(type) != simdjson::SUCCESS) {
            ++d->damaged;
            continue;
        }
        if (type == "session_started") {
            std::string_view id;
            if (root["data"].get(id) == simdjson::SUCCESS || root.at_pointer("/data/session_id").get(id) == simdjson::SUCCESS)
                d->noteSession(Internal::toQString(id));
        } else if (type == "diff" && root["data"].get(data) == simdjson::SUCCESS) {
            d->add(data, {}, std::nullopt);
        } else if (type == "tx" && root["data"].get(data) == simdjson::SUCCESS) {
            d->addInline(data);
        }
    }
    out = std::move(d->pending.front().record);
    d->lastJson = std::move(d->pending.front().json);
    d->pending.pop_front();
    return true;
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

qint64 CaptureAccountDiffs::bytesRead() const
{
    return d->isLegacy ? (d->legacyDone ? d->totalBytes : 0) : d->source.position();
}

qint64 CaptureAccountDiffs::totalBytes() const
{
    return d->totalBytes;
}

} // namespace SlotScope
