#include "protocol/connectionstatus.h"

namespace SlotScope {

QString connectionStatusName(ConnectionStatus status)
{
    switch (status) {
    case ConnectionStatus::Down: return QStringLiteral("Down");
    case ConnectionStatus::Up: return QStringLiteral("Up");
    case ConnectionStatus::Failed: return QStringLiteral("Failed");
    case ConnectionStatus::Parked: return QStringLiteral("Parked");
    }
    return QStringLiteral("Unknown");
}

} // namespace SlotScope
