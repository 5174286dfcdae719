#include "coordinatorpanel.h"

#include "model/connectiontimelinemodel.h"
#include "model/sessionupdate.h"
#include "protocol/dataplane.h"
#include "protocol/runclock.h"
#include "sessionlabels.h"

#include <QDateTime>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QRegularExpression>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTreeView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using std::chrono::milliseconds;

namespace SlotScope {

namespace {

// "Slots behind" before "Attempt": in a narrow dock it is the one to see.
enum QueueColumn { QueuePosition, QueueSession, QueueSocket, QueueParkedFor, QueueBehind, QueueAttempt, QueueColumns };
enum SocketColumn { SocketSession, SocketName, SocketStatus, SocketAttempt, SocketUngatedLeft, SocketReason, SocketColumns };
constexpr int SessionIdRole = Qt::UserRole + 1;
constexpr int SocketRole = Qt::UserRole + 2;

// One-decimal seconds below a minute ("4.2 s"), else describeDuration().
QString duration(qint64 ms)
{
    ms = qMax<qint64>(0, ms);
    if (ms < 60000)
        return u"%1 s"_s.arg(double(ms) / 1000.0, 0, 'f', 1);
    return describeDuration(milliseconds(ms));
}

// Sets `value` on the cell unless it already holds it (no needless dataChanged).
void setCell(QStandardItemModel *model, int row, int column, const QVariant &value, int role = Qt::DisplayRole)
{
    const QModelIndex index = model->index(row, column);
    if (index.data(role) != value)
        model->setData(index, value, role);
}

/// The sub-session and socket a table row shows (SessionIdRole in column 0,
/// SocketRole in `socketColumn`).
struct RowSocket
{
    QString sessionId;
    QString socket;
};

std::optional<RowSocket> selectedSocket(const QTreeView *view, int socketColumn)
{
    const QModelIndexList selected = view->selectionModel()->selectedRows();
    if (selected.isEmpty())
        return std::nullopt;
    const QModelIndex index = selected.constFirst();
    return RowSocket{index.siblingAtColumn(0).data(SessionIdRole).toString(),
                     index.siblingAtColumn(socketColumn).data(SocketRole).toString()};
}

/// Rows are rewritten in place at every refresh: a selection follows its
/// socket to its new row (none when it left the table), or it would mark
/// another socket than the one a Reconnect now would act on.
void reselect(QTreeView *view, int socketColumn, const std::optional<RowSocket> &selected)
{
    if (!selected)
        return;
    const QAbstractItemModel *model = view->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex first = model->index(row, 0);
        if (first.data(SessionIdRole).toString() == selected->sessionId
            && model->index(row, socketColumn).data(SocketRole).toString() == selected->socket) {
            if (!view->selectionModel()->isRowSelected(row, {}))
                view->selectionModel()->setCurrentIndex(first, QItemSelectionModel::ClearAndSelect
                                                                   | QItemSelectionModel::Rows);
            return;
        }
    }
    view->selectionModel()->clearSelection();
}

QTreeView *makeTable(QStandardItemModel *model, QWidget *parent)
{
    auto *view = new QTreeView(parent);
    view->setModel(model);
    view->setRootIsDecorated(false);
    view->setUniformRowHeights(true);
    view->setAlternatingRowColors(true);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setContextMenuPolicy(Qt::CustomContextMenu);
    view->header()->setStretchLastSection(true);
    return view;
}

} // namespace

