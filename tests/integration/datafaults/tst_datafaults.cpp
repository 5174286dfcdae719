// The data plane never loses a transaction: SessionEngine / ManagedSession
// end to end against lib/refserver (127.0.0.1, port 0) replaying the 31 real
// mainnet transactions of SLOTSCOPE_FIXTURES_DIR over slots 2000..2099, with
// account diffs on and millisecond timings, under each data fault of the
// reference server (drop every N notifications, stall then recover, one
// bandwidth cap shared by every data-plane socket), with and without zstd
// (PROTOCOL.md §5.4, §5.8, §6.6, §6.7).
//
// For every fault the capture holds exactly the transactions and account
// diffs of the fault-free run — nothing lost, nothing twice — and the server
// transcript shows every resubscribe carried replayFromSlot = the highest
// slot the client had been delivered on that subscription. A drain stalled
// past the idle backstop fails the run after the drained events; a
// subscription merely reconnecting during the drain does not; a Continue
// pressed while a subscription is Down is sent once, after it is Up again.
// A subscription that comes back after its resume slot left the server's
// 100-slot replay window names the slots it missed (replay_gap), and the
// run does not pass for whole.

#include "capture/capturereader.h"
#include "capture/capturewriter.h"
#include "capture/csvexporter.h"
#include "engine/sessionengine.h"
#include "protocol/controlmessages.h"
#include "protocol/dataplane.h"
#include "refserver/refserver.h"
#include "session/managedsession.h"
#include "support/fixtures.h"
#include "support/policies.h"
#include "workbench/eventreplay.h"

#include <QFile>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace SlotScope;
using namespace SlotScope::Testing;
using namespace Qt::StringLiterals;
using std::chrono::milliseconds;

Q_DECLARE_METATYPE(SlotScope::DataFaults)

namespace {

const QString kApiKey = u"data-faults-key"_s;
constexpr quint64 kStart = 2000;
constexpr quint64 kEnd = 2099;
constexpr int kRunTimeoutMs = 60'000;
constexpr int kDropEvery = 25; // notifications per socket between drops

ConnectionPolicy runPolicy()
{
    ConnectionPolicy policy = refServerPolicy();
    policy.drainIdleTimeout = milliseconds{2000};
    return policy;
}

// Which subscription a subscribe request belongs to: method + filter.
QString subscriptionKey(const SubscribeRequest &request)
{
    return request.method + u' ' + request.accounts.join(u',');
}

QString subscriptionKey(const SubscriptionSpec &spec)
{
    return spec.kind == SubscriptionKind::AccountDiffs
               ? u"accountDiffSubscribe "_s + spec.address
               : u"transactionSubscribe "_s + spec.programIds.join(u',');
}

QString describe(const std::optional<quint64> &slot)
{
    return slot ? QString::number(*slot) : u"none"_s;
}

// What the client did on one subscription socket, seen from its signals.
struct ClientSubscription
{
    std::optional<quint64> highestDelivered; // over the notifications delivered so far
    QList<std::optional<quint64>> sentReplays;   // replayFromSlot of each subscribe sent
    QList<std::optional<quint64>> deliveredAtSend; // highestDelivered when it was sent
    QList<bool> sentZstd;
    qint64 compressedFrames = 0;
    qint64 corruptFrames = 0;
    qint64 duplicatesDropped = 0;
};

// Everything one run left behind.
struct RunResult
{
    RunOutcome outcome;
    bool finished = false;
    QStringList transactions; // "slot signature", capture order
    QStringList diffs;        // "slot signature account", events order
    std::optional<CaptureSummary> summary;
    QList<CaptureEvent> events;
    QHash<QString, std::shared_ptr<ClientSubscription>> client;    // by subscriptionKey
    QHash<QString, QList<SubscribeRequest>> serverSubscribes;      // by subscriptionKey, arrival order
    bool subscriptionDownWhileDraining = false;
    bool hooked = false;
    QStringList stateDetails; // every session row's state detail the engine sent, in order
};

// Watch every SubscriptionManager of `session` from before its first subscribe.
void hookSubscriptions(ManagedSession *session, RunResult &result, QObject *context)
{
    QObject::connect(session, &ManagedSession::connectionStatusChanged, context,
                     [session, &result](const QString &label, ConnectionStatus status) {
                         if (label != u"control"_s && status != ConnectionStatus::Up
                             && session->state() == ManagedSession::State::Draining)
                             result.subscriptionDownWhileDraining = true;
                     });
    // The managers open right after created() is emitted; their first
    // subscribe needs a TCP connect and an HTTP upgrade, several event-loop
    // turns later, so a queued call is in time (checked: the first recorded
    // subscribe must be the initial one).
    QObject::connect(session, &ManagedSession::created, context, [session, &result, context] {
        QMetaObject::invokeMethod(context, [session, &result] {
            result.hooked = true;
            for (SubscriptionManager *manager : session->subscriptions()) {
                auto observed = std::make_shared<ClientSubscription>();
                result.client.insert(subscriptionKey(manager->spec()), observed);
                auto deliver = [observed](quint64 slot) {
                    if (!observed->highestDelivered || slot > *observed->highestDelivered)
                        observed->highestDelivered = slot;
                };
                QObject::connect(manager, &SubscriptionManager::transactionReceived, manager,
                                 [deliver](const TransactionSummary &summary, QByteArrayView) { deliver(summary.slot); });
                QObject::connect(manager, &SubscriptionManager::accountDiffReceived, manager,
                                 [deliver](quint64 slot) { deliver(slot); });
                QObject::connect(manager, &WebSocketConnection::frameSent, manager, [observed](QByteArrayView frame) {
                    const Result<SubscribeRequest> request = decodeSubscribeRequest(frame);
                    if (!request || !request->method.endsWith(u"Subscribe"_s))
                        return;
                    observed->sentReplays.append(request->replayFromSlot);
                    observed->deliveredAtSend.append(observed->highestDelivered);
                    observed->sentZstd.append(request->zstd);
                });
                QObject::connect(manager, &WebSocketConnection::finished, manager, [observed, manager] {
                    observed->compressedFrames = manager->compressedFrames();
                    observed->corruptFrames = manager->corruptFrames();
                    observed->duplicatesDropped = manager->duplicatesDropped();
                });
            }
        }, Qt::QueuedConnection);
    });
}

// The subscribes the server received, by subscription.
QHash<QString, QList<SubscribeRequest>> serverSubscribes(const RefServer &server)
{
    QHash<QString, QList<SubscribeRequest>> byKey;
    for (const TranscriptEntry &entry : server.transcript()) {
        if (entry.kind != TranscriptEntry::Kind::Subscription)
            continue;
        const Result<SubscribeRequest> request = decodeSubscribeRequest(entry.text.toUtf8());
        if (request)
            byKey[subscriptionKey(*request)].append(*request);
    }
    return byKey;
}

QString controlMethod(const TranscriptEntry &entry)
{
    const Result<ControlRequest> request = decodeControlRequest(entry.text.toUtf8());
    return request ? methodName(*request) : QString();
}

QStringList controlMethods(const RefServer &server)
{
    QStringList methods;
    for (const TranscriptEntry &entry : server.transcript()) {
        if (entry.kind == TranscriptEntry::Kind::Control)
            methods.append(controlMethod(entry));
    }
    return methods;
}

} // namespace

