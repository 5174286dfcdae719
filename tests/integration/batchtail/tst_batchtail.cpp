// The tail of a parallel batch (issue 8 item 8 and its "Done when"): the
// batch's closeBacktestSession goes out only once every sub-session's
// completion drain ended, so a data plane still draining — slowed by a shared
// bandwidth cap, dropped and replayed, or dropped after its sub-session's
// `completed` — is never torn down under it. Against lib/refserver on wire
// 0.31 (a closed batch is torn down at once: resubscribes get HTTP 404 and
// open data sockets end with a normal close), SessionEngine runs the batch to
// the end twice, fault-free and with the faults, and the capture of the
// faulty run holds exactly the fault-free run's transactions per sub-session
// (sub-sessions matched by their slot range), each once; the run completes
// (headless exit 0) only because nothing is missing.

#include "capture/capturereader.h"
#include "capture/capturewriter.h"
#include "engine/sessionengine.h"
#include "refserver/refserver.h"
#include "support/fixtures.h"
#include "support/policies.h"

#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace SlotScope;
using namespace SlotScope::Testing;
using namespace Qt::StringLiterals;
using std::chrono::milliseconds;

namespace {

const QString kApiKey = u"tail-key"_s;
constexpr quint64 kStart = 2000;

/// What one run left behind.
struct BatchRun
{
    RunOutcome outcome;
    bool finished = false;
    /// Sub-session start slot → the signatures captured for it, in capture order.
    QMap<quint64, QStringList> transactions;
    /// Sub-session id → its start slot (events file session_created).
    QHash<QString, quint64> startOf;
    /// When each sub-session's `completed` was journaled: after its drain ended.
    QHash<QString, QDateTime> drainEnded;
    /// The batch control connection's requests as the server received them.
    QList<TranscriptEntry> control;
    /// Resubscribes (replayFromSlot present) per session id, as received.
    QHash<QString, QList<QDateTime>> resubscribes;
    /// Session ids in the order the server sent their `completed`, and when.
    QList<std::pair<QString, QDateTime>> completedOnServer;
    RefServerFaultStats faults;
};

QString methodOf(const QString &text)
{
    return QJsonDocument::fromJson(text.toUtf8()).object().value(u"method"_s).toString();
}

} // namespace

class tst_BatchTail : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void eightSubSessionsKeepTheirTailUnderEveryFault();
    void twoHundredFiftySixSubSessionsWithFortyDataDrops();

private:
    /// A batch of `subSessions` bundles of `bundle` slots from kStart, against a
    /// 0.31 reference server of `serverConfig` with our key and the fixtures.
    BatchRun run(RefServerConfig serverConfig, int subSessions, quint64 bundle, const QString &name);
    void compareWithFaultFree(const BatchRun &faultFree, const BatchRun &faulty, int subSessions,
                              int perSubSession);

    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_BatchTail::initTestCase()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    qRegisterMetaType<ModelUpdate>();
    qRegisterMetaType<RunOutcome>();
}

