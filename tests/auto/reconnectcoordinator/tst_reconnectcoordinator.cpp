// ReconnectCoordinator (seed mod.rs tests: the streaming count balances, a slot
// is free on a quiet link, a parked request waits for the last sibling, cancel
// while parked) plus one permit at a time, and the gate driving two real
// connections: a subscription past its ungated attempts parks (status Parked)
// while a sibling streams, its parked time is not charged to the budget, and
// it reconnects once the sibling stops (PROTOCOL.md §6.6).

#include "net/reconnectcoordinator.h"
#include "net/websocketconnection.h"
#include "protocol/runclock.h"
#include "support/peerserver.h"
#include "support/policies.h"
#include "support/waiting.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>

using namespace SlotScope;
using namespace SlotScope::Testing;
using namespace Qt::StringLiterals;
using std::chrono::milliseconds;
using S = ConnectionStatus;

namespace {

// "hello" → "welcome" (or "busy", a transient handshake failure).
class TestConnection : public WebSocketConnection
{
public:
    using WebSocketConnection::WebSocketConnection;
    QList<S> statuses{S::Down};

protected:
    void beginHandshake() override { sendText("hello"); }
    void handleText(QByteArrayView utf8) override
    {
        if (phase() != Phase::Handshaking)
            return;
        if (utf8 == "welcome")
            handshakeSucceeded();
        else
            handshakeFailed(HandshakeError::transient(u"busy"_s));
    }
};

class Server : public PeerServer
{
public:
    int busyReplies = 0; // the next handshakes answered "busy" (a transient failure)

    QUrl url() const { return urlFor(u"/sub"_s); }

protected:
    void accepted(QWebSocket *socket) override
    {
        connect(socket, &QWebSocket::textMessageReceived, this, [this, socket](const QString &) {
            socket->sendTextMessage(busyReplies > 0 ? u"busy"_s : u"welcome"_s);
            busyReplies = std::max(0, busyReplies - 1);
        });
    }
};

} // namespace

class tst_ReconnectCoordinator : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void streamingCountBalances();
    void slotAvailableWhenLinkIsQuiet();
    void parkedUntilLastSiblingLeaves();
    void aSiblingUpButSilentKeepsNobodyParked();
    void onePermitAtATimeInArrivalOrder();
    void cancelWhileParked();
    void failedAttemptReleasesThePermit();
    void gatesRealReconnects();
    void snapshotNamesTheQueueInOrder();
    void snapshotNamesTheFewStreamingTheQueueWaitsFor();
    void expeditedGoesFirstAndSkipsTheQuietLink();
    void stormFigures();
    void finishedSocketsAreNoStorm();
    void stormEndedByAFailureIsNotRecovered();
    void aRunEndedMidStormLeavesNobodyParked();
    void reconnectNowSkipsTheBackoff();
    void reconnectNowOfAParkedSocketStillWaitsForTheSlot();
    void theRunClockIsTheWallClockThatNeverSteps();
};

void tst_ReconnectCoordinator::streamingCountBalances()
{
    ReconnectCoordinator coordinator;
    QObject a, b;
    QCOMPARE(coordinator.streamingCount(), 0);
    coordinator.enterStreaming(&a);
    coordinator.enterStreaming(&a); // idempotent
    coordinator.enterStreaming(&b);
    QCOMPARE(coordinator.streamingCount(), 2);
    coordinator.leaveStreaming(&a);
    coordinator.leaveStreaming(&a);
    QCOMPARE(coordinator.streamingCount(), 1);
    coordinator.cancel(&b);
    QCOMPARE(coordinator.streamingCount(), 0);
}

void tst_ReconnectCoordinator::slotAvailableWhenLinkIsQuiet()
{
    ReconnectCoordinator coordinator;
    QObject a;
    bool granted = false;
    coordinator.requestSlot(&a, [&] { granted = true; });
    QVERIFY(!granted); // never inside the call
    QTRY_VERIFY_WITH_TIMEOUT(granted, 1000);
    QCOMPARE(coordinator.permitHolder(), &a);
    QCOMPARE(coordinator.parkedCount(), 0);
}

