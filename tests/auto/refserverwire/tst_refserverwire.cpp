// The reference server's wire generations over real sockets (PROTOCOL-0.31.md
// against PROTOCOL.md): paused then readyForContinue, startup while waiting for
// capacity, which frames carry seqId, per-continue statuses, per-transaction
// simulationError, cut, ids, the normal close of a closed session's data
// sockets, HTTP answers. Raw QWebSocket clients (../refserver/rawclients.h).

#include "protocol/transactionfiles.h"
#include "protocol/transactionsummary.h"
#include "rawclients.h"
#include "refserver/refserver.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QTcpSocket>

#include <memory>

using namespace Qt::StringLiterals;
using namespace SlotScope;
using namespace RefServerTest;

Q_DECLARE_METATYPE(SlotScope::WireVersion)

namespace {

/// seqId of each frame from `from` on, -1 where there is none.
QList<qint64> sequenceIds(const ControlClient &client, qsizetype from = 0)
{
    QList<qint64> out;
    for (qsizetype i = from; i < client.frames.size(); ++i) {
        const QJsonValue seq = client.frames.at(i).json.value(u"seqId"_s);
        out.append(seq.isDouble() ? seq.toInteger() : -1);
    }
    return out;
}

QString sessionIdOf(const ControlClient &client, qsizetype from = 0)
{
    const auto created = client.first(u"sessionCreated"_s, from);
    return created ? created->value(u"params"_s).toObject().value(u"session_id"_s).toString() : QString();
}

/// The status line of the answer to a raw HTTP request on `port`.
QByteArray httpStatusLine(quint16 port, const QByteArray &request)
{
    QTcpSocket raw;
    raw.connectToHost(QHostAddress::LocalHost, port);
    if (!raw.waitForConnected(Timeout))
        return {};
    raw.write(request);
    QByteArray response;
    spinUntil([&] {
        response += raw.readAll();
        return response.contains("\r\n") || raw.state() == QAbstractSocket::UnconnectedState;
    });
    return response.left(response.indexOf("\r\n"));
}

QByteArray upgradeRequest(const QByteArray &path, const QByteArray &extraHeaders = {})
{
    return "GET " + path
           + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
           + extraHeaders + "\r\n";
}

const QRegularExpression SimpleSessionId(u"^backtest_[0-9a-f]{12}7[0-9a-f]{3}[89ab][0-9a-f]{15}$"_s);
const QRegularExpression
    HyphenatedSessionId(u"^backtest_[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"_s);

} // namespace

class tst_RefServerWire : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void startupFrames_data();
    void startupFrames();
    void capacityWait_data();
    void capacityWait();
    void stepsRefusedWhileStarting();
    void discoveryLoopNeverRejected_data();
    void discoveryLoopNeverRejected();
    void stepBeforeReadyIsRefused();
    void continueToBeyondTheRange_data();
    void continueToBeyondTheRange();
    void continueStatusOrder_data();
    void continueStatusOrder();
    void sequencing_data();
    void sequencing();
    void unsetDisconnectTimeoutKeepsTheSession();
    void simulationErrors_data();
    void simulationErrors();
    void cutAtSlot();
    void closeEndsDataSocketsNormally_data();
    void closeEndsDataSocketsNormally();
    void wrongPathsAnswer404_data();
    void wrongPathsAnswer404();
    void tlsClientHelloRefusedAtOnce();
    void availableRangesAndRpcAfterCompleted();
    void idsSortInCreationOrder();
    void sessionNames();
    void parallelRunNames();

private:
    /// A server over the fixtures with one session over slots 1000–1009 (31
    /// transactions: 4 in slot 1000, then 3 a slot) and `run.data` subscribed
    /// to all of them as `subscription`; false on any failure.
    bool startFixtureRun(SessionRun &run, RefServerConfig config, WireVersion wire, qint64 &subscription);
    /// Open (if needed), create, wait for the first readyForContinue; the session id.
    QString create(ControlClient &client, RefServer &server, quint64 start, quint64 end, QJsonObject extra = {});

    QList<LoadedTransaction> m_fixtures;
    QList<int> m_jupiter; ///< fixture indices of Jupiter v6 transactions
};

bool tst_RefServerWire::startFixtureRun(SessionRun &run, RefServerConfig config, WireVersion wire,
                                        qint64 &subscription)
{
    config.txDir = fixturesDir();
    if (!openRun(run, config, 1000, 1009, true, {{u"disconnectTimeoutSecs"_s, 30}}, wire))
        return false;
    subscription = run.data.subscribe(1, {});
    return subscription > 0;
}

QString tst_RefServerWire::create(ControlClient &client, RefServer &server, quint64 start, quint64 end,
                                  QJsonObject extra)
{
    return createSession(client, server.controlUrl(), start, end, extra, {u"readyForContinue"_s, u"error"_s});
}

void tst_RefServerWire::initTestCase()
{
    auto loaded = loadTransactionDirectory(fixturesDir());
    QVERIFY(loaded.ok());
    m_fixtures = *loaded;
    QCOMPARE(m_fixtures.size(), 31);
    TransactionSummarizer summarizer;
    for (int i = 0; i < m_fixtures.size(); ++i) {
        auto summary = summarizer.summarize(m_fixtures.at(i).json);
        QVERIFY(summary.ok());
        if (summary->programIds.contains(JupiterV6))
            m_jupiter.append(i);
    }
    QCOMPARE(m_jupiter.size(), 11);
}

