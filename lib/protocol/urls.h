#pragma once

// URL helpers of PROTOCOL.md §1.1–1.2 (simulator-client `urls.rs`,
// seed mod.rs `resolve_rpc_url`).

#include "protocol/result.h"

#include <QString>

namespace SlotScope {

/// Normalise a user-entered server address to the control WebSocket URL
/// (PROTOCOL.md §1.1, PROTOCOL-0.31.md §8 `url` normalisation). The rule:
///  * surrounding whitespace is ignored;
///  * a bare host — `host`, `host:port` or `[v6]:port`, optionally followed by
///    `/` or `/backtest` — becomes `wss://<host>/backtest`;
///  * a `ws://` or `wss://` URL keeps its scheme, host, port, path and query;
///    trailing `/` of the path are trimmed and `/backtest` is appended to the
///    path only when none of its segments is `backtest`:
///    `wss://host/prefix?x=1` → `wss://host/prefix/backtest?x=1`,
///    `wss://host/prefix/backtest?x=1` stays as it is;
///  * the scheme is matched and written in lower case (`WS://h` → `ws://h/backtest`);
///  * anything else is an error with a message for people: empty input, text
///    without a scheme that is not a bare host (`host/path`, `host?x=1`,
///    `user@host`, spaces), a URL without a host, a port that is not a number
///    up to 65535, and any other scheme (`http://…`: use ws:// or wss://).
/// Idempotent: a result normalises to itself.
Result<QString> controlWsUrl(const QString &input);

/// `url` as it may be shown or written (logs, progress lines, failure
/// reasons, error messages, the events file): the values of query items whose
/// name (percent-decoded, any case) says they carry a credential — token,
/// access_token, api_key, apikey, x-api-key, key, auth, secret, password,
/// jwt, sig, … — become "…", as does a password in the user info, or the
/// whole user info when it has no ":" (a token pasted as `wss://TOKEN@host`);
/// the rest is kept as it is. A session endpoint may carry `?token=`
/// (PROTOCOL-0.31.md §6.4), and a user may paste a URL with one.
QString redactedUrl(const QString &url);
/// `text` (a library's error message, say) with every URL in it
/// redactedUrl()'d: a URL runs from `scheme://` to the next white space or quote.
QString redactedUrlsIn(const QString &text);
/// Whether `url` holds a credential that redactedUrl() would hide: such a URL
/// is kept out of plain-text settings (recent targets, the last run, the
/// list of targets with a remembered key).
bool carriesCredential(const QString &url);

/// Whether `key` can go out as the `X-API-Key` header (PROTOCOL.md §1.1):
/// printable ASCII only. A line break or other control character (a key read
/// from a file with its newline) would end the header early — the rest
/// becoming a header of its own — and non-ASCII has no defined meaning in a
/// header. The error message never contains the key.
Result<void> validateApiKey(const QString &key);

/// controlWsUrl() for callers that cannot report an error: its result, or the
/// trimmed input unchanged when it fails (so other schemes pass through, as
/// simulator-client does). Prefer controlWsUrl() for user input.
QString backtestWsUrl(const QString &input);

/// `ws://h:p/x` → `http://h:p`, `wss://h/x?q` → `https://h` (first occurrence of
/// the scheme replaced, everything from the first `/`, `?` or `#` after the
/// authority cut).
QString httpBaseFromWsUrl(const QString &wsUrl);

/// An absolute `http(s)://` endpoint verbatim; otherwise
/// `httpBase + "/" + endpoint.trim_start('/')`.
QString resolveRpcUrl(const QString &httpBase, const QString &rpcEndpoint);

/// `https://` → `wss://`, `http://` → `ws://` (path kept). Any other scheme is an error.
Result<QString> httpToWsUrl(const QString &httpUrl);

/// The subscription WebSocket URL of a session: resolveRpcUrl on the control
/// URL's HTTP base, then httpToWsUrl.
Result<QString> subscriptionWsUrl(const QString &controlWsUrl, const QString &rpcEndpoint);

} // namespace SlotScope
