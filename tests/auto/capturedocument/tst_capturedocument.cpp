// CaptureDocument: every capture shape opened offline (issue 12 item 1) —
// a SlotScope capture with its events file (written with CaptureWriter the way
// SessionEngine writes it), a parallel batch's events, a `sim run` NDJSON
// stream, a legacy single document, damaged lines, a run cut short — and
// reading a row's transaction back by its offset, cancelling, and batching.

#include "capture/capturewriter.h"
#include "protocol/coordinatorsnapshot.h"
#include "model/accountdiffmodel.h"
#include "model/connectiontimelinemodel.h"
#include "model/discoverymodel.h"
#include "model/modelroles.h"
#include "model/protocollogmodel.h"
#include "model/sessionmodel.h"
#include "model/transactionmodel.h"
#include "protocol/transactionfiles.h"
#include "protocol/transactionsummary.h"
#include "refserver/accountdiffs.h"
#include "workbench/capturedocument.h"
#include "support/capturefiles.h"
#include "support/fixtures.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThreadPool>

#include <semaphore>

#include <sys/stat.h>

using namespace SlotScope;
using SlotScope::Testing::fixturesDir;
using SlotScope::Testing::writeFile;
using SlotScope::Testing::writeBatchOfFixtures;
using namespace Qt::StringLiterals;

namespace {

const QString kSession = u"7d0c2a9e-1111-4c33-8f00-5e5e5e5e5e01"_s;
const QString kJupiter = u"JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4"_s;

// CAPTURE_FORMAT.md §7 lines (as `sim run` writes them: no SlotScope keys, no raw).
const QByteArray simMetadata =
    R"({"type":"metadata","data":{"start_slot":419685240,"end_slot":419685250,"program_ids":["TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"],"ran_at_unix_secs":1780023967}})";
const QByteArray simStarted = R"({"type":"session_started","data":{"session_id":"8c1f3e52-5b0a-4d47-9a51-2f0e7c9d4b10"}})";
const QByteArray simSuccess =
    R"({"type":"tx","data":{"slot":419685246,"timestamp":1778761079,"signature":"4LXpF3MCdp69iFmD27Sn812UNpqFPHM4qXH7Y12E964p9GHXvwMe1XEmyasogVT2N4XEctdQQLf1sHY6Gvsa5sFX","success":true,"logs":["Program 11111111111111111111111111111111 invoke [1]","Program 11111111111111111111111111111111 success"],"sol_changes":[{"account":"3V9bd3EN5aNuhE4RiHGbZ1eZakJ1F9cDb8V4YLjCG8cg","pre_lamports":401428673570,"post_lamports":401428625200}],"token_changes":[{"account":"2e3Eb9tkT8252WhFR26Xz6SKoiatJScuMW1BHgGqPvvc","mint":"EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v","owner":"3V9bd3EN5aNuhE4RiHGbZ1eZakJ1F9cDb8V4YLjCG8cg","pre_amount":101903768394,"post_amount":101899968394,"decimals":6}]}})";
const QByteArray simFailure =
    R"({"type":"tx","data":{"slot":241043141,"timestamp":1704919455,"signature":"7ynjNWxA4yAQGXD5U9gheTn2DGDjoCZ4MB68wm15oJqEeA2MdSze6hMABJiEkC2atJCf4QsUCXBLrYpAdeMzsFG","success":false,"error":"Error processing Instruction 3: Program failed to complete","logs":["Program GqCHpDuPPsyyMxtaQgYxyLLLWv1kZFyy2DD5z1cMNouR invoke [1]"],"sol_changes":[{"account":"5yKF9m4HwZPA1cibk7JGEVtAGBL2Jx8PxcuB5EbHXRKq","pre_lamports":256562880,"post_lamports":256557880}],"token_changes":[]}})";
const QByteArray simSummary =
    R"({"type":"summary","data":{"total":2,"successes":1,"failures":1,"session_ids":["8c1f3e52-5b0a-4d47-9a51-2f0e7c9d4b10"]}})";
const QString simSuccessSig = u"4LXpF3MCdp69iFmD27Sn812UNpqFPHM4qXH7Y12E964p9GHXvwMe1XEmyasogVT2N4XEctdQQLf1sHY6Gvsa5sFX"_s;
const QString simFailureSig = u"7ynjNWxA4yAQGXD5U9gheTn2DGDjoCZ4MB68wm15oJqEeA2MdSze6hMABJiEkC2atJCf4QsUCXBLrYpAdeMzsFG"_s;

QByteArray lines(const QList<QByteArray> &list)
{
    QByteArray out;
    for (const QByteArray &l : list)
        out += l + '\n';
    return out;
}

/// Opens `path` and waits until indexing finished.
std::unique_ptr<CaptureDocument> openAndWait(const QString &path, CaptureIndexer::Options options = {})
{
    auto doc = std::make_unique<CaptureDocument>(path);
    doc->setIndexerOptions(options);
    QSignalSpy finished(doc.get(), &CaptureDocument::finished);
    doc->start();
    if (!finished.wait(30000))
        qFatal("indexing %s did not finish", qPrintable(path));
    return doc;
}

QStringList column(QAbstractItemModel *model, int column, int role = Qt::DisplayRole)
{
    QStringList out;
    for (int row = 0; row < model->rowCount(); ++row)
        out.append(model->index(row, column).data(role).toString());
    return out;
}

/// A SlotScope capture of the fixture transactions as SessionEngine writes it
/// (one session), with an events file describing its life, and the records
/// the live table received.
struct SlotScopeCapture
{
    QString path;
    QList<TransactionRecord> records;
    int accountDiffEvents = 0;
};

SlotScopeCapture writeSlotScopeCapture(const QString &path, bool finish = true)
{
    SlotScopeCapture out;
    out.path = path;
    const auto loaded = loadTransactionDirectory(fixturesDir());
    if (!loaded)
        qFatal("fixtures: %s", qPrintable(loaded.error().message));
    CaptureWriter writer;
    CaptureMetadata metadata{.startSlot = 1000, .endSlot = 1030, .ranAtUnixSecs = 1780023967};
    if (!writer.open(path, metadata))
        qFatal("cannot open the capture writer");
    const QJsonObject created{{u"session_id"_s, kSession}, {u"rpc_endpoint"_s, u"ws://127.0.0.1:1/rpc"_s}};
    writer.appendEvent(u"connection"_s, QString(),
                       QJsonObject{{u"socket"_s, u"control"_s}, {u"status"_s, u"Up"_s}, {u"reason"_s, QString()},
                                   {u"attempt"_s, 0}});
    writer.appendEvent(u"session_created"_s, kSession, created);
    writer.appendEvent(u"connection"_s, kSession,
                       QJsonObject{{u"socket"_s, u"transactions"_s}, {u"status"_s, u"Up"_s}, {u"reason"_s, QString()},
                                   {u"attempt"_s, 0}});
    writer.appendEvent(u"ready"_s, kSession, QJsonObject{});
    writer.appendEvent(u"discovery_batch"_s, kSession,
                       QJsonObject{{u"slot"_s, 1010}, {u"batchIndex"_s, 2},
                                   {u"matched"_s, QJsonArray{QJsonObject{{u"programExecuted"_s, kJupiter}}}},
                                   {u"transactionCount"_s, 3}, {u"transactionIndices"_s, QJsonArray{4, 5, 6}}});
    writer.appendEvent(u"continue_to_sent"_s, kSession, QJsonObject{{u"slot"_s, 1010}, {u"batchIndex"_s, 2}});

    TransactionSummarizer summarizer;
    quint64 slot = 1000;
    for (const LoadedTransaction &tx : *loaded) {
        Result<TransactionSummary> summary = summarizer.summarize(tx.json);
        if (!summary)
            qFatal("summarize: %s", qPrintable(summary.error().message));
        summary->slot = slot++;
        const qint64 offset = writer.appendTransaction(kSession, *summary, tx.json);
        out.records.append(makeTransactionRecord(kSession, *summary, offset));
        writer.appendEvent(u"slot"_s, kSession, QJsonObject{{u"slot"_s, qint64(summary->slot)}});
        if (summary->slot == 1005) {
            // A subscription drop and its reconnect.
            writer.appendEvent(u"connection"_s, kSession,
                               QJsonObject{{u"socket"_s, u"transactions"_s}, {u"status"_s, u"Down"_s},
                                           {u"reason"_s, u"remote closed"_s}, {u"attempt"_s, 1}});
            writer.appendEvent(u"connection"_s, kSession,
                               QJsonObject{{u"socket"_s, u"transactions"_s}, {u"status"_s, u"Down"_s},
                                           {u"reason"_s, u"remote closed"_s}, {u"attempt"_s, 1}, {u"delay_ms"_s, 10}});
            // Its first retry fails too: still Down, a second retry scheduled.
            writer.appendEvent(u"connection"_s, kSession,
                               QJsonObject{{u"socket"_s, u"transactions"_s}, {u"status"_s, u"Down"_s},
                                           {u"reason"_s, u"handshake: refused"_s}, {u"attempt"_s, 2}, {u"delay_ms"_s, 20}});
            writer.appendEvent(u"connection"_s, kSession,
                               QJsonObject{{u"socket"_s, u"transactions"_s}, {u"status"_s, u"Up"_s},
                                           {u"reason"_s, QString()}, {u"attempt"_s, 2}});
            writer.appendEvent(u"duplicate_dropped"_s, kSession,
                               QJsonObject{{u"socket"_s, u"transactions"_s}, {u"signature"_s, summary->signature},
                                           {u"slot"_s, qint64(summary->slot)}});
        }
        if (summary->slot == 1010)
            writer.appendEvent(u"paused"_s, kSession, QJsonObject{{u"slot"_s, 1010}, {u"batchIndex"_s, 2}});
        const auto deltas = Internal::deriveAccountDeltas(tx.json);
        if (deltas) {
            for (const Internal::AccountDelta &delta : *deltas) {
                writer.appendEvent(u"account_diff"_s, kSession,
                                   Internal::encodeAccountDiffResult(summary->slot, summary->signature, delta));
                ++out.accountDiffEvents;
            }
        }
    }
    if (finish) {
        writer.appendEvent(u"completed"_s, kSession, QJsonObject{{u"correctSimulation"_s, 31}});
        if (!writer.finish({kSession}))
            qFatal("finish failed");
    } else {
        writer.close();
    }
    return out;
}

} // namespace