void tst_ReconnectCoordinator::parkedUntilLastSiblingLeaves()
{
    ReconnectCoordinator coordinator;
    QObject sibling, a;
    coordinator.enterStreaming(&sibling);
    bool granted = false;
    coordinator.requestSlot(&a, [&] { granted = true; });
    settle(); // a grant is posted to the event loop: it would have run by now
    QVERIFY(!granted); // a sibling streams: parked
    QCOMPARE(coordinator.parkedCount(), 1);
    coordinator.leaveStreaming(&sibling);
    QTRY_VERIFY_WITH_TIMEOUT(granted, 1000);
}

void tst_ReconnectCoordinator::aSiblingUpButSilentKeepsNobodyParked()
{
    // Every sub-session has one socket parked and steps only with all of them
    // Up, so the siblings stay Up and receive nothing: waiting for them to
    // stop would hang the batch. One that said nothing for quietAfterMs()
    // frees the link; one that streams, or cannot say, keeps it.
    ReconnectCoordinator coordinator;
    coordinator.setQuietAfterMs(300);
    QObject silent, streaming, unknown, a;
    qint64 silentFor = 0;
    qint64 streamingFor = 0;
    coordinator.enterStreaming(&silent, [&] { return silentFor; });
    coordinator.enterStreaming(&streaming, [&] { return streamingFor; });
    bool granted = false;
    coordinator.requestSlot(&a, [&] { granted = true; });
    settle();
    QVERIFY(!granted);
    QCOMPARE(coordinator.activeStreamingCount(), 2);
    silentFor = 400; // quiet now; `streaming` still receives
    QTest::qWait(1500);
    QVERIFY(!granted);
    QCOMPARE(coordinator.activeStreamingCount(), 1);
    streamingFor = 400; // both silent: seen within the next look (every second)
    QTRY_VERIFY_WITH_TIMEOUT(granted, 2500);
    QCOMPARE(coordinator.streamingCount(), 2); // still Up, only quiet

    // A sibling that cannot say how long it was silent keeps the seed's rule.
    coordinator.releaseSlot(&a);
    coordinator.enterStreaming(&unknown);
    QObject b;
    bool grantedB = false;
    coordinator.requestSlot(&b, [&] { grantedB = true; });
    QTest::qWait(1500);
    QVERIFY(!grantedB);
    coordinator.leaveStreaming(&unknown);
    QTRY_VERIFY_WITH_TIMEOUT(grantedB, 1000);
}

void tst_ReconnectCoordinator::onePermitAtATimeInArrivalOrder()
{
    ReconnectCoordinator coordinator;
    QObject a, b;
    QStringList grants;
    coordinator.requestSlot(&a, [&] { grants.append(u"a"_s); });
    coordinator.requestSlot(&b, [&] { grants.append(u"b"_s); });
    QTRY_COMPARE_WITH_TIMEOUT(grants, QStringList{u"a"_s}, 1000);
    settle(); // a grant is posted to the event loop: it would have run by now
    QCOMPARE(grants, QStringList{u"a"_s}); // b waits for the permit

    // a is streaming again and gives the permit back: b still waits for quiet.
    coordinator.enterStreaming(&a);
    coordinator.releaseSlot(&a);
    settle(); // a grant is posted to the event loop: it would have run by now
    QCOMPARE(grants, QStringList{u"a"_s});
    coordinator.leaveStreaming(&a);
    QTRY_COMPARE_WITH_TIMEOUT(grants, (QStringList{u"a"_s, u"b"_s}), 1000);
    QCOMPARE(coordinator.permitHolder(), &b);
}

void tst_ReconnectCoordinator::cancelWhileParked()
{
    ReconnectCoordinator coordinator;
    QObject sibling, a;
    coordinator.enterStreaming(&sibling);
    bool granted = false;
    coordinator.requestSlot(&a, [&] { granted = true; });
    coordinator.cancel(&a);
    QCOMPARE(coordinator.parkedCount(), 0);
    coordinator.leaveStreaming(&sibling);
    settle(); // a grant is posted to the event loop: it would have run by now
    QVERIFY(!granted);
    QCOMPARE(coordinator.permitHolder(), nullptr);
}

