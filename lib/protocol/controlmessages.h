#pragma once

// Value types and JSON codec for every control-plane message of the backtest
// simulator (PROTOCOL.md §2–§4). No sockets here.
//
// Encoding rules (PROTOCOL.md §2):
//  * every message is adjacently tagged {"method": <camelCase variant>, "params": <value>};
//    unit variants carry no "params" key;
//  * named-struct fields are camelCase (startSlot, advanceCount, batchIndex, seqId);
//  * fields declared inline in an enum variant are snake_case (session_id,
//    rpc_endpoint, last_sequence, control_session_id, seq_id, ...).
// We are strict in what we send (exactly the above) and lenient in what we
// accept: both casings of every multi-word field, "params": null for unit
// variants, unknown fields ignored, unknown methods reported as a decode error
// value (never a crash).

#include "protocol/backtesterror.h"
#include "protocol/result.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QHash>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>
#include <variant>

namespace SlotScope {

// ---------------------------------------------------------------------------
// Shared value types

/// Identity of a created backtest session (`sessionCreated` / `sessionAttached`,
/// PROTOCOL.md §4.1–4.2, PROTOCOL-0.31.md §4.1). `rpcEndpoint` is usually the
/// relative path `/backtest/<session_id>`; resolve it with resolveRpcUrl()
/// (urls.h). `sessionId` is kept exactly as received (either id form,
/// sessionids.h).
struct SessionInfo
{
    QString sessionId;
    QString rpcEndpoint;
    std::optional<QString> taskId;
    /// `session_name` (0.29+): the session's name, or for a sub-session the
    /// parallel run's name; empty when unnamed or from an older server.
    std::optional<QString> sessionName = std::nullopt;

    bool operator==(const SessionInfo &) const = default;
};

/// A batch-discovery filter (PROTOCOL.md §4.8). Wire form (externally tagged):
/// `{"programExecuted":"<addr>"}` or `{"oracleUpdate":{"programs":[…],"accounts":[…]}}`.
/// Unknown shapes decode to Kind::Unknown with the raw JSON kept, and are
/// re-encoded verbatim.
struct DiscoveryFilter
{
    enum class Kind { ProgramExecuted, OracleUpdate, Unknown };
    Kind kind = Kind::Unknown;
    QString program;        ///< ProgramExecuted: the program address (base58)
    QStringList programs;   ///< OracleUpdate
    QStringList accounts;   ///< OracleUpdate
    QJsonValue raw;         ///< Unknown: the value as received

    static DiscoveryFilter programExecuted(const QString &program);
    QJsonValue toJson() const;
    static DiscoveryFilter fromJson(const QJsonValue &value);
    /// Short human text, e.g. "programExecuted JUP6…aV4".
    QString describe() const;

    bool operator==(const DiscoveryFilter &) const = default;
};

/// `paused` payload (PROTOCOL.md §4.7): the session halted before batch
/// `batchIndex` of `slot` (the whole slot when batchIndex is empty).
struct PausedEvent
{
    quint64 slot = 0;
    std::optional<quint32> batchIndex;

    bool operator==(const PausedEvent &) const = default;
};

/// `discoveryBatch` payload (PROTOCOL.md §4.8): an upcoming batch that matched
/// a discovery filter, announced before it executes.
struct DiscoveryBatchEvent
{
    quint64 slot = 0;
    quint32 batchIndex = 0;
    QList<DiscoveryFilter> matched;
    QStringList transactions;        ///< base64 of each matching transaction (opaque)
    QList<quint32> transactionIndices;

    bool operator==(const DiscoveryBatchEvent &) const = default;
};

/// `completed` summary (PROTOCOL.md §4.10). Counters are transactions.
struct SessionSummary
{
    quint64 correctSimulation = 0;
    quint64 incorrectSimulation = 0;
    quint64 executionErrors = 0;
    quint64 balanceDiff = 0;
    quint64 logDiff = 0;
    quint64 unsanitizable = 0;
    QJsonValue rerouteStats;          ///< null unless a reroute session

    QJsonObject toJson() const;       ///< camelCase keys
    static SessionSummary fromJson(const QJsonObject &object);

