#include "runchartsview.h"

#include "capture/outputfile.h"
#include "nicescale.h"

#include "model/sessionupdate.h"
#include "protocol/runclock.h"

#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontMetricsF>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QLocale>
#include <QMessageBox>
#include <QPainter>
#include <QScopeGuard>
#include <QSvgGenerator>
#include <QToolButton>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace SlotScope {

namespace {

const QColor BatchColor(0x15, 0x65, 0xc0);
const QColor SelectedColor(0xef, 0x6c, 0x00);

/// The first of 1, 2, 2.5, 5 and 10 × 10^⌊log10 scale⌋ that is ≥ value (the
/// last one if none is).
double roundStep(double value, double scale)
{
    const double base = std::pow(10.0, std::floor(std::log10(scale)));
    for (const double factor : {1.0, 2.0, 2.5, 5.0}) {
        if (base * factor >= value)
            return base * factor;
    }
    return base * 10;
}

/// Sets `axis` to 0..top with a tick every 1, 2, 2.5 or 5 × 10^k, at most
/// `intervals` of them, so that a "%g" label is the tick's exact value (a
/// fixed tick count over 0..10 would put "3 s" where 2.5 s is).
void setRoundRange(QValueAxis *axis, double top, int intervals = 4)
{
    axis->setTickInterval(roundStep(top / intervals, top / intervals));
    axis->setRange(0, top);
}

/// Sets the y `axis` of `chart` to 0..top with as many ticks (up to five) as
/// its plot's height gives room for: Qt Charts elides a label that does not
/// fit between two ticks to "…" (every label of a chart in a short dock).
void setYRange(const QChart *chart, QValueAxis *axis, double top)
{
    // Qt 6.4 VerticalAxis::updateGeometry(): a label gets the plot's height
    // / ticks less 2 × 4 px of padding, and needs the font's height + 1.
    const int ticks = int(chart->plotArea().height() / (QFontMetricsF(axis->labelsFont()).height() + 9));
    setRoundRange(axis, top, std::clamp(ticks - 1, 1, 4));
}

/// A value axis of `chart` at `alignment`, 0..1 until data comes, its labels
/// in `font` formatted by `format` at round ticks (setRoundRange()).
QValueAxis *addAxis(QChart *chart, Qt::Alignment alignment, const QFont &font, const QString &format)
{
    auto *axis = new QValueAxis(chart);
    axis->setLabelsFont(font);
    axis->setTickType(QValueAxis::TicksDynamic);
    axis->setTickAnchor(0);
    axis->setLabelFormat(format);
    setRoundRange(axis, 1);
    chart->addAxis(axis, alignment);
    return axis;
}

QChartView *makeChart(const QString &title, QValueAxis *&x, QValueAxis *&y, QWidget *parent)
{
    auto *chart = new QChart;
    chart->setTitle(title);
    QFont titleFont = chart->titleFont();
    titleFont.setBold(true);
    chart->setTitleFont(titleFont);
    chart->setMargins(QMargins(2, 2, 2, 2));
    chart->setBackgroundRoundness(0);
    // A solid background: the theme's one-stop gradient was blended span by
    // span on Qt's thread pool at every redraw (a wake-up of two more
    // threads for each chart, a dear part of an idle window, issue 11).
    chart->setBackgroundBrush(parent->palette().color(QPalette::Base));
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setAnimationOptions(QChart::NoAnimation);
    QFont small = parent->font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    x = addAxis(chart, Qt::AlignBottom, small, u"%g s"_s);
    setRoundRange(x, 10);
    y = addAxis(chart, Qt::AlignLeft, small, u"%g"_s);
    auto *view = new QChartView(chart, parent);
    view->setRenderHint(QPainter::Antialiasing, false);
    view->setMinimumSize(200, 150);
    return view;
}

/// The right-hand y axis of the selected sub-session's line, in its colour:
/// one sub-session of 256 moves at a 256th of the batch's rate, a flat line
/// on the batch's axis.
QValueAxis *addSelectedAxis(QChart *chart, const QValueAxis *like)
{
    QValueAxis *axis = addAxis(chart, Qt::AlignRight, like->labelsFont(), like->labelFormat());
    axis->setLabelsColor(SelectedColor);
    axis->setLinePenColor(SelectedColor);
    axis->setGridLineVisible(false);
    axis->setVisible(false);
    return axis;
}

QLineSeries *addSeries(QChart *chart, QValueAxis *x, QValueAxis *y, const QString &name, const QColor &color,
                       int width)
{
    auto *series = new QLineSeries(chart);
    series->setName(name);
    QPen pen(color);
    pen.setWidth(width);
    series->setPen(pen);
    chart->addSeries(series);
    series->attachAxis(x);
    series->attachAxis(y);
    return series;
}

double maxY(const QList<QPointF> &points)
{
    double top = 0;
    for (const QPointF &point : points)
        top = qMax(top, point.y());
    return top;
}

// A y range with a round top (…, 100, 200, 500, 1000, …) over `top`.
double niceTop(double top)
{
    return top <= 1 ? 1 : roundStep(top * 1.05, top);
}

} // namespace

