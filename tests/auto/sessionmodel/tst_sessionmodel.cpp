#include "model/metatypes.h"
#include "model/sessionmodel.h"
#include "support/modelsignallog.h"

#include <QAbstractItemModelTester>
#include <QMetaEnum>
#include <QSignalSpy>
#include <QTest>
#include <QDateTime>
#include <QLocale>

using namespace Qt::StringLiterals;
using namespace SlotScope;
using namespace SlotScope::Testing;

namespace {

using M = SessionModel;

QString roleName(int role)
{
    switch (role) {
    case Qt::DisplayRole: return u"display"_s;
    case Qt::ToolTipRole: return u"tooltip"_s;
    case RawValueRole: return u"raw"_s;
    case SessionIdRole: return u"session"_s;
    case M::ProgressRole: return u"progress"_s;
    case M::StateRole: return u"state"_s;
    case M::RunIdRole: return u"run"_s;
    case M::ControlStatusRole: return u"control"_s;
    case M::DataPlaneStatusRole: return u"dataplane"_s;
    case M::DriveRole: return u"drive"_s;
    case M::AnyDrivenRole: return u"anydriven"_s;
    }
    return QString::number(role);
}

// Every signal that changes what a view shows, in order, e.g.
// "insert root 0,0", "insert 0 3,3" (children of top-level row 0),
// "changed 0 0-2 c2-10 display,tooltip,raw,progress".
class ModelLog : public ModelSignalLog
{
public:
    explicit ModelLog(QAbstractItemModel *model)
        : ModelSignalLog(model, {.parents = true, .dataChanged = true, .roleName = roleName})
    {
    }
};

SessionUpdate run(const QString &runId, bool parallel, const QString &label = {})
{
    SessionUpdate u{.runId = runId, .parallel = parallel};
    if (!label.isEmpty())
        u.label = label;
    u.state = SessionState::Creating;
    return u;
}

SessionUpdate session(const QString &runId, const QString &sessionId)
{
    SessionUpdate u{.runId = runId, .sessionId = sessionId};
    return u;
}

SessionUpdate ranged(const QString &runId, const QString &sessionId, quint64 start, quint64 end)
{
    SessionUpdate u = session(runId, sessionId);
    u.startSlot = start;
    u.endSlot = end;
    return u;
}

QString text(const QModelIndex &index, int column, int role = Qt::DisplayRole)
{
    return index.siblingAtColumn(column).data(role).toString();
}

} // namespace

class tst_SessionModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void singleRunShowsItsSessionOnTheRunRow();
    void parallelRunHasOneChildPerSubSession();
    void oneDataChangedPerContiguousRange();
    void progress_data();
    void progress();
    void progressThroughTheModel_data();
    void progressThroughTheModel();
    void columnsAndRoles();
    void parallelAggregates();
    void driveModeIsShownAndAggregated();
    void removeRunAndClear();
    void describeLink_data();
    void describeLink();
    void describeLinkWithReason_data();
    void describeLinkWithReason();
    void sessionStateNames();
    void nameColumnShowsTheServersName();
};

void tst_SessionModel::initTestCase()
{
    registerModelMetaTypes();
}

void tst_SessionModel::singleRunShowsItsSessionOnTheRunRow()
{
    SessionModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    ModelLog log(&model);

    SessionUpdate create = run(u"r1"_s, false, u"demo 100..200"_s);
    create.startSlot = 100;
    create.endSlot = 200;
    model.applyUpdates({create});
    QCOMPARE(log.take(), QStringList{u"insert root 0,0"_s});
    QCOMPARE(model.rowCount(), 1);
    const QModelIndex row = model.index(0, 0);
    QCOMPARE(model.rowCount(row), 0);
    QVERIFY(!model.hasChildren(row));
    QCOMPARE(text(row, M::SessionColumn), u"demo 100..200"_s);
    QCOMPARE(text(row, M::SessionColumn, Qt::ToolTipRole), u"Run demo 100..200 (no session yet)"_s);
    QCOMPARE(text(row, M::StateColumn), u"Creating"_s);
    QCOMPARE(text(row, M::SlotRangeColumn), u"100..200"_s);
    QCOMPARE(row.data(M::RunIdRole).toString(), u"r1"_s);
    QVERIFY(!model.indexForSession(u"s1"_s).isValid());

    SessionUpdate created = session(u"r1"_s, u"s1"_s);
    created.state = SessionState::Ready;
    created.currentSlot = 100;
    model.applyUpdates({created});
    QCOMPARE(log.take(), QStringList{u"changed root 0-0 c0-4 display,tooltip,raw,session,progress,state,drive,anydriven"_s});
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(text(row, M::SessionColumn), u"s1"_s);
    QCOMPARE(text(row, M::SessionColumn, Qt::ToolTipRole), u"Session s1 of run demo 100..200"_s);
    QCOMPARE(row.data(SessionIdRole).toString(), u"s1"_s);
    QCOMPARE(model.indexForSession(u"s1"_s), row);
    QCOMPARE(model.indexForRun(u"r1"_s), row);

    // Run-level updates (no session id) land on the same row.
    SessionUpdate running{.runId = u"r1"_s, .state = SessionState::Running};
    model.applyUpdates({running});
    QCOMPARE(log.take(), QStringList{u"changed root 0-0 c3-4 display,tooltip,raw,progress,state,drive,anydriven"_s});
    QCOMPARE(text(row, M::StateColumn), u"Running"_s);

    // An update that changes nothing is not announced.
    model.applyUpdates({running, created});
    QCOMPARE(log.take(), QStringList{u"changed root 0-0 c3-4 display,tooltip,raw,progress,state,drive,anydriven"_s});
    model.applyUpdates({created});
    QCOMPARE(log.take(), QStringList{});
}

