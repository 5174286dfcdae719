#include "model/connectiontimelinemodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace SlotScope;

namespace {

ConnectionEvent statusEvent(qint64 t, const QString &socket, ConnectionStatus status, int attempt = 0,
                      const QString &reason = {}, const QString &session = u"backtest_1"_s)
{
    return ConnectionEvent{t, session, socket, status, reason, attempt};
}

QString intervalsText(const ConnectionTimelineModel &model)
{
    QStringList parts;
    for (const auto &i : model.intervals()) {
        parts << u"%1:%2@%3-%4%5"_s.arg(i.lane).arg(connectionStatusName(i.status)).arg(i.startMs)
                     .arg(i.endMs ? QString::number(*i.endMs) : u"…"_s)
                     .arg(i.reconnect ? u"*"_s : QString());
    }
    return parts.join(u' ');
}

} // namespace

class tst_ConnectionTimelineModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void intervalsPerLane();
    void repeatedStatusUpdatesTheOpenInterval();
    void failedIsTerminalAndCloseAllEndsTheRest();
    void laneFirstSeenWithoutSessionKeepsItsLane();
    void lanesGroupedPerSubSession();
    void summaryCountsSocketsPerStatus();
    void endedSocketLeavesTheSummary();
    void intervalsInFindsOnlyTheVisibleOnes_data();
    void intervalsInFindsOnlyTheVisibleOnes();
};

void tst_ConnectionTimelineModel::intervalsPerLane()
{
    ConnectionTimelineModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QStringList inserted;
    connect(&model, &QAbstractItemModel::rowsInserted, this,
            [&](const QModelIndex &, int first, int last) { inserted << u"%1,%2"_s.arg(first).arg(last); });

    model.appendEvents({statusEvent(100, u"control"_s, ConnectionStatus::Down),
                        statusEvent(110, u"control"_s, ConnectionStatus::Up),
                        statusEvent(120, u"transactions"_s, ConnectionStatus::Down),
                        statusEvent(130, u"transactions"_s, ConnectionStatus::Up)});
    QCOMPARE(inserted, QStringList{u"0,3"_s});
    QCOMPARE(model.lanes(), (QStringList{u"backtest_1 · control"_s, u"backtest_1 · transactions"_s}));

    model.appendEvents({statusEvent(200, u"control"_s, ConnectionStatus::Down, 1, u"remote close"_s),
                        statusEvent(260, u"control"_s, ConnectionStatus::Up, 1)});
    QCOMPARE(inserted, (QStringList{u"0,3"_s, u"4,5"_s}));
    QCOMPARE(intervalsText(model),
             u"0:Down@100-110 0:Up@110-200 1:Down@120-130 1:Up@130-… 0:Down@200-260 0:Up@260-…*"_s);
    QCOMPARE(model.reconnectTimes(0), QList<qint64>{260});
    QCOMPARE(model.reconnectTimes(1), QList<qint64>{});
    QCOMPARE(model.originMs(), 100);
    QCOMPARE(model.index(4, ConnectionTimelineModel::ReasonColumn).data().toString(), u"remote close"_s);
    QVERIFY(model.index(5, 0).data(ConnectionTimelineModel::ReconnectRole).toBool());
}

void tst_ConnectionTimelineModel::repeatedStatusUpdatesTheOpenInterval()
{
    ConnectionTimelineModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.appendEvents({statusEvent(100, u"control"_s, ConnectionStatus::Down, 1, u"refused"_s)});
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.appendEvents({statusEvent(150, u"control"_s, ConnectionStatus::Down, 2, u"refused again"_s)});
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(model.intervals().first().attempt, 2);
    QCOMPARE(model.intervals().first().reason, u"refused again"_s);
}

void tst_ConnectionTimelineModel::failedIsTerminalAndCloseAllEndsTheRest()
{
    ConnectionTimelineModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.appendEvents({statusEvent(100, u"control"_s, ConnectionStatus::Up),
                        statusEvent(100, u"transactions"_s, ConnectionStatus::Up),
                        statusEvent(300, u"transactions"_s, ConnectionStatus::Parked, 6),
                        statusEvent(400, u"transactions"_s, ConnectionStatus::Failed, 20, u"budget exhausted"_s)});
    QCOMPARE(intervalsText(model), u"0:Up@100-… 1:Up@100-300 1:Parked@300-400 1:Failed@400-400"_s);
    model.closeAll(500);
    QCOMPARE(intervalsText(model), u"0:Up@100-500 1:Up@100-300 1:Parked@300-400 1:Failed@400-400"_s);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(model.lanes().isEmpty());
}

void tst_ConnectionTimelineModel::laneFirstSeenWithoutSessionKeepsItsLane()
{
    ConnectionTimelineModel model;
    model.appendEvents({statusEvent(100, u"control"_s, ConnectionStatus::Down, 0, {}, {}),
                        statusEvent(120, u"control"_s, ConnectionStatus::Up, 0, {}, u"backtest_1"_s)});
    QCOMPARE(model.lanes(), QStringList{u"backtest_1 · control"_s});
    QCOMPARE(intervalsText(model), u"0:Down@100-120 0:Up@120-…"_s);
}

