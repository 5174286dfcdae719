#pragma once

#include "net/controlchannel.h"
#include "net/controlconnection.h"
#include "net/steptracker.h"
#include "protocol/controlmessages.h"
#include "protocol/result.h"

#include <QHash>
#include <QList>
#include <QMap>
#include <QMetaType>
#include <QSet>
#include <QString>

#include <optional>

namespace SlotScope {

/// One sub-session of a parallel batch as the server created it
/// (`sessionCreated` + its entry in `sessionsCreatedV2`, PROTOCOL.md §4.1, §4.3).
struct ParallelSubSessionInfo
{
    SessionInfo info;       ///< session id, rpc_endpoint as sent (resolve with urls.h), task id
    quint64 startSlot = 0;  ///< server-authoritative range, inclusive slots
    quint64 endSlot = 0;

    bool operator==(const ParallelSubSessionInfo &) const = default;
};

/// The one multiplexed control WebSocket of a parallel batch (DESIGN.md §4,
/// PROTOCOL.md §3.7, §4.3, §4.13, §6.3, §6.5; seed parallel.rs
/// `ParallelControlTask`). Decoding, the frame log, replay dedup (one cursor
/// per sub-session), the disconnect timeout and the handshake error mapping
/// are ControlConnection's.
///
/// * First connect: `createBacktestSession` with `parallel: true`. The create streams one
///   `sessionCreated` per sub-session, possibly interleaved with their early
///   `sessionEventV2`s, and ends with `sessionsCreatedV2`; every read must
///   arrive within ConnectionPolicy::parallelCreateReadTimeout (900 s by
///   default: the server may park between sub-sessions). `sessionsCreatedV2`
///   must carry `start_slots` and `end_slots` as long as `session_ids`, else
///   the loop fails (fatal, never retried) with "the server did not report the
///   sub-session slot ranges (too old for parallel batches)". An `error` during
///   the create is fatal ("parallel create failed: …"), sessionOwnershipBusy
///   transient. A connection lost before `sessionsCreatedV2` sends the same
///   create again on the next connection and forgets the partial answer.
/// * Events: `sessionEventV2 {session_id, seq_id, event}` is delivered per
///   sub-session after per-session dedup: an event with seq_id ≤ the highest
///   already delivered for that session is dropped and counted. Events that
///   arrive during the create are held back and delivered right after
///   sessionsCreated(); events of a session never announced are dropped.
///   `error simulationError` is per-transaction and non-fatal: logged,
///   counted, not delivered. `success` is not delivered.
/// * Reconnects: `attachParallelControlSessionV2 {control_session_id,
///   last_sequences}` with the per-session cursors; replayed events before and
///   after `parallelSessionAttachedV2` go through the same dedup; Up on
///   `parallelSessionAttachedV2`. Busy is transient, any other error fatal.
/// * A top-level terminal error (noMoreBlocks, advanceSlotFailed,
///   finalizeSlotFailed, internal) fails the loop; other top-level errors are
///   logged and ignored.
/// * Once every sub-session reported `completed` (or was closed with
///   closeSubSession()), batchCompleted() is emitted and — unless
///   setClosesWhenBatchCompleted(false) — the connection closes gracefully
///   (closeBacktestSession + close frame) and finished() follows; a loss after
///   that ends the loop quietly. Without the automatic close the owner closes
///   (closeSession()) once it is done with the batch, e.g. after every
///   sub-session's data plane drained (issue 8), and a loss before that
///   re-attaches as usual so the close can still go out.
/// * A Continue / Continue-to asked for while the connection is reconnecting
///   (the batch exists) waits and is sent once, right after the re-attach
///   (ControlManager's policy too).
/// * At most one Continue / Continue-to in flight per sub-session. One sent
///   just before a drop may never have reached the server: after a re-attach
///   (on `parallelSessionAttachedV2`, the replay before it included), if no
///   event of that sub-session arrived after it, it is sent again — once per
///   re-attach (the same rule as ControlManager).
class ParallelControlManager : public ControlConnection
{
    Q_OBJECT
public:
    ParallelControlManager(CreateSessionParams params, ConnectionPolicy policy, QObject *parent = nullptr);

