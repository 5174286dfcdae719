#include "protocol/urls.h"

#include <QList>
#include <QRegularExpression>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace SlotScope {

namespace {

bool startsWithScheme(const QString &url, QLatin1StringView scheme)
{
    return url.startsWith(scheme, Qt::CaseInsensitive);
}

// Index where the authority of `url` starts (just after "://"), or 0 when the
// text has no scheme.
qsizetype authorityStart(const QString &url)
{
    const qsizetype sep = url.indexOf("://"_L1);
    return sep < 0 ? 0 : sep + 3;
}

/// Index of the first of `chars` in `url` at or after `from`; url.size() when none.
qsizetype firstOf(const QString &url, qsizetype from, QStringView chars)
{
    for (qsizetype i = from; i < url.size(); ++i) {
        if (chars.contains(url.at(i)))
            return i;
    }
    return url.size();
}

/// Length of the `host[:port]` part of a scheme-less address.
qsizetype hostEnd(const QString &text)
{
    return firstOf(text, 0, u"/");
}

/// `host`, `host:port` or `[v6]:port`, optionally followed by "/" or "/backtest"
/// (with or without a trailing "/"): what a user types for a server.
bool isBareHost(const QString &text)
{
    const qsizetype end = hostEnd(text);
    QStringView rest = QStringView(text).sliced(end);
    while (rest.endsWith(u'/'))
        rest.chop(1);
    if (!rest.isEmpty() && rest != u"/backtest")
        return false;

    QStringView host = QStringView(text).first(end);
    QStringView port;
    if (host.startsWith(u'[')) { // [IPv6]
        const qsizetype close = host.indexOf(u']');
        if (close < 2)
            return false;
        for (const QChar c : host.sliced(1, close - 1)) {
            if (!(c.isDigit() || (c.toLower() >= u'a' && c.toLower() <= u'f') || c == u':' || c == u'.'))
                return false;
        }
        const QStringView after = host.sliced(close + 1);
        if (!after.isEmpty() && !after.startsWith(u':'))
            return false;
        port = after.isEmpty() ? QStringView() : after.sliced(1);
        if (!after.isEmpty() && port.isEmpty())
            return false;
    } else {
        const qsizetype colon = host.indexOf(u':');
        if (colon >= 0) {
            port = host.sliced(colon + 1);
            host = host.first(colon);
            if (port.isEmpty())
                return false;
        }
        if (host.isEmpty())
            return false;
        for (const QChar c : host) {
            if (!(c.isLetterOrNumber() || c == u'.' || c == u'-' || c == u'_'))
                return false;
        }
    }
    if (port.size() > 5)
        return false;
    for (const QChar c : port) {
        if (!c.isDigit())
            return false;
    }
    return true;
}

} // namespace

namespace {

/// controlWsUrl() without the final check that the result parses as a URL.
Result<QString> normaliseControlWsUrl(const QString &input)
{
    QString url = input.trimmed();
    if (url.isEmpty())
        return makeError(u"no server address given"_s);

    const qsizetype schemeEnd = url.indexOf("://"_L1);
    if (schemeEnd < 0) {
        if (!isBareHost(url))
            return makeError(u"\"%1\" is not a server address: give a host name (\"sim.example.com\", "
                             "\"localhost:8900\") or a ws:// or wss:// URL"_s.arg(redactedUrl(url)));
        QString host = url.first(hostEnd(url));
        return QString(u"wss://"_s + host + u"/backtest"_s);
    }
    if (!startsWithScheme(url, "ws://"_L1) && !startsWithScheme(url, "wss://"_L1))
        return makeError(u"\"%1\": unsupported scheme \"%2\"; use ws:// or wss:// (or just the host name)"_s
                             .arg(redactedUrl(url), url.first(schemeEnd)));
    url.replace(0, schemeEnd, url.first(schemeEnd).toLower()); // WS:// works as ws:// does

    const qsizetype authority = schemeEnd + 3;
    const qsizetype suffixStart = firstOf(url, authority, u"?#");
    qsizetype pathStart = firstOf(url, authority, u"/");
    if (pathStart > suffixStart)
        pathStart = suffixStart;
    if (pathStart == authority)
        return makeError(u"\"%1\" has no host"_s.arg(redactedUrl(url)));

    QStringView path = QStringView(url).sliced(pathStart, suffixStart - pathStart);
    while (path.endsWith(u'/'))
        path.chop(1);
    const bool hasBacktestSegment = path.split(u'/').contains(QStringView(u"backtest"));
    return QString(QStringView(url).first(pathStart) + path + (hasBacktestSegment ? QString() : u"/backtest"_s)
                   + QStringView(url).sliced(suffixStart));
}

} // namespace

Result<QString> controlWsUrl(const QString &input)
{
    Result<QString> url = normaliseControlWsUrl(input);
    if (!url)
        return url;
    // What the connection will parse: a port past 65535 or with letters, a
    // malformed host.
    const QUrl parsed(*url, QUrl::StrictMode);
    if (!parsed.isValid() || parsed.host().isEmpty()) {
        // Qt's text goes on with "; source was …; scheme = …": its first clause says it.
        const QString why = parsed.errorString().section(u';', 0, 0).trimmed();
        // Qt's clause never quotes the URL; ours shows it without its credentials.
        const QString shown = redactedUrl(input.trimmed());
        return makeError(why.isEmpty() ? u"\"%1\" is not a valid URL"_s.arg(shown)
                                       : u"\"%1\" is not a valid URL: %2"_s.arg(shown, why));
    }
    return url;
}

