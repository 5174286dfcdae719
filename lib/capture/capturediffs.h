#pragma once

#include "protocol/accountdiffrecord.h"
#include "protocol/result.h"

#include <QString>

#include <atomic>
#include <functional>
#include <memory>

namespace SlotScope {

/// The account diffs a `sim run` capture carries in itself, for a capture
/// without NAME.events.ndjson (SlotScope keeps its diffs there): its `diff`
/// lines (CAPTURE_FORMAT.md §4.4; flattened, or the diff nested under
/// `diff`), and the `account_diffs` of its transactions (§4.3.3; the only
/// form in a legacy single document, where the transaction gives the
/// signature and slot). In file order; not de-duplicated (§8.2 item 5 is the
/// caller's: Deduplicator::admitAccountDiff). The session is the capture's
/// single session when it has one, else empty. Lines that mention no diff
/// are skipped without parsing; a damaged line is counted.
class CaptureAccountDiffs
{
public:
    CaptureAccountDiffs();
    ~CaptureAccountDiffs();
    CaptureAccountDiffs(const CaptureAccountDiffs &) = delete;
    CaptureAccountDiffs &operator=(const CaptureAccountDiffs &) = delete;

    /// Errors: the file cannot be opened or (a legacy document) read.
    Result<void> open(const QString &capturePath);
    /// Polled at every line: next() returns false once it is set, however
    /// far the next diff is (a capture without any is read to its end).
    void setCancel(const std::atomic_bool *cancel);
    /// Called with (bytesRead, totalBytes) every MiB of lines read.
    void setProgress(std::function<void(qint64, qint64)> progress);
    /// The next diff; false at the end, when cancelled, or on a read error
    /// (errorString()).
    bool next(AccountDiffRecord &out);
    bool cancelled() const;
    /// `out`'s JSON as the file has it (the diff object), for de-duplication.
    QByteArray lastJson() const;
    QString errorString() const;
    qint64 damagedLines() const;
    qint64 bytesRead() const;
    qint64 totalBytes() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace SlotScope
