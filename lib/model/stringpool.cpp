#include "model/stringpool.h"

namespace SlotScope::Internal {

namespace {

// Rough per-entry costs of Qt containers, for memory estimates only.
constexpr size_t kStringHeader = 24;   // QArrayData header + allocation slack
constexpr size_t kHashEntry = 48;      // node (key + value) + span bookkeeping

size_t stringBytes(const QString &s)
{
    return s.isEmpty() ? 0 : kStringHeader + size_t(s.capacity()) * sizeof(QChar);
}

} // namespace

StringPool::StringPool()
{
    clear();
}

quint32 StringPool::intern(const QString &text)
{
    if (text.isEmpty())
        return 0;
    const auto it = m_ids.constFind(text);
    if (it != m_ids.constEnd())
        return it.value();
    const auto id = quint32(m_strings.size());
    m_strings.append(text);
    m_ids.insert(text, id);
    m_textBytes += stringBytes(text);
    return id;
}

quint32 StringPool::find(const QString &text) const
{
    if (text.isEmpty())
        return 0;
    return m_ids.value(text, notFound);
}

void StringPool::clear()
{
    m_strings.clear();
    m_ids.clear();
    m_strings.append(QString());
    m_textBytes = 0;
}

size_t StringPool::memoryBytes() const
{
    return m_textBytes + size_t(m_strings.capacity()) * sizeof(QString)
            + size_t(m_ids.size()) * kHashEntry;
}

ProgramListPool::ProgramListPool()
{
    clear();
}

quint32 ProgramListPool::intern(const QStringList &programs)
{
    if (programs.isEmpty())
        return 0;
    const auto it = m_ids.constFind(programs);
    if (it != m_ids.constEnd())
        return it.value();
    const auto id = quint32(m_lists.size());
    m_lists.append(programs);
    m_joined.append(programs.join(QStringLiteral(", ")));
    m_ids.insert(programs, id);
    for (const QString &program : programs)
        m_textBytes += stringBytes(program) + sizeof(QString);
    m_textBytes += stringBytes(m_joined.last()) + kStringHeader;
    return id;
}

void ProgramListPool::clear()
{
    m_lists.clear();
    m_joined.clear();
    m_ids.clear();
    m_lists.append(QStringList());
    m_joined.append(QString());
    m_textBytes = 0;
}

size_t ProgramListPool::memoryBytes() const
{
    return m_textBytes + size_t(m_lists.capacity()) * sizeof(QStringList)
            + size_t(m_joined.capacity()) * sizeof(QString)
            + size_t(m_ids.size()) * kHashEntry;
}

} // namespace SlotScope::Internal
