#pragma once

// Data-plane (per-session RPC WebSocket) messages: Solana-PubSub-style JSON-RPC
// subscriptions, PROTOCOL.md §5.2–§5.6. No sockets here.
//
// The hot path is transactionNotification (~14 KB per frame, thousands per
// second): decodeDataPlaneMessage() does not build a DOM of the notification;
// it locates the `params.result` value and returns a view of its raw bytes, which
// the caller hands to TransactionSummarizer and writes verbatim to the capture.

#include "protocol/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringList>

#include <optional>
#include <variant>

namespace SlotScope {

/// What a subscription socket subscribes to.
enum class SubscriptionKind { Transactions, AccountDiffs };

/// `transactionSubscribe` parameters (PROTOCOL.md §5.5, [P] request form):
/// params = [{"accountInclude":[…]}, {"commitment":"confirmed","encoding":"json",
/// "maxSupportedTransactionVersion":0, "replayFromSlot":N?, "compression":"zstd"?}].
/// An empty accountInclude subscribes to every transaction. The request asks
/// for `json` as §5.5 writes it; a server that sends `jsonParsed` (or base64)
/// anyway is read all the same (TransactionSummarizer, TransactionDetail).
struct TransactionSubscribeParams
{
    QStringList accountInclude;
    std::optional<quint64> replayFromSlot; ///< inclusive; omitted when unset (§5.3)
    bool zstd = false;                     ///< compression:"zstd" (§5.4)
    QString encoding = QStringLiteral("json");

    bool operator==(const TransactionSubscribeParams &) const = default;
};

/// `accountDiffSubscribe` parameters (PROTOCOL.md §5.6, [I]):
/// params = ["<pubkey>", {"address_type":"program"?, "replayFromSlot":N?, "compression":"zstd"?}].
struct AccountDiffSubscribeParams
{
    QString address;
    bool programOwner = false;             ///< every account owned by `address`
    std::optional<quint64> replayFromSlot;
    bool zstd = false;

    bool operator==(const AccountDiffSubscribeParams &) const = default;
};

/// Slots of subscription events the server keeps for a resubscribe's
/// `replayFromSlot`: the newest slot and the 99 before it (PROTOCOL.md §5.2,
/// "buffered server-side for the last 100 slots", DOCS-QS). Older slots cannot
/// be replayed.
inline constexpr quint64 kServerReplaySlots = 100;

/// Slots a resubscribe can no longer get back, inclusive.
struct ReplayGap
{
    quint64 firstSlot = 0;
    quint64 lastSlot = 0;

