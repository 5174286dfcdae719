#pragma once

#include "engine/modelupdate.h"
#include "model/sessionupdate.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>

#include <chrono>
#include <utility>
#include <vector>

namespace SlotScope {

/// What the Sessions panel shows of one row (a single session, a sub-session,
/// or a parallel batch's own row), as the engine keeps it between batches.
struct SessionRow
{
    /// One socket of the row, and whether it was ever Up (an Up after that is
    /// a reconnect).
    struct Link
    {
        LinkState state;
        bool everUp = false;
    };

    QString sessionId;                          ///< "" until created (single session) and for a batch row
    quint64 startSlot = 0;
    quint64 endSlot = 0;
    quint64 currentSlot = 0;
    SessionState state = SessionState::Creating;
    QString stateDetail;                        ///< "waiting for readyForContinue", "starting runtime, 12 s", …
    DriveMode drive = DriveMode::Manual;        ///< how it is stepped without the user; Manual once ended
    QString name;                               ///< session_name / control_session_name
    Link control;                               ///< a single session's or a batch's control socket
    QList<std::pair<QString, Link>> subscriptions; ///< by socket label, in order of first report
    quint64 reconnects = 0;
    quint64 transactions = 0;
    quint64 duplicates = 0;
    quint64 framesDropped = 0;                  ///< frames skipped on its sockets (frame_dropped)
    quint64 simulationErrors = 0;
    QString lastError;

    /// The link called `socket` ("control" or a subscription label), added on first use.
    Link &link(const QString &socket);
    /// Records a status change of `socket`; an Up after an earlier Up counts
    /// as a reconnect (reconnects + 1); `ended`: its last status
    /// (LinkState::ended). Returns the link.
    Link &setLinkStatus(const QString &socket, ConnectionStatus status, const QString &reason, int attempt,
                        bool ended = false);
    /// Every link Down with `reason`, ended (the sockets closed with the run),
    /// except those that failed or had already closed for good.
    void closeLinks(const QString &reason, bool subscriptionsToo);
};

/// Coalesces the engine's changes into ModelUpdate batches for the GUI thread
/// (DESIGN.md §3: at most one batch per interval, default 33 ms ≈ 30 per
/// second, one insert per model per batch). Holds the rows of the current run
/// (edit() marks a row changed; take() sends each changed row once, whole)
/// and the lists of new transactions, discoveries, positions, protocol frames
/// and connection events. due() fires every interval while started; the
/// engine then flushes its capture and calls take().
class UpdateBatcher : public QObject
{
    Q_OBJECT

public:
    explicit UpdateBatcher(QObject *parent = nullptr);

    void setInterval(std::chrono::milliseconds interval) { m_timer.setInterval(interval); }

    /// A new run: drops every row and pending change. `parallel` runs have a
    /// batch row (batchRow()) beside their sub-session rows.
    void reset(const QString &runId, bool parallel);
    /// Starts the interval. It sleeps after a sleepUntilChanged() and wakes
    /// at the next change (edit(), add…(), setCoordinator()) or wake(): an
    /// idle batch of 256 sub-sessions does not wake the engine thread 30
    /// times a second to find nothing (each wake-up polls every socket;
    /// issue 11, idle < 2 % of a core).
    void start();
    void stop();
    /// Fire due() again at the next interval (something outside the batch,
    /// e.g. an events-file line, waits for the engine's flush).
    void wake()
    {
        if (m_started && !m_timer.isActive())
            m_timer.start();
    }
    /// No due() until the next change or wake(): the engine found nothing to
    /// send or flush.
    void sleepUntilChanged() { m_timer.stop(); }
    /// The interval is running (not stopped, not asleep).
    bool isAwake() const { return m_timer.isActive(); }

    /// Adds a session row; its index stays valid for the run.
    int addRow(const QString &sessionId, quint64 startSlot, quint64 endSlot);
    int rowCount() const { return int(m_rows.size()); }
    const SessionRow &row(int index) const { return m_rows[size_t(index)].row; }
    /// The row to change; it is sent whole with the next batch.
    SessionRow &edit(int index);
    /// A parallel batch's own row (its control socket, state, error, name).
    const SessionRow &batchRow() const { return m_batch.row; }
    SessionRow &editBatchRow();

    /// The first batch of a run: the run row as it starts (label, range, parallel).
    void announceRun(const SessionUpdate &run) { queue(m_pending.sessions, run); }
    void addTransaction(const TransactionRecord &record) { queue(m_pending.transactions, record); }
    void addDiscovery(DiscoveryUpdate discovery) { queue(m_pending.discoveries, std::move(discovery)); }
    void addPosition(PositionUpdate position) { queue(m_pending.positions, std::move(position)); }
    void addProtocolEntry(ProtocolLogEntry entry) { queue(m_pending.protocol, std::move(entry)); }
    void addConnectionEvent(ConnectionEvent event) { queue(m_pending.connections, std::move(event)); }
    void addAccountDiff(AccountDiffRecord diff) { queue(m_pending.accountDiffs, std::move(diff)); }
    /// The batch's reconnect coordinator as it is now (the latest one is sent).
    void setCoordinator(CoordinatorSnapshot snapshot)
    {
        m_pending.coordinator = std::move(snapshot);
        wake();
    }

    /// The next batch: every changed row (the batch row first), everything
    /// added since the last take(), and the run's totals. Empty (isEmpty())
    /// when nothing changed.
    ModelUpdate take(quint64 capturedTotal, quint64 duplicatesDropped, quint64 framesDropped = 0);

Q_SIGNALS:
    /// The interval elapsed: time to flush and take() the next batch.
    void due();

private:
    struct Tracked
    {
        SessionRow row;
        bool dirty = true;
    };
    SessionUpdate toUpdate(const SessionRow &row, bool batchRow) const;
    /// Appends to one of the pending lists and wakes the interval.
    template<typename List, typename Item>
    void queue(List &list, Item &&item)
    {
        list.append(std::forward<Item>(item));
        wake();
    }

    QString m_runId;
    bool m_parallel = false;
    std::vector<Tracked> m_rows;
    Tracked m_batch;
    ModelUpdate m_pending;
    QTimer m_timer;
    bool m_started = false;
};

} // namespace SlotScope
