// SubscriptionManager against a scripted data-plane server (127.0.0.1, port 0)
// streaming the real mainnet transactions of SLOTSCOPE_FIXTURES_DIR:
// subscribe + ack, resubscribe with replayFromSlot and boundary dedup
// (PROTOCOL.md §5.5, §5.8, §6.6), end of stream, rejected subscribes.

#include "net/subscriptionmanager.h"
#include "protocol/transactionfiles.h"

#include <QPointer>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketServer>

using namespace SlotScope;
using namespace Qt::StringLiterals;
using std::chrono::milliseconds;
using S = ConnectionStatus;

namespace {

ConnectionPolicy fastPolicy()
{
    ConnectionPolicy policy;
    policy.connectTimeout = milliseconds{2000};
    policy.handshakeResponseTimeout = milliseconds{300};
    policy.keepaliveInterval = milliseconds{100};
    policy.keepaliveMissDeadline = milliseconds{1000};
    policy.gracefulCloseTimeout = milliseconds{300};
    policy.initialBackoff = milliseconds{10};
    policy.maxBackoff = milliseconds{40};
    policy.jitter = 0.0;
    policy.maxAttempts = 3;
    policy.maxTotal = milliseconds{10'000};
    return policy;
}

const QString kJupiter = u"JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4"_s;

// A data-plane server whose reactions the test scripts.
class DataPlaneServer : public QObject
{
public:
    QWebSocketServer server{u"data"_s, QWebSocketServer::NonSecureMode};
    QPointer<QWebSocket> current;
    QList<SubscribeRequest> subscribes;
    int connections = 0;
    bool ack = true;
    std::function<void(const SubscribeRequest &)> afterAck;

    DataPlaneServer()
    {
        connect(&server, &QWebSocketServer::newConnection, this, [this] {
            while (QWebSocket *socket = server.nextPendingConnection()) {
                ++connections;
                socket->setParent(this);
                m_sockets.append(socket);
                current = socket;
                connect(socket, &QWebSocket::textMessageReceived, this, [this, socket](const QString &text) {
                    Result<SubscribeRequest> request = decodeSubscribeRequest(text.toUtf8());
                    QVERIFY2(request.ok(), qPrintable(text));
                    subscribes.append(*request);
                    if (!ack)
                        return;
                    socket->sendTextMessage(QString::fromUtf8(encodeSubscribeAck(request->requestId, 7)));
                    if (afterAck)
                        afterAck(*request);
                });
            }
        });
    }
    ~DataPlaneServer() override
    {
        for (const QPointer<QWebSocket> &socket : std::as_const(m_sockets)) {
            if (socket) {
                disconnect(socket, nullptr, this, nullptr);
                delete socket;
            }
        }
    }
    bool listen() { return server.listen(QHostAddress::LocalHost, 0); }
    QUrl url() const { return QUrl(u"ws://127.0.0.1:%1/backtest/backtest_1"_s.arg(server.serverPort())); }
    void notify(const LoadedTransaction &transaction)
    {
        current->sendTextMessage(QString::fromUtf8(encodeTransactionNotification(7, transaction.json)));
    }

private:
    QList<QPointer<QWebSocket>> m_sockets;
};

struct Received
{
    QStringList signatures;
    QList<QByteArray> raw;
    QStringList duplicates;
    QList<S> statuses;
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
        QObject::connect(&manager, &SubscriptionManager::duplicateDropped, &manager,
                         [this](const QString &signature) { duplicates.append(signature); });
        QObject::connect(&manager, &SubscriptionManager::endOfStream, &manager, [this] { ++endOfStream; });
        QObject::connect(&manager, &WebSocketConnection::finished, &manager, [this] { ++finished; });
        QObject::connect(&manager, &WebSocketConnection::statusChanged, &manager,
                         [this](S status) { statuses.append(status); });
    }
};

QStringList signaturesOf(const QList<LoadedTransaction> &transactions)
{
    QStringList signatures;
    for (const LoadedTransaction &transaction : transactions)
        signatures.append(transaction.signature);
    return signatures;
}

} // namespace

class tst_SubscriptionManager : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void subscribesAndDelivers();
    void resubscribesFromLastSlotWithoutDuplicates();
    void normalCloseAfterCompletedIsEndOfStream();
    void normalCloseBeforeCompletedBecomesEndOfStream();
    void abnormalCloseAfterCompletedReconnects();
    void rejectedSubscribeIsFatal();
    void malformedNotificationsAreSkipped();

private:
    QList<LoadedTransaction> m_transactions;
};

void tst_SubscriptionManager::initTestCase()
{
    Result<QList<LoadedTransaction>> loaded =
        loadTransactionDirectory(QString::fromUtf8(SLOTSCOPE_FIXTURES_DIR));
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
    DataPlaneServer server;
    QVERIFY(server.listen());
    const QList<LoadedTransaction> batch = m_transactions.mid(10, 5);
    server.afterAck = [&](const SubscribeRequest &) {
        for (const LoadedTransaction &transaction : batch)
            server.notify(transaction);
    };
    SubscriptionManager manager({kJupiter}, fastPolicy());
    Received received(manager);
    manager.start(server.url());

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
    DataPlaneServer server;
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
    SubscriptionManager manager({}, fastPolicy());
    Received received(manager);
    manager.start(server.url());

    QTRY_COMPARE_WITH_TIMEOUT(received.signatures.size(), 13, 3000);
    QCOMPARE(received.signatures, signaturesOf(m_transactions.mid(0, 13))); // each once, in order
    QCOMPARE(received.duplicates, signaturesOf(m_transactions.mid(0, 5)));
    QCOMPARE(manager.duplicatesDropped(), qint64(5));
    QCOMPARE(server.subscribes.size(), 2);
    QCOMPARE(server.subscribes.at(1).replayFromSlot, std::optional<quint64>(100'000'000));
    QVERIFY(server.subscribes.at(1).accounts.isEmpty()); // every transaction
    QCOMPARE(received.statuses, (QList<S>{S::Down, S::Up, S::Down, S::Up}));
}

