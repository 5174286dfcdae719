// SubscriptionManager against a scripted data-plane server (127.0.0.1, port 0)
// streaming the real mainnet transactions of SLOTSCOPE_FIXTURES_DIR:
// subscribe + ack, resubscribe with replayFromSlot and boundary dedup
// (PROTOCOL.md §5.5, §5.8, §6.6), end of stream, rejected subscribes,
// account diffs (§5.6) and zstd-compressed streams (§5.4).

#include "net/reconnectcoordinator.h"
#include "net/subscriptionmanager.h"
#include "protocol/transactionfiles.h"
#include "support/fixtures.h"
#include "support/policies.h"
#include "support/scriptedserver.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTcpSocket>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>

using namespace SlotScope;
using namespace SlotScope::Testing;
using namespace Qt::StringLiterals;
using std::chrono::milliseconds;
using S = ConnectionStatus;

namespace {

ConnectionPolicy dataPolicy()
{
    ConnectionPolicy policy = fastPolicy();
    policy.handshakeResponseTimeout = milliseconds{300};
    return policy;
}

const QString kJupiter = u"JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4"_s;

struct Received
{
    QStringList signatures;
    QList<QByteArray> raw;
    QStringList duplicates;
    QList<S> statuses;
    QStringList diffs;        // "<slot> <signature> <account>"
    QList<QByteArray> rawDiffs;
    int endOfStream = 0;
    int finished = 0;

