#include "connectiontimelineview.h"
#include "nicescale.h"

#include "model/connectiontimelinemodel.h"
#include "model/sessionupdate.h"
#include "protocol/runclock.h"

#include <QAction>
#include <QContextMenuEvent>
#include <QCursor>
#include <QDateTime>
#include <QHelpEvent>
#include <QLabel>
#include <QMenu>
#include <QPainter>
#include <QScrollBar>
#include <QToolBar>
#include <QToolTip>
#include <QVarLengthArray>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace SlotScope {

namespace {

constexpr int AutoExpandGroups = 8;     // more groups than this start collapsed
constexpr qint64 MinSpanMs = 50;
constexpr int FailedCapPixels = 4; // a Failed socket's mark at its lane's end
constexpr qint64 MaxSpanMs = qint64(30) * 24 * 3600 * 1000;
constexpr qint64 DefaultFollowSpanMs = 60000;
constexpr int RulerTickPixels = 90;     // about this far between ruler ticks

QColor colorFor(ConnectionStatus status)
{
    switch (status) {
    case ConnectionStatus::Up: return QColor(0x2e, 0x7d, 0x32);
    case ConnectionStatus::Down: return QColor(0xef, 0x8f, 0x00);
    case ConnectionStatus::Parked: return QColor(0x3f, 0x51, 0xb5);
    case ConnectionStatus::Failed: return QColor(0xc6, 0x28, 0x28);
    }
    return Qt::gray;
}

// Which status wins a pixel column several intervals share.
int severity(ConnectionStatus status)
{
    switch (status) {
    case ConnectionStatus::Up: return 0;
    case ConnectionStatus::Down: return 1;
    case ConnectionStatus::Parked: return 2;
    case ConnectionStatus::Failed: return 3;
    }
    return 0;
}

// A tick step giving ~`pixels` between ticks: 1, 2 or 5 × 10^k ms below a
// minute, then whole minutes and hours (1, 2, 5, 10, 15, 30 min; 1, 2, 3, 6, 12 h).
qint64 niceStep(double msPerPixel, int pixels)
{
    const double raw = msPerPixel * pixels;
    if (raw > 60000) {
        for (const qint64 minutes : {1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440}) {
            if (double(minutes) * 60000 >= raw)
                return minutes * 60000;
        }
        return qint64(std::ceil(raw / 86'400'000.0)) * 86'400'000;
    }
    const double base = std::pow(10.0, std::floor(std::log10(qMax(raw, 1.0))));
    for (const double factor : {1.0, 2.0, 5.0, 10.0}) {
        if (base * factor >= raw)
            return qMax<qint64>(1, qint64(base * factor));
    }
    return qint64(base * 10);
}

// A ruler label: "2.5 s" below a minute, "1:05" / "1:02:05" (h:mm:ss) above.
QString secondsLabel(qint64 ms, qint64 step)
{
    if (ms < 60000 || step < 1000) {
        const int decimals = step >= 1000 ? 0 : step >= 100 ? 1 : step >= 10 ? 2 : 3;
        return u"%1 s"_s.arg(double(ms) / 1000.0, 0, 'f', decimals);
    }
    const qint64 seconds = ms / 1000;
    if (seconds < 3600)
        return u"%1:%2"_s.arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
    return u"%1:%2:%3"_s.arg(seconds / 3600).arg((seconds / 60) % 60, 2, 10, QLatin1Char('0'))
        .arg(seconds % 60, 2, 10, QLatin1Char('0'));
}

// A tooltip's time, to the hundredth, in the ruler's form: "57.43 s" below
// a minute, "5:57.43" / "1:05:57.43" above (the ruler there reads "5:55", "6:00").
QString preciseTimeLabel(qint64 ms)
{
    ms = qMax<qint64>(0, ms);
    if (ms < 60000)
        return u"%1 s"_s.arg(double(ms) / 1000.0, 0, 'f', 2);
    const qint64 seconds = ms / 1000;
    const QString fraction = u"%1.%2"_s.arg(seconds % 60, 2, 10, QLatin1Char('0'))
                                 .arg((ms % 1000) / 10, 2, 10, QLatin1Char('0'));
    if (seconds < 3600)
        return u"%1:%2"_s.arg(seconds / 60).arg(fraction);
    return u"%1:%2:%3"_s.arg(seconds / 3600).arg((seconds / 60) % 60, 2, 10, QLatin1Char('0')).arg(fraction);
}

} // namespace

