// The reference server over real sockets: raw QWebSocket clients against an
// in-process RefServer on port 0 (PROTOCOL.md §1–§6, §8).

#include "protocol/controlmessages.h"
#include "protocol/dataplane.h"
#include "protocol/transactionfiles.h"
#include "protocol/sessionids.h"
#include "protocol/transactionsummary.h"
#include "protocol/urls.h"
#include "refserver/refserver.h"
#include "refserver/synthetictransactions.h"
#include "rawclients.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QThread>
#include <QTest>
#include <QTimer>
#include <QWebSocket>

#include <functional>
#include <memory>
#include <optional>

using namespace Qt::StringLiterals;
using namespace SlotScope;

namespace {

using namespace RefServerTest;

struct Fixture
{
    QList<LoadedTransaction> loaded;
    QList<int> jupiter; ///< indices (sorted order) of Jupiter v6 transactions
};

} // namespace

class tst_RefServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void unauthorized_data();
    void unauthorized();
    void httpEndpoints_data();
    void httpEndpoints();
    void createFrameSequence();
    void createErrors_data();
    void createErrors();
    void malformedControlFrames_data();
    void malformedControlFrames();
    void prematureContinue();
    void continueToCompletion_data();
    void continueToCompletion();
    void slotPacingIsAPeriod();
    void fixturesStreamEverySignatureOnce();
    void programFilter();
    void discoveryAndContinueTo();
    void continueToMidSlot();
    void continueToErrors_data();
    void continueToErrors();
    void sequenceIds_data();
    void sequenceIds();
    void closeBacktestSession();
    void controlCloseTearsDown();
    void disconnectTimeoutExpires();
    void replayFromSlot();
    void attachAndResume();
    void attachErrors();
    void transcriptRecordsClientFrames();
    void transactionsPerSlotUniqueSignatures();
    void dataPlaneErrors_data();
    void dataPlaneErrors();
    void accountDiffSubscribeAckedWithoutDiffs();
    void backPressurePausesExecution();
    void subscribeAfterCompletedReplaysAndCloses();
    void serverCloseDropsEverything();
    void runsInWorkerThread();

private:
    /// A server on port 0. The tests here pin the 0.28 wire they assert
    /// (tst_refserverwire covers 0.31), whatever RefServerConfig's default is.
    /// Create a session; returns its id (empty on failure).
    QString create(ControlClient &client, RefServer &server, quint64 start, quint64 end, QJsonObject extra = {});

    Fixture m_fixture;
};

QString tst_RefServer::create(ControlClient &client, RefServer &server, quint64 start, quint64 end,
                              QJsonObject extra)
{
    return createSession(client, server.controlUrl(), start, end, extra);
}

void tst_RefServer::initTestCase()
{
    auto loaded = loadTransactionDirectory(fixturesDir());
    QVERIFY(loaded.ok());
    m_fixture.loaded = *loaded;
    QCOMPARE(m_fixture.loaded.size(), 31);
    TransactionSummarizer summarizer;
    for (int i = 0; i < m_fixture.loaded.size(); ++i) {
        auto summary = summarizer.summarize(m_fixture.loaded.at(i).json);
        QVERIFY(summary.ok());
        if (summary->programIds.contains(JupiterV6))
            m_fixture.jupiter.append(i);
    }
    QCOMPARE(m_fixture.jupiter.size(), 11);
}

// --- §1: authentication and plain HTTP ---------------------------------------

void tst_RefServer::unauthorized_data()
{
    QTest::addColumn<QByteArray>("headerLine"); // empty = no X-API-Key
    QTest::addRow("no key") << QByteArray();
    QTest::addRow("wrong key") << QByteArray("X-API-Key: nope\r\n");
    QTest::addRow("empty key") << QByteArray("X-API-Key: \r\n");
    QTest::addRow("key prefix") << QByteArray("X-API-Key: test-ke\r\n");
}

void tst_RefServer::unauthorized()
{
    QFETCH(QByteArray, headerLine);
    auto server = startServer({});
    QVERIFY(server);

    // The exact HTTP status, over a raw socket.
    QTcpSocket raw;
    raw.connectToHost(QHostAddress::LocalHost, server->port());
    QVERIFY(raw.waitForConnected(Timeout));
    raw.write("GET /backtest HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
              + headerLine + "\r\n");
    QByteArray response;
    QTRY_VERIFY_WITH_TIMEOUT((response += raw.readAll(), raw.state() == QAbstractSocket::UnconnectedState), Timeout);
    response += raw.readAll();
    QVERIFY2(response.startsWith("HTTP/1.1 401 Unauthorized\r\n"), response.constData());
    QVERIFY(response.contains("X-API-Key"));

    // And through a QWebSocket: the handshake fails, no session, no transcript.
    ControlClient client;
    const QByteArray key = headerLine.isEmpty() ? QByteArray() : headerLine.mid(11).trimmed();
    QVERIFY(!client.open(server->controlUrl(), headerLine.isEmpty() ? QString() : QString::fromUtf8(key)));
    QCOMPARE(server->activeSessionCount(), 0);
    QVERIFY(server->transcript().isEmpty());

    // The right key works.
    ControlClient good;
    QVERIFY(good.open(server->controlUrl()));
}

void tst_RefServer::httpEndpoints_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body"); // empty = not checked
    QTest::addRow("available-ranges") << u"/available-ranges"_s << 200
                                      << QByteArray(R"([{"bundleStartSlot":10,"bundleStartSlotUtc":null,)"
                                                    R"("maxBundleEndSlot":18446744073709551615,)"
                                                    R"("maxBundleEndSlotUtc":null,"maxBundleSize":500}])");
    QTest::addRow("health") << u"/health"_s << 200 << QByteArray("ok");
    QTest::addRow("ready") << u"/ready"_s << 200 << QByteArray("ready");
    QTest::addRow("unknown path") << u"/nope"_s << 404 << QByteArray();
    QTest::addRow("unknown session") << u"/backtest/backtest_0199d2c4-5b7e-7a31-9c1e-2f4b8d6a1c00"_s << 404
                                     << QByteArray();
    QTest::addRow("control without upgrade") << u"/backtest"_s << 426 << QByteArray();
}

void tst_RefServer::httpEndpoints()
{
    QFETCH(QString, path);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    RefServerConfig config;
    config.availableStart = 10;
    config.availableEnd = std::numeric_limits<quint64>::max(); // u64 stays exact on the wire
    config.maxBundleSize = 500;
    auto server = startServer(config);
    QVERIFY(server);

    QNetworkAccessManager network;
    QNetworkReply *reply = network.get(QNetworkRequest(QUrl(server->httpBase() + path)));
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), Timeout);
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), status);
    const QByteArray received = reply->readAll();
    if (!body.isEmpty())
        QCOMPARE(received, body);
    if (path == "/available-ranges"_L1) {
        QCOMPARE(reply->header(QNetworkRequest::ContentTypeHeader).toString(), u"application/json"_s);
        QVERIFY(QJsonDocument::fromJson(received).isArray());
    }
    reply->deleteLater();
}

