#include "model/sessionmodel.h"

#include <QBrush>
#include <QColor>

#include "model/flattablemodel.h"
#include "model/logging.h"
#include "model/sessionstate.h"

#include <QCoreApplication>
#include <QLocale>

#include <algorithm>
#include <bit>
#include <cmath>
#include <map>

using namespace Qt::StringLiterals;

namespace SlotScope {

namespace {

// What an update changed on a row; mapped to columns and roles for dataChanged.
enum Field : quint32 {
    FieldLabel = 1u << 0,
    FieldSessionId = 1u << 1,
    FieldSlotRange = 1u << 2,
    FieldCurrentSlot = 1u << 3,
    FieldState = 1u << 4,
    FieldControl = 1u << 5,
    FieldDataPlane = 1u << 6,
    FieldReconnects = 1u << 7,
    FieldTransactions = 1u << 8,
    FieldDuplicates = 1u << 9,
    FieldLastError = 1u << 10,
    FieldName = 1u << 11,
    FieldStateDetail = 1u << 12,
    FieldSimulationErrors = 1u << 13,
    FieldFramesDropped = 1u << 14,
    FieldDrive = 1u << 15,
    // What a parallel run row aggregates from its children (its control status
    // and name are its own: the batch shares one control socket).
    AggregatedFields = FieldSlotRange | FieldCurrentSlot | FieldState | FieldDataPlane | FieldDrive
            | FieldReconnects | FieldTransactions | FieldDuplicates | FieldLastError
            | FieldSimulationErrors | FieldFramesDropped,
};

quint32 columnsFor(quint32 fields)
{
    const auto bit = [](SessionModel::Column column) { return 1u << column; };
    quint32 columns = 0;
    if (fields & (FieldLabel | FieldSessionId))
        columns |= bit(SessionModel::SessionColumn);
    if (fields & FieldSlotRange)
        columns |= bit(SessionModel::SlotRangeColumn) | bit(SessionModel::ProgressColumn);
    if (fields & FieldCurrentSlot)
        columns |= bit(SessionModel::CurrentSlotColumn) | bit(SessionModel::ProgressColumn);
    if (fields & FieldName)
        columns |= bit(SessionModel::NameColumn);
    if (fields & FieldState)
        columns |= bit(SessionModel::StateColumn) | bit(SessionModel::ProgressColumn);
    if (fields & (FieldStateDetail | FieldDrive))
        columns |= bit(SessionModel::StateColumn);
    if (fields & FieldControl)
        columns |= bit(SessionModel::ControlColumn);
    if (fields & FieldDataPlane)
        columns |= bit(SessionModel::DataPlaneColumn);
    if (fields & FieldReconnects)
        columns |= bit(SessionModel::ReconnectsColumn);
    if (fields & FieldTransactions)
        columns |= bit(SessionModel::TransactionsColumn);
    if (fields & FieldDuplicates)
        columns |= bit(SessionModel::DuplicatesColumn);
    if (fields & FieldSimulationErrors)
        columns |= bit(SessionModel::SimulationErrorsColumn);
    if (fields & FieldFramesDropped)
        columns |= bit(SessionModel::FramesDroppedColumn);
    if (fields & FieldLastError)
        columns |= bit(SessionModel::LastErrorColumn) | bit(SessionModel::StateColumn);
    return columns;
}

QList<int> rolesFor(quint32 fields)
{
    QList<int> roles{Qt::DisplayRole, RawValueRole};
    if (fields & (FieldLabel | FieldSessionId | FieldControl | FieldDataPlane | FieldLastError | FieldState
                  | FieldStateDetail | FieldName | FieldDrive))
        roles << Qt::ToolTipRole;
    if (fields & (FieldDrive | FieldState))
        roles << SessionModel::DriveRole << SessionModel::AnyDrivenRole;
    if (fields & FieldSessionId)
        roles << SessionIdRole;
    if (fields & (FieldSlotRange | FieldCurrentSlot | FieldState))
        roles << SessionModel::ProgressRole;
    if (fields & FieldState)
        roles << SessionModel::StateRole;
    if (fields & FieldControl)
        roles << SessionModel::ControlStatusRole;
    if (fields & FieldDataPlane)
        roles << SessionModel::DataPlaneStatusRole;
    std::sort(roles.begin(), roles.end());
    return roles;
}

template<typename T>
bool assign(T &field, const std::optional<T> &value)
{
    if (!value || field == *value)
        return false;
    field = *value;
    return true;
}

template<typename T>
bool assign(std::optional<T> &field, const std::optional<T> &value)
{
    if (!value || field == value)
        return false;
    field = value;
    return true;
}

bool allEnded(const QList<LinkState> &links)
{
    return std::all_of(links.cbegin(), links.cend(), [](const LinkState &link) {
        return link.ended && link.status != ConnectionStatus::Failed;
    });
}

// Failed beats Down beats Parked beats Up: the panel shows the worst socket.
// A socket that closed for good (LinkState::ended) is not down: a batch whose
// finished sub-sessions closed theirs is Up while the others stream.
std::optional<ConnectionStatus> aggregateStatus(const QList<LinkState> &links)
{
    if (links.isEmpty())
        return std::nullopt;
    const auto any = [&](ConnectionStatus status) {
        return std::any_of(links.cbegin(), links.cend(), [&](const LinkState &link) {
            return link.status == status && !(link.ended && status == ConnectionStatus::Down);
        });
    };
    if (any(ConnectionStatus::Failed))
        return ConnectionStatus::Failed;
    if (any(ConnectionStatus::Down) || allEnded(links))
        return ConnectionStatus::Down;
    if (any(ConnectionStatus::Parked))
        return ConnectionStatus::Parked;
    return ConnectionStatus::Up;
}

QString aggregateText(const QList<LinkState> &links)
{
    if (links.isEmpty())
        return QString();
    if (links.size() == 1)
        return describeLink(links.first());
    const auto up = std::count_if(links.cbegin(), links.cend(), [](const LinkState &link) {
        return link.status == ConnectionStatus::Up;
    });
    const ConnectionStatus status = *aggregateStatus(links);
    if (allEnded(links))
        return QCoreApplication::translate("SlotScope::SessionModel", "%1 (0/%2 up)")
            .arg(describeLink(LinkState{ConnectionStatus::Down, 0, std::nullopt, {}, true}))
            .arg(links.size());
    // Sockets closed for good (their sub-session finished) are no missing
    // ones: "Up (3/3 up, 3 closed)", not "Up (3/6 up)".
    const auto closed = std::count_if(links.cbegin(), links.cend(), [](const LinkState &link) { return link.ended; });
    if (closed == 0)
        return QCoreApplication::translate("SlotScope::SessionModel", "%1 (%2/%3 up)")
            .arg(connectionStatusText(status))
            .arg(up)
            .arg(links.size());
    return QCoreApplication::translate("SlotScope::SessionModel", "%1 (%2/%3 up, %4 closed)")
        .arg(connectionStatusText(status))
        .arg(up)
        .arg(links.size() - closed)
        .arg(closed);
}

QString linksTooltip(const QList<LinkState> &links)
{
    QStringList lines;
    for (qsizetype i = 0; i < links.size(); ++i) {
        QString line = QCoreApplication::translate("SlotScope::SessionModel", "Subscription %1: %2")
                               .arg(i + 1)
                               .arg(describeLinkWithReason(links.at(i)));
        lines << line;
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace

// The row's own fields (for a parallel run: totals over its sub-sessions)
// plus what only the display derives.
struct SessionModel::Shown : Row
{
    QString displayName; // the Session column: sub-session id, session id or run name
    QString tooltip;
    double progress = 0.0;
    bool anyDriven = false; // the row, or a live sub-session of a parallel run, is driven
};

SessionModel::SessionModel(QObject *parent)
    : QAbstractItemModel(parent)
    , m_titles({tr("Session"), tr("Slot range"), tr("Current slot"), tr("Progress"), tr("State"), tr("Control"),
                tr("Data plane"), tr("Reconnects"), tr("Transactions"), tr("Duplicates"), tr("Last error"), tr("Name"),
                tr("Simulation errors"), tr("Dropped frames")})
{
    Q_ASSERT(m_titles.size() == ColumnCount); // one title per column
}

SessionModel::~SessionModel() = default;

double SessionModel::progress(quint64 start, quint64 end, quint64 current)
{
    if (end <= start)
        return current >= end ? 1.0 : 0.0;
    if (current <= start)
        return 0.0;
    if (current >= end)
        return 1.0;
    return double(current - start) / double(end - start);
}

QModelIndex SessionModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    if (!parent.isValid())
        return createIndex(row, column, nullptr);
    // Children point at their run, so parent() survives rows moving above it.
    return createIndex(row, column, m_runs[size_t(parent.row())].get());
}

QModelIndex SessionModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    const auto *run = static_cast<const Run *>(child.internalPointer());
    if (!run)
        return {};
    return createIndex(run->row, 0, nullptr);
}

int SessionModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_runs.size());
    if (parent.internalPointer() || parent.column() != 0)
        return 0;
    const Run &run = *m_runs[size_t(parent.row())];
    return run.parallel ? int(run.children.size()) : 0;
}

int SessionModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

SessionModel::Shown SessionModel::shown(const Run &run, const Row *child) const
{
    const auto rowProgress = [](const Row &row) {
        if (row.state == SessionState::Completed)
            return 1.0;
        if (!row.startSlot || !row.endSlot || !row.currentSlot)
            return 0.0;
        return progress(*row.startSlot, *row.endSlot, *row.currentSlot);
    };
    const QString runName = run.own.label.isEmpty() ? run.runId : run.own.label;
    const Row &base = child ? *child : run.own;

    Shown s;
    static_cast<Row &>(s) = base;
    s.progress = rowProgress(base);
    s.anyDriven = liveDrive(s) != DriveMode::Manual;

    if (child) {
        s.displayName = child->sessionId;
        s.tooltip = tr("Sub-session %1 of run %2").arg(child->sessionId, runName);
        return s;
    }
    if (!run.parallel) {
        s.displayName = run.own.sessionId.isEmpty() ? runName : run.own.sessionId;
        s.tooltip = run.own.sessionId.isEmpty()
                ? tr("Run %1 (no session yet)").arg(runName)
                : tr("Session %1 of run %2").arg(run.own.sessionId, runName);
        return s;
    }

    // A parallel run: aggregate the sub-sessions.
    const auto count = qsizetype(run.children.size());
    if (run.children.empty()) {
        // Before sessionsCreatedV2 (or a create that failed): not "0 sub-sessions".
        s.displayName = tr("%1 (parallel batch)").arg(runName);
        s.tooltip = tr("Parallel run %1 (no sub-session yet)").arg(runName);
        return s;
    }
    s.displayName = tr("%1 (%n sub-session(s))", nullptr, int(count)).arg(runName);
    s.tooltip = tr("Parallel run %1").arg(runName);

    double weighted = 0.0;
    double weights = 0.0;
    bool anyFailed = false, anyStopped = false, allTerminal = true;
    bool anyRunning = false, anyPaused = false, anyReady = false;
    std::optional<DriveMode> sharedDrive; // of the live sub-sessions; Manual once they differ
    for (const auto &c : run.children) {
        if (!isTerminalState(c->state)) {
            s.anyDriven |= c->drive != DriveMode::Manual;
            sharedDrive = !sharedDrive || *sharedDrive == c->drive ? c->drive : DriveMode::Manual;
        }
        if (c->startSlot)
            s.startSlot = s.startSlot ? qMin(*s.startSlot, *c->startSlot) : *c->startSlot;
        if (c->endSlot)
            s.endSlot = s.endSlot ? qMax(*s.endSlot, *c->endSlot) : *c->endSlot;
        const double weight = c->startSlot && c->endSlot && *c->endSlot >= *c->startSlot
                ? double(*c->endSlot - *c->startSlot + 1)
                : 1.0;
        weighted += rowProgress(*c) * weight;
        weights += weight;
        s.subscriptions += c->subscriptions;
        s.reconnects += c->reconnects;
        s.transactions += c->transactions;
        s.duplicates += c->duplicates;
        s.framesDropped += c->framesDropped;
        s.simulationErrors += c->simulationErrors;
        if (s.lastError.isEmpty() && !c->lastError.isEmpty())
            s.lastError = u"%1: %2"_s.arg(c->sessionId, c->lastError);
        anyFailed |= c->state == SessionState::Failed;
        anyStopped |= c->state == SessionState::Stopped;
        allTerminal &= isTerminalState(c->state);
        anyRunning |= c->state == SessionState::Running;
        anyPaused |= c->state == SessionState::Paused;
        anyReady |= c->state == SessionState::Ready;
    }
    s.drive = sharedDrive.value_or(DriveMode::Manual);
    s.currentSlot.reset(); // sub-sessions run different ranges: no single current slot
    s.progress = weights > 0 ? weighted / weights : 0.0;
    if (run.own.state == SessionState::Failed || run.own.state == SessionState::Stopped)
        s.state = run.own.state; // the run as a whole failed / was stopped
    else if (anyFailed)
        s.state = SessionState::Failed;
    else if (allTerminal)
        s.state = anyStopped ? SessionState::Stopped : SessionState::Completed;
    else if (anyRunning)
        s.state = SessionState::Running;
    else if (anyPaused)
        s.state = SessionState::Paused;
    else if (anyReady)
        s.state = SessionState::Ready;
    else
        s.state = SessionState::Creating;
    if (s.state == SessionState::Completed)
        s.progress = 1.0;
    if (isTerminalState(s.state))
        s.anyDriven = false; // the run as a whole failed / was stopped: nothing drives it
    return s;
}

