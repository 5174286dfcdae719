#pragma once

#include <QByteArray>
#include <QHash>
#include <Qt>

#include <initializer_list>
#include <utility>

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

/// A model's roleNames(): Qt's `names` plus "rawValue" and "sessionId" for
/// the shared roles and the model's `own` roles.
inline QHash<int, QByteArray> withSharedRoleNames(QHash<int, QByteArray> names,
                                                  std::initializer_list<std::pair<int, QByteArray>> own)
{
    names.insert(RawValueRole, "rawValue");
    names.insert(SessionIdRole, "sessionId");
    for (const auto &[role, name] : own)
        names.insert(role, name);
    return names;
}

} // namespace SlotScope
