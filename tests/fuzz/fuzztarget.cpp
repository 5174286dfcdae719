// The libFuzzer entry points of every fuzz target, built once per target
// (tests/fuzz/CMakeLists.txt): SLOTSCOPE_FUZZ_CHECK names the fuzzdrivers.h check
// that fuzz_controlcodec (checkControlCodec, PROTOCOL.md §2–§4), fuzz_dataplanecodec
// (checkDataPlaneCodec, §5) and fuzz_capturelines (checkCaptureLine, CAPTURE_FORMAT.md §4)
// run on each input. The checks are shared with tst_codecregression.
// Run the targets through scripts/run-fuzz.sh.

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
    SlotScope::Internal::abortOnViolations(SlotScope::Internal::SLOTSCOPE_FUZZ_CHECK(input));
    return 0;
}
