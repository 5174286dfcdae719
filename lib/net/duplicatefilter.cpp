#include "net/duplicatefilter.h"

using namespace Qt::StringLiterals;

namespace SlotScope {

bool DuplicateFilter::admit(quint64 slot, const QString &key)
{
    if (m_empty || slot > m_currentSlot) {
        if (!m_empty) {
            m_previousSlot = m_currentSlot;
            m_previous = std::exchange(m_current, {});
        }
        m_currentSlot = slot;
        m_empty = false;
    }
    QSet<QString> *keys = nullptr;
    if (slot == m_currentSlot)
        keys = &m_current;
    else if (slot == m_previousSlot && !m_previous.isEmpty())
        keys = &m_previous;
    else
        return true; // older than anything a replay can repeat
    if (keys->contains(key))
        return false;
    keys->insert(key);
    return true;
}

void DuplicateFilter::clear()
{
    m_currentSlot = 0;
    m_previousSlot = 0;
    m_current.clear();
    m_previous.clear();
    m_empty = true;
}

QString DuplicateFilter::accountDiffKey(const QString &signature, const QString &account, QByteArrayView result)
{
    if (account.isEmpty() && !result.isEmpty())
        return signature + u"/#"_s + QString::fromUtf8(result); // '#' is not base58: no account key looks like it
    return signature + u'/' + account;
}

} // namespace SlotScope
