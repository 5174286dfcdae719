// The reference server's data plane over real sockets (PROTOCOL.md §5.2–§5.8):
// account diffs, zstd notification streams and the data faults (drop every N,
// stall, shared bandwidth cap), with raw QWebSocket clients that decode zstd
// with libzstd's streaming API themselves (../refserver/rawclients.h).

#include "protocol/base58.h"
#include "refserver/refserver.h"

#include "rawclients.h"

#include <QtEndian>

#include <array>
#include <limits>

using namespace RefServerTest;

namespace {

const QString SystemProgram = u"11111111111111111111111111111111"_s;
const QString TokenProgram = u"TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"_s;

// The three transfers of solana-foundation-explorer, in load (slot) order.
const QString SolTransfer =
    u"2kHbPUGzehenUXQbBfAVZGcuTrSUVDMEyU2aGcjFbuUAJkG28CyQPCGZF68u369MU7WHMvJboyioqyihvtR75nLn"_s;
const QString MultiSolTransfer =
    u"2msqMqeUTTZhgite3PvWSLJhZJ3m4v4UMbDAcXymTPpXwKM5PcKfZFfxn4izZ2UTZmngYJeWSf1ztdD6kdeDkdbr"_s;
const QString UsdcTransfer =
    u"4LXpF3MCdp69iFmD27Sn812UNpqFPHM4qXH7Y12E964p9GHXvwMe1XEmyasogVT2N4XEctdQQLf1sHY6Gvsa5sFX"_s;

QString explorerFixtures()
{
    return QString::fromUtf8(SLOTSCOPE_FIXTURES_DIR) + u"/solana-foundation-explorer"_s;
}

/// Let the event loop run for `ms` (the server keeps working meanwhile).
void idle(int ms)
{
    spinUntil([] { return false; }, ms);
}

/// "slot|signature|account|pre lamports|post lamports|owner" of a diff result;
/// "-" for a null side or owner.
QString describeDiff(const QByteArray &result)
{
    const QJsonObject object = QJsonDocument::fromJson(result).object();
    const auto lamports = [](const QJsonValue &side) {
        return side.isObject() ? QString::number(side.toObject().value(u"lamports"_s).toInteger()) : u"-"_s;
    };
    const QJsonValue pre = object.value(u"pre"_s);
    const QJsonValue post = object.value(u"post"_s);
    const QJsonValue owner = (post.isObject() ? post : pre).toObject().value(u"owner"_s);
    return u"%1|%2|%3|%4|%5|%6"_s.arg(object.value(u"context"_s).toObject().value(u"slot"_s).toInteger())
        .arg(object.value(u"signature"_s).toString().left(4), object.value(u"account"_s).toString().left(4),
             lamports(pre), lamports(post), owner.isString() ? owner.toString().left(4) : u"-"_s);
}

/// Token amount of an SPL token account side (bytes 64..72 of its data), or -1.
qint64 tokenAmount(const QJsonValue &side)
{
    const QByteArray data =
        QByteArray::fromBase64(side.toObject().value(u"data"_s).toArray().first().toString().toLatin1());
    if (data.size() != 165)
        return -1;
    return qint64(qFromLittleEndian<quint64>(data.constData() + 64));
}

QByteArray pubkeyAt(const QJsonValue &side, int offset)
{
    const QByteArray data =
        QByteArray::fromBase64(side.toObject().value(u"data"_s).toArray().first().toString().toLatin1());
    return data.size() == 165 ? base58Encode(data.mid(offset, 32)) : QByteArray();
}

} // namespace

class tst_RefServerData : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void accountDiffsFromFixtureBalances();
    void accountDiffsSingleAccountWireFormat();
    void accountDiffsDeterministic();
    void accountDiffsReplayWithinRetainedSlots();
    void zstdEveryNotificationBinary_data();
    void zstdEveryNotificationBinary();
    void zstdDisabledKeepsText();
    void preencodedNotificationsAreTheLiveBytes_data();
    void preencodedNotificationsAreTheLiveBytes();
    void dropEveryN_data();
    void dropEveryN();
    void stallThenRecover();
    void stallForever();
    void bandwidthCapSharedByThreeSockets();
    void bandwidthCapKeepsBackPressure();
    void closeWaitsForCappedQueue();
    void malformedNotifications_data();
    void malformedNotifications();
    void dropAtCompletion();
    void dropAtCompletionDiscardsTheCappedTail();

private:
    /// Every transaction signature of a fault-free run over [start, end] (synthetic, seed 1).
    QStringList referenceSignatures(quint64 start, quint64 end);
    /// What a client holds after its socket of session `id` dropped: `received`
    /// then, deduplicated, what a resubscribe from `lastSlot` on a new socket
    /// delivers until that socket's normal end of stream (empty on failure).
    QStringList resumeAfterDrop(RefServer &server, const QString &id, QStringList received, quint64 lastSlot,
                                bool zstd);
};

