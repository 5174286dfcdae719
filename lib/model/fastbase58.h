#pragma once

#include <QByteArrayView>
#include <QString>
#include <QStringView>

namespace SlotScope::Internal {

/// Base58 (Bitcoin alphabet) encoding of up to 64 bytes, byte-for-byte the
/// same text as SlotScope::base58Encode() (protocol/base58.h) but about 20×
/// faster: it works in base 58⁵ limbs. The transaction model re-encodes
/// signatures and fee payers on demand (rows keep the 64/32 decoded bytes), and
/// a text filter over a 500 000-row window encodes every row once.
/// Returns the number of characters written to `out` (at most 90).
int encodeBase58(const unsigned char *bytes, int size, char *out);

/// encodeBase58() as a QString.
QString base58String(const unsigned char *bytes, int size);

/// Decodes base58 `text` into exactly `size` bytes at `out` (size ≤ 64);
/// false when a character is outside the alphabet or the value does not take
/// exactly `size` bytes (same bytes as SlotScope::base58Decode(), which is far
/// slower: this runs for every row the engine sends).
bool decodeBase58(QStringView text, unsigned char *out, int size);

} // namespace SlotScope::Internal
