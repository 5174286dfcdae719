#include "protocol/controlmessages.h"
#include "protocol/json.h"

#include "protocol/logging.h"

#include <QJsonArray>

#include <array>

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

// Writing and reading go through protocol/json.h: frames are written with
// Json::Writer (serde's field declaration order, exact u64), read leniently
// with Json::FieldReader (both casings, null for an absent optional).

using JsonWriter = Json::Writer;
using Decoder = Json::FieldReader;
using Json::asU64;
using Json::isAbsent;
using Json::lookup;
using Json::oneLine;
using Json::sameVariant;

QByteArray compactJson(const QJsonValue &value)
{
    return Json::compact(value);
}

/// "JUP6LkbZ…aV4" style short form of a base58 address.
QString abbreviate(const QString &address)
{
    if (address.size() <= 11)
        return address;
    return address.left(4) + QChar(0x2026) + address.right(3);
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

/// `CreateBacktestSessionRequestV1` (PROTOCOL-0.31.md §3.1.1–3.1.2): the
/// camelCase CreateSessionParams keys flattened beside the V1 keys.
void writeCreateSessionParams(JsonWriter &w, const CreateSessionParams &p)
{
    w.beginObject();
    w.key("startSlot"_L1).u64(p.startSlot);
    w.key("endSlot"_L1).u64(p.endSlot);
    if (!p.signerFilter.isEmpty()) // gone in 0.29–0.31: only when the user set one
        w.key("signerFilter"_L1).stringList(p.signerFilter);
    w.key("sendSummary"_L1).boolean(p.sendSummary);
    w.skipIfUnset("capacityWaitTimeoutSecs"_L1, p.capacityWaitTimeoutSecs);
    w.skipIfUnset("disconnectTimeoutSecs"_L1, p.disconnectTimeoutSecs);
    w.skipIfUnset("extraComputeUnits"_L1, p.extraComputeUnits);
    w.key("discoveries"_L1);
    writeDiscoveryFilters(w, p.discoveries);
    w.key("actions"_L1).beginArray().endArray();
    w.key("replayAccountState"_L1).boolean(p.replayAccountState);
    if (p.parallel)
        w.key("parallel"_L1).boolean(true);
    w.skipIfUnset("name"_L1, p.name);
    // The token's key spelling is not known (§3.1.2): both, same value.
    w.skipIfUnset("createToken"_L1, p.createToken);
    w.skipIfUnset("create_token"_L1, p.createToken);
    w.endObject();
}

/// The V1 keys (parallel, name, create token) present in `o` into `p`.
void readCreateRequestKeys(Decoder &d, const QJsonObject &o, CreateSessionParams &p)
{
    d.readBool(o, "parallel"_L1, p.parallel);
    for (const auto &[key, field] : {std::pair{"name"_L1, &p.name}, std::pair{"createToken"_L1, &p.createToken}}) {
        if (!isAbsent(lookup(o, key)))
            d.readOptionalString(o, key, *field);
    }
}

CreateSessionParams readCreateSessionParams(Decoder &d, const QJsonValue &value)
{
    CreateSessionParams p;
    QJsonObject o = d.object(value, "params"_L1);
    if (!d.ok())
        return p;
    // Lenient: a V1 request written as {"params": {...CreateSessionParams}, "parallel": …}.
    if (isAbsent(lookup(o, "startSlot"_L1)) && o.value("params"_L1).isObject()) {
        readCreateRequestKeys(d, o, p);
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
    readCreateRequestKeys(d, o, p);
    return p;
}

/// `sessionCreated` / `sessionAttached` params (PROTOCOL-0.31.md §4.1);
/// `session_name` only when set (older servers never send it).
void writeSessionInfo(JsonWriter &w, const SessionInfo &info)
{
    w.beginObject();
    w.key("session_id"_L1).string(info.sessionId);
    w.key("rpc_endpoint"_L1).string(info.rpcEndpoint);
    w.key("task_id"_L1).optionalString(info.taskId);
    w.skipIfUnset("session_name"_L1, info.sessionName);
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
    d.readOptionalString(o, "session_name"_L1, info.sessionName);
    return info;
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
    w.skipIfUnset("control_session_name"_L1, r.controlSessionName);
    w.key("session_ids"_L1);
    w.stringList(r.sessionIds);
    w.key("task_ids"_L1);
    w.optionalStringList(r.taskIds);
    if (r.startSlots) {
        w.key("start_slots"_L1);
        w.u64List(*r.startSlots);
    }
    if (r.endSlots) {
        w.key("end_slots"_L1);
        w.u64List(*r.endSlots);
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
    w.optionalStringList(r.taskIds);
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
    r.error.write(w);
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
    e.transactionIndices = d.optionalUnsignedList<quint32>(o, "transactionIndices"_L1).value_or(QList<quint32>());
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
             d.readOptionalString(o, "control_session_name"_L1, r.controlSessionName);
             d.readStringList(o, "session_ids"_L1, r.sessionIds);
             r.taskIds = d.optionalStringList(o, "task_ids"_L1);
             r.startSlots = d.optionalUnsignedList<quint64>(o, "start_slots"_L1);
             r.endSlots = d.optionalUnsignedList<quint64>(o, "end_slots"_L1);
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
             r.taskIds = d.optionalStringList(o, "task_ids"_L1);
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
    Result<QJsonObject> object = Json::parseObject(utf8, "frame"_L1);
    if (!object)
        return object.error();
    Envelope env;
    env.object = std::move(object).value();
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
// BacktestStatus

namespace {

struct StatusName
{
    BacktestStatus status;
    QLatin1StringView name;
};

constexpr StatusName kStatusNames[] = {
    {BacktestStatus::StartingRuntime, "startingRuntime"_L1},
    {BacktestStatus::DecodedTransactions, "decodedTransactions"_L1},
    {BacktestStatus::AppliedAccountModifications, "appliedAccountModifications"_L1},
    {BacktestStatus::ReadyToExecuteUserTransactions, "readyToExecuteUserTransactions"_L1},
    {BacktestStatus::ExecutedUserTransactions, "executedUserTransactions"_L1},
    {BacktestStatus::ExecutingBlockTransactions, "executingBlockTransactions"_L1},
    {BacktestStatus::ExecutedBlockTransactions, "executedBlockTransactions"_L1},
    {BacktestStatus::ProgramAccountsLoaded, "programAccountsLoaded"_L1},
    {BacktestStatus::PreparingBundle, "preparingBundle"_L1},
    {BacktestStatus::BundleReady, "bundleReady"_L1},
};

} // namespace

BacktestStatus backtestStatus(QStringView wire)
{
    for (const StatusName &entry : kStatusNames) {
        if (sameVariant(wire, entry.name))
            return entry.status;
    }
    return BacktestStatus::Unknown;
}

QString backtestStatusText(QStringView wire)
{
    QString text;
    text.reserve(wire.size() + 4);
    for (const QChar c : wire) {
        if (c == u'_' || c == u' ') {
            if (!text.isEmpty() && !text.endsWith(u' '))
                text.append(u' ');
        } else if (c.isUpper()) {
            if (!text.isEmpty() && !text.endsWith(u' '))
                text.append(u' ');
            text.append(c.toLower());
        } else {
            text.append(c);
        }
    }
    return text.trimmed();
}

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