void tst_ConnectionTimelineModel::lanesGroupedPerSubSession()
{
    ConnectionTimelineModel model;
    model.appendEvents({statusEvent(100, u"control"_s, ConnectionStatus::Up, 0, {}, {}),
                        statusEvent(110, u"transactions"_s, ConnectionStatus::Up, 0, {}, u"backtest_a"_s),
                        statusEvent(120, u"transactions"_s, ConnectionStatus::Up, 0, {}, u"backtest_b"_s),
                        statusEvent(130, u"account diffs"_s, ConnectionStatus::Up, 0, {}, u"backtest_a"_s),
                        statusEvent(140, u"transactions"_s, ConnectionStatus::Parked, 6, u"waiting"_s,
                                    u"backtest_b"_s)});
    QStringList groups;
    for (const auto &group : model.groups()) {
        QStringList sockets;
        for (const int lane : group.lanes)
            sockets << model.lane(lane).socket;
        groups << u"%1:%2"_s.arg(group.sessionId, sockets.join(u'+'));
    }
    QCOMPARE(groups, (QStringList{u":control"_s, u"backtest_a:transactions+account diffs"_s,
                                  u"backtest_b:transactions"_s}));
    QCOMPARE(model.groupOf(u"backtest_b"_s), 2);
    QCOMPARE(model.groupOf(u"backtest_x"_s), -1);
    const int lane = model.laneOf(u"backtest_b"_s, u"transactions"_s);
    QCOMPARE(lane, 2);
    QCOMPARE(model.lane(lane).status, ConnectionStatus::Parked);
    QCOMPARE(model.lane(lane).attempt, 6);
    QCOMPARE(model.lane(lane).reason, u"waiting"_s);
    QCOMPARE(model.lane(lane).rows, (QList<qsizetype>{2, 4}));
    QCOMPARE(model.latestMs(), 140);

    // A single session's socket seen before the session id moves into its group.
    ConnectionTimelineModel single;
    single.appendEvents({statusEvent(100, u"control"_s, ConnectionStatus::Down, 0, {}, {}),
                         statusEvent(120, u"control"_s, ConnectionStatus::Up, 0, {}, u"backtest_1"_s),
                         statusEvent(130, u"transactions"_s, ConnectionStatus::Up, 0, {}, u"backtest_1"_s)});
    QCOMPARE(single.groups().size(), 1);
    QCOMPARE(single.groups().first().sessionId, u"backtest_1"_s);
    QCOMPARE(single.groups().first().lanes, (QList<int>{0, 1}));
}