    /// `sessionsCreatedV2` arrived.
    bool isCreated() const { return !m_controlSessionId.isEmpty(); }
    /// `parallel_<uuid>`; empty until created.
    QString controlSessionId() const { return m_controlSessionId; }
    /// `control_session_name` of sessionsCreatedV2 (0.29+, PROTOCOL-0.31.md
    /// §4.2): the run's name as the server spells it; empty when unnamed or
    /// from an older server.
    std::optional<QString> controlSessionName() const { return m_controlSessionName; }
    /// The sub-sessions in the server's order; empty until created.
    QList<ParallelSubSessionInfo> subSessions() const { return m_subSessions; }
    /// Highest seq_id delivered per sub-session: the cursors sent when re-attaching.
    QMap<QString, quint64> lastSequences() const;
    bool isContinueInFlight(const QString &sessionId) const
    {
        const auto step = m_steps.constFind(sessionId);
        return step != m_steps.cend() && step->hasStep();
    }
    /// Continues / Continue-tos sent again after a re-attach (see class doc).
    int continuesResent() const { return m_continuesResent; }
    bool isSubSessionCompleted(const QString &sessionId) const { return m_done.contains(sessionId); }
    /// Every sub-session completed or was closed (false before creation).
    bool isBatchCompleted() const;
    /// Number of createBacktestSession requests sent (> 1 after a drop mid-create).
    int createsSent() const { return m_createsSent; }
    /// `simulationError` events swallowed.
    qint64 simulationErrors() const { return m_simulationErrors; }

    /// Send `continueSessionV1` for `sessionId` (or keep it until the re-attach
    /// while reconnecting). Errors: not created, unknown or completed
    /// sub-session, the loop stopped or closing, a Continue already in flight
    /// for it.
    Result<void> sendContinue(const QString &sessionId, const ContinueParams &params);
    /// Send `continueToSessionV1`; same errors as sendContinue().
    Result<void> sendContinueTo(const QString &sessionId, const ContinueToParams &params);
    /// Send `closeSessionV1`: the sub-session ends and counts as done. Errors:
    /// not created, unknown or done sub-session, not Up.
    Result<void> closeSubSession(const QString &sessionId);
    /// Graceful close of the whole batch: `closeBacktestSession` + close frame
    /// within the graceful close timeout (seed `graceful_close`). Same as stop().
    void closeSession() { stop(); }
    /// Close by itself once every sub-session completed (default true). The
    /// managed batch turns it off: it closes only after every sub-session's
    /// completion drain ended. Only while idle.
    void setClosesWhenBatchCompleted(bool closes) { m_closesWhenBatchCompleted = closes; }

Q_SIGNALS:
    /// `sessionsCreatedV2` arrived with valid ranges (once per manager).
    void sessionsCreated(const QString &controlSessionId,
                         const QList<SlotScope::ParallelSubSessionInfo> &subSessions);
    /// A reconnect re-attached (`parallelSessionAttachedV2`).
    void reattached(const QString &controlSessionId);
    /// One new event of a sub-session (never a duplicate, never success):
    /// readyForContinue, slotNotification, paused, discoveryBatch, status,
    /// completed or error (a per-transaction simulationError included, §4.7).
    void eventReceived(const QString &sessionId, quint64 seqId, const SlotScope::SessionEventKind &event);
    /// A replayed event was dropped (seq_id ≤ the session's cursor).
    void duplicateDropped(const QString &sessionId, quint64 seqId);
    /// Every sub-session is done; the graceful close follows.
    void batchCompleted();

protected:
    void beginHandshake() override;
    void handleCreateStage(const ControlFrame &frame) override;
    void handleAttachStage(const ControlFrame &frame) override;
    void handleStreamingFrame(const ControlFrame &frame) override;
    void sendCloseRequest() override;
    bool endsOnLoss(const ConnectionLoss &loss) override;
    /// Until the batch is created nothing is at stake: first-connect failures fail fast.
    bool sessionExists() const override { return isCreated(); }
    std::chrono::milliseconds handshakeResponseTimeout() const override;

private:
    struct HeldEvent
    {
        QString sessionId;
        quint64 seqId = 0;
        SessionEventKind event;
    };