BatchRun tst_BatchTail::run(RefServerConfig serverConfig, int subSessions, quint64 bundle, const QString &name)
{
    serverConfig.apiKey = kApiKey;
    serverConfig.txDir = fixturesDir();
    serverConfig.wire = WireVersion::V0_31;
    serverConfig.bundleSize = bundle;
    serverConfig.availableStart = kStart;
    BatchRun result;
    RefServer server(serverConfig);
    if (const Result<void> listening = server.listen(); !listening) {
        qWarning("refserver: %s", qPrintable(listening.error().message));
        return result;
    }

    QObject::connect(&server, &RefServer::sessionCompleted, &server, [&result](const QString &sessionId) {
        result.completedOnServer.append({sessionId, QDateTime::currentDateTimeUtc()});
    });

    ConnectionPolicy policy = batchPolicy();
    policy.maxAttempts = 30;
    policy.maxTotal = milliseconds{60'000};
    SessionEngine engine;
    engine.setConnectionPolicy(policy);
    QObject::connect(&engine, &SessionEngine::runFinished, &engine, [&result](const RunOutcome &outcome) {
        result.outcome = outcome;
        result.finished = true;
    });

    RunConfig config;
    config.target = RunConfig::Target::Url;
    config.url = server.controlUrl().toString();
    config.apiKey = kApiKey;
    config.startSlot = kStart;
    config.endSlot = kStart + quint64(subSessions) * bundle - 1;
    config.parallel = true;
    config.drive = RunConfig::Drive::RunToEnd;
    config.unattended = true;
    config.advanceCount = bundle;
    config.capturePath = m_dir->filePath(name + u".ndjson"_s);
    engine.start(config, server.controlUrl().toString());
    if (!QTest::qWaitFor([&result] { return result.finished; }, 40'000)) {
        qWarning("%s: the run did not finish", qPrintable(name));
        return result;
    }
    // The batch's close goes out after runFinished (the graceful close).
    if (!QTest::qWaitFor([&engine] { return !engine.isClosing(); }, 5000))
        qWarning("%s: the sockets did not close", qPrintable(name));

    result.faults = server.faultStats();
    for (const TranscriptEntry &entry : server.transcript()) {
        if (entry.kind == TranscriptEntry::Kind::Control) {
            result.control.append(entry);
        } else if (entry.text.contains(u"replayFromSlot"_s)) {
            result.resubscribes[entry.sessionId].append(entry.time);
        }
    }

    CaptureEventReader events;
    if (!events.open(CaptureWriter::eventsPathFor(config.capturePath)).ok())
        return result;
    CaptureEvent event;
    while (events.readNext(event)) {
        if (event.type == u"session_created"_s && event.data.contains(u"start_slot"_s))
            result.startOf.insert(event.sessionId, quint64(event.data.value(u"start_slot"_s).toInteger()));
        else if (event.type == u"completed"_s)
            result.drainEnded.insert(event.sessionId, event.at);
    }
    CaptureReader capture;
    if (!capture.open(config.capturePath).ok())
        return result;
    CapturedTransaction tx;
    while (capture.readNext(tx))
        result.transactions[result.startOf.value(tx.sessionId, 0)].append(tx.signature);
    return result;
}

void tst_BatchTail::compareWithFaultFree(const BatchRun &faultFree, const BatchRun &faulty, int subSessions,
                                         int perSubSession)
{
    QVERIFY2(faultFree.outcome.succeeded(), qPrintable(faultFree.outcome.message));
    QCOMPARE(faultFree.transactions.size(), subSessions);
    for (const QStringList &signatures : faultFree.transactions)
        QCOMPARE(signatures.size(), perSubSession);

    // Exit 0 (Completed with a complete capture) only with nothing missing.
    QVERIFY2(faulty.outcome.succeeded(), qPrintable(faulty.outcome.message));
    QCOMPARE(faulty.outcome.transactions, quint64(subSessions) * quint64(perSubSession));
    QCOMPARE(faulty.transactions.keys(), faultFree.transactions.keys());
    for (auto it = faultFree.transactions.cbegin(); it != faultFree.transactions.cend(); ++it) {
        const QStringList &got = faulty.transactions.value(it.key());
        // Nothing duplicated…
        QCOMPARE(QSet<QString>(got.cbegin(), got.cend()).size(), got.size());
        // …nothing lost, nothing else.
        QCOMPARE(QSet<QString>(got.cbegin(), got.cend()), QSet<QString>(it->cbegin(), it->cend()));
    }
}

void tst_BatchTail::eightSubSessionsKeepTheirTailUnderEveryFault()
{
    constexpr int kSubSessions = 8;
    constexpr quint64 kBundle = 10;
    constexpr int kTxPerSlot = 4;

    RefServerConfig base;
    base.transactionsPerSlot = kTxPerSlot;
    base.slotDelayMs = 10; // the sub-sessions complete while their data planes still stream
    const BatchRun faultFree = run(base, kSubSessions, kBundle, u"eight-fault-free"_s);

    RefServerConfig faulty = base;
    // The control socket is aborted every 40 frames (four times at most)…
    faulty.controlFaults.abortEveryFrames = 40;
    faulty.controlFaults.maxAborts = 4;
    // …data sockets are dropped at their 25th notification (four of them),
    // one constrained link for all…
    faulty.dataFaults.dropEveryNotifications = 25;
    faulty.dataFaults.maxDrops = 4;
    faulty.dataFaults.bandwidthBytesPerSecond = 1'500'000;
    // …and a sub-session's data socket not dropping already is aborted right
    // after its `completed`, with its tail still queued behind the cap: only
    // a resubscribe before the batch's close gets that tail.
    faulty.dataFaults.dropAtCompletion = kSubSessions;
    faulty.dataFaults.dropAtCompletionDelayMs = 20;
    const BatchRun withFaults = run(faulty, kSubSessions, kBundle, u"eight-faulty"_s);

    compareWithFaultFree(faultFree, withFaults, kSubSessions, int(kBundle) * kTxPerSlot);
    if (QTest::currentTestFailed())
        return;
    // Every fault happened.
    QVERIFY2(withFaults.faults.controlAborts >= 1, "no control drop");
    QCOMPARE(withFaults.faults.subscriptionDrops, 4);
    QVERIFY2(withFaults.faults.completionDrops >= 1, "no data socket dropped after its completed");

    // The batch's control connection: closeBacktestSession once, last, and
    // only after every sub-session's drain ended — including the resubscribes
    // that fetched the tails dropped after `completed`.
    QStringList methods;
    QDateTime closeAt;
    for (const TranscriptEntry &entry : withFaults.control) {
        methods.append(methodOf(entry.text));
        if (methods.last() == u"closeBacktestSession"_s)
            closeAt = entry.time;
    }
    QCOMPARE(methods.count(u"closeBacktestSession"_s), 1);
    QCOMPARE(methods.last(), u"closeBacktestSession"_s);
    QVERIFY(methods.count(u"attachParallelControlSessionV2"_s) >= 1);
    QCOMPARE(withFaults.drainEnded.size(), kSubSessions);
    QDateTime lastDrainEnded;
    for (auto it = withFaults.drainEnded.cbegin(); it != withFaults.drainEnded.cend(); ++it) {
        QVERIFY2(it.value() <= closeAt, qPrintable(u"%1 drained at %2, the batch closed at %3"_s.arg(
                                            it.key(), it.value().toString(Qt::ISODateWithMs),
                                            closeAt.toString(Qt::ISODateWithMs))));
        lastDrainEnded = std::max(lastDrainEnded, it.value());
        for (const QDateTime &resubscribed : withFaults.resubscribes.value(it.key()))
            QVERIFY(resubscribed <= closeAt);
    }
    // The last sub-session to complete lost its data socket after that
    // `completed` and got its tail back by resubscribing, before the close.
    QCOMPARE(withFaults.completedOnServer.size(), kSubSessions);
    const auto &[lastCompleted, lastCompletedAt] = withFaults.completedOnServer.constLast();
    const QList<QDateTime> lastResubscribes = withFaults.resubscribes.value(lastCompleted);
    QVERIFY2(std::any_of(lastResubscribes.cbegin(), lastResubscribes.cend(),
                         [&](const QDateTime &at) { return at >= lastCompletedAt && at <= closeAt; }),
             qPrintable(u"%1 completed at %2 and did not resubscribe before the close"_s.arg(
                 lastCompleted, lastCompletedAt.toString(Qt::ISODateWithMs))));
    qInfo("last drain ended %s, batch closed %s; %d control drops, %d data drops, %d drops after completed",
          qPrintable(lastDrainEnded.toString(Qt::ISODateWithMs)), qPrintable(closeAt.toString(Qt::ISODateWithMs)),
          withFaults.faults.controlAborts, withFaults.faults.subscriptionDrops, withFaults.faults.completionDrops);
}

void tst_BatchTail::twoHundredFiftySixSubSessionsWithFortyDataDrops()
{
    constexpr int kSubSessions = 256;
    constexpr quint64 kBundle = 4;
    constexpr int kTxPerSlot = 3;

    RefServerConfig base{.transactionsPerSlot = kTxPerSlot};
    const BatchRun faultFree = run(base, kSubSessions, kBundle, u"many-fault-free"_s);

    RefServerConfig faulty = base;
    // 40 data sockets dropped after their 7th notification (of 12) on one
    // constrained link; replay fetches the rest.
    faulty.dataFaults.dropEveryNotifications = 7;
    faulty.dataFaults.maxDrops = 40;
    faulty.dataFaults.bandwidthBytesPerSecond = 6'000'000;
    const BatchRun withFaults = run(faulty, kSubSessions, kBundle, u"many-faulty"_s);

    compareWithFaultFree(faultFree, withFaults, kSubSessions, int(kBundle) * kTxPerSlot);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(withFaults.faults.subscriptionDrops, 40);
    QCOMPARE(withFaults.drainEnded.size(), kSubSessions);
    QStringList methods;
    for (const TranscriptEntry &entry : withFaults.control)
        methods.append(methodOf(entry.text));
    QCOMPARE(methods.count(u"closeBacktestSession"_s), 1);
    QCOMPARE(methods.last(), u"closeBacktestSession"_s);
    for (const QDateTime &drained : std::as_const(withFaults.drainEnded))
        QVERIFY(drained <= withFaults.control.constLast().time);
}

QTEST_GUILESS_MAIN(tst_BatchTail)
#include "tst_batchtail.moc"
