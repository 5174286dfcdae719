#include "refserver/parallelbatch.h"

#include "refserver/backtestsession.h"
#include "refserver/controlconnection.h"
#include "refserver/logging.h"
#include "refserver/sessionregistry.h"
#include "refserver/transactionplan.h"
#include "protocol/sessionids.h"

#include <algorithm>
#include <type_traits>

using namespace Qt::StringLiterals;

namespace SlotScope::Internal {

namespace {

/// The event a sub-session response becomes inside sessionEventV2, or nullopt
/// for responses that are no session event (sessionCreated, parallel frames).
std::optional<SessionEventKind> toEventKind(const ControlResponse &response)
{
    return std::visit(
        [](const auto &r) -> std::optional<SessionEventKind> {
            using T = std::decay_t<decltype(r)>;
            if constexpr (std::is_constructible_v<SessionEventKind, T>
                          && !std::is_same_v<T, Responses::SessionEventV2>)
                return SessionEventKind{r};
            else
                return std::nullopt;
        },
        response);
}

} // namespace

QList<SubRange> splitIntoBundles(quint64 startSlot, quint64 endSlot, quint64 origin, quint64 bundleSize)
{
    QList<SubRange> ranges;
    const quint64 size = std::max<quint64>(bundleSize, 1);
    quint64 from = startSlot;
    while (true) {
        // Last slot of the bundle holding `from`.
        const quint64 bundleEnd = origin + ((from - origin) / size + 1) * size - 1;
        const quint64 to = std::min(endSlot, bundleEnd);
        ranges.append({from, to});
        if (to >= endSlot)
            break;
        from = to + 1;
    }
    return ranges;
}

// ---------------------------------------------------------------------------

ParallelBatch::ParallelBatch(const QString &id, const QByteArray &ownerKey, const CreateSessionParams &params,
                             SessionRegistry *registry, QObject *parent)
    : QObject(parent)
    , m_id(id)
    , m_ownerKey(ownerKey)
    , m_params(params)
    , m_registry(registry)
    , m_disconnectTimeoutSecs(std::min<int>(
          params.disconnectTimeoutSecs.value_or(registry->config().wire == WireVersion::V0_31
                                                    ? BacktestSession::DefaultDisconnectTimeoutSecs
                                                    : 0),
          int(kMaxDisconnectTimeoutSecs)))
{
    m_startupTimer.setSingleShot(true);
    connect(&m_startingStatusTimer, &QTimer::timeout, this,
            [this] { sendToControl(encodeControlResponse(Responses::Status{u"startingRuntime"_s})); });
    m_expiryTimer.setSingleShot(true);
    connect(&m_expiryTimer, &QTimer::timeout, this, [this] {
        qCInfo(lcRefServer) << "parallel batch" << m_id << "expired after" << m_disconnectTimeoutSecs
                            << "s without a control connection";
        drop(u"parallel batch expired"_s);
    });
}

ParallelBatch::~ParallelBatch()
{
    // A lingering sub-session must not call back into a deleted batch.
    for (const SubSession &sub : std::as_const(m_subs)) {
        if (sub.session)
            sub.session->setResponseSink({});
    }
}

ControlConnection *ParallelBatch::control() const
{
    return m_control;
}

QStringList ParallelBatch::sessionIds() const
{
    QStringList ids;
    ids.reserve(m_subs.size());
    for (const SubSession &sub : m_subs)
        ids.append(sub.id);
    return ids;
}

void ParallelBatch::attachControl(ControlConnection *connection)
{
    m_expiryTimer.stop();
    if (m_controlConnection)
        disconnect(m_controlConnection);
    m_control = connection;
    m_controlConnection = connect(connection, &ControlConnection::finished, this,
                                  &ParallelBatch::onControlFinished);
}

void ParallelBatch::onControlFinished(ControlConnection *connection)
{
    if (connection != m_control)
        return;
    m_control = nullptr;
    disconnect(m_controlConnection);
    if (m_finished)
        return;
    if (m_disconnectTimeoutSecs <= 0) {
        drop(u"control connection closed"_s);
        return;
    }
    qCInfo(lcRefServer) << "parallel batch" << m_id << "kept after its control connection closed";
    m_expiryTimer.start(m_disconnectTimeoutSecs * 1000);
}

void ParallelBatch::sendToControl(const QByteArray &frame)
{
    if (m_control)
        m_control->sendFrame(frame);
}

void ParallelBatch::start(const QList<SubRange> &ranges)
{
    const RefServerConfig &config = m_registry->config();
    // No capacity within the create's wait (RefServerConfig::capacityShortfallMs):
    // the error when the wait is over, no sub-session, the batch ends.
    const qint64 allowedMs = qint64(m_params.capacityWaitTimeoutSecs.value_or(0)) * 1000;
    if (config.capacityShortfallMs > allowedMs) {
        qCInfo(lcRefServer) << "parallel batch" << m_id << "gets no capacity within its" << allowedMs << "ms wait";
        QTimer::singleShot(allowedMs, this, [this, allowedMs] {
            sendToControl(encodeControlResponse(Responses::Error{BacktestError::make(
                BacktestErrorKind::ClerkError,
                {{u"error"_s, u"no capacity within the create's capacityWaitTimeoutSecs (%1 s)"_s.arg(allowedMs / 1000)}})}));
            finish();
        });
        return;
    }
    const int waitMs = std::max(config.startupDelayMs, config.capacityShortfallMs);
    if (waitMs <= 0) {
        startSubSessions(ranges);
        return;
    }
    qCInfo(lcRefServer) << "parallel batch" << m_id << "waits" << waitMs << "ms for capacity";
    if (config.wire == WireVersion::V0_31) {
        // PROTOCOL-0.31.md §4.5: startingRuntime on accept, then about every 10 s.
        sendToControl(encodeControlResponse(Responses::Status{u"startingRuntime"_s}));
        if (config.startingRuntimeIntervalMs > 0)
            m_startingStatusTimer.start(config.startingRuntimeIntervalMs);
    }
    disconnect(&m_startupTimer, nullptr, this, nullptr);
    connect(&m_startupTimer, &QTimer::timeout, this, [this, ranges] {
        m_startingStatusTimer.stop();
        startSubSessions(ranges);
    });
    m_startupTimer.start(waitMs);
}

void ParallelBatch::startSubSessions(const QList<SubRange> &ranges)
{
    const std::shared_ptr<const TransactionCatalog> catalog = m_registry->catalog();
    RefServerConfig config = m_registry->config();
    config.startupDelayMs = 0; // the batch waited for capacity as a whole
    config.capacityShortfallMs = 0;
    // One plan over the whole batch range; each sub-session executes its window.
    const TransactionPlan batchPlan(catalog, m_params.startSlot, m_params.endSlot, config.transactionsPerSlot,
                                    config.experiment);

    m_subs.reserve(ranges.size());
    for (const SubRange &range : ranges) {
        SubSession sub;
        sub.id = m_registry->newSessionId();
        sub.range = range;
        m_index.insert(sessionIdKey(sub.id), int(m_subs.size())); // any spelling of it (PROTOCOL-0.31.md §5.1)
        m_subs.append(sub);
    }
    for (int i = 0; i < m_subs.size(); ++i) {
        SubSession &sub = m_subs[i];
        CreateSessionParams params = m_params;
        params.startSlot = sub.range.startSlot;
        params.endSlot = sub.range.endSlot;
        params.parallel = false;
        params.disconnectTimeoutSecs = 0; // the batch keeps the history, not the sub-session
        auto *session = new BacktestSession(sub.id, m_ownerKey, params,
                                            batchPlan.window(sub.range.startSlot, sub.range.endSlot), config,
                                            m_registry);
        session->setResponseSink([this, i](const ControlResponse &response) { onResponse(i, response); });
        sub.session = session;
        m_registry->adoptSession(session);
        session->start();
    }

    Responses::SessionsCreatedV2 created;
    created.controlSessionId = m_id;
    if (config.wire == WireVersion::V0_31 && m_params.name)
        created.controlSessionName = m_params.name->trimmed().toLower(); // §4.2
    QList<quint64> starts;
    QList<quint64> ends;
    for (const SubSession &sub : std::as_const(m_subs)) {
        created.sessionIds.append(sub.id);
        created.taskIds.append(std::nullopt);
        starts.append(sub.range.startSlot);
        ends.append(sub.range.endSlot);
    }
    if (!config.omitParallelRanges) {
        created.startSlots = starts;
        created.endSlots = ends;
    }
    sendToControl(encodeControlResponse(created));
    qCInfo(lcRefServer) << "parallel batch" << m_id << "created with" << m_subs.size() << "sub-sessions for slots"
                        << m_params.startSlot << "to" << m_params.endSlot
                        << (config.omitParallelRanges ? "(ranges omitted)" : "");
}

void ParallelBatch::onResponse(int index, const ControlResponse &response)
{
    SubSession &sub = m_subs[index];
    if (const auto *created = std::get_if<Responses::SessionCreated>(&response)) {
        // sessionCreated is the top-level announcement; the sub-session's events
        // that preceded it (startup statuses) follow it right away.
        sub.announced = true;
        sendToControl(encodeControlResponse(*created));
        for (const HistoryEntry &entry : std::as_const(m_history)) {
            if (entry.subSession == index)
                sendToControl(entry.frame);
        }
        return;
    }
    std::optional<SessionEventKind> event = toEventKind(response);
    if (!event) {
        qCWarning(lcRefServer) << "parallel batch" << m_id << ": not forwarding" << methodName(response)
                               << "of" << sub.id;
        return;
    }
    if (std::holds_alternative<Responses::Completed>(*event))
        sub.completed = true;
    const Responses::SessionEventV2 wrapped{sub.id, sub.nextSeq++, std::move(*event)};
    HistoryEntry entry{index, wrapped.seqId, encodeControlResponse(wrapped)};
    if (sub.announced)
        sendToControl(entry.frame);
    m_history.append(std::move(entry));
    if (m_history.size() > HistoryFrames)
        m_history.remove(0, m_history.size() - HistoryFrames);
}

void ParallelBatch::replayAndConfirmAttach(const QMap<QString, quint64> &lastSequences)
{
    Responses::ParallelSessionAttachedV2 attached;
    attached.controlSessionId = m_id;
    for (const SubSession &sub : std::as_const(m_subs)) {
        attached.sessionIds.append(sub.id);
        attached.taskIds.append(std::nullopt);
    }
    // PROTOCOL.md §6.5 shows the replay first; PROTOCOL-0.31.md §6.3 allows
    // either order (ControlFaults::replayAfterHandshake).
    const bool answerFirst = m_registry->config().controlFaults.replayAfterHandshake;
    if (answerFirst)
        sendToControl(encodeControlResponse(attached));
    // Cursors by index so the history walk does no string lookups.
    QList<quint64> cursors(m_subs.size(), 0);
    for (auto it = lastSequences.cbegin(); it != lastSequences.cend(); ++it) {
        if (const int index = m_index.value(sessionIdKey(it.key()), -1); index >= 0)
            cursors[index] = it.value();
    }
    int replayed = 0;
    for (const HistoryEntry &entry : std::as_const(m_history)) {
        if (entry.seqId > cursors.at(entry.subSession)) {
            sendToControl(entry.frame);
            ++replayed;
        }
    }
    if (!answerFirst)
        sendToControl(encodeControlResponse(attached));
    qCInfo(lcRefServer) << "parallel batch" << m_id << "attached," << replayed << "events replayed"
                        << (answerFirst ? "after" : "before") << "parallelSessionAttachedV2";
}

void ParallelBatch::handleContinue(const QString &sessionId, const ContinueParams &params)
{
    const int index = m_index.value(sessionIdKey(sessionId), -1);
    if (index < 0 || m_subs.at(index).closed || !m_subs.at(index).session) {
        sendToControl(encodeControlResponse(Responses::Error{BacktestError::sessionNotFound(sessionId)}));
        return;
    }
    m_subs[index].session->handleContinue(params);
}

void ParallelBatch::handleContinueTo(const QString &sessionId, const ContinueToParams &params)
{
    const int index = m_index.value(sessionIdKey(sessionId), -1);
    if (index < 0 || m_subs.at(index).closed || !m_subs.at(index).session) {
        sendToControl(encodeControlResponse(Responses::Error{BacktestError::sessionNotFound(sessionId)}));
        return;
    }
    m_subs[index].session->handleContinueTo(params);
}

void ParallelBatch::handleCloseSession(const QString &sessionId)
{
    const int index = m_index.value(sessionIdKey(sessionId), -1);
    if (index < 0 || m_subs.at(index).closed) {
        sendToControl(encodeControlResponse(Responses::Error{BacktestError::sessionNotFound(sessionId)}));
        return;
    }
    SubSession &sub = m_subs[index];
    onResponse(index, Responses::Success{});
    const RefServerConfig &config = m_registry->config();
    dropSubSession(sub, u"session closed"_s, sub.completed ? config.effectiveClosedLingerMs() : 0,
                   m_registry->closedByClientCode());
}

void ParallelBatch::dropSubSession(SubSession &sub, const QString &reason, int lingerMs,
                                   QWebSocketProtocol::CloseCode closeCode)
{
    sub.closed = true;
    if (!sub.session)
        return;
    sub.session->setResponseSink({});
    if (lingerMs <= 0) {
        m_registry->dropSession(sub.id, reason, closeCode);
        return;
    }
    QPointer<SessionRegistry> registry(m_registry);
    const QString id = sub.id;
    QTimer::singleShot(lingerMs, m_registry, [registry, id, reason, closeCode] {
        if (registry)
            registry->dropSession(id, reason, closeCode);
    });
}

void ParallelBatch::close()
{
    sendToControl(encodeControlResponse(Responses::Success{}));
    const int lingerMs = m_registry->config().effectiveClosedLingerMs();
    for (SubSession &sub : m_subs) {
        if (!sub.closed)
            dropSubSession(sub, u"session closed"_s, sub.completed ? lingerMs : 0, m_registry->closedByClientCode());
    }
    qCInfo(lcRefServer) << "parallel batch" << m_id << "closed";
    const QPointer<ControlConnection> control = m_control;
    finish(); // before the close: it may report the connection's end at once
    if (control)
        control->closeNormally(u"session closed"_s);
}

void ParallelBatch::drop(const QString &reason)
{
    for (SubSession &sub : m_subs) {
        if (!sub.closed)
            dropSubSession(sub, reason, 0);
    }
    qCInfo(lcRefServer) << "parallel batch" << m_id << "dropped:" << reason;
    finish();
}

void ParallelBatch::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_expiryTimer.stop();
    m_startupTimer.stop();
    m_startingStatusTimer.stop();
    Q_EMIT finished(this);
}

