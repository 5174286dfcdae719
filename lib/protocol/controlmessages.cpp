#include "protocol/controlmessages.h"
#include "protocol/jsonencoding.h"

#include "protocol/logging.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

#include <array>
#include <cmath>
#include <limits>
#include <vector>

using namespace Qt::StringLiterals;

namespace SlotScope {

namespace {

template<class... Ts>
struct Overloaded : Ts...
{
    using Ts::operator()...;
};
template<class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

// ---------------------------------------------------------------------------
// Writing. QJsonObject sorts its keys, but the wire form keeps serde's field
// declaration order (PROTOCOL.md §3–§4 examples), and u64 values must stay
// exact, so frames are written by hand. Pass-through values (account
// modifications, unknown discovery filters, reroute stats) go through
// QJsonDocument, which writes integers exactly.

using Internal::appendJsonString;

QByteArray compactJson(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Object:
        return QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    case QJsonValue::Array:
        return QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
    case QJsonValue::Bool:
        return value.toBool() ? QByteArrayLiteral("true") : QByteArrayLiteral("false");
    case QJsonValue::String: {
        QByteArray out;
        appendJsonString(out, value.toString());
        return out;
    }
    case QJsonValue::Double: {
        // Let Qt format the number (integers stay exact), then strip "[" and "]".
        const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
        return wrapped.mid(1, wrapped.size() - 2);
    }
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        break;
    }
    return QByteArrayLiteral("null");
}

class JsonWriter
{
public:
    void beginObject() { open('{'); }
    void endObject() { close('}'); }
    void beginArray() { open('['); }
    void endArray() { close(']'); }

    void key(QLatin1StringView name)
    {
        separate();
        m_out.append('"').append(name.data(), name.size()).append("\":");
        m_afterKey = true;
    }
    void key(QStringView name)
    {
        separate();
        appendJsonString(m_out, name);
        m_out.append(':');
        m_afterKey = true;
    }
    void string(QStringView text)
    {
        separate();
        appendJsonString(m_out, text);
    }
    void string(QLatin1StringView text)
    {
        separate();
        m_out.append('"').append(text.data(), text.size()).append('"');
    }
    void u64(quint64 value)
    {
        separate();
        m_out.append(QByteArray::number(value));
    }
    void boolean(bool value)
    {
        separate();
        m_out.append(value ? "true" : "false");
    }
    void null()
    {
        separate();
        m_out.append("null");
    }
    void json(const QJsonValue &value)
    {
        separate();
        m_out.append(compactJson(value));
    }
    void optionalString(const std::optional<QString> &value)
    {
        if (value)
            string(*value);
        else
            null();
    }
    void stringList(const QStringList &list)
    {
        beginArray();
        for (const QString &s : list)
            string(s);
        endArray();
    }

    QByteArray take() { return std::move(m_out); }

private:
    void open(char bracket)
    {
        separate();
        m_out.append(bracket);
        m_first.push_back(true);
    }
    void close(char bracket)
    {
        m_out.append(bracket);
        m_first.pop_back();
    }
    void separate()
    {
        if (m_afterKey) {
            m_afterKey = false;
            return;
        }
        if (!m_first.empty()) {
            if (!m_first.back())
                m_out.append(',');
            m_first.back() = false;
        }
    }

    QByteArray m_out;
    std::vector<bool> m_first;
    bool m_afterKey = false;
};

// ---------------------------------------------------------------------------
// Lenient reading helpers (PROTOCOL.md §2.2 "accept both spellings").

/// "session_id" → "sessionId", "startSlot" → "start_slot".
QString otherCasing(QLatin1StringView name)
{
    QString out;
    out.reserve(name.size() + 4);
    if (name.contains(u'_')) {
        bool upper = false;
        for (const char c : name) {
            if (c == '_') {
                upper = true;
            } else {
                out.append(upper ? QChar::fromLatin1(c).toUpper() : QChar::fromLatin1(c));
                upper = false;
            }
        }
    } else {
        for (const char c : name) {
            const QChar ch = QChar::fromLatin1(c);
            if (ch.isUpper()) {
                out.append(u'_');
                out.append(ch.toLower());
            } else {
                out.append(ch);
            }
        }
    }
    return out;
}

/// The value of `name` or of its other casing; Undefined when neither is present.
QJsonValue lookup(const QJsonObject &object, QLatin1StringView name)
{
    auto it = object.constFind(name);
    if (it != object.constEnd())
        return *it;
    const QString other = otherCasing(name);
    if (other != name) {
        it = object.constFind(other);
        if (it != object.constEnd())
            return *it;
    }
    return QJsonValue(QJsonValue::Undefined);
}

bool isAbsent(const QJsonValue &value)
{
    return value.isUndefined() || value.isNull();
}

/// Exact for every integer below 2^63 (Qt keeps them as qint64); larger u64
/// values only arrive as doubles and are taken as such. Negative and
/// fractional numbers are rejected.
std::optional<quint64> asU64(const QJsonValue &value)
{
    if (!value.isDouble())
        return std::nullopt;
    const qint64 exact = value.toInteger(-1);
    if (exact >= 0)
        return quint64(exact);
    const double d = value.toDouble();
    if (d >= 9223372036854775808.0 && d < 18446744073709551616.0 && std::floor(d) == d)
        return quint64(d);
    return std::nullopt;
}

/// Compare wire variant/method names case-insensitively, ignoring '_'
/// ("InvalidRequest", "invalid_request" and "invalidRequest" all match).
bool sameVariant(QStringView received, QLatin1StringView canonical)
{
    qsizetype j = 0;
    for (const QChar ch : received) {
        if (ch == u'_')
            continue;
        if (j >= canonical.size() || ch.toLower() != QChar(canonical[j]).toLower())
            return false;
        ++j;
    }
    return j == canonical.size();
}

class Decoder
{
public:
    explicit Decoder(QString context = {}) : m_context(std::move(context)) {}

    bool ok() const { return m_error.isEmpty(); }
    const QString &error() const { return m_error; }
    void fail(const QString &message)
    {
        if (m_error.isEmpty())
            m_error = m_context.isEmpty() ? message : m_context + u": "_s + message;
    }
    void setContext(QString context) { m_context = std::move(context); }

    QJsonObject object(const QJsonValue &value, QLatin1StringView what)
    {
        if (!value.isObject()) {
            if (isAbsent(value))
                fail(u"missing %1"_s.arg(what));
            else
                fail(u"%1 must be an object"_s.arg(what));
            return {};
        }
        return value.toObject();
    }