void tst_ReconnectCoordinator::failedAttemptReleasesThePermit()
{
    ReconnectCoordinator coordinator;
    QObject a, b;
    QStringList grants;
    coordinator.requestSlot(&a, [&] { grants.append(u"a"_s); });
    coordinator.requestSlot(&b, [&] { grants.append(u"b"_s); });
    QTRY_COMPARE_WITH_TIMEOUT(grants.size(), 1, 1000);
    coordinator.releaseSlot(&a); // a's attempt failed, it never streamed
    QTRY_COMPARE_WITH_TIMEOUT(grants, (QStringList{u"a"_s, u"b"_s}), 1000);
}

void tst_ReconnectCoordinator::gatesRealReconnects()
{
    Server server;
    QVERIFY(server.listen());
    ConnectionPolicy policy = fastPolicy();
    policy.maxAttempts = 10;
    policy.maxTotal = milliseconds{300}; // shorter than the park below
    policy.ungatedAttempts = 1;
    ReconnectCoordinator coordinator;
    TestConnection a(policy), b(policy);
    for (TestConnection *connection : {&a, &b}) {
        connection->setReconnectCoordinator(&coordinator);
        connect(connection, &WebSocketConnection::statusChanged, this,
                [connection](S status) { connection->statuses.append(status); });
    }
    a.start(server.url());
    QTRY_COMPARE_WITH_TIMEOUT(a.status(), S::Up, 2000);
    b.start(server.url());
    QTRY_COMPARE_WITH_TIMEOUT(b.status(), S::Up, 2000);
    QCOMPARE(coordinator.streamingCount(), 2);

    // b drops; its one ungated retry is refused, so the next one parks while a
    // streams; its first attempt after the park is refused too.
    server.busyReplies = 2;
    server.sockets().at(1)->close(QWebSocketProtocol::CloseCodeGoingAway, u"drop"_s);
    QTRY_COMPARE_WITH_TIMEOUT(b.status(), S::Parked, 2000);
    QCOMPARE(b.phase(), WebSocketConnection::Phase::Parked);
    QCOMPARE(coordinator.streamingCount(), 1);
    QCOMPARE(coordinator.parkedCount(), 1);
    const int connectionsWhileParked = server.connections();
    // Parked longer than the whole wall-clock budget.
    QVERIFY(holdsFor([&b] { return b.status() == S::Parked; }, milliseconds{450}));
    QCOMPARE(b.status(), S::Parked);
    QCOMPARE(server.connections(), connectionsWhileParked); // no attempt while parked

    // The sibling finishes: b takes the permit; its refused attempt is judged
    // by a budget that was not charged for the park, so it retries (parks, is
    // granted at once on the quiet link) instead of failing.
    a.stop();
    QTRY_COMPARE_WITH_TIMEOUT(b.status(), S::Up, 2000);
    QCOMPARE(b.statuses,
             (QList<S>{S::Down, S::Up, S::Down, S::Parked, S::Down, S::Parked, S::Down, S::Up}));
    QCOMPARE(server.busyReplies, 0);
    QCOMPARE(coordinator.permitHolder(), nullptr); // released once streaming
    QCOMPARE(coordinator.streamingCount(), 1);
    b.stop();
    QTRY_COMPARE_WITH_TIMEOUT(coordinator.streamingCount(), 0, 2000);
}

// A coordinator whose clock the test moves (ms since the epoch).
struct ClockedCoordinator
{
    qint64 now = 1'000'000;
    ReconnectCoordinator coordinator;
    ClockedCoordinator() { coordinator.setClock([this] { return now; }); }
};

QString queueText(const CoordinatorSnapshot &snapshot)
{
    QStringList parts;
    for (const auto &socket : snapshot.parked)
        parts << u"%1/%2@%3#%4%5"_s.arg(socket.sessionId, socket.socket).arg(socket.sinceMs).arg(socket.attempt)
                     .arg(socket.expedited ? u"!"_s : QString());
    return parts.join(u' ');
}