class tst_CaptureDocument : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void slotScopeCaptureWithEvents();
    void runCutShort();
    void parallelBatchEvents();
    void recordingGapsAreNamed();
    void simRunNdjson();
    void simRunOfTwoSessions();
    void legacySingleDocument();
    void damagedLines_data();
    void damagedLines();
    void firstRowsComeFirst();
    void halvesReadAsOne_data();
    void halvesReadAsOne();
    void cancel_data();
    void cancel();
    void notACapture();
    void globalThreadPoolLeftToQt();
};

void tst_CaptureDocument::slotScopeCaptureWithEvents()
{
    QTemporaryDir dir;
    const SlotScopeCapture capture = writeSlotScopeCapture(dir.filePath(u"run.ndjson"_s));
    const auto doc = openAndWait(capture.path);
    QAbstractItemModelTester transactionsTester(doc->transactions());
    QAbstractItemModelTester sessionsTester(doc->sessions());
    QAbstractItemModelTester diffsTester(doc->accountDiffs());

    QCOMPARE(doc->state(), CaptureDocument::State::Ready);
    QCOMPARE(doc->eventsPath(), CaptureWriter::eventsPathFor(capture.path));
    QCOMPARE(doc->openInfo().format, CaptureReader::Format::Ndjson);
    QVERIFY(doc->openInfo().metadata);
    QCOMPARE(doc->openInfo().metadata->endSlot, 1030u);

    // Transactions: exactly the rows the live table got, offsets included.
    TransactionModel *model = doc->transactions();
    QCOMPARE(model->rowCount(), capture.records.size());
    for (int row = 0; row < model->rowCount(); ++row)
        QCOMPARE(model->record(row), capture.records.at(row));
    QCOMPARE(doc->result().transactions, capture.records.size());
    QCOMPARE(doc->result().damagedLines, 0);
    QVERIFY(doc->result().summary);
    QCOMPARE(doc->result().totals.total, quint64(capture.records.size()));

    // The detail pane reads each row back by offset: the raw JSON is the fixture's.
    const auto loaded = loadTransactionDirectory(fixturesDir());
    for (int row : {0, 7, 30}) {
        const TransactionRecord &record = capture.records.at(row);
        const auto detail = doc->readTransaction(record.captureOffset, record.signature);
        QVERIFY2(detail, qPrintable(detail ? QString() : detail.error().message));
        QCOMPARE(detail->transaction.signature, capture.records.at(row).signature);
        QCOMPARE(detail->raw, loaded->at(row).json.trimmed());
        QCOMPARE(detail->transaction.logs.isEmpty(), loaded->at(row).json.contains("\"logMessages\":null"));
    }

    // The file replaced since it was indexed (here: its lines reversed): a
    // row's offset now holds another transaction, which is never shown as
    // the row's.
    QFile file(capture.path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QList<QByteArray> lines = file.readAll().split('\n');
    file.close();
    std::reverse(lines.begin(), lines.end());
    writeFile(capture.path, lines.join('\n'));
    const TransactionRecord &firstRow = capture.records.at(0);
    const auto moved = doc->readTransaction(firstRow.captureOffset, firstRow.signature);
    QVERIFY(!moved);
    QVERIFY2(moved.error().message.contains(u"changed since it was opened"_s), qPrintable(moved.error().message));
    QVERIFY2(moved.error().message.endsWith(u"reopen it"_s) || moved.error().message.endsWith(u"reopen it)"_s),
             qPrintable(moved.error().message));

    // Sessions: one single-session run, completed, with the counts.
    SessionModel *sessions = doc->sessions();
    QCOMPARE(sessions->rowCount(), 1);
    const QModelIndex run = sessions->index(0, 0);
    QCOMPARE(sessions->rowCount(run), 0);
    QCOMPARE(run.data(SessionModel::StateRole).toInt(), int(SessionState::Completed));
    QCOMPARE(sessions->index(0, SessionModel::TransactionsColumn).data(RawValueRole).toULongLong(),
             quint64(capture.records.size()));
    QCOMPARE(sessions->index(0, SessionModel::ReconnectsColumn).data(RawValueRole).toULongLong(), 1u);
    QCOMPARE(sessions->index(0, SessionModel::DuplicatesColumn).data(RawValueRole).toULongLong(), 1u);
    QCOMPARE(sessions->index(0, SessionModel::CurrentSlotColumn).data(RawValueRole).toULongLong(), 1030u);
    QVERIFY(sessions->indexForSession(kSession).isValid());

    // Discoveries: the batch, passed once the session completed.
    DiscoveryModel *discoveries = doc->discoveries();
    QCOMPARE(discoveries->rowCount(), 1);
    QCOMPARE(discoveries->batchAt(0).slot, 1010u);
    QCOMPARE(discoveries->batchAt(0).batchIndex, 2u);
    QCOMPARE(discoveries->batchAt(0).transactions.size(), 3);
    QCOMPARE(discoveries->batchAt(0).matched.constFirst().program, kJupiter);
    QCOMPARE(discoveries->stateAt(0), DiscoveryModel::BatchState::Passed);

    // Connections timeline: the control lane and the transactions lane with its drop.
    ConnectionTimelineModel *timeline = doc->timeline();
    QCOMPARE(timeline->lanes().size(), 2); // the control socket (before the session existed), the subscription
    QList<ConnectionStatus> transactionsLane;
    for (const auto &interval : timeline->intervals()) {
        if (timeline->lanes().at(interval.lane).contains(u"transactions"_s))
            transactionsLane.append(interval.status);
    }
    QCOMPARE(transactionsLane, (QList<ConnectionStatus>{ConnectionStatus::Up, ConnectionStatus::Down, ConnectionStatus::Up}));
    for (const auto &interval : timeline->intervals()) {
        // The Down interval tells its last retry (the coordinator's socket table reads it), as live.
        if (interval.status == ConnectionStatus::Down) {
            QCOMPARE(interval.attempt, 2);
            QCOMPARE(interval.reason, u"handshake: refused"_s);
        }
    }
    for (const auto &interval : timeline->intervals())
        QVERIFY(interval.endMs); // closed at the last event

    // Protocol console: the control frames the events stand for, in order.
    const QStringList methods = column(doc->protocol(), 3);
    QCOMPARE(methods.mid(0, 3), (QStringList{u"sessionCreated"_s, u"readyForContinue"_s, u"discoveryBatch"_s}));
    QCOMPARE(methods.at(3), u"continueTo"_s);
    QCOMPARE(methods.count(u"slotNotification"_s), capture.records.size());
    QCOMPARE(methods.count(u"paused"_s), 1);
    QCOMPARE(methods.constLast(), u"completed"_s);

    // Account diffs: every event, with lamports / owner / length before and after.
    AccountDiffModel *diffs = doc->accountDiffs();
    QCOMPARE(diffs->rowCount(), capture.accountDiffEvents);
    QVERIFY(capture.accountDiffEvents > 31);
    const AccountDiffRecord first = diffs->record(0);
    QCOMPARE(first.signature, capture.records.at(0).signature);
    QCOMPARE(first.sessionId, kSession);
    QCOMPARE(first.slot, std::optional<quint64>(1000));
    QVERIFY(first.preLamports && first.postLamports);
    QCOMPARE(doc->skippedEvents(), 0);
}

void tst_CaptureDocument::runCutShort()
{
    QTemporaryDir dir;
    const SlotScopeCapture capture = writeSlotScopeCapture(dir.filePath(u"cut.ndjson"_s), /*finish=*/false);
    const auto doc = openAndWait(capture.path);
    QCOMPARE(doc->state(), CaptureDocument::State::Ready);
    QCOMPARE(doc->transactions()->rowCount(), capture.records.size());
    QVERIFY(!doc->result().summary);                       // no summary line
    QCOMPARE(doc->result().totals.total, quint64(capture.records.size())); // recomputed
    QCOMPARE(doc->result().totals.failures, 3u);
    // The session never completed: it stays where the file leaves it.
    QCOMPARE(doc->sessions()->index(0, 0).data(SessionModel::StateRole).toInt(), int(SessionState::Running));
    QCOMPARE(doc->discoveries()->stateAt(0), DiscoveryModel::BatchState::Passed);
}

void tst_CaptureDocument::parallelBatchEvents()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"batch.ndjson"_s);
    CaptureWriter writer;
    CaptureMetadata metadata{.startSlot = 1000, .endSlot = 1199};
    QVERIFY(writer.open(path, metadata));
    const QStringList subs{u"sub-a"_s, u"sub-b"_s};
    writer.appendEvent(u"connection"_s, QString(),
                       QJsonObject{{u"socket"_s, u"control"_s}, {u"status"_s, u"Up"_s}, {u"reason"_s, QString()}, {u"attempt"_s, 0}});
    QCOMPARE(writeBatchOfFixtures(writer, subs), 31);
    // The reconnect coordinator mid-storm, a damaged state, then the last.
    CoordinatorSnapshot storm;
    storm.atMs = 1'760'000'000'000;
    storm.holder = CoordinatorSnapshot::Socket{subs.at(0), u"transactions"_s, storm.atMs - 300, 6, false, 12};
    storm.parked = {{subs.at(1), u"account diffs"_s, storm.atMs - 900, 6, true, std::nullopt}};
    storm.participants = 5;
    storm.streaming = 3;
    storm.reconnects = 4;
    storm.parks = 2;
    storm.stormSinceMs = storm.atMs - 1000;
    writer.appendEvent(u"coordinator"_s, QString(), storm.toJson());
    writer.appendEvent(u"coordinator"_s, QString(), QJsonObject{{u"reconnects"_s, -3}});
    CoordinatorSnapshot over = storm;
    over.atMs += 2000;
    over.holder.reset();
    over.parked.clear();
    over.stormSinceMs.reset();
    over.storms = 1;
    over.lastStormMs = 1500;
    over.longestStormMs = 1500;
    over.totalParkedMs = 1400;
    over.longestParkMs = 900;
    over.streaming = 5;
    writer.appendEvent(u"coordinator"_s, QString(), over.toJson());
    writer.appendEvent(u"completed"_s, subs.at(0), QJsonObject{});
    writer.appendEvent(u"error"_s, subs.at(1),
                       QJsonObject{{u"message"_s, u"stalled"_s}, {u"kind"_s, u"Stalled"_s}, {u"connection"_s, u"None"_s}});
    QVERIFY(writer.finish(subs));

    const auto doc = openAndWait(path);
    // The coordinator's figures replay as the engine recorded them.
    QVERIFY(doc->coordinator());
    QCOMPARE(*doc->coordinator(), over);
    QCOMPARE(doc->skippedEvents(), 1);
    SessionModel *sessions = doc->sessions();
    QCOMPARE(sessions->rowCount(), 1);
    const QModelIndex run = sessions->index(0, 0);
    QCOMPARE(sessions->rowCount(run), 2);
    QCOMPARE(sessions->index(0, SessionModel::SessionColumn, run).data().toString(), u"sub-a"_s);
    QCOMPARE(sessions->index(0, 0, run).data(SessionModel::StateRole).toInt(), int(SessionState::Completed));
    QCOMPARE(sessions->index(1, 0, run).data(SessionModel::StateRole).toInt(), int(SessionState::Failed));
    QCOMPARE(sessions->index(1, SessionModel::LastErrorColumn, run).data().toString(), u"stalled"_s);
    QCOMPARE(sessions->index(0, SessionModel::TransactionsColumn, run).data(RawValueRole).toULongLong(), 16u);
    QCOMPARE(sessions->index(1, SessionModel::TransactionsColumn, run).data(RawValueRole).toULongLong(), 15u);
    QCOMPARE(sessions->index(1, SessionModel::SlotRangeColumn, run).data().toString(), u"1100..1199"_s);
    // Nothing of a recording is live: the control socket last seen Up shows Closed.
    QCOMPARE(sessions->index(0, SessionModel::ControlColumn).data().toString(), u"Closed"_s);
    QCOMPARE(doc->transactions()->rowCount(), 31);
}