// ---------------------------------------------------------------------------

ParallelBatches::ParallelBatches(SessionRegistry *registry)
    : QObject(registry)
    , m_registry(registry)
{
}

ParallelBatches *ParallelBatches::of(SessionRegistry *registry)
{
    if (auto *existing = registry->findChild<ParallelBatches *>(QString(), Qt::FindDirectChildrenOnly))
        return existing;
    return new ParallelBatches(registry);
}

QString ParallelBatches::newControlSessionId() const
{
    // Same UUID v7 as a session id, other prefix (PROTOCOL.md §1.4).
    return m_registry->newId(u"parallel_"_s);
}

ParallelBatch *ParallelBatches::batchFor(const ControlConnection *connection) const
{
    for (ParallelBatch *batch : m_batches) {
        if (batch->control() == connection)
            return batch;
    }
    return nullptr;
}

ParallelBatch *ParallelBatches::batchOfSubSession(const QString &sessionId) const
{
    for (ParallelBatch *batch : m_batches) {
        if (batch->sessionIds().contains(sessionId))
            return batch;
    }
    return nullptr;
}

void ParallelBatches::create(ControlConnection *connection, const CreateSessionParams &params)
{
    if (connection->session() || batchFor(connection)) {
        connection->sendError(BacktestError::invalidRequest(u"this connection already has a session"_s));
        return;
    }
    const RefServerConfig &config = m_registry->config();
    if (params.startSlot > params.endSlot) {
        connection->sendError(BacktestError::invalidRequest(u"startSlot must be <= endSlot"_s));
        return;
    }
    if (params.startSlot < config.availableStart || params.endSlot > config.availableEnd) {
        connection->sendError(BacktestError::bundleNotFound(params.startSlot, params.endSlot));
        return;
    }
    const QList<SubRange> ranges =
        splitIntoBundles(params.startSlot, params.endSlot, config.availableStart, config.bundleSize);
    if (ranges.size() > MaxSubSessions) {
        connection->sendError(BacktestError::invalidRequest(
            u"the range splits into %1 sub-sessions; at most %2 per parallel batch"_s.arg(ranges.size())
                .arg(MaxSubSessions)));
        return;
    }

    if (const std::optional<BacktestError> refused = m_registry->checkName(params)) {
        connection->sendError(*refused);
        return;
    }

    const QString id = newControlSessionId();
    m_registry->holdName(params, id);
    auto *batch = new ParallelBatch(id, connection->apiKey(), params, m_registry, this);
    m_batches.insert(id, batch);
    connect(batch, &ParallelBatch::finished, this, [this](ParallelBatch *done) {
        m_registry->releaseName(done->id());
        m_batches.remove(done->id());
        done->deleteLater();
    });
    batch->attachControl(connection);
    batch->start(ranges);
}

void ParallelBatches::attach(ControlConnection *connection, const QString &controlSessionId,
                             const QMap<QString, quint64> &lastSequences)
{
    if (connection->session() || batchFor(connection)) {
        connection->sendError(BacktestError::invalidRequest(u"this connection already has a session"_s));
        return;
    }
    ParallelBatch *batch = m_batches.value(controlSessionId);
    for (auto it = m_batches.cbegin(); !batch && it != m_batches.cend(); ++it) {
        if (sameSessionId(it.key(), controlSessionId)) // any spelling (PROTOCOL-0.31.md §5.1)
            batch = it.value();
    }
    if (!batch) {
        connection->sendError(BacktestError::sessionNotFound(controlSessionId));
        return;
    }
    if (batch->ownerKey() != connection->apiKey()) {
        connection->sendError(BacktestError::make(BacktestErrorKind::SessionOwnerMismatch));
        return;
    }
    if (batch->control() && batch->control()->isOpen()) {
        connection->sendError(BacktestError::sessionOwnershipBusy(
            u"parallel control session is attached to another live control connection"_s));
        return;
    }
    batch->attachControl(connection);
    batch->replayAndConfirmAttach(lastSequences);
}

} // namespace SlotScope::Internal