void tst_ReconnectCoordinator::snapshotNamesTheQueueInOrder()
{
    ClockedCoordinator clocked;
    ReconnectCoordinator &coordinator = clocked.coordinator;
    coordinator.setUngatedAttempts(5);
    QObject sibling, a, b;
    coordinator.setParticipantName(&sibling, u"backtest_s"_s, u"transactions"_s);
    coordinator.setParticipantName(&a, u"backtest_a"_s, u"transactions"_s);
    coordinator.setParticipantName(&b, u"backtest_b"_s, u"account diffs"_s);
    coordinator.enterStreaming(&sibling);
    coordinator.enterStreaming(&a);
    coordinator.enterStreaming(&b);
    coordinator.leaveStreaming(&a);
    coordinator.leaveStreaming(&b);
    coordinator.requestSlot(&a, [] {}, 6);
    clocked.now += 100;
    coordinator.requestSlot(&b, [] {}, 7);
    clocked.now += 400;
    QTest::qWait(20);
    CoordinatorSnapshot snapshot = coordinator.snapshot();
    QCOMPARE(snapshot.atMs, 1'000'500);
    QVERIFY(!snapshot.holder);
    QCOMPARE(queueText(snapshot), u"backtest_a/transactions@1000000#6 backtest_b/account diffs@1000100#7"_s);
    QCOMPARE(snapshot.streaming, 1);
    // The queue waits for the one streaming sibling: named, with its start.
    QCOMPARE(snapshot.waitedFor.size(), 1);
    QCOMPARE(snapshot.waitedFor.constFirst().sessionId, u"backtest_s"_s);
    QCOMPARE(snapshot.waitedFor.constFirst().socket, u"transactions"_s);
    QCOMPARE(snapshot.waitedFor.constFirst().sinceMs, 1'000'000);
    {
        const Result<CoordinatorSnapshot> read = CoordinatorSnapshot::fromJson(snapshot.toJson());
        QVERIFY(read.ok());
        QCOMPARE(*read, snapshot);
    }
    QCOMPARE(snapshot.participants, 3);
    QCOMPARE(snapshot.ungatedAttempts, 5);
    QCOMPARE(snapshot.parks, 2u);
    // Parks going on count up to the snapshot.
    QCOMPARE(snapshot.totalParkedMs, 500 + 400);
    QCOMPARE(snapshot.longestParkMs, 500);
    QCOMPARE(snapshot.stormSinceMs, std::optional<qint64>(1'000'000));

    // The sibling stops: a takes the slot (its park ends), b waits on.
    coordinator.leaveStreaming(&sibling);
    QTRY_VERIFY_WITH_TIMEOUT(coordinator.permitHolder() == &a, 1000);
    clocked.now += 250;
    snapshot = coordinator.snapshot();
    QVERIFY(snapshot.holder);
    QCOMPARE(snapshot.holder->sessionId, u"backtest_a"_s);
    QCOMPARE(snapshot.holder->socket, u"transactions"_s);
    QCOMPARE(snapshot.holder->sinceMs, 1'000'500);
    QCOMPARE(snapshot.holder->attempt, 6);
    QCOMPARE(queueText(snapshot), u"backtest_b/account diffs@1000100#7"_s);
    QVERIFY(snapshot.waitedFor.isEmpty()); // someone holds the slot: nobody is waited for by name
    QCOMPARE(snapshot.totalParkedMs, 500 + 650);
    QCOMPARE(snapshot.longestParkMs, 650);

    // The same figures survive the events file.
    const Result<CoordinatorSnapshot> read = CoordinatorSnapshot::fromJson(snapshot.toJson());
    QVERIFY(read.ok());
    QCOMPARE(*read, snapshot);
}

