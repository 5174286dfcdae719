#pragma once

#include "net/framelog.h"
#include "net/websocketconnection.h"
#include "protocol/controlmessages.h"
#include "protocol/result.h"

#include <QHash>
#include <QString>
#include <QTimer>

#include <functional>
#include <optional>

namespace SlotScope {

/// What both control WebSockets share (issue 10): ControlManager (one
/// single session) and ParallelControlManager (one batch) implement only
/// their stages (create, attach, streaming) on top of it.
///
/// * The create parameters: disconnectTimeoutSecs defaults to
///   kMaxDisconnectTimeoutSecs and is raised (logged) to at least the
///   reconnect budget (ConnectionPolicy::maxTotal, whole seconds, 1 to
///   kMaxDisconnectTimeoutSecs), so the session outlives every reconnect the
///   loop tries (PROTOCOL.md §7).
/// * Every text frame is decoded; one that does not decode (or names an
///   is logged (slotscope.net), counted (malformedFrames()), shown in the
///   console and skipped as dropped; one naming a method (or sessionEventV2
///   event) this build does not know is shown, counted apart
///   (unrecognizedFrames()) and ignored, as PROTOCOL.md §4 asks, nothing
///   lost; the rest go to handleFrame(), which
///   hands each to the handler of the connection's stage().
/// * sendRequest() encodes, sends and logs each request for the console;
///   logReceived() logs each received frame (a sessionEventV2 with its seq_id).
/// * Replay dedup: admitSequence() per cursor (a single session has one, a
///   batch one per sub-session): a seqId at or below the cursor is dropped
///   and counted (duplicatesDropped(), PROTOCOL.md §2.3, §6.4).
/// * Handshake errors: `sessionOwnershipBusy` is transient (backoff and
///   retry: "<stage> contended: …"), any other fatal ("<what failed>: …"),
///   seed `handshake_error_for_response`.
/// * rejectsStep(): the errors that answer (refuse) a step in flight, so no
///   readyForContinue / paused follows for it (BacktestErrorClass::RequestRejected).
class ControlConnection : public WebSocketConnection
{
    Q_OBJECT
public:
    /// The parameters sent with the create (defaults applied).
    const CreateSessionParams &createParams() const { return m_params; }
    /// The disconnect timeout a create asking for `requested` seconds sends
    /// under `policy`: kMaxDisconnectTimeoutSecs when not given, else at
    /// least the reconnect budget (ConnectionPolicy::maxTotal, whole seconds).
    static quint16 effectiveDisconnectTimeoutSecs(std::optional<quint16> requested, const ConnectionPolicy &policy);
    /// Replayed frames dropped because their seqId was ≤ their cursor.
    qint64 duplicatesDropped() const { return m_duplicatesDropped; }
    /// Sequence numbers a jump skipped (a seqId / seq_id more than one above
    /// the last): taken as they come, logged and counted here.
    quint64 sequenceNumbersSkipped() const { return m_sequenceNumbersSkipped; }
    /// Held refusals dropped so far (each answered a copy of a step the server was running).
    qint64 refusalsOfCopiesDropped() const { return m_refusalsOfCopiesDropped; }
    /// Undecodable or unknown frames skipped.
    qint64 malformedFrames() const { return m_malformedFrames; }
    /// Frames ignored for an unknown method (unrecognizedControlFrame()).
    qint64 unrecognizedFrames() const { return m_unrecognizedFrames; }

    /// The request refused a step: the session did not move.
    static bool rejectsStep(const BacktestError &error);

Q_SIGNALS:
    /// Every frame sent or received, for the protocol console. A
    /// sessionEventV2's seq_id is in `seqId`.
    void frameLogged(const SlotScope::FrameLogEntry &entry);
    /// A `status` arrived while the create waits for its answer
    /// (`sessionCreated` / `sessionsCreatedV2`): the server waits for capacity,
    /// `startingRuntime` about every 10 s (PROTOCOL-0.31.md §4.5). Emitted as
    /// it arrives; a single session still delivers the frame itself with the
    /// other startup frames right after sessionCreated().
    void startupStatusReceived(const QString &status);

protected:
    ControlConnection(CreateSessionParams params, ConnectionPolicy policy, QObject *parent);