void tst_CaptureDocument::recordingGapsAreNamed()
{
    // A run whose subscription came back past the server's replay window, and
    // that dropped an unreadable frame: reopened, the document names both
    // (the capture alone, with its summary line, would look whole).
    QTemporaryDir dir;
    const QString path = dir.filePath(u"gaps.ndjson"_s);
    const auto loaded = loadTransactionDirectory(fixturesDir());
    QVERIFY(loaded);
    CaptureWriter writer;
    QVERIFY(writer.open(path, CaptureMetadata{.startSlot = 1000, .endSlot = 1399}));
    writer.appendEvent(u"session_created"_s, kSession,
                       QJsonObject{{u"session_id"_s, kSession}, {u"rpc_endpoint"_s, u"ws://127.0.0.1:1/rpc"_s}});
    TransactionSummarizer summarizer;
    auto summary = summarizer.summarize(loaded->first().json);
    QVERIFY(summary);
    summary->slot = 1000;
    writer.appendTransaction(kSession, *summary, loaded->first().json);
    writer.appendEvent(u"frame_dropped"_s, kSession,
                       QJsonObject{{u"socket"_s, u"transactions"_s}, {u"reason"_s, u"not JSON"_s}, {u"size"_s, 3},
                                   {u"raw"_s, u"{{{"_s}});
    writer.appendEvent(u"replay_gap"_s, kSession,
                       QJsonObject{{u"socket"_s, u"transactions"_s}, {u"first_slot"_s, 1025},
                                   {u"last_slot"_s, 1299}, {u"newest_slot"_s, 1399}});
    writer.appendEvent(u"completed"_s, kSession, QJsonObject{});
    QVERIFY(writer.finish({kSession}));

    const auto doc = openAndWait(path);
    QCOMPARE(doc->state(), CaptureDocument::State::Ready);
    const QString gap = describeReplayGap(u"transactions"_s, 1025, 1299, 1399);
    QVERIFY(gap.contains(u"1025–1299"_s));
    QCOMPARE(doc->replayGaps(), QStringList{kSession + u": "_s + gap});
    QCOMPARE(doc->framesDroppedWhileRecording(), quint64(1));
    // The session row keeps the gap as its last error.
    const QModelIndex row = doc->sessions()->index(0, SessionModel::LastErrorColumn);
    QCOMPARE(row.data().toString(), gap);
}

