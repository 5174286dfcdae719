#pragma once

// The simulator's `BacktestError` (PROTOCOL-0.31.md §4.8, 22 variants of
// simulator-api 0.31) and the one classification every layer uses to decide
// what an error means for a session. Nobody else re-derives it.

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

namespace SlotScope {

namespace Json {
class Writer;
}

/// Every `BacktestError` variant of simulator-api 0.31 (PROTOCOL-0.31.md
/// §4.8), plus Unknown for a variant name this build does not know.
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
    ProgramdataNotDeployed, ///< 0.31: `{address}`
    Cut,                    ///< 0.31: `{slot}`, the session was cut off at that slot
    Unknown,
};

/// What an error means for the session it arrives on: the client rule of
/// PROTOCOL-0.31.md §4.8 ("Terminality"), the only place this is decided.
enum class BacktestErrorClass {
    /// noMoreBlocks, advanceSlotFailed, finalizeSlotFailed, internal, cut: the
    /// session cannot continue. Stop stepping and close the session; a later
    /// `completed` is still accepted.
    Terminal,
    /// simulationError: one transaction failed to simulate (§4.7). Count and
    /// show it; it never refuses, ends or re-drives a step.
    PerTransaction,
    /// invalidRequest, invalidTransactionEncoding/Format,
    /// invalidAccountEncoding/Owner/Pubkey, invalidBlockhashFormat,
    /// programdataNotDeployed: the request (a step) was refused and the
    /// session did not move; the user may send a corrected step.
    RequestRejected,
    /// bundleNotFound, noProducedBlocksInRange, clerkError,
    /// initializingSysvarsFailed, sessionNameTaken, sessionNotFound,
    /// sessionOwnerMismatch: the create or attach failed.
    CreateFailed,
    /// sessionOwnershipBusy: retry the handshake with backoff (PROTOCOL.md §7).
    TransientHandshake,
    /// A variant this build does not know: not terminal; show it with its raw JSON.
    Unknown,
};

/// The class of a variant (PROTOCOL-0.31.md §4.8).
BacktestErrorClass backtestErrorClass(BacktestErrorKind kind);
/// "terminal", "per-transaction", "request rejected", "create/attach failed",
/// "transient", "unknown" — for logs and tooltips.
QString backtestErrorClassName(BacktestErrorClass errorClass);

/// A server `error` (PROTOCOL-0.31.md §4.8). Wire form (externally tagged,
/// camelCase variant, snake_case inline fields): `{"invalidRequest":{"error":"…"}}`,
/// or a bare string for unit variants (`"noMoreBlocks"`). Decoding matches
/// variant names case-insensitively and fields in either casing; any other
/// shape becomes Kind::Unknown with the raw JSON kept and re-encoded verbatim.
struct BacktestError
{
    BacktestErrorKind kind = BacktestErrorKind::Unknown;
    QString variant;      ///< wire variant name as received, e.g. "invalidRequest"
    QJsonObject fields;   ///< inline fields; a known variant's declared fields under their snake_case wire names, whichever casing was received
    QJsonValue raw;       ///< the whole `params` value as received

    /// backtestErrorClass(kind).
    BacktestErrorClass errorClass() const;
    /// errorClass() == Terminal: the session cannot continue (noMoreBlocks,
    /// advanceSlotFailed, finalizeSlotFailed, internal, cut).
    bool isTerminal() const;
    /// One line for people, each variant its own wording:
    /// "invalid request: startSlot must be <= endSlot", "session cut at slot 380000077".
    QString message() const;
    QJsonValue toJson() const;
    /// Writes the wire form: declared fields in declaration order (either casing
    /// as received is written snake_case), then any extra fields as received.
    void write(Json::Writer &writer) const;
    static BacktestError fromJson(const QJsonValue &params);

    /// Builders for the server side (fields per PROTOCOL-0.31.md §4.8).
    static BacktestError make(BacktestErrorKind kind, QJsonObject fields = {});
    static BacktestError invalidRequest(const QString &error);
    static BacktestError bundleNotFound(quint64 startSlot, quint64 endSlot);
    static BacktestError sessionNotFound(const QString &sessionId);
    static BacktestError sessionOwnershipBusy(const QString &reason);
    static BacktestError simulationError(const QString &error);
    static BacktestError sessionNameTaken(const QString &sessionName);
    static BacktestError programdataNotDeployed(const QString &address);
    static BacktestError cut(quint64 slot);

    static QString variantName(BacktestErrorKind kind); ///< camelCase wire name, "unknown" for Unknown
};

} // namespace SlotScope