// --- startup (PROTOCOL-0.31.md §4.5, §2.2) -------------------------------------

void tst_RefServerWire::startupFrames_data()
{
    QTest::addColumn<WireVersion>("wire");
    QTest::addColumn<int>("startupDelayMs");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<QList<qint64>>("seqIds");
    const QStringList ready{u"sessionCreated"_s, u"slot:10"_s, u"readyForContinue"_s};
    QTest::addRow("0.31, at once") << WireVersion::V0_31 << 0 << QStringList{u"status:startingRuntime"_s} + ready
                                   << QList<qint64>{-1, -1, 1, 2};
    // 600 ms with a status every 100 ms: the accept one and at least two repeats.
    QTest::addRow("0.31, waiting for capacity") << WireVersion::V0_31 << 600 << QStringList{} << QList<qint64>{};
    const QStringList old{u"status:preparingBundle"_s, u"status:bundleReady"_s, u"status:startingRuntime"_s};
    QTest::addRow("0.28, at once") << WireVersion::V0_28 << 0 << old + ready << QList<qint64>{1, 2, 3, 4, 5, 6};
    QTest::addRow("0.28, waiting for capacity")
        << WireVersion::V0_28 << 350 << old + ready << QList<qint64>{1, 2, 3, 4, 5, 6};
}

void tst_RefServerWire::startupFrames()
{
    QFETCH(WireVersion, wire);
    QFETCH(int, startupDelayMs);
    QFETCH(QStringList, expected);
    QFETCH(QList<qint64>, seqIds);
    RefServerConfig config{.startupDelayMs = startupDelayMs, .startingRuntimeIntervalMs = 100};
    auto server = startServer(config, wire);
    QVERIFY(server);
    ControlClient client;
    QVERIFY(client.open(server->controlUrl()));
    QElapsedTimer clock;
    clock.start();
    client.send(createRequest(10, 20, {{u"disconnectTimeoutSecs"_s, 30}}));
    QVERIFY(client.waitForEnd(0, {u"readyForContinue"_s, u"error"_s}));
    QVERIFY(clock.elapsed() >= startupDelayMs * 9 / 10); // Qt's coarse timers may fire 5 % early

    if (expected.isEmpty()) {
        // 0.31 while waiting: startingRuntime on accept and every ~100 ms, none
        // of them sequenced, then the session runs.
        const QStringList seen = client.described();
        const qsizetype statuses = seen.indexOf(u"sessionCreated"_s);
        QVERIFY2(statuses >= 3, qPrintable(seen.join(u' ')));
        QCOMPARE(seen.mid(0, statuses), QStringList(statuses, u"status:startingRuntime"_s));
        QCOMPARE(seen.mid(statuses), (QStringList{u"sessionCreated"_s, u"slot:10"_s, u"readyForContinue"_s}));
        const QList<qint64> expectedIds = QList<qint64>(statuses + 1, -1) + QList<qint64>{1, 2};
        QCOMPARE(sequenceIds(client), expectedIds);
    } else {
        QCOMPARE(client.described(), expected);
        QCOMPARE(sequenceIds(client), seqIds);
    }
    const QString id = sessionIdOf(client);
    if (wire == WireVersion::V0_31) {
        QVERIFY2(SimpleSessionId.match(id).hasMatch(), qPrintable(id));
        QCOMPARE(client.first(u"sessionCreated"_s)->value(u"params"_s).toObject().value(u"rpc_endpoint"_s).toString(),
                 u"/backtest/"_s + id);
    } else {
        QVERIFY2(HyphenatedSessionId.match(id).hasMatch(), qPrintable(id));
    }
}

void tst_RefServerWire::capacityWait_data()
{
    QTest::addColumn<QJsonValue>("capacityWait");
    QTest::addColumn<bool>("created");
    QTest::addColumn<int>("answeredAfterMs"); // at least
    // PROTOCOL.md §3.1: 0/absent fails at once; a wait shorter than the
    // shortfall fails when it ends; a longer one waits the shortfall out.
    QTest::addRow("absent") << QJsonValue() << false << 0;
    QTest::addRow("0") << QJsonValue(0) << false << 0;
    QTest::addRow("1 s, shorter") << QJsonValue(1) << false << 900;
    QTest::addRow("5 s, longer") << QJsonValue(5) << true << 1400;
}

void tst_RefServerWire::capacityWait()
{
    QFETCH(QJsonValue, capacityWait);
    QFETCH(bool, created);
    QFETCH(int, answeredAfterMs);
    for (const bool parallel : {false, true}) {
        RefServerConfig config{.capacityShortfallMs = 1500, .startingRuntimeIntervalMs = 100};
        auto server = startServer(config, WireVersion::V0_31);
        QVERIFY(server);
        ControlClient client;
        QVERIFY(client.open(server->controlUrl()));
        QJsonObject extra{{u"parallel"_s, parallel}};
        if (!capacityWait.isUndefined())
            extra.insert(u"capacityWaitTimeoutSecs"_s, capacityWait);
        QElapsedTimer clock;
        clock.start();
        client.send(createRequest(10, 20, extra));
        QVERIFY(client.waitForEnd(0, {u"readyForContinue"_s, u"error"_s, u"sessionsCreatedV2"_s}));
        QVERIFY2(clock.elapsed() >= answeredAfterMs * 9 / 10, qPrintable(QString::number(clock.elapsed())));
        const QStringList seen = client.described();
        QCOMPARE(seen.contains(parallel ? u"sessionsCreatedV2"_s : u"sessionCreated"_s), created);
        QCOMPARE(seen.last() == u"error:clerkError"_s, !created);
        if (!created) // no session is left behind for it
            QTRY_COMPARE(server->activeSessionCount(), 0);
    }
}

