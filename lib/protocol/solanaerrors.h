#pragma once

// Private to lib/protocol: Display text of Solana's TransactionError /
// InstructionError given as an already parsed simdjson element, so the
// summarizer does not serialise and re-parse meta.err.

#include <QString>

#include <simdjson.h>

namespace SlotScope::Internal {

/// Display text of a TransactionError JSON value (see SlotScope::transactionErrorText()).
QString transactionErrorText(simdjson::dom::element err);

/// Display text of an InstructionError JSON value ("Name" or {"Name": payload}),
/// e.g. "Program failed to complete" or "custom program error: 0x1".
QString instructionErrorText(simdjson::dom::element err);

} // namespace SlotScope::Internal
