#pragma once

#include "engine/discoverybreakpoint.h"
#include "model/connectiontimelinemodel.h"
#include "model/protocollogentry.h"
#include "model/sessionupdate.h"
#include "model/transactionmodel.h"
#include "protocol/accountdiffrecord.h"
#include "protocol/controlmessages.h"
#include "protocol/coordinatorsnapshot.h"

#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

namespace SlotScope {

/// A discovered batch of one session, for DiscoveryModel::addBatch.
struct DiscoveryUpdate
{
    QString sessionId;
    DiscoveryBatchEvent event;
    /// What the session's breakpoints did with the batch (empty: none counted it).
    QList<BreakpointHit> breakpointHits;
};

/// Where a session stands, for DiscoveryModel::setPosition: paused before
/// batch `batchIndex` of `slot` when `paused`, else its last slot.
struct PositionUpdate
{
    QString sessionId;
    quint64 slot = 0;        ///< paused: the paused event's slot; else the next slot to execute (Stepper::nextSlot())
    std::optional<quint32> batchIndex;
    bool paused = false;
    bool finished = false;   ///< the session completed: every batch is passed
};

/// One coalesced batch of changes from the engine thread to the GUI thread
/// (DESIGN.md §3: ≤ 30 per second, one insert per model per batch). The
/// capture on disk already holds everything in it.
struct ModelUpdate
{
    /// The run this batch belongs to (SessionEngine's run id): a window
    /// ignores batches of a run it no longer shows.
    QString runId;
    /// New transactions, compacted on the engine thread (base58 keys decoded,
    /// strings pooled per batch) so that the GUI thread only appends them
    /// (TransactionModel::appendRowBatch; issue 11).
    TransactionRowBatch transactions;
    QList<SessionUpdate> sessions;
    QList<DiscoveryUpdate> discoveries;
    QList<PositionUpdate> positions;
    QList<ProtocolLogEntry> protocol;
    QList<ConnectionEvent> connections;  ///< socket status changes, for the timeline
    /// New account diffs (accountDiffSubscribe), as the events file keeps them.
    QList<AccountDiffRecord> accountDiffs;
    /// A parallel batch's reconnect coordinator, when it changed since the last batch.
    std::optional<CoordinatorSnapshot> coordinator;
    quint64 capturedTotal = 0;        ///< transactions in the capture so far
    quint64 duplicatesDropped = 0;
    quint64 framesDropped = 0;        ///< frames skipped in the run so far (frame_dropped events)

    bool isEmpty() const
    {
        return transactions.isEmpty() && sessions.isEmpty() && discoveries.isEmpty()
               && positions.isEmpty() && protocol.isEmpty() && connections.isEmpty() && accountDiffs.isEmpty()
               && !coordinator;
    }
};

/// How a run ended (SessionEngine::runFinished).
struct RunOutcome
{
    enum class Kind { Completed, Failed, Stopped };
    /// What went wrong, for the headless exit code (DESIGN.md §5) and the window.
    enum class Category {
        None, Usage, Auth, Range, Unreachable, Connection, Stalled, Server, Capture,
        Driving, ///< an unattended run could not go on (a refused step): RunConfig::unattended
    };

    QString runId;              ///< the run that ended (runStarted()'s id)
    Kind kind = Kind::Completed;
    Category category = Category::None;
    QString message;            ///< one line for people; empty when completed
    QString capturePath;
    quint64 transactions = 0;   ///< captured, duplicates excluded
    bool captureComplete = false; ///< the capture ends with its summary line
    /// Frames skipped (malformed, undecodable, failed decompression): each is a
    /// `frame_dropped` line in the events file. A run that dropped any does not
    /// claim a complete capture (headless exit 10).
    quint64 framesDropped = 0;
    /// Times a subscription resumed after slots had left the server's replay
    /// window (SessionCore::replayGapFound()): each is a `replay_gap` line in
    /// the events file, and the capture lacks those slots' notifications
    /// (headless exit 11). `missedSlots` sums their slots over subscriptions.
    quint64 replayGaps = 0;
    quint64 missedSlots = 0;

    /// Stopped while the control socket was not Up: the close never reached
    /// the server, which keeps the session until its disconnect timeout
    /// (`message` says so).
    bool serverNotTold = false;

    bool succeeded() const { return kind == Kind::Completed && captureComplete; }
};

} // namespace SlotScope

Q_DECLARE_METATYPE(SlotScope::ModelUpdate)
Q_DECLARE_METATYPE(SlotScope::RunOutcome)