ConnectionTimelineView::ConnectionTimelineView(ConnectionTimelineModel *model, QWidget *parent)
    : QAbstractScrollArea(parent)
    , m_model(model)
{
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    viewport()->setMouseTracking(true);
    // paintEvent() fills the whole viewport itself: no background fill first.
    viewport()->setAttribute(Qt::WA_OpaquePaintEvent);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    const QFontMetrics metrics(font());
    m_rowHeight = metrics.height() + 4;
    m_rulerHeight = metrics.height() + 4;
    m_summaryHeight = qMax(46, 2 * metrics.height() + 12);
    m_labelWidth = qMax(200, metrics.horizontalAdvance(u"backtest_0199d2c4…a1b2c3d4"_s) + 40);

    m_toolbar = new QToolBar(this);
    m_toolbar->setIconSize(QSize(16, 16));
    m_toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    auto makeAction = [this](const QString &text, const QKeySequence &key, const QString &tip) {
        // The keys are handled in keyPressEvent() (no shortcut: the toolbar
        // is a child of the view, the same key would be ambiguous).
        auto *action = m_toolbar->addAction(text);
        action->setToolTip(u"%1 (%2)"_s.arg(tip, key.toString(QKeySequence::NativeText)));
        return action;
    };
    QAction *zoomIn = makeAction(tr("Zoom in"), QKeySequence(Qt::Key_Plus), tr("Zoom in around the centre"));
    QAction *zoomOut = makeAction(tr("Zoom out"), QKeySequence(Qt::Key_Minus), tr("Zoom out around the centre"));
    m_fitAll = makeAction(tr("Fit all"), QKeySequence(Qt::Key_Home), tr("Show the whole run"));
    m_followLive = makeAction(tr("Follow live"), QKeySequence(Qt::Key_End), tr("Keep the latest moment at the right edge"));
    m_followLive->setCheckable(true);
    m_toolbar->addSeparator();
    QAction *expandAll = m_toolbar->addAction(tr("Expand all"));
    expandAll->setToolTip(tr("One row per socket for every sub-session"));
    QAction *collapseAll = m_toolbar->addAction(tr("Collapse all"));
    collapseAll->setToolTip(tr("One row per sub-session"));
    m_toolbar->addSeparator();
    auto *legend = new QLabel(m_toolbar);
    legend->setText(u"<span style='color:%1'>■</span> %2 &nbsp;<span style='color:%3'>■</span> %4 &nbsp;"
                    "<span style='color:%5'>■</span> %6 &nbsp;<span style='color:%7'>■</span> %8 &nbsp;┃ %9"_s
                        .arg(colorFor(ConnectionStatus::Up).name(), tr("Up"), colorFor(ConnectionStatus::Down).name(),
                             tr("Down"), colorFor(ConnectionStatus::Parked).name(), tr("Parked"),
                             colorFor(ConnectionStatus::Failed).name(), tr("Failed"), tr("reconnect")));
    legend->setToolTip(tr("Wheel: scroll · Ctrl+wheel: zoom · Shift+wheel or drag: pan · right-click a Down or "
                          "Parked socket: Reconnect now"));
    m_toolbar->addWidget(legend);
    connect(zoomIn, &QAction::triggered, this, [this] { zoom(0.5); });
    connect(zoomOut, &QAction::triggered, this, [this] { zoom(2.0); });
    connect(m_fitAll, &QAction::triggered, this, &ConnectionTimelineView::fitAll);
    connect(m_followLive, &QAction::toggled, this, &ConnectionTimelineView::setFollowLive);
    connect(expandAll, &QAction::triggered, this, [this] { setAllExpanded(true); });
    connect(collapseAll, &QAction::triggered, this, [this] { setAllExpanded(false); });
    setViewportMargins(0, m_toolbar->sizeHint().height(), 0, 0);
    // Following live, the horizontal bar's range grows at every clock tick.
    // An opaque bar repaints only itself; a transparent one repainted the
    // frame, the dock and the main window under it each time (an idle
    // 256-sub-session batch: 6 widgets painted twice a second, issue 11).
    for (QScrollBar *bar : {horizontalScrollBar(), verticalScrollBar()})
        bar->setAutoFillBackground(true);

    m_repaintTimer.setSingleShot(true);
    m_repaintTimer.setInterval(100);
    connect(&m_repaintTimer, &QTimer::timeout, this, [this] {
        updateScrollBars();
        viewport()->update();
    });
    m_clock.setInterval(250);
    connect(&m_clock, &QTimer::timeout, this, [this] {
        if (!m_model->hasOpenIntervals())
            m_clock.stop();
        if (m_repaintTimer.isActive() || !repaintLiveEdge())
            scheduleRepaint();
        else
            updateClock();
    });
    const auto modelChanged = [this] {
        m_sinceModelChange.start();
        scheduleRepaint();
    };
    m_sinceModelChange.start();
    connect(m_model, &QAbstractItemModel::rowsInserted, this, modelChanged);
    connect(m_model, &QAbstractItemModel::dataChanged, this, modelChanged);
    connect(m_model, &QAbstractItemModel::modelReset, this, &ConnectionTimelineView::onModelReset);
    connect(m_model, &ConnectionTimelineModel::lanesChanged, this, [this] {
        m_layoutDirty = true;
        m_sinceModelChange.start();
        scheduleRepaint();
    });
    connect(horizontalScrollBar(), &QScrollBar::valueChanged, this, [this](int value) {
        if (m_syncingScrollBar)
            return;
        // The bar is in units of the whole run's span / its range.
        const qint64 origin = m_model->originMs();
        const auto [from, span] = resolveWindow();
        const qint64 total = qMax<qint64>(rightEdgeLimitMs(span) - origin, span);
        const double unit = qMax(1.0, double(total) / 1e6);
        setManualWindow(origin + qint64(value * unit), span);
    });
}

void ConnectionTimelineView::setSessionLabelProvider(std::function<QString(const QString &)> provider)
{
    m_sessionLabel.setProvider(std::move(provider));
    viewport()->update();
}

void ConnectionTimelineView::onModelReset()
{
    m_layoutDirty = true;
    m_currentRow = -1;
    m_expanded.clear();
    m_selectedSession.clear();
    m_hasSelection = false;
    verticalScrollBar()->setValue(0); // a new run starts at its top: the batch row
    if (m_mode == Mode::Manual) {
        m_mode = Mode::FitAll;
        m_followLive->setChecked(false);
    }
    scheduleRepaint();
}

void ConnectionTimelineView::scheduleRepaint()
{
    // A hidden timeline (its dock tabbed away) does no work; showEvent() catches up.
    if (!isVisible()) {
        m_stale = true;
        return;
    }
    updateClock();
    if (!m_repaintTimer.isActive())
        m_repaintTimer.start();
}

void ConnectionTimelineView::updateClock()
{
    if (isVisible() && !m_recorded && m_model->hasOpenIntervals()) {
        // Open intervals grow by a pixel every span / width ms: no sooner
        // than that (and at least every 2 s, at most twice a second, every
        // 2 s after 5 s without a change: an idle 256-sub-session batch must
        // cost < 2 % of a core, issue 11, and on a VM each wake-up of the
        // GUI thread is paid with cold caches).
        const qint64 msPerPixel = visibleSpanMs() / qMax(1, viewport()->width() - m_labelWidth);
        const qint64 floor = m_sinceModelChange.elapsed() > 5000 ? 2000 : 500;
        m_clock.setInterval(int(std::clamp<qint64>(msPerPixel, floor, 2000)));
        if (!m_clock.isActive())
            m_clock.start();
    } else {
        m_clock.stop();
    }
}

void ConnectionTimelineView::showEvent(QShowEvent *event)
{
    QAbstractScrollArea::showEvent(event);
    if (m_stale) {
        m_stale = false;
        m_layoutDirty = true;
        updateScrollBars();
    }
    updateClock();
}

void ConnectionTimelineView::hideEvent(QHideEvent *event)
{
    QAbstractScrollArea::hideEvent(event);
    m_clock.stop();
    m_repaintTimer.stop();
    m_stale = true;
}

void ConnectionTimelineView::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    const QRect area = contentsRect();
    m_toolbar->setGeometry(area.left(), area.top(), area.width(), m_toolbar->sizeHint().height());
    updateScrollBars();
}

// ---- time window -------------------------------------------------------------

void ConnectionTimelineView::setRecorded(bool recorded)
{
    if (m_recorded == recorded)
        return;
    m_recorded = recorded;
    // A recording has no live edge to follow.
    m_followLive->setVisible(!recorded);
    if (recorded && m_mode == Mode::FollowLive)
        fitAll();
    updateClock();
    scheduleRepaint();
}

qint64 ConnectionTimelineView::liveEndMs() const
{
    const qint64 latest = m_model->latestMs();
    if (!m_recorded && m_model->hasOpenIntervals())
        return qMax(latest, runClockMs());
    return latest;
}

