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

#include "protocol/result.h"

#include <QJsonObject>
#include <QJsonValue>
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
/// PROTOCOL.md §4.1–4.2). `rpcEndpoint` is usually the relative path
/// `/backtest/<session_id>`; resolve it with resolveRpcUrl() (urls.h).
struct SessionInfo
{
    QString sessionId;
    QString rpcEndpoint;
    std::optional<QString> taskId;

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

/// Every `BacktestError` variant of PROTOCOL.md §4.11 (0.28), plus Unknown for
/// a variant name we do not know.
enum class BacktestErrorKind {
    InvalidTransactionEncoding,
    InvalidTransactionFormat,
    InvalidAccountEncoding,
    InvalidAccountOwner,
    InvalidAccountPubkey,
    NoMoreBlocks,
    BundleNotFound,
    AdvanceSlotFailed,
    FinalizeSlotFailed,
    InvalidRequest,
    Internal,
    InvalidBlockhashFormat,
    InitializingSysvarsFailed,
    ClerkError,
    SimulationError,
    SessionNotFound,
    SessionOwnerMismatch,
    SessionOwnershipBusy,
    NoProducedBlocksInRange,
    SessionNameTaken,
    Unknown,
};

/// A server `error` (PROTOCOL.md §4.11). Wire form (externally tagged, camelCase
/// variant, snake_case inline fields): `{"invalidRequest":{"error":"…"}}`, or a bare
/// string for unit variants (`"noMoreBlocks"`). Decoding matches variant names
/// case-insensitively; any other shape becomes Kind::Unknown with the raw JSON kept.
struct BacktestError
{
    BacktestErrorKind kind = BacktestErrorKind::Unknown;
    QString variant;      ///< wire variant name as received, e.g. "invalidRequest"
    QJsonObject fields;   ///< inline fields (snake_case keys as on the wire)
    QJsonValue raw;       ///< the whole `params` value as received

    /// NoMoreBlocks, AdvanceSlotFailed, FinalizeSlotFailed, Internal: the
    /// session cannot continue (seed mod.rs `is_terminal_backtest_error`).
    bool isTerminal() const;
    /// One line for people: "invalid request: startSlot must be <= endSlot".
    QString message() const;
    QJsonValue toJson() const;
    static BacktestError fromJson(const QJsonValue &params);

    /// Builders for the server side (fields per PROTOCOL.md §4.11).
    static BacktestError make(BacktestErrorKind kind, QJsonObject fields = {});
    static BacktestError invalidRequest(const QString &error);
    static BacktestError bundleNotFound(quint64 startSlot, quint64 endSlot);
    static BacktestError sessionNotFound(const QString &sessionId);
    static BacktestError sessionOwnershipBusy(const QString &reason);

    static QString variantName(BacktestErrorKind kind); ///< camelCase wire name
};

// ---------------------------------------------------------------------------
// Requests (client → server), PROTOCOL.md §3

/// `CreateSessionParams` (+ V1 `parallel`), PROTOCOL.md §3.1. Optional fields
/// are omitted from the wire when unset.
struct CreateSessionParams
{
    quint64 startSlot = 0;       ///< first slot, inclusive
    quint64 endSlot = 0;         ///< last slot, inclusive
    QStringList signerFilter;
    bool sendSummary = true;
    std::optional<quint16> capacityWaitTimeoutSecs;
    std::optional<quint16> disconnectTimeoutSecs; ///< seconds; server clamps to 900
    std::optional<quint32> extraComputeUnits;
    QList<DiscoveryFilter> discoveries;
    bool replayAccountState = false;
    bool parallel = false;

    bool operator==(const CreateSessionParams &) const = default;
};

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

// ---------------------------------------------------------------------------
// Responses (server → client), PROTOCOL.md §4

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
/// §4.9; `status` is a camelCase BacktestStatus string; unknown values are kept.
struct Status { QString status; bool operator==(const Status &) const = default; };
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

using ControlResponse = std::variant<
    Responses::SessionCreated,
    Responses::SessionAttached,
    Responses::SessionsCreatedV2,
    Responses::ParallelSessionAttachedV2,
    Responses::ReadyForContinue,
    Responses::SlotNotification,
    Responses::Paused,
    Responses::DiscoveryBatch,
    Responses::Error,
    Responses::Success,
    Responses::Completed,
    Responses::Status,
    Responses::SessionEventV2>;

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
/// Server side: compact JSON of a response, with top-level "seqId" when given.
QByteArray encodeControlResponse(const ControlResponse &response,
                                 std::optional<quint64> seqId = std::nullopt);
/// Wire method name, e.g. "slotNotification".
QString methodName(const ControlResponse &response);
QString methodName(const SessionEventKind &event);
/// Short human text for consoles/logs, e.g. "slot 1005", "paused 1010/3".
QString describe(const ControlResponse &response);

} // namespace SlotScope