    /// Where the current connection is: creating the session (or batch),
    /// attaching to it after a drop, resuming it (a single session's
    /// resumeAttachedSession), or streaming its events.
    enum class Stage { Streaming, Creating, Attaching, Resuming };

    void handleText(QByteArrayView utf8) final;
    /// One decoded frame, in order: to the handler of stage() (Attaching and
    /// Resuming both go to handleAttachStage()).
    virtual void handleFrame(const ControlFrame &frame);
    virtual void handleCreateStage(const ControlFrame &frame) = 0;
    virtual void handleAttachStage(const ControlFrame &frame) = 0;
    virtual void handleStreamingFrame(const ControlFrame &frame) = 0;

    /// Send `request` and log it ("<summaryPrefix><short description>").
    /// False when the socket could not take it.
    bool sendRequest(const ControlRequest &request, const QString &summaryPrefix = {});
    void logReceived(const ControlFrame &frame, bool droppedAsDuplicate);
    /// True (and the cursor advances) when `seqId` is past `cursor`'s last
    /// one; false for a replayed duplicate, which is counted.
    bool admitSequence(const QString &cursor, quint64 seqId);
    std::optional<quint64> lastSequenceOf(const QString &cursor) const;
    const QHash<QString, quint64> &sequenceCursors() const { return m_cursors; }
    void clearSequences() { m_cursors.clear(); }
    /// The handshake's own error answer: transient when the session is busy
    /// elsewhere ("<stage> contended: …"), else fatal ("<failure>: …").
    void failHandshake(const BacktestError &error, const QString &stage, const QString &failure);
    /// The self-correcting rule of PROTOCOL-0.31.md §4.9: the create was
    /// refused for a discovery-filter variant this server spells another way;
    /// m_params now spells it the server's way (respellDiscoveryVariants()).
    /// True at most once per connection object: the caller sends the create again.
    bool respellCreateOnce(const BacktestError &error);
    /// A step sent before the drop is still unanswered after the re-attach's
    /// handshake: the replay may still be coming, after the handshake's answer
    /// (PROTOCOL-0.31.md §6.3 step 2: any order). Calls
    /// resendUnansweredSteps() once ConnectionPolicy::reattachReplayGrace has
    /// passed with the link still Up; a later re-attach restarts the wait.
    /// (The seed never sends a step again; a step lost with its socket would
    /// then wait forever.)
    void resendUnansweredStepsAfterReplay();
    /// Sends again each step sent before the drop that nothing since shows the
    /// server acted on (StepTracker::isActedOn()).
    virtual void resendUnansweredSteps() {}
    /// A step refusal of `sessionId` ("" for a single session) that may answer
    /// the copy sent again rather than the step (StepTracker::refusalMayAnswerCopy()):
    /// `deliver` runs after ConnectionPolicy::duplicateRefusalHold unless
    /// dropHeldRefusal() comes first. A newer hold of the same session replaces it.
    void holdRefusal(const QString &sessionId, std::function<void()> deliver);
    /// The step of `sessionId` showed itself under way: its held refusal
    /// answered the copy and is dropped (logged). No-op without one.
    void dropHeldRefusal(const QString &sessionId);
    /// A step refusal of `sessionId` came after the step showed itself under
    /// way (StepTracker::refusalAnswersCopy()): it answered the copy and is
    /// dropped (counted and logged like a dropped held refusal).
    void dropRefusalOfCopy(const QString &sessionId);
    /// Another copy of the step of `sessionId` goes out: a refusal held for
    /// the last one says nothing about it and is set aside (logged).
    void discardHeldRefusal(const QString &sessionId);

    CreateSessionParams m_params;
    Stage m_stage = Stage::Streaming;

private:
    QTimer m_replayGraceTimer{this};
    QHash<QString, quint64> m_heldRefusals; // session → serial of its pending hold
    quint64 m_lastHoldSerial = 0;
    qint64 m_refusalsOfCopiesDropped = 0;
    bool m_createRespelled = false;
    QHash<QString, quint64> m_cursors;
    qint64 m_duplicatesDropped = 0;
    quint64 m_sequenceNumbersSkipped = 0;
    qint64 m_malformedFrames = 0;
    qint64 m_unrecognizedFrames = 0;
};

} // namespace SlotScope