void tst_SessionModel::nameColumnShowsTheServersName()
{
    SessionModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.applyUpdates({run(u"r1"_s, false, u"demo"_s), session(u"r1"_s, u"s1"_s)});
    const QModelIndex single = model.index(0, 0);
    QCOMPARE(text(single, M::NameColumn), QString());
    QVERIFY(!model.index(0, M::NameColumn).data(Qt::ToolTipRole).isValid());

    SessionUpdate named = session(u"r1"_s, u"s1"_s);
    named.name = u"jup-arb-7"_s;
    model.applyUpdates({named});
    QCOMPARE(text(single, M::NameColumn), u"jup-arb-7"_s);
    QCOMPARE(text(single, M::NameColumn, Qt::ToolTipRole), u"jup-arb-7"_s);
    QCOMPARE(text(single, M::SessionColumn), u"s1"_s); // the id stays in the Session column

    // A sub-session's own name, and the batch's name on the run row.
    SessionUpdate batch = run(u"p"_s, true, u"batch"_s);
    batch.name = u"sweep"_s;
    SessionUpdate sub = ranged(u"p"_s, u"a"_s, 0, 99);
    sub.name = u"sweep-0"_s;
    model.applyUpdates({batch, sub});
    const QModelIndex runIndex = model.index(1, 0);
    const QModelIndex child = model.index(0, 0, runIndex);
    QCOMPARE(text(runIndex, M::NameColumn), u"sweep"_s);
    QCOMPARE(text(child, M::NameColumn), u"sweep-0"_s);
    QCOMPARE(text(child, M::NameColumn, Qt::ToolTipRole), u"sweep-0"_s);
    QCOMPARE(text(child, M::SessionColumn), u"a"_s);
}

void tst_SessionModel::parallelRunHasOneChildPerSubSession()
{
    SessionModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    ModelLog log(&model);

    // Before its sub-sessions exist (or when the create failed): a batch, not "0 sub-sessions".
    {
        SessionModel empty;
        empty.applyUpdates({run(u"e"_s, true, u"batch"_s)});
        QCOMPARE(empty.index(0, M::SessionColumn).data().toString(), u"batch (parallel batch)"_s);
    }

    // A run and its first sub-sessions in one batch: one insert.
    model.applyUpdates({run(u"p"_s, true, u"batch"_s), ranged(u"p"_s, u"a"_s, 0, 99),
                        ranged(u"p"_s, u"b"_s, 100, 199), ranged(u"p"_s, u"c"_s, 200, 299)});
    QCOMPARE(log.take(), QStringList{u"insert root 0,0"_s});
    const QModelIndex runIndex = model.index(0, 0);
    QCOMPARE(model.rowCount(runIndex), 3);
    // tr("%n sub-session(s)") (STYLE.md "Translation"); "(s)" until an English .qm is loaded.
    QCOMPARE(text(runIndex, M::SessionColumn), u"batch (3 sub-session(s))"_s);
    QStringList children;
    for (int r = 0; r < 3; ++r) {
        const QModelIndex child = model.index(r, 0, runIndex);
        QCOMPARE(child.parent(), runIndex);
        QCOMPARE(model.rowCount(child), 0);
        children << text(child, M::SessionColumn);
    }
    QCOMPARE(children, (QStringList{u"a"_s, u"b"_s, u"c"_s}));
    QCOMPARE(model.indexForSession(u"b"_s), model.index(1, 0, runIndex));

    // A later sub-session and a change to an existing one: insert under the
    // run, then one dataChanged for the run row (totals) and one for the child.
    SessionUpdate slotA = session(u"p"_s, u"a"_s);
    slotA.currentSlot = 50;
    model.applyUpdates({ranged(u"p"_s, u"d"_s, 300, 399), slotA});
    QCOMPARE(log.take(),
             (QStringList{u"insert 0 3,3"_s,
                          u"changed root 0-0 c0-10 display,tooltip,raw,progress,state,dataplane,drive,anydriven"_s,
                          u"changed 0 0-0 c2-3 display,raw,progress"_s}));
    QCOMPARE(model.rowCount(runIndex), 4);
    QCOMPARE(text(model.index(3, 0, runIndex), M::SlotRangeColumn), u"300..399"_s);
    QCOMPARE(text(runIndex, M::SessionColumn), u"batch (4 sub-session(s))"_s);

    // A second run is a second top-level row.
    model.applyUpdates({run(u"q"_s, false), session(u"q"_s, u"solo"_s)});
    QCOMPARE(log.take(), QStringList{u"insert root 1,1"_s});
    QCOMPARE(model.indexForSession(u"solo"_s), model.index(1, 0));
    QCOMPARE(model.rowCount(model.index(1, 0)), 0);

    // Where a Continue To of a slot goes without a selection: the single
    // run's session whatever the slot; the sub-session covering it, unless
    // that one has ended (the engine then finds none either).
    QCOMPARE(model.sessionForSlot(u"q"_s, 12345), u"solo"_s);
    QCOMPARE(model.sessionForSlot(u"p"_s, 150), u"b"_s);
    QCOMPARE(model.sessionForSlot(u"p"_s, 399), u"d"_s);
    QCOMPARE(model.sessionForSlot(u"p"_s, 400), QString());
    QCOMPARE(model.sessionForSlot(u"unknown"_s, 150), QString());
    SessionUpdate failedB = session(u"p"_s, u"b"_s);
    failedB.state = SessionState::Failed;
    model.applyUpdates({failedB});
    QCOMPARE(model.sessionForSlot(u"p"_s, 150), QString());
}