// --- §3.1, §6.1: create ------------------------------------------------------

void tst_RefServer::createFrameSequence()
{
    auto server = startServer({});
    QVERIFY(server);
    QSignalSpy created(server.get(), &RefServer::sessionCreated);
    ControlClient client;
    const QString id = create(client, *server, 10, 20);
    QVERIFY(!id.isEmpty());

    QCOMPARE(client.described(), (QStringList{u"status:preparingBundle"_s, u"status:bundleReady"_s,
                                              u"status:startingRuntime"_s, u"sessionCreated"_s, u"slot:10"_s,
                                              u"readyForContinue"_s}));
    const QJsonObject params = client.frames.at(3).json.value(u"params"_s).toObject();
    QVERIFY2(QRegularExpression(u"^backtest_[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"_s)
                 .match(id)
                 .hasMatch(),
             qPrintable(id));
    QCOMPARE(params.value(u"rpc_endpoint"_s).toString(), u"/backtest/"_s + id);
    QVERIFY(params.contains(u"task_id"_s));
    QVERIFY(params.value(u"task_id"_s).isNull());
    QCOMPARE(client.frames.at(0).raw, QByteArray(R"({"method":"status","params":{"status":"preparingBundle"}})"));
    QCOMPARE(client.frames.at(4).raw, QByteArray(R"({"method":"slotNotification","params":10})"));
    QCOMPARE(client.frames.at(5).raw, QByteArray(R"({"method":"readyForContinue"})"));
    for (const auto &frame : std::as_const(client.frames))
        QVERIFY(!frame.json.contains(u"seqId"_s));

    QCOMPARE(created.size(), 1);
    QCOMPARE(created.first().first().toString(), id);
    QCOMPARE(server->activeSessionCount(), 1);
    QCOMPARE(server->sessionIds(), QStringList{id});

    // A second create on the same connection is refused; the session stays.
    QCOMPARE(client.step(createRequest(10, 20)), QStringList{u"error:invalidRequest"_s});
    QCOMPARE(server->activeSessionCount(), 1);
}

void tst_RefServer::createErrors_data()
{
    QTest::addColumn<quint64>("start");
    QTest::addColumn<quint64>("end");
    QTest::addColumn<bool>("parallel");
    QTest::addColumn<QByteArray>("expected");
    QTest::addRow("inverted range")
        << quint64(200) << quint64(100) << false
        << QByteArray(R"({"method":"error","params":{"invalidRequest":{"error":"startSlot must be <= endSlot"}}})");
    QTest::addRow("before the available range")
        << quint64(50) << quint64(150) << false
        << QByteArray(R"({"method":"error","params":{"bundleNotFound":{"start_slot":50,"end_slot":150}}})");
    QTest::addRow("after the available range")
        << quint64(900) << quint64(1001) << false
        << QByteArray(R"({"method":"error","params":{"bundleNotFound":{"start_slot":900,"end_slot":1001}}})");
    // Parallel creates (lib/refserver/parallelbatch.*) are checked the same way.
    QTest::addRow("parallel, inverted range")
        << quint64(200) << quint64(100) << true
        << QByteArray(R"({"method":"error","params":{"invalidRequest":{"error":"startSlot must be <= endSlot"}}})");
    QTest::addRow("parallel, after the available range")
        << quint64(900) << quint64(1001) << true
        << QByteArray(R"({"method":"error","params":{"bundleNotFound":{"start_slot":900,"end_slot":1001}}})");
}

void tst_RefServer::createErrors()
{
    QFETCH(quint64, start);
    QFETCH(quint64, end);
    QFETCH(bool, parallel);
    QFETCH(QByteArray, expected);
    RefServerConfig config{.availableStart = 100, .availableEnd = 1000};
    auto server = startServer(config);
    QVERIFY(server);
    ControlClient client;
    QVERIFY(client.open(server->controlUrl()));
    QJsonObject extra{{u"disconnectTimeoutSecs"_s, 30}}; // errors before a session carry no seqId
    if (parallel)
        extra.insert(u"parallel"_s, true);
    client.send(createRequest(start, end, extra));
    QVERIFY(client.waitForEnd(0));
    QCOMPARE(client.frames.size(), 1);
    if (!expected.isEmpty())
        QCOMPARE(client.frames.first().raw, expected);
    else
        QCOMPARE(client.described(), QStringList{u"error:invalidRequest"_s});
    QCOMPARE(server->activeSessionCount(), 0);

    // The connection survives and a valid create works on it.
    QVERIFY(!create(client, *server, 100, 110).isEmpty());
}

void tst_RefServer::malformedControlFrames_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addRow("not json") << QByteArray("{nope");
    QTest::addRow("not an object") << QByteArray("[1,2]");
    QTest::addRow("unknown method") << QByteArray(R"({"method":"fly","params":{}})");
    QTest::addRow("missing startSlot") << QByteArray(R"({"method":"createBacktestSession","params":{"endSlot":5}})");
    QTest::addRow("continue without session") << continueRequest(1);
    QTest::addRow("continueTo without session") << continueToRequest(5, 0);
    QTest::addRow("resume without session") << QByteArray(R"({"method":"resumeAttachedSession"})");
    QTest::addRow("parallel continue") << QByteArray(
        R"({"method":"continueSessionV1","params":{"sessionId":"backtest_x","request":{"advanceCount":1}}})");
}

void tst_RefServer::malformedControlFrames()
{
    QFETCH(QByteArray, frame);
    auto server = startServer({});
    QVERIFY(server);
    ControlClient client;
    QVERIFY(client.open(server->controlUrl()));
    client.send(frame);
    QVERIFY(client.waitForEnd(0));
    QCOMPARE(client.described(), QStringList{u"error:invalidRequest"_s});
    QVERIFY(!client.disconnected);
    QVERIFY(!create(client, *server, 1, 2).isEmpty());
}

void tst_RefServer::prematureContinue()
{
    RefServerConfig config{.slotDelayMs = 20};
    SessionRun run;
    QVERIFY(openRun(run, config, 100, 199, false));
    auto &[server, client, id, subscriber] = run;
    const qsizetype mark = client.frames.size();
    client.send(continueRequest(10));
    client.send(continueRequest(1)); // while the first still executes
    client.send(continueToRequest(150, std::nullopt));
    QVERIFY(client.waitForEnd(mark, {u"readyForContinue"_s}));
    QStringList seen = client.described(mark);
    QCOMPARE(seen.count(u"error:invalidRequest"_s), 2);
    QCOMPARE(seen.count(u"readyForContinue"_s), 1);
    seen.removeAll(u"error:invalidRequest"_s);
    QStringList expected = ContinueStatuses;
    for (quint64 slot = 100; slot < 110; ++slot)
        expected += slotFrames(slot);
    expected << u"readyForContinue"_s;
    QCOMPARE(seen, expected);

    // After readyForContinue a continue is accepted again.
    QCOMPARE(client.step(continueRequest(1)), ContinueStatuses + slotFrames(110) + QStringList{u"readyForContinue"_s});
}

