#include "engine/updatebatcher.h"

using namespace Qt::StringLiterals;

namespace SlotScope {

SessionRow::Link &SessionRow::link(const QString &socket)
{
    if (socket == u"control")
        return control;
    for (auto &[name, link] : subscriptions) {
        if (name == socket)
            return link;
    }
    subscriptions.append({socket, Link{}});
    return subscriptions.last().second;
}

SessionRow::Link &SessionRow::setLinkStatus(const QString &socket, ConnectionStatus status, const QString &reason,
                                            int attempt, bool ended)
{
    Link &changed = link(socket);
    if (status == ConnectionStatus::Up) {
        if (changed.everUp)
            ++reconnects;
        changed.everUp = true;
    }
    changed.state.status = status;
    changed.state.attempt = attempt;
    changed.state.retryInMs.reset();
    changed.state.retryAtMs.reset();
    changed.state.reason = status == ConnectionStatus::Up ? QString() : reason;
    changed.state.ended = ended;
    return changed;
}

void SessionRow::closeLinks(const QString &reason, bool subscriptionsToo)
{
    // A socket that failed, or already closed for good (end of stream),
    // keeps its last status and why.
    const auto close = [&reason](Link &link) {
        if (!link.state.ended && link.state.status != ConnectionStatus::Failed)
            link.state = LinkState{ConnectionStatus::Down, 0, std::nullopt, reason, true};
    };
    close(control);
    if (!subscriptionsToo)
        return;
    for (auto &[socket, link] : subscriptions)
        close(link);
}

UpdateBatcher::UpdateBatcher(QObject *parent)
    : QObject(parent)
    , m_timer(this)
{
    m_timer.setInterval(33);
    connect(&m_timer, &QTimer::timeout, this, &UpdateBatcher::due);
}

void UpdateBatcher::reset(const QString &runId, bool parallel)
{
    m_runId = runId;
    m_parallel = parallel;
    m_rows.clear();
    m_batch = {};
    m_batch.dirty = false;
    m_pending = {};
}

int UpdateBatcher::addRow(const QString &sessionId, quint64 startSlot, quint64 endSlot)
{
    Tracked tracked;
    tracked.row.sessionId = sessionId;
    tracked.row.startSlot = startSlot;
    tracked.row.endSlot = endSlot;
    tracked.row.currentSlot = startSlot;
    m_rows.push_back(std::move(tracked));
    return int(m_rows.size()) - 1;
}

void UpdateBatcher::start()
{
    m_started = true;
    m_timer.start();
}

void UpdateBatcher::stop()
{
    m_started = false;
    m_timer.stop();
}

SessionRow &UpdateBatcher::edit(int index)
{
    Tracked &tracked = m_rows[size_t(index)];
    tracked.dirty = true;
    wake();
    return tracked.row;
}

SessionRow &UpdateBatcher::editBatchRow()
{
    m_batch.dirty = true;
    wake();
    return m_batch.row;
}

SessionUpdate UpdateBatcher::toUpdate(const SessionRow &row, bool batchRow) const
{
    SessionUpdate update;
    update.runId = m_runId;
    update.state = row.state;
    update.stateDetail = row.stateDetail;
    update.lastError = row.lastError;
    if (!row.name.isEmpty())
        update.name = row.name;
    if (batchRow) {
        // A batch's own row: its state, the shared control socket and the
        // batch's name; the model adds the totals of its sub-sessions (the
        // shared control's reconnects are on the timeline, not counted here).
        update.control = row.control.state;
        update.framesDropped = row.framesDropped; // on the shared control socket
        return update;
    }
    update.sessionId = row.sessionId;
    update.drive = row.drive;
    update.startSlot = row.startSlot;
    update.endSlot = row.endSlot;
    update.currentSlot = row.currentSlot;
    if (!m_parallel)
        update.control = row.control.state; // a sub-session shares the batch's control socket
    QList<LinkState> subscriptions;
    subscriptions.reserve(row.subscriptions.size());
    for (const auto &[socket, link] : row.subscriptions)
        subscriptions.append(link.state);
    update.subscriptions = subscriptions;
    update.reconnectCount = row.reconnects;
    update.transactionsCaptured = row.transactions;
    update.duplicatesDropped = row.duplicates;
    update.framesDropped = row.framesDropped;
    update.simulationErrors = row.simulationErrors;
    return update;
}

ModelUpdate UpdateBatcher::take(quint64 capturedTotal, quint64 duplicatesDropped, quint64 framesDropped)
{
    if (m_parallel && m_batch.dirty) {
        m_pending.sessions.append(toUpdate(m_batch.row, /*batchRow=*/true));
        m_batch.dirty = false;
    }
    for (Tracked &tracked : m_rows) {
        if (!tracked.dirty)
            continue;
        m_pending.sessions.append(toUpdate(tracked.row, /*batchRow=*/false));
        tracked.dirty = false;
    }
    if (m_pending.isEmpty())
        return {};
    m_pending.runId = m_runId;
    m_pending.capturedTotal = capturedTotal;
    m_pending.duplicatesDropped = duplicatesDropped;
    m_pending.framesDropped = framesDropped;
    return std::exchange(m_pending, ModelUpdate{});
}

} // namespace SlotScope