void tst_SessionModel::oneDataChangedPerContiguousRange()
{
    SessionModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QList<SessionUpdate> setup{run(u"p"_s, true)};
    for (int i = 0; i < 6; ++i)
        setup << ranged(u"p"_s, u"s%1"_s.arg(i), quint64(i) * 100, quint64(i) * 100 + 99);
    SessionUpdate fifth = session(u"p"_s, u"s5"_s);
    fifth.transactionsCaptured = 7;
    setup << fifth;
    model.applyUpdates(setup);
    ModelLog log(&model);

    QList<SessionUpdate> batch;
    for (int i : {0, 1, 2}) {
        SessionUpdate u = session(u"p"_s, u"s%1"_s.arg(i));
        u.currentSlot = quint64(i) * 100 + 10;
        batch << u;
    }
    SessionUpdate fourth = session(u"p"_s, u"s4"_s);
    fourth.transactionsCaptured = 12;
    batch << fourth;
    SessionUpdate error = session(u"p"_s, u"s1"_s);
    error.lastError = u"subscription failed"_s;
    batch << error;
    batch << fifth; // no change
    model.applyUpdates(batch);
    QCOMPARE(log.take(),
             (QStringList{u"changed root 0-0 c2-10 display,tooltip,raw,progress"_s,
                          u"changed 0 0-2 c2-10 display,tooltip,raw,progress"_s,
                          u"changed 0 4-4 c8-8 display,raw"_s}));

    SessionUpdate state = session(u"p"_s, u"s5"_s);
    state.state = SessionState::Running;
    model.applyUpdates({state});
    QCOMPARE(log.take(),
             (QStringList{u"changed root 0-0 c3-4 display,tooltip,raw,progress,state,drive,anydriven"_s,
                          u"changed 0 5-5 c3-4 display,tooltip,raw,progress,state,drive,anydriven"_s}));

    const QModelIndex runIndex = model.index(0, 0);
    QCOMPARE(text(model.index(4, 0, runIndex), M::TransactionsColumn), u"12"_s);
    QCOMPARE(text(model.index(1, 0, runIndex), M::LastErrorColumn), u"subscription failed"_s);
    QCOMPARE(text(runIndex, M::TransactionsColumn), u"19"_s);
}

void tst_SessionModel::progress_data()
{
    QTest::addColumn<quint64>("start");
    QTest::addColumn<quint64>("end");
    QTest::addColumn<quint64>("current");
    QTest::addColumn<double>("expected");

    QTest::addRow("at start") << quint64(1000) << quint64(1100) << quint64(1000) << 0.0;
    QTest::addRow("at end") << quint64(1000) << quint64(1100) << quint64(1100) << 1.0;
    QTest::addRow("middle") << quint64(1000) << quint64(1100) << quint64(1050) << 0.5;
    QTest::addRow("one past start") << quint64(1000) << quint64(1100) << quint64(1001) << 0.01;
    QTest::addRow("before start") << quint64(1000) << quint64(1100) << quint64(10) << 0.0;
    QTest::addRow("past end") << quint64(1000) << quint64(1100) << quint64(5000) << 1.0;
    QTest::addRow("one-slot range, reached") << quint64(7) << quint64(7) << quint64(7) << 1.0;
    QTest::addRow("one-slot range, before") << quint64(7) << quint64(7) << quint64(6) << 0.0;
    QTest::addRow("huge slots") << quint64(419685000) << quint64(419685246) << quint64(419685123) << 0.5;
}

void tst_SessionModel::progress()
{
    QFETCH(quint64, start);
    QFETCH(quint64, end);
    QFETCH(quint64, current);
    QFETCH(double, expected);
    QCOMPARE(SessionModel::progress(start, end, current), expected);
}