RunChartsView::RunChartsView(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    auto *top = new QHBoxLayout;
    m_caption = new QLabel(this);
    m_caption->setObjectName(u"chartsCaption"_s);
    m_exportButton = new QToolButton(this);
    m_exportButton->setText(tr("Export…"));
    m_exportButton->setToolTip(tr("Save the charts as PNG or SVG"));
    connect(m_exportButton, &QToolButton::clicked, this, &RunChartsView::exportInteractively);
    top->addWidget(m_caption, 1);
    top->addWidget(m_exportButton);
    layout->addLayout(top);

    auto *charts = new QHBoxLayout;
    m_txView = makeChart(tr("Transactions/s"), m_txX, m_txY, this);
    m_slotView = makeChart(tr("Slots/s"), m_slotX, m_slotY, this);
    m_progressView = makeChart(tr("Progress"), m_progressX, m_progressY, this);
    setRoundRange(m_progressY, 100);
    // A taller or shorter plot: as many y ticks as fit.
    for (QChartView *view : {m_txView, m_slotView, m_progressView}) {
        QChart *chart = view->chart();
        connect(chart, &QChart::plotAreaChanged, this, [chart] {
            for (QAbstractAxis *axis : chart->axes(Qt::Vertical)) {
                if (auto *y = qobject_cast<QValueAxis *>(axis))
                    setYRange(chart, y, y->max());
            }
        });
    }
    m_progressY->setLabelFormat(u"%g%%"_s);
    m_progressView->chart()->legend()->hide();
    charts->addWidget(m_txView, 1);
    charts->addWidget(m_slotView, 1);
    charts->addWidget(m_progressView, 1);
    layout->addLayout(charts, 1);

    m_txBatch = addSeries(m_txView->chart(), m_txX, m_txY, wholeRunLabel(true, /*lowercase=*/true), BatchColor, 2);
    // Each y axis in the colour of its line: the batch's left, the selected
    // sub-session's right (shown while one is selected).
    m_txY->setLabelsColor(BatchColor);
    m_slotY->setLabelsColor(BatchColor);
    m_txSelectedY = addSelectedAxis(m_txView->chart(), m_txY);
    m_txSelected = addSeries(m_txView->chart(), m_txX, m_txSelectedY, tr("selected"), SelectedColor, 2);
    m_slotBatch = addSeries(m_slotView->chart(), m_slotX, m_slotY, wholeRunLabel(true, /*lowercase=*/true), BatchColor, 2);
    m_slotSelectedY = addSelectedAxis(m_slotView->chart(), m_slotY);
    m_slotSelected = addSeries(m_slotView->chart(), m_slotX, m_slotSelectedY, tr("selected"), SelectedColor, 2);
    m_txSelected->setVisible(false);
    m_slotSelected->setVisible(false);

    // Children by name, so a test can see how often they wake the GUI thread.
    m_sampler.setParent(this);
    m_sampler.setObjectName(u"chartsSampler"_s);
    m_redrawTimer.setParent(this);
    m_redrawTimer.setObjectName(u"chartsRedraw"_s);
    m_sampler.setInterval(MovingSampleMs);
    connect(&m_sampler, &QTimer::timeout, this, [this] { sampleNow(false); });
    m_redrawTimer.setInterval(500);
    connect(&m_redrawTimer, &QTimer::timeout, this, &RunChartsView::onTick);
    clear();
}

RunChartsView::~RunChartsView() = default;

void RunChartsView::setSessionLabelProvider(std::function<QString(const QString &)> provider)
{
    m_sessionLabel.setProvider(std::move(provider));
}

void RunChartsView::clear()
{
    m_history.clear();
    for (QLineSeries *series : std::as_const(m_progressSeries)) {
        m_progressView->chart()->removeSeries(series);
        delete series;
    }
    m_progressSeries.clear();
    for (QLineSeries *series : {m_txBatch, m_txSelected, m_slotBatch, m_slotSelected})
        series->clear();
    m_running = false;
    m_sampler.stop();
    m_stillDrawn = false;
    m_dirty = true;
    m_progressDirty = true;
    m_caption->setText(tr("No run yet"));
    m_progressView->chart()->setTitle(tr("Progress")); // not the last run's selected sub-session
    if (isVisible())
        redraw(true);
}

