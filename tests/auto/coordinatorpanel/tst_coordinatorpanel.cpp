// The Reconnect coordinator panel: who holds the handshake slot and since
// when, the parked queue in order with time parked and attempt, the sockets
// with their ungated attempts left, the storm figures; a single session says
// it has no coordinator; nothing is refreshed while hidden; activating a row
// selects its sub-session; an ended run or a capture shows its figures as
// they stood, without Reconnect now.

#include "coordinatorpanel.h"
#include "protocol/runclock.h"
#include "model/connectiontimelinemodel.h"
#include "../../support/widgettesthelpers.h"

#include <QAbstractItemModel>
#include <QBrush>
#include <QDateTime>
#include <QSignalSpy>
#include <QRegularExpression>
#include <QTest>
#include <QTreeView>

using namespace Qt::StringLiterals;
using namespace SlotScope;
using S = ConnectionStatus;

namespace {

QStringList rows(const QAbstractItemModel *model)
{
    QStringList lines;
    for (int row = 0; row < model->rowCount(); ++row) {
        QStringList cells;
        for (int column = 0; column < model->columnCount(); ++column)
            cells << model->index(row, column).data().toString();
        lines << cells.join(u'|');
    }
    return lines;
}

CoordinatorSnapshot stormSnapshot(qint64 now)
{
    CoordinatorSnapshot snapshot;
    snapshot.atMs = now;
    snapshot.holder = CoordinatorSnapshot::Socket{u"backtest_a"_s, u"transactions"_s, now - 1500, 7, false, 130};
    snapshot.parked = {{u"backtest_c"_s, u"transactions"_s, now - 2000, 6, true, 40},
                       {u"backtest_b"_s, u"transactions"_s, now - 8000, 6, false, 160}};
    snapshot.streaming = 1;
    snapshot.participants = 4;
    snapshot.ungatedAttempts = 5;
    snapshot.reconnects = 12;
    snapshot.parks = 9;
    snapshot.longestParkMs = 8000;
    snapshot.totalParkedMs = 25'000;
    snapshot.storms = 1;
    snapshot.lastStormMs = 42'000;
    snapshot.longestStormMs = 42'000;
    snapshot.stormSinceMs = now - 9000;
    return snapshot;
}

} // namespace

class tst_CoordinatorPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void showsSlotQueueSocketsAndFigures();
    void singleSessionHasNoCoordinator();
    void hiddenMeansNoRefresh();
    void activatingARowSelectsItsSubSession();
    void notLiveStopsAtTheSnapshot();
    void selectionFollowsItsSocket();
    void stormSaysWhenTheQueueClears();
    void noSocketStreamingSaysSo();
};

