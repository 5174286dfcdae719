#include "workbench/capturedocument.h"

#include "capture/capturediffs.h"
#include "capture/capturereader.h"
#include "capture/deduplicator.h"
#include "capture/capturewriter.h"
#include "model/accountdiffmodel.h"
#include "model/connectiontimelinemodel.h"
#include "model/discoverymodel.h"
#include "model/protocollogmodel.h"
#include "model/sessionmodel.h"
#include "model/transactionmodel.h"
#include "workbench/backgroundwork.h"
#include "workbench/logging.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonDocument>
#include <QThread>
#include <QtConcurrent/QtConcurrentRun>

using namespace Qt::StringLiterals;

namespace SlotScope {

namespace {

/// Batches waiting for the GUI thread before a worker pauses: keeps memory
/// bounded when the GUI is slower than the disk.
constexpr int maxPendingBatches = 4;

void waitForRoom(const std::atomic_int &pending, const std::atomic_bool &cancel)
{
    while (pending.load(std::memory_order_acquire) >= maxPendingBatches && !cancel.load(std::memory_order_relaxed))
        QThread::msleep(1);
}

} // namespace

CaptureDocument::CaptureDocument(const QString &path, QObject *parent)
    : QObject(parent)
    , m_path(path)
    , m_shared(std::make_shared<Shared>())
    , m_transactions(new TransactionModel(this))
    , m_sessions(new SessionModel(this))
    , m_discoveries(new DiscoveryModel(this))
    , m_timeline(new ConnectionTimelineModel(this))
    , m_protocol(new ProtocolLogModel(this))
    , m_accountDiffs(new AccountDiffModel(this))
{
    m_transactions->setWindowSize(INT_MAX);
    m_protocol->setWindowSize(INT_MAX);
    const QString events = CaptureWriter::eventsPathFor(path);
    if (events != path && QFileInfo::exists(events))
        m_eventsPath = events;
}

CaptureDocument::~CaptureDocument()
{
    m_shared->cancel = true;
    m_transactionTask.waitForFinished();
    m_eventTask.waitForFinished();
}

void CaptureDocument::start()
{
    if (m_state != State::Idle)
        return;
    m_state = State::Indexing;
    m_started.start();
    qCInfo(lcWorkbench, "Opening %s", qPrintable(m_path));

    // A named pipe or device gives its lines once (and opening a pipe waits
    // for a writer, holding a thread this document waits for when closed):
    // a capture is opened from a file, read again for each transaction's details.
    if (const QFileInfo info(m_path); info.exists() && !info.isFile() && !info.isDir()) {
        IndexResult refused;
        refused.error = tr("%1 is not a regular file (a named pipe or a device): a capture is opened from a file, "
                           "which is read again for each transaction's details")
                            .arg(m_path);
        m_eventsPath.clear();
        m_eventsDone = true;
        QMetaObject::invokeMethod(this, [this, refused] { onTransactionsDone(refused); }, Qt::QueuedConnection);
        return;
    }

    const std::shared_ptr<Shared> shared = m_shared;
    const QString path = m_path;
    const CaptureIndexer::Options options = m_options;
    // The destructor cancels and waits for both tasks, so `self` outlives them.
    CaptureDocument *self = this;
    m_transactionTask = QtConcurrent::run(backgroundThreadPool(), [shared, path, options, self] {
        CaptureIndexer::Sink sink;
        sink.opened = [shared, self](const CaptureOpenInfo &info) {
            QMetaObject::invokeMethod(self, [self, info] { self->onOpened(info); }, Qt::QueuedConnection);
        };
        sink.rows = [shared, self](TransactionRowBatch &&rows, const IndexProgress &progress) {
            waitForRoom(shared->pendingBatches, shared->cancel);
            ++shared->pendingBatches;
            QMetaObject::invokeMethod(self, [shared, self, rows = std::move(rows), progress]() mutable {
                --shared->pendingBatches;
                self->onRows(std::move(rows), progress);
            }, Qt::QueuedConnection);
        };
        const IndexResult result = CaptureIndexer::run(path, options, sink, &shared->cancel);
        QMetaObject::invokeMethod(self, [self, result] { self->onTransactionsDone(result); }, Qt::QueuedConnection);
    });

    if (m_eventsPath.isEmpty()) {
        // No events file: a `sim run` capture keeps its account diffs in
        // itself (diff lines, a transaction's account_diffs).
        m_eventTask = QtConcurrent::run(backgroundThreadPool(), [shared, path, self] {
            CaptureAccountDiffs diffs;
            diffs.setCancel(&shared->cancel); // a capture without diffs is read to its end
            Deduplicator dedup;
            ReplayBatch batch;
            // Its open and read errors are the capture's own, which the
            // transactions' reader reports. Damaged lines with diffs are said
            // here too: that reader skips a `diff` line's data unchecked, and a
            // diff that is no object in a whole line is no damage to it.
            if (diffs.open(path)) {
                AccountDiffRecord diff;
                while (diffs.next(diff)) {
                    if (!dedup.admitAccountDiff(diff.slot.value_or(0), diff.signature.toUtf8(), diff.account.toUtf8(),
                                                diffs.lastJson()))
                        continue;
                    batch.accountDiffs.append(std::move(diff));
                    if (batch.accountDiffs.size() >= 20000) {
                        postReplayBatch(shared, self, std::move(batch));
                        batch = {};
                    }
                }
            }
            postReplayBatch(shared, self, std::move(batch));
            QStringList warnings;
            if (const qint64 damaged = diffs.damagedLines(); damaged > 0)
                warnings.append(tr("%n line(s) with account diffs damaged: their diffs are not shown", nullptr,
                                   int(qMin<qint64>(damaged, INT_MAX))));
            if (const qint64 unreadable = diffs.unreadableDiffs(); unreadable > 0)
                warnings.append(tr("%n account diff(s) in the capture unreadable (no JSON object)", nullptr,
                                   int(qMin<qint64>(unreadable, INT_MAX))));
            QMetaObject::invokeMethod(self, [self, warnings] { self->onEventsDone(nullptr, 0, warnings, {}, -1, {}); },
                                      Qt::QueuedConnection);
        });
        return;
    }
    const QString eventsPath = m_eventsPath;
    const QString runId = m_path;
    const QString label = QFileInfo(m_path).fileName();
    m_eventTask = QtConcurrent::run(backgroundThreadPool(), [shared, eventsPath, runId, label, path, self] {
        // The metadata gives a single session its range; read it here rather
        // than waiting for the transaction task.
        std::optional<CaptureMetadata> metadata;
        {
            CaptureReader reader;
            if (reader.open(path))
                metadata = reader.metadata();
        }
        auto replay = std::make_shared<EventReplay>(runId, label, metadata);
        CaptureEventReader reader;
        reader.setParseData(false);
        QString error;
        const Result<void> opened = reader.open(eventsPath);
        if (!opened)
            error = opened.error().message;
        ReplayBatch batch;
        QElapsedTimer sinceBatch;
        sinceBatch.start();
        qint64 skipped = 0;
        int items = 0;
        const auto post = [&] {
            replay->flush(batch);
            skipped += batch.skippedEvents;
            batch.skippedEvents = 0;
            postReplayBatch(shared, self, std::move(batch));
            batch = {};
            items = 0;
            sinceBatch.restart();
        };
        CaptureEvent event;
        while (error.isEmpty() && reader.readNext(event)) {
            if (event.type != u"account_diff")
                event.data = QJsonDocument::fromJson(event.dataJson).object();
            replay->apply(event, batch);
            if (++items >= 20000 || ((items & 255) == 0 && sinceBatch.elapsed() >= 50)) {
                if (shared->cancel.load(std::memory_order_relaxed))
                    break;
                post();
            }
        }
        post();
        if (error.isEmpty())
            error = reader.errorString();
        skipped += reader.skippedLines();
        const QStringList warnings = reader.warnings();
        // What was read, and the file's time right after: a line appended
        // since shows as a larger size (CaptureView's stale banner).
        const QFileInfo afterwards(eventsPath);
        // Read to its end: what it held then. Unreadable, or cancelled (the
        // tab says so): the file as it is, so no change is claimed.
        const bool readToEnd = opened && error.isEmpty() && !shared->cancel.load();
        const qint64 bytesRead = readToEnd ? reader.readThrough() : afterwards.size();
        const QDateTime modified = afterwards.lastModified();
        QMetaObject::invokeMethod(self, [self, replay, skipped, warnings, error, bytesRead, modified] {
            self->onEventsDone(replay, skipped, warnings, error, bytesRead, modified);
        }, Qt::QueuedConnection);
    });
}

void CaptureDocument::postReplayBatch(const std::shared_ptr<Shared> &shared, CaptureDocument *self, ReplayBatch &&batch)
{
    if (batch.isEmpty())
        return;
    waitForRoom(shared->pendingBatches, shared->cancel);
    ++shared->pendingBatches;
    QMetaObject::invokeMethod(self, [shared, self, batch = std::move(batch)] {
        --shared->pendingBatches;
        self->onReplayBatch(batch);
    }, Qt::QueuedConnection);
}

QStringList CaptureDocument::replayGaps() const
{
    return m_replay ? m_replay->replayGaps() : QStringList();
}

quint64 CaptureDocument::framesDroppedWhileRecording() const
{
    return m_replay ? m_replay->framesDropped() : 0;
}

bool CaptureDocument::stoppedByUser() const
{
    return m_replay && m_replay->wasStopped();
}

void CaptureDocument::cancel()
{
    if (m_state == State::Indexing)
        m_shared->cancel = true;
}

Result<CapturedTransactionDetail> CaptureDocument::readTransaction(qint64 offset, const QString &signature) const
{
    return CaptureReader::readTransactionAt(m_path, offset, signature);
}

void CaptureDocument::onOpened(const CaptureOpenInfo &info)
{
    m_info = info;
    m_progress.totalBytes = info.totalBytes;
    Q_EMIT opened(info);
}

void CaptureDocument::onRows(TransactionRowBatch &&rows, const IndexProgress &progress)
{
    if (!m_rowsReserved && progress.expectedTransactions > 0) {
        m_rowsReserved = true;
        m_transactions->reserveRows(progress.expectedTransactions - m_transactions->rowCount());
    }
    m_transactions->appendRowBatch(rows);
    if (m_msToFirstRows < 0)
        m_msToFirstRows = m_started.elapsed();
    m_progress = progress;
    Q_EMIT progressChanged();
}

void CaptureDocument::onTransactionsDone(const IndexResult &result)
{
    m_result = result;
    m_progress.transactions = result.transactions;
    if (!result.error.isEmpty())
        m_error = result.error;
    // An events file opened by itself (its capture is not there): no capture
    // with no transactions, rather than one with 1 408 lines of unknown type.
    if (m_error.isEmpty() && result.transactions == 0 && !m_info.metadata && !result.summary) {
        if (const QStringList captures = CaptureWriter::capturePathsForEvents(m_path); !captures.isEmpty()) {
            m_error = tr("%1 is the events file of a capture, which is not there (%2): an events file is opened "
                         "with its capture")
                          .arg(QFileInfo(m_path).fileName(), QFileInfo(captures.constFirst()).fileName());
        }
    }
    m_transactionsDone = true;
    if (result.damagedLines > 0) {
        qCWarning(lcWorkbench, "%s: %lld damaged line(s) skipped", qPrintable(m_path),
                  static_cast<long long>(result.damagedLines));
    }
    finishIfDone();
}

void CaptureDocument::onReplayBatch(const ReplayBatch &batch)
{
    applyReplay(batch);
}

void CaptureDocument::applyReplay(const ReplayBatch &batch)
{
    if (!batch.sessions.isEmpty())
        m_sessions->applyUpdates(batch.sessions);
    for (const auto &[sessionId, event] : batch.discoveries)
        m_discoveries->addBatch(sessionId, event);
    for (const ReplayPosition &p : batch.positions) {
        if (p.finished)
            m_discoveries->setSessionFinished(p.sessionId);
        else
            m_discoveries->setPosition(p.sessionId, p.slot, p.batchIndex, p.paused);
    }
    if (!batch.connections.isEmpty())
        m_timeline->appendEvents(batch.connections);
    if (!batch.protocol.isEmpty())
        m_protocol->appendEntries(batch.protocol);
    if (!batch.accountDiffs.isEmpty())
        m_accountDiffs->appendRows(batch.accountDiffs);
    if (batch.coordinator) {
        m_coordinator = batch.coordinator;
        Q_EMIT coordinatorChanged();
    }
}

void CaptureDocument::onEventsDone(std::shared_ptr<EventReplay> replay, qint64 skipped, const QStringList &warnings,
                                   const QString &error, qint64 bytesRead, const QDateTime &modified)
{
    m_eventsBytesRead = bytesRead;
    m_eventsModifiedWhenRead = modified;
    m_replay = std::move(replay);
    m_skippedEvents = skipped;
    m_eventWarnings = warnings;
    if (!error.isEmpty())
        m_eventWarnings.prepend(tr("Events file: %1").arg(error));
    m_eventsDone = true;
    finishIfDone();
}

void CaptureDocument::finishIfDone()
{
    if (!m_transactionsDone || !m_eventsDone)
        return;
    // The session rows need the per-session counts of the capture itself.
    if (!m_replay)
        m_replay = std::make_shared<EventReplay>(m_path, QFileInfo(m_path).fileName(), m_info.metadata);
    ReplayBatch last;
    m_replay->finish(m_result.sessionIds, m_result.transactionsPerSession, last);
    // A `sim run` file of several sessions names none on its transactions
    // once the second has started: they count for the run, no sub-session.
    if (const quint64 unnamed = m_result.transactionsPerSession.value(QString()); unnamed > 0 && m_result.sessionIds.size() > 1)
        m_eventWarnings.append(tr("%n transaction(s) name no session: the capture has %1 sessions and does not say "
                                  "whose they are", nullptr, int(qMin<quint64>(unnamed, INT_MAX)))
                                   .arg(m_result.sessionIds.size()));
    applyReplay(last);
    if (m_replay->lastEventMs() > 0)
        m_timeline->closeAll(m_replay->lastEventMs());

    if (m_result.cancelled || m_shared->cancel)
        m_state = State::Cancelled;
    else if (!m_error.isEmpty() && m_result.transactions == 0)
        m_state = State::Failed;
    else
        m_state = State::Ready;
    m_msToFinished = m_started.elapsed();
    qCInfo(lcWorkbench, "%s: %lld transactions indexed in %lld ms (%lld damaged lines)", qPrintable(m_path),
           static_cast<long long>(m_result.transactions), static_cast<long long>(m_msToFinished),
           static_cast<long long>(m_result.damagedLines));
    Q_EMIT progressChanged();
    Q_EMIT finished();
}

} // namespace SlotScope
