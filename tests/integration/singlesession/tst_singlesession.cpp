// One managed single session end to end against lib/refserver (127.0.0.1,
// port 0) replaying the real mainnet transactions of SLOTSCOPE_FIXTURES_DIR:
// create → ready, Continue, Continue-to a discovered Jupiter batch, run to
// completion with the drain, graceful close, and the ways a start fails
// (PROTOCOL.md §6.1, §6.2, §6.7; DESIGN.md §4).

#include "protocol/transactionfiles.h"
#include "refserver/refserver.h"
#include "session/managedsession.h"
#include "support/fixtures.h"
#include "support/policies.h"

#include <QSet>
#include <QTcpServer>
#include <QTest>

using namespace SlotScope;
using namespace SlotScope::Testing;
using namespace Qt::StringLiterals;
using std::chrono::milliseconds;
using Kind = ManagedSessionError::Kind;

Q_DECLARE_METATYPE(SlotScope::WireVersion)

namespace {

const QString kApiKey = u"integration-key"_s;
const QString kJupiter = u"JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4"_s;
constexpr quint64 kStart = 1000;
constexpr quint64 kEnd = 1030; // 31 slots for the 31 fixture transactions: one per slot

ConnectionPolicy runPolicy()
{
    ConnectionPolicy policy = fastPolicy();
    policy.handshakeResponseTimeout = milliseconds{3000};
    policy.keepaliveMissDeadline = milliseconds{2000};
    return policy;
}

CreateSessionParams range(quint64 start = kStart, quint64 end = kEnd)
{
    return {.startSlot = start, .endSlot = end};
}

struct ReceivedTransaction
{
    QString signature;
    quint64 slot = 0;
    QStringList programIds;
};

// Everything one ManagedSession reported, in order.
struct Recorder
{
    QStringList order;                 // event names and "tx", in arrival order
    QList<ManagedEvent> events;
    QList<ReceivedTransaction> transactions;
    QList<ManagedSessionError> errors;
    std::optional<SessionInfo> info;
    int finished = 0;

    explicit Recorder(ManagedSession &session)
    {
        QObject::connect(&session, &ManagedSession::created, &session,
                         [this](const SessionInfo &created) { info = created; });
        QObject::connect(&session, &ManagedSession::eventReceived, &session, [this](const ManagedEvent &event) {
            events.append(event);
            order.append(managedEventName(event));
        });
        QObject::connect(&session, &ManagedSession::transactionReceived, &session,
                         [this](const TransactionSummary &summary, QByteArrayView) {
                             transactions.append({summary.signature, summary.slot, summary.programIds});
                             order.append(u"tx"_s);
                         });
        QObject::connect(&session, &ManagedSession::failed, &session,
                         [this](const ManagedSessionError &error) { errors.append(error); });
        QObject::connect(&session, &ManagedSession::finished, &session, [this] { ++finished; });
    }

    int count(const QString &name) const { return int(order.count(name)); }
    template<typename T> QList<T> eventsOf() const
    {
        QList<T> matching;
        for (const ManagedEvent &event : events) {
            if (const T *typed = std::get_if<T>(&event))
                matching.append(*typed);
        }
        return matching;
    }
    QList<quint64> slotNumbers() const
    {
        QList<quint64> result;
        for (const auto &slot : eventsOf<ManagedEvents::Slot>())
            result.append(slot.slot);
        return result;
    }
};

// The control / subscription frames the server received, as method names.
QStringList transcriptMethods(const RefServer &server, TranscriptEntry::Kind kind)
{
    QStringList methods;
    for (const TranscriptEntry &entry : server.transcript()) {
        if (entry.kind != kind)
            continue;
        if (kind == TranscriptEntry::Kind::Control) {
            const Result<ControlRequest> request = decodeControlRequest(entry.text.toUtf8());
            methods.append(request ? methodName(*request) : u"<undecodable>"_s);
        } else {
            const Result<SubscribeRequest> request = decodeSubscribeRequest(entry.text.toUtf8());
            methods.append(request ? request->method : u"<undecodable>"_s);
        }
    }
    return methods;
}

} // namespace