void RunChartsView::observe(const QList<SessionUpdate> &updates)
{
    if (standsStill()) {
        // A state text (a sub-session waiting for its runtime says so every
        // second) does not wake a still batch's charts.
        if (!m_history.changes(updates)) {
            m_history.observe(updates);
            return;
        }
        // It stood still, unsampled: one sample with the old counters now,
        // so the charts show the still interval as such (rate 0 up to here).
        m_history.sample(runClockMs(), true);
        m_dirty = true;
    }
    m_history.observe(updates);
    if (!m_running) {
        m_running = true;
        m_sampler.start();
        m_lastMovedMs = runClockMs();
        m_history.sample(m_lastMovedMs, true);
    } else if (!m_sampler.isActive()) {
        m_sampler.start(); // it moves again
    }
    if (m_dirty && isVisible() && !m_redrawTimer.isActive())
        m_redrawTimer.start();
}

void RunChartsView::finish()
{
    if (!m_running)
        return;
    sampleNow(true);
    m_running = false;
    m_sampler.stop();
    m_dirty = true; // the last sample, and a caption no longer "still"
    // The progress lines too: after standing still they ended at their last
    // movement, short of the time axis the other charts carry to the end.
    m_progressDirty = true;
    if (isVisible() && !m_redrawTimer.isActive())
        m_redrawTimer.start();
}

void RunChartsView::sampleNow(bool force)
{
    const qint64 now = runClockMs();
    if (!m_history.sample(now, force))
        return;
    // A batch that stands still (paused, keepalives only) is drawn once more,
    // its rates at 0, and then neither sampled nor drawn until observe()
    // sees it again: nothing in the charts would change but the end of the
    // time axis, and the caption tells since when it stands. An idle
    // 256-sub-session batch must cost < 2 % of a core (issue 11), and on a
    // VM each wake-up of the GUI thread is paid with cold caches.
    if (m_history.lastSampleMoved()) {
        m_lastMovedMs = now;
        m_stillDrawn = false;
        m_dirty = true;
        m_progressDirty = true;
    } else {
        if (!m_stillDrawn) {
            m_stillDrawn = true; // the rates' drop to 0
            m_dirty = true;
        }
        if (m_running && !force && now - m_lastMovedMs >= StillAfterMs) {
            m_sampler.stop();
            m_dirty = true; // the caption
        }
    }
    if ((m_dirty || m_progressDirty) && isVisible() && !m_redrawTimer.isActive())
        m_redrawTimer.start();
}

bool RunChartsView::standsStill() const
{
    return m_running && !m_sampler.isActive();
}

void RunChartsView::setSelectedSession(const QString &sessionId)
{
    m_selected = sessionId;
    m_dirty = true;
    m_progressDirty = true;
    if (isVisible())
        redraw(true);
}

void RunChartsView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_redrawTimer.start();
    if (m_dirty || m_progressDirty)
        redraw(true);
}

void RunChartsView::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_redrawTimer.stop();
}

void RunChartsView::onTick()
{
    if (!isVisible())
        return;
    // Progress (one series per sub-session) is the dearer chart: once a second,
    // and a sample it had to skip is drawn on a later tick even when nothing
    // else changes (the last one of a run).
    const bool progressDue
        = m_progressDirty && runClockMs() - m_lastProgressMs >= 1000;
    if (m_dirty)
        redraw(progressDue);
    else if (progressDue)
        redrawProgress();
    if (!m_dirty && !m_progressDirty)
        m_redrawTimer.stop(); // sampleNow() starts it again
}

bool RunChartsView::isBatch() const
{
    return m_history.sessionCount() > 1;
}

int RunChartsView::selectedIndex() const
{
    return m_selected.isEmpty() || !isBatch() ? -1 : m_history.sessionIndex(m_selected);
}

