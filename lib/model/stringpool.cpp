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
    // Rows of one batch share their repeated strings: the same data as last
    // time (kept alive by m_last, so its address cannot be reused) is the
    // same text, without hashing it.
    if (text.constData() == m_last.constData() && text.size() == m_last.size())
        return m_lastId;
    const auto it = m_ids.constFind(text);
    quint32 id;
    if (it != m_ids.constEnd()) {
        id = it.value();
    } else {
        id = quint32(m_strings.size());
        m_strings.append(text);
        m_ids.insert(text, id);
        m_textBytes += stringBytes(text);
    }
    m_last = text;
    m_lastId = id;
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
    m_last.clear();
    m_lastId = 0;
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
    // The same shared list as last time (see StringPool::intern).
    if (programs.constData() == m_last.constData() && programs.size() == m_last.size())
        return m_lastId;
    m_last = programs;
    const auto it = m_ids.constFind(programs);
    if (it != m_ids.constEnd())
        return m_lastId = it.value();
    const auto id = m_lastId = quint32(m_lists.size());
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
    m_last.clear();
    m_lastId = 0;
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
