#pragma once

#include "protocol/connectionstatus.h"
#include "sessionlabels.h"

#include <QAbstractScrollArea>
#include <QElapsedTimer>
#include <QHash>
#include <QTimer>

#include <functional>
#include <optional>

class QAction;
class QMenu;
class QToolBar;

namespace SlotScope {

class ConnectionTimelineModel;

/// The Connections timeline (DESIGN.md §1), drawn by hand so it stays cheap
/// with hundreds of sockets:
///  * a batch summary lane on top: how many sockets were Up / Down / Parked /
///    Failed over time, stacked (the worst moment of each pixel column);
///  * below it one group per sub-session (and one for the run's own sockets,
///    e.g. a batch's shared control), collapsible: a collapsed group draws its
///    sockets as thin strips in one row, an expanded one adds a row per socket
///    (control, transactions, account diffs). Groups start collapsed when a
///    run has more than eight;
///  * time runs left to right (seconds since the first event); reconnect
///    markers are ticks at the start of each return to Up.
///
/// Navigation: wheel scrolls the lanes, Ctrl+wheel zooms around the cursor,
/// Shift+wheel (or a horizontal wheel) and dragging pan; keys +/- zoom,
/// Left/Right pan, Up/Down move between rows, Space/Enter expand or collapse,
/// Home fits everything, End follows live. Follow-live keeps the window's
/// width with its right edge at now; fit-all shows the whole run as it grows.
///
/// Labels are elided in the middle with the full name on hover; clicking a
/// row selects its sub-session (sessionSelected()), and setSelectedSession()
/// highlights one and scrolls it into view. A Down or Parked socket offers
/// "Reconnect now" in the context menu (reconnectRequested()).
///
/// Cost: only visible rows are drawn, and each lane's visible intervals are
/// found by binary search (ConnectionTimelineModel::intervalsIn()), so
/// intervals off-screen cost nothing; at most one fill per pixel column and
/// status. Repaints are coalesced (≤ 10 per second) and skipped while hidden;
/// fitting all a live run, the scale grows in steps of a fifth to a third
/// (niceCeiling()): between them a clock tick repaints only the strip right
/// of the last paint's now below the ruler, at a step all but the label
/// column.
class ConnectionTimelineView : public QAbstractScrollArea
{
    Q_OBJECT

public:
    enum class Mode { FitAll, FollowLive, Manual };
    Q_ENUM(Mode)

    explicit ConnectionTimelineView(ConnectionTimelineModel *model, QWidget *parent = nullptr);

    /// Display name of a sub-session (default: its id shortened); "" = the run.
    void setSessionLabelProvider(std::function<QString(const QString &sessionId)> provider);

    Mode mode() const { return m_mode; }
    /// The visible time window, milliseconds since the epoch.
    qint64 visibleFromMs() const;
    qint64 visibleSpanMs() const;
    /// Zoom by `factor` (< 1 zooms in) around viewport x `anchorX` (-1: the centre).
    void zoom(double factor, int anchorX = -1);
    /// Pan the time window by `pixels` (positive: later).
    void pan(int pixels);
    void fitAll();
    void setFollowLive(bool follow);

    bool isExpanded(const QString &sessionId) const;
    void setExpanded(const QString &sessionId, bool expanded);
    void setAllExpanded(bool expanded);

    /// Highlights `sessionId`'s group and scrolls it into view (no signal).
    void setSelectedSession(const QString &sessionId);
    /// Highlights nothing (no signal).
    void clearSelection();
    QString selectedSession() const { return m_selectedSession; }
    /// Some group is highlighted ("" then being the whole run's).
    bool hasSelection() const { return m_hasSelection; }

    /// Rows laid out (group rows and socket rows), for tests.
    int layoutRowCount();
    /// Row under viewport y, or -1; the group / lane of a row (lane -1: a group row).
    int rowAt(int y);
    QRect rowRect(int row);
    int rowGroup(int row);
    int rowLane(int row);
    /// The dot a group row shows: the worst status of its live sockets, or
    /// "closed" (grey) once every socket closed for good; a Failed socket
    /// keeps the group red. Empty when no socket of it has an event yet.
    struct GroupDot
    {
        bool closed = false;
        ConnectionStatus status = ConnectionStatus::Up; ///< when not closed
    };
    std::optional<GroupDot> groupDot(int group) const;
    /// Viewport x where the chart area begins.
    int chartLeft() const { return m_labelWidth; }
    /// Paints so far, and intervals drawn by the last one (tests, benchmarks).
    int paintCount() const { return m_paints; }
    /// The bounding rectangle the last paint covered (a live edge's strip or all).
    QRect lastPaintRect() const { return m_lastPaintRect; }
    /// The visible span the last paint drew with, ms.
    qint64 lastPaintSpanMs() const { return m_painted.span; }
    int intervalsDrawnLastPaint() const { return m_intervalsDrawn; }

    /// A recording (an opened capture) rather than a connected run: time
    /// ends at the model's latest event even while lanes are still open (a
    /// capture being read, or one cut short), nothing ticks, and there is no
    /// "Reconnect now".
    void setRecorded(bool recorded);
    bool isRecorded() const { return m_recorded; }

