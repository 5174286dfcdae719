#!/usr/bin/env bash
# Sets up, builds and runs every SlotScope test (unit, widget, integration)
# headless: widgets render offscreen, servers listen on 127.0.0.1. Then
# fuzzes the codecs for a bounded time (scripts/run-fuzz.sh, its own clang
# build in build-fuzz/; SLOTSCOPE_FUZZ_SECONDS per target, default 60 here,
# 0 skips it).
#
# Tests build in their own directory (build-tests/), unoptimised and without
# the benchmarks: it compiles about twice as fast, and nothing here is timed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/scripts/setup-debian.sh"
export SLOTSCOPE_BUILD_DIR="${SLOTSCOPE_BUILD_DIR:-$here/build-tests}"
SLOTSCOPE_BUILD_TYPE="${SLOTSCOPE_BUILD_TYPE:-Debug}" "$here/scripts/build.sh" -DSLOTSCOPE_BUILD_BENCH=OFF
cd "$SLOTSCOPE_BUILD_DIR"
QT_QPA_PLATFORM=offscreen ctest --output-on-failure --timeout 600 -j "$(nproc)"
fuzz_seconds="${SLOTSCOPE_FUZZ_SECONDS:-60}"
if [ "$fuzz_seconds" != 0 ]; then
    SLOTSCOPE_FUZZ_SECONDS="$fuzz_seconds" "$here/scripts/run-fuzz.sh"
fi
