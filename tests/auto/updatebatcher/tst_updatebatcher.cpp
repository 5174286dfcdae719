// UpdateBatcher's interval: due() while there is something to send, asleep
// after sleepUntilChanged() until the next change or wake() (issue 11: an
// idle 256-sub-session batch must not wake the engine thread 30 times a
// second), and take() sends each changed row once.
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
};

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