    explicit Received(SubscriptionManager &manager)
    {
        statuses.append(manager.status());
        QObject::connect(&manager, &SubscriptionManager::transactionReceived, &manager,
                         [this](const TransactionSummary &summary, QByteArrayView rawResult) {
                             signatures.append(summary.signature);
                             raw.append(rawResult.toByteArray());
                         });
        QObject::connect(&manager, &SubscriptionManager::accountDiffReceived, &manager,
                         [this](quint64 slot, const QString &signature, const QString &account,
                                QByteArrayView rawResult) {
                             diffs.append(u"%1 %2 %3"_s.arg(slot).arg(signature, account));
                             rawDiffs.append(rawResult.toByteArray());
                         });
        QObject::connect(&manager, &SubscriptionManager::duplicateDropped, &manager,
                         [this](const QString &signature, const QString &account) {
                             duplicates.append(account.isEmpty() ? signature : signature + u" "_s + account);
                         });
        QObject::connect(&manager, &SubscriptionManager::endOfStream, &manager, [this] { ++endOfStream; });
        QObject::connect(&manager, &WebSocketConnection::finished, &manager, [this] { ++finished; });
        QObject::connect(&manager, &WebSocketConnection::statusChanged, &manager,
                         [this](S status) { statuses.append(status); });
    }
};

// One account diff per writable account of each transaction (what the
// reference server derives from pre/post balances), in stream order.
struct Diff
{
    quint64 slot = 0;
    QString signature;
    QString account;
    QByteArray json;
    QString line() const { return u"%1 %2 %3"_s.arg(slot).arg(signature, account); }
};

QList<Diff> diffsOf(const QList<LoadedTransaction> &transactions)
{
    TransactionSummarizer summarizer;
    QList<Diff> diffs;
    for (const LoadedTransaction &transaction : transactions) {
        Result<TransactionSummary> summary = summarizer.summarize(transaction.json);
        Q_ASSERT(summary.ok());
        for (const QString &account : std::as_const(summary->writableAccounts)) {
            Diff diff{summary->slot, summary->signature, account, {}};
            const QJsonObject object{{u"context"_s, QJsonObject{{u"slot"_s, qint64(diff.slot)}}},
                                     {u"account"_s, account},
                                     {u"signature"_s, diff.signature},
                                     {u"pre"_s, QJsonObject{{u"lamports"_s, 1}}},
                                     {u"post"_s, QJsonObject{{u"lamports"_s, 2}}}};
            diff.json = QJsonDocument(object).toJson(QJsonDocument::Compact);
            diffs.append(diff);
        }
    }
    return diffs;
}

QStringList linesOf(const QList<Diff> &diffs)
{
    QStringList lines;
    for (const Diff &diff : diffs)
        lines.append(diff.line());
    return lines;
}

/// In front of a data-plane server: the first `passThrough` connections are
/// piped to it byte for byte, every later one is answered with an HTTP status
/// instead of the upgrade (a session endpoint that serves nothing any more,
/// PROTOCOL-0.31.md §1 item 13).
class RefusingFront : public QObject
{
public:
    RefusingFront(quint16 upstreamPort, int passThrough, int status)
        : m_upstreamPort(upstreamPort)
        , m_passThrough(passThrough)
        , m_status(status)
    {
        connect(&m_server, &QTcpServer::newConnection, this, &RefusingFront::onNewConnection);
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QUrl url() const { return QUrl(u"ws://127.0.0.1:%1/backtest/backtest_1"_s.arg(m_server.serverPort())); }
    int refused = 0;

private:
    void onNewConnection()
    {
        while (QTcpSocket *client = m_server.nextPendingConnection()) {
            client->setParent(this);
            if (m_passThrough-- > 0) {
                auto *upstream = new QTcpSocket(this);
                connect(client, &QTcpSocket::readyRead, upstream, [client, upstream] { upstream->write(client->readAll()); });
                connect(upstream, &QTcpSocket::readyRead, client, [client, upstream] { client->write(upstream->readAll()); });
                connect(client, &QTcpSocket::disconnected, upstream, &QTcpSocket::disconnectFromHost);
                connect(upstream, &QTcpSocket::disconnected, client, &QTcpSocket::disconnectFromHost);
                upstream->connectToHost(QHostAddress::LocalHost, m_upstreamPort);
                continue;
            }
            ++refused;
            auto request = std::make_shared<QByteArray>();
            connect(client, &QTcpSocket::readyRead, client, [this, client, request] {
                *request += client->readAll();
                if (!request->contains("\r\n\r\n"))
                    return; // the rest of the upgrade request is still coming
                client->write("HTTP/1.1 " + QByteArray::number(m_status) + " Bad Gateway\r\nContent-Length: 0\r\n"
                              "Connection: close\r\n\r\n");
                client->disconnectFromHost();
            });
        }
    }

    QTcpServer m_server;
    quint16 m_upstreamPort;
    int m_passThrough;
    int m_status;
};

} // namespace

class tst_SubscriptionManager : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void subscribesAndDelivers();
    void resubscribesFromLastSlotWithoutDuplicates();
    void keepalivesMarkWhatAQuietSocketReceived();
    void normalCloseAfterCompletedIsEndOfStream();
    void normalCloseBeforeCompletedBecomesEndOfStream();
    void abnormalCloseAfterCompletedReconnects();
    void endpointGoneAfterCompletedFailsAtOnce_data();
    void endpointGoneAfterCompletedFailsAtOnce();
    void rejectedSubscribeIsFatal();
    void malformedNotificationsAreSkipped();
    void notificationsItCannotFileAreCounted();
    void accountDiffsResubscribeWithoutDuplicates();
    void zstdStreamsDecode_data();
    void zstdStreamsDecode();
    void corruptCompressedFrameReconnectsWithReplay();

private:
    QList<LoadedTransaction> m_transactions;
};

void tst_SubscriptionManager::initTestCase()
{
    Result<QList<LoadedTransaction>> loaded = loadFixtureTransactions();
    QVERIFY2(loaded.ok(), loaded.ok() ? "" : qPrintable(loaded.error().message));
    m_transactions = *loaded;
    QCOMPARE(m_transactions.size(), 31);
    // The first ten share slot 100,000,000 (one trimmed block): a replay boundary.
    QCOMPARE(m_transactions.at(0).slot, quint64(100'000'000));
    QCOMPARE(m_transactions.at(9).slot, quint64(100'000'000));
    QVERIFY(m_transactions.at(10).slot > quint64(100'000'000));
}

