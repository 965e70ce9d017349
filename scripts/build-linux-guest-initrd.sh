#!/usr/bin/env bash
# The Linux guest's initramfs for tests, benchmark and demo: busybox, /init
# (tests/lab/linux-guest-init), /workload (tests/lab/guest-workload.c, static armhf)
# /virtio-check, /net-check, /integrity-check, /bench-io (tests/lab/guest-*), /tcpio,
# /blkpattern, /blkbench and /snapshot (tests/lab/*.c).
#   build-linux-guest-initrd.sh [DIR]     (default build/linux-guest)
# Writes DIR/workload and DIR/initrd.cpio.gz; prints the initramfs's path.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

dir=${1:-$ARMKVM_BUILD/linux-guest}
mkdir -p "$dir"
root=$(bash "$ARMKVM_TOP/scripts/armhf-sysroot.sh")
arm-linux-gnueabihf-gcc -static -O2 -Wall -Werror -o "$dir/workload" \
    "$ARMKVM_TOP/tests/lab/guest-workload.c"
for t in tcpio blkpattern blkbench guest-snapshot; do
    arm-linux-gnueabihf-gcc -static -O2 -Wall -Werror -o "$dir/$t" "$ARMKVM_TOP/tests/lab/$t.c"
done
bash "$ARMKVM_TOP/scripts/mkinitramfs.sh" "$dir/initrd.cpio.gz" --root "$root" \
    --init "$ARMKVM_TOP/tests/lab/linux-guest-init" --file "$dir/workload:workload" \
    --file "$ARMKVM_TOP/tests/lab/guest-virtio-check:virtio-check" \
    --file "$dir/tcpio:tcpio" --file "$ARMKVM_TOP/tests/lab/guest-net-check:net-check" \
    --file "$dir/blkpattern:blkpattern" --file "$dir/blkbench:blkbench" \
    --file "$dir/guest-snapshot:snapshot" \
    --file "$ARMKVM_TOP/tests/lab/guest-bench-io:bench-io" \
    --file "$ARMKVM_TOP/tests/lab/guest-integrity-check:integrity-check"
echo "$dir/initrd.cpio.gz"
