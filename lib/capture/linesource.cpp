#include "capture/linesource.h"

#include <simdjson.h>

#include <cstring>

using namespace Qt::StringLiterals;

namespace SlotScope::Internal {

LineSource::LineSource() = default;
LineSource::~LineSource() = default;

Result<void> LineSource::open(const QString &path, qint64 offset)
{
    close();
    m_file.setFileName(path);
    if (!m_file.open(QIODevice::ReadOnly | QIODevice::Unbuffered))
        return makeError(u"Cannot open %1: %2"_s.arg(path, m_file.errorString()));
    m_size = m_file.size();
    if (offset > 0 && !m_file.seek(offset)) {
        const QString message = u"Cannot seek to %1 in %2: %3"_s.arg(offset).arg(path, m_file.errorString());
        m_file.close();
        return makeError(message);
    }
    m_bufferOffset = offset;
    if (!m_buffer) {
        m_capacity = qMax<size_t>(m_initialCapacity, 1024);
        m_buffer.reset(new char[m_capacity + simdjson::SIMDJSON_PADDING]);
    }
    return {};
}

void LineSource::close()
{
    m_file.close();
    m_begin = m_end = m_scanFrom = 0;
    m_bufferOffset = 0;
    m_lineNumber = 0;
    m_endLimit = -1;
    m_eof = false;
    m_error.clear();
}

bool LineSource::fill()
{
    if (m_eof)
        return false;
    if (m_begin > 0) {
        // Move the partial line to the front.
        const size_t n = m_end - m_begin;
        std::memmove(m_buffer.get(), m_buffer.get() + m_begin, n);
        m_bufferOffset += qint64(m_begin);
        m_scanFrom -= m_begin;
        m_begin = 0;
        m_end = n;
    }
    if (m_end == m_capacity) {
        // One line longer than the buffer: grow.
        const size_t capacity = m_capacity * 2;
        std::unique_ptr<char[]> bigger(new char[capacity + simdjson::SIMDJSON_PADDING]);
        std::memcpy(bigger.get(), m_buffer.get(), m_end);
        m_buffer = std::move(bigger);
        m_capacity = capacity;
    }
    const qint64 n = m_file.read(m_buffer.get() + m_end, qint64(m_capacity - m_end));
    if (n < 0) {
        m_error = u"Cannot read %1: %2"_s.arg(m_file.fileName(), m_file.errorString());
        m_eof = true;
        return false;
    }
    if (n == 0) {
        m_eof = true;
        return false;
    }
    m_end += size_t(n);
    // Defined padding behind the data: simdjson peeks at the first padding byte.
    std::memset(m_buffer.get() + m_end, 0, simdjson::SIMDJSON_PADDING);
    return true;
}

bool LineSource::next(Line &line)
{
    if (m_endLimit >= 0 && position() >= m_endLimit)
        return false;
    for (;;) {
        const char *base = m_buffer.get();
        const void *nl = m_scanFrom < m_end ? std::memchr(base + m_scanFrom, '\n', m_end - m_scanFrom) : nullptr;
        if (nl || (m_eof && m_begin < m_end)) {
            const size_t lineEnd = nl ? size_t(static_cast<const char *>(nl) - base) : m_end;
            size_t len = lineEnd - m_begin;
            if (len > 0 && base[m_begin + len - 1] == '\r')
                --len;
            // The file's first line may start with a byte order mark.
            const size_t bom = m_bufferOffset + qint64(m_begin) == 0 ? utf8BomLength(base + m_begin, len) : 0;
            line.data = m_buffer.get() + m_begin + bom;
            line.size = len - bom;
            line.capacity = m_capacity + simdjson::SIMDJSON_PADDING - m_begin - bom;
            line.offset = m_bufferOffset + qint64(m_begin + bom);
            line.number = ++m_lineNumber;
            m_begin = nl ? lineEnd + 1 : m_end;
            m_scanFrom = m_begin;
            return true;
        }
        m_scanFrom = m_end;
        if (!fill()) {
            if (m_begin < m_end)
                continue; // last line without '\n'
            return false;
        }
    }
}

} // namespace SlotScope::Internal