void tst_RefServerWire::stepsRefusedWhileStarting()
{
    RefServerConfig config;
    config.startupDelayMs = 2000; // long enough for the continue to arrive first on a loaded machine
    config.startingRuntimeIntervalMs = 500;
    auto server = startServer(config, WireVersion::V0_31);
    QVERIFY(server);
    ControlClient client;
    QVERIFY(client.open(server->controlUrl()));
    client.send(createRequest(10, 20, {{u"disconnectTimeoutSecs"_s, 60}}));
    QVERIFY(spinUntil([&] { return !client.frames.isEmpty(); }));
    QCOMPARE(server->activeSessionCount(), 1); // it exists, it does not run yet
    client.send(continueRequest(1));
    QVERIFY(client.waitForEnd(0, {u"error"_s}));
    QVERIFY(client.first(u"sessionCreated"_s) == std::nullopt);
    const auto error = client.first(u"error"_s);
    QVERIFY(!error->contains(u"seqId"_s)); // the session has not run yet (§2.2)
    QVERIFY(error->value(u"params"_s).toObject().contains(u"invalidRequest"_s));

    // It starts normally afterwards, its sequence untouched by the refusal.
    QVERIFY(client.waitForEnd(0, {u"readyForContinue"_s}));
    const qsizetype created = client.described().indexOf(u"sessionCreated"_s);
    QCOMPARE(client.described(created), (QStringList{u"sessionCreated"_s, u"slot:10"_s, u"readyForContinue"_s}));
    QCOMPARE(sequenceIds(client, created), (QList<qint64>{-1, 1, 2}));
}

// --- paused, then readyForContinue (PROTOCOL-0.31.md §3.2) ----------------------

void tst_RefServerWire::discoveryLoopNeverRejected_data()
{
    QTest::addColumn<WireVersion>("wire");
    QTest::addColumn<int>("readyAfterPausedMs");
    QTest::addRow("0.28") << WireVersion::V0_28 << 0;
    QTest::addRow("0.31") << WireVersion::V0_31 << 0;
    QTest::addRow("0.31, ready 50 ms after paused") << WireVersion::V0_31 << 50;
}

void tst_RefServerWire::discoveryLoopNeverRejected()
{
    // A client that pauses at every discovery and answers exactly the frame the
    // wire says ends a step (0.28: paused; 0.31: readyForContinue) sends one
    // continueTo per discovered batch and is never refused.
    QFETCH(WireVersion, wire);
    QFETCH(int, readyAfterPausedMs);
    RefServerConfig config = fixtureConfig();
    config.readyAfterPausedMs = readyAfterPausedMs;
    auto server = startServer(config, wire);
    QVERIFY(server);
    ControlClient client;
    QVERIFY(!create(client, *server, 1000, 1199, {{u"discoveries"_s, QJsonArray{discoveryFilter(JupiterV6)}}})
                 .isEmpty());
    const QString stepEnd = wire == WireVersion::V0_31 ? u"readyForContinue"_s : u"paused"_s;
    int continueTos = 0;
    for (int guard = 0; guard < 40; ++guard) {
        // The newest announcement not yet reached.
        std::optional<QJsonObject> next;
        for (const auto &frame : std::as_const(client.frames)) {
            if (frame.json.value(u"method"_s) == u"discoveryBatch"_s)
                next = frame.json.value(u"params"_s).toObject();
        }
        const qsizetype mark = client.frames.size();
        const bool more = next && continueTos < m_jupiter.size();
        if (more) {
            client.send(continueToRequest(quint64(next->value(u"slot"_s).toInteger()),
                                          quint32(next->value(u"batchIndex"_s).toInteger())));
            ++continueTos;
            QVERIFY(client.waitForEnd(mark, {stepEnd, u"error"_s, u"completed"_s}));
            QVERIFY(client.described(mark).contains(u"paused:%1/%2"_s.arg(next->value(u"slot"_s).toInteger())
                                                        .arg(next->value(u"batchIndex"_s).toInteger())));
        } else {
            client.send(continueRequest(1000));
            QVERIFY(client.waitForEnd(mark, {u"completed"_s, u"error"_s}));
            break;
        }
        if (wire == WireVersion::V0_31) {
            const QStringList step = client.described(mark);
            QCOMPARE(step.mid(step.size() - 2), (QStringList{step.at(step.size() - 2), u"readyForContinue"_s}));
            QVERIFY(step.at(step.size() - 2).startsWith(u"paused:"_s));
        }
    }
    QCOMPARE(continueTos, m_jupiter.size()); // one per discovered batch
    QCOMPARE(client.described().filter(QRegularExpression(u"^error"_s)), QStringList{});
    QCOMPARE(client.described().last(), u"completed"_s);
    QCOMPARE(client.described().filter(QRegularExpression(u"^paused:"_s)).size(), m_jupiter.size());
}

