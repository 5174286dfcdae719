// Parallel batches end to end: ManagedParallelSession against lib/refserver
// (127.0.0.1, port 0) replaying the real mainnet transactions of
// SLOTSCOPE_FIXTURES_DIR (PROTOCOL.md §6.3, §6.5, §6.7; DESIGN.md §4):
// 8 sub-sessions driven to completion, the same with the control socket
// dropped again and again (re-attach with the per-session cursors, nothing
// lost, nothing twice), an old server without ranges, and 64 sub-sessions.

#include "protocol/transactionfiles.h"
#include "refserver/refserver.h"
#include "session/managedparallelsession.h"
#include "support/fixtures.h"
#include "support/policies.h"

#include <QElapsedTimer>
#include <QSet>
#include <QTest>
#include <QTimer>
#include <QWebSocket>

#include <memory>

using namespace SlotScope;
using namespace SlotScope::Testing;
using namespace Qt::StringLiterals;
using std::chrono::milliseconds;

namespace {

const QString kApiKey = u"integration-key"_s;
constexpr quint64 kBundle = 100;
constexpr quint64 kAdvance = 25;

/// Every connection Up for 100 ms earns a fresh budget (the drop tests drop
/// often and early).
ConnectionPolicy quickResetPolicy()
{
    ConnectionPolicy policy = batchPolicy();
    policy.uptimeReset = milliseconds{100};
    return policy;
}

CreateSessionParams batchRange(quint64 start, quint64 end)
{
    return {.startSlot = start, .endSlot = end, .parallel = true};
}

/// Everything one sub-session reported.
struct SubRecord
{
    QString id;
    quint64 startSlot = 0;
    quint64 endSlot = 0;
    QStringList signatures;      // in arrival order
    QList<quint64> txSlots;
    QList<quint64> slotEvents;   // slotNotification values, in order
    int readies = 0;
    int continues = 0;
    bool completed = false;
    bool created = false;
    QList<ManagedSessionError> errors;
    bool finished = false;
    QList<ConnectionStatus> subscriptionStatuses;
    int reconnects = 0;
};

/// Drives every sub-session of a batch: Continue advanceCount 25 after each
/// readyForContinue, until completed; records what each one saw.
class Driver : public QObject
{
public:
    ManagedParallelSession &batch;
    QList<SubRecord> subs;
    QHash<QString, int> index;
    QList<ManagedSessionError> batchErrors;
    bool batchCompleted = false;
    bool batchFinished = false;
    /// Control-level deliveries per sub-session: the highest seq_id and any repeat.
    QHash<QString, quint64> delivered;
    QStringList repeatedEvents;
    /// Snapshots of `delivered` taken whenever an attach left the client.
    QList<QMap<QString, quint64>> cursorsAtAttach;
    int reattached = 0;
    std::function<void(int eventsSoFar)> onControlEvent;
    int controlEvents = 0;

    explicit Driver(ManagedParallelSession &session)
        : batch(session)
    {
        connect(&batch, &ManagedParallelSession::created, this,
                [this](const QString &, const QList<ParallelSubSession *> &created) {
                    for (ParallelSubSession *sub : created)
                        attach(sub);
                });
        connect(&batch, &ManagedParallelSession::failed, this,
                [this](const ManagedSessionError &error) { batchErrors.append(error); });
        connect(&batch, &ManagedParallelSession::completed, this, [this] { batchCompleted = true; });
        connect(&batch, &ManagedParallelSession::finished, this, [this] { batchFinished = true; });
        connect(&batch, &ManagedParallelSession::reattached, this, [this] { ++reattached; });
    }

