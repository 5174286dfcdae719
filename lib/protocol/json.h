#pragma once

// One JSON writer and one lenient reader for every codec of SlotScope: the
// control plane (controlmessages, backtesterror), the data plane (dataplane)
// and the capture files (lib/capture). PROTOCOL.md §2.2: strict in what we
// send, lenient in what we accept.
//
// Writer: compact JSON written straight into a QByteArray, keys in the order
// they are written (serde's field declaration order, which QJsonObject cannot
// keep), integers exact (never through double), strings escaped per RFC 8259
// (jsonencoding.h).
//
// Reader: helpers over QJsonObject that accept both casings of a multi-word
// key ("session_id" / "sessionId"), null for an absent optional, and variant
// names in any casing; FieldReader collects the first error of a decode as a
// value ("field \"slot\" must be a non-negative integer").

#include "protocol/jsonencoding.h"
#include "protocol/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <limits>
#include <optional>
#include <string_view>

namespace SlotScope::Json {

// ---------------------------------------------------------------------------
// Writing

/// Streaming writer of compact JSON. Stateless about nesting: a comma is due
/// after any value, never after an opening bracket or a key, so objects and
/// arrays nest freely. Keys given as QLatin1StringView are written verbatim
/// (they are our own field names and need no escaping); every other text is
/// escaped. Methods return the writer so a member reads as one line:
/// `w.key("slot"_L1).u64(slot);`.
class Writer
{
public:
    /// Writes into an owned buffer; take() hands it over.
    Writer() : m_out(&m_own) {}
    /// Appends to `out` (the capture writer's line buffer).
    explicit Writer(QByteArray &out) : m_out(&out) {}
    Writer(const Writer &) = delete;
    Writer &operator=(const Writer &) = delete;

    Writer &beginObject() { return open('{'); }
    Writer &endObject() { return close('}'); }
    Writer &beginArray() { return open('['); }
    Writer &endArray() { return close(']'); }

    Writer &key(QLatin1StringView name)
    {
        separate();
        m_out->append('"').append(name.data(), name.size()).append("\":", 2);
        m_comma = false;
        return *this;
    }
    Writer &key(QStringView name);

    Writer &string(QStringView text) { separate(); Internal::appendJsonString(*m_out, text); return valueDone(); }
    Writer &string(const QString &text) { return string(QStringView(text)); }
    /// Already UTF-8 text (simdjson views, capture fields); escaped like any string.
    Writer &string(std::string_view utf8) { separate(); Internal::appendJsonString(*m_out, utf8); return valueDone(); }
    /// A Latin-1 literal of ours (no escaping needed).
    Writer &string(QLatin1StringView text)
    {
        separate();
        m_out->append('"').append(text.data(), text.size()).append('"');
        return valueDone();
    }
    Writer &u64(quint64 value) { separate(); Internal::appendUInt(*m_out, value); return valueDone(); }
    Writer &i64(qint64 value) { separate(); Internal::appendInt(*m_out, value); return valueDone(); }
    Writer &boolean(bool value)
    {
        separate();
        value ? m_out->append("true", 4) : m_out->append("false", 5);
        return valueDone();
    }
    Writer &null() { separate(); m_out->append("null", 4); return valueDone(); }
    /// A pass-through value (account modifications, unknown filters, reroute
    /// stats) in compact form; integers below 2^63 stay exact. Undefined → null.
    Writer &json(const QJsonValue &value);
    /// Already serialised JSON (one value), written verbatim.
    Writer &raw(QByteArrayView json) { separate(); m_out->append(json.data(), json.size()); return valueDone(); }
    Writer &optionalString(const std::optional<QString> &value) { return value ? string(*value) : null(); }
    Writer &optionalU64(const std::optional<quint64> &value) { return value ? u64(*value) : null(); }
    Writer &stringList(const QStringList &list);
    Writer &optionalStringList(const QList<std::optional<QString>> &list);
    template<typename Unsigned>
    Writer &u64List(const QList<Unsigned> &list)
    {
        beginArray();
        for (const Unsigned value : list)
            u64(quint64(value));
        return endArray();
    }

    /// `"name":value` only when `value` is set (serde skip_serializing_if).
    template<typename Unsigned>
    Writer &skipIfUnset(QLatin1StringView name, const std::optional<Unsigned> &value)
    {
        if (value)
            key(name).u64(quint64(*value));
        return *this;
    }
    Writer &skipIfUnset(QLatin1StringView name, const std::optional<QString> &value)
    {
        if (value)
            key(name).string(*value);
        return *this;
    }

    QByteArray &buffer() { return *m_out; }
    /// The written text (moves the owned buffer out; empty when writing into a caller's buffer).
    QByteArray take() { return std::move(m_own); }

private:
    Writer &open(char bracket)
    {
        separate();
        m_out->append(bracket);
        m_comma = false;
        return *this;
    }
    Writer &close(char bracket)
    {
        m_out->append(bracket);
        return valueDone();
    }
    void separate()
    {
        if (m_comma)
            m_out->append(',');
    }
    Writer &valueDone()
    {
        m_comma = true;
        return *this;
    }