void tst_CaptureDocument::simRunNdjson()
{
    QTemporaryDir dir;
    // With account diffs (§4.4): a diff line, the same again (dropped).
    const QByteArray diff = R"({"type":"diff","data":{"signature":")" + simSuccessSig.toUtf8()
                            + R"(","slot":419685246,"account":"2e3E","pre_state":{"lamports":5,"owner":"Tokenkeg","space":165},)"
                              R"("post_state":{"lamports":4,"owner":"Tokenkeg","space":165}}})";
    const QString path = writeFile(dir.filePath(u"sim.ndjson"_s),
                                   lines({simMetadata, simStarted, simFailure, simSuccess, diff, diff, simSummary}));
    const auto doc = openAndWait(path);
    QCOMPARE(doc->state(), CaptureDocument::State::Ready);
    QVERIFY(doc->eventsPath().isEmpty());
    QCOMPARE(column(doc->transactions(), TransactionModel::SignatureColumn), (QStringList{simFailureSig, simSuccessSig}));
    const TransactionRecord failed = doc->transactions()->record(0);
    QVERIFY(!failed.success);
    QCOMPARE(failed.error, u"Error processing Instruction 3: Program failed to complete"_s);
    QCOMPARE(failed.sessionId, u"8c1f3e52-5b0a-4d47-9a51-2f0e7c9d4b10"_s);
    QCOMPARE(failed.blockTime, std::optional<qint64>(1704919455));
    QVERIFY(!failed.computeUnitsConsumed);
    QCOMPARE(doc->result().rowsWithFee, 0);   // `sim run` files record no fee
    // The Sessions panel names the run's one session.
    QCOMPARE(doc->sessions()->rowCount(), 1);
    QCOMPARE(doc->sessions()->index(0, SessionModel::SessionColumn).data(RawValueRole).toString(),
             u"8c1f3e52-5b0a-4d47-9a51-2f0e7c9d4b10"_s);
    // The detail pane gets the line's own fields (there is no raw JSON).
    const auto detail = doc->readTransaction(failed.captureOffset, failed.signature);
    QVERIFY(detail);
    QVERIFY(detail->raw.isEmpty());
    QCOMPARE(detail->transaction.solChanges.size(), 1);
    QCOMPARE(detail->transaction.logs.size(), 1);
    // Its diffs, from the capture itself (there is no events file).
    QCOMPARE(doc->accountDiffs()->rowCount(), 1);
    const AccountDiffRecord read = doc->accountDiffs()->record(0);
    QCOMPARE(read.signature, simSuccessSig);
    QCOMPARE(read.sessionId, u"8c1f3e52-5b0a-4d47-9a51-2f0e7c9d4b10"_s);
    QCOMPARE(read.account, u"2e3E"_s);
    QCOMPARE(read.preLamports, std::optional<quint64>(5));
    QCOMPARE(read.postLamports, std::optional<quint64>(4));
    QCOMPARE(read.postDataLen, std::optional<quint64>(165));
}