void tst_RefServer::continueToCompletion_data()
{
    QTest::addColumn<std::optional<bool>>("sendSummary");
    QTest::addRow("with summary") << std::optional<bool>(true);
    QTest::addRow("without summary") << std::optional<bool>(false);
    // PROTOCOL-0.31.md §3.1.1: sendSummary is optional, default false (§4.6: null then).
    QTest::addRow("sendSummary left out") << std::optional<bool>();
}

void tst_RefServer::continueToCompletion()
{
    QFETCH(std::optional<bool>, sendSummary);
    RefServerConfig config{.seed = 5};
    auto server = startServer(config);
    QVERIFY(server);
    QSignalSpy completed(server.get(), &RefServer::sessionCompleted);
    ControlClient client;
    QJsonObject fields;
    if (sendSummary)
        fields.insert(u"sendSummary"_s, *sendSummary);
    const QString id = create(client, *server, 100, 104, fields);
    QVERIFY(!id.isEmpty());

    QCOMPARE(client.step(continueRequest(2)),
             ContinueStatuses + slotFrames(100) + slotFrames(101) + QStringList{u"readyForContinue"_s});

    // More than is left: stops at endSlot.
    QCOMPARE(client.step(continueRequest(50)),
             ContinueStatuses + slotFrames(102) + slotFrames(103) + slotFrames(104) + QStringList{u"completed"_s});

    // Summary: the synthetic transactions of slots 100..104.
    const Internal::SyntheticTransactions generator(5);
    quint64 succeeded = 0, failed = 0;
    for (quint64 slot = 100; slot <= 104; ++slot) {
        for (int i = 0; i < generator.countAt(slot); ++i)
            (generator.failsAt(slot, quint32(i)) ? failed : succeeded) += 1;
    }
    const QByteArray expected = sendSummary.value_or(false)
        ? R"({"method":"completed","params":{"summary":{"correctSimulation":)" + QByteArray::number(succeeded)
              + R"(,"incorrectSimulation":0,"executionErrors":)" + QByteArray::number(failed)
              + R"(,"balanceDiff":0,"logDiff":0,"unsanitizable":0,"rerouteStats":null}}})"
        : QByteArray(R"({"method":"completed","params":{"summary":null}})");
    QCOMPARE(client.frames.last().raw, expected);
    QCOMPARE(completed.size(), 1);
    QCOMPARE(completed.first().first().toString(), id);

    // After completed a continue is an error; the session stays until closed.
    QCOMPARE(client.step(continueRequest(1)), QStringList{u"error:invalidRequest"_s});
    QCOMPARE(server->activeSessionCount(), 1);
}

void tst_RefServer::slotPacingIsAPeriod()
{
    // RefServerConfig::slotDelayMs: each slot starts a period after the one
    // before. A step's first slot starts at once when that period is over
    // (after an idle pause it is), and a step after an idle
    // pause keeps every period: the schedule left from the first step does not
    // let its slots run back to back to catch up.
    constexpr int periodMs = 40;
    RefServerConfig config{.slotDelayMs = periodMs};
    auto server = startServer(config);
    QVERIFY(server);
    ControlClient client;
    const QString id = create(client, *server, 100, 199);
    QVERIFY(!id.isEmpty());

    // Five slots: four periods between their starts. A coarse timer may fire
    // up to 5 % early.
    const qint64 atLeastMs = 4 * periodMs * 95 / 100;
    QElapsedTimer elapsed;
    elapsed.start();
    QCOMPARE(client.step(continueRequest(5)).last(), u"readyForContinue"_s);
    QCOMPARE_GE(elapsed.elapsed(), atLeastMs);

    QTest::qWait(5 * periodMs);
    elapsed.restart();
    QCOMPARE(client.step(continueRequest(5)).last(), u"readyForContinue"_s);
    QCOMPARE_GE(elapsed.elapsed(), atLeastMs);

    // One slot a step, back to back (a client stepping slot by slot): each
    // keeps the period too; they once ran at once, each step's slot first.
    elapsed.restart();
    for (int step = 0; step < 5; ++step)
        QCOMPARE(client.step(continueRequest(1)).last(), u"readyForContinue"_s);
    QCOMPARE_GE(elapsed.elapsed(), atLeastMs);
}

// --- §5: data plane -------------------------------------------------------------

void tst_RefServer::fixturesStreamEverySignatureOnce()
{
    SessionRun run;
    QVERIFY(openRun(run, fixtureConfig(), 1000, 1199));
    auto &[server, client, id, subscriber] = run;
    const qint64 subscription = subscriber.subscribe(1, {});
    QVERIFY(subscription > 0);

    const qsizetype mark = client.frames.size();
    client.send(continueRequest(200));
    QVERIFY(client.waitForEnd(mark));
    QCOMPARE(client.described(mark).last(), u"completed"_s);
    // End of stream (§5.8 [P]): close 1000 "session completed" after the flush.
    QTRY_VERIFY_WITH_TIMEOUT(subscriber.disconnected, Timeout);
    QCOMPARE(subscriber.closeCode, QWebSocketProtocol::CloseCodeNormal);
    QCOMPARE(subscriber.closeReason, u"session completed"_s);

    const QList<QByteArray> results = subscriber.results(subscription);
    QCOMPARE(results.size(), 31);
    QStringList expectedSignatures;
    for (const LoadedTransaction &t : std::as_const(m_fixture.loaded))
        expectedSignatures.append(t.signature);
    QCOMPARE(subscriber.signatures(subscription), expectedSignatures); // each once, in order
    static const QRegularExpression slotMember(uR"("slot":\d+)"_s);
    const QList<quint64> seenSlots = subscriber.slotList(subscription);
    for (int i = 0; i < results.size(); ++i) {
        QCOMPARE(seenSlots.at(i), quint64(1000 + i * 200 / 31));
        // Everything but the slot is byte-identical to the real transaction.
        QCOMPARE(QString::fromUtf8(results.at(i)).replace(slotMember, u"\"slot\":0"_s),
                 QString::fromUtf8(m_fixture.loaded.at(i).json).replace(slotMember, u"\"slot\":0"_s));
    }

    // Every control slotNotification of the run came in order, once per slot.
    QList<qint64> notified;
    for (qsizetype i = mark; i < client.frames.size(); ++i) {
        if (client.frames.at(i).json.value(u"method"_s) == u"slotNotification"_s)
            notified.append(client.frames.at(i).json.value(u"params"_s).toInteger());
    }
    QCOMPARE(notified.size(), 200);
    QCOMPARE(notified.first(), qint64(1000));
    QCOMPARE(notified.last(), qint64(1199));
}