class tst_DataFaults : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void accountDiffsExportAsCsv();
    void faultsLoseNothing_data();
    void faultsLoseNothing();
    void drainStalledPastTheBackstopFailsAfterTheDrainedEvents();
    void stopDuringTheDrainEndsItsWaitAndClaimsNoLingeringSession();
    void reconnectingDuringTheDrainIsNotAStall();
    void continueWhileASubscriptionIsDownIsSentOnceAfterUp();
    void resumingPastTheReplayWindowNamesTheMissedSlots();
    void aQuietSubscriptionBackInTimeMissesNothing();
    void slotsBehindGrowsWhileASubscriptionIsDown();

private:
    std::unique_ptr<RefServer> startServer(const DataFaults &faults, int slotDelayMs = 0) const;
    RunConfig runConfig(const QString &name, bool zstd, bool accountDiffs) const;
    // Run `config` against a fresh server with `faults` to its end.
    void run(const DataFaults &faults, const RunConfig &config, const ConnectionPolicy &policy,
             RunResult &result, int slotDelayMs = 0) const;
    // Every resubscribe the server saw carried the highest slot the client had.
    void verifyReplays(const RunResult &result, bool zstd) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    RunResult m_baseline; // fault-free, zstd on, account diffs on
};

std::unique_ptr<RefServer> tst_DataFaults::startServer(const DataFaults &faults, int slotDelayMs) const
{
    RefServerConfig config{.apiKey = kApiKey, .txDir = fixturesDir(), .slotDelayMs = slotDelayMs, .dataFaults = faults};
    auto server = std::make_unique<RefServer>(config);
    const Result<void> listening = server->listen();
    if (!listening) {
        qWarning() << listening.error().message;
        return nullptr;
    }
    return server;
}

RunConfig tst_DataFaults::runConfig(const QString &name, bool zstd, bool accountDiffs) const
{
    RunConfig config;
    config.target = RunConfig::Target::Url;
    config.apiKey = kApiKey;
    config.startSlot = kStart;
    config.endSlot = kEnd;
    config.advanceCount = 10;
    config.drive = RunConfig::Drive::RunToEnd;
    config.accountDiffs = accountDiffs;
    config.zstd = zstd;
    config.capturePath = m_dir->filePath(name + u".ndjson"_s);
    return config;
}

