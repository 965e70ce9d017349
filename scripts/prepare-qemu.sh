#!/usr/bin/env bash
# Build the QEMU source tree we compile: Debian's unpacked QEMU, our directories overlaid at
# their QEMU paths (symlinks), our patch series applied. Prints the tree's path.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

pristine=$(bash "$ARMKVM_TOP/scripts/fetch-qemu.sh")
src="$ARMKVM_BUILD/qemu-src"
series="$ARMKVM_TOP/patches/qemu"

# The tree is rebuilt only when the base or the series changes: a fresh tree means fresh
# timestamps and a full (if ccache-fast) rebuild.
key=$( { echo "$pristine"; cat "$series"/*.patch 2>/dev/null; } | sha256sum | cut -c1-16)
if [ "$(cat "$src/.armkvm-key" 2>/dev/null)" != "$key" ]; then
    log "preparing QEMU tree in $src"
    rm -rf "$src"
    mkdir -p "$ARMKVM_BUILD"
    cp -a "$pristine" "$src"
    for p in "$series"/*.patch; do
        [ -e "$p" ] || continue
        patch -d "$src" -p1 --quiet --forward --no-backup-if-mismatch <"$p" ||
            die "patch $(basename "$p") does not apply to QEMU $QEMU_DEB_VERSION"
    done
    echo "$key" >"$src/.armkvm-key"
fi
grep -v '^#' "$ARMKVM_TOP/scripts/overlay-paths" | while read -r path; do
    [ -n "$path" ] || continue
    [ -e "$ARMKVM_TOP/$path" ] || die "overlay path $path is missing"
    [ -e "$src/$path" ] && [ ! -L "$src/$path" ] && die "$path exists in QEMU itself"
    mkdir -p "$(dirname "$src/$path")"
    ln -sfn "$ARMKVM_TOP/$path" "$src/$path"
done
echo "$src"