ConnectionTimelineView::TimeWindow ConnectionTimelineView::resolveWindow() const
{
    const qint64 origin = m_model->originMs();
    switch (m_mode) {
    case Mode::FitAll:
        return {origin, fitSpanMs()};
    case Mode::FollowLive: {
        // The right edge at now; never before the first event (a window
        // wider than the run starts at its first event, not at "-35 s").
        const qint64 from = rightEdgeLimitMs(m_spanMs) - m_spanMs;
        return {origin > 0 ? qMax(origin, from) : from, m_spanMs};
    }
    case Mode::Manual:
        return {m_fromMs, m_spanMs};
    }
    return {};
}

qint64 ConnectionTimelineView::fitSpanMs() const
{
    // The whole run and a margin; while it goes on, the scale grows in
    // steps (niceCeiling()): between two a clock tick only draws the live
    // edge (repaintLiveEdge()).
    const qint64 fit =
        qMax<qint64>(1000, qint64(double(qMax<qint64>(liveEndMs() - m_model->originMs(), 0)) * 1.02) + 1);
    if (!m_model->hasOpenIntervals())
        return qMin(MaxSpanMs, fit);
    return qMin(MaxSpanMs, std::llround(niceCeiling(double(fit))));
}

qint64 ConnectionTimelineView::visibleFromMs() const
{
    return resolveWindow().from;
}

qint64 ConnectionTimelineView::rightEdgeLimitMs(qint64 span) const
{
    return liveEndMs() + span - qint64(double(span) * 0.98);
}

qint64 ConnectionTimelineView::visibleSpanMs() const
{
    return resolveWindow().span;
}

void ConnectionTimelineView::setManualWindow(qint64 from, qint64 span)
{
    const TimeWindow before = resolveWindow();
    m_mode = Mode::Manual;
    m_spanMs = qBound(MinSpanMs, span, MaxSpanMs);
    if (const qint64 origin = m_model->originMs(); origin > 0) {
        // A drag or a zoom out stops at the run's edges: its first event on
        // the left (no "-12 s" of empty lanes), now on the right (with the
        // margin Follow live leaves). A window whose end does not move later
        // (a zoom in around the cursor) is left where it is asked to be.
        from = qMax(origin, from);
        if (from + m_spanMs > before.from + before.span)
            from = qMin(from, qMax(origin, rightEdgeLimitMs(m_spanMs) - m_spanMs));
    }
    m_fromMs = from;
    if (m_followLive->isChecked()) {
        const QSignalBlocker blocker(m_followLive);
        m_followLive->setChecked(false);
    }
    updateScrollBars();
    viewport()->update();
}

double ConnectionTimelineView::xAt(qint64 timeMs, qint64 from, qint64 span) const
{
    const int width = qMax(1, viewport()->width() - m_labelWidth);
    return m_labelWidth + double(timeMs - from) * width / double(qMax<qint64>(span, 1));
}

qint64 ConnectionTimelineView::timeAt(double x) const
{
    const auto [from, span] = resolveWindow();
    return timeAt(x, from, span);
}

qint64 ConnectionTimelineView::timeAt(double x, qint64 from, qint64 span) const
{
    const int width = qMax(1, viewport()->width() - m_labelWidth);
    return from + qint64((x - m_labelWidth) * double(span) / width);
}

void ConnectionTimelineView::zoom(double factor, int anchorX)
{
    const auto [from, span] = resolveWindow();
    // Zooming out stops at four times the whole run (Fit all's width):
    // wider only shrinks the run to a sliver (700 hours of a 3-minute run).
    const qint64 widest = m_model->originMs() > 0 ? qMax(span, 4 * fitSpanMs()) : MaxSpanMs;
    const qint64 newSpan = qBound(MinSpanMs, qint64(double(span) * factor), widest);
    if (m_mode == Mode::FollowLive) {
        // Keep following: the right edge stays at now.
        m_spanMs = newSpan;
        updateScrollBars();
        viewport()->update();
        return;
    }
    if (anchorX < m_labelWidth)
        anchorX = m_labelWidth + (viewport()->width() - m_labelWidth) / 2;
    const qint64 anchor = timeAt(anchorX);
    const double ratio = double(newSpan) / double(qMax<qint64>(span, 1));
    setManualWindow(anchor - qint64(double(anchor - from) * ratio), newSpan);
}

void ConnectionTimelineView::pan(int pixels)
{
    const auto [from, span] = resolveWindow();
    const int width = qMax(1, viewport()->width() - m_labelWidth);
    setManualWindow(from + qint64(double(pixels) * double(span) / width), span);
}

void ConnectionTimelineView::fitAll()
{
    m_mode = Mode::FitAll;
    {
        const QSignalBlocker blocker(m_followLive);
        m_followLive->setChecked(false);
    }
    updateScrollBars();
    viewport()->update();
}

void ConnectionTimelineView::setFollowLive(bool follow)
{
    if (follow) {
        if (m_mode != Mode::FollowLive) {
            // Keep the current width unless it shows everything anyway.
            const qint64 span = visibleSpanMs();
            m_spanMs = m_mode == Mode::FitAll ? qMin(span, DefaultFollowSpanMs) : span;
        }
        m_mode = Mode::FollowLive;
    } else if (m_mode == Mode::FollowLive) {
        const qint64 from = visibleFromMs();
        m_mode = Mode::Manual;
        m_fromMs = from;
    }
    if (m_followLive->isChecked() != follow) {
        const QSignalBlocker blocker(m_followLive);
        m_followLive->setChecked(follow);
    }
    updateScrollBars();
    viewport()->update();
}

bool ConnectionTimelineView::repaintLiveEdge()
{
    // Only while fitting all: a window following live moves every pixel,
    // and a manual one shows open intervals growing anywhere.
    if (m_mode != Mode::FitAll || !m_painted.valid || m_layoutDirty || m_painted.size != viewport()->size()
        || m_painted.verticalScroll != verticalScrollBar()->value())
        return false;
    const auto [from, span] = resolveWindow();
    if (from != m_painted.from)
        return false;
    // The scale took a step: every interval moves, the ruler too, but not the
    // label column (tens of lanes' elided names, half of a full paint).
    // Else below the ruler (its ticks stand still too), from the column the
    // last paint's open intervals ended in to the right edge: what lies
    // right of now is empty, whenever the paint comes.
    if (span != m_painted.span) {
        updateScrollBars();
        viewport()->update(viewport()->rect().adjusted(m_labelWidth, 0, 0, 0));
    } else {
        viewport()->update(liveEdgeStrip(from, span));
    }
    return true;
}