    template<typename T>
    void readUnsigned(const QJsonObject &o, QLatin1StringView name, T &out, bool required)
    {
        const QJsonValue v = lookup(o, name);
        if (isAbsent(v)) {
            if (required)
                fail(u"missing field \"%1\""_s.arg(name));
            return;
        }
        if (const auto n = checkedUnsigned<T>(v, name))
            out = *n;
    }
    template<typename T>
    void readOptionalUnsigned(const QJsonObject &o, QLatin1StringView name, std::optional<T> &out)
    {
        const QJsonValue v = lookup(o, name);
        if (isAbsent(v)) {
            out.reset();
            return;
        }
        out = checkedUnsigned<T>(v, name);
    }
    template<typename T>
    std::optional<T> checkedUnsigned(const QJsonValue &v, const QString &name)
    {
        const auto n = asU64(v);
        if (!n) {
            fail(u"field \"%1\" must be a non-negative integer"_s.arg(name));
            return std::nullopt;
        }
        if (*n > quint64(std::numeric_limits<T>::max())) {
            fail(u"field \"%1\" is out of range (max %2)"_s.arg(name).arg(std::numeric_limits<T>::max()));
            return std::nullopt;
        }
        return T(*n);
    }
    void readString(const QJsonObject &o, QLatin1StringView name, QString &out)
    {
        const QJsonValue v = lookup(o, name);
        if (!v.isString()) {
            fail(isAbsent(v) ? u"missing field \"%1\""_s.arg(name)
                             : u"field \"%1\" must be a string"_s.arg(name));
            return;
        }
        out = v.toString();
    }
    void readOptionalString(const QJsonObject &o, QLatin1StringView name, std::optional<QString> &out)
    {
        const QJsonValue v = lookup(o, name);
        out.reset();
        if (isAbsent(v))
            return;
        if (!v.isString()) {
            fail(u"field \"%1\" must be a string or null"_s.arg(name));
            return;
        }
        out = v.toString();
    }
    void readBool(const QJsonObject &o, QLatin1StringView name, bool &out)
    {
        const QJsonValue v = lookup(o, name);
        if (isAbsent(v))
            return;
        if (!v.isBool()) {
            fail(u"field \"%1\" must be true or false"_s.arg(name));
            return;
        }
        out = v.toBool();
    }
    /// Absent or null → empty. `binaryObjects` also accepts EncodedBinary
    /// objects ({"data": "<base64>", "encoding": "base64"}) and keeps `data`.
    void readStringList(const QJsonObject &o, QLatin1StringView name, QStringList &out,
                        bool binaryObjects = false)
    {
        const QJsonValue v = lookup(o, name);
        out.clear();
        if (isAbsent(v))
            return;
        if (!v.isArray()) {
            fail(u"field \"%1\" must be an array"_s.arg(name));
            return;
        }
        const QJsonArray array = v.toArray();
        out.reserve(array.size());
        for (const QJsonValue &item : array) {
            if (item.isString()) {
                out.append(item.toString());
            } else if (binaryObjects && item.isObject() && item.toObject().value("data"_L1).isString()) {
                out.append(item.toObject().value("data"_L1).toString());
            } else {
                fail(u"field \"%1\" must hold only strings"_s.arg(name));
                return;
            }
        }
    }
    template<typename T>
    QList<T> unsignedList(const QJsonValue &v, QLatin1StringView name)
    {
        QList<T> out;
        if (!v.isArray()) {
            fail(u"field \"%1\" must be an array"_s.arg(name));
            return out;
        }
        const QJsonArray array = v.toArray();
        out.reserve(array.size());
        for (const QJsonValue &item : array) {
            const auto n = checkedUnsigned<T>(item, name);
            if (!n)
                return {};
            out.append(*n);
        }
        return out;
    }
    QList<std::optional<QString>> optionalStringList(const QJsonValue &v, QLatin1StringView name)
    {
        QList<std::optional<QString>> out;
        if (isAbsent(v))
            return out;
        if (!v.isArray()) {
            fail(u"field \"%1\" must be an array"_s.arg(name));
            return out;
        }
        for (const QJsonValue &item : v.toArray()) {
            if (item.isString()) {
                out.append(item.toString());
            } else if (item.isNull()) {
                out.append(std::nullopt);
            } else {
                fail(u"field \"%1\" must hold strings or null"_s.arg(name));
                return {};
            }
        }
        return out;
    }

private:
    QString m_context;
    QString m_error;
};

QString oneLine(QString text)
{
    for (QChar &ch : text) {
        if (ch == u'\n' || ch == u'\r' || ch == u'\t')
            ch = u' ';
    }
    constexpr qsizetype maxLength = 400;
    if (text.size() > maxLength) {
        text.truncate(maxLength - 1);
        text.append(QChar(0x2026));
    }
    return text;
}

/// "JUP6LkbZ…aV4" style short form of a base58 address.
QString abbreviate(const QString &address)
{
    if (address.size() <= 11)
        return address;
    return address.left(4) + QChar(0x2026) + address.right(3);
}

// ---------------------------------------------------------------------------
// BacktestError variants (PROTOCOL.md §4.11), in declaration order, with their
// inline fields in declaration order.

struct ErrorVariantInfo
{
    BacktestErrorKind kind;
    QLatin1StringView name;
    bool unit;
    std::array<QLatin1StringView, 3> fields;
};

const std::array<ErrorVariantInfo, 20> &errorVariants()
{
    using K = BacktestErrorKind;
    static const std::array<ErrorVariantInfo, 20> table = {{
        {K::InvalidTransactionEncoding, "invalidTransactionEncoding"_L1, false, {"index"_L1, "error"_L1, {}}},
        {K::InvalidTransactionFormat, "invalidTransactionFormat"_L1, false, {"index"_L1, "error"_L1, {}}},
        {K::InvalidAccountEncoding, "invalidAccountEncoding"_L1, false, {"address"_L1, "encoding"_L1, "error"_L1}},
        {K::InvalidAccountOwner, "invalidAccountOwner"_L1, false, {"address"_L1, "error"_L1, {}}},
        {K::InvalidAccountPubkey, "invalidAccountPubkey"_L1, false, {"address"_L1, "error"_L1, {}}},
        {K::NoMoreBlocks, "noMoreBlocks"_L1, true, {}},
        {K::BundleNotFound, "bundleNotFound"_L1, false, {"start_slot"_L1, "end_slot"_L1, {}}},
        {K::AdvanceSlotFailed, "advanceSlotFailed"_L1, false, {"slot"_L1, "error"_L1, {}}},
        {K::FinalizeSlotFailed, "finalizeSlotFailed"_L1, false, {"slot"_L1, "error"_L1, {}}},
        {K::InvalidRequest, "invalidRequest"_L1, false, {"error"_L1, {}, {}}},
        {K::Internal, "internal"_L1, false, {"error"_L1, {}, {}}},
        {K::InvalidBlockhashFormat, "invalidBlockhashFormat"_L1, false, {"slot"_L1, "error"_L1, {}}},
        {K::InitializingSysvarsFailed, "initializingSysvarsFailed"_L1, false, {"slot"_L1, "error"_L1, {}}},
        {K::ClerkError, "clerkError"_L1, false, {"error"_L1, {}, {}}},
        {K::SimulationError, "simulationError"_L1, false, {"error"_L1, {}, {}}},
        {K::SessionNotFound, "sessionNotFound"_L1, false, {"session_id"_L1, {}, {}}},
        {K::SessionOwnerMismatch, "sessionOwnerMismatch"_L1, true, {}},
        {K::SessionOwnershipBusy, "sessionOwnershipBusy"_L1, false, {"reason"_L1, {}, {}}},
        {K::NoProducedBlocksInRange, "noProducedBlocksInRange"_L1, false, {"start_slot"_L1, "end_slot"_L1, {}}},
        {K::SessionNameTaken, "sessionNameTaken"_L1, false, {"session_name"_L1, {}, {}}},
    }};
    return table;
}

const ErrorVariantInfo *errorVariant(BacktestErrorKind kind)
{
    for (const ErrorVariantInfo &info : errorVariants()) {
        if (info.kind == kind)
            return &info;
    }
    return nullptr;
}

const ErrorVariantInfo *errorVariant(QStringView name)
{
    for (const ErrorVariantInfo &info : errorVariants()) {
        if (sameVariant(name, info.name))
            return &info;
    }
    return nullptr;
}

/// Text of an inline error field (either casing): strings as is, integers
/// exactly, anything else as compact JSON; empty when absent.
QString fieldText(const QJsonObject &fields, QLatin1StringView name)
{
    const QJsonValue v = lookup(fields, name);
    if (isAbsent(v))
        return {};
    if (v.isString())
        return v.toString();
    if (const auto n = asU64(v))
        return QString::number(*n);
    return QString::fromUtf8(compactJson(v));
}

QString withDetail(const QString &head, const QString &detail)
{
    return detail.isEmpty() ? head : head + u": "_s + detail;
}

void writeBacktestError(JsonWriter &w, const BacktestError &error)
{
    const ErrorVariantInfo *info = errorVariant(error.kind);
    if (!info) {
        w.json(error.raw.isUndefined() ? QJsonValue() : error.raw);
        return;
    }
    if (info->unit) {
        w.string(info->name);
        return;
    }
    w.beginObject();
    w.key(info->name);
    w.beginObject();
    QStringList written;
    for (QLatin1StringView field : info->fields) {
        if (field.isEmpty())
            continue;
        const QJsonValue v = lookup(error.fields, field);
        if (v.isUndefined())
            continue;
        w.key(field);
        w.json(v);
        written << QString(field) << otherCasing(field);
    }
    for (auto it = error.fields.constBegin(); it != error.fields.constEnd(); ++it) {
        if (written.contains(it.key()))
            continue;
        w.key(QStringView(it.key()));
        w.json(it.value());
    }
    w.endObject();
    w.endObject();
}

// ---------------------------------------------------------------------------
// Shared value types: writing and reading

void writeDiscoveryFilter(JsonWriter &w, const DiscoveryFilter &filter)
{
    switch (filter.kind) {
    case DiscoveryFilter::Kind::ProgramExecuted:
        w.beginObject();
        w.key("programExecuted"_L1);
        w.string(filter.program);
        w.endObject();
        return;
    case DiscoveryFilter::Kind::OracleUpdate:
        w.beginObject();
        w.key("oracleUpdate"_L1);
        w.beginObject();
        w.key("programs"_L1);
        w.stringList(filter.programs);
        w.key("accounts"_L1);
        w.stringList(filter.accounts);
        w.endObject();
        w.endObject();
        return;
    case DiscoveryFilter::Kind::Unknown:
        break;
    }
    w.json(filter.raw);
}

void writeDiscoveryFilters(JsonWriter &w, const QList<DiscoveryFilter> &filters)
{
    w.beginArray();
    for (const DiscoveryFilter &filter : filters)
        writeDiscoveryFilter(w, filter);
    w.endArray();
}

QList<DiscoveryFilter> readDiscoveryFilters(Decoder &d, const QJsonObject &o, QLatin1StringView name)
{
    QList<DiscoveryFilter> out;
    const QJsonValue v = lookup(o, name);
    if (isAbsent(v))
        return out;
    if (!v.isArray()) {
        d.fail(u"field \"%1\" must be an array"_s.arg(name));
        return out;
    }
    for (const QJsonValue &item : v.toArray())
        out.append(DiscoveryFilter::fromJson(item));
    return out;
}

void writeContinueParams(JsonWriter &w, const ContinueParams &p)
{
    w.beginObject();
    w.key("advanceCount"_L1);
    w.u64(p.advanceCount);
    w.key("transactions"_L1);
    w.stringList(p.transactions);
    w.key("modifyAccountStates"_L1);
    w.json(p.modifyAccountStates);
    w.endObject();
}

ContinueParams readContinueParams(Decoder &d, const QJsonValue &value, QLatin1StringView what)
{
    ContinueParams p;
    const QJsonObject o = d.object(value, what);
    if (!d.ok())
        return p;
    d.readUnsigned(o, "advanceCount"_L1, p.advanceCount, false);
    d.readStringList(o, "transactions"_L1, p.transactions, true);
    const QJsonValue modify = lookup(o, "modifyAccountStates"_L1);
    if (modify.isObject())
        p.modifyAccountStates = modify.toObject();
    else if (!isAbsent(modify))
        d.fail(u"field \"modifyAccountStates\" must be an object"_s);
    return p;
}

void writeContinueToParams(JsonWriter &w, const ContinueToParams &p)
{
    w.beginObject();
    w.key("slot"_L1);
    w.u64(p.slot);
    if (p.batchIndex) {
        w.key("batchIndex"_L1);
        w.u64(*p.batchIndex);
    }
    w.endObject();
}

ContinueToParams readContinueToParams(Decoder &d, const QJsonValue &value, QLatin1StringView what)
{
    ContinueToParams p;
    const QJsonObject o = d.object(value, what);
    if (!d.ok())
        return p;
    d.readUnsigned(o, "slot"_L1, p.slot, true);
    d.readOptionalUnsigned(o, "batchIndex"_L1, p.batchIndex);
    return p;
}

void writeCreateSessionParams(JsonWriter &w, const CreateSessionParams &p)
{
    w.beginObject();
    w.key("startSlot"_L1);
    w.u64(p.startSlot);
    w.key("endSlot"_L1);
    w.u64(p.endSlot);
    w.key("signerFilter"_L1);
    w.stringList(p.signerFilter);
    w.key("sendSummary"_L1);
    w.boolean(p.sendSummary);
    if (p.capacityWaitTimeoutSecs) {
        w.key("capacityWaitTimeoutSecs"_L1);
        w.u64(*p.capacityWaitTimeoutSecs);
    }
    if (p.disconnectTimeoutSecs) {
        w.key("disconnectTimeoutSecs"_L1);
        w.u64(*p.disconnectTimeoutSecs);
    }
    if (p.extraComputeUnits) {
        w.key("extraComputeUnits"_L1);
        w.u64(*p.extraComputeUnits);
    }
    w.key("discoveries"_L1);
    writeDiscoveryFilters(w, p.discoveries);
    w.key("actions"_L1);
    w.beginArray();
    w.endArray();
    w.key("replayAccountState"_L1);
    w.boolean(p.replayAccountState);
    if (p.parallel) {
        w.key("parallel"_L1);
        w.boolean(true);
    }
    w.endObject();
}

CreateSessionParams readCreateSessionParams(Decoder &d, const QJsonValue &value)
{
    CreateSessionParams p;
    QJsonObject o = d.object(value, "params"_L1);
    if (!d.ok())
        return p;
    // Lenient: a V1 request written as {"params": {...CreateSessionParams}, "parallel": …}.
    if (isAbsent(lookup(o, "startSlot"_L1)) && o.value("params"_L1).isObject()) {
        d.readBool(o, "parallel"_L1, p.parallel);
        o = o.value("params"_L1).toObject();
    }
    d.readUnsigned(o, "startSlot"_L1, p.startSlot, true);
    d.readUnsigned(o, "endSlot"_L1, p.endSlot, true);
    d.readStringList(o, "signerFilter"_L1, p.signerFilter);
    d.readBool(o, "sendSummary"_L1, p.sendSummary);
    d.readOptionalUnsigned(o, "capacityWaitTimeoutSecs"_L1, p.capacityWaitTimeoutSecs);
    d.readOptionalUnsigned(o, "disconnectTimeoutSecs"_L1, p.disconnectTimeoutSecs);
    d.readOptionalUnsigned(o, "extraComputeUnits"_L1, p.extraComputeUnits);
    p.discoveries = readDiscoveryFilters(d, o, "discoveries"_L1);
    d.readBool(o, "replayAccountState"_L1, p.replayAccountState);
    d.readBool(o, "parallel"_L1, p.parallel);
    return p;
}

void writeSessionInfo(JsonWriter &w, const SessionInfo &info)
{
    w.beginObject();
    w.key("session_id"_L1);
    w.string(info.sessionId);
    w.key("rpc_endpoint"_L1);
    w.string(info.rpcEndpoint);
    w.key("task_id"_L1);
    w.optionalString(info.taskId);
    w.endObject();
}

SessionInfo readSessionInfo(Decoder &d, const QJsonValue &value)
{
    SessionInfo info;
    const QJsonObject o = d.object(value, "params"_L1);
    if (!d.ok())
        return info;
    d.readString(o, "session_id"_L1, info.sessionId);
    d.readString(o, "rpc_endpoint"_L1, info.rpcEndpoint);
    d.readOptionalString(o, "task_id"_L1, info.taskId);
    return info;
}

void writeOptionalStringList(JsonWriter &w, const QList<std::optional<QString>> &list)
{
    w.beginArray();
    for (const auto &item : list)
        w.optionalString(item);
    w.endArray();
}

void writeU64List(JsonWriter &w, const QList<quint64> &list)
{
    w.beginArray();
    for (quint64 v : list)
        w.u64(v);
    w.endArray();
}

void writeSummary(JsonWriter &w, const SessionSummary &s)
{
    w.beginObject();
    w.key("correctSimulation"_L1);
    w.u64(s.correctSimulation);
    w.key("incorrectSimulation"_L1);
    w.u64(s.incorrectSimulation);
    w.key("executionErrors"_L1);
    w.u64(s.executionErrors);
    w.key("balanceDiff"_L1);
    w.u64(s.balanceDiff);
    w.key("logDiff"_L1);
    w.u64(s.logDiff);
    w.key("unsanitizable"_L1);
    w.u64(s.unsanitizable);
    w.key("rerouteStats"_L1);
    w.json(s.rerouteStats);
    w.endObject();
}

// ---------------------------------------------------------------------------
// Requests: per-variant name, params writer, params reader.

QLatin1StringView wireName(const Requests::CreateBacktestSession &) { return "createBacktestSession"_L1; }
QLatin1StringView wireName(const Requests::Continue &) { return "continue"_L1; }
QLatin1StringView wireName(const Requests::ContinueTo &) { return "continueTo"_L1; }
QLatin1StringView wireName(const Requests::ContinueSessionV1 &) { return "continueSessionV1"_L1; }
QLatin1StringView wireName(const Requests::ContinueToSessionV1 &) { return "continueToSessionV1"_L1; }
QLatin1StringView wireName(const Requests::CloseBacktestSession &) { return "closeBacktestSession"_L1; }
QLatin1StringView wireName(const Requests::CloseSessionV1 &) { return "closeSessionV1"_L1; }
QLatin1StringView wireName(const Requests::AttachBacktestSession &) { return "attachBacktestSession"_L1; }
QLatin1StringView wireName(const Requests::ResumeAttachedSession &) { return "resumeAttachedSession"_L1; }
QLatin1StringView wireName(const Requests::AttachParallelControlSessionV2 &) { return "attachParallelControlSessionV2"_L1; }

void writeParams(JsonWriter &w, const Requests::CreateBacktestSession &r)
{
    w.key("params"_L1);
    writeCreateSessionParams(w, r.params);
}
void writeParams(JsonWriter &w, const Requests::Continue &r)
{
    w.key("params"_L1);
    writeContinueParams(w, r.params);
}
void writeParams(JsonWriter &w, const Requests::ContinueTo &r)
{
    w.key("params"_L1);
    writeContinueToParams(w, r.params);
}
void writeParams(JsonWriter &w, const Requests::ContinueSessionV1 &r)
{
    w.key("params"_L1);
    w.beginObject();
    w.key("sessionId"_L1);
    w.string(r.sessionId);
    w.key("request"_L1);
    writeContinueParams(w, r.request);
    w.endObject();
}
void writeParams(JsonWriter &w, const Requests::ContinueToSessionV1 &r)
{
    w.key("params"_L1);
    w.beginObject();
    w.key("sessionId"_L1);
    w.string(r.sessionId);
    w.key("request"_L1);
    writeContinueToParams(w, r.request);
    w.endObject();
}
void writeParams(JsonWriter &, const Requests::CloseBacktestSession &) {}
void writeParams(JsonWriter &w, const Requests::CloseSessionV1 &r)
{
    w.key("params"_L1);
    w.beginObject();
    w.key("sessionId"_L1);
    w.string(r.sessionId);
    w.endObject();
}
void writeParams(JsonWriter &w, const Requests::AttachBacktestSession &r)
{
    // Option<u64> without skip_serializing_if: serde writes null (PROTOCOL.md §2.4).
    w.key("params"_L1);
    w.beginObject();
    w.key("session_id"_L1);
    w.string(r.sessionId);
    w.key("last_sequence"_L1);
    if (r.lastSequence)
        w.u64(*r.lastSequence);
    else
        w.null();
    w.endObject();
}
void writeParams(JsonWriter &, const Requests::ResumeAttachedSession &) {}
void writeParams(JsonWriter &w, const Requests::AttachParallelControlSessionV2 &r)
{
    w.key("params"_L1);
    w.beginObject();
    w.key("control_session_id"_L1);
    w.string(r.controlSessionId);
    w.key("last_sequences"_L1);
    w.beginObject();
    for (auto it = r.lastSequences.constBegin(); it != r.lastSequences.constEnd(); ++it) {
        w.key(QStringView(it.key()));
        w.u64(it.value());
    }
    w.endObject();
    w.endObject();
}

using RequestReader = ControlRequest (*)(Decoder &, const QJsonValue &);

using RequestMethod = std::pair<QLatin1StringView, RequestReader>;

const std::array<RequestMethod, 10> &requestMethods()
{
    static const std::array<RequestMethod, 10> table = {{
        {"createBacktestSession"_L1,
         [](Decoder &d, const QJsonValue &params) -> ControlRequest {
             return Requests::CreateBacktestSession{readCreateSessionParams(d, params)};
         }},
        {"continue"_L1,
         [](Decoder &d, const QJsonValue &params) -> ControlRequest {
             return Requests::Continue{readContinueParams(d, params, "params"_L1)};
         }},
        {"continueTo"_L1,
         [](Decoder &d, const QJsonValue &params) -> ControlRequest {
             return Requests::ContinueTo{readContinueToParams(d, params, "params"_L1)};
         }},
        {"continueSessionV1"_L1,
         [](Decoder &d, const QJsonValue &params) -> ControlRequest {
             Requests::ContinueSessionV1 r;
             const QJsonObject o = d.object(params, "params"_L1);
             if (d.ok()) {
                 d.readString(o, "sessionId"_L1, r.sessionId);
                 r.request = readContinueParams(d, o.value("request"_L1), "field \"request\""_L1);
             }
             return r;
         }},
        {"continueToSessionV1"_L1,
         [](Decoder &d, const QJsonValue &params) -> ControlRequest {
             Requests::ContinueToSessionV1 r;
             const QJsonObject o = d.object(params, "params"_L1);
             if (d.ok()) {
                 d.readString(o, "sessionId"_L1, r.sessionId);
                 r.request = readContinueToParams(d, o.value("request"_L1), "field \"request\""_L1);
             }
             return r;
         }},
        {"closeBacktestSession"_L1,
         [](Decoder &, const QJsonValue &) -> ControlRequest { return Requests::CloseBacktestSession{}; }},
        {"closeSessionV1"_L1,
         [](Decoder &d, const QJsonValue &params) -> ControlRequest {
             Requests::CloseSessionV1 r;
             const QJsonObject o = d.object(params, "params"_L1);
             if (d.ok())
                 d.readString(o, "sessionId"_L1, r.sessionId);
             return r;
         }},
        {"attachBacktestSession"_L1,
         [](Decoder &d, const QJsonValue &params) -> ControlRequest {
             Requests::AttachBacktestSession r;
             const QJsonObject o = d.object(params, "params"_L1);
             if (d.ok()) {
                 d.readString(o, "session_id"_L1, r.sessionId);
                 d.readOptionalUnsigned(o, "last_sequence"_L1, r.lastSequence);
             }
             return r;
         }},
        {"resumeAttachedSession"_L1,
         [](Decoder &, const QJsonValue &) -> ControlRequest { return Requests::ResumeAttachedSession{}; }},
        {"attachParallelControlSessionV2"_L1,
         [](Decoder &d, const QJsonValue &params) -> ControlRequest {
             Requests::AttachParallelControlSessionV2 r;
             const QJsonObject o = d.object(params, "params"_L1);
             if (!d.ok())
                 return r;
             d.readString(o, "control_session_id"_L1, r.controlSessionId);
             const QJsonValue sequences = lookup(o, "last_sequences"_L1);
             if (sequences.isObject()) {
                 const QJsonObject map = sequences.toObject();
                 for (auto it = map.constBegin(); it != map.constEnd(); ++it) {
                     if (const auto n = d.checkedUnsigned<quint64>(it.value(), u"last_sequences."_s + it.key()))
                         r.lastSequences.insert(it.key(), *n);
                 }
             } else if (!isAbsent(sequences)) {
                 d.fail(u"field \"last_sequences\" must be an object"_s);
             }
             return r;
         }},
    }};
    return table;
}

// ---------------------------------------------------------------------------
// Responses

QLatin1StringView wireName(const Responses::SessionCreated &) { return "sessionCreated"_L1; }
QLatin1StringView wireName(const Responses::SessionAttached &) { return "sessionAttached"_L1; }
QLatin1StringView wireName(const Responses::SessionsCreatedV2 &) { return "sessionsCreatedV2"_L1; }
QLatin1StringView wireName(const Responses::ParallelSessionAttachedV2 &) { return "parallelSessionAttachedV2"_L1; }
QLatin1StringView wireName(const Responses::ReadyForContinue &) { return "readyForContinue"_L1; }
QLatin1StringView wireName(const Responses::SlotNotification &) { return "slotNotification"_L1; }
QLatin1StringView wireName(const Responses::Paused &) { return "paused"_L1; }
QLatin1StringView wireName(const Responses::DiscoveryBatch &) { return "discoveryBatch"_L1; }
QLatin1StringView wireName(const Responses::Error &) { return "error"_L1; }
QLatin1StringView wireName(const Responses::Success &) { return "success"_L1; }
QLatin1StringView wireName(const Responses::Completed &) { return "completed"_L1; }
QLatin1StringView wireName(const Responses::Status &) { return "status"_L1; }
QLatin1StringView wireName(const Responses::SessionEventV2 &) { return "sessionEventV2"_L1; }

template<typename T>
void writeBody(JsonWriter &w, const T &message);

void writeParams(JsonWriter &w, const Responses::SessionCreated &r)
{
    w.key("params"_L1);
    writeSessionInfo(w, r.info);
}
void writeParams(JsonWriter &w, const Responses::SessionAttached &r)
{
    w.key("params"_L1);
    writeSessionInfo(w, r.info);
}
void writeParams(JsonWriter &w, const Responses::SessionsCreatedV2 &r)
{
    w.key("params"_L1);
    w.beginObject();
    w.key("control_session_id"_L1);
    w.string(r.controlSessionId);
    w.key("session_ids"_L1);
    w.stringList(r.sessionIds);
    w.key("task_ids"_L1);
    writeOptionalStringList(w, r.taskIds);
    if (r.startSlots) {
        w.key("start_slots"_L1);
        writeU64List(w, *r.startSlots);
    }
    if (r.endSlots) {
        w.key("end_slots"_L1);
        writeU64List(w, *r.endSlots);
    }
    w.endObject();
}
void writeParams(JsonWriter &w, const Responses::ParallelSessionAttachedV2 &r)
{
    w.key("params"_L1);
    w.beginObject();
    w.key("control_session_id"_L1);
    w.string(r.controlSessionId);
    w.key("session_ids"_L1);
    w.stringList(r.sessionIds);
    w.key("task_ids"_L1);
    writeOptionalStringList(w, r.taskIds);
    w.endObject();
}
void writeParams(JsonWriter &, const Responses::ReadyForContinue &) {}
void writeParams(JsonWriter &w, const Responses::SlotNotification &r)
{
    w.key("params"_L1);
    w.u64(r.slot);
}
void writeParams(JsonWriter &w, const Responses::Paused &r)
{
    w.key("params"_L1);
    w.beginObject();
    w.key("slot"_L1);
    w.u64(r.event.slot);
    w.key("batchIndex"_L1);
    if (r.event.batchIndex)
        w.u64(*r.event.batchIndex);
    else
        w.null();
    w.endObject();
}
void writeParams(JsonWriter &w, const Responses::DiscoveryBatch &r)
{
    w.key("params"_L1);
    w.beginObject();
    w.key("slot"_L1);
    w.u64(r.event.slot);
    w.key("batchIndex"_L1);
    w.u64(r.event.batchIndex);
    w.key("matched"_L1);
    writeDiscoveryFilters(w, r.event.matched);
    w.key("transactions"_L1);
    w.beginArray();
    for (const QString &tx : r.event.transactions) {
        w.beginObject();
        w.key("data"_L1);
        w.string(tx);
        w.key("encoding"_L1);
        w.string("base64"_L1);
        w.endObject();
    }
    w.endArray();
    w.key("transactionIndices"_L1);
    w.beginArray();
    for (quint32 index : r.event.transactionIndices)
        w.u64(index);
    w.endArray();
    w.endObject();
}
void writeParams(JsonWriter &w, const Responses::Error &r)
{
    w.key("params"_L1);
    writeBacktestError(w, r.error);
}
void writeParams(JsonWriter &, const Responses::Success &) {}
void writeParams(JsonWriter &w, const Responses::Completed &r)
{
    w.key("params"_L1);
    w.beginObject();
    w.key("summary"_L1);
    if (r.summary)
        writeSummary(w, *r.summary);
    else
        w.null();
    w.endObject();
}
void writeParams(JsonWriter &w, const Responses::Status &r)
{
    w.key("params"_L1);
    w.beginObject();
    w.key("status"_L1);
    w.string(r.status);
    w.endObject();
}
void writeParams(JsonWriter &w, const Responses::SessionEventV2 &r)
{
    w.key("params"_L1);
    w.beginObject();
    w.key("session_id"_L1);
    w.string(r.sessionId);
    w.key("seq_id"_L1);
    w.u64(r.seqId);
    w.key("event"_L1);
    w.beginObject();
    std::visit([&w](const auto &event) { writeBody(w, event); }, r.event);
    w.endObject();
    w.endObject();
}

/// `"method":…[,"params":…]` inside an already opened object.
template<typename T>
void writeBody(JsonWriter &w, const T &message)
{
    w.key("method"_L1);
    w.string(wireName(message));
    writeParams(w, message);
}

Result<ControlResponse> decodeResponseBody(const QString &method, const QJsonValue &params, int depth);

using ResponseReader = ControlResponse (*)(Decoder &, const QJsonValue &, int depth);

PausedEvent readPausedEvent(Decoder &d, const QJsonValue &params)
{
    PausedEvent e;
    const QJsonObject o = d.object(params, "params"_L1);
    if (!d.ok())
        return e;
    d.readUnsigned(o, "slot"_L1, e.slot, true);
    d.readOptionalUnsigned(o, "batchIndex"_L1, e.batchIndex);
    return e;
}

DiscoveryBatchEvent readDiscoveryBatchEvent(Decoder &d, const QJsonValue &params)
{
    DiscoveryBatchEvent e;
    const QJsonObject o = d.object(params, "params"_L1);
    if (!d.ok())
        return e;
    d.readUnsigned(o, "slot"_L1, e.slot, true);
    d.readUnsigned(o, "batchIndex"_L1, e.batchIndex, true);
    e.matched = readDiscoveryFilters(d, o, "matched"_L1);
    d.readStringList(o, "transactions"_L1, e.transactions, true);
    const QJsonValue indices = lookup(o, "transactionIndices"_L1);
    if (!isAbsent(indices))
        e.transactionIndices = d.unsignedList<quint32>(indices, "transactionIndices"_L1);
    return e;
}

std::optional<SessionSummary> readCompletedSummary(Decoder &d, const QJsonValue &params)
{
    if (isAbsent(params))
        return std::nullopt; // lenient: a bare {"method":"completed"}
    const QJsonObject o = d.object(params, "params"_L1);
    if (!d.ok())
        return std::nullopt;
    const QJsonValue summary = o.value("summary"_L1);
    if (isAbsent(summary))
        return std::nullopt;
    if (!summary.isObject()) {
        d.fail(u"field \"summary\" must be an object or null"_s);
        return std::nullopt;
    }
    return SessionSummary::fromJson(summary.toObject());
}

const std::array<std::pair<QLatin1StringView, ResponseReader>, 13> &responseMethods()
{
    static const std::array<std::pair<QLatin1StringView, ResponseReader>, 13> table = {{
        {"sessionCreated"_L1,
         [](Decoder &d, const QJsonValue &p, int) -> ControlResponse {
             return Responses::SessionCreated{readSessionInfo(d, p)};
         }},
        {"sessionAttached"_L1,
         [](Decoder &d, const QJsonValue &p, int) -> ControlResponse {
             return Responses::SessionAttached{readSessionInfo(d, p)};
         }},
        {"sessionsCreatedV2"_L1,
         [](Decoder &d, const QJsonValue &p, int) -> ControlResponse {
             Responses::SessionsCreatedV2 r;
             const QJsonObject o = d.object(p, "params"_L1);
             if (!d.ok())
                 return r;
             d.readString(o, "control_session_id"_L1, r.controlSessionId);
             d.readStringList(o, "session_ids"_L1, r.sessionIds);
             r.taskIds = d.optionalStringList(lookup(o, "task_ids"_L1), "task_ids"_L1);
             const QJsonValue starts = lookup(o, "start_slots"_L1);
             if (!isAbsent(starts))
                 r.startSlots = d.unsignedList<quint64>(starts, "start_slots"_L1);
             const QJsonValue ends = lookup(o, "end_slots"_L1);
             if (!isAbsent(ends))
                 r.endSlots = d.unsignedList<quint64>(ends, "end_slots"_L1);
             return r;
         }},
        {"parallelSessionAttachedV2"_L1,
         [](Decoder &d, const QJsonValue &p, int) -> ControlResponse {
             Responses::ParallelSessionAttachedV2 r;
             const QJsonObject o = d.object(p, "params"_L1);
             if (!d.ok())
                 return r;
             d.readString(o, "control_session_id"_L1, r.controlSessionId);
             d.readStringList(o, "session_ids"_L1, r.sessionIds);
             r.taskIds = d.optionalStringList(lookup(o, "task_ids"_L1), "task_ids"_L1);
             return r;
         }},
        {"readyForContinue"_L1,
         [](Decoder &, const QJsonValue &, int) -> ControlResponse { return Responses::ReadyForContinue{}; }},
        {"slotNotification"_L1,
         [](Decoder &d, const QJsonValue &p, int) -> ControlResponse {
             Responses::SlotNotification r;
             if (p.isObject()) { // lenient: {"slot": N}
                 d.readUnsigned(p.toObject(), "slot"_L1, r.slot, true);
             } else if (isAbsent(p)) {
                 d.fail(u"missing params (the slot)"_s);
             } else if (const auto slot = asU64(p)) {
                 r.slot = *slot;
             } else {
                 d.fail(u"params must be a non-negative integer slot"_s);
             }
             return r;
         }},
        {"paused"_L1,
         [](Decoder &d, const QJsonValue &p, int) -> ControlResponse {
             return Responses::Paused{readPausedEvent(d, p)};
         }},
        {"discoveryBatch"_L1,
         [](Decoder &d, const QJsonValue &p, int) -> ControlResponse {
             return Responses::DiscoveryBatch{readDiscoveryBatchEvent(d, p)};
         }},
        {"error"_L1,
         [](Decoder &, const QJsonValue &p, int) -> ControlResponse {
             return Responses::Error{BacktestError::fromJson(p.isUndefined() ? QJsonValue() : p)};
         }},
        {"success"_L1,
         [](Decoder &, const QJsonValue &, int) -> ControlResponse { return Responses::Success{}; }},
        {"completed"_L1,
         [](Decoder &d, const QJsonValue &p, int) -> ControlResponse {
             return Responses::Completed{readCompletedSummary(d, p)};
         }},
        {"status"_L1,
         [](Decoder &d, const QJsonValue &p, int) -> ControlResponse {
             Responses::Status r;
             if (p.isString()) // lenient: a bare status string
                 r.status = p.toString();
             else if (const QJsonObject o = d.object(p, "params"_L1); d.ok())
                 d.readString(o, "status"_L1, r.status);
             return r;
         }},
        {"sessionEventV2"_L1,
         [](Decoder &d, const QJsonValue &p, int depth) -> ControlResponse {
             Responses::SessionEventV2 r;
             const QJsonObject o = d.object(p, "params"_L1);
             if (!d.ok())
                 return r;
             d.readString(o, "session_id"_L1, r.sessionId);
             d.readUnsigned(o, "seq_id"_L1, r.seqId, true);
             if (!d.ok())
                 return r;
             // Accepted shapes (§4.13): {"method":X,"params":Y}, "X", {X: Y}.
             const QJsonValue event = o.value("event"_L1);
             QString method;
             QJsonValue params(QJsonValue::Undefined);
             if (event.isString()) {
                 method = event.toString();
             } else if (event.isObject() && event.toObject().value("method"_L1).isString()) {
                 method = event.toObject().value("method"_L1).toString();
                 params = event.toObject().value("params"_L1);
             } else if (event.isObject() && event.toObject().size() == 1) {
                 method = event.toObject().constBegin().key();
                 params = event.toObject().constBegin().value();
             } else {
                 d.fail(isAbsent(event) ? u"missing field \"event\""_s
                                        : u"field \"event\" has an unsupported shape"_s);
                 return r;
             }
             if (depth > 0) {
                 d.fail(u"nested sessionEventV2"_s);
                 return r;
             }
             Result<ControlResponse> inner = decodeResponseBody(method, params, depth + 1);
             if (!inner) {
                 d.fail(u"event: "_s + inner.error().message);
                 return r;
             }
             bool accepted = true;
             std::visit(Overloaded{
                            [&](const Responses::ReadyForContinue &e) { r.event = e; },
                            [&](const Responses::SlotNotification &e) { r.event = e; },
                            [&](const Responses::Paused &e) { r.event = e; },
                            [&](const Responses::DiscoveryBatch &e) { r.event = e; },
                            [&](const Responses::Error &e) { r.event = e; },
                            [&](const Responses::Success &e) { r.event = e; },
                            [&](const Responses::Completed &e) { r.event = e; },
                            [&](const Responses::Status &e) { r.event = e; },
                            [&](const auto &) { accepted = false; },
                        },
                        *inner);
             if (!accepted)
                 d.fail(u"event: \"%1\" is not a session event"_s.arg(method));
             return r;
         }},
    }};
    return table;
}

template<typename Table>
auto findMethod(const Table &table, const QString &method) -> decltype(&table[0])
{
    for (const auto &entry : table) {
        if (std::get<0>(entry) == method)
            return &entry;
    }
    for (const auto &entry : table) {
        if (sameVariant(method, std::get<0>(entry)))
            return &entry;
    }
    return nullptr;
}

Result<ControlResponse> decodeResponseBody(const QString &method, const QJsonValue &params, int depth)
{
    const auto *entry = findMethod(responseMethods(), method);
    if (!entry)
        return makeError(u"unknown method \"%1\""_s.arg(method));
    Decoder d(method);
    ControlResponse response = entry->second(d, params, depth);
    if (!d.ok())
        return makeError(d.error());
    return response;
}

struct Envelope
{
    QJsonObject object;
    QString method;
    QJsonValue params;
};

Result<Envelope> parseEnvelope(QByteArrayView utf8)
{
    if (utf8.trimmed().isEmpty())
        return makeError(u"empty frame"_s);
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromRawData(utf8.data(), utf8.size()),
                                                      &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return makeError(u"not valid JSON: %1 at offset %2"_s.arg(parseError.errorString()).arg(parseError.offset));
    if (!doc.isObject())
        return makeError(u"frame is not a JSON object"_s);
    Envelope env;
    env.object = doc.object();
    const QJsonValue method = env.object.value("method"_L1);
    if (!method.isString())
        return makeError(isAbsent(method) ? u"frame has no \"method\""_s : u"\"method\" must be a string"_s);
    env.method = method.toString();
    env.params = env.object.value("params"_L1);
    return env;
}

// ---------------------------------------------------------------------------
// Human text

QString describeSummary(const std::optional<SessionSummary> &summary)
{
    if (!summary)
        return u"completed"_s;
    return u"completed (%1 correct, %2 incorrect, %3 execution errors)"_s.arg(summary->correctSimulation)
        .arg(summary->incorrectSimulation)
        .arg(summary->executionErrors);
}

QString describeOne(const Responses::SessionCreated &r)
{
    return u"session created %1"_s.arg(r.info.sessionId);
}
QString describeOne(const Responses::SessionAttached &r)
{
    return u"session attached %1"_s.arg(r.info.sessionId);
}
QString countOf(qsizetype n, QLatin1StringView one, QLatin1StringView many)
{
    return QString::number(n) + u' ' + (n == 1 ? QString(one) : QString(many));
}
QString describeOne(const Responses::SessionsCreatedV2 &r)
{
    return u"sessions created %1 (%2)"_s.arg(r.controlSessionId, countOf(r.sessionIds.size(), "session"_L1, "sessions"_L1));
}
QString describeOne(const Responses::ParallelSessionAttachedV2 &r)
{
    return u"parallel session attached %1 (%2)"_s.arg(r.controlSessionId,
                                                      countOf(r.sessionIds.size(), "session"_L1, "sessions"_L1));
}
QString describeOne(const Responses::ReadyForContinue &) { return u"ready for continue"_s; }
QString describeOne(const Responses::SlotNotification &r) { return u"slot %1"_s.arg(r.slot); }
QString describeOne(const Responses::Paused &r)
{
    if (r.event.batchIndex)
        return u"paused at %1 batch %2"_s.arg(r.event.slot).arg(*r.event.batchIndex);
    return u"paused at %1"_s.arg(r.event.slot);
}
QString describeOne(const Responses::DiscoveryBatch &r)
{
    return u"discovery %1/%2 (%3)"_s.arg(r.event.slot)
        .arg(r.event.batchIndex)
        .arg(countOf(r.event.transactions.size(), "tx"_L1, "txs"_L1));
}
QString describeOne(const Responses::Error &r) { return u"error: "_s + r.error.message(); }
QString describeOne(const Responses::Success &) { return u"success"_s; }
QString describeOne(const Responses::Completed &r) { return describeSummary(r.summary); }
QString describeOne(const Responses::Status &r) { return u"status "_s + r.status; }
QString describeOne(const Responses::SessionEventV2 &r)
{
    const QString inner = std::visit([](const auto &e) { return describeOne(e); }, r.event);
    return u"%1 #%2: %3"_s.arg(r.sessionId).arg(r.seqId).arg(inner);
}

} // namespace