void tst_DataFaults::run(const DataFaults &faults, const RunConfig &baseConfig, const ConnectionPolicy &policy,
                         RunResult &result, int slotDelayMs) const
{
    std::unique_ptr<RefServer> server = startServer(faults, slotDelayMs);
    QVERIFY(server);
    RunConfig config = baseConfig;
    config.url = server->controlUrl().toString();

    SessionEngine engine;
    engine.setConnectionPolicy(policy);
    QObject context;
    QObject::connect(&engine, &SessionEngine::runFinished, &context, [&result](const RunOutcome &outcome) {
        result.outcome = outcome;
        result.finished = true;
    });
    QObject::connect(&engine, &SessionEngine::modelUpdated, &context, [&result](const ModelUpdate &update) {
        for (const SessionUpdate &row : update.sessions) {
            if (row.stateDetail)
                result.stateDetails.append(*row.stateDetail);
        }
    });
    engine.start(config, config.url);
    auto *session = engine.findChild<ManagedSession *>();
    QVERIFY(session);
    hookSubscriptions(session, result, &context);

    QTRY_VERIFY_WITH_TIMEOUT(result.finished, kRunTimeoutMs);
    QVERIFY(result.hooked);
    // The session closes its sockets after the run; the last subscribes are in.
    QTRY_VERIFY_WITH_TIMEOUT(!engine.findChild<ManagedSession *>(), 5000);
    result.serverSubscribes = serverSubscribes(*server);

    Result<QList<CapturedTransaction>> transactions = CaptureReader::readAllTransactions(config.capturePath);
    QVERIFY2(transactions.ok(), transactions.ok() ? "" : qPrintable(transactions.error().message));
    for (const CapturedTransaction &transaction : std::as_const(*transactions))
        result.transactions.append(u"%1 %2"_s.arg(transaction.slot).arg(transaction.signature));
    CaptureReader reader;
    QVERIFY(reader.open(config.capturePath).ok());
    CapturedTransaction ignored;
    while (reader.readNext(ignored)) {
    }
    result.summary = reader.summary();

    Result<QList<CaptureEvent>> events = CaptureEventReader::readAll(CaptureWriter::eventsPathFor(config.capturePath));
    QVERIFY(events.ok());
    result.events = *events;
    for (const CaptureEvent &event : std::as_const(result.events)) {
        if (event.type != u"account_diff")
            continue;
        const quint64 slot = quint64(event.data.value(u"context"_s).toObject().value(u"slot"_s).toInteger());
        result.diffs.append(u"%1 %2 %3"_s.arg(slot)
                                .arg(event.data.value(u"signature"_s).toString(),
                                     event.data.value(u"account"_s).toString()));
    }
}

void tst_DataFaults::verifyReplays(const RunResult &result, bool zstd) const
{
    QCOMPARE(QSet<QString>(result.client.keyBegin(), result.client.keyEnd()),
             QSet<QString>(result.serverSubscribes.keyBegin(), result.serverSubscribes.keyEnd()));
    for (auto it = result.client.cbegin(); it != result.client.cend(); ++it) {
        const ClientSubscription &client = **it;
        const QList<SubscribeRequest> &server = result.serverSubscribes.value(it.key());
        // The server received exactly what the client sent, in order.
        QCOMPARE(client.sentReplays.size(), server.size());
        QVERIFY2(!client.sentReplays.isEmpty() && !client.sentReplays.first(), qPrintable(it.key()));
        for (qsizetype i = 0; i < server.size(); ++i) {
            const QString where = u"%1, subscribe %2: server saw replayFromSlot %3, the client had slot %4"_s
                                      .arg(it.key()).arg(i + 1)
                                      .arg(describe(server.at(i).replayFromSlot), describe(client.deliveredAtSend.at(i)));
            QVERIFY2(server.at(i).replayFromSlot == client.sentReplays.at(i), qPrintable(where));
            QVERIFY2(server.at(i).replayFromSlot == client.deliveredAtSend.at(i), qPrintable(where));
            QCOMPARE(server.at(i).zstd, zstd);
        }
        QCOMPARE(client.corruptFrames, qint64(0));
    }
}

void tst_DataFaults::initTestCase()
{
    qRegisterMetaType<ModelUpdate>();
    qRegisterMetaType<RunOutcome>();
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());

    run(DataFaults{}, runConfig(u"baseline"_s, true, true), runPolicy(), m_baseline);
    QVERIFY2(m_baseline.outcome.succeeded(), qPrintable(m_baseline.outcome.message));
    QCOMPARE(m_baseline.transactions.size(), 31);
    QCOMPARE(QSet<QString>(m_baseline.transactions.cbegin(), m_baseline.transactions.cend()).size(), 31);
    QVERIFY(m_baseline.diffs.size() > 31);
    QCOMPARE(QSet<QString>(m_baseline.diffs.cbegin(), m_baseline.diffs.cend()).size(), m_baseline.diffs.size());
    // Three sockets: transactions, and diffs of the token and system programs.
    QCOMPARE(m_baseline.client.size(), 3);
    for (const auto &client : std::as_const(m_baseline.client)) {
        QCOMPARE(client->sentReplays.size(), 1); // no fault, no resubscribe
        QVERIFY(client->compressedFrames > 0);
    }

    // A drop after every N-th notification must be able to get past the
    // largest slot of any socket (the replay re-sends it whole).
    // Diffs go to the socket of their owner program.
    QHash<QString, int> perSlot; // "owner slot" → diffs
    QHash<QString, int> perOwner;
    for (const CaptureEvent &event : std::as_const(m_baseline.events)) {
        if (event.type != u"account_diff")
            continue;
        const QJsonObject side = event.data.value(u"post"_s).isObject() ? event.data.value(u"post"_s).toObject()
                                                                          : event.data.value(u"pre"_s).toObject();
        const QString owner = side.value(u"owner"_s).toString();
        ++perOwner[owner];
        ++perSlot[owner + u' ' + QString::number(event.data.value(u"context"_s).toObject().value(u"slot"_s).toInteger())];
    }
    int largestSlot = 0;
    for (int count : std::as_const(perSlot))
        largestSlot = std::max(largestSlot, count);
    qInfo() << "baseline:" << m_baseline.transactions.size() << "transactions," << m_baseline.diffs.size()
            << "diffs by owner" << perOwner << "; largest slot of one socket:" << largestSlot;
    QCOMPARE(perOwner.size(), 2);
    QVERIFY2(largestSlot < kDropEvery, qPrintable(u"largest slot of one socket has %1 diffs"_s.arg(largestSlot)));
}

