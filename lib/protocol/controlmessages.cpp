#include "protocol/controlmessages.h"
#include "protocol/json.h"

#include "protocol/logging.h"

#include <QJsonArray>

#include <array>
#include <type_traits>

using namespace Qt::StringLiterals;

namespace SlotScope {

namespace {

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

/// "JUP6LkbZ…aV4" style short form of a base58 address.
QString abbreviate(const QString &address)
{
    if (address.size() <= 11)
        return address;
    return address.left(4) + QChar(0x2026) + address.right(3);
}

QString countOf(qsizetype n, QLatin1StringView one, QLatin1StringView many)
{
    return QString::number(n) + u' ' + (n == 1 ? QString(one) : QString(many));
}

/// Reads a `T` from the object `value` (`what` names it in the error when it
/// is not one): `fields(o, t)` fills it. A default `T` when the decode failed.
template<class T, class Fields>
T fromObject(Decoder &d, const QJsonValue &value, Fields fields, QLatin1StringView what = "params"_L1)
{
    T out{};
    const QJsonObject o = d.object(value, what);
    if (d.ok())
        fields(o, out);
    return out;
}

// ---------------------------------------------------------------------------
// Shared value types: writing and reading

/// The variant name `canonical` as `spellings` says this server spells it.
QString variantName(QLatin1StringView canonical, const QHash<QString, QString> &spellings)
{
    return spellings.value(QString(canonical), QString(canonical));
}

/// The camelCase wire name of a discovery filter's variant; empty for Unknown.
QLatin1StringView discoveryVariant(DiscoveryFilter::Kind kind)
{
    switch (kind) {
    case DiscoveryFilter::Kind::ProgramExecuted:
        return "programExecuted"_L1;
    case DiscoveryFilter::Kind::OracleUpdate:
        return "oracleUpdate"_L1;
    case DiscoveryFilter::Kind::Unknown:
        break;
    }
    return {};
}

void writeDiscoveryFilter(JsonWriter &w, const DiscoveryFilter &filter, const QHash<QString, QString> &spellings = {})
{
    switch (filter.kind) {
    case DiscoveryFilter::Kind::ProgramExecuted:
        w.beginObject().key(variantName(discoveryVariant(filter.kind), spellings)).string(filter.program).endObject();
        return;
    case DiscoveryFilter::Kind::OracleUpdate:
        w.beginObject().key(variantName(discoveryVariant(filter.kind), spellings)).beginObject();
        w.key("programs"_L1).stringList(filter.programs);
        w.key("accounts"_L1).stringList(filter.accounts);
        w.endObject().endObject();
        return;
    case DiscoveryFilter::Kind::Unknown:
        break;
    }
    w.json(filter.raw);
}

void writeDiscoveryFilters(JsonWriter &w, const QList<DiscoveryFilter> &filters,
                           const QHash<QString, QString> &spellings = {})
{
    w.beginArray();
    for (const DiscoveryFilter &filter : filters)
        writeDiscoveryFilter(w, filter, spellings);
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
    w.key("advanceCount"_L1).u64(p.advanceCount);
    w.key("transactions"_L1).stringList(p.transactions);
    w.key("modifyAccountStates"_L1).json(p.modifyAccountStates);
    w.endObject();
}

ContinueParams readContinueParams(Decoder &d, const QJsonValue &value, QLatin1StringView what)
{
    return fromObject<ContinueParams>(d, value, [&d](const QJsonObject &o, ContinueParams &p) {
        d.readUnsigned(o, "advanceCount"_L1, p.advanceCount, false);
        d.readStringList(o, "transactions"_L1, p.transactions, true);
        const QJsonValue modify = lookup(o, "modifyAccountStates"_L1);
        if (modify.isObject())
            p.modifyAccountStates = modify.toObject();
        else if (!isAbsent(modify))
            d.fail(u"field \"modifyAccountStates\" must be an object"_s);
    }, what);
}

QString continueText(const ContinueParams &p)
{
    return u"continue %1 slot(s)"_s.arg(p.advanceCount);
}

void writeContinueToParams(JsonWriter &w, const ContinueToParams &p)
{
    w.beginObject().key("slot"_L1).u64(p.slot).skipIfUnset("batchIndex"_L1, p.batchIndex).endObject();
}

ContinueToParams readContinueToParams(Decoder &d, const QJsonValue &value, QLatin1StringView what)
{
    return fromObject<ContinueToParams>(d, value, [&d](const QJsonObject &o, ContinueToParams &p) {
        d.readUnsigned(o, "slot"_L1, p.slot, true);
        d.readOptionalUnsigned(o, "batchIndex"_L1, p.batchIndex);
    }, what);
}

QString continueToText(const ContinueToParams &p)
{
    return p.batchIndex ? u"continue to %1/%2"_s.arg(p.slot).arg(*p.batchIndex) : u"continue to %1"_s.arg(p.slot);
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
    writeDiscoveryFilters(w, p.discoveries, p.discoveryVariantSpellings);
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
    return fromObject<CreateSessionParams>(d, value, [&d](QJsonObject o, CreateSessionParams &p) {
        // Lenient: a V1 request written as {"params": {...CreateSessionParams}, "parallel": …}.
        if (isAbsent(lookup(o, "startSlot"_L1)) && o.value("params"_L1).isObject()) {
            readCreateRequestKeys(d, o, p);
            o = o.value("params"_L1).toObject();
        }
        d.readUnsigned(o, "startSlot"_L1, p.startSlot, true);
        d.readUnsigned(o, "endSlot"_L1, p.endSlot, true);
        d.readStringList(o, "signerFilter"_L1, p.signerFilter);
        p.sendSummary = false; // absent: no summary (PROTOCOL-0.31.md §3.1.1, §4.6)
        d.readBool(o, "sendSummary"_L1, p.sendSummary);
        d.readOptionalUnsigned(o, "capacityWaitTimeoutSecs"_L1, p.capacityWaitTimeoutSecs);
        d.readOptionalUnsigned(o, "disconnectTimeoutSecs"_L1, p.disconnectTimeoutSecs);
        d.readOptionalUnsigned(o, "extraComputeUnits"_L1, p.extraComputeUnits);
        p.discoveries = readDiscoveryFilters(d, o, "discoveries"_L1);
        d.readBool(o, "replayAccountState"_L1, p.replayAccountState);
        readCreateRequestKeys(d, o, p);
    });
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
    return fromObject<SessionInfo>(d, value, [&d](const QJsonObject &o, SessionInfo &info) {
        d.readString(o, "session_id"_L1, info.sessionId);
        d.readString(o, "rpc_endpoint"_L1, info.rpcEndpoint);
        d.readOptionalString(o, "task_id"_L1, info.taskId);
        d.readOptionalString(o, "session_name"_L1, info.sessionName);
    });
}

/// The counters of a `completed` summary in serde's field order (PROTOCOL.md §4.10).
constexpr std::pair<QLatin1StringView, quint64 SessionSummary::*> kSummaryCounters[] = {
    {"correctSimulation"_L1, &SessionSummary::correctSimulation},
    {"incorrectSimulation"_L1, &SessionSummary::incorrectSimulation},
    {"executionErrors"_L1, &SessionSummary::executionErrors},
    {"balanceDiff"_L1, &SessionSummary::balanceDiff},
    {"logDiff"_L1, &SessionSummary::logDiff},
    {"unsanitizable"_L1, &SessionSummary::unsanitizable},
};

void writeSummary(JsonWriter &w, const SessionSummary &s)
{
    w.beginObject();
    for (const auto &[name, counter] : kSummaryCounters)
        w.key(name).u64(s.*counter);
    w.key("rerouteStats"_L1).json(s.rerouteStats);
    w.endObject();
}

// ---------------------------------------------------------------------------
// One descriptor per control message (PROTOCOL.md §3–§4): its wire `name`,
// `write` (the "params" value; absent for a message without params), `read`
// (lenient, from the "params" value, possibly Undefined) and `describe` (short
// text for the protocol console). Everything else — the method → reader
// tables, encode, methodName() and describe() — is derived from the types of
// ControlRequest / ControlResponse, so a new message is one descriptor plus
// its variant member.

template<class T>
struct MessageCodec;

/// Base of a message without params: nothing written, any params accepted,
/// described by its wire name unless the descriptor says otherwise.
template<class T>
struct UnitCodec
{
    static T read(Decoder &, const QJsonValue &) { return T{}; }
    static QString describe(const T &) { return QString(MessageCodec<T>::name); }
};

template<class T>
QString describeMessage(const T &message)
{
    return MessageCodec<T>::describe(message);
}

/// `"method":…[,"params":…]` inside an already opened object.
template<class T>
void writeBody(JsonWriter &w, const T &message)
{
    w.key("method"_L1).string(MessageCodec<T>::name);
    if constexpr (requires { MessageCodec<T>::write(w, message); }) {
        w.key("params"_L1);
        MessageCodec<T>::write(w, message);
    }
}

// --- Requests (client → server), PROTOCOL.md §3

template<>
struct MessageCodec<Requests::CreateBacktestSession>
{
    using M = Requests::CreateBacktestSession;
    static constexpr QLatin1StringView name = "createBacktestSession"_L1;
    static void write(JsonWriter &w, const M &r) { writeCreateSessionParams(w, r.params); }
    static M read(Decoder &d, const QJsonValue &p) { return {readCreateSessionParams(d, p)}; }
    static QString describe(const M &r)
    {
        return (r.params.parallel ? u"create parallel %1–%2"_s : u"create %1–%2"_s)
            .arg(r.params.startSlot)
            .arg(r.params.endSlot);
    }
};

template<>
struct MessageCodec<Requests::Continue>
{
    using M = Requests::Continue;
    static constexpr QLatin1StringView name = "continue"_L1;
    static void write(JsonWriter &w, const M &r) { writeContinueParams(w, r.params); }
    static M read(Decoder &d, const QJsonValue &p) { return {readContinueParams(d, p, "params"_L1)}; }
    static QString describe(const M &r) { return continueText(r.params); }
};

template<>
struct MessageCodec<Requests::ContinueTo>
{
    using M = Requests::ContinueTo;
    static constexpr QLatin1StringView name = "continueTo"_L1;
    static void write(JsonWriter &w, const M &r) { writeContinueToParams(w, r.params); }
    static M read(Decoder &d, const QJsonValue &p) { return {readContinueToParams(d, p, "params"_L1)}; }
    static QString describe(const M &r) { return continueToText(r.params); }
};

/// The V1 per-session steps (PROTOCOL-0.31.md §3.2–3.3): `{"sessionId": …,
/// "request": <ContinueParams | ContinueToParams>}`.
template<class M, auto writeRequest, auto readRequest, auto requestText>
struct SessionStepCodec
{
    static void write(JsonWriter &w, const M &r)
    {
        w.beginObject().key("sessionId"_L1).string(r.sessionId).key("request"_L1);
        writeRequest(w, r.request);
        w.endObject();
    }
    static M read(Decoder &d, const QJsonValue &p)
    {
        return fromObject<M>(d, p, [&d](const QJsonObject &o, M &r) {
            d.readString(o, "sessionId"_L1, r.sessionId);
            r.request = readRequest(d, o.value("request"_L1), "field \"request\""_L1);
        });
    }
    static QString describe(const M &r) { return r.sessionId + u": "_s + requestText(r.request); }
};

template<>
struct MessageCodec<Requests::ContinueSessionV1>
    : SessionStepCodec<Requests::ContinueSessionV1, writeContinueParams, readContinueParams, continueText>
{
    static constexpr QLatin1StringView name = "continueSessionV1"_L1;
};

template<>
struct MessageCodec<Requests::ContinueToSessionV1>
    : SessionStepCodec<Requests::ContinueToSessionV1, writeContinueToParams, readContinueToParams, continueToText>
{
    static constexpr QLatin1StringView name = "continueToSessionV1"_L1;
};

template<>
struct MessageCodec<Requests::CloseBacktestSession> : UnitCodec<Requests::CloseBacktestSession>
{
    static constexpr QLatin1StringView name = "closeBacktestSession"_L1;
};

template<>
struct MessageCodec<Requests::CloseSessionV1>
{
    using M = Requests::CloseSessionV1;
    static constexpr QLatin1StringView name = "closeSessionV1"_L1;
    static void write(JsonWriter &w, const M &r) { w.beginObject().key("sessionId"_L1).string(r.sessionId).endObject(); }
    static M read(Decoder &d, const QJsonValue &p)
    {
        return fromObject<M>(d, p, [&d](const QJsonObject &o, M &r) { d.readString(o, "sessionId"_L1, r.sessionId); });
    }
    static QString describe(const M &r) { return r.sessionId + u": close"_s; }
};

template<>
struct MessageCodec<Requests::AttachBacktestSession>
{
    using M = Requests::AttachBacktestSession;
    static constexpr QLatin1StringView name = "attachBacktestSession"_L1;
    static void write(JsonWriter &w, const M &r)
    {
        // Option<u64> without skip_serializing_if: serde writes null (PROTOCOL.md §2.4).
        w.beginObject().key("session_id"_L1).string(r.sessionId);
        w.key("last_sequence"_L1).optionalU64(r.lastSequence).endObject();
    }
    static M read(Decoder &d, const QJsonValue &p)
    {
        return fromObject<M>(d, p, [&d](const QJsonObject &o, M &r) {
            d.readString(o, "session_id"_L1, r.sessionId);
            d.readOptionalUnsigned(o, "last_sequence"_L1, r.lastSequence);
        });
    }
    static QString describe(const M &r)
    {
        return r.lastSequence ? u"attach %1 after seq %2"_s.arg(r.sessionId).arg(*r.lastSequence)
                              : u"attach %1"_s.arg(r.sessionId);
    }
};

template<>
struct MessageCodec<Requests::ResumeAttachedSession> : UnitCodec<Requests::ResumeAttachedSession>
{
    static constexpr QLatin1StringView name = "resumeAttachedSession"_L1;
};

template<>
struct MessageCodec<Requests::AttachParallelControlSessionV2>
{
    using M = Requests::AttachParallelControlSessionV2;
    static constexpr QLatin1StringView name = "attachParallelControlSessionV2"_L1;
    static void write(JsonWriter &w, const M &r)
    {
        w.beginObject().key("control_session_id"_L1).string(r.controlSessionId);
        w.key("last_sequences"_L1).beginObject();
        for (auto it = r.lastSequences.constBegin(); it != r.lastSequences.constEnd(); ++it)
            w.key(QStringView(it.key())).u64(it.value());
        w.endObject().endObject();
    }
    static M read(Decoder &d, const QJsonValue &p)
    {
        return fromObject<M>(d, p, [&d](const QJsonObject &o, M &r) {
            d.readString(o, "control_session_id"_L1, r.controlSessionId);
            const QJsonValue sequences = lookup(o, "last_sequences"_L1);
            if (!sequences.isObject()) {
                if (!isAbsent(sequences))
                    d.fail(u"field \"last_sequences\" must be an object"_s);
                return;
            }
            const QJsonObject map = sequences.toObject();
            for (auto it = map.constBegin(); it != map.constEnd(); ++it) {
                if (const auto n = d.checkedUnsigned<quint64>(it.value(), u"last_sequences."_s + it.key()))
                    r.lastSequences.insert(it.key(), *n);
            }
        });
    }
    static QString describe(const M &r)
    {
        QStringList cursors;
        for (auto it = r.lastSequences.cbegin(); it != r.lastSequences.cend(); ++it)
            cursors.append(u"%1=%2"_s.arg(it.key()).arg(it.value()));
        return u"attach %1 after %2"_s.arg(r.controlSessionId, cursors.isEmpty() ? u"nothing"_s : cursors.join(u", "_s));
    }
};

// --- Responses (server → client), PROTOCOL.md §4

/// `sessionCreated` / `sessionAttached`: the session's identity (§4.1–4.2).
template<class M>
struct SessionInfoCodec
{
    static void write(JsonWriter &w, const M &r) { writeSessionInfo(w, r.info); }
    static M read(Decoder &d, const QJsonValue &p) { return {readSessionInfo(d, p)}; }
};

template<>
struct MessageCodec<Responses::SessionCreated> : SessionInfoCodec<Responses::SessionCreated>
{
    static constexpr QLatin1StringView name = "sessionCreated"_L1;
    static QString describe(const Responses::SessionCreated &r) { return u"session created "_s + r.info.sessionId; }
};

template<>
struct MessageCodec<Responses::SessionAttached> : SessionInfoCodec<Responses::SessionAttached>
{
    static constexpr QLatin1StringView name = "sessionAttached"_L1;
    static QString describe(const Responses::SessionAttached &r) { return u"session attached "_s + r.info.sessionId; }
};

template<>
struct MessageCodec<Responses::SessionsCreatedV2>
{
    using M = Responses::SessionsCreatedV2;
    static constexpr QLatin1StringView name = "sessionsCreatedV2"_L1;
    static void write(JsonWriter &w, const M &r)
    {
        w.beginObject().key("control_session_id"_L1).string(r.controlSessionId);
        w.skipIfUnset("control_session_name"_L1, r.controlSessionName);
        w.key("session_ids"_L1).stringList(r.sessionIds);
        w.key("task_ids"_L1).optionalStringList(r.taskIds);
        if (r.startSlots)
            w.key("start_slots"_L1).u64List(*r.startSlots);
        if (r.endSlots)
            w.key("end_slots"_L1).u64List(*r.endSlots);
        w.endObject();
    }
    static M read(Decoder &d, const QJsonValue &p)
    {
        return fromObject<M>(d, p, [&d](const QJsonObject &o, M &r) {
            d.readString(o, "control_session_id"_L1, r.controlSessionId);
            d.readOptionalString(o, "control_session_name"_L1, r.controlSessionName);
            d.readStringList(o, "session_ids"_L1, r.sessionIds);
            r.taskIds = d.optionalStringList(o, "task_ids"_L1);
            r.startSlots = d.optionalUnsignedList<quint64>(o, "start_slots"_L1);
            r.endSlots = d.optionalUnsignedList<quint64>(o, "end_slots"_L1);
        });
    }
    static QString describe(const M &r)
    {
        return u"sessions created %1 (%2)"_s.arg(r.controlSessionId,
                                                 countOf(r.sessionIds.size(), "session"_L1, "sessions"_L1));
    }
};

template<>
struct MessageCodec<Responses::ParallelSessionAttachedV2>
{
    using M = Responses::ParallelSessionAttachedV2;
    static constexpr QLatin1StringView name = "parallelSessionAttachedV2"_L1;
    static void write(JsonWriter &w, const M &r)
    {
        w.beginObject().key("control_session_id"_L1).string(r.controlSessionId);
        w.key("session_ids"_L1).stringList(r.sessionIds);
        w.key("task_ids"_L1).optionalStringList(r.taskIds).endObject();
    }
    static M read(Decoder &d, const QJsonValue &p)
    {
        return fromObject<M>(d, p, [&d](const QJsonObject &o, M &r) {
            d.readString(o, "control_session_id"_L1, r.controlSessionId);
            d.readStringList(o, "session_ids"_L1, r.sessionIds);
            r.taskIds = d.optionalStringList(o, "task_ids"_L1);
        });
    }
    static QString describe(const M &r)
    {
        return u"parallel session attached %1 (%2)"_s.arg(r.controlSessionId,
                                                          countOf(r.sessionIds.size(), "session"_L1, "sessions"_L1));
    }
};

template<>
struct MessageCodec<Responses::ReadyForContinue> : UnitCodec<Responses::ReadyForContinue>
{
    static constexpr QLatin1StringView name = "readyForContinue"_L1;
    static QString describe(const Responses::ReadyForContinue &) { return u"ready for continue"_s; }
};

template<>
struct MessageCodec<Responses::SlotNotification>
{
    using M = Responses::SlotNotification;
    static constexpr QLatin1StringView name = "slotNotification"_L1;
    static void write(JsonWriter &w, const M &r) { w.u64(r.slot); }
    static M read(Decoder &d, const QJsonValue &p)
    {
        M r;
        if (p.isObject()) // lenient: {"slot": N}
            d.readUnsigned(p.toObject(), "slot"_L1, r.slot, true);
        else if (isAbsent(p))
            d.fail(u"missing params (the slot)"_s);
        else if (const auto slot = asU64(p))
            r.slot = *slot;
        else
            d.fail(u"params must be a non-negative integer slot"_s);
        return r;
    }
    static QString describe(const M &r) { return u"slot %1"_s.arg(r.slot); }
};

template<>
struct MessageCodec<Responses::Paused>
{
    using M = Responses::Paused;
    static constexpr QLatin1StringView name = "paused"_L1;
    static void write(JsonWriter &w, const M &r)
    {
        w.beginObject().key("slot"_L1).u64(r.event.slot);
        w.key("batchIndex"_L1).optionalU64(r.event.batchIndex).endObject();
    }
    static M read(Decoder &d, const QJsonValue &p)
    {
        return {fromObject<PausedEvent>(d, p, [&d](const QJsonObject &o, PausedEvent &e) {
            d.readUnsigned(o, "slot"_L1, e.slot, true);
            d.readOptionalUnsigned(o, "batchIndex"_L1, e.batchIndex);
        })};
    }
    static QString describe(const M &r)
    {
        if (r.event.batchIndex)
            return u"paused at %1 batch %2"_s.arg(r.event.slot).arg(*r.event.batchIndex);
        return u"paused at %1"_s.arg(r.event.slot);
    }
};

template<>
struct MessageCodec<Responses::DiscoveryBatch>
{
    using M = Responses::DiscoveryBatch;
    static constexpr QLatin1StringView name = "discoveryBatch"_L1;
    static void write(JsonWriter &w, const M &r)
    {
        w.beginObject().key("slot"_L1).u64(r.event.slot);
        w.key("batchIndex"_L1).u64(r.event.batchIndex);
        w.key("matched"_L1);
        writeDiscoveryFilters(w, r.event.matched);
        w.key("transactions"_L1).beginArray();
        for (const QString &tx : r.event.transactions)
            w.beginObject().key("data"_L1).string(tx).key("encoding"_L1).string("base64"_L1).endObject();
        w.endArray();
        w.key("transactionIndices"_L1).u64List(r.event.transactionIndices).endObject();
    }
    static M read(Decoder &d, const QJsonValue &p)
    {
        return {fromObject<DiscoveryBatchEvent>(d, p, [&d](const QJsonObject &o, DiscoveryBatchEvent &e) {
            d.readUnsigned(o, "slot"_L1, e.slot, true);
            d.readUnsigned(o, "batchIndex"_L1, e.batchIndex, true);
            e.matched = readDiscoveryFilters(d, o, "matched"_L1);
            d.readStringList(o, "transactions"_L1, e.transactions, true);
            e.transactionIndices = d.optionalUnsignedList<quint32>(o, "transactionIndices"_L1).value_or(QList<quint32>());
        })};
    }
    static QString describe(const M &r)
    {
        return u"discovery %1/%2 (%3)"_s.arg(r.event.slot)
            .arg(r.event.batchIndex)
            .arg(countOf(r.event.transactions.size(), "tx"_L1, "txs"_L1));
    }
};

template<>
struct MessageCodec<Responses::Error>
{
    using M = Responses::Error;
    static constexpr QLatin1StringView name = "error"_L1;
    static void write(JsonWriter &w, const M &r) { r.error.write(w); }
    static M read(Decoder &, const QJsonValue &p) { return {BacktestError::fromJson(p.isUndefined() ? QJsonValue() : p)}; }
    static QString describe(const M &r) { return u"error: "_s + r.error.message(); }
};

template<>
struct MessageCodec<Responses::Success> : UnitCodec<Responses::Success>
{
    static constexpr QLatin1StringView name = "success"_L1;
    static QString describe(const Responses::Success &) { return u"success"_s; }
};

template<>
struct MessageCodec<Responses::Completed>
{
    using M = Responses::Completed;
    static constexpr QLatin1StringView name = "completed"_L1;
    static void write(JsonWriter &w, const M &r)
    {
        w.beginObject().key("summary"_L1);
        if (r.summary)
            writeSummary(w, *r.summary);
        else
            w.null();
        w.endObject();
    }
    static M read(Decoder &d, const QJsonValue &p)
    {
        if (isAbsent(p))
            return {}; // lenient: a bare {"method":"completed"}
        M r;
        const QJsonObject o = d.object(p, "params"_L1);
        const QJsonValue summary = o.value("summary"_L1);
        if (!d.ok() || isAbsent(summary))
            return r;
        if (summary.isObject())
            r.summary = SessionSummary::fromJson(summary.toObject());
        else
            d.fail(u"field \"summary\" must be an object or null"_s);
        return r;
    }
    static QString describe(const M &r)
    {
        if (!r.summary)
            return u"completed"_s;
        return u"completed (%1 correct, %2 incorrect, %3 execution errors)"_s.arg(r.summary->correctSimulation)
            .arg(r.summary->incorrectSimulation)
            .arg(r.summary->executionErrors);
    }
};

template<>
struct MessageCodec<Responses::Status>
{
    using M = Responses::Status;
    static constexpr QLatin1StringView name = "status"_L1;
    static void write(JsonWriter &w, const M &r) { w.beginObject().key("status"_L1).string(r.status).endObject(); }
    static M read(Decoder &d, const QJsonValue &p)
    {
        if (p.isString()) // lenient: a bare status string
            return {p.toString()};
        return fromObject<M>(d, p, [&d](const QJsonObject &o, M &r) { d.readString(o, "status"_L1, r.status); });
    }
    static QString describe(const M &r) { return u"status "_s + r.status; }
};

Result<ControlResponse> decodeResponseBody(const QString &method, const QJsonValue &params, int depth);

template<class T, class Variant>
constexpr bool isAlternative = false;
template<class T, class... Ts>
constexpr bool isAlternative<T, std::variant<Ts...>> = (std::is_same_v<T, Ts> || ...);

struct EventBody
{
    QString method;
    QJsonValue params{QJsonValue::Undefined};
};

/// The method and params of a sessionEventV2's `event`, in each accepted
/// shape (§4.13): {"method":X,"params":Y}, "X", {X: Y}; nullopt for any other.
std::optional<EventBody> eventBody(const QJsonValue &event)
{
    const QJsonObject object = event.toObject();
    if (event.isString())
        return EventBody{event.toString()};
    if (event.isObject() && object.value("method"_L1).isString())
        return EventBody{object.value("method"_L1).toString(), object.value("params"_L1)};
    if (event.isObject() && object.size() == 1)
        return EventBody{object.constBegin().key(), object.constBegin().value()};
    return std::nullopt;
}

template<>
struct MessageCodec<Responses::SessionEventV2>
{
    using M = Responses::SessionEventV2;
    static constexpr QLatin1StringView name = "sessionEventV2"_L1;
    static void write(JsonWriter &w, const M &r)
    {
        w.beginObject().key("session_id"_L1).string(r.sessionId);
        w.key("seq_id"_L1).u64(r.seqId);
        w.key("event"_L1).beginObject();
        std::visit([&w](const auto &event) { writeBody(w, event); }, r.event);
        w.endObject().endObject();
    }
    /// `depth` > 0: inside another sessionEventV2 (refused).
    static M read(Decoder &d, const QJsonValue &p, int depth)
    {
        M r;
        const QJsonObject o = d.object(p, "params"_L1);
        if (!d.ok())
            return r;
        d.readString(o, "session_id"_L1, r.sessionId);
        d.readUnsigned(o, "seq_id"_L1, r.seqId, true);
        if (!d.ok())
            return r;
        const QJsonValue event = o.value("event"_L1);
        const std::optional<EventBody> body = eventBody(event);
        if (!body) {
            d.fail(isAbsent(event) ? u"missing field \"event\""_s : u"field \"event\" has an unsupported shape"_s);
            return r;
        }
        const QString &method = body->method; // (no structured binding: the lambda below names it)
        const QJsonValue &params = body->params;
        if (depth > 0) {
            d.fail(u"nested sessionEventV2"_s);
            return r;
        }
        Result<ControlResponse> inner = decodeResponseBody(method, params, depth + 1);
        if (!inner) {
            d.fail(u"event: "_s + inner.error().message);
            return r;
        }
        std::visit([&](const auto &e) {
            if constexpr (isAlternative<std::decay_t<decltype(e)>, SessionEventKind>)
                r.event = e;
            else
                d.fail(u"event: \"%1\" is not a session event"_s.arg(method));
        }, *inner);
        return r;
    }
    static QString describe(const M &r)
    {
        const QString inner = std::visit([](const auto &e) { return describeMessage(e); }, r.event);
        return u"%1 #%2: %3"_s.arg(r.sessionId).arg(r.seqId).arg(inner);
    }
};

// ---------------------------------------------------------------------------
// Derived from the descriptors

/// Reads message `T` as an alternative of `Variant`; `depth` is passed on to
/// the readers that nest (sessionEventV2).
template<class Variant, class T>
Variant readAs(Decoder &d, const QJsonValue &params, int depth)
{
    if constexpr (requires { MessageCodec<T>::read(d, params, depth); })
        return MessageCodec<T>::read(d, params, depth);
    else
        return MessageCodec<T>::read(d, params);
}

template<class Variant>
struct MethodEntry
{
    QLatin1StringView name;
    Variant (*read)(Decoder &, const QJsonValue &, int depth);
};

/// Method name → reader, one entry per alternative of the variant.
template<class Variant>
struct Methods;
template<class... Ts>
struct Methods<std::variant<Ts...>>
{
    using Entry = MethodEntry<std::variant<Ts...>>;
    static constexpr std::array<Entry, sizeof...(Ts)> entries{{{MessageCodec<Ts>::name, &readAs<std::variant<Ts...>, Ts>}...}};

