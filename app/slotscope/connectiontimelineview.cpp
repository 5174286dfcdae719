#include "connectiontimelineview.h"

#include "model/connectiontimelinemodel.h"

#include <QCategoryAxis>
#include <QDateTime>
#include <QLineSeries>
#include <QScatterSeries>
#include <QToolTip>
#include <QValueAxis>

using namespace Qt::StringLiterals;

namespace SlotScope {

namespace {

constexpr int MaxPlottedIntervals = 3000;

QColor colorFor(ConnectionStatus status)
{
    switch (status) {
    case ConnectionStatus::Up: return QColor(0x2e, 0x7d, 0x32);
    case ConnectionStatus::Down: return QColor(0xef, 0x8f, 0x00);
    case ConnectionStatus::Parked: return QColor(0x5c, 0x6b, 0xc0);
    case ConnectionStatus::Failed: return QColor(0xc6, 0x28, 0x28);
    }
    return Qt::gray;
}

} // namespace

ConnectionTimelineView::ConnectionTimelineView(ConnectionTimelineModel *model, QWidget *parent)
    : QChartView(parent)
    , m_model(model)
    , m_timeAxis(new QValueAxis(this))
    , m_laneAxis(new QCategoryAxis(this))
{
    auto *chart = new QChart;
    chart->legend()->hide();
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->setBackgroundRoundness(0);
    // Compact: the dock is short, so no axis title (the unit is in the labels).
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    m_timeAxis->setLabelsFont(small);
    m_timeAxis->setLabelFormat(u"%.1f s"_s);
    m_timeAxis->setTickCount(6);
    m_laneAxis->setLabelsFont(small);
    m_laneAxis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    m_laneAxis->setReverse(true);
    chart->addAxis(m_timeAxis, Qt::AlignBottom);
    chart->addAxis(m_laneAxis, Qt::AlignLeft);
    setChart(chart);
    setRenderHint(QPainter::Antialiasing, false);
    setToolTip(tr("Green: Up · orange: Down (reconnecting) · blue: Parked · red: Failed · ◆ reconnect"));

    m_replotTimer.setSingleShot(true);
    m_replotTimer.setInterval(250);
    connect(&m_replotTimer, &QTimer::timeout, this, &ConnectionTimelineView::replot);
    m_clock.setInterval(1000);
    connect(&m_clock, &QTimer::timeout, this, &ConnectionTimelineView::scheduleReplot);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &ConnectionTimelineView::scheduleReplot);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &ConnectionTimelineView::scheduleReplot);
    connect(m_model, &QAbstractItemModel::modelReset, this, &ConnectionTimelineView::scheduleReplot);
    replot();
}

void ConnectionTimelineView::scheduleReplot()
{
    // A hidden timeline (its dock tabbed away) is not rebuilt: with a large
    // batch a replot is the dearest thing the GUI thread does. showEvent()
    // catches up.
    if (!isVisible()) {
        m_stale = true;
        return;
    }
    if (!m_replotTimer.isActive())
        m_replotTimer.start();
}

void ConnectionTimelineView::showEvent(QShowEvent *event)
{
    QChartView::showEvent(event);
    if (m_stale) {
        m_stale = false;
        scheduleReplot();
    }
}

void ConnectionTimelineView::replot()
{
    QChart *chart = this->chart();
    chart->removeAllSeries();
    m_plottedIntervals = 0;

    const QStringList lanes = m_model->lanes();
    for (const QString &label : m_laneAxis->categoriesLabels())
        m_laneAxis->remove(label);
    m_laneAxis->setRange(-0.5, qMax<qsizetype>(lanes.size(), 1) - 0.5);
    for (int lane = 0; lane < lanes.size(); ++lane)
        m_laneAxis->append(lanes.at(lane), lane);

    const qint64 origin = m_model->originMs();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    bool anyOpen = false;
    double maxSeconds = 1.0;
    const auto &intervals = m_model->intervals();
    const qsizetype first = qMax<qsizetype>(0, intervals.size() - MaxPlottedIntervals);
    const int barWidth = qBound(3, int(height() / qMax<qsizetype>(lanes.size(), 1) / 2), 14);

    auto *reconnects = new QScatterSeries(chart);
    reconnects->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
    reconnects->setMarkerSize(9);
    reconnects->setColor(Qt::black);
    reconnects->setBorderColor(Qt::white);

    for (qsizetype row = first; row < intervals.size(); ++row) {
        const auto &interval = intervals.at(row);
        const qint64 end = interval.endMs.value_or(now);
        anyOpen = anyOpen || !interval.endMs;
        const double x0 = double(interval.startMs - origin) / 1000.0;
        // A zero-length interval (e.g. Failed) still gets a visible tick.
        const double x1 = qMax(double(end - origin) / 1000.0, x0 + 0.02);
        maxSeconds = qMax(maxSeconds, x1);
        auto *series = new QLineSeries(chart);
        series->append(x0, interval.lane);
        series->append(x1, interval.lane);
        QPen pen(colorFor(interval.status));
        pen.setWidth(barWidth);
        pen.setCapStyle(Qt::FlatCap);
        series->setPen(pen);
        const QString tip = m_model->index(int(row), 0).data(Qt::ToolTipRole).toString();
        connect(series, &QLineSeries::hovered, this, [tip](const QPointF &, bool state) {
            if (state)
                QToolTip::showText(QCursor::pos(), tip);
            else
                QToolTip::hideText();
        });
        chart->addSeries(series);
        series->attachAxis(m_timeAxis);
        series->attachAxis(m_laneAxis);
        if (interval.reconnect)
            reconnects->append(x0, interval.lane);
        ++m_plottedIntervals;
    }
    chart->addSeries(reconnects);
    reconnects->attachAxis(m_timeAxis);
    reconnects->attachAxis(m_laneAxis);
    m_timeAxis->setRange(0, maxSeconds * 1.02);
    if (anyOpen && !m_clock.isActive())
        m_clock.start();
    else if (!anyOpen)
        m_clock.stop();
}

} // namespace SlotScope