void tst_RefServerWire::stepBeforeReadyIsRefused()
{
    RefServerConfig config{.readyAfterPausedMs = 1500}; // long enough for the answer to paused to arrive first
    SessionRun run;
    qint64 subscription = -1;
    QVERIFY(startFixtureRun(run, config, WireVersion::V0_31, subscription));
    auto &[server, client, id, subscriber] = run;

    qsizetype mark = client.frames.size();
    client.send(continueToRequest(1001, 2));
    QVERIFY(client.waitForEnd(mark, {u"paused"_s}));
    // Answering paused, as a 0.28 client does: refused, the session does not move.
    client.send(continueRequest(1));
    QVERIFY(client.waitForEnd(mark, {u"readyForContinue"_s}));
    const QStringList expected = slotFrames(1000)
                                 + QStringList{u"status:executingBlockTransactions"_s, u"paused:1001/2"_s,
                                               u"error:invalidRequest"_s, u"readyForContinue"_s};
    QCOMPARE(client.described(mark), expected);
    const QJsonObject refusal = client.frames.at(client.frames.size() - 2).json;
    QVERIFY(refusal.contains(u"seqId"_s)); // the session runs: sequenced
    QVERIFY2(refusal.value(u"params"_s)
                 .toObject()
                 .value(u"invalidRequest"_s)
                 .toObject()
                 .value(u"error"_s)
                 .toString()
                 .contains(u"before the readyForContinue"_s),
             client.frames.at(client.frames.size() - 2).raw.constData());
    QVERIFY(subscriber.barrier(100));
    QCOMPARE(subscriber.results(subscription).size(), 6); // 4 of slot 1000, batches 0–1 of slot 1001

    // Answering readyForContinue works and starts where the pause left off.
    mark = client.frames.size();
    client.send(continueRequest(1));
    QVERIFY(client.waitForEnd(mark, {u"readyForContinue"_s, u"error"_s}));
    QCOMPARE(client.described(mark),
             (QStringList{u"status:appliedAccountModifications"_s, u"status:readyToExecuteUserTransactions"_s,
                          u"status:executedBlockTransactions"_s, u"slot:1001"_s, u"readyForContinue"_s}));
    QVERIFY(subscriber.barrier(101));
    QCOMPARE(subscriber.results(subscription).size(), 7);
}

void tst_RefServerWire::continueToBeyondTheRange_data()
{
    QTest::addColumn<WireVersion>("wire");
    QTest::addColumn<int>("batchIndex"); // -1 = none
    QTest::addColumn<QStringList>("answer");
    QTest::addRow("0.31: runs to the end") << WireVersion::V0_31 << -1
                                          << slotFrames(12) + slotFrames(13) + QStringList{u"completed"_s};
    QTest::addRow("0.31, with a batch index") << WireVersion::V0_31 << 2
                                              << slotFrames(12) + slotFrames(13) + QStringList{u"completed"_s};
    QTest::addRow("0.28: refused") << WireVersion::V0_28 << -1 << QStringList{u"error:invalidRequest"_s};
}

void tst_RefServerWire::continueToBeyondTheRange()
{
    QFETCH(WireVersion, wire);
    QFETCH(int, batchIndex);
    QFETCH(QStringList, answer);
    auto server = startServer({}, wire);
    QVERIFY(server);
    ControlClient client;
    QVERIFY(!create(client, *server, 10, 13).isEmpty());
    qsizetype mark = client.frames.size();
    client.send(continueRequest(2));
    QVERIFY(client.waitForEnd(mark));
    mark = client.frames.size();
    client.send(continueToRequest(50, batchIndex < 0 ? std::nullopt : std::optional<quint32>(quint32(batchIndex))));
    QVERIFY(client.waitForEnd(mark, {u"completed"_s, u"error"_s, u"paused"_s}));
    QTest::qWait(50);
    QCOMPARE(client.described(mark), answer);
}

// --- per-continue statuses (PROTOCOL-0.31.md §4.5) ------------------------------

void tst_RefServerWire::continueStatusOrder_data()
{
    QTest::addColumn<WireVersion>("wire");
    QTest::addColumn<bool>("userTransactions");
    QTest::addColumn<QStringList>("statuses");
    const QStringList all{u"status:decodedTransactions"_s, u"status:appliedAccountModifications"_s,
                          u"status:readyToExecuteUserTransactions"_s, u"status:executedUserTransactions"_s};
    QTest::addRow("0.31, no user transactions")
        << WireVersion::V0_31 << false
        << QStringList{u"status:appliedAccountModifications"_s, u"status:readyToExecuteUserTransactions"_s};
    QTest::addRow("0.31, user transactions") << WireVersion::V0_31 << true << all;
    QTest::addRow("0.28, no user transactions") << WireVersion::V0_28 << false << all;
}

