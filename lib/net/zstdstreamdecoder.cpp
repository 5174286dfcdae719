#include "net/zstdstreamdecoder.h"
#include "protocol/transactionsummary.h"

#include <QCoreApplication>

#include <zstd.h>

#include <algorithm>

namespace SlotScope {

namespace {

// lib/net's one translation context (lupdate files these under "SlotScope::Net").
struct Net
{
    Q_DECLARE_TR_FUNCTIONS(SlotScope::Net)
};

} // namespace

ZstdStreamDecoder::ZstdStreamDecoder()
    : m_stream(ZSTD_createDStream())
{
    reset();
}

ZstdStreamDecoder::~ZstdStreamDecoder()
{
    ZSTD_freeDStream(m_stream);
}

void ZstdStreamDecoder::reset()
{
    m_broken = m_stream == nullptr;
    m_frames = 0;
    if (m_stream && ZSTD_isError(ZSTD_DCtx_reset(m_stream, ZSTD_reset_session_only)))
        m_broken = true;
}

Result<QByteArray> ZstdStreamDecoder::decode(QByteArrayView frame)
{
    if (!m_stream)
        return makeError(Net::tr("zstd: cannot allocate a decompression context"));
    if (m_broken)
        return makeError(Net::tr("zstd: the stream is broken since an earlier error"));
    if (frame.isEmpty()) {
        m_broken = true;
        return makeError(Net::tr("zstd: empty frame"));
    }

    // One buffer per thread, frame after frame (thousands a second): the
    // caller's copy of the last message is gone by now, so no allocation.
    // Were it still alive, resize() would detach from it (implicit sharing).
    thread_local QByteArray buffer;
    QByteArray &out = buffer;
    // A notification compresses about 5:1; start there and grow as needed.
    out.resize(std::max({qsizetype(ZSTD_DStreamOutSize()), frame.size() * 6, out.capacity()}));
    ZSTD_inBuffer input{frame.data(), size_t(frame.size()), 0};
    size_t produced = 0;
    for (;;) {
        ZSTD_outBuffer output{out.data(), size_t(out.size()), produced};
        const size_t ret = ZSTD_decompressStream(m_stream, &output, &input);
        if (ZSTD_isError(ret)) {
            m_broken = true;
            return makeError(Net::tr("zstd: %1").arg(QString::fromUtf8(ZSTD_getErrorName(ret))));
        }
        produced = output.pos;
        const bool outputFull = output.pos == output.size;
        if (input.pos == input.size && !outputFull)
            break; // everything consumed and flushed
        if (outputFull) {
            if (out.size() >= kMaxMessageBytes) {
                m_broken = true;
                return makeError(Net::tr("zstd: a message larger than %1 bytes").arg(kMaxMessageBytes));
            }
            out.resize(std::min<qsizetype>(out.size() * 2, kMaxMessageBytes));
        }
    }
    if (produced == 0) {
        // A flushed frame always carries a whole message: this one is cut short.
        m_broken = true;
        return makeError(Net::tr("zstd: the frame decodes to no data (truncated?)"));
    }
    keepJsonReadPadding(out, qsizetype(produced));
    ++m_frames;
    const QByteArray message = out;
    if (out.capacity() > (16 << 20))
        out = QByteArray(); // one huge message does not pin its buffer for the thread's life
    return message;
}

} // namespace SlotScope