    bool operator==(const SessionSummary &) const = default;
};

// ---------------------------------------------------------------------------
// Requests (client → server), PROTOCOL.md §3

/// The longest disconnectTimeoutSecs the server honours, in seconds: it
/// clamps larger values silently (PROTOCOL.md §3.1, §7; simulator-api
/// `MAX_DISCONNECT_TIMEOUT_SECS`). How long a session or batch outlives its
/// dropped control connection at most.
inline constexpr quint16 kMaxDisconnectTimeoutSecs = 900;

/// The capacityWaitTimeoutSecs a create asks for unless told otherwise
/// (PROTOCOL.md §3.1, its examples): a busy server waits for capacity this long
/// (sending startingRuntime, PROTOCOL-0.31.md §4.5) instead of refusing at once.
inline constexpr quint16 kDefaultCapacityWaitSecs = 900;

/// `CreateSessionParams` plus the V1 keys `parallel`, `name` and the create
/// token (PROTOCOL-0.31.md §3.1.1–3.1.2). Optional fields are omitted from the
/// wire when unset; `signerFilter` (gone in 0.29) only when non-empty. The
/// CreateSessionParams keys are camelCase; the token goes out under both
/// `createToken` and `create_token` (its spelling is not known, §3.1.2).
struct CreateSessionParams
{
    quint64 startSlot = 0;       ///< first slot, inclusive
    quint64 endSlot = 0;         ///< last slot, inclusive
    QStringList signerFilter;    ///< not in 0.29–0.31; sent only when set
    bool sendSummary = true;
    std::optional<quint16> capacityWaitTimeoutSecs;
    std::optional<quint16> disconnectTimeoutSecs; ///< seconds; server clamps to kMaxDisconnectTimeoutSecs
    std::optional<quint32> extraComputeUnits;
    QList<DiscoveryFilter> discoveries;
    bool replayAccountState = false;
    bool parallel = false;
    /// Session (or parallel run) name, already validated with
    /// validateSessionName() (sessionids.h).
    std::optional<QString> name = std::nullopt;
    /// newCreateToken() (sessionids.h). The caller creates it once per create
    /// and keeps it, so a create resent after a drop before `sessionCreated`
    /// carries the same token and reclaims the name instead of getting
    /// `sessionNameTaken` (§3.1.2).
    std::optional<QString> createToken = std::nullopt;
    /// How this server spells the discovery-filter variants, when it is not
    /// the camelCase sent by default: "programExecuted" → "ProgramExecuted"
    /// (respellDiscoveryVariants()).
    QHash<QString, QString> discoveryVariantSpellings;

    bool operator==(const CreateSessionParams &) const = default;
};

/// The self-correcting rule of PROTOCOL-0.31.md §4.9: a create answered with
/// serde's "unknown variant `programExecuted`, expected one of
/// `ProgramExecuted`, `OracleUpdate`, …" names the spellings the server
/// accepts. When the unknown variant is one of `params`' discovery filters
/// and the list holds the same name in another casing (camelCase, snake_case,
/// PascalCase), records that spelling in params.discoveryVariantSpellings and
/// returns true: the create may be sent again, once. False for any other
/// error text (nothing changed).
bool respellDiscoveryVariants(const QString &errorText, CreateSessionParams &params);

/// `ContinueParams`, PROTOCOL.md §3.2: advance `advanceCount` slots (default 1).
struct ContinueParams
{
    quint64 advanceCount = 1;
    QStringList transactions;          ///< base64 VersionedTransaction
    QJsonObject modifyAccountStates;   ///< AccountModifications, passed through

    bool operator==(const ContinueParams &) const = default;
};

/// `ContinueToParams`, PROTOCOL.md §3.3: run up to (not including) batch
/// `batchIndex` of `slot`; the whole slot when batchIndex is empty.
struct ContinueToParams
{
    quint64 slot = 0;
    std::optional<quint32> batchIndex;

