#!/usr/bin/env bash
# Build the guest kernel: Debian's linux-source package (apt checks it against the signed
# indexes, we check the pinned SHA256), our patch series guest/linux/patches/*.patch, and
# allnoconfig + our fragment guest/linux/armkvm-guest.config. The result lands in a cache
# directory keyed by (version, patches, fragment), so an unchanged kernel is never rebuilt.
# Prints that directory: zImage, Image, vmlinux, decompressor (its ELF), System.map, config,
# build-info.txt.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

guest="$ARMKVM_TOP/guest/linux"
fragment="$guest/armkvm-guest.config"
pkg=linux-source-$GUEST_KERNEL_SERIES
dl="$ARMKVM_CACHE/downloads/$pkg-$GUEST_KERNEL_DEB_VERSION"
pristine="$ARMKVM_CACHE/$pkg-$GUEST_KERNEL_DEB_VERSION"
kmake=(make ARCH=arm CROSS_COMPILE=arm-linux-gnueabihf- "CC=ccache arm-linux-gnueabihf-gcc")

# 1. The package, verified, and its source tarball unpacked once.
if [ ! -e "$pristine/.armkvm-unpacked" ]; then
    mkdir -p "$dl"
    deb="$dl/${pkg}_${GUEST_KERNEL_DEB_VERSION}_all.deb"
    if [ ! -e "$deb" ]; then
        log "downloading $pkg=$GUEST_KERNEL_DEB_VERSION"
        (cd "$dl" && apt-get download -q "$pkg=$GUEST_KERNEL_DEB_VERSION") >&2 ||
            die "apt-get download $pkg=$GUEST_KERNEL_DEB_VERSION failed (a newer point release may have replaced it: bump scripts/versions.sh)"
    fi
    echo "$GUEST_KERNEL_DEB_SHA256  $deb" | sha256sum --check --quiet >&2 ||
        { rm -f "$deb"; die "$deb does not have the SHA256 pinned in scripts/versions.sh"; }
    rm -rf "$pristine" "$pristine.tmp"
    mkdir -p "$pristine.tmp"
    log "unpacking $pkg $GUEST_KERNEL_DEB_VERSION"
    dpkg-deb --fsys-tarfile "$deb" | tar -xO "./usr/src/$pkg.tar.xz" |
        tar -xJ -C "$pristine.tmp" --strip-components=1
    touch "$pristine.tmp/.armkvm-unpacked"
    mv "$pristine.tmp" "$pristine"
fi

# 2. The key: everything that decides the kernel's bytes (besides the pinned toolchain).
patches=()
for p in "$guest"/patches/*.patch; do
    [ -e "$p" ] && patches+=("$p")
done
key=$( { echo "$pkg $GUEST_KERNEL_DEB_VERSION $GUEST_KERNEL_DEB_SHA256";
         for p in "${patches[@]}"; do echo "${p##*/}"; cat "$p"; done
         cat "$fragment"; cat "$0"; } | sha256sum | cut -c1-16)
out="$ARMKVM_CACHE/guest-kernel-$key"
if [ -e "$out/.armkvm-done" ]; then
    log "guest kernel $GUEST_KERNEL_DEB_VERSION ($key) is cached"
    echo "$out"
    exit 0
fi
rm -rf "$out" "$out.tmp"
src="$out.tmp/src"
bld="$out.tmp/build"
mkdir -p "$out.tmp" "$bld"
start=$(date +%s)

# 3. A build tree: hard links to the pristine tree, real copies of the files a patch touches.
cp -al "$pristine" "$src"
for f in $(sed -n 's@^+++ b/\([^[:space:]]*\).*@\1@p' "${patches[@]}" | sort -u); do
    if [ -e "$pristine/$f" ]; then cp --remove-destination "$pristine/$f" "$src/$f"; fi
done
for p in "${patches[@]}"; do
    patch -d "$src" -p1 --quiet --forward --no-backup-if-mismatch <"$p" ||
        die "patch ${p##*/} does not apply to $pkg $GUEST_KERNEL_DEB_VERSION"
done
log "guest kernel: $pkg $GUEST_KERNEL_DEB_VERSION, ${#patches[@]} patch(es), key $key"

# Reproducible, cache-friendly: no user, host or date in the image; paths relative to the cache.
export KBUILD_BUILD_USER=armkvm KBUILD_BUILD_HOST=armkvm KBUILD_BUILD_VERSION=1
export KBUILD_BUILD_TIMESTAMP="Debian $GUEST_KERNEL_DEB_VERSION"
export CCACHE_BASEDIR="$ARMKVM_CACHE"

# 4. Configure: allnoconfig with our fragment on top, then check every line of the fragment.
(cd "$src" && ARCH=arm scripts/kconfig/merge_config.sh -n -O "$bld" "$fragment") \
    >"$out.tmp/config.log" 2>&1 ||
    { tail -30 "$out.tmp/config.log" >&2; die "configuring the guest kernel failed"; }
bad=0
while IFS= read -r line; do
    case "$line" in
    CONFIG_*=*)
        want=$line ;;
    "# CONFIG_"*" is not set")
        want=$line ;;
    *) continue ;;
    esac
    opt=${want#\# }
    opt=${opt%%[= ]*}
    got=$(grep -E "^(# )?$opt[= ]" "$bld/.config" || true)
    case "$want" in
    *" is not set")
        # Not set, or not even offered: both mean off.
        [ -z "$got" ] || [ "$got" = "$want" ] && continue ;;
    *)
        [ "$got" = "$want" ] && continue ;;
    esac
    log "config: wanted '$want', got '${got:-(absent: a dependency is missing)}'"
    bad=1
done <"$fragment"
[ "$bad" = 0 ] || die "guest kernel config does not match $fragment (see above)"

# 5. Build.
log "building the guest kernel (make -j$(nproc))"
"${kmake[@]}" -C "$src" O="$bld" -j"$(nproc)" zImage >"$out.tmp/build.log" 2>&1 ||
    { tail -40 "$out.tmp/build.log" >&2; die "guest kernel build failed (log: $out.tmp/build.log)"; }
secs=$(elapsed "$start")

# Keep the results and the config; drop the objects (ccache has them).
cp "$bld/arch/arm/boot/zImage" "$bld/arch/arm/boot/Image" "$bld/vmlinux" \
   "$bld/System.map" "$out.tmp/"
# The decompressor's ELF, for guest/linux/scan-sites.py.
cp "$bld/arch/arm/boot/compressed/vmlinux" "$out.tmp/decompressor"
cp "$bld/.config" "$out.tmp/config"
release=$(cat "$bld/include/config/kernel.release")
{
    echo "package $pkg $GUEST_KERNEL_DEB_VERSION sha256 $GUEST_KERNEL_DEB_SHA256"
    echo "release $release"
    echo "patches ${#patches[@]}"
    for p in "${patches[@]}"; do echo "patch ${p##*/} $(sha256sum <"$p" | cut -c1-16)"; done
    echo "key $key"
    echo "options $(grep -c '=[ym]' "$out.tmp/config")"
    echo "zImage $(stat -c %s "$out.tmp/zImage")"
    echo "build-seconds $secs"
} >"$out.tmp/build-info.txt"
rm -rf "$src" "$bld"
# The pristine tree's checkpatch.pl and friends, for the style suite.
ln -s "$pristine" "$out.tmp/source"
touch "$out.tmp/.armkvm-done"
mv "$out.tmp" "$out"
log "guest kernel $release built in $secs s: $out"
echo "$out"