QRect ConnectionTimelineView::liveEdgeStrip(qint64 from, qint64 span) const
{
    const int left = qMax(m_labelWidth, int(std::floor(xAt(m_painted.now, from, span))) - 2);
    return viewport()->rect().adjusted(left, m_rulerHeight + 1, 0, 0); // (ruler ticks end at m_rulerHeight)
}

void ConnectionTimelineView::updateScrollBars()
{
    ensureLayout();
    const int visibleRows = qMax(0, viewport()->height() - headerHeight());
    const int content = int(m_rows.size()) * m_rowHeight;
    verticalScrollBar()->setPageStep(visibleRows);
    verticalScrollBar()->setSingleStep(m_rowHeight);
    verticalScrollBar()->setRange(0, qMax(0, content - visibleRows));

    const qint64 origin = m_model->originMs();
    const auto [from, span] = resolveWindow();
    const qint64 total = qMax<qint64>(rightEdgeLimitMs(span) - origin, span);
    const double unit = qMax(1.0, double(total) / 1e6);
    const int range = int(double(qMax<qint64>(0, total - span)) / unit);
    const int page = qMax(1, int(double(span) / unit));
    const int value = int(double(from - origin) / unit);
    QScrollBar *bar = horizontalScrollBar();
    // Following live, the range grows at every clock tick; a bar whose handle
    // would not move by a pixel is left as it is (a repaint of the bar is
    // most of what an idle window costs).
    const auto handle = [length = bar->width()](int maximum, int pageStep, int position) {
        const double size = double(length) * pageStep / double(qMax(1, maximum + pageStep));
        const double at = maximum > 0 ? (double(length) - size) * position / maximum : 0.0;
        return std::pair{qRound(size), qRound(at)};
    };
    if ((range == 0) == (bar->maximum() == 0)
        && handle(range, page, value) == handle(bar->maximum(), bar->pageStep(), bar->value()))
        return;
    const QSignalBlocker blocker(bar);
    m_syncingScrollBar = true;
    bar->setRange(0, range);
    bar->setPageStep(page);
    bar->setSingleStep(qMax(1, page / 10));
    bar->setValue(value);
    m_syncingScrollBar = false;
}

void ConnectionTimelineView::scrollContentsBy(int, int)
{
    viewport()->update();
}

// ---- rows --------------------------------------------------------------------

bool ConnectionTimelineView::isExpanded(const QString &sessionId) const
{
    if (const auto it = m_expanded.constFind(sessionId); it != m_expanded.constEnd())
        return *it;
    return m_model->groups().size() <= AutoExpandGroups;
}

void ConnectionTimelineView::setExpanded(const QString &sessionId, bool expanded)
{
    m_expanded.insert(sessionId, expanded);
    m_layoutDirty = true;
    updateScrollBars();
    viewport()->update();
}

void ConnectionTimelineView::setAllExpanded(bool expanded)
{
    for (const ConnectionTimelineModel::Group &group : m_model->groups())
        m_expanded.insert(group.sessionId, expanded);
    m_layoutDirty = true;
    m_currentRow = -1;
    updateScrollBars();
    if (m_hasSelection)
        setSelectedSession(m_selectedSession);
    viewport()->update();
}

void ConnectionTimelineView::ensureLayout()
{
    if (!m_layoutDirty)
        return;
    m_layoutDirty = false;
    m_rows.clear();
    const auto &groups = m_model->groups();
    for (int group = 0; group < groups.size(); ++group) {
        m_rows.append(Row{group, -1});
        const auto &lanes = groups.at(group).lanes;
        if (lanes.size() > 1 && isExpanded(groups.at(group).sessionId)) {
            for (const int lane : lanes)
                m_rows.append(Row{group, lane});
        }
    }
    if (m_currentRow >= m_rows.size())
        m_currentRow = -1;
}

int ConnectionTimelineView::layoutRowCount()
{
    ensureLayout();
    return int(m_rows.size());
}

int ConnectionTimelineView::rowAt(int y)
{
    ensureLayout();
    if (y < headerHeight())
        return -1;
    const int row = (y - headerHeight() + verticalScrollBar()->value()) / m_rowHeight;
    return row < m_rows.size() ? row : -1;
}

QRect ConnectionTimelineView::rowRect(int row)
{
    return QRect(0, headerHeight() + row * m_rowHeight - verticalScrollBar()->value(), viewport()->width(),
                 m_rowHeight);
}

int ConnectionTimelineView::rowGroup(int row)
{
    ensureLayout();
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).group : -1;
}

int ConnectionTimelineView::rowLane(int row)
{
    ensureLayout();
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).lane : -1;
}

QString ConnectionTimelineView::elided(const QFont &font, const QString &text, int width) const
{
    // Shaping the labels was a good part of each repaint, and following live
    // repaints twice a second with the same labels.
    if (m_elided.size() > 4096)
        m_elided.clear();
    QString key = font.key();
    key += u'\n';
    key += QString::number(width);
    key += u'\n';
    key += text;
    if (const auto it = m_elided.constFind(key); it != m_elided.constEnd())
        return *it;
    QString shown = QFontMetrics(font).elidedText(text, Qt::ElideMiddle, width);
    m_elided.insert(key, shown);
    return shown;
}

std::optional<ConnectionTimelineView::GroupDot> ConnectionTimelineView::groupDot(int group) const
{
    ConnectionStatus worst = ConnectionStatus::Up;
    bool live = false;
    bool closed = false;
    for (const int lane : m_model->groups().at(group).lanes) {
        const auto &info = m_model->lane(lane);
        if (info.rows.isEmpty())
            continue;
        if (info.ended && info.status != ConnectionStatus::Failed) {
            closed = true;
            continue;
        }
        if (!live || severity(info.status) > severity(worst))
            worst = info.status;
        live = true;
    }
    if (live)
        return GroupDot{false, worst};
    if (closed)
        return GroupDot{true, ConnectionStatus::Up};
    return std::nullopt;
}

QString ConnectionTimelineView::groupLabel(int group) const
{
    const QString &sessionId = m_model->groups().at(group).sessionId;
    if (sessionId.isEmpty())
        return wholeRunLabel(m_model->groups().size() > 1);
    return m_sessionLabel(sessionId);
}

void ConnectionTimelineView::setSelectedSession(const QString &sessionId)
{
    m_selectedSession = sessionId;
    m_hasSelection = true;
    if (const int row = groupRow(m_model->groupOf(sessionId)); row >= 0) {
        m_currentRow = row;
        ensureRowVisible(row);
    }
    viewport()->update();
}

void ConnectionTimelineView::clearSelection()
{
    m_selectedSession.clear();
    m_hasSelection = false;
    viewport()->update();
}