void tst_SessionModel::progressThroughTheModel_data()
{
    QTest::addColumn<std::optional<quint64>>("current");
    QTest::addColumn<SessionState>("state");
    QTest::addColumn<double>("expected");
    QTest::addColumn<QString>("shown");

    QTest::addRow("no slot yet") << std::optional<quint64>() << SessionState::Ready << 0.0 << u"0%"_s;
    QTest::addRow("start") << std::optional<quint64>(100) << SessionState::Running << 0.0 << u"0%"_s;
    QTest::addRow("quarter") << std::optional<quint64>(125) << SessionState::Running << 0.25 << u"25%"_s;
    QTest::addRow("end") << std::optional<quint64>(200) << SessionState::Running << 1.0 << u"100%"_s;
    QTest::addRow("completed") << std::optional<quint64>(150) << SessionState::Completed << 1.0 << u"100%"_s;
    QTest::addRow("failed halfway") << std::optional<quint64>(150) << SessionState::Failed << 0.5 << u"50%"_s;
}

void tst_SessionModel::progressThroughTheModel()
{
    QFETCH(std::optional<quint64>, current);
    QFETCH(SessionState, state);
    QFETCH(double, expected);
    QFETCH(QString, shown);

    SessionModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    SessionUpdate u = ranged(u"r"_s, u"s"_s, 100, 200);
    u.currentSlot = current;
    u.state = state;
    model.applyUpdates({u});
    const QModelIndex row = model.index(0, 0);
    for (int column = 0; column < M::ColumnCount; ++column)
        QCOMPARE(row.siblingAtColumn(column).data(M::ProgressRole).toDouble(), expected);
    QCOMPARE(row.siblingAtColumn(M::ProgressColumn).data(RawValueRole).toDouble(), expected);
    QCOMPARE(text(row, M::ProgressColumn), shown);
}

void tst_SessionModel::columnsAndRoles()
{
    SessionModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    SessionUpdate u = ranged(u"r"_s, u"5f1c"_s, 1000, 1100);
    u.label = u"demo"_s;
    u.currentSlot = 1010;
    u.state = SessionState::Failed;
    u.control = LinkState{ConnectionStatus::Down, 3, 4000, u"connection refused"_s};
    u.subscriptions = QList<LinkState>{LinkState{ConnectionStatus::Up, 0, {}, {}},
                                       LinkState{ConnectionStatus::Down, 1, 1000, u"closed 1006"_s}};
    u.reconnectCount = 5;
    u.transactionsCaptured = 1234;
    u.duplicatesDropped = 7;
    u.framesDropped = 2;
    u.lastError = u"drain stalled: no data for 60 s"_s;
    model.applyUpdates({u});
    const QModelIndex row = model.index(0, 0);

    // Qt's own role names plus the shared and the model's own ones.
    const QHash<int, QByteArray> roles = model.roleNames();
    QCOMPARE(roles.value(Qt::DisplayRole), QByteArray("display"));
    QCOMPARE(roles.value(RawValueRole), QByteArray("rawValue"));
    QCOMPARE(roles.value(SessionIdRole), QByteArray("sessionId"));
    QCOMPARE(roles.value(M::ProgressRole), QByteArray("progress"));
    QCOMPARE(roles.value(M::DataPlaneStatusRole), QByteArray("dataPlaneStatus"));
    QCOMPARE(roles.value(M::DriveRole), QByteArray("drive"));
    QCOMPARE(roles.value(M::AnyDrivenRole), QByteArray("anyDriven"));

    QStringList display;
    for (int column = 0; column < M::ColumnCount; ++column)
        display << text(row, column);
    QCOMPARE(display, (QStringList{u"5f1c"_s, u"1000..1100"_s, u"1010"_s, u"10%"_s, u"Failed"_s,
                                   u"Down (attempt 3, retry in 4 s)"_s, u"Down (1/2 up)"_s, u"5"_s,
                                   QLocale().toString(1234), u"7"_s, u"drain stalled: no data for 60 s"_s, QString(), u"0"_s, u"2"_s}));

    const auto raw = [&](int column) { return row.siblingAtColumn(column).data(RawValueRole); };
    QCOMPARE(raw(M::SessionColumn).toString(), u"5f1c"_s);
    QCOMPARE(raw(M::SlotRangeColumn).metaType(), QMetaType::fromType<qulonglong>());
    QCOMPARE(raw(M::SlotRangeColumn).toULongLong(), 1000ull);
    QCOMPARE(raw(M::CurrentSlotColumn).toULongLong(), 1010ull);
    QCOMPARE(raw(M::ProgressColumn).toDouble(), 0.1);
    QCOMPARE(raw(M::StateColumn).toInt(), int(SessionState::Failed));
    QCOMPARE(raw(M::ControlColumn).toInt(), int(ConnectionStatus::Down));
    QCOMPARE(raw(M::DataPlaneColumn).toInt(), int(ConnectionStatus::Down));
    QCOMPARE(raw(M::ReconnectsColumn).toULongLong(), 5ull);
    QCOMPARE(raw(M::TransactionsColumn).metaType(), QMetaType::fromType<qulonglong>());
    QCOMPARE(raw(M::TransactionsColumn).toULongLong(), 1234ull);
    QCOMPARE(raw(M::DuplicatesColumn).toULongLong(), 7ull);

    QCOMPARE(text(row, M::LastErrorColumn, Qt::ToolTipRole), u"drain stalled: no data for 60 s"_s);
    QCOMPARE(text(row, M::StateColumn, Qt::ToolTipRole), u"drain stalled: no data for 60 s"_s);
    QCOMPARE(text(row, M::ControlColumn, Qt::ToolTipRole),
             u"Down (attempt 3, retry in 4 s) — connection refused"_s);
    QCOMPARE(text(row, M::DataPlaneColumn, Qt::ToolTipRole),
             u"Subscription 1: Up\nSubscription 2: Down (attempt 1, retry in 1 s) — closed 1006"_s);
    QCOMPARE(row.data(M::StateRole).toInt(), int(SessionState::Failed));
    QCOMPARE(row.data(M::ControlStatusRole).toInt(), int(ConnectionStatus::Down));
    QCOMPARE(row.data(M::DataPlaneStatusRole).toInt(), int(ConnectionStatus::Down));
    QCOMPARE(row.data(SessionIdRole).toString(), u"5f1c"_s);

    // Unknown values are empty, not zero.
    model.applyUpdates({run(u"fresh"_s, false)});
    const QModelIndex fresh = model.index(1, 0);
    QCOMPARE(text(fresh, M::SlotRangeColumn), QString());
    QVERIFY(!fresh.siblingAtColumn(M::SlotRangeColumn).data(RawValueRole).isValid());
    QVERIFY(!fresh.siblingAtColumn(M::CurrentSlotColumn).data(RawValueRole).isValid());
    QVERIFY(!fresh.siblingAtColumn(M::ControlColumn).data(RawValueRole).isValid());
    QVERIFY(!fresh.data(M::DataPlaneStatusRole).isValid());
    QCOMPARE(text(fresh, M::DataPlaneColumn), QString());
    QCOMPARE(text(fresh, M::TransactionsColumn), u"0"_s);

    QStringList headers;
    for (int c = 0; c < M::ColumnCount; ++c)
        headers << model.headerData(c, Qt::Horizontal).toString();
    QCOMPARE(headers, (QStringList{u"Session"_s, u"Slot range"_s, u"Current slot"_s, u"Progress"_s,
                                   u"State"_s, u"Control"_s, u"Data plane"_s, u"Reconnects"_s,
                                   u"Transactions"_s, u"Duplicates"_s, u"Last error"_s, u"Name"_s,
                                   u"Simulation errors"_s, u"Dropped frames"_s}));
}

