#!/usr/bin/env bash
# Sets up, builds and runs every SlotScope test (unit, widget, integration)
# headless: widgets render offscreen, servers listen on 127.0.0.1.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/scripts/setup-debian.sh"
"$here/scripts/build.sh"
cd "${SLOTSCOPE_BUILD_DIR:-$here/build}"
QT_QPA_PLATFORM=offscreen ctest --output-on-failure --timeout 600 -j "$(nproc)"