CoordinatorPanel::CoordinatorPanel(ConnectionTimelineModel *timeline, QWidget *parent)
    : QWidget(parent)
    , m_timeline(timeline)
    , m_queue(new QStandardItemModel(0, QueueColumns, this))
    , m_sockets(new QStandardItemModel(0, SocketColumns, this))
{
    m_queue->setHorizontalHeaderLabels(
        {tr("#"), tr("Sub-session"), tr("Socket"), tr("Parked for"), tr("Slots behind"), tr("Attempt")});
    m_queue->horizontalHeaderItem(QueueBehind)
        ->setToolTip(tr("Slots the session ran past the socket's resume slot; the server replays only the last %1")
                         .arg(kServerReplaySlots));
    m_sockets->setHorizontalHeaderLabels(
        {tr("Sub-session"), tr("Socket"), tr("Status"), tr("Attempt"), tr("Ungated left"), tr("Reason")});
    m_sockets->horizontalHeaderItem(SocketUngatedLeft)
        ->setToolTip(tr("Reconnect attempts left before the socket must park for the handshake slot"));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    m_slot = new QLabel(this);
    m_slot->setObjectName(u"coordinatorSlot"_s);
    m_slot->setTextFormat(Qt::RichText);
    m_slot->setWordWrap(true);
    m_storm = new QLabel(this);
    m_storm->setTextFormat(Qt::RichText);
    m_storm->setWordWrap(true);
    m_figures = new QLabel(this);
    m_figures->setObjectName(u"coordinatorFigures"_s);
    m_figures->setTextFormat(Qt::RichText);
    m_figures->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_figures->setToolTip(tr("Ungated attempts: the reconnect attempts each socket makes on its own (the "
                             "connection policy's); past them it parks and waits for the single handshake slot."));
    // The dock's width is the user's: a holder or figures line that grows
    // wraps instead of widening the dock (and reflowing the window's centre)
    // at every refresh.
    m_figures->setWordWrap(true);
    for (QLabel *label : {m_slot, m_storm, m_figures})
        label->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    layout->addWidget(m_slot);
    layout->addWidget(m_storm);
    layout->addWidget(m_figures);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    m_queueView = makeTable(m_queue, splitter);
    m_queueView->setObjectName(u"parkedQueue"_s);
    m_queueView->setToolTip(tr("The parked queue in the order the handshake slot serves it"));
    m_socketsView = makeTable(m_sockets, splitter);
    m_socketsView->setObjectName(u"coordinatorSockets"_s);
    m_socketsView->setToolTip(tr("Sockets not Up, or Up with reconnect attempts in their current budget"));
    const QFontMetrics metrics(font());
    m_queueView->setColumnWidth(QueuePosition, metrics.horizontalAdvance(u"0000"_s));
    m_queueView->setColumnWidth(QueueSession, metrics.horizontalAdvance(u"backtest_…a1b2c3d4"_s) + 12); // ids as shortSessionId() cuts them
    // A second account-diffs subscription is "account diffs 2": told apart.
    m_queueView->setColumnWidth(QueueSocket, metrics.horizontalAdvance(u"account diffs 22"_s) + 8);
    m_queueView->setColumnWidth(QueueParkedFor, metrics.horizontalAdvance(u"Parked for"_s) + 12);
    m_queueView->setColumnWidth(QueueBehind, metrics.horizontalAdvance(u"Slots behind"_s) + 12);
    m_socketsView->setColumnWidth(SocketSession, metrics.horizontalAdvance(u"backtest_…a1b2c3d4"_s) + 12);
    m_socketsView->setColumnWidth(SocketName, metrics.horizontalAdvance(u"account diffs 22"_s) + 8);
    m_socketsView->setColumnWidth(SocketStatus, metrics.horizontalAdvance(u"Parked"_s) + 12);
    m_socketsView->setColumnWidth(SocketAttempt, metrics.horizontalAdvance(u"Attempt"_s) + 12);
    m_socketsView->setColumnWidth(SocketUngatedLeft, metrics.horizontalAdvance(u"Ungated left"_s) + 12);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    layout->addWidget(splitter, 1);

    for (QTreeView *view : {m_queueView, m_socketsView}) {
        connect(view, &QWidget::customContextMenuRequested, this,
                [this, view](const QPoint &pos) { showContextMenu(view, pos); });
        connect(view, &QAbstractItemView::activated, this, [this](const QModelIndex &index) {
            Q_EMIT sessionSelected(index.siblingAtColumn(0).data(SessionIdRole).toString());
        });
    }

    m_refreshTimer.setSingleShot(true);
    m_refreshTimer.setInterval(250);
    connect(&m_refreshTimer, &QTimer::timeout, this, &CoordinatorPanel::refresh);
    m_clock.setInterval(500);
    connect(&m_clock, &QTimer::timeout, this, &CoordinatorPanel::scheduleRefresh);
    connect(m_timeline, &QAbstractItemModel::rowsInserted, this, &CoordinatorPanel::scheduleRefresh);
    connect(m_timeline, &QAbstractItemModel::dataChanged, this, &CoordinatorPanel::scheduleRefresh);
    connect(m_timeline, &QAbstractItemModel::modelReset, this, &CoordinatorPanel::scheduleRefresh);
    reset(true);
}

