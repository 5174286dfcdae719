#!/usr/bin/env bash
# Sets up, builds and starts SlotScope on its embedded demo simulator, which
# replays the real mainnet transactions in ../shared/fixtures/solana when
# present (synthetic ones otherwise). Extra arguments go to the app.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/scripts/setup-debian.sh"
"$here/scripts/build.sh"
exec "${SLOTSCOPE_BUILD_DIR:-$here/build}/bin/slotscope" --start-demo "$@"