QStringList tst_RefServerData::referenceSignatures(quint64 start, quint64 end)
{
    SessionRun run;
    if (!openRun(run, {}, start, end))
        return {};
    auto &[server, control, id, data] = run;
    const qint64 subscription = data.subscribeTransactions(1);
    if (!continueUntilDataEnd(run, end - start + 1))
        return {};
    return data.signatures(subscription);
}

QStringList tst_RefServerData::resumeAfterDrop(RefServer &server, const QString &id, QStringList received,
                                               quint64 lastSlot, bool zstd)
{
    DataClient again;
    if (!again.open(server.controlUrl(), id))
        return {};
    const qint64 subscription = again.subscribeTransactions(2, zstd, lastSlot);
    if (!spinUntil([&] { return again.disconnected; }, 60000) || !again.closedNormally())
        return {};
    for (const QString &signature : again.signatures(subscription)) {
        if (!received.contains(signature))
            received.append(signature);
    }
    return received;
}

// --- §5.6 account diffs ----------------------------------------------------------

void tst_RefServerData::accountDiffsFromFixtureBalances()
{
    // The three explorer transfers, one per slot 1000..1002; every diff is
    // checked against the fixture's pre/postBalances by hand.
    RefServerConfig config{.txDir = explorerFixtures()};
    SessionRun run;
    QVERIFY(openRun(run, config, 1000, 1002));
    auto &[server, control, id, data] = run;
    const qint64 system = data.subscribeDiffs(1, SystemProgram, true);
    const qint64 token = data.subscribeDiffs(2, TokenProgram, true);
    const qint64 unknownOwner = data.subscribeDiffs(3, u"Cj8BhxUwTjmtMk76Mc7NmhpgTgnQU9162UPrG7LBqFpi"_s, false);
    const qint64 readonly = data.subscribeDiffs(4, u"EbsUZEFAU23Z2SgAymFtU2hADLiyNLzaPLKiJfvpKnE7"_s, false);
    QVERIFY(system > 0 && token > 0 && unknownOwner > 0 && readonly > 0);
    QVERIFY(continueToNormalClose(run, 3));

    QStringList systemDiffs;
    for (const QByteArray &result : data.results(system))
        systemDiffs.append(describeDiff(result));
    // Writable accounts whose lamports moved (and fee payers): owned by the System program.
    // 2msq… creates 9AcR… (pre lamports 0 → pre null).
    const QStringList expectedSystem{
        u"1000|2kHb|4Y5Y|531702556|506775438|1111"_s,
        u"1000|2kHb|3eF3|998075353|1022997471|1111"_s,
        u"1001|2msq|5tzF|2564837528284397|2564806499091677|1111"_s,
        u"1001|2msq|9AcR|-|105673070|1111"_s,
        u"1001|2msq|Ah6u|19487211450|50410720100|1111"_s,
        u"1002|4LXp|3V9b|401428673570|401428625200|1111"_s,
    };
    QCOMPARE(systemDiffs, expectedSystem);

    // The USDC transfer's two token accounts: lamports unchanged, amounts in the data.
    const QList<QByteArray> tokenResults = data.results(token);
    QStringList tokenDiffs;
    for (const QByteArray &result : tokenResults)
        tokenDiffs.append(describeDiff(result));
    QCOMPARE(tokenDiffs, (QStringList{u"1002|4LXp|2e3E|2039468|2039468|Toke"_s,
                                      u"1002|4LXp|Efc6|2039280|2039280|Toke"_s}));
    const QJsonObject source = QJsonDocument::fromJson(tokenResults.at(0)).object();
    QCOMPARE(source.value(u"account"_s).toString(), u"2e3Eb9tkT8252WhFR26Xz6SKoiatJScuMW1BHgGqPvvc"_s);
    QCOMPARE(source.value(u"signature"_s).toString(), UsdcTransfer);
    QCOMPARE(tokenAmount(source.value(u"pre"_s)), qint64(101903768394));
    QCOMPARE(tokenAmount(source.value(u"post"_s)), qint64(101899968394));
    QCOMPARE(pubkeyAt(source.value(u"post"_s), 0), QByteArray("EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v"));
    QCOMPARE(pubkeyAt(source.value(u"post"_s), 32), QByteArray("3V9bd3EN5aNuhE4RiHGbZ1eZakJ1F9cDb8V4YLjCG8cg"));
    QCOMPARE(source.value(u"post"_s).toObject().value(u"space"_s).toInteger(), 165);
    const QJsonObject destination = QJsonDocument::fromJson(tokenResults.at(1)).object();
    QCOMPARE(tokenAmount(destination.value(u"pre"_s)), qint64(11200000));
    QCOMPARE(tokenAmount(destination.value(u"post"_s)), qint64(15000000));

    // A writable account whose lamports did not move and that has no token
    // balance: the data does not tell its owner (null).
    QCOMPARE(data.results(unknownOwner).size(), 1);
    QCOMPARE(describeDiff(data.results(unknownOwner).first()), u"1001|2msq|Cj8B|20103842|20103842|-"_s);
    // A read-only signer is never written: no diff.
    QVERIFY(data.results(readonly).isEmpty());
}

