#pragma once

#include "workbench/captureindexer.h"
#include "workbench/eventreplay.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFuture>
#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

namespace SlotScope {

class AccountDiffModel;
class ConnectionTimelineModel;
class DiscoveryModel;
class ProtocolLogModel;
class SessionModel;
class TransactionModel;

/// One capture opened offline (issue 12 item 1; DESIGN.md §1 "Open /
/// Compare"): the transaction table and the panels the live run has, rebuilt
/// from NAME.ndjson and, when it is there, NAME.events.ndjson.
///
/// start() indexes both files in the background (two worker tasks: the
/// transactions with CaptureIndexer, the events with EventReplay); rows reach
/// the models in batches on the GUI thread as they are read, the first ones
/// at once, so the table fills while the rest is indexed. Damaged lines are
/// skipped and counted (result()), never fatal; an unreadable file ends in
/// State::Failed with errorString(). cancel() stops both tasks and keeps what
/// was indexed. The raw JSON stays on disk: readTransaction() reads one
/// transaction back by its offset for the detail pane.
///
/// The transaction model is unbounded here (an opened capture shows all its
/// rows; 144 bytes each, TransactionModel::bytesPerRow()).
class CaptureDocument : public QObject
{
    Q_OBJECT

public:
    enum class State { Idle, Indexing, Ready, Cancelled, Failed };
    Q_ENUM(State)

    explicit CaptureDocument(const QString &path, QObject *parent = nullptr);
    ~CaptureDocument() override;

    /// Starts indexing (once).
    void start();
    /// Stops indexing; the rows read so far stay. finished() follows.
    void cancel();

    QString path() const { return m_path; }
    /// NAME.events.ndjson beside the capture ("" when there is none).
    QString eventsPath() const { return m_eventsPath; }
    State state() const { return m_state; }
    bool isIndexing() const { return m_state == State::Indexing; }
    /// Why the capture could not be opened / read (State::Failed).
    QString errorString() const { return m_error; }

    /// Format and metadata (valid after opened()).
    const CaptureOpenInfo &openInfo() const { return m_info; }
    /// How far indexing got (bytes of NAME.ndjson, rows).
    const IndexProgress &progress() const { return m_progress; }
    /// Totals, damaged lines, warnings (complete after finished()).
    const IndexResult &result() const { return m_result; }
    /// Events that could not be read (damaged lines and unreadable payloads).
    qint64 skippedEvents() const { return m_skippedEvents; }
    QStringList eventWarnings() const { return m_eventWarnings; }
    /// The events file as it was read (after finished()): the bytes read
    /// through and its modification time right after; -1 and a null time
    /// without one. What it holds beyond that is not shown.
    qint64 eventsBytesRead() const { return m_eventsBytesRead; }
    QDateTime eventsModifiedWhenRead() const { return m_eventsModifiedWhenRead; }
    /// What the recording itself lacks, from its events file (after
    /// finished()): EventReplay::replayGaps() and framesDropped().
    QStringList replayGaps() const;
    quint64 framesDroppedWhileRecording() const;
    /// The events file says the user stopped the run (EventReplay::wasStopped()).
    bool stoppedByUser() const;
    /// Milliseconds from start() to the first rows in the model, and to the end.
    qint64 msToFirstRows() const { return m_msToFirstRows; }
    qint64 msToFinished() const { return m_msToFinished; }

    TransactionModel *transactions() const { return m_transactions; }
    SessionModel *sessions() const { return m_sessions; }
    DiscoveryModel *discoveries() const { return m_discoveries; }
    ConnectionTimelineModel *timeline() const { return m_timeline; }
    ProtocolLogModel *protocol() const { return m_protocol; }
    AccountDiffModel *accountDiffs() const { return m_accountDiffs; }
    /// The reconnect coordinator as the events file last recorded it
    /// (`coordinator` events of a parallel batch); none before the first.
    const std::optional<CoordinatorSnapshot> &coordinator() const { return m_coordinator; }

    /// The transaction whose row has `offset` (TransactionModel::CaptureOffsetRole).
    Result<CapturedTransactionDetail> readTransaction(qint64 offset, const QString &signature) const;

    /// Indexing options (tests, benchmarks); call before start().
    void setIndexerOptions(const CaptureIndexer::Options &options) { m_options = options; }

Q_SIGNALS:
    void opened(const SlotScope::CaptureOpenInfo &info);
    void progressChanged();
    void finished();
    /// coordinator() changed (a later `coordinator` event was read).
    void coordinatorChanged();

private:
    void onOpened(const CaptureOpenInfo &info);
    void onRows(TransactionRowBatch &&rows, const IndexProgress &progress);
    void onTransactionsDone(const IndexResult &result);
    void onReplayBatch(const ReplayBatch &batch);
    void onEventsDone(std::shared_ptr<EventReplay> replay, qint64 skipped, const QStringList &warnings,
                      const QString &error, qint64 bytesRead, const QDateTime &modified);
    void applyReplay(const ReplayBatch &batch);
    void finishIfDone();

    QString m_path;
    QString m_eventsPath;
    State m_state = State::Idle;
    QString m_error;
    CaptureIndexer::Options m_options;
    CaptureOpenInfo m_info;
    IndexProgress m_progress;
    IndexResult m_result;
    qint64 m_skippedEvents = 0;
    QStringList m_eventWarnings;
    qint64 m_eventsBytesRead = -1;
    QDateTime m_eventsModifiedWhenRead;
    std::shared_ptr<EventReplay> m_replay;
    std::optional<CoordinatorSnapshot> m_coordinator;
    bool m_transactionsDone = false;
    bool m_eventsDone = false;
    bool m_rowsReserved = false; ///< storage set aside for the predicted row count
    qint64 m_msToFirstRows = -1;
    qint64 m_msToFinished = -1;
    QElapsedTimer m_started; ///< since start(): the open's durations (steady, not the wall clock)

    // Shared with the worker tasks (they outlive nothing: the destructor waits).
    struct Shared
    {
        std::atomic_bool cancel{false};
        std::atomic_int pendingBatches{0};
    };
    std::shared_ptr<Shared> m_shared;
    /// From a worker: hands `batch` to the GUI thread (onReplayBatch()),
    /// waiting while too many are queued there.
    static void postReplayBatch(const std::shared_ptr<Shared> &shared, CaptureDocument *self, ReplayBatch &&batch);

    QFuture<void> m_transactionTask;
    QFuture<void> m_eventTask;

    TransactionModel *m_transactions;
    SessionModel *m_sessions;
    DiscoveryModel *m_discoveries;
    ConnectionTimelineModel *m_timeline;
    ProtocolLogModel *m_protocol;
    AccountDiffModel *m_accountDiffs;
};

} // namespace SlotScope