void tst_SessionModel::parallelAggregates()
{
    SessionModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    SessionUpdate batch = run(u"p"_s, true, u"batch"_s);
    batch.control = LinkState{ConnectionStatus::Up, 0, {}, {}};
    batch.reconnectCount = 1; // the shared control socket
    SessionUpdate a = ranged(u"p"_s, u"a"_s, 0, 99);
    a.currentSlot = 49;
    a.state = SessionState::Running;
    a.transactionsCaptured = 10;
    a.reconnectCount = 2;
    a.subscriptions = QList<LinkState>{LinkState{ConnectionStatus::Up, 0, {}, {}}};
    SessionUpdate b = ranged(u"p"_s, u"b"_s, 100, 199);
    b.currentSlot = 199;
    b.state = SessionState::Completed;
    b.transactionsCaptured = 20;
    b.duplicatesDropped = 3;
    b.framesDropped = 4;
    b.subscriptions = QList<LinkState>{LinkState{ConnectionStatus::Up, 0, {}, {}}};
    SessionUpdate c = ranged(u"p"_s, u"c"_s, 200, 399);
    c.currentSlot = 200;
    c.state = SessionState::Ready;
    c.transactionsCaptured = 5;
    c.framesDropped = 1;
    c.subscriptions = QList<LinkState>{LinkState{ConnectionStatus::Parked, 6, {}, {}}};
    batch.framesDropped = 2; // on the batch's shared control socket
    model.applyUpdates({batch, a, b, c});

    const QModelIndex runIndex = model.index(0, 0);
    QCOMPARE(text(runIndex, M::SlotRangeColumn), u"0..399"_s);
    QCOMPARE(text(runIndex, M::CurrentSlotColumn), QString());
    // Weighted by slot count: (49/99 × 100 + 1 × 100 + 0 × 200) / 400.
    QCOMPARE(runIndex.data(M::ProgressRole).toDouble(), (49.0 / 99.0 * 100.0 + 100.0) / 400.0);
    QCOMPARE(text(runIndex, M::StateColumn), u"Running"_s);
    QCOMPARE(text(runIndex, M::TransactionsColumn), u"35"_s);
    QCOMPARE(text(runIndex, M::DuplicatesColumn), u"3"_s);
    QCOMPARE(text(runIndex, M::FramesDroppedColumn), u"7"_s); // its own 2 and its sub-sessions' 4 + 1
    QCOMPARE(text(runIndex, M::ReconnectsColumn), u"3"_s);
    QCOMPARE(text(runIndex, M::ControlColumn), u"Up"_s);
    QCOMPARE(text(runIndex, M::DataPlaneColumn), u"Parked (2/3 up)"_s);
    QCOMPARE(text(model.index(0, 0, runIndex), M::ControlColumn), QString()); // shared socket: on the run row
    // b completed and its socket closed for good: not a Down of the batch.
    SessionUpdate bClosed = session(u"p"_s, u"b"_s);
    bClosed.subscriptions = QList<LinkState>{LinkState{ConnectionStatus::Down, 0, {}, u"end of stream"_s, true}};
    SessionUpdate cUp = session(u"p"_s, u"c"_s);
    cUp.subscriptions = QList<LinkState>{LinkState{ConnectionStatus::Up, 6, {}, {}}};
    model.applyUpdates({bClosed, cUp});
    QCOMPARE(text(runIndex, M::DataPlaneColumn), u"Up (2/2 up, 1 closed)"_s);
    QVERIFY(!runIndex.siblingAtColumn(M::DataPlaneColumn).data(Qt::ForegroundRole).isValid());
    QCOMPARE(text(model.index(1, 0, runIndex), M::DataPlaneColumn), u"Closed"_s);
    // Every socket closed: the batch says so, in no warning colour.
    for (const QString &id : {u"a"_s, u"c"_s}) {
        SessionUpdate closed = session(u"p"_s, id);
        closed.subscriptions = QList<LinkState>{LinkState{ConnectionStatus::Down, 0, {}, u"stopped"_s, true}};
        model.applyUpdates({closed});
    }
    QCOMPARE(text(runIndex, M::DataPlaneColumn), u"Closed (0/3 up)"_s);
    QVERIFY(!runIndex.siblingAtColumn(M::DataPlaneColumn).data(Qt::ForegroundRole).isValid());
    SessionUpdate cParked = session(u"p"_s, u"c"_s);
    cParked.subscriptions = QList<LinkState>{LinkState{ConnectionStatus::Parked, 6, {}, {}}};
    model.applyUpdates({cParked});
    QCOMPARE(text(runIndex, M::LastErrorColumn), QString());

    SessionUpdate cFails = session(u"p"_s, u"c"_s);
    cFails.state = SessionState::Failed;
    cFails.lastError = u"reconnect budget exhausted"_s;
    model.applyUpdates({cFails});
    QCOMPARE(text(runIndex, M::StateColumn), u"Failed"_s);
    QCOMPARE(text(runIndex, M::LastErrorColumn), u"c: reconnect budget exhausted"_s);

    SessionUpdate aDone = session(u"p"_s, u"a"_s);
    aDone.state = SessionState::Completed;
    SessionUpdate cDone = session(u"p"_s, u"c"_s);
    cDone.state = SessionState::Completed;
    cDone.lastError = QString();
    model.applyUpdates({aDone, cDone});
    QCOMPARE(text(runIndex, M::StateColumn), u"Completed"_s);
    QCOMPARE(runIndex.data(M::ProgressRole).toDouble(), 1.0);
    QCOMPARE(text(runIndex, M::LastErrorColumn), QString());

    // The run itself stopped by the user wins over its children.
    SessionUpdate stopped{.runId = u"p"_s, .state = SessionState::Stopped};
    SessionUpdate aRunning = session(u"p"_s, u"a"_s);
    aRunning.state = SessionState::Running;
    model.applyUpdates({stopped, aRunning});
    QCOMPARE(text(runIndex, M::StateColumn), u"Stopped"_s);
}