void tst_ReconnectCoordinator::snapshotNamesTheFewStreamingTheQueueWaitsFor()
{
    ClockedCoordinator clocked;
    ReconnectCoordinator &coordinator = clocked.coordinator;
    coordinator.setUngatedAttempts(0);
    QObject parked, s[4];
    coordinator.setParticipantName(&parked, u"backtest_p"_s, u"transactions"_s);
    // Entered streaming: 2 and 0 in the same millisecond (2 first), then 3
    // and 1, 10 ms apart.
    for (int i : {2, 0, 3, 1}) {
        coordinator.setParticipantName(&s[i], u"backtest_%1"_s.arg(i), u"transactions"_s);
        coordinator.enterStreaming(&s[i]);
        if (i != 2)
            clocked.now += 10;
    }
    coordinator.enterStreaming(&parked);
    coordinator.leaveStreaming(&parked);
    coordinator.requestSlot(&parked, [] {}, 1);
    QTest::qWait(20);
    const auto names = [&] {
        QStringList list;
        for (const auto &socket : coordinator.snapshot().waitedFor)
            list << u"%1@%2"_s.arg(socket.sessionId).arg(socket.sinceMs);
        return list.join(u' ');
    };
    // Four streaming: more than the snapshot names, only counted.
    QCOMPARE(coordinator.snapshot().streaming, 4);
    QCOMPARE(names(), QString());
    // Three: named, longest streaming first, a tie by name.
    coordinator.leaveStreaming(&s[1]);
    QCOMPARE(names(), u"backtest_0@1000000 backtest_2@1000000 backtest_3@1000010"_s);
    // Nothing parked: nobody is waited for.
    coordinator.cancel(&parked);
    QCOMPARE(names(), QString());
}

void tst_ReconnectCoordinator::expeditedGoesFirstAndSkipsTheQuietLink()
{
    ReconnectCoordinator coordinator;
    QObject sibling, a, b, c;
    QStringList grants;
    coordinator.enterStreaming(&sibling);
    coordinator.requestSlot(&a, [&] { grants.append(u"a"_s); });
    coordinator.requestSlot(&b, [&] { grants.append(u"b"_s); });
    coordinator.requestSlot(&c, [&] { grants.append(u"c"_s); });
    QVERIFY(!coordinator.expedite(&sibling)); // not parked
    QVERIFY(coordinator.expedite(&c));
    QVERIFY(coordinator.isParked(&c));
    // Granted although the sibling streams: it only needs the free slot.
    QTRY_COMPARE_WITH_TIMEOUT(grants, QStringList{u"c"_s}, 1000);
    QCOMPARE(coordinator.permitHolder(), &c);
    QCOMPARE(coordinator.snapshot().parked.size(), 2);
    // Expedited while the slot is held: next once it is free, before a.
    QVERIFY(coordinator.expedite(&b));
    QCOMPARE(coordinator.snapshot().parked.first().expedited, true);
    QTest::qWait(30);
    QCOMPARE(grants, QStringList{u"c"_s}); // the slot is still held
    coordinator.enterStreaming(&c);
    coordinator.releaseSlot(&c);
    QTRY_COMPARE_WITH_TIMEOUT(grants, (QStringList{u"c"_s, u"b"_s}), 1000);
    // a is not expedited: it waits for the quiet link as before.
    coordinator.enterStreaming(&b);
    coordinator.releaseSlot(&b);
    QTest::qWait(30);
    QCOMPARE(grants, (QStringList{u"c"_s, u"b"_s}));
    for (QObject *streaming : {&sibling, &b, &c})
        coordinator.leaveStreaming(streaming);
    QTRY_COMPARE_WITH_TIMEOUT(grants, (QStringList{u"c"_s, u"b"_s, u"a"_s}), 1000);
}