    QByteArray m_own;
    QByteArray *m_out;
    bool m_comma = false;
};

/// Compact JSON text of any value (a bare string, number, … too). Undefined → "null".
QByteArray compact(const QJsonValue &value);

// ---------------------------------------------------------------------------
// Lenient reading (PROTOCOL.md §2.2, PROTOCOL-0.31.md §2.3)

/// "session_id" → "sessionId", "startSlot" → "start_slot".
QString otherCasing(QLatin1StringView name);
/// The value of `name` or of its other casing; Undefined when neither is present.
QJsonValue lookup(const QJsonObject &object, QLatin1StringView name);
/// Absent or null (serde's None).
inline bool isAbsent(const QJsonValue &value) { return value.isUndefined() || value.isNull(); }
/// Exact for every integer below 2^63 (Qt keeps them as qint64); larger u64
/// values only arrive as doubles and are taken as such. Negative and
/// fractional numbers, and non-numbers, give nullopt.
std::optional<quint64> asU64(const QJsonValue &value);
/// Wire variant/method names compared case-insensitively, ignoring '_'
/// ("InvalidRequest", "invalid_request" and "invalidRequest" all match "invalidRequest").
bool sameVariant(QStringView received, QLatin1StringView canonical);

/// Parse a whole frame as one JSON object. Errors: "empty frame", "not valid
/// JSON: <reason> at offset <n>", "<what> is not a JSON object".
Result<QJsonObject> parseObject(QByteArrayView utf8, QLatin1StringView what);

/// Reads the fields of one message, keeping the first error (prefixed with a
/// context such as the method name). Readers leave the output untouched on
/// an absent optional field and fail on a present field of the wrong type.
class FieldReader
{
public:
    explicit FieldReader(QString context = {}) : m_context(std::move(context)) {}

    bool ok() const { return m_error.isEmpty(); }
    const QString &error() const { return m_error; }
    void fail(const QString &message);

    /// `value` as an object; "missing <what>" / "<what> must be an object" otherwise.
    QJsonObject object(const QJsonValue &value, QLatin1StringView what);

    template<typename T>
    void readUnsigned(const QJsonObject &o, QLatin1StringView name, T &out, bool required)
    {
        const QJsonValue v = lookup(o, name);
        if (isAbsent(v)) {
            if (required)
                failMissing(name);
            return;
        }
        if (const auto n = checkedUnsigned<T>(v, name))
            out = *n;
    }
    template<typename T>
    void readOptionalUnsigned(const QJsonObject &o, QLatin1StringView name, std::optional<T> &out)
    {
        const QJsonValue v = lookup(o, name);
        out.reset();
        if (!isAbsent(v))
            out = checkedUnsigned<T>(v, name);
    }
    template<typename T>
    std::optional<T> checkedUnsigned(const QJsonValue &v, const QString &name)
    {
        const std::optional<quint64> n = asU64(v);
        if (!n) {
            failType(name, QLatin1StringView("a non-negative integer"));
            return std::nullopt;
        }
        if (*n > quint64(std::numeric_limits<T>::max())) {
            failRange(name, quint64(std::numeric_limits<T>::max()));
            return std::nullopt;
        }
        return T(*n);
    }
    template<typename T>
    QList<T> unsignedList(const QJsonValue &v, QLatin1StringView name)
    {
        QList<T> out;
        if (!v.isArray()) {
            failType(name, QLatin1StringView("an array"));
            return out;
        }
        for (const QJsonValue &item : v.toArray()) {
            const std::optional<T> n = checkedUnsigned<T>(item, name);
            if (!n)
                return {};
            out.append(*n);
        }
        return out;
    }
    /// Absent → nullopt; present → the list (an error when malformed).
    template<typename T>
    std::optional<QList<T>> optionalUnsignedList(const QJsonObject &o, QLatin1StringView name)
    {
        const QJsonValue v = lookup(o, name);
        if (isAbsent(v))
            return std::nullopt;
        return unsignedList<T>(v, name);
    }

    void readString(const QJsonObject &o, QLatin1StringView name, QString &out);
    void readOptionalString(const QJsonObject &o, QLatin1StringView name, std::optional<QString> &out);
    void readBool(const QJsonObject &o, QLatin1StringView name, bool &out);
    /// Absent or null → empty. `binaryObjects` also accepts EncodedBinary
    /// objects ({"data": "<base64>", "encoding": "base64"}) and keeps `data`.
    void readStringList(const QJsonObject &o, QLatin1StringView name, QStringList &out, bool binaryObjects = false);
    /// Absent or null → empty; items may be strings or null.
    QList<std::optional<QString>> optionalStringList(const QJsonObject &o, QLatin1StringView name);

private:
    void failMissing(const QString &name);
    void failType(const QString &name, QLatin1StringView expected);
    void failRange(const QString &name, quint64 max);

    QString m_context;
    QString m_error;
};

// ---------------------------------------------------------------------------
// Text for people

/// Server-provided text made safe for one log/console line: tabs and line
/// breaks become spaces, and anything over 400 characters is cut with "…".
QString oneLine(QString text);

} // namespace SlotScope::Json