void tst_SubscriptionManager::normalCloseAfterCompletedIsEndOfStream()
{
    DataPlaneServer server;
    QVERIFY(server.listen());
    server.afterAck = [&](const SubscribeRequest &) { server.notify(m_transactions.at(20)); };
    SubscriptionManager manager({}, fastPolicy());
    Received received(manager);
    manager.start(server.url());
    QTRY_COMPARE_WITH_TIMEOUT(received.signatures.size(), 1, 2000);

    manager.markSessionCompleted();
    server.notify(m_transactions.at(21)); // trailing notifications still arrive
    server.current->close(QWebSocketProtocol::CloseCodeNormal, u"session completed"_s);
    QTRY_COMPARE_WITH_TIMEOUT(received.finished, 1, 2000);
    QCOMPARE(received.endOfStream, 1);
    QVERIFY(manager.hasEnded());
    QCOMPARE(received.signatures.size(), 2);
    QCOMPARE(received.statuses, (QList<S>{S::Down, S::Up, S::Down}));
    QTest::qWait(100);
    QCOMPARE(server.connections, 1);
}

void tst_SubscriptionManager::normalCloseBeforeCompletedBecomesEndOfStream()
{
    DataPlaneServer server;
    QVERIFY(server.listen());
    server.afterAck = [&](const SubscribeRequest &) {
        server.notify(m_transactions.at(20));
        server.current->close(QWebSocketProtocol::CloseCodeNormal, u"session completed"_s);
    };
    ConnectionPolicy policy = fastPolicy();
    policy.initialBackoff = milliseconds{5000}; // stay in backoff while the control plane catches up
    SubscriptionManager manager({}, policy);
    Received received(manager);
    manager.start(server.url());
    QTRY_COMPARE_WITH_TIMEOUT(manager.phase(), WebSocketConnection::Phase::Backoff, 2000);
    QCOMPARE(received.endOfStream, 0);

    // The control plane's `completed` arrives after the data-plane close.
    manager.markSessionCompleted();
    QCOMPARE(received.endOfStream, 1);
    QCOMPARE(received.finished, 1);
    QCOMPARE(received.signatures.size(), 1);
    QCOMPARE(server.connections, 1);
}

void tst_SubscriptionManager::abnormalCloseAfterCompletedReconnects()
{
    DataPlaneServer server;
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
    SubscriptionManager manager({}, fastPolicy());
    Received received(manager);
    manager.start(server.url());
    QTRY_COMPARE_WITH_TIMEOUT(received.signatures.size(), 1, 2000);
    manager.markSessionCompleted();
    server.current->close(QWebSocketProtocol::CloseCodeGoingAway, u"node restart"_s);

    QTRY_COMPARE_WITH_TIMEOUT(received.finished, 1, 3000);
    QCOMPARE(server.connections, 2);
    QCOMPARE(received.endOfStream, 1);
    QCOMPARE(received.signatures, signaturesOf(m_transactions.mid(20, 2)));
    QCOMPARE(received.duplicates, QStringList{m_transactions.at(20).signature});
}

void tst_SubscriptionManager::rejectedSubscribeIsFatal()
{
    DataPlaneServer server;
    server.ack = false;
    QVERIFY(server.listen());
    connect(&server.server, &QWebSocketServer::newConnection, this, [&] {
        QPointer<QWebSocket> socket = server.current;
        connect(socket, &QWebSocket::textMessageReceived, this, [socket](const QString &) {
            socket->sendTextMessage(QString::fromUtf8(encodeRpcError(1, -32602, u"invalid filter"_s)));
        });
    });
    SubscriptionManager manager({u"not-a-pubkey"_s}, fastPolicy());
    Received received(manager);
    manager.start(server.url());
    QTRY_COMPARE_WITH_TIMEOUT(manager.status(), S::Failed, 2000);
    QCOMPARE(manager.statusReason(), u"subscribe rejected: invalid filter (code -32602)"_s);
    QCOMPARE(manager.failureKind(), FailureKind::HandshakeRejected);
    QCOMPARE(server.connections, 1);
}

void tst_SubscriptionManager::malformedNotificationsAreSkipped()
{
    DataPlaneServer server;
    QVERIFY(server.listen());
    server.afterAck = [&](const SubscribeRequest &) {
        server.current->sendTextMessage(u"{not json"_s);
        server.current->sendTextMessage(QString::fromUtf8(
            encodeTransactionNotification(7, R"({"slot":5,"transaction":{},"meta":null})")));
        server.notify(m_transactions.at(25));
    };
    SubscriptionManager manager({}, fastPolicy());
    Received received(manager);
    manager.start(server.url());
    QTRY_COMPARE_WITH_TIMEOUT(received.signatures.size(), 1, 2000);
    QCOMPARE(received.signatures.first(), m_transactions.at(25).signature);
    QCOMPARE(manager.malformedNotifications(), qint64(2));
    QCOMPARE(manager.status(), S::Up);
}

QTEST_GUILESS_MAIN(tst_SubscriptionManager)
#include "tst_subscriptionmanager.moc"
