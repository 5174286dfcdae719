#include "model/discoverymodel.h"
#include "model/metatypes.h"
#include "support/modelsignallog.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace SlotScope;
using namespace SlotScope::Testing;

namespace {

using M = DiscoveryModel;
using State = DiscoveryModel::BatchState;

const QString kJupiter = u"JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4"_s;

DiscoveryBatchEvent batch(quint64 slot, quint32 batchIndex, int transactions = 1)
{
    DiscoveryBatchEvent event{.slot = slot, .batchIndex = batchIndex,
                              .matched = {DiscoveryFilter::programExecuted(kJupiter)}};
    for (int i = 0; i < transactions; ++i) {
        event.transactions << u"AQAAAAAAAAA%1"_s.arg(i);
        event.transactionIndices << quint32(50 + i);
    }
    return event;
}

QString roleName(int role)
{
    switch (role) {
    case Qt::DisplayRole: return u"display"_s;
    case Qt::ToolTipRole: return u"tooltip"_s;
    case RawValueRole: return u"raw"_s;
    case M::StateRole: return u"state"_s;
    }
    return QString::number(role);
}

class ModelLog : public ModelSignalLog
{
public:
    explicit ModelLog(QAbstractItemModel *model)
        : ModelSignalLog(model, {.dataChanged = true, .roleName = roleName})
    {
    }
};

struct Position
{
    quint64 slot = 0;
    std::optional<quint32> batchIndex;
    bool paused = false;
};

QStringList states(const DiscoveryModel &model)
{
    QStringList out;
    for (int row = 0; row < model.rowCount(); ++row)
        out << model.index(row, M::StateColumn).data().toString();
    return out;
}

} // namespace

class tst_DiscoveryModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void addAndDeduplicate();
    void columnsAndRoles();
    void stateRules_data();
    void stateRules();
    void hasRunGuardsContinueTo();
    void transitionsAheadReachedPassed();
    void batchAnnouncedBehindThePosition();
    void clear();
};

void tst_DiscoveryModel::initTestCase()
{
    registerModelMetaTypes();
}

void tst_DiscoveryModel::addAndDeduplicate()
{
    DiscoveryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    ModelLog log(&model);

    QVERIFY(model.addBatch(u"A"_s, batch(100, 3)));
    QCOMPARE(log.take(), QStringList{u"insert 0,0"_s});
    // Replayed after a reconnect (content may differ): dropped.
    QVERIFY(!model.addBatch(u"A"_s, batch(100, 3, 5)));
    QCOMPARE(log.take(), QStringList{});
    QCOMPARE(model.batchAt(0), batch(100, 3));
    // Same slot and batch in another sub-session is another row.
    QVERIFY(model.addBatch(u"B"_s, batch(100, 3)));
    QCOMPARE(log.take(), QStringList{u"insert 1,1"_s});

    // Several at once: one insert, duplicates (also within the list) skipped.
    QCOMPARE(model.addBatches(u"A"_s, {batch(100, 7), batch(100, 3), batch(105, 0), batch(100, 7)}), 2);
    QCOMPARE(log.take(), QStringList{u"insert 2,3"_s});
    QCOMPARE(model.addBatches(u"A"_s, {batch(100, 7)}), 0);
    QCOMPARE(log.take(), QStringList{});

    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(model.rowOf(u"A"_s, 100, 3), 0);
    QCOMPARE(model.rowOf(u"B"_s, 100, 3), 1);
    QCOMPARE(model.rowOf(u"A"_s, 100, 7), 2);
    QCOMPARE(model.rowOf(u"A"_s, 105, 0), 3);
    QCOMPARE(model.rowOf(u"B"_s, 105, 0), -1);
    QCOMPARE(model.sessionIdAt(1), u"B"_s);
    QCOMPARE(model.batchAt(3), batch(105, 0));
    QCOMPARE(model.batchAt(4), DiscoveryBatchEvent{});
}

