#pragma once

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace SlotScope::Internal {

/// Interns strings that repeat across many rows (session ids, error texts,
/// the rare signature that is not base58) so a row stores a 32-bit id.
/// Id 0 is always the empty string. Ids stay valid until clear().
class StringPool
{
public:
    StringPool();

    /// The id of `text`, adding it when new.
    quint32 intern(const QString &text);
    /// find() result for a string that was never interned.
    static constexpr quint32 notFound = 0xFFFFFFFFu;
    /// The id of `text`, or notFound.
    quint32 find(const QString &text) const;
    const QString &at(quint32 id) const { return m_strings.at(qsizetype(id)); }
    qsizetype size() const { return m_strings.size(); }
    void clear();
    /// Estimated heap bytes (string data, list and hash).
    size_t memoryBytes() const;

private:
    QList<QString> m_strings;
    QHash<QString, quint32> m_ids;
    size_t m_textBytes = 0;
    QString m_last;        // the text of the last intern() call, and its id
    quint32 m_lastId = 0;
};

/// Interns program-id lists (a transaction's invoked programs); the same
/// handful of routes repeats across most transactions. Id 0 is the empty list.
/// Keeps the comma-joined display text beside each list.
class ProgramListPool
{
public:
    ProgramListPool();

    quint32 intern(const QStringList &programs);
    const QStringList &at(quint32 id) const { return m_lists.at(qsizetype(id)); }
    const QString &joined(quint32 id) const { return m_joined.at(qsizetype(id)); }
    qsizetype size() const { return m_lists.size(); }
    void clear();
    size_t memoryBytes() const;

private:
    QList<QStringList> m_lists;
    QList<QString> m_joined;
    QHash<QStringList, quint32> m_ids;
    size_t m_textBytes = 0;
    QStringList m_last;    // the list of the last intern() call, and its id
    quint32 m_lastId = 0;
};

} // namespace SlotScope::Internal