void tst_ReconnectCoordinator::stormFigures()
{
    ClockedCoordinator clocked;
    ReconnectCoordinator &coordinator = clocked.coordinator;
    QObject a, b, c;
    for (QObject *who : {&a, &b, &c})
        coordinator.enterStreaming(who);
    QCOMPARE(coordinator.snapshot().reconnects, 0u);
    QVERIFY(!coordinator.snapshot().inStorm());

    // First drop at +0; b drops at +10; a comes back ungated at +50; b parks,
    // is granted at +300 (once c stopped), and streams again at +320; c is
    // back at +400: the storm lasted 400 ms.
    coordinator.leaveStreaming(&a);
    clocked.now += 10;
    coordinator.leaveStreaming(&b);
    clocked.now += 40;
    coordinator.enterStreaming(&a);
    coordinator.requestSlot(&b, [] {}, 6);
    QCOMPARE(coordinator.snapshot().stormSinceMs, std::optional<qint64>(1'000'000));
    clocked.now += 250;
    coordinator.leaveStreaming(&c);
    coordinator.leaveStreaming(&a);
    QTRY_VERIFY_WITH_TIMEOUT(coordinator.permitHolder() == &b, 1000);
    clocked.now += 20;
    coordinator.enterStreaming(&b);
    coordinator.releaseSlot(&b);
    coordinator.enterStreaming(&a);
    clocked.now += 80;
    coordinator.enterStreaming(&c);
    CoordinatorSnapshot snapshot = coordinator.snapshot();
    QVERIFY(!snapshot.inStorm());
    QCOMPARE(snapshot.storms, 1);
    QCOMPARE(snapshot.lastStormMs, 400);
    QCOMPARE(snapshot.longestStormMs, 400);
    QCOMPARE(snapshot.reconnects, 4u); // a twice, b, c
    QCOMPARE(snapshot.parks, 1u);
    QCOMPARE(snapshot.longestParkMs, 250);
    QCOMPARE(snapshot.totalParkedMs, 250);

    // A second, shorter storm keeps the longest.
    clocked.now += 1000;
    coordinator.leaveStreaming(&c);
    clocked.now += 30;
    coordinator.enterStreaming(&c);
    snapshot = coordinator.snapshot();
    QCOMPARE(snapshot.storms, 2);
    QCOMPARE(snapshot.lastStormMs, 30);
    QCOMPARE(snapshot.longestStormMs, 400);
}

void tst_ReconnectCoordinator::finishedSocketsAreNoStorm()
{
    ClockedCoordinator clocked;
    ReconnectCoordinator &coordinator = clocked.coordinator;
    QObject a, b;
    coordinator.enterStreaming(&a);
    coordinator.enterStreaming(&b);
    // a's session completed: its stream ends, it leaves for good.
    coordinator.leaveStreaming(&a);
    clocked.now += 100;
    coordinator.cancel(&a);
    CoordinatorSnapshot snapshot = coordinator.snapshot();
    QVERIFY(!snapshot.inStorm());
    QCOMPARE(snapshot.storms, 0);
    QCOMPARE(snapshot.participants, 1);
    // A drop of b that ends in a reconnect is one.
    coordinator.leaveStreaming(&b);
    clocked.now += 70;
    coordinator.enterStreaming(&b);
    QCOMPARE(coordinator.snapshot().storms, 1);
    QCOMPARE(coordinator.snapshot().lastStormMs, 70);
}

void tst_ReconnectCoordinator::stormEndedByAFailureIsNotRecovered()
{
    ClockedCoordinator clocked;
    ReconnectCoordinator &coordinator = clocked.coordinator;
    QObject a, b;
    coordinator.enterStreaming(&a);
    coordinator.enterStreaming(&b);
    // a drops and parks (a real storm), then gives up: its budget ran out.
    coordinator.leaveStreaming(&a);
    coordinator.requestSlot(&a, [] {}, 6);
    clocked.now += 500;
    coordinator.cancel(&a);
    CoordinatorSnapshot snapshot = coordinator.snapshot();
    QVERIFY(!snapshot.inStorm()); // every socket left streams
    QCOMPARE(snapshot.storms, 0); // but a never came back Up
    QCOMPARE(snapshot.lastStormMs, 0);
    QCOMPARE(snapshot.parks, 1u);
    QCOMPARE(snapshot.totalParkedMs, 500);
    // A socket that leaves while streaming does not spoil a storm b recovers from.
    QObject c;
    coordinator.enterStreaming(&c);
    coordinator.leaveStreaming(&b);
    coordinator.requestSlot(&b, [] {}, 6);
    clocked.now += 40;
    coordinator.cancel(&c);
    QVERIFY(coordinator.snapshot().inStorm());
    QTRY_VERIFY_WITH_TIMEOUT(coordinator.permitHolder() == &b, 1000);
    clocked.now += 60;
    coordinator.enterStreaming(&b);
    snapshot = coordinator.snapshot();
    QCOMPARE(snapshot.storms, 1);
    QCOMPARE(snapshot.lastStormMs, 100);
}

