#pragma once

#include "protocol/result.h"
#include "protocol/transactionfiles.h"

#include <QByteArray>
#include <QList>
#include <QString>

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

} // namespace SlotScope::Testing
