#include "protocol/json.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

#include <cmath>

using namespace Qt::StringLiterals;

namespace SlotScope::Json {

// ---------------------------------------------------------------------------
// Writer

Writer &Writer::key(QStringView name)
{
    separate();
    Internal::appendJsonString(*m_out, name);
    m_out->append(':');
    m_comma = false;
    return *this;
}

Writer &Writer::json(const QJsonValue &value)
{
    separate();
    m_out->append(compact(value));
    return valueDone();
}

Writer &Writer::stringList(const QStringList &list)
{
    beginArray();
    for (const QString &s : list)
        string(s);
    return endArray();
}

Writer &Writer::optionalStringList(const QList<std::optional<QString>> &list)
{
    beginArray();
    for (const std::optional<QString> &item : list)
        optionalString(item);
    return endArray();
}

QByteArray compact(const QJsonValue &value)
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
        Internal::appendJsonString(out, value.toString());
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

// ---------------------------------------------------------------------------
// Lenient reading

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

Result<QJsonObject> parseObject(QByteArrayView utf8, QLatin1StringView what)
{
    if (utf8.trimmed().isEmpty())
        return makeError(u"empty frame"_s);
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromRawData(utf8.data(), utf8.size()),
                                                      &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return makeError(u"not valid JSON: %1 at offset %2"_s.arg(parseError.errorString()).arg(parseError.offset));
    if (!doc.isObject())
        return makeError(u"%1 is not a JSON object"_s.arg(what));
    return doc.object();
}

// ---------------------------------------------------------------------------
// FieldReader

void FieldReader::fail(const QString &message)
{
    if (m_error.isEmpty())
        m_error = m_context.isEmpty() ? message : m_context + u": "_s + message;
}

void FieldReader::failMissing(const QString &name)
{
    fail(u"missing field \"%1\""_s.arg(name));
}

void FieldReader::failType(const QString &name, QLatin1StringView expected)
{
    fail(u"field \"%1\" must be %2"_s.arg(name, expected));
}

void FieldReader::failRange(const QString &name, quint64 max)
{
    fail(u"field \"%1\" is out of range (max %2)"_s.arg(name).arg(max));
}

QJsonObject FieldReader::object(const QJsonValue &value, QLatin1StringView what)
{
    if (!value.isObject()) {
        fail(isAbsent(value) ? u"missing %1"_s.arg(what) : u"%1 must be an object"_s.arg(what));
        return {};
    }
    return value.toObject();
}

void FieldReader::readString(const QJsonObject &o, QLatin1StringView name, QString &out)
{
    const QJsonValue v = lookup(o, name);
    if (!v.isString()) {
        isAbsent(v) ? failMissing(name) : failType(name, "a string"_L1);
        return;
    }
    out = v.toString();
}

void FieldReader::readOptionalString(const QJsonObject &o, QLatin1StringView name, std::optional<QString> &out)
{
    const QJsonValue v = lookup(o, name);
    out.reset();
    if (isAbsent(v))
        return;
    if (!v.isString()) {
        failType(name, "a string or null"_L1);
        return;
    }
    out = v.toString();
}

void FieldReader::readBool(const QJsonObject &o, QLatin1StringView name, bool &out)
{
    const QJsonValue v = lookup(o, name);
    if (isAbsent(v))
        return;
    if (!v.isBool()) {
        failType(name, "true or false"_L1);
        return;
    }
    out = v.toBool();
}

void FieldReader::readStringList(const QJsonObject &o, QLatin1StringView name, QStringList &out, bool binaryObjects)
{
    const QJsonValue v = lookup(o, name);
    out.clear();
    if (isAbsent(v))
        return;
    if (!v.isArray()) {
        failType(name, "an array"_L1);
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

QList<std::optional<QString>> FieldReader::optionalStringList(const QJsonObject &o, QLatin1StringView name)
{
    QList<std::optional<QString>> out;
    const QJsonValue v = lookup(o, name);
    if (isAbsent(v))
        return out;
    if (!v.isArray()) {
        failType(name, "an array"_L1);
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

// ---------------------------------------------------------------------------

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

} // namespace SlotScope::Json