DriveMode SessionModel::liveDrive(const Shown &s)
{
    return isTerminalState(s.state) ? DriveMode::Manual : s.drive;
}

QString SessionModel::stateText(const Shown &s)
{
    QStringList details;
    if (!s.stateDetail.isEmpty())
        details << s.stateDetail;
    if (const DriveMode drive = liveDrive(s); drive != DriveMode::Manual)
        details << driveModeText(drive);
    return details.isEmpty() ? sessionStateText(s.state)
                             : tr("%1 (%2)").arg(sessionStateText(s.state), details.join(u"; "_s));
}

QVariant SessionModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const auto *parentRun = static_cast<const Run *>(index.internalPointer());
    const Run &run = parentRun ? *parentRun : *m_runs[size_t(index.row())];
    const Row *child = parentRun ? parentRun->children[size_t(index.row())].get() : nullptr;
    return cellData(run, child, index.column(), role);
}

QVariant SessionModel::cellData(const Run &run, const Row *child, int column, int role) const
{
    std::optional<Shown> computed;
    if (child || !run.parallel)
        computed = shown(run, child); // one row's own values: cheap
    else if (!run.aggregate)
        run.aggregate = std::make_shared<const Shown>(shown(run, nullptr));
    const Shown &s = computed ? *computed : *run.aggregate;
    const auto number = [](quint64 value) { return QVariant::fromValue<qulonglong>(value); };

    switch (role) {
    case SessionIdRole:
        return s.sessionId;
    case RunIdRole:
        return run.runId;
    case ProgressRole:
        return s.progress;
    case StateRole:
        return int(s.state);
    case DriveRole:
        return int(liveDrive(s));
    case AnyDrivenRole:
        return s.anyDriven;
    case ControlStatusRole:
        return s.control ? QVariant(int(s.control->status)) : QVariant();
    case DataPlaneStatusRole: {
        const auto status = aggregateStatus(s.subscriptions);
        return status ? QVariant(int(*status)) : QVariant();
    }
    case Qt::ForegroundRole:
        // A failed row (stalled drain, truncated capture, lost connection) is
        // red, so an incomplete capture never passes for a complete one.
        if (s.state == SessionState::Failed)
            return QBrush(QColor(0xb0, 0x00, 0x20));
        if (column == DataPlaneColumn || column == ControlColumn) {
            const auto status = column == ControlColumn ? (s.control ? std::optional(s.control->status) : std::nullopt)
                                                        : aggregateStatus(s.subscriptions);
            if (status == ConnectionStatus::Failed)
                return QBrush(QColor(0xb0, 0x00, 0x20));
            const bool closed = column == ControlColumn ? s.control && s.control->ended : allEnded(s.subscriptions);
            if (status == ConnectionStatus::Parked
                || (status == ConnectionStatus::Down && !closed && !isTerminalState(s.state)))
                return QBrush(QColor(0xa0, 0x5a, 0x00));
        }
        return {};
    case Qt::TextAlignmentRole:
        switch (column) {
        case CurrentSlotColumn:
        case ProgressColumn:
        case ReconnectsColumn:
        case TransactionsColumn:
        case DuplicatesColumn:
        case SimulationErrorsColumn:
        case FramesDroppedColumn:
            return int(Qt::AlignRight | Qt::AlignVCenter);
        }
        return {};
    case Qt::ToolTipRole:
        switch (column) {
        case SessionColumn:
            return s.tooltip;
        case StateColumn: {
            QStringList lines;
            if (!s.stateDetail.isEmpty())
                lines << s.stateDetail;
            if (const DriveMode drive = liveDrive(s); drive != DriveMode::Manual)
                lines << driveModeText(drive);
            if (!s.lastError.isEmpty())
                lines << s.lastError;
            return lines.isEmpty() ? QVariant() : QVariant(lines.join(QLatin1Char('\n')));
        }
        case LastErrorColumn:
            return s.lastError.isEmpty() ? QVariant() : QVariant(s.lastError);
        case NameColumn:
            return s.name.isEmpty() ? QVariant() : QVariant(s.name);
        case ControlColumn:
            if (!s.control)
                return {};
            return describeLinkWithReason(*s.control);
        case DataPlaneColumn:
            return s.subscriptions.isEmpty() ? QVariant() : QVariant(linksTooltip(s.subscriptions));
        }
        return {};
    case Qt::DisplayRole:
    case RawValueRole: {
        const bool raw = role == RawValueRole;
        switch (column) {
        case SessionColumn:
            return raw ? QVariant(s.sessionId.isEmpty() ? run.runId : s.sessionId) : QVariant(s.displayName);
        case SlotRangeColumn:
            if (!s.startSlot || !s.endSlot)
                return raw ? QVariant() : QVariant(QString());
            return raw ? number(*s.startSlot) : QVariant(u"%1..%2"_s.arg(*s.startSlot).arg(*s.endSlot));
        case CurrentSlotColumn:
            if (!s.currentSlot)
                return raw ? QVariant() : QVariant(QString());
            return raw ? number(*s.currentSlot) : QVariant(QString::number(*s.currentSlot));
        case ProgressColumn:
            // Floor (100% only when done), with a nudge against 0.57 × 100 = 56.99….
            return raw ? QVariant(s.progress)
                       : QVariant(u"%1%"_s.arg(int(std::floor(s.progress * 100.0 + 1e-9))));
        case NameColumn:
            return s.name;
        case StateColumn:
            if (raw)
                return int(s.state);
            return stateText(s);
        case ControlColumn:
            if (!s.control)
                return raw ? QVariant() : QVariant(QString());
            return raw ? QVariant(int(s.control->status)) : QVariant(describeLink(*s.control));
        case DataPlaneColumn: {
            const auto status = aggregateStatus(s.subscriptions);
            if (!status)
                return raw ? QVariant() : QVariant(QString());
            return raw ? QVariant(int(*status)) : QVariant(aggregateText(s.subscriptions));
        }
        case ReconnectsColumn:
            return raw ? number(s.reconnects) : QVariant(QLocale().toString(s.reconnects));
        case TransactionsColumn:
            return raw ? number(s.transactions) : QVariant(QLocale().toString(s.transactions));
        case DuplicatesColumn:
            return raw ? number(s.duplicates) : QVariant(QLocale().toString(s.duplicates));
        case SimulationErrorsColumn:
            return raw ? number(s.simulationErrors) : QVariant(QLocale().toString(s.simulationErrors));
        case FramesDroppedColumn:
            return raw ? number(s.framesDropped) : QVariant(QLocale().toString(s.framesDropped));
        case LastErrorColumn:
            return s.lastError;
        }
        return {};
    }
    }
    return {};
}

