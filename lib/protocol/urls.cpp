#include "protocol/urls.h"

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

} // namespace

QString backtestWsUrl(const QString &input)
{
    QString url = input.trimmed();
    if (url.isEmpty())
        return url;

    if (!startsWithScheme(url, "ws://"_L1) && !startsWithScheme(url, "wss://"_L1)) {
        if (url.contains("://"_L1))
            return url; // another scheme: passed through untouched (PROTOCOL.md §1.1)
        url.prepend("wss://"_L1); // a bare host
    }

    while (url.endsWith(u'/'))
        url.chop(1);

    // Only the path counts: "ws://backtest" is a host named "backtest".
    const qsizetype pathStart = url.indexOf(u'/', authorityStart(url));
    const bool hasBacktestPath = pathStart >= 0 && url.sliced(pathStart).endsWith("/backtest"_L1);
    if (!hasBacktestPath)
        url.append("/backtest"_L1);
    return url;
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
    const qsizetype cut = url.indexOf(u'/', authorityStart(url));
    if (cut >= 0)
        url.truncate(cut);
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
                         .arg(httpUrl));
}

Result<QString> subscriptionWsUrl(const QString &controlWsUrl, const QString &rpcEndpoint)
{
    // Lenient extra: a server that already reports a WebSocket endpoint is taken as is.
    if (startsWithScheme(rpcEndpoint, "ws://"_L1) || startsWithScheme(rpcEndpoint, "wss://"_L1))
        return rpcEndpoint;
    return httpToWsUrl(resolveRpcUrl(httpBaseFromWsUrl(controlWsUrl), rpcEndpoint));
}

} // namespace SlotScope