QString redactedUrl(const QString &url)
{
    static const QStringList credentialKeys{
        u"token"_s,      u"access_token"_s, u"auth_token"_s, u"api_token"_s, u"id_token"_s, u"refresh_token"_s,
        u"x-token"_s,    u"api_key"_s,      u"api-key"_s,    u"apikey"_s,    u"x-api-key"_s, u"x_api_key"_s,
        u"key"_s,        u"auth"_s,         u"authorization"_s, u"secret"_s, u"client_secret"_s,
        u"password"_s,   u"passwd"_s,       u"pass"_s,       u"pwd"_s,       u"jwt"_s,       u"sig"_s,
        u"signature"_s,  u"session_token"_s};
    QString out = url;
    // The user info of the authority: a password after "user:", or the whole
    // of it when it has no ":" (a token pasted as "wss://TOKEN@host").
    const qsizetype authority = authorityStart(out);
    const qsizetype authorityEnd = firstOf(out, authority, u"/?#");
    if (const qsizetype at = authorityEnd > authority ? out.lastIndexOf(u'@', authorityEnd - 1) : -1;
        at >= authority) {
        if (const qsizetype colon = out.indexOf(u':', authority); colon >= 0 && colon < at)
            out.replace(colon + 1, at - colon - 1, u"…"_s);
        else if (at > authority)
            out.replace(authority, at - authority, u"…"_s);
    }
    const qsizetype query = out.indexOf(u'?');
    if (query < 0)
        return out;
    qsizetype end = out.indexOf(u'#', query);
    if (end < 0)
        end = out.size();
    QString rebuilt;
    for (const QStringView item : QStringView(out).sliced(query + 1, end - query - 1).split(u'&')) {
        if (!rebuilt.isEmpty())
            rebuilt += u'&';
        const qsizetype equals = item.indexOf(u'=');
        const QStringView name = equals < 0 ? item : item.first(equals);
        // "api%5Fkey" names what "api_key" does.
        const QString decoded = QUrl::fromPercentEncoding(name.toUtf8().replace('+', ' ')).trimmed().toLower();
        if (equals >= 0 && credentialKeys.contains(decoded))
            rebuilt += name + u"=…"_s;
        else
            rebuilt += item;
    }
    return out.first(query + 1) + rebuilt + out.sliced(end);
}

QString redactedUrlsIn(const QString &text)
{
    // A URL runs from its scheme to the next white space or quote.
    static const QRegularExpression url(uR"([A-Za-z][A-Za-z0-9+.\-]*://[^\s"'<>]+)"_s);
    QString out;
    qsizetype done = 0;
    for (QRegularExpressionMatchIterator it = url.globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch match = it.next();
        out += QStringView(text).sliced(done, match.capturedStart() - done);
        out += redactedUrl(match.captured());
        done = match.capturedEnd();
    }
    return out + QStringView(text).sliced(done);
}

Result<void> validateApiKey(const QString &key)
{
    for (const QChar c : key) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            return makeError(u"the API key contains a line break or another control character (a key read from a "
                             "file keeps its newline); it cannot be sent"_s);
        if (c.unicode() > 0x7e)
            return makeError(u"the API key contains a character that is not ASCII; it cannot be sent"_s);
    }
    return {};
}

QString backtestWsUrl(const QString &input)
{
    Result<QString> url = controlWsUrl(input);
    return url ? std::move(url).value() : input.trimmed();
}

QString httpBaseFromWsUrl(const QString &wsUrl)
{
    QString url = wsUrl;
    qsizetype at = url.indexOf("wss://"_L1);
    if (at >= 0) {
        url.replace(at, 6, "https://"_L1);
    } else if ((at = url.indexOf("ws://"_L1)) >= 0) {
        url.replace(at, 5, "http://"_L1);
    }
    url.truncate(firstOf(url, authorityStart(url), u"/?#"));
    return url;
}

QString resolveRpcUrl(const QString &httpBase, const QString &rpcEndpoint)
{
    if (rpcEndpoint.startsWith("http://"_L1) || rpcEndpoint.startsWith("https://"_L1))
        return rpcEndpoint;
    qsizetype skip = 0;
    while (skip < rpcEndpoint.size() && rpcEndpoint.at(skip) == u'/')
        ++skip;
    return httpBase + u'/' + QStringView(rpcEndpoint).sliced(skip);
}

Result<QString> httpToWsUrl(const QString &httpUrl)
{
    if (startsWithScheme(httpUrl, "https://"_L1))
        return QString(u"wss://"_s + QStringView(httpUrl).sliced(8));
    if (startsWithScheme(httpUrl, "http://"_L1))
        return QString(u"ws://"_s + QStringView(httpUrl).sliced(7));
    return makeError(u"cannot derive a WebSocket URL from \"%1\": expected an http:// or https:// URL"_s
                         .arg(redactedUrl(httpUrl)));
}

Result<QString> subscriptionWsUrl(const QString &controlWsUrl, const QString &rpcEndpoint)
{
    // Lenient extra: a server that already reports a WebSocket endpoint is taken as is.
    if (startsWithScheme(rpcEndpoint, "ws://"_L1) || startsWithScheme(rpcEndpoint, "wss://"_L1))
        return rpcEndpoint;
    return httpToWsUrl(resolveRpcUrl(httpBaseFromWsUrl(controlWsUrl), rpcEndpoint));
}

bool carriesCredential(const QString &url)
{
    return redactedUrl(url) != url;
}

} // namespace SlotScope