void tst_SubscriptionManager::subscribesAndDelivers()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    const QList<LoadedTransaction> batch = m_transactions.mid(10, 5);
    server.afterAck = [&](const SubscribeRequest &) {
        for (const LoadedTransaction &transaction : batch)
            server.notify(transaction);
    };
    SubscriptionManager manager(SubscriptionSpec::transactions({kJupiter}), dataPolicy());
    Received received(manager);
    manager.start(server.dataUrl());

    QTRY_COMPARE_WITH_TIMEOUT(received.signatures.size(), 5, 2000);
    QCOMPARE(received.signatures, signaturesOf(batch));
    for (int i = 0; i < batch.size(); ++i)
        QCOMPARE(received.raw.at(i), batch.at(i).json); // raw bytes verbatim
    QCOMPARE(received.statuses, (QList<S>{S::Down, S::Up}));
    QCOMPARE(server.subscribes.size(), 1);
    QCOMPARE(server.subscribes.first().method, u"transactionSubscribe"_s);
    QCOMPARE(server.subscribes.first().accounts, QStringList{kJupiter});
    QVERIFY(!server.subscribes.first().replayFromSlot);
    QCOMPARE(manager.lastSlot(), std::optional(batch.last().slot));
    QCOMPARE(manager.transactionsReceived(), qint64(5));
}

void tst_SubscriptionManager::resubscribesFromLastSlotWithoutDuplicates()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    server.afterAck = [&](const SubscribeRequest &request) {
        if (!request.replayFromSlot) {
            // Half of slot 100,000,000, then the link drops.
            for (int i = 0; i < 5; ++i)
                server.notify(m_transactions.at(i));
            server.current->close(QWebSocketProtocol::CloseCodeGoingAway, u"restart"_s);
            return;
        }
        // Replay from the requested slot, inclusive, then carry on.
        for (const LoadedTransaction &transaction : std::as_const(m_transactions).mid(0, 13)) {
            if (transaction.slot >= *request.replayFromSlot)
                server.notify(transaction);
        }
    };
    SubscriptionManager manager({}, dataPolicy());
    Received received(manager);
    manager.start(server.dataUrl());

    QTRY_COMPARE_WITH_TIMEOUT(received.signatures.size(), 13, 3000);
    QCOMPARE(received.signatures, signaturesOf(m_transactions.mid(0, 13))); // each once, in order
    QCOMPARE(received.duplicates, signaturesOf(m_transactions.mid(0, 5)));
    QCOMPARE(manager.duplicatesDropped(), qint64(5));
    QCOMPARE(server.subscribes.size(), 2);
    QCOMPARE(server.subscribes.at(1).replayFromSlot, std::optional<quint64>(100'000'000));
    QVERIFY(server.subscribes.at(1).accounts.isEmpty()); // every transaction
    QCOMPARE(received.statuses, (QList<S>{S::Down, S::Up, S::Down, S::Up}));
}

void tst_SubscriptionManager::keepalivesMarkWhatAQuietSocketReceived()
{
    // A socket that carries nothing: its answered pings (fastPolicy: every
    // 100 ms) mark the session's slot of the ping one interval before the
    // answered one. After a resubscribe they mark nothing until the replay
    // is settled (settleReplay(), or a first notification).
    ScriptedServer server;
    QVERIFY(server.listen());
    int subscribes = 0;
    server.afterAck = [&](const SubscribeRequest &) {
        if (++subscribes == 1)
            server.notify(m_transactions.at(10)); // one, so that the resubscribe carries replayFromSlot
    };
    SubscriptionManager manager({}, dataPolicy());
    Received received(manager);
    QCOMPARE(manager.deliveredThrough(), std::nullopt);
    manager.noteSessionSlot(100);
    manager.start(server.dataUrl());
    QTRY_COMPARE_WITH_TIMEOUT(manager.deliveredThrough(), std::optional<quint64>(100), 2000);
    manager.noteSessionSlot(90); // older: ignored
    manager.noteSessionSlot(200);
    QTRY_COMPARE_WITH_TIMEOUT(manager.deliveredThrough(), std::optional<quint64>(200), 2000);

    server.current->close(QWebSocketProtocol::CloseCodeGoingAway, u"restart"_s);
    QTRY_COMPARE_WITH_TIMEOUT(subscribes, 2, 3000);
    manager.noteSessionSlot(300);
    QTest::qWait(int(5 * dataPolicy().keepaliveInterval.count())); // several answered pings
    QCOMPARE(manager.deliveredThrough(), std::optional<quint64>(200));
    manager.settleReplay();
    QTRY_COMPARE_WITH_TIMEOUT(manager.deliveredThrough(), std::optional<quint64>(300), 2000);
}