void tst_DataFaults::accountDiffsExportAsCsv()
{
    // The account_diff events of a capture are what the account-diff CSV reads
    // (DESIGN.md §5 --csv-kind account-diffs): one row per diff, in order.
    ExportRequest request;
    request.capturePath = m_dir->filePath(u"baseline.ndjson"_s);
    request.csvPath = m_dir->filePath(u"baseline-diffs.csv"_s);
    request.kind = ExportRequest::AccountDiffs;
    const Result<ExportStats> stats = CsvExporter::exportCsv(request, {}, nullptr);
    QVERIFY2(stats.ok(), stats.ok() ? "" : qPrintable(stats.error().message));
    QCOMPARE(stats->rowsWritten, qint64(m_baseline.diffs.size()));
    QCOMPARE(stats->duplicatesDropped, qint64(0));
    QFile csv(request.csvPath);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    QList<QByteArray> lines = csv.readAll().split('\n');
    QCOMPARE(lines.takeFirst().trimmed(), CsvExporter::header(ExportRequest::AccountDiffs).trimmed());
    QStringList rows; // "slot signature account" from columns 2–4
    for (const QByteArray &line : std::as_const(lines)) {
        const QList<QByteArray> cells = line.trimmed().split(',');
        if (cells.size() >= 4)
            rows.append(QString::fromUtf8(cells.at(1) + ' ' + cells.at(2) + ' ' + cells.at(3)));
    }
    QCOMPARE(rows, m_baseline.diffs);
}

