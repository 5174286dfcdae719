#pragma once

#include <QMetaType>
#include <QString>

#include <optional>

namespace SlotScope {

/// One account's state before and after one transaction, from an
/// `accountDiffNotification` (PROTOCOL.md §5.6) as the capture keeps it in
/// NAME.events.ndjson (`account_diff` events), or a `sim run` capture's
/// `diff` line (CAPTURE_FORMAT.md §4.4). Units: lamports, bytes. A side that
/// is absent (account created / deleted) has no values. Read by
/// AccountDiffParser (lib/capture), shown by AccountDiffModel (lib/model).
struct AccountDiffRecord
{
    QString sessionId;
    std::optional<quint64> slot;
    QString signature;
    QString account;
    bool preExists = false;
    bool postExists = false;
    std::optional<quint64> preLamports;
    std::optional<quint64> postLamports;
    QString preOwner;
    QString postOwner;
    std::optional<quint64> preDataLen;
    std::optional<quint64> postDataLen;

    bool operator==(const AccountDiffRecord &) const = default;
};

} // namespace SlotScope

Q_DECLARE_METATYPE(SlotScope::AccountDiffRecord)