void tst_SessionModel::driveModeIsShownAndAggregated()
{
    SessionModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    const auto driven = [](const QString &id, SessionState state, DriveMode drive) {
        SessionUpdate u = ranged(u"p"_s, id, 0, 99);
        u.state = state;
        u.drive = drive;
        return u;
    };
    model.applyUpdates({run(u"p"_s, true, u"batch"_s), driven(u"a"_s, SessionState::Running, DriveMode::RunToEnd),
                        driven(u"b"_s, SessionState::Ready, DriveMode::RunToEnd),
                        driven(u"c"_s, SessionState::Completed, DriveMode::Manual)});
    const QModelIndex runIndex = model.index(0, 0);
    const QModelIndex a = model.index(0, 0, runIndex);
    const QModelIndex b = model.index(1, 0, runIndex);
    const auto drive = [](const QModelIndex &index) { return DriveMode(index.data(M::DriveRole).toInt()); };
    QCOMPARE(text(a, M::StateColumn), u"Running (run to end)"_s);
    QCOMPARE(text(b, M::StateColumn), u"Ready (run to end)"_s);
    QCOMPARE(text(b, M::StateColumn, Qt::ToolTipRole), u"run to end"_s);
    // Every live sub-session runs to end (c completed): so does the batch.
    QCOMPARE(drive(runIndex), DriveMode::RunToEnd);
    QVERIFY(runIndex.data(M::AnyDrivenRole).toBool());
    QCOMPARE(text(runIndex, M::StateColumn), u"Running (run to end)"_s);

    // a paused by the user: the batch's live sub-sessions differ, one is still driven.
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.applyUpdates({driven(u"a"_s, SessionState::Running, DriveMode::Manual)});
    bool sawDriveRole = false;
    for (const QList<QVariant> &args : std::as_const(changed))
        sawDriveRole |= args.at(2).value<QList<int>>().contains(M::DriveRole);
    QVERIFY(sawDriveRole);
    QCOMPARE(text(a, M::StateColumn), u"Running"_s);
    QCOMPARE(drive(a), DriveMode::Manual);
    QVERIFY(!a.data(M::AnyDrivenRole).toBool());
    QCOMPARE(drive(runIndex), DriveMode::Manual);
    QVERIFY(runIndex.data(M::AnyDrivenRole).toBool());
    QCOMPARE(text(runIndex, M::StateColumn), u"Running"_s);

    // b ends: nothing is driven any more, whatever its last mode was.
    model.applyUpdates({driven(u"b"_s, SessionState::Completed, DriveMode::RunToEnd)});
    QCOMPARE(drive(b), DriveMode::Manual);
    QCOMPARE(text(b, M::StateColumn), u"Completed"_s);
    QVERIFY(!runIndex.data(M::AnyDrivenRole).toBool());

    // The batch stopped as a whole (its sub-sessions' last rows still say
    // driven): nothing drives it any more.
    model.applyUpdates({driven(u"a"_s, SessionState::Running, DriveMode::RunToEnd)});
    QVERIFY(runIndex.data(M::AnyDrivenRole).toBool());
    model.applyUpdates({SessionUpdate{.runId = u"p"_s, .state = SessionState::Stopped}});
    QCOMPARE(text(runIndex, M::StateColumn), u"Stopped"_s);
    QVERIFY(!runIndex.data(M::AnyDrivenRole).toBool());
    QCOMPARE(drive(runIndex), DriveMode::Manual);

    // A single session shows its mode on the run row, beside what it waits for.
    SessionUpdate single = session(u"s"_s, u"backtest_1"_s);
    single.state = SessionState::Paused;
    single.stateDetail = u"waiting for readyForContinue"_s;
    single.drive = DriveMode::ToNextDiscovery;
    model.applyUpdates({run(u"s"_s, false), single});
    const QModelIndex singleRun = model.index(1, 0);
    QCOMPARE(text(singleRun, M::StateColumn), u"Paused (waiting for readyForContinue; run to next discovery)"_s);
    QCOMPARE(drive(singleRun), DriveMode::ToNextDiscovery);
    QVERIFY(singleRun.data(M::AnyDrivenRole).toBool());
}

