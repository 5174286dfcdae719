#pragma once

// Rebuilding the run's panels from NAME.events.ndjson (DESIGN.md §3
// "Capture"): the Sessions tree, discovery batches, the connections
// timeline, the protocol console and the account diffs of an opened capture.

#include "capture/capturetypes.h"
#include "model/accountdiffmodel.h"
#include "model/connectiontimelinemodel.h"
#include "model/protocollogentry.h"
#include "model/sessionstate.h"
#include "model/sessionupdate.h"
#include "protocol/controlmessages.h"
#include "protocol/coordinatorsnapshot.h"

#include <QHash>
#include <QList>
#include <QString>

#include <optional>

namespace SlotScope {

/// Where a session stood, for DiscoveryModel::setPosition / setSessionFinished.
struct ReplayPosition
{
    QString sessionId;
    quint64 slot = 0;
    std::optional<quint32> batchIndex;
    bool paused = false;
    bool finished = false;
};

/// The model changes of a run of events, in order per kind.
struct ReplayBatch
{
    QList<SessionUpdate> sessions;
    QList<std::pair<QString, DiscoveryBatchEvent>> discoveries;
    QList<ReplayPosition> positions;
    QList<ConnectionEvent> connections;
    QList<ProtocolLogEntry> protocol;
    QList<AccountDiffRecord> accountDiffs;
    /// The last `coordinator` event of the run of events: the reconnect
    /// coordinator as the engine saw it then (PROTOCOL.md §6.6).
    std::optional<CoordinatorSnapshot> coordinator;
    qint64 skippedEvents = 0;   ///< events of a known type whose data could not be read

    bool isEmpty() const
    {
        return sessions.isEmpty() && discoveries.isEmpty() && positions.isEmpty() && connections.isEmpty()
               && protocol.isEmpty() && accountDiffs.isEmpty() && !coordinator;
    }
};

/// Turns the events SessionEngine wrote (`session_created`, `slot`, `paused`,
/// `discovery_batch`, `connection`, `account_diff`, `coordinator`, …) back into the updates
/// the live models received. The protocol console is rebuilt from the events
/// that stand for control frames (sessionCreated, slotNotification, paused,
/// readyForContinue, discoveryBatch, completed, error, simulationError; continue and
/// continueTo as sent); the file does not keep every frame, so keepalives and
/// the raw frames are not there. A discovery batch's transactions are not in
/// the file, only their count. Unknown event types are ignored. Account diffs
/// are de-duplicated by (slot, signature, account) like CsvExporter does.
class EventReplay
{
public:
    /// `runId` names the run row (the capture path); `metadata` gives the
    /// range of a single session.
    EventReplay(QString runId, QString label, std::optional<CaptureMetadata> metadata);
    ~EventReplay();

    void apply(const CaptureEvent &event, ReplayBatch &out);
    /// Session rows changed since the last flush (one update per row).
    void flush(ReplayBatch &out);
    /// After the last event: the sessions the capture names (CaptureReader::
    /// sessionIds(): `session_started` lines, else the `summary`'s, else the
    /// metadata's — CAPTURE_FORMAT.md §8.2 item 4), which make the rows when
    /// no session_created event did (a `sim run` file), in that order; the
    /// counts of captured transactions per session (from the capture itself;
    /// "" = lines naming none, which a single session takes); and the time
    /// of the last event, which closes the timeline's open intervals. Every
    /// socket not Failed shows as closed (LinkState::ended): nothing of a
    /// recording is live. Emits the final rows.
    void finish(const QStringList &sessionIds, const QHash<QString, quint64> &transactionsPerSession,
                ReplayBatch &out);

    /// Time of the last event (ms since epoch), 0 when none.
    qint64 lastEventMs() const;
    /// What the recording lacks, from the events so far: each `replay_gap`
    /// as "<session id>: describeReplayGap()", in file order, and the number
    /// of `frame_dropped` lines.
    QStringList replayGaps() const;
    quint64 framesDropped() const;
    /// True once a `stopped` event was read: the user stopped the run (its
    /// capture has no summary line by design, not from a crash).
    bool wasStopped() const;
    /// True once a `session_created` of a parallel batch was seen.
    bool isParallel() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace SlotScope