void tst_DiscoveryModel::columnsAndRoles()
{
    DiscoveryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    DiscoveryBatchEvent event = batch(417811172, 3, 2);
    DiscoveryFilter oracle{.kind = DiscoveryFilter::Kind::OracleUpdate,
                           .programs = {u"Prog1111111111111111111111111111111111111111"_s},
                           .accounts = {u"Acct1111111111111111111111111111111111111111"_s}};
    event.matched << oracle;
    model.addBatch(u"sess-1"_s, event);

    const auto cell = [&](int column, int role = Qt::DisplayRole) { return model.index(0, column).data(role); };
    QCOMPARE(cell(M::SessionColumn).toString(), u"sess-1"_s);
    QCOMPARE(cell(M::SlotColumn).toString(), u"417811172"_s);
    QCOMPARE(cell(M::SlotColumn, RawValueRole).metaType(), QMetaType::fromType<qulonglong>());
    QCOMPARE(cell(M::SlotColumn, RawValueRole).toULongLong(), 417811172ull);
    QCOMPARE(cell(M::BatchIndexColumn).toString(), u"3"_s);
    QCOMPARE(cell(M::BatchIndexColumn, RawValueRole).toULongLong(), 3ull);
    const QString described = event.matched.at(0).describe() + u", "_s + oracle.describe();
    QCOMPARE(cell(M::MatchedColumn).toString(), described);
    QVERIFY(described.contains(u"programExecuted"_s));
    QCOMPARE(cell(M::MatchedColumn, Qt::ToolTipRole).toString(),
             event.matched.at(0).describe() + u"\n"_s + oracle.describe());
    QCOMPARE(cell(M::TransactionsColumn).toString(), u"2"_s);
    QCOMPARE(cell(M::TransactionsColumn, RawValueRole).toULongLong(), 2ull);
    QCOMPARE(cell(M::TransactionsColumn, Qt::ToolTipRole).toString(), u"Positions in the block: 50, 51"_s);
    QCOMPARE(cell(M::StateColumn).toString(), u"Ahead"_s);
    QCOMPARE(cell(M::StateColumn, RawValueRole).toInt(), int(State::Ahead));
    for (int column = 0; column < M::ColumnCount; ++column) {
        QCOMPARE(cell(column, SessionIdRole).toString(), u"sess-1"_s);
        QCOMPARE(cell(column, M::StateRole).toInt(), int(State::Ahead));
        QCOMPARE(cell(column, M::SlotRole).toULongLong(), 417811172ull);
        QCOMPARE(cell(column, M::BatchIndexRole).toUInt(), 3u);
    }
    QStringList headers;
    for (int c = 0; c < M::ColumnCount; ++c)
        headers << model.headerData(c, Qt::Horizontal).toString();
    QCOMPARE(headers, (QStringList{u"Session"_s, u"Slot"_s, u"Batch"_s, u"Matched filters"_s,
                                   u"Transactions"_s, u"State"_s}));
}

