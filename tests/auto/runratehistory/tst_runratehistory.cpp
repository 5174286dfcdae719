// RunRateHistory: the Charts dock's samples — rates between samples for the
// batch and one sub-session, progress in percent, and bounded memory (every
// other sample dropped, the interval doubled, the rates still exact averages).

#include "model/runratehistory.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace SlotScope;

namespace {

SessionUpdate counters(const QString &id, std::optional<quint64> slot, std::optional<quint64> transactions,
                       std::optional<std::pair<quint64, quint64>> range = std::nullopt)
{
    SessionUpdate update{.sessionId = id, .currentSlot = slot, .transactionsCaptured = transactions};
    if (range) {
        update.startSlot = range->first;
        update.endSlot = range->second;
    }
    return update;
}

QString pointsText(const QList<QPointF> &points)
{
    QStringList parts;
    for (const QPointF &point : points)
        parts << u"%1:%2"_s.arg(point.x()).arg(point.y());
    return parts.join(u' ');
}

} // namespace

class tst_RunRateHistory : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void ratesForTheBatchAndOneSession();
    void samplesOnlyOncePerInterval();
    void compactionKeepsRatesExact();
    void changesOnlyWithWhatIsPlotted();
    void movingTimeLeavesOutStillStretches();
    void movingTimeSurvivesCompaction();
};