void tst_RefServer::programFilter()
{
    SessionRun run;
    QVERIFY(openRun(run, fixtureConfig(), 1000, 1199));
    auto &[server, client, id, subscriber] = run;
    const qint64 jupiter = subscriber.subscribe(1, {JupiterV6});
    const qint64 everything = subscriber.subscribe(2, {});
    QVERIFY(jupiter > 0);
    QVERIFY(everything > 0 && everything != jupiter);

    QVERIFY(continueUntilDataEnd(run, 200));
    QStringList expected;
    for (int i : std::as_const(m_fixture.jupiter))
        expected.append(m_fixture.loaded.at(i).signature);
    QCOMPARE(subscriber.signatures(jupiter), expected);
    QCOMPARE(subscriber.results(everything).size(), 31);
}

void tst_RefServer::discoveryAndContinueTo()
{
    SessionRun run;
    QVERIFY(openRun(run, fixtureConfig(), 1000, 1199, false,
                    {{u"discoveries"_s, QJsonArray{discoveryFilter(JupiterV6)}}}));
    auto &[server, client, id, subscriber] = run;
    const auto slotOf = [](int index) { return quint64(1000 + index * 200 / 31); };
    const QList<int> &jupiter = m_fixture.jupiter;

    // The first match is announced before the first readyForContinue.
    const QString firstDiscovery = u"discovery:%1/0"_s.arg(slotOf(jupiter.at(0)));
    QCOMPARE(client.described(), (QStringList{u"status:preparingBundle"_s, u"status:bundleReady"_s,
                                              u"status:startingRuntime"_s, u"sessionCreated"_s, u"slot:1000"_s,
                                              firstDiscovery, u"readyForContinue"_s}));
    const QJsonObject event = client.first(u"discoveryBatch"_s)->value(u"params"_s).toObject();
    QCOMPARE(event.value(u"matched"_s).toArray(), QJsonArray{discoveryFilter(JupiterV6)});
    QCOMPARE(event.value(u"transactionIndices"_s).toArray(), QJsonArray{0});
    const QJsonArray transactions = event.value(u"transactions"_s).toArray();
    QCOMPARE(transactions.size(), 1);
    QCOMPARE(transactions.first().toObject().value(u"encoding"_s).toString(), u"base64"_s);
    const QByteArray announced =
        QByteArray::fromBase64(transactions.first().toObject().value(u"data"_s).toString().toLatin1());
    QVERIFY(announced.contains(m_fixture.loaded.at(jupiter.at(0)).signature.toLatin1()));

    QVERIFY(subscriber.open(server->controlUrl(), id));
    const qint64 subscription = subscriber.subscribe(1, {});
    QVERIFY(subscription > 0);

    // continueTo each announced batch: paused there, the next match announced
    // just before the pause, and exactly the transactions before it delivered.
    qint64 barrier = 100;
    for (int k = 0; k < jupiter.size(); ++k) {
        const quint64 slot = slotOf(jupiter.at(k));
        const qsizetype mark = client.frames.size();
        client.send(continueToRequest(slot, 0));
        QVERIFY(client.waitForEnd(mark));
        const QStringList step = client.described(mark);
        QCOMPARE(step.last(), u"paused:%1/0"_s.arg(slot));
        if (k + 1 < jupiter.size()) {
            QCOMPARE(step.at(step.size() - 2), u"discovery:%1/0"_s.arg(slotOf(jupiter.at(k + 1))));
            QCOMPARE(step.filter(QRegularExpression(u"^discovery:"_s)).size(), 1); // each batch announced once
        } else {
            QVERIFY(!step.at(step.size() - 2).startsWith(u"discovery"_s)); // no more matches
        }
        QCOMPARE(client.frames.last().raw,
                 R"({"method":"paused","params":{"slot":)" + QByteArray::number(slot) + R"(,"batchIndex":0}})");
        QVERIFY(subscriber.barrier(++barrier));
        QCOMPARE(subscriber.results(subscription).size(), jupiter.at(k));
    }

    // The rest of the range.
    const qsizetype mark = client.frames.size();
    client.send(continueRequest(1000));
    QVERIFY(client.waitForEnd(mark));
    QCOMPARE(client.described(mark).last(), u"completed"_s);
    QTRY_VERIFY_WITH_TIMEOUT(subscriber.disconnected, Timeout);
    QCOMPARE(subscriber.results(subscription).size(), 31);
}

void tst_RefServer::continueToMidSlot()
{
    // 31 transactions over 10 slots: slot 1000 holds 4, the others 3.
    SessionRun run;
    QVERIFY(openRun(run, fixtureConfig(), 1000, 1009));
    auto &[server, client, id, subscriber] = run;
    const qint64 subscription = subscriber.subscribe(1, {});

    QCOMPARE(client.step(continueToRequest(1001, 2)),
             slotFrames(1000) + QStringList({u"status:executingBlockTransactions"_s, u"paused:1001/2"_s}));
    QVERIFY(subscriber.barrier(100));
    QCOMPARE(subscriber.results(subscription).size(), 6); // 4 of slot 1000, batches 0–1 of slot 1001

    // A continue finishes the paused slot first; it counts as one.
    QCOMPARE(client.step(continueRequest(1)),
             ContinueStatuses
                 + QStringList({u"status:executedBlockTransactions"_s, u"slot:1001"_s, u"readyForContinue"_s}));
    QVERIFY(subscriber.barrier(101));
    QCOMPARE(subscriber.results(subscription).size(), 7);

    // A pause at the cursor itself executes nothing.
    QCOMPARE(client.step(continueToRequest(1002, 0)), QStringList{u"paused:1002/0"_s});

    // Past the slot's last batch: after its last transaction, before the boundary.
    QCOMPARE(client.step(continueToRequest(1002, 9)),
             (QStringList{u"status:executingBlockTransactions"_s, u"paused:1002/9"_s}));
    QVERIFY(subscriber.barrier(102));
    QCOMPARE(subscriber.results(subscription).size(), 10);

    // Whole slot: paused at the block boundary with batchIndex null.
    QCOMPARE(client.step(continueToRequest(1003, std::nullopt)),
             QStringList({u"status:executedBlockTransactions"_s, u"slot:1002"_s}) + slotFrames(1003)
                 + QStringList{u"paused:1003/-"_s});
    QCOMPARE(client.frames.last().raw, QByteArray(R"({"method":"paused","params":{"slot":1003,"batchIndex":null}})"));
    QVERIFY(subscriber.barrier(103));
    QCOMPARE(subscriber.results(subscription).size(), 13);
    QCOMPARE(subscriber.signatures(subscription), [this] {
        QStringList first;
        for (int i = 0; i < 13; ++i)
            first.append(m_fixture.loaded.at(i).signature);
        return first;
    }());

    // continueTo the end slot completes the session.
    qsizetype mark = client.frames.size();
    client.send(continueToRequest(1009, std::nullopt));
    QVERIFY(client.waitForEnd(mark));
    QCOMPARE(client.described(mark).last(), u"completed"_s);
}