void tst_ReconnectCoordinator::aRunEndedMidStormLeavesNobodyParked()
{
    // Stop mid-storm: every socket goes with the run. The last snapshot
    // (the panel's and the events file's) has no queue, no holder, no storm
    // under way, and the cut-off storm is not counted as recovered from;
    // the parks so far are counted to the end.
    ClockedCoordinator clocked;
    ReconnectCoordinator &coordinator = clocked.coordinator;
    QObject streaming, a, b;
    coordinator.enterStreaming(&streaming);
    coordinator.enterStreaming(&a);
    coordinator.enterStreaming(&b);
    coordinator.leaveStreaming(&a);
    coordinator.leaveStreaming(&b);
    coordinator.requestSlot(&a, [] {}, 6);
    coordinator.requestSlot(&b, [] {}, 6);
    clocked.now += 300;
    QVERIFY(coordinator.snapshot().inStorm());
    QSignalSpy changed(&coordinator, &ReconnectCoordinator::changed);
    coordinator.cancelAll();
    QCOMPARE(changed.size(), 1);
    const CoordinatorSnapshot snapshot = coordinator.snapshot();
    QVERIFY(!snapshot.inStorm());
    QVERIFY(snapshot.parked.isEmpty());
    QVERIFY(!snapshot.holder);
    QCOMPARE(snapshot.streaming, 0);
    QCOMPARE(snapshot.storms, 0);
    QCOMPARE(snapshot.unrecoveredStormMs, 300); // but not lost: how long it had lasted
    QCOMPARE(snapshot.parks, 2u);
    QCOMPARE(snapshot.totalParkedMs, 600);
    coordinator.cancel(&a); // the sockets' own teardown afterwards changes nothing
    QCOMPARE(changed.size(), 1);
}

