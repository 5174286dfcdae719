// The events file as RunJournal writes it (DESIGN.md §3 "Capture", the table
// in runjournal.h): one line per call, `type` / `session_id` / `at` / `data`,
// each event type with its own data shape. Expected lines are written out by
// hand; `data` is compared as JSON (key order free), integers exactly.

#include "capture/capturereader.h"
#include "capture/capturewriter.h"
#include "engine/runjournal.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <functional>

using namespace SlotScope;
using namespace Qt::StringLiterals;
using std::chrono::milliseconds;

using JournalCall = std::function<void(RunJournal &)>;
Q_DECLARE_METATYPE(JournalCall)

namespace {

const QString kSession = u"backtest_0199d2c45b7e7a319c1e2f4b8d6a1c00"_s;
const QString kBatch = u"parallel_0199d2c460007000800000000000ff00"_s;

BacktestError wireError(const char *json)
{
    return BacktestError::fromJson(QJsonDocument::fromJson(json).object());
}

} // namespace

class tst_RunJournal : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void oneLinePerEvent_data();
    void oneLinePerEvent();
    void nothingWhileTheCaptureIsClosed();
};

void tst_RunJournal::oneLinePerEvent_data()
{
    QTest::addColumn<JournalCall>("call");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("sessionId");
    QTest::addColumn<QByteArray>("data");

    SessionInfo info{.sessionId = kSession, .rpcEndpoint = u"/backtest/"_s + kSession};
    QTest::newRow("session_created") << JournalCall([info](RunJournal &j) { j.sessionCreated(info); })
                                     << u"session_created"_s << kSession
                                     << QByteArray(R"({"session_id":")" + kSession.toLatin1() + R"(","rpc_endpoint":"/backtest/)"
                                                   + kSession.toLatin1() + R"(","task_id":null})");
    // A grant-flow endpoint carries its token (PROTOCOL-0.31.md §6.4): never written.
    SessionInfo withToken{.sessionId = kSession,
                          .rpcEndpoint = u"https://sim.example.com/backtest/x?token=SECRET123&v=2"_s};
    QTest::newRow("session_created, endpoint with a token")
        << JournalCall([withToken](RunJournal &j) { j.sessionCreated(withToken); }) << u"session_created"_s
        << kSession
        << QByteArray(R"({"session_id":")" + kSession.toLatin1()
                      + R"(","rpc_endpoint":"https://sim.example.com/backtest/x?token=…&v=2","task_id":null})");
    SessionInfo named = info;
    named.sessionName = u"sol-usdc-baseline"_s;
    QTest::newRow("session_created, named") << JournalCall([named](RunJournal &j) { j.sessionCreated(named); })
                                            << u"session_created"_s << kSession
                                            << QByteArray(R"({"session_id":")" + kSession.toLatin1() + R"(","rpc_endpoint":"/backtest/)"
                                                          + kSession.toLatin1() + R"(","task_id":null,"session_name":"sol-usdc-baseline"})");
    SessionInfo sub = info;
    sub.taskId = u"task-7"_s;
    QTest::newRow("session_created, sub-session")
        << JournalCall([sub](RunJournal &j) { j.sessionCreated(sub, std::pair<quint64, quint64>{380000000, 380049999}); })
        << u"session_created"_s << kSession
        << QByteArray(R"({"session_id":")" + kSession.toLatin1() + R"(","rpc_endpoint":"/backtest/)" + kSession.toLatin1()
                      + R"(","task_id":"task-7","start_slot":380000000,"end_slot":380049999})");
    QTest::newRow("session_created, batch")
        << JournalCall([](RunJournal &j) { j.batchCreated(kBatch, u"sol-usdc-sweep"_s, 4); }) << u"session_created"_s
        << QString() << QByteArray(R"({"control_session_id":")" + kBatch.toLatin1()
                                   + R"(","control_session_name":"sol-usdc-sweep","sub_sessions":4})");
    QTest::newRow("session_attached, single")
        << JournalCall([](RunJournal &j) {
               SessionInfo info;
               info.sessionId = kSession;
               info.rpcEndpoint = u"/backtest/x?token=SECRET"_s;
               j.sessionAttached(kSession, info);
           })
        << u"session_attached"_s << kSession
        << QByteArray(R"({"session_id":")" + kSession.toUtf8() + R"(","rpc_endpoint":"/backtest/x?token=…"})");
    QTest::newRow("session_attached") << JournalCall([](RunJournal &j) { j.batchAttached(kBatch); })
                                      << u"session_attached"_s << QString()
                                      << QByteArray(R"({"control_session_id":")" + kBatch.toLatin1() + R"("})");
    QTest::newRow("status") << JournalCall([](RunJournal &j) { j.status(kSession, u"startingRuntime"_s); })
                            << u"status"_s << kSession << QByteArray(R"({"status":"startingRuntime"})");
    QTest::newRow("slot") << JournalCall([](RunJournal &j) { j.slot(kSession, 380000042); }) << u"slot"_s << kSession
                          << QByteArray(R"({"slot":380000042})");
    DiscoveryBatchEvent batch;
    batch.slot = 380000042;
    batch.batchIndex = 3;
    batch.matched = {DiscoveryFilter::programExecuted(u"JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4"_s)};
    batch.transactions = {u"AQID"_s, u"BAUG"_s};
    batch.transactionIndices = {7, 9};
    QTest::newRow("discovery_batch") << JournalCall([batch](RunJournal &j) { j.discoveryBatch(kSession, batch); })
                                     << u"discovery_batch"_s << kSession
                                     << QByteArray(R"({"slot":380000042,"batchIndex":3,"matched":[{"programExecuted":"JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4"}],"transactionCount":2,"transactionIndices":[7,9]})");
    QTest::newRow("paused before a batch")
        << JournalCall([](RunJournal &j) { j.paused(kSession, PausedEvent{380000042, 3}); }) << u"paused"_s << kSession
        << QByteArray(R"({"slot":380000042,"batchIndex":3})");
    QTest::newRow("paused after the whole slot")
        << JournalCall([](RunJournal &j) { j.paused(kSession, PausedEvent{380000042, std::nullopt}); })
        << u"paused"_s << kSession << QByteArray(R"({"slot":380000042,"batchIndex":null})");
    QTest::newRow("ready") << JournalCall([](RunJournal &j) { j.ready(kSession, false); }) << u"ready"_s << kSession
                           << QByteArray("{}");
    QTest::newRow("ready, synthesized") << JournalCall([](RunJournal &j) { j.ready(kSession, true); }) << u"ready"_s
                                        << kSession << QByteArray(R"({"synthesized":true})");
    SessionSummary summary{.correctSimulation = 28, .executionErrors = 3};
    QTest::newRow("completed") << JournalCall([summary](RunJournal &j) { j.completed(kSession, summary); })
                               << u"completed"_s << kSession
                               << QByteArray(R"({"correctSimulation":28,"incorrectSimulation":0,"executionErrors":3,"balanceDiff":0,"logDiff":0,"unsanitizable":0,"rerouteStats":null})");
    QTest::newRow("completed without a summary")
        << JournalCall([](RunJournal &j) { j.completed(kSession, std::nullopt); }) << u"completed"_s << kSession
        << QByteArray("{}");
    QTest::newRow("error from the server")
        << JournalCall([](RunJournal &j) {
               j.serverError(kSession, wireError(R"({"invalidRequest":{"error":"slot 1002 is not after the last executed slot"}})"));
           })
        << u"error"_s << kSession
        << QByteArray(R"({"error":{"invalidRequest":{"error":"slot 1002 is not after the last executed slot"}},"message":")"
                      + wireError(R"({"invalidRequest":{"error":"slot 1002 is not after the last executed slot"}})").message().toUtf8()
                      + R"("})");
    QTest::newRow("simulation_error")
        << JournalCall([](RunJournal &j) {
               j.simulationError(kSession, wireError(R"({"simulationError":{"error":"Transaction simulation failed"}})"), 5);
           })
        << u"simulation_error"_s << kSession
        << QByteArray(R"({"error":{"simulationError":{"error":"Transaction simulation failed"}},"message":")"
                      + wireError(R"({"simulationError":{"error":"Transaction simulation failed"}})").message().toUtf8()
                      + R"(","count":5})");
    QTest::newRow("error, a failure")
        << JournalCall([](RunJournal &j) { j.failure(QString(), u"API key rejected by the server (HTTP 401)"_s, u"create"_s, u"unauthorized"_s); })
        << u"error"_s << QString()
        << QByteArray(R"j({"message":"API key rejected by the server (HTTP 401)","kind":"create","connection":"unauthorized"})j");
    QTest::newRow("error, our own problem")
        << JournalCall([](RunJournal &j) { j.problem(kSession, u"a Continue is already in flight"_s); }) << u"error"_s
        << kSession << QByteArray(R"({"message":"a Continue is already in flight"})");
    QTest::newRow("continue_sent")
        << JournalCall([](RunJournal &j) {
               ContinueParams advance{.advanceCount = 10};
               j.stepSent(kSession, advance);
           })
        << u"continue_sent"_s << kSession << QByteArray(R"({"advanceCount":10})");
    QTest::newRow("continue_to_sent")
        << JournalCall([](RunJournal &j) { j.stepSent(kSession, ContinueToParams{380000042, 3}); })
        << u"continue_to_sent"_s << kSession << QByteArray(R"({"slot":380000042,"batchIndex":3})");
    QTest::newRow("connection")
        << JournalCall([](RunJournal &j) { j.connection(kSession, u"transactions"_s, ConnectionStatus::Down, u"closed 1006"_s, 2); })
        << u"connection"_s << kSession
        << QByteArray(R"({"socket":"transactions","status":"Down","reason":"closed 1006","attempt":2})");
    QTest::newRow("connection, reconnect scheduled")
        << JournalCall([](RunJournal &j) {
               j.connection(QString(), u"control"_s, ConnectionStatus::Down, u"closed 1006"_s, 3, milliseconds{4000});
           })
        << u"connection"_s << QString()
        << QByteArray(R"({"socket":"control","status":"Down","reason":"closed 1006","attempt":3,"delay_ms":4000})");
    QTest::newRow("account_diff, verbatim")
        << JournalCall([](RunJournal &j) {
               j.accountDiff(kSession, R"({"context":{"slot":380000042},"account":"So11111111111111111111111111111111111111112","signature":null,"pre":{"lamports":18446744073709551615},"post":null})");
           })
        << u"account_diff"_s << kSession
        << QByteArray(R"({"context":{"slot":380000042},"account":"So11111111111111111111111111111111111111112","signature":null,"pre":{"lamports":18446744073709551615},"post":null})");
    QTest::newRow("duplicate_dropped, data plane")
        << JournalCall([](RunJournal &j) {
               j.duplicateNotification(kSession, u"transactions"_s, u"5x7c"_s, QString(), 380000042);
           })
        << u"duplicate_dropped"_s << kSession
        << QByteArray(R"({"socket":"transactions","signature":"5x7c","slot":380000042})");
    // An account diff's: its signature and account apart, not one key.
    QTest::newRow("duplicate_dropped, account diff")
        << JournalCall([](RunJournal &j) {
               j.duplicateNotification(kSession, u"account diffs"_s, u"5x7c"_s, u"So11111111111111111111111111111111111111112"_s, 380000042);
           })
        << u"duplicate_dropped"_s << kSession
        << QByteArray(R"({"socket":"account diffs","signature":"5x7c","slot":380000042,"account":"So11111111111111111111111111111111111111112"})");
    QTest::newRow("duplicate_dropped, control")
        << JournalCall([](RunJournal &j) { j.duplicateControlEvent(kSession, 118); }) << u"duplicate_dropped"_s
        << kSession << QByteArray(R"({"socket":"control","seq_id":118})");
    QTest::newRow("frame_dropped, text")
        << JournalCall([](RunJournal &j) {
               j.frameDropped(kSession, u"transactions"_s, u"missing field `result`"_s,
                              R"({"jsonrpc":"2.0","method":"transactionNotification","params":{"subscription":7}})", 80);
           })
        << u"frame_dropped"_s << kSession
        << QByteArray(R"({"socket":"transactions","reason":"missing field `result`","size":80,"raw":"{\"jsonrpc\":\"2.0\",\"method\":\"transactionNotification\",\"params\":{\"subscription\":7}}"})");
    QTest::newRow("frame_dropped, binary")
        << JournalCall([](RunJournal &j) {
               j.frameDropped(kSession, u"transactions"_s, u"undecodable compressed frame"_s,
                              QByteArrayView("\x28\xb5\x2f\xfd\xff\x00", 6), 6);
           })
        << u"frame_dropped"_s << kSession
        << QByteArray(R"({"socket":"transactions","reason":"undecodable compressed frame","size":6,"raw_base64":"KLUv/f8A"})");
    QTest::newRow("frame_dropped, a prefix cut inside a UTF-8 sequence")
        << JournalCall([](RunJournal &j) {
               // "ab€" is 61 62 E2 82 AC; the prefix ends after E2 82.
               j.frameDropped(QString(), u"control"_s, u"undecodable"_s, QByteArrayView("ab\xe2\x82", 4), 5000);
           })
        << u"frame_dropped"_s << QString()
        << QByteArray(R"({"socket":"control","reason":"undecodable","size":5000,"raw":"ab","truncated":true})");
    QTest::newRow("stopped") << JournalCall([](RunJournal &j) { j.stopped(); }) << u"stopped"_s << QString()
                             << QByteArray("{}");
}