    /// Hook the control manager once it exists (after start()).
    void watchControl()
    {
        ParallelControlManager *control = batch.control();
        connect(control, &ParallelControlManager::eventReceived, this,
                [this](const QString &sessionId, quint64 seqId, const SessionEventKind &) {
                    const quint64 last = delivered.value(sessionId, 0);
                    if (seqId <= last)
                        repeatedEvents.append(u"%1#%2"_s.arg(sessionId).arg(seqId));
                    delivered.insert(sessionId, std::max(last, seqId));
                    ++controlEvents;
                    if (onControlEvent)
                        onControlEvent(controlEvents);
                });
        connect(control, &WebSocketConnection::frameSent, this, [this](QByteArrayView utf8) {
            const Result<ControlRequest> request = decodeControlRequest(utf8);
            if (request && std::holds_alternative<Requests::AttachParallelControlSessionV2>(*request)) {
                QMap<QString, quint64> snapshot;
                for (auto it = delivered.cbegin(); it != delivered.cend(); ++it)
                    snapshot.insert(it.key(), it.value());
                cursorsAtAttach.append(snapshot);
            }
        });
    }

    void attach(ParallelSubSession *sub)
    {
        const int i = int(subs.size());
        SubRecord record;
        record.id = sub->sessionId();
        record.startSlot = sub->startSlot();
        record.endSlot = sub->endSlot();
        subs.append(record);
        index.insert(record.id, i);
        connect(sub, &ParallelSubSession::created, this, [this, i] { subs[i].created = true; });
        connect(sub, &ParallelSubSession::eventReceived, this, [this, i, sub](const ManagedEvent &event) {
            SubRecord &r = subs[i];
            if (const auto *slot = std::get_if<ManagedEvents::Slot>(&event))
                r.slotEvents.append(slot->slot);
            if (std::holds_alternative<ManagedEvents::Completed>(event))
                r.completed = true;
            if (std::holds_alternative<ManagedEvents::ReadyForContinue>(event)) {
                ++r.readies;
                ContinueParams params{.advanceCount = kAdvance};
                const Result<void> sent = sub->sendContinue(params);
                if (!sent)
                    r.errors.append({ManagedSessionError::Kind::ContinueSend, sent.error().message});
            }
        });
        connect(sub, &ParallelSubSession::continueSent, this, [this, i] { ++subs[i].continues; });
        connect(sub, &ParallelSubSession::transactionReceived, this,
                [this, i](const TransactionSummary &summary, QByteArrayView) {
                    subs[i].signatures.append(summary.signature);
                    subs[i].txSlots.append(summary.slot);
                });
        connect(sub, &ParallelSubSession::failed, this,
                [this, i](const ManagedSessionError &error) { subs[i].errors.append(error); });
        connect(sub, &ParallelSubSession::finished, this, [this, i] { subs[i].finished = true; });
        connect(sub, &ParallelSubSession::connectionStatusChanged, this,
                [this, i](const QString &, ConnectionStatus status) { subs[i].subscriptionStatuses.append(status); });
        connect(sub, &ParallelSubSession::reconnectScheduled, this, [this, i] { ++subs[i].reconnects; });
    }

    int completedCount() const
    {
        return int(std::count_if(subs.cbegin(), subs.cend(), [](const SubRecord &r) { return r.completed; }));
    }
    /// sub-session index → set of signatures.
    QList<QSet<QString>> signatureSets() const
    {
        QList<QSet<QString>> sets;
        for (const SubRecord &r : subs)
            sets.append(QSet<QString>(r.signatures.cbegin(), r.signatures.cend()));
        return sets;
    }
};

/// Abort every server-side control socket (the server's end of /backtest).
int abortServerControlSockets(RefServer &server)
{
    int aborted = 0;
    const QList<QWebSocket *> sockets = server.findChildren<QWebSocket *>();
    for (QWebSocket *socket : sockets) {
        if (socket->state() == QAbstractSocket::ConnectedState && socket->requestUrl().path() == u"/backtest"_s) {
            socket->abort();
            ++aborted;
        }
    }
    return aborted;
}

} // namespace

class tst_ParallelBatch : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void eightSubSessionsToCompletion();
    void controlDropsLoseNothingAndReattachWithTheCursors();
    void dataDropsParkBehindSiblingsAndLoseNothing();
    void oldServerWithoutRangesFailsClearly();
    void wrongApiKeyFailsClearly();
    void continueWaitsForTheSubscriptions();
    void subSessionShutdownClosesOnlyIt();
    void batchShutdownClosesEverything();
    void sixtyFourSubSessionsComplete();

