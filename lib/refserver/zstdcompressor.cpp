#include "refserver/zstdcompressor.h"

#include <zstd.h>

using namespace Qt::StringLiterals;

namespace SlotScope::Internal {

struct ZstdStreamCompressor::Private
{
    ZSTD_CCtx *context = nullptr;
    bool failed = false;
};

ZstdStreamCompressor::ZstdStreamCompressor(int level)
    : d(std::make_unique<Private>())
{
    d->context = ZSTD_createCCtx();
    if (!d->context || ZSTD_isError(ZSTD_CCtx_setParameter(d->context, ZSTD_c_compressionLevel, level)))
        d->failed = true;
}

ZstdStreamCompressor::~ZstdStreamCompressor()
{
    ZSTD_freeCCtx(d->context);
}

Result<QByteArray> ZstdStreamCompressor::compress(QByteArrayView message)
{
    if (d->failed)
        return makeError(u"the zstd stream is unusable after an earlier error"_s);
    QByteArray out;
    out.resize(qsizetype(ZSTD_compressBound(size_t(message.size())) + 32));
    ZSTD_inBuffer input{message.data(), size_t(message.size()), 0};
    ZSTD_outBuffer output{out.data(), size_t(out.size()), 0};
    for (;;) {
        const size_t remaining = ZSTD_compressStream2(d->context, &output, &input, ZSTD_e_flush);
        if (ZSTD_isError(remaining)) {
            d->failed = true;
            return makeError(u"zstd compression failed: %1"_s.arg(QString::fromLatin1(ZSTD_getErrorName(remaining))));
        }
        if (remaining == 0 && input.pos == input.size)
            break;
        if (output.pos == output.size) { // more than the bound (frame header, block headers): grow
            out.resize(out.size() * 2);
            output.dst = out.data();
            output.size = size_t(out.size());
        }
    }
    out.truncate(qsizetype(output.pos));
    return out;
}

} // namespace SlotScope::Internal
