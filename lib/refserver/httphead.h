#pragma once

// Minimal HTTP/1.1 request-head parsing and response building for the
// reference server's one listening port (plain HTTP endpoints of PROTOCOL.md
// §1.3 next to the WebSocket upgrades of §1.1–1.2). Internal.

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>

#include <optional>

namespace SlotScope::Internal {

/// The request line and headers of one HTTP request.
struct HttpRequestHead
{
    QByteArray method;        ///< "GET"
    QByteArray target;        ///< "/backtest?x=1"
    QByteArray path;          ///< target without query, percent-encoding kept
    QList<QPair<QByteArray, QByteArray>> headers; ///< names as received
    qsizetype headSize = 0;   ///< bytes up to and including the blank line

    /// Value of the first header named `name` (case-insensitive), or nullopt.
    std::optional<QByteArray> header(QByteArrayView name) const;
    /// True for an `Upgrade: websocket` request.
    bool isWebSocketUpgrade() const;
};

/// Largest request head we accept (bytes).
inline constexpr qsizetype MaxHttpHeadSize = 64 * 1024;

enum class HttpHeadStatus { Complete, Incomplete, Malformed };

/// Parse the head at the start of `bytes`. Incomplete when the blank line has
/// not arrived yet; Malformed for a bad request line or header line, and as
/// soon as the bytes cannot start a request line (no method token before the
/// first space, e.g. a TLS ClientHello).
HttpHeadStatus parseHttpRequestHead(QByteArrayView bytes, HttpRequestHead *head);

/// A complete `Connection: close` response with a body.
QByteArray httpResponse(int status, QByteArrayView contentType, QByteArrayView body);

/// Reason phrase of the status codes we use ("OK", "Not Found", …).
QByteArray httpReasonPhrase(int status);

} // namespace SlotScope::Internal