void CoordinatorPanel::setSessionLabelProvider(std::function<QString(const QString &)> provider)
{
    m_sessionLabel.setProvider(std::move(provider));
    scheduleRefresh();
}

void CoordinatorPanel::setLive(bool live)
{
    if (m_live == live)
        return;
    m_live = live;
    if (!live)
        m_clock.stop();
    scheduleRefresh();
}

void CoordinatorPanel::reset(bool parallel)
{
    m_live = true;
    m_parallel = parallel;
    m_snapshot.reset();
    m_pace = {};
    m_queue->setRowCount(0);
    m_sockets->setRowCount(0);
    scheduleRefresh();
}

void CoordinatorPanel::setSnapshot(const CoordinatorSnapshot &snapshot)
{
    m_parallel = true;
    m_snapshot = snapshot;
    m_pace.observe(snapshot);
    scheduleRefresh();
}

void CoordinatorPanel::scheduleRefresh()
{
    if (!isVisible()) {
        m_stale = true;
        return;
    }
    if (!m_refreshTimer.isActive())
        m_refreshTimer.start();
}

void CoordinatorPanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_stale) {
        m_stale = false;
        refresh();
    }
}

void CoordinatorPanel::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_refreshTimer.stop();
    m_clock.stop();
}

QString CoordinatorPanel::headline() const
{
    return m_slot->text().remove(QRegularExpression(u"<[^>]*>"_s));
}

QString CoordinatorPanel::stormLine() const
{
    return m_storm->text().remove(QRegularExpression(u"<[^>]*>"_s));
}

QString CoordinatorPanel::figuresText() const
{
    QString text = m_figures->text();
    text.replace(u"</td>"_s, u" "_s).replace(u"</tr>"_s, u"\n"_s).remove(QRegularExpression(u"<[^>]*>"_s));
    QStringList lines = text.split(u'\n', Qt::SkipEmptyParts);
    for (QString &line : lines)
        line = line.simplified();
    lines.removeAll(QString());
    return lines.join(u'\n');
}