void tst_RefServerWire::continueStatusOrder()
{
    QFETCH(WireVersion, wire);
    QFETCH(bool, userTransactions);
    QFETCH(QStringList, statuses);
    auto server = startServer({}, wire);
    QVERIFY(server);
    ControlClient client;
    QVERIFY(!create(client, *server, 100, 110).isEmpty());
    const qsizetype mark = client.frames.size();
    client.send(compact({{u"method"_s, u"continue"_s},
                         {u"params"_s,
                          QJsonObject{{u"advanceCount"_s, 2},
                                      {u"transactions"_s, userTransactions ? QJsonArray{u"AQID"_s} : QJsonArray()},
                                      {u"modifyAccountStates"_s, QJsonObject()}}}}));
    QVERIFY(client.waitForEnd(mark));
    QCOMPARE(client.described(mark), statuses + slotFrames(100) + slotFrames(101) + QStringList{u"readyForContinue"_s});
}

// --- seqId (PROTOCOL-0.31.md §2.2) ----------------------------------------------

void tst_RefServerWire::sequencing_data()
{
    QTest::addColumn<QJsonValue>("disconnectTimeoutSecs"); // undefined = absent
    QTest::addColumn<bool>("sequenced");
    QTest::addRow("absent means 30 s") << QJsonValue(QJsonValue::Undefined) << true;
    QTest::addRow("null means 30 s") << QJsonValue() << true;
    QTest::addRow("30 s") << QJsonValue(30) << true;
    QTest::addRow("zero") << QJsonValue(0) << false;
}

void tst_RefServerWire::sequencing()
{
    QFETCH(QJsonValue, disconnectTimeoutSecs);
    QFETCH(bool, sequenced);
    auto server = startServer({}, WireVersion::V0_31);
    QVERIFY(server);
    ControlClient client;
    QJsonObject extra;
    if (!disconnectTimeoutSecs.isUndefined())
        extra.insert(u"disconnectTimeoutSecs"_s, disconnectTimeoutSecs);
    const QString id = create(client, *server, 1, 5, extra);
    QVERIFY(!id.isEmpty());
    qsizetype mark = client.frames.size();
    client.send(continueRequest(1));
    QVERIFY(client.waitForEnd(mark));
    mark = client.frames.size();
    client.send(continueRequest(0)); // refused while running: sequenced
    QVERIFY(client.waitForEnd(mark));
    client.send(R"({"method":"resumeAttachedSession"})");
    QVERIFY(client.waitForEnd(mark, {u"success"_s}));

    const QStringList seen = client.described();
    QCOMPARE(seen, (QStringList{u"status:startingRuntime"_s, u"sessionCreated"_s, u"slot:1"_s,
                                u"readyForContinue"_s, u"status:appliedAccountModifications"_s,
                                u"status:readyToExecuteUserTransactions"_s, u"status:executingBlockTransactions"_s,
                                u"status:executedBlockTransactions"_s, u"slot:1"_s, u"readyForContinue"_s,
                                u"error:invalidRequest"_s, u"success"_s}));
    QList<qint64> expected(seen.size(), -1);
    if (sequenced) {
        for (qsizetype i = 2; i < seen.size() - 1; ++i)
            expected[i] = i - 1; // 1…; not the startup frames, not success
    }
    QCOMPARE(sequenceIds(client), expected);
    QCOMPARE(client.frames.last().raw, QByteArray(R"({"method":"success"})"));

    // closeBacktestSession: success without seqId, then the normal close.
    mark = client.frames.size();
    client.send(R"({"method":"closeBacktestSession"})");
    QVERIFY(client.waitForEnd(mark, {u"success"_s}));
    QCOMPARE(client.frames.last().raw, QByteArray(R"({"method":"success"})"));
    QTRY_VERIFY_WITH_TIMEOUT(client.disconnected, Timeout);
    QCOMPARE(server->activeSessionCount(), 0);
}

void tst_RefServerWire::unsetDisconnectTimeoutKeepsTheSession()
{
    // 0.31: an unset disconnectTimeoutSecs is 30 s, so the session outlives its
    // control socket and attach replays what came after the client's seqId.
    auto server = startServer({}, WireVersion::V0_31);
    QVERIFY(server);
    auto first = std::make_unique<ControlClient>();
    const QString id = create(*first, *server, 1, 5);
    QVERIFY(!id.isEmpty());
    first->send(continueRequest(1));
    QVERIFY(first->waitForEnd(4));
    const qint64 lastSeq = sequenceIds(*first).last();
    QCOMPARE(lastSeq, 8);
    first->socket.abort();
    first.reset();
    QTest::qWait(100);
    QCOMPARE(server->activeSessionCount(), 1);

    ControlClient second;
    QVERIFY(second.open(server->controlUrl()));
    const qsizetype attached = attachUntilAccepted(
        second, compact({{u"method"_s, u"attachBacktestSession"_s},
                         {u"params"_s, QJsonObject{{u"session_id"_s, id}, {u"last_sequence"_s, 6}}}}));
    QVERIFY(attached >= 0);
    QVERIFY(spinUntil([&] { return second.frames.size() >= attached + 3; }));
    QCOMPARE(second.described(attached), (QStringList{u"sessionAttached"_s, u"slot:1"_s, u"readyForContinue"_s}));
    QCOMPARE(sequenceIds(second, attached), (QList<qint64>{-1, 7, 8})); // sessionAttached carries none
    second.send(R"({"method":"resumeAttachedSession"})");
    QVERIFY(second.waitForEnd(attached, {u"success"_s}));
    QCOMPARE(second.frames.last().raw, QByteArray(R"({"method":"success"})"));
}