    /// Created, a known sub-session not done, and (with `needsUp`) the connection Up.
    Result<void> checkCanSend(const QString &sessionId, bool needsUp = true) const;
    /// createBacktestSession (parallel) with m_params, the stage reset to Creating.
    void sendCreate();
    void finishCreate(const Responses::SessionsCreatedV2 &created);
    /// Dedup, bookkeeping and the frame log (a duplicate is reported with
    /// duplicateDropped()); the sub-session's id in its announcedForm() when
    /// the event is new and should be delivered, nullopt for a duplicate.
    std::optional<QString> admit(const ControlFrame &frame, const Responses::SessionEventV2 &event);
    /// `sessionId` in its announcedForm(); events of an unknown sub-session are dropped.
    void deliver(const QString &sessionId, quint64 seqId, const SessionEventKind &event);
    /// The form a sub-session's id was first announced in (sessionCreated),
    /// for `id` in any form that names it (PROTOCOL-0.31.md §5.1: ids compare
    /// by sessionIdKey(); simple and hyphenated forms name one session);
    /// `id` itself when it names none. Every map here is keyed by that form.
    QString announcedForm(const QString &id);
    void scheduleCloseIfDone();
    Result<void> sendStep(const QString &sessionId, const ControlRequest &request);
    /// The attach succeeded: send the steps asked for while reconnecting, and
    /// resend the unanswered ones unless the replay shows the server acted on
    /// them (resendUnansweredStepsAfterReplay()).
    void sendStepsAfterReattach();
    void resendUnansweredSteps() override;

    QString m_controlSessionId;
    std::optional<QString> m_controlSessionName;
    QList<ParallelSubSessionInfo> m_subSessions;
    QSet<QString> m_subSessionIds;        // m_subSessions' ids, for the per-event lookup
    QList<SessionInfo> m_announced;       // during the create
    QList<HeldEvent> m_heldEvents;        // during the create
    QHash<QString, StepTracker> m_steps;  // per sub-session; connection() counts m_connections
    QHash<QString, QString> m_announcedForms; // any id form received → announcedForm()
    QSet<QString> m_done;                 // completed or closed
    bool m_closeScheduled = false;
    bool m_closesWhenBatchCompleted = true;
    int m_createsSent = 0;
    int m_continuesResent = 0;
    int m_connections = 0;                // handshakes begun
    qint64 m_simulationErrors = 0;
};

/// One sub-session's share of its batch's ParallelControlManager: the
/// ControlChannel a sub-session's SessionCore drives (issue 10). Steps go out
/// as `continueSessionV1` / `continueToSessionV1`; the end of the session is
/// left to the batch (which closes once every drain ended); a stop by the user
/// sends `closeSessionV1` while the shared connection is Up.
class ParallelSessionChannel final : public ControlChannel
{
public:
    ParallelSessionChannel(ParallelControlManager *manager, QString sessionId);

    WebSocketConnection *connection() const override { return m_manager; }
    bool ownsConnection() const override { return false; }
    std::optional<SessionInfo> sessionInfo() const override;
    bool isStepInFlight() const override;
    Result<void> sendContinue(const ContinueParams &params) override;
    Result<void> sendContinueTo(const ContinueToParams &params) override;
    void closeSession() override {}
    void cancelSession() override;

private:
    ParallelControlManager *m_manager;
    QString m_sessionId;
};

} // namespace SlotScope

Q_DECLARE_METATYPE(SlotScope::ParallelSubSessionInfo)