void ConnectionTimelineView::selectRow(int row, bool emitSelection)
{
    ensureLayout();
    if (row < 0 || row >= m_rows.size())
        return;
    m_currentRow = row;
    const QString sessionId = m_model->groups().at(m_rows.at(row).group).sessionId;
    const bool changed = !m_hasSelection || sessionId != m_selectedSession;
    m_selectedSession = sessionId;
    m_hasSelection = true;
    ensureRowVisible(row);
    viewport()->update();
    if (emitSelection && changed)
        Q_EMIT sessionSelected(sessionId);
}

void ConnectionTimelineView::ensureRowVisible(int row)
{
    const int visible = qMax(m_rowHeight, viewport()->height() - headerHeight());
    const int top = row * m_rowHeight;
    QScrollBar *bar = verticalScrollBar();
    if (bar->maximum() < top)
        updateScrollBars();
    if (top < bar->value())
        bar->setValue(top);
    else if (top + m_rowHeight > bar->value() + visible)
        bar->setValue(top + m_rowHeight - visible);
}

void ConnectionTimelineView::toggleRow(int row)
{
    ensureLayout();
    if (row < 0 || row >= m_rows.size())
        return;
    const int group = m_rows.at(row).group;
    const auto &info = m_model->groups().at(group);
    if (info.lanes.size() < 2)
        return;
    setExpanded(info.sessionId, !isExpanded(info.sessionId));
    if (const int groupRowNow = groupRow(group); groupRowNow >= 0)
        m_currentRow = groupRowNow;
}

int ConnectionTimelineView::groupRow(int group)
{
    ensureLayout();
    for (int row = 0; group >= 0 && row < m_rows.size(); ++row) {
        if (m_rows.at(row).group == group && m_rows.at(row).lane < 0)
            return row;
    }
    return -1;
}

// ---- painting ----------------------------------------------------------------

void ConnectionTimelineView::paintEvent(QPaintEvent *event)
{
    ++m_paints;
    m_intervalsDrawn = 0;
    m_lastPaintRect = event->rect();
    ensureLayout();
    QPainter painter(viewport());
    const QRect area = viewport()->rect();
    painter.fillRect(area, palette().base());
    const auto [from, span] = resolveWindow();
    const qint64 now = liveEndMs();
    // What the screen now shows, for the next live edge (repaintLiveEdge()):
    // a paint of the whole chart, or of the live edge, brings it up to now; a
    // partial one of the same window (an expose) leaves the older now, whose
    // columns on are repainted next; a partial one of another window makes
    // the next repaint a full one.
    const QRect painted = event->rect();
    const int scroll = verticalScrollBar()->value();
    const bool sameWindow = m_painted.valid && from == m_painted.from && span == m_painted.span
        && area.size() == m_painted.size && scroll == m_painted.verticalScroll;
    const bool wholeChart = painted.contains(area.adjusted(m_labelWidth, 0, 0, 0));
    const bool liveEdge = sameWindow && painted.contains(liveEdgeStrip(from, span));
    if (wholeChart || liveEdge)
        m_painted = Painted{true, from, span, now, area.size(), scroll};
    else if (!sameWindow)
        m_painted.valid = false;
    // A live edge's repaint (repaintLiveEdge()) leaves the labels alone and
    // looks up only the intervals from its left edge on.
    const bool labels = event->region().intersects(QRect(0, 0, m_labelWidth, area.height()));
    const qint64 drawFrom = qMax(from, timeAt(painted.left() - 2, from, span));

    if (m_model->laneCount() == 0) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(area, Qt::AlignCenter, tr("No connections yet: start a run (Ctrl+N)"));
        return;
    }

    // Rows first (clipped below the header), then the header over them.
    const int top = headerHeight();
    painter.save();
    painter.setClipRect(QRect(0, top, area.width(), area.height() - top));
    const int firstRow = scroll / m_rowHeight;
    const int lastRow = qMin<int>(int(m_rows.size()) - 1, (scroll + area.height() - top) / m_rowHeight);
    const QFontMetrics metrics(font());
    const QColor alternate = palette().color(QPalette::AlternateBase);
    const QColor highlight = palette().color(QPalette::Highlight);
    const QColor gridLine = palette().color(QPalette::Mid);
    const auto &groups = m_model->groups();
    for (int row = firstRow; row <= lastRow; ++row) {
        const Row &item = m_rows.at(row);
        const auto &group = groups.at(item.group);
        const QRect rect(0, top + row * m_rowHeight - scroll, area.width(), m_rowHeight);
        const bool selected = m_hasSelection && group.sessionId == m_selectedSession;
        if (selected) {
            QColor tint = highlight;
            tint.setAlpha(item.lane < 0 ? 70 : 40);
            painter.fillRect(rect, tint);
        } else if (item.group % 2 == 1) {
            painter.fillRect(rect, alternate);
        }
        if (row == m_currentRow && hasFocus()) {
            painter.setPen(QPen(highlight, 1, Qt::DotLine));
            painter.drawRect(rect.adjusted(0, 0, -1, -1));
        }

        // Label column.
        QRect label(rect.left() + 4, rect.top(), m_labelWidth - 8, rect.height());
        painter.setPen(palette().color(QPalette::Text));
        if (!labels) {
            // outside the repainted part
        } else if (item.lane < 0) {
            const bool expandable = group.lanes.size() > 1;
            if (expandable) {
                painter.drawText(QRect(label.left(), label.top(), 12, label.height()), Qt::AlignCenter,
                                 isExpanded(group.sessionId) ? u"▾"_s : u"▸"_s);
            }
            label.setLeft(label.left() + 14);
            if (const std::optional<GroupDot> dot = groupDot(item.group)) {
                painter.setBrush(dot->closed ? palette().color(QPalette::Mid) : colorFor(dot->status));
                painter.setPen(Qt::NoPen);
                const int d = m_rowHeight / 2 - 1;
                painter.drawEllipse(QRect(label.left(), label.top() + (label.height() - d) / 2, d, d));
                painter.setPen(palette().color(QPalette::Text));
                painter.setBrush(Qt::NoBrush);
                label.setLeft(label.left() + d + 4);
            }
            QFont bold = font();
            bold.setBold(selected);
            painter.setFont(bold);
            painter.drawText(label, Qt::AlignVCenter | Qt::AlignLeft,
                             elided(bold, groupLabel(item.group), label.width()));
            painter.setFont(font());
        } else {
            label.setLeft(label.left() + 30);
            painter.drawText(label, Qt::AlignVCenter | Qt::AlignLeft,
                             elided(font(), m_model->lane(item.lane).socket, label.width()));
        }

        // Chart area.
        painter.save();
        painter.setClipRect(QRect(m_labelWidth, rect.top(), area.width() - m_labelWidth, rect.height())
                                .intersected(QRect(0, top, area.width(), area.height() - top)));
        const int barTop = rect.top() + 2;
        const int barHeight = rect.height() - 4;
        if (item.lane >= 0) {
            paintLane(painter, item.lane, barTop, barHeight, true, from, span, drawFrom, now);
        } else {
            const auto &lanes = group.lanes;
            const int n = int(lanes.size());
            const bool single = n == 1;
            for (int i = 0; i < n; ++i) {
                const int y0 = barTop + barHeight * i / n;
                const int y1 = barTop + barHeight * (i + 1) / n;
                paintLane(painter, lanes.at(i), y0, qMax(1, y1 - y0 - (single ? 0 : 1)), single, from, span, drawFrom,
                          now);
            }
        }
        painter.restore();
        painter.setPen(gridLine);
        painter.drawLine(m_labelWidth - 1, rect.top(), m_labelWidth - 1, rect.bottom());
    }
    painter.restore();

    // Header: ruler and summary lane, over a solid background.
    painter.fillRect(QRect(0, 0, area.width(), top), palette().window());
    if (event->rect().top() <= m_rulerHeight)
        paintRuler(painter, from, span, labels ? 0 : event->rect().left());
    paintSummary(painter, from, span, now, labels);
    painter.setPen(gridLine);
    painter.drawLine(0, top - 1, area.width(), top - 1);
}

