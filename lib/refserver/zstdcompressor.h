#pragma once

// The reference server's zstd notification stream (PROTOCOL.md §5.4). Internal.

#include "protocol/result.h"

#include <QByteArray>
#include <QByteArrayView>

#include <memory>

namespace SlotScope::Internal {

/// One zstd streaming compressor per data-plane connection (PROTOCOL.md §5.4,
/// seed `ws_compression`): every message is compressed with ZSTD_e_flush, so
/// each output decodes to exactly that message while the window (the history
/// of all earlier messages) carries over to the next one — context takeover.
/// The first output begins the single zstd frame of the connection (magic
/// 28 b5 2f fd); the frame is never ended. A decoder must feed the outputs in
/// order into one ZSTD_DCtx; a new connection needs a new compressor.
class ZstdStreamCompressor
{
public:
    /// Level 3 is what the real service uses (§5.4), here with small match
    /// tables (hashLog and chainLog 12) so hundreds of streams stay cheap.
    explicit ZstdStreamCompressor(int level = 3);
    ~ZstdStreamCompressor();
    ZstdStreamCompressor(const ZstdStreamCompressor &) = delete;
    ZstdStreamCompressor &operator=(const ZstdStreamCompressor &) = delete;

    /// Compress one message and flush it. Errors: libzstd reports an error
    /// (out of memory); the stream is unusable afterwards.
    Result<QByteArray> compress(QByteArrayView message);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace SlotScope::Internal
