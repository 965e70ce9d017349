#!/usr/bin/env bash
# The main job: build everything and boot a Linux guest on armkvm-virt under -accel armkvm,
# on the console of this terminal. Interactive when stdin is a terminal; otherwise the guest
# runs a few commands and powers off.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

bash "$ARMKVM_TOP/scripts/install-deps.sh"
armhf_root=$(bash "$ARMKVM_TOP/scripts/armhf-sysroot.sh")
qemu=$(bash "$ARMKVM_TOP/scripts/build-qemu.sh" native)/qemu-system-arm
kernel=$(ls "$armhf_root"/boot/vmlinuz-*-armmp | tail -n 1)
initrd="$ARMKVM_BUILD/demo-initrd.cpio.gz"
bash "$ARMKVM_TOP/scripts/mkinitramfs.sh" "$initrd" --root "$armhf_root" \
    --init "$ARMKVM_TOP/tests/boot/stock-kernel-init" \
    --module virtio_mmio --module virtio_blk --module virtio_net --module virtio_rng

args=(-M armkvm-virt -m 512 -nographic -no-reboot -kernel "$kernel" -initrd "$initrd"
      -append "console=ttyAMA0 quiet" -netdev user,id=n0 -device virtio-net-device,netdev=n0
      -device virtio-rng-device)
# This machine is x86_64: armkvm runs the guest under its TCG mode here.
if [ -t 0 ]; then
    log "booting; leave with poweroff -f (or Ctrl-a x)"
    exec "$qemu" -accel armkvm,mode=tcg "${args[@]}"
fi
{ sleep 15; echo 'uname -a; cat /proc/cpuinfo | head -5; cat /proc/interrupts | head -4; poweroff -f'; } |
    timeout 120 "$qemu" -accel armkvm,mode=tcg "${args[@]}"
