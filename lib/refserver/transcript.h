#pragma once

#include <QDateTime>
#include <QMetaType>
#include <QString>

namespace SlotScope {

/// One frame a client sent to the reference server (STYLE.md "a fake server
/// that records what the client sent"). Binary frames are recorded as their
/// UTF-8 text.
struct TranscriptEntry
{
    enum class Kind { Control, Subscription };

    QDateTime time;        ///< UTC receive time
    int connectionId = 0;  ///< server-wide id of the WebSocket connection (1, 2, …)
    Kind kind = Kind::Control;
    QString sessionId;     ///< session bound to the connection then; empty before create/attach
    QString text;
};

} // namespace SlotScope

Q_DECLARE_METATYPE(SlotScope::TranscriptEntry)