void ConnectionTimelineView::paintLane(QPainter &painter, int lane, int top, int height, bool markers,
                                       qint64 from, qint64 span, qint64 drawFrom, qint64 now)
{
    const auto &info = m_model->lane(lane);
    const auto &intervals = m_model->intervals();
    const qint64 to = from + span;
    const auto [first, last] = m_model->intervalsIn(lane, drawFrom, to, now);
    const int right = viewport()->width();
    int coveredUntil = std::numeric_limits<int>::min(); // first pixel column not yet drawn
    int coveredSeverity = -1;
    QVarLengthArray<int, 16> reconnectsAt; // drawn last: a later fill in the column must not hide one
    for (qsizetype k = first; k < last; ++k) {
        const auto &interval = intervals.at(info.rows.at(k));
        const qint64 end = interval.endMs.value_or(qMax(now, interval.startMs));
        int x0 = int(std::floor(xAt(interval.startMs, from, span)));
        int x1 = int(std::ceil(xAt(end, from, span)));
        x0 = qMax(x0, m_labelWidth - 1);
        x1 = qMin(qMax(x1, x0 + 1), right + 1);
        if (interval.status == ConnectionStatus::Failed) {
            // A failure ends its lane: a moment, not a stretch. Drawn as a
            // cap of FailedCapPixels past the pixels already drawn, or it
            // would be a 1-px sliver in front of blank space.
            x1 = qMin(qMax(x1, qMax(x0, coveredUntil) + FailedCapPixels), right + 1);
        }
        const int level = severity(interval.status);
        const auto markReconnect = [&](int x) {
            if (markers && interval.reconnect)
                reconnectsAt.append(x);
        };
        if (x1 <= coveredUntil) {
            // Inside a pixel already drawn: only a worse status shows there,
            // but a reconnect always does (a storm's Up between two drops is
            // often shorter than a pixel at fit-all).
            if (level > coveredSeverity) {
                painter.fillRect(QRect(coveredUntil - 1, top, 1, height), colorFor(interval.status));
                coveredSeverity = level;
                ++m_intervalsDrawn;
            }
            markReconnect(coveredUntil - 1);
            continue;
        }
        x0 = qMax(x0, coveredUntil);
        painter.fillRect(QRect(x0, top, x1 - x0, height), colorFor(interval.status));
        ++m_intervalsDrawn;
        coveredUntil = x1;
        coveredSeverity = level;
        markReconnect(x0);
    }
    for (const int x : reconnectsAt)
        painter.fillRect(QRect(x, top - 1, 2, height + 2), palette().color(QPalette::WindowText));
}

void ConnectionTimelineView::paintRuler(QPainter &painter, qint64 from, qint64 span, int textFromX)
{
    const int width = viewport()->width() - m_labelWidth;
    if (width <= 0)
        return;
    const qint64 origin = m_model->originMs();
    const double msPerPixel = double(span) / width;
    const qint64 step = niceStep(msPerPixel, RulerTickPixels);
    const qint64 firstTick = ((from - origin) / step) * step;
    painter.setPen(palette().color(QPalette::WindowText));
    const QDateTime start = QDateTime::fromMSecsSinceEpoch(origin);
    if (textFromX < m_labelWidth) {
        painter.drawText(QRect(4, 0, m_labelWidth - 8, m_rulerHeight), Qt::AlignVCenter | Qt::AlignLeft,
                         tr("from %1").arg(start.toString(u"HH:mm:ss"_s)));
    }
    for (qint64 tick = firstTick; tick <= from - origin + span; tick += step) {
        const double x = xAt(origin + tick, from, span);
        if (x < m_labelWidth)
            continue;
        painter.drawLine(QPointF(x, m_rulerHeight - 4), QPointF(x, m_rulerHeight));
        // A label well left of the repainted part would be clipped away.
        if (x + 3 + RulerTickPixels * 2 >= textFromX)
            painter.drawText(QPointF(x + 3, m_rulerHeight - 5), secondsLabel(tick, step));
    }
}

