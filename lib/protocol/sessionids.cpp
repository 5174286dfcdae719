#include "protocol/sessionids.h"

#include <QUuid>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace SlotScope {

namespace {

constexpr QLatin1StringView kPrefixes[] = {"backtest_"_L1, "parallel_"_L1};

/// The prefix of `id` ("backtest_" / "parallel_"), empty when it has none.
QStringView prefixOf(QStringView id)
{
    for (QLatin1StringView prefix : kPrefixes) {
        if (id.startsWith(prefix))
            return id.first(prefix.size());
    }
    return {};
}

bool isHex(QChar c)
{
    return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F');
}

bool isUuid(QStringView text)
{
    if (text.size() == 32)
        return std::all_of(text.begin(), text.end(), isHex);
    if (text.size() != 36)
        return false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const bool hyphen = i == 8 || i == 13 || i == 18 || i == 23;
        if (hyphen ? text[i] != u'-' : !isHex(text[i]))
            return false;
    }
    return true;
}

bool isNameCharacter(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'.' || c == u'_' || c == u'-';
}

bool isAlphanumeric(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9');
}

/// "'!'", "a space" or "U+0009" (a character that does not print).
QString quoted(QChar c)
{
    if (c == u' ')
        return u"a space"_s;
    if (c.isPrint() && !c.isSpace())
        return u'\'' + QString(c) + u'\'';
    return u"U+"_s + QString::number(c.unicode(), 16).rightJustified(4, u'0').toUpper();
}

} // namespace

bool isSessionId(QStringView id)
{
    return isUuid(id.sliced(prefixOf(id).size()));
}

QString sessionIdKey(QStringView id)
{
    QString key;
    key.reserve(id.size());
    for (const QChar c : id.sliced(prefixOf(id).size())) {
        if (c != u'-')
            key.append(c.toLower());
    }
    return key;
}

bool sameSessionId(QStringView a, QStringView b)
{
    return a == b || sessionIdKey(a) == sessionIdKey(b);
}

QString sessionIdLabel(QStringView id)
{
    if (!isSessionId(id))
        return id.toString();
    return prefixOf(id).toString() + u"…"_s + sessionIdKey(id).right(8);
}

Result<QString> validateSessionName(const QString &input)
{
    const QString name = input.trimmed().toLower();
    if (name.isEmpty())
        return makeError(u"session name is empty"_s);
    constexpr qsizetype maxLength = 100;
    if (name.size() > maxLength)
        return makeError(u"session name is %1 characters long; at most %2 are allowed"_s.arg(name.size()).arg(maxLength));
    for (const QChar c : name) {
        if (!isNameCharacter(c))
            return makeError(u"session name \"%1\": %2 is not allowed; use a–z, 0–9, '.', '_' and '-'"_s.arg(input.trimmed(), quoted(c)));
    }
    if (!isAlphanumeric(name.front()) || !isAlphanumeric(name.back()))
        return makeError(u"session name \"%1\" must start and end with a letter or a digit"_s.arg(input.trimmed()));
    return name;
}

QString newCreateToken()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

} // namespace SlotScope
