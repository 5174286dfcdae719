#pragma once

// Solana transaction summary extraction from an
// EncodedConfirmedTransactionWithStatusMeta (the `getTransaction` result shape,
// PROTOCOL.md §5.5; fixtures README "Exact JSON shapes seen").
//
// Handles `json` and `jsonParsed` encodings, legacy and v0 (with
// `meta.loadedAddresses` or lookup-table keys merged into jsonParsed
// `accountKeys`), absent `version`, absent `computeUnitsConsumed`, null
// `logMessages`. Uses simdjson (a reusable parser per summarizer), not a Qt DOM:
// this runs once per captured transaction.

#include "protocol/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace SlotScope {

/// A lamport balance change of one account (CAPTURE_FORMAT.md §4.3.1).
struct SolChange
{
    QString account;
    quint64 preLamports = 0;
    quint64 postLamports = 0;

    bool operator==(const SolChange &) const = default;
};

/// An SPL token balance change of one token account (CAPTURE_FORMAT.md §4.3.2).
struct TokenChange
{
    QString account;   ///< the token account
    QString mint;
    QString owner;     ///< "" when the payload had none
    quint64 preAmount = 0;   ///< raw base units
    quint64 postAmount = 0;
    int decimals = 0;

    bool operator==(const TokenChange &) const = default;
};

/// What SlotScope keeps of one transaction. Units: lamports for fee and
/// balances, compute units for computeUnitsConsumed, Unix seconds for blockTime.
struct TransactionSummary
{
    quint64 slot = 0;
    QString signature;                 ///< first signature, base58
    bool success = true;               ///< meta.err is null
    QString error;                     ///< Display text of meta.err, e.g.
                                       ///< "Error processing Instruction 3: Program failed to complete"
    QByteArray errorJson;              ///< meta.err as compact JSON ("" when success)
    quint64 fee = 0;
    std::optional<quint64> computeUnitsConsumed;
    std::optional<qint64> blockTime;
    QString version;                   ///< "legacy", "0", … ; "" when absent
    QString feePayer;                  ///< first account key
    QStringList programIds;            ///< invoked programs, top-level then inner, first-seen order, unique
    qint64 feePayerSolChange = 0;      ///< post − pre lamports of the fee payer
    QStringList accountKeys;           ///< static keys, then loaded writable, then loaded readonly
                                       ///< (empty in Ingest detail for JSON-encoded transactions)
    QStringList writableAccounts;      ///< subset of accountKeys that are writable (empty in Ingest detail)
    QStringList logs;                  ///< meta.logMessages ([] when null); empty in Ingest detail
    /// Ingest detail: meta.logMessages as the compact JSON array the capture
    /// writes (CAPTURE_FORMAT.md §4.3, `logs`), "[]" when null; empty otherwise.
    QByteArray logsJson;
    bool logsPresent = false;          ///< false when logMessages was null/absent
    QList<SolChange> solChanges;       ///< accounts whose lamports changed, key order
    QList<TokenChange> tokenChanges;   ///< token accounts whose amount changed, accountIndex order
    std::optional<quint64> transactionIndex; ///< position in block, when the payload has it
};

/// Display text of a Solana TransactionError JSON value (meta.err), following
/// the Display impls of solana's TransactionError/InstructionError, e.g.
/// {"InstructionError":[0,{"Custom":1}]} → "Error processing Instruction 0: custom program error: 0x1".
/// Unknown variants fall back to their name.
QString transactionErrorText(QByteArrayView errJson);

/// Readable bytes a document needs after its end for simdjson to parse it
/// where it is (at least SIMDJSON_PADDING): what
/// TransactionSummarizer::summarizeInPlace() requires.
inline constexpr qsizetype kJsonReadPadding = 64;

/// Sets `buffer`'s size to `size` and leaves kJsonReadPadding zeroed bytes
/// allocated after it (a QByteArray keeps its allocation when it shrinks):
/// what summarizeInPlace() may read past a document that ends the buffer.
/// Grows (or detaches) the allocation when it has less room.
void keepJsonReadPadding(QByteArray &buffer, qsizetype size);

/// Reusable summary extractor. Not thread-safe; use one per thread.
class TransactionSummarizer
{
public:
    TransactionSummarizer();
    ~TransactionSummarizer();
    TransactionSummarizer(const TransactionSummarizer &) = delete;
    TransactionSummarizer &operator=(const TransactionSummarizer &) = delete;

    /// What summarize() fills in. Full: every field. Ingest: what the live
    /// ingest path reads (capture line, model row, duplicate filter): `logs`
    /// comes as `logsJson`, and `accountKeys` / `writableAccounts` stay empty
    /// for JSON-encoded transactions — no QString per key and per log line for
    /// each of thousands of transactions a second (issue 11).
    enum class Detail { Full, Ingest };
    void setDetail(Detail detail);
    Detail detail() const;

    /// Summarize one EncodedConfirmedTransactionWithStatusMeta JSON object.
    /// Also accepts a JSON-RPC envelope {"jsonrpc","result":{…},"id"} (uses result).
    /// Errors: malformed JSON, missing transaction/signatures, binary-encoded
    /// transaction that cannot be decoded.
    Result<TransactionSummary> summarize(QByteArrayView json);
    /// As summarize(), but parses `json` where it is instead of copying it
    /// first (~14 KB a transaction, issue 11): at least kJsonReadPadding
    /// bytes after its end must be readable, e.g. the rest of a frame whose
    /// buffer has that much room to spare (WebSocketConnection::handleText()).
    Result<TransactionSummary> summarizeInPlace(QByteArrayView json);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace SlotScope
