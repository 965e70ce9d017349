#!/usr/bin/env bash
# The rootfs-guest test, from the build machine: our Linux guest boots the Debian root
# filesystem from virtio-blk under TCG here (this build's x86 qemu-system-arm: the oracle;
# TCG nested in the emulated lab would be far too slow), then natively in the lab
# (rootfs-guest.sh, the same command line: rootfs-guest.conf); the guest's lines must be the
# same. Here e2fsck -fn checks the TCG run's image and debugfs reads the guest's file; in
# the lab a second boot does the same for the armkvm run's.
#   rootfs-guest-run.sh QEMU ZIMAGE ROOTFS LAB_RUN [MODE [LAB_TIMEOUT]]
# MODE: armkvm's in the lab, privileged (the default) or isolated.
set -euo pipefail
qemu=$1 kernel=$2 rootfs=$3 lab_run=$4 mode=${5:-privileged} lab_timeout=${6:-540}
here=$(dirname "$0")
# shellcheck source=tests/lab/rootfs-guest.conf
. "$here/rootfs-guest.conf"
tmp=$(mktemp -d /tmp/rootfs-guest.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
guest_lines() { tr -d '\r' | grep -E '^(check|armkvm-init): ' || true; }

cp --sparse=always "$rootfs" "$tmp/tcg.img"
status=0
# shellcheck disable=SC2086 # $machine is a list of options
timeout 400 "$qemu" $machine -accel tcg -kernel "$kernel" -serial "file:$tmp/tcg.out" \
    -drive "if=none,id=root,file=$tmp/tcg.img,format=raw" \
    -device virtio-blk-device,drive=root,serial=root -append "$append" || status=$?
echo "tcg: exit $status"
guest_lines <"$tmp/tcg.out" >"$tmp/tcg.lines"
status=0
e2fsck -fn "$tmp/tcg.img" >"$tmp/e2fsck.out" 2>&1 || status=$?
echo "tcg: e2fsck -fn: exit $status"
[ $status = 0 ] || cat "$tmp/e2fsck.out"
echo "tcg: /root/file as the host reads it: $(debugfs -R 'cat /root/file' "$tmp/tcg.img" \
    2>/dev/null | sha256sum | cut -c1-16)"

status=0
"$lab_run" --timeout "$lab_timeout" --disk "$rootfs" --file "$kernel:zImage" \
    --file "$here/rootfs-guest.sh:t.sh" --file "$here/rootfs-guest.conf:guest.conf" \
    -- sh t.sh "$mode" "$((lab_timeout - 140))" >"$tmp/lab.out" || status=$?
cat "$tmp/lab.out"
echo "lab: exit $status"
guest_lines <"$tmp/lab.out" >"$tmp/armkvm.lines"
if [ -s "$tmp/tcg.lines" ] && cmp -s "$tmp/tcg.lines" "$tmp/armkvm.lines"; then
    echo "lines: the same under tcg"
else
    echo "lines: differ (tcg, armkvm)"
    diff "$tmp/tcg.lines" "$tmp/armkvm.lines" || true
fi