// --- simulationError, cut (PROTOCOL-0.31.md §4.7, §4.8) -------------------------

void tst_RefServerWire::simulationErrors_data()
{
    QTest::addColumn<WireVersion>("wire");
    QTest::addRow("0.31") << WireVersion::V0_31;
    QTest::addRow("0.28") << WireVersion::V0_28;
}

void tst_RefServerWire::simulationErrors()
{
    QFETCH(WireVersion, wire);
    RefServerConfig config{.simulationErrorEvery = 5};
    SessionRun run;
    qint64 subscription = -1;
    QVERIFY(startFixtureRun(run, config, wire, subscription));
    auto &[server, client, id, subscriber] = run;

    // 31 transactions over 10 slots (4, then 3 each): an error after the 5th,
    // 10th, …, 30th, inside the steps, which still end as usual.
    qsizetype mark = client.frames.size();
    client.send(continueRequest(2)); // slots 1000–1001: 7 transactions
    QVERIFY(client.waitForEnd(mark, {u"readyForContinue"_s, u"completed"_s}));
    QStringList step = client.described(mark);
    QCOMPARE(step.count(u"error:simulationError"_s), 1);
    QCOMPARE(step.last(), u"readyForContinue"_s);
    // The 5th transaction is the 1st of slot 1001: inside that slot's execution.
    const qsizetype at = step.indexOf(u"error:simulationError"_s);
    QCOMPARE(step.mid(at - 2, 4), (QStringList{u"slot:1000"_s, u"status:executingBlockTransactions"_s,
                                              u"error:simulationError"_s, u"status:executedBlockTransactions"_s}));
    const ControlClient::Frame &frame = client.frames.at(mark + at);
    QVERIFY(frame.raw.startsWith(R"({"seqId":)"));
    const QJsonObject error = frame.json.value(u"params"_s).toObject();
    QCOMPARE(error.keys(), QStringList{u"simulationError"_s});
    QCOMPARE(error.value(u"simulationError"_s).toObject().keys(), QStringList{u"error"_s});
    QVERIFY(error.value(u"simulationError"_s).toObject().value(u"error"_s).toString().contains(
        m_fixtures.at(4).signature));

    mark = client.frames.size();
    client.send(continueRequest(100));
    QVERIFY(client.waitForEnd(mark, {u"completed"_s}));
    step = client.described(mark);
    QCOMPARE(step.count(u"error:simulationError"_s), 5);
    QCOMPARE(step.last(), u"completed"_s);
    QTRY_VERIFY_WITH_TIMEOUT(subscriber.disconnected, Timeout);
    QCOMPARE(subscriber.results(subscription).size(), 31); // nothing lost to the errors
}

void tst_RefServerWire::cutAtSlot()
{
    RefServerConfig config{.cutAtSlot = 1005};
    SessionRun run;
    qint64 subscription = -1;
    QVERIFY(startFixtureRun(run, config, WireVersion::V0_31, subscription));
    auto &[server, client, id, subscriber] = run;

    qsizetype mark = client.frames.size();
    client.send(continueRequest(3)); // 1000–1002: not there yet
    QVERIFY(client.waitForEnd(mark));
    QCOMPARE(client.described(mark).last(), u"readyForContinue"_s);
    mark = client.frames.size();
    client.send(continueRequest(100));
    QVERIFY(client.waitForEnd(mark, {u"error"_s, u"completed"_s}));
    QTest::qWait(100); // nothing may follow the cut
    QStringList expected{u"status:appliedAccountModifications"_s, u"status:readyToExecuteUserTransactions"_s};
    for (quint64 slot = 1003; slot < 1005; ++slot)
        expected += slotFrames(slot);
    expected << u"error:cut"_s;
    QCOMPARE(client.described(mark), expected);
    const QByteArray cut = client.frames.last().raw;
    QVERIFY2(cut.endsWith(R"("method":"error","params":{"cut":{"slot":1005}}})"), cut.constData());
    QVERIFY(cut.startsWith(R"({"seqId":)"));

    // Terminal: steps are refused, the data plane delivered slots before 1005
    // only and stays up (replay works) until the session is closed.
    QCOMPARE(client.step(continueRequest(1)), QStringList{u"error:invalidRequest"_s});
    QVERIFY(subscriber.barrier(10));
    const QList<quint64> executed = subscriber.slotList(subscription);
    QCOMPARE(executed.size(), 16); // 4 + 3 × 4
    QVERIFY(executed.last() < 1005);
    QVERIFY(!subscriber.disconnected);
    client.send(R"({"method":"closeBacktestSession"})");
    QTRY_VERIFY_WITH_TIMEOUT(subscriber.disconnected, Timeout);
    QCOMPARE(run.server->activeSessionCount(), 0);
}

// --- close, paths, HTTP ---------------------------------------------------------

void tst_RefServerWire::closeEndsDataSocketsNormally_data()
{
    QTest::addColumn<WireVersion>("wire");
    QTest::addColumn<QWebSocketProtocol::CloseCode>("closeCode");
    QTest::addRow("0.31: normal close") << WireVersion::V0_31 << QWebSocketProtocol::CloseCodeNormal;
    QTest::addRow("0.28: going away") << WireVersion::V0_28 << QWebSocketProtocol::CloseCodeGoingAway;
}

