#include "net/framelog.h"

namespace SlotScope {

QString frameDirectionName(FrameDirection direction)
{
    return direction == FrameDirection::Sent ? QStringLiteral("sent") : QStringLiteral("received");
}

} // namespace SlotScope