void tst_RefServerData::accountDiffsSingleAccountWireFormat()
{
    // The exact result bytes of one diff (PROTOCOL.md §5.6): the receiver of the SOL transfer 2kHb….
    RefServerConfig config{.txDir = explorerFixtures()};
    SessionRun run;
    QVERIFY(openRun(run, config, 1000, 1002));
    auto &[server, control, id, data] = run;
    const qint64 subscription = data.subscribeDiffs(1, u"3eF3iBQqi2DmDLS7o9y8gG7necF5VBbwYy5gqF7sh899"_s, false);
    QVERIFY(continueUntilDataEnd(run, 3));
    const QList<qsizetype> notifications = data.notificationFrames();
    QCOMPARE(notifications.size(), 1);
    const QByteArray expected =
        R"({"jsonrpc":"2.0","method":"accountDiffNotification","params":{"subscription":)"
        + QByteArray::number(subscription)
        + R"(,"result":{"context":{"slot":1000},"account":"3eF3iBQqi2DmDLS7o9y8gG7necF5VBbwYy5gqF7sh899",)"
          R"("signature":")"
        + SolTransfer.toLatin1()
        + R"(","pre":{"lamports":998075353,"owner":"11111111111111111111111111111111","data":["","base64"],)"
          R"("executable":false,"space":0},"post":{"lamports":1022997471,)"
          R"("owner":"11111111111111111111111111111111","data":["","base64"],"executable":false,"space":0}}}})";
    QCOMPARE(data.frames.at(notifications.first()).json, expected);
    QVERIFY(!data.frames.at(notifications.first()).binary);
}

void tst_RefServerData::accountDiffsDeterministic()
{
    // Two servers with the same seed stream byte-identical diffs.
    QList<QList<QByteArray>> runs;
    for (int attempt = 0; attempt < 2; ++attempt) {
        SessionRun run;
        QVERIFY(openRun(run, {}, 500, 519));
        auto &[server, control, id, data] = run;
        QVERIFY(data.subscribeDiffs(1, TokenProgram, true) > 0);
        QVERIFY(data.subscribeDiffs(2, SystemProgram, true) > 0);
        QVERIFY(continueUntilDataEnd(run, 20));
        QList<QByteArray> frames;
        for (qsizetype i : data.notificationFrames())
            frames.append(data.frames.at(i).json);
        runs.append(frames);
    }
    QVERIFY(runs.at(0).size() > 40);
    QCOMPARE(runs.at(1), runs.at(0));
}