void ConnectionTimelineView::paintSummary(QPainter &painter, qint64 from, qint64 span, qint64 now, bool labels)
{
    const QRect lane(m_labelWidth, m_rulerHeight + 2, viewport()->width() - m_labelWidth, m_summaryHeight - 4);
    const auto &summary = m_model->summary();
    const ConnectionTimelineModel::SummaryPoint current = m_model->currentCounts();

    // Label: the counts now.
    if (labels) {
        QFont small = font();
        small.setPointSizeF(small.pointSizeF() * 0.9);
        painter.setFont(small);
        painter.setPen(palette().color(QPalette::WindowText));
        const QRect label(4, lane.top(), m_labelWidth - 8, lane.height());
        painter.drawText(label, Qt::AlignTop | Qt::AlignLeft,
                         tr("Sockets: %1 now, %2 at most").arg(current.total()).arg(m_model->peakSockets()));
        const QString counts = tr("Up %1 · Down %2 · Parked %3 · Failed %4")
                                   .arg(current.up).arg(current.down).arg(current.parked).arg(current.failed);
        painter.drawText(label, Qt::AlignBottom | Qt::AlignLeft,
                         QFontMetrics(small).elidedText(counts, Qt::ElideRight, label.width()));
        painter.setFont(font());
    }
    if (summary.isEmpty() || lane.width() <= 0)
        return;

    // Per pixel column, the worst moment in it (most sockets not Up).
    const int columns = lane.width();
    struct Column
    {
        int notUp = -1;
        ConnectionTimelineModel::SummaryPoint point;
    };
    std::vector<Column> cols(static_cast<size_t>(columns));
    const qint64 to = from + span;
    qsizetype index = qMax<qsizetype>(0, m_model->summaryAt(from));
    for (; index < summary.size() && summary.at(index).timeMs <= to; ++index) {
        const auto &point = summary.at(index);
        const qint64 end = index + 1 < summary.size() ? summary.at(index + 1).timeMs : now;
        if (end < from)
            continue;
        const int c0 = qBound(0, int(std::floor(xAt(qMax(point.timeMs, from), from, span))) - m_labelWidth, columns - 1);
        const int c1 = qBound(0, int(std::ceil(xAt(qMin(end, to), from, span))) - m_labelWidth, columns);
        const int notUp = point.down + point.parked + point.failed;
        for (int c = c0; c < qMax(c1, c0 + 1); ++c) {
            if (notUp > cols[size_t(c)].notUp)
                cols[size_t(c)] = Column{notUp, point};
        }
    }
    const int scale = qMax(1, m_model->peakSockets());
    const int bottom = lane.bottom();
    auto heightOf = [&](int count) { return int(std::lround(double(count) * lane.height() / scale)); };
    // Run-length: neighbouring columns with the same counts are one rectangle each.
    int c = 0;
    while (c < columns) {
        const Column &column = cols[size_t(c)];
        int next = c + 1;
        while (next < columns && cols[size_t(next)].notUp == column.notUp
               && cols[size_t(next)].point.sameCounts(column.point))
            ++next;
        if (column.notUp >= 0) {
            const int x = lane.left() + c;
            const int w = next - c;
            int y = bottom + 1;
            for (const auto &[count, status] : {std::pair{column.point.failed, ConnectionStatus::Failed},
                                                std::pair{column.point.parked, ConnectionStatus::Parked},
                                                std::pair{column.point.down, ConnectionStatus::Down},
                                                std::pair{column.point.up, ConnectionStatus::Up}}) {
                const int h = heightOf(count);
                if (h <= 0 && count > 0) {
                    painter.fillRect(QRect(x, y - 1, w, 1), colorFor(status)); // never invisible
                    y -= 1;
                    continue;
                }
                painter.fillRect(QRect(x, y - h, w, h), colorFor(status));
                y -= h;
            }
        }
        c = next;
    }
    painter.setPen(palette().color(QPalette::Mid));
    painter.drawRect(lane.adjusted(0, 0, -1, 0));
}

// ---- interaction -------------------------------------------------------------

QString ConnectionTimelineView::tooltipAt(const QPoint &pos)
{
    const qint64 origin = m_model->originMs();
    const qint64 at = timeAt(pos.x());
    const auto seconds = [origin](qint64 ms) { return preciseTimeLabel(ms - origin); };
    if (pos.y() >= m_rulerHeight && pos.y() < headerHeight()) {
        if (pos.x() < m_labelWidth)
            return tr("The batch summary: how many sockets were Up, Down, Parked or Failed over time");
        const qsizetype index = m_model->summaryAt(at);
        if (index < 0)
            return {};
        const auto &point = m_model->summary().at(index);
        return tr("At %1: %2 sockets — Up %3, Down %4, Parked %5, Failed %6")
            .arg(seconds(at)).arg(point.total()).arg(point.up).arg(point.down).arg(point.parked).arg(point.failed);
    }
    const int row = rowAt(pos.y());
    if (row < 0)
        return {};
    const Row item = m_rows.at(row);
    const auto &group = m_model->groups().at(item.group);
    QList<int> lanes;
    if (item.lane >= 0) {
        lanes = {item.lane};
    } else if (pos.x() >= m_labelWidth && !group.lanes.isEmpty()) {
        // The thin strip under the cursor.
        const int y = pos.y() - rowRect(row).top() - 2;
        const int n = int(group.lanes.size());
        lanes = {group.lanes.at(qBound(0, y * n / qMax(1, m_rowHeight - 4), n - 1))};
    } else {
        lanes = group.lanes;
    }
    if (pos.x() < m_labelWidth) {
        QStringList lines;
        lines << (group.sessionId.isEmpty() ? groupLabel(item.group) : group.sessionId);
        const QString name = groupLabel(item.group);
        if (!group.sessionId.isEmpty() && name != shortSessionId(group.sessionId))
            lines << name;
        for (const int lane : std::as_const(lanes)) {
            const auto &info = m_model->lane(lane);
            LinkState link{info.status, info.attempt, std::nullopt, info.reason, info.ended};
            lines << u"%1: %2"_s.arg(info.socket, describeLink(link));
        }
        return lines.join(u'\n');
    }
    const qint64 now = liveEndMs();
    QStringList lines;
    for (const int lane : std::as_const(lanes)) {
        const auto &info = m_model->lane(lane);
        const auto [first, last] = m_model->intervalsIn(lane, at, at, now);
        if (first >= last)
            continue;
        const auto &interval = m_model->intervals().at(info.rows.at(first));
        const qint64 end = interval.endMs.value_or(now);
        QString line = u"%1 · %2: %3"_s.arg(groupLabel(item.group), info.socket,
                                             connectionStatusText(interval.status));
        if (interval.attempt > 0)
            line += tr(" (attempt %1)").arg(interval.attempt);
        line += tr(", %1 → %2%3").arg(seconds(interval.startMs), interval.endMs ? seconds(end) : tr("now"),
                                      tr(" (%1)").arg(describeDuration(std::chrono::milliseconds(end - interval.startMs))));
        if (interval.reconnect)
            line += tr(", a reconnect");
        if (!interval.reason.isEmpty())
            line += u"\n  "_s + interval.reason;
        lines << line;
    }
    // The sub-session's whole id, as the label's tooltip gives it.
    if (!lines.isEmpty() && !group.sessionId.isEmpty() && groupLabel(item.group) != group.sessionId)
        lines.prepend(group.sessionId);
    return lines.join(u'\n');
}

bool ConnectionTimelineView::viewportEvent(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const QString text = tooltipAt(help->pos());
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, viewport());
        return true;
    }
    return QAbstractScrollArea::viewportEvent(event);
}

void ConnectionTimelineView::wheelEvent(QWheelEvent *event)
{
    const QPoint angle = event->angleDelta();
    if (event->modifiers() & Qt::ControlModifier) {
        const double steps = angle.y() / 120.0;
        zoom(std::pow(0.8, steps), int(event->position().x()));
        event->accept();
        return;
    }
    if ((event->modifiers() & Qt::ShiftModifier) || angle.x() != 0) {
        const int delta = angle.x() != 0 ? angle.x() : angle.y();
        pan(-delta * (viewport()->width() - m_labelWidth) / 1200);
        event->accept();
        return;
    }
    QAbstractScrollArea::wheelEvent(event);
}

