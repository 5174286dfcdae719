#include "refserver/transactionplan.h"

#include "protocol/base58.h"
#include "protocol/dataplane.h"
#include "protocol/transactionfiles.h"
#include "protocol/transactionsummary.h"
#include "refserver/experiment.h"
#include "refserver/logging.h"

#include <QCryptographicHash>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace SlotScope::Internal {

namespace {

/// a × b / c without intermediate overflow (a, b, c < 2^64).
quint64 mulDiv(quint64 a, quint64 b, quint64 c)
{
#ifdef __SIZEOF_INT128__
    return quint64((unsigned __int128)a * b / c);
#else
    return quint64(long double(a) * long double(b) / long double(c));
#endif
}

/// ceil(a × b / c).
quint64 mulDivCeil(quint64 a, quint64 b, quint64 c)
{
#ifdef __SIZEOF_INT128__
    return quint64(((unsigned __int128)a * b + c - 1) / c);
#else
    return quint64(std::ceil(long double(a) * long double(b) / long double(c)));
#endif
}

qsizetype skipWhitespace(QByteArrayView text, qsizetype pos)
{
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\n' || text[pos] == '\r'))
        ++pos;
    return pos;
}

JsonEdit slotEdit(const QByteArray &json, qsizetype slotBegin, qsizetype slotEnd, quint64 slot)
{
    if (slotBegin >= 0)
        return {slotBegin, slotEnd, QByteArray::number(slot)};
    const qsizetype brace = json.indexOf('{');
    const qsizetype insertAt = brace + 1;
    const bool emptyObject = json.at(skipWhitespace(json, insertAt)) == '}';
    return {insertAt, insertAt, "\"slot\":" + QByteArray::number(slot) + (emptyObject ? "" : ",")};
}

} // namespace

QByteArray applyJsonEdits(QByteArrayView json, QList<JsonEdit> edits)
{
    std::sort(edits.begin(), edits.end(), [](const JsonEdit &a, const JsonEdit &b) { return a.begin < b.begin; });
    QByteArray out;
    out.reserve(json.size() + 128);
    qsizetype copied = 0;
    for (const JsonEdit &edit : std::as_const(edits)) {
        out.append(json.sliced(copied, edit.begin - copied));
        out.append(edit.replacement);
        copied = edit.end;
    }
    out.append(json.sliced(copied));
    return out;
}

std::optional<std::pair<qsizetype, qsizetype>> topLevelMemberSpan(QByteArrayView json, QByteArrayView key)
{
    qsizetype pos = skipWhitespace(json, 0);
    if (pos >= json.size() || json[pos] != '{')
        return std::nullopt;
    pos = skipWhitespace(json, pos + 1);
    if (pos < json.size() && json[pos] == '}')
        return std::nullopt;
    while (pos < json.size()) {
        const auto keySpan = jsonValueSpan(json, pos);
        if (!keySpan || json[keySpan->first] != '"')
            return std::nullopt;
        const QByteArrayView name = json.sliced(keySpan->first + 1, keySpan->second - keySpan->first - 2);
        pos = skipWhitespace(json, keySpan->second);
        if (pos >= json.size() || json[pos] != ':')
            return std::nullopt;
        const auto valueSpan = jsonValueSpan(json, pos + 1);
        if (!valueSpan)
            return std::nullopt;
        if (name == key)
            return valueSpan;
        pos = skipWhitespace(json, valueSpan->second);
        if (pos >= json.size() || json[pos] != ',')
            return std::nullopt;
        pos = skipWhitespace(json, pos + 1);
    }
    return std::nullopt;
}

QByteArray rewriteSlot(const QByteArray &json, qsizetype slotBegin, qsizetype slotEnd, quint64 slot)
{
    return applyJsonEdits(json, {slotEdit(json, slotBegin, slotEnd, slot)});
}

QString copySignature(const QString &original, quint64 slot, quint32 batch)
{
    const QByteArray material =
        original.toLatin1() + ':' + QByteArray::number(slot) + ':' + QByteArray::number(batch);
    return QString::fromLatin1(base58Encode(QCryptographicHash::hash(material, QCryptographicHash::Sha512)));
}

// ---------------------------------------------------------------------------

