#pragma once

#include "protocol/accountdiffrecord.h"

#include <QByteArrayView>
#include <QString>

#include <memory>

namespace SlotScope {

/// Reads one account diff into an AccountDiffRecord: the result of an
/// `accountDiffNotification` ({context:{slot}, account, signature, pre,
/// post}; PROTOCOL.md §5.6) as the engine receives it and the events file
/// keeps it, or the flattened data of a `sim run` `diff` line (slot,
/// account or pubkey, pre_state / post_state; CAPTURE_FORMAT.md §4.4,
/// §8.2). Data length: `space`, else the decoded length of base64 `data`.
/// One parser per thread (it keeps its simdjson buffers between calls).
class AccountDiffParser
{
public:
    AccountDiffParser();
    ~AccountDiffParser();
    AccountDiffParser(const AccountDiffParser &) = delete;
    AccountDiffParser &operator=(const AccountDiffParser &) = delete;

    /// False when `json` is not a JSON object (`out` is then unchanged).
    bool parse(QByteArrayView json, const QString &sessionId, AccountDiffRecord &out);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace SlotScope