void tst_RefServerData::accountDiffsReplayWithinRetainedSlots()
{
    // replayFromSlot (inclusive) re-delivers diffs like transactions, from the
    // last 100 executed slots only (PROTOCOL.md §5.2, §5.8).
    SessionRun run;
    QVERIFY(openRun(run, {}, 100, 299, false));
    auto &[server, control, id, data] = run;
    DataClient live;
    QVERIFY(live.open(server->controlUrl(), id));
    const qint64 liveId = live.subscribeDiffs(1, TokenProgram, true);
    control.send(continueRequest(150)); // slots 100..249
    QVERIFY(spinUntil([&] { return control.count(u"readyForContinue"_s) == 2; }));
    idle(50);

    // Inside the window: from slot 200.
    DataClient recent;
    QVERIFY(recent.open(server->controlUrl(), id));
    const qint64 recentId = recent.subscribeDiffs(2, TokenProgram, true, false, 200);
    // Older than the window: clamped to slot 150 (= 249 − 99).
    DataClient old;
    QVERIFY(old.open(server->controlUrl(), id));
    const qint64 oldId = old.subscribeDiffs(3, TokenProgram, true, false, 100);

    const QList<QByteArray> all = live.results(liveId);
    QList<QByteArray> fromSlot200, fromSlot150;
    for (const QByteArray &result : all) {
        const quint64 slot = DataClient::slotOf(result);
        if (slot >= 200)
            fromSlot200.append(result);
        if (slot >= 150)
            fromSlot150.append(result);
    }
    QVERIFY(fromSlot200.size() > 20);
    QVERIFY(DataClient::slotOf(all.first()) < 150);
    QTRY_COMPARE_WITH_TIMEOUT(recent.results(recentId).size(), fromSlot200.size(), Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(old.results(oldId).size(), fromSlot150.size(), Timeout);
    QCOMPARE(recent.results(recentId), fromSlot200);
    QCOMPARE(old.results(oldId), fromSlot150);

    // Then all three continue live with the same diffs, and close 1000.
    control.send(continueRequest(50));
    QTRY_VERIFY_WITH_TIMEOUT(live.disconnected && recent.disconnected && old.disconnected, Timeout);
    QVERIFY(live.closedNormally() && recent.closedNormally() && old.closedNormally());
    const QList<QByteArray> tail = live.results(liveId).mid(all.size());
    QVERIFY(!tail.isEmpty());
    QCOMPARE(recent.results(recentId).mid(fromSlot200.size()), tail);
    QCOMPARE(old.results(oldId).mid(fromSlot150.size()), tail);
}

// --- RefServerConfig::preencodedNotifications (bench_ingest) ---------------------

void tst_RefServerData::preencodedNotificationsAreTheLiveBytes_data()
{
    QTest::addColumn<bool>("zstd");
    QTest::addRow("Text frames") << false;
    QTest::addRow("zstd stream") << true;
}

void tst_RefServerData::preencodedNotificationsAreTheLiveBytes()
{
    // Encoded in advance or as the session executes: the client sees the
    // same frames (kind and JSON), in the same order, and the normal close.
    QFETCH(bool, zstd);
    QList<QList<QByteArray>> streams;
    QList<QList<bool>> kinds;
    for (const bool preencoded : {false, true}) {
        RefServerConfig config;
        config.preencodedNotifications = preencoded;
        config.transactionsPerSlot = 3;
        SessionRun run;
        QVERIFY(openRun(run, config, 700, 719));
        auto &[server, control, id, data] = run;
        const qint64 subscription = data.subscribeTransactions(1, zstd);
        QVERIFY(subscription > 0);
        QVERIFY(continueToNormalClose(run, 20));
        QVERIFY(data.decodeErrors.isEmpty());
        QList<QByteArray> jsons;
        QList<bool> binary;
        for (qsizetype i : data.notificationFrames()) {
            jsons.append(data.frames.at(i).json);
            binary.append(data.frames.at(i).binary);
        }
        QCOMPARE(jsons.size(), 60);
        QCOMPARE(data.results(subscription).size(), 60);
        streams.append(jsons);
        kinds.append(binary);
    }
    QCOMPARE(streams.at(1), streams.at(0));
    QCOMPARE(kinds.at(1), kinds.at(0));
    QCOMPARE(kinds.at(1).count(true), zstd ? 60 : 0);
}

// --- §5.4 zstd -------------------------------------------------------------------

void tst_RefServerData::zstdEveryNotificationBinary_data()
{
    QTest::addColumn<bool>("transactions");
    QTest::addColumn<bool>("diffs");
    QTest::addRow("transactions") << true << false;
    QTest::addRow("account diffs") << false << true;
    QTest::addRow("both on one socket") << true << true;
}

void tst_RefServerData::zstdEveryNotificationBinary()
{
    QFETCH(bool, transactions);
    QFETCH(bool, diffs);
    SessionRun run;
    QVERIFY(openRun(run, {}, 700, 729, false));
    auto &[server, control, id, data] = run;

    // The same subscriptions twice: compressed and plain.
    DataClient zstd, plain;
    QVERIFY(zstd.open(server->controlUrl(), id));
    QVERIFY(plain.open(server->controlUrl(), id));
    QList<qint64> zstdIds, plainIds;
    if (transactions) {
        zstdIds.append(zstd.subscribeTransactions(1, true));
        plainIds.append(plain.subscribeTransactions(1, false));
    }
    if (diffs) {
        zstdIds.append(zstd.subscribeDiffs(2, SystemProgram, true, true));
        plainIds.append(plain.subscribeDiffs(2, SystemProgram, true, false));
    }
    control.send(continueRequest(30));
    QTRY_VERIFY_WITH_TIMEOUT(zstd.disconnected && plain.disconnected, Timeout);
    QVERIFY(zstd.closedNormally());
    QVERIFY(plain.closedNormally());

    // Acks stay Text; every notification is a Binary frame that decodes to
    // exactly one JSON message: the plain socket's, byte for byte.
    for (qsizetype ack : std::as_const(zstd.ackFrames))
        QVERIFY(!zstd.frames.at(ack).binary);
    QVERIFY(zstd.decodeErrors.isEmpty());
    const QList<qsizetype> notifications = zstd.notificationFrames();
    QVERIFY(notifications.size() > 20);
    QCOMPARE(notifications.size(), zstd.frames.size() - zstd.ackFrames.size());
    for (qsizetype i : notifications)
        QVERIFY(zstd.frames.at(i).binary);
    for (int k = 0; k < zstdIds.size(); ++k)
        QCOMPARE(zstd.results(zstdIds.at(k)), plain.results(plainIds.at(k)));
    QList<QByteArray> plainMessages;
    for (qsizetype i : plain.notificationFrames())
        plainMessages.append(plain.frames.at(i).json);
    for (int k = 0; k < notifications.size(); ++k) {
        QByteArray expected = plainMessages.at(k);
        // Only the subscription id differs between the two sockets.
        for (int s = 0; s < zstdIds.size(); ++s) {
            expected.replace("\"subscription\":" + QByteArray::number(plainIds.at(s)) + ",",
                             "\"subscription\":" + QByteArray::number(zstdIds.at(s)) + ",");
        }
        QCOMPARE(zstd.frames.at(notifications.at(k)).json, expected);
    }

    // One stream per connection: the first frame opens it (zstd magic), the
    // others continue it — decoded alone, with a fresh context, frame 2 fails
    // or yields something else (the window carried over).
    const QByteArray first = zstd.frames.at(notifications.at(0)).raw;
    const QByteArray second = zstd.frames.at(notifications.at(1)).raw;
    QVERIFY(first.startsWith(QByteArray("\x28\xb5\x2f\xfd", 4)));
    QVERIFY(!second.startsWith(QByteArray("\x28\xb5\x2f\xfd", 4)));
    std::unique_ptr<ZSTD_DCtx, decltype(&ZSTD_freeDCtx)> fresh(ZSTD_createDCtx(), &ZSTD_freeDCtx);
    const auto alone = DataClient::decompress(fresh.get(), second);
    QVERIFY(!alone || *alone != zstd.frames.at(notifications.at(1)).json);
    // Later frames are smaller than their JSON thanks to the shared window.
    qint64 compressedBytes = 0, jsonBytes = 0;
    for (qsizetype i : notifications) {
        compressedBytes += zstd.frames.at(i).raw.size();
        jsonBytes += zstd.frames.at(i).json.size();
    }
    QVERIFY2(compressedBytes * 3 < jsonBytes, qPrintable(u"%1 of %2"_s.arg(compressedBytes).arg(jsonBytes)));

    // A new connection gets a fresh stream: its first notification decodes on its own.
    DataClient again;
    QVERIFY(again.open(server->controlUrl(), id));
    const qint64 replayId = transactions ? again.subscribeTransactions(9, true, 728)
                                         : again.subscribeDiffs(9, SystemProgram, true, true, 728);
    QVERIFY(replayId > 0);
    QTRY_VERIFY_WITH_TIMEOUT(again.disconnected, Timeout);
    QVERIFY(again.closedNormally());
    QVERIFY(again.decodeErrors.isEmpty());
    const QList<qsizetype> replayed = again.notificationFrames();
    QVERIFY(!replayed.isEmpty());
    const QByteArray opening = again.frames.at(replayed.first()).raw;
    QVERIFY(opening.startsWith(QByteArray("\x28\xb5\x2f\xfd", 4)));
    std::unique_ptr<ZSTD_DCtx, decltype(&ZSTD_freeDCtx)> another(ZSTD_createDCtx(), &ZSTD_freeDCtx);
    QCOMPARE(DataClient::decompress(another.get(), opening), again.frames.at(replayed.first()).json);
}

void tst_RefServerData::zstdDisabledKeepsText()
{
    RefServerConfig config{.zstd = false};
    SessionRun run;
    QVERIFY(openRun(run, config, 1, 10));
    auto &[server, control, id, data] = run;
    const qint64 subscription = data.subscribeTransactions(1, true);
    QVERIFY(continueToNormalClose(run, 10));
    QVERIFY(data.results(subscription).size() >= 20);
    for (const DataClient::Frame &frame : std::as_const(data.frames))
        QVERIFY(!frame.binary);
}

// --- data faults -----------------------------------------------------------------

void tst_RefServerData::dropEveryN_data()
{
    QTest::addColumn<bool>("zstd");
    QTest::addRow("plain") << false;
    QTest::addRow("zstd") << true;
}

void tst_RefServerData::dropEveryN()
{
    // Every subscription socket is aborted (no close frame) after exactly 7
    // notifications, twice; each resubscribe with replayFromSlot = the last
    // slot received loses nothing.
    QFETCH(bool, zstd);
    const QStringList reference = referenceSignatures(100, 129);
    QVERIFY(reference.size() >= 60);

    RefServerConfig config;
    config.dataFaults.dropEveryNotifications = 7;
    config.dataFaults.maxDrops = 2;
    SessionRun run;
    QVERIFY(openRun(run, config, 100, 129, false));
    auto &[server, control, id, data] = run;

    QStringList received;
    std::optional<quint64> replayFrom;
    for (int connection = 0; connection < 3; ++connection) {
        DataClient data;
        QVERIFY(data.open(server->controlUrl(), id));
        const qint64 subscription = data.subscribeTransactions(1, zstd, replayFrom);
        QVERIFY(subscription > 0);
        if (connection == 0)
            control.send(continueRequest(30));
        QTRY_VERIFY_WITH_TIMEOUT(data.disconnected, Timeout);
        QVERIFY(data.decodeErrors.isEmpty());
        for (qsizetype i : data.notificationFrames())
            QCOMPARE(data.frames.at(i).binary, zstd);
        if (connection < 2) {
            QCOMPARE(data.notificationCount(), qsizetype(7));
            QVERIFY(data.closeReason.isEmpty());
            QVERIFY(!data.closeFrameReceived);
        } else {
            QVERIFY(data.closedNormally());
            QVERIFY(data.notificationCount() > 7);
        }
        for (const QString &signature : data.signatures(subscription)) {
            if (!received.contains(signature))
                received.append(signature);
        }
        replayFrom = data.lastSlot();
    }
    QCOMPARE(received, reference);
}

void tst_RefServerData::stallThenRecover()
{
    // After 3 notifications the socket goes silent for 1.5 s, stays open, then
    // delivers the rest; the close 1000 comes only after all of them.
    const QStringList reference = referenceSignatures(100, 119);
    RefServerConfig config;
    config.dataFaults.stallAfterNotifications = 3;
    config.dataFaults.stallMs = 1500;
    SessionRun run;
    QVERIFY(openRun(run, config, 100, 119));
    auto &[server, control, id, data] = run;
    const qint64 subscription = data.subscribeTransactions(1);
    QVERIFY(continueToNormalClose(run, 20));
    QCOMPARE(data.signatures(subscription), reference);

    const QList<qsizetype> notifications = data.notificationFrames();
    const qint64 third = data.frames.at(notifications.at(2)).atMs;
    const qint64 fourth = data.frames.at(notifications.at(3)).atMs;
    QVERIFY2(fourth - third >= 1400, qPrintable(QString::number(fourth - third)));
    for (int k = 1; k < notifications.size(); ++k) {
        if (k != 3) {
            QVERIFY2(data.frames.at(notifications.at(k)).atMs - data.frames.at(notifications.at(k - 1)).atMs < 1000,
                     qPrintable(QString::number(k)));
        }
    }
    // The session completed during the stall; its queue drained before the close.
    QVERIFY(control.completedAtMs >= 0);
    QVERIFY(data.disconnectedAtMs >= data.frames.at(notifications.constLast()).atMs);
}

void tst_RefServerData::stallForever()
{
    RefServerConfig config;
    config.dataFaults.stallAfterNotifications = 3;
    config.dataFaults.stallMs = 0;
    SessionRun run;
    QVERIFY(openRun(run, config, 100, 109, false));
    auto &[server, control, id, data] = run;
    DataClient stalled;
    QVERIFY(stalled.open(server->controlUrl(), id));
    QVERIFY(stalled.subscribeTransactions(1) > 0);
    control.send(continueRequest(10));
    QTRY_COMPARE_WITH_TIMEOUT(control.count(u"completed"_s), 1, Timeout);
    // A quiet period is what a stall is: the socket stays open and silent.
    idle(1000);
    QCOMPARE(stalled.notificationCount(), qsizetype(3));
    QVERIFY(!stalled.disconnected);
    QCOMPARE(stalled.socket.state(), QAbstractSocket::ConnectedState);

    // The stall is one socket's (maxStalls 1): a resubscribe elsewhere drains and closes.
    DataClient other;
    QVERIFY(other.open(server->controlUrl(), id));
    const qint64 subscription = other.subscribeTransactions(1, false, 100);
    QTRY_VERIFY_WITH_TIMEOUT(other.disconnected, Timeout);
    QVERIFY(other.closedNormally());
    QVERIFY(other.results(subscription).size() > 3);
    QVERIFY(!stalled.disconnected);
}

void tst_RefServerData::bandwidthCapSharedByThreeSockets()
{
    // One constrained link: three sockets together get the cap (±25 %), not three times it.
    constexpr qint64 Cap = 300000;
    RefServerConfig config;
    config.dataFaults.bandwidthBytesPerSecond = Cap;
    SessionRun run;
    QVERIFY(openRun(run, config, 100, 129, false));
    auto &[server, control, id, data] = run;
    std::array<DataClient, 3> sockets;
    std::array<qint64, 3> ids{};
    for (int k = 0; k < 3; ++k) {
        QVERIFY(sockets[k].open(server->controlUrl(), id));
        ids[k] = sockets[k].subscribeTransactions(1);
    }
    control.send(continueRequest(30));
    QTRY_VERIFY_WITH_TIMEOUT(sockets[0].disconnected && sockets[1].disconnected && sockets[2].disconnected, 60000);

    qint64 total = 0, first = std::numeric_limits<qint64>::max(), last = 0, firstBytes = 0;
    std::array<qint64, 3> shares{};
    for (int k = 0; k < 3; ++k) {
        QVERIFY(sockets[k].closedNormally());
        shares[k] = sockets[k].notificationBytes();
        total += shares[k];
        const QList<qsizetype> notifications = sockets[k].notificationFrames();
        const DataClient::Frame &opening = sockets[k].frames.at(notifications.first());
        if (opening.atMs < first) {
            first = opening.atMs;
            firstBytes = opening.raw.size();
        }
        last = std::max(last, sockets[k].frames.at(notifications.constLast()).atMs);
    }
    QVERIFY(total > 3 * Cap); // a few seconds' worth
    const double seconds = double(last - first) / 1000.0;
    const double rate = double(total - firstBytes) / seconds;
    qInfo("%lld bytes in %.2f s: %.0f B/s against a cap of %lld", total, seconds, rate, Cap);
    QVERIFY2(rate > 0.75 * Cap && rate < 1.25 * Cap,
             qPrintable(u"%1 bytes in %2 s = %3 B/s"_s.arg(total).arg(seconds).arg(rate)));
    // Shared fairly: every socket got close to a third of the link.
    for (int k = 0; k < 3; ++k)
        QVERIFY2(shares[k] * 4 > total, qPrintable(u"socket %1: %2 of %3"_s.arg(k).arg(shares[k]).arg(total)));
    // Each got everything, in the same order.
    QCOMPARE(sockets[1].results(ids[1]), sockets[0].results(ids[0]));
    QCOMPARE(sockets[2].results(ids[2]), sockets[0].results(ids[0]));
}

void tst_RefServerData::bandwidthCapKeepsBackPressure()
{
    // Behind a slow link the server queues at most BackPressureBytes per socket,
    // then pauses execution: the control plane stops advancing.
    RefServerConfig config = fixtureConfig();
    config.transactionsPerSlot = 20;
    config.dataFaults.bandwidthBytesPerSecond = 200000;
    SessionRun run;
    QVERIFY(openRun(run, config, 0, 199)); // ~60 MB of notifications
    auto &[server, control, id, data] = run;
    QVERIFY(data.subscribeTransactions(1) > 0);
    control.send(continueRequest(200));
    const auto slotsSeen = [&] { return control.count(u"slotNotification"_s); };
    QVERIFY(spinUntil([&] { return slotsSeen() > 1; }));
    idle(1000);
    const int pausedAt = slotsSeen();
    idle(500);
    QVERIFY2(slotsSeen() - pausedAt <= 2, qPrintable(u"%1 → %2"_s.arg(pausedAt).arg(slotsSeen())));
    QVERIFY2(pausedAt < 60, qPrintable(QString::number(pausedAt)));
    QCOMPARE(control.count(u"completed"_s), 0);
    // It keeps streaming at the cap meanwhile.
    QVERIFY(data.notificationBytes() > 100000);
    server->close();
}

void tst_RefServerData::closeWaitsForCappedQueue()
{
    // completed comes long before the data behind a slow link; the close 1000
    // only after every queued notification, zstd-compressed here.
    const QStringList reference = referenceSignatures(100, 139);
    RefServerConfig config;
    config.dataFaults.bandwidthBytesPerSecond = 40000;
    SessionRun run;
    QVERIFY(openRun(run, config, 100, 139));
    auto &[server, control, id, data] = run;
    const qint64 subscription = data.subscribeTransactions(1, true);
    QVERIFY(continueToNormalClose(run, 40, 60000));
    QVERIFY(data.decodeErrors.isEmpty());
    QCOMPARE(data.signatures(subscription), reference);
    const QList<qsizetype> notifications = data.notificationFrames();
    QVERIFY(control.completedAtMs >= 0);
    const qint64 lastAt = data.frames.at(notifications.constLast()).atMs;
    QVERIFY2(lastAt - control.completedAtMs > 300,
             qPrintable(u"completed %1 ms, last notification %2 ms"_s.arg(control.completedAtMs).arg(lastAt)));
    QVERIFY(data.disconnectedAtMs >= lastAt);
}

// --- issue 9: malformed notifications, counted and deterministic ----------------

void tst_RefServerData::malformedNotifications_data()
{
    QTest::addColumn<bool>("zstd");
    QTest::addRow("text") << false;
    QTest::addRow("zstd") << true;
}

void tst_RefServerData::malformedNotifications()
{
    QFETCH(bool, zstd);
    const QStringList reference = referenceSignatures(100, 119);
    QVERIFY(reference.size() > 30);
    RefServerConfig config;
    config.dataFaults.malformedNotifications = 5;
    config.dataFaults.malformedEveryNotifications = 4;
    SessionRun run;
    QVERIFY(openRun(run, config, 100, 119));
    auto &[server, control, id, data] = run;
    const qint64 subscription = data.subscribeTransactions(1, zstd);
    QVERIFY(continueToNormalClose(run, 20));
    QCOMPARE(server->faultStats().malformedNotifications, 5);

    // Each malformed frame, where it came and what is wrong with it: one after
    // every 4th real notification, the shapes in their documented order.
    QStringList seen;
    int real = 0;
    bool streamBroken = false;
    for (qsizetype i = data.ackFrames.constFirst() + 1; i < data.frames.size(); ++i) {
        const DataClient::Frame &frame = data.frames.at(i);
        if (streamBroken)
            break; // a client reconnects here; the rest of this stream cannot be read
        if (zstd && data.decodeErrors.contains(i)) {
            seen.append(u"%1:bad zstd frame"_s.arg(real));
            streamBroken = true;
            continue;
        }
        QCOMPARE(frame.binary, zstd);
        const auto message = decodeDataPlaneMessage(frame.json);
        if (!message) {
            seen.append(u"%1:%2"_s.arg(real).arg(message.error().message.section(u':', 0, 0)));
            continue;
        }
        const auto *notification = std::get_if<DataPlane::TransactionNotification>(&*message);
        QVERIFY(notification);
        QCOMPARE(notification->subscription, subscription);
        if (!QJsonDocument::fromJson(notification->result.toByteArray()).object().contains(u"transaction"_s)) {
            seen.append(u"%1:result without transaction"_s.arg(real));
            continue;
        }
        ++real;
    }
    QStringList expected{u"4:transactionNotification without params.result"_s,
                         u"8:transactionNotification"_s, // result is not an object
                         u"12:not JSON"_s, u"16:result without transaction"_s};
    expected.append(zstd ? u"20:bad zstd frame"_s : u"20:transactionNotification"_s); // subscription not an id
    for (qsizetype i = 0; i < seen.size(); ++i) {
        if (seen.at(i).startsWith(u"12:"_s))
            seen[i] = u"12:not JSON"_s; // whatever the parser's wording
    }
    QCOMPARE(seen, expected);

    if (!zstd) {
        QCOMPARE(data.signatures(subscription), reference); // nothing real was lost
        return;
    }
    // After the bad frame a client reconnects with replayFromSlot and gets the rest.
    QStringList delivered;
    quint64 lastSlot = 0;
    for (qsizetype i = data.ackFrames.constFirst() + 1; i < data.decodeErrors.constFirst(); ++i) {
        const QJsonObject result = QJsonDocument::fromJson(data.frames.at(i).json)
                                       .object()
                                       .value(u"params"_s)
                                       .toObject()
                                       .value(u"result"_s)
                                       .toObject();
        const QString signature =
            result.value(u"transaction"_s).toObject().value(u"signatures"_s).toArray().first().toString();
        if (signature.isEmpty())
            continue;
        delivered.append(signature);
        lastSlot = quint64(result.value(u"slot"_s).toInteger());
    }
    QCOMPARE(delivered.size(), 20);
    QCOMPARE(resumeAfterDrop(*server, id, delivered, lastSlot, true), reference);
    QCOMPARE(server->faultStats().malformedNotifications, 5); // replays inject nothing more
}

// --- issue 8: a data socket dropped after completed ------------------------------

void tst_RefServerData::dropAtCompletion()
{
    const QStringList reference = referenceSignatures(100, 109);
    RefServerConfig config;
    config.dataFaults.dropAtCompletion = 1;
    config.dataFaults.dropAtCompletionDelayMs = 300;

    // The first session to complete: its socket is aborted after completed,
    // no close frame; a resubscribe from the last slot gets the rest and the
    // normal end of stream.
    SessionRun run;
    QVERIFY(openRun(run, config, 100, 109));
    auto &[server, control, id, data] = run;
    const qint64 subscription = data.subscribeTransactions(1);
    QVERIFY(continueUntilDataEnd(run, 10));
    QVERIFY(!data.closeFrameReceived);
    QVERIFY(control.completedAtMs >= 0);
    QVERIFY(data.disconnectedAtMs >= control.completedAtMs);
    QCOMPARE(server->faultStats().completionDrops, 1);
    const QStringList first = data.signatures(subscription);
    QVERIFY(!first.isEmpty());
    QCOMPARE(first, reference.mid(0, first.size()));

    QCOMPARE(resumeAfterDrop(*server, id, first, data.lastSlot(), false), reference);

    // The next session to complete closes normally: one drop was configured.
    ControlClient secondControl;
    const QString second = createSession(secondControl, server->controlUrl(), 100, 109);
    DataClient secondData;
    QVERIFY(secondData.open(server->controlUrl(), second));
    const qint64 secondSubscription = secondData.subscribeTransactions(1);
    secondControl.send(continueRequest(10));
    QTRY_VERIFY_WITH_TIMEOUT(secondData.disconnected, Timeout);
    QVERIFY(secondData.closedNormally());
    QCOMPARE(secondData.signatures(secondSubscription), reference);
    QCOMPARE(server->faultStats().completionDrops, 1);
}

void tst_RefServerData::dropAtCompletionDiscardsTheCappedTail()
{
    // Behind a bandwidth cap the socket still holds a queue at completed: the
    // abort discards it, so only a resubscribe's replay delivers the tail.
    const QStringList reference = referenceSignatures(100, 119);
    RefServerConfig config;
    config.dataFaults.bandwidthBytesPerSecond = 60000;
    config.dataFaults.dropAtCompletion = 1;
    SessionRun run;
    QVERIFY(openRun(run, config, 100, 119));
    auto &[server, control, id, data] = run;
    const qint64 subscription = data.subscribeTransactions(1, true);
    QVERIFY(continueUntilDataEnd(run, 20));
    QVERIFY(!data.closeFrameReceived);
    QVERIFY(data.decodeErrors.isEmpty());
    const QStringList first = data.signatures(subscription);
    QVERIFY2(first.size() < reference.size(), qPrintable(u"%1 of %2"_s.arg(first.size()).arg(reference.size())));
    QCOMPARE(first, reference.mid(0, first.size()));

    QCOMPARE(resumeAfterDrop(*server, id, first, data.lastSlot(), true), reference);
}

QTEST_GUILESS_MAIN(tst_RefServerData)
#include "tst_refserverdata.moc"
