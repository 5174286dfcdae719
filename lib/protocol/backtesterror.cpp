#include "protocol/backtesterror.h"
#include "protocol/json.h"

#include "protocol/logging.h"

#include <array>

using namespace Qt::StringLiterals;

namespace SlotScope {

namespace {

using K = BacktestErrorKind;
using C = BacktestErrorClass;

/// Text of an inline error field (either casing): strings as is, integers
/// exactly, anything else as compact JSON; empty when absent.
class FieldText
{
public:
    explicit FieldText(const QJsonObject &fields) : m_fields(fields) {}
    QString operator()(const char *name) const
    {
        const QJsonValue v = Json::lookup(m_fields, QLatin1StringView(name));
        if (Json::isAbsent(v))
            return {};
        if (v.isString())
            return v.toString();
        if (const auto n = Json::asU64(v))
            return QString::number(*n);
        return QString::fromUtf8(Json::compact(v));
    }

private:
    const QJsonObject &m_fields;
};

QString withDetail(const QString &head, const QString &detail)
{
    return detail.isEmpty() ? head : head + u": "_s + detail;
}

/// "head (transaction 2): detail"
QString atTransaction(const QString &head, const FieldText &f)
{
    const QString index = f("index");
    return withDetail(index.isEmpty() ? head : head + u" (transaction "_s + index + u')', f("error"));
}

/// "head for <address>: detail"
QString forAddress(const QString &head, const QString &separator, const FieldText &f)
{
    const QString address = f("address");
    return withDetail(address.isEmpty() ? head : head + separator + address, f("error"));
}

/// "advancing slot 1005 failed: detail" / "invalid blockhash format at slot 7: detail"
QString atSlot(const QString &before, const QString &after, const FieldText &f)
{
    const QString slot = f("slot");
    QString head = before;
    if (!slot.isEmpty())
        head += after.isEmpty() ? u" at slot "_s + slot : u" slot "_s + slot;
    return withDetail(head + after, f("error"));
}

QString slotRange(const QString &head, const FieldText &f)
{
    return head + f("start_slot") + u".."_s + f("end_slot");
}

/// One descriptor per variant (PROTOCOL-0.31.md §4.8): wire name, class,
/// inline fields in declaration order (none = a unit variant, a bare string
/// on the wire), and its text for people.
struct VariantInfo
{
    BacktestErrorKind kind;
    QLatin1StringView name;
    BacktestErrorClass errorClass;
    std::array<QLatin1StringView, 3> fields;
    QString (*message)(const FieldText &f);