void tst_CaptureDocument::simRunOfTwoSessions()
{
    // A `sim run` file of two sessions (CAPTURE_FORMAT.md §8.2 item 4): the
    // Sessions panel lists both in the order they started, the transactions
    // before the second started are the first's, those after name none (said),
    // and a `diff` line damaged inside its data is said, not silently lost.
    QTemporaryDir dir;
    const QByteArray second = R"({"type":"session_started","data":{"session_id":"0000aaaa-second"}})";
    const QByteArray summary = R"({"type":"summary","data":{"total":2,"successes":1,"failures":1,)"
                               R"("session_ids":["8c1f3e52-5b0a-4d47-9a51-2f0e7c9d4b10","0000aaaa-second"]}})";
    const QByteArray damagedDiff = R"({"type":"diff","data":{"signature":"x","slot":1,"pre_state":{"lamports":1,]}})";
    const QString path = writeFile(dir.filePath(u"two.ndjson"_s),
                                   lines({simMetadata, simStarted, simFailure, second, simSuccess, damagedDiff, summary}));
    const auto doc = openAndWait(path);
    QCOMPARE(doc->state(), CaptureDocument::State::Ready);
    const SessionModel *sessions = doc->sessions();
    QCOMPARE(sessions->rowCount(), 1);
    const QModelIndex run = sessions->index(0, 0);
    QCOMPARE(sessions->rowCount(run), 2);
    const auto idAt = [&](int row) {
        return sessions->index(row, SessionModel::SessionColumn, run).data(RawValueRole).toString();
    };
    QCOMPARE(idAt(0), u"8c1f3e52-5b0a-4d47-9a51-2f0e7c9d4b10"_s);
    QCOMPARE(idAt(1), u"0000aaaa-second"_s);
    QCOMPARE(sessions->index(0, SessionModel::TransactionsColumn, run).data(RawValueRole).toULongLong(), 1u);
    QCOMPARE(sessions->index(1, SessionModel::TransactionsColumn, run).data(RawValueRole).toULongLong(), 0u);
    const QString warnings = doc->eventWarnings().join(u'\n');
    QVERIFY2(warnings.contains(u"1 transaction(s) name no session: the capture has 2 sessions"_s), qPrintable(warnings));
    QVERIFY2(warnings.contains(u"1 line(s) with account diffs damaged"_s), qPrintable(warnings));
}

