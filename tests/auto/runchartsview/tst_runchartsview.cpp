// The Charts dock: rates and progress from session updates, the selected
// sub-session plotted beside the batch, nothing redrawn while hidden (and at
// most twice a second while shown), export to PNG and SVG.

#include "model/sessionupdate.h"
#include "runchartsview.h"
#include "../../support/widgettesthelpers.h"

#include <QChart>
#include <QChartView>
#include <QGraphicsScene>
#include <QGraphicsTextItem>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QLineSeries>
#include <QSet>
#include <QTemporaryDir>
#include <QRegularExpression>
#include <QDir>
#include <QTest>
#include <QToolButton>
#include <QTimer>
#include <QValueAxis>

using namespace Qt::StringLiterals;
using namespace SlotScope;

namespace {

QList<SessionUpdate> progressOf(int sessions, int step)
{
    QList<SessionUpdate> updates;
    for (int i = 0; i < sessions; ++i) {
        SessionUpdate update{.sessionId = u"backtest_%1"_s.arg(i), .startSlot = quint64(1000 + 100 * i),
                             .endSlot = quint64(1099 + 100 * i),
                             .currentSlot = quint64(1000 + 100 * i + qMin(99, step * (i % 4 + 1))),
                             .transactionsCaptured = quint64(step * 200)};
        updates << update;
    }
    return updates;
}

/// `steps` rounds of progressOf(sessions, step) observed, each sampled a
/// moment later (so every sample has a rate).
void observeSteps(RunChartsView &view, int sessions, int steps)
{
    for (int step = 0; step < steps; ++step) {
        view.observe(progressOf(sessions, step));
        QTest::qWait(30);
        view.sampleNow();
    }
}

QLineSeries *seriesNamed(QChartView *view, const QString &name)
{
    for (QAbstractSeries *series : view->chart()->series()) {
        if (series->name() == name)
            return qobject_cast<QLineSeries *>(series);
    }
    return nullptr;
}

} // namespace

class tst_RunChartsView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void plotsBatchSelectedAndProgress();
    void hiddenMeansNoRedraw();
    void aStillBatchSleeps();
    void shortChartsKeepTheirLabels();
    void exportsPngAndSvg();
    void lastProgressIsDrawn();
    void progressReachesTheRunsEnd();
    void aSingleSessionIsARun();
};