void tst_SessionModel::removeRunAndClear()
{
    SessionModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.applyUpdates({run(u"one"_s, false), session(u"one"_s, u"s1"_s), run(u"two"_s, true),
                        session(u"two"_s, u"x"_s), session(u"two"_s, u"y"_s)});
    const QPersistentModelIndex y = model.indexForSession(u"y"_s);
    QCOMPARE(y.parent().row(), 1);
    ModelLog log(&model);
    model.removeRun(u"one"_s);
    QCOMPARE(log.take(), QStringList{u"remove root 0,0"_s});
    QCOMPARE(model.rowCount(), 1);
    QVERIFY(!model.indexForSession(u"s1"_s).isValid());
    QVERIFY(!model.indexForRun(u"one"_s).isValid());
    QCOMPARE(model.indexForRun(u"two"_s), model.index(0, 0));
    QVERIFY(y.isValid());
    QCOMPARE(QModelIndex(y).parent(), model.index(0, 0));
    QCOMPARE(QModelIndex(y), model.indexForSession(u"y"_s));

    // Updates still route after the rows moved.
    SessionUpdate u = session(u"two"_s, u"y"_s);
    u.transactionsCaptured = 9;
    model.applyUpdates({u});
    QCOMPARE(log.take(), (QStringList{u"changed root 0-0 c8-8 display,raw"_s, u"changed 0 1-1 c8-8 display,raw"_s}));
    QCOMPARE(text(y, M::TransactionsColumn), u"9"_s);

    model.removeRun(u"unknown"_s);
    QCOMPARE(log.take(), QStringList{});
    model.clear();
    QCOMPARE(log.take(), QStringList{u"reset"_s});
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(!model.indexForSession(u"y"_s).isValid());
    model.applyUpdates({run(u"two"_s, false)});
    QCOMPARE(log.take(), QStringList{u"insert root 0,0"_s});
}

