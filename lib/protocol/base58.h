#pragma once

#include "protocol/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringView>

#include <optional>

namespace SlotScope {

/// Bitcoin-alphabet base58, as Solana uses for pubkeys (32 bytes) and
/// signatures (64 bytes). Up to 64 bytes through Internal::encodeBase58().
QByteArray base58Encode(QByteArrayView bytes);
/// nullopt on a character outside the alphabet.
std::optional<QByteArray> base58Decode(QByteArrayView text);

/// Checks a Solana address (program id, account, mint) typed by a user:
/// surrounding whitespace trimmed, then base58 that decodes to exactly 32
/// bytes. Returns the trimmed address, or an error naming `what` and the
/// problem: `program id "notabase58!!" is not base58: '!' at position 11 is
/// not in the base58 alphabet (no 0, O, I or l)`, `program id "abc" decodes
/// to 2 bytes; a Solana address has 32`, `program id is empty`.
Result<QString> validateAddress(const QString &text, QLatin1StringView what);
/// validateAddress(text, "program id"): for --subscribe-program and the Run
/// dialog's program list, before anything connects.
Result<QString> validateProgramId(const QString &text);

namespace Internal {

/// Base58 (Bitcoin alphabet) encoding of up to 64 bytes, the same text as
/// base58EncodeAnyLength() but about 20× faster: it works in base 58⁵ limbs.
/// The transaction model re-encodes signatures and fee payers on demand (rows
/// keep the 64/32 decoded bytes), a text filter over a 500 000-row window
/// encodes every row once, and the reference server writes every key of its
/// synthetic transactions. Returns the characters written to `out` (≤ 90).
int encodeBase58(const unsigned char *bytes, int size, char *out);

/// encodeBase58() as a QString.
QString base58String(const unsigned char *bytes, int size);

/// Base58 of any number of bytes, one byte at a time (base58Encode() for
/// more than 64 bytes, and the reference encodeBase58() is tested against).
QByteArray base58EncodeAnyLength(QByteArrayView bytes);

/// Decodes base58 `text` into exactly `size` bytes at `out` (size ≤ 64);
/// false when a character is outside the alphabet or the value does not take
/// exactly `size` bytes (same bytes as base58Decode(), which is far slower:
/// this runs for every row the engine sends).
bool decodeBase58(QStringView text, unsigned char *out, int size);

} // namespace Internal

} // namespace SlotScope
