#include "refserver/sessionregistry.h"

#include "refserver/backtestsession.h"
#include "refserver/controlconnection.h"
#include "refserver/logging.h"
#include "refserver/parallelbatch.h"
#include "protocol/sessionids.h"

#include <QDateTime>
#include <QRandomGenerator>

#include <mutex>

using namespace Qt::StringLiterals;

namespace SlotScope::Internal {

SessionRegistry::SessionRegistry(const RefServerConfig &config, std::shared_ptr<const TransactionCatalog> catalog,
                                 QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_catalog(std::move(catalog))
{
}

SessionRegistry::~SessionRegistry()
{
    dropAll(u"server shutting down"_s);
}

QString SessionRegistry::newSessionId() const
{
    return newId(u"backtest_"_s);
}

QString SessionRegistry::newId(const QString &prefix) const
{
    // UUID v7 (RFC 9562 §5.7): 48-bit Unix milliseconds, version 7, then a
    // 12-bit counter in rand_a (§6.2 method 1) so ids made within one
    // millisecond still sort in creation order, then 62 random bits.
    static std::mutex mutex;
    static quint64 lastMillis = 0;
    static quint32 counter = 0;
    quint64 millis = quint64(QDateTime::currentMSecsSinceEpoch());
    quint32 sequence = 0;
    {
        const std::lock_guard lock(mutex);
        if (millis <= lastMillis) {
            millis = lastMillis;
            if (++counter > 0xfff) { // counter spent: borrow the next millisecond
                ++millis;
                counter = 0;
            }
        } else {
            counter = 0;
        }
        lastMillis = millis;
        sequence = counter;
    }
    QByteArray bytes(16, '\0');
    for (int i = 0; i < 6; ++i)
        bytes[i] = char((millis >> (40 - 8 * i)) & 0xff);
    bytes[6] = char(0x70 | ((sequence >> 8) & 0x0f));
    bytes[7] = char(sequence & 0xff);
    quint32 random[2];
    QRandomGenerator::global()->fillRange(random);
    for (int i = 8; i < 16; ++i)
        bytes[i] = char((random[(i - 8) / 4] >> (8 * ((i - 8) % 4))) & 0xff);
    bytes[8] = char((bytes[8] & 0x3f) | 0x80);
    const QByteArray hex = bytes.toHex();
    if (m_config.wire == WireVersion::V0_31)
        return prefix + QString::fromLatin1(hex);
    return prefix + QString::fromLatin1(hex.mid(0, 8) + '-' + hex.mid(8, 4) + '-' + hex.mid(12, 4) + '-'
                                        + hex.mid(16, 4) + '-' + hex.mid(20, 12));
}

QWebSocketProtocol::CloseCode SessionRegistry::closedByClientCode() const
{
    return m_config.wire == WireVersion::V0_31 ? QWebSocketProtocol::CloseCodeNormal
                                               : QWebSocketProtocol::CloseCodeGoingAway;
}

void SessionRegistry::record(int connectionId, TranscriptEntry::Kind kind, const QString &sessionId,
                             const QString &text)
{
    TranscriptEntry entry;
    entry.time = QDateTime::currentDateTimeUtc();
    entry.connectionId = connectionId;
    entry.kind = kind;
    entry.sessionId = sessionId;
    entry.text = text;
    m_transcript.append(entry);
    Q_EMIT clientFrameReceived(entry);
}

void SessionRegistry::createSession(ControlConnection *connection, const CreateSessionParams &params)
{
    if (connection->session()) {
        connection->session()->send(
            Responses::Error{BacktestError::invalidRequest(u"this connection already has a session"_s)});
        return;
    }
    if (params.parallel) {
        connection->sendError(
            BacktestError::invalidRequest(u"parallel sessions are not supported by this reference server"_s));
        return;
    }
    if (params.startSlot > params.endSlot) {
        connection->sendError(BacktestError::invalidRequest(u"startSlot must be <= endSlot"_s));
        return;
    }
    if (params.startSlot < m_config.availableStart || params.endSlot > m_config.availableEnd) {
        connection->sendError(BacktestError::bundleNotFound(params.startSlot, params.endSlot));
        return;
    }

    if (const std::optional<BacktestError> refused = checkName(params)) {
        connection->sendError(*refused);
        return;
    }

    const QString id = newSessionId();
    holdName(params, id);
    auto *session = new BacktestSession(id, connection->apiKey(), params,
                                        TransactionPlan(m_catalog, params.startSlot, params.endSlot,
                                                        m_config.transactionsPerSlot, m_config.experiment),
                                        m_config, this);
    m_sessions.insert(id, session);
    connect(session, &BacktestSession::completed, this, &SessionRegistry::sessionCompleted);
    connect(session, &BacktestSession::expired, this,
            [this](const QString &sessionId) { dropSession(sessionId, u"session expired"_s); });
    connect(session, &BacktestSession::capacityRefused, this, [this, connection = QPointer(connection)](const QString &sessionId) {
        if (connection && connection->session() && connection->session()->id() == sessionId)
            connection->setSession(nullptr); // the socket may create again
        dropSession(sessionId, u"no capacity"_s);
    }, Qt::QueuedConnection);
    connection->setSession(session);
    session->attachControl(connection);
    qCInfo(lcRefServer) << "session" << id << "created for slots" << params.startSlot << "to" << params.endSlot;
    session->start();
    Q_EMIT sessionCreated(id);
}

std::optional<BacktestError> SessionRegistry::checkName(const CreateSessionParams &params)
{
    if (m_config.wire != WireVersion::V0_31 || !params.name)
        return std::nullopt;
    const Result<QString> name = validateSessionName(*params.name);
    if (!name)
        return BacktestError::invalidRequest(name.error().message);
    const auto holder = m_names.constFind(*name);
    if (holder == m_names.cend())
        return std::nullopt;
    if (!holder->createToken || holder->createToken != params.createToken)
        return BacktestError::sessionNameTaken(*name);
    // The same create again: its first answer was lost with the connection.
    const QString abandoned = holder->ownerId;
    qCInfo(lcRefServer) << "name" << *name << "reclaimed by a resent create; dropping" << abandoned;
    m_names.erase(holder);
    if (m_sessions.contains(abandoned))
        dropSession(abandoned, u"name reclaimed by a resent create"_s);
    else if (ParallelBatch *batch = ParallelBatches::of(this)->batch(abandoned))
        batch->drop(u"name reclaimed by a resent create"_s);
    return std::nullopt;
}

void SessionRegistry::holdName(const CreateSessionParams &params, const QString &ownerId)
{
    if (m_config.wire != WireVersion::V0_31 || !params.name)
        return;
    if (const Result<QString> name = validateSessionName(*params.name))
        m_names.insert(*name, NameHolder{ownerId, params.createToken});
}

void SessionRegistry::releaseName(const QString &ownerId)
{
    m_names.removeIf([&ownerId](const auto &entry) { return entry.value().ownerId == ownerId; });
}

void SessionRegistry::adoptSession(BacktestSession *session)
{
    m_sessions.insert(session->id(), session);
    connect(session, &BacktestSession::completed, this, &SessionRegistry::sessionCompleted);
    Q_EMIT sessionCreated(session->id());
}

QString SessionRegistry::canonicalId(const QString &sessionId) const
{
    if (m_sessions.contains(sessionId))
        return sessionId;
    const QString key = sessionIdKey(sessionId);
    for (auto it = m_sessions.cbegin(); it != m_sessions.cend(); ++it) {
        if (sessionIdKey(it.key()) == key)
            return it.key();
    }
    return sessionId;
}

void SessionRegistry::attachSession(ControlConnection *connection, const QString &requestedId,
                                    std::optional<quint64> lastSequence)
{
    const QString sessionId = canonicalId(requestedId);
    if (connection->session()) {
        connection->session()->send(
            Responses::Error{BacktestError::invalidRequest(u"this connection already has a session"_s)});
        return;
    }
    BacktestSession *session = m_sessions.value(sessionId);
    if (!session) {
        connection->sendError(BacktestError::sessionNotFound(sessionId));
        return;
    }
    if (session->ownerKey() != connection->apiKey()) {
        connection->sendError(BacktestError::make(BacktestErrorKind::SessionOwnerMismatch));
        return;
    }
    // A sub-session is its batch's: attached with it (attachParallelControlSessionV2,
    // PROTOCOL.md §6.5), never alone — a second socket driving it, and
    // dropping it when that socket goes, would end it under the batch.
    if (const ParallelBatch *batch = ParallelBatches::of(this)->batchOfSubSession(sessionId)) {
        if (batch->control() && batch->control()->isOpen())
            connection->sendError(BacktestError::sessionOwnershipBusy(
                u"a sub-session of parallel batch %1, which another live control connection holds"_s.arg(batch->id())));
        else
            connection->sendError(BacktestError::invalidRequest(
                u"%1 is a sub-session of parallel batch %2: attach the batch (attachParallelControlSessionV2)"_s.arg(
                    sessionId, batch->id())));
        return;
    }
    if (session->control() && session->control()->isOpen()) {
        connection->sendError(
            BacktestError::sessionOwnershipBusy(u"session is attached to another live control connection"_s));
        return;
    }
    connection->setSession(session);
    session->attachControl(connection);
    // sessionAttached is the handshake reply, not a session event: it carries no
    // seqId, so the replayed frames after it keep their original numbers.
    connection->sendFrame(encodeControlResponse(Responses::SessionAttached{session->info()}));
    if (m_config.controlFaults.replayAfterHandshake)
        session->holdReplay(lastSequence); // sent after resume's `success`
    else
        session->replayAfter(lastSequence);
    qCInfo(lcRefServer) << "session" << sessionId << "attached, replaying after seqId"
                        << (lastSequence ? qint64(*lastSequence) : qint64(0));
}

void SessionRegistry::controlClosed(ControlConnection *connection)
{
    BacktestSession *session = connection->session();
    if (!session || session->control() != connection)
        return;
    session->detachControl();
    if (session->isSequenced()) {
        qCInfo(lcRefServer) << "session" << session->id() << "kept after its control connection closed";
        return;
    }
    dropSession(session->id(), u"control connection closed"_s);
}

void SessionRegistry::dropSession(const QString &sessionId, const QString &reason,
                                  QWebSocketProtocol::CloseCode closeCode)
{
    BacktestSession *session = m_sessions.take(sessionId);
    if (!session)
        return;
    qCInfo(lcRefServer) << "session" << sessionId << "dropped:" << reason;
    releaseName(sessionId);
    if (ControlConnection *control = session->control())
        control->setSession(nullptr);
    session->shutdown(reason, closeCode);
    session->deleteLater();
}

void SessionRegistry::dropAll(const QString &reason)
{
    const QStringList ids = m_sessions.keys();
    for (const QString &id : ids)
        dropSession(id, reason);
}

} // namespace SlotScope::Internal