    /// The entry of a received method name: the exact spelling first, then
    /// any casing (sameVariant); nullptr for an unknown method.
    static const Entry *find(const QString &method)
    {
        for (const Entry &entry : entries) {
            if (entry.name == method)
                return &entry;
        }
        for (const Entry &entry : entries) {
            if (sameVariant(method, entry.name))
                return &entry;
        }
        return nullptr;
    }
};

template<class Variant>
QByteArray encodeMessage(const Variant &message, std::optional<quint64> seqId = std::nullopt)
{
    JsonWriter w;
    w.beginObject();
    if (seqId)
        w.key("seqId"_L1).u64(*seqId);
    std::visit([&w](const auto &m) { writeBody(w, m); }, message);
    w.endObject();
    return w.take();
}

template<class Variant>
QString nameOf(const Variant &message)
{
    return std::visit([](const auto &m) { return QString(MessageCodec<std::decay_t<decltype(m)>>::name); }, message);
}

/// Decodes `params` as the message named `method`.
/// Errors name the method as received, or as canonical (`canonicalContext`: requests).
template<class Variant>
Result<Variant> decodeBody(const QString &method, const QJsonValue &params, int depth, bool canonicalContext)
{
    const auto *entry = Methods<Variant>::find(method);
    if (!entry)
        return makeError(u"unknown method \"%1\""_s.arg(method));
    Decoder d(canonicalContext ? QString(entry->name) : method);
    Variant message = entry->read(d, params, depth);
    if (!d.ok())
        return makeError(d.error());
    return message;
}

Result<ControlResponse> decodeResponseBody(const QString &method, const QJsonValue &params, int depth)
{
    return decodeBody<ControlResponse>(method, params, depth, false);
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

bool respellDiscoveryVariants(const QString &errorText, CreateSessionParams &params)
{
    const qsizetype unknownAt = errorText.indexOf("unknown variant"_L1);
    const qsizetype listAt = errorText.indexOf("expected one of"_L1, unknownAt);
    if (unknownAt < 0 || listAt < 0)
        return false;
    // serde: unknown variant `x`, expected one of `A`, `B`, …
    const auto quoted = [&errorText](qsizetype from, qsizetype to) {
        QStringList names;
        for (qsizetype open = errorText.indexOf(u'`', from); open >= 0 && open < to;) {
            const qsizetype close = errorText.indexOf(u'`', open + 1);
            if (close < 0 || close > to)
                break;
            names.append(errorText.sliced(open + 1, close - open - 1));
            open = errorText.indexOf(u'`', close + 1);
        }
        return names;
    };
    const QStringList unknown = quoted(unknownAt, listAt);
    const QStringList accepted = quoted(listAt, errorText.size());
    if (unknown.size() != 1 || accepted.isEmpty())
        return false;
    bool changed = false;
    for (const DiscoveryFilter &filter : std::as_const(params.discoveries)) {
        const QLatin1StringView canonical = discoveryVariant(filter.kind);
        if (canonical.isEmpty() || variantName(canonical, params.discoveryVariantSpellings) != unknown.constFirst())
            continue;
        for (const QString &name : accepted) {
            if (name != unknown.constFirst() && sameVariant(name, canonical)) {
                params.discoveryVariantSpellings.insert(QString(canonical), name);
                changed = true;
                break;
            }
        }
    }
    return changed;
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
    qCDebug(lcProtocol) << "unrecognised discovery filter kept verbatim:" << Json::compact(value);
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
    return u"filter "_s + oneLine(QString::fromUtf8(Json::compact(raw)));
}

// ---------------------------------------------------------------------------
// SessionSummary

QJsonObject SessionSummary::toJson() const
{
    QJsonObject object;
    for (const auto &[name, counter] : kSummaryCounters)
        object.insert(name, qint64(this->*counter));
    object.insert("rerouteStats"_L1, rerouteStats.isUndefined() ? QJsonValue() : rerouteStats);
    return object;
}

SessionSummary SessionSummary::fromJson(const QJsonObject &object)
{
    SessionSummary s;
    for (const auto &[name, counter] : kSummaryCounters)
        s.*counter = asU64(lookup(object, name)).value_or(0);
    const QJsonValue reroute = lookup(object, "rerouteStats"_L1);
    s.rerouteStats = reroute.isUndefined() ? QJsonValue() : reroute;
    return s;
}

// ---------------------------------------------------------------------------
// Requests

QByteArray encodeControlRequest(const ControlRequest &request)
{
    return encodeMessage(request);
}

Result<ControlRequest> decodeControlRequest(QByteArrayView utf8)
{
    Result<Envelope> env = parseEnvelope(utf8);
    if (!env)
        return env.error();
    return decodeBody<ControlRequest>(env->method, env->params, 0, true);
}

QString methodName(const ControlRequest &request)
{
    return nameOf(request);
}

QString describe(const ControlRequest &request)
{
    return std::visit([](const auto &r) { return describeMessage(r); }, request);
}

// ---------------------------------------------------------------------------
// Responses

Result<ControlFrame> decodeControlResponse(QByteArrayView utf8)
{
    Result<Envelope> env = parseEnvelope(utf8);
    if (!env)
        return env.error();

    // PROTOCOL-0.31.md §1 item 6: read as a SequencedResponse first, then as
    // a bare response. A seqId that is not a u64 fails the first (serde), and
    // the second ignores the key: the frame counts, without a sequence number.
    ControlFrame frame{std::nullopt, Responses::Success{}};
    if (const QJsonValue seq = lookup(env->object, "seqId"_L1); !isAbsent(seq))
        frame.seqId = asU64(seq);

    Result<ControlResponse> response = decodeResponseBody(env->method, env->params, 0);
    if (!response)
        return response.error();
    frame.response = std::move(response).value();
    return frame;
}

std::optional<UnrecognizedControlFrame> unrecognizedControlFrame(QByteArrayView utf8)
{
    Result<Envelope> env = parseEnvelope(utf8);
    if (!env)
        return std::nullopt;
    UnrecognizedControlFrame frame;
    const QJsonValue seq = lookup(env->object, "seqId"_L1);
    const auto *entry = Methods<ControlResponse>::find(env->method);
    if (!entry) {
        frame.method = env->method;
        frame.seqId = isAbsent(seq) ? std::nullopt : asU64(seq);
        return frame;
    }
    if (entry->name != MessageCodec<Responses::SessionEventV2>::name || !env->params.isObject())
        return std::nullopt;
    const QJsonObject params = env->params.toObject();
    const std::optional<EventBody> body = eventBody(params.value("event"_L1));
    if (!body || Methods<ControlResponse>::find(body->method))
        return std::nullopt;
    frame.method = body->method;
    frame.sessionId = lookup(params, "session_id"_L1).toString();
    const QJsonValue subSeq = lookup(params, "seq_id"_L1);
    frame.seqId = isAbsent(subSeq) ? std::nullopt : asU64(subSeq);
    return frame;
}

QByteArray encodeControlResponse(const ControlResponse &response, std::optional<quint64> seqId)
{
    return encodeMessage(response, seqId);
}

QString methodName(const ControlResponse &response)
{
    return nameOf(response);
}

QString methodName(const SessionEventKind &event)
{
    return nameOf(event);
}

QString describe(const ControlResponse &response)
{
    return std::visit([](const auto &r) { return describeMessage(r); }, response);
}

} // namespace SlotScope
