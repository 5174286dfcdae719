#pragma once

// Account diffs the reference server derives from an executed transaction's
// balances (PROTOCOL.md §5.6). Internal.

#include "protocol/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <optional>

namespace SlotScope::Internal {

inline constexpr auto SystemProgramId = "11111111111111111111111111111111";
inline constexpr auto TokenProgramId = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA";

/// One side (before or after the transaction) of an account.
struct AccountSide
{
    quint64 lamports = 0;
    QByteArray data;   ///< raw account data; empty when the balances do not tell it

    bool operator==(const AccountSide &) const = default;
};

/// What one transaction did to one writable account.
struct AccountDelta
{
    QString account;
    QString owner;                     ///< owner program; empty = unknown (null on the wire)
    std::optional<AccountSide> pre;    ///< nullopt: created by the transaction (pre lamports 0)
    std::optional<AccountSide> post;   ///< nullopt: deleted by the transaction (post lamports 0)

    bool operator==(const AccountDelta &) const = default;
};

/// The account diffs of one EncodedConfirmedTransactionWithStatusMeta (any
/// encoding TransactionSummarizer reads), in account-key order (static keys,
/// then loaded writable, then loaded readonly — the order of pre/postBalances).
///
/// The reference server has no account store, so everything comes from
/// `meta.preBalances`/`postBalances` and `meta.pre/postTokenBalances`:
///  - one delta per writable account, except accounts with 0 lamports before
///    and after (they exist on neither side); for a failed transaction only the
///    writable accounts whose lamports or token amount changed (in practice
///    the fee payer): a failed transaction commits nothing else;
///  - owner: an account listed in pre- or postTokenBalances is a token account
///    owned by that entry's `programId` (TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA
///    when absent), and the data of each side with a token entry is the
///    165-byte SPL token account base layout (mint, owner, amount; state
///    Initialized; no delegate or close authority; is_native for wrapped
///    SOL), empty on a side without one; else the fee payer and every account whose
///    lamports moved are System accounts (11111111111111111111111111111111,
///    no data); else the owner is unknown (empty);
///  - pre is absent when pre lamports are 0 (created), post when post lamports
///    are 0 (deleted).
/// Errors: the JSON cannot be summarized, or balances are missing or shorter
/// than the account keys.
Result<QList<AccountDelta>> deriveAccountDeltas(QByteArrayView transactionJson);

/// The `result` object of an accountDiffNotification (PROTOCOL.md §5.6), compact:
/// {"context":{"slot":S},"account":A,"signature":SIG,"pre":SIDE|null,"post":SIDE|null}
/// with SIDE = {"lamports":L,"owner":O|null,"data":["<base64>","base64"],
/// "executable":false,"space":<data bytes>}.
QByteArray encodeAccountDiffResult(quint64 slot, const QString &signature, const AccountDelta &delta);

/// The 165-byte SPL token account base layout; empty when `mint` or `owner`
/// is not a base58 pubkey.
QByteArray splTokenAccountData(const QString &mint, const QString &owner, quint64 amount,
                               std::optional<quint64> nativeReserve);

} // namespace SlotScope::Internal
