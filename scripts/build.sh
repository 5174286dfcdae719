#!/usr/bin/env bash
# Configures and builds SlotScope into build/ (Release with debug info), or
# into $SLOTSCOPE_BUILD_DIR with $SLOTSCOPE_BUILD_TYPE; extra arguments go to cmake.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${SLOTSCOPE_BUILD_DIR:-$here/build}"
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE="${SLOTSCOPE_BUILD_TYPE:-RelWithDebInfo}" "$@" >/dev/null
cmake --build "$build" --parallel "$(nproc)"
