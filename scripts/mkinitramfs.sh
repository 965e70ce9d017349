#!/usr/bin/env bash
# Assemble a busybox initramfs (newc cpio, gzip) for an armhf Debian kernel.
#
#   mkinitramfs.sh OUT --root ARMHF_ROOT --init SCRIPT [--module NAME]... [--file SRC:DST]...
#                  [--binary SRC:DST]...
#
# Modules are looked up in ARMHF_ROOT's /lib/modules and come with their dependencies;
# /etc/modules lists them in load order, for the init script to insmod. A --binary is a
# dynamically linked armhf program: its loader and libraries come from ARMHF_ROOT.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

out=$1; shift
root= init= modules=() files=() binaries=()
while [ $# -gt 0 ]; do
    case "$1" in
    --root) root=$2; shift 2 ;;
    --init) init=$2; shift 2 ;;
    --module) modules+=("$2"); shift 2 ;;
    --file) files+=("$2"); shift 2 ;;
    --binary) binaries+=("$2"); shift 2 ;;
    *) die "mkinitramfs: unknown argument $1" ;;
    esac
done
[ -d "$root" ] && [ -f "$init" ] || die "mkinitramfs: --root and --init are required"

tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
mkdir -p "$tree"/{bin,sbin,etc,proc,sys,dev,tmp,root,lib/modules,mnt,run}
cp "$root/bin/busybox" "$tree/bin/busybox"
install -m 0755 "$init" "$tree/init"

kver=$(basename "$(ls -d "$root"/lib/modules/*/ | head -n 1)")
moddir="$root/lib/modules/$kver"
declare -A seen=()
order=()
add_module() {
    local name=$1 ko dep
    [ -n "${seen[$name]:-}" ] && return
    seen[$name]=1
    # Module names use "_" where file names may use "-".
    ko=$(find "$moddir/kernel" -name "${name//_/[_-]}.ko" -print -quit)
    [ -n "$ko" ] || die "mkinitramfs: module $name not found in $moddir"
    for dep in $(modinfo -F depends "$ko" | tr ',' ' '); do
        add_module "$dep"
    done
    cp "$ko" "$tree/lib/modules/$name.ko"
    order+=("$name")
}
for m in "${modules[@]}"; do
    add_module "$m"
done
printf '%s\n' "${order[@]}" >"$tree/etc/modules"

for f in "${files[@]}"; do
    src=${f%%:*}
    dst=${f#*:}
    mkdir -p "$tree/$(dirname "$dst")"
    cp -a "$src" "$tree/$dst"
done

# Libraries by their DT_NEEDED names, found in the armhf tree, recursively.
libdirs=("$root/lib/arm-linux-gnueabihf" "$root/usr/lib/arm-linux-gnueabihf")
declare -A have_lib=()
add_libs() {
    local elf=$1 lib dir found
    for lib in $(arm-linux-gnueabihf-readelf -d "$elf" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
        [ -n "${have_lib[$lib]:-}" ] && continue
        have_lib[$lib]=1
        found=
        for dir in "${libdirs[@]}"; do
            if [ -e "$dir/$lib" ]; then found="$dir/$lib"; break; fi
        done
        [ -n "$found" ] || die "mkinitramfs: library $lib (needed by $elf) not in $root"
        mkdir -p "$tree/lib/arm-linux-gnueabihf"
        cp -L "$found" "$tree/lib/arm-linux-gnueabihf/$lib"
        add_libs "$found"
    done
}
for b in "${binaries[@]}"; do
    src=${b%%:*}
    dst=${b#*:}
    mkdir -p "$tree/$(dirname "$dst")"
    arm-linux-gnueabihf-strip -o "$tree/$dst" "$src"
    interp=$(arm-linux-gnueabihf-readelf -l "$src" | sed -n 's/.*interpreter: \(.*\)\]/\1/p')
    if [ -n "$interp" ] && [ ! -e "$tree/$interp" ]; then
        mkdir -p "$tree/$(dirname "$interp")"
        cp -L "$root/$interp" "$tree/$interp"
    fi
    add_libs "$src"
done

# gzip -9: Debian's armmp 6.1 kernel once refused a gzip -1 image of this tree
# ("junk within compressed archive"; gzip -t and cpio read it fine), deterministically.
(cd "$tree" && find . -print0 | LC_ALL=C sort -z |
    cpio --null --create --format=newc --owner=0:0 --quiet) | gzip -9 >"$out"