void tst_DiscoveryModel::stateRules_data()
{
    // The batch under test is (slot 100, batch 3). `before` is an earlier
    // position of the session (empty: none), `position` the current one.
    QTest::addColumn<QList<Position>>("positions");
    QTest::addColumn<bool>("finished");
    QTest::addColumn<State>("expected");

    const auto running = [](quint64 slot) { return Position{slot, std::nullopt, false}; };
    const auto paused = [](quint64 slot, std::optional<quint32> batchIndex) {
        return Position{slot, batchIndex, true};
    };
    QTest::addRow("no position yet") << QList<Position>{} << false << State::Ahead;
    QTest::addRow("running before the slot") << QList<Position>{running(99)} << false << State::Ahead;
    QTest::addRow("running at the slot (first notification)") << QList<Position>{running(100)} << false << State::Ahead;
    QTest::addRow("running past the slot") << QList<Position>{running(101)} << false << State::Passed;
    QTest::addRow("paused exactly at it") << QList<Position>{paused(100, 3)} << false << State::Reached;
    QTest::addRow("paused at an earlier batch") << QList<Position>{paused(100, 2)} << false << State::Ahead;
    QTest::addRow("paused at a later batch") << QList<Position>{paused(100, 4)} << false << State::Passed;
    QTest::addRow("paused after the whole slot") << QList<Position>{paused(100, std::nullopt)} << false << State::Passed;
    QTest::addRow("paused after the slot before") << QList<Position>{paused(99, std::nullopt)} << false << State::Ahead;
    QTest::addRow("paused in an earlier slot") << QList<Position>{paused(99, 5)} << false << State::Ahead;
    QTest::addRow("paused in a later slot") << QList<Position>{paused(101, 0)} << false << State::Passed;
    QTest::addRow("reached, then resumed in the slot") << QList<Position>{paused(100, 3), running(100)} << false << State::Passed;
    QTest::addRow("reached, then paused at the next batch") << QList<Position>{paused(100, 3), paused(100, 4)} << false << State::Passed;
    QTest::addRow("passed never goes back") << QList<Position>{running(101), running(50)} << false << State::Passed;
    QTest::addRow("session finished") << QList<Position>{running(100)} << true << State::Passed;
    QTest::addRow("finished without any position") << QList<Position>{} << true << State::Passed;
}

void tst_DiscoveryModel::stateRules()
{
    QFETCH(QList<Position>, positions);
    QFETCH(bool, finished);
    QFETCH(State, expected);

    DiscoveryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.addBatch(u"A"_s, batch(100, 3));
    model.addBatch(u"other"_s, batch(100, 3));
    for (const Position &p : positions)
        model.setPosition(u"A"_s, p.slot, p.batchIndex, p.paused);
    if (finished)
        model.setSessionFinished(u"A"_s);
    QCOMPARE(model.stateAt(0), expected);
    QCOMPARE(model.index(0, M::StateColumn).data().toString(), DiscoveryModel::stateText(expected));
    QCOMPARE(model.stateAt(1), State::Ahead); // another session's position does not apply
}

void tst_DiscoveryModel::hasRunGuardsContinueTo()
{
    // What a Continue To may still reach: an unpaused position is the next
    // slot to execute (the slot a step just ran has run), a paused one is
    // before a batch of its slot.
    DiscoveryModel model;
    QVERIFY(!model.hasRun(u"A"_s, 50, std::nullopt)); // no position: nothing known
    model.setPosition(u"A"_s, 100, std::nullopt, false); // created at 100, or stepped through 99
    QVERIFY(model.hasRun(u"A"_s, 99, std::nullopt));
    QVERIFY(model.hasRun(u"A"_s, 99, 4));
    QVERIFY(!model.hasRun(u"A"_s, 100, std::nullopt));
    QVERIFY(!model.hasRun(u"A"_s, 100, 0));
    model.setPosition(u"A"_s, 100, 3, true); // paused before 100/3
    QVERIFY(model.hasRun(u"A"_s, 100, 2));
    QVERIFY(!model.hasRun(u"A"_s, 100, 3));
    QVERIFY(model.isPausedBefore(u"A"_s, 100, 3)); // not run, and no target either
    QVERIFY(!model.isPausedBefore(u"A"_s, 100, 4));
    QVERIFY(!model.hasRun(u"A"_s, 100, std::nullopt)); // the slot has not run as a whole
    QVERIFY(!model.hasRun(u"A"_s, 101, std::nullopt));
    model.setPosition(u"A"_s, 100, std::nullopt, true); // paused after the whole slot
    QVERIFY(model.hasRun(u"A"_s, 100, std::nullopt));
    QVERIFY(!model.hasRun(u"B"_s, 100, std::nullopt)); // another session's position does not apply
    model.setSessionFinished(u"A"_s);
    QVERIFY(model.hasRun(u"A"_s, 5000, std::nullopt));
}

