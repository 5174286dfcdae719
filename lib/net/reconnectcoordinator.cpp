#include "net/reconnectcoordinator.h"
#include "net/logging.h"

#include <QTimer>

namespace SlotScope {

ReconnectCoordinator::ReconnectCoordinator(QObject *parent)
    : QObject(parent)
{
}

void ReconnectCoordinator::enterStreaming(const QObject *who)
{
    if (m_streaming.contains(who))
        return;
    m_streaming.insert(who);
    Q_EMIT changed();
}

void ReconnectCoordinator::leaveStreaming(const QObject *who)
{
    if (!m_streaming.remove(who))
        return;
    Q_EMIT changed();
    scheduleDispatch();
}

void ReconnectCoordinator::requestSlot(QObject *who, std::function<void()> granted)
{
    for (const Parked &parked : std::as_const(m_parked)) {
        if (parked.who == who)
            return; // already waiting
    }
    m_parked.append({who, std::move(granted)});
    Q_EMIT changed();
    scheduleDispatch();
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
    const qsizetype removed = m_parked.removeIf([who](const Parked &parked) {
        return !parked.who || parked.who == who;
    });
    const bool heldPermit = m_permitHolder == who;
    if (heldPermit)
        m_permitHolder = nullptr;
    if (wasStreaming || removed > 0 || heldPermit) {
        Q_EMIT changed();
        scheduleDispatch();
    }
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
    m_parked.removeIf([](const Parked &parked) { return !parked.who; });
    if (m_parked.isEmpty() || !m_streaming.isEmpty() || m_permitHolder)
        return;
    Parked next = m_parked.takeFirst();
    m_permitHolder = next.who;
    qCDebug(lcNet) << "reconnect permit granted;" << m_parked.size() << "still parked";
    Q_EMIT changed();
    next.granted();
}

} // namespace SlotScope