void tst_RefServer::continueToErrors_data()
{
    QTest::addColumn<quint64>("slot");
    QTest::addColumn<int>("batchIndex"); // -1 = none
    QTest::addRow("earlier slot") << quint64(1001) << -1;
    QTest::addRow("earlier batch") << quint64(1002) << 0;
    QTest::addRow("executed slot, batch") << quint64(1000) << 5;
    QTest::addRow("after endSlot") << quint64(1010) << -1;
}

void tst_RefServer::continueToErrors()
{
    QFETCH(quint64, slot);
    QFETCH(int, batchIndex);
    SessionRun run;
    QVERIFY(openRun(run, fixtureConfig(), 1000, 1009, false));
    auto &[server, client, id, subscriber] = run;
    qsizetype mark = client.frames.size();
    client.send(continueToRequest(1002, 1));
    QVERIFY(client.waitForEnd(mark));
    QCOMPARE(client.described(mark).last(), u"paused:1002/1"_s);

    const std::optional<quint32> batch = batchIndex < 0 ? std::nullopt : std::optional<quint32>(quint32(batchIndex));
    QCOMPARE(client.step(continueToRequest(slot, batch)), QStringList{u"error:invalidRequest"_s});

    // Still paused and usable.
    mark = client.frames.size();
    client.send(continueRequest(1));
    QVERIFY(client.waitForEnd(mark));
    QCOMPARE(client.described(mark).last(), u"readyForContinue"_s);
}

// --- §2.3, §6.4: seqId, close, attach ----------------------------------------------

void tst_RefServer::sequenceIds_data()
{
    QTest::addColumn<QJsonValue>("disconnectTimeoutSecs"); // undefined = absent
    QTest::addColumn<bool>("sequenced");
    QTest::addRow("30 s") << QJsonValue(30) << true;
    QTest::addRow("over the clamp") << QJsonValue(5000) << true;
    QTest::addRow("zero") << QJsonValue(0) << false;
    QTest::addRow("null") << QJsonValue() << false;
    QTest::addRow("absent") << QJsonValue(QJsonValue::Undefined) << false;
}

void tst_RefServer::sequenceIds()
{
    QFETCH(QJsonValue, disconnectTimeoutSecs);
    QFETCH(bool, sequenced);
    auto server = startServer({});
    QVERIFY(server);
    ControlClient client;
    QJsonObject extra;
    if (!disconnectTimeoutSecs.isUndefined())
        extra.insert(u"disconnectTimeoutSecs"_s, disconnectTimeoutSecs);
    QVERIFY(!create(client, *server, 1, 3, extra).isEmpty());
    qsizetype mark = client.frames.size();
    client.send(continueRequest(1));
    QVERIFY(client.waitForEnd(mark));
    mark = client.frames.size();
    client.send(continueRequest(1)); // and an error: also sequenced
    client.send(continueRequest(0));
    QVERIFY(client.waitForEnd(mark, {u"readyForContinue"_s}));
    QVERIFY(client.waitForEnd(mark, {u"error"_s}));

    for (qsizetype i = 0; i < client.frames.size(); ++i) {
        const QJsonObject &frame = client.frames.at(i).json;
        if (sequenced) {
            QCOMPARE(frame.value(u"seqId"_s).toInteger(), qint64(i + 1));
            QVERIFY(client.frames.at(i).raw.startsWith("{\"seqId\":" + QByteArray::number(i + 1) + ','));
        } else {
            QVERIFY(!frame.contains(u"seqId"_s));
        }
    }
}