void tst_SubscriptionManager::normalCloseAfterCompletedIsEndOfStream()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    server.afterAck = [&](const SubscribeRequest &) { server.notify(m_transactions.at(20)); };
    SubscriptionManager manager({}, dataPolicy());
    ReconnectCoordinator coordinator;
    manager.setReconnectCoordinator(&coordinator);
    // Whoever hears of the end (the engine taking a completed batch's last
    // state) sees the coordinator without this socket, and no storm.
    std::optional<CoordinatorSnapshot> atEnd;
    connect(&manager, &SubscriptionManager::endOfStream, this, [&] { atEnd = coordinator.snapshot(); });
    Received received(manager);
    manager.start(server.dataUrl());
    QTRY_COMPARE_WITH_TIMEOUT(received.signatures.size(), 1, 2000);
    QCOMPARE(coordinator.snapshot().participants, 1);

    manager.markSessionCompleted();
    server.notify(m_transactions.at(21)); // trailing notifications still arrive
    server.current->close(QWebSocketProtocol::CloseCodeNormal, u"session completed"_s);
    QTRY_COMPARE_WITH_TIMEOUT(received.finished, 1, 2000);
    QCOMPARE(received.endOfStream, 1);
    QVERIFY(manager.hasStreamEnded());
    QCOMPARE(received.signatures.size(), 2);
    QCOMPARE(received.statuses, (QList<S>{S::Down, S::Up, S::Down}));
    QVERIFY(!manager.isRunning()); // the loop has ended: nothing will connect again
    QCOMPARE(server.connections(), 1);
    QVERIFY(atEnd);
    QCOMPARE(atEnd->participants, 0);
    QCOMPARE(atEnd->streaming, 0);
    QVERIFY(!atEnd->stormSinceMs); // an ended stream is no drop
    QCOMPARE(coordinator.snapshot().storms, 0);
}

void tst_SubscriptionManager::normalCloseBeforeCompletedBecomesEndOfStream()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    server.afterAck = [&](const SubscribeRequest &) {
        server.notify(m_transactions.at(20));
        server.current->close(QWebSocketProtocol::CloseCodeNormal, u"session completed"_s);
    };
    ConnectionPolicy policy = dataPolicy();
    policy.initialBackoff = milliseconds{5000}; // stay in backoff while the control plane catches up
    SubscriptionManager manager({}, policy);
    ReconnectCoordinator coordinator;
    manager.setReconnectCoordinator(&coordinator);
    std::optional<CoordinatorSnapshot> atEnd;
    connect(&manager, &SubscriptionManager::endOfStream, this, [&] { atEnd = coordinator.snapshot(); });
    Received received(manager);
    manager.start(server.dataUrl());
    QTRY_COMPARE_WITH_TIMEOUT(manager.phase(), WebSocketConnection::Phase::Backoff, 2000);
    QCOMPARE(received.endOfStream, 0);
    // Down and waiting to reconnect: a drop, as far as anyone knows yet.
    QVERIFY(coordinator.snapshot().stormSinceMs);
    QCOMPARE(coordinator.snapshot().participants, 1);

    // The control plane's `completed` arrives after the data-plane close.
    manager.markSessionCompleted();
    QCOMPARE(received.endOfStream, 1);
    QCOMPARE(received.finished, 1);
    QCOMPARE(received.signatures.size(), 1);
    QCOMPARE(server.connections(), 1);
    // It was the end after all: gone from the coordinator before the end is
    // announced, and its storm is not counted as one recovered from.
    QVERIFY(atEnd);
    QCOMPARE(atEnd->participants, 0);
    QVERIFY(!atEnd->stormSinceMs);
    QCOMPARE(atEnd->storms, 0);
}

