#pragma once

#include <QHostAddress>
#include <QString>
#include <QStringList>

namespace SlotScope {

/// Configuration of the reference simulator server (lib/refserver). One plain
/// struct so later features (fault injection, parallel batches, zstd) add
/// fields here instead of growing constructor arguments.
struct RefServerConfig
{
    /// Key every control WebSocket upgrade must carry in `X-API-Key`
    /// (PROTOCOL.md §1.1, §8.1). Never logged.
    QString apiKey;
    /// Further accepted keys, each a different owner (attach by another key →
    /// error sessionOwnerMismatch, PROTOCOL.md §8.6).
    QStringList additionalApiKeys;
    QHostAddress host = QHostAddress(QHostAddress::LocalHost);
    quint16 port = 0;                  ///< 0 = let the OS choose
    /// Directory of real transactions (loadTransactionDirectory(); any fixture
    /// shape). Empty = the deterministic synthetic generator.
    QString txDir;
    /// Pause after each executed slot, in milliseconds (paces the demo).
    int slotDelayMs = 0;
    /// 0: each loaded transaction exactly once, spread over the requested range.
    /// K > 0: K transactions per slot, cycling through the loaded (or synthetic)
    /// transactions, each copy with a unique deterministic signature (benchmarks).
    int transactionsPerSlot = 0;
    /// The one range advertised by GET /available-ranges (PROTOCOL.md §1.3);
    /// sessions must lie inside it (else error bundleNotFound). Inclusive slots.
    quint64 availableStart = 0;
    quint64 availableEnd = 999999999;
    quint64 maxBundleSize = 100000;    ///< advertised as `maxBundleSize`
    quint64 bundleSize = 100;          ///< slots per bundle (parallel splitting, later)
    quint32 seed = 1;                  ///< synthetic generator seed
};

} // namespace SlotScope
