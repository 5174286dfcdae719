#pragma once

#include "protocol/result.h"
#include "protocol/transactionfiles.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace SlotScope::Testing {

/// The shared Solana fixtures (../shared/fixtures/solana, read in place, never
/// copied): $SLOTSCOPE_FIXTURES_DIR when set, else the directory CMake knew.
QString fixturesDir();
/// `relative` below fixturesDir().
QString fixturePath(const QString &relative);
/// The bytes of a fixture file; a missing file fails the test (qFatal).
QByteArray readFixture(const QString &relative);
/// The `result` member of a getTransaction fixture, byte for byte (empty
/// when the file is missing or has none).
QByteArray fixtureResult(const QString &relative);
/// Every transaction of fixturesDir() (loadTransactionDirectory()).
Result<QList<LoadedTransaction>> loadFixtureTransactions();
/// first, first + 1, …, last (empty when last < first): expected slots or seqIds.
QList<quint64> inclusiveRange(quint64 first, quint64 last);
/// The `signature` of every element of `items` (transactions, records, rows), in order.
template<typename Items>
QStringList signaturesOf(const Items &items)
{
    QStringList out;
    for (const auto &item : items)
        out.append(item.signature);
    return out;
}

} // namespace SlotScope::Testing