void tst_RunJournal::oneLinePerEvent()
{
    QFETCH(JournalCall, call);
    QFETCH(QString, type);
    QFETCH(QString, sessionId);
    QFETCH(QByteArray, data);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"run.ndjson"_s);
    CaptureWriter capture;
    QVERIFY(capture.open(path, CaptureMetadata{}).ok());
    RunJournal journal(capture);
    const QDateTime before = QDateTime::currentDateTimeUtc().addMSecs(-1);
    call(journal);
    capture.close();

    CaptureEventReader reader;
    QVERIFY(reader.open(CaptureWriter::eventsPathFor(path)).ok());
    CaptureEvent event;
    QVERIFY(reader.readNext(event));
    QCOMPARE(event.type, type);
    QCOMPARE(event.sessionId, sessionId);
    QVERIFY(event.at >= before && event.at <= QDateTime::currentDateTimeUtc());
    QJsonParseError error;
    const QJsonDocument expected = QJsonDocument::fromJson(data, &error);
    QVERIFY2(error.error == QJsonParseError::NoError, data.constData());
    QCOMPARE(QJsonDocument::fromJson(event.dataJson).object(), expected.object());
    // Integers stay exact (an account diff's u64 lamports).
    if (data.contains("18446744073709551615"))
        QVERIFY(event.dataJson.contains("18446744073709551615"));
    QVERIFY2(!reader.readNext(event), "one line per call");
    QCOMPARE(reader.errorString(), QString());
}

void tst_RunJournal::nothingWhileTheCaptureIsClosed()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"closed.ndjson"_s);
    CaptureWriter capture;
    RunJournal journal(capture);
    journal.slot(kSession, 1); // not open yet: nothing, no crash
    QVERIFY(capture.open(path, CaptureMetadata{}).ok());
    journal.slot(kSession, 2);
    capture.close();
    journal.slot(kSession, 3);
    const Result<QList<CaptureEvent>> events = CaptureEventReader::readAll(CaptureWriter::eventsPathFor(path));
    QVERIFY(events.ok());
    QCOMPARE(events->size(), 1);
    QCOMPARE(events->first().data.value(u"slot"_s).toInteger(), 2);
}

QTEST_GUILESS_MAIN(tst_RunJournal)
#include "tst_runjournal.moc"
