#pragma once

#include "protocol/coordinatorsnapshot.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>

class QTimer;

#include <functional>
#include <optional>

namespace SlotScope {

/// Coordinates subscription reconnects across a parallel batch sharing one
/// link (seed mod.rs `ReconnectCoordinator` + `StreamingGuard`, PROTOCOL.md
/// §6.6, DESIGN.md §4): a connection that used up its ungated attempts parks
/// until no sibling is streaming, then takes the single handshake permit, holds
/// it across connect + subscribe, and gives it back once streaming again (or
/// when the attempt failed). Parked requests are served first come, first
/// served; an expedited one ("Reconnect now", expedite()) goes ahead of them
/// and waits only for the permit, not for a quiet link. Single-threaded:
/// every participant lives on the coordinator's thread.
///
/// It also counts the batch's storm figures for the Reconnect coordinator
/// panel and the events file (snapshot()): reconnects (a return to streaming),
/// parks and parked time, and storms — from the first drop of a socket while
/// every known socket streamed, to every socket streaming again (a drop that
/// only ends a finished socket is no storm, and a storm that ends because its
/// last down socket failed or finished is not counted as recovered).
///
/// WebSocketConnection drives this itself once setReconnectCoordinator() was
/// called; the methods are public for that and for tests.
class ReconnectCoordinator : public QObject
{
    Q_OBJECT
public:
    /// Milliseconds since the Unix epoch (tests inject their own).
    using Clock = std::function<qint64()>;

    explicit ReconnectCoordinator(QObject *parent = nullptr);

    /// Connections currently Up and streaming.
    int streamingCount() const { return int(m_streaming.size()); }
    /// Connections parked, waiting for the permit.
    int parkedCount() const { return int(m_parked.size()); }
    /// Who holds the handshake permit (nullptr when free).
    const QObject *permitHolder() const { return m_permitHolder; }

    void setClock(Clock clock) { m_clock = std::move(clock); }
    /// Names `who` in snapshots (the sub-session and its socket label); the
    /// session layer calls this when it gates a subscription on the coordinator.
    void setParticipantName(const QObject *who, const QString &sessionId, const QString &socket);
    /// Copied into snapshots (ConnectionPolicy::ungatedAttempts of the batch).
    void setUngatedAttempts(int attempts) { m_ungatedAttempts = attempts; }

    /// `who` is Up and streaming (idempotent). A return after an earlier
    /// stream counts as a reconnect. `idleForMs` (optional) says how long
    /// `who` has received nothing: one idle for quietAfterMs() or longer keeps
    /// no parked sibling waiting (our sessions step only with every socket
    /// Up, so the siblings of a parked socket may stay Up and silent until it
    /// is back: waiting for them to stop, as the seed does, would never end).
    void enterStreaming(const QObject *who, std::function<qint64()> idleForMs = {});
    /// How long a streaming socket may receive nothing before it counts as
    /// quiet (default 5 s; ConnectionPolicy::streamingQuietAfter).
    void setQuietAfterMs(qint64 ms) { m_quietAfterMs = ms; }
    qint64 quietAfterMs() const { return m_quietAfterMs; }
    /// Streaming sockets that received something within quietAfterMs().
    int activeStreamingCount() const;
    /// `who` stopped streaming (idempotent); may unpark a sibling.
    void leaveStreaming(const QObject *who);
    /// Park `who` until nobody streams and the permit is free, then give it the
    /// permit and call `granted` (always from the event loop, never inside this
    /// call). `attempt` is its reconnect attempt, for snapshots.
    void requestSlot(QObject *who, std::function<void()> granted, int attempt = 0);
    /// "Reconnect now" for a parked `who`: it moves ahead of every request
    /// not expedited and is granted as soon as the permit is free, whether or
    /// not siblings stream. False when `who` is not parked.
    bool expedite(const QObject *who);
    /// `who` is parked.
    bool isParked(const QObject *who) const;
    /// The permit holder is streaming again or its attempt failed.
    void releaseSlot(const QObject *who);
    /// Forget `who` entirely: parked request, permit, streaming mark.
    void cancel(const QObject *who);
    /// The run ended (stopped, failed): forget every participant at once; a
    /// storm under way ends there, not counted as one recovered from but
    /// kept as CoordinatorSnapshot::unrecoveredStormMs, and the last snapshot
    /// shows nobody parked.
    void cancelAll();

    /// The coordinator now (names from setParticipantName()), with the
    /// figures counted so far.
    CoordinatorSnapshot snapshot() const;

Q_SIGNALS:
    /// Streaming count, parked queue, permit or figures changed (for the
    /// timeline and the coordinator panel).
    void changed();

private:
    struct Parked
    {
        QPointer<QObject> who;
        const QObject *key = nullptr;  // `who` even after it is gone (for names, cancel)
        std::function<void()> granted;
        qint64 sinceMs = 0;
        int attempt = 0;
        bool expedited = false;
    };
    struct Name
    {
        QString sessionId;
        QString socket;
    };
    qint64 now() const;
    CoordinatorSnapshot::Socket describe(const QObject *who, qint64 sinceMs, int attempt, bool expedited) const;
    void countPark(qint64 sinceMs);
    /// Ends the storm once every known socket streams; counts it (storms,
    /// last and longest) only when `recovered`: the last socket came back Up
    /// rather than leaving while down.
    void checkStormOver(bool recovered = true);
    void scheduleDispatch();
    void dispatch();

    QHash<const QObject *, qint64> m_streaming; ///< streaming sockets, since (ms since the epoch)
    QHash<const QObject *, std::function<qint64()>> m_idleFor; ///< of streaming sockets that say
    qint64 m_quietAfterMs = 5000;
    QTimer *m_quietCheck = nullptr; ///< re-dispatches while a parked request waits on idle-capable siblings
    QList<Parked> m_parked;
    const QObject *m_permitHolder = nullptr;
    qint64 m_permitSinceMs = 0;
    int m_permitAttempt = 0;
    bool m_dispatchScheduled = false;

    Clock m_clock;
    QHash<const QObject *, Name> m_names;
    int m_ungatedAttempts = 0;
    QSet<const QObject *> m_known;       // streamed at least once, not cancelled
    quint64 m_reconnects = 0;
    quint64 m_parks = 0;
    qint64 m_longestParkMs = 0;
    qint64 m_totalParkedMs = 0;          // parks that ended
    int m_storms = 0;
    qint64 m_lastStormMs = 0;
    qint64 m_longestStormMs = 0;
    std::optional<qint64> m_stormSinceMs;
    qint64 m_unrecoveredStormMs = 0;     // the storm cancelAll() cut short
    bool m_stormConfirmed = false;       // a reconnect or park happened in it
};

} // namespace SlotScope