void tst_RefServerWire::closeEndsDataSocketsNormally()
{
    // The hosted service ends a closed session's data sockets with a normal
    // close "session closed" and forgets the session: a resubscribe gets 404.
    QFETCH(WireVersion, wire);
    QFETCH(QWebSocketProtocol::CloseCode, closeCode);
    auto server = startServer({}, wire);
    QVERIFY(server);
    ControlClient client;
    const QString id = create(client, *server, 1, 100);
    QVERIFY(!id.isEmpty());
    DataClient subscriber;
    QVERIFY(subscriber.open(server->controlUrl(), id));
    QVERIFY(subscriber.subscribe(1, {}) > 0);
    client.send(R"({"method":"closeBacktestSession"})");
    QTRY_VERIFY_WITH_TIMEOUT(subscriber.disconnected, Timeout);
    QCOMPARE(subscriber.closeCode, closeCode);
    QCOMPARE(subscriber.closeReason, u"session closed"_s);
    QCOMPARE(httpStatusLine(server->port(), upgradeRequest("/backtest/" + id.toUtf8())),
             QByteArray("HTTP/1.1 404 Not Found"));
}

void tst_RefServerWire::wrongPathsAnswer404_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("statusLine");
    QTest::addRow("unknown path") << QByteArray("/nope") << QByteArray("HTTP/1.1 404 Not Found");
    QTest::addRow("prefix before /backtest") << QByteArray("/prefix/backtest") << QByteArray("HTTP/1.1 404 Not Found");
    QTest::addRow("unknown session") << QByteArray("/backtest/backtest_0199d2c45b7e7a319c1e2f4b8d6a1c00")
                                     << QByteArray("HTTP/1.1 404 Not Found");
    QTest::addRow("grant-flow control path") << QByteArray("/backtest/backtest_0199d2c45b7e7a319c1e2f4b8d6a1c00/control")
                                             << QByteArray("HTTP/1.1 404 Not Found");
    QTest::addRow("query on /backtest") << QByteArray("/backtest?x=1") << QByteArray("HTTP/1.1 101 Switching Protocols");
}

void tst_RefServerWire::wrongPathsAnswer404()
{
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, statusLine);
    for (const WireVersion wire : {WireVersion::V0_28, WireVersion::V0_31}) {
        auto server = startServer({}, wire);
        QVERIFY(server);
        QCOMPARE(httpStatusLine(server->port(), upgradeRequest(path, "X-API-Key: " + ApiKey.toUtf8() + "\r\n")),
                 statusLine);
        QCOMPARE(server->activeSessionCount(), 0);
    }
}

void tst_RefServerWire::tlsClientHelloRefusedAtOnce()
{
    // A wss:// client on this plain server (issue 9): its ClientHello is no
    // HTTP, so the answer comes at once (400 and a close), not after the 10 s
    // the server grants a slow request head.
    auto server = startServer({}, WireVersion::V0_31);
    QVERIFY(server);
    QElapsedTimer clock;
    clock.start();
    QCOMPARE(httpStatusLine(server->port(), QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11)),
             QByteArray("HTTP/1.1 400 Bad Request"));
    QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
}

void tst_RefServerWire::availableRangesAndRpcAfterCompleted()
{
    RefServerConfig config{.availableStart = 10, .availableEnd = 2000, .maxBundleSize = 500};
    auto server = startServer(config, WireVersion::V0_31);
    QVERIFY(server);
    QNetworkAccessManager network;
    const auto get = [&](const QString &path, QByteArray *body) {
        QNetworkReply *reply = network.get(QNetworkRequest(QUrl(server->httpBase() + path)));
        spinUntil([reply] { return reply->isFinished(); });
        *body = reply->readAll();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        reply->deleteLater();
        return status;
    };
    QByteArray body;
    QCOMPARE(get(u"/available-ranges"_s, &body), 200);
    QCOMPARE(body, QByteArray(R"([{"bundleStartSlot":10,"bundleStartSlotUtc":null,"maxBundleEndSlot":2000,)"
                              R"("maxBundleEndSlotUtc":null,"maxBundleSize":500,"kind":"blocks"}])"));

    // The session RPC answers 502 once the session completed (§7.1).
    ControlClient client;
    const QString id = create(client, *server, 10, 12);
    QVERIFY(!id.isEmpty());
    QCOMPARE(get(u"/backtest/"_s + id, &body), 501); // no HTTP JSON-RPC here
    client.send(continueRequest(10));
    QVERIFY(client.waitForEnd(0, {u"completed"_s}));
    QCOMPARE(get(u"/backtest/"_s + id, &body), 502);
}

void tst_RefServerWire::idsSortInCreationOrder()
{
    // UUID v7 with a counter: ids made in a burst sort in creation order (§5.1).
    auto server = startServer({}, WireVersion::V0_31);
    QVERIFY(server);
    QStringList ids;
    std::vector<std::unique_ptr<ControlClient>> clients;
    for (int i = 0; i < 20; ++i) {
        clients.push_back(std::make_unique<ControlClient>());
        ids.append(create(*clients.back(), *server, 1, 2));
        QVERIFY2(SimpleSessionId.match(ids.last()).hasMatch(), qPrintable(ids.last()));
    }
    QStringList sorted = ids;
    sorted.sort();
    QCOMPARE(sorted, ids);
    QCOMPARE(QSet<QString>(ids.cbegin(), ids.cend()).size(), ids.size());
}

