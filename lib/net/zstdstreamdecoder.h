#pragma once

#include "protocol/result.h"

#include <QByteArray>
#include <QByteArrayView>

struct ZSTD_DCtx_s; // ZSTD_DStream (zstd.h), kept out of this header

namespace SlotScope {

/// The streaming zstd decompressor of one data-plane connection (PROTOCOL.md
/// §5.4, seed `WsStreamDecompressor`): the server runs one ZSTD_CStream per
/// connection and flushes it after every notification, so each Binary frame
/// decodes to exactly one JSON message while the window carries over from
/// frame to frame. Frames must therefore be fed in order, and a new connection
/// needs a fresh context: call reset() on every (re)connect.
///
/// After an error the context is unusable until reset() (the connection has to
/// be dropped and the stream restarted).
class ZstdStreamDecoder
{
public:
    /// Largest message one frame may decode to (a guard against a runaway
    /// stream), in bytes.
    static constexpr qsizetype kMaxMessageBytes = 256 * 1024 * 1024;

    ZstdStreamDecoder();
    ~ZstdStreamDecoder();
    ZstdStreamDecoder(const ZstdStreamDecoder &) = delete;
    ZstdStreamDecoder &operator=(const ZstdStreamDecoder &) = delete;

    /// Decompress one whole frame (ZSTD_decompressStream until the input is
    /// consumed and no output is pending) and return the bytes it decodes to.
    /// Errors: zstd reports corruption (or a frame that needs an earlier
    /// frame's context), the frame decodes to nothing (truncated), the
    /// message exceeds kMaxMessageBytes, or the decoder is broken since an
    /// earlier error. Never crashes on arbitrary input. The message is
    /// followed by at least kJsonReadPadding readable bytes (its buffer's
    /// spare room, for TransactionSummarizer::summarizeInPlace()).
    Result<QByteArray> decode(QByteArrayView frame);
    /// Start a fresh stream (a new connection). Clears a previous error.
    void reset();

    /// An error occurred since the last reset(); decode() refuses until reset().
    bool isBroken() const { return m_broken; }
    /// Frames decoded successfully since the last reset().
    qint64 framesDecoded() const { return m_frames; }

private:
    ZSTD_DCtx_s *m_stream = nullptr;
    bool m_broken = false;
    qint64 m_frames = 0;
};

} // namespace SlotScope