void tst_DiscoveryModel::transitionsAheadReachedPassed()
{
    DiscoveryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.addBatch(u"A"_s, batch(100, 3));   // row 0
    model.addBatch(u"B"_s, batch(100, 3));   // row 1
    model.addBatch(u"A"_s, batch(100, 7));   // row 2
    model.addBatch(u"A"_s, batch(105, 0));   // row 3
    ModelLog log(&model);
    const QString roles = u"display,raw,state"_s;

    model.setPosition(u"A"_s, 100, std::nullopt, false); // ready at startSlot
    QCOMPARE(log.take(), QStringList{});
    QCOMPARE(states(model), (QStringList{u"Ahead"_s, u"Ahead"_s, u"Ahead"_s, u"Ahead"_s}));

    model.setPosition(u"A"_s, 100, 3, true); // Continue-to (100, 3) → paused
    QCOMPARE(log.take(), QStringList{u"changed 0-0 c0-5 "_s + roles});
    QCOMPARE(states(model), (QStringList{u"Reached"_s, u"Ahead"_s, u"Ahead"_s, u"Ahead"_s}));

    model.setPosition(u"A"_s, 100, 7, true); // Continue-to (100, 7)
    QCOMPARE(log.take(), QStringList{u"changed 0-2 c0-5 "_s + roles});
    QCOMPARE(states(model), (QStringList{u"Passed"_s, u"Ahead"_s, u"Reached"_s, u"Ahead"_s}));

    model.setPosition(u"A"_s, 100, 7, true); // repeated: nothing changes
    QCOMPARE(log.take(), QStringList{});

    model.setPosition(u"A"_s, 103, std::nullopt, false); // Continue, running
    QCOMPARE(log.take(), QStringList{u"changed 2-2 c0-5 "_s + roles});
    QCOMPARE(states(model), (QStringList{u"Passed"_s, u"Ahead"_s, u"Passed"_s, u"Ahead"_s}));

    model.setPosition(u"A"_s, 105, 0, true);
    QCOMPARE(log.take(), QStringList{u"changed 3-3 c0-5 "_s + roles});
    QCOMPARE(model.stateAt(3), State::Reached);

    model.setPosition(u"B"_s, 100, 3, true);
    QCOMPARE(log.take(), QStringList{u"changed 1-1 c0-5 "_s + roles});
    QCOMPARE(states(model), (QStringList{u"Passed"_s, u"Reached"_s, u"Passed"_s, u"Reached"_s}));

    model.setSessionFinished(u"A"_s);
    QCOMPARE(log.take(), QStringList{u"changed 3-3 c0-5 "_s + roles});
    QCOMPARE(states(model), (QStringList{u"Passed"_s, u"Reached"_s, u"Passed"_s, u"Passed"_s}));
}

void tst_DiscoveryModel::batchAnnouncedBehindThePosition()
{
    DiscoveryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setPosition(u"A"_s, 200, 4, true);
    model.addBatches(u"A"_s, {batch(150, 0), batch(200, 4), batch(200, 9)});
    QCOMPARE(states(model), (QStringList{u"Passed"_s, u"Reached"_s, u"Ahead"_s}));
}

void tst_DiscoveryModel::clear()
{
    DiscoveryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.addBatch(u"A"_s, batch(1, 1));
    model.setPosition(u"A"_s, 5, std::nullopt, false);
    ModelLog log(&model);
    model.clear();
    QCOMPARE(log.take(), QStringList{u"reset"_s});
    QCOMPARE(model.rowCount(), 0);
    // Positions are forgotten too, and the same batch may be listed again.
    QVERIFY(model.addBatch(u"A"_s, batch(1, 1)));
    QCOMPARE(model.stateAt(0), State::Ahead);
}

QTEST_GUILESS_MAIN(tst_DiscoveryModel)
#include "tst_discoverymodel.moc"
