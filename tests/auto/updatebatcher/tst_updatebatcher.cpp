// UpdateBatcher's interval: due() while there is something to send, asleep
// after sleepUntilChanged() until the next change or wake() (issue 11: an
// idle 256-sub-session batch must not wake the engine thread 30 times a
// second), and take() sends each changed row once. What the engine shows of
// account diffs: once each, however many of its subscriptions deliver one.
#include "engine/crosssubscriptiondiffs.h"
#include "engine/runconfig.h"
#include "engine/sessionengine.h"
#include "engine/updatebatcher.h"

#include <QSignalSpy>
#include <QTest>

using namespace SlotScope;
using namespace Qt::StringLiterals;
using std::chrono::milliseconds;

class tst_UpdateBatcher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sleepsUntilTheNextChange();
    void changedRowsAreSentOnce();
    void closingKeepsFailedAndEndedLinks();
    void aDiffTwoSubscriptionsDeliverIsShownOnce();
    void aProgramNamedTwiceIsSubscribedOnce();
};

void tst_UpdateBatcher::aDiffTwoSubscriptionsDeliverIsShownOnce()
{
    // A closed token account: owned by the Token program before, the System
    // program after — both owner subscriptions match it.
    const auto diff = [](QString session, quint64 slot, QString account, QString preOwner, QString postOwner) {
        AccountDiffRecord d;
        d.sessionId = session;
        d.slot = slot;
        d.signature = u"sig"_s + QString::number(slot);
        d.account = account;
        d.preExists = d.postExists = true;
        d.preOwner = preOwner;
        d.postOwner = postOwner;
        return d;
    };
    const QString token = u"TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"_s;
    const QString system = u"11111111111111111111111111111111"_s;
    CrossSubscriptionDiffs filter(100);
    QVERIFY(filter.admit(diff(u"a"_s, 10, u"acc"_s, token, system)));
    QVERIFY(!filter.admit(diff(u"a"_s, 10, u"acc"_s, token, system))); // from the other subscription
    QVERIFY(filter.admit(diff(u"b"_s, 10, u"acc"_s, token, system)));  // another sub-session's
    QVERIFY(filter.admit(diff(u"a"_s, 11, u"acc"_s, token, system)));  // another transaction's
    QCOMPARE(filter.dropped(), 1);
    // An owner that did not change matches one subscription: never remembered.
    for (int i = 0; i < 3; ++i)
        QVERIFY(filter.admit(diff(u"a"_s, 12, u"other"_s, token, token)));
    QCOMPARE(filter.remembered(), 3);
    // Memory follows the slots, not the run's length.
    for (quint64 slot = 13; slot < 5000; ++slot)
        QVERIFY(filter.admit(diff(u"a"_s, slot, u"acc"_s, token, system)));
    QVERIFY2(filter.remembered() <= 130, qPrintable(QString::number(filter.remembered())));
    QVERIFY(!filter.admit(diff(u"a"_s, 4999, u"acc"_s, token, system)));
}

void tst_UpdateBatcher::aProgramNamedTwiceIsSubscribedOnce()
{
    RunConfig config;
    const QString token = u"TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"_s;
    config.subscribePrograms = {token, u"JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4"_s, token};
    QCOMPARE(SessionEngine::accountDiffOwners(config),
             (QStringList{token, u"JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4"_s}));
}