void tst_SubscriptionManager::abnormalCloseAfterCompletedReconnects()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    server.afterAck = [&](const SubscribeRequest &request) {
        if (!request.replayFromSlot) {
            server.notify(m_transactions.at(20));
            return;
        }
        server.notify(m_transactions.at(20)); // the inclusive replay
        server.notify(m_transactions.at(21));
        server.current->close(QWebSocketProtocol::CloseCodeNormal, u"session completed"_s);
    };
    SubscriptionManager manager({}, dataPolicy());
    Received received(manager);
    manager.start(server.dataUrl());
    QTRY_COMPARE_WITH_TIMEOUT(received.signatures.size(), 1, 2000);
    manager.markSessionCompleted();
    server.current->close(QWebSocketProtocol::CloseCodeGoingAway, u"node restart"_s);

    QTRY_COMPARE_WITH_TIMEOUT(received.finished, 1, 3000);
    QCOMPARE(server.connections(), 2);
    QCOMPARE(received.endOfStream, 1);
    QCOMPARE(received.signatures, signaturesOf(m_transactions.mid(20, 2)));
    QCOMPARE(received.duplicates, QStringList{m_transactions.at(20).signature});
}

void tst_SubscriptionManager::endpointGoneAfterCompletedFailsAtOnce_data()
{
    QTest::addColumn<bool>("completed");
    QTest::addRow("after completed") << true;
    QTest::addRow("before completed") << false;
}

void tst_SubscriptionManager::endpointGoneAfterCompletedFailsAtOnce()
{
    // The stream drops abnormally; the endpoint answers the reconnect with
    // HTTP 502. After `completed` that is the end (PROTOCOL-0.31.md §1 item
    // 13: nothing is served after it): failed at once, what the stream
    // carried after its drop reported lost, instead of five minutes of
    // backoff in a completion drain. Before `completed` a 502 is a transient
    // gateway error like any other, retried.
    QFETCH(bool, completed);
    ScriptedServer server;
    QVERIFY(server.listen());
    server.afterAck = [&](const SubscribeRequest &) { server.notify(m_transactions.at(20)); };
    RefusingFront front(server.port(), 1, 502);
    QVERIFY(front.listen());
    ConnectionPolicy policy = dataPolicy();
    policy.initialBackoff = milliseconds{50};
    policy.maxBackoff = milliseconds{50};
    policy.maxAttempts = 100;
    policy.maxTotal = milliseconds{60'000};
    SubscriptionManager manager({}, policy);
    Received received(manager);
    manager.start(front.url());
    QTRY_COMPARE_WITH_TIMEOUT(received.signatures.size(), 1, 2000);
    if (completed)
        manager.markSessionCompleted();
    server.current->abort(); // no close frame: the end of the stream is unknown

    if (!completed) {
        QTRY_VERIFY_WITH_TIMEOUT(front.refused >= 3, 3000); // retried, again and again
        QVERIFY(manager.status() != S::Failed);
        manager.stop();
        return;
    }
    QTRY_COMPARE_WITH_TIMEOUT(manager.status(), S::Failed, 2000);
    QCOMPARE(front.refused, 1);
    QCOMPARE(manager.failureKind(), FailureKind::Terminal);
    QVERIFY2(manager.statusReason().contains(u"HTTP 502 at the WebSocket upgrade: the session has completed"_s),
             qPrintable(manager.statusReason()));
    QCOMPARE(received.endOfStream, 0); // not a complete stream
    QVERIFY(!manager.hasStreamEnded());
}

void tst_SubscriptionManager::rejectedSubscribeIsFatal()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    server.onSubscribeInstead = [](QWebSocket *socket, const SubscribeRequest &) {
        socket->sendTextMessage(QString::fromUtf8(encodeRpcError(1, -32602, u"invalid filter"_s)));
    };
    SubscriptionManager manager(SubscriptionSpec::transactions({u"not-a-pubkey"_s}), dataPolicy());
    Received received(manager);
    manager.start(server.dataUrl());
    QTRY_COMPARE_WITH_TIMEOUT(manager.status(), S::Failed, 2000);
    QCOMPARE(manager.statusReason(), u"subscribe rejected: invalid filter (code -32602)"_s);
    QCOMPARE(manager.failureKind(), FailureKind::HandshakeRejected);
    QCOMPARE(server.connections(), 1);
}

