#pragma once

// URL helpers of PROTOCOL.md §1.1–1.2 (simulator-client `urls.rs`,
// seed mod.rs `resolve_rpc_url`).

#include "protocol/result.h"

#include <QString>

namespace SlotScope {

/// Normalise a user-entered server address to the control WebSocket URL:
/// a bare host → `wss://<host>/backtest`; `ws://`/`wss://` keep their scheme and
/// get `/backtest` appended unless the path already ends in `/backtest`
/// (trailing `/` trimmed); other schemes pass through. Idempotent.
QString backtestWsUrl(const QString &input);

/// `ws://h:p/x` → `http://h:p`, `wss://h/x` → `https://h` (first occurrence of
/// the scheme replaced, everything from the first `/` after the authority cut).
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