class tst_SingleSession : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void createThenReady_data();
    void createThenReady();
    void continueAdvancesSlots();
    void continueToDiscoveredJupiterBatch();
    void runToCompletionDeliversEverySignatureOnce();
    void wrongApiKeyFails();
    void invertedRangeFailsWithTheServerText();
    void unreachableServerFailsAfterTheBudget();
    void continueBeforeSubscriptionUpIsSentOnceAfterwards();

private:
    ManagedSession *newSession(CreateSessionParams params, const QString &apiKey = kApiKey);

    QList<LoadedTransaction> m_fixtures;
    std::unique_ptr<RefServer> m_server;
    std::unique_ptr<ManagedSession> m_session;
};

void tst_SingleSession::initTestCase()
{
    Result<QList<LoadedTransaction>> loaded = loadFixtureTransactions();
    QVERIFY(loaded.ok());
    m_fixtures = *loaded;
    QCOMPARE(m_fixtures.size(), 31);
}

void tst_SingleSession::init()
{
    RefServerConfig config{.apiKey = kApiKey, .txDir = fixturesDir()};
    m_server = std::make_unique<RefServer>(config);
    const Result<void> listening = m_server->listen();
    QVERIFY2(listening.ok(), listening.ok() ? "" : qPrintable(listening.error().message));
}

void tst_SingleSession::cleanup()
{
    m_session.reset();
    m_server.reset();
}

ManagedSession *tst_SingleSession::newSession(CreateSessionParams params, const QString &apiKey)
{
    m_session = std::make_unique<ManagedSession>(m_server->controlUrl().toString(), apiKey,
                                                 std::move(params), runPolicy());
    return m_session.get();
}

void tst_SingleSession::createThenReady_data()
{
    QTest::addColumn<WireVersion>("wire");
    QTest::addColumn<QStringList>("startupStatuses");
    QTest::addRow("wire 0.31") << WireVersion::V0_31 << QStringList{u"startingRuntime"_s};
    QTest::addRow("wire 0.28") << WireVersion::V0_28
                               << QStringList{u"preparingBundle"_s, u"bundleReady"_s, u"startingRuntime"_s};
}

void tst_SingleSession::createThenReady()
{
    QFETCH(WireVersion, wire);
    QFETCH(QStringList, startupStatuses);
    RefServerConfig config{.apiKey = kApiKey, .txDir = fixturesDir(), .wire = wire};
    m_server = std::make_unique<RefServer>(config);
    QVERIFY(m_server->listen().ok());
    ManagedSession *session = newSession(range());
    Recorder recorder(*session);
    session->start();

    QTRY_VERIFY_WITH_TIMEOUT(recorder.count(u"readyForContinue"_s) == 1, 5000);
    QVERIFY(recorder.info);
    QVERIFY(recorder.info->sessionId.startsWith(u"backtest_"_s));
    QCOMPARE(recorder.info->rpcEndpoint, u"/backtest/"_s + recorder.info->sessionId);
    QCOMPARE(session->sessionInfo(), recorder.info);
    // Startup statuses (sent before sessionCreated) arrive after created(), in order.
    QCOMPARE(recorder.order, (QStringList(startupStatuses.size(), u"status"_s)
                              + QStringList{u"slot"_s, u"readyForContinue"_s}));
    QStringList statuses;
    for (const auto &status : recorder.eventsOf<ManagedEvents::Status>())
        statuses.append(status.status);
    QCOMPARE(statuses, startupStatuses);
    QCOMPARE(recorder.slotNumbers(), QList<quint64>{kStart});
    QCOMPARE(session->controlStatus(), ConnectionStatus::Up);
    QCOMPARE(session->state(), ManagedSession::State::Running);

    // What went over the wire: one create, with the reconnect-friendly timeout.
    const QList<TranscriptEntry> transcript = m_server->transcript();
    QCOMPARE(transcript.size(), 1);
    const auto create = decodeControlRequest(transcript.first().text.toUtf8());
    QVERIFY(create.ok());
    const auto &params = std::get<Requests::CreateBacktestSession>(*create).params;
    QCOMPARE(params.startSlot, kStart);
    QCOMPARE(params.endSlot, kEnd);
    QCOMPARE(params.disconnectTimeoutSecs, std::optional<quint16>(900));
}

