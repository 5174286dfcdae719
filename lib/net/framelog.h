#pragma once

#include <QDateTime>
#include <QMetaType>
#include <QString>

#include <optional>

namespace SlotScope {

/// Which way a logged control frame travelled.
enum class FrameDirection { Sent, Received };

/// One control frame as the protocol console shows it (DESIGN.md §1
/// "Protocol console"): time, direction, method, seqId, a short summary, and
/// whether it was dropped as a replayed duplicate (PROTOCOL.md §2.3, §6.4).
struct FrameLogEntry
{
    QDateTime at;                  ///< UTC, when sent / received
    FrameDirection direction = FrameDirection::Received;
    QString method;                ///< wire method, e.g. "slotNotification"; "" when undecodable
    std::optional<quint64> seqId;  ///< top-level seqId of a received frame
    QString sessionId;             ///< the sub-session a batch's sessionEvent is about; "" otherwise
    QString summary;               ///< e.g. "slot 1005", or the decode error
    bool droppedAsDuplicate = false;
    bool malformed = false;        ///< could not be decoded; logged and skipped
};

} // namespace SlotScope

Q_DECLARE_METATYPE(SlotScope::FrameLogEntry)