void tst_SubscriptionManager::malformedNotificationsAreSkipped()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    const QByteArray documented = R"({"jsonrpc":"2.0","method":"transactionNotification","params":{"subscription":7,"result":)";
    const QByteArray result = m_transactions.at(26).json;
    server.afterAck = [&](const SubscribeRequest &) {
        server.current->sendTextMessage(u"{not json"_s);
        server.current->sendTextMessage(QString::fromUtf8(
            encodeTransactionNotification(7, R"({"slot":5,"transaction":{},"meta":null})")));
        // Cut inside the result, but ending in "}}}" as the documented layout
        // does: the end taken from the tail does not parse, nor does the frame.
        server.current->sendTextMessage(QString::fromUtf8(documented + result.first(result.size() / 2) + "}}}"));
        server.notify(m_transactions.at(25));
        // Valid, but an object follows the result: the end taken from the
        // tail is wrong, and the frame decodes again by the result's brackets.
        server.current->sendTextMessage(QString::fromUtf8(documented + result + R"(,"context":{"slot":1}}})"));
    };
    SubscriptionManager manager({}, dataPolicy());
    Received received(manager);
    manager.start(server.dataUrl());
    QTRY_COMPARE_WITH_TIMEOUT(received.signatures.size(), 2, 2000);
    QCOMPARE(received.signatures.first(), m_transactions.at(25).signature);
    QCOMPARE(received.signatures.last(), m_transactions.at(26).signature);
    QCOMPARE(received.raw.last(), result);
    QCOMPARE(manager.malformedNotifications(), qint64(3));
    QCOMPARE(manager.status(), S::Up);
}

void tst_SubscriptionManager::notificationsItCannotFileAreCounted()
{
    // Lenient in what it accepts, silent about nothing: the Agave member
    // order is read; a notification the socket cannot file (a method the
    // spec only proposes, under another name; another kind) may be this
    // stream's data, so it is counted and shown as a dropped frame; an
    // unknown method that carries no subscription's result is ignored.
    ScriptedServer server;
    QVERIFY(server.listen());
    const QByteArray result = m_transactions.at(26).json;
    server.afterAck = [&](const SubscribeRequest &) {
        // `subscription` and an object after `result`: the tail rule would
        // swallow both with the context.
        server.current->sendTextMessage(QString::fromUtf8(
            R"({"jsonrpc":"2.0","method":"transactionNotification","params":{"result":)" + result
            + R"(,"subscription":7,"context":{"slot":1}}})"));
        server.current->sendTextMessage(QString::fromUtf8(
            R"({"jsonrpc":"2.0","method":"transactionsNotification","params":{"subscription":7,"result":)" + result
            + "}}"));
        server.current->sendTextMessage(QString::fromUtf8(
            encodeAccountDiffNotification(7, R"({"context":{"slot":5},"account":"A","signature":"s","pre":null,"post":null})")));
        server.current->sendTextMessage(uR"({"jsonrpc":"2.0","method":"heartbeat","params":{"at":1}})"_s);
        server.notify(m_transactions.at(25));
    };
    SubscriptionManager manager({}, dataPolicy());
    Received received(manager);
    QSignalSpy dropped(&manager, &WebSocketConnection::frameDropped);
    manager.start(server.dataUrl());
    QTRY_COMPARE_WITH_TIMEOUT(received.signatures.size(), 2, 2000);
    QCOMPARE(received.signatures.first(), m_transactions.at(26).signature);
    QCOMPARE(received.raw.first(), result);
    QCOMPARE(received.signatures.last(), m_transactions.at(25).signature);
    QCOMPARE(manager.malformedNotifications(), qint64(0));
    QCOMPARE(manager.unfiledNotifications(), qint64(2));
    QCOMPARE(manager.framesDropped(), qint64(2));
    QCOMPARE(dropped.size(), 2);
    QCOMPARE(dropped.at(0).at(0).toString(), u"an unknown notification method \"transactionsNotification\""_s);
    QCOMPARE(dropped.at(1).at(0).toString(), u"an accountDiffNotification on a transaction subscription"_s);
    QCOMPARE(manager.status(), S::Up);
}

