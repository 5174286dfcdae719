#include "workbench/captureddetail.h"

namespace SlotScope {

Result<CapturedDetail> detailOfCaptured(const CapturedTransactionDetail &captured)
{
    CapturedDetail out;
    if (!captured.raw.isEmpty() && captured.raw != "null") {
        Result<TransactionDetail> parsed = parseTransactionDetail(captured.raw);
        if (!parsed)
            return parsed.error();
        out.detail = std::move(*parsed);
        out.fromRaw = true;
        return out;
    }
    const CapturedTransaction &tx = captured.transaction;
    TransactionDetail &d = out.detail;
    d.signature = tx.signature;
    d.signatures = {tx.signature};
    d.slot = tx.slot;
    d.blockTime = tx.blockTime;
    d.transactionIndex = tx.transactionIndex;
    d.success = tx.success;
    d.error = tx.error;
    d.fee = tx.fee.value_or(0);
    d.feeRecorded = tx.fee.has_value();
    d.computeUnitsConsumed = tx.computeUnitsConsumed;
    for (const SolChange &c : tx.solChanges) {
        DetailAccount a;
        a.pubkey = c.account;
        a.preLamports = c.preLamports;
        a.postLamports = c.postLamports;
        a.feePayer = !tx.feePayer.isEmpty() && c.account == tx.feePayer;
        d.accounts.append(a);
    }
    int index = 0;
    for (const TokenChange &c : tx.tokenChanges) {
        DetailTokenBalance b;
        b.accountIndex = index++;
        b.account = c.account;
        b.mint = c.mint;
        b.owner = c.owner;
        b.decimals = c.decimals;
        b.preAmount = c.preAmount;
        b.postAmount = c.postAmount;
        d.tokenBalances.append(b);
    }
    d.logsPresent = !tx.logs.isEmpty();
    d.logs = parseProgramLogs(tx.logs);
    return out;
}

} // namespace SlotScope
