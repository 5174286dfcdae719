#include "capture/captureparsing.h"

#include "protocol/base58.h"

#include <charconv>
#include <cctype>
#include <cmath>

namespace SlotScope::Internal {

using namespace simdjson;
using ondemand::json_type;

#define SS_TRY(expr)                       \
    do {                                   \
        if (auto _e = (expr); _e != SUCCESS) \
            return _e;                     \
    } while (false)

namespace {

bool isBlank(const char *data, size_t size)
{
    for (size_t i = 0; i < size; ++i) {
        const char c = data[i];
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
            return false;
    }
    return true;
}

error_code typeOf(ondemand::value &v, json_type &t)
{
    return v.type().get(t);
}

// An unsigned integer into `out`, whatever its integer type. Strict: anything
// else (null included) is an error.
template<class T>
error_code readUnsigned(ondemand::value &v, T &out)
{
    uint64_t x;
    SS_TRY(v.get_uint64().get(x));
    out = T(x);
    return SUCCESS;
}

// A u64 (quint64) or i64 (qint64), or nullopt for null. Strict: anything else
// is an error.
template<class T>
error_code readNullable(ondemand::value &v, std::optional<T> &out)
{
    json_type t;
    SS_TRY(typeOf(v, t));
    if (t == json_type::null) {
        out.reset();
        return SUCCESS;
    }
    std::conditional_t<std::is_signed_v<T>, int64_t, uint64_t> x;
    SS_TRY(v.get(x));
    out = T(x);
    return SUCCESS;
}

// Optional SlotScope keys are read leniently: a value of another type is
// treated as absent rather than failing the whole line.
template<class T>
void readLenient(ondemand::value &v, std::optional<T> &out)
{
    if (readNullable(v, out) != SUCCESS)
        out.reset();
}

// Calls `onField(key, value)` for each field of `obj`, in order; the first
// error (of the walk or of `onField`) ends it.
template<class OnField>
error_code forEachField(ondemand::object &obj, OnField &&onField)
{
    for (auto fr : obj) {
        ondemand::field f;
        SS_TRY(std::move(fr).get(f));
        std::string_view key;
        SS_TRY(f.unescaped_key().get(key));
        ondemand::value v = f.value();
        SS_TRY(onField(key, v));
    }
    return SUCCESS;
}

// A string, or "" for null.
error_code readString(ondemand::value &v, std::string_view &out)
{
    json_type t;
    SS_TRY(typeOf(v, t));
    if (t == json_type::null) {
        out = {};
        return SUCCESS;
    }
    return v.get_string().get(out);
}

// Any JSON value as text: strings unescaped, objects/arrays as raw JSON, scalars as their token.
error_code readText(ondemand::value &v, std::string_view &out)
{
    json_type t;
    SS_TRY(typeOf(v, t));
    switch (t) {
    case json_type::null:
        out = {};
        return SUCCESS;
    case json_type::string:
        return v.get_string().get(out);
    case json_type::object: {
        ondemand::object o;
        SS_TRY(v.get_object().get(o));
        return o.raw_json().get(out);
    }
    case json_type::array: {
        ondemand::array a;
        SS_TRY(v.get_array().get(a));
        return a.raw_json().get(out);
    }
    default:
        out = v.raw_json_token();
        while (!out.empty() && (out.back() == ' ' || out.back() == '\t' || out.back() == '\r' || out.back() == '\n'))
            out.remove_suffix(1);
        return SUCCESS;
    }
}

error_code readStringArray(ondemand::value &v, std::vector<std::string_view> &out)
{
    out.clear();
    json_type t;
    SS_TRY(typeOf(v, t));
    if (t == json_type::null)
        return SUCCESS;
    ondemand::array arr;
    SS_TRY(v.get_array().get(arr));
    for (auto item : arr) {
        ondemand::value iv;
        SS_TRY(std::move(item).get(iv));
        std::string_view s;
        SS_TRY(readString(iv, s));
        out.push_back(s);
    }
    return SUCCESS;
}

error_code readQStringList(ondemand::value &v, QStringList &out)
{
    std::vector<std::string_view> list;
    SS_TRY(readStringArray(v, list));
    out = toQStringList(list);
    return SUCCESS;
}

// An array of change objects into `out`: each object's fields go through
// `readField(change, key, value)`; the first error ends it.
template<class Change, class ReadField>
error_code readChanges(ondemand::value &v, std::vector<Change> &out, ReadField readField)
{
    out.clear();
    ondemand::array arr;
    SS_TRY(v.get_array().get(arr));
    for (auto item : arr) {
        ondemand::object o;
        SS_TRY(item.get_object().get(o));
        Change c;
        SS_TRY(forEachField(o, [&c, &readField](std::string_view key, ondemand::value &fv) {
            return readField(c, key, fv);
        }));
        out.push_back(c);
    }
    return SUCCESS;
}

error_code readSolChanges(ondemand::value &v, std::vector<SolChangeView> &out)
{
    return readChanges(v, out, [](SolChangeView &c, std::string_view key, ondemand::value &fv) {
        if (key == "account" || key == "pubkey")
            return readString(fv, c.account);
        if (key == "pre_lamports" || key == "pre")
            return readUnsigned(fv, c.pre);
        if (key == "post_lamports" || key == "post")
            return readUnsigned(fv, c.post);
        return SUCCESS;
    });
}

error_code readTokenChanges(ondemand::value &v, std::vector<TokenChangeView> &out)
{
    return readChanges(v, out, [](TokenChangeView &c, std::string_view key, ondemand::value &fv) {
        if (key == "account" || key == "pubkey")
            return readString(fv, c.account);
        if (key == "mint")
            return readString(fv, c.mint);
        if (key == "owner")
            return readString(fv, c.owner);
        if (key == "pre_amount" || key == "pre")
            return readUnsigned(fv, c.pre);
        if (key == "post_amount" || key == "post")
            return readUnsigned(fv, c.post);
        if (key == "decimals")
            return readUnsigned(fv, c.decimals);
        return SUCCESS;
    });
}

// `v` into `out` when it is an object (`isObject`); any other type is no error.
error_code objectIfAny(ondemand::value &v, ondemand::object &out, bool &isObject)
{
    json_type t;
    SS_TRY(typeOf(v, t));
    isObject = t == json_type::object;
    return isObject ? v.get_object().get(out) : SUCCESS;
}

// Files written by `sim run` carry no fee / CU / fee payer; take them from the
// getTransaction-shaped `raw` when it is there (DESIGN.md §3).
error_code fillFromRaw(ondemand::value &v, TxView &tx)
{
    ondemand::object raw;
    bool isObject = false;
    SS_TRY(objectIfAny(v, raw, isObject));
    if (!isObject)
        return SUCCESS;
    return forEachField(raw, [&tx](std::string_view key, ondemand::value &fv) {
        bool isObject = false;
        if (key == "blockTime") {
            if (!tx.blockTime)
                readLenient(fv, tx.blockTime);
            return SUCCESS;
        }
        if (key == "meta") {
            ondemand::object meta;
            SS_TRY(objectIfAny(fv, meta, isObject));
            if (!isObject)
                return SUCCESS;
            return forEachField(meta, [&tx](std::string_view mkey, ondemand::value &mv) {
                if (mkey == "fee" && !tx.fee)
                    readLenient(mv, tx.fee);
                else if (mkey == "computeUnitsConsumed" && !tx.computeUnitsConsumed)
                    readLenient(mv, tx.computeUnitsConsumed);
                return SUCCESS;
            });
        }
        if (key != "transaction" || !tx.feePayer.empty())
            return SUCCESS;
        ondemand::object txo;
        SS_TRY(objectIfAny(fv, txo, isObject));
        if (!isObject)
            return SUCCESS;
        ondemand::array ka;
        if (txo.at_pointer("/message/accountKeys").get_array().get(ka) != SUCCESS)
            return SUCCESS;
        for (auto first : ka) {
            ondemand::value kv;
            SS_TRY(std::move(first).get(kv));
            json_type t;
            SS_TRY(typeOf(kv, t));
            if (t == json_type::string) {
                SS_TRY(kv.get_string().get(tx.feePayer));
            } else if (t == json_type::object) {
                ondemand::object ko;
                SS_TRY(kv.get_object().get(ko));
                ondemand::value pk;
                if (ko.find_field_unordered("pubkey").get(pk) == SUCCESS)
                    (void)readString(pk, tx.feePayer);
            }
            break;
        }
        return SUCCESS;
    });
}

error_code readTxField(std::string_view key, ondemand::value &v, unsigned detail, TxView &tx);

error_code parseTxObject(ondemand::object &obj, unsigned detail, TxView &tx)
{
    tx.clear();
    SS_TRY(forEachField(obj, [detail, &tx](std::string_view key, ondemand::value &v) {
        const error_code e = readTxField(key, v, detail, tx);
        if (e != SUCCESS)
            tx.badField = key; // named in the damaged line's warning
        return e;
    }));
    if (!tx.hasSuccess)
        tx.success = tx.error.empty();
    return SUCCESS;
}

error_code readTxField(std::string_view key, ondemand::value &v, unsigned detail, TxView &tx)
{
    // Ordered by how often they appear in our own lines.
    if (key == "slot") {
        SS_TRY(readUnsigned(v, tx.slot));
        tx.hasSlot = true;
    } else if (key == "signature") {
        SS_TRY(v.get_string().get(tx.signature));
        tx.hasSignature = true;
    } else if (key == "success") {
        bool b;
        SS_TRY(v.get_bool().get(b));
        tx.success = b;
        tx.hasSuccess = true;
    } else if (key == "timestamp") {
        SS_TRY(readNullable(v, tx.timestamp));
    } else if (key == "error") {
        SS_TRY(readText(v, tx.error));
    } else if (key == "logs") {
        if (detail & TxLogs)
            SS_TRY(readStringArray(v, tx.logs));
    } else if (key == "sol_changes") {
        if (detail & TxBalanceChanges)
            SS_TRY(readSolChanges(v, tx.solChanges));
    } else if (key == "token_changes") {
        if (detail & TxBalanceChanges)
            SS_TRY(readTokenChanges(v, tx.tokenChanges));
    } else if (key == "session_id") {
        tx.slotScopeKeys = true;
        if (readString(v, tx.sessionId) != SUCCESS)
            tx.sessionId = {};
    } else if (key == "fee") {
        // A u64 or null, never read as "not recorded" when it is something
        // else (-5000, "5000", 1.5: a line serde refuses, CAPTURE_FORMAT.md
        // §2 Numbers): the line is damaged, and said so, not a fee of 0.
        tx.slotScopeKeys = true;
        SS_TRY(readNullable(v, tx.fee));
    } else if (key == "compute_units_consumed") {
        SS_TRY(readNullable(v, tx.computeUnitsConsumed));
    } else if (key == "fee_payer") {
        if (readString(v, tx.feePayer) != SUCCESS)
            tx.feePayer = {};
    } else if (key == "program_ids") {
        if (readStringArray(v, tx.programIds) != SUCCESS)
            tx.programIds.clear();
    } else if (key == "block_time") {
        readLenient(v, tx.blockTime);
    } else if (key == "transaction_index") {
        readLenient(v, tx.transactionIndex);
    } else if (key == "raw") {
        if (!tx.slotScopeKeys)
            SS_TRY(fillFromRaw(v, tx));
    }
    return SUCCESS;
}

error_code parseMetadataObject(ondemand::object &obj, CaptureMetadata &m)
{
    m = {};
    return forEachField(obj, [&m](std::string_view key, ondemand::value &v) {
        if (key == "start_slot")
            return readUnsigned(v, m.startSlot);
        if (key == "end_slot")
            return readUnsigned(v, m.endSlot);
        if (key == "program_ids")
            return readQStringList(v, m.programIds);
        if (key == "program_so")
            return readQStringList(v, m.programSo);
        if (key == "session_ids")
            return readQStringList(v, m.sessionIds);
        if (key == "session_name") {
            std::string_view name;
            if (v.get_string().get(name) == SUCCESS)
                m.sessionName = QString::fromUtf8(name.data(), qsizetype(name.size()));
        } else if (key == "ran_at_unix_secs") {
            int64_t x;
            SS_TRY(v.get_int64().get(x));
            m.ranAtUnixSecs = x;
        }
        return SUCCESS;
    });
}

error_code parseTotals(ondemand::object &obj, CaptureSummary &s, bool &sawFailures, bool nested)
{
    return forEachField(obj, [&](std::string_view key, ondemand::value &v) {
        if (key == "total")
            return readUnsigned(v, s.total);
        if (key == "successes")
            return readUnsigned(v, s.successes);
        if (key == "failures") {
            sawFailures = true;
            return readUnsigned(v, s.failures);
        }
        if (key == "session_ids")
            return readQStringList(v, s.sessionIds);
        if (key == "summary" && !nested) {
            // Nested layout {"summary":{totals},"session_ids":[…]} (§4.5).
            ondemand::object inner;
            SS_TRY(v.get_object().get(inner));
            return parseTotals(inner, s, sawFailures, true);
        }
        return SUCCESS;
    });
}

error_code parseSummaryObject(ondemand::object &obj, CaptureSummary &s)
{
    s = {};
    bool sawFailures = false;
    SS_TRY(parseTotals(obj, s, sawFailures, false));
    if (!sawFailures)
        s.failures = s.total >= s.successes ? s.total - s.successes : 0;
    return SUCCESS;
}

const char *problemText(error_code e)
{
    return error_message(e);
}

} // namespace

void TxView::clear()
{
    hasSlot = hasSignature = hasSuccess = slotScopeKeys = false;
    badField = {};
    slot = 0;
    signature = {};
    success = true;
    error = {};
    sessionId = {};
    fee.reset();
    computeUnitsConsumed.reset();
    blockTime.reset();
    timestamp.reset();
    transactionIndex.reset();
    feePayer = {};
    programIds.clear();
    logs.clear();
    solChanges.clear();
    tokenChanges.clear();
}

namespace {

LineKind kindOfType(std::string_view type)
{
    if (type == "tx")
        return LineKind::Tx;
    if (type == "metadata")
        return LineKind::Metadata;
    if (type == "summary")
        return LineKind::Summary;
    if (type == "session_started")
        return LineKind::SessionStarted;
    if (type == "diff")
        return LineKind::Diff;
    return LineKind::Unknown;
}

// Parses the `data` value of a line of a known kind.
error_code parseData(ondemand::value &dataValue, LineKind kind, unsigned detail, TxView &tx, ParsedLine &out,
                     const char *&problem)
{
    if (kind == LineKind::SessionStarted) {
        // {"session_id": "…"} or a bare string (§4.2, §8.2 item 3).
        problem = "bad session_started";
        json_type t;
        std::string_view id;
        SS_TRY(typeOf(dataValue, t));
        if (t == json_type::string) {
            SS_TRY(dataValue.get_string().get(id));
        } else if (t == json_type::object) {
            ondemand::object o;
            SS_TRY(dataValue.get_object().get(o));
            ondemand::value idValue;
            SS_TRY(o.find_field_unordered("session_id").get(idValue));
            SS_TRY(idValue.get_string().get(id));
        } else {
            return INCORRECT_TYPE;
        }
        out.sessionStartedId = toQString(id);
        return SUCCESS;
    }
    problem = "\"data\" is not an object";
    ondemand::object dataObject;
    SS_TRY(dataValue.get_object().get(dataObject));
    problem = "bad data";
    switch (kind) {
    case LineKind::Tx:
        if (const error_code e = parseTxObject(dataObject, detail, tx)) {
            if (!tx.badField.empty()) {
                // (Built a character at a time: GCC 12 -O3 warns of a
                // memcpy overlap, -Wrestrict, for assign + append here.)
                out.badField.clear();
                out.badField.reserve(tx.badField.size() + 2);
                out.badField.push_back('"');
                out.badField.append(tx.badField.data(), tx.badField.size());
                out.badField.push_back('"');
            }
            return e;
        }
        if (!tx.hasSlot || !tx.hasSignature) {
            problem = "tx without slot or signature";
            return NO_SUCH_FIELD;
        }
        return SUCCESS;
    case LineKind::Metadata:
        return parseMetadataObject(dataObject, out.metadata);
    case LineKind::Summary:
        return parseSummaryObject(dataObject, out.summary);
    default:
        return SUCCESS;
    }
}

} // namespace

void parseLine(ondemand::parser &parser, const char *data, size_t size, size_t capacity, unsigned detail,
               TxView &tx, ParsedLine &out)
{
    out.type.clear();
    out.problem.clear();
    out.badField.clear();
    if (isBlank(data, size)) {
        out.kind = LineKind::Blank;
        return;
    }
    auto malformed = [&out](const char *what, error_code e) {
        out.kind = LineKind::Malformed;
        out.problem = what;
        if (!out.badField.empty()) {
            out.problem += " in ";
            out.problem += out.badField;
        }
        if (e != SUCCESS && e != NO_SUCH_FIELD) {
            out.problem += ": ";
            out.problem += problemText(e);
        }
    };
    ondemand::document doc;
    if (auto e = parser.iterate(data, size, capacity).get(doc)) {
        malformed("not JSON", e);
        return;
    }
    ondemand::object env;
    if (auto e = doc.get_object().get(env)) {
        malformed("not a JSON object", e);
        return;
    }
    // Walk the envelope in order, so that a line cut anywhere (even just
    // before its final brace) is reported as malformed. serde writes `type`
    // first; a `data` before `type` is parsed in a second pass.
    bool sawType = false;
    bool sawData = false;
    bool dataFirst = false;
    LineKind kind = LineKind::Unknown;
    const char *problem = "bad data";
    for (auto fr : env) {
        ondemand::field f;
        std::string_view key;
        if (auto e = std::move(fr).get(f)) {
            malformed("not a complete JSON object", e);
            return;
        }
        if (auto e = f.unescaped_key().get(key)) {
            malformed("bad key", e);
            return;
        }
        if (key == "type" && !sawType) {
            std::string_view type;
            if (auto e = f.value().get_string().get(type)) {
                malformed("\"type\" is not a string", e);
                return;
            }
            out.type.assign(type);
            kind = kindOfType(type);
            sawType = true;
        } else if (key == "data" && !sawData) {
            sawData = true;
            if (!sawType) {
                dataFirst = true;
            } else if (kind != LineKind::Unknown && kind != LineKind::Diff) {
                ondemand::value dataValue = f.value();
                if (auto e = parseData(dataValue, kind, detail, tx, out, problem)) {
                    malformed(problem, e);
                    return;
                }
            }
        }
    }
    const char *rest = nullptr;
    if (doc.current_location().get(rest) != OUT_OF_BOUNDS) {
        malformed("trailing characters after the JSON object", TRAILING_CONTENT);
        return;
    }
    if (!sawType) {
        malformed("no \"type\"", SUCCESS);
        return;
    }
    if (kind == LineKind::Unknown || kind == LineKind::Diff) {
        out.kind = kind;
        return;
    }
    if (!sawData) {
        malformed("no \"data\"", SUCCESS);
        return;
    }
    if (dataFirst) {
        ondemand::document again;
        ondemand::object envAgain;
        ondemand::value dataValue;
        if (auto e = parser.iterate(data, size, capacity).get(again)) {
            malformed("not JSON", e);
            return;
        }
        if (auto e = again.get_object().get(envAgain)) {
            malformed("not a JSON object", e);
            return;
        }
        if (auto e = envAgain.find_field_unordered("data").get(dataValue)) {
            malformed("no \"data\"", e);
            return;
        }
        if (auto e = parseData(dataValue, kind, detail, tx, out, problem)) {
            malformed(problem, e);
            return;
        }
    }
    out.kind = kind;
}

error_code parseTxDocument(ondemand::parser &parser, const padded_string &json, unsigned detail, TxView &tx)
{
    ondemand::document doc;
    SS_TRY(parser.iterate(json).get(doc));
    ondemand::object obj;
    SS_TRY(doc.get_object().get(obj));
    SS_TRY(parseTxObject(obj, detail, tx));
    if (!tx.hasSlot || !tx.hasSignature)
        return NO_SUCH_FIELD;
    return SUCCESS;
}

error_code parseMetadataDocument(ondemand::parser &parser, const padded_string &json, CaptureMetadata &out)
{
    ondemand::document doc;
    SS_TRY(parser.iterate(json).get(doc));
    ondemand::object obj;
    SS_TRY(doc.get_object().get(obj));
    return parseMetadataObject(obj, out);
}

error_code parseSummaryDocument(ondemand::parser &parser, const padded_string &json, CaptureSummary &out)
{
    ondemand::document doc;
    SS_TRY(parser.iterate(json).get(doc));
    ondemand::object obj;
    SS_TRY(doc.get_object().get(obj));
    return parseSummaryObject(obj, out);
}

error_code rawOfTxLine(ondemand::parser &parser, const char *data, size_t size, size_t capacity,
                       std::string_view &raw)
{
    ondemand::document doc;
    SS_TRY(parser.iterate(data, size, capacity).get(doc));
    ondemand::object env;
    SS_TRY(doc.get_object().get(env));
    ondemand::value typeValue;
    SS_TRY(env.find_field_unordered("type").get(typeValue));
    std::string_view type;
    SS_TRY(typeValue.get_string().get(type));
    if (type != "tx")
        return INCORRECT_TYPE;
    ondemand::value dataValue;
    SS_TRY(env.find_field_unordered("data").get(dataValue));
    ondemand::object dataObject;
    SS_TRY(dataValue.get_object().get(dataObject));
    ondemand::value rawValue;
    SS_TRY(dataObject.find_field_unordered("raw").get(rawValue));
    json_type t;
    SS_TRY(typeOf(rawValue, t));
    if (t == json_type::null)
        return NO_SUCH_FIELD;
    return readText(rawValue, raw) ;
}

error_code parseEventLine(ondemand::parser &parser, const char *data, size_t size, size_t capacity, EventView &out)
{
    out = {};
    if (isBlank(data, size))
        return EMPTY;
    ondemand::document doc;
    SS_TRY(parser.iterate(data, size, capacity).get(doc));
    ondemand::object obj;
    SS_TRY(doc.get_object().get(obj));
    bool sawType = false;
    SS_TRY(forEachField(obj, [&out, &sawType](std::string_view key, ondemand::value &v) {
        if (key == "type") {
            SS_TRY(v.get_string().get(out.type));
            sawType = true;
        } else if (key == "session_id") {
            SS_TRY(readString(v, out.sessionId));
        } else if (key == "at") {
            SS_TRY(readString(v, out.at));
        } else if (key == "data") {
            json_type t;
            SS_TRY(typeOf(v, t));
            if (t == json_type::string) {
                // Keep the JSON text of a string value (with its quotes).
                out.dataJson = v.raw_json_token();
                while (!out.dataJson.empty() && out.dataJson.back() != '"')
                    out.dataJson.remove_suffix(1);
            } else {
                SS_TRY(readText(v, out.dataJson));
            }
            if (out.dataJson.empty())
                out.dataJson = "null";
        }
        return SUCCESS;
    }));
    if (!sawType)
        return NO_SUCH_FIELD;
    return SUCCESS;
}

namespace {

/// Decoded length of base64 text (padded or not): 3 bytes a quartet less the
/// '='s; an unpadded last pair or triple of characters holds 1 or 2 bytes.
quint64 base64DecodedLength(std::string_view blob)
{
    size_t padding = 0;
    while (padding < blob.size() && padding < 2 && blob[blob.size() - 1 - padding] == '=')
        ++padding;
    const size_t rest = blob.size() % 4;
    return blob.size() / 4 * 3 + (rest == 2 ? 1 : rest == 3 ? 2 : 0) - (rest == 0 ? padding : 0);
}

/// The data length an account's `data` says, as the RPC encodes it (UiAccountData):
/// ["<text>", "base64" | "base58"], a bare base58 string (binary/legacy), or
/// jsonParsed {parsed, program, space}. None for base64+zstd (compressed) or
/// anything else.
std::optional<quint64> dataLength(dom::element data)
{
    std::string_view blob, encoding;
    dom::array pair;
    if (data.get(pair) == SUCCESS) {
        if (pair.size() < 2 || pair.at(0).get(blob) != SUCCESS || pair.at(1).get(encoding) != SUCCESS)
            return std::nullopt;
        if (encoding == "base64")
            return base64DecodedLength(blob);
        if (encoding != "base58")
            return std::nullopt;
    } else if (data.get(blob) != SUCCESS) {
        uint64_t space;
        if (data["space"].get(space) == SUCCESS)
            return space;
        return std::nullopt;
    }
    if (blob.empty())
        return 0;
    if (const std::optional<QByteArray> bytes = base58Decode(QByteArrayView(blob.data(), qsizetype(blob.size()))))
        return quint64(bytes->size());
    return std::nullopt;
}

/// The first of `keys` in `parent` that holds an object.
bool objectField(dom::object parent, std::initializer_list<std::string_view> keys, dom::object &out)
{
    for (std::string_view key : keys) {
        if (parent[key].get(out) == SUCCESS)
            return true;
    }
    return false;
}

AccountStateView accountState(dom::object parent, std::initializer_list<std::string_view> keys)
{
    AccountStateView s;
    dom::object o;
    if (!objectField(parent, keys, o))
        return s;
    s.present = true;
    uint64_t n;
    if (o["lamports"].get(n) == SUCCESS)
        s.lamports = n;
    std::string_view owner;
    if (o["owner"].get(owner) == SUCCESS)
        s.owner = owner;
    if (o["space"].get(n) == SUCCESS) {
        s.dataLen = n;
    } else if (dom::element data; o["data"].get(data) == SUCCESS) {
        s.dataLen = dataLength(data);
    }
    return s;
}

} // namespace

namespace {

/// `json` with every number simdjson cannot hold (an integer beyond 64 bits,
/// a double beyond ±1.8e308) replaced by null; strings are left alone.
std::string withUnholdableNumbersNulled(std::string_view json)
{
    std::string out;
    out.reserve(json.size());
    bool inString = false;
    for (size_t i = 0; i < json.size();) {
        const char c = json[i];
        if (inString) {
            out += c;
            if (c == '\\' && i + 1 < json.size()) {
                out += json[i + 1];
                i += 2;
                continue;
            }
            inString = c != '"';
            ++i;
            continue;
        }
        if (c == '"') {
            inString = true;
            out += c;
            ++i;
            continue;
        }
        if (c != '-' && (c < '0' || c > '9')) {
            out += c;
            ++i;
            continue;
        }
        size_t end = i + 1;
        while (end < json.size() && (std::isdigit(static_cast<unsigned char>(json[end])) || json[end] == '.'
                                     || json[end] == 'e' || json[end] == 'E' || json[end] == '+' || json[end] == '-'))
            ++end;
        const std::string_view token = json.substr(i, end - i);
        const bool integral = token.find_first_of(".eE") == std::string_view::npos;
        bool holdable;
        if (integral) {
            uint64_t u;
            int64_t n;
            holdable = std::from_chars(token.data(), token.data() + token.size(), u).ec == std::errc()
                       || std::from_chars(token.data(), token.data() + token.size(), n).ec == std::errc();
        } else {
            double d;
            const auto [ptr, ec] = std::from_chars(token.data(), token.data() + token.size(), d);
            holdable = ec == std::errc() && std::isfinite(d);
        }
        out += holdable ? token : std::string_view("null");
        i = end;
    }
    return out;
}

} // namespace

error_code parseLeniently(dom::parser &parser, std::string_view json, bool padded, dom::element &out)
{
    const error_code error = parser.parse(json.data(), json.size(), !padded).get(out);
    if (error != NUMBER_ERROR && error != NUMBER_OUT_OF_RANGE)
        return error;
    const std::string nulled = withUnholdableNumbersNulled(json);
    return parser.parse(nulled.data(), nulled.size(), true).get(out);
}

void readAccountDiff(dom::object data, AccountDiffView &out)
{
    out = {};
    uint64_t n;
    if (data["slot"].get(n) == SUCCESS || data.at_pointer("/context/slot").get(n) == SUCCESS)
        out.slot = n;
    if (data["signature"].get(out.signature) != SUCCESS)
        out.signature = {};
    if (data["account"].get(out.account) != SUCCESS && data["pubkey"].get(out.account) != SUCCESS)
        out.account = {}; // both spellings (CAPTURE_FORMAT §8.2 item 3)
    // Both casings of every multi-word key (PROTOCOL-0.31.md §2.3).
    out.pre = accountState(data, {"pre", "pre_state", "preState"});
    out.post = accountState(data, {"post", "post_state", "postState"});
}

void toAccountDiffRecord(const AccountDiffView &view, const QString &sessionId, AccountDiffRecord &out)
{
    out = {};
    out.sessionId = sessionId;
    out.slot = view.slot;
    out.signature = toQString(view.signature);
    out.account = toQString(view.account);
    out.preExists = view.pre.present;
    out.postExists = view.post.present;
    out.preLamports = view.pre.lamports;
    out.postLamports = view.post.lamports;
    out.preOwner = toQString(view.pre.owner);
    out.postOwner = toQString(view.post.owner);
    out.preDataLen = view.pre.dataLen;
    out.postDataLen = view.post.dataLen;
}

QStringList toQStringList(const std::vector<std::string_view> &list)
{
    QStringList result;
    result.reserve(qsizetype(list.size()));
    for (const auto &s : list)
        result.append(toQString(s));
    return result;
}

void toCapturedTransaction(const TxView &v, CapturedTransaction &out)
{
    out.sessionId = toQString(v.sessionId);
    out.slot = v.slot;
    out.signature = toQString(v.signature);
    out.success = v.success;
    out.error = toQString(v.error);
    out.fee = v.fee;
    out.computeUnitsConsumed = v.computeUnitsConsumed;
    out.blockTime = v.effectiveBlockTime();
    out.transactionIndex = v.transactionIndex;
    out.feePayer = toQString(v.feePayer);
    out.programIds = toQStringList(v.programIds);
    out.logs = toQStringList(v.logs);
    out.solChanges.clear();
    out.solChanges.reserve(qsizetype(v.solChanges.size()));
    for (const auto &c : v.solChanges)
        out.solChanges.append(SolChange{toQString(c.account), c.pre, c.post});
    out.tokenChanges.clear();
    out.tokenChanges.reserve(qsizetype(v.tokenChanges.size()));
    for (const auto &c : v.tokenChanges)
        out.tokenChanges.append(TokenChange{toQString(c.account), toQString(c.mint), toQString(c.owner),
                                            c.pre, c.post, c.decimals});
}

} // namespace SlotScope::Internal
