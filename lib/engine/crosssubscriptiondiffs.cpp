#include "engine/crosssubscriptiondiffs.h"

namespace SlotScope {

bool CrossSubscriptionDiffs::admit(const AccountDiffRecord &diff)
{
    // Only an account whose owner changed can match two owner subscriptions.
    if (!diff.preExists || !diff.postExists || diff.preOwner == diff.postOwner)
        return true;
    const quint64 slot = diff.slot.value_or(0);
    QString key = diff.sessionId;
    key.append(u'|').append(accountDiffKey(diff.slot, diff.signature, diff.account));
    if (m_seen.contains(key)) {
        ++m_dropped;
        return false;
    }
    m_seen.insert(key, slot);
    m_highestSlot = std::max(m_highestSlot, slot);
    // Forget what lies more than slotsKept behind, now and then (not per diff).
    if (m_highestSlot > m_slotsKept && m_highestSlot - m_slotsKept > m_prunedBelow + m_slotsKept / 4) {
        m_prunedBelow = m_highestSlot - m_slotsKept;
        m_seen.removeIf([this](const QHash<QString, quint64>::iterator it) { return it.value() < m_prunedBelow; });
    }
    return true;
}

} // namespace SlotScope
