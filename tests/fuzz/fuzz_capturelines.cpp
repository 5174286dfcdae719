// libFuzzer target over lib/capture's NDJSON line parsing (CAPTURE_FORMAT.md §4, captureparsing.h).
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
    SlotScope::Internal::abortOnViolations(SlotScope::Internal::checkCaptureLine(input));
    return 0;
}