// --- session names (PROTOCOL-0.31.md §3.1.2, §4.1, §4.2, §5.2) ----------------

void tst_RefServerWire::sessionNames()
{
    auto server = startServer({}, WireVersion::V0_31);
    QVERIFY(server);
    const QString token = u"3f2b8c1e-9a4d-4e7b-8c2a-5d6e7f809a1b"_s;
    const QJsonObject named{{u"name"_s, u"Sol-USDC-Baseline"_s}, {u"createToken"_s, token},
                            {u"create_token"_s, token}, {u"disconnectTimeoutSecs"_s, 60}};
    auto errorOf = [](const ControlClient &client) {
        const auto error = client.first(u"error"_s);
        return error ? error->value(u"params"_s).toObject() : QJsonObject();
    };

    // The name, lower-cased, comes back on sessionCreated.
    ControlClient first;
    const QString firstId = create(first, *server, 10, 20, named);
    QVERIFY(!firstId.isEmpty());
    QCOMPARE(first.first(u"sessionCreated"_s)->value(u"params"_s).toObject().value(u"session_name"_s).toString(),
             u"sol-usdc-baseline"_s);

    // Another create with the name (any case), another or no token: taken, unsequenced.
    const QJsonObject taken{{u"sessionNameTaken"_s, QJsonObject{{u"session_name"_s, u"sol-usdc-baseline"_s}}}};
    for (const QJsonObject &other :
         {QJsonObject{{u"name"_s, u"sol-usdc-baseline"_s}, {u"createToken"_s, u"another-token"_s}},
          QJsonObject{{u"name"_s, u"SOL-USDC-BASELINE"_s}}}) {
        ControlClient second;
        QVERIFY(create(second, *server, 10, 20, other).isEmpty());
        QCOMPARE(errorOf(second), taken);
        QVERIFY(!second.first(u"error"_s)->contains(u"seqId"_s));
    }
    // A name outside the rules: invalidRequest.
    ControlClient invalid;
    QVERIFY(create(invalid, *server, 10, 20, {{u"name"_s, u"no spaces"_s}}).isEmpty());
    QVERIFY(errorOf(invalid).contains(u"invalidRequest"_s));
    QCOMPARE(server->sessionIds(), QStringList{firstId});

    // The first connection drops before its client saw the answer; the same
    // create (same token) reclaims the name, the abandoned session goes.
    first.socket.abort();
    ControlClient resent;
    const QString resentId = create(resent, *server, 10, 20, named);
    QVERIFY(!resentId.isEmpty());
    QVERIFY(resentId != firstId);
    QVERIFY(errorOf(resent).isEmpty());
    QTRY_COMPARE(server->sessionIds(), QStringList{resentId});

    // Closed, the name is free for anyone.
    resent.send(compact({{u"method"_s, u"closeBacktestSession"_s}}));
    QTRY_COMPARE(server->activeSessionCount(), 0);
    ControlClient later;
    QVERIFY(!create(later, *server, 10, 20, {{u"name"_s, u"sol-usdc-baseline"_s}}).isEmpty());
}

void tst_RefServerWire::parallelRunNames()
{
    // A batch's name: control_session_name, each sub-session's session_name,
    // and taken for the next create while the batch lives (0.31); 0.28 ignores it.
    for (const WireVersion wire : {WireVersion::V0_31, WireVersion::V0_28}) {
        RefServerConfig config{.bundleSize = 10};
        auto server = startServer(config, wire);
        QVERIFY(server);
        ControlClient batch;
        QVERIFY(batch.open(server->controlUrl()));
        batch.send(createRequest(10, 29, {{u"parallel"_s, true}, {u"name"_s, u"sweep-1"_s}}));
        QVERIFY(batch.waitForEnd(0, {u"sessionsCreatedV2"_s, u"error"_s}));
        const auto created = batch.first(u"sessionsCreatedV2"_s);
        QVERIFY2(created, qPrintable(batch.described().join(u' ')));
        const QJsonObject params = created->value(u"params"_s).toObject();
        QCOMPARE(params.value(u"session_ids"_s).toArray().size(), 2);
        const QJsonValue sub = batch.first(u"sessionCreated"_s)->value(u"params"_s).toObject().value(u"session_name"_s);
        ControlClient single;
        const QString singleId = create(single, *server, 10, 20, {{u"name"_s, u"sweep-1"_s}});
        if (wire == WireVersion::V0_31) {
            QCOMPARE(params.value(u"control_session_name"_s).toString(), u"sweep-1"_s);
            QCOMPARE(sub.toString(), u"sweep-1"_s);
            QVERIFY(singleId.isEmpty());
            QCOMPARE(single.first(u"error"_s)->value(u"params"_s).toObject(),
                     (QJsonObject{{u"sessionNameTaken"_s, QJsonObject{{u"session_name"_s, u"sweep-1"_s}}}}));
        } else {
            QVERIFY(!params.contains(u"control_session_name"_s));
            QVERIFY(sub.isUndefined());
            QVERIFY(!singleId.isEmpty());
        }
    }
}

QTEST_GUILESS_MAIN(tst_RefServerWire)
#include "tst_refserverwire.moc"
