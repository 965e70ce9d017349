#!/usr/bin/env bash
# Cross-build linux-module/armkvm.ko for the lab's Debian armmp kernel. Debian's kbuild tools
# are host binaries (linux-kbuild is Multi-Arch foreign), so the amd64 build of the matching
# version stands in for the armhf one the headers point at. Prints the module's path.
#   scripts/build-module.sh [DIR [OUT]]   DIR: another module's sources (its Kbuild names one
#                                         module), relative to the top; OUT: copy the .ko there
set -euo pipefail
. "$(dirname "$0")/lib.sh"
src_dir=${1:-linux-module}

root=$(bash "$ARMKVM_TOP/scripts/armhf-sysroot.sh")
hdr_armmp=$(ls -d "$root"/usr/src/linux-headers-*-armmp | tail -n 1)
kabi=${hdr_armmp##*/linux-headers-}
kabi=${kabi%-armmp}
hdr_common="$root/usr/src/linux-headers-$kabi-common"
kver=$(awk '$1 == "linux-headers-'"$kabi"'-armmp" { print $2 }' "$root/armkvm-packages.txt")
[ -n "$kver" ] || die "cannot tell the version of linux-headers-$kabi-armmp"
kbuild_pkg=linux-kbuild-$(echo "$kabi" | cut -d. -f1-2)

kbuild="$ARMKVM_CACHE/$kbuild_pkg-amd64-$kver"
if [ ! -e "$kbuild/.armkvm-done" ]; then
    rm -rf "$kbuild" && mkdir -p "$kbuild/deb"
    (cd "$kbuild/deb" && apt-get download -q "$kbuild_pkg:amd64=$kver") >&2 ||
        die "cannot download $kbuild_pkg $kver for amd64"
    dpkg-deb -x "$kbuild"/deb/*.deb "$kbuild"
    touch "$kbuild/.armkvm-done"
fi

# A headers tree whose tools run here: the Debian trees, relinked to the amd64 kbuild.
kdir="$ARMKVM_BUILD/kheaders"
tools="$kbuild/usr/lib/$kbuild_pkg"
if [ "$(cat "$kdir/.armkvm-key" 2>/dev/null)" != "$root $kver" ]; then
    rm -rf "$kdir" && mkdir -p "$kdir"
    cp -rs "$hdr_common" "$kdir/common"
    cp -a "$hdr_armmp" "$kdir/armmp"
    for d in common armmp; do
        rm -f "$kdir/$d/scripts" "$kdir/$d/tools"
        ln -s "$tools/scripts" "$kdir/$d/scripts"
        ln -s "$tools/tools" "$kdir/$d/tools"
    done
    echo "include $kdir/common/Makefile" >"$kdir/armmp/Makefile"
    echo "$root $kver" >"$kdir/.armkvm-key"
fi

# Build out of the source tree, with the ABI header at the relative path Kbuild expects.
out="$ARMKVM_BUILD/module"
mdir="$out/$(basename "$src_dir")"
mkdir -p "$mdir" "$out/linux-headers/linux"
# A mode's files sit in a folder of their own (linux-module/privileged/).
(cd "$ARMKVM_TOP/$src_dir" && shopt -s nullglob &&
    cp -u --parents Kbuild ./*.[chS] ./*/*.[chS] "$mdir/")
cp -u "$ARMKVM_TOP/linux-headers/linux/armkvm.h" "$out/linux-headers/linux/"
make -s -C "$kdir/armmp" M="$mdir" ARCH=arm \
    CROSS_COMPILE=arm-linux-gnueabihf- modules >&2
ko="$mdir/$(sed -n 's/^obj-m *:= *\(.*\)\.o$/\1/p' "$mdir/Kbuild").ko"
[ -e "$ko" ] || die "no module built in $mdir"
if [ $# -ge 2 ]; then
    cp "$ko" "$2"
fi
echo "$ko"
