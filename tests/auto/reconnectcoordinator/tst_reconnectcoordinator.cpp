// ReconnectCoordinator (seed mod.rs tests: the streaming count balances, a slot
// is free on a quiet link, a parked request waits for the last sibling, cancel
// while parked) plus one permit at a time, and the gate driving two real
// connections: a subscription past its ungated attempts parks (status Parked)
// while a sibling streams, its parked time is not charged to the budget, and
// it reconnects once the sibling stops (PROTOCOL.md §6.6).

#include "net/reconnectcoordinator.h"
#include "net/websocketconnection.h"
#include "support/peerserver.h"
#include "support/policies.h"
#include "support/waiting.h"

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
    void onePermitAtATimeInArrivalOrder();
    void cancelWhileParked();
    void failedAttemptReleasesThePermit();
    void gatesRealReconnects();
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

QTEST_GUILESS_MAIN(tst_ReconnectCoordinator)
#include "tst_reconnectcoordinator.moc"
