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

QTEST_GUILESS_MAIN(tst_ConnectionTimelineModel)
#include "tst_connectiontimelinemodel.moc"
