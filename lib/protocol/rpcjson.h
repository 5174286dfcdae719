#pragma once

// simdjson DOM helpers shared by the readers of Solana RPC JSON in
// lib/protocol (transactionsummary, transactiondetail, transactionfiles).
// Private to the layer (PRIVATE_HEADERS in CMakeLists.txt): simdjson stays
// out of every public header.

#include <simdjson.h>

#include <QString>

#include <charconv>
#include <optional>
#include <string_view>

/// `using namespace RpcJson;` in a reader's .cpp brings in the DOM types and the helpers.
namespace SlotScope::RpcJson {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

/// The UTF-8 text of a simdjson string as a QString.
inline QString toQString(std::string_view text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

/// True if `key` exists in `o` (an object or an element) and is not JSON
/// null; its value is then in `out`.
template<typename T>
bool present(const T &o, std::string_view key, element &out)
{
    return !o.at_key(key).get(out) && !out.is_null();
}

/// The transaction error of a `meta` object into `err`: meta.err, or on older
/// payloads that carry only the deprecated status, status.Err. False when the
/// transaction succeeded.
inline bool transactionError(const object &meta, element &err)
{
    if (present(meta, "err", err))
        return true;
    element status;
    return meta.at_key("err").error() && present(meta, "status", status) && present(status, "Err", err);
}

/// A transaction's `version` as text: "legacy", or the number ("0");
/// nullopt when it is neither a string nor an integer.
inline std::optional<QString> versionText(element version)
{
    std::string_view text;
    int64_t number = 0;
    if (!version.get_string().get(text))
        return toQString(text);
    if (!version.get_int64().get(number))
        return QString::number(number);
    return std::nullopt;
}

/// A u64 from a decimal string (uiTokenAmount.amount); nullopt if the whole
/// text is not one.
inline std::optional<quint64> parseU64(std::string_view text)
{
    uint64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return quint64(value);
}

/// One entry of meta.preTokenBalances / postTokenBalances, as views into the
/// parsed document.
struct TokenBalanceEntry
{
    uint64_t accountIndex = 0;
    std::string_view mint;
    std::string_view owner;
    std::string_view programId;
    std::optional<quint64> amount; ///< uiTokenAmount.amount; nullopt if it is not a decimal u64
    int decimals = 0;              ///< uiTokenAmount.decimals, at most 255
};

/// Reads a token balance `entry` into `out` (a member that is absent or of
/// another type keeps its default; of a repeated key the first counts, as
/// with `at_key`); false when it has no accountIndex or no uiTokenAmount
/// object. One pass over each object's members: every transaction's token
/// balances go through here on the engine thread (issue 11).
inline bool readTokenBalance(element entry, TokenBalanceEntry &out)
{
    object members, amount;
    if (entry.get_object().get(members))
        return false;
    enum Seen : unsigned { Index = 1, Amount = 2, Mint = 4, Owner = 8, Program = 16, Raw = 32, Decimals = 64 };
    unsigned seen = 0;
    bool haveIndex = false, haveAmount = false;
    // True the first time `bit` is claimed.
    const auto first = [&seen](unsigned bit) { return !(seen & bit) && (seen |= bit); };
    const auto readString = [](element value, std::string_view &member) {
        std::string_view text;
        if (!value.get_string().get(text))
            member = text;
    };
    for (const auto field : members) {
        const std::string_view key = field.key;
        if (key == "accountIndex" && first(Index))
            haveIndex = !field.value.get_uint64().get(out.accountIndex);
        else if (key == "uiTokenAmount" && first(Amount))
            haveAmount = !field.value.get_object().get(amount);
        else if (key == "mint" && first(Mint))
            readString(field.value, out.mint);
        else if (key == "owner" && first(Owner))
            readString(field.value, out.owner);
        else if (key == "programId" && first(Program))
            readString(field.value, out.programId);
    }
    if (!haveIndex || !haveAmount)
        return false;
    for (const auto field : amount) {
        const std::string_view key = field.key;
        if (key == "amount" && first(Raw)) {
            std::string_view text;
            if (!field.value.get_string().get(text))
                out.amount = parseU64(text);
        } else if (key == "decimals" && first(Decimals)) {
            uint64_t decimals = 0;
            if (!field.value.get_uint64().get(decimals))
                out.decimals = int(qMin<uint64_t>(decimals, 255));
        }
    }
    return true;
}

} // namespace SlotScope::RpcJson