void tst_RunRateHistory::ratesForTheBatchAndOneSession()
{
    RunRateHistory history(1000);
    // The batch row (no session id) is not a sub-session.
    history.observe({counters({}, 1000, 0),
                     counters(u"a"_s, 1000, 0, std::pair{1000, 1099}),
                     counters(u"b"_s, 1100, 0, std::pair{1100, 1199})});
    QVERIFY(history.sample(10'000));
    QVERIFY(history.lastSampleMoved()); // the first sample always counts as movement
    history.observe({counters(u"a"_s, 1010, 400), counters(u"b"_s, 1120, 100)});
    QVERIFY(history.sample(12'000));
    QVERIFY(history.lastSampleMoved());
    history.observe({counters(u"a"_s, 1010, 400)}); // a pauses; b is silent
    QVERIFY(history.sample(13'000));
    QVERIFY(!history.lastSampleMoved()); // nothing moved: the charts redraw rarely
    QCOMPARE(history.sessionCount(), 2);
    QCOMPARE(history.sessionId(1), u"b"_s);
    QCOMPARE(pointsText(history.transactionRate()), u"2:250 3:0"_s);
    QCOMPARE(pointsText(history.slotRate()), u"2:15 3:0"_s);
    QCOMPARE(pointsText(history.transactionRate(0)), u"2:200 3:0"_s);
    QCOMPARE(pointsText(history.slotRate(1)), u"2:10 3:0"_s);
    // 10 of 99 slots → 10.1 %; b's 20 of 99 → 20.2 %.
    QCOMPARE(history.progress(0).size(), 3);
    QCOMPARE(qRound(history.progress(0).at(1).y() * 10), 101);
    QCOMPARE(qRound(history.progress(1).at(2).y() * 10), 202);
    QCOMPARE(history.lastTransactions(), 500u);
    QCOMPARE(history.lastSlots(), 30u);

    // A sub-session that appears later starts at the sample after it.
    history.observe({counters(u"c"_s, 1200, 0, std::pair{1200, 1299})});
    QVERIFY(history.sample(14'000));
    QCOMPARE(history.progress(2).size(), 1);
    QCOMPARE(history.transactionRate(2).size(), 0);
    history.clear();
    QCOMPARE(history.sessionCount(), 0);
    QCOMPARE(history.sampleCount(), 0);
}

void tst_RunRateHistory::samplesOnlyOncePerInterval()
{
    RunRateHistory history(1000);
    history.observe({counters(u"a"_s, 1, 1, std::pair{0, 9})});
    QVERIFY(history.sample(5000));
    QVERIFY(!history.sample(5500));
    QVERIFY(history.sample(5600, /*force=*/true));
    QVERIFY(history.sample(6600));
    QCOMPARE(history.sampleCount(), 3);
    QVERIFY(history.takeChanged());
    QVERIFY(!history.takeChanged());
}

void tst_RunRateHistory::compactionKeepsRatesExact()
{
    RunRateHistory history(1000, /*maxSamples=*/8);
    // 100 tx/s steady for 30 s: however thinned, the rate stays 100.
    for (int second = 0; second <= 30; ++second) {
        history.observe({counters(u"a"_s, quint64(second), quint64(100 * second), std::pair{0, 30})});
        history.sample(qint64(second) * 1000);
    }
    // The end of the run is always sampled (RunChartsView::finish()).
    history.sample(30'000, /*force=*/true);
    QVERIFY(history.sampleCount() <= 8);
    QVERIFY(history.intervalMs() > 1000);
    for (const QPointF &point : history.transactionRate())
        QCOMPARE(point.y(), 100.0);
    for (const QPointF &point : history.transactionRate(0))
        QCOMPARE(point.y(), 100.0);
    QCOMPARE(history.progress(0).constLast().y(), 100.0);
    QCOMPARE(history.lastTransactions(), 3000u);
}

void tst_RunRateHistory::changesOnlyWithWhatIsPlotted()
{
    // What wakes a still batch's charts (RunChartsView): counters, not texts.
    RunRateHistory history;
    const QString a = u"backtest_a"_s;
    QVERIFY(history.changes({counters(a, std::nullopt, std::nullopt)})); // a new session
    history.observe({counters(a, 100, 5, std::pair<quint64, quint64>{100, 199})});
    QVERIFY(!history.changes({counters(a, 100, 5, std::pair<quint64, quint64>{100, 199})}));
    QVERIFY(!history.changes({counters(a, std::nullopt, std::nullopt)})); // e.g. a state text only
    QVERIFY(!history.changes({counters(QString(), 7, 7)}));               // the batch's own row
    QVERIFY(history.changes({counters(a, 101, 5)}));
    QVERIFY(history.changes({counters(a, 100, 6)}));
    QVERIFY(history.changes({counters(a, 100, 5, std::pair<quint64, quint64>{100, 299})}));
    QVERIFY(history.changes({counters(a, 100, 5), counters(u"backtest_b"_s, std::nullopt, std::nullopt)}));
}

void tst_RunRateHistory::movingTimeLeavesOutStillStretches()
{
    // An analyst's stepped run: 3 s moving, 60 s paused at a breakpoint
    // (one sample when it stood still, one when it moves again), 2 s moving.
    RunRateHistory history(1000);
    QCOMPARE(history.movingSeconds(), 0.0);
    quint64 tx = 0;
    quint64 slot = 0;
    const auto at = [&](qint64 ms) {
        history.observe({counters(u"a"_s, slot, tx, std::pair{0, 1000})});
        QVERIFY(history.sample(ms, /*force=*/true));
    };
    at(0);
    for (int second = 1; second <= 3; ++second) {
        tx += 100;
        ++slot;
        at(second * 1000);
    }
    at(4000);   // stood still since 3 s: drawn once at rate 0
    at(63'000); // moves again: the still stretch sampled with the old counters
    for (int second = 64; second <= 65; ++second) {
        tx += 100;
        at(second * 1000); // transactions alone count as moving
    }
    QCOMPARE(history.movingSeconds(), 5.0);
    // The slots alone, too (a stretch of empty slots).
    ++slot;
    at(66'000);
    QCOMPARE(history.movingSeconds(), 6.0);
}

void tst_RunRateHistory::movingTimeSurvivesCompaction()
{
    // A long run thins its samples (every other one goes): a pause held by a
    // single interval then merges with a moving one, but the moving time was
    // counted as it was sampled. 300 s moving, 600 s paused, 300 s moving.
    RunRateHistory history(1000, /*maxSamples=*/40);
    quint64 tx = 0;
    const auto at = [&](qint64 ms) {
        history.observe({counters(u"a"_s, tx / 10, tx, std::pair{0, 1000000})});
        history.sample(ms, /*force=*/true);
    };
    for (int second = 0; second <= 300; ++second) {
        tx = quint64(second) * 100;
        at(second * 1000);
    }
    at(301'000);                 // still: drawn once at rate 0
    at(900'000);                 // moves again: the pause sampled with the old counters
    for (int second = 901; second <= 1200; ++second) {
        tx += 100;
        at(second * 1000);
    }
    QVERIFY(history.sampleCount() <= 40);
    QVERIFY(history.intervalMs() > 1000); // it was compacted
    QCOMPARE(history.movingSeconds(), 600.0);
    history.clear();
    QCOMPARE(history.movingSeconds(), 0.0);
}

QTEST_GUILESS_MAIN(tst_RunRateHistory)
#include "tst_runratehistory.moc"
