#pragma once

#include <QMetaType>
#include <QString>
#include <QStringView>

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

/// Whether `account` passes the Account diffs panel's account filter: a
/// case-sensitive substring; an empty filter passes every account. Shared by
/// the panel (AccountDiffFilterProxyModel) and the CSV export of what it shows.
inline bool accountFilterAccepts(QStringView account, QStringView filter)
{
    return filter.isEmpty() || account.contains(filter);
}

/// One diff's identity, "slot/signature/account" (no slot: empty), as a
/// replay de-duplicates diffs (PROTOCOL.md §5.8): the key of a selected
/// diff in ExportRequest::accountDiffKeys.
inline QString accountDiffKey(std::optional<quint64> slot, QStringView signature, QStringView account)
{
    QString key = slot ? QString::number(*slot) : QString();
    key.reserve(key.size() + signature.size() + account.size() + 2);
    key.append(u'/').append(signature).append(u'/').append(account);
    return key;
}

} // namespace SlotScope

Q_DECLARE_METATYPE(SlotScope::AccountDiffRecord)
