#!/usr/bin/env bash
# Build our qemu-system-arm: `build-qemu.sh` for this machine (x86_64), `build-qemu.sh armhf`
# for the lab (cross-built against an armhf sysroot). Prints the build directory.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

host=${1:-native}
src=$(bash "$ARMKVM_TOP/scripts/prepare-qemu.sh")
bld="$ARMKVM_BUILD/qemu-$host"

# ccache by symlink: the wrapper finds the real compiler further down PATH.
wrap="$ARMKVM_CACHE/ccache-bin"
mkdir -p "$wrap"
for c in cc gcc c++ g++ arm-linux-gnueabihf-gcc arm-linux-gnueabihf-g++; do
    [ -e "$wrap/$c" ] || ln -s /usr/bin/ccache "$wrap/$c"
done
export PATH="$wrap:$PATH"

flags=(--python=/usr/bin/python3 --target-list=arm-softmmu --disable-download
       --disable-docs --enable-tools --disable-werror --without-default-features
       --without-default-devices --with-devices-arm=armkvm --enable-fdt=system
       --enable-tcg --disable-install-blobs --enable-slirp --enable-attr --enable-virtfs
       --enable-vhost-kernel --enable-vhost-net)
case "$host" in
native)
    ;;
armhf)
    sysroot=$(bash "$ARMKVM_TOP/scripts/armhf-sysroot.sh")
    export PKG_CONFIG=pkg-config
    export PKG_CONFIG_LIBDIR="$sysroot/usr/lib/arm-linux-gnueabihf/pkgconfig:$sysroot/usr/share/pkgconfig"
    export PKG_CONFIG_SYSROOT_DIR="$sysroot"
    flags+=(--cross-prefix=arm-linux-gnueabihf- --extra-cflags=--sysroot="$sysroot"
            --extra-ldflags=--sysroot="$sysroot")
    ;;
*) die "unknown build host '$host' (native or armhf)" ;;
esac

# Reconfigure only when the flags or the tree changed; otherwise ninja alone is enough.
key=$( { printf '%s\n' "${flags[@]}"; cat "$src/.armkvm-key"; } | sha256sum | cut -c1-16)
if [ "$(cat "$bld/.armkvm-key" 2>/dev/null)" != "$key" ]; then
    rm -rf "$bld"
    mkdir -p "$bld"
    log "configuring QEMU $QEMU_DEB_VERSION for $host"
    (cd "$bld" && "$src/configure" "${flags[@]}") >"$ARMKVM_BUILD/configure-$host.log" 2>&1 ||
        { tail -30 "$ARMKVM_BUILD/configure-$host.log" >&2; die "configure for $host failed"; }
    echo "$key" >"$bld/.armkvm-key"
fi
start=$(date +%s)
targets=(qemu-system-arm qemu-img)
[ "$host" = native ] && targets+=(tests/qtest/armkvm-virt-test tests/qtest/armkvm-accel-test)
ninja -C "$bld" "${targets[@]}" >&2
log "QEMU $QEMU_DEB_VERSION ($host) built in $(elapsed "$start") s"
echo "$bld"
