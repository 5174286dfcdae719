#pragma once

// Loading real Solana transactions from the JSON shapes in
// ../shared/fixtures/solana (README "Exact JSON shapes seen"): a getTransaction
// JSON-RPC envelope, a bare EncodedConfirmedTransactionWithStatusMeta, a
// getBlock result (transactions[] + header; slot = parentSlot + 1 unless the
// caller knows better), and the derived array [{source, encoding, result}].

#include "protocol/result.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace SlotScope {

/// One transaction as a standalone EncodedConfirmedTransactionWithStatusMeta
/// JSON object (compact), with `slot` and `blockTime` filled in for block
/// entries.
struct LoadedTransaction
{
    QByteArray json;
    QString signature;      ///< first signature
    quint64 slot = 0;       ///< slot recorded in the source
    QString sourceFile;     ///< path relative to the loaded directory (or the file name)
    int positionInSource = 0;
};

/// Every transaction of one file, in file order. Errors: unreadable file, not
/// JSON, no recognised shape.
Result<QList<LoadedTransaction>> loadTransactionFile(const QString &path);

/// Every *.json file below `dir` (recursive), de-duplicated by signature (the
/// first occurrence in (path order) wins), sorted by (slot, source, position).
/// Files with no recognised shape are skipped with a warning; an empty result
/// is an error.
Result<QList<LoadedTransaction>> loadTransactionDirectory(const QString &dir);

} // namespace SlotScope
