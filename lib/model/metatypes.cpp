#include "model/metatypes.h"

#include "model/protocollogentry.h"
#include "model/sessionstate.h"
#include "model/sessionupdate.h"
#include "model/transactionrecord.h"

#include "protocol/controlmessages.h"

#include <QMetaType>

namespace SlotScope {

void registerModelMetaTypes()
{
    qRegisterMetaType<TransactionRecord>();
    qRegisterMetaType<QList<TransactionRecord>>();
    qRegisterMetaType<SessionUpdate>();
    qRegisterMetaType<QList<SessionUpdate>>();
    qRegisterMetaType<LinkState>();
    qRegisterMetaType<ProtocolLogEntry>();
    qRegisterMetaType<QList<ProtocolLogEntry>>();
    qRegisterMetaType<DiscoveryBatchEvent>();
    qRegisterMetaType<QList<DiscoveryBatchEvent>>();
    qRegisterMetaType<SessionState>();
}

} // namespace SlotScope
