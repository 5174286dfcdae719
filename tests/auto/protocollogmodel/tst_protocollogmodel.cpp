#include "model/metatypes.h"
#include "model/protocollogmodel.h"
#include "support/modelsignallog.h"

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace SlotScope;
using namespace SlotScope::Testing;

namespace {

using M = ProtocolLogModel;
using Direction = ProtocolLogEntry::Direction;

using StructureLog = ModelSignalLog;

const qint64 kBaseTime = QDateTime(QDate(2024, 6, 1), QTime(12, 34, 56, 789)).toMSecsSinceEpoch();

ProtocolLogEntry entry(int i)
{
    ProtocolLogEntry e{.timeMs = kBaseTime + i, .sessionId = u"s%1"_s.arg(i % 2),
                       .direction = i % 3 == 0 ? Direction::Outgoing : Direction::Incoming,
                       .method = i % 3 == 0 ? u"continue"_s : u"slotNotification"_s};
    if (i % 4 != 0)
        e.seqId = quint64(i);
    e.summary = u"slot %1"_s.arg(1000 + i);
    e.dropped = i % 5 == 4;
    return e;
}

QList<ProtocolLogEntry> entries(int first, int count)
{
    QList<ProtocolLogEntry> list;
    for (int i = 0; i < count; ++i)
        list << entry(first + i);
    return list;
}

} // namespace

class tst_ProtocolLogModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { registerModelMetaTypes(); }
    void batchesInsertOnce();
    void eviction_data();
    void eviction();
    void columnsAndRoles_data();
    void columnsAndRoles();
    void clearAndShrink();
};

void tst_ProtocolLogModel::batchesInsertOnce()
{
    ProtocolLogModel model;
    QCOMPARE(model.windowSize(), 100000);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    StructureLog log(&model);
    model.appendEntries(entries(0, 100));
    model.appendEntries({});
    model.appendEntries(entries(100, 50));
    QCOMPARE(log.events, (QStringList{u"insert 0,99"_s, u"insert 100,149"_s}));
    QCOMPARE(model.rowCount(), 150);
    for (int row : {0, 99, 100, 149})
        QCOMPARE(model.entry(row), entry(row));
}

void tst_ProtocolLogModel::eviction_data()
{
    QTest::addColumn<int>("window");
    QTest::addColumn<QList<int>>("batches");
    QTest::addColumn<QStringList>("events");
    QTest::addColumn<qint64>("evicted");
    QTest::addColumn<int>("firstKept");

    QTest::addRow("fits") << 10 << QList<int>{4, 6} << QStringList{u"insert 0,3"_s, u"insert 4,9"_s} << qint64(0) << 0;
    QTest::addRow("overflow by 3") << 10 << QList<int>{8, 5}
                                   << QStringList{u"insert 0,7"_s, u"remove 0,2"_s, u"insert 5,9"_s} << qint64(3) << 3;
    QTest::addRow("batch over the window") << 10 << QList<int>{4, 13}
                                           << QStringList{u"insert 0,3"_s, u"remove 0,3"_s, u"insert 0,9"_s}
                                           << qint64(7) << 7;
    QTest::addRow("many small batches") << 3 << QList<int>{2, 2, 2}
                                        << QStringList{u"insert 0,1"_s, u"remove 0,0"_s, u"insert 1,2"_s,
                                                       u"remove 0,1"_s, u"insert 1,2"_s}
                                        << qint64(3) << 3;
}

void tst_ProtocolLogModel::eviction()
{
    QFETCH(int, window);
    QFETCH(QList<int>, batches);
    QFETCH(QStringList, events);
    QFETCH(qint64, evicted);
    QFETCH(int, firstKept);

    ProtocolLogModel model;
    model.setWindowSize(window);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    StructureLog log(&model);
    QSignalSpy spy(&model, &ProtocolLogModel::evictedCountChanged);
    int next = 0;
    for (int size : batches) {
        model.appendEntries(entries(next, size));
        next += size;
    }
    QCOMPARE(log.events, events);
    QCOMPARE(model.evictedCount(), evicted);
    if (evicted > 0)
        QCOMPARE(spy.last().at(0).toLongLong(), evicted);
    else
        QCOMPARE(spy.size(), 0);
    QCOMPARE(model.entry(0), entry(firstKept));
    QCOMPARE(model.entry(model.rowCount() - 1), entry(next - 1));
}