void tst_CaptureDocument::legacySingleDocument()
{
    QTemporaryDir dir;
    const QByteArray document = R"({
  "metadata": {"start_slot": 419685240, "end_slot": 419685250, "ran_at_unix_secs": 1780023967,
               "session_ids": ["8c1f3e52-5b0a-4d47-9a51-2f0e7c9d4b10"]},
  "transactions": [
    {"slot": 241043141, "timestamp": 1704919455,
     "signature": "7ynjNWxA4yAQGXD5U9gheTn2DGDjoCZ4MB68wm15oJqEeA2MdSze6hMABJiEkC2atJCf4QsUCXBLrYpAdeMzsFG",
     "success": false, "error": "Error processing Instruction 3: Program failed to complete",
     "logs": [], "sol_changes": [], "token_changes": []},
    {"slot": 419685246,
     "signature": "4LXpF3MCdp69iFmD27Sn812UNpqFPHM4qXH7Y12E964p9GHXvwMe1XEmyasogVT2N4XEctdQQLf1sHY6Gvsa5sFX",
     "success": true, "logs": ["Program log: hi"], "sol_changes": [], "token_changes": []}
  ],
  "summary": {"total": 2, "successes": 1, "failures": 1}
}
)";
    const QString path = writeFile(dir.filePath(u"legacy.json"_s), document);
    const auto doc = openAndWait(path);
    QCOMPARE(doc->openInfo().format, CaptureReader::Format::Legacy);
    QCOMPARE(doc->transactions()->rowCount(), 2);
    const TransactionRecord second = doc->transactions()->record(1);
    QCOMPARE(second.signature, simSuccessSig);
    QCOMPARE(second.captureOffset, qint64(document.indexOf("{\"slot\": 419685246")));
    const auto detail = doc->readTransaction(second.captureOffset, second.signature);
    QVERIFY2(detail, qPrintable(detail ? QString() : detail.error().message));
    QCOMPARE(detail->transaction.signature, simSuccessSig);
    QCOMPARE(detail->transaction.logs, QStringList{u"Program log: hi"_s});
    QVERIFY(!doc->readTransaction(second.captureOffset + 1, second.signature)); // not where a transaction starts
    QCOMPARE(doc->result().totals, (CaptureSummary{2, 1, 1, {u"8c1f3e52-5b0a-4d47-9a51-2f0e7c9d4b10"_s}}));
}

void tst_CaptureDocument::damagedLines_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QList<qint64>>("damaged");
    QTest::addColumn<QStringList>("signatures");
    QByteArray cut = simSuccess;
    cut.chop(40);
    QTest::addRow("line cut short") << lines({simMetadata, simFailure, cut, simSuccess, simSummary})
                                    << QList<qint64>{3} << QStringList{simFailureSig, simSuccessSig};
    QTest::addRow("garbage and a tx without signature")
        << lines({simMetadata, "\x01\x02 not json", simFailure, R"({"type":"tx","data":{"slot":5}})", simSuccess})
        << QList<qint64>{2, 4} << QStringList{simFailureSig, simSuccessSig};
    QTest::addRow("two lines run together")
        << lines({simMetadata, simFailure + simSuccess, simSuccess}) << QList<qint64>{2} << QStringList{simSuccessSig};
    QTest::addRow("damaged first line") << lines({"{\"type\":\"metad", simFailure, simSuccess})
                                        << QList<qint64>{1} << QStringList{simFailureSig, simSuccessSig};
    // The summary still counts the failure whose line was damaged: the
    // header's figures are the file's (the table's), not the summary's.
    QByteArray cutFailure = simFailure;
    cutFailure.chop(40);
    QTest::addRow("a failure cut short, counted by the summary")
        << lines({simMetadata, cutFailure, simSuccess, simSummary}) << QList<qint64>{2} << QStringList{simSuccessSig};
}

void tst_CaptureDocument::damagedLines()
{
    QFETCH(QByteArray, content);
    QFETCH(QList<qint64>, damaged);
    QFETCH(QStringList, signatures);
    QTemporaryDir dir;
    const auto doc = openAndWait(writeFile(dir.filePath(u"damaged.ndjson"_s), content));
    QCOMPARE(doc->state(), CaptureDocument::State::Ready);
    QCOMPARE(column(doc->transactions(), TransactionModel::SignatureColumn), signatures);
    QCOMPARE(doc->result().damagedLines, damaged.size());
    QCOMPARE(doc->result().damagedLineNumbers, damaged);
    const quint64 failures = quint64(signatures.count(simFailureSig));
    QCOMPARE(doc->result().totals.total, quint64(signatures.size()));
    QCOMPARE(doc->result().totals.failures, failures);
    QCOMPARE(doc->result().totals.successes, quint64(signatures.size()) - failures);
    QCOMPARE(doc->result().warnings.size(), damaged.size() + (doc->result().summaryDisagreement.isEmpty() ? 0 : 1));
    for (qsizetype i = 0; i < damaged.size(); ++i)
        QVERIFY(doc->result().warnings.at(i).startsWith(u"line %1: malformed line skipped"_s.arg(damaged.at(i))));
}

// `count` copies of the sim success line, each with its own signature.
QList<QByteArray> manySuccesses(int count, int first)
{
    QList<QByteArray> out;
    for (int i = 0; i < count; ++i) {
        QByteArray line = simSuccess;
        line.replace("4LXpF3MCdp69", QByteArray::number(first + i));
        out.append(line);
    }
    return out;
}

