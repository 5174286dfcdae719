#pragma once

// Explorer-grade reading of one Solana transaction: everything Solana
// Explorer's transaction page shows (its Overview, Account Input(s), Token
// Balances, Instructions and Program Instruction Logs cards), taken from an
// EncodedConfirmedTransactionWithStatusMeta (`json` or `jsonParsed`, legacy or
// v0, fixtures README "Exact JSON shapes seen"). Parsing only: the widget that
// renders it lives in app/.
//
// Where Explorer decodes an instruction itself (Compute Budget, which RPC
// never parses) or where only the `json` encoding is at hand (RPC would have
// parsed System, Token, Associated Token and Memo instructions had the
// transaction been fetched `jsonParsed`), the instruction data is decoded here
// into the same type names and fields RPC's parser gives.

#include "protocol/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace SlotScope {

/// An unsigned amount with a sign, for deltas of u64 balances (lamports, raw
/// token units) that may not fit a qint64.
struct SignedAmount
{
    quint64 magnitude = 0;
    bool negative = false;

    static SignedAmount difference(quint64 post, quint64 pre);
    bool isZero() const { return magnitude == 0; }
    /// "+1.5", "-0.000005", "0" with `decimals` places (trailing zeros trimmed).
    QString toString(int decimals) const;
    bool operator==(const SignedAmount &) const = default;
};

/// "1.5", "0.000005", "12": `raw` base units with `decimals` places, exact,
/// trailing zeros trimmed (Explorer's SOL and token amounts).
QString formatUnits(quint64 raw, int decimals);

/// One entry of the transaction's account list (Explorer "Account Input(s)").
struct DetailAccount
{
    QString pubkey;
    bool signer = false;
    bool writable = false;
    bool feePayer = false;          ///< the first account
    bool program = false;           ///< a top-level instruction's program
    bool fromLookupTable = false;   ///< loaded through an address lookup table (v0)
    std::optional<quint64> preLamports;
    std::optional<quint64> postLamports;

    /// post − pre; zero when a balance is missing.
    SignedAmount delta() const;
};

/// One token balance row (Explorer "Token Balances"): every token account
/// with a pre or post balance, in account order. A missing side counts as 0
/// (the account was created or closed by the transaction).
struct DetailTokenBalance
{
    int accountIndex = 0;
    QString account;
    QString mint;
    QString owner;          ///< "" when the payload had none
    QString programId;      ///< token program, "" when absent
    int decimals = 0;
    std::optional<quint64> preAmount;    ///< raw base units
    std::optional<quint64> postAmount;

    SignedAmount delta() const;
};

/// A named value of a decoded instruction (`parsed.info` of jsonParsed, or
/// what the decoder read from the data), e.g. {"Lamports", "1000000"}.
struct InstructionField
{
    QString name;       ///< as RPC names it, e.g. "source", "tokenAmount.amount"
    QString value;      ///< text; numbers exactly as in the JSON
    bool isAddress = false;
};

/// One instruction, top-level or inner, with its inner instructions nested
/// below it by `stackHeight` (Explorer's instruction cards).
struct DetailInstruction
{
    QString programId;
    QString programName;        ///< programDisplayName(programId)
    QString parsedType;         ///< e.g. "transferChecked", "setComputeUnitPrice"; "" when not decoded
    bool decodedHere = false;   ///< parsedType came from our decoder, not from RPC's jsonParsed
    QList<InstructionField> fields;
    QStringList accounts;       ///< the instruction's accounts (undecoded instructions)
    QString data;               ///< base58 instruction data (undecoded instructions)
    std::optional<int> stackHeight;
    bool failed = false;        ///< the transaction error names this top-level instruction
    QList<DetailInstruction> inner;

    /// "Token Program: Transfer Checked"-style title.
    QString title() const;
};

/// One line of the program logs with its invoke depth (Explorer's
/// parseProgramLogs): Invoke "Program X invoke [n]", Success, Failed,
/// Consumed ("Program X consumed a of b compute units"), Log ("Program log:"),
/// Data ("Program data:"), Return ("Program return:"), Truncated ("Log
/// truncated"), Other.
struct DetailLogLine
{
    enum class Kind { Invoke, Success, Failed, Consumed, Log, Data, Return, Truncated, Other };
    Kind kind = Kind::Other;
    int depth = 0;              ///< 1 = a top-level instruction's program
    int instruction = -1;       ///< top-level instruction the line belongs to, -1 before the first
    QString programId;          ///< Invoke / Success / Failed / Consumed
    QString text;               ///< the log line as written
};

/// Everything the detail pane shows of a transaction.
struct TransactionDetail
{
    QString signature;                  ///< first signature
    QStringList signatures;
    quint64 slot = 0;
    std::optional<qint64> blockTime;    ///< Unix seconds
    QString version;                    ///< "legacy", "0"; "" when absent
    std::optional<quint64> transactionIndex;
    QString recentBlockhash;

    bool success = true;
    QString error;                      ///< display text of meta.err, "" on success
    QByteArray errorJson;               ///< meta.err as compact JSON
    std::optional<int> failedInstruction; ///< InstructionError's top-level index
    QString instructionError;           ///< display text of the InstructionError part

    quint64 fee = 0;                    ///< lamports
    bool feeRecorded = true;            ///< false: a `sim run` capture keeps no fee (`fee` is 0, not the fee)
    std::optional<quint64> computeUnitsConsumed;
    std::optional<quint64> costUnits;
    std::optional<quint64> computeUnitLimit;        ///< from a SetComputeUnitLimit instruction
    std::optional<quint64> computeUnitPriceMicroLamports; ///< from SetComputeUnitPrice

    QList<DetailAccount> accounts;      ///< static keys, then loaded writable, then loaded readonly
    QList<DetailTokenBalance> tokenBalances;
    QList<DetailInstruction> instructions;  ///< top-level, inner ones nested
    bool innerInstructionsPresent = false;
    QList<DetailLogLine> logs;
    bool logsPresent = false;           ///< false when meta.logMessages was null / absent
    QString returnDataProgramId;
    QByteArray returnData;              ///< decoded bytes of meta.returnData

    /// Fee payer SOL change etc.: the account entry of `pubkey`, or nullptr.
    const DetailAccount *account(const QString &pubkey) const;
    /// Number of instructions including inner ones.
    int instructionCount() const;
};

/// Reads `json` (an EncodedConfirmedTransactionWithStatusMeta object or a
/// JSON-RPC envelope around one). Errors: malformed JSON, no transaction /
/// signatures, a binary-encoded transaction (not shown in detail), account
/// indexes out of range.
Result<TransactionDetail> parseTransactionDetail(QByteArrayView json);

/// Groups a transaction's log lines by invoke depth (Explorer's
/// parseProgramLogs rules): what parseTransactionDetail() puts in `logs`, also
/// for captures that carry logs without the transaction (`sim run` files).
QList<DetailLogLine> parseProgramLogs(const QStringList &logs);

} // namespace SlotScope
