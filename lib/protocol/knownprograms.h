#pragma once

// Display names of well-known Solana programs and sysvars, as Solana Explorer
// shows them (its app/utils/programs.ts names; DeFi programs the fixtures
// route through, e.g. Jupiter v6 and the AMMs, added by their published ids).

#include <QString>
#include <QStringView>

namespace SlotScope {

/// Well-known program ids, spelled once.
namespace ProgramIds {
inline constexpr char16_t System[] = u"11111111111111111111111111111111";
inline constexpr char16_t Token[] = u"TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA";
inline constexpr char16_t Token2022[] = u"TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb";
inline constexpr char16_t AssociatedToken[] = u"ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL";
inline constexpr char16_t ComputeBudget[] = u"ComputeBudget111111111111111111111111111111";
inline constexpr char16_t Memo[] = u"MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr";
inline constexpr char16_t MemoV1[] = u"Memo1UhkJRfHyvLMcVucJwxXeuD728EqVDDwQDxFMNo";
inline constexpr char16_t Vote[] = u"Vote111111111111111111111111111111111111111";
inline constexpr char16_t JupiterV6[] = u"JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4";
} // namespace ProgramIds

/// "System Program", "Token Program", "Jupiter Aggregator v6", "Sysvar: Rent",
/// … for a known address; "" otherwise.
QString knownProgramName(QStringView address);

/// knownProgramName(), else the address shortened as "JUP6…aV4".
QString programDisplayName(QStringView address);

/// "JUP6…aV4": the first and last four characters (the whole text when short).
QString shortAddress(QStringView address);

} // namespace SlotScope
