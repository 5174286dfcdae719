#pragma once

#include "capture/capturetypes.h"
#include "protocol/result.h"
#include "protocol/transactiondetail.h"

namespace SlotScope {

/// The explorer-style detail of a transaction read back from a capture: its
/// `raw` getTransaction JSON parsed (parseTransactionDetail) when the line
/// has one; otherwise (`sim run` files keep no transaction JSON) what the
/// capture line itself says — slot, signature, status and error text, fee and
/// compute units when recorded, the accounts whose SOL balance changed (no
/// flags, no instructions), token balance changes and the logs.
/// `fromRaw` tells which. Errors: the raw JSON does not parse.
struct CapturedDetail
{
    TransactionDetail detail;
    bool fromRaw = false;
};
Result<CapturedDetail> detailOfCaptured(const CapturedTransactionDetail &captured);

} // namespace SlotScope