void tst_RefServer::closeBacktestSession()
{
    SessionRun run;
    QVERIFY(openRun(run, {}, 1, 100));
    auto &[server, client, id, subscriber] = run;
    QVERIFY(subscriber.subscribe(1, {}) > 0);

    const qsizetype mark = client.frames.size();
    client.send(R"({"method":"closeBacktestSession"})");
    QTRY_VERIFY_WITH_TIMEOUT(client.disconnected, Timeout);
    QCOMPARE(client.described(mark), QStringList{u"success"_s});
    QCOMPARE(client.frames.last().raw, QByteArray(R"({"method":"success"})"));
    QCOMPARE(client.socket.closeCode(), QWebSocketProtocol::CloseCodeNormal);
    QCOMPARE(server->activeSessionCount(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(subscriber.disconnected, Timeout);
    QCOMPARE(subscriber.closeCode, QWebSocketProtocol::CloseCodeGoingAway);

    // The data-plane path of a closed session is gone.
    DataClient late;
    QVERIFY(!late.open(server->controlUrl(), id));
}

void tst_RefServer::controlCloseTearsDown()
{
    SessionRun run;
    QVERIFY(openRun(run, {}, 1, 100, false));
    auto &[server, client, id, subscriber] = run;
    QCOMPARE(server->activeSessionCount(), 1);
    client.socket.close();
    QTRY_COMPARE_WITH_TIMEOUT(server->activeSessionCount(), 0, Timeout);
}

void tst_RefServer::disconnectTimeoutExpires()
{
    SessionRun run;
    QVERIFY(openRun(run, {}, 1, 100, false, {{u"disconnectTimeoutSecs"_s, 1}}));
    auto &[server, client, id, subscriber] = run;
    client.socket.close();
    QTRY_VERIFY_WITH_TIMEOUT(client.disconnected, Timeout);
    // Kept for the timeout (attach would still work now)…
    QCOMPARE(server->activeSessionCount(), 1);
    // …then dropped.
    QTRY_COMPARE_WITH_TIMEOUT(server->activeSessionCount(), 0, Timeout);
    ControlClient late;
    QVERIFY(late.open(server->controlUrl()));
    late.send(compact({{u"method"_s, u"attachBacktestSession"_s},
                       {u"params"_s, QJsonObject{{u"session_id"_s, id}, {u"last_sequence"_s, 3}}}}));
    QVERIFY(late.waitForEnd(0));
    QCOMPARE(late.frames.first().raw,
             R"({"method":"error","params":{"sessionNotFound":{"session_id":")" + id.toUtf8() + R"("}}})");
}

void tst_RefServer::replayFromSlot()
{
    SessionRun run;
    QVERIFY(openRun(run, {}, 100, 119, false));
    auto &[server, client, id, subscriber] = run;
    DataClient first;
    QVERIFY(first.open(server->controlUrl(), id));
    const qint64 live = first.subscribe(1, {});
    qsizetype mark = client.frames.size();
    client.send(continueRequest(5)); // slots 100..104
    QVERIFY(client.waitForEnd(mark));
    QVERIFY(first.barrier(50));

    // A resubscribe on a new socket with replayFromSlot 102 gets slots 102..104 again.
    DataClient second;
    QVERIFY(second.open(server->controlUrl(), id));
    const qint64 replayed = second.subscribe(7, {}, 102);
    QVERIFY(replayed > 0);
    QVERIFY(second.barrier(51));
    QList<QByteArray> expected;
    const QList<QByteArray> all = first.results(live);
    const QList<quint64> seenSlots = first.slotList(live);
    for (int i = 0; i < all.size(); ++i) {
        if (seenSlots.at(i) >= 102)
            expected.append(all.at(i));
    }
    QVERIFY(expected.size() >= 6); // at least 2 per slot
    QCOMPARE(second.results(replayed), expected);

    // Then both continue live.
    mark = client.frames.size();
    client.send(continueRequest(1));
    QVERIFY(client.waitForEnd(mark));
    QVERIFY(first.barrier(52));
    QVERIFY(second.barrier(53));
    const QList<QByteArray> firstAll = first.results(live);
    const QList<QByteArray> secondAll = second.results(replayed);
    QCOMPARE(secondAll.mid(expected.size()), firstAll.mid(all.size()));
    QVERIFY(firstAll.size() > all.size());
    for (quint64 slot : second.slotList(replayed).mid(expected.size()))
        QCOMPARE(slot, quint64(105));

    // A filtered replay only re-delivers matching transactions.
    DataClient third;
    QVERIFY(third.open(server->controlUrl(), id));
    const qint64 jupiter = third.subscribe(9, {JupiterV6}, 100);
    QVERIFY(third.barrier(54));
    for (const QByteArray &result : third.results(jupiter))
        QVERIFY(result.contains(JupiterV6.toLatin1()));
    int expectedJupiter = 0;
    for (const QByteArray &result : firstAll)
        expectedJupiter += result.contains(JupiterV6.toLatin1()) ? 1 : 0;
    QCOMPARE(third.results(jupiter).size(), expectedJupiter);
}

void tst_RefServer::attachAndResume()
{
    auto server = startServer({});
    QVERIFY(server);
    ControlClient first;
    const QString id = create(first, *server, 100, 110, {{u"disconnectTimeoutSecs"_s, 60}});
    QVERIFY(!id.isEmpty());
    qsizetype mark = first.frames.size();
    first.send(continueRequest(2));
    QVERIFY(first.waitForEnd(mark));
    const qsizetype total = first.frames.size();
    QCOMPARE(first.frames.last().json.value(u"seqId"_s).toInteger(), qint64(total));

    // While the first connection lives, the session is busy.
    ControlClient intruder;
    QVERIFY(intruder.open(server->controlUrl()));
    intruder.send(compact({{u"method"_s, u"attachBacktestSession"_s},
                           {u"params"_s, QJsonObject{{u"session_id"_s, id}}}}));
    QVERIFY(intruder.waitForEnd(0));
    QCOMPARE(intruder.described(), QStringList{u"error:sessionOwnershipBusy"_s});

    first.socket.close();
    QTRY_VERIFY_WITH_TIMEOUT(first.disconnected, Timeout);
    QCOMPARE(server->activeSessionCount(), 1);

    // Attach with the docs' camelCase spelling (accepted too), last seen = 5.
    // Until the server has noticed the close the session is busy: retry, as a
    // real client does with sessionOwnershipBusy.
    ControlClient second;
    QVERIFY(second.open(server->controlUrl()));
    const qsizetype attached = attachUntilAccepted(
        second, compact({{u"method"_s, u"attachBacktestSession"_s},
                         {u"params"_s, QJsonObject{{u"sessionId"_s, id}, {u"lastSequence"_s, 5}}}}));
    QVERIFY(attached >= 0);
    QTRY_COMPARE_WITH_TIMEOUT(second.frames.size() - attached, qsizetype(1 + total - 5), Timeout);
    QCOMPARE(second.frames.at(attached).raw, R"({"method":"sessionAttached","params":{"session_id":")" + id.toUtf8()
                                                 + R"(","rpc_endpoint":"/backtest/)" + id.toUtf8()
                                                 + R"(","task_id":null}})");
    for (qsizetype i = 5; i < total; ++i)
        QCOMPARE(second.frames.at(attached + 1 + i - 5).raw, first.frames.at(i).raw); // seqId 6..total, verbatim

    mark = second.frames.size();
    second.send(R"({"method":"resumeAttachedSession"})");
    QVERIFY(second.waitForEnd(mark, {u"success"_s}));
    QCOMPARE(second.frames.last().raw, R"({"seqId":)" + QByteArray::number(total + 1) + R"(,"method":"success"})");

    // Normal flow continues on the new connection.
    QCOMPARE(second.step(continueRequest(1)), ContinueStatuses + slotFrames(102) + QStringList{u"readyForContinue"_s});
    QCOMPARE(second.frames.last().json.value(u"seqId"_s).toInteger(), qint64(total + 1 + 8));

    // A second attach without last_sequence replays the whole buffer.
    second.socket.close();
    QTRY_VERIFY_WITH_TIMEOUT(second.disconnected, Timeout);
    ControlClient third;
    QVERIFY(third.open(server->controlUrl()));
    const qsizetype again = attachUntilAccepted(
        third, compact({{u"method"_s, u"attachBacktestSession"_s},
                        {u"params"_s, QJsonObject{{u"session_id"_s, id}, {u"last_sequence"_s, QJsonValue()}}}}));
    QVERIFY(again >= 0);
    third.frames.remove(0, again);
    QTRY_COMPARE_WITH_TIMEOUT(third.frames.size(), qsizetype(1 + total + 1 + 8), Timeout);
    QCOMPARE(third.frames.at(1).json.value(u"seqId"_s).toInteger(), qint64(1));
    QCOMPARE(third.frames.last().json.value(u"seqId"_s).toInteger(), qint64(total + 9));
}

void tst_RefServer::attachErrors()
{
    RefServerConfig config{.additionalApiKeys = {OtherKey}};
    auto server = startServer(config);
    QVERIFY(server);
    ControlClient owner;
    const QString id = create(owner, *server, 1, 10, {{u"disconnectTimeoutSecs"_s, 60}});
    QVERIFY(!id.isEmpty());
    owner.socket.close();
    QTRY_VERIFY_WITH_TIMEOUT(owner.disconnected, Timeout);

    const auto attach = [&](const QString &key, const QString &sessionId) {
        auto client = std::make_unique<ControlClient>();
        if (!client->open(server->controlUrl(), key))
            return QString(u"no connection"_s);
        client->send(compact({{u"method"_s, u"attachBacktestSession"_s},
                              {u"params"_s, QJsonObject{{u"session_id"_s, sessionId}, {u"last_sequence"_s, 0}}}}));
        if (!client->waitForEnd(0, {u"error"_s, u"sessionAttached"_s}))
            return QString(u"no answer"_s);
        return client->described().first();
    };
    QCOMPARE(attach(ApiKey, u"backtest_0199d2c4-5b7e-7a31-9c1e-2f4b8d6a1c00"_s), u"error:sessionNotFound"_s);
    QCOMPARE(attach(OtherKey, id), u"error:sessionOwnerMismatch"_s);
    // Any spelling of the id names the session (PROTOCOL-0.31.md §5.1: the
    // prefix is optional, the hyphenated form parses too).
    const QString hex = sessionIdKey(id);
    QCOMPARE(hex.size(), 32);
    const QString simple = u"backtest_"_s + hex;
    const QString hyphenated = u"backtest_%1-%2-%3-%4-%5"_s.arg(hex.mid(0, 8), hex.mid(8, 4), hex.mid(12, 4),
                                                                 hex.mid(16, 4), hex.mid(20));
    QCOMPARE(attach(ApiKey, id == simple ? hyphenated : simple), u"sessionAttached"_s);
    QCOMPARE(attach(ApiKey, hex.toUpper()), u"sessionAttached"_s);
    QCOMPARE(attach(ApiKey, id), u"sessionAttached"_s);
}