    bool operator==(const ContinueToParams &) const = default;
};

namespace Requests {
struct CreateBacktestSession { CreateSessionParams params; bool operator==(const CreateBacktestSession &) const = default; };
struct Continue { ContinueParams params; bool operator==(const Continue &) const = default; };
struct ContinueTo { ContinueToParams params; bool operator==(const ContinueTo &) const = default; };
struct ContinueSessionV1 { QString sessionId; ContinueParams request; bool operator==(const ContinueSessionV1 &) const = default; };
struct ContinueToSessionV1 { QString sessionId; ContinueToParams request; bool operator==(const ContinueToSessionV1 &) const = default; };
struct CloseBacktestSession { bool operator==(const CloseBacktestSession &) const = default; };
struct CloseSessionV1 { QString sessionId; bool operator==(const CloseSessionV1 &) const = default; };
/// §3.5; lastSequence empty = replay the whole buffer.
struct AttachBacktestSession { QString sessionId; std::optional<quint64> lastSequence; bool operator==(const AttachBacktestSession &) const = default; };
struct ResumeAttachedSession { bool operator==(const ResumeAttachedSession &) const = default; };
/// §3.7; lastSequences maps session id → highest seq_id delivered.
struct AttachParallelControlSessionV2 { QString controlSessionId; QMap<QString, quint64> lastSequences; bool operator==(const AttachParallelControlSessionV2 &) const = default; };
} // namespace Requests

using ControlRequest = std::variant<
    Requests::CreateBacktestSession,
    Requests::Continue,
    Requests::ContinueTo,
    Requests::ContinueSessionV1,
    Requests::ContinueToSessionV1,
    Requests::CloseBacktestSession,
    Requests::CloseSessionV1,
    Requests::AttachBacktestSession,
    Requests::ResumeAttachedSession,
    Requests::AttachParallelControlSessionV2>;

/// Compact JSON text of a request, exactly as simulator-client sends it.
QByteArray encodeControlRequest(const ControlRequest &request);
/// Server side: decode a request frame (lenient: both casings, params null).
/// Errors: not JSON, not an object, missing/unknown method, missing required field.
Result<ControlRequest> decodeControlRequest(QByteArrayView utf8);
/// Wire method name of a request, e.g. "continueTo".
QString methodName(const ControlRequest &request);
/// Short human text of a sent request for the protocol console, e.g.
/// "continue 3 slot(s)", "abc: continue to 1010/2"; the method name for a
/// request without params.
QString describe(const ControlRequest &request);

// ---------------------------------------------------------------------------
// Responses (server → client), PROTOCOL.md §4

/// `BacktestStatus` values (PROTOCOL-0.31.md §4.5; `preparingBundle` and
/// `bundleReady` only from servers before 0.29). `startingRuntime` repeats about
/// every 10 s while the session waits for capacity.
enum class BacktestStatus {
    StartingRuntime,
    DecodedTransactions,
    AppliedAccountModifications,
    ReadyToExecuteUserTransactions,
    ExecutedUserTransactions,
    ExecutingBlockTransactions,
    ExecutedBlockTransactions,
    ProgramAccountsLoaded,
    PreparingBundle,
    BundleReady,
    Unknown, ///< a value this build does not know (accepted, shown as received)
};
/// The status named by a wire value (any casing); Unknown for anything else.
BacktestStatus backtestStatus(QStringView wire);
/// Words for people: "startingRuntime" → "starting runtime"; unknown camelCase
/// values are split the same way ("warmingCaches" → "warming caches").
QString backtestStatusText(QStringView wire);

namespace Responses {
struct SessionCreated { SessionInfo info; bool operator==(const SessionCreated &) const = default; };
struct SessionAttached { SessionInfo info; bool operator==(const SessionAttached &) const = default; };
/// §4.3. startSlots/endSlots are empty optionals when the server omitted them
/// (an old server; the client must fail the run).
struct SessionsCreatedV2 {
    QString controlSessionId;
    QStringList sessionIds;
    QList<std::optional<QString>> taskIds;
    std::optional<QList<quint64>> startSlots;
    std::optional<QList<quint64>> endSlots;
    /// `control_session_name` (0.29+): the parallel run's name; empty when
    /// unnamed or from an older server. (Last, so positional initialisers stay valid.)
    std::optional<QString> controlSessionName = std::nullopt;
    bool operator==(const SessionsCreatedV2 &) const = default;
};
struct ParallelSessionAttachedV2 {
    QString controlSessionId;
    QStringList sessionIds;
    QList<std::optional<QString>> taskIds;
    bool operator==(const ParallelSessionAttachedV2 &) const = default;
};
struct ReadyForContinue { bool operator==(const ReadyForContinue &) const = default; };
struct SlotNotification { quint64 slot = 0; bool operator==(const SlotNotification &) const = default; };
struct Paused { PausedEvent event; bool operator==(const Paused &) const = default; };
struct DiscoveryBatch { DiscoveryBatchEvent event; bool operator==(const DiscoveryBatch &) const = default; };
struct Error { BacktestError error; bool operator==(const Error &o) const { return error.toJson() == o.error.toJson(); } };
struct Success { bool operator==(const Success &) const = default; };
struct Completed { std::optional<SessionSummary> summary; bool operator==(const Completed &) const = default; };
/// §4.9, PROTOCOL-0.31.md §4.5; `status` is a camelCase BacktestStatus string
/// as received; unknown values are kept. All statuses are informational.
struct Status {
    QString status;
    BacktestStatus kind() const { return backtestStatus(status); }
    bool operator==(const Status &) const = default;
};
} // namespace Responses

/// `SessionEventKind` (PROTOCOL.md §4.13): what a `sessionEventV2` carries.
using SessionEventKind = std::variant<
    Responses::ReadyForContinue,
    Responses::SlotNotification,
    Responses::Paused,
    Responses::DiscoveryBatch,
    Responses::Error,
    Responses::Success,
    Responses::Completed,
    Responses::Status>;

namespace Responses {
/// §4.13. `event` is encoded like a response ({"method","params"}); decoding
/// also accepts a bare string (unit) or a single-key object {X: Y}.
struct SessionEventV2 {
    QString sessionId;
    quint64 seqId = 0;
    SessionEventKind event;
    bool operator==(const SessionEventV2 &) const = default;
};
} // namespace Responses

namespace Internal {
/// The alternatives of several std::variants, in order, as one std::variant.
template<class... Variants>
struct JoinVariants;
template<class... Ts>
struct JoinVariants<std::variant<Ts...>> { using type = std::variant<Ts...>; };
template<class... Ts, class... Us, class... Rest>
struct JoinVariants<std::variant<Ts...>, std::variant<Us...>, Rest...> : JoinVariants<std::variant<Ts..., Us...>, Rest...> {};
} // namespace Internal

/// Every server → client message: the session-level responses, each
/// SessionEventKind (a single session receives them on their own), and
/// sessionEventV2 (one of them for a sub-session of a parallel run).
using ControlResponse = Internal::JoinVariants<
    std::variant<Responses::SessionCreated,
                 Responses::SessionAttached,
                 Responses::SessionsCreatedV2,
                 Responses::ParallelSessionAttachedV2>,
    SessionEventKind,
    std::variant<Responses::SessionEventV2>>::type;

/// A decoded control frame: the response and its optional `seqId` (§2.3).
struct ControlFrame
{
    std::optional<quint64> seqId;
    ControlResponse response;
};

/// Decode one control text frame (lenient, §2.2). Errors (never a crash): not
/// JSON, not an object, missing method, unknown method (message starts with
/// "unknown method"), malformed params.
Result<ControlFrame> decodeControlResponse(QByteArrayView utf8);
/// A control frame naming a method this build does not know, at the top or
/// as a sessionEventV2's event: "clients should ignore unknown methods"
/// (PROTOCOL.md §4, §7.1), so it is shown and skipped, never counted as a
/// frame lost.
struct UnrecognizedControlFrame
{
    QString method;                ///< as received, e.g. "heartbeat"
    QString sessionId;             ///< the sub-session of a sessionEventV2; empty at the top
    std::optional<quint64> seqId;  ///< the frame's seqId, or the sessionEventV2's seq_id
};
/// For a frame decodeControlResponse() refused: what it is if the only
/// problem is an unknown method; nullopt for a frame that is broken (not
/// JSON, no method, malformed params of a known method or event).
std::optional<UnrecognizedControlFrame> unrecognizedControlFrame(QByteArrayView utf8);
/// Server side: compact JSON of a response, with top-level "seqId" when given.
QByteArray encodeControlResponse(const ControlResponse &response,
                                 std::optional<quint64> seqId = std::nullopt);
/// Wire method name, e.g. "slotNotification".
QString methodName(const ControlResponse &response);
QString methodName(const SessionEventKind &event);
/// Short human text for consoles/logs, e.g. "slot 1005", "paused 1010/3".
QString describe(const ControlResponse &response);

} // namespace SlotScope
