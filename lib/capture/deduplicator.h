#pragma once

// Duplicate filter for re-delivered data after a reconnect with
// replayFromSlot (PROTOCOL.md §5.8; CAPTURE_FORMAT.md §2 "Duplicates"):
// transactions by signature, account diffs by (slot, signature, account).

#include "protocol/largearray.h"

#include <QByteArrayView>
#include <QStringView>

#include <vector>

namespace SlotScope {

/// Remembers which keys it has admitted. Memory-lean: it stores a 128-bit
/// fingerprint of each key (two independent 64-bit hashes of the key's UTF-8
/// bytes) in an open-addressing table — 16 bytes per slot, at most 70 % full,
/// about 23–46 bytes per key — instead of the keys themselves. Two different
/// keys are taken for duplicates only if both hashes collide: for 10⁸ keys the
/// chance is about 10⁻²³. QStringView and UTF-8 overloads give the same result
/// for the same text. Not thread-safe.
class Deduplicator
{
public:
    Deduplicator();

    /// true the first time `signature` is seen; false (and counted) after.
    bool admitTransaction(QStringView signature);
    bool admitTransaction(QByteArrayView signatureUtf8);
    /// true when admitTransaction() has seen `signature`; adds and counts nothing.
    bool containsTransaction(QByteArrayView signatureUtf8) const;
    /// true the first time (slot, signature, account) is seen; false (and counted) after.
    bool admitAccountDiff(quint64 slot, QStringView signature, QStringView account);
    /// The same; a diff without an account (`account: null`) is told apart
    /// by its JSON `diffJson` as well, as on the wire (DuplicateFilter::accountDiffKey()).
    bool admitAccountDiff(quint64 slot, QByteArrayView signatureUtf8, QByteArrayView accountUtf8,
                          QByteArrayView diffJson = {});

    qint64 duplicatesDropped() const { return m_droppedTransactions + m_droppedDiffs; }
    qint64 duplicateTransactionsDropped() const { return m_droppedTransactions; }
    qint64 duplicateAccountDiffsDropped() const { return m_droppedDiffs; }
    qint64 transactionCount() const { return m_transactions.count; }
    qint64 accountDiffCount() const { return m_diffs.count; }

    /// Sizes the transaction table for `keys` keys in all (it never shrinks
    /// here): a reader that knows roughly how many transactions are coming
    /// saves rehashing the table as it fills.
    void reserveTransactions(qint64 keys);
    /// Forgets every key and zeroes the counters.
    void reset();

private:
    struct Fingerprint;
    static Fingerprint fingerprint(QByteArrayView bytes);
    struct Fingerprint
    {
        quint64 a = 0;
        quint64 b = 0;
    };
    struct Table
    {
        std::vector<Fingerprint, LargeArrayAllocator<Fingerprint>> buckets;
        qint64 count = 0;
        bool insert(Fingerprint fp); // false when already present
        bool contains(Fingerprint fp) const;
        void grow();
        void rehash(size_t slotCount);
        void reserve(qint64 keys);
        void clear();
    };

    Table m_transactions;
    Table m_diffs;
    qint64 m_droppedTransactions = 0;
    qint64 m_droppedDiffs = 0;
};

} // namespace SlotScope
