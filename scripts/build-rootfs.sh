#!/usr/bin/env bash
# The Debian armhf root filesystem our Linux guest boots from virtio-blk (root=/dev/vda):
# bookworm packages unpacked by mmdebstrap (nothing armhf runs here: no maintainer scripts),
# what their scripts would have set up done by hand, our /sbin/armkvm-init and
# /sbin/armkvm-check (guest/rootfs/), all in an ext4 image made by mke2fs -d (no loop
# mount). Prints the image's path. Two caches in $ARMKVM_CACHE:
#   rootfs-tree-KEY   the unpacked tree, KEY a hash of mmdebstrap's arguments (the package
#                     list among them);
#   rootfs-KEY        the image, KEY a hash of the tree's resolved package versions,
#                     guest/rootfs/* and this script (a change to the check script costs
#                     seconds, not a new download).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

pkgs=base-files,base-passwd,bash,coreutils,dash,diffutils,dpkg,e2fsprogs,findutils,grep,gzip
pkgs+=,hostname,iproute2,libc-bin,mawk,mount,procps,python3-minimal,sed,tar,util-linux
pkgs+=,usr-is-merged,xz-utils
# --variant=extract: these packages and their dependencies, unpacked, nothing configured.
# Merged /usr as bookworm's installers make it; usr-is-merged says so (else apt picks usrmerge,
# which would convert the tree in its postinst, and pulls in perl).
args=(--quiet --variant=extract --architectures=armhf --include="$pkgs"
      --setup-hook='for d in bin sbin lib; do ln -s usr/$d "$1/$d"; mkdir -p "$1/usr/$d"; done'
      --skip=cleanup/apt/cache bookworm)
tree="$ARMKVM_CACHE/rootfs-tree-$(echo "${args[*]}" | sha256sum | cut -c1-12)"
if [ ! -e "$tree/.armkvm-done" ]; then
    rm -rf "$tree" "$tree.tmp"
    log "unpacking the armhf bookworm root filesystem ($pkgs)"
    t0=$(date +%s)
    mmdebstrap "${args[@]}" "$tree.tmp" "deb $(debian_mirror) bookworm main" >&2
    debs=("$tree.tmp"/var/cache/apt/archives/*.deb)
    for d in "${debs[@]}"; do
        dpkg-deb -f "$d" Package Version Architecture | sed 's/^[^:]*: //' | paste -sd' '
    done | sort >"$tree.tmp/armkvm-packages.txt"
    # The package database the way dpkg would record these packages, so dpkg-query works
    # in the guest; no file lists, so "dpkg -L" does not.
    for d in "${debs[@]}"; do
        dpkg-deb -f "$d" | sed '/^Package:/a Status: install ok installed'
        echo
    done >"$tree.tmp/var/lib/dpkg/status"
    rm -f "${debs[@]}"
    log "root filesystem tree: $(du -sm "$tree.tmp" | cut -f1) MiB in $(elapsed "$t0") s"
    touch "$tree.tmp/.armkvm-done"
    mv "$tree.tmp" "$tree"
fi

inputs=$( { cat "$tree/armkvm-packages.txt" "${BASH_SOURCE[0]}"
            for f in "$ARMKVM_TOP"/guest/rootfs/*; do echo "$f"; cat "$f"; done; } |
          sed "s|$ARMKVM_TOP/||" | sha256sum | cut -c1-12)
out="$ARMKVM_CACHE/rootfs-$inputs"
if [ ! -e "$out/rootfs.ext4" ]; then
    rm -rf "$out.tmp"
    mkdir -p "$out.tmp"
    stage="$out.tmp/tree"
    cp -a "$tree" "$stage"
    rm "$stage/.armkvm-done" "$stage/armkvm-packages.txt"
    # What the unrun maintainer scripts would have done, as far as this guest needs it:
    # users and groups (base-passwd), /etc/mtab (util-linux's findmnt, e2fsck), a host name,
    # awk (mawk's alternative), the shells' start-up files (base-files).
    cp "$stage/usr/share/base-passwd/passwd.master" "$stage/etc/passwd"
    cp "$stage/usr/share/base-passwd/group.master" "$stage/etc/group"
    ln -sfn ../proc/self/mounts "$stage/etc/mtab"
    echo armkvm-guest >"$stage/etc/hostname"
    ln -sfn /usr/bin/mawk "$stage/etc/alternatives/awk"
    ln -sfn /etc/alternatives/awk "$stage/usr/bin/awk"
    cp "$stage/usr/share/base-files/profile" "$stage/etc/profile"
    cp "$stage/usr/share/base-files/dot.bashrc" "$stage/root/.bashrc"
    cp "$stage/usr/share/base-files/dot.profile" "$stage/root/.profile"
    printf '/dev/vda / ext4 rw 0 1\n' >"$stage/etc/fstab"
    # Translations, manual pages and documentation: half the tree, of no use to this guest.
    rm -rf "$stage"/usr/share/{locale,man,doc,info}
    install -m 0755 "$ARMKVM_TOP/guest/rootfs/armkvm-init" "$stage/sbin/armkvm-init"
    install -m 0755 "$ARMKVM_TOP/guest/rootfs/armkvm-check" "$stage/sbin/armkvm-check"
    # 128 MiB, about half free for what the guest writes. A fixed UUID and hash seed: the
    # same inputs give the same image.
    truncate -s 128M "$out.tmp/rootfs.ext4"
    mke2fs -q -t ext4 -L armkvm-root -U 5e1f0a2b-a4c5-4d6e-8f70-8192a3b4c5d6 \
        -E hash_seed=0fc1a5e3-1b2c-4d3e-9f40-5a6b7c8d9e0f,root_owner=0:0 \
        -d "$stage" "$out.tmp/rootfs.ext4"
    rm -rf "$stage"
    e2fsck -fn "$out.tmp/rootfs.ext4" >"$out.tmp/e2fsck.txt" 2>&1 ||
        die "the new root filesystem image is not clean: $(cat "$out.tmp/e2fsck.txt")"
    cp "$tree/armkvm-packages.txt" "$out.tmp/packages.txt"
    echo "tree $(du -sm "$tree" | cut -f1) MiB, image $(( $(stat -c %s "$out.tmp/rootfs.ext4") >> 20 )) MiB ($(du -m "$out.tmp/rootfs.ext4" | cut -f1) MiB allocated)" \
        >"$out.tmp/size.txt"
    log "root filesystem image: $(cat "$out.tmp/size.txt")"
    rm -rf "$out"
    mv "$out.tmp" "$out"
fi
echo "$out/rootfs.ext4"