QVariant SessionModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    return Internal::columnTitle(m_titles, section, orientation, role);
}

QHash<int, QByteArray> SessionModel::roleNames() const
{
    return withSharedRoleNames(QAbstractItemModel::roleNames(),
                               {{ProgressRole, "progress"}, {StateRole, "state"}, {RunIdRole, "runId"},
                                {ControlStatusRole, "controlStatus"}, {DataPlaneStatusRole, "dataPlaneStatus"},
                                {DriveRole, "drive"}, {AnyDrivenRole, "anyDriven"}});
}

quint32 SessionModel::apply(Row &row, const SessionUpdate &update)
{
    quint32 changed = 0;
    if (assign(row.label, update.label))
        changed |= FieldLabel;
    if (assign(row.name, update.name))
        changed |= FieldName;
    if (assign(row.startSlot, update.startSlot) | assign(row.endSlot, update.endSlot))
        changed |= FieldSlotRange;
    if (assign(row.currentSlot, update.currentSlot))
        changed |= FieldCurrentSlot;
    if (assign(row.state, update.state))
        changed |= FieldState;
    if (assign(row.stateDetail, update.stateDetail))
        changed |= FieldStateDetail;
    if (assign(row.drive, update.drive))
        changed |= FieldDrive;
    if (assign(row.control, update.control))
        changed |= FieldControl;
    if (assign(row.subscriptions, update.subscriptions))
        changed |= FieldDataPlane;
    if (assign(row.reconnects, update.reconnectCount))
        changed |= FieldReconnects;
    if (assign(row.transactions, update.transactionsCaptured))
        changed |= FieldTransactions;
    if (assign(row.duplicates, update.duplicatesDropped))
        changed |= FieldDuplicates;
    if (assign(row.simulationErrors, update.simulationErrors))
        changed |= FieldSimulationErrors;
    if (assign(row.framesDropped, update.framesDropped))
        changed |= FieldFramesDropped;
    if (assign(row.lastError, update.lastError))
        changed |= FieldLastError;
    return changed;
}

