#include "workbench/eventreplay.h"

#include "capture/accountdiffparser.h"
#include "capture/deduplicator.h"

#include <QJsonArray>
#include <QJsonObject>


#include <memory>
#include <vector>

using namespace Qt::StringLiterals;

namespace SlotScope {

namespace {

struct Link
{
    LinkState state;
    bool everUp = false;
};

struct Session
{
    QString id;
    std::optional<quint64> startSlot;
    std::optional<quint64> endSlot;
    std::optional<quint64> currentSlot;
    SessionState state = SessionState::Creating;
    bool hasControl = false;
    Link control;
    QList<std::pair<QString, Link>> subscriptions;
    quint64 reconnects = 0;
    quint64 duplicates = 0;
    quint64 framesDropped = 0;
    quint64 simulationErrors = 0;
    std::optional<quint64> transactions;
    QString name;
    QString lastError;
    bool dirty = true;

    Link &link(const QString &socket)
    {
        if (socket == u"control") {
            hasControl = true;
            return control;
        }
        for (auto &[name, l] : subscriptions) {
            if (name == socket)
                return l;
        }
        subscriptions.append({socket, Link{}});
        return subscriptions.last().second;
    }
};

std::optional<ConnectionStatus> statusFromName(const QString &name)
{
    for (const ConnectionStatus s : {ConnectionStatus::Down, ConnectionStatus::Up, ConnectionStatus::Failed,
                                     ConnectionStatus::Parked}) {
        if (name.compare(connectionStatusName(s), Qt::CaseInsensitive) == 0)
            return s;
    }
    return std::nullopt;
}

std::optional<quint64> u64(const QJsonObject &o, const QString &key)
{
    const QJsonValue v = o.value(key);
    if (!v.isDouble() || v.toDouble() < 0)
        return std::nullopt;
    return quint64(v.toInteger());
}

std::optional<quint32> batchIndexOf(const QJsonObject &o)
{
    const auto v = u64(o, u"batchIndex"_s);
    return v ? std::optional<quint32>(quint32(*v)) : std::nullopt;
}

QString slotText(quint64 slot, std::optional<quint32> batchIndex)
{
    return batchIndex ? u"%1/%2"_s.arg(slot).arg(*batchIndex) : QString::number(slot);
}

} // namespace

struct EventReplay::Private
{
    QString runId;
    QString label;
    std::optional<CaptureMetadata> metadata;
    bool modeKnown = false;
    bool parallel = false;
    QString singleId;                        // the single run's session id, once known
    Session run;                             // the run row (and a single run's session)
    std::vector<std::unique_ptr<Session>> subs;
    QHash<QString, Session *> subById;
    qint64 lastEventMs = 0;
    QStringList replayGaps;                  // "<session>: <describeReplayGap()>", file order
    quint64 framesDropped = 0;
    bool stopped = false;                    // a `stopped` event: the user stopped the run
    Deduplicator diffs;
    AccountDiffParser accountDiffs;