// ---------------------------------------------------------------------------
// DiscoveryFilter

DiscoveryFilter DiscoveryFilter::programExecuted(const QString &program)
{
    DiscoveryFilter filter;
    filter.kind = Kind::ProgramExecuted;
    filter.program = program;
    return filter;
}

QJsonValue DiscoveryFilter::toJson() const
{
    switch (kind) {
    case Kind::ProgramExecuted:
        return QJsonObject{{"programExecuted"_L1, program}};
    case Kind::OracleUpdate:
        return QJsonObject{{"oracleUpdate"_L1,
                            QJsonObject{{"programs"_L1, QJsonArray::fromStringList(programs)},
                                        {"accounts"_L1, QJsonArray::fromStringList(accounts)}}}};
    case Kind::Unknown:
        break;
    }
    return raw;
}

DiscoveryFilter DiscoveryFilter::fromJson(const QJsonValue &value)
{
    DiscoveryFilter filter;
    if (value.isObject() && value.toObject().size() == 1) {
        const QJsonObject object = value.toObject();
        const QString key = object.constBegin().key();
        const QJsonValue inner = object.constBegin().value();
        if (sameVariant(key, "programExecuted"_L1) && inner.isString()) {
            filter.kind = Kind::ProgramExecuted;
            filter.program = inner.toString();
            return filter;
        }
        if (sameVariant(key, "oracleUpdate"_L1) && inner.isObject()) {
            Decoder d;
            d.readStringList(inner.toObject(), "programs"_L1, filter.programs);
            d.readStringList(inner.toObject(), "accounts"_L1, filter.accounts);
            if (d.ok()) {
                filter.kind = Kind::OracleUpdate;
                return filter;
            }
        }
    }
    qCDebug(lcProtocol) << "unrecognised discovery filter kept verbatim:" << compactJson(value);
    DiscoveryFilter unknown;
    unknown.raw = value;
    return unknown;
}