void CoordinatorPanel::refresh()
{
    ++m_refreshes;
    // Not live: the figures as they stood at the snapshot, not growing since.
    const qint64 now = m_live || !m_snapshot ? runClockMs() : m_snapshot->atMs;
    if (!m_snapshot) {
        m_slot->setText(m_parallel ? tr("<b>Handshake slot:</b> free — no reconnect yet")
                                   : tr("<b>No reconnect coordinator:</b> a single session reconnects on its own; "
                                        "parallel batches share one handshake slot."));
        m_storm->clear();
        m_figures->clear();
        m_clock.stop();
        fillSockets();
        return;
    }
    const CoordinatorSnapshot &snapshot = *m_snapshot;
    // Live durations grow from the snapshot's moment to now.
    const qint64 later = qMax<qint64>(0, now - snapshot.atMs);
    if (snapshot.holder) {
        const auto &holder = *snapshot.holder;
        QString text = tr("<b>Handshake slot:</b> held by <b>%1 · %2</b> (attempt %3) for %4")
                           .arg(m_sessionLabel(holder.sessionId).toHtmlEscaped(), holder.socket.toHtmlEscaped())
                           .arg(holder.attempt)
                           .arg(duration(now - holder.sinceMs));
        if (holder.slotsBehind) {
            text += *holder.slotsBehind >= kServerReplaySlots
                        ? tr(" · <b style='color:#c62828'>%1 slots behind</b>, past the %2-slot replay window")
                              .arg(*holder.slotsBehind).arg(kServerReplaySlots)
                        : tr(" · %1 slots behind").arg(*holder.slotsBehind);
        }
        m_slot->setText(text);
        m_slot->setToolTip(holder.sessionId);
    } else if (!snapshot.parked.isEmpty() && !snapshot.waitedFor.isEmpty()) {
        // The few streaming sockets the queue waits for, by name (the seed
        // parks until no sibling streams; we also take a silent one as quiet,
        // ConnectionPolicy::streamingQuietAfter).
        QStringList names, ids;
        for (const auto &socket : snapshot.waitedFor) {
            names.append(tr("<b>%1 · %2</b> (streaming for %3)")
                             .arg(m_sessionLabel(socket.sessionId).toHtmlEscaped(), socket.socket.toHtmlEscaped(),
                                  duration(now - socket.sinceMs)));
            ids.append(socket.sessionId);
        }
        m_slot->setText(tr("<b>Handshake slot:</b> free — the parked wait for %1 to stop or fall silent")
                            .arg(QLocale().createSeparatedList(names)));
        m_slot->setToolTip(ids.join(u'\n'));
    } else {
        m_slot->setText(snapshot.parked.isEmpty() ? tr("<b>Handshake slot:</b> free")
                                                  : tr("<b>Handshake slot:</b> free — the parked wait for "
                                                       "%n streaming socket(s) to stop or fall silent", nullptr, snapshot.streaming));
        m_slot->setToolTip(QString());
    }
    const QString streaming = tr("%1 of %2 sockets streaming · %n parked", nullptr, int(snapshot.parked.size()))
                                  .arg(snapshot.streaming).arg(snapshot.participants);
    QString storm;
    if (snapshot.stormSinceMs) {
        storm = tr("<b style='color:#c62828'>Storm</b> for %1 (since the first drop) · %2")
                    .arg(duration(now - *snapshot.stormSinceMs), streaming);
        // Live only (a finished run's queue clears no more); past its
        // estimate, the pace without a time.
        if (const auto pace = m_pace.perMinute(); pace && m_live && !snapshot.parked.isEmpty()) {
            const QString perMinute = QLocale().toString(*pace, 'f', *pace < 10 ? 1 : 0);
            const qint64 remaining = *m_pace.remainingMs() - later;
            storm += remaining > 0 ? tr(" · the queue clears at %1 per minute, empty in ≈ %2")
                                         .arg(perMinute, duration(remaining))
                                   : tr(" · the queue clears at %1 per minute").arg(perMinute);
        }
    } else if (snapshot.unrecoveredStormMs > 0) {
        // Stopped or failed mid-storm: it never ended, so it is in none of the storm figures.
        storm = tr("<b style='color:#c62828'>Storm</b> not over when the run ended, after %1 (never all Up again)")
                    .arg(duration(snapshot.unrecoveredStormMs));
    } else if (snapshot.participants == 0 && snapshot.parked.isEmpty()) {
        // Before any socket streamed, or after every one closed (a completed batch).
        storm = m_live ? tr("No socket streaming yet") : tr("No socket streaming");
    } else {
        storm = snapshot.storms > 0 ? tr("No storm now · %1").arg(streaming) : tr("No storm yet · %1").arg(streaming);
    }
    if (!m_live) {
        storm += tr(" · as of %1")
                     .arg(QLocale().toString(QDateTime::fromMSecsSinceEpoch(snapshot.atMs).time(), u"HH:mm:ss"_s));
    }
    m_storm->setText(storm);
    const qint64 totalParked = snapshot.totalParkedMs + later * snapshot.parked.size();
    qint64 longestPark = snapshot.longestParkMs;
    for (const auto &parked : snapshot.parked)
        longestPark = qMax(longestPark, now - parked.sinceMs);
    const auto row = [](const QString &name, const QString &value, const QString &name2, const QString &value2) {
        return u"<tr><td>%1</td><td width='6'></td><td align='right'><b>%2</b></td><td width='16'></td><td>%3</td>"
               "<td width='6'></td><td align='right'><b>%4</b></td></tr>"_s.arg(name, value, name2, value2);
    };
    QString table = u"<table cellspacing='0' cellpadding='1'>"_s;
    table += row(tr("Reconnects"), QString::number(snapshot.reconnects), tr("Parks"), QString::number(snapshot.parks));
    table += row(tr("Longest park"), duration(longestPark), tr("Total parked"), duration(totalParked));
    table += row(tr("Storms over"), QString::number(snapshot.storms), tr("Ungated attempts"),
                 QString::number(snapshot.ungatedAttempts));
    table += row(tr("Last storm, first drop → all Up"), snapshot.storms > 0 ? duration(snapshot.lastStormMs) : u"—"_s,
                 tr("Longest"), snapshot.storms > 0 ? duration(snapshot.longestStormMs) : u"—"_s);
    table += u"</table>"_s;
    m_figures->setText(table);
    const std::optional<RowSocket> queueSelection = selectedSocket(m_queueView, QueueSocket);
    const std::optional<RowSocket> socketSelection = selectedSocket(m_socketsView, SocketName);
    fillQueue(now);
    fillSockets();
    reselect(m_queueView, QueueSocket, queueSelection);
    reselect(m_socketsView, SocketName, socketSelection);
    const bool ticking = m_live && (snapshot.holder || !snapshot.parked.isEmpty() || snapshot.stormSinceMs);
    if (ticking && isVisible()) {
        if (!m_clock.isActive())
            m_clock.start();
    } else {
        m_clock.stop();
    }
}

