#pragma once

#include "model/modelroles.h"
#include "model/sessionupdate.h"

#include <QAbstractItemModel>
#include <QHash>

#include <memory>
#include <optional>
#include <vector>

namespace SlotScope {

/// The Sessions panel (DESIGN.md §1): a tree of runs and their sessions.
///
/// Shape: every run is a top-level row.
///  * A single-session run shows its session on that row and has no children
///    (nothing to expand: the row reads "session id, range, progress, …").
///  * A parallel run's row is an aggregate of its sub-sessions (range
///    min..max, progress weighted by slot count, summed counters, a combined
///    state and data-plane status; the control status is the batch's one
///    shared control socket) and has one child row per sub-session.
/// So the panel reads the same for one session or one run of 256, and more
/// runs simply add top-level rows.
///
/// Rows are created by the first SessionUpdate naming them. applyUpdates()
/// inserts new rows with one beginInsertRows per parent, then emits one
/// dataChanged per contiguous range of changed rows (per parent) naming the
/// roles that changed. Routing is O(1) (QHash by run id and session id).
class SessionModel : public QAbstractItemModel
{
    Q_OBJECT

public:
    enum Column {
        SessionColumn,       ///< session id (a run row: its label)
        SlotRangeColumn,     ///< "start..end", inclusive
        CurrentSlotColumn,
        ProgressColumn,      ///< "42%"; ProgressRole for a bar delegate
        StateColumn,         ///< the state, and what it waits for ("Paused (waiting for readyForContinue)")
        ControlColumn,       ///< control WebSocket status
        DataPlaneColumn,     ///< aggregate of the subscriptions
        ReconnectsColumn,
        TransactionsColumn,  ///< transactions captured
        DuplicatesColumn,    ///< duplicates dropped
        LastErrorColumn,
        // Added with wire 0.31; the window shows them beside Session and Duplicates.
        NameColumn,          ///< session_name (a parallel run row: control_session_name)
        SimulationErrorsColumn, ///< per-transaction simulationErrors (PROTOCOL-0.31.md §4.7)
        FramesDroppedColumn, ///< frames skipped (malformed, undecodable): the events file's frame_dropped
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        ProgressRole = FirstModelSpecificRole, ///< double 0..1, every column
        StateRole,             ///< int(SessionState), every column
        RunIdRole,             ///< QString, every column
        ControlStatusRole,     ///< int(ConnectionStatus), invalid when unknown
        DataPlaneStatusRole,   ///< int(ConnectionStatus), invalid without subscriptions
        /// int(DriveMode), every column (dataChanged names the State column
        /// only, like StateRole's): a session's own, Manual once it ended; a
        /// parallel run row's is the mode every live sub-session shares (else Manual).
        DriveRole,
        /// bool, every column: the session, or any live sub-session of a
        /// parallel run row, is driven (Run to End, Run to Next Discovery…).
        AnyDrivenRole,
    };
    Q_ENUM(Role)

    explicit SessionModel(QObject *parent = nullptr);
    ~SessionModel() override;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    /// Applies one batch of updates (in order; later ones win).
    void applyUpdates(const QList<SessionUpdate> &updates);
    /// Removes a run and its sub-sessions.
    void removeRun(const QString &runId);
    void clear();

    /// Column-0 index of a run row / of the row showing `sessionId` (the run row
    /// of a single run, a child of a parallel one); invalid when unknown.
    QModelIndex indexForRun(const QString &runId) const;
    QModelIndex indexForSession(const QString &sessionId) const;

    /// Where a session stands, as its row shows it.
    struct SlotPosition
    {
        quint64 startSlot = 0;              ///< first slot of its range
        quint64 endSlot = 0;                ///< last slot of its range (inclusive)
        std::optional<quint64> currentSlot; ///< nullopt before its first slot notification
    };
    /// The slot range and current slot of `sessionId`; nullopt for an unknown
    /// session or one whose range is not known yet.
    std::optional<SlotPosition> slotPosition(const QString &sessionId) const;
    /// Where a Continue To `slot` of run `runId` goes without a selected
    /// session: a single run's session; in a parallel run the sub-session
    /// that has not ended whose range covers `slot` (SessionEngine::continueTo()
    /// picks the same); "" when none does or the run is unknown.
    QString sessionForSlot(const QString &runId, quint64 slot) const;

    /// Progress of `current` within the inclusive range: start → 0, end → 1,
    /// clamped; a one-slot range is 0 until current reaches it.
    static double progress(quint64 start, quint64 end, quint64 current);

private:
    struct Shown; // a row's values as displayed
    /// The State column: "Running", "Paused (waiting for readyForContinue;
    /// run to end)".
    static QString stateText(const Shown &s);
    /// The row's drive mode while it lives; Manual once it ended.
    static DriveMode liveDrive(const Shown &s);
    struct Row
    {
        QString sessionId;
        QString label;
        QString name;
        std::optional<quint64> startSlot;
        std::optional<quint64> endSlot;
        std::optional<quint64> currentSlot;
        SessionState state = SessionState::Creating;
        QString stateDetail;
        DriveMode drive = DriveMode::Manual;
        std::optional<LinkState> control;
        QList<LinkState> subscriptions;
        quint64 reconnects = 0;
        quint64 transactions = 0;
        quint64 duplicates = 0;
        quint64 framesDropped = 0;
        quint64 simulationErrors = 0;
        QString lastError;
    };
    struct Run
    {
        QString runId;
        bool parallel = false;
        int row = 0;                        // top-level row, kept current
        Row own;                            // the run itself (and a single run's session)
        std::vector<std::unique_ptr<Row>> children;
        QHash<QString, int> childRows;      // session id → child row
        // A parallel run row's totals over its children, built on first read
        // after a change (a paint reads a row ~60 times; a run may have 256
        // sub-sessions).
        mutable std::shared_ptr<const Shown> aggregate;
    };

    /// A session's run and its child row there (-1: the run's own row, a
    /// single run); run is null for an unknown session.
    struct Located
    {
        Run *run = nullptr;
        int child = -1;
    };
    Located locate(const QString &sessionId) const;
    Shown shown(const Run &run, const Row *child) const;
    QVariant cellData(const Run &run, const Row *child, int column, int role) const;
    static quint32 apply(Row &row, const SessionUpdate &update);
    void renumberRuns();

    const QStringList m_titles;
    std::vector<std::unique_ptr<Run>> m_runs;
    QHash<QString, Run *> m_runById;
    QHash<QString, Run *> m_runBySession;   // session id → its run
};

} // namespace SlotScope
