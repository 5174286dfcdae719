#pragma once

// `GET /available-ranges` (PROTOCOL.md §1 endpoint table, PROTOCOL-0.31.md §5.6).

#include "protocol/result.h"

#include <QByteArrayView>
#include <QList>
#include <QString>

#include <optional>

namespace SlotScope {

/// One element of the `/available-ranges` array: the slots a session may be
/// created over (a single session starts exactly at `bundleStartSlot`).
struct AvailableRange
{
    quint64 bundleStartSlot = 0;
    std::optional<quint64> maxBundleEndSlot; ///< inclusive; absent on older servers
    QString bundleStartSlotUtc;              ///< as sent, "" when absent or null
    QString kind;                            ///< "blocks" when absent; "account_state" or unknown tokens as sent

    /// A range of blocks, which sessions replay (`kind` absent or "blocks").
    bool isBlocks() const { return kind == QLatin1StringView("blocks"); }
    bool operator==(const AvailableRange &) const = default;
};

/// The ranges of a `/available-ranges` body, in the server's order. Lenient
/// as every reader here: either field casing, slots as numbers or numeric
/// strings, unknown fields ignored; an element without a usable
/// bundleStartSlot is skipped. An error when the body is not a JSON array.
Result<QList<AvailableRange>> parseAvailableRanges(QByteArrayView body);

} // namespace SlotScope