void tst_SubscriptionManager::accountDiffsResubscribeWithoutDuplicates()
{
    const QList<Diff> diffs = diffsOf(m_transactions.mid(0, 12)); // slot 100,000,000, then two more
    QVERIFY(diffs.size() > 20);
    const quint64 boundarySlot = m_transactions.at(0).slot;
    // Drop halfway through the boundary slot's diffs.
    const qsizetype cut = diffs.size() / 4;
    QCOMPARE(diffs.at(cut).slot, boundarySlot);

    ScriptedServer server;
    QVERIFY(server.listen());
    server.afterAck = [&](const SubscribeRequest &request) {
        if (!request.replayFromSlot) {
            for (qsizetype i = 0; i < cut; ++i)
                server.notifyDiff(diffs.at(i).json);
            server.current->close(QWebSocketProtocol::CloseCodeGoingAway, u"restart"_s);
            return;
        }
        for (const Diff &diff : diffs) {
            if (diff.slot >= *request.replayFromSlot)
                server.notifyDiff(diff.json);
        }
    };
    const QString tokenProgram = u"TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"_s;
    SubscriptionManager manager(SubscriptionSpec::accountDiffs(tokenProgram, true), dataPolicy());
    QCOMPARE(manager.kind(), SubscriptionKind::AccountDiffs);
    Received received(manager);
    manager.start(server.dataUrl());

    QTRY_COMPARE_WITH_TIMEOUT(received.diffs.size(), diffs.size(), 3000);
    QCOMPARE(received.diffs, linesOf(diffs)); // each once, in order
    for (qsizetype i = 0; i < diffs.size(); ++i)
        QCOMPARE(received.rawDiffs.at(i), diffs.at(i).json); // raw result verbatim
    QStringList expectedDuplicates;
    for (qsizetype i = 0; i < cut; ++i)
        expectedDuplicates.append(diffs.at(i).signature + u" "_s + diffs.at(i).account); // told apart
    QCOMPARE(received.duplicates, expectedDuplicates);
    QCOMPARE(manager.duplicatesDropped(), qint64(cut));
    QVERIFY(received.signatures.isEmpty());

    QCOMPARE(server.subscribes.size(), 2);
    for (const SubscribeRequest &request : std::as_const(server.subscribes)) {
        QCOMPARE(request.method, u"accountDiffSubscribe"_s);
        QCOMPARE(request.accounts, QStringList{tokenProgram});
        QVERIFY(request.programOwner);
        QVERIFY(!request.zstd);
    }
    QVERIFY(!server.subscribes.at(0).replayFromSlot);
    QCOMPARE(server.subscribes.at(1).replayFromSlot, std::optional(boundarySlot));
    QCOMPARE(manager.lastSlot(), std::optional(diffs.last().slot));
}