void tst_SingleSession::continueAdvancesSlots()
{
    ManagedSession *session = newSession(range());
    Recorder recorder(*session);
    session->subscribeTransactions({});
    session->start();
    QTRY_VERIFY_WITH_TIMEOUT(recorder.count(u"readyForContinue"_s) == 1, 5000);

    ContinueParams three{.advanceCount = 3};
    QVERIFY(session->sendContinue(three));
    QTRY_VERIFY_WITH_TIMEOUT(recorder.count(u"readyForContinue"_s) == 2, 5000);

    // The initial startSlot notification, then one per executed slot.
    QCOMPARE(recorder.slotNumbers(), (QList<quint64>{kStart, kStart, kStart + 1, kStart + 2}));
    // One fixture transaction per slot: exactly the first three, in order.
    QTRY_COMPARE_WITH_TIMEOUT(recorder.transactions.size(), 3, 2000);
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(recorder.transactions.at(i).signature, m_fixtures.at(i).signature);
        QCOMPARE(recorder.transactions.at(i).slot, kStart + quint64(i));
    }
    QCOMPARE(transcriptMethods(*m_server, TranscriptEntry::Kind::Control),
             (QStringList{u"createBacktestSession"_s, u"continue"_s}));
    QVERIFY(recorder.errors.isEmpty());
}

