// The Connections timeline at batch scale: 256 sub-sessions start collapsed
// (one row each) and expand to a row per socket; zoom and pan by wheel,
// keys and drag; fit-all and follow-live; selecting a row reports its
// sub-session and setSelectedSession() scrolls to it; "Reconnect now" only on a
// Down or Parked socket; the full name on hover; drawing costs nothing for
// intervals off-screen; nothing is painted while hidden; a group whose
// sockets all closed for good shows a grey dot; every reconnect is marked,
// however short its Up.
//
// With SLOTSCOPE_SCREENSHOT_DIR set, the 256-lane timeline is saved there.

#include "connectiontimelineview.h"
#include "nicescale.h"
#include "model/connectiontimelinemodel.h"
#include "../../support/widgettesthelpers.h"

#include <QAction>
#include <QApplication>
#include <QContextMenuEvent>
#include <QDateTime>
#include <QDir>
#include <QScreen>
#include <QWindow>
#include <QHelpEvent>
#include <QMenu>
#include <QImage>
#include <QScrollBar>
#include <QSet>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>
#include <QToolTip>

#include <functional>

using namespace Qt::StringLiterals;
using namespace SlotScope;
using S = ConnectionStatus;

namespace {

QString subId(int i)
{
    return u"backtest_0199d2c4-5b7e-7000-8000-%1"_s.arg(i, 12, 10, QLatin1Char('0'));
}

// 256 sub-sessions with a transactions and an account-diff socket, all Up
// from t0; the sockets of every 4th one drop at t0+2 s, park at +3 s and
// come back at +6 s. The run's control socket is Up throughout.
QList<ConnectionEvent> batchEvents(qint64 t0, int subSessions = 256)
{
    QList<ConnectionEvent> events;
    events << ConnectionEvent{t0, {}, u"control"_s, S::Up, {}, 0};
    for (int i = 0; i < subSessions; ++i) {
        events << ConnectionEvent{t0 + i, subId(i), u"transactions"_s, S::Up, {}, 0};
        events << ConnectionEvent{t0 + i, subId(i), u"account diffs"_s, S::Up, {}, 0};
    }
    for (int i = 0; i < subSessions; i += 4) {
        events << ConnectionEvent{t0 + 2000 + i, subId(i), u"transactions"_s, S::Down, u"remote close"_s, 1};
        events << ConnectionEvent{t0 + 3000 + i, subId(i), u"transactions"_s, S::Parked, u"waiting"_s, 6};
        events << ConnectionEvent{t0 + 6000 + i, subId(i), u"transactions"_s, S::Up, u"connected"_s, 6};
    }
    return events;
}

void sendKey(QWidget *widget, int key, Qt::KeyboardModifiers modifiers = Qt::NoModifier)
{
    QTest::keyClick(widget, Qt::Key(key), modifiers);
}

/// The pixels along the middle of sub-session `i`'s group row (a sub-session
/// of one socket draws it, markers and all, on that row), from the chart's
/// left edge; empty when the row is not laid out.
QList<QRgb> groupRowPixels(ConnectionTimelineView &view, const ConnectionTimelineModel &model, int i)
{
    int row = -1;
    for (int r = 0; r < view.layoutRowCount(); ++r) {
        if (view.rowLane(r) < 0 && view.rowGroup(r) == model.groupOf(subId(i)))
            row = r;
    }
    if (row < 0)
        return {};
    const int y = view.rowRect(row).center().y();
    const QImage image = view.viewport()->grab().toImage().convertToFormat(QImage::Format_RGB32);
    QList<QRgb> pixels;
    for (int x = view.chartLeft(); x < image.width(); ++x)
        pixels.append(image.pixel(x, y) & 0xffffff);
    return pixels;
}

} // namespace

class tst_ConnectionTimelineView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void manyGroupsStartCollapsedAndExpand();
    void zoomPanFitAndFollow();
    void wheelAndDrag();
    void selectionBothWays();
    void keyboardMovesAndToggles();
    void tooltipsNameTheSocket();
    void offscreenIntervalsCostNothing();
    void hiddenMeansNoPaint();
    void fitAllRepaintsOnlyTheLiveEdge();
    void niceCeilingSteps();
    void fewGroupsStartExpanded();
    void reconnectOnlyOnADownOrParkedSocket();
    void contextMenuIsTheClickedRowsOrTheCurrentOne();
    void groupDotIsTheWorstLiveSocketOrClosed();
    void everyReconnectIsMarkedAtFitAll();
    void aFailedSocketIsSeenAtFitAll();
};