void tst_DataFaults::faultsLoseNothing_data()
{
    QTest::addColumn<DataFaults>("faults");
    QTest::addColumn<bool>("zstd");
    QTest::addColumn<bool>("expectResubscribes");

    DataFaults drop{.dropEveryNotifications = kDropEvery, .maxDrops = 6};
    DataFaults stall;
    stall.stallAfterNotifications = 9;
    stall.stallMs = 400; // well inside the 2 s drain backstop
    stall.maxStalls = 3;
    DataFaults capped{.bandwidthBytesPerSecond = 600'000}; // shared by the three sockets
    DataFaults cappedDrop = capped;
    cappedDrop.dropEveryNotifications = kDropEvery;
    cappedDrop.maxDrops = 3;

    for (bool zstd : {true, false}) {
        const QString suffix = zstd ? u", zstd"_s : u", text"_s;
        QTest::addRow("%s", qPrintable(u"drop every %1"_s.arg(kDropEvery) + suffix)) << drop << zstd << true;
        QTest::addRow("%s", qPrintable(u"stall then recover"_s + suffix)) << stall << zstd << false;
        QTest::addRow("%s", qPrintable(u"bandwidth cap"_s + suffix)) << capped << zstd << false;
        QTest::addRow("%s", qPrintable(u"bandwidth cap and drops"_s + suffix)) << cappedDrop << zstd << true;
    }
}

void tst_DataFaults::faultsLoseNothing()
{
    QFETCH(DataFaults, faults);
    QFETCH(bool, zstd);
    QFETCH(bool, expectResubscribes);

    RunResult result;
    run(faults, runConfig(QString::fromLatin1(QTest::currentDataTag()).replace(u' ', u'-'), zstd, true),
        runPolicy(), result);
    if (QTest::currentTestFailed())
        return;
    QVERIFY2(result.outcome.succeeded(), qPrintable(result.outcome.message));
    QVERIFY(result.summary.has_value());

    // Nothing lost, nothing twice.
    QCOMPARE(QSet<QString>(result.transactions.cbegin(), result.transactions.cend()).size(),
             result.transactions.size());
    QCOMPARE(QSet<QString>(result.diffs.cbegin(), result.diffs.cend()).size(), result.diffs.size());
    QCOMPARE(QSet<QString>(result.transactions.cbegin(), result.transactions.cend()),
             QSet<QString>(m_baseline.transactions.cbegin(), m_baseline.transactions.cend()));
    QCOMPARE(QSet<QString>(result.diffs.cbegin(), result.diffs.cend()),
             QSet<QString>(m_baseline.diffs.cbegin(), m_baseline.diffs.cend()));
    // Each stream is also in execution order.
    QCOMPARE(result.transactions, m_baseline.transactions);

    verifyReplays(result, zstd);
    qsizetype resubscribes = 0;
    qint64 compressed = 0;
    for (const auto &client : std::as_const(result.client)) {
        resubscribes += client->sentReplays.size() - 1;
        compressed += client->compressedFrames;
    }
    QCOMPARE(resubscribes > 0, expectResubscribes);
    QCOMPARE(compressed > 0, zstd);
}

void tst_DataFaults::drainStalledPastTheBackstopFailsAfterTheDrainedEvents()
{
    // The transaction socket stops for good after 12 notifications; the
    // session completes on the control plane and the drain waits on an Up,
    // silent subscription until the (policy-scaled) backstop.
    DataFaults faults{.stallAfterNotifications = 12, .stallMs = 0};
    ConnectionPolicy policy = runPolicy();
    policy.drainIdleTimeout = milliseconds{400};
    RunResult result;
    run(faults, runConfig(u"stalled"_s, true, false), policy, result);
    if (QTest::currentTestFailed())
        return;

    QCOMPARE(result.outcome.kind, RunOutcome::Kind::Failed);
    QCOMPARE(result.outcome.category, RunOutcome::Category::Stalled);
    QVERIFY2(result.outcome.message.startsWith(u"completion drain stalled: subscription transactions is up"_s),
             qPrintable(result.outcome.message));
    QVERIFY(!result.outcome.captureComplete);
    QVERIFY(!result.summary); // truncated: no summary line
    // Every notification the server sent before the stall was captured, in order.
    QCOMPARE(result.transactions, m_baseline.transactions.mid(0, 12));
    // The error is the last word: after the drained events, no completed.
    QStringList types;
    for (const CaptureEvent &event : std::as_const(result.events))
        types.append(event.type);
    QVERIFY(!types.contains(u"completed"_s));
    const qsizetype error = types.lastIndexOf(u"error"_s);
    QVERIFY(error >= 0);
    QCOMPARE(result.events.at(error).data.value(u"kind"_s).toString(), u"drain stalled"_s);
    QVERIFY(!types.mid(error + 1).contains(u"account_diff"_s));
    // While the drain waited, the row said so (it read "running" at the last
    // slot reported for the whole backstop).
    QVERIFY2(result.stateDetails.contains(u"completed on the server; receiving the rest of its stream"_s),
             qPrintable(result.stateDetails.join(u" | "_s)));
}

void tst_DataFaults::stopDuringTheDrainEndsItsWaitAndClaimsNoLingeringSession()
{
    // The server completed the session; its stream stalls; the user stops
    // while the drain waits. The row is Stopped without the drain's words,
    // and the server, done with the session, is not said to keep it.
    std::unique_ptr<RefServer> server = startServer(DataFaults{.stallAfterNotifications = 12, .stallMs = 0});
    QVERIFY(server);
    RunConfig config = runConfig(u"stopped-draining"_s, true, false);
    config.url = server->controlUrl().toString();
    SessionEngine engine;
    ConnectionPolicy policy = runPolicy();
    policy.drainIdleTimeout = milliseconds{60'000};
    engine.setConnectionPolicy(policy);
    QList<SessionUpdate> rows;
    std::optional<RunOutcome> outcome;
    QObject context;
    QObject::connect(&engine, &SessionEngine::modelUpdated, &context, [&rows](const ModelUpdate &update) {
        rows.append(update.sessions);
    });
    QObject::connect(&engine, &SessionEngine::runFinished, &context,
                     [&outcome](const RunOutcome &finished) { outcome = finished; });
    const QString draining = u"completed on the server; receiving the rest of its stream"_s;
    engine.start(config, config.url);
    QTRY_VERIFY_WITH_TIMEOUT(std::any_of(rows.cbegin(), rows.cend(),
                                         [&draining](const SessionUpdate &row) { return row.stateDetail == draining; }),
                             kRunTimeoutMs);
    engine.stop();
    QVERIFY(outcome);
    QCOMPARE(outcome->kind, RunOutcome::Kind::Stopped);
    QVERIFY(!outcome->serverNotTold);
    QCOMPARE(outcome->message, u"stopped by the user"_s);
    QTRY_VERIFY_WITH_TIMEOUT(!engine.findChild<ManagedSession *>(), 5000);
    std::optional<QString> lastDetail;
    std::optional<SessionState> lastState;
    for (const SessionUpdate &row : std::as_const(rows)) {
        if (row.sessionId.isEmpty())
            continue;
        if (row.stateDetail)
            lastDetail = row.stateDetail;
        if (row.state)
            lastState = row.state;
    }
    QCOMPARE(lastState, std::optional<SessionState>(SessionState::Stopped));
    QCOMPARE(lastDetail, std::optional<QString>(QString()));
}

void tst_DataFaults::reconnectingDuringTheDrainIsNotAStall()
{
    // A capped link keeps the data plane far behind the control plane, so the
    // drops land during the drain; each outage (600 ms backoff) outlasts the
    // 300 ms idle backstop, which must keep waiting while the socket is Down.
    DataFaults faults;
    faults.bandwidthBytesPerSecond = 300'000;
    faults.dropEveryNotifications = 8;
    faults.maxDrops = 2;
    ConnectionPolicy policy = runPolicy();
    policy.drainIdleTimeout = milliseconds{300};
    policy.initialBackoff = milliseconds{600};
    policy.maxBackoff = milliseconds{600};
    RunResult result;
    run(faults, runConfig(u"reconnect-in-drain"_s, false, false), policy, result);
    if (QTest::currentTestFailed())
        return;

    QVERIFY2(result.outcome.succeeded(), qPrintable(result.outcome.message));
    QVERIFY(result.subscriptionDownWhileDraining);
    QCOMPARE(result.transactions, m_baseline.transactions);
    verifyReplays(result, false);
    QCOMPARE(result.client.value(u"transactionSubscribe "_s)->sentReplays.size(), 3); // two drops
}

void tst_DataFaults::continueWhileASubscriptionIsDownIsSentOnceAfterUp()
{
    DataFaults faults{.dropEveryNotifications = 3, .maxDrops = 1};
    std::unique_ptr<RefServer> server = startServer(faults);
    QVERIFY(server);
    ConnectionPolicy policy = runPolicy();
    policy.initialBackoff = milliseconds{500}; // Down long enough to press Continue
    policy.maxBackoff = milliseconds{500};
    ManagedSession session(server->controlUrl().toString(), kApiKey, CreateSessionParams{kStart, kEnd}, policy);
    int ready = 0;
    connect(&session, &ManagedSession::eventReceived, this, [&](const ManagedEvent &event) {
        if (std::holds_alternative<ManagedEvents::ReadyForContinue>(event))
            ++ready;
    });
    session.subscribeTransactions({});
    session.start();
    QTRY_COMPARE_WITH_TIMEOUT(ready, 1, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(session.subscriptionStatuses().first().status, ConnectionStatus::Up, 5000);

    ContinueParams params{.advanceCount = 20}; // six transactions: the socket drops after the third
    QVERIFY(session.sendContinue(params));
    QTRY_VERIFY_WITH_TIMEOUT(ready == 2 && session.subscriptionStatuses().first().status == ConnectionStatus::Down, 5000);

    QVERIFY(session.sendContinue(params));
    QVERIFY(session.isContinueQueued());
    QTRY_VERIFY_WITH_TIMEOUT(!session.isContinueQueued(), 5000);
    QCOMPARE(session.subscriptionStatuses().first().status, ConnectionStatus::Up);
    QTRY_COMPARE_WITH_TIMEOUT(ready, 3, 5000);
    // A barrier: the close request follows everything sent before it on the
    // control socket.
    session.shutdown();
    QTRY_VERIFY_WITH_TIMEOUT(controlMethods(*server).contains(u"closeBacktestSession"_s), 5000);

    // Transcript: the second continue arrived after the resubscribe, once.
    QStringList order;
    for (const TranscriptEntry &entry : server->transcript()) {
        if (entry.kind == TranscriptEntry::Kind::Control) {
            const QString method = controlMethod(entry);
            if (method == u"continue"_s)
                order.append(method);
        } else if (const Result<SubscribeRequest> request = decodeSubscribeRequest(entry.text.toUtf8())) {
            order.append(request->replayFromSlot ? u"resubscribe"_s : u"subscribe"_s);
        }
    }
    QCOMPARE(order, (QStringList{u"subscribe"_s, u"continue"_s, u"resubscribe"_s, u"continue"_s}));
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), ManagedSession::State::ShutDown, 2000);
}

void tst_DataFaults::resumingPastTheReplayWindowNamesTheMissedSlots()
{
    // One Continue covers 400 slots; the transaction socket drops after its
    // third notification and stays Down 1.5 s, while the server runs on to the
    // end of the range: only its last 100 slots can be replayed.
    constexpr quint64 end = kStart + 399;
    RunConfig config = runConfig(u"replay-gap"_s, false, false);
    config.endSlot = end;
    config.advanceCount = end - kStart + 1;
    ConnectionPolicy policy = runPolicy();
    policy.initialBackoff = milliseconds{1500};
    policy.maxBackoff = milliseconds{1500};

    RunResult baseline;
    config.capturePath = m_dir->filePath(u"replay-gap-baseline.ndjson"_s);
    run(DataFaults{}, config, policy, baseline);
    if (QTest::currentTestFailed())
        return;
    QVERIFY2(baseline.outcome.succeeded(), qPrintable(baseline.outcome.message));
    QCOMPARE(baseline.outcome.replayGaps, quint64(0));

    RunResult result;
    config.capturePath = m_dir->filePath(u"replay-gap.ndjson"_s);
    run(DataFaults{.dropEveryNotifications = 3, .maxDrops = 1}, config, policy, result);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(result.outcome.kind, RunOutcome::Kind::Completed);

    // The resubscribe asked for the slot of the third notification.
    const QList<SubscribeRequest> subscribes = result.serverSubscribes.value(u"transactionSubscribe "_s);
    QCOMPARE(subscribes.size(), 2);
    QVERIFY(subscribes.at(1).replayFromSlot);
    const quint64 resume = *subscribes.at(1).replayFromSlot;
    QCOMPARE(resume, baseline.transactions.at(2).section(u' ', 0, 0).toULongLong());

    // One replay_gap: resume slot … end − 100, seen at the end of the range.
    QList<CaptureEvent> gaps;
    for (const CaptureEvent &event : std::as_const(result.events)) {
        if (event.type == u"replay_gap")
            gaps.append(event);
    }
    QCOMPARE(gaps.size(), 1);
    const QJsonObject gap = gaps.first().data;
    QCOMPARE(gap.value(u"socket"_s).toString(), u"transactions"_s);
    // (The server ran to the end in ~0.3 s here; on a slow machine the
    // client may have heard of fewer slots by the time it was back.)
    const quint64 newest = quint64(gap.value(u"newest_slot"_s).toInteger());
    QVERIFY2(newest > resume + kServerReplaySlots && newest <= end, qPrintable(QString::number(newest)));
    const quint64 lastMissed = newest - kServerReplaySlots;
    QCOMPARE(quint64(gap.value(u"first_slot"_s).toInteger()), resume);
    QCOMPARE(quint64(gap.value(u"last_slot"_s).toInteger()), lastMissed);
    QCOMPARE(result.outcome.replayGaps, quint64(1));
    QCOMPARE(result.outcome.missedSlots, lastMissed - resume + 1);

    // What is missing is exactly some of the baseline's transactions of those
    // slots (up to what the server had run when the socket was back); the
    // rest came, once each.
    const QSet<QString> captured(result.transactions.cbegin(), result.transactions.cend());
    QCOMPARE(captured.size(), result.transactions.size());
    QStringList missing;
    for (const QString &transaction : std::as_const(baseline.transactions)) {
        if (!captured.contains(transaction))
            missing.append(transaction);
    }
    QVERIFY(!missing.isEmpty());
    for (const QString &transaction : std::as_const(missing)) {
        const quint64 slot = transaction.section(u' ', 0, 0).toULongLong();
        QVERIFY2(slot >= resume && slot <= end - kServerReplaySlots, qPrintable(transaction));
    }
    QCOMPARE(result.transactions.size() + missing.size(), baseline.transactions.size());

    // Reopened, the session row names the slots.
    EventReplay replay(config.capturePath, u"replay-gap"_s, std::nullopt);
    ReplayBatch batch;
    for (const CaptureEvent &event : std::as_const(result.events))
        replay.apply(event, batch);
    replay.finish({}, {}, batch);
    const QString expected = describeReplayGap(u"transactions"_s, resume, lastMissed, newest);
    QVERIFY(expected.contains(u"%1–%2"_s.arg(resume).arg(lastMissed)));
    bool named = false;
    for (const SessionUpdate &update : std::as_const(batch.sessions))
        named |= update.lastError == expected;
    QVERIFY2(named, qPrintable(expected));
}

void tst_DataFaults::aQuietSubscriptionBackInTimeMissesNothing()
{
    // A subscription to two fee payers gets one transaction early in the
    // range and one late: quiet for ~300 slots in between, long past the
    // server's 100-slot replay window. Its socket drops at slot 2300 and is
    // back ~10 slots later. Nothing was missed — the socket was up and
    // answering pings while the quiet slots ran — so no replay_gap, though
    // its replayFromSlot (the early slot) has left the window and its first
    // notification after the resubscribe is a late slot.
    constexpr quint64 end = kStart + 399;
    constexpr quint64 dropSlot = kStart + 300;
    constexpr int slotDelayMs = 10; // 4 s for the range; pings every 100 ms
    RunConfig config = runConfig(u"quiet-all"_s, false, false);
    config.endSlot = end;
    config.advanceCount = end - kStart + 1;
    ConnectionPolicy policy = runPolicy();
    policy.initialBackoff = milliseconds{100};
    policy.maxBackoff = milliseconds{100};

    // Which fee payers make such a subscription (the fixtures' order).
    RunResult all;
    run(DataFaults{}, config, policy, all);
    if (QTest::currentTestFailed())
        return;
    Result<QList<CapturedTransaction>> captured = CaptureReader::readAllTransactions(config.capturePath);
    QVERIFY(captured.ok());
    QString earlyPayer;
    QString latePayer;
    for (const CapturedTransaction &transaction : std::as_const(*captured)) {
        if (earlyPayer.isEmpty() && transaction.slot < kStart + 50)
            earlyPayer = transaction.feePayer;
        if (transaction.slot > dropSlot + 30 && transaction.slot < end - 20)
            latePayer = transaction.feePayer;
    }
    QVERIFY(!earlyPayer.isEmpty() && !latePayer.isEmpty());
    config.subscribePrograms = {earlyPayer, latePayer};

    RunResult baseline;
    config.capturePath = m_dir->filePath(u"quiet-baseline.ndjson"_s);
    run(DataFaults{}, config, policy, baseline, slotDelayMs);
    if (QTest::currentTestFailed())
        return;
    QVERIFY2(baseline.outcome.succeeded(), qPrintable(baseline.outcome.message));
    // Quiet from the early slots to past the drop and the window behind it.
    QList<quint64> seenSlots;
    for (const QString &transaction : std::as_const(baseline.transactions))
        seenSlots.append(transaction.section(u' ', 0, 0).toULongLong());
    QVERIFY2(seenSlots.size() >= 2, qPrintable(baseline.transactions.join(u", "_s)));
    quint64 lastEarly = 0;
    for (const quint64 slot : std::as_const(seenSlots)) {
        QVERIFY2(slot < kStart + 100 || slot > dropSlot + 20, qPrintable(baseline.transactions.join(u", "_s)));
        if (slot < kStart + 100)
            lastEarly = std::max(lastEarly, slot);
    }
    QVERIFY(lastEarly > 0);

    RunResult result;
    config.capturePath = m_dir->filePath(u"quiet.ndjson"_s);
    run(DataFaults{.dropAtSlot = dropSlot}, config, policy, result, slotDelayMs);
    if (QTest::currentTestFailed())
        return;
    QVERIFY2(result.outcome.succeeded(), qPrintable(result.outcome.message));
    // It did drop and resume from its early slot, out of the window by then.
    const QList<SubscribeRequest> subscribes = result.serverSubscribes.value(u"transactionSubscribe "_s
                                                                              + config.subscribePrograms.join(u','));
    QCOMPARE(subscribes.size(), 2);
    QCOMPARE(subscribes.at(1).replayFromSlot, std::optional<quint64>(lastEarly));
    QCOMPARE(result.outcome.replayGaps, quint64(0));
    for (const CaptureEvent &event : std::as_const(result.events))
        QVERIFY2(event.type != u"replay_gap", qPrintable(QJsonDocument(event.data).toJson(QJsonDocument::Compact)));
    QCOMPARE(result.transactions, baseline.transactions);
}

void tst_DataFaults::slotsBehindGrowsWhileASubscriptionIsDown()
{
    // What the coordinator panel shows for a waiting socket: how far the
    // session ran past its resume slot — here past the replay window, which
    // the resubscribe then reports once.
    constexpr quint64 end = kStart + 399;
    std::unique_ptr<RefServer> server = startServer(DataFaults{.dropEveryNotifications = 3, .maxDrops = 1});
    QVERIFY(server);
    ConnectionPolicy policy = runPolicy();
    policy.initialBackoff = milliseconds{1500};
    policy.maxBackoff = milliseconds{1500};
    ManagedSession session(server->controlUrl().toString(), kApiKey, CreateSessionParams{kStart, end}, policy);
    int ready = 0;
    connect(&session, &ManagedSession::eventReceived, this, [&](const ManagedEvent &event) {
        if (std::holds_alternative<ManagedEvents::ReadyForContinue>(event))
            ++ready;
    });
    QList<ReplayGap> gaps;
    connect(&session, &SessionCore::replayGapFound, this,
            [&gaps](const QString &, const ReplayGap &gap, quint64) { gaps.append(gap); });
    session.subscribeTransactions({}, false);
    session.start();
    QTRY_COMPARE_WITH_TIMEOUT(ready, 1, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(session.subscriptionStatuses().first().status, ConnectionStatus::Up, 5000);
    QCOMPARE(session.slotsBehind(u"transactions"_s), std::optional<quint64>(0)); // nothing received, at the start
    QCOMPARE(session.slotsBehind(u"account diffs"_s), std::nullopt);          // no such subscription

    QVERIFY(session.sendContinue(ContinueParams{.advanceCount = end - kStart + 1}));
    QTRY_VERIFY_WITH_TIMEOUT(session.currentSlot() == end
                                 && session.subscriptionStatuses().first().status != ConnectionStatus::Up,
                             5000);
    const std::optional<quint64> resume = session.subscriptions().first()->lastSlot();
    QVERIFY(resume);
    QCOMPARE(session.slotsBehind(u"transactions"_s), std::optional<quint64>(end - *resume));
    QVERIFY(*session.slotsBehind(u"transactions"_s) >= kServerReplaySlots);
    QVERIFY(gaps.isEmpty()); // not yet: only a resubscribe misses slots

    QTRY_COMPARE_WITH_TIMEOUT(gaps.size(), 1, 5000);
    QCOMPARE(gaps.first(), (ReplayGap{*resume, end - kServerReplaySlots}));
    session.shutdown();
}

QTEST_GUILESS_MAIN(tst_DataFaults)
#include "tst_datafaults.moc"