void SessionModel::applyUpdates(const QList<SessionUpdate> &updates)
{
    // Rows first seen in this batch are built off-model and announced with one
    // insert per parent; changes to rows already shown are collected per row
    // and announced as one dataChanged per contiguous range.
    std::vector<std::unique_ptr<Run>> newRuns;
    QHash<QString, Run *> newRunById;
    struct PendingChildren
    {
        std::vector<std::unique_ptr<Row>> rows;
        QHash<QString, Row *> bySession;
    };
    std::map<Run *, PendingChildren> pendingChildren;   // existing runs only
    std::map<Run *, quint32> dirtyRuns;                  // existing runs only
    std::map<Run *, std::map<int, quint32>> dirtyChildren;

    for (const SessionUpdate &update : updates) {
        Run *run = m_runById.value(update.runId);
        const bool isNewRun = !run;
        if (!run)
            run = newRunById.value(update.runId);
        if (!run) {
            auto created = std::make_unique<Run>();
            created->runId = update.runId;
            created->parallel = update.parallel.value_or(false);
            run = created.get();
            newRunById.insert(update.runId, run);
            newRuns.push_back(std::move(created));
        } else if (update.parallel && *update.parallel != run->parallel) {
            qCWarning(lcModel) << "run" << update.runId << "cannot change between single and parallel";
        }
        run->aggregate.reset();

        if (update.sessionId.isEmpty() || !run->parallel) {
            quint32 changed = apply(run->own, update);
            if (!update.sessionId.isEmpty() && run->own.sessionId != update.sessionId) {
                if (!run->own.sessionId.isEmpty()) {
                    qCWarning(lcModel) << "single run" << run->runId << "now shows session"
                                       << update.sessionId << "instead of" << run->own.sessionId;
                    m_runBySession.remove(run->own.sessionId);
                }
                run->own.sessionId = update.sessionId;
                m_runBySession.insert(update.sessionId, run);
                changed |= FieldSessionId;
            }
            if (!isNewRun && changed)
                dirtyRuns[run] |= changed;
            continue;
        }

        // A sub-session of a parallel run.
        if (isNewRun) {
            const int at = run->childRows.value(update.sessionId, -1);
            Row *child = at >= 0 ? run->children[size_t(at)].get() : nullptr;
            if (!child) {
                run->children.push_back(std::make_unique<Row>());
                child = run->children.back().get();
                child->sessionId = update.sessionId;
                run->childRows.insert(update.sessionId, int(run->children.size()) - 1);
                m_runBySession.insert(update.sessionId, run);
            }
            apply(*child, update);
            continue;
        }
        const int at = run->childRows.value(update.sessionId, -1);
        if (at >= 0) {
            const quint32 changed = apply(*run->children[size_t(at)], update);
            if (changed) {
                dirtyChildren[run][at] |= changed;
                if (changed & AggregatedFields)
                    dirtyRuns[run] |= changed & AggregatedFields;
            }
            continue;
        }
        PendingChildren &pending = pendingChildren[run];
        Row *child = pending.bySession.value(update.sessionId);
        if (!child) {
            pending.rows.push_back(std::make_unique<Row>());
            child = pending.rows.back().get();
            child->sessionId = update.sessionId;
            pending.bySession.insert(update.sessionId, child);
            m_runBySession.insert(update.sessionId, run);
        }
        apply(*child, update);
        // Totals and the child count; the simulation-error and dropped-frame
        // totals only move when the new sub-session brings some.
        dirtyRuns[run] |= (AggregatedFields & ~(FieldSimulationErrors | FieldFramesDropped)) | FieldLabel
                | (child->simulationErrors ? FieldSimulationErrors : 0u)
                | (child->framesDropped ? FieldFramesDropped : 0u);
    }

    // New sub-sessions of runs already shown: one insert per run, in row order.
    std::vector<std::pair<Run *, PendingChildren *>> growing;
    for (auto &[run, pending] : pendingChildren)
        growing.emplace_back(run, &pending);
    std::sort(growing.begin(), growing.end(),
              [](const auto &a, const auto &b) { return a.first->row < b.first->row; });
    for (auto &[run, pending] : growing) {
        const int first = int(run->children.size());
        const int last = first + int(pending->rows.size()) - 1;
        beginInsertRows(createIndex(run->row, 0, nullptr), first, last);
        for (auto &row : pending->rows) {
            run->childRows.insert(row->sessionId, int(run->children.size()));
            run->children.push_back(std::move(row));
        }
        run->aggregate.reset(); // a view may have read the totals in between
        endInsertRows();
    }

    // New runs: one insert.
    if (!newRuns.empty()) {
        const int first = int(m_runs.size());
        beginInsertRows({}, first, first + int(newRuns.size()) - 1);
        for (auto &run : newRuns) {
            run->row = int(m_runs.size());
            m_runById.insert(run->runId, run.get());
            m_runs.push_back(std::move(run));
        }
        endInsertRows();
    }

    // One dataChanged per contiguous range of changed rows, per parent.
    const auto emitRanges = [this](const QModelIndex &parent, const std::map<int, quint32> &rows) {
        auto it = rows.cbegin();
        while (it != rows.cend()) {
            const int first = it->first;
            int last = first;
            quint32 fields = it->second;
            for (++it; it != rows.cend() && it->first == last + 1; ++it) {
                last = it->first;
                fields |= it->second;
            }
            const quint32 columns = columnsFor(fields);
            const int firstColumn = std::countr_zero(columns);
            const int lastColumn = 31 - std::countl_zero(columns);
            Q_EMIT dataChanged(index(first, firstColumn, parent), index(last, lastColumn, parent),
                               rolesFor(fields));
        }
    };
    std::map<int, quint32> runRows;
    for (const auto &[run, fields] : dirtyRuns) {
        run->aggregate.reset();
        runRows[run->row] |= fields;
    }
    emitRanges({}, runRows);
    std::vector<std::pair<Run *, const std::map<int, quint32> *>> childRanges;
    for (const auto &[run, rows] : dirtyChildren)
        childRanges.emplace_back(run, &rows);
    std::sort(childRanges.begin(), childRanges.end(),
              [](const auto &a, const auto &b) { return a.first->row < b.first->row; });
    for (const auto &[run, rows] : childRanges)
        emitRanges(createIndex(run->row, 0, nullptr), *rows);
}

