#include "net/reconnectcoordinator.h"
#include "net/logging.h"
#include "protocol/runclock.h"

#include <QTimer>

#include <algorithm>
#include <tuple>

namespace SlotScope {

ReconnectCoordinator::ReconnectCoordinator(QObject *parent)
    : QObject(parent)
{
}

qint64 ReconnectCoordinator::now() const
{
    return m_clock ? m_clock() : runClockMs();
}

void ReconnectCoordinator::setParticipantName(const QObject *who, const QString &sessionId, const QString &socket)
{
    m_names.insert(who, Name{sessionId, socket});
}

void ReconnectCoordinator::enterStreaming(const QObject *who, std::function<qint64()> idleForMs)
{
    if (m_streaming.contains(who))
        return;
    m_streaming.insert(who, now());
    if (idleForMs)
        m_idleFor.insert(who, std::move(idleForMs));
    if (m_known.contains(who)) {
        ++m_reconnects;
        m_stormConfirmed = m_stormConfirmed || m_stormSinceMs.has_value();
    }
    m_known.insert(who);
    checkStormOver();
    Q_EMIT changed();
}

int ReconnectCoordinator::activeStreamingCount() const
{
    int active = 0;
    for (auto it = m_streaming.cbegin(); it != m_streaming.cend(); ++it) {
        const auto idle = m_idleFor.constFind(it.key());
        if (idle == m_idleFor.cend() || (*idle)() < m_quietAfterMs)
            ++active;
    }
    return active;
}

void ReconnectCoordinator::leaveStreaming(const QObject *who)
{
    m_idleFor.remove(who);
    if (!m_streaming.remove(who))
        return;
    if (!m_stormSinceMs) {
        m_stormSinceMs = now();
        m_stormConfirmed = false;
    }
    Q_EMIT changed();
    scheduleDispatch();
}

void ReconnectCoordinator::requestSlot(QObject *who, std::function<void()> granted, int attempt)
{
    for (const Parked &parked : std::as_const(m_parked)) {
        if (parked.who == who)
            return; // already waiting
    }
    m_parked.append({who, who, std::move(granted), now(), attempt, false});
    ++m_parks;
    m_stormConfirmed = m_stormConfirmed || m_stormSinceMs.has_value();
    Q_EMIT changed();
    scheduleDispatch();
}

bool ReconnectCoordinator::expedite(const QObject *who)
{
    const auto it = std::find_if(m_parked.begin(), m_parked.end(),
                                 [who](const Parked &parked) { return parked.key == who; });
    if (it == m_parked.end())
        return false;
    if (!it->expedited) {
        Parked entry = std::move(*it);
        m_parked.erase(it);
        entry.expedited = true;
        // Behind the requests expedited before it, ahead of every other one.
        const auto firstPlain = std::find_if(m_parked.begin(), m_parked.end(),
                                             [](const Parked &parked) { return !parked.expedited; });
        m_parked.insert(firstPlain, std::move(entry));
        qCInfo(lcNet) << "parked reconnect expedited;" << m_parked.size() << "parked";
        Q_EMIT changed();
    }
    scheduleDispatch();
    return true;
}

bool ReconnectCoordinator::isParked(const QObject *who) const
{
    return std::any_of(m_parked.cbegin(), m_parked.cend(), [who](const Parked &parked) { return parked.key == who; });
}

void ReconnectCoordinator::releaseSlot(const QObject *who)
{
    if (m_permitHolder != who)
        return;
    m_permitHolder = nullptr;
    Q_EMIT changed();
    scheduleDispatch();
}

void ReconnectCoordinator::cancel(const QObject *who)
{
    const bool wasStreaming = m_streaming.remove(who);
    m_idleFor.remove(who);
    bool removed = false;
    const qint64 at = now();
    m_parked.removeIf([&](const Parked &parked) {
        if (parked.who && parked.key != who)
            return false;
        countPark(at - parked.sinceMs);
        removed = true;
        return true;
    });
    const bool heldPermit = m_permitHolder == who;
    if (heldPermit)
        m_permitHolder = nullptr;
    const bool wasKnown = m_known.remove(who);
    // A socket that leaves while down (it failed, or its session ended) did
    // not come back Up: a storm that ends with it is not one recovered from.
    if (wasKnown)
        checkStormOver(wasStreaming);
    if (wasStreaming || removed || heldPermit || wasKnown) {
        Q_EMIT changed();
        scheduleDispatch();
    }
}

void ReconnectCoordinator::cancelAll()
{
    const bool anyone = !m_parked.isEmpty() || !m_streaming.isEmpty() || m_permitHolder || !m_known.isEmpty();
    const qint64 at = now();
    for (const Parked &parked : std::as_const(m_parked))
        countPark(at - parked.sinceMs);
    m_parked.clear();
    m_streaming.clear();
    m_idleFor.clear();
    if (m_quietCheck)
        m_quietCheck->stop();
    m_permitHolder = nullptr;
    m_known.clear();
    if (m_stormSinceMs && m_stormConfirmed)
        m_unrecoveredStormMs = qMax<qint64>(0, at - *m_stormSinceMs);
    m_stormSinceMs.reset();
    m_stormConfirmed = false;
    if (anyone)
        Q_EMIT changed();
}

void ReconnectCoordinator::countPark(qint64 parkedMs)
{
    parkedMs = qMax<qint64>(0, parkedMs);
    m_totalParkedMs += parkedMs;
    m_longestParkMs = qMax(m_longestParkMs, parkedMs);
}

void ReconnectCoordinator::checkStormOver(bool recovered)
{
    // Every known socket streams again (streaming ⊆ known).
    if (!m_stormSinceMs || m_streaming.size() < m_known.size())
        return;
    if (m_stormConfirmed && recovered) {
        const qint64 lasted = qMax<qint64>(0, now() - *m_stormSinceMs);
        ++m_storms;
        m_lastStormMs = lasted;
        m_longestStormMs = qMax(m_longestStormMs, lasted);
        qCInfo(lcNet) << "reconnect storm over after" << lasted << "ms;" << m_reconnects << "reconnects so far";
    }
    m_stormSinceMs.reset();
    m_stormConfirmed = false;
}

void ReconnectCoordinator::scheduleDispatch()
{
    if (m_dispatchScheduled)
        return;
    m_dispatchScheduled = true;
    QTimer::singleShot(0, this, [this] {
        m_dispatchScheduled = false;
        dispatch();
    });
}

void ReconnectCoordinator::dispatch()
{
    // The link must be quiet and the single handshake slot free (seed
    // `reconnect_slot`); checked here, on the loop, so nobody slips in between.
    // An expedited request (always at the front) needs only the free slot.
    const qint64 at = now();
    m_parked.removeIf([&](const Parked &parked) {
        if (parked.who)
            return false;
        countPark(at - parked.sinceMs);
        return true;
    });
    if (m_parked.isEmpty() || m_permitHolder)
        return;
    if (!m_parked.constFirst().expedited && !m_streaming.isEmpty() && activeStreamingCount() > 0) {
        // Siblings that fall silent free the link too: look again meanwhile.
        if (!m_idleFor.isEmpty()) {
            if (!m_quietCheck) {
                m_quietCheck = new QTimer(this);
                m_quietCheck->setInterval(1000);
                connect(m_quietCheck, &QTimer::timeout, this, [this] {
                    if (m_parked.isEmpty())
                        m_quietCheck->stop();
                    else
                        dispatch();
                });
            }
            if (!m_quietCheck->isActive())
                m_quietCheck->start();
        }
        return;
    }
    if (m_quietCheck && m_parked.size() <= 1)
        m_quietCheck->stop();
    Parked next = m_parked.takeFirst();
    countPark(at - next.sinceMs);
    m_permitHolder = next.who;
    m_permitSinceMs = at;
    m_permitAttempt = next.attempt;
    qCDebug(lcNet) << "reconnect permit granted;" << m_parked.size() << "still parked";
    Q_EMIT changed();
    next.granted();
}

CoordinatorSnapshot::Socket ReconnectCoordinator::describe(const QObject *who, qint64 sinceMs, int attempt,
                                                            bool expedited) const
{
    const Name name = m_names.value(who);
    return {name.sessionId, name.socket, sinceMs, attempt, expedited, std::nullopt};
}

CoordinatorSnapshot ReconnectCoordinator::snapshot() const
{
    CoordinatorSnapshot snapshot;
    snapshot.atMs = now();
    if (m_permitHolder)
        snapshot.holder = describe(m_permitHolder, m_permitSinceMs, m_permitAttempt, false);
    snapshot.totalParkedMs = m_totalParkedMs;
    snapshot.longestParkMs = m_longestParkMs;
    for (const Parked &parked : m_parked) {
        if (!parked.who)
            continue;
        snapshot.parked.append(describe(parked.key, parked.sinceMs, parked.attempt, parked.expedited));
        const qint64 sofar = qMax<qint64>(0, snapshot.atMs - parked.sinceMs);
        snapshot.totalParkedMs += sofar;
        snapshot.longestParkMs = qMax(snapshot.longestParkMs, sofar);
    }
    snapshot.streaming = int(m_streaming.size());
    // (An expedited socket first in the queue waits only for the slot.)
    if (!snapshot.holder && !snapshot.parked.isEmpty() && !snapshot.parked.constFirst().expedited
        && !m_streaming.isEmpty() && m_streaming.size() <= CoordinatorSnapshot::kNamedWaitedFor) {
        for (auto it = m_streaming.cbegin(); it != m_streaming.cend(); ++it)
            snapshot.waitedFor.append(describe(it.key(), it.value(), 0, false));
        std::sort(snapshot.waitedFor.begin(), snapshot.waitedFor.end(), [](const auto &a, const auto &b) {
            return std::tie(a.sinceMs, a.sessionId, a.socket) < std::tie(b.sinceMs, b.sessionId, b.socket);
        });
    }
    snapshot.participants = int(m_known.size());
    snapshot.ungatedAttempts = m_ungatedAttempts;
    snapshot.reconnects = m_reconnects;
    snapshot.parks = m_parks;
    snapshot.storms = m_storms;
    snapshot.lastStormMs = m_lastStormMs;
    snapshot.longestStormMs = m_longestStormMs;
    snapshot.stormSinceMs = m_stormSinceMs;
    snapshot.unrecoveredStormMs = m_unrecoveredStormMs;
    return snapshot;
}

} // namespace SlotScope
