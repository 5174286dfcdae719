// The reconnect storm of the parallel-batches issue: 32 sub-sessions share one
// bandwidth-capped link; every subscription is dropped at about the same
// moment. With the coordinator gating every reconnect (no ungated attempts),
// the dropped subscriptions park until no sibling streams, then take the single
// handshake permit one at a time (seed mod.rs ReconnectCoordinator, PROTOCOL.md
// §6.6), and every sub-session finishes with every transaction exactly once.
// Mid-storm, "Reconnect now" on the last socket of the parked queue makes it
// the next one through the handshake slot; the coordinator's snapshots name
// the parked sockets and count the storm.

#include "net/connectionpolicy.h"
#include "net/reconnectcoordinator.h"
#include "protocol/transactionsummary.h"
#include "refserver/refserver.h"
#include "session/managedparallelsession.h"
#include "session/parallelsubsession.h"
#include "support/fixtures.h"
#include "support/policies.h"

#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace SlotScope;
using namespace SlotScope::Testing;
using std::chrono::milliseconds;

namespace {

const QString kApiKey = u"storm-key"_s;
constexpr int kSubSessions = 32;
constexpr quint64 kBundle = 25;
constexpr int kTxPerSlot = 4;

} // namespace

class tst_ReconnectStorm : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void thirtyTwoDroppedSubscriptionsReconnectOneAtATime();
};