void tst_ConnectionTimelineModel::summaryCountsSocketsPerStatus()
{
    ConnectionTimelineModel model;
    auto summaryText = [&] {
        QStringList parts;
        for (const auto &p : model.summary())
            parts << u"%1:%2/%3/%4/%5"_s.arg(p.timeMs).arg(p.up).arg(p.down).arg(p.parked).arg(p.failed);
        return parts.join(u' ');
    };
    model.appendEvents({statusEvent(100, u"transactions"_s, ConnectionStatus::Up, 0, {}, u"a"_s),
                        statusEvent(100, u"transactions"_s, ConnectionStatus::Up, 0, {}, u"b"_s),
                        statusEvent(100, u"transactions"_s, ConnectionStatus::Up, 0, {}, u"c"_s),
                        statusEvent(200, u"transactions"_s, ConnectionStatus::Down, 1, {}, u"a"_s),
                        statusEvent(210, u"transactions"_s, ConnectionStatus::Down, 1, {}, u"b"_s),
                        // a repeated status changes nothing
                        statusEvent(220, u"transactions"_s, ConnectionStatus::Down, 2, {}, u"b"_s)});
    model.appendEvents({statusEvent(300, u"transactions"_s, ConnectionStatus::Parked, 6, {}, u"a"_s),
                        statusEvent(400, u"transactions"_s, ConnectionStatus::Failed, 20, {}, u"b"_s),
                        statusEvent(500, u"transactions"_s, ConnectionStatus::Up, 6, {}, u"a"_s)});
    QCOMPARE(summaryText(), u"100:3/0/0/0 200:2/1/0/0 210:1/2/0/0 300:1/1/1/0 400:1/0/1/1 500:2/0/0/1"_s);
    QCOMPARE(model.peakSockets(), 3);
    QCOMPARE(model.currentCounts().up, 2);
    QCOMPARE(model.summaryAt(99), -1);
    QCOMPARE(model.summaryAt(100), 0);
    QCOMPARE(model.summaryAt(299), 2);
    QCOMPARE(model.summaryAt(10'000), 5);
    // The run ends: nothing runs any more, a Failed socket stays counted.
    model.closeAll(600);
    QCOMPARE(model.summary().constLast().timeMs, 600);
    QCOMPARE(model.currentCounts().total(), 1);
    QCOMPARE(model.currentCounts().failed, 1);
    QVERIFY(!model.hasOpenIntervals());
    QCOMPARE(model.latestMs(), 600);
}

void tst_ConnectionTimelineModel::endedSocketLeavesTheSummary()
{
    // A sub-session that completes while its siblings run: its sockets'
    // last Down (end of stream, stopped) ends their lanes, which leave the
    // summary's counts — they are not reconnecting.
    ConnectionTimelineModel model;
    QAbstractItemModelTester tester(&model);
    model.appendEvents({statusEvent(100, u"transactions"_s, ConnectionStatus::Up, 0, {}, u"a"_s),
                        statusEvent(100, u"account diffs"_s, ConnectionStatus::Up, 0, {}, u"a"_s),
                        statusEvent(100, u"transactions"_s, ConnectionStatus::Up, 0, {}, u"b"_s)});
    ConnectionEvent endOfStream = statusEvent(200, u"transactions"_s, ConnectionStatus::Down, 0, u"end of stream"_s, u"a"_s);
    endOfStream.ended = true;
    // One already Down (retrying) when its loop stops, in the same status.
    model.appendEvents({endOfStream, statusEvent(210, u"account diffs"_s, ConnectionStatus::Down, 1, u"reset"_s, u"a"_s)});
    ConnectionEvent stopped = statusEvent(250, u"account diffs"_s, ConnectionStatus::Down, 1, u"stopped"_s, u"a"_s);
    stopped.ended = true;
    model.appendEvents({stopped});
    // An Up socket's lane ends Up (no Down sliver after it: nothing was lost).
    QCOMPARE(intervalsText(model), u"0:Up@100-200 1:Up@100-210 2:Up@100-… 1:Down@210-250"_s);
    QCOMPARE(model.currentCounts().up, 1);
    QCOMPARE(model.currentCounts().down, 0);
    QCOMPARE(model.currentCounts().total(), 1);
    QVERIFY(model.lane(0).ended);
    QVERIFY(model.lane(1).ended);
    QVERIFY(!model.lane(2).ended);
    QCOMPARE(model.lane(0).reason, u"end of stream"_s);
    QCOMPARE(model.lane(0).status, ConnectionStatus::Down); // "Closed"
    QCOMPARE(model.lane(1).reason, u"stopped"_s);
    QVERIFY(model.hasOpenIntervals()); // b streams on

    // A later event on an ended lane (a socket started again), its clock a
    // step back: it begins where the lane ended, never inside its last interval.
    model.appendEvents({statusEvent(150, u"transactions"_s, ConnectionStatus::Up, 0, {}, u"a"_s)});
    QCOMPARE(intervalsText(model), u"0:Up@100-200 1:Up@100-210 2:Up@100-… 1:Down@210-250 0:Up@200-…*"_s); // * a reconnect
    QCOMPARE(model.currentCounts().up, 2);
    QCOMPARE(model.summary().constLast().timeMs, 250); // in time order
}

void tst_ConnectionTimelineModel::intervalsInFindsOnlyTheVisibleOnes_data()
{
    QTest::addColumn<qint64>("from");
    QTest::addColumn<qint64>("to");
    QTest::addColumn<qsizetype>("first");
    QTest::addColumn<qsizetype>("last");
    // 10 000 intervals of 10 ms each (Up/Down alternating) from t = 1000; the
    // last one is open.
    QTest::newRow("before everything") << qint64(0) << qint64(999) << qsizetype(0) << qsizetype(0);
    QTest::newRow("the first") << qint64(1000) << qint64(1005) << qsizetype(0) << qsizetype(1);
    QTest::newRow("a boundary touches two") << qint64(1010) << qint64(1010) << qsizetype(0) << qsizetype(2);
    QTest::newRow("the middle") << qint64(51'005) << qint64(51'035) << qsizetype(5000) << qsizetype(5004);
    QTest::newRow("the open one, until later") << qint64(200'000) << qint64(300'000) << qsizetype(9999)
                                               << qsizetype(10'000);
}

void tst_ConnectionTimelineModel::intervalsInFindsOnlyTheVisibleOnes()
{
    QFETCH(qint64, from);
    QFETCH(qint64, to);
    QFETCH(qsizetype, first);
    QFETCH(qsizetype, last);
    ConnectionTimelineModel model;
    QList<ConnectionEvent> events;
    for (int i = 0; i < 10'000; ++i)
        events << statusEvent(1000 + 10 * i, u"transactions"_s, i % 2 ? ConnectionStatus::Down : ConnectionStatus::Up);
    model.appendEvents(events);
    QCOMPARE(model.lane(0).rows.size(), 10'000);
    const auto range = model.intervalsIn(0, from, to, /*openUntilMs=*/400'000);
    QCOMPARE(range.first, first);
    QCOMPARE(range.second, last);
}

QTEST_GUILESS_MAIN(tst_ConnectionTimelineModel)
#include "tst_connectiontimelinemodel.moc"