void tst_RunChartsView::plotsBatchSelectedAndProgress()
{
    RunChartsView view;
    QVERIFY(TestSupport::showAndWaitExposed(view, {1200, 350}));
    observeSteps(view, 8, 4);
    view.setSelectedSession(u"backtest_3"_s);
    const QList<QChartView *> charts = view.findChildren<QChartView *>();
    QCOMPARE(charts.size(), 3);
    QChartView *tx = charts.at(0);
    QLineSeries *batch = seriesNamed(tx, u"batch"_s);
    QVERIFY(batch);
    QCOMPARE(batch->count(), 4); // five samples, four rates
    QVERIFY(batch->at(3).y() > 0);
    QLineSeries *selected = seriesNamed(tx, u"backtest_3"_s);
    QVERIFY(selected);
    QVERIFY(selected->isVisible());
    QCOMPARE(selected->count(), 4);
    // The selected sub-session's line has its own axis on the right: on the
    // batch's (8 × its rate) it would be a flat line near 0.
    const auto verticalAxis = [](QLineSeries *series) {
        const QList<QAbstractAxis *> axes = series->attachedAxes();
        for (QAbstractAxis *axis : axes) {
            if (axis->orientation() == Qt::Vertical)
                return qobject_cast<QValueAxis *>(axis);
        }
        return static_cast<QValueAxis *>(nullptr);
    };
    QValueAxis *batchAxis = verticalAxis(batch);
    QValueAxis *selectedAxis = verticalAxis(selected);
    QVERIFY(batchAxis && selectedAxis && batchAxis != selectedAxis);
    QCOMPARE(selectedAxis->alignment(), Qt::AlignRight);
    QVERIFY(selectedAxis->isVisible());
    double selectedTop = 0;
    for (int i = 0; i < selected->count(); ++i)
        selectedTop = qMax(selectedTop, selected->at(i).y());
    QVERIFY(selectedTop > 0);
    QVERIFY2(selectedAxis->max() >= selectedTop && selectedAxis->max() < batchAxis->max() / 4,
             qPrintable(u"selected 0..%1 (top %2), batch 0..%3"_s.arg(selectedAxis->max()).arg(selectedTop).arg(
                 batchAxis->max())));
    if (const QString dir = qEnvironmentVariable("SLOTSCOPE_SCREENSHOT_DIR"); !dir.isEmpty()) {
        QTest::qWait(200); // the charts' scenes lay out on the event loop
        QVERIFY(view.grab().save(QDir(dir).filePath(u"charts-selected.png"_s)));
    }
    // Progress: one series per sub-session plus the selected one on top.
    QChartView *progress = charts.at(2);
    QCOMPARE(progress->chart()->series().size(), 9);
    auto *top = qobject_cast<QLineSeries *>(progress->chart()->series().constLast());
    QVERIFY(top->count() > 0);
    QCOMPARE(top->pen().width(), 3);
    QCOMPARE(progress->chart()->title(), u"Progress, backtest_3 in bold"_s);
    QVERIFY(view.findChild<QLabel *>(u"chartsCaption"_s)->text().contains(u"tx/s"_s));
    // Every axis label is its tick's exact value: ticks at round steps, 3–6 of them.
    for (QChartView *chart : charts) {
        for (QAbstractAxis *abstractAxis : chart->chart()->axes()) {
            auto *axis = qobject_cast<QValueAxis *>(abstractAxis);
            QVERIFY(axis && axis->tickType() == QValueAxis::TicksDynamic && axis->tickAnchor() == 0);
            const int ticks = int(axis->max() / axis->tickInterval() + 1e-9) + 1;
            QVERIFY2(ticks >= 3 && ticks <= 6, qPrintable(u"%1 ticks over 0..%2"_s.arg(ticks).arg(axis->max())));
            for (int i = 0; i < ticks; ++i) {
                const double tick = i * axis->tickInterval();
                QCOMPARE(QString::asprintf("%g", tick).toDouble(), tick);
            }
        }
    }

    view.setSelectedSession({});
    QTRY_COMPARE(progress->chart()->title(), u"Progress of 8 sub-sessions"_s);
    QVERIFY(!selectedAxis->isVisible());
    QVERIFY(!seriesNamed(tx, u"selected"_s) || !seriesNamed(tx, u"selected"_s)->isVisible()
            || seriesNamed(tx, u"selected"_s)->count() == 0);
    view.clear();
    QCOMPARE(view.history().sessionCount(), 0);
    QCOMPARE(progress->chart()->series().size(), 0);
    QCOMPARE(progress->chart()->title(), u"Progress"_s); // not the last run's
}

void tst_RunChartsView::lastProgressIsDrawn()
{
    // The progress chart redraws at most once a second; the run's last sample,
    // taken right after such a redraw, still shows (it once stayed out for good).
    RunChartsView view;
    QVERIFY(TestSupport::showAndWaitExposed(view, {1200, 350}));
    view.observe(progressOf(1, 0));
    view.sampleNow();
    view.observe(progressOf(1, 5)); // slot 1005 of 1000..1099
    view.sampleNow();
    QChartView *progress = view.findChildren<QChartView *>().at(2);
    auto lastProgress = [progress] {
        const auto *line = qobject_cast<QLineSeries *>(progress->chart()->series().value(0));
        return line && line->count() > 0 ? line->at(line->count() - 1).y() : -1.0;
    };
    QTRY_VERIFY(lastProgress() > 0); // just redrawn
    SessionUpdate last = progressOf(1, 0).constFirst();
    last.currentSlot = 1099;
    view.observe({last});
    view.finish();
    QTRY_COMPARE_WITH_TIMEOUT(lastProgress(), 100.0, 3000);
}

