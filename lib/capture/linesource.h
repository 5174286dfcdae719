#pragma once

// Chunked line reader for NDJSON captures. Lines stay in one large buffer that
// always has simdjson's padding behind the data, so simdjson can parse a line
// in place without a copy.

#include "protocol/result.h"

#include <QFile>
#include <QString>

#include <memory>

namespace SlotScope::Internal {

/// Length of a UTF-8 byte order mark at `data` (3, or 0 when there is none).
/// CAPTURE_FORMAT.md §2 writes none; an editor that saved a capture may have
/// added one, and a reader skips it rather than take the first line for damaged.
inline size_t utf8BomLength(const char *data, size_t size)
{
    return size >= 3 && static_cast<unsigned char>(data[0]) == 0xEF && static_cast<unsigned char>(data[1]) == 0xBB
                   && static_cast<unsigned char>(data[2]) == 0xBF
               ? 3
               : 0;
}

struct Line
{
    char *data = nullptr;     ///< not NUL-terminated; `\n` and a trailing `\r` removed
    size_t size = 0;
    size_t capacity = 0;      ///< readable bytes from `data` (≥ size + simdjson padding)
    qint64 offset = 0;        ///< byte offset of the line in the file
    qint64 number = 0;        ///< 1-based line number
};

class LineSource
{
public:
    LineSource();
    ~LineSource();

    /// Size of the first read buffer (default 256 KiB: a chunk stays in the
    /// core's cache while it is scanned and parsed); it grows for longer lines.
    void setInitialCapacity(size_t bytes) { m_initialCapacity = bytes; }

    /// Opens `path` for reading from `offset`. Errors: cannot open / seek.
    Result<void> open(const QString &path, qint64 offset = 0);
    void close();

    /// The next line; false at end of file, at the end set by setEnd(), or on
    /// a read error (see errorString()). A last line without `\n` is returned as is.
    bool next(Line &line);

    /// Stops before the first line that starts at or after file offset `end`
    /// (-1: no limit, the default). Raising or removing it later reads on.
    void setEnd(qint64 end) { m_endLimit = end; }
    /// Lines returned since open().
    qint64 linesRead() const { return m_lineNumber; }

    /// Bytes of the file consumed so far (start of the next line).
    qint64 position() const { return m_bufferOffset + qint64(m_begin); }
    qint64 size() const { return m_size; }
    QString errorString() const { return m_error; }

private:
    bool fill();

    QFile m_file;
    std::unique_ptr<char[]> m_buffer;
    size_t m_capacity = 0;      // usable bytes (padding excluded)
    size_t m_begin = 0;         // start of the unread data
    size_t m_end = 0;           // end of the data
    size_t m_scanFrom = 0;      // where to continue looking for '\n'
    qint64 m_bufferOffset = 0;  // file offset of m_buffer[0]
    qint64 m_size = 0;
    qint64 m_lineNumber = 0;
    qint64 m_endLimit = -1;
    size_t m_initialCapacity = size_t(256) << 10;
    bool m_eof = false;
    QString m_error;
};

} // namespace SlotScope::Internal