void tst_ProtocolLogModel::columnsAndRoles_data()
{
    QTest::addColumn<ProtocolLogEntry>("e");
    QTest::addColumn<QStringList>("display");

    const QString time = QDateTime::fromMSecsSinceEpoch(kBaseTime).toString(u"hh:mm:ss.zzz"_s);
    ProtocolLogEntry out{kBaseTime, u"s1"_s, Direction::Outgoing, u"continueTo"_s, std::nullopt,
                         u"continueTo 1010/3"_s, false};
    QTest::addRow("outgoing without seqId") << out << QStringList{time, u"s1"_s, u"out"_s, u"continueTo"_s, QString(), u"continueTo 1010/3"_s};
    ProtocolLogEntry in{kBaseTime, u"s2"_s, Direction::Incoming, u"paused"_s, 42, u"paused 1010/3"_s, false};
    QTest::addRow("incoming with seqId") << in << QStringList{time, u"s2"_s, u"in"_s, u"paused"_s, u"42"_s, u"paused 1010/3"_s};
    ProtocolLogEntry dropped{kBaseTime, u"s2"_s, Direction::Incoming, u"slotNotification"_s, 7, u"slot 1005"_s, true};
    QTest::addRow("replayed duplicate") << dropped << QStringList{time, u"s2"_s, u"in (dropped)"_s, u"slotNotification"_s, u"7"_s, u"slot 1005"_s};
    ProtocolLogEntry noSession{kBaseTime, QString(), Direction::Outgoing, u"createBacktestSession"_s, std::nullopt,
                               u"createBacktestSession 1000..1100"_s, false};
    QTest::addRow("before the session exists") << noSession << QStringList{time, QString(), u"out"_s, u"createBacktestSession"_s, QString(), u"createBacktestSession 1000..1100"_s};
}

void tst_ProtocolLogModel::columnsAndRoles()
{
    QFETCH(ProtocolLogEntry, e);
    QFETCH(QStringList, display);

    ProtocolLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.appendEntries({e});
    QStringList shown;
    for (int column = 0; column < M::ColumnCount; ++column)
        shown << model.index(0, column).data().toString();
    QCOMPARE(shown, display);

    const auto raw = [&](int column) { return model.index(0, column).data(RawValueRole); };
    QCOMPARE(raw(M::TimeColumn).toLongLong(), e.timeMs);
    QCOMPARE(raw(M::SessionColumn).toString(), e.sessionId);
    QCOMPARE(raw(M::DirectionColumn).toInt(), int(e.direction));
    QCOMPARE(raw(M::MethodColumn).toString(), e.method);
    if (e.seqId) {
        QCOMPARE(raw(M::SeqIdColumn).metaType(), QMetaType::fromType<qulonglong>());
        QCOMPARE(raw(M::SeqIdColumn).toULongLong(), *e.seqId);
    } else {
        QVERIFY(!raw(M::SeqIdColumn).isValid());
    }
    for (int column = 0; column < M::ColumnCount; ++column) {
        const QModelIndex index = model.index(0, column);
        QCOMPARE(index.data(M::DroppedRole).toBool(), e.dropped);
        QCOMPARE(index.data(M::DirectionRole).toInt(), int(e.direction));
        QCOMPARE(index.data(M::TimeRole).toLongLong(), e.timeMs);
        QCOMPARE(index.data(SessionIdRole).toString(), e.sessionId);
    }
    const QString tooltip = model.index(0, M::SummaryColumn).data(Qt::ToolTipRole).toString();
    QCOMPARE(tooltip.contains(u"dropped"_s), e.dropped);
    if (!e.dropped)
        QCOMPARE(model.index(0, M::TimeColumn).data(Qt::ToolTipRole).toString(),
                 QDateTime::fromMSecsSinceEpoch(kBaseTime, Qt::UTC).toString(Qt::ISODateWithMs));
}

void tst_ProtocolLogModel::clearAndShrink()
{
    ProtocolLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.appendEntries(entries(0, 20));
    StructureLog log(&model);
    model.setWindowSize(5);
    QCOMPARE(log.events, QStringList{u"remove 0,14"_s});
    QCOMPARE(model.evictedCount(), 15);
    QCOMPARE(model.entry(0), entry(15));
    QSignalSpy spy(&model, &ProtocolLogModel::evictedCountChanged);
    model.clear();
    QCOMPARE(log.events.last(), u"reset"_s);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.evictedCount(), 0);
    QCOMPARE(spy.size(), 1);
    model.appendEntries(entries(0, 7));
    QCOMPARE(log.events.mid(2), (QStringList{u"insert 0,4"_s}));
    QCOMPARE(model.evictedCount(), 2);
    QCOMPARE(model.entry(0), entry(2));
}

QTEST_GUILESS_MAIN(tst_ProtocolLogModel)
#include "tst_protocollogmodel.moc"
