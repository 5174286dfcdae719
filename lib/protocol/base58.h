#pragma once

#include "protocol/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <optional>

namespace SlotScope {

/// Bitcoin-alphabet base58, as Solana uses for pubkeys (32 bytes) and
/// signatures (64 bytes).
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

} // namespace SlotScope