void tst_RunChartsView::progressReachesTheRunsEnd()
{
    // Stopped after standing still: the progress lines go on, flat, to the
    // run's end, where the time axis ends (they ended at their last
    // movement until something else redrew them).
    RunChartsView view;
    QVERIFY(TestSupport::showAndWaitExposed(view, {1200, 350}));
    view.observe(progressOf(2, 0));
    view.sampleNow();
    view.observe(progressOf(2, 5));
    view.sampleNow();
    QChartView *progress = view.findChildren<QChartView *>().at(2);
    auto lastX = [progress] {
        const auto *line = qobject_cast<QLineSeries *>(progress->chart()->series().value(0));
        return line && line->count() > 0 ? line->at(line->count() - 1).x() : -1.0;
    };
    QTRY_VERIFY(lastX() >= 0);
    const double moved = lastX();
    QTest::qWait(1500); // nothing moves
    view.finish();
    QTRY_VERIFY_WITH_TIMEOUT(lastX() > moved + 1.0, 3000);
}

void tst_RunChartsView::aSingleSessionIsARun()
{
    // One session is a run, not a batch: the caption and the whole's line say
    // so; a second session makes it a batch.
    RunChartsView view;
    QVERIFY(TestSupport::showAndWaitExposed(view, {1200, 350}));
    observeSteps(view, 1, 3);
    auto *caption = view.findChild<QLabel *>(u"chartsCaption"_s);
    QChartView *tx = view.findChildren<QChartView *>().at(0);
    QTRY_VERIFY2(caption->text().startsWith(u"Run: "_s), qPrintable(caption->text()));
    QVERIFY(seriesNamed(tx, u"run"_s));
    QVERIFY(!seriesNamed(tx, u"batch"_s));
    view.finish();
    QTRY_VERIFY2(caption->text().startsWith(u"Run: ended · "_s), qPrintable(caption->text()));

    view.clear();
    observeSteps(view, 2, 3);
    QTRY_VERIFY2(caption->text().startsWith(u"Batch: "_s), qPrintable(caption->text()));
    QVERIFY(seriesNamed(tx, u"batch"_s));

    // A run that ended before its first transaction (a rejected key, a filter
    // nothing matched) says so, not "0 transactions in 0.0 s, 0 tx/s".
    view.clear();
    for (const quint64 slot : {1000, 1010}) {
        view.observe({SessionUpdate{.sessionId = u"backtest_0"_s, .startSlot = 1000, .endSlot = 1099,
                                    .currentSlot = slot, .transactionsCaptured = 0}});
        QTest::qWait(30);
        view.sampleNow();
    }
    view.finish();
    QTRY_COMPARE(caption->text(), u"Run: ended without a transaction"_s);
}

void tst_RunChartsView::hiddenMeansNoRedraw()
{
    RunChartsView view;
    QVERIFY(TestSupport::showAndWaitExposed(view));
    view.observe(progressOf(4, 1));
    view.sampleNow();
    QTRY_VERIFY(view.redrawCount() > 0);
    view.hide();
    const int redraws = view.redrawCount();
    for (int step = 2; step < 6; ++step) {
        view.observe(progressOf(4, step));
        view.sampleNow();
        QTest::qWait(150);
    }
    QCOMPARE(view.redrawCount(), redraws);
    view.show();
    QTRY_VERIFY(view.redrawCount() > redraws);
    // While shown: at most twice a second, however often samples come.
    const int shown = view.redrawCount();
    for (int step = 6; step < 16; ++step) {
        view.observe(progressOf(4, step));
        view.sampleNow();
        QTest::qWait(100);
    }
    QVERIFY2(view.redrawCount() - shown <= 3, qPrintable(QString::number(view.redrawCount() - shown)));
}