QString DiscoveryFilter::describe() const
{
    switch (kind) {
    case Kind::ProgramExecuted:
        return u"programExecuted "_s + abbreviate(program);
    case Kind::OracleUpdate:
        return u"oracleUpdate (%1, %2)"_s.arg(countOf(programs.size(), "program"_L1, "programs"_L1),
                                              countOf(accounts.size(), "account"_L1, "accounts"_L1));
    case Kind::Unknown:
        break;
    }
    return u"filter "_s + oneLine(QString::fromUtf8(compactJson(raw)));
}

// ---------------------------------------------------------------------------
// SessionSummary

QJsonObject SessionSummary::toJson() const
{
    return QJsonObject{
        {"correctSimulation"_L1, qint64(correctSimulation)},
        {"incorrectSimulation"_L1, qint64(incorrectSimulation)},
        {"executionErrors"_L1, qint64(executionErrors)},
        {"balanceDiff"_L1, qint64(balanceDiff)},
        {"logDiff"_L1, qint64(logDiff)},
        {"unsanitizable"_L1, qint64(unsanitizable)},
        {"rerouteStats"_L1, rerouteStats.isUndefined() ? QJsonValue() : rerouteStats},
    };
}

SessionSummary SessionSummary::fromJson(const QJsonObject &object)
{
    SessionSummary s;
    auto counter = [&object](QLatin1StringView name) -> quint64 {
        return asU64(lookup(object, name)).value_or(0);
    };
    s.correctSimulation = counter("correctSimulation"_L1);
    s.incorrectSimulation = counter("incorrectSimulation"_L1);
    s.executionErrors = counter("executionErrors"_L1);
    s.balanceDiff = counter("balanceDiff"_L1);
    s.logDiff = counter("logDiff"_L1);
    s.unsanitizable = counter("unsanitizable"_L1);
    const QJsonValue reroute = lookup(object, "rerouteStats"_L1);
    s.rerouteStats = reroute.isUndefined() ? QJsonValue() : reroute;
    return s;
}