    Session &sessionFor(const QString &id);
    void logProtocol(const CaptureEvent &e, ProtocolLogEntry::Direction direction, const QString &method,
                     const QString &summary, ReplayBatch &out) const;
    void emitRow(Session &s, bool isRun, ReplayBatch &out);
    void everySession(const std::function<void(Session &)> &f)
    {
        f(run);
        for (auto &s : subs)
            f(*s);
    }
};

Session &EventReplay::Private::sessionFor(const QString &id)
{
    if (id.isEmpty() || !parallel)
        return run;
    if (Session *s = subById.value(id))
        return *s;
    subs.push_back(std::make_unique<Session>());
    Session *s = subs.back().get();
    s->id = id;
    subById.insert(id, s);
    return *s;
}

void EventReplay::Private::logProtocol(const CaptureEvent &e, ProtocolLogEntry::Direction direction,
                                       const QString &method, const QString &summary, ReplayBatch &out) const
{
    ProtocolLogEntry entry;
    entry.timeMs = e.at.isValid() ? e.at.toMSecsSinceEpoch() : lastEventMs;
    entry.sessionId = e.sessionId;
    entry.direction = direction;
    entry.method = method;
    entry.summary = summary;
    out.protocol.append(entry);
}

void EventReplay::Private::emitRow(Session &s, bool isRun, ReplayBatch &out)
{
    SessionUpdate u;
    u.runId = runId;
    if (!s.name.isEmpty())
        u.name = s.name;
    if (isRun) {
        u.label = label;
        u.parallel = parallel;
        u.state = s.state;
        if (s.hasControl)
            u.control = s.control.state;
        u.lastError = s.lastError;
        if (!parallel) {
            u.sessionId = singleId;
            u.startSlot = s.startSlot;
            u.endSlot = s.endSlot;
        }
    } else {
        u.sessionId = s.id;
        u.startSlot = s.startSlot;
        u.endSlot = s.endSlot;
        u.state = s.state;
        u.lastError = s.lastError;
    }
    if (s.framesDropped)
        u.framesDropped = s.framesDropped; // a batch's own: its shared control socket
    if (!isRun || !parallel) {
        if (s.currentSlot)
            u.currentSlot = s.currentSlot;
        QList<LinkState> links;
        for (const auto &[name, link] : std::as_const(s.subscriptions))
            links.append(link.state);
        u.subscriptions = links;
        u.reconnectCount = s.reconnects;
        u.duplicatesDropped = s.duplicates;
        u.simulationErrors = s.simulationErrors;
        if (s.transactions)
            u.transactionsCaptured = s.transactions;
    }
    out.sessions.append(u);
    s.dirty = false;
}

EventReplay::EventReplay(QString runId, QString label, std::optional<CaptureMetadata> metadata)
    : d(std::make_unique<Private>())
{
    d->runId = std::move(runId);
    d->label = std::move(label);
    d->metadata = std::move(metadata);
    if (d->metadata) {
        d->run.startSlot = d->metadata->startSlot;
        d->run.endSlot = d->metadata->endSlot;
    }
}

EventReplay::~EventReplay() = default;

qint64 EventReplay::lastEventMs() const
{
    return d->lastEventMs;
}

QStringList EventReplay::replayGaps() const
{
    return d->replayGaps;
}

quint64 EventReplay::framesDropped() const
{
    return d->framesDropped;
}

bool EventReplay::wasStopped() const
{
    return d->stopped;
}

bool EventReplay::isParallel() const
{
    return d->parallel;
}

void EventReplay::apply(const CaptureEvent &e, ReplayBatch &out)
{
    using Direction = ProtocolLogEntry::Direction;
    if (e.at.isValid())
        d->lastEventMs = e.at.toMSecsSinceEpoch();
    const QJsonObject &data = e.data;
    const QString &type = e.type;

    if (type == u"account_diff") {
        AccountDiffRecord r;
        if (!d->accountDiffs.parse(e.dataJson, e.sessionId, r)) {
            ++out.skippedEvents;
            return;
        }
        if (!d->diffs.admitAccountDiff(r.slot.value_or(0), r.signature.toUtf8(), r.account.toUtf8(), e.dataJson))
            return;
        out.accountDiffs.append(std::move(r));
        return;
    }

    if (type == u"coordinator") {
        // The batch's reconnect coordinator (RunJournal::coordinator); only
        // the latest matters to the panel.
        Result<CoordinatorSnapshot> snapshot = CoordinatorSnapshot::fromJson(data);
        if (!snapshot) {
            ++out.skippedEvents;
            return;
        }
        out.coordinator = std::move(*snapshot);
        return;
    }

    if (type == u"session_created") {
        if (data.contains(u"control_session_id"_s)) {
            // A parallel batch: the run row, with one child per sub-session.
            d->modeKnown = true;
            d->parallel = true;
            d->run.state = SessionState::Ready;
            d->run.name = data.value(u"control_session_name"_s).toString();
            d->run.dirty = true;
            d->logProtocol(e, Direction::Incoming, u"sessionsCreated"_s,
                           u"batch %1, %2 sub-sessions"_s.arg(data.value(u"control_session_id"_s).toString())
                               .arg(data.value(u"sub_sessions"_s).toInteger()), out);
            return;
        }
        const QString id = data.value(u"session_id"_s).toString(e.sessionId);
        if (!d->modeKnown) {
            d->modeKnown = true;
            d->parallel = false;
        }
        if (!d->parallel)
            d->singleId = id;
        Session &s = d->sessionFor(id);
        if (const auto start = u64(data, u"start_slot"_s))
            s.startSlot = start;
        if (const auto end = u64(data, u"end_slot"_s))
            s.endSlot = end;
        s.dirty = true;
        d->logProtocol(e, Direction::Incoming, u"sessionCreated"_s, id, out);
        return;
    }

    Session &s = d->sessionFor(e.sessionId);
    const bool isRun = &s == &d->run;
    const auto positionOf = [&](quint64 slot, std::optional<quint32> batchIndex, bool paused, bool finished) {
        out.positions.append(ReplayPosition{isRun && !d->parallel ? d->singleId : e.sessionId, slot, batchIndex,
                                            paused, finished});
    };

    if (type == u"connection") {
        const auto status = statusFromName(data.value(u"status"_s).toString());
        if (!status) {
            ++out.skippedEvents;
            return;
        }
        const QString socket = data.value(u"socket"_s).toString();
        const QString reason = data.value(u"reason"_s).toString();
        const int attempt = data.value(u"attempt"_s).toInt();
        Link &link = s.link(socket);
        if (data.contains(u"delay_ms"_s)) {
            // A reconnect scheduled: the status is unchanged.
            link.state.attempt = attempt;
            link.state.retryInMs = data.value(u"delay_ms"_s).toInteger();
            link.state.retryAtMs = d->lastEventMs + *link.state.retryInMs;
            link.state.reason = reason;
            out.connections.append(ConnectionEvent{d->lastEventMs, e.sessionId, socket, link.state.status, reason,
                                                   attempt, false}); // as SessionEngine::onReconnectScheduled
        } else {
            if (*status == ConnectionStatus::Up && link.everUp)
                ++s.reconnects;
            if (*status == ConnectionStatus::Up)
                link.everUp = true;
            const bool ended = data.value(u"ended"_s).toBool();
            link.state = LinkState{*status, attempt, std::nullopt,
                                   *status == ConnectionStatus::Up ? QString() : reason, ended};
            out.connections.append(ConnectionEvent{d->lastEventMs, e.sessionId, socket, *status, reason, attempt, ended});
        }
        s.dirty = true;
    } else if (type == u"slot") {
        const auto slot = u64(data, u"slot"_s);
        if (!slot) {
            ++out.skippedEvents;
            return;
        }
        s.currentSlot = slot;
        // The notification right after the create says where the session
        // starts; any later one that this slot ran (as the live Stepper reads them).
        const bool ran = s.state != SessionState::Creating;
        if (!isTerminalState(s.state) && s.state != SessionState::Creating)
            s.state = SessionState::Running;
        s.dirty = true;
        positionOf(ran ? *slot + 1 : *slot, std::nullopt, false, false);
        d->logProtocol(e, Direction::Incoming, u"slotNotification"_s, u"slot %1"_s.arg(*slot), out);
    } else if (type == u"status") {
        d->logProtocol(e, Direction::Incoming, u"status"_s, data.value(u"status"_s).toString(), out);
    } else if (type == u"ready") {
        if (!isTerminalState(s.state))
            s.state = SessionState::Ready;
        s.dirty = true;
        d->logProtocol(e, Direction::Incoming, u"readyForContinue"_s, QString(), out);
    } else if (type == u"paused") {
        const auto slot = u64(data, u"slot"_s);
        if (!slot) {
            ++out.skippedEvents;
            return;
        }
        const auto batchIndex = batchIndexOf(data);
        s.currentSlot = slot;
        if (!isTerminalState(s.state))
            s.state = SessionState::Paused;
        s.dirty = true;
        positionOf(*slot, batchIndex, true, false);
        d->logProtocol(e, Direction::Incoming, u"paused"_s, u"paused %1"_s.arg(slotText(*slot, batchIndex)), out);
    } else if (type == u"discovery_batch") {
        const auto slot = u64(data, u"slot"_s);
        const auto batchIndex = batchIndexOf(data);
        if (!slot || !batchIndex) {
            ++out.skippedEvents;
            return;
        }
        DiscoveryBatchEvent batch;
        batch.slot = *slot;
        batch.batchIndex = *batchIndex;
        for (const QJsonValue &filter : data.value(u"matched"_s).toArray())
            batch.matched.append(DiscoveryFilter::fromJson(filter));
        for (const QJsonValue &index : data.value(u"transactionIndices"_s).toArray())
            batch.transactionIndices.append(quint32(index.toInteger()));
        // The file keeps how many transactions matched, not the transactions.
        const qint64 count = data.value(u"transactionCount"_s).toInteger(batch.transactionIndices.size());
        batch.transactions = QStringList(qsizetype(qBound<qint64>(0, count, qint64(1) << 20)), QString());
        out.discoveries.append({isRun && !d->parallel ? d->singleId : e.sessionId, batch});
        d->logProtocol(e, Direction::Incoming, u"discoveryBatch"_s,
                       u"%1 · %2 transaction(s)"_s.arg(slotText(*slot, batchIndex)).arg(count), out);
    } else if (type == u"completed") {
        s.state = SessionState::Completed;
        if (s.endSlot)
            s.currentSlot = s.endSlot;
        for (auto &[name, link] : s.subscriptions)
            link.state = LinkState{ConnectionStatus::Down, 0, std::nullopt, u"end of stream"_s, true};
        s.dirty = true;
        positionOf(s.currentSlot.value_or(0), std::nullopt, false, true);
        d->logProtocol(e, Direction::Incoming, u"completed"_s, QString(), out);
    } else if (type == u"error") {
        const QString message = data.value(u"message"_s).toString();
        s.lastError = message;
        s.dirty = true;
        if (data.contains(u"kind"_s)) {
            // A terminal failure (SessionEngine::onSessionFailed): the run's own
            // failure fails every session still going.
            s.state = SessionState::Failed;
            if (isRun) {
                for (auto &sub : d->subs) {
                    if (!isTerminalState(sub->state)) {
                        sub->state = SessionState::Failed;
                        sub->lastError = message;
                        sub->dirty = true;
                    }
                }
            }
        }
        d->logProtocol(e, Direction::Incoming, u"error"_s, message, out);
    } else if (type == u"simulation_error") {
        // `count` is the session's running total (RunJournal::simulationError).
        s.simulationErrors = quint64(qMax<qint64>(qint64(s.simulationErrors), data.value(u"count"_s).toInteger()));
        s.dirty = true;
        d->logProtocol(e, Direction::Incoming, u"simulationError"_s, data.value(u"message"_s).toString(), out);
    } else if (type == u"continue_sent") {
        if (!isTerminalState(s.state))
            s.state = SessionState::Running;
        s.dirty = true;
        d->logProtocol(e, Direction::Outgoing, u"continue"_s,
                       u"advance %1"_s.arg(data.value(u"advanceCount"_s).toInteger()), out);
    } else if (type == u"continue_to_sent") {
        if (!isTerminalState(s.state))
            s.state = SessionState::Running;
        s.dirty = true;
        const auto slot = u64(data, u"slot"_s).value_or(0);
        d->logProtocol(e, Direction::Outgoing, u"continueTo"_s, u"to %1"_s.arg(slotText(slot, batchIndexOf(data))),
                       out);
    } else if (type == u"session_attached") {
        // A batch's control session, or a single session's own.
        const QString attached = data.contains(u"control_session_id"_s) ? data.value(u"control_session_id"_s).toString()
                                                                          : data.value(u"session_id"_s).toString();
        d->logProtocol(e, Direction::Incoming, u"sessionAttached"_s, attached, out);
    } else if (type == u"duplicate_dropped") {
        ++s.duplicates;
        s.dirty = true;
    } else if (type == u"frame_dropped") {
        ++s.framesDropped;
        ++d->framesDropped;
        s.dirty = true;
    } else if (type == u"replay_gap") {
        const auto first = u64(data, u"first_slot"_s);
        const auto last = u64(data, u"last_slot"_s);
        const auto newest = u64(data, u"newest_slot"_s);
        if (first && last && newest) {
            s.lastError = describeReplayGap(data.value(u"socket"_s).toString(), *first, *last, *newest);
            s.dirty = true;
            d->replayGaps.append(e.sessionId.isEmpty() ? s.lastError : u"%1: %2"_s.arg(e.sessionId, s.lastError));
        }
    } else if (type == u"stopped") {
        d->stopped = true;
        d->everySession([](Session &x) {
            if (!isTerminalState(x.state)) {
                x.state = SessionState::Stopped;
                x.dirty = true;
            }
        });
    }
}

void EventReplay::flush(ReplayBatch &out)
{
    // The run row must be created knowing whether it is a batch.
    if (!d->modeKnown)
        return;
    if (d->run.dirty)
        d->emitRow(d->run, true, out);
    for (auto &s : d->subs) {
        if (s->dirty)
            d->emitRow(*s, false, out);
    }
}

void EventReplay::finish(const QStringList &sessionIds, const QHash<QString, quint64> &transactionsPerSession,
                         ReplayBatch &out)
{
    if (!d->modeKnown) {
        // No session_created (a `sim run` file, or an events file cut short):
        // the sessions the capture names, in its order, then any other its
        // transactions name.
        QStringList ids;
        for (const QString &id : sessionIds) {
            if (!id.isEmpty() && !ids.contains(id))
                ids.append(id);
        }
        QStringList others;
        for (auto it = transactionsPerSession.cbegin(); it != transactionsPerSession.cend(); ++it) {
            if (!it.key().isEmpty() && !ids.contains(it.key()))
                others.append(it.key());
        }
        others.sort();
        ids += others;
        d->modeKnown = true;
        d->parallel = ids.size() > 1;
        if (d->parallel) {
            for (const QString &id : std::as_const(ids))
                d->sessionFor(id);
        } else {
            d->singleId = ids.value(0);
        }
    }
    if (d->parallel) {
        for (auto it = transactionsPerSession.cbegin(); it != transactionsPerSession.cend(); ++it) {
            if (it.key().isEmpty())
                continue;
            Session &s = d->sessionFor(it.key());
            s.transactions = it.value();
            s.dirty = true;
        }
        d->run.dirty = true;
    } else {
        quint64 total = 0;
        for (const quint64 n : transactionsPerSession)
            total += n;
        d->run.transactions = total;
        d->run.dirty = true;
    }
    // The recording is over: no socket of it is live any more (as the
    // timeline's lanes end at the last event). A Failed one stays Failed.
    d->everySession([](Session &s) {
        const auto close = [&s](Link &link) {
            if (link.state.status == ConnectionStatus::Failed || link.state.ended)
                return;
            link.state = LinkState{ConnectionStatus::Down, link.state.attempt, std::nullopt, u"closed"_s, true};
            s.dirty = true;
        };
        if (s.hasControl)
            close(s.control);
        for (auto &[name, link] : s.subscriptions)
            close(link);
    });
    flush(out);
}

} // namespace SlotScope