    QAction *fitAllAction() const { return m_fitAll; }
    QAction *followLiveAction() const { return m_followLive; }
    /// Adds a "Reconnect <socket> now" action per lane to `menu`, enabled on
    /// a Down or Parked socket that has not ended; each emits
    /// reconnectRequested(). None in a recording.
    void addReconnectActions(QMenu *menu, const QList<int> &lanes);

Q_SIGNALS:
    /// The user picked a row of `sessionId` ("" = the run's own sockets).
    void sessionSelected(const QString &sessionId);
    /// "Reconnect now" on `socket` of `sessionId`.
    void reconnectRequested(const QString &sessionId, const QString &socket);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    bool viewportEvent(QEvent *event) override;
    void scrollContentsBy(int dx, int dy) override;

private:
    struct Row
    {
        int group = 0;
        int lane = -1;   ///< -1: the group's own row
    };

    void scheduleRepaint();
    void onModelReset();
    void ensureLayout();
    void updateScrollBars();
    void updateClock();
    qint64 liveEndMs() const;
    /// The latest time the right edge of a `span`-wide window reaches: now
    /// and a 2 % margin (Follow live's; a pan, a drag and the scroll bar stop there).
    qint64 rightEdgeLimitMs(qint64 span) const;
    /// Fit all's span: the whole run and a margin (stepped while it goes on).
    qint64 fitSpanMs() const;
    /// The visible time range: its first millisecond and its length in ms.
    struct TimeWindow
    {
        qint64 from = 0;
        qint64 span = 0;
    };
    TimeWindow resolveWindow() const;
    void setManualWindow(qint64 from, qint64 span);
    double xAt(qint64 timeMs, qint64 from, qint64 span) const;
    qint64 timeAt(double x) const;
    /// The time at viewport x in the window (from, span), ms since the epoch.
    qint64 timeAt(double x, qint64 from, qint64 span) const;
    int headerHeight() const { return m_rulerHeight + m_summaryHeight; }
    QString groupLabel(int group) const;
    /// `text` elided in the middle to `width` pixels in `font` (cached).
    QString elided(const QFont &font, const QString &text, int width) const;
    QString tooltipAt(const QPoint &pos);
    void selectRow(int row, bool emitSelection);
    void ensureRowVisible(int row);
    /// The row of `group` itself (not one of its sockets), or -1.
    int groupRow(int group);
    void toggleRow(int row);

    /// Fitting all, repaints only the live edge when the window has not
    /// moved since the last paint, or all but the label column when only
    /// its scale took a step; false when a full repaint is needed.
    bool repaintLiveEdge();
    /// The live edge in the window (from, span): below the ruler, from the
    /// column the last paint's open intervals ended in to the right edge.
    QRect liveEdgeStrip(qint64 from, qint64 span) const;
    /// Tick labels left of `textFromX` - two ticks are not drawn (outside a partial repaint).
    void paintRuler(QPainter &painter, qint64 from, qint64 span, int textFromX);
    void paintSummary(QPainter &painter, qint64 from, qint64 span, qint64 now, bool labels);
    /// Draws `lane` mapped by (from, span), looking up intervals from `drawFrom` on.
    void paintLane(QPainter &painter, int lane, int top, int height, bool markers, qint64 from, qint64 span,
                   qint64 drawFrom, qint64 now);

    ConnectionTimelineModel *m_model;
    SessionLabels m_sessionLabel;
    QToolBar *m_toolbar = nullptr;
    QAction *m_fitAll = nullptr;
    QAction *m_followLive = nullptr;

    Mode m_mode = Mode::FitAll;
    qint64 m_fromMs = 0;          ///< Manual window
    qint64 m_spanMs = 60000;      ///< Manual / follow-live width

    QList<Row> m_rows;
    bool m_layoutDirty = true;
    QHash<QString, bool> m_expanded;   ///< explicit choices, by session id
    QString m_selectedSession;
    bool m_hasSelection = false;
    int m_currentRow = -1;

    int m_labelWidth = 200;
    int m_rowHeight = 18;
    int m_rulerHeight = 18;
    int m_summaryHeight = 46;

    QTimer m_repaintTimer;
    QTimer m_clock;               ///< open intervals grow while the run goes on
    QElapsedTimer m_sinceModelChange; ///< the last interval or lane change (not a clock tick)
    bool m_stale = false;         ///< changes arrived while hidden
    bool m_recorded = false;      ///< setRecorded()
    bool m_dragging = false;
    bool m_dragMoved = false;
    QPoint m_dragStart;
    QPoint m_dragLast;
    int m_paints = 0;
    QRect m_lastPaintRect;
    /// What the last paint showed: its window, its now, the viewport's size
    /// and vertical scroll (repaintLiveEdge() repaints less when they hold).
    struct Painted
    {
        bool valid = false;
        qint64 from = 0;
        qint64 span = 0;
        qint64 now = 0;
        QSize size;
        int verticalScroll = 0;
    };
    Painted m_painted;
    /// elided()'s labels by font, width and text.
    mutable QHash<QString, QString> m_elided;
    int m_intervalsDrawn = 0;
    bool m_syncingScrollBar = false;
};

} // namespace SlotScope
