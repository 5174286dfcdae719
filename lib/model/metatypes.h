#pragma once

namespace SlotScope {

/// Registers the model layer's batch types (QList<TransactionRecord>,
/// QList<SessionUpdate>, QList<ProtocolLogEntry>, DiscoveryBatchEvent,
/// SessionState, …) with the meta-type system, for queued connections from
/// the engine thread and QVariant. Safe to call more than once.
void registerModelMetaTypes();

} // namespace SlotScope
