#pragma once

// Parallel batches of the reference server (PROTOCOL.md §3.7, §4.3, §4.4,
// §4.13, §6.3, §6.5, §8.7): one control connection multiplexing N sub-sessions.
// Internal.

#include "protocol/controlmessages.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QMap>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QWebSocketProtocol>

#include <optional>

namespace SlotScope::Internal {

class BacktestSession;
class ControlConnection;
class SessionRegistry;

/// One sub-range of a parallel create, inclusive slots.
struct SubRange
{
    quint64 startSlot = 0;
    quint64 endSlot = 0;

    bool operator==(const SubRange &) const = default;
};

/// Split [startSlot, endSlot] at bundle boundaries: bundles are the slots
/// [origin + k × bundleSize, origin + (k + 1) × bundleSize − 1]. The first
/// sub-range starts at startSlot and the last ends at endSlot, so either may
/// be a partial bundle (a mid-bundle request is NOT widened to the covering
/// bundle). bundleSize 0 is treated as 1. Requires origin ≤ startSlot ≤ endSlot.
QList<SubRange> splitIntoBundles(quint64 startSlot, quint64 endSlot, quint64 origin, quint64 bundleSize);

/// One parallel batch (control session id `parallel_<uuid v7>`). Every
/// sub-session is a BacktestSession registered with the SessionRegistry, so its
/// data plane `/backtest/<session_id>` works exactly like a single session's;
/// its transactions are the part of one plan over the whole batch range that
/// falls into its sub-range (TransactionPlan::window()), so every transaction
/// of the batch is delivered by exactly one sub-session.
///
/// The sub-sessions' control responses come back through a response sink and
/// go out as `sessionEventV2 {session_id, seq_id, event}` with a per-session
/// seq_id from 1; each event is kept for attachParallelControlSessionV2.
///
/// Wire order of start(): with RefServerConfig::startupDelayMs the batch first
/// waits that long for capacity (0.31: a top-level `status startingRuntime`
/// at once and every startingRuntimeIntervalMs meanwhile); then for each
/// sub-session `sessionCreated`, then its startup events (statuses,
/// slotNotification, [discoveryBatch], readyForContinue) as sessionEventV2 seq
/// 1…; then `sessionsCreatedV2` (ranges omitted when
/// RefServerConfig::omitParallelRanges; `control_session_name` in 0.31).
class ParallelBatch : public QObject
{
    Q_OBJECT
public:
    /// Events kept for attach replay, all sub-sessions together (oldest dropped first).
    static constexpr qsizetype HistoryFrames = 400000;

    ParallelBatch(const QString &id, const QByteArray &ownerKey, const CreateSessionParams &params,
                  SessionRegistry *registry, QObject *parent = nullptr);
    ~ParallelBatch() override;

    QString id() const { return m_id; }
    const QByteArray &ownerKey() const { return m_ownerKey; }
    ControlConnection *control() const;
    QStringList sessionIds() const;

    /// Bind to `connection` (create or attach); stops the expiry timer. The
    /// batch notices the connection's end by itself.
    void attachControl(ControlConnection *connection);
    /// Create one sub-session per range and stream the create (see class doc).
    void start(const QList<SubRange> &ranges);
    /// Attach: re-send every kept event with seq_id > lastSequences[session]
    /// (a session missing from the map replays all it kept), in the original
    /// order, then `parallelSessionAttachedV2`.
    void replayAndConfirmAttach(const QMap<QString, quint64> &lastSequences);
    /// `continueSessionV1` / `continueToSessionV1`: route to the sub-session
    /// (its own errors come back as sessionEventV2 error); an unknown or closed
    /// sub-session gets a top-level error sessionNotFound.
    void handleContinue(const QString &sessionId, const ContinueParams &params);
    void handleContinueTo(const QString &sessionId, const ContinueToParams &params);
    /// `closeSessionV1`: sessionEventV2 success for it, then the sub-session is
    /// dropped (after RefServerConfig::effectiveClosedLingerMs() when it had completed).
    void handleCloseSession(const QString &sessionId);
    /// `closeBacktestSession`: `success`, every sub-session dropped (completed
    /// ones after RefServerConfig::effectiveClosedLingerMs(); their open data
    /// sockets close with 1000 "session closed" in 0.31, 1001 in 0.28), the
    /// control socket closed with 1000; finished() follows.
    void close();
    /// Drop every sub-session at once (expiry, server shutdown); finished() follows.
    void drop(const QString &reason);

Q_SIGNALS:
    /// The batch is over (closed, expired or dropped); the owner deletes it.
    void finished(SlotScope::Internal::ParallelBatch *batch);

private:
    struct SubSession
    {
        QString id;
        SubRange range;
        QPointer<BacktestSession> session;
        quint64 nextSeq = 1;
        bool announced = false;   // sessionCreated went out
        bool completed = false;
        bool closed = false;      // closeSessionV1 / batch closed
    };
    struct HistoryEntry
    {
        int subSession = 0;
        quint64 seqId = 0;
        QByteArray frame;
    };

