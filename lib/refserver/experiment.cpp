#include "refserver/experiment.h"

#include "protocol/dataplane.h"
#include "refserver/synthetictransactions.h"
#include "refserver/transactionplan.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <limits>
#include <optional>

using namespace Qt::StringLiterals;

namespace SlotScope {

bool experimentSelects(ExperimentAspect aspect, const QString &signature, int every, quint32 salt)
{
    if (every <= 0)
        return false;
    if (every == 1)
        return true;
    // FNV-1a over (salt, aspect, signature), then a SplitMix64 finaliser so
    // that the low digits the modulo looks at are well mixed.
    quint64 hash = 0xcbf29ce484222325ULL;
    const auto feed = [&hash](quint8 byte) {
        hash ^= byte;
        hash *= 0x100000001b3ULL;
    };
    for (int i = 0; i < 4; ++i)
        feed(quint8(salt >> (8 * i)));
    feed(quint8(aspect));
    for (const QChar c : signature)
        feed(quint8(c.unicode() & 0xff));
    hash ^= hash >> 30;
    hash *= 0xbf58476d1ce4e5b9ULL;
    hash ^= hash >> 27;
    hash *= 0x94d049bb133111ebULL;
    hash ^= hash >> 31;
    return hash % quint64(every) == 0;
}

} // namespace SlotScope