void tst_SubscriptionManager::zstdStreamsDecode_data()
{
    QTest::addColumn<bool>("requestZstd");
    QTest::addColumn<bool>("serverHonours");
    QTest::addColumn<bool>("expectBinary");
    QTest::addRow("compressed") << true << true << true;
    QTest::addRow("server ignores the request") << true << false << false;
    QTest::addRow("not requested") << false << true << false;
}

void tst_SubscriptionManager::zstdStreamsDecode()
{
    QFETCH(bool, requestZstd);
    QFETCH(bool, serverHonours);
    QFETCH(bool, expectBinary);

    // Two connections: each a fresh compressed stream (a reconnect resets the
    // client's context, or the second stream would not decode).
    ScriptedServer server;
    server.honourZstd = serverHonours;
    QVERIFY(server.listen());
    server.afterAck = [&](const SubscribeRequest &request) {
        if (!request.replayFromSlot) {
            for (int i = 10; i < 16; ++i)
                server.notify(m_transactions.at(i));
            server.current->close(QWebSocketProtocol::CloseCodeGoingAway, u"restart"_s);
            return;
        }
        for (int i = 10; i < 22; ++i) {
            if (m_transactions.at(i).slot >= *request.replayFromSlot)
                server.notify(m_transactions.at(i));
        }
    };
    SubscriptionManager manager(SubscriptionSpec::transactions({}, requestZstd), dataPolicy());
    Received received(manager);
    manager.start(server.dataUrl());

    QTRY_COMPARE_WITH_TIMEOUT(received.signatures.size(), 12, 3000);
    QCOMPARE(received.signatures, signaturesOf(m_transactions.mid(10, 12)));
    for (int i = 0; i < 12; ++i)
        QCOMPARE(received.raw.at(i), m_transactions.at(10 + i).json);
    QCOMPARE(server.subscribes.size(), 2);
    QCOMPARE(server.subscribes.at(0).zstd, requestZstd);
    QCOMPARE(server.subscribes.at(1).zstd, requestZstd);
    QCOMPARE(server.subscribes.at(1).replayFromSlot, std::optional(m_transactions.at(15).slot));
    QCOMPARE(server.binaryFramesSent > 0, expectBinary);
    QCOMPARE(manager.compressedFrames(), qint64(server.binaryFramesSent));
    QCOMPARE(manager.corruptFrames(), qint64(0));
    QCOMPARE(manager.malformedNotifications(), qint64(0));
}

void tst_SubscriptionManager::corruptCompressedFrameReconnectsWithReplay()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    server.afterAck = [&](const SubscribeRequest &request) {
        if (!request.replayFromSlot) {
            for (int i = 20; i < 24; ++i)
                server.notify(m_transactions.at(i));
            // A damaged frame, then more the client must not trust.
            server.current->sendBinaryMessage(QByteArray(40, '\x5a'));
            for (int i = 24; i < 26; ++i)
                server.notify(m_transactions.at(i));
            return;
        }
        for (int i = 20; i < 28; ++i) {
            if (m_transactions.at(i).slot >= *request.replayFromSlot)
                server.notify(m_transactions.at(i));
        }
    };
    SubscriptionManager manager(SubscriptionSpec::transactions({}, true), dataPolicy());
    Received received(manager);
    manager.start(server.dataUrl());

    QTRY_COMPARE_WITH_TIMEOUT(received.signatures.size(), 8, 3000);
    QCOMPARE(received.signatures, signaturesOf(m_transactions.mid(20, 8))); // nothing lost, nothing twice
    QCOMPARE(manager.corruptFrames(), qint64(1));
    QCOMPARE(server.connections(), 2);
    QCOMPARE(server.subscribes.at(1).replayFromSlot, std::optional(m_transactions.at(23).slot));
    QCOMPARE(received.statuses, (QList<S>{S::Down, S::Up, S::Down, S::Up}));
    QVERIFY2(manager.status() == S::Up, qPrintable(manager.statusReason()));
}

QTEST_GUILESS_MAIN(tst_SubscriptionManager)
#include "tst_subscriptionmanager.moc"
