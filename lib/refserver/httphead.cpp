#include "refserver/httphead.h"

namespace SlotScope::Internal {

std::optional<QByteArray> HttpRequestHead::header(QByteArrayView name) const
{
    for (const auto &[key, value] : headers) {
        if (QByteArrayView(key).compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return std::nullopt;
}

bool HttpRequestHead::isWebSocketUpgrade() const
{
    const auto upgrade = header("Upgrade");
    return upgrade && upgrade->trimmed().toLower() == "websocket";
}

namespace {

/// RFC 9110 §5.6.2 `tchar`: what an HTTP method may consist of.
bool isTokenChar(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
           || QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

} // namespace

HttpHeadStatus parseHttpRequestHead(QByteArrayView bytes, HttpRequestHead *head)
{
    // Whatever does not start with a method token and a space is no HTTP
    // request (a TLS ClientHello of a wss:// client, say): say so at once
    // instead of waiting for a blank line that never comes.
    for (qsizetype i = 0; i < bytes.size() && bytes.at(i) != ' '; ++i) {
        if (!isTokenChar(bytes.at(i)) || i >= 32)
            return HttpHeadStatus::Malformed;
    }
    const qsizetype end = bytes.indexOf(QByteArrayView("\r\n\r\n"));
    if (end < 0)
        return bytes.size() > MaxHttpHeadSize ? HttpHeadStatus::Malformed : HttpHeadStatus::Incomplete;
    if (end + 4 > MaxHttpHeadSize)
        return HttpHeadStatus::Malformed;

    const QList<QByteArray> lines = bytes.first(end).toByteArray().split('\n');
    if (lines.isEmpty())
        return HttpHeadStatus::Malformed;

    const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
    if (requestLine.size() != 3 || !requestLine.at(2).startsWith("HTTP/") || requestLine.at(0).isEmpty()
        || !requestLine.at(1).startsWith('/')) {
        return HttpHeadStatus::Malformed;
    }

    HttpRequestHead result;
    result.method = requestLine.at(0);
    result.target = requestLine.at(1);
    const qsizetype query = result.target.indexOf('?');
    result.path = query < 0 ? result.target : result.target.left(query);
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        if (line.isEmpty())
            continue;
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return HttpHeadStatus::Malformed;
        result.headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
    }
    result.headSize = end + 4;
    *head = std::move(result);
    return HttpHeadStatus::Complete;
}

QByteArray httpReasonPhrase(int status)
{
    switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 426: return "Upgrade Required";
    case 431: return "Request Header Fields Too Large";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    default: return "Unknown";
    }
}

QByteArray httpResponse(int status, QByteArrayView contentType, QByteArrayView body)
{
    QByteArray out;
    out.reserve(128 + body.size());
    out += "HTTP/1.1 " + QByteArray::number(status) + ' ' + httpReasonPhrase(status) + "\r\n";
    out += "Content-Type: " + contentType.toByteArray() + "\r\n";
    out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    out += "Connection: close\r\n\r\n";
    out += body;
    return out;
}

} // namespace SlotScope::Internal