void tst_RefServer::transcriptRecordsClientFrames()
{
    auto server = startServer({});
    QVERIFY(server);
    QSignalSpy frames(server.get(), &RefServer::clientFrameReceived);
    ControlClient client;
    const QByteArray createFrame = createRequest(1, 3);
    QVERIFY(client.open(server->controlUrl()));
    client.send(createFrame);
    QVERIFY(client.waitForEnd(0));
    const QString id =
        client.first(u"sessionCreated"_s)->value(u"params"_s).toObject().value(u"session_id"_s).toString();
    DataClient subscriber;
    QVERIFY(subscriber.open(server->controlUrl(), id));
    const QByteArray subscribeFrame = encodeTransactionSubscribe(4, {});
    QVERIFY(subscriber.request(subscribeFrame, 4) > 0);
    const qsizetype mark = client.frames.size();
    client.send(continueRequest(1));
    QVERIFY(client.waitForEnd(mark));

    const QList<TranscriptEntry> transcript = server->transcript();
    QCOMPARE(transcript.size(), 3);
    QCOMPARE(frames.size(), 3);
    QCOMPARE(transcript.at(0).kind, TranscriptEntry::Kind::Control);
    QCOMPARE(transcript.at(0).text, QString::fromUtf8(createFrame));
    QCOMPARE(transcript.at(0).sessionId, QString()); // before the session existed
    QCOMPARE(transcript.at(1).kind, TranscriptEntry::Kind::Subscription);
    QCOMPARE(transcript.at(1).text, QString::fromUtf8(subscribeFrame));
    QCOMPARE(transcript.at(1).sessionId, id);
    QVERIFY(transcript.at(1).connectionId != transcript.at(0).connectionId);
    QCOMPARE(transcript.at(2).kind, TranscriptEntry::Kind::Control);
    QCOMPARE(transcript.at(2).text, QString::fromUtf8(continueRequest(1)));
    QCOMPARE(transcript.at(2).sessionId, id);
    QCOMPARE(transcript.at(2).connectionId, transcript.at(0).connectionId);
    QVERIFY(transcript.at(0).time <= transcript.at(2).time);
    QCOMPARE(frames.at(2).first().value<TranscriptEntry>().text, transcript.at(2).text);
}

void tst_RefServer::transactionsPerSlotUniqueSignatures()
{
    RefServerConfig config = fixtureConfig();
    config.transactionsPerSlot = 4;
    SessionRun run;
    QVERIFY(openRun(run, config, 500, 524, true, {{u"sendSummary"_s, true}}));
    auto &[server, client, id, subscriber] = run;
    const qint64 subscription = subscriber.subscribe(1, {});
    QVERIFY(continueUntilDataEnd(run, 25));

    const QStringList signatures = subscriber.signatures(subscription);
    QCOMPARE(signatures.size(), 100);
    QCOMPARE(QSet<QString>(signatures.cbegin(), signatures.cend()).size(), 100);
    QSet<QString> originals;
    for (const LoadedTransaction &t : std::as_const(m_fixture.loaded))
        originals.insert(t.signature);
    for (const QString &signature : signatures)
        QVERIFY(!originals.contains(signature));
    const QList<quint64> seenSlots = subscriber.slotList(subscription);
    for (int i = 0; i < seenSlots.size(); ++i)
        QCOMPARE(seenSlots.at(i), quint64(500 + i / 4));
    const QByteArray summary = client.frames.last().raw;
    QVERIFY(summary.contains("\"correctSimulation\":"));
    // 100 copies cycling 31 transactions of which 3 failed: 0..30, 31..61, 62..92, 93..99.
    int failed = 0;
    TransactionSummarizer summarizer;
    for (int i = 0; i < 100; ++i)
        failed += summarizer.summarize(m_fixture.loaded.at(i % 31).json)->success ? 0 : 1;
    QVERIFY(summary.contains("\"executionErrors\":" + QByteArray::number(failed) + ','));
}

void tst_RefServer::dataPlaneErrors_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<QByteArray>("expected");
    QTest::addRow("unknown method") << QByteArray(R"({"jsonrpc":"2.0","id":3,"method":"slotSubscribe","params":[]})")
                                    << QByteArray(R"({"jsonrpc":"2.0","error":{"code":-32601,)"
                                                  R"("message":"Method not found: slotSubscribe"},"id":3})");
    QTest::addRow("not json") << QByteArray("{oops")
                              << QByteArray(R"({"jsonrpc":"2.0","error":{"code":-32700,"message":"Parse error"},)"
                                            R"("id":null})");
    QTest::addRow("bad params")
        << QByteArray(R"({"jsonrpc":"2.0","id":4,"method":"transactionSubscribe","params":[{"accountInclude":7}]})")
        << QByteArray(R"({"jsonrpc":"2.0","error":{"code":-32602,)");
    QTest::addRow("unsubscribe unknown")
        << QByteArray(R"({"jsonrpc":"2.0","id":5,"method":"transactionUnsubscribe","params":[999]})")
        << QByteArray(R"({"id":5,"jsonrpc":"2.0","result":false})");
}

void tst_RefServer::dataPlaneErrors()
{
    QFETCH(QByteArray, frame);
    QFETCH(QByteArray, expected);
    SessionRun run;
    QVERIFY(openRun(run, {}, 1, 3));
    auto &[server, client, id, subscriber] = run;
    subscriber.socket.sendTextMessage(QString::fromUtf8(frame));
    QTRY_COMPARE_WITH_TIMEOUT(subscriber.frames.size(), qsizetype(1), Timeout);
    QVERIFY2(subscriber.frames.first().raw.startsWith(expected), subscriber.frames.first().raw.constData());
    QVERIFY(!subscriber.disconnected);
}

void tst_RefServer::accountDiffSubscribeAckedWithoutDiffs()
{
    SessionRun run;
    QVERIFY(openRun(run, {}, 1, 3));
    auto &[server, client, id, subscriber] = run;
    AccountDiffSubscribeParams params{.address = JupiterV6, .programOwner = true};
    QVERIFY(subscriber.request(encodeAccountDiffSubscribe(2, params), 2) > 0);
    const qint64 transactions = subscriber.subscribe(3, {});
    const qsizetype mark = client.frames.size();
    client.send(continueRequest(3));
    QVERIFY(client.waitForEnd(mark));
    QTRY_VERIFY_WITH_TIMEOUT(subscriber.disconnected, Timeout);
    qsizetype diffs = 0;
    for (const DataClient::Frame &frame : std::as_const(subscriber.frames)) {
        auto message = decodeDataPlaneMessage(frame.json);
        QVERIFY(message.ok());
        diffs += std::holds_alternative<DataPlane::AccountDiffNotification>(*message) ? 1 : 0;
    }
    QCOMPARE(diffs, 0);
    QVERIFY(!subscriber.results(transactions).isEmpty());
}

