// libFuzzer target over the data-plane decoders (PROTOCOL.md §5), the transaction summarizer, jsonValueSpan and base58.
// The checks live in fuzzdrivers.cpp, shared with tst_codecregression.
// Run it through scripts/run-fuzz.sh.

#include "fuzzdrivers.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    SlotScope::Internal::silenceQtMessages();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    SlotScope::Internal::abortOnViolations(SlotScope::Internal::checkDataPlaneCodec(input));
    return 0;
}