void tst_ReconnectStorm::thirtyTwoDroppedSubscriptionsReconnectOneAtATime()
{
    RefServerConfig serverConfig;
    serverConfig.apiKey = kApiKey;
    serverConfig.txDir = fixturesDir();
    serverConfig.bundleSize = kBundle;
    serverConfig.transactionsPerSlot = kTxPerSlot;
    // Each subscription is aborted after its 40th notification (of 100): all
    // 32 drop within the same stretch of the run, one drop each.
    serverConfig.dataFaults.dropEveryNotifications = 40;
    serverConfig.dataFaults.maxDrops = kSubSessions;
    serverConfig.dataFaults.bandwidthBytesPerSecond = 24'000'000; // one shared link
    RefServer server(serverConfig);
    QVERIFY(server.listen().ok());

    ConnectionPolicy policy = batchPolicy();
    policy.initialBackoff = milliseconds{5};
    policy.maxBackoff = milliseconds{20};
    policy.maxAttempts = 20;
    policy.maxTotal = milliseconds{5000};      // parked time is not charged against this
    policy.ungatedAttempts = 0;                // every reconnect goes through the gate
    policy.uptimeReset = milliseconds{1000};   // the wall clock before the drop does not count either

    const CreateSessionParams params{.startSlot = 1000, .endSlot = 1000 + kSubSessions * kBundle - 1};
    ManagedParallelSession batch(server.controlUrl().toString(), kApiKey, params, policy);
    batch.subscribeTransactions({}, /*zstd=*/true);

    QHash<QString, QSet<QString>> signatures;     // per sub-session
    int duplicates = 0;
    int completed = 0;
    QStringList failures;
    int maxParked = 0;
    int grants = 0;
    const QObject *holder = nullptr;
    QList<QString> upAfterDrop;                   // order in which dropped subscriptions came back
    QSet<QString> dropped;
    QString expedited;                            // the sub-session asked to reconnect now
    QString nextHolderAfterExpedite;
    CoordinatorSnapshot fullestQueue;             // the snapshot with the most parked

    connect(&batch, &ManagedParallelSession::created, this,
            [&](const QString &, const QList<ParallelSubSession *> &subSessions) {
                QCOMPARE(subSessions.size(), kSubSessions);
                ReconnectCoordinator *coordinator = batch.reconnectCoordinator();
                QVERIFY(coordinator);
                connect(coordinator, &ReconnectCoordinator::changed, this, [&, coordinator] {
                    maxParked = std::max(maxParked, coordinator->parkedCount());
                    const bool newHolder = coordinator->permitHolder() && coordinator->permitHolder() != holder;
                    if (newHolder)
                        ++grants;
                    holder = coordinator->permitHolder();
                    if (coordinator->parkedCount() > fullestQueue.parked.size())
                        fullestQueue = coordinator->snapshot();
                    if (newHolder && !expedited.isEmpty() && nextHolderAfterExpedite.isEmpty())
                        nextHolderAfterExpedite = coordinator->snapshot().holder->sessionId;
                    // Once a queue formed, the last in line asks to go now.
                    if (expedited.isEmpty() && coordinator->parkedCount() >= 8) {
                        const CoordinatorSnapshot snapshot = coordinator->snapshot();
                        expedited = snapshot.parked.constLast().sessionId;
                        QVERIFY(batch.reconnectNow(expedited, u"transactions"_s));
                        QVERIFY(!batch.reconnectNow(expedited, u"no such socket"_s));
                    }
                });
                for (ParallelSubSession *sub : subSessions) {
                    const QString id = sub->sessionId();
                    connect(sub, &ParallelSubSession::eventReceived, this, [sub](const ManagedEvent &event) {
                        if (std::holds_alternative<ManagedEvents::ReadyForContinue>(event)) {
                            ContinueParams all{.advanceCount = kBundle};
                            QVERIFY(sub->sendContinue(all).ok());
                        }
                    });
                    connect(sub, &ParallelSubSession::eventReceived, this, [&](const ManagedEvent &event) {
                        if (std::holds_alternative<ManagedEvents::Completed>(event))
                            ++completed;
                    });
                    connect(sub, &ParallelSubSession::transactionReceived, this,
                            [&, id](const TransactionSummary &summary, QByteArrayView) {
                                if (signatures[id].contains(summary.signature))
                                    ++duplicates;
                                signatures[id].insert(summary.signature);
                            });
                    connect(sub, &ParallelSubSession::connectionStatusChanged, this,
                            [&, id](const QString &, ConnectionStatus status, const QString &, int) {
                                if (status == ConnectionStatus::Down || status == ConnectionStatus::Parked)
                                    dropped.insert(id);
                                else if (status == ConnectionStatus::Up && dropped.contains(id) && !upAfterDrop.contains(id))
                                    upAfterDrop.append(id);
                            });
                    connect(sub, &ParallelSubSession::failed, this,
                            [&, id](const ManagedSessionError &error) { failures.append(id + u": "_s + error.message); });
                }
            });
    batch.start();

    QTRY_VERIFY_WITH_TIMEOUT(completed + failures.size() == kSubSessions, 120'000);
    QVERIFY2(failures.isEmpty(), qPrintable(failures.join(u'\n')));
    QCOMPARE(completed, kSubSessions);

    // Every transaction of every sub-session exactly once (the replayed
    // boundary was dropped by the client's duplicate filter, not counted here).
    int total = 0;
    for (const QSet<QString> &set : std::as_const(signatures)) {
        QCOMPARE(int(set.size()), int(kBundle) * kTxPerSlot);
        total += int(set.size());
    }
    QCOMPARE(total, kSubSessions * int(kBundle) * kTxPerSlot);
    QCOMPARE(duplicates, 0);

    qInfo("storm: %d dropped, %d came back, at most %d parked at once, %d permit grants",
          int(dropped.size()), int(upAfterDrop.size()), maxParked, grants);
    // The storm: most subscriptions were parked together, and each came back
    // through the single permit (one grant per reconnect, never two holders).
    QCOMPARE(dropped.size(), kSubSessions);
    QCOMPARE(upAfterDrop.size(), kSubSessions);
    QVERIFY2(maxParked >= kSubSessions / 2, qPrintable(u"at most %1 parked at once"_s.arg(maxParked)));
    QVERIFY2(grants >= kSubSessions, qPrintable(u"%1 permit grants"_s.arg(grants)));
    QTRY_COMPARE_WITH_TIMEOUT(batch.reconnectCoordinator()->parkedCount(), 0, 5000);

    // Reconnect now: the expedited socket went next (whatever held the slot
    // then finished first), ahead of the sockets parked before it.
    QVERIFY(!expedited.isEmpty());
    QCOMPARE(nextHolderAfterExpedite, expedited);
    // The snapshots name who is parked, in order, with their attempts.
    QVERIFY(fullestQueue.parked.size() >= kSubSessions / 2);
    for (const CoordinatorSnapshot::Socket &parked : std::as_const(fullestQueue.parked)) {
        QVERIFY(signatures.contains(parked.sessionId));
        QCOMPARE(parked.socket, u"transactions"_s);
        QVERIFY(parked.attempt >= 1);
    }
    for (qsizetype i = 1; i < fullestQueue.parked.size(); ++i) {
        if (!fullestQueue.parked.at(i).expedited && !fullestQueue.parked.at(i - 1).expedited)
            QVERIFY(fullestQueue.parked.at(i - 1).sinceMs <= fullestQueue.parked.at(i).sinceMs);
    }
    // The storm's figures: every drop came back, at least one storm, parks counted.
    const CoordinatorSnapshot figures = batch.reconnectCoordinator()->snapshot();
    qInfo("figures: %llu reconnects, %llu parks, longest park %lld ms, total parked %lld ms, %d storm(s), last %lld ms",
          figures.reconnects, figures.parks, figures.longestParkMs, figures.totalParkedMs, figures.storms,
          figures.lastStormMs);
    QVERIFY(figures.reconnects >= quint64(kSubSessions));
    QVERIFY(figures.parks >= quint64(kSubSessions));
    QVERIFY(figures.longestParkMs > 0);
    QVERIFY(figures.totalParkedMs >= figures.longestParkMs);
    QVERIFY(figures.storms >= 1);
    QVERIFY(figures.longestStormMs >= figures.longestParkMs);
    QCOMPARE(figures.ungatedAttempts, 0);
}

QTEST_GUILESS_MAIN(tst_ReconnectStorm)
#include "tst_reconnectstorm.moc"
