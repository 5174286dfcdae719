#pragma once

#include <QMetaType>
#include <QString>

#include <optional>

namespace SlotScope {

/// One decoded control frame for the Protocol console (DESIGN.md §1), built by
/// the engine and appended in batches (ProtocolLogModel::appendEntries).
struct ProtocolLogEntry
{
    enum class Direction { Incoming, Outgoing };

    qint64 timeMs = 0;              ///< milliseconds since the Unix epoch (UTC)
    QString sessionId;              ///< "" before the session exists
    Direction direction = Direction::Incoming;
    QString method;                 ///< wire method, e.g. "slotNotification"
    std::optional<quint64> seqId;   ///< top-level or sessionEventV2 seqId (PROTOCOL.md §2.3)
    QString summary;                ///< short text, e.g. "slot 1005", "paused 1010/3"
    bool dropped = false;           ///< a replayed duplicate (seqId ≤ last seen), not acted on

    bool operator==(const ProtocolLogEntry &) const = default;
};

} // namespace SlotScope

Q_DECLARE_METATYPE(SlotScope::ProtocolLogEntry)