void tst_RunChartsView::aStillBatchSleeps()
{
    // Moving, a batch is sampled every second; once it stood still for 2 s it
    // is drawn once more and then neither sampled nor drawn (each wake-up of
    // an idle window costs) until the next update, which first records the
    // still interval with the old counters.
    RunChartsView view;
    QVERIFY(TestSupport::showAndWaitExposed(view));
    auto *sampler = view.findChild<QTimer *>(u"chartsSampler"_s);
    auto *redrawTimer = view.findChild<QTimer *>(u"chartsRedraw"_s);
    auto *caption = view.findChild<QLabel *>(u"chartsCaption"_s);
    QVERIFY(sampler && redrawTimer && caption);
    view.observe(progressOf(4, 1));
    QTest::qWait(1100);
    view.observe(progressOf(4, 2));
    QTRY_VERIFY_WITH_TIMEOUT(view.redrawCount() > 0, 2000);
    QVERIFY(sampler->isActive());
    QTRY_VERIFY_WITH_TIMEOUT(!sampler->isActive(), 6000);
    QTRY_VERIFY_WITH_TIMEOUT(!redrawTimer->isActive(), 2000);
    QVERIFY2(caption->text().contains(u"still since"_s), qPrintable(caption->text()));
    const int redraws = view.redrawCount();
    const int samples = view.history().sampleCount();
    // An update that moves nothing (a state text) leaves it asleep.
    view.observe(progressOf(4, 2));
    QVERIFY(!sampler->isActive());
    QTest::qWait(2500);
    QCOMPARE(view.redrawCount(), redraws);
    QCOMPARE(view.history().sampleCount(), samples);

    // It moves again: the still interval is sampled at once, at rate 0.
    view.observe(progressOf(4, 3));
    QVERIFY(sampler->isActive());
    QCOMPARE(view.history().sampleCount(), samples + 1);
    QCOMPARE(view.history().transactionRate().constLast().y(), 0.0);
    QTRY_VERIFY_WITH_TIMEOUT(view.history().sampleCount() > samples + 1, 2500);
    QVERIFY(view.history().lastSampleMoved());
    QTRY_VERIFY_WITH_TIMEOUT(caption->text().contains(u"tx/s"_s), 2500);
    QVERIFY(view.redrawCount() > redraws);
    view.setSelectedSession(u"backtest_1"_s); // its rate beside the batch's while it runs
    QTRY_VERIFY_WITH_TIMEOUT(caption->text().contains(u" · backtest_1: "_s), 2500);

    // The run ends while it stands: the caption no longer says "still".
    QTRY_VERIFY_WITH_TIMEOUT(caption->text().contains(u"still since"_s), 6000);
    view.finish();
    QTRY_VERIFY_WITH_TIMEOUT(caption->text().contains(u"ended"_s), 2000);
    // …but its whole: the average over the run, not its last second's rate,
    // and over the time it moved (here ~2 of ~13 s), not its pauses.
    QVERIFY2(caption->text().startsWith(u"Batch: ended · "_s), qPrintable(caption->text()));
    const QRegularExpressionMatch moving =
        QRegularExpression(u"in \\d+ s, (\\d+\\.\\d) s of them moving, "_s).match(caption->text());
    QVERIFY2(moving.hasMatch(), qPrintable(caption->text())); // a few seconds: in tenths
    QVERIFY2(moving.captured(1).toDouble() > 0, qPrintable(caption->text()));
    QVERIFY2(caption->text().contains(u"tx/s while moving"_s), qPrintable(caption->text()));
    // Over, the selected sub-session's last rate is not shown as if current.
    QVERIFY2(!caption->text().contains(u"backtest_1"_s), qPrintable(caption->text()));
}

