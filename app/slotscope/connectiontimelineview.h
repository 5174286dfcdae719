#pragma once

#include <QChartView>
#include <QTimer>

class QCategoryAxis;
class QValueAxis;

namespace SlotScope {

class ConnectionTimelineModel;

/// The Connections timeline (DESIGN.md §1, QtCharts): one lane per socket,
/// its Up / Down / Parked / Failed intervals as coloured bars over time
/// (seconds since the first event), reconnect markers, and a tooltip with the
/// reason and attempt on hover. Replots at most every 250 ms, never per event.
class ConnectionTimelineView : public QChartView
{
    Q_OBJECT

public:
    explicit ConnectionTimelineView(ConnectionTimelineModel *model, QWidget *parent = nullptr);

    /// Series currently plotted (tests).
    int plottedIntervals() const { return m_plottedIntervals; }

protected:
    void showEvent(QShowEvent *event) override;

private:
    void scheduleReplot();
    void replot();

    ConnectionTimelineModel *m_model;
    QValueAxis *m_timeAxis;
    QCategoryAxis *m_laneAxis;
    QTimer m_replotTimer;
    QTimer m_clock;   ///< grows open intervals while the run goes on
    int m_plottedIntervals = 0;
    bool m_stale = false;   ///< changes arrived while hidden
};

} // namespace SlotScope
