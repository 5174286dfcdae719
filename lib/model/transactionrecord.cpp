#include "model/transactionrecord.h"

#include "protocol/transactionsummary.h"

namespace SlotScope {

TransactionRecord makeTransactionRecord(const QString &sessionId,
                                        const TransactionSummary &summary,
                                        qint64 captureOffset)
{
    TransactionRecord record;
    record.sessionId = sessionId;
    record.slot = summary.slot;
    record.signature = summary.signature;
    record.success = summary.success;
    record.error = summary.error;
    record.fee = summary.fee;
    record.computeUnitsConsumed = summary.computeUnitsConsumed;
    record.blockTime = summary.blockTime;
    record.feePayer = summary.feePayer;
    record.programIds = summary.programIds;
    record.feePayerSolChange = summary.feePayerSolChange;
    record.captureOffset = captureOffset;
    return record;
}

} // namespace SlotScope
