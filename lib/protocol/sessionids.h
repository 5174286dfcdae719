#pragma once

// Session ids, session names and create tokens (PROTOCOL-0.31.md §3.1.2, §5.1–5.2).
//
// Ids: the 0.31 service sends the UUID "simple" form, `backtest_` / `parallel_`
// + 32 lower-case hex digits; older servers (and PROTOCOL.md §1.4) used the
// hyphenated form `backtest_0199d2c4-5b7e-…`. Both are accepted everywhere: an
// id is stored and echoed exactly as received, and compared through
// sessionIdKey().

#include "protocol/result.h"

#include <QString>
#include <QStringView>

namespace SlotScope {

/// True for a session or control-session id in either form: an optional
/// `backtest_` / `parallel_` prefix, then a UUID as 32 hex digits or as
/// 8-4-4-4-12 hyphenated groups (hex in any case).
bool isSessionId(QStringView id);

/// The comparison key of an id: the `backtest_` / `parallel_` prefix stripped,
/// hyphens dropped, lower-cased (PROTOCOL-0.31.md §5.1 client rule). The simple
/// and hyphenated forms of one id give the same key. Any text is accepted
/// (ids that are not UUID-shaped are normalised the same way).
QString sessionIdKey(QStringView id);

/// Whether two ids name the same session (sessionIdKey() equal).
bool sameSessionId(QStringView a, QStringView b);

/// A short label for tables, lanes and progress lines: the prefix, "…" and the
/// last 8 hex digits, e.g. "backtest_…8d6a1c00" for both forms of
/// `backtest_0199d2c45b7e7a319c1e2f4b8d6a1c00`. The tail, because the ids of
/// one batch are UUID v7 and share their leading (timestamp) digits. Ids that
/// are not UUID-shaped are returned unchanged.
QString sessionIdLabel(QStringView id);

/// Validates a session name for `createBacktestSession`'s `name`
/// (PROTOCOL-0.31.md §3.1.2, simulator-api `SessionName`): surrounding
/// whitespace is trimmed and letters are lower-cased (names differing only in
/// case are the same name); the result must be 1–100 characters matching
/// `^[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?$`. Returns the name to send, or an error
/// saying what is wrong ("session name \"My Run\": a space is not allowed;
/// use a–z, 0–9, '.', '_' and '-'").
Result<QString> validateSessionName(const QString &name);

/// A fresh create token (PROTOCOL-0.31.md §3.1.2, §9 O6): a random v4 UUID in
/// lower-case hyphenated form. The caller keeps it in CreateSessionParams so a
/// create resent after a drop carries the same token and reclaims its name.
QString newCreateToken();

} // namespace SlotScope