void SessionModel::renumberRuns()
{
    for (size_t i = 0; i < m_runs.size(); ++i)
        m_runs[i]->row = int(i);
}

void SessionModel::removeRun(const QString &runId)
{
    Run *run = m_runById.value(runId);
    if (!run)
        return;
    const int row = run->row;
    beginRemoveRows({}, row, row);
    m_runById.remove(runId);
    if (!run->own.sessionId.isEmpty())
        m_runBySession.remove(run->own.sessionId);
    for (const auto &child : run->children)
        m_runBySession.remove(child->sessionId);
    m_runs.erase(m_runs.begin() + row);
    renumberRuns();
    endRemoveRows();
}

void SessionModel::clear()
{
    beginResetModel();
    m_runs.clear();
    m_runById.clear();
    m_runBySession.clear();
    endResetModel();
}

QModelIndex SessionModel::indexForRun(const QString &runId) const
{
    const Run *run = m_runById.value(runId);
    return run ? createIndex(run->row, 0, nullptr) : QModelIndex();
}

SessionModel::Located SessionModel::locate(const QString &sessionId) const
{
    Run *run = m_runBySession.value(sessionId);
    if (!run || !m_runById.contains(run->runId))
        return {};
    if (!run->parallel)
        return {run, -1};
    const int at = run->childRows.value(sessionId, -1);
    return at >= 0 ? Located{run, at} : Located{};
}

std::optional<SessionModel::SlotPosition> SessionModel::slotPosition(const QString &sessionId) const
{
    const auto [run, child] = locate(sessionId);
    if (!run)
        return std::nullopt;
    const Row *row = child < 0 ? &run->own : run->children.at(size_t(child)).get();
    if (!row->startSlot || !row->endSlot)
        return std::nullopt;
    return SlotPosition{*row->startSlot, *row->endSlot, row->currentSlot};
}

QString SessionModel::sessionForSlot(const QString &runId, quint64 slot) const
{
    const Run *run = m_runById.value(runId);
    if (!run)
        return {};
    if (!run->parallel)
        return run->own.sessionId;
    for (const auto &child : run->children) {
        if (child->startSlot && child->endSlot && slot >= *child->startSlot && slot <= *child->endSlot
            && !isTerminalState(child->state))
            return child->sessionId;
    }
    return {};
}

QModelIndex SessionModel::indexForSession(const QString &sessionId) const
{
    const auto [run, child] = locate(sessionId);
    if (!run)
        return {};
    return child < 0 ? createIndex(run->row, 0, nullptr) : createIndex(child, 0, run);
}

} // namespace SlotScope