void tst_RefServer::backPressurePausesExecution()
{
    RefServerConfig config = fixtureConfig();
    config.transactionsPerSlot = 20;
    SessionRun run;
    QVERIFY(openRun(run, config, 0, 199, false)); // 4000 notifications, ~60 MB
    auto &[server, client, id, subscriber] = run;

    // A subscriber that stops reading: a raw socket with a tiny read buffer.
    QTcpSocket raw;
    raw.setReadBufferSize(4096);
    raw.connectToHost(QHostAddress::LocalHost, server->port());
    QVERIFY(raw.waitForConnected(Timeout));
    raw.write("GET /backtest/" + id.toUtf8()
              + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    QByteArray handshake;
    QTRY_VERIFY_WITH_TIMEOUT((handshake += raw.read(4096), handshake.contains("\r\n\r\n")), Timeout);
    QVERIFY(handshake.startsWith("HTTP/1.1 101"));
    const QByteArray subscribe = encodeTransactionSubscribe(1, {});
    QVERIFY(subscribe.size() >= 126 && subscribe.size() < 65536);
    QByteArray frame; // masked text frame with a 16-bit length (RFC 6455 §5.2)
    frame.append(char(0x81)).append(char(0x80 | 126));
    frame.append(char(subscribe.size() >> 8)).append(char(subscribe.size() & 0xff));
    const QByteArray mask("\x01\x02\x03\x04", 4);
    frame.append(mask);
    for (qsizetype i = 0; i < subscribe.size(); ++i)
        frame.append(char(subscribe.at(i) ^ mask.at(i % 4)));
    raw.write(frame);
    QTRY_VERIFY_WITH_TIMEOUT(server->transcript().size() == 2, Timeout); // the subscribe arrived

    const qsizetype mark = client.frames.size();
    client.send(continueRequest(200));
    const auto slotsSeen = [&] { return client.described(mark).filter(QRegularExpression(u"^slot:"_s)).size(); };
    // Execution stalls well before the end while nobody drains the subscriber…
    // (Asserting a stall needs a quiet period: the only fixed waits in this file.)
    QVERIFY(spinUntil([&] { return slotsSeen() > 0; }));
    const auto idle = [](int ms) { spinUntil([] { return false; }, ms); };
    idle(1000);
    const qsizetype stalledAt = slotsSeen();
    idle(500);
    QCOMPARE(slotsSeen(), stalledAt);
    QVERIFY2(stalledAt < 150, qPrintable(QString::number(stalledAt)));
    QVERIFY(!client.first(u"completed"_s, mark));

    // …and resumes once it reads again.
    raw.setReadBufferSize(0);
    qint64 received = 0;
    connect(&raw, &QTcpSocket::readyRead, &raw, [&] { received += raw.readAll().size(); });
    received += raw.readAll().size();
    const bool completed = client.waitForEnd(mark, {u"completed"_s});
    QVERIFY2(completed, qPrintable(u"slots %1, received %2"_s.arg(slotsSeen()).arg(received)));
    QCOMPARE(slotsSeen(), 200);
    QVERIFY(received > 20 * 1024 * 1024);
}

void tst_RefServer::subscribeAfterCompletedReplaysAndCloses()
{
    // A data-plane reconnect during the completion drain (§6.7): the resubscribe
    // gets its replay, then the end-of-stream close.
    SessionRun run;
    QVERIFY(openRun(run, {}, 300, 309, false));
    auto &[server, client, id, subscriber] = run;
    DataClient live;
    QVERIFY(live.open(server->controlUrl(), id));
    const qint64 liveId = live.subscribe(1, {});
    client.send(continueRequest(10));
    QTRY_VERIFY_WITH_TIMEOUT(live.disconnected, Timeout);
    QCOMPARE(live.closeCode, QWebSocketProtocol::CloseCodeNormal);

    DataClient late;
    QVERIFY(late.open(server->controlUrl(), id));
    const qint64 lateId = late.subscribe(2, {}, 308);
    QVERIFY(lateId > 0);
    QTRY_VERIFY_WITH_TIMEOUT(late.disconnected, Timeout);
    QCOMPARE(late.closeCode, QWebSocketProtocol::CloseCodeNormal);
    QCOMPARE(late.closeReason, u"session completed"_s);
    QList<QByteArray> expected;
    const QList<QByteArray> all = live.results(liveId);
    const QList<quint64> seenSlots = live.slotList(liveId);
    for (int i = 0; i < all.size(); ++i) {
        if (seenSlots.at(i) >= 308)
            expected.append(all.at(i));
    }
    QVERIFY(!expected.isEmpty());
    QCOMPARE(late.results(lateId), expected);
}

void tst_RefServer::serverCloseDropsEverything()
{
    SessionRun run;
    QVERIFY(openRun(run, {}, 1, 10));
    auto &[server, client, id, subscriber] = run;
    const QUrl url = server->controlUrl();
    server->close();
    QCOMPARE(server->activeSessionCount(), 0);
    QVERIFY(!server->isListening());
    QTRY_VERIFY_WITH_TIMEOUT(client.disconnected, Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(subscriber.disconnected, Timeout);
    ControlClient late;
    QVERIFY(!late.open(url));
}

void tst_RefServer::runsInWorkerThread()
{
    // The embedded demo may run the server on its own thread.
    QThread thread;
    thread.start();
    RefServerConfig config{.apiKey = ApiKey};
    auto *server = new RefServer(config);
    server->moveToThread(&thread);
    Result<void> listening = makeError(u"not run"_s);
    QUrl url;
    QMetaObject::invokeMethod(
        server, [&] {
            listening = server->listen();
            url = server->controlUrl();
        },
        Qt::BlockingQueuedConnection);
    QVERIFY(listening.ok());

    ControlClient client;
    QVERIFY(client.open(url));
    client.send(createRequest(1, 3));
    QVERIFY(client.waitForEnd(0));
    client.send(continueRequest(3));
    QVERIFY(client.waitForEnd(0, {u"completed"_s}));
    QCOMPARE(client.described().filter(QRegularExpression(u"^slot:"_s)),
             (QStringList{u"slot:1"_s, u"slot:1"_s, u"slot:2"_s, u"slot:3"_s}));

    QMetaObject::invokeMethod(server, [server] { delete server; }, Qt::BlockingQueuedConnection);
    thread.quit();
    QVERIFY(thread.wait(Timeout));
    QTRY_VERIFY_WITH_TIMEOUT(client.disconnected, Timeout);
}

QTEST_GUILESS_MAIN(tst_RefServer)
#include "tst_refserver.moc"
