#pragma once

#include "protocol/accountdiffrecord.h"

#include <QHash>
#include <QString>

namespace SlotScope {

/// Drops the second copy of an account diff that two of a session's diff
/// subscriptions both deliver, as the CSV export and a reopened capture do
/// (Deduplicator, PROTOCOL.md §5.8: one diff per slot, signature and
/// account). Subscriptions by owner program (SessionEngine::accountDiffOwners)
/// each match an account whose owner changed — a closed token account goes
/// from the Token program to the System program — so such a diff may come
/// once from each; a replay within one subscription is SubscriptionManager's.
/// Only diffs whose owner changed are remembered, for the last
/// `slotsKept` slots of their session, so memory stays small at batch rates.
class CrossSubscriptionDiffs
{
public:
    explicit CrossSubscriptionDiffs(quint64 slotsKept = 1000) : m_slotsKept(slotsKept) {}

    /// True the first time `diff` is seen (and for every diff whose owner
    /// did not change); false for a copy of one seen before.
    bool admit(const AccountDiffRecord &diff);
    /// Copies dropped so far.
    qint64 dropped() const { return m_dropped; }
    /// Diffs remembered now.
    qsizetype remembered() const { return m_seen.size(); }

private:
    quint64 m_slotsKept;
    QHash<QString, quint64> m_seen; ///< session + accountDiffKey() → slot
    quint64 m_highestSlot = 0;
    quint64 m_prunedBelow = 0;
    qint64 m_dropped = 0;
};

} // namespace SlotScope