private:
    /// m_server: a reference server of `config` with the fixtures, our key and
    /// bundles of kBundle slots; false if it cannot listen.
    [[nodiscard]] bool startServer(RefServerConfig config = {});
    /// m_batch: a batch over [start, end] on m_server with our key, subscribed
    /// to every transaction, not started.
    void newBatch(quint64 start, quint64 end, const ConnectionPolicy &policy = quickResetPolicy());
    void checkRun(const Driver &driver, quint64 start, int subSessions);
    bool ensureFaultFreeReference();
    QList<LoadedTransaction> m_fixtures;
    QSet<QString> m_fixtureSignatures;
    QList<QSet<QString>> m_faultFreeSets;
    QList<QList<quint64>> m_faultFreeSlots;
    std::unique_ptr<RefServer> m_server;
    std::unique_ptr<ManagedParallelSession> m_batch;
};

void tst_ParallelBatch::initTestCase()
{
    Result<QList<LoadedTransaction>> loaded = loadFixtureTransactions();
    QVERIFY(loaded.ok());
    m_fixtures = *loaded;
    QCOMPARE(m_fixtures.size(), 31);
    for (const LoadedTransaction &fixture : std::as_const(m_fixtures))
        m_fixtureSignatures.insert(fixture.signature);
    QCOMPARE(m_fixtureSignatures.size(), 31);
}

void tst_ParallelBatch::cleanup()
{
    m_batch.reset();
    m_server.reset();
}

bool tst_ParallelBatch::startServer(RefServerConfig config)
{
    config.apiKey = kApiKey;
    config.txDir = fixturesDir();
    config.bundleSize = kBundle;
    m_server = std::make_unique<RefServer>(config);
    const Result<void> listening = m_server->listen();
    if (!listening)
        qWarning() << listening.error().message;
    return listening.ok();
}

void tst_ParallelBatch::newBatch(quint64 start, quint64 end, const ConnectionPolicy &policy)
{
    m_batch = std::make_unique<ManagedParallelSession>(m_server->controlUrl().toString(), kApiKey,
                                                       batchRange(start, end), policy);
    m_batch->subscribeTransactions({});
}

// The checks every successful run shares.
void tst_ParallelBatch::checkRun(const Driver &driver, quint64 start, int subSessions)
{
    QVERIFY2(driver.batchErrors.isEmpty(), qPrintable(driver.batchErrors.value(0).message));
    QCOMPARE(driver.subs.size(), subSessions);
    QCOMPARE(m_batch->state(), ManagedParallelSession::State::Completed);
    QSet<QString> all;
    int total = 0;
    for (int i = 0; i < subSessions; ++i) {
        const SubRecord &r = driver.subs.at(i);
        QVERIFY2(r.errors.isEmpty(), qPrintable(r.errors.value(0).message));
        QVERIFY(r.created);
        QVERIFY(r.completed);
        // The server's split: one bundle each, in order.
        QCOMPARE(r.startSlot, start + quint64(i) * kBundle);
        QCOMPARE(r.endSlot, start + quint64(i + 1) * kBundle - 1);
        // Startup slot, then every slot of the range once, in order.
        QList<quint64> expectedSlots{r.startSlot};
        for (quint64 slot = r.startSlot; slot <= r.endSlot; ++slot)
            expectedSlots.append(slot);
        QCOMPARE(r.slotEvents, expectedSlots);
        QCOMPARE(r.continues, int(kBundle / kAdvance));
        QCOMPARE(r.readies, int(kBundle / kAdvance));
        // Each transaction belongs to the sub-session whose range holds its slot.
        for (quint64 slot : r.txSlots)
            QVERIFY2(slot >= r.startSlot && slot <= r.endSlot, qPrintable(u"%1 in %2"_s.arg(slot).arg(r.id)));
        for (const QString &signature : r.signatures)
            all.insert(signature);
        total += int(r.signatures.size());
    }
    QCOMPARE(total, 31);                    // nothing twice
    QCOMPARE(all, m_fixtureSignatures);     // nothing lost
    QVERIFY(driver.repeatedEvents.isEmpty());
}