namespace SlotScope::Internal {

namespace {

using Span = std::pair<qsizetype, qsizetype>;

/// Member `key` of the object at `object` in `json` (absolute offsets).
std::optional<Span> member(QByteArrayView json, std::optional<Span> object, QByteArrayView key)
{
    if (!object || json.at(object->first) != '{')
        return std::nullopt;
    const auto inner = topLevelMemberSpan(json.sliced(object->first, object->second - object->first), key);
    if (!inner)
        return std::nullopt;
    return Span{inner->first + object->first, inner->second + object->first};
}

/// The element spans of the array at `array` (empty when it is no array).
QList<Span> elements(QByteArrayView json, std::optional<Span> array)
{
    QList<Span> out;
    if (!array || json.at(array->first) != '[')
        return out;
    qsizetype pos = array->first + 1;
    while (pos < array->second - 1) {
        const auto value = jsonValueSpan(json, pos);
        if (!value || value->second >= array->second)
            break;
        out.append(*value);
        pos = value->second;
        while (pos < array->second && json.at(pos) != ',')
            ++pos;
        ++pos;
    }
    return out;
}

QByteArrayView text(QByteArrayView json, Span span)
{
    return json.sliced(span.first, span.second - span.first);
}

std::optional<quint64> unsignedAt(QByteArrayView json, std::optional<Span> span)
{
    if (!span)
        return std::nullopt;
    bool ok = false;
    const quint64 value = text(json, *span).toULongLong(&ok);
    return ok ? std::optional<quint64>(value) : std::nullopt;
}

/// `value + delta`, never below 0 nor above the u64 range.
quint64 shifted(quint64 value, qint64 delta)
{
    if (delta < 0)
        return quint64(-(delta + 1)) + 1 > value ? 0 : value - (quint64(-(delta + 1)) + 1);
    const quint64 up = quint64(delta);
    return value > std::numeric_limits<quint64>::max() - up ? std::numeric_limits<quint64>::max() : value + up;
}

QByteArray numberArray(const QList<quint64> &values)
{
    QByteArray out = "[";
    for (qsizetype i = 0; i < values.size(); ++i) {
        if (i > 0)
            out += ',';
        out += QByteArray::number(values.at(i));
    }
    return out + ']';
}

/// The last top-level instruction of the transaction and the program it calls
/// (empty when the message is not in a JSON encoding).
std::pair<qsizetype, QString> lastInstruction(const QByteArray &json)
{
    const QJsonObject message =
        QJsonDocument::fromJson(json).object().value(u"transaction"_s).toObject().value(u"message"_s).toObject();
    const QJsonArray instructions = message.value(u"instructions"_s).toArray();
    if (instructions.isEmpty())
        return {0, QString()};
    const QJsonObject last = instructions.last().toObject();
    QString program = last.value(u"programId"_s).toString();
    if (program.isEmpty() && last.value(u"programIdIndex"_s).isDouble()) {
        const QJsonValue key = message.value(u"accountKeys"_s).toArray().at(last.value(u"programIdIndex"_s).toInt());
        program = key.isObject() ? key.toObject().value(u"pubkey"_s).toString() : key.toString();
    }
    return {instructions.size() - 1, program};
}

/// The token-balance array text `tokens` with its first entry's amount shifted by `delta`.
QByteArray shiftFirstTokenAmount(const QByteArray &tokens, qint64 delta)
{
    const QList<Span> entries = elements(tokens, jsonValueSpan(tokens, 0));
    if (entries.isEmpty())
        return tokens;
    const auto amountObject = member(tokens, entries.first(), "uiTokenAmount");
    const auto amountSpan = member(tokens, amountObject, "amount");
    const auto decimals = unsignedAt(tokens, member(tokens, amountObject, "decimals"));
    if (!amountSpan || !decimals || *decimals > 19 || text(tokens, *amountSpan).size() < 2)
        return tokens;
    bool ok = false;
    const quint64 amount = text(tokens, *amountSpan).sliced(1).chopped(1).toULongLong(&ok);
    if (!ok)
        return tokens;
    const quint64 next = shifted(amount, delta);
    QList<JsonEdit> edits{{amountSpan->first, amountSpan->second, '"' + QByteArray::number(next) + '"'}};
    if (const auto ui = member(tokens, amountObject, "uiAmount")) {
        double scale = 1;
        for (quint64 i = 0; i < *decimals; ++i)
            scale *= 10;
        edits.append({ui->first, ui->second,
                      next == 0 ? QByteArray("null") : QByteArray::number(double(next) / scale, 'g', 17)});
    }
    if (const auto uiString = member(tokens, amountObject, "uiAmountString")) {
        edits.append({uiString->first, uiString->second,
                      '"' + uiAmountString(next, int(*decimals)).toLatin1() + '"'});
    }
    return applyJsonEdits(tokens, edits);
}

} // namespace

ExperimentChange applyExperiment(const Experiment &experiment, const QString &signature, const QByteArray &json,
                                 bool success)
{
    ExperimentChange out{json, success, false};
    const quint32 salt = experiment.salt;
    const bool fail = success && experimentSelects(ExperimentAspect::Fail, signature, experiment.failEvery, salt);
    const bool fee = experimentSelects(ExperimentAspect::Fee, signature, experiment.feeEvery, salt);
    const bool units =
        experimentSelects(ExperimentAspect::ComputeUnits, signature, experiment.computeUnitsEvery, salt);
    const bool sol = experimentSelects(ExperimentAspect::Sol, signature, experiment.solEvery, salt);
    const bool token = experimentSelects(ExperimentAspect::Token, signature, experiment.tokenEvery, salt);
    if (!fail && !fee && !units && !sol && !token)
        return out;

    const auto meta = member(json, jsonValueSpan(json, 0), "meta");
    if (!meta)
        return out;
    const auto feeSpan = member(json, meta, "fee");
    const quint64 oldFee = unsignedAt(json, feeSpan).value_or(0);
    const QList<Span> preSpans = elements(json, member(json, meta, "preBalances"));
    const auto postSpan = member(json, meta, "postBalances");
    const QList<Span> postSpans = elements(json, postSpan);
    QList<quint64> pre;
    QList<quint64> post;
    for (const Span &span : preSpans)
        pre.append(unsignedAt(json, span).value_or(0));
    for (const Span &span : postSpans)
        post.append(unsignedAt(json, span).value_or(0));
    bool postChanged = false;
    const auto preTokenSpan = member(json, meta, "preTokenBalances");
    const auto postTokenSpan = member(json, meta, "postTokenBalances");
    QByteArray postTokens = postTokenSpan ? text(json, *postTokenSpan).toByteArray() : QByteArray();
    bool postTokensChanged = false;
    QList<JsonEdit> edits;

    if (fail) {
        const auto errSpan = member(json, meta, "err");
        const auto statusSpan = member(json, meta, "status");
        if (errSpan) {
            const auto [index, program] = lastInstruction(json);
            const QByteArray error = R"({"InstructionError":[)" + QByteArray::number(index) + R"(,{"Custom":6001}]})";
            edits.append({errSpan->first, errSpan->second, error});
            if (statusSpan)
                edits.append({statusSpan->first, statusSpan->second, R"({"Err":)" + error + '}'});
            if (!pre.isEmpty() && pre.size() == post.size()) {
                post = pre;
                post[0] = pre[0] > oldFee ? pre[0] - oldFee : 0; // a failed transaction still pays its fee
                postChanged = true;
            }
            if (preTokenSpan && postTokenSpan) {
                postTokens = text(json, *preTokenSpan).toByteArray();
                postTokensChanged = true;
            }
            const auto logs = member(json, meta, "logMessages");
            if (logs && json.at(logs->first) == '[') {
                const QString line = program.isEmpty()
                    ? u"Transaction failed: custom program error: 0x1771"_s
                    : u"Program %1 failed: custom program error: 0x1771"_s.arg(program);
                const bool empty = elements(json, logs).isEmpty();
                edits.append({logs->second - 1, logs->second - 1,
                              (empty ? QByteArray() : QByteArray(",")) + '"' + line.toLatin1() + '"'});
            }
            out.success = false;
        }
    }
    if (fee && feeSpan) {
        const quint64 newFee = shifted(oldFee, experiment.feeDelta);
        edits.append({feeSpan->first, feeSpan->second, QByteArray::number(newFee)});
        if (!post.isEmpty()) {
            // The fee payer pays the difference.
            const quint64 extra = newFee >= oldFee ? newFee - oldFee : 0;
            const quint64 refund = newFee < oldFee ? oldFee - newFee : 0;
            post[0] = extra > post[0] ? 0 : post[0] - extra + refund;
            postChanged = true;
        }
    }
    if (units) {
        if (const auto span = member(json, meta, "computeUnitsConsumed")) {
            if (const auto value = unsignedAt(json, span))
                edits.append({span->first, span->second,
                              QByteArray::number(shifted(*value, experiment.computeUnitsDelta))});
        }
    }
    if (sol && !post.isEmpty()) {
        post[0] = shifted(post[0], experiment.solDelta);
        postChanged = true;
    }
    if (token && postTokenSpan) {
        const QByteArray shiftedTokens = shiftFirstTokenAmount(postTokens, experiment.tokenDelta);
        postTokensChanged = postTokensChanged || shiftedTokens != postTokens;
        postTokens = shiftedTokens;
    }
    if (postChanged && postSpan)
        edits.append({postSpan->first, postSpan->second, numberArray(post)});
    if (postTokensChanged)
        edits.append({postTokenSpan->first, postTokenSpan->second, postTokens});
    if (edits.isEmpty())
        return out;
    out.json = applyJsonEdits(json, edits);
    out.changed = out.json != json;
    return out;
}

QByteArray replaceSignature(const QByteArray &json, const QString &from, const QString &to)
{
    const QByteArray before = '"' + from.toLatin1() + '"';
    const QByteArray after = '"' + to.toLatin1() + '"';
    QByteArray out = json;
    return out.replace(before, after);
}

} // namespace SlotScope::Internal
