#include "capture/deduplicator.h"

#include <QHashFunctions>
#include <QString>
#include <QVarLengthArray>

#include <cstring>

namespace SlotScope {

namespace {

constexpr size_t seedA = 0x9e3779b97f4a7c15ULL;
constexpr size_t seedB = 0xc2b2ae3d27d4eb4fULL;
constexpr size_t initialSlots = 1024;

using Bytes = QVarLengthArray<char, 256>;

void appendUtf8(Bytes &out, QStringView s)
{
    // Signatures and pubkeys are ASCII (base58): narrow without allocating.
    bool ascii = true;
    for (const QChar c : s) {
        if (c.unicode() >= 0x80) {
            ascii = false;
            break;
        }
    }
    if (ascii) {
        const qsizetype start = out.size();
        out.resize(start + s.size());
        char *p = out.data() + start;
        for (const QChar c : s)
            *p++ = char(c.unicode());
        return;
    }
    const QByteArray utf8 = s.toUtf8();
    out.append(utf8.constData(), utf8.size());
}

void appendBytes(Bytes &out, QByteArrayView b)
{
    out.append(b.data(), b.size());
}

} // namespace

Deduplicator::Deduplicator() = default;

bool Deduplicator::Table::insert(Fingerprint fp)
{
    if (fp.a == 0 && fp.b == 0)
        fp.b = 1; // {0,0} marks an empty slot
    if (buckets.empty())
        buckets.resize(initialSlots);
    else if ((count + 1) * 10 > qint64(buckets.size()) * 7)
        grow();
    const size_t mask = buckets.size() - 1;
    for (size_t i = size_t(fp.a) & mask;; i = (i + 1) & mask) {
        Fingerprint &s = buckets[i];
        if (s.a == 0 && s.b == 0) {
            s = fp;
            ++count;
            return true;
        }
        if (s.a == fp.a && s.b == fp.b)
            return false;
    }
}

void Deduplicator::Table::grow()
{
    rehash(buckets.size() * 2);
}

void Deduplicator::Table::rehash(size_t slotCount)
{
    std::vector<Fingerprint, LargeArrayAllocator<Fingerprint>> old;
    old.swap(buckets);
    buckets.resize(slotCount);
    const size_t mask = buckets.size() - 1;
    for (const Fingerprint &fp : old) {
        if (fp.a == 0 && fp.b == 0)
            continue;
        size_t i = size_t(fp.a) & mask;
        while (buckets[i].a != 0 || buckets[i].b != 0)
            i = (i + 1) & mask;
        buckets[i] = fp;
    }
}

void Deduplicator::Table::reserve(qint64 keys)
{
    size_t slotCount = initialSlots;
    while (qint64(slotCount) * 7 < keys * 10) // at most 70 % full, as insert() keeps it
        slotCount *= 2;
    if (slotCount > buckets.size())
        rehash(slotCount);
}

bool Deduplicator::Table::contains(Fingerprint fp) const
{
    if (fp.a == 0 && fp.b == 0)
        fp.b = 1;
    if (buckets.empty())
        return false;
    const size_t mask = buckets.size() - 1;
    for (size_t i = size_t(fp.a) & mask;; i = (i + 1) & mask) {
        const Fingerprint &s = buckets[i];
        if (s.a == 0 && s.b == 0)
            return false;
        if (s.a == fp.a && s.b == fp.b)
            return true;
    }
}

void Deduplicator::Table::clear()
{
    decltype(buckets)().swap(buckets);
    count = 0;
}


void Deduplicator::reserveTransactions(qint64 keys)
{
    m_transactions.reserve(keys);
}

bool Deduplicator::admitTransaction(QStringView signature)
{
    Bytes key;
    appendUtf8(key, signature);
    return admitTransaction(QByteArrayView(key.constData(), key.size()));
}

Deduplicator::Fingerprint Deduplicator::fingerprint(QByteArrayView bytes)
{
    return Fingerprint{quint64(qHashBits(bytes.data(), size_t(bytes.size()), seedA)),
                       quint64(qHashBits(bytes.data(), size_t(bytes.size()), seedB))};
}

bool Deduplicator::admitTransaction(QByteArrayView signatureUtf8)
{
    if (m_transactions.insert(fingerprint(signatureUtf8)))
        return true;
    ++m_droppedTransactions;
    return false;
}

bool Deduplicator::admitAccountDiff(quint64 slot, QStringView signature, QStringView account)
{
    Bytes sig;
    appendUtf8(sig, signature);
    Bytes acc;
    appendUtf8(acc, account);
    return admitAccountDiff(slot, QByteArrayView(sig.constData(), sig.size()),
                            QByteArrayView(acc.constData(), acc.size()));
}

bool Deduplicator::admitAccountDiff(quint64 slot, QByteArrayView signatureUtf8, QByteArrayView accountUtf8,
                                    QByteArrayView diffJson)
{
    // Key bytes: slot (8 bytes), signature, NUL, account — unambiguous because
    // base58 text never contains NUL.
    Bytes key;
    key.resize(8);
    std::memcpy(key.data(), &slot, 8);
    appendBytes(key, signatureUtf8);
    key.append('\0');
    appendBytes(key, accountUtf8);
    if (accountUtf8.isEmpty() && !diffJson.isEmpty()) {
        key.append('\0');
        appendBytes(key, diffJson);
    }
    if (m_diffs.insert(fingerprint(QByteArrayView(key.constData(), key.size()))))
        return true;
    ++m_droppedDiffs;
    return false;
}

bool Deduplicator::containsTransaction(QByteArrayView signatureUtf8) const
{
    return m_transactions.contains(fingerprint(signatureUtf8));
}

void Deduplicator::reset()
{
    m_transactions.clear();
    m_diffs.clear();
    m_droppedTransactions = 0;
    m_droppedDiffs = 0;
}

} // namespace SlotScope