void tst_CaptureDocument::firstRowsComeFirst()
{
    // Rows reach the model in batches while the file is read: the first batch
    // is small (it shows at once), later ones are bounded.
    QTemporaryDir dir;
    const QString path =
        writeFile(dir.filePath(u"many.ndjson"_s), lines(QList<QByteArray>{simMetadata} + manySuccesses(5000, 100000)));
    CaptureDocument doc(path);
    CaptureIndexer::Options options;
    options.firstBatchRows = 10;
    options.maxBatchRows = 1000;
    options.batchIntervalMs = 1000000;
    doc.setIndexerOptions(options);
    QList<int> inserted;
    connect(doc.transactions(), &QAbstractItemModel::rowsInserted, this,
            [&inserted](const QModelIndex &, int first, int last) { inserted.append(last - first + 1); });
    QSignalSpy finished(&doc, &CaptureDocument::finished);
    doc.start();
    QVERIFY(finished.wait(30000));
    QCOMPARE(inserted.value(0), 10);
    QCOMPARE(inserted.mid(1), QList<int>(4, 1000) + QList<int>{990});
    QCOMPARE(doc.transactions()->rowCount(), 5000);
    QVERIFY(doc.msToFirstRows() >= 0);
    QVERIFY(doc.msToFirstRows() <= doc.msToFinished());
}

void tst_CaptureDocument::halvesReadAsOne_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<bool>("inHalves");
    QTest::addColumn<qint64>("expectedTransactions"); // -1: compared with one reader only
    QTemporaryDir dir;
    const SlotScopeCapture capture = writeSlotScopeCapture(dir.filePath(u"halves.ndjson"_s));
    QFile file(capture.path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QTest::addRow("SlotScope capture") << file.readAll() << true << qint64(-1);

    QTest::addRow("sim run: the session started before the first transaction")
        << lines(QList<QByteArray>{simMetadata, simStarted} + manySuccesses(400, 100000) + QList<QByteArray>{simSummary})
        << true << qint64(-1);

    // Damaged lines, unknown types, duplicates and summaries on both sides of
    // the split; the second half repeats transactions of the first (dropped)
    // and of its own (dropped once).
    QByteArray cut = simSuccess;
    cut.chop(40);
    const QList<QByteArray> first = manySuccesses(200, 200000);
    const QList<QByteArray> second = manySuccesses(200, 300000);
    QTest::addRow("damaged, unknown, duplicate and summary lines in both halves")
        << lines(QList<QByteArray>{simMetadata, simFailure, "\x01 not json"} + first
                 + QList<QByteArray>{R"({"type":"other","data":{}})", simSummary} + second
                 + QList<QByteArray>{first.at(3), cut, second.at(5), first.at(7), R"({"type":"tx","data":{"slot":5}})",
                                     simSummary, R"({"type":"other","data":{}})"})
        << true << qint64(-1);

    // The split right after a summary line: the first half ends with it, the
    // second half goes on with transactions (one reader warns of them; the
    // halves once did not). The second half's length puts the middle inside
    // the summary line.
    {
        const QByteArray head = lines(QList<QByteArray>{simMetadata} + manySuccesses(100, 600000));
        // (A long line of an unknown type after it: wider than a transaction
        // line, so that some length of the rest puts the middle in them.)
        const QByteArray summary = simSummary + "\n{\"type\":\"note\",\"data\":{\"pad\":\"" + QByteArray(4000, 'x')
                                   + "\"}}\n";
        for (int n = 1; n < 400; ++n) {
            const QByteArray content = head + summary + lines(manySuccesses(n, 700000));
            const qint64 middle = content.size() / 2;
            if (middle > head.size() && middle < head.size() + summary.size()) {
                QTest::addRow("transactions after a summary that ends the first half") << content << true << qint64(-1);
                break;
            }
        }
    }

    // Enough rows that each half predicts its row count (after 1024 rows)
    // and sizes its de-duplication: rows read before and after that still
    // catch their repeats on both sides of the split.
    const QList<QByteArray> many = manySuccesses(2600, 600000);
    QTest::addRow("each half predicts its row count")
        << lines(QList<QByteArray>{simMetadata, simStarted} + many
                 + QList<QByteArray>{many.at(10), many.at(2000), many.at(1500), many.at(2599), simSummary})
        << true << qint64(2600);

    // Lines without a session id take the run's sole session. A session
    // started in the first half after the split changes it for the second
    // half, which then is read again after the first.
    QByteArray laterStart = simStarted;
    laterStart.replace("8c1f3e52", "9d2f4f63");
    QTest::addRow("a session started after the split")
        << lines(QList<QByteArray>{simMetadata, simStarted} + manySuccesses(100, 400000) + QList<QByteArray>{laterStart}
                 + manySuccesses(400, 500000))
        << false << qint64(-1);
}

void tst_CaptureDocument::halvesReadAsOne()
{
    // A file read in two halves on two threads gives what one reader gives:
    // the same rows in the same order, counts, warnings and line numbers.
    QFETCH(QByteArray, content);
    QFETCH(bool, inHalves);
    QFETCH(qint64, expectedTransactions);
    QTemporaryDir dir;
    const QString path = writeFile(dir.filePath(u"halves.ndjson"_s), content);
    CaptureIndexer::Options oneThread;
    oneThread.parallelMinBytes = 0;
    CaptureIndexer::Options halves;
    halves.parallelMinBytes = 1;
    halves.firstBatchRows = 7;
    const auto one = openAndWait(path, oneThread);
    const auto two = openAndWait(path, halves);
    QVERIFY(!one->result().readInHalves);
    QCOMPARE(two->result().readInHalves, inHalves);
    // Read to its end either way: the bytes the rows come from (a file not
    // growing: its size; the stale banner measures growth from there).
    QCOMPARE(one->result().bytesIndexed, qint64(content.size()));
    QCOMPARE(two->result().bytesIndexed, qint64(content.size()));

    QCOMPARE(two->state(), one->state());
    TransactionModel *a = one->transactions();
    TransactionModel *b = two->transactions();
    QVERIFY(a->rowCount() > 10);
    QCOMPARE(b->rowCount(), a->rowCount());
    for (int row = 0; row < a->rowCount(); ++row)
        QCOMPARE(b->record(row), a->record(row));
    const IndexResult &x = one->result();
    const IndexResult &y = two->result();
    QCOMPARE(y.transactions, x.transactions);
    QCOMPARE(y.rowsWithFee, x.rowsWithFee);
    QCOMPARE(y.skippedLines, x.skippedLines);
    QCOMPARE(y.damagedLines, x.damagedLines);
    QCOMPARE(y.damagedLineNumbers, x.damagedLineNumbers);
    QCOMPARE(y.warnings, x.warnings);
    QCOMPARE(y.duplicatesDropped, x.duplicatesDropped);
    QCOMPARE(y.transactionsPerSession, x.transactionsPerSession);
    QCOMPARE(y.totals, x.totals);
    QCOMPARE(y.summary.has_value(), x.summary.has_value());
    QCOMPARE(y.sessionIds, x.sessionIds);
    QCOMPARE(y.error, x.error);
    if (expectedTransactions >= 0) {
        QCOMPARE(y.transactions, expectedTransactions);
        QCOMPARE(y.duplicatesDropped, 4);
    }
}