void tst_RunChartsView::shortChartsKeepTheirLabels()
{
    // In a short dock (the main window's default) the plots are ~60 px
    // tall: fewer y ticks, not every label elided to "…" (it was, empty and
    // with data).
    RunChartsView view;
    QVERIFY(TestSupport::showAndWaitExposed(view, {1200, 170}));
    const auto checkLabels = [&view] {
        int labels = 0;
        for (QChartView *chart : view.findChildren<QChartView *>()) {
            QVERIFY2(chart->chart()->plotArea().height() < 100,
                     qPrintable(QString::number(chart->chart()->plotArea().height())));
            for (QAbstractAxis *axis : chart->chart()->axes())
                QVERIFY2(!axis->labelsTruncated(), qPrintable(chart->chart()->title()));
            for (QGraphicsItem *item : chart->scene()->items()) {
                auto *text = dynamic_cast<QGraphicsTextItem *>(item);
                if (!text || !text->isVisible())
                    continue;
                const QString label = text->toPlainText();
                QVERIFY2(!label.contains(u"…"_s) && !label.contains(u"..."_s), qPrintable(label));
                ++labels;
            }
        }
        QVERIFY2(labels >= 12, qPrintable(QString::number(labels))); // two or more per axis
    };
    QTest::qWait(50);
    checkLabels();
    if (QTest::currentTestFailed())
        return;
    for (int step = 0; step < 3; ++step) {
        view.observe(progressOf(4, step));
        QTest::qWait(20);
        view.sampleNow();
    }
    const int redraws = view.redrawCount();
    QTRY_VERIFY(view.redrawCount() > redraws); // the samples are drawn
    QTest::qWait(50);
    checkLabels();
    if (QTest::currentTestFailed())
        return;
    // A selected sub-session brings a second y axis: still no label elided,
    // also in a narrower window.
    view.setSelectedSession(u"backtest_1"_s);
    view.resize(800, 170);
    QTest::qWait(100);
    checkLabels();
}

void tst_RunChartsView::exportsPngAndSvg()
{
    QTemporaryDir dir;
    RunChartsView view;
    QVERIFY(TestSupport::showAndWaitExposed(view, {1200, 350}));
    for (int step = 0; step < 3; ++step) {
        view.observe(progressOf(6, step));
        view.sampleNow();
    }
    const QString png = dir.filePath(u"charts.png"_s);
    QVERIFY(view.exportTo(png).ok());
    const QImage image(png);
    QVERIFY(!image.isNull());
    QCOMPARE(image.width(), view.width());

    const QString svg = dir.filePath(u"charts.svg"_s);
    QVERIFY(view.exportTo(svg).ok());
    QFile file(svg);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
    QVERIFY(text.contains("<svg"));
    QVERIFY(text.contains("Transactions/s"));
    QVERIFY(text.contains("<path") || text.contains("<polyline"));
    // The picture holds the charts and their caption, not the Export button,
    // which is back on screen afterwards.
    QVERIFY(!text.contains("Export"));
    auto *button = view.findChild<QToolButton *>();
    QVERIFY(button);
    QVERIFY(button->isVisible());

    QVERIFY(!view.exportTo(dir.filePath(u"no/such/dir/charts.png"_s)).ok());

    // A short dock: the picture is 300 px high and drawn to its bottom (not
    // the dock's ~180 px and a blank band), and the dock keeps its size.
    view.resize(1200, 150);
    QTRY_VERIFY(view.height() < 250); // as short as its minimum lets it be
    const int shortHeight = view.height();
    const QString shortPng = dir.filePath(u"short.png"_s);
    QVERIFY(view.exportTo(shortPng).ok());
    const QImage tall(shortPng);
    QCOMPARE(tall.height(), 300);
    QSet<QRgb> bottomColours;
    for (int y = tall.height() - 80; y < tall.height(); ++y) {
        for (int x = 0; x < tall.width(); x += 3)
            bottomColours.insert(tall.pixel(x, y));
    }
    QVERIFY2(bottomColours.size() > 3, qPrintable(u"%1 colours in the bottom 80 rows"_s.arg(bottomColours.size())));
    QCOMPARE(view.height(), shortHeight);
}

QTEST_MAIN(tst_RunChartsView)
#include "tst_runchartsview.moc"