Result<std::shared_ptr<const TransactionCatalog>> TransactionCatalog::load(const QString &dir)
{
    auto loaded = loadTransactionDirectory(dir);
    if (!loaded)
        return loaded.error();

    auto catalog = std::make_shared<TransactionCatalog>();
    TransactionSummarizer summarizer;
    catalog->m_transactions.reserve(loaded->size());
    for (const LoadedTransaction &transaction : std::as_const(*loaded)) {
        auto summary = summarizer.summarize(transaction.json);
        if (!summary) {
            return makeError(u"Cannot summarize transaction %1 of %2: %3"_s.arg(transaction.positionInSource)
                                 .arg(transaction.sourceFile, summary.error().message));
        }
        CatalogTransaction entry;
        entry.json = transaction.json;
        entry.signature = transaction.signature.isEmpty() ? summary->signature : transaction.signature;
        entry.success = summary->success;
        entry.programIds = summary->programIds;
        for (const QString &key : std::as_const(summary->accountKeys))
            entry.keys.insert(key);
        for (const QString &program : std::as_const(summary->programIds))
            entry.keys.insert(program);
        if (const auto span = topLevelMemberSpan(entry.json, "slot")) {
            entry.slotBegin = span->first;
            entry.slotEnd = span->second;
        }
        const QByteArray quoted = '"' + entry.signature.toLatin1() + '"';
        for (qsizetype at = entry.json.indexOf(quoted); at >= 0; at = entry.json.indexOf(quoted, at + quoted.size()))
            entry.signatureOffsets.append(at);
        if (auto deltas = deriveAccountDeltas(entry.json)) {
            entry.deltas = std::move(*deltas);
        } else {
            qCWarning(lcRefServer) << "no account diffs for" << entry.signature << ":" << deltas.error().message;
        }
        catalog->m_transactions.append(std::move(entry));
    }
    qCInfo(lcRefServer) << "loaded" << catalog->m_transactions.size() << "transactions from" << dir;
    return std::shared_ptr<const TransactionCatalog>(std::move(catalog));
}

std::shared_ptr<const TransactionCatalog> TransactionCatalog::synthetic(quint32 seed)
{
    auto catalog = std::make_shared<TransactionCatalog>();
    catalog->m_synthetic.emplace(seed);
    return catalog;
}

// ---------------------------------------------------------------------------

TransactionPlan::TransactionPlan(std::shared_ptr<const TransactionCatalog> catalog, quint64 startSlot,
                                 quint64 endSlot, int transactionsPerSlot, Experiment experiment)
    : m_catalog(std::move(catalog))
    , m_start(startSlot)
    , m_end(endSlot)
    , m_length(endSlot - startSlot + 1)
    , m_perSlot(quint64(std::max(0, transactionsPerSlot)))
    , m_count(quint64(m_catalog->transactions().size()))
    , m_windowStart(startSlot)
    , m_windowEnd(endSlot)
    , m_experiment(experiment)
{
}

TransactionPlan TransactionPlan::window(quint64 startSlot, quint64 endSlot) const
{
    TransactionPlan windowed = *this;
    windowed.m_windowStart = std::max(startSlot, m_windowStart);
    windowed.m_windowEnd = std::min(endSlot, m_windowEnd);
    return windowed;
}

quint64 TransactionPlan::firstIndexOfSlot(quint64 slot) const
{
    return std::min(m_count, mulDivCeil(slot - m_start, m_count, m_length));
}

quint64 TransactionPlan::slotOfIndex(quint64 index) const
{
    return m_start + mulDiv(index, m_length, m_count);
}

quint32 TransactionPlan::batchCount(quint64 slot) const
{
    if (slot < m_windowStart || slot > m_windowEnd)
        return 0;
    if (m_perSlot > 0)
        return quint32(m_perSlot);
    if (m_catalog->isSynthetic())
        return quint32(m_catalog->generator().countAt(slot));
    return quint32(firstIndexOfSlot(slot + 1) - firstIndexOfSlot(slot));
}

std::optional<Position> TransactionPlan::nextTransaction(Position from) const
{
    if (from.slot < m_windowStart)
        from = {m_windowStart, 0};
    if (from.slot > m_windowEnd)
        return std::nullopt;
    if (m_perSlot == 0 && !m_catalog->isSynthetic()) {
        const quint64 index = firstIndexOfSlot(from.slot) + from.batch;
        if (index < firstIndexOfSlot(from.slot + 1))
            return from;
        const quint64 next = firstIndexOfSlot(from.slot + 1);
        if (next >= m_count)
            return std::nullopt;
        const quint64 slot = slotOfIndex(next);
        if (slot > m_windowEnd)
            return std::nullopt;
        return Position{slot, quint32(next - firstIndexOfSlot(slot))};
    }
    if (from.batch < batchCount(from.slot))
        return from;
    if (from.slot >= m_windowEnd)
        return std::nullopt;
    return Position{from.slot + 1, 0}; // every slot holds at least one transaction here
}

qsizetype TransactionPlan::catalogIndexAt(Position at) const
{
    if (m_perSlot == 0)
        return qsizetype(firstIndexOfSlot(at.slot) + at.batch);
    return qsizetype(((at.slot - m_start) * m_perSlot + at.batch) % m_count);
}

