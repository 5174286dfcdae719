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
/// are skipped without parsing; a damaged line is counted, and so is a diff
/// that is no object. Both casings of `account_diffs` and of the states'
/// keys are read; a number no parser holds leaves the rest of its diff
/// readable (Internal::parseLeniently()).
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
    /// Lines mentioning diffs that are no JSON object with a `type` (a
    /// legacy document that cannot be read counts as one, with errorString()
    /// saying why).
    qint64 damagedLines() const;
    /// Diffs in readable lines that are no JSON object (a `diff` line's
    /// `data`, an element of `account_diffs`): lost to the reader, though
    /// the transaction reader finds their lines whole.
    qint64 unreadableDiffs() const;
    qint64 bytesRead() const;
    qint64 totalBytes() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace SlotScope