void tst_CoordinatorPanel::showsSlotQueueSocketsAndFigures()
{
    ConnectionTimelineModel timeline;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    timeline.appendEvents({
        ConnectionEvent{now - 20'000, {}, u"control"_s, S::Up, {}, 0},
        ConnectionEvent{now - 20'000, u"backtest_a"_s, u"transactions"_s, S::Down, u"reconnecting"_s, 7},
        ConnectionEvent{now - 20'000, u"backtest_b"_s, u"transactions"_s, S::Parked, u"waiting"_s, 6},
        ConnectionEvent{now - 20'000, u"backtest_c"_s, u"transactions"_s, S::Parked, u"waiting"_s, 6},
        ConnectionEvent{now - 20'000, u"backtest_d"_s, u"transactions"_s, S::Up, {}, 0},
        ConnectionEvent{now - 20'000, u"backtest_e"_s, u"transactions"_s, S::Up, {}, 2},
    });
    CoordinatorPanel panel(&timeline);
    panel.setSessionLabelProvider([](const QString &id) { return id == u"backtest_a"_s ? u"alpha"_s : QString(); });
    QVERIFY(TestSupport::showAndWaitExposed(panel, {700, 600}));
    panel.setSnapshot(stormSnapshot(now));
    QTRY_VERIFY(panel.headline().contains(u"held by"_s));
    QVERIFY2(panel.headline().contains(u"alpha · transactions (attempt 7) for "_s), qPrintable(panel.headline()));
    QVERIFY2(panel.headline().contains(u"130 slots behind, past the 100-slot replay window"_s),
             qPrintable(panel.headline()));

    // The queue in the coordinator's order: the expedited one first, marked.
    // "Parked for" grows from the snapshot's moment: compare it apart.
    const QAbstractItemModel *queue = panel.queueView()->model();
    QStringList queueRows = rows(queue);
    for (QString &row : queueRows) {
        QStringList cells = row.split(u'|');
        cells[3] = cells[3].section(u'.', 0, 0);
        row = cells.join(u'|');
    }
    QCOMPARE(queueRows, (QStringList{u"1 ⚡|backtest_c|transactions|2|40|6"_s, u"2|backtest_b|transactions|8|160|6"_s}));
    // How far each waits behind its session: red past the server's 100-slot
    // replay window (its resubscribe will miss slots), plain well inside it.
    const QModelIndex within = queue->index(0, 4);
    const QModelIndex past = queue->index(1, 4);
    QVERIFY(!within.data(Qt::ForegroundRole).isValid());
    QVERIFY(within.data(Qt::ToolTipRole).toString().isEmpty());
    QCOMPARE(past.data(Qt::ForegroundRole).value<QBrush>().color(), QColor(0xc6, 0x28, 0x28));
    QVERIFY2(past.data(Qt::ToolTipRole).toString().contains(u"Past the server's 100-slot replay window"_s),
             qPrintable(past.data(Qt::ToolTipRole).toString()));
    // Sockets not Up (or Up with attempts used), with the ungated ones left;
    // the batch's control socket is never gated.
    QCOMPARE(rows(panel.socketsView()->model()),
             (QStringList{u"alpha|transactions|Down|7|0|reconnecting"_s, u"backtest_b|transactions|Parked|6|0|waiting"_s,
                          u"backtest_c|transactions|Parked|6|0|waiting"_s, u"backtest_e|transactions|Up|2|3|"_s}));
    const QString figures = panel.figuresText();
    QVERIFY2(figures.contains(u"Reconnects 12"_s), qPrintable(figures));
    QVERIFY2(figures.contains(u"Parks 9"_s), qPrintable(figures));
    QVERIFY2(figures.contains(u"Longest park 8."_s), qPrintable(figures)); // 8.0 s, growing: b is still parked
    QVERIFY2(figures.contains(u"Last storm, first drop → all Up 42.0 s"_s), qPrintable(figures));

    // The slot frees while sockets stay parked behind one streaming sibling:
    // the headline names it and how long it has streamed.
    CoordinatorSnapshot waiting = stormSnapshot(now);
    waiting.holder.reset();
    waiting.streaming = 1;
    waiting.waitedFor = {CoordinatorSnapshot::Socket{u"backtest_a"_s, u"transactions"_s, now - 3'000, 0, false, {}}};
    panel.setSnapshot(waiting);
    QTRY_VERIFY2(panel.headline().startsWith(u"Handshake slot: free — the parked wait for alpha · transactions "
                                             "(streaming for 3."_s),
                 qPrintable(panel.headline()));
    QVERIFY2(panel.headline().endsWith(u" s) to stop or fall silent"_s), qPrintable(panel.headline()));

    // The slot frees, the queue empties: the rows go, the figures stay.
    CoordinatorSnapshot quiet = stormSnapshot(now);
    quiet.holder.reset();
    quiet.parked.clear();
    quiet.stormSinceMs.reset();
    quiet.storms = 2;
    quiet.lastStormMs = 9500;
    panel.setSnapshot(quiet);
    QTRY_COMPARE(panel.queueView()->model()->rowCount(), 0);
    QCOMPARE(panel.headline(), u"Handshake slot: free"_s);
    QVERIFY2(panel.figuresText().contains(u"Last storm, first drop → all Up 9.5 s"_s), qPrintable(panel.figuresText()));
    QVERIFY2(panel.figuresText().contains(u"Longest 42.0 s"_s), qPrintable(panel.figuresText()));
}

void tst_CoordinatorPanel::singleSessionHasNoCoordinator()
{
    ConnectionTimelineModel timeline;
    CoordinatorPanel panel(&timeline);
    QVERIFY(TestSupport::showAndWaitExposed(panel));
    panel.reset(/*parallel=*/false);
    QTRY_VERIFY2(panel.headline().contains(u"No reconnect coordinator"_s), qPrintable(panel.headline()));
    // Its control socket failing (a rejected key) is the run's, not a batch's.
    timeline.appendEvents({ConnectionEvent{QDateTime::currentMSecsSinceEpoch(), QString(), u"control"_s, S::Failed,
                                           u"API key rejected by the server (HTTP 401)"_s, 0}});
    QTRY_COMPARE(rows(panel.socketsView()->model()),
                 QStringList{u"Run|control|Failed|0|—|API key rejected by the server (HTTP 401)"_s});
}

void tst_CoordinatorPanel::hiddenMeansNoRefresh()
{
    ConnectionTimelineModel timeline;
    CoordinatorPanel panel(&timeline);
    QVERIFY(TestSupport::showAndWaitExposed(panel));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    panel.setSnapshot(stormSnapshot(now));
    QTRY_VERIFY(panel.refreshCount() > 0);
    panel.hide();
    QTest::qWait(50);
    const int refreshes = panel.refreshCount();
    for (int i = 0; i < 4; ++i) {
        panel.setSnapshot(stormSnapshot(now + i));
        timeline.appendEvents({ConnectionEvent{now + i, u"backtest_x"_s, u"transactions"_s, i % 2 ? S::Up : S::Down, {}, 1}});
        QTest::qWait(300);
    }
    QCOMPARE(panel.refreshCount(), refreshes);
    panel.show();
    QTRY_VERIFY(panel.refreshCount() > refreshes);
    QCOMPARE(panel.queueView()->model()->rowCount(), 2);
}

void tst_CoordinatorPanel::activatingARowSelectsItsSubSession()
{
    ConnectionTimelineModel timeline;
    CoordinatorPanel panel(&timeline);
    QVERIFY(TestSupport::showAndWaitExposed(panel));
    panel.setSnapshot(stormSnapshot(QDateTime::currentMSecsSinceEpoch()));
    QTRY_COMPARE(panel.queueView()->model()->rowCount(), 2);
    QSignalSpy selected(&panel, &CoordinatorPanel::sessionSelected);
    Q_EMIT panel.queueView()->activated(panel.queueView()->model()->index(1, 2));
    QCOMPARE(selected.size(), 1);
    QCOMPARE(selected.at(0).at(0).toString(), u"backtest_b"_s);
}

void tst_CoordinatorPanel::selectionFollowsItsSocket()
{
    // The analyst selects backtest_b in the queue; c is served and leaves it:
    // b moves up a row and the selection with it. Then b leaves too: nothing
    // is selected (not whatever took its row).
    ConnectionTimelineModel timeline;
    CoordinatorPanel panel(&timeline);
    QVERIFY(TestSupport::showAndWaitExposed(panel));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    CoordinatorSnapshot snapshot = stormSnapshot(now);
    snapshot.parked.append({u"backtest_d"_s, u"account diffs"_s, now - 500, 2, false, 10});
    panel.setSnapshot(snapshot);
    QTRY_COMPARE(panel.queueView()->model()->rowCount(), 3);
    QTreeView *queue = panel.queueView();
    queue->selectionModel()->setCurrentIndex(queue->model()->index(1, 0),
                                             QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    const auto selectedSession = [queue] {
        const QModelIndexList rows = queue->selectionModel()->selectedRows(1);
        return rows.isEmpty() ? QString() : rows.constFirst().data(Qt::ToolTipRole).toString();
    };
    QCOMPARE(selectedSession(), u"backtest_b"_s);

    snapshot.parked.removeFirst(); // c served
    panel.setSnapshot(snapshot);
    QTRY_COMPARE(queue->model()->rowCount(), 2);
    QCOMPARE(queue->selectionModel()->selectedRows().size(), 1);
    QCOMPARE(queue->selectionModel()->selectedRows().constFirst().row(), 0);
    QCOMPARE(selectedSession(), u"backtest_b"_s);

    snapshot.parked.removeFirst(); // b served; d takes row 0
    panel.setSnapshot(snapshot);
    QTRY_COMPARE(queue->model()->rowCount(), 1);
    QCOMPARE(selectedSession(), QString());
}

void tst_CoordinatorPanel::notLiveStopsAtTheSnapshot()
{
    ConnectionTimelineModel timeline;
    // Recorded an hour ago, mid-storm: the durations end at the snapshot.
    const qint64 then = QDateTime::currentMSecsSinceEpoch() - 3'600'000;
    timeline.appendEvents({ConnectionEvent{then - 20'000, u"backtest_b"_s, u"transactions"_s, S::Parked, u"waiting"_s, 6}});
    CoordinatorPanel panel(&timeline);
    QVERIFY(TestSupport::showAndWaitExposed(panel, {700, 600}));
    panel.setLive(false);
    panel.setSnapshot(stormSnapshot(then));
    QTRY_VERIFY(panel.headline().contains(u"held by"_s));
    QVERIFY2(panel.headline().contains(u"(attempt 7) for 1.5 s"_s), qPrintable(panel.headline()));
    QVERIFY2(panel.figuresText().contains(u"Longest park 8.0 s"_s), qPrintable(panel.figuresText()));
    QVERIFY2(panel.figuresText().contains(u"Total parked 25.0 s"_s), qPrintable(panel.figuresText()));
    QCOMPARE(panel.queueView()->model()->index(1, 3).data().toString(), u"8.0 s"_s);
    // Nothing ticks: a second later the same texts, no further refresh.
    const int refreshes = panel.refreshCount();
    QTest::qWait(1200);
    QCOMPARE(panel.refreshCount(), refreshes);
    // Stopped mid-storm: the last snapshot has no storm going on, but says
    // the one cut short, which none of the storm figures count.
    CoordinatorSnapshot ended = stormSnapshot(then);
    ended.stormSinceMs.reset();
    ended.holder.reset();
    ended.parked.clear();
    ended.unrecoveredStormMs = 297'000;
    panel.setSnapshot(ended);
    QTRY_VERIFY2(panel.stormLine().contains(u"not over when the run ended, after 4 min 57 s"_s),
                 qPrintable(panel.stormLine()));
    // A new run is live again.
    panel.reset(true);
    QVERIFY(panel.isLive());
}

void tst_CoordinatorPanel::stormSaysWhenTheQueueClears()
{
    ConnectionTimelineModel timeline;
    CoordinatorPanel panel(&timeline);
    QVERIFY(TestSupport::showAndWaitExposed(panel, {900, 600}));
    const qint64 now = runClockMs();
    CoordinatorSnapshot snapshot = stormSnapshot(now - 6000);
    const auto parked = snapshot.parked.constFirst();
    for (int i = 0; i < 8; ++i)
        snapshot.parked.append(parked); // ten parked
    panel.setSnapshot(snapshot);
    QTRY_VERIFY(panel.stormLine().startsWith(u"Storm for"_s));
    QVERIFY2(!panel.stormLine().contains(u"clears"_s), qPrintable(panel.stormLine())); // no pace yet
    // Four of the ten served in the 6 s since: 40 a minute, 6 left → 9 s,
    // counting down from the snapshot.
    snapshot.atMs = now;
    snapshot.parked.resize(6);
    panel.setSnapshot(snapshot);
    const QRegularExpression estimate(u" · the queue clears at 40 per minute, empty in ≈ ([0-9.]+) s$"_s);
    QTRY_VERIFY2(estimate.match(panel.stormLine()).hasMatch(), qPrintable(panel.stormLine()));
    const double left = estimate.match(panel.stormLine()).captured(1).toDouble();
    QVERIFY2(left > 5.0 && left <= 9.0, qPrintable(panel.stormLine()));
    // Past the estimate with sockets still parked: the pace, no time.
    snapshot.atMs = runClockMs() - 20'000;
    snapshot.stormSinceMs = snapshot.atMs - 9000;
    panel.reset(true);
    CoordinatorSnapshot first = snapshot;
    first.atMs -= 6000;
    first.parked.append(parked);
    first.parked.append(parked);
    first.parked.append(parked);
    first.parked.append(parked);
    panel.setSnapshot(first);
    panel.setSnapshot(snapshot);
    QTRY_VERIFY2(panel.stormLine().endsWith(u" · the queue clears at 40 per minute"_s), qPrintable(panel.stormLine()));
    // A finished run: its queue clears no more.
    panel.setLive(false);
    QTRY_VERIFY2(panel.stormLine().contains(u" · as of "_s), qPrintable(panel.stormLine()));
    QVERIFY2(!panel.stormLine().contains(u"clears"_s), qPrintable(panel.stormLine()));
    // The storm over: no estimate.
    panel.setLive(true);
    snapshot.atMs = runClockMs();
    snapshot.stormSinceMs.reset();
    snapshot.parked.clear();
    panel.setSnapshot(snapshot);
    QTRY_VERIFY2(panel.stormLine().startsWith(u"No storm now"_s), qPrintable(panel.stormLine()));
    QVERIFY(!panel.stormLine().contains(u"clears"_s));
}

void tst_CoordinatorPanel::noSocketStreamingSaysSo()
{
    // Before any socket streamed, and after a completed batch closed them all
    // (its last snapshot counts none), the line under the slot says so rather
    // than "No storm yet · 0 of 1 sockets streaming".
    ConnectionTimelineModel timeline;
    CoordinatorPanel panel(&timeline);
    QVERIFY(TestSupport::showAndWaitExposed(panel, {700, 600}));
    CoordinatorSnapshot starting;
    starting.atMs = QDateTime::currentMSecsSinceEpoch();
    panel.setSnapshot(starting);
    QTRY_COMPARE(panel.stormLine(), u"No socket streaming yet"_s);

    CoordinatorSnapshot streaming = starting;
    streaming.streaming = 3;
    streaming.participants = 4;
    panel.setSnapshot(streaming);
    QTRY_VERIFY2(panel.stormLine().startsWith(u"No storm yet · 3 of 4 sockets streaming"_s), qPrintable(panel.stormLine()));

    CoordinatorSnapshot completed = starting;
    completed.storms = 2;
    completed.reconnects = 9;
    panel.setLive(false);
    panel.setSnapshot(completed);
    QTRY_VERIFY2(panel.stormLine().startsWith(u"No socket streaming · as of "_s), qPrintable(panel.stormLine()));
    QVERIFY2(panel.figuresText().contains(u"Storms over 2"_s), qPrintable(panel.figuresText()));
}

QTEST_MAIN(tst_CoordinatorPanel)
#include "tst_coordinatorpanel.moc"
