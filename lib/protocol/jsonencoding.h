#pragma once

// Hand-written JSON and time formatting for the capture hot path
// (CAPTURE_FORMAT.md §8.1 item 8, §9): integers are formatted exactly (never
// through double), strings are escaped per RFC 8259 and emitted as UTF-8.

#include <QByteArray>
#include <QStringView>

#include <string_view>

namespace SlotScope::Internal {

/// Appends `s` as a JSON string literal (with quotes). Escapes `"`, `\` and
/// every control character below U+0020; everything else is written as UTF-8.
/// A lone UTF-16 surrogate becomes U+FFFD.
void appendJsonString(QByteArray &out, QStringView s);
/// Same for text that is already UTF-8; bytes ≥ 0x80 are copied unchanged.
void appendJsonString(QByteArray &out, std::string_view utf8);

void appendUInt(QByteArray &out, quint64 value);
void appendInt(QByteArray &out, qint64 value);

/// `YYYY-MM-DDTHH:MM:SSZ` for Unix seconds (UTC, proleptic Gregorian).
void appendIsoUtc(QByteArray &out, qint64 unixSecs);
/// `YYYY-MM-DDTHH:MM:SS.mmmZ` for Unix milliseconds (UTC).
void appendIsoUtcMs(QByteArray &out, qint64 unixMsecs);

/// Appends `json` with every CR and LF byte turned into a space. For valid
/// JSON this only touches insignificant whitespace (raw CR/LF cannot occur in a
/// JSON string), and it keeps an NDJSON line on one line.
void appendSingleLine(QByteArray &out, QByteArrayView json);

} // namespace SlotScope::Internal
