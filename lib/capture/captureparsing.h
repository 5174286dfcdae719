#pragma once

#include "protocol/accountdiffrecord.h"

// simdjson (On-Demand) parsing of capture lines, shared by CaptureReader and
// CsvExporter. Views point into the parser's string buffer or the input line
// and stay valid until the next parse with the same parser.

#include "capture/capturetypes.h"

#include <simdjson.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace SlotScope::Internal {

struct SolChangeView
{
    std::string_view account;
    quint64 pre = 0;
    quint64 post = 0;
};

struct TokenChangeView
{
    std::string_view account;
    std::string_view mint;
    std::string_view owner;
    quint64 pre = 0;
    quint64 post = 0;
    int decimals = 0;
};

/// What to extract from a `tx` object beyond the row fields.
enum TxDetail : unsigned {
    TxRowOnly = 0,
    TxLogs = 1,
    TxBalanceChanges = 2,
};

/// A `tx` object, fields as views. Absent optional values are nullopt.
struct TxView
{
    bool hasSlot = false;
    bool hasSignature = false;
    bool hasSuccess = false;
    bool slotScopeKeys = false;          ///< the line carries `session_id` or `fee`
    std::string_view badField;           ///< the key whose value failed to parse ("" when none did)
    quint64 slot = 0;
    std::string_view signature;
    bool success = true;
    std::string_view error;
    std::string_view sessionId;
    std::optional<quint64> fee;
    std::optional<quint64> computeUnitsConsumed;
    std::optional<qint64> blockTime;     ///< `block_time`
    std::optional<qint64> timestamp;     ///< `timestamp`
    std::optional<quint64> transactionIndex;
    std::string_view feePayer;
    std::vector<std::string_view> programIds;
    std::vector<std::string_view> logs;
    std::vector<SolChangeView> solChanges;
    std::vector<TokenChangeView> tokenChanges;

    void clear();
    std::optional<qint64> effectiveBlockTime() const { return blockTime ? blockTime : timestamp; }
};

enum class LineKind { Blank, Metadata, SessionStarted, Tx, Diff, Summary, Unknown, Malformed };

/// Result of parsing one NDJSON line.
struct ParsedLine
{
    LineKind kind = LineKind::Blank;
    std::string type;                    ///< the envelope's `type` (Unknown lines)
    std::string problem;                 ///< why a line is Malformed
    std::string badField;                ///< the `tx` key it failed at, quoted ("" when unknown)
    CaptureMetadata metadata;            ///< Metadata lines
    CaptureSummary summary;              ///< Summary lines
    QString sessionStartedId;            ///< SessionStarted lines
};

/// Parses one NDJSON envelope line in place (`capacity` ≥ `size` + padding).
/// For Tx lines the fields land in `tx` (with `detail` deciding what else).
void parseLine(simdjson::ondemand::parser &parser, const char *data, size_t size, size_t capacity,
               unsigned detail, TxView &tx, ParsedLine &out);

/// Parses a bare `Transaction` object (legacy documents) into `tx`.
simdjson::error_code parseTxDocument(simdjson::ondemand::parser &parser, const simdjson::padded_string &json,
                                     unsigned detail, TxView &tx);
simdjson::error_code parseMetadataDocument(simdjson::ondemand::parser &parser, const simdjson::padded_string &json,
                                           CaptureMetadata &out);
simdjson::error_code parseSummaryDocument(simdjson::ondemand::parser &parser, const simdjson::padded_string &json,
                                          CaptureSummary &out);

/// The `raw` value of a `tx` line, as the exact bytes in the line.
simdjson::error_code rawOfTxLine(simdjson::ondemand::parser &parser, const char *data, size_t size,
                                 size_t capacity, std::string_view &raw);

/// One events line: type, session_id, at (text), data (exact bytes).
struct EventView
{
    std::string_view type;
    std::string_view sessionId;
    std::string_view at;
    std::string_view dataJson;
};
simdjson::error_code parseEventLine(simdjson::ondemand::parser &parser, const char *data, size_t size,
                                    size_t capacity, EventView &out);

/// Parses `json` into `out` with simdjson's DOM parser (`padded`: the bytes
/// after `json` are readable padding). A number outside what that parser
/// holds (an integer above 2^64−1, a double beyond ±1.8e308) fails the whole
/// document there, though it may be a value nobody reads (an unknown key,
/// CAPTURE_FORMAT.md §8.2 item 2): such a document is read again with those
/// numbers as null, every other value exact (a field that held one is
/// absent).
simdjson::error_code parseLeniently(simdjson::dom::parser &parser, std::string_view json, bool padded,
                                    simdjson::dom::element &out);

/// One side (`pre` / `post`) of an account-diff notification result
/// (PROTOCOL.md §5.6; CAPTURE_FORMAT.md §4.3.3 calls them pre_state / post_state).
struct AccountStateView
{
    bool present = false;
    std::optional<quint64> lamports;
    std::string_view owner;
    std::optional<quint64> dataLen;     ///< `space`, else the decoded length of base64 / base58 `data`
};

/// The fields of an `account_diff` event's data (the notification result
/// {context:{slot}, account, signature, pre, post}; a `diff` line's flattened
/// layout with slot / pre_state / post_state reads the same).
struct AccountDiffView
{
    std::optional<quint64> slot;
    std::string_view signature;
    std::string_view account;
    AccountStateView pre;
    AccountStateView post;
};
void readAccountDiff(simdjson::dom::object data, AccountDiffView &out);
/// The record of a read diff, for the Account diffs panel and its CSV.
void toAccountDiffRecord(const AccountDiffView &view, const QString &sessionId, AccountDiffRecord &out);

inline QString toQString(std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }
QStringList toQStringList(const std::vector<std::string_view> &list);
/// Converts a view to the public struct (logs/changes only when extracted).
void toCapturedTransaction(const TxView &view, CapturedTransaction &out);

} // namespace SlotScope::Internal