// The fault runs compare with the fault-free run: when a fault test runs alone
// (or first), it makes that reference itself.
bool tst_ParallelBatch::ensureFaultFreeReference()
{
    if (m_faultFreeSets.isEmpty()) {
        eightSubSessionsToCompletion();
        cleanup();
    }
    return !QTest::currentTestFailed() && !m_faultFreeSets.isEmpty();
}

void tst_ParallelBatch::eightSubSessionsToCompletion()
{
    QVERIFY(startServer());
    newBatch(1000, 1799);
    Driver driver(*m_batch);
    m_batch->start();
    driver.watchControl();

    QTRY_VERIFY_WITH_TIMEOUT(driver.batchFinished, 60'000);
    checkRun(driver, 1000, 8);
    QVERIFY(driver.batchCompleted);
    QCOMPARE(driver.reattached, 0);
    QVERIFY(driver.cursorsAtAttach.isEmpty());

    // The wire: one create, 4 continueSessionV1 per sub-session, one close.
    QStringList methods;
    QHash<QString, int> continuesPerSession;
    for (const TranscriptEntry &entry : m_server->transcript()) {
        if (entry.kind != TranscriptEntry::Kind::Control)
            continue;
        const Result<ControlRequest> request = decodeControlRequest(entry.text.toUtf8());
        QVERIFY(request.ok());
        methods.append(methodName(*request));
        if (const auto *c = std::get_if<Requests::ContinueSessionV1>(&*request)) {
            QCOMPARE(c->request.advanceCount, kAdvance);
            ++continuesPerSession[c->sessionId];
        }
    }
    QCOMPARE(methods.first(), u"createBacktestSession"_s);
    QCOMPARE(methods.last(), u"closeBacktestSession"_s);
    QCOMPARE(methods.count(u"continueSessionV1"_s), 32);
    QCOMPARE(methods.size(), 34);
    QCOMPARE(continuesPerSession.size(), 8);
    for (int count : std::as_const(continuesPerSession))
        QCOMPARE(count, 4);

    // The reference for the fault run.
    m_faultFreeSets = driver.signatureSets();
    m_faultFreeSlots.clear();
    for (const SubRecord &r : std::as_const(driver.subs))
        m_faultFreeSlots.append(r.txSlots);
    // Every fixture transaction of the batch range landed in some sub-session,
    // and more than one sub-session carries transactions.
    QVERIFY(std::count_if(m_faultFreeSets.cbegin(), m_faultFreeSets.cend(),
                          [](const QSet<QString> &set) { return !set.isEmpty(); }) > 4);
}

void tst_ParallelBatch::controlDropsLoseNothingAndReattachWithTheCursors()
{
    QVERIFY(ensureFaultFreeReference());
    RefServerConfig config{.slotDelayMs = 5}; // events trickle: drops land at many points, all 12 long before the end
    QVERIFY(startServer(config));
    ConnectionPolicy policy = quickResetPolicy();
    policy.maxAttempts = 40; // every connection is dropped within the uptime reset
    newBatch(1000, 1799, policy);
    Driver driver(*m_batch);
    m_batch->start();
    driver.watchControl();

    // Drop the server's end of the control socket a dozen times, 60 delivered
    // events apart, from the event loop: mid-step, mid-replay, mid-attach.
    int aborted = 0;
    int nextDropAt = 60;
    bool dropPending = false;
    RefServer *server = m_server.get();
    driver.onControlEvent = [&, server](int events) {
        // Frames the client had already received still arrive after an abort:
        // the next drop waits until the client re-attached.
        if (dropPending || aborted >= 12 || events < nextDropAt || driver.reattached < aborted)
            return;
        dropPending = true;
        QTimer::singleShot(0, server, [&, server, events] {
            dropPending = false;
            if (abortServerControlSockets(*server) > 0) {
                ++aborted;
                nextDropAt = events + 60;
            }
        });
    };

    QTRY_VERIFY_WITH_TIMEOUT(driver.batchFinished, 90'000);
    checkRun(driver, 1000, 8);
    QCOMPARE(aborted, 12);

    // Per sub-session, exactly the fault-free transactions, in the same slots.
    QCOMPARE(driver.signatureSets(), m_faultFreeSets);
    for (int i = 0; i < 8; ++i)
        QCOMPARE(driver.subs.at(i).txSlots, m_faultFreeSlots.at(i));

    // Every re-attach carried, per sub-session, the last seq_id delivered
    // before it went out; the server received exactly those cursors.
    QList<QMap<QString, quint64>> transcriptCursors;
    QString controlId;
    for (const TranscriptEntry &entry : m_server->transcript()) {
        const Result<ControlRequest> request = decodeControlRequest(entry.text.toUtf8());
        if (!request)
            continue;
        if (const auto *attach = std::get_if<Requests::AttachParallelControlSessionV2>(&*request)) {
            transcriptCursors.append(attach->lastSequences);
            controlId = attach->controlSessionId;
        }
    }
    // Each abort hit a connection whose create / attach the server had read,
    // so each one cost exactly one re-attach.
    QCOMPARE(transcriptCursors.size(), aborted);
    QCOMPARE(transcriptCursors, driver.cursorsAtAttach);
    QCOMPARE(controlId, m_batch->controlSessionId());
    QCOMPARE(driver.reattached, int(transcriptCursors.size()));
    QCOMPARE(m_batch->control()->createsSent(), 1);
    QVERIFY(driver.repeatedEvents.isEmpty());
}

void tst_ParallelBatch::dataDropsParkBehindSiblingsAndLoseNothing()
{
    QVERIFY(ensureFaultFreeReference());
    // Subscription sockets dropped under one shared bandwidth cap; every
    // reconnect is gated (no ungated attempts), so a dropped subscription parks
    // until its siblings stopped streaming, then reconnects alone and replays.
    RefServerConfig config;
    config.dataFaults.dropEveryNotifications = 2;
    config.dataFaults.maxDrops = 4;
    config.dataFaults.bandwidthBytesPerSecond = 4'000'000;
    QVERIFY(startServer(config));
    ConnectionPolicy policy = quickResetPolicy();
    policy.ungatedAttempts = 0;
    newBatch(1000, 1799, policy);
    Driver driver(*m_batch);
    int maxParked = 0;
    connect(m_batch->reconnectCoordinator(), &ReconnectCoordinator::changed, this, [&] {
        maxParked = std::max(maxParked, m_batch->reconnectCoordinator()->parkedCount());
    });
    m_batch->start();
    driver.watchControl();

    QTRY_VERIFY_WITH_TIMEOUT(driver.batchFinished, 90'000);
    checkRun(driver, 1000, 8);
    QCOMPARE(driver.signatureSets(), m_faultFreeSets);
    for (int i = 0; i < 8; ++i)
        QCOMPARE(driver.subs.at(i).txSlots, m_faultFreeSlots.at(i));
    int reconnects = 0;
    int parkedSubs = 0;
    for (const SubRecord &r : std::as_const(driver.subs)) {
        reconnects += r.reconnects;
        if (r.subscriptionStatuses.contains(ConnectionStatus::Parked))
            ++parkedSubs;
    }
    QVERIFY2(reconnects >= 4, qPrintable(QString::number(reconnects)));
    QVERIFY(parkedSubs >= 1);
    QVERIFY(maxParked >= 1);
    QCOMPARE(m_batch->reconnectCoordinator()->streamingCount(), 0);
    QCOMPARE(m_batch->reconnectCoordinator()->parkedCount(), 0);
    QCOMPARE(m_batch->reconnectCoordinator()->permitHolder(), nullptr);
}

void tst_ParallelBatch::oldServerWithoutRangesFailsClearly()
{
    RefServerConfig config{.omitParallelRanges = true};
    QVERIFY(startServer(config));
    newBatch(1000, 1799);
    Driver driver(*m_batch);
    m_batch->start();

    QTRY_VERIFY_WITH_TIMEOUT(driver.batchFinished, 10'000);
    QCOMPARE(driver.batchErrors.size(), 1);
    QCOMPARE(driver.batchErrors.first().kind, ManagedSessionError::Kind::Create);
    QCOMPARE(driver.batchErrors.first().message,
             u"the server did not report the sub-session slot ranges (too old for parallel batches)"_s);
    QCOMPARE(m_batch->state(), ManagedParallelSession::State::Failed);
    QVERIFY(driver.subs.isEmpty());
    QVERIFY(m_batch->subSessions().isEmpty());
    // Fatal at once: one create, no retry, no subscription.
    int controlFrames = 0;
    for (const TranscriptEntry &entry : m_server->transcript()) {
        QCOMPARE(entry.kind, TranscriptEntry::Kind::Control);
        ++controlFrames;
    }
    QCOMPARE(controlFrames, 1);
}

void tst_ParallelBatch::wrongApiKeyFailsClearly()
{
    QVERIFY(startServer());
    m_batch = std::make_unique<ManagedParallelSession>(m_server->controlUrl().toString(), u"wrong-key"_s,
                                                       batchRange(1000, 1199), quickResetPolicy());
    Driver driver(*m_batch);
    m_batch->start();
    QTRY_VERIFY_WITH_TIMEOUT(driver.batchFinished, 10'000);
    QCOMPARE(driver.batchErrors.size(), 1);
    QCOMPARE(driver.batchErrors.first().kind, ManagedSessionError::Kind::Create);
    QCOMPARE(driver.batchErrors.first().message, u"API key rejected by the server (HTTP 401)"_s);
    QVERIFY(m_server->transcript().isEmpty());
}

void tst_ParallelBatch::continueWaitsForTheSubscriptions()
{
    QVERIFY(startServer());
    newBatch(1000, 1199);
    QList<bool> queuedAtCreation;
    QList<int> sent;
    connect(m_batch.get(), &ManagedParallelSession::created, this,
            [&](const QString &, const QList<ParallelSubSession *> &subs) {
                for (ParallelSubSession *sub : subs) {
                    const int i = int(sent.size());
                    sent.append(0);
                    connect(sub, &ParallelSubSession::continueSent, this, [&sent, i] { ++sent[i]; });
                    // Right at creation: the control is Up, the subscription is not yet.
                    connect(sub, &ParallelSubSession::created, this, [&queuedAtCreation, sub] {
                        QVERIFY(sub->sendContinue(ContinueParams{}).ok());
                        queuedAtCreation.append(sub->isContinueQueued());
                        QVERIFY(!sub->sendContinue(ContinueParams{}).ok()); // one at a time
                    });
                }
            });
    m_batch->start();
    QTRY_COMPARE_WITH_TIMEOUT(sent, (QList<int>{1, 1}), 10'000);
    QCOMPARE(queuedAtCreation, (QList<bool>{true, true}));
    // On the wire each continueSessionV1 follows its sub-session's subscribe.
    QStringList order;
    for (const TranscriptEntry &entry : m_server->transcript()) {
        if (entry.kind == TranscriptEntry::Kind::Subscription)
            order.append(u"subscribe "_s + entry.sessionId);
        else if (const Result<ControlRequest> r = decodeControlRequest(entry.text.toUtf8());
                 r && std::holds_alternative<Requests::ContinueSessionV1>(*r))
            order.append(u"continue "_s + std::get<Requests::ContinueSessionV1>(*r).sessionId);
    }
    QCOMPARE(order.size(), 4);
    for (const ParallelSubSession *sub : m_batch->subSessions())
        QVERIFY(order.indexOf(u"subscribe "_s + sub->sessionId()) < order.indexOf(u"continue "_s + sub->sessionId()));
}

void tst_ParallelBatch::subSessionShutdownClosesOnlyIt()
{
    RefServerConfig config{.slotDelayMs = 3}; // a sub-session takes ≥ 300 ms: time to stop one
    QVERIFY(startServer(config));
    newBatch(1000, 1299);
    Driver driver(*m_batch);
    m_batch->start();
    driver.watchControl();
    QTRY_COMPARE_WITH_TIMEOUT(int(driver.subs.size()), 3, 10'000);
    ParallelSubSession *first = m_batch->subSessions().first();
    QTRY_VERIFY_WITH_TIMEOUT(driver.subs.first().readies >= 1, 10'000);
    first->shutdown();
    QCOMPARE(first->state(), ParallelSubSession::State::ShutDown);

    // The others run to completion; the batch ends without claiming completion.
    QTRY_VERIFY_WITH_TIMEOUT(driver.batchFinished, 30'000);
    QVERIFY(driver.subs.at(1).completed && driver.subs.at(2).completed);
    QVERIFY(!driver.subs.at(0).completed);
    QVERIFY(!driver.batchCompleted);
    QVERIFY(driver.batchErrors.isEmpty());
    QCOMPARE(m_batch->state(), ManagedParallelSession::State::ShutDown);
    QStringList methods;
    for (const TranscriptEntry &entry : m_server->transcript()) {
        if (const Result<ControlRequest> r = decodeControlRequest(entry.text.toUtf8()); r) {
            methods.append(methodName(*r));
            if (const auto *close = std::get_if<Requests::CloseSessionV1>(&*r))
                QCOMPARE(close->sessionId, first->sessionId());
        }
    }
    QCOMPARE(methods.count(u"closeSessionV1"_s), 1);
    QCOMPARE(methods.last(), u"closeBacktestSession"_s);
}

void tst_ParallelBatch::batchShutdownClosesEverything()
{
    RefServerConfig config{.slotDelayMs = 3};
    QVERIFY(startServer(config));
    newBatch(1000, 1399);
    Driver driver(*m_batch);
    m_batch->start();
    QTRY_COMPARE_WITH_TIMEOUT(m_server->activeSessionCount(), 4, 10'000);
    QTRY_VERIFY_WITH_TIMEOUT(driver.subs.size() == 4 && driver.subs.first().readies >= 1, 10'000);
    m_batch->shutdown();
    QCOMPARE(m_batch->state(), ManagedParallelSession::State::ShutDown);
    QTRY_VERIFY_WITH_TIMEOUT(driver.batchFinished, 10'000);
    QVERIFY(driver.batchErrors.isEmpty());
    for (const ParallelSubSession *sub : m_batch->subSessions())
        QCOMPARE(sub->state(), ParallelSubSession::State::ShutDown);
    QStringList methods;
    for (const TranscriptEntry &entry : m_server->transcript()) {
        if (const Result<ControlRequest> r = decodeControlRequest(entry.text.toUtf8()); r)
            methods.append(methodName(*r));
    }
    QCOMPARE(methods.last(), u"closeBacktestSession"_s);
    QCOMPARE(methods.count(u"closeSessionV1"_s), 0); // one close for the whole batch
    QTRY_COMPARE_WITH_TIMEOUT(m_server->activeSessionCount(), 0, 10'000);
}

void tst_ParallelBatch::sixtyFourSubSessionsComplete()
{
    QVERIFY(startServer());
    newBatch(1000, 7399);
    Driver driver(*m_batch);
    QElapsedTimer timer;
    timer.start();
    m_batch->start();
    driver.watchControl();

    QTRY_VERIFY_WITH_TIMEOUT(driver.batchFinished, 120'000);
    qInfo() << "64 sub-sessions (6400 slots, 256 Continues) completed in" << timer.elapsed() << "ms";
    checkRun(driver, 1000, 64);
    QCOMPARE(m_batch->reconnectCoordinator()->streamingCount(), 0);
    QCOMPARE(m_batch->reconnectCoordinator()->parkedCount(), 0);
}

QTEST_GUILESS_MAIN(tst_ParallelBatch)
#include "tst_parallelbatch.moc"
