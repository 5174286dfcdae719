#!/usr/bin/env bash
# Checks the Debian package the way a user meets it (issue 13): builds it with
# cpack -G DEB, installs it with apt-get into a fresh Debian 12 (bookworm)
# made by debootstrap, then inside it runs `slotscope --version`, checks the
# menu entry, metainfo and icon are installed, and starts the window for a
# few seconds against a private Xvfb (--start-demo), saving a screenshot.
#
#   scripts/check-package.sh [BUILD_DIR [CHROOT_DIR]]
#
# Needs root, debootstrap, xvfb and imagemagick (import), and Debian's package
# mirror; an existing CHROOT_DIR is reused. Not part of CI (it downloads
# ~100 packages); its result is reported with the change that touches packaging.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$here/build-tests}"
root="${2:-$here/build-package-check/bookworm}"
mirror="$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)"

(cd "$build" && cpack -G DEB >/dev/null)
deb="$(ls -t "$build"/slotscope_*_amd64.deb | head -1)"
echo "check-package: $(basename "$deb")"
dpkg-deb -f "$deb" Depends

if [ ! -x "$root/usr/bin/apt-get" ]; then
    mkdir -p "$(dirname "$root")"
    debootstrap --variant=minbase bookworm "$root" ${mirror:+"$mirror"} >/dev/null
fi
cleanup() {
    umount "$root/tmp/.X11-unix" 2>/dev/null || true
    umount "$root/proc" 2>/dev/null || true
    [ -n "${xvfb:-}" ] && kill "$xvfb" 2>/dev/null || true
}
trap cleanup EXIT
mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"
cp "$deb" "$root/tmp/slotscope.deb"
chroot "$root" apt-get update -q >/dev/null
DEBIAN_FRONTEND=noninteractive chroot "$root" apt-get install -y -q --no-install-recommends /tmp/slotscope.deb >/dev/null
chroot "$root" slotscope --version
for file in /usr/share/applications/io.slotscope.SlotScope.desktop \
            /usr/share/metainfo/io.slotscope.SlotScope.metainfo.xml \
            /usr/share/icons/hicolor/scalable/apps/io.slotscope.SlotScope.svg \
            /usr/share/icons/hicolor/256x256/apps/io.slotscope.SlotScope.png; do
    test -f "$root$file" || { echo "check-package: $file not installed" >&2; exit 1; }
done
grep -q '^Exec=slotscope' "$root/usr/share/applications/io.slotscope.SlotScope.desktop"

display=:$((90 + RANDOM % 100))
Xvfb "$display" -screen 0 1600x1000x24 >/dev/null 2>&1 &
xvfb=$!
sleep 2
mkdir -p "$root/tmp/.X11-unix"
mount --bind /tmp/.X11-unix "$root/tmp/.X11-unix"
chroot "$root" env DISPLAY="$display" HOME=/root timeout 12 slotscope --start-demo >/dev/null 2>&1 &
app=$!
sleep 9
DISPLAY="$display" import -window root "$(dirname "$root")/window.png"
status=0
wait "$app" || status=$?
# timeout's 124 = the window was still running after 12 s: it started and stayed up.
if [ "$status" != 124 ]; then
    echo "check-package: the window exited with $status" >&2
    exit 1
fi
echo "check-package: installed, --version, menu entry and window OK; screenshot $(dirname "$root")/window.png"