// ---------------------------------------------------------------------------
// BacktestError

bool BacktestError::isTerminal() const
{
    switch (kind) {
    case BacktestErrorKind::NoMoreBlocks:
    case BacktestErrorKind::AdvanceSlotFailed:
    case BacktestErrorKind::FinalizeSlotFailed:
    case BacktestErrorKind::Internal:
        return true;
    default:
        return false;
    }
}

QString BacktestError::message() const
{
    using K = BacktestErrorKind;
    auto text = [this](const char *name) { return fieldText(fields, QLatin1StringView(name)); };
    auto atTransaction = [&](const QString &head) -> QString {
        const QString index = text("index");
        return index.isEmpty() ? head : head + u" (transaction "_s + index + u')';
    };
    // "advancing slot 1005 failed" / "invalid blockhash format at slot 1005"
    auto slotted = [&](const QString &before, const QString &after) -> QString {
        const QString slot = text("slot");
        if (slot.isEmpty())
            return QString(before + after);
        if (after.isEmpty())
            return QString(before + u" at slot "_s + slot);
        return QString(before + u" slot "_s + slot + after);
    };
    auto range = [&](const QString &head) -> QString {
        return head + u" for slots "_s + text("start_slot") + u".."_s + text("end_slot");
    };

    QString m;
    switch (kind) {
    case K::InvalidTransactionEncoding:
        m = withDetail(atTransaction(u"invalid transaction encoding"_s), text("error"));
        break;
    case K::InvalidTransactionFormat:
        m = withDetail(atTransaction(u"invalid transaction format"_s), text("error"));
        break;
    case K::InvalidAccountEncoding: {
        QString head = u"invalid account encoding"_s;
        if (const QString address = text("address"); !address.isEmpty())
            head += u" for "_s + address;
        if (const QString encoding = text("encoding"); !encoding.isEmpty())
            head += u" ("_s + encoding + u')';
        m = withDetail(head, text("error"));
        break;
    }
    case K::InvalidAccountOwner: {
        const QString address = text("address");
        m = withDetail(address.isEmpty() ? u"invalid account owner"_s : u"invalid account owner for "_s + address,
                       text("error"));
        break;
    }
    case K::InvalidAccountPubkey: {
        const QString address = text("address");
        m = withDetail(address.isEmpty() ? u"invalid account pubkey"_s : u"invalid account pubkey "_s + address,
                       text("error"));
        break;
    }
    case K::NoMoreBlocks: m = u"no more blocks"_s; break;
    case K::BundleNotFound: m = range(u"bundle not found"_s); break;
    case K::AdvanceSlotFailed: m = withDetail(slotted(u"advancing"_s, u" failed"_s), text("error")); break;
    case K::FinalizeSlotFailed: m = withDetail(slotted(u"finalizing"_s, u" failed"_s), text("error")); break;
    case K::InvalidRequest: m = withDetail(u"invalid request"_s, text("error")); break;
    case K::Internal: m = withDetail(u"internal server error"_s, text("error")); break;
    case K::InvalidBlockhashFormat: m = withDetail(slotted(u"invalid blockhash format"_s, {}), text("error")); break;
    case K::InitializingSysvarsFailed:
        m = withDetail(slotted(u"initializing sysvars failed"_s, {}), text("error"));
        break;
    case K::ClerkError: m = withDetail(u"clerk error"_s, text("error")); break;
    case K::SimulationError: m = withDetail(u"simulation error"_s, text("error")); break;
    case K::SessionNotFound: m = withDetail(u"session not found"_s, text("session_id")); break;
    case K::SessionOwnerMismatch: m = u"session owner mismatch (the session belongs to another API key)"_s; break;
    case K::SessionOwnershipBusy: m = withDetail(u"session ownership busy"_s, text("reason")); break;
    case K::NoProducedBlocksInRange: m = u"no produced blocks in slots "_s + text("start_slot") + u".."_s + text("end_slot"); break;
    case K::SessionNameTaken: m = withDetail(u"session name taken"_s, text("session_name")); break;
    case K::Unknown:
        if (!variant.isEmpty())
            m = withDetail(u"server error \"%1\""_s.arg(variant),
                           fields.isEmpty() ? QString() : QString::fromUtf8(compactJson(fields)));
        else
            m = u"unrecognised server error: "_s + QString::fromUtf8(compactJson(raw));
        break;
    }
    return oneLine(m);
}

