#pragma once

#include "model/runratehistory.h"
#include "protocol/result.h"
#include "sessionlabels.h"

#include <QTimer>
#include <QWidget>

#include <functional>

class QChart;
class QChartView;
class QLabel;
class QToolButton;
class QLineSeries;
class QValueAxis;

namespace SlotScope {

struct SessionUpdate;

/// The Charts dock (DESIGN.md §1, Qt Charts): transactions/s and slots/s for
/// the batch and the selected sub-session, and every sub-session's progress
/// over time (the selected one drawn bold). Fed with the engine's
/// SessionUpdates; sampled about every second while the batch moves
/// (RunRateHistory keeps it bounded), not at all once it stood still for 2 s
/// (the caption says since when) until the next update. Redrawn at most twice
/// a second (progress once a second), only when something new was sampled,
/// and not at all while hidden; a hidden view catches up when shown. Export
/// writes all three charts as one PNG or SVG.
class RunChartsView : public QWidget
{
    Q_OBJECT

public:
    explicit RunChartsView(QWidget *parent = nullptr);
    ~RunChartsView() override;

    /// A new run: forget everything.
    void clear();
    /// The engine's session updates of one batch (cheap: remembers counters).
    void observe(const QList<SessionUpdate> &updates);
    /// The run ended: one last sample, then sampling stops.
    void finish();
    /// Plot `sessionId` as "selected" ("" = none).
    void setSelectedSession(const QString &sessionId);
    /// Display name of a sub-session (default: its id shortened).
    void setSessionLabelProvider(std::function<QString(const QString &sessionId)> provider);

    /// Writes the charts to `path`: SVG when it ends in .svg, else a PNG
    /// (or any image format Qt knows by its suffix). Error: the file could
    /// not be written.
    Result<void> exportTo(const QString &path);

    const RunRateHistory &history() const { return m_history; }
    /// Times the charts were rebuilt (tests: none while hidden).
    int redrawCount() const { return m_redraws; }
    /// Take a sample now (tests, benchmarks).
    void sampleNow(bool force = true);

Q_SIGNALS:
    /// One line for the status bar ("Charts saved to …").
    void statusMessage(const QString &message);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void onTick();
    void redraw(bool progressToo);
    void redrawProgress();
    void exportInteractively();

    RunRateHistory m_history;
    SessionLabels m_sessionLabel;
    QString m_selected;

    QChartView *m_txView = nullptr;
    QChartView *m_slotView = nullptr;
    QChartView *m_progressView = nullptr;
    QLineSeries *m_txBatch = nullptr;
    QLineSeries *m_txSelected = nullptr;
    QLineSeries *m_slotBatch = nullptr;
    QLineSeries *m_slotSelected = nullptr;
    QValueAxis *m_txX = nullptr;
    QValueAxis *m_txY = nullptr;
    QValueAxis *m_txSelectedY = nullptr;   ///< right-hand axis of the selected sub-session
    QValueAxis *m_slotX = nullptr;
    QValueAxis *m_slotY = nullptr;
    QValueAxis *m_slotSelectedY = nullptr; ///< right-hand axis of the selected sub-session
    QValueAxis *m_progressX = nullptr;
    QValueAxis *m_progressY = nullptr;
    QList<QLineSeries *> m_progressSeries;   ///< one per sub-session, in history order
    QLabel *m_caption = nullptr;
    QToolButton *m_exportButton = nullptr;

    /// Sampled, not moving, and so neither sampled nor drawn until observe().
    bool standsStill() const;
    /// More than one session observed: a parallel batch (else a single run).
    bool isBatch() const;
    /// The selected sub-session's index in the history; -1 when none is
    /// selected or the run is a single session (its lines would repeat the run's).
    int selectedIndex() const;

    static constexpr int MovingSampleMs = 250;   ///< sampling while the batch moves
    static constexpr int StillAfterMs = 2000;    ///< not moving this long: stands still
    QTimer m_sampler;          ///< while a run goes on and moves
    QTimer m_redrawTimer;      ///< twice a second while visible and something is to be drawn
    bool m_running = false;
    bool m_dirty = false;      ///< sampled since the last redraw
    bool m_progressDirty = false;
    qint64 m_lastMovedMs = 0;  ///< the last sample that moved, ms since the epoch
    bool m_stillDrawn = false; ///< a sample that did not move was taken since
    qint64 m_lastProgressMs = 0;
    int m_redraws = 0;
};

} // namespace SlotScope
