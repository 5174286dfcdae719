#pragma once

#include <QSet>
#include <QString>

namespace SlotScope {

/// Drops the boundary duplicates of a data-plane replay (PROTOCOL.md §5.8,
/// seed subscription.rs module doc): a resubscribe with `replayFromSlot` = the
/// last slot received re-delivers that slot (inclusive), so notifications of
/// the most recent slots are remembered by key — a transaction's signature, an
/// account diff's signature + account (the slot is the filter's own axis).
///
/// Only the two most recent slots are kept: a replay can only repeat the slot
/// it starts from (and the stream is in slot order), so memory stays bounded by
/// the notifications of two slots. A notification older than both is admitted
/// (nothing can prove it a duplicate).
class DuplicateFilter
{
public:
    /// True when (slot, key) is new (and is now remembered); false for a duplicate.
    bool admit(quint64 slot, const QString &key);
    /// Forget everything (a new stream).
    void clear();
    /// Keys currently remembered (both slots), for tests and diagnostics.
    qsizetype rememberedKeys() const { return m_current.size() + m_previous.size(); }

    /// The key of an account diff: "<signature>/<account>" (the signature may
    /// be empty). A diff without an account (`account: null`, PROTOCOL.md
    /// §5.6) is keyed by its whole `result` as well: two such diffs of one
    /// transaction are two diffs, and a replay repeats the same bytes.
    static QString accountDiffKey(const QString &signature, const QString &account, QByteArrayView result = {});

private:
    quint64 m_currentSlot = 0;
    QSet<QString> m_current;
    quint64 m_previousSlot = 0;
    QSet<QString> m_previous;
    bool m_empty = true;
};

} // namespace SlotScope