void tst_UpdateBatcher::closingKeepsFailedAndEndedLinks()
{
    // The sockets close with the run: an open one becomes Closed (Down,
    // ended, "closed"); one that failed, or closed for good before (end of
    // stream), keeps its status and reason.
    SessionRow row;
    row.setLinkStatus(u"control"_s, ConnectionStatus::Up, {}, 0);
    row.setLinkStatus(u"transactions"_s, ConnectionStatus::Failed, u"gave up after 3 attempts"_s, 3);
    row.setLinkStatus(u"account diffs"_s, ConnectionStatus::Down, u"end of stream"_s, 0, /*ended=*/true);
    row.setLinkStatus(u"blocks"_s, ConnectionStatus::Parked, u"waiting"_s, 2);
    row.closeLinks(u"closed"_s, /*subscriptionsToo=*/false);
    QCOMPARE(row.control.state, (LinkState{ConnectionStatus::Down, 0, std::nullopt, u"closed"_s, true}));
    QCOMPARE(row.link(u"blocks"_s).state.status, ConnectionStatus::Parked); // subscriptions left alone
    row.closeLinks(u"closed"_s, /*subscriptionsToo=*/true);
    QCOMPARE(row.link(u"transactions"_s).state,
             (LinkState{ConnectionStatus::Failed, 3, std::nullopt, u"gave up after 3 attempts"_s, false}));
    QCOMPARE(row.link(u"account diffs"_s).state,
             (LinkState{ConnectionStatus::Down, 0, std::nullopt, u"end of stream"_s, true}));
    QCOMPARE(row.link(u"blocks"_s).state, (LinkState{ConnectionStatus::Down, 0, std::nullopt, u"closed"_s, true}));
}

void tst_UpdateBatcher::sleepsUntilTheNextChange()
{
    UpdateBatcher batcher;
    batcher.setInterval(milliseconds{10});
    batcher.reset(u"run"_s, false);
    const int row = batcher.addRow(u"s1"_s, 100, 199);
    QSignalSpy due(&batcher, &UpdateBatcher::due);

    // Not started: changes wake nothing.
    batcher.edit(row).currentSlot = 101;
    QVERIFY(!batcher.isAwake());

    batcher.start();
    QVERIFY(due.wait(1000));
    batcher.sleepUntilChanged();
    QVERIFY(!batcher.isAwake());
    due.clear();
    QTest::qWait(100); // ten intervals
    QCOMPARE(due.size(), 0);

    // Every kind of change wakes it, once asleep again.
    const QList<std::function<void()>> changes{
        [&] { batcher.edit(row).currentSlot = 102; },
        [&] { batcher.editBatchRow().lastError = u"x"_s; },
        [&] { batcher.addPosition(PositionUpdate{u"s1"_s, 102, std::nullopt, false, false}); },
        [&] { batcher.addProtocolEntry(ProtocolLogEntry{}); },
        [&] { batcher.addConnectionEvent(ConnectionEvent{}); },
        [&] { batcher.setCoordinator(CoordinatorSnapshot{}); },
        [&] { batcher.wake(); }, // e.g. an events-file line
    };
    for (qsizetype i = 0; i < changes.size(); ++i) {
        changes.at(i)();
        QVERIFY2(batcher.isAwake(), qPrintable(QString::number(i)));
        QVERIFY(due.wait(1000));
        batcher.sleepUntilChanged();
        due.clear();
    }

    // Stopped (the run ended): changes no longer wake it.
    batcher.stop();
    batcher.edit(row).currentSlot = 103;
    batcher.wake();
    QVERIFY(!batcher.isAwake());
}

void tst_UpdateBatcher::changedRowsAreSentOnce()
{
    UpdateBatcher batcher;
    batcher.reset(u"run"_s, false);
    const int a = batcher.addRow(u"a"_s, 100, 199);
    const int b = batcher.addRow(u"b"_s, 200, 299);
    ModelUpdate first = batcher.take(0, 0);
    QCOMPARE(first.sessions.size(), 2); // new rows are sent whole
    QVERIFY(batcher.take(0, 0).isEmpty());
    batcher.edit(b).currentSlot = 250;
    batcher.edit(b).transactions = 7;
    const ModelUpdate second = batcher.take(12, 1);
    QCOMPARE(second.sessions.size(), 1);
    QCOMPARE(second.sessions.first().sessionId, u"b"_s);
    QCOMPARE(second.sessions.first().currentSlot, std::optional<quint64>(250));
    QCOMPARE(second.sessions.first().transactionsCaptured, std::optional<quint64>(7));
    QCOMPARE(second.capturedTotal, quint64(12));
    Q_UNUSED(a);
}

QTEST_GUILESS_MAIN(tst_UpdateBatcher)
#include "tst_updatebatcher.moc"