QJsonValue BacktestError::toJson() const
{
    const ErrorVariantInfo *info = errorVariant(kind);
    if (!info)
        return raw.isUndefined() ? QJsonValue() : raw;
    if (info->unit)
        return QJsonValue(QString(info->name));
    return QJsonObject{{info->name, fields}};
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
        qCDebug(lcProtocol) << "unrecognised error shape:" << compactJson(params);
        return error;
    }

    error.variant = name;
    if (inner.isObject())
        error.fields = inner.toObject();
    else if (inner.isString()) // lenient: {"internal": "text"}
        error.fields = QJsonObject{{"error"_L1, inner}};

    if (const ErrorVariantInfo *info = errorVariant(QStringView(name)))
        error.kind = info->kind;
    else
        qCDebug(lcProtocol) << "unknown error variant:" << name;
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
    return make(BacktestErrorKind::InvalidRequest, QJsonObject{{"error"_L1, message}});
}

BacktestError BacktestError::bundleNotFound(quint64 startSlot, quint64 endSlot)
{
    return make(BacktestErrorKind::BundleNotFound,
                QJsonObject{{"start_slot"_L1, qint64(startSlot)}, {"end_slot"_L1, qint64(endSlot)}});
}

BacktestError BacktestError::sessionNotFound(const QString &sessionId)
{
    return make(BacktestErrorKind::SessionNotFound, QJsonObject{{"session_id"_L1, sessionId}});
}