void tst_SingleSession::continueToDiscoveredJupiterBatch()
{
    CreateSessionParams params = range();
    params.discoveries = {DiscoveryFilter::programExecuted(kJupiter)};
    ManagedSession *session = newSession(params);
    Recorder recorder(*session);
    session->subscribeTransactions({});
    session->start();

    // The first Jupiter batch is announced before the first readyForContinue.
    QTRY_VERIFY_WITH_TIMEOUT(recorder.count(u"readyForContinue"_s) == 1, 5000);
    QCOMPARE(recorder.order.mid(recorder.order.size() - 2),
             (QStringList{u"discoveryBatch"_s, u"readyForContinue"_s}));
    const DiscoveryBatchEvent first = recorder.eventsOf<ManagedEvents::DiscoveryBatch>().first().event;
    QCOMPARE(first.matched, QList<DiscoveryFilter>{DiscoveryFilter::programExecuted(kJupiter)});
    int firstJupiter = -1;
    TransactionSummarizer summarizer;
    for (int i = 0; i < m_fixtures.size() && firstJupiter < 0; ++i) {
        const auto summary = summarizer.summarize(m_fixtures.at(i).json);
        QVERIFY(summary.ok());
        if (summary->programIds.contains(kJupiter))
            firstJupiter = i;
    }
    QVERIFY(firstJupiter > 0);
    QCOMPARE(first.slot, kStart + quint64(firstJupiter));

    QVERIFY(session->sendContinueTo(ContinueToParams{first.slot, first.batchIndex}));
    QTRY_COMPARE_WITH_TIMEOUT(recorder.count(u"paused"_s), 1, 5000);
    QCOMPARE(recorder.eventsOf<ManagedEvents::Paused>().first().event, (PausedEvent{first.slot, first.batchIndex}));

    // Everything before the batch ran; the Jupiter transaction itself did not.
    QTRY_COMPARE_WITH_TIMEOUT(recorder.transactions.size(), firstJupiter, 2000);
    for (const ReceivedTransaction &transaction : std::as_const(recorder.transactions)) {
        QVERIFY(transaction.slot < first.slot);
        QVERIFY(!transaction.programIds.contains(kJupiter));
    }
    // The next match is announced before `paused`.
    const QList<ManagedEvents::DiscoveryBatch> batches = recorder.eventsOf<ManagedEvents::DiscoveryBatch>();
    QCOMPARE(batches.size(), 2);
    QVERIFY(batches.at(1).event.slot > first.slot);

    // From the pause a plain Continue runs the batch.
    QVERIFY(session->sendContinue(ContinueParams{}));
    QTRY_COMPARE_WITH_TIMEOUT(recorder.count(u"readyForContinue"_s), 2, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(recorder.transactions.size(), firstJupiter + 1, 2000);
    QVERIFY(recorder.transactions.last().programIds.contains(kJupiter));
    QCOMPARE(transcriptMethods(*m_server, TranscriptEntry::Kind::Control),
             (QStringList{u"createBacktestSession"_s, u"continueTo"_s, u"continue"_s}));
}

void tst_SingleSession::runToCompletionDeliversEverySignatureOnce()
{
    ManagedSession *session = newSession(range());
    Recorder recorder(*session);
    session->subscribeTransactions({});
    session->start();
    QTRY_VERIFY_WITH_TIMEOUT(recorder.count(u"readyForContinue"_s) == 1, 5000);

    ContinueParams all{.advanceCount = 1000}; // past the end of the range
    QVERIFY(session->sendContinue(all));
    QTRY_COMPARE_WITH_TIMEOUT(recorder.count(u"completed"_s), 1, 10'000);

    // Completed comes last, after every transaction (the drain).
    QCOMPARE(recorder.order.last(), u"completed"_s);
    QVERIFY(recorder.errors.isEmpty());
    QCOMPARE(recorder.transactions.size(), 31);
    QSet<QString> received;
    for (const ReceivedTransaction &transaction : std::as_const(recorder.transactions))
        received.insert(transaction.signature);
    QSet<QString> expected;
    for (const LoadedTransaction &fixture : std::as_const(m_fixtures))
        expected.insert(fixture.signature);
    QCOMPARE(received.size(), 31); // nothing twice
    QCOMPARE(received, expected);  // nothing lost

    const auto completed = recorder.eventsOf<ManagedEvents::Completed>().first();
    QVERIFY(completed.summary);
    QCOMPARE(completed.summary->correctSimulation + completed.summary->executionErrors, quint64(31));
    QCOMPARE(completed.summary->executionErrors, quint64(3));
    QCOMPARE(recorder.slotNumbers().last(), kEnd);

    // The session closed itself gracefully once the drain was done.
    QTRY_COMPARE_WITH_TIMEOUT(recorder.finished, 1, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(transcriptMethods(*m_server, TranscriptEntry::Kind::Control).last(),
                              u"closeBacktestSession"_s, 5000);
    QCOMPARE(transcriptMethods(*m_server, TranscriptEntry::Kind::Control),
             (QStringList{u"createBacktestSession"_s, u"continue"_s, u"closeBacktestSession"_s}));
    QTRY_COMPARE_WITH_TIMEOUT(m_server->activeSessionCount(), 0, 5000);
    QCOMPARE(session->state(), ManagedSession::State::Completed);
}

void tst_SingleSession::wrongApiKeyFails()
{
    ManagedSession *session = newSession(range(), u"not-the-key"_s);
    Recorder recorder(*session);
    session->start();
    QTRY_COMPARE_WITH_TIMEOUT(recorder.errors.size(), 1, 5000);
    QCOMPARE(recorder.errors.first().kind, Kind::Create);
    QVERIFY2(recorder.errors.first().message.contains(u"API key"_s), qPrintable(recorder.errors.first().message));
    QCOMPARE(recorder.errors.first().message, u"API key rejected by the server (HTTP 401)"_s);
    QVERIFY(!recorder.info);
    QCOMPARE(session->controlStatus(), ConnectionStatus::Failed);
    QVERIFY(m_server->transcript().isEmpty());
    QCOMPARE(recorder.finished, 1);
}

void tst_SingleSession::invertedRangeFailsWithTheServerText()
{
    ManagedSession *session = newSession(range(kEnd, kStart));
    Recorder recorder(*session);
    session->start();
    QTRY_COMPARE_WITH_TIMEOUT(recorder.errors.size(), 1, 5000);
    QCOMPARE(recorder.errors.first().kind, Kind::Create);
    QCOMPARE(recorder.errors.first().message,
             u"session create failed: invalid request: startSlot must be <= endSlot"_s);
    QVERIFY(!recorder.info);
    QCOMPARE(transcriptMethods(*m_server, TranscriptEntry::Kind::Control),
             QStringList{u"createBacktestSession"_s}); // not retried
}

void tst_SingleSession::unreachableServerFailsAfterTheBudget()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const QString url = u"ws://127.0.0.1:%1/backtest"_s.arg(probe.serverPort());
    probe.close();

    ManagedSession session(url, kApiKey, range(), runPolicy());
    Recorder recorder(session);
    QList<int> attempts;
    connect(&session, &ManagedSession::reconnectScheduled, this,
            [&](const QString &label, int attempt) {
                QCOMPARE(label, u"control"_s);
                attempts.append(attempt);
            });
    session.start();
    QTRY_COMPARE_WITH_TIMEOUT(recorder.errors.size(), 1, 5000);
    QCOMPARE(recorder.errors.first().kind, Kind::Create);
    // No session exists yet: the first-connect budget (ConnectionPolicy::
    // firstConnectAttempts, 3 tries), not the seed's reconnect budget.
    QCOMPARE(recorder.errors.first().message,
             u"cannot connect to %1: connection refused (gave up after 3 attempts)"_s.arg(url));
    QCOMPARE(attempts, (QList<int>{1, 2}));
    QCOMPARE(recorder.finished, 1);
}

void tst_SingleSession::continueBeforeSubscriptionUpIsSentOnceAfterwards()
{
    ManagedSession *session = newSession(range());
    Recorder recorder(*session);
    session->subscribeTransactions({});
    // Ask for the Continue the moment the session exists: the subscription
    // socket has only just been opened, so the request must wait for it.
    bool queuedWhileDown = false;
    connect(session, &ManagedSession::created, this, [&] {
        queuedWhileDown = session->subscriptionStatuses().first().status != ConnectionStatus::Up;
        ContinueParams two{.advanceCount = 2};
        QVERIFY(session->sendContinue(two));
        QVERIFY(session->isContinueQueued());
    });
    int sent = 0;
    connect(session, &ManagedSession::continueSent, this, [&] { ++sent; });
    session->start();

    QTRY_VERIFY_WITH_TIMEOUT(recorder.count(u"readyForContinue"_s) == 2, 5000);
    QVERIFY(queuedWhileDown);
    QCOMPARE(sent, 1);

    // The transcript (arrival order across sockets): the subscribe, then exactly one continue.
    QStringList all;
    for (const TranscriptEntry &entry : m_server->transcript()) {
        if (entry.kind == TranscriptEntry::Kind::Subscription) {
            all.append(u"subscribe"_s);
        } else {
            const auto request = decodeControlRequest(entry.text.toUtf8());
            all.append(request ? methodName(*request) : u"?"_s);
        }
    }
    QCOMPARE(all, (QStringList{u"createBacktestSession"_s, u"subscribe"_s, u"continue"_s}));
    QCOMPARE(recorder.transactions.size(), 2);
}

QTEST_GUILESS_MAIN(tst_SingleSession)
#include "tst_singlesession.moc"
