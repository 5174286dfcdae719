#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <optional>

namespace SlotScope {

/// Bitcoin-alphabet base58, as Solana uses for pubkeys (32 bytes) and
/// signatures (64 bytes).
QByteArray base58Encode(QByteArrayView bytes);
/// nullopt on a character outside the alphabet.
std::optional<QByteArray> base58Decode(QByteArrayView text);

} // namespace SlotScope
