#include "capture/outputfile.h"

#include "capture/logging.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

#include <cerrno>

#include <sys/stat.h>

using namespace Qt::StringLiterals;

namespace SlotScope {

namespace {

/// True when `path` names an open file descriptor: itself or through
/// symlinks (`/dev/stdout` → `/proc/self/fd/1`, `/dev/fd/3`) it reaches
/// `/proc/…/fd/N`, whatever that descriptor is open on.
bool namesFileDescriptor(const QString &path)
{
    QString hop = QFileInfo(path).absoluteFilePath();
    for (int depth = 0; depth < 16; ++depth) { // a symlink loop ends here
        const QFileInfo given(hop);
        const QString folder = QFileInfo(given.absolutePath()).canonicalFilePath();
        if (folder.isEmpty())
            return false;
        const QFileInfo at(folder + u'/' + given.fileName());
        if (at.absoluteFilePath().startsWith(u"/proc/"_s) && at.absolutePath().endsWith(u"/fd"_s))
            return true;
        if (!at.isSymLink())
            return false;
        hop = at.symLinkTarget();
        if (hop.isEmpty())
            return false;
    }
    return false;
}

} // namespace

OutputTarget outputTargetAt(const QString &path)
{
    struct stat status {};
    if (::stat(QFile::encodeName(path).constData(), &status) != 0)
        return OutputTarget::Absent;
    if (S_ISDIR(status.st_mode))
        return OutputTarget::Folder;
    // `--csv /dev/stdout > run.csv`: the shell's file, reached through stdout,
    // is written where stdout points, never replaced by a temporary renamed
    // over /dev/stdout.
    if (S_ISREG(status.st_mode) && !namesFileDescriptor(path))
        return OutputTarget::RegularFile;
    return OutputTarget::Stream;
}

bool isNamedPipeAt(const QString &path)
{
    struct stat status {};
    return ::lstat(QFile::encodeName(path).constData(), &status) == 0 && S_ISFIFO(status.st_mode);
}

QString OutputFile::fromArgument(const QString &argument)
{
    return argument == u"-"_s ? u"/dev/stdout"_s : argument;
}

Result<void> OutputFile::checkOverwrite(const QString &option, const QString &path, bool overwrite)
{
    if (overwrite || outputTargetAt(path) != OutputTarget::RegularFile)
        return {};
    return makeError(QCoreApplication::translate("SlotScope::OutputFile",
                                                 "%1: %2 already exists; pass --overwrite to replace it")
                         .arg(option, path));
}

Result<void> OutputFile::checkCanCreate(const QString &path)
{
    const OutputTarget target = outputTargetAt(path);
    if (target == OutputTarget::Folder) {
        return makeError(QCoreApplication::translate("SlotScope::OutputFile", "%1 is a folder, not a file")
                             .arg(QDir::toNativeSeparators(path)));
    }
    if (target == OutputTarget::Stream)
        return {};
    // A file already there is replaced through a temporary beside it
    // (QSaveFile), which wants the file and its folder writable.
    const QFileInfo file(path);
    if (target == OutputTarget::RegularFile && !file.isWritable()) {
        return makeError(QCoreApplication::translate("SlotScope::OutputFile", "The file %1 is not writable")
                             .arg(QDir::toNativeSeparators(path)));
    }
    const QFileInfo folder(file.absolutePath());
    const QString folderName = QDir::toNativeSeparators(folder.filePath());
    if (!folder.exists())
        return makeError(QCoreApplication::translate("SlotScope::OutputFile", "The folder %1 does not exist").arg(folderName));
    if (!folder.isDir())
        return makeError(QCoreApplication::translate("SlotScope::OutputFile", "%1 is not a folder").arg(folderName));
    if (!folder.isWritable())
        return makeError(QCoreApplication::translate("SlotScope::OutputFile", "The folder %1 is not writable").arg(folderName));
    return {};
}

bool isSameFile(const QString &a, const QString &b)
{
    if (QDir::cleanPath(QFileInfo(a).absoluteFilePath()) == QDir::cleanPath(QFileInfo(b).absoluteFilePath()))
        return true;
    struct stat first {};
    struct stat second {};
    return ::stat(QFile::encodeName(a).constData(), &first) == 0 && ::stat(QFile::encodeName(b).constData(), &second) == 0
        && first.st_dev == second.st_dev && first.st_ino == second.st_ino;
}

QString OutputFile::inputAt(const QString &path, const QStringList &inputs)
{
    if (path.isEmpty() || outputTargetAt(path) == OutputTarget::Stream)
        return {};
    for (const QString &input : inputs) {
        if (!input.isEmpty() && isSameFile(path, input))
            return input;
    }
    return {};
}

QString describeShortWrite(const QFileDevice &file, qint64 written, qint64 size, int savedErrno)
{
    QString why = file.error() != QFileDevice::NoError ? file.errorString() : QString();
    if (why.isEmpty() || why == u"Unknown error"_s)
        why = savedErrno ? qt_error_string(savedErrno) : QString();
    const QString hint = savedErrno == EFBIG    ? u"over the file-size limit (ulimit -f)?"_s
                         : savedErrno == EDQUOT ? u"over the disk quota?"_s
                         : savedErrno == EPIPE  ? u"the reading end was closed (e.g. | head)"_s
                                                : u"is the disk full?"_s;
    return u"%1 (%2 of %3 bytes written; %4)"_s.arg(why.isEmpty() ? u"write failed"_s : why)
        .arg(qMax<qint64>(0, written)).arg(size).arg(hint);
}

OutputFile::OutputFile(const QString &path)
    : m_path(path)
    , m_saveFile(path)
    , m_direct(path)
{
}

OutputFile::~OutputFile()
{
    if (m_open)
        cancel();
}

QFileDevice &OutputFile::device()
{
    return m_atomic ? static_cast<QFileDevice &>(m_saveFile) : static_cast<QFileDevice &>(m_direct);
}

Error OutputFile::failure(const QString &what)
{
    return makeError(u"Cannot write %1: %2"_s.arg(m_path, what));
}

Result<void> OutputFile::open()
{
    const OutputTarget target = outputTargetAt(m_path);
    if (target == OutputTarget::Folder)
        return failure(u"it is a directory"_s);
    // Followed through symlinks: a link to a device is written through as well.
    m_atomic = target != OutputTarget::Stream;
    QFileDevice &file = device();
    // Unbuffered: QSaveFile only notices a failed write inside writeData();
    // with Qt's own buffer a write that fails in the final flush would still
    // be committed (a cut or empty file renamed over the target).
    if (!file.open(QIODevice::WriteOnly | QIODevice::Unbuffered))
        return failure(file.errorString());
    m_open = true;
    m_failed = false;
    if (!m_atomic)
        qCInfo(lcCapture, "%s is not a regular file: writing straight through", qPrintable(m_path));
    return {};
}

Result<void> OutputFile::write(QByteArrayView data)
{
    if (!m_open || m_failed)
        return failure(u"the file is not open"_s);
    if (data.isEmpty())
        return {};
    errno = 0;
    QFileDevice &file = device();
    const qint64 n = file.write(data.data(), data.size());
    if (n == data.size())
        return {};
    const Error error = failure(describeShortWrite(file, n, data.size(), errno));
    m_failed = true;
    cancel();
    return error;
}

Result<void> OutputFile::commit()
{
    if (!m_open)
        return failure(m_failed ? u"an earlier write failed"_s : u"the file is not open"_s);
    m_open = false;
    if (m_atomic) {
        // commit() flushes, fsyncs, closes and renames; it refuses (and removes
        // the temporary) when any write failed.
        if (!m_saveFile.commit())
            return failure(m_saveFile.errorString());
        return {};
    }
    const bool flushed = m_direct.flush();
    m_direct.close();
    if (!flushed || m_direct.error() != QFileDevice::NoError)
        return failure(m_direct.errorString());
    return {};
}

void OutputFile::cancel()
{
    if (!m_open)
        return;
    m_open = false;
    if (m_atomic) {
        m_saveFile.cancelWriting();
        (void)m_saveFile.commit(); // with writing cancelled: removes the temporary
    } else {
        m_direct.close();
    }
}

} // namespace SlotScope
