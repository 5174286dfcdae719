#pragma once

// Deterministic synthetic Solana transactions for the reference server when no
// transaction directory is configured (the demo without fixtures). Internal.

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace SlotScope::Internal {

/// Decimal text of a raw token amount as RPC's `uiAmountString` writes it,
/// e.g. (1500000, 6) → "1.5", (0, 6) → "0". `decimals` 0..19.
QString uiAmountString(quint64 amount, int decimals);

/// A finite double as QJsonDocument::toJson() writes it (the token balances'
/// `uiAmount`): an integral value below 2^53 as an integer ("90000000", where
/// 'g' would give "9e+07"), anything else in the shortest round-trip form
/// ("1.5", "1e-06", "1e+16").
QByteArray jsonDoubleText(double value);

/// One generated transaction: a `getTransaction`-shaped (jsonParsed)
/// EncodedConfirmedTransactionWithStatusMeta plus what the server filters on.
struct SyntheticTransaction
{
    QByteArray json;          ///< compact JSON object
    QString signature;        ///< base58, 64 bytes
    bool success = true;
    QStringList programIds;   ///< invoked programs, top-level then inner, first seen
    QStringList accountKeys;  ///< message account keys in order
};

/// Generator of plausible mainnet-like traffic: system transfers, SPL token
/// transfers (some failing with InstructionError Custom 1, insufficient funds)
/// and Jupiter v6 swaps routed through Orca Whirlpool with inner instructions
/// (some failing with Custom 6001, slippage). Everything is a pure function of
/// (seed, slot, index), so two servers with the same seed stream the same bytes
/// and a replay regenerates identical notifications.
class SyntheticTransactions
{
public:
    enum class Kind { SystemTransfer, TokenTransfer, JupiterSwap };

    explicit SyntheticTransactions(quint32 seed);

    /// Transactions in `slot` when the server does not force a count (2..5).
    int countAt(quint64 slot) const;
    Kind kindAt(quint64 slot, quint32 index) const;
    bool failsAt(quint64 slot, quint32 index) const;
    /// Programs a transaction of `kind` invokes, in summary order.
    static QStringList programIds(Kind kind);
    /// Every program any synthetic transaction can invoke.
    static QStringList allPrograms();
    /// Unix seconds of `slot` (400 ms slots from 2023-11-14T22:13:20Z).
    static qint64 blockTimeOf(quint64 slot);

    SyntheticTransaction generate(quint64 slot, quint32 index) const;

private:
    struct Mint
    {
        QString address;
        int decimals = 6;
    };

    quint64 hash(quint64 slot, quint32 index, quint64 salt) const;
    QString derivedAddress(const QString &label) const;
    /// The Whirlpool pool trading mint `in` for mint `out` (indices into m_mints, in ≠ out).
    const QString &pool(int in, int out) const { return m_pools.at(in * m_mints.size() + out); }

    quint32 m_seed;
    QStringList m_wallets;
    QList<Mint> m_mints;
    // Derived addresses (SHA-256 + base58 each) computed once, not per transaction:
    QStringList m_walletTokenAccounts; ///< [wallet * mints + mint]
    QStringList m_pools;               ///< [in * mints + out]; empty where in == out
    QStringList m_poolTokenAccounts;   ///< [(in * mints + out) * mints + mint]; only mint in {in, out} set
};

} // namespace SlotScope::Internal