void CoordinatorPanel::fillQueue(qint64 now)
{
    const auto &parked = m_snapshot->parked;
    m_queue->setRowCount(int(parked.size()));
    for (int row = 0; row < parked.size(); ++row) {
        const auto &socket = parked.at(row);
        setCell(m_queue, row, QueuePosition, socket.expedited ? u"%1 ⚡"_s.arg(row + 1) : QString::number(row + 1));
        setCell(m_queue, row, QueueSession, m_sessionLabel(socket.sessionId));
        setCell(m_queue, row, QueuePosition, socket.sessionId, SessionIdRole);
        setCell(m_queue, row, QueueSession, socket.sessionId, Qt::ToolTipRole);
        setCell(m_queue, row, QueueSocket, socket.socket);
        setCell(m_queue, row, QueueSocket, socket.socket, SocketRole);
        setCell(m_queue, row, QueueParkedFor, duration(now - socket.sinceMs));
        setCell(m_queue, row, QueueAttempt, socket.attempt > 0 ? QVariant(socket.attempt) : QVariant());
        setBehind(row, socket.slotsBehind);
        setCell(m_queue, row, QueuePosition,
                socket.expedited ? tr("Reconnect now: served once the slot is free") : QVariant(), Qt::ToolTipRole);
    }
}

