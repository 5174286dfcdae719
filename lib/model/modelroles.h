#pragma once

#include <Qt>

namespace SlotScope {

/// Item roles shared by every SlotScope model (STYLE.md "Models for high-rate
/// streams"). Model-specific roles start at FirstModelSpecificRole.
enum ModelRole : int {
    /// The unformatted value of a cell: counts, slots and lamports as
    /// qulonglong, signed amounts and times as qlonglong, flags as bool, ids as
    /// QString, enums as int; an invalid QVariant when the value is absent.
    /// Proxies sort on it; nothing reads DisplayRole for data.
    RawValueRole = Qt::UserRole + 1,
    /// The session id (QString) of the row, on every column.
    SessionIdRole,
    FirstModelSpecificRole = Qt::UserRole + 16,
};

} // namespace SlotScope