void RunChartsView::redraw(bool progressToo)
{
    ++m_redraws;
    m_dirty = false;
    const int selected = selectedIndex();
    const QList<QPointF> txBatch = m_history.transactionRate();
    const QList<QPointF> slotBatch = m_history.slotRate();
    const QList<QPointF> txSelected = selected >= 0 ? m_history.transactionRate(selected) : QList<QPointF>();
    const QList<QPointF> slotSelected = selected >= 0 ? m_history.slotRate(selected) : QList<QPointF>();
    m_txBatch->replace(txBatch);
    m_slotBatch->replace(slotBatch);
    m_txSelected->replace(txSelected);
    m_slotSelected->replace(slotSelected);
    // The whole's line is the batch's, or a single session's run.
    for (QLineSeries *series : {m_txBatch, m_slotBatch})
        series->setName(wholeRunLabel(isBatch(), /*lowercase=*/true));
    m_txSelected->setVisible(selected >= 0);
    m_slotSelected->setVisible(selected >= 0);
    m_txSelectedY->setVisible(selected >= 0);
    m_slotSelectedY->setVisible(selected >= 0);
    if (selected >= 0) {
        m_txSelected->setName(m_sessionLabel(m_selected));
        m_slotSelected->setName(m_sessionLabel(m_selected));
    }
    // The time axes grow in steps, so a redraw lays them out anew only now and then.
    const double seconds = txBatch.isEmpty() ? 10.0 : qMax(10.0, niceCeiling(txBatch.constLast().x()));
    setRoundRange(m_txX, seconds);
    setRoundRange(m_slotX, seconds);
    // The same time axis on all three, also between two progress redraws
    // (after Stop the progress chart once ended at 25 s, the others at 60 s).
    setRoundRange(m_progressX, seconds);
    setYRange(m_txView->chart(), m_txY, niceTop(maxY(txBatch)));
    setYRange(m_slotView->chart(), m_slotY, niceTop(maxY(slotBatch)));
    setYRange(m_txView->chart(), m_txSelectedY, niceTop(maxY(txSelected)));
    setYRange(m_slotView->chart(), m_slotSelectedY, niceTop(maxY(slotSelected)));

    const QLocale locale;
    if (txBatch.isEmpty()) {
        m_caption->setText(m_history.sessionCount() == 0 ? tr("No run yet") : tr("Sampling…"));
    } else {
        const int transactions = int(qMin<quint64>(m_history.lastTransactions(), INT_MAX));
        const double seconds = txBatch.constLast().x();
        const QString whole = wholeRunLabel(isBatch());
        QString caption;
        if (!m_running) {
            // The run is over: its whole, not the rate of its last second;
            // a stepped run's average leaves out its pauses between steps.
            const double moving = m_history.movingSeconds();
            const auto average = [&](double over) {
                return locale.toString(over > 0 ? qRound64(double(transactions) / over) : 0);
            };
            // A tenth of a second where whole ones would read "0 s".
            const auto duration = [&](double value) { return locale.toString(value, 'f', value < 10 ? 1 : 0); };
            if (transactions == 0) {
                caption = tr("%1: ended without a transaction").arg(whole);
            } else if (moving > 0 && moving < 0.9 * seconds) {
                caption = tr("%1: ended · %Ln transaction(s) in %2 s, %3 s of them moving, %4 tx/s while moving",
                             nullptr, transactions)
                              .arg(whole, duration(seconds), duration(moving), average(moving));
            } else {
                caption = tr("%1: ended · %Ln transaction(s) in %2 s, %3 tx/s on average", nullptr, transactions)
                              .arg(whole, duration(seconds), average(seconds));
            }
        } else if (standsStill()) {
            caption = tr("%1: still since %2 · %Ln transaction(s)", nullptr, transactions)
                          .arg(whole, QDateTime::fromMSecsSinceEpoch(m_lastMovedMs).toString(u"HH:mm:ss"_s));
        } else {
            caption = tr("%1: %2 tx/s, %3 slots/s · %Ln transaction(s) in %4 s", nullptr, transactions)
                          .arg(whole, locale.toString(qRound64(txBatch.constLast().y())),
                               locale.toString(slotBatch.constLast().y(), 'f', 1), locale.toString(seconds, 'f', 0));
        }
        // Over, a sub-session's last rate is no rate any more (the batch's
        // caption gives the run's whole too).
        if (selected >= 0 && !txSelected.isEmpty() && m_running) {
            caption += tr(" · %1: %2 tx/s, %3 slots/s")
                           .arg(m_sessionLabel(m_selected), locale.toString(qRound64(txSelected.constLast().y())),
                                locale.toString(slotSelected.constLast().y(), 'f', 1));
        }
        m_caption->setText(caption);
    }
    if (progressToo)
        redrawProgress();
}

