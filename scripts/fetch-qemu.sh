#!/usr/bin/env bash
# Fetch the pinned QEMU source package from Debian (apt checks it against the signed Sources
# index) and unpack it with Debian's own patch series applied. Prints the unpacked path.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

upstream=${QEMU_DEB_VERSION#*:}
noepoch=$upstream
upstream=${upstream%-*}
dl="$ARMKVM_CACHE/downloads/qemu-$noepoch"
pristine="$ARMKVM_CACHE/qemu-$noepoch"

if [ ! -e "$pristine/.armkvm-unpacked" ]; then
    mkdir -p "$dl"
    if ! ls "$dl"/*.dsc >/dev/null 2>&1; then
        log "downloading Debian source qemu=$QEMU_DEB_VERSION"
        (cd "$dl" && apt-get source -q --download-only "qemu=$QEMU_DEB_VERSION") >&2 ||
            die "apt-get source qemu=$QEMU_DEB_VERSION failed (is deb-src for $QEMU_SUITE set up? run scripts/setup-apt.sh)"
    fi
    rm -rf "$pristine" "$pristine.tmp"
    log "unpacking QEMU $upstream with Debian's patches"
    dpkg-source -x "$dl"/qemu_*.dsc "$pristine.tmp" >&2
    touch "$pristine.tmp/.armkvm-unpacked"
    mv "$pristine.tmp" "$pristine"
fi
echo "$pristine"