void tst_ReconnectCoordinator::reconnectNowSkipsTheBackoff()
{
    Server server;
    QVERIFY(server.listen());
    ConnectionPolicy policy;
    policy.connectTimeout = milliseconds{2000};
    policy.handshakeResponseTimeout = milliseconds{1000};
    policy.keepaliveInterval = milliseconds{100};
    policy.keepaliveMissDeadline = milliseconds{2000};
    policy.initialBackoff = milliseconds{60'000}; // a wait nobody sits out in a test
    policy.maxBackoff = milliseconds{60'000};
    policy.jitter = 0.0;
    policy.maxTotal = milliseconds{600'000};
    TestConnection connection(policy);
    connect(&connection, &WebSocketConnection::statusChanged, this,
            [&connection](S status) { connection.statuses.append(status); });
    QVERIFY(!connection.reconnectNow()); // idle
    connection.start(server.url());
    QTRY_COMPARE_WITH_TIMEOUT(connection.status(), S::Up, 2000);
    QVERIFY(!connection.reconnectNow()); // Up: nothing to skip

    server.sockets().constLast()->close(QWebSocketProtocol::CloseCodeGoingAway, u"drop"_s);
    QTRY_COMPARE_WITH_TIMEOUT(connection.phase(), WebSocketConnection::Phase::Backoff, 2000);
    QCOMPARE(connection.attempt(), 1);
    QVERIFY(connection.reconnectNow());
    QTRY_COMPARE_WITH_TIMEOUT(connection.status(), S::Up, 2000);
    QCOMPARE(connection.statuses, (QList<S>{S::Down, S::Up, S::Down, S::Up}));
    connection.stop();
}

void tst_ReconnectCoordinator::reconnectNowOfAParkedSocketStillWaitsForTheSlot()
{
    Server server;
    QVERIFY(server.listen());
    ConnectionPolicy policy = fastPolicy();
    policy.handshakeResponseTimeout = milliseconds{1000};
    policy.keepaliveMissDeadline = milliseconds{2000};
    policy.initialBackoff = milliseconds{5};
    policy.maxBackoff = milliseconds{10};
    policy.maxAttempts = ConnectionPolicy{}.maxAttempts; // retries never run out here
    policy.maxTotal = milliseconds{600'000};
    policy.ungatedAttempts = 0; // every reconnect goes through the gate
    ReconnectCoordinator coordinator;
    TestConnection a(policy), b(policy);
    QObject holder; // holds the slot until the test lets go
    for (TestConnection *connection : {&a, &b})
        connection->setReconnectCoordinator(&coordinator);
    a.start(server.url());
    QTRY_COMPARE_WITH_TIMEOUT(a.status(), S::Up, 2000);
    b.start(server.url()); // the server's second client
    QTRY_COMPARE_WITH_TIMEOUT(b.status(), S::Up, 2000);
    bool holderGranted = false;
    coordinator.requestSlot(&holder, [&] { holderGranted = true; });
    QTRY_VERIFY_WITH_TIMEOUT(coordinator.isParked(&holder), 1000);
    QVERIFY(coordinator.expedite(&holder));
    QTRY_VERIFY_WITH_TIMEOUT(holderGranted, 1000);

    // b drops and parks behind a streaming sibling; Reconnect now expedites
    // it, but the slot is taken: it stays parked, first in line.
    server.sockets().at(1)->close(QWebSocketProtocol::CloseCodeGoingAway, u"drop"_s);
    QTRY_COMPARE_WITH_TIMEOUT(b.status(), S::Parked, 2000);
    QVERIFY(b.reconnectNow());
    QTest::qWait(50);
    QCOMPARE(b.status(), S::Parked);
    QCOMPARE(coordinator.snapshot().parked.size(), 1);
    QVERIFY(coordinator.snapshot().parked.first().expedited);
    // The slot frees: b goes, although a still streams.
    coordinator.releaseSlot(&holder);
    QTRY_COMPARE_WITH_TIMEOUT(b.status(), S::Up, 2000);
    QCOMPARE(a.status(), S::Up);
    QCOMPARE(coordinator.snapshot().reconnects, 1u);
    a.stop();
    b.stop();
}

void tst_ReconnectCoordinator::theRunClockIsTheWallClockThatNeverSteps()
{
    // The coordinator's default clock (and every run timestamp): the wall
    // clock's time at the run's start, then advancing with a clock NTP does
    // not step.
    restartRunClock();
    const qint64 wall = QDateTime::currentMSecsSinceEpoch();
    QElapsedTimer sinceBefore; // started before `first` is read …
    sinceBefore.start();
    const qint64 first = runClockMs();
    QElapsedTimer sinceAfter; // … and after
    sinceAfter.start();
    QVERIFY2(qAbs(first - wall) < 1000, qPrintable(u"%1 vs %2"_s.arg(first).arg(wall)));
    qint64 last = first;
    while (sinceAfter.elapsed() < 60) {
        const qint64 now = runClockMs();
        QVERIFY2(now >= last, "went back");
        // Never ahead of a wall clock read after it (an event stamped by it
        // is no later than the wall clock's "now"; its anchor in whole
        // milliseconds once ran a millisecond ahead).
        const qint64 wallAfter = QDateTime::currentMSecsSinceEpoch();
        QVERIFY2(now <= wallAfter, qPrintable(u"%1 > %2"_s.arg(now).arg(wallAfter)));
        last = now;
    }
    const qint64 lower = sinceAfter.elapsed();
    last = runClockMs();
    const qint64 upper = sinceBefore.elapsed();
    // It moved as far as the steady clock did, whatever preempted the reads
    // (a millisecond of rounding either way).
    QVERIFY2(last - first >= lower - 1 && last - first <= upper + 1,
             qPrintable(u"%1 ms run clock, steady %2..%3 ms"_s.arg(last - first).arg(lower).arg(upper)));
}

QTEST_GUILESS_MAIN(tst_ReconnectCoordinator)
#include "tst_reconnectcoordinator.moc"
