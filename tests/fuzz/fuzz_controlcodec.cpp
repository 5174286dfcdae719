// libFuzzer target over decodeControlResponse and decodeControlRequest (PROTOCOL.md §2–§4).
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
    SlotScope::Internal::abortOnViolations(SlotScope::Internal::checkControlCodec(input));
    return 0;
}
