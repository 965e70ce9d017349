#!/usr/bin/env bash
# The main job: build everything, then
#   1. boot Debian's stock Linux kernel on armkvm-virt under -accel armkvm (its TCG mode: this
#      machine is x86_64) to a busybox shell, interactive when stdin is a terminal;
#   2. boot the lab (an ARMv7 board without virtualization extensions running Debian's armhf
#      kernel and our module) and run a guest there natively, -accel armkvm,mode=privileged,
#      showing the host's view and the guest's output.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

bash "$ARMKVM_TOP/scripts/install-deps.sh"
armhf_root=$(bash "$ARMKVM_TOP/scripts/armhf-sysroot.sh")
qemu=$(bash "$ARMKVM_TOP/scripts/build-qemu.sh" native)/qemu-system-arm
lab=$(bash "$ARMKVM_TOP/scripts/build-lab.sh")
kernel=$(ls "$armhf_root"/boot/vmlinuz-*-armmp | tail -n 1)
initrd="$ARMKVM_BUILD/demo-initrd.cpio.gz"
bash "$ARMKVM_TOP/scripts/mkinitramfs.sh" "$initrd" --root "$armhf_root" \
    --init "$ARMKVM_TOP/tests/boot/stock-kernel-init" \
    --module virtio_mmio --module virtio_blk --module virtio_net --module virtio_rng
hello="$ARMKVM_BUILD/demo-hello.elf"
arm-linux-gnueabihf-gcc -nostdlib -static -Wl,--build-id=none -Wl,-Ttext=0x40010000 \
    -Wl,-e,_start -o "$hello" "$ARMKVM_TOP/guest/baremetal/hello.S"

log "1. Linux on armkvm-virt, -accel armkvm,mode=tcg, on this machine"
args=(-M armkvm-virt -m 512 -accel armkvm,mode=tcg -nographic -no-reboot -kernel "$kernel"
      -initrd "$initrd" -append "console=ttyAMA0 quiet" -netdev user,id=n0
      -device virtio-net-device,netdev=n0 -device virtio-rng-device)
if [ -t 0 ]; then
    log "a shell follows; leave it with: poweroff -f"
    "$qemu" "${args[@]}"
else
    { sleep 15; echo 'uname -a; grep -m2 -E "model name|Hardware" /proc/cpuinfo; poweroff -f'; } |
        timeout 120 "$qemu" "${args[@]}"
fi

log "2. The lab: a guest running natively under -accel armkvm,mode=privileged"
ARMKVM_LAB_DIR=$lab "$ARMKVM_TOP/lab/run" --file "$hello:hello.elf" -- '
echo "== host: $(uname -a)"
grep -m1 "model name" /proc/cpuinfo
dmesg | grep -m1 "started in"
echo "== host: armkvm.ko loaded: $(grep ^armkvm /proc/modules)"
ls -l /dev/armkvm
echo "== guest under -accel armkvm,mode=privileged:"
qemu-system-arm -M armkvm-virt,ram-base=0x40000000 -m 4 -accel armkvm,mode=privileged -nographic -no-reboot -kernel hello.elf
echo "== the same guest under -accel tcg:"
qemu-system-arm -M armkvm-virt,ram-base=0x40000000 -m 4 -accel tcg -nographic -no-reboot -kernel hello.elf'