void ConnectionTimelineView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton) {
        QAbstractScrollArea::mousePressEvent(event);
        return;
    }
    m_dragging = true;
    m_dragMoved = false;
    m_dragStart = event->position().toPoint();
    m_dragLast = m_dragStart;
    event->accept();
}

void ConnectionTimelineView::mouseMoveEvent(QMouseEvent *event)
{
    if (!m_dragging)
        return;
    const QPoint pos = event->position().toPoint();
    if (!m_dragMoved && (pos - m_dragStart).manhattanLength() < 4)
        return;
    if (!m_dragMoved)
        viewport()->setCursor(Qt::ClosedHandCursor);
    m_dragMoved = true;
    const QPoint delta = pos - m_dragLast;
    m_dragLast = pos;
    if (delta.x() != 0)
        pan(-delta.x());
    if (delta.y() != 0)
        verticalScrollBar()->setValue(verticalScrollBar()->value() - delta.y());
}

void ConnectionTimelineView::mouseReleaseEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton || !m_dragging)
        return;
    m_dragging = false;
    viewport()->unsetCursor();
    if (m_dragMoved)
        return;
    const QPoint pos = event->position().toPoint();
    const int row = rowAt(pos.y());
    if (row < 0)
        return;
    // The arrow of a group row expands / collapses it.
    if (m_rows.at(row).lane < 0 && pos.x() < 20)
        toggleRow(row);
    selectRow(row, true);
}

void ConnectionTimelineView::mouseDoubleClickEvent(QMouseEvent *event)
{
    const int row = rowAt(event->position().toPoint().y());
    if (row >= 0 && m_rows.at(row).lane < 0 && event->position().x() >= 20)
        toggleRow(row);
}

void ConnectionTimelineView::keyPressEvent(QKeyEvent *event)
{
    ensureLayout();
    const int step = (viewport()->width() - m_labelWidth) / 10;
    switch (event->key()) {
    case Qt::Key_Left:
        pan(-step);
        return;
    case Qt::Key_Right:
        pan(step);
        return;
    case Qt::Key_Equal:
    case Qt::Key_Plus:
        zoom(0.5);
        return;
    case Qt::Key_Minus:
        zoom(2.0);
        return;
    case Qt::Key_Home:
        fitAll();
        return;
    case Qt::Key_End:
        setFollowLive(true);
        return;
    case Qt::Key_Up:
        selectRow(m_currentRow < 0 ? 0 : qMax(0, m_currentRow - 1), true);
        return;
    case Qt::Key_Down:
        selectRow(m_currentRow < 0 ? 0 : qMin<int>(int(m_rows.size()) - 1, m_currentRow + 1), true);
        return;
    case Qt::Key_PageUp:
        verticalScrollBar()->triggerAction(QAbstractSlider::SliderPageStepSub);
        return;
    case Qt::Key_PageDown:
        verticalScrollBar()->triggerAction(QAbstractSlider::SliderPageStepAdd);
        return;
    case Qt::Key_Space:
    case Qt::Key_Return:
    case Qt::Key_Enter:
        toggleRow(m_currentRow);
        return;
    case Qt::Key_F10:
        if (event->modifiers() == Qt::ShiftModifier) {
            // Shift+F10, the other keyboard way to a context menu (the Menu
            // key comes as a context menu event by itself).
            QContextMenuEvent menu(QContextMenuEvent::Keyboard, QPoint(), QCursor::pos());
            contextMenuEvent(&menu);
            return;
        }
        break;
    default:
        break;
    }
    QAbstractScrollArea::keyPressEvent(event);
}

void ConnectionTimelineView::addReconnectActions(QMenu *menu, const QList<int> &lanes)
{
    if (m_recorded)
        return;
    for (const int lane : lanes) {
        const auto &info = m_model->lane(lane);
        const bool waiting
            = !info.ended && (info.status == ConnectionStatus::Down || info.status == ConnectionStatus::Parked);
        QAction *action = menu->addAction(tr("Reconnect %1 now").arg(info.socket));
        action->setEnabled(waiting);
        action->setToolTip(waiting     ? tr("Skip the backoff wait; a parked socket still waits for the handshake slot")
                           : info.ended ? tr("Closed for good: its session ended or was stopped")
                                        : tr("Only a Down or Parked socket can reconnect now"));
        connect(action, &QAction::triggered, this, [this, sessionId = info.sessionId, socket = info.socket] {
            Q_EMIT reconnectRequested(sessionId, socket);
        });
    }
    menu->setToolTipsVisible(true);
}

void ConnectionTimelineView::contextMenuEvent(QContextMenuEvent *event)
{
    // A mouse menu comes through the viewport (its pos() is the viewport's),
    // a keyboard one (Menu key, Shift+F10) to the view itself: the row under
    // the pointer from the global position, the current row from the keyboard.
    int row = -1;
    QPoint at = event->globalPos();
    if (event->reason() == QContextMenuEvent::Keyboard) {
        ensureLayout();
        row = m_currentRow;
        if (row >= 0) {
            ensureRowVisible(row);
            const QRect rect = rowRect(row);
            at = viewport()->mapToGlobal(QPoint(qMin(m_labelWidth / 2, rect.width() / 2), rect.center().y()));
        } else {
            at = viewport()->mapToGlobal(QPoint(m_labelWidth / 2, headerHeight()));
        }
    } else {
        row = rowAt(viewport()->mapFromGlobal(event->globalPos()).y());
    }
    QMenu menu(this);
    if (row >= 0) {
        const Row item = m_rows.at(row);
        const auto &group = m_model->groups().at(item.group);
        addReconnectActions(&menu, item.lane >= 0 ? QList<int>{item.lane} : group.lanes);
        menu.addSeparator();
        QAction *select = menu.addAction(tr("Select %1").arg(groupLabel(item.group)));
        connect(select, &QAction::triggered, this, [this, row] { selectRow(row, true); });
        if (group.lanes.size() > 1) {
            const QString sessionId = group.sessionId;
            QAction *toggle = menu.addAction(isExpanded(sessionId) ? tr("Collapse") : tr("Expand"));
            connect(toggle, &QAction::triggered, this, [this, row] { toggleRow(row); });
        }
        menu.addSeparator();
    }
    menu.addAction(tr("Expand all"), this, [this] { setAllExpanded(true); });
    menu.addAction(tr("Collapse all"), this, [this] { setAllExpanded(false); });
    menu.addAction(m_fitAll);
    menu.addAction(m_followLive);
    menu.exec(at);
}

} // namespace SlotScope