    bool unit() const { return fields[0].isEmpty(); }
};

constexpr auto kNoFields = std::array<QLatin1StringView, 3>{};

const std::array<VariantInfo, 22> &variants()
{
    static const std::array<VariantInfo, 22> table = {{
        {K::InvalidTransactionEncoding, "invalidTransactionEncoding"_L1, C::RequestRejected,
         {"index"_L1, "error"_L1, {}},
         [](const FieldText &f) { return atTransaction(u"invalid transaction encoding"_s, f); }},
        {K::InvalidTransactionFormat, "invalidTransactionFormat"_L1, C::RequestRejected,
         {"index"_L1, "error"_L1, {}},
         [](const FieldText &f) { return atTransaction(u"invalid transaction format"_s, f); }},
        {K::InvalidAccountEncoding, "invalidAccountEncoding"_L1, C::RequestRejected,
         {"address"_L1, "encoding"_L1, "error"_L1},
         [](const FieldText &f) {
             const QString encoding = f("encoding");
             QString head = u"invalid account encoding"_s;
             if (const QString address = f("address"); !address.isEmpty())
                 head += u" for "_s + address;
             if (!encoding.isEmpty())
                 head += u" ("_s + encoding + u')';
             return withDetail(head, f("error"));
         }},
        {K::InvalidAccountOwner, "invalidAccountOwner"_L1, C::RequestRejected, {"address"_L1, "error"_L1, {}},
         [](const FieldText &f) { return forAddress(u"invalid account owner"_s, u" for "_s, f); }},
        {K::InvalidAccountPubkey, "invalidAccountPubkey"_L1, C::RequestRejected, {"address"_L1, "error"_L1, {}},
         [](const FieldText &f) { return forAddress(u"invalid account pubkey"_s, u" "_s, f); }},
        {K::NoMoreBlocks, "noMoreBlocks"_L1, C::Terminal, kNoFields,
         [](const FieldText &) { return u"no more blocks"_s; }},
        {K::BundleNotFound, "bundleNotFound"_L1, C::CreateFailed, {"start_slot"_L1, "end_slot"_L1, {}},
         [](const FieldText &f) { return slotRange(u"bundle not found for slots "_s, f); }},
        {K::AdvanceSlotFailed, "advanceSlotFailed"_L1, C::Terminal, {"slot"_L1, "error"_L1, {}},
         [](const FieldText &f) { return atSlot(u"advancing"_s, u" failed"_s, f); }},
        {K::FinalizeSlotFailed, "finalizeSlotFailed"_L1, C::Terminal, {"slot"_L1, "error"_L1, {}},
         [](const FieldText &f) { return atSlot(u"finalizing"_s, u" failed"_s, f); }},
        {K::InvalidRequest, "invalidRequest"_L1, C::RequestRejected, {"error"_L1, {}, {}},
         [](const FieldText &f) { return withDetail(u"invalid request"_s, f("error")); }},
        {K::Internal, "internal"_L1, C::Terminal, {"error"_L1, {}, {}},
         [](const FieldText &f) { return withDetail(u"internal server error"_s, f("error")); }},
        {K::InvalidBlockhashFormat, "invalidBlockhashFormat"_L1, C::RequestRejected, {"slot"_L1, "error"_L1, {}},
         [](const FieldText &f) { return atSlot(u"invalid blockhash format"_s, {}, f); }},
        {K::InitializingSysvarsFailed, "initializingSysvarsFailed"_L1, C::CreateFailed, {"slot"_L1, "error"_L1, {}},
         [](const FieldText &f) { return atSlot(u"initializing sysvars failed"_s, {}, f); }},
        {K::ClerkError, "clerkError"_L1, C::CreateFailed, {"error"_L1, {}, {}},
         [](const FieldText &f) { return withDetail(u"clerk error"_s, f("error")); }},
        {K::SimulationError, "simulationError"_L1, C::PerTransaction, {"error"_L1, {}, {}},
         [](const FieldText &f) { return withDetail(u"simulation error"_s, f("error")); }},
        {K::SessionNotFound, "sessionNotFound"_L1, C::CreateFailed, {"session_id"_L1, {}, {}},
         [](const FieldText &f) { return withDetail(u"session not found"_s, f("session_id")); }},
        {K::SessionOwnerMismatch, "sessionOwnerMismatch"_L1, C::CreateFailed, kNoFields,
         [](const FieldText &) { return u"session owner mismatch (the session belongs to another API key)"_s; }},
        {K::SessionOwnershipBusy, "sessionOwnershipBusy"_L1, C::TransientHandshake, {"reason"_L1, {}, {}},
         [](const FieldText &f) { return withDetail(u"session ownership busy"_s, f("reason")); }},
        {K::NoProducedBlocksInRange, "noProducedBlocksInRange"_L1, C::CreateFailed,
         {"start_slot"_L1, "end_slot"_L1, {}},
         [](const FieldText &f) { return slotRange(u"no produced blocks in slots "_s, f); }},
        {K::SessionNameTaken, "sessionNameTaken"_L1, C::CreateFailed, {"session_name"_L1, {}, {}},
         [](const FieldText &f) { return withDetail(u"session name taken"_s, f("session_name")); }},
        {K::ProgramdataNotDeployed, "programdataNotDeployed"_L1, C::RequestRejected, {"address"_L1, {}, {}},
         [](const FieldText &f) { return forAddress(u"program data not deployed"_s, u" for "_s, f); }},
        {K::Cut, "cut"_L1, C::Terminal, {"slot"_L1, {}, {}},
         [](const FieldText &f) { return atSlot(u"session cut off"_s, {}, f); }},
    }};
    return table;
}

const VariantInfo *variantOf(BacktestErrorKind kind)
{
    for (const VariantInfo &info : variants()) {
        if (info.kind == kind)
            return &info;
    }
    return nullptr;
}

const VariantInfo *variantNamed(QStringView name)
{
    for (const VariantInfo &info : variants()) {
        if (Json::sameVariant(name, info.name))
            return &info;
    }
    return nullptr;
}

} // namespace

BacktestErrorClass backtestErrorClass(BacktestErrorKind kind)
{
    const VariantInfo *info = variantOf(kind);
    return info ? info->errorClass : BacktestErrorClass::Unknown;
}

QString backtestErrorClassName(BacktestErrorClass errorClass)
{
    switch (errorClass) {
    case C::Terminal: return u"terminal"_s;
    case C::PerTransaction: return u"per-transaction"_s;
    case C::RequestRejected: return u"request rejected"_s;
    case C::CreateFailed: return u"create/attach failed"_s;
    case C::TransientHandshake: return u"transient"_s;
    case C::Unknown: break;
    }
    return u"unknown"_s;
}

BacktestErrorClass BacktestError::errorClass() const
{
    return backtestErrorClass(kind);
}

bool BacktestError::isTerminal() const
{
    return errorClass() == BacktestErrorClass::Terminal;
}

QString BacktestError::message() const
{
    if (const VariantInfo *info = variantOf(kind))
        return Json::oneLine(info->message(FieldText(fields)));
    if (variant.isEmpty())
        return Json::oneLine(u"unrecognised server error: "_s + QString::fromUtf8(Json::compact(raw)));
    return Json::oneLine(
        withDetail(u"server error \"%1\""_s.arg(variant),
                   fields.isEmpty() ? QString() : QString::fromUtf8(Json::compact(fields))));
}

QJsonValue BacktestError::toJson() const
{
    const VariantInfo *info = variantOf(kind);
    if (!info)
        return raw.isUndefined() ? QJsonValue() : raw;
    if (info->unit())
        return QJsonValue(QString(info->name));
    return QJsonObject{{info->name, fields}};
}

void BacktestError::write(Json::Writer &w) const
{
    const VariantInfo *info = variantOf(kind);
    if (!info) {
        w.json(raw);
        return;
    }
    if (info->unit()) {
        w.string(info->name);
        return;
    }
    w.beginObject().key(info->name).beginObject();
    QStringList written;
    for (QLatin1StringView field : info->fields) {
        if (field.isEmpty())
            continue;
        const QJsonValue v = Json::lookup(fields, field);
        if (v.isUndefined())
            continue;
        w.key(field).json(v);
        written << QString(field) << Json::otherCasing(field);
    }
    for (auto it = fields.constBegin(); it != fields.constEnd(); ++it) {
        if (!written.contains(it.key()))
            w.key(QStringView(it.key())).json(it.value());
    }
    w.endObject().endObject();
}

BacktestError BacktestError::fromJson(const QJsonValue &params)
{
    BacktestError error;
    error.raw = params.isUndefined() ? QJsonValue() : params;

    QString name;
    QJsonValue inner;
    if (params.isString()) {
        name = params.toString();
    } else if (params.isObject() && params.toObject().size() == 1) {
        name = params.toObject().constBegin().key();
        inner = params.toObject().constBegin().value();
    } else {
        qCDebug(lcProtocol) << "unrecognised error shape:" << Json::compact(params);
        return error;
    }

    error.variant = name;
    if (inner.isObject())
        error.fields = inner.toObject();
    else if (inner.isString()) // lenient: {"internal": "text"}
        error.fields = QJsonObject{{"error"_L1, inner}};

    if (const VariantInfo *info = variantNamed(name)) {
        error.kind = info->kind;
        // A declared field in either casing is kept under its wire name, so
        // the value is the same whichever casing the server chose (and
        // write() → fromJson() gives it back unchanged).
        for (QLatin1StringView field : info->fields) {
            if (field.isEmpty())
                continue;
            const QJsonValue v = Json::lookup(error.fields, field);
            error.fields.remove(Json::otherCasing(field));
            if (!v.isUndefined())
                error.fields.insert(field, v);
        }
    } else {
        qCDebug(lcProtocol) << "unknown error variant:" << name;
    }
    return error;
}

BacktestError BacktestError::make(BacktestErrorKind kind, QJsonObject fields)
{
    BacktestError error;
    error.kind = kind;
    error.variant = variantName(kind);
    error.fields = std::move(fields);
    error.raw = error.toJson();
    return error;
}

BacktestError BacktestError::invalidRequest(const QString &message)
{
    return make(K::InvalidRequest, QJsonObject{{"error"_L1, message}});
}

BacktestError BacktestError::bundleNotFound(quint64 startSlot, quint64 endSlot)
{
    return make(K::BundleNotFound, QJsonObject{{"start_slot"_L1, qint64(startSlot)}, {"end_slot"_L1, qint64(endSlot)}});
}

BacktestError BacktestError::sessionNotFound(const QString &sessionId)
{
    return make(K::SessionNotFound, QJsonObject{{"session_id"_L1, sessionId}});
}

BacktestError BacktestError::sessionOwnershipBusy(const QString &reason)
{
    return make(K::SessionOwnershipBusy, QJsonObject{{"reason"_L1, reason}});
}

BacktestError BacktestError::simulationError(const QString &message)
{
    return make(K::SimulationError, QJsonObject{{"error"_L1, message}});
}

BacktestError BacktestError::sessionNameTaken(const QString &sessionName)
{
    return make(K::SessionNameTaken, QJsonObject{{"session_name"_L1, sessionName}});
}

BacktestError BacktestError::programdataNotDeployed(const QString &address)
{
    return make(K::ProgramdataNotDeployed, QJsonObject{{"address"_L1, address}});
}

BacktestError BacktestError::cut(quint64 slot)
{
    return make(K::Cut, QJsonObject{{"slot"_L1, qint64(slot)}});
}

QString BacktestError::variantName(BacktestErrorKind kind)
{
    if (const VariantInfo *info = variantOf(kind))
        return QString(info->name);
    return u"unknown"_s;
}

} // namespace SlotScope
