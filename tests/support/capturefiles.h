#pragma once

// Files on disk as the tests see them: bytes, node types, earlier captures
// that a run must not destroy, and what a capture holds.

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <sys/resource.h>
#include <sys/types.h>

#include <utility>

namespace SlotScope {
class CaptureWriter;
}

namespace SlotScope::Testing {

/// The bytes of `path`, or "<missing>" when it cannot be read.
QByteArray fileBytes(const QString &path);

/// Writes `content` to `path` (replacing it) and returns `path`; aborts the
/// test program (qFatal) when it cannot.
QString writeFile(const QString &path, const QByteArray &content);

/// What is at a path without following a symlink: its type (S_IFREG,
/// S_IFCHR, S_IFIFO, …) and, for a device, its device number.
struct FileNode
{
    bool exists = false;
    mode_t type = 0;
    dev_t rdev = 0;
    bool operator==(const FileNode &) const = default;
};
FileNode fileNodeAt(const QString &path);

/// Writes a small capture an earlier run could have left at `path` (both
/// NAME.ndjson and NAME.events.ndjson; every transaction's signature starts
/// with "earlier"), returns {capture bytes, events bytes}. Aborts the test
/// program when the files cannot be written.
std::pair<QByteArray, QByteArray> writeEarlierCapture(const QString &path, int transactions = 2);

/// Into an open `writer`: a parallel batch of `subSessions` (the batch's
/// session_created, then each sub-session's, sub-session i over slots
/// 1000 + 100 i … 1099 + 100 i) and every fixture transaction, the i-th to
/// sub-session i mod n at slot 1000 + 100 (i mod n) + i. Returns how many
/// transactions were written; aborts the test program (qFatal) when the
/// fixtures cannot be read.
qsizetype writeBatchOfFixtures(CaptureWriter &writer, const QStringList &subSessions);

/// What CaptureReader reads from a capture to its end.
struct CaptureContents
{
    bool opened = false;
    int transactions = 0;
    qint64 skippedLines = 0;
    bool hasSummary = false;
};
CaptureContents readCapture(const QString &path);

/// A file size limit for this process while it lives: an injected full disk
/// (writes past `bytes` fail with EFBIG; SIGXFSZ is ignored meanwhile).
class FileSizeLimit
{
public:
    explicit FileSizeLimit(rlim_t bytes);
    ~FileSizeLimit();
    FileSizeLimit(const FileSizeLimit &) = delete;
    FileSizeLimit &operator=(const FileSizeLimit &) = delete;
    /// Whether the limit is in force (reading the old one and setting the new one worked).
    bool ok() const { return m_ok; }

private:
    struct rlimit m_old {};
    void (*m_oldHandler)(int) = nullptr;
    bool m_ok = false;
};

} // namespace SlotScope::Testing