void CoordinatorPanel::setBehind(int row, std::optional<quint64> slotsBehind)
{
    setCell(m_queue, row, QueueBehind, slotsBehind ? QVariant(QLocale().toString(*slotsBehind)) : QVariant());
    setCell(m_queue, row, QueueBehind, int(Qt::AlignRight | Qt::AlignVCenter), Qt::TextAlignmentRole);
    // Past the window its replay misses slots; close to it, soon.
    const bool lost = slotsBehind && *slotsBehind >= kServerReplaySlots;
    const bool close = slotsBehind && !lost && *slotsBehind * 4 >= kServerReplaySlots * 3;
    setCell(m_queue, row, QueueBehind,
            lost ? QVariant(QBrush(QColor(0xc6, 0x28, 0x28))) : close ? QVariant(QBrush(QColor(0xa0, 0x5a, 0x00))) : QVariant(),
            Qt::ForegroundRole);
    setCell(m_queue, row, QueueBehind,
            lost    ? QVariant(tr("Past the server's %1-slot replay window: when this socket resumes, the slots "
                                  "before the last %1 are missed (a replay_gap). Reconnect now shortens the gap.")
                               .arg(kServerReplaySlots))
            : close ? QVariant(tr("Close to the server's %1-slot replay window").arg(kServerReplaySlots))
                    : QVariant(),
            Qt::ToolTipRole);
}

void CoordinatorPanel::fillSockets()
{
    const int ungated = m_snapshot ? m_snapshot->ungatedAttempts : 0;
    int row = 0;
    for (int lane = 0; lane < m_timeline->laneCount(); ++lane) {
        const auto &info = m_timeline->lane(lane);
        if (info.rows.isEmpty() || (info.ended && info.status != ConnectionStatus::Failed))
            continue;
        if (info.status == ConnectionStatus::Up && info.attempt == 0)
            continue;
        if (row >= m_sockets->rowCount())
            m_sockets->setRowCount(row + 1);
        setCell(m_sockets, row, SocketSession, info.sessionId.isEmpty() ? wholeRunLabel(m_parallel) : m_sessionLabel(info.sessionId));
        setCell(m_sockets, row, SocketSession, info.sessionId, SessionIdRole);
        setCell(m_sockets, row, SocketSession, info.sessionId, Qt::ToolTipRole);
        setCell(m_sockets, row, SocketName, info.socket);
        setCell(m_sockets, row, SocketName, info.socket, SocketRole);
        setCell(m_sockets, row, SocketStatus, connectionStatusText(info.status));
        setCell(m_sockets, row, SocketAttempt, info.attempt);
        // The batch's control socket is never gated.
        const bool gated = m_parallel && !info.sessionId.isEmpty() && m_snapshot;
        setCell(m_sockets, row, SocketUngatedLeft, gated ? QVariant(qMax(0, ungated - info.attempt)) : QVariant(u"—"_s));
        setCell(m_sockets, row, SocketReason, info.reason);
        setCell(m_sockets, row, SocketReason, info.reason, Qt::ToolTipRole);
        ++row;
    }
    if (m_sockets->rowCount() != row)
        m_sockets->setRowCount(row);
}

void CoordinatorPanel::showContextMenu(QTreeView *view, const QPoint &pos)
{
    const QModelIndex index = view->indexAt(pos);
    if (!index.isValid())
        return;
    const QString sessionId = index.siblingAtColumn(0).data(SessionIdRole).toString();
    const QString socket = index.siblingAtColumn(view == m_queueView ? int(QueueSocket) : int(SocketName)).data(SocketRole).toString();
    bool waiting = m_live && view == m_queueView;
    if (m_live && !waiting) {
        const int lane = m_timeline->laneOf(sessionId, socket);
        waiting = lane >= 0 && !m_timeline->lane(lane).ended
                  && (m_timeline->lane(lane).status == ConnectionStatus::Down
                      || m_timeline->lane(lane).status == ConnectionStatus::Parked);
    }
    QMenu menu(this);
    QAction *reconnect = menu.addAction(tr("Reconnect %1 now").arg(socket));
    reconnect->setEnabled(waiting);
    connect(reconnect, &QAction::triggered, this, [this, sessionId, socket] { Q_EMIT reconnectRequested(sessionId, socket); });
    QAction *select = menu.addAction(tr("Select %1").arg(m_sessionLabel(sessionId)));
    connect(select, &QAction::triggered, this, [this, sessionId] { Q_EMIT sessionSelected(sessionId); });
    menu.exec(view->viewport()->mapToGlobal(pos));
}

} // namespace SlotScope