BacktestError BacktestError::sessionOwnershipBusy(const QString &reason)
{
    return make(BacktestErrorKind::SessionOwnershipBusy, QJsonObject{{"reason"_L1, reason}});
}

QString BacktestError::variantName(BacktestErrorKind kind)
{
    if (const ErrorVariantInfo *info = errorVariant(kind))
        return QString(info->name);
    return u"unknown"_s;
}

// ---------------------------------------------------------------------------
// Requests

QByteArray encodeControlRequest(const ControlRequest &request)
{
    JsonWriter w;
    w.beginObject();
    std::visit(
        [&w](const auto &r) {
            w.key("method"_L1);
            w.string(wireName(r));
            writeParams(w, r);
        },
        request);
    w.endObject();
    return w.take();
}

Result<ControlRequest> decodeControlRequest(QByteArrayView utf8)
{
    Result<Envelope> env = parseEnvelope(utf8);
    if (!env)
        return env.error();
    const RequestMethod *entry = findMethod(requestMethods(), env->method);
    if (!entry)
        return makeError(u"unknown method \"%1\""_s.arg(env->method));
    Decoder d(QString(entry->first));
    ControlRequest request = entry->second(d, env->params);
    if (!d.ok())
        return makeError(d.error());
    return request;
}

QString methodName(const ControlRequest &request)
{
    return std::visit([](const auto &r) { return QString(wireName(r)); }, request);
}