void tst_ConnectionTimelineView::manyGroupsStartCollapsedAndExpand()
{
    ConnectionTimelineModel model;
    const qint64 t0 = 1'760'000'000'000;
    model.appendEvents(batchEvents(t0));
    ConnectionTimelineView view(&model);
    QVERIFY(TestSupport::showAndWaitExposed(view, {1000, 500}));
    // The batch's control group plus 256 collapsed sub-sessions: one row each.
    QCOMPARE(view.layoutRowCount(), 257);
    QVERIFY(!view.isExpanded(subId(0)));
    QVERIFY(view.verticalScrollBar()->maximum() > 0); // scrolls
    view.setExpanded(subId(4), true);
    QCOMPARE(view.layoutRowCount(), 259);
    QCOMPARE(view.rowLane(6), model.laneOf(subId(4), u"transactions"_s));
    QCOMPARE(view.rowLane(7), model.laneOf(subId(4), u"account diffs"_s));
    QCOMPARE(view.rowGroup(7), model.groupOf(subId(4)));
    view.setAllExpanded(true);
    QCOMPARE(view.layoutRowCount(), 1 + 256 * 3);
    view.setAllExpanded(false);
    QCOMPARE(view.layoutRowCount(), 257);
    // A new run (the model reset) starts at the top, the batch row in view,
    // not where the last run's list was scrolled to.
    view.verticalScrollBar()->setValue(view.verticalScrollBar()->maximum() / 2);
    model.clear();
    model.appendEvents(batchEvents(t0 + 60'000));
    QCoreApplication::processEvents();
    QVERIFY(view.verticalScrollBar()->maximum() > 0);
    QCOMPARE(view.verticalScrollBar()->value(), 0);

    if (const QString dir = qEnvironmentVariable("SLOTSCOPE_SCREENSHOT_DIR"); !dir.isEmpty()) {
        // Live, mid-storm: every 4th transactions socket parked.
        ConnectionTimelineModel live;
        live.appendEvents(batchEvents(QDateTime::currentMSecsSinceEpoch() - 4500));
        ConnectionTimelineView liveView(&live);
        QVERIFY(TestSupport::showAndWaitExposed(liveView, {1000, 500}));
        liveView.setExpanded(subId(0), true);
        liveView.setSelectedSession(subId(4));
        QTest::qWait(150);
        QVERIFY(liveView.grab().save(QDir(dir).filePath(u"timeline-256.png"_s)));
    }
}

void tst_ConnectionTimelineView::zoomPanFitAndFollow()
{
    ConnectionTimelineModel model;
    const qint64 t0 = 1'760'000'000'000;
    model.appendEvents(batchEvents(t0));
    model.closeAll(t0 + 10'000);
    ConnectionTimelineView view(&model);
    QVERIFY(TestSupport::showAndWaitExposed(view, {1000, 400}));

    // Fit all: the whole (finished) run, 10 s from its first event, and a
    // margin of 2 % (a live run's grows in steps: fitAllRepaintsOnlyTheLiveEdge()).
    QCOMPARE(view.mode(), ConnectionTimelineView::Mode::FitAll);
    QCOMPARE(view.visibleFromMs(), t0);
    const qint64 fitSpan = view.visibleSpanMs();
    QVERIFY2(fitSpan >= 10'200 && fitSpan < 10'500, qPrintable(QString::number(fitSpan)));

    // Zoom in around the centre halves the span and keeps the centre.
    const qint64 centre = view.visibleFromMs() + view.visibleSpanMs() / 2;
    view.zoom(0.5);
    QCOMPARE(view.mode(), ConnectionTimelineView::Mode::Manual);
    QVERIFY(qAbs(view.visibleSpanMs() - fitSpan / 2) < 60);
    QVERIFY(qAbs(view.visibleFromMs() + view.visibleSpanMs() / 2 - centre) < 60);
    // Around the cursor: the time under x stays under x.
    const int x = view.chartLeft() + 100;
    const qint64 before = view.visibleFromMs() + (x - view.chartLeft()) * view.visibleSpanMs()
                                                     / (view.viewport()->width() - view.chartLeft());
    view.zoom(0.25, x);
    const qint64 after = view.visibleFromMs() + (x - view.chartLeft()) * view.visibleSpanMs()
                                                    / (view.viewport()->width() - view.chartLeft());
    QVERIFY2(qAbs(after - before) < 20, qPrintable(u"%1 vs %2"_s.arg(before).arg(after)));

    // Pan right by a tenth of the width: later by a tenth of the span.
    const qint64 from = view.visibleFromMs();
    const int width = view.viewport()->width() - view.chartLeft();
    view.pan(width / 10);
    QVERIFY(qAbs(view.visibleFromMs() - (from + view.visibleSpanMs() / 10)) < 20);

    // Panned far past either end, the window stops at the run's edges.
    view.pan(-20 * width);
    QCOMPARE(view.visibleFromMs(), t0);
    view.pan(20 * width);
    QVERIFY2(view.visibleFromMs() + view.visibleSpanMs() >= model.latestMs()
                 && view.visibleFromMs() + view.visibleSpanMs() / 2 < model.latestMs(),
             qPrintable(u"%1 + %2 vs %3"_s.arg(view.visibleFromMs() - t0).arg(view.visibleSpanMs()).arg(
                 model.latestMs() - t0)));
    // Zoomed out well past the whole run: it starts at the first event.
    view.zoom(20.0);
    QVERIFY(view.visibleSpanMs() > 2 * (model.latestMs() - t0));
    QCOMPARE(view.visibleFromMs(), t0);
    // Zooming in around the run's last moment keeps it under the cursor (the
    // right edge's limit holds a window that moves later, not one that shrinks).
    const auto timeUnder = [&](int at) {
        return view.visibleFromMs() + (at - view.chartLeft()) * view.visibleSpanMs() / width;
    };
    const int lastX = view.chartLeft() + int((model.latestMs() - t0) * width / view.visibleSpanMs());
    const qint64 underBefore = timeUnder(lastX);
    view.zoom(0.5, lastX);
    QVERIFY2(qAbs(timeUnder(lastX) - underBefore) < 50,
             qPrintable(u"%1 vs %2"_s.arg(timeUnder(lastX) - t0).arg(underBefore - t0)));

    view.fitAll();
    QCOMPARE(view.mode(), ConnectionTimelineView::Mode::FitAll);
    QCOMPARE(view.visibleFromMs(), t0);

    // Follow live keeps the width and puts the end at the right edge; a pan
    // leaves it.
    view.zoom(0.2);
    const qint64 span = view.visibleSpanMs();
    view.setFollowLive(true);
    QVERIFY(view.followLiveAction()->isChecked());
    QCOMPARE(view.visibleSpanMs(), span);
    QVERIFY(view.visibleFromMs() + view.visibleSpanMs() >= model.latestMs());
    view.pan(-50);
    QCOMPARE(view.mode(), ConnectionTimelineView::Mode::Manual);
    QVERIFY(!view.followLiveAction()->isChecked());
    // The toolbar's actions drive the same.
    view.fitAllAction()->trigger();
    QCOMPARE(view.mode(), ConnectionTimelineView::Mode::FitAll);
    view.followLiveAction()->trigger();
    QCOMPARE(view.mode(), ConnectionTimelineView::Mode::FollowLive);
    // Zoomed out past the whole run while following: the window starts at
    // the first event (no negative seconds), its width kept.
    view.zoom(50.0);
    QVERIFY(view.visibleSpanMs() > model.latestMs() - model.originMs());
    QCOMPARE(view.visibleFromMs(), model.originMs());
    // However often "-" is pressed: at most four times the whole run.
    for (int i = 0; i < 10; ++i)
        view.zoom(10.0);
    QVERIFY2(view.visibleSpanMs() <= 4 * fitSpan, qPrintable(QString::number(view.visibleSpanMs())));
    view.fitAll();
    for (int i = 0; i < 10; ++i)
        view.zoom(10.0);
    QVERIFY2(view.visibleSpanMs() <= 4 * fitSpan, qPrintable(QString::number(view.visibleSpanMs())));
}

void tst_ConnectionTimelineView::wheelAndDrag()
{
    ConnectionTimelineModel model;
    const qint64 t0 = 1'760'000'000'000;
    model.appendEvents(batchEvents(t0));
    model.closeAll(t0 + 10'000);
    ConnectionTimelineView view(&model);
    QVERIFY(TestSupport::showAndWaitExposed(view, {1000, 400}));
    QWidget *viewport = view.viewport();
    const QPoint inChart(view.chartLeft() + 300, 150);

    // Plain wheel scrolls the lanes.
    QCOMPARE(view.verticalScrollBar()->value(), 0);
    QWheelEvent down(inChart, viewport->mapToGlobal(inChart), {}, QPoint(0, -120), Qt::NoButton, Qt::NoModifier,
                     Qt::NoScrollPhase, false);
    QApplication::sendEvent(viewport, &down);
    QVERIFY(view.verticalScrollBar()->value() > 0);
    QCOMPARE(view.mode(), ConnectionTimelineView::Mode::FitAll);

    // Ctrl+wheel zooms in.
    const qint64 span = view.visibleSpanMs();
    QWheelEvent zoomIn(inChart, viewport->mapToGlobal(inChart), {}, QPoint(0, 120), Qt::NoButton,
                       Qt::ControlModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(viewport, &zoomIn);
    QVERIFY(view.visibleSpanMs() < span);

    // Dragging left moves to later times.
    const qint64 from = view.visibleFromMs();
    QTest::mousePress(viewport, Qt::LeftButton, {}, inChart);
    QTest::mouseMove(viewport, inChart - QPoint(100, 0));
    QTest::mouseMove(viewport, inChart - QPoint(200, 0));
    QTest::mouseRelease(viewport, Qt::LeftButton, {}, inChart - QPoint(200, 0));
    QVERIFY(view.visibleFromMs() > from);
}

void tst_ConnectionTimelineView::selectionBothWays()
{
    ConnectionTimelineModel model;
    const qint64 t0 = 1'760'000'000'000;
    model.appendEvents(batchEvents(t0));
    ConnectionTimelineView view(&model);
    QVERIFY(TestSupport::showAndWaitExposed(view, {1000, 400}));
    QSignalSpy selected(&view, &ConnectionTimelineView::sessionSelected);

    // A click on the third row (sub-session 1) reports it.
    const QRect row = view.rowRect(2);
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, QPoint(view.chartLeft() + 50, row.center().y()));
    QCOMPARE(selected.size(), 1);
    QCOMPARE(selected.at(0).at(0).toString(), subId(1));
    QCOMPARE(view.selectedSession(), subId(1));
    // The same row again: no new report.
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, QPoint(view.chartLeft() + 50, row.center().y()));
    QCOMPARE(selected.size(), 1);

    // From outside (the Sessions tree): highlighted and scrolled into view,
    // without echoing the selection back.
    view.setSelectedSession(subId(200));
    QCOMPARE(selected.size(), 1);
    QCOMPARE(view.selectedSession(), subId(200));
    const int group = model.groupOf(subId(200));
    int shown = -1;
    for (int r = 0; r < view.layoutRowCount(); ++r) {
        if (view.rowGroup(r) == group && view.rowLane(r) < 0)
            shown = r;
    }
    QVERIFY(shown > 0);
    const QRect rect = view.rowRect(shown);
    QVERIFY2(rect.top() >= 0 && rect.bottom() <= view.viewport()->height(),
             qPrintable(u"row at %1..%2 of %3"_s.arg(rect.top()).arg(rect.bottom()).arg(view.viewport()->height())));
}

void tst_ConnectionTimelineView::keyboardMovesAndToggles()
{
    ConnectionTimelineModel model;
    const qint64 t0 = 1'760'000'000'000;
    model.appendEvents(batchEvents(t0, 20));
    model.closeAll(t0 + 10'000);
    ConnectionTimelineView view(&model);
    QVERIFY(TestSupport::showAndWaitExposed(view, {1000, 400}));
    view.setFocus();
    QSignalSpy selected(&view, &ConnectionTimelineView::sessionSelected);
    QCOMPARE(view.layoutRowCount(), 21);      // 20 groups: collapsed
    sendKey(&view, Qt::Key_Down);             // row 0: the batch's control
    sendKey(&view, Qt::Key_Down);             // row 1: sub-session 0
    QCOMPARE(selected.size(), 2);
    QCOMPARE(selected.constLast().at(0).toString(), subId(0));
    sendKey(&view, Qt::Key_Space);            // expand it
    QVERIFY(view.isExpanded(subId(0)));
    QCOMPARE(view.layoutRowCount(), 23);
    sendKey(&view, Qt::Key_Return);           // and collapse it
    QVERIFY(!view.isExpanded(subId(0)));

    const qint64 span = view.visibleSpanMs();
    sendKey(&view, Qt::Key_Plus);
    QVERIFY(view.visibleSpanMs() < span);
    const qint64 from = view.visibleFromMs();
    sendKey(&view, Qt::Key_Right);
    QVERIFY(view.visibleFromMs() > from);
    sendKey(&view, Qt::Key_Home);
    QCOMPARE(view.mode(), ConnectionTimelineView::Mode::FitAll);
    sendKey(&view, Qt::Key_End);
    QCOMPARE(view.mode(), ConnectionTimelineView::Mode::FollowLive);
    sendKey(&view, Qt::Key_Minus);
    QCOMPARE(view.mode(), ConnectionTimelineView::Mode::FollowLive); // zooming keeps following
}

void tst_ConnectionTimelineView::tooltipsNameTheSocket()
{
    ConnectionTimelineModel model;
    const qint64 t0 = 1'760'000'000'000;
    model.appendEvents(batchEvents(t0, 4));
    model.closeAll(t0 + 10'000);
    ConnectionTimelineView view(&model);
    view.setSessionLabelProvider([](const QString &id) { return id == subId(0) ? u"Jupiter window"_s : QString(); });
    QVERIFY(TestSupport::showAndWaitExposed(view, {900, 300}));
    view.setExpanded(subId(0), true);
    // Row 1 is sub-session 0's group row, row 2 its transactions socket.
    auto tooltipAt = [&](QPoint pos) {
        QHelpEvent help(QEvent::ToolTip, pos, view.viewport()->mapToGlobal(pos));
        QApplication::sendEvent(view.viewport(), &help);
        return QToolTip::isVisible() ? QToolTip::text() : QString();
    };
    const QString label = tooltipAt(QPoint(40, view.rowRect(1).center().y()));
    QVERIFY2(label.contains(subId(0)), qPrintable(label));   // the full id, not the elided one
    QVERIFY2(label.contains(u"Jupiter window"_s), qPrintable(label));
    QVERIFY2(label.contains(u"transactions: Up"_s), qPrintable(label));
    // 4 s in, sub-session 0's transactions socket was Down (drop at +2 s, park at +3 s).
    const qint64 at = t0 + 2500;
    const int x = view.chartLeft()
                  + int(double(at - view.visibleFromMs()) * (view.viewport()->width() - view.chartLeft())
                        / double(view.visibleSpanMs()));
    const QString interval = tooltipAt(QPoint(x, view.rowRect(2).center().y()));
    QVERIFY2(interval.contains(u"transactions: Down (attempt 1)"_s), qPrintable(interval));
    QVERIFY2(interval.contains(u"remote close"_s), qPrintable(interval));
    QVERIFY2(interval.startsWith(subId(0) + u'\n'), qPrintable(interval)); // whose, in full
    QVERIFY2(interval.contains(u"2.00 s → 3.00 s"_s), qPrintable(interval)); // since the run began, as the ruler
    // The summary lane: the counts at that moment.
    const QString summary = tooltipAt(QPoint(x, 30));
    QVERIFY2(summary.contains(u"Down 1"_s), qPrintable(summary));
    QToolTip::hideText();
}

void tst_ConnectionTimelineView::offscreenIntervalsCostNothing()
{
    // One flapping socket with 50 000 intervals of 10 ms over 500 s.
    ConnectionTimelineModel model;
    const qint64 t0 = 1'760'000'000'000;
    QList<ConnectionEvent> events;
    for (int i = 0; i < 50'000; ++i)
        events << ConnectionEvent{t0 + 10 * i, u"backtest_1"_s, u"transactions"_s, i % 2 ? S::Down : S::Up, {}, 0};
    model.appendEvents(events);
    model.closeAll(t0 + 500'000);
    ConnectionTimelineView view(&model);
    QVERIFY(TestSupport::showAndWaitExposed(view, {1000, 300}));

    // Zoomed to one second, only that second's ~100 intervals are looked at.
    view.zoom(1000.0 / double(view.visibleSpanMs()));
    view.pan(-100000); // to the start
    view.pan(20000);
    const int paints = view.paintCount();
    view.viewport()->repaint();
    QCOMPARE(view.paintCount(), paints + 1);
    QVERIFY2(view.intervalsDrawnLastPaint() > 0 && view.intervalsDrawnLastPaint() <= 120,
             qPrintable(QString::number(view.intervalsDrawnLastPaint())));
    // Fitting everything draws at most a fill or two per pixel column.
    view.fitAll();
    view.viewport()->repaint();
    QVERIFY2(view.intervalsDrawnLastPaint() <= 2 * view.viewport()->width(),
             qPrintable(QString::number(view.intervalsDrawnLastPaint())));
}

void tst_ConnectionTimelineView::hiddenMeansNoPaint()
{
    ConnectionTimelineModel model;
    const qint64 t0 = QDateTime::currentMSecsSinceEpoch();
    ConnectionTimelineView view(&model);
    QVERIFY(TestSupport::showAndWaitExposed(view, {800, 300}));
    model.appendEvents(batchEvents(t0, 16));
    QTRY_VERIFY(view.paintCount() > 0);
    view.hide();
    QTest::qWait(50);
    const int paints = view.paintCount();
    for (int i = 0; i < 5; ++i) {
        model.appendEvents({ConnectionEvent{t0 + 10'000 + i, subId(i), u"transactions"_s, S::Down, {}, 1}});
        QTest::qWait(120);
    }
    QCOMPARE(view.paintCount(), paints); // open intervals and new events: nothing while hidden
    view.show();
    QTRY_VERIFY(view.paintCount() > paints); // catches up when shown
}

void tst_ConnectionTimelineView::fitAllRepaintsOnlyTheLiveEdge()
{
    // A live batch, fitting all: while the scale stands still a clock tick
    // repaints only the strip right of the last paint's now below the ruler,
    // when it takes a step all but the label column, and what is on screen
    // then is what a full paint draws (an idle 256-sub-session batch must
    // cost < 2 % of a core, issue 11).
    ConnectionTimelineModel model;
    model.appendEvents(batchEvents(QDateTime::currentMSecsSinceEpoch() - 20'000, 16));
    ConnectionTimelineView view(&model);
    QVERIFY(TestSupport::showAndWaitExposed(view, {900, 400}));
    QTRY_VERIFY(view.paintCount() > 0);
    // The span: the next of 1, 1.2, 1.5, 2 … 8 × 10^k ms over the run and 2 %.
    QVERIFY2(qRound64(niceCeiling(double(view.visibleSpanMs()))) == view.visibleSpanMs()
                 && view.visibleSpanMs() >= 20'400,
             qPrintable(QString::number(view.visibleSpanMs())));
    QWidget *viewport = view.viewport();
    const QPoint at = viewport->mapTo(&view, QPoint(0, 0));
    // What a full paint draws, from a second view of the same model: a grab
    // of the first one would paint it, and so change what its next live
    // edge repaints.
    ConnectionTimelineView reference(&model);
    QVERIFY(TestSupport::showAndWaitExposed(reference, {900, 400}));
    QCOMPARE(reference.viewport()->size(), viewport->size());
    int strips = 0;
    int steps = 0;
    for (int tick = 0; tick < 24 && (strips < 3 || steps < 1); ++tick) {
        const int paints = view.paintCount();
        QTRY_VERIFY_WITH_TIMEOUT(view.paintCount() > paints, 3000);
        const QRect painted = view.lastPaintRect();
        const QImage screen = view.windowHandle()->screen()->grabWindow(view.winId()).toImage()
                                  .copy(QRect(at, viewport->size())).convertToFormat(QImage::Format_RGB32);
        const QImage full = reference.viewport()->grab().toImage().convertToFormat(QImage::Format_RGB32);
        QCOMPARE(screen.size(), full.size());
        if (painted.left() < view.chartLeft())
            continue; // a full paint (the first one)
        if (view.visibleSpanMs() != view.lastPaintSpanMs())
            continue; // a step since the paint: the next tick repaints the chart
        QVERIFY2(painted.right() >= viewport->width() - 1, qPrintable(QString::number(painted.right())));
        if (painted.left() == view.chartLeft()) {
            ++steps; // the scale took a step: all but the label column
            QCOMPARE(painted.top(), 0);
        } else {
            ++strips; // below the ruler, whose ticks stand still
            QVERIFY2(painted.width() < viewport->width() / 3 && painted.top() > 0,
                     qPrintable(u"%1 + %2 from %3"_s.arg(painted.left()).arg(painted.width()).arg(painted.top())));
        }
        // Only the few columns the live edge grew into since the paint differ.
        int differing = 0;
        for (int x = 0; x < full.width(); ++x) {
            for (int y = 0; y < full.height(); ++y) {
                if (screen.pixel(x, y) != full.pixel(x, y)) {
                    QVERIFY2(x >= painted.left(), qPrintable(u"column %1 (row %2) left of the strip at %3"_s.arg(x).arg(y)
                                                                 .arg(painted.left())));
                    ++differing;
                    break;
                }
            }
        }
        QVERIFY2(differing <= 4, qPrintable(QString::number(differing)));
    }
    QVERIFY2(strips >= 3 && steps >= 1, qPrintable(u"%1 strips, %2 steps"_s.arg(strips).arg(steps)));
}

void tst_ConnectionTimelineView::niceCeilingSteps()
{
    // The fit-all span's and the charts' time axes' steps.
    QCOMPARE(niceCeiling(0), 1.0);
    QCOMPARE(niceCeiling(1), 1.0);
    QCOMPARE(niceCeiling(1.01), 1.2);
    QCOMPARE(niceCeiling(10'201), 12'000.0);
    QCOMPARE(niceCeiling(12'000), 12'000.0);
    QCOMPARE(niceCeiling(25'001), 30'000.0);
    QCOMPARE(niceCeiling(61), 80.0);
    QCOMPARE(niceCeiling(81), 100.0);
    QCOMPARE(niceCeiling(0.33), 0.4);
}

void tst_ConnectionTimelineView::fewGroupsStartExpanded()
{
    ConnectionTimelineModel model;
    model.appendEvents(batchEvents(1'760'000'000'000, 3));
    ConnectionTimelineView view(&model);
    // Control (one socket, no children) and 3 sub-sessions of 2 sockets each.
    QCOMPARE(view.layoutRowCount(), 1 + 3 * 3);
    QVERIFY(view.isExpanded(subId(2)));
    model.clear();
    QCOMPARE(view.layoutRowCount(), 0);
}

void tst_ConnectionTimelineView::reconnectOnlyOnADownOrParkedSocket()
{
    ConnectionTimelineModel model;
    const qint64 t0 = 1'760'000'000'000;
    model.appendEvents({ConnectionEvent{t0, subId(0), u"transactions"_s, S::Up, {}, 0},
                        ConnectionEvent{t0, subId(0), u"account diffs"_s, S::Up, {}, 0},
                        ConnectionEvent{t0, subId(1), u"transactions"_s, S::Up, {}, 0},
                        ConnectionEvent{t0 + 10, subId(0), u"transactions"_s, S::Parked, u"waiting"_s, 2},
                        ConnectionEvent{t0 + 20, subId(1), u"transactions"_s, S::Down, u"remote close"_s, 1},
                        // Down for good: the session ended, nothing to reconnect.
                        ConnectionEvent{t0 + 30, subId(2), u"transactions"_s, S::Down, u"end of stream"_s, 0, true}});
    ConnectionTimelineView view(&model);
    QSignalSpy requested(&view, &ConnectionTimelineView::reconnectRequested);
    QMenu closedMenu;
    view.addReconnectActions(&closedMenu, model.groups().at(model.groupOf(subId(2))).lanes);
    QCOMPARE(closedMenu.actions().size(), 1);
    QVERIFY(!closedMenu.actions().at(0)->isEnabled());
    QVERIFY2(closedMenu.actions().at(0)->toolTip().startsWith(u"Closed for good"_s),
             qPrintable(closedMenu.actions().at(0)->toolTip()));
    QMenu menu;
    view.addReconnectActions(&menu, model.groups().at(model.groupOf(subId(0))).lanes);
    view.addReconnectActions(&menu, model.groups().at(model.groupOf(subId(1))).lanes);
    QStringList texts;
    QList<bool> enabled;
    for (const QAction *action : menu.actions()) {
        texts << action->text();
        enabled << action->isEnabled();
    }
    QCOMPARE(texts, (QStringList{u"Reconnect transactions now"_s, u"Reconnect account diffs now"_s,
                                 u"Reconnect transactions now"_s}));
    QCOMPARE(enabled, (QList<bool>{true, false, true})); // parked, up, down
    menu.actions().at(2)->trigger();
    menu.actions().at(1)->trigger(); // disabled: nothing
    menu.actions().at(0)->trigger();
    QCOMPARE(requested.size(), 2);
    QCOMPARE(requested.at(0), (QVariantList{subId(1), u"transactions"_s}));
    QCOMPARE(requested.at(1), (QVariantList{subId(0), u"transactions"_s}));
}

void tst_ConnectionTimelineView::contextMenuIsTheClickedRowsOrTheCurrentOne()
{
    ConnectionTimelineModel model;
    const qint64 t0 = 1'760'000'000'000;
    model.appendEvents(batchEvents(t0, 3));
    model.appendEvents({ConnectionEvent{t0 + 10, subId(1), u"account diffs"_s, S::Down, u"remote close"_s, 1}});
    ConnectionTimelineView view(&model);
    QVERIFY(TestSupport::showAndWaitExposed(view, {1000, 400}));
    // The menu's texts, read while it is open, then closed.
    // The texts of the menu `open` brings up, read while it is open, then closed.
    const auto menuOpenedBy = [&](const std::function<void()> &open) {
        QStringList texts;
        QTimer::singleShot(0, &view, [&texts] {
            auto *menu = qobject_cast<QMenu *>(QApplication::activePopupWidget());
            if (!menu)
                return;
            for (const QAction *action : menu->actions()) {
                if (!action->isSeparator())
                    texts << action->text() + (action->isEnabled() ? QString() : u" (off)"_s);
            }
            menu->close();
        });
        open();
        return texts;
    };
    const auto menuAt = [&](QWidget *target, QContextMenuEvent::Reason reason, QPoint pos) {
        return menuOpenedBy([&] {
            QContextMenuEvent event(reason, pos, target->mapToGlobal(pos));
            QApplication::sendEvent(target, &event);
        });
    };
    // A right click on sub-session 1's account-diffs lane label (few groups
    // start expanded, so the lane has a row of its own).
    int diffsRow = -1;
    for (int row = 0; row < view.layoutRowCount(); ++row) {
        if (view.rowLane(row) >= 0 && model.lane(view.rowLane(row)).sessionId == subId(1)
            && model.lane(view.rowLane(row)).socket == u"account diffs"_s) {
            diffsRow = row;
        }
    }
    QVERIFY(diffsRow >= 0);
    const QPoint label(view.chartLeft() / 2, view.rowRect(diffsRow).center().y());
    const QStringList clicked = menuAt(view.viewport(), QContextMenuEvent::Mouse, label);
    QVERIFY2(!clicked.isEmpty(), "no menu opened");
    QCOMPARE(clicked.first(), u"Reconnect account diffs now"_s);
    QVERIFY2(clicked.at(1).startsWith(u"Select "_s), qPrintable(clicked.join(u", "_s)));
    QCOMPARE(clicked.count(u"Reconnect account diffs now"_s), 1);
    QVERIFY(!clicked.contains(u"Reconnect control now"_s));
    // From the keyboard: the current row's menu (the batch's control row).
    view.setFocus();
    sendKey(&view, Qt::Key_Down);
    const QStringList keyboard = menuAt(&view, QContextMenuEvent::Keyboard, QPoint(5, 5));
    QVERIFY2(!keyboard.isEmpty(), "no menu opened from the keyboard");
    QCOMPARE(keyboard.first(), u"Reconnect control now (off)"_s);
    // Shift+F10 too, on the row below (sub-session 0's).
    sendKey(&view, Qt::Key_Down);
    const QStringList shiftF10 = menuOpenedBy([&] { sendKey(&view, Qt::Key_F10, Qt::ShiftModifier); });
    QVERIFY2(!shiftF10.isEmpty(), "no menu opened by Shift+F10");
    QCOMPARE(shiftF10.first(), u"Reconnect transactions now (off)"_s); // Up: nothing to skip
}

void tst_ConnectionTimelineView::groupDotIsTheWorstLiveSocketOrClosed()
{
    ConnectionTimelineModel model;
    const qint64 t0 = 1'760'000'000'000;
    const auto up = [&](int i, const QString &socket) { return ConnectionEvent{t0, subId(i), socket, S::Up, {}, 0}; };
    const auto ended = [&](int i, const QString &socket, S status) {
        return ConnectionEvent{t0 + 50, subId(i), socket, status, u"end of stream"_s, 0, true};
    };
    const QString tx = u"transactions"_s, diffs = u"account diffs"_s;
    model.appendEvents({up(0, tx), up(0, diffs), up(1, tx), up(1, diffs), up(2, tx), up(2, diffs), up(3, tx),
                        up(3, diffs),
                        // 0: one socket parked, the other Up → Parked.
                        ConnectionEvent{t0 + 10, subId(0), tx, S::Parked, u"waiting"_s, 2},
                        // 1: both closed for good → grey, not Down's amber.
                        ended(1, tx, S::Down), ended(1, diffs, S::Down),
                        // 2: one closed, one failed → Failed stays red.
                        ended(2, tx, S::Down), ended(2, diffs, S::Failed),
                        // 3: one closed, one still Up → Up (the closed one does not count).
                        ended(3, tx, S::Down)});
    model.appendEvents({ConnectionEvent{t0 + 60, subId(4), tx, S::Down, u"remote close"_s, 1}});
    ConnectionTimelineView view(&model);

    const auto dotOf = [&](int i) { return view.groupDot(model.groupOf(subId(i))); };
    QVERIFY(dotOf(0) && !dotOf(0)->closed);
    QCOMPARE(dotOf(0)->status, S::Parked);
    QVERIFY(dotOf(1) && dotOf(1)->closed);
    QVERIFY(dotOf(2) && !dotOf(2)->closed);
    QCOMPARE(dotOf(2)->status, S::Failed);
    QVERIFY(dotOf(3) && !dotOf(3)->closed);
    QCOMPARE(dotOf(3)->status, S::Up);
    // A socket Down and waiting to retry is not closed: amber, not grey.
    QVERIFY(dotOf(4) && !dotOf(4)->closed);
    QCOMPARE(dotOf(4)->status, S::Down);

    // The painted dot is the accessor's colour: grey (the palette's Mid) for
    // the closed group, not the amber a Down socket gets.
    QVERIFY(TestSupport::showAndWaitExposed(view, {800, 600}));
    const QImage image = view.viewport()->grab().toImage().convertToFormat(QImage::Format_RGB32);
    const auto dotColours = [&](int i) {
        QSet<QRgb> colours;
        int row = -1;
        for (int r = 0; r < view.layoutRowCount(); ++r) {
            if (view.rowLane(r) < 0 && view.rowGroup(r) == model.groupOf(subId(i)))
                row = r;
        }
        const QRect rect = view.rowRect(row);
        if (!image.rect().contains(rect))
            qFatal("group row %d is outside the %dx%d viewport", row, image.width(), image.height());
        for (int x = rect.left() + 18; x < rect.left() + 18 + rect.height() / 2; ++x)
            colours.insert(image.pixel(x, rect.center().y()) & 0xffffff);
        return colours;
    };
    const QRgb mid = view.palette().color(QPalette::Mid).rgb() & 0xffffff;
    QVERIFY2(dotColours(1).contains(mid), "the closed group's dot is not grey");
    QVERIFY(!dotColours(4).contains(mid));
}

void tst_ConnectionTimelineView::aFailedSocketIsSeenAtFitAll()
{
    // Failed ends a lane at once (a zero-length interval): it still shows as
    // a red cap, not a 1-px sliver before blank space.
    ConnectionTimelineModel model;
    const qint64 t0 = 1'760'000'000'000;
    const QString tx = u"transactions"_s;
    model.appendEvents({ConnectionEvent{t0, subId(0), tx, S::Up, {}, 0},
                        ConnectionEvent{t0 + 1000, subId(0), tx, S::Down, u"lost"_s, 1},
                        ConnectionEvent{t0 + 9000, subId(0), tx, S::Failed, u"gave up after 8 attempts"_s, 8},
                        ConnectionEvent{t0 + 20'000, subId(1), tx, S::Up, {}, 0}});
    model.closeAll(t0 + 21'000);
    ConnectionTimelineView view(&model);
    QVERIFY(TestSupport::showAndWaitExposed(view, {800, 300}));
    view.fitAll();
    const QList<QRgb> pixels = groupRowPixels(view, model, 0);
    QVERIFY(!pixels.isEmpty());
    const qsizetype redColumns = pixels.count(QColor(0xc6, 0x28, 0x28).rgb() & 0xffffff);
    QVERIFY2(redColumns >= 4, qPrintable(QString::number(redColumns)));
}

void tst_ConnectionTimelineView::everyReconnectIsMarkedAtFitAll()
{
    // A reconnect storm on one socket: four reconnects whose Up lasts 1 ms
    // before the next drop, far less than a pixel at fit-all. Each still gets
    // its marker (not all did: a short Up inside the pixel the Down before it
    // had drawn lost its marker).
    ConnectionTimelineModel model;
    const qint64 t0 = 1'760'000'000'000;
    const QString tx = u"transactions"_s;
    QList<ConnectionEvent> events{ConnectionEvent{t0, subId(0), tx, S::Up, {}, 0},
                                  ConnectionEvent{t0 + 1000, subId(0), tx, S::Down, u"lost"_s, 1}};
    const QList<qint64> reconnects{3000, 6000, 10'000, 15'000};
    for (qsizetype k = 0; k < reconnects.size(); ++k) {
        events << ConnectionEvent{t0 + reconnects.at(k), subId(0), tx, S::Up, u"connected"_s, int(k + 1)};
        events << ConnectionEvent{t0 + reconnects.at(k) + 1, subId(0), tx, S::Down, u"lost"_s, int(k + 2)};
    }
    events << ConnectionEvent{t0 + 20'000, subId(0), tx, S::Up, u"connected"_s, 6};
    model.appendEvents(events);
    model.closeAll(t0 + 21'000);
    QCOMPARE(model.reconnectTimes(model.laneCount() - 1).size(), 5);
    ConnectionTimelineView view(&model);
    QVERIFY(TestSupport::showAndWaitExposed(view, {800, 300}));
    view.fitAll();
    const QList<QRgb> pixels = groupRowPixels(view, model, 0);
    QVERIFY(!pixels.isEmpty());
    const QRgb marker = view.palette().color(QPalette::WindowText).rgb() & 0xffffff;
    int markers = 0;
    bool inMarker = false;
    for (const QRgb pixel : pixels) {
        const bool here = pixel == marker;
        markers += here && !inMarker;
        inMarker = here;
    }
    QCOMPARE(markers, 5); // the four in the storm and the last one
}

QTEST_MAIN(tst_ConnectionTimelineView)
#include "tst_connectiontimelineview.moc"