void RunChartsView::redrawProgress()
{
    m_progressDirty = false;
    m_lastProgressMs = runClockMs();
    QChart *chart = m_progressView->chart();
    // The selected sub-session is drawn last, bold, on top of the others.
    const int sessions = m_history.sessionCount();
    if (sessions == 0)
        return;
    while (m_progressSeries.size() < sessions + 1) {
        auto *series = new QLineSeries(chart);
        chart->addSeries(series);
        series->attachAxis(m_progressX);
        series->attachAxis(m_progressY);
        m_progressSeries.append(series);
    }
    // The last series object is reserved for the selected one: re-added so
    // it stays on top once more series were appended before it.
    QLineSeries *top = m_progressSeries.constLast();
    if (chart->series().constLast() != top) {
        chart->removeSeries(top);
        chart->addSeries(top);
        top->attachAxis(m_progressX);
        top->attachAxis(m_progressY);
    }
    const int selected = selectedIndex();
    // Thinner points per series the more there are, so the chart stays cheap.
    const int maxPoints = sessions > 64 ? 60 : 120;
    QPen others(QColor(0x60, 0x7d, 0x8b, sessions > 32 ? 110 : 200));
    others.setWidth(1);
    for (int i = 0; i < sessions; ++i) {
        QLineSeries *series = m_progressSeries.at(i);
        if (series->pen() != others)
            series->setPen(others);
        series->replace(m_history.progress(i, maxPoints));
    }
    QPen bold(SelectedColor);
    bold.setWidth(3);
    top->setPen(bold);
    top->replace(selected >= 0 ? m_history.progress(selected, 240) : QList<QPointF>());
    const double seconds = qMax(10.0, m_txX->max());
    setRoundRange(m_progressX, seconds);
    // Short enough for the default Charts dock (Qt Charts elides a long title).
    chart->setTitle(selected >= 0 ? tr("Progress, %1 in bold").arg(m_sessionLabel(m_selected))
                    : sessions > 1 ? tr("Progress of %n sub-sessions", nullptr, sessions)
                                   : tr("Progress"));
}

Result<void> RunChartsView::exportTo(const QString &path)
{
    if (m_dirty || m_progressDirty)
        redraw(true);
    if (!isVisible())
        adjustSize();
    // Drawn at no less than 900 x 300 (a short dock's charts are unreadable),
    // the widget laid out at that size for the picture, so that it fills it.
    // Why a file cannot be written (no such folder, a read-only one), said
    // as the CSV export says it, before anything is drawn.
    if (const Result<void> creatable = OutputFile::checkCanCreate(path); !creatable)
        return makeError(tr("cannot write %1: %2").arg(path, creatable.error().message));
    const QSize shown = this->size();
    const QSize size = shown.expandedTo(QSize(900, 300));
    // The picture is the charts and their caption, not the button that took it.
    m_exportButton->setVisible(false);
    if (size != shown)
        resize(size);
    if (layout())
        layout()->activate();
    const auto restore = qScopeGuard([this, shown, size] {
        m_exportButton->setVisible(true);
        if (size != shown)
            resize(shown);
    });
    if (QFileInfo(path).suffix().compare(u"svg"_s, Qt::CaseInsensitive) == 0) {
        QSvgGenerator generator;
        generator.setFileName(path);
        generator.setSize(size);
        generator.setViewBox(QRect(QPoint(0, 0), size));
        generator.setTitle(tr("SlotScope charts"));
        QPainter painter;
        if (!painter.begin(&generator))
            return makeError(tr("cannot write %1").arg(path));
        render(&painter);
        painter.end();
        if (!QFileInfo(path).exists() || QFileInfo(path).size() == 0)
            return makeError(tr("cannot write %1").arg(path));
        return {};
    }
    const QPixmap image = grab();
    if (!image.save(path))
        return makeError(tr("cannot write %1 (unknown image type or not writable)").arg(path));
    return {};
}

void RunChartsView::exportInteractively()
{
    QString selectedFilter;
    const QString path = QFileDialog::getSaveFileName(this, tr("Export charts"), u"slotscope-charts.png"_s,
                                                      tr("PNG image (*.png);;SVG drawing (*.svg)"), &selectedFilter);
    if (path.isEmpty())
        return;
    QString target = path;
    if (QFileInfo(target).suffix().isEmpty())
        target += selectedFilter.contains(u"svg"_s) ? u".svg"_s : u".png"_s;
    const Result<void> written = exportTo(target);
    if (!written) {
        QMessageBox::warning(this, tr("Export charts"), tr("The charts could not be saved: %1").arg(written.error().message));
        return;
    }
    Q_EMIT statusMessage(tr("Charts saved to %1").arg(QDir::toNativeSeparators(target)));
}

} // namespace SlotScope