    void startSubSessions(const QList<SubRange> &ranges);
    void onResponse(int index, const ControlResponse &response);
    void onControlFinished(ControlConnection *connection);
    void sendToControl(const QByteArray &frame);
    /// Drop `sub` now or after `lingerMs`; its data sockets close with `closeCode`.
    void dropSubSession(SubSession &sub, const QString &reason, int lingerMs,
                        QWebSocketProtocol::CloseCode closeCode = QWebSocketProtocol::CloseCodeGoingAway);
    void finish();

    QString m_id;
    QByteArray m_ownerKey;
    CreateSessionParams m_params;
    SessionRegistry *m_registry = nullptr;
    int m_disconnectTimeoutSecs = 0;
    QList<SubSession> m_subs;
    QHash<QString, int> m_index;
    QList<HistoryEntry> m_history;
    QPointer<ControlConnection> m_control;
    QMetaObject::Connection m_controlConnection;
    QTimer m_expiryTimer;
    QTimer m_startupTimer;         // RefServerConfig::startupDelayMs
    QTimer m_startingStatusTimer;  // 0.31: repeated top-level startingRuntime
    bool m_finished = false;
};

/// The parallel batches of one SessionRegistry (a child of it, made on first use).
class ParallelBatches : public QObject
{
    Q_OBJECT
public:
    /// The batches of `registry`, created on first use.
    static ParallelBatches *of(SessionRegistry *registry);

    /// `createBacktestSession` with `parallel: true` (PROTOCOL.md §8.7): the same
    /// range checks as a single create (invalidRequest when startSlot > endSlot,
    /// bundleNotFound outside the available range), invalidRequest when the
    /// split would exceed MaxSubSessions, else a new batch bound to `connection`.
    void create(ControlConnection *connection, const CreateSessionParams &params);
    /// `attachParallelControlSessionV2` (PROTOCOL.md §6.5): unknown id → error
    /// sessionNotFound, another API key → sessionOwnerMismatch, still bound to a
    /// live connection → sessionOwnershipBusy; else replay + parallelSessionAttachedV2.
    void attach(ControlConnection *connection, const QString &controlSessionId,
                const QMap<QString, quint64> &lastSequences);
    /// The batch currently bound to `connection`, or nullptr.
    ParallelBatch *batchFor(const ControlConnection *connection) const;
    ParallelBatch *batch(const QString &controlSessionId) const { return m_batches.value(controlSessionId); }
    /// The batch `sessionId` is a sub-session of, or nullptr.
    ParallelBatch *batchOfSubSession(const QString &sessionId) const;
    int batchCount() const { return int(m_batches.size()); }

    /// Sub-sessions one create may produce at most.
    static constexpr qsizetype MaxSubSessions = 1024;

    /// `parallel_<uuid v7>` (PROTOCOL.md §1.4; simple form in 0.31, §5.1).
    QString newControlSessionId() const;

private:
    explicit ParallelBatches(SessionRegistry *registry);

    SessionRegistry *m_registry = nullptr;
    QHash<QString, ParallelBatch *> m_batches;
};

} // namespace SlotScope::Internal