    quint64 slotCount() const { return lastSlot - firstSlot + 1; }
    bool operator==(const ReplayGap &) const = default;
};

/// The slots a subscription missed for good when it resubscribed from
/// `resumeSlot` (its `replayFromSlot`, or the session's first slot when it had
/// received nothing) while the session had already executed `newestSlot` (the
/// highest slotNotification the client has seen): the server still holds only
/// newestSlot − 99 … newestSlot (kServerReplaySlots), so resumeSlot …
/// newestSlot − 100 are gone, at least (the server may be further on than the
/// client has heard). Slots up to `reportedThrough` were reported already and
/// are left out. nullopt when nothing is missing.
std::optional<ReplayGap> replayGap(quint64 resumeSlot, quint64 newestSlot,
                                   std::optional<quint64> reportedThrough = std::nullopt);
/// The slots a subscription missed for good, shown by the data itself: it
/// resubscribed with `replayFromSlot` = `resumeSlot`, which the server replays
/// inclusive (PROTOCOL.md §5.8) while it holds it, and the first notification
/// that came back was of `firstReplayedSlot`. Later than `resumeSlot`: the
/// server no longer held it, so what it had of `resumeSlot` …
/// `firstReplayedSlot` − 1 beyond what arrived before the outage is gone.
/// Unlike replayGap() this needs no news from the control plane, which may be
/// down or late itself. Slots up to `reportedThrough` are left out. nullopt
/// when the replay started at `resumeSlot`.
std::optional<ReplayGap> replayStartedLate(quint64 resumeSlot, quint64 firstReplayedSlot,
                                           std::optional<quint64> reportedThrough = std::nullopt);

QByteArray encodeTransactionSubscribe(qint64 requestId, const TransactionSubscribeParams &params);
QByteArray encodeAccountDiffSubscribe(qint64 requestId, const AccountDiffSubscribeParams &params);

namespace DataPlane {
/// `{"jsonrpc":"2.0","result":<subscription id>,"id":<request id>}`. A
/// subscription id (here and in the notifications) is accepted as a JSON
/// integer or string (PROTOCOL.md Q7 leaves it open): a u64 above 2^63 - 1
/// keeps its 64 bits as a qint64, a string is its number when it is one, else
/// a hash of its text. Each socket carries one subscription, so the id is
/// only shown, never matched.
struct SubscribeAck { qint64 requestId = 0; qint64 subscription = 0; };
/// `{"jsonrpc":"2.0","error":{"code":…,"message":…},"id":…}`; requestId -1 when null.
struct RpcError { qint64 requestId = -1; qint64 code = 0; QString message; };
/// `transactionNotification`: `result` is a view into the decoded frame (an
/// EncodedConfirmedTransactionWithStatusMeta JSON object, bytes as received).
/// `resultEndAssumed`: decoded with ResultEnd::Assumed and the end taken from
/// the frame's tail, so `result` is the result exactly only if it parses as one
/// JSON value (see ResultEnd).
struct TransactionNotification
{
    qint64 subscription = 0;
    QByteArrayView result;
    bool resultEndAssumed = false;
};
/// `accountDiffNotification` (§5.6). `result` is a view into the frame.
struct AccountDiffNotification {
    qint64 subscription = 0;
    quint64 slot = 0;
    QString account;     ///< empty when null
    QString signature;   ///< empty when null
    QByteArrayView result;
};
/// Any other notification method (kept so callers can log it).
/// `carriesData`: shaped like a subscription's notification (`params` an
/// object with `subscription` and an object `result`), i.e. possibly a
/// stream's data under a method name this client does not know.
struct OtherNotification { QString method; bool carriesData = false; };
} // namespace DataPlane

using DataPlaneMessage = std::variant<
    DataPlane::SubscribeAck,
    DataPlane::RpcError,
    DataPlane::TransactionNotification,
    DataPlane::AccountDiffNotification,
    DataPlane::OtherNotification>;

/// How decodeDataPlaneMessage() finds where a transactionNotification's
/// `params.result` ends, the one large value of a data-plane frame (~14 KB).
enum class ResultEnd {
    /// By its brackets: every byte of the result is looked at, and a frame
    /// that is not JSON never decodes.
    Exact,
    /// In the documented layout (PROTOCOL.md §5.5: `method` first, `result`
    /// the last member of `params`, `params` the last of the frame) the result
    /// ends at the frame's third-last '}': taken from there without looking at
    /// the result's bytes. Those bytes are the result exactly when they parse
    /// as one JSON value (simdjson refuses trailing content), which
    /// TransactionSummarizer checks anyway; a caller whose summary fails
    /// decodes again with Exact. A frame that does not decode this way (a
    /// member after `result` swallowed, Agave's order) is decoded again with
    /// Exact here. Other layouts decode as with Exact.
    Assumed,
};

/// Decode one data-plane frame (already decompressed). Views in the result
/// point into `utf8`, which must outlive them. Errors: not JSON / not an
/// object / missing fields — never a crash.
Result<DataPlaneMessage> decodeDataPlaneMessage(QByteArrayView utf8, ResultEnd resultEnd = ResultEnd::Exact);

// ---------------------------------------------------------------------------
// Server side (lib/refserver)

/// A subscribe request as the reference server understands it (lenient, §5.5:
/// params[0] may be a pubkey string, an array of pubkeys, or an object with any
/// of accountInclude / programIds / programs / accounts / address).
struct SubscribeRequest
{
    qint64 requestId = 0;
    QString method;               ///< "transactionSubscribe", "accountDiffSubscribe", …
    QStringList accounts;         ///< filter accounts/programs; empty = everything
    bool programOwner = false;    ///< accountDiffSubscribe with address_type "program"
    std::optional<quint64> replayFromSlot;
    bool zstd = false;
};

/// Decode a JSON-RPC request frame from a subscription client.
Result<SubscribeRequest> decodeSubscribeRequest(QByteArrayView utf8);
QByteArray encodeSubscribeAck(qint64 requestId, qint64 subscription);
QByteArray encodeRpcError(qint64 requestId, qint64 code, const QString &message);
/// Wraps a raw EncodedConfirmedTransactionWithStatusMeta JSON object verbatim.
QByteArray encodeTransactionNotification(qint64 subscription, QByteArrayView resultJson);
/// Wraps a raw AccountDiffNotification result object verbatim.
QByteArray encodeAccountDiffNotification(qint64 subscription, QByteArrayView resultJson);

/// Byte span [begin, end) of the JSON value starting at `from` (after
/// whitespace), or nullopt if the text is truncated/malformed. Handles strings
/// with escapes and nested objects/arrays. Exposed for tests and the capture reader.
std::optional<std::pair<qsizetype, qsizetype>> jsonValueSpan(QByteArrayView text, qsizetype from);

} // namespace SlotScope
