#include "protocol/solanaerrors.h"
#include "protocol/rpcjson.h"
#include "protocol/transactionsummary.h"

#include <string_view>

// The texts below are the Display strings of solana-sdk's `TransactionError`
// (crate solana-transaction-error) and `InstructionError` (crate
// solana-instruction-error), so a failed transaction reads the same here as in
// `solana confirm`, the explorer and `sim`'s capture files (CAPTURE_FORMAT.md §4.3
// `error`). meta.err arrives in serde's externally tagged form: unit variants as
// a string ("BlockhashNotFound"), the others as a one-key object
// ({"InstructionError":[3,"ProgramFailedToComplete"]}).

namespace SlotScope::Internal {

using namespace Qt::StringLiterals;

namespace {

using RpcJson::toQString;

struct VariantText
{
    std::string_view name;
    const char16_t *text;
};

// TransactionError unit variants.
constexpr VariantText transactionErrors[] = {
    {"AccountInUse", u"Account in use"},
    {"AccountLoadedTwice", u"Account loaded twice"},
    {"AccountNotFound", u"Attempt to debit an account but found no record of a prior credit."},
    {"ProgramAccountNotFound", u"Attempt to load a program that does not exist"},
    {"InsufficientFundsForFee", u"Insufficient funds for fee"},
    {"InvalidAccountForFee", u"This account may not be used to pay transaction fees"},
    {"AlreadyProcessed", u"This transaction has already been processed"},
    {"BlockhashNotFound", u"Blockhash not found"},
    {"CallChainTooDeep", u"Loader call chain is too deep"},
    {"MissingSignatureForFee", u"Transaction requires a fee but has no signature present"},
    {"InvalidAccountIndex", u"Transaction contains an invalid account reference"},
    {"SignatureFailure", u"Transaction did not pass signature verification"},
    {"InvalidProgramForExecution", u"This program may not be used for executing instructions"},
    {"SanitizeFailure", u"Transaction failed to sanitize accounts offsets correctly"},
    {"ClusterMaintenance", u"Transactions are currently disabled due to cluster maintenance"},
    {"AccountBorrowOutstanding",
     u"Transaction processing left an account with an outstanding borrowed reference"},
    {"WouldExceedMaxBlockCostLimit", u"Transaction would exceed max Block Cost Limit"},
    {"UnsupportedVersion", u"Transaction version is unsupported"},
    {"InvalidWritableAccount", u"Transaction loads a writable account that cannot be written"},
    {"WouldExceedMaxAccountCostLimit", u"Transaction would exceed max account limit within the block"},
    {"WouldExceedAccountDataBlockLimit", u"Transaction would exceed account data limit within the block"},
    {"TooManyAccountLocks", u"Transaction locked too many accounts"},
    {"AddressLookupTableNotFound", u"Transaction loads an address table account that doesn't exist"},
    {"InvalidAddressLookupTableOwner", u"Transaction loads an address table account with an invalid owner"},
    {"InvalidAddressLookupTableData", u"Transaction loads an address table account with invalid data"},
    {"InvalidAddressLookupTableIndex", u"Transaction address table lookup uses an invalid index"},
    {"InvalidRentPayingAccount",
     u"Transaction leaves an account with a lower balance than rent-exempt minimum"},
    {"WouldExceedMaxVoteCostLimit", u"Transaction would exceed max Vote Cost Limit"},
    {"WouldExceedAccountDataTotalLimit", u"Transaction would exceed total account data limit"},
    {"MaxLoadedAccountsDataSizeExceeded", u"Transaction exceeded max loaded accounts data size cap"},
    {"InvalidLoadedAccountsDataSizeLimit",
     u"LoadedAccountsDataSizeLimit set for transaction must be greater than 0."},
    {"ResanitizationNeeded", u"ResanitizationNeeded"},
    {"UnbalancedTransaction", u"Sum of account balances before and after transaction do not match"},
    {"ProgramCacheHitMaxLimit", u"Program cache hit max limit"},
    {"CommitCancelled", u"CommitCancelled"},
};

// InstructionError unit variants.
constexpr VariantText instructionErrors[] = {
    {"GenericError", u"generic instruction error"},
    {"InvalidArgument", u"invalid program argument"},
    {"InvalidInstructionData", u"invalid instruction data"},
    {"InvalidAccountData", u"invalid account data for instruction"},
    {"AccountDataTooSmall", u"account data too small for instruction"},
    {"InsufficientFunds", u"insufficient funds for instruction"},
    {"IncorrectProgramId", u"incorrect program id for instruction"},
    {"MissingRequiredSignature", u"missing required signature for instruction"},
    {"AccountAlreadyInitialized", u"instruction requires an uninitialized account"},
    {"UninitializedAccount", u"instruction requires an initialized account"},
    {"UnbalancedInstruction", u"sum of account balances before and after instruction do not match"},
    {"ModifiedProgramId", u"instruction illegally modified the program id of an account"},
    {"ExternalAccountLamportSpend", u"instruction spent from the balance of an account it does not own"},
    {"ExternalAccountDataModified", u"instruction modified data of an account it does not own"},
    {"ReadonlyLamportChange", u"instruction changed the balance of a read-only account"},
    {"ReadonlyDataModified", u"instruction modified data of a read-only account"},
    {"DuplicateAccountIndex", u"instruction contains duplicate accounts"},
    {"ExecutableModified", u"instruction changed executable bit of an account"},
    {"RentEpochModified", u"instruction modified rent epoch of an account"},
    {"NotEnoughAccountKeys", u"insufficient account keys for instruction"},
    {"AccountDataSizeChanged", u"program other than the account's owner changed the size of the account data"},
    {"AccountNotExecutable", u"instruction expected an executable account"},
    {"AccountBorrowFailed", u"instruction tries to borrow reference for an account which is already borrowed"},
    {"AccountBorrowOutstanding", u"instruction left account with an outstanding borrowed reference"},
    {"DuplicateAccountOutOfSync", u"instruction modifications of multiply-passed account differ"},
    {"InvalidError", u"program returned invalid error code"},
    {"ExecutableDataModified", u"instruction changed executable accounts data"},
    {"ExecutableLamportChange", u"instruction changed the balance of an executable account"},
    {"ExecutableAccountNotRentExempt", u"executable accounts must be rent exempt"},
    {"UnsupportedProgramId", u"Unsupported program id"},
    {"CallDepth", u"Cross-program invocation call depth too deep"},
    {"MissingAccount", u"An account required by the instruction is missing"},
    {"ReentrancyNotAllowed", u"Cross-program invocation reentrancy not allowed for this instruction"},
    {"MaxSeedLengthExceeded", u"Length of the seed is too long for address generation"},
    {"InvalidSeeds", u"Provided seeds do not result in a valid address"},
    {"InvalidRealloc", u"Failed to reallocate account data"},
    {"ComputationalBudgetExceeded", u"Computational budget exceeded"},
    {"PrivilegeEscalation", u"Cross-program invocation with unauthorized signer or writable account"},
    {"ProgramEnvironmentSetupFailure", u"Failed to create program execution environment"},
    {"ProgramFailedToComplete", u"Program failed to complete"},
    {"ProgramFailedToCompile", u"Program failed to compile"},
    {"Immutable", u"Account is immutable"},
    {"IncorrectAuthority", u"Incorrect authority provided"},
    {"BorshIoError", u"Failed to serialize or deserialize account data"},
    {"AccountNotRentExempt", u"An account does not have enough lamports to be rent-exempt"},
    {"InvalidAccountOwner", u"Invalid account owner"},
    {"ArithmeticOverflow", u"Program arithmetic overflowed"},
    {"UnsupportedSysvar", u"Unsupported sysvar"},
    {"IllegalOwner", u"Provided owner is not allowed"},
    {"MaxAccountsDataAllocationsExceeded",
     u"Accounts data allocations exceeded the maximum allowed per transaction"},
    {"MaxAccountsExceeded", u"Max accounts exceeded"},
    {"MaxInstructionTraceLengthExceeded", u"Max instruction trace length exceeded"},
    {"BuiltinProgramsMustConsumeComputeUnits", u"Builtin programs must consume compute units"},
    {"BailOut", u"Block production bailed out"},
};

template<std::size_t N>
const char16_t *lookup(const VariantText (&table)[N], std::string_view name)
{
    for (const VariantText &entry : table) {
        if (entry.name == name)
            return entry.text;
    }
    return nullptr;
}

// An unknown variant: its name, plus its payload as compact JSON when it has one.
QString unknownVariant(std::string_view name, const simdjson::dom::element *payload)
{
    if (!payload)
        return toQString(name);
    return toQString(name) + u'(' + QString::fromStdString(simdjson::minify(*payload)) + u')';
}

// The single {name: payload} member of an externally tagged enum value.
bool singleMember(simdjson::dom::element value, std::string_view &name, simdjson::dom::element &payload)
{
    simdjson::dom::object object;
    if (value.get_object().get(object) || object.size() != 1)
        return false;
    const auto member = *object.begin();
    name = member.key;
    payload = member.value;
    return true;
}

QString accountIndexField(simdjson::dom::element payload)
{
    uint64_t index = 0;
    if (payload["account_index"].get_uint64().get(index))
        return QString::fromStdString(simdjson::minify(payload));
    return QString::number(index);
}

} // namespace

QString instructionErrorText(simdjson::dom::element err)
{
    std::string_view name;
    if (!err.get_string().get(name)) {
        if (const char16_t *text = lookup(instructionErrors, name))
            return QString::fromUtf16(text);
        return toQString(name);
    }
    simdjson::dom::element payload;
    if (!singleMember(err, name, payload))
        return QString::fromStdString(simdjson::minify(err));
    if (name == "Custom") {
        uint64_t code = 0;
        if (!payload.get_uint64().get(code))
            return u"custom program error: 0x"_s + QString::number(code, 16);
    } else if (name == "BorshIoError") {
        // Before solana-sdk 2.x the variant carried the serializer's message.
        std::string_view detail;
        if (!payload.get_string().get(detail))
            return u"Failed to serialize or deserialize account data: "_s + toQString(detail);
    }
    return unknownVariant(name, &payload);
}

QString transactionErrorText(simdjson::dom::element err)
{
    std::string_view name;
    if (!err.get_string().get(name)) {
        if (const char16_t *text = lookup(transactionErrors, name))
            return QString::fromUtf16(text);
        return toQString(name);
    }
    simdjson::dom::element payload;
    if (!singleMember(err, name, payload))
        return QString::fromStdString(simdjson::minify(err));

    if (name == "InstructionError") {
        simdjson::dom::array pair;
        uint64_t index = 0;
        if (!payload.get_array().get(pair) && pair.size() == 2 && !pair.at(0).get_uint64().get(index)) {
            return u"Error processing Instruction "_s + QString::number(index) + u": "
                   + instructionErrorText(pair.at(1).value_unsafe());
        }
    } else if (name == "DuplicateInstruction") {
        uint64_t index = 0;
        if (!payload.get_uint64().get(index)) {
            return u"Transaction contains a duplicate instruction ("_s + QString::number(index)
                   + u") that is not allowed";
        }
    } else if (name == "InsufficientFundsForRent") {
        return u"Transaction results in an account ("_s + accountIndexField(payload)
               + u") with insufficient funds for rent";
    } else if (name == "ProgramExecutionTemporarilyRestricted") {
        return u"Execution of the program referenced by account at index "_s
               + accountIndexField(payload) + u" is temporarily restricted.";
    } else if (lookup(transactionErrors, name) && payload.is_null()) {
        return QString::fromUtf16(lookup(transactionErrors, name));
    }
    return unknownVariant(name, &payload);
}

} // namespace SlotScope::Internal

namespace SlotScope {

QString transactionErrorText(QByteArrayView errJson)
{
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    const simdjson::padded_string padded(errJson.data(), std::size_t(errJson.size()));
    if (parser.parse(padded).get(root))
        return QString::fromUtf8(errJson);
    return Internal::transactionErrorText(root);
}

} // namespace SlotScope