QStringList TransactionPlan::programIdsAt(Position at) const
{
    if (m_catalog->isSynthetic())
        return SyntheticTransactions::programIds(m_catalog->generator().kindAt(at.slot, at.batch));
    return m_catalog->transactions().at(catalogIndexAt(at)).programIds;
}

bool TransactionPlan::successAt(Position at) const
{
    const bool success = m_catalog->isSynthetic() ? !m_catalog->generator().failsAt(at.slot, at.batch)
                                                  : m_catalog->transactions().at(catalogIndexAt(at)).success;
    if (!success || m_experiment.failEvery <= 0)
        return success;
    // A selected transaction fails when the experiment can edit its meta;
    // transactionAt() knows for sure, and is cheap enough for this rare case.
    if (!experimentSelects(ExperimentAspect::Fail, signatureAt(at), m_experiment.failEvery, m_experiment.salt))
        return true;
    return transactionAt(at).success;
}

QString TransactionPlan::signatureAt(Position at) const
{
    if (m_catalog->isSynthetic())
        return m_catalog->generator().generate(at.slot, at.batch).signature;
    const QString &original = m_catalog->transactions().at(catalogIndexAt(at)).signature;
    return m_perSlot == 0 ? original : copySignature(original, at.slot, at.batch);
}

bool TransactionPlan::omittedAt(Position at) const
{
    return m_experiment.omitEvery > 0
           && experimentSelects(ExperimentAspect::Omit, signatureAt(at), m_experiment.omitEvery, m_experiment.salt);
}

bool TransactionPlan::mayInvoke(const QString &program) const
{
    if (m_catalog->isSynthetic())
        return SyntheticTransactions::allPrograms().contains(program);
    return std::any_of(m_catalog->transactions().cbegin(), m_catalog->transactions().cend(),
                       [&program](const CatalogTransaction &t) { return t.programIds.contains(program); });
}

PlannedTransaction TransactionPlan::transactionAt(Position at, bool withDeltas) const
{
    PlannedTransaction out = baseTransactionAt(at, withDeltas);
    if (!m_experiment.isActive())
        return out;
    const Experiment &e = m_experiment;
    if (experimentSelects(ExperimentAspect::Omit, out.signature, e.omitEvery, e.salt)) {
        out.omitted = true;
        return out;
    }
    ExperimentChange change = applyExperiment(e, out.signature, out.json, out.success);
    if (change.changed) {
        out.json = std::move(change.json);
        out.success = change.success;
        if (withDeltas) {
            if (auto deltas = deriveAccountDeltas(out.json))
                out.deltas = std::move(*deltas);
        }
    }
    if (experimentSelects(ExperimentAspect::Add, out.signature, e.addEvery, e.salt)) {
        auto extra = std::make_shared<PlannedTransaction>(out);
        extra->signature = copySignature(out.signature, at.slot, 0xffffffffu);
        extra->json = replaceSignature(out.json, out.signature, extra->signature);
        out.extra = std::move(extra);
    }
    return out;
}

PlannedTransaction TransactionPlan::baseTransactionAt(Position at, bool withDeltas) const
{
    PlannedTransaction out;
    out.position = at;
    if (m_catalog->isSynthetic()) {
        SyntheticTransaction generated = m_catalog->generator().generate(at.slot, at.batch);
        out.json = std::move(generated.json);
        out.signature = generated.signature;
        out.success = generated.success;
        out.programIds = generated.programIds;
        for (const QString &key : std::as_const(generated.accountKeys))
            out.keys.insert(key);
        for (const QString &program : std::as_const(generated.programIds))
            out.keys.insert(program);
        if (withDeltas) {
            if (auto deltas = deriveAccountDeltas(out.json))
                out.deltas = std::move(*deltas);
            else
                qCWarning(lcRefServer) << "no account diffs for" << out.signature << ":" << deltas.error().message;
        }
        return out;
    }

    const CatalogTransaction &entry = m_catalog->transactions().at(catalogIndexAt(at));
    out.success = entry.success;
    out.programIds = entry.programIds;
    out.keys = entry.keys;
    if (withDeltas)
        out.deltas = entry.deltas;
    QList<JsonEdit> edits{slotEdit(entry.json, entry.slotBegin, entry.slotEnd, at.slot)};
    if (m_perSlot == 0) {
        out.signature = entry.signature;
    } else {
        out.signature = copySignature(entry.signature, at.slot, at.batch);
        const QByteArray quoted = '"' + out.signature.toLatin1() + '"';
        for (qsizetype offset : entry.signatureOffsets)
            edits.append({offset, offset + entry.signature.size() + 2, quoted});
    }
    out.json = applyJsonEdits(entry.json, std::move(edits));
    return out;
}

} // namespace SlotScope::Internal
