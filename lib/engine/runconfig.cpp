#include "engine/runconfig.h"

#include "protocol/base58.h"
#include "protocol/sessionids.h"
#include "protocol/urls.h"

#include <QCoreApplication>

namespace SlotScope {

QString RunConfig::validate() const
{
    if (target == Target::Url && url.trimmed().isEmpty())
        return QCoreApplication::translate("SlotScope::Engine", "no server URL given");
    if (target == Target::Url && apiKey.isEmpty())
        return QCoreApplication::translate("SlotScope::Engine", "no API key given (set SIMULATOR_API_KEY or pass --api-key)");
    if (target == Target::Url) {
        if (const Result<void> key = validateApiKey(apiKey); !key)
            return key.error().message;
        if (const Result<QString> valid = controlWsUrl(url); !valid)
            return valid.error().message;
    }
    // An inverted slot range is left to the server to reject (PROTOCOL.md §1.3):
    // its error then shows on the session row like any other create failure.
    if (advanceCount == 0)
        return QCoreApplication::translate("SlotScope::Engine", "advance count must be at least 1");
    if (disconnectTimeoutSecs > kMaxDisconnectTimeoutSecs)
        return QCoreApplication::translate("SlotScope::Engine", "disconnect timeout is at most %1 s")
            .arg(kMaxDisconnectTimeoutSecs);
    if (!name.trimmed().isEmpty()) {
        if (const Result<QString> valid = validateSessionName(name); !valid)
            return valid.error().message;
    }
    // Program ids are checked before anything connects: a typo would otherwise
    // subscribe to nothing and capture nothing, "successfully" (issue 9).
    for (const QStringList *programs : {&subscribePrograms, &discoverPrograms}) {
        for (const QString &program : *programs) {
            if (const Result<QString> valid = validateProgramId(program); !valid) {
                return programs == &subscribePrograms
                        ? QCoreApplication::translate("SlotScope::Engine", "subscribe: %1").arg(valid.error().message)
                        : QCoreApplication::translate("SlotScope::Engine", "discover: %1").arg(valid.error().message);
            }
        }
    }
    for (const DiscoveryBreakpoint &breakpoint : breakpoints) {
        if (!discoverPrograms.contains(breakpoint.program))
            return QCoreApplication::translate("SlotScope::Engine", "a breakpoint on %1, which is not a discovery filter")
                .arg(breakpoint.program);
    }
    if (capturePath.isEmpty())
        return QCoreApplication::translate("SlotScope::Engine", "no capture file given");
    return {};
}

} // namespace SlotScope