void tst_SessionModel::describeLink_data()
{
    QTest::addColumn<LinkState>("link");
    QTest::addColumn<QString>("expected");
    QTest::addRow("up") << LinkState{ConnectionStatus::Up, 0, {}, {}} << u"Up"_s;
    QTest::addRow("down, first connect") << LinkState{ConnectionStatus::Down, 0, {}, {}} << u"Down"_s;
    QTest::addRow("down, retrying") << LinkState{ConnectionStatus::Down, 3, 4000, u"x"_s} << u"Down (attempt 3, retry in 4 s)"_s;
    QTest::addRow("down, sub-second") << LinkState{ConnectionStatus::Down, 1, 250, {}} << u"Down (attempt 1, retry in 250 ms)"_s;
    QTest::addRow("down, fractional") << LinkState{ConnectionStatus::Down, 2, 1500, {}} << u"Down (attempt 2, retry in 1.5 s)"_s;
    // A display that stays up: when the retry is due (local time), not only a delay that does not count down.
    const qint64 dueMs = QDateTime(QDate(2026, 12, 7), QTime(9, 34, 21)).toMSecsSinceEpoch();
    QTest::addRow("down, retry due at a time")
        << LinkState{ConnectionStatus::Down, 8, 29400, u"x"_s, false, dueMs}
        << u"Down (attempt 8, retry at 09:34:21, a 29.4 s wait)"_s;
    QTest::addRow("parked") << LinkState{ConnectionStatus::Parked, 6, {}, {}} << u"Parked (attempt 6)"_s;
    QTest::addRow("failed with reason") << LinkState{ConnectionStatus::Failed, 20, {}, u"reconnect budget exhausted"_s}
                                        << u"Failed: reconnect budget exhausted"_s;
    QTest::addRow("failed") << LinkState{ConnectionStatus::Failed, 0, {}, {}} << u"Failed"_s;
    QTest::addRow("closed for good") << LinkState{ConnectionStatus::Down, 2, {}, u"end of stream"_s, true} << u"Closed"_s;
}

void tst_SessionModel::describeLink()
{
    QFETCH(LinkState, link);
    QFETCH(QString, expected);
    QCOMPARE(SlotScope::describeLink(link), expected);
}

void tst_SessionModel::describeLinkWithReason_data()
{
    // The status bar and the Control / Data plane tooltips (issue 9: every retry says why).
    QTest::addColumn<LinkState>("link");
    QTest::addColumn<QString>("expected");
    QTest::addRow("down, retrying")
        << LinkState{ConnectionStatus::Down, 2, 2100, u"cannot connect to ws://h/backtest: connection refused"_s}
        << u"Down (attempt 2, retry in 2.1 s) — cannot connect to ws://h/backtest: connection refused"_s;
    QTest::addRow("parked") << LinkState{ConnectionStatus::Parked, 6, {}, u"waiting for the handshake slot"_s}
                            << u"Parked (attempt 6) — waiting for the handshake slot"_s;
    QTest::addRow("down, no reason") << LinkState{ConnectionStatus::Down, 0, {}, {}} << u"Down"_s;
    QTest::addRow("up") << LinkState{ConnectionStatus::Up, 0, {}, {}} << u"Up"_s;
    QTest::addRow("failed: the reason once") << LinkState{ConnectionStatus::Failed, 3, {}, u"gave up"_s}
                                             << u"Failed: gave up"_s;
    QTest::addRow("closed: why") << LinkState{ConnectionStatus::Down, 0, {}, u"end of stream"_s, true}
                                 << u"Closed — end of stream"_s;
    QTest::addRow("closed: not twice") << LinkState{ConnectionStatus::Down, 0, {}, u"closed"_s, true} << u"Closed"_s;
}

void tst_SessionModel::describeLinkWithReason()
{
    QFETCH(LinkState, link);
    QFETCH(QString, expected);
    QCOMPARE(SlotScope::describeLinkWithReason(link), expected);
}

void tst_SessionModel::sessionStateNames()
{
    const QList<std::pair<SessionState, QString>> names{
        {SessionState::Creating, u"creating"_s}, {SessionState::Ready, u"ready"_s},
        {SessionState::Running, u"running"_s},   {SessionState::Paused, u"paused"_s},
        {SessionState::Completed, u"completed"_s}, {SessionState::Failed, u"failed"_s},
        {SessionState::Stopped, u"stopped"_s}};
    const QMetaEnum meta = QMetaEnum::fromType<SessionState>();
    QCOMPARE(meta.keyCount(), int(names.size()));
    for (const auto &[state, name] : names) {
        QCOMPARE(sessionStateName(state), name);
        QCOMPARE(QString::fromLatin1(meta.valueToKey(int(state))).toLower(), name);
        QCOMPARE(isTerminalState(state),
                 state == SessionState::Completed || state == SessionState::Failed
                         || state == SessionState::Stopped);
    }
    // Registered for queued signals and QVariant.
    QCOMPARE(QVariant::fromValue(SessionState::Paused).value<SessionState>(), SessionState::Paused);
    QVERIFY(QMetaType::fromName("QList<SlotScope::SessionUpdate>").isValid());
}

QTEST_GUILESS_MAIN(tst_SessionModel)
#include "tst_sessionmodel.moc"
