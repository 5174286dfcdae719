#pragma once

// A checked output file for exports (CSV and any other file a user asks us to
// write): every write and the final commit are checked, and a failed export
// leaves no file that looks complete (issue 9, "Writes are checked to the end").

#include "protocol/result.h"

#include <QByteArrayView>
#include <QFile>
#include <QSaveFile>
#include <QString>

namespace SlotScope {

/// Writes one output file, choosing how by what is at the path:
/// - nothing, or a regular file (also through a symlink): atomically, through
///   QSaveFile — a temporary file beside the target, renamed over it by
///   commit() only when every write and the final flush/fsync succeeded; a
///   failed or abandoned write removes the temporary and leaves an existing
///   file untouched;
/// - a device, FIFO or socket (`/dev/full`, `/dev/stdout`, a named pipe):
///   straight through, never renamed over (renaming a temporary over
///   `/dev/full` as root would replace the device node).
/// A directory is refused. Writes are unbuffered: the caller writes large
/// chunks, and a short write (disk full, file size limit) is reported by the
/// write that hit it rather than by a later flush.
class OutputFile
{
public:
    explicit OutputFile(const QString &path);
    ~OutputFile();
    OutputFile(const OutputFile &) = delete;
    OutputFile &operator=(const OutputFile &) = delete;

    /// Errors: the path is a directory, the file (or its temporary) cannot be
    /// created. The messages name the path.
    Result<void> open();
    /// Writes all of `data`. Errors: a short write or an I/O error ("… (12288
    /// of 20480 bytes written; is the disk full?)"); after an error the file is
    /// abandoned (the temporary removed) and later writes fail at once.
    Result<void> write(QByteArrayView data);
    /// Finishes the file: atomically renamed over the target, or flushed and
    /// closed when written straight through. Errors: the flush, fsync, close
    /// or rename failed (then no file that looks complete is left behind).
    Result<void> commit();
    /// Abandons the file: the temporary is removed (a straight-through target
    /// keeps what was already written to it; it is not a file that could look
    /// complete).
    void cancel();

    QString path() const { return m_path; }

    /// An output path as a command line gives it: "-" is standard output
    /// (/dev/stdout), as for other tools; anything else is itself.
    static QString fromArgument(const QString &argument);
    /// A command line's check before it writes `path` (named by `option`,
    /// e.g. "--csv"): nothing is lost unasked. Errors: a regular file is there
    /// (also through a symlink) and `overwrite` is false — "--csv: PATH
    /// already exists; pass --overwrite to replace it". A device, FIFO or
    /// socket is a destination, not a file that could be lost.
    static Result<void> checkOverwrite(const QString &option, const QString &path, bool overwrite);
    /// Whether a file can be created at `path`, checked before the work that
    /// writes it begins (a run's capture: a mistyped folder must not stop the
    /// live run for a new one that fails at once). Errors, naming the path:
    /// it is a folder, its folder does not exist (or is not a folder), its
    /// folder is not writable, or a file there is not writable (it is
    /// replaced through a temporary beside it). Whether an existing file may
    /// be replaced is checkOverwrite()'s; a device or FIFO is no error.
    static Result<void> checkCanCreate(const QString &path);
    /// The one of `inputs` that `path` names, else empty: an output written
    /// there would replace a file it is made from (`--csv run.ndjson` with
    /// `--capture run.ndjson`). The same file: equal absolute paths (neither
    /// need exist yet), or the same device and inode. A device or stream is
    /// never an input to lose.
    static QString inputAt(const QString &path, const QStringList &inputs);

private:
    QFileDevice &device();
    Error failure(const QString &what);

    QString m_path;
    QSaveFile m_saveFile;
    QFile m_direct;
    bool m_atomic = true;
    bool m_open = false;
    bool m_failed = false;
};

/// What is at an output path (symlinks followed; `/dev/stdout` is a Stream
/// even when stdout is a regular file), which decides how OutputFile and CaptureWriter write it: a
/// device renamed over by a temporary would be replaced by a regular file
/// (as root, `/dev/full` itself) and the output reported as written.
enum class OutputTarget {
    Absent,      ///< nothing there (or a dangling symlink)
    RegularFile, ///< written through a temporary renamed over it
    Folder,      ///< never written
    Stream,      ///< a device, FIFO or socket, or any file named through a file
                 ///< descriptor (`/dev/stdout`, `/dev/fd/N`): written straight through
};
OutputTarget outputTargetAt(const QString &path);
/// True when `a` and `b` name the same file: equal absolute paths once
/// cleaned (neither need exist), or the same device and inode (symlinks
/// followed, hard links alike).
bool isSameFile(const QString &a, const QString &b);

/// True when `path` itself is a named pipe (lstat: not a symlink to one, not
/// `/dev/stdout` open on a pipe): a Stream in a folder of the user's.
bool isNamedPipeAt(const QString &path);

/// Describes a failed write of `size` bytes of which `written` (negative =
/// none) reached the file, with the OS's reason: "No space left on device
/// (12288 of 20480 bytes written; is the disk full?)"; the hint names the
/// file-size limit for EFBIG and the quota for EDQUOT. Shared by the capture
/// writer and OutputFile.
QString describeShortWrite(const QFileDevice &file, qint64 written, qint64 size, int savedErrno);

} // namespace SlotScope
