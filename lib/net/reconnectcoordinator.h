#pragma once

#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>

#include <functional>

namespace SlotScope {

/// Coordinates subscription reconnects across a parallel batch sharing one
/// link (seed mod.rs `ReconnectCoordinator` + `StreamingGuard`, PROTOCOL.md
/// §6.6, DESIGN.md §4): a connection that used up its ungated attempts parks
/// until no sibling is streaming, then takes the single handshake permit, holds
/// it across connect + subscribe, and gives it back once streaming again (or
/// when the attempt failed). Parked requests are served first come, first
/// served. Single-threaded: every participant lives on the coordinator's thread.
///
/// WebSocketConnection drives this itself once setReconnectCoordinator() was
/// called; the methods are public for that and for tests.
class ReconnectCoordinator : public QObject
{
    Q_OBJECT
public:
    explicit ReconnectCoordinator(QObject *parent = nullptr);

    /// Connections currently Up and streaming.
    int streamingCount() const { return int(m_streaming.size()); }
    /// Connections parked, waiting for the permit.
    int parkedCount() const { return int(m_parked.size()); }
    /// Who holds the handshake permit (nullptr when free).
    const QObject *permitHolder() const { return m_permitHolder; }

    /// `who` is Up and streaming (idempotent).
    void enterStreaming(const QObject *who);
    /// `who` stopped streaming (idempotent); may unpark a sibling.
    void leaveStreaming(const QObject *who);
    /// Park `who` until nobody streams and the permit is free, then give it the
    /// permit and call `granted` (always from the event loop, never inside this call).
    void requestSlot(QObject *who, std::function<void()> granted);
    /// The permit holder is streaming again or its attempt failed.
    void releaseSlot(const QObject *who);
    /// Forget `who` entirely: parked request, permit, streaming mark.
    void cancel(const QObject *who);

Q_SIGNALS:
    /// Streaming count, parked queue or permit changed (for a timeline view).
    void changed();

private:
    struct Parked
    {
        QPointer<QObject> who;
        std::function<void()> granted;
    };
    void scheduleDispatch();
    void dispatch();

    QSet<const QObject *> m_streaming;
    QList<Parked> m_parked;
    const QObject *m_permitHolder = nullptr;
    bool m_dispatchScheduled = false;
};

} // namespace SlotScope