// ---------------------------------------------------------------------------
// Responses

Result<ControlFrame> decodeControlResponse(QByteArrayView utf8)
{
    Result<Envelope> env = parseEnvelope(utf8);
    if (!env)
        return env.error();

    ControlFrame frame{std::nullopt, Responses::Success{}};
    const QJsonValue seq = lookup(env->object, "seqId"_L1);
    if (!isAbsent(seq)) {
        const auto n = asU64(seq);
        if (!n)
            return makeError(u"\"seqId\" must be a non-negative integer"_s);
        frame.seqId = *n;
    }

    Result<ControlResponse> response = decodeResponseBody(env->method, env->params, 0);
    if (!response)
        return response.error();
    frame.response = std::move(response).value();
    return frame;
}

QByteArray encodeControlResponse(const ControlResponse &response, std::optional<quint64> seqId)
{
    JsonWriter w;
    w.beginObject();
    if (seqId) {
        w.key("seqId"_L1);
        w.u64(*seqId);
    }
    std::visit([&w](const auto &r) { writeBody(w, r); }, response);
    w.endObject();
    return w.take();
}

QString methodName(const ControlResponse &response)
{
    return std::visit([](const auto &r) { return QString(wireName(r)); }, response);
}

QString methodName(const SessionEventKind &event)
{
    return std::visit([](const auto &r) { return QString(wireName(r)); }, event);
}

QString describe(const ControlResponse &response)
{
    return std::visit([](const auto &r) { return describeOne(r); }, response);
}

} // namespace SlotScope
