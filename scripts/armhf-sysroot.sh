#!/usr/bin/env bash
# An armhf Debian bookworm tree, unpacked (nothing armhf runs): the sysroot our armhf QEMU is
# cross-built against, and the source of the lab host's kernel, kernel headers, busybox and
# shared libraries. Installing armhf packages into the build machine itself is not an option:
# see docs/lab.md. Prints the tree's path.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

pkgs=libglib2.0-dev,libpixman-1-dev,libfdt-dev,zlib1g-dev,libslirp-dev,busybox-static,linux-image-armmp,linux-headers-armmp
key=$(echo "$pkgs" | sha256sum | cut -c1-12)
root="$ARMKVM_CACHE/armhf-root-$key"
if [ ! -e "$root/.armkvm-done" ]; then
    rm -rf "$root" "$root.tmp"
    log "unpacking armhf bookworm tree ($pkgs)"
    mmdebstrap --quiet --variant=extract --architectures=armhf --include="$pkgs" \
        --skip=essential/unlink,cleanup/apt/cache bookworm "$root.tmp" "deb $(debian_mirror) bookworm main" >&2
    # Record what the metapackages resolved to: the lab's exact inputs.
    for d in "$root.tmp"/var/cache/apt/archives/*.deb; do
        dpkg-deb -f "$d" Package Version Architecture | sed 's/^[^:]*: //' | paste -sd' '
    done | sort >"$root.tmp/armkvm-packages.txt"
    touch "$root.tmp/.armkvm-done"
    mv "$root.tmp" "$root"
fi
echo "$root"
