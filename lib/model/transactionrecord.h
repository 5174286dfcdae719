#pragma once

#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

namespace SlotScope {

struct TransactionSummary;

/// One captured transaction as the engine hands it to TransactionModel, in
/// batches over a queued connection (DESIGN.md §3). Units: lamports for fee
/// and feePayerSolChange, compute units for computeUnitsConsumed, Unix seconds
/// for blockTime. The full JSON stays in the capture file at captureOffset.
struct TransactionRecord
{
    QString sessionId;
    quint64 slot = 0;
    QString signature;                           ///< first signature, base58
    bool success = true;                         ///< meta.err was null
    QString error;                               ///< display text of meta.err ("" on success)
    quint64 fee = 0;
    std::optional<quint64> computeUnitsConsumed; ///< absent in pre-2022 payloads
    std::optional<qint64> blockTime;
    QString feePayer;                            ///< first account key, base58
    QStringList programIds;                      ///< invoked programs, first-seen order
    qint64 feePayerSolChange = 0;                ///< post − pre lamports of the fee payer
    qint64 captureOffset = -1;                   ///< byte offset of the `tx` line in the capture, -1 if none

    bool operator==(const TransactionRecord &) const = default;
};

/// The record for a summarized transaction (protocol/transactionsummary.h).
TransactionRecord makeTransactionRecord(const QString &sessionId,
                                        const TransactionSummary &summary,
                                        qint64 captureOffset = -1);

} // namespace SlotScope

Q_DECLARE_METATYPE(SlotScope::TransactionRecord)