void tst_CaptureDocument::cancel_data()
{
    QTest::addColumn<qint64>("parallelMinBytes");
    QTest::addRow("one thread") << qint64(0);
    QTest::addRow("in halves") << qint64(1);
}

void tst_CaptureDocument::cancel()
{
    QFETCH(qint64, parallelMinBytes);
    QTemporaryDir dir;
    const QString path =
        writeFile(dir.filePath(u"big.ndjson"_s), lines(QList<QByteArray>{simMetadata} + manySuccesses(30000, 1000000)));
    CaptureDocument doc(path);
    CaptureIndexer::Options options;
    options.firstBatchRows = 100;
    options.maxBatchRows = 100;
    options.parallelMinBytes = parallelMinBytes;
    doc.setIndexerOptions(options);
    QSignalSpy finished(&doc, &CaptureDocument::finished);
    connect(doc.transactions(), &QAbstractItemModel::rowsInserted, &doc, &CaptureDocument::cancel);
    doc.start();
    QVERIFY(finished.wait(30000));
    QCOMPARE(doc.state(), CaptureDocument::State::Cancelled);
    QVERIFY(doc.transactions()->rowCount() > 0);
    QVERIFY(doc.transactions()->rowCount() < 30000);
    QCOMPARE(doc.transactions()->rowCount(), doc.result().transactions);

    // Destroying a document mid-index stops its workers (both threads when
    // it is read in halves).
    auto other = std::make_unique<CaptureDocument>(path);
    other->setIndexerOptions(options);
    other->start();
    QTRY_VERIFY(other->transactions()->rowCount() > 0);
    other.reset();
}

void tst_CaptureDocument::notACapture()
{
    QTemporaryDir dir;
    const auto doc = openAndWait(writeFile(dir.filePath(u"x.ndjson"_s), "hello\nworld\n"));
    QCOMPARE(doc->state(), CaptureDocument::State::Failed);
    QVERIFY(doc->errorString().contains(u"not a capture file"_s));
    const auto missing = openAndWait(dir.filePath(u"missing.ndjson"_s));
    QCOMPARE(missing->state(), CaptureDocument::State::Failed);
    QVERIFY(!missing->errorString().isEmpty());

    // An events file whose capture is not there: said, not shown as an empty
    // capture of lines of an unknown type.
    const QString events = writeFile(dir.filePath(u"gone.events.ndjson"_s),
                                     R"({"type":"status","session_id":"s","at":"2026-12-07T00:00:00.000Z","data":{}})"
                                     "\n");
    const auto alone = openAndWait(events);
    QCOMPARE(alone->state(), CaptureDocument::State::Failed);
    QVERIFY2(alone->errorString().contains(u"gone.events.ndjson is the events file of a capture, which is not there "
                                           u"(gone.ndjson)"_s),
             qPrintable(alone->errorString()));

    // A named pipe: refused at once. Reading it blocked a thread until a
    // writer came, and closing its tab froze the window waiting for that.
    const QString fifo = dir.filePath(u"pipe.ndjson"_s);
    QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
    auto pipe = std::make_unique<CaptureDocument>(fifo);
    QSignalSpy finished(pipe.get(), &CaptureDocument::finished);
    pipe->start();
    const bool refused = finished.wait(5000);
    if (!refused) {
        QFile writer(fifo); // let the blocked reader go before the document is destroyed
        (void)writer.open(QIODevice::WriteOnly);
    }
    QVERIFY2(refused, "opening a named pipe waited for a writer");
    QCOMPARE(pipe->state(), CaptureDocument::State::Failed);
    QVERIFY2(pipe->errorString().contains(u"is not a regular file (a named pipe or a device)"_s),
             qPrintable(pipe->errorString()));
}

// Qt 6.4's raster painting waits on the GUI thread for work it gives
// QThreadPool::globalInstance(). A document whose workers sat in that pool
// waiting for the GUI thread to take their rows hung the window for good
// (seen opening the 1 M-transaction capture in bench_open). With every thread
// of the global pool busy, a document still opens: its work runs elsewhere.
void tst_CaptureDocument::globalThreadPoolLeftToQt()
{
    QTemporaryDir dir;
    const SlotScopeCapture capture = writeSlotScopeCapture(dir.filePath(u"run.ndjson"_s));
    QThreadPool *global = QThreadPool::globalInstance();
    const int threads = global->maxThreadCount();
    std::counting_semaphore<> release(0);
    for (int i = 0; i < threads; ++i)
        global->start([&release] { release.acquire(); });
    CaptureDocument doc(capture.path);
    QSignalSpy finished(&doc, &CaptureDocument::finished);
    doc.start();
    const bool done = finished.wait(10000);
    release.release(threads);
    global->waitForDone();
    QVERIFY2(done, "the document did not open while the global thread pool was busy");
    QCOMPARE(doc.state(), CaptureDocument::State::Ready);
    QCOMPARE(doc.transactions()->rowCount(), capture.records.size());
}

QTEST_GUILESS_MAIN(tst_CaptureDocument)
#include "tst_capturedocument.moc"
