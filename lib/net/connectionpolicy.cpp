#include "net/connectionpolicy.h"
#include "net/logging.h"

Q_LOGGING_CATEGORY(lcNet, "slotscope.net")

namespace SlotScope {

QString defaultUserAgent()
{
    return QStringLiteral("slotscope/" SLOTSCOPE_VERSION_STRING " (managed)");
}

} // namespace SlotScope
