#pragma once

#include <QtGlobal>

#include <optional>

namespace SlotScope {

/// Where a session stands between steps, as its control events tell it
/// (PROTOCOL-0.31.md §3.2 `paused`, §4.6 `slotNotification(n)`: slot n has
/// just executed): paused before batch `batchIndex` of `slot` (no batch
/// index: paused after the whole slot), or, not paused, `slot` is the next
/// slot it executes. The one rule for what a session has run, shared by the
/// Stepper (what driving and a held Continue To may still reach) and the
/// Discovery batches panel (Passed / Reached, and the window's check of a
/// typed Continue To target).
struct SessionPosition
{
    quint64 slot = 0;
    std::optional<quint32> batchIndex;  ///< paused only
    bool paused = false;

    /// Batch `batchIndex` of `slot` has run.
    constexpr bool hasRun(quint64 atSlot, quint32 atBatch) const
    {
        if (!paused)
            return atSlot < slot;
        if (atSlot != slot)
            return atSlot < slot;
        return !batchIndex || atBatch < *batchIndex;
    }
    /// The session is paused right before batch `batchIndex` of `slot`.
    constexpr bool isAt(quint64 atSlot, quint32 atBatch) const
    {
        return paused && batchIndex && atSlot == slot && atBatch == *batchIndex;
    }
    /// A Continue To there would move the session forward.
    constexpr bool isAhead(quint64 atSlot, quint32 atBatch) const
    {
        return !hasRun(atSlot, atBatch) && !isAt(atSlot, atBatch);
    }
    /// The whole of `slot` has run (paused before one of its batches, it has not).
    constexpr bool hasRunSlot(quint64 atSlot) const
    {
        if (!paused)
            return atSlot < slot;
        return atSlot < slot || (atSlot == slot && !batchIndex);
    }
};

} // namespace SlotScope
