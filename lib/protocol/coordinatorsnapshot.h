#pragma once

#include "protocol/result.h"

#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

namespace SlotScope {

/// What a parallel batch's ReconnectCoordinator (DESIGN.md §4, PROTOCOL.md
/// §6.6) looks like at one moment, and the storm figures it has counted since
/// the batch started: the value the Reconnect coordinator panel shows, the
/// engine sends to the GUI and the events file records (type `coordinator`,
/// data = toJson()), so an opened capture shows the same figures.
///
/// Times are milliseconds since the Unix epoch (UTC); durations milliseconds.
/// Durations include what is still going on at `atMs` (a socket parked now
/// counts its park so far; a storm not over yet counts up to `atMs`).
struct CoordinatorSnapshot
{
    /// One socket known to the coordinator.
    struct Socket
    {
        QString sessionId;   ///< the sub-session; "" when unknown
        QString socket;      ///< "transactions", "account diffs", …
        qint64 sinceMs = 0;  ///< parked since / holds the slot since
        int attempt = 0;     ///< reconnect attempt of the socket's budget (1-based; 0 unknown)
        bool expedited = false; ///< "Reconnect now": waits only for the free slot, not for a quiet link
        /// Slots the session has executed past the socket's resume slot (its
        /// next replayFromSlot): from kServerReplaySlots on (PROTOCOL.md
        /// §5.2) its replay can no longer cover them all. nullopt: unknown
        /// (the engine fills it in for subscriptions).
        std::optional<quint64> slotsBehind;

        bool operator==(const Socket &) const = default;
    };

    /// At most this many streaming sockets are named in waitedFor.
    static constexpr int kNamedWaitedFor = 3;

    qint64 atMs = 0;                   ///< when the snapshot was taken
    std::optional<Socket> holder;      ///< who holds the single handshake slot
    QList<Socket> parked;              ///< the parked queue, in the order it is served
    int streaming = 0;                 ///< sockets Up and streaming
    /// While sockets are parked and the slot is free: the streaming sockets
    /// the queue waits for (the seed parks until no sibling streams,
    /// ReconnectCoordinator::reconnect_slot), longest streaming first, each
    /// with sinceMs = streaming since; empty when more than kNamedWaitedFor
    /// stream (then only `streaming` counts them).
    QList<Socket> waitedFor;
    int participants = 0;              ///< sockets that streamed at least once and still run
    int ungatedAttempts = 0;           ///< reconnects per socket before the gate engages (ConnectionPolicy)

    // Figures of the batch so far.
    quint64 reconnects = 0;            ///< returns to streaming after an earlier stream
    quint64 parks = 0;                 ///< times a socket parked
    qint64 longestParkMs = 0;
    qint64 totalParkedMs = 0;          ///< summed over sockets
    int storms = 0;                    ///< storms over (first drop → every socket streaming again)
    qint64 lastStormMs = 0;            ///< duration of the last storm that ended
    qint64 longestStormMs = 0;
    std::optional<qint64> stormSinceMs; ///< first drop of the storm going on now
    /// A storm still going when the run ended (stopped or failed mid-storm):
    /// how long it had lasted, in ms; 0 when none. Not one of `storms`, which
    /// count storms recovered from.
    qint64 unrecoveredStormMs = 0;

    bool operator==(const CoordinatorSnapshot &) const = default;

    /// A storm is going on: some socket dropped and not every one streams again.
    bool inStorm() const { return stormSinceMs.has_value(); }
    /// Nothing parked, nobody holds the slot.
    bool isIdle() const { return !holder && parked.isEmpty(); }
    /// The events-file form (snake_case keys, DESIGN.md §3).
    QJsonObject toJson() const;
    /// Reads toJson()'s form back (lenient: missing keys keep their defaults;
    /// an error only when `json` holds a wrongly typed member).
    static Result<CoordinatorSnapshot> fromJson(const QJsonObject &json);
};

/// How fast a storm's parked queue clears, from the snapshots of the batch in
/// order: the queue's peak in the storm going on, and how far it has come
/// down since. The coordinator serves one socket at a time (the seed's
/// reconnect_slot), so a storm of 250 parked takes long; this says how long.
/// A new storm, or a queue that grows past its peak, starts the count again.
class ParkedQueuePace
{
public:
    /// Takes the next snapshot (its `atMs` not before the previous one's).
    void observe(const CoordinatorSnapshot &snapshot);
    /// Sockets taken off the queue per minute since its peak; nullopt until
    /// at least kMinServed were, over at least kMinSpanMs.
    std::optional<double> perMinute() const;
    /// At that pace, milliseconds from the last snapshot until the queue is
    /// empty; nullopt without a pace or with nothing parked.
    std::optional<qint64> remainingMs() const;

    static constexpr int kMinServed = 2;       ///< sockets served before a pace is given
    static constexpr qint64 kMinSpanMs = 2000; ///< ms since the peak before a pace is given

private:
    std::optional<qint64> m_stormSinceMs;
    int m_peak = 0;
    qint64 m_peakAtMs = 0;
    int m_parked = 0;
    qint64 m_atMs = 0;
};

} // namespace SlotScope

Q_DECLARE_METATYPE(SlotScope::CoordinatorSnapshot)
