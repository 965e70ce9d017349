#!/usr/bin/env bash
# Assemble the lab: the stock armmp kernel and an initramfs holding busybox, our armkvm.ko and
# our armhf qemu-system-arm with its libraries. lab/run boots them on Debian's qemu-system-arm.
# Prints the lab directory.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

root=$(bash "$ARMKVM_TOP/scripts/armhf-sysroot.sh")
module=$(bash "$ARMKVM_TOP/scripts/build-module.sh")
qemu_bld=$(bash "$ARMKVM_TOP/scripts/build-qemu.sh" armhf)
qemu=$qemu_bld/qemu-system-arm
lab="$ARMKVM_BUILD/lab"
mkdir -p "$lab"

# The board's firmware (see lab/firmware/lab-boot.S for why there is one).
arm-linux-gnueabihf-gcc -nostdlib -static -Wl,--build-id=none -Wl,-Ttext=0x0 \
    -Wl,-e,_start -o "$lab/lab-boot.elf" "$ARMKVM_TOP/lab/firmware/lab-boot.S"
arm-linux-gnueabihf-objcopy -O binary "$lab/lab-boot.elf" "$lab/lab-boot.bin"
# The same entering the kernel in Hyp mode, for a board with virtualization extensions.
arm-linux-gnueabihf-gcc -nostdlib -static -Wl,--build-id=none -Wl,-Ttext=0x0 -DLAB_ENTER_HYP \
    -Wl,-e,_start -o "$lab/lab-boot-hyp.elf" "$ARMKVM_TOP/lab/firmware/lab-boot.S"
arm-linux-gnueabihf-objcopy -O binary "$lab/lab-boot-hyp.elf" "$lab/lab-boot-hyp.bin"
# The same keeping the kernel in the Secure world: the host of trustzone mode.
arm-linux-gnueabihf-gcc -nostdlib -static -Wl,--build-id=none -Wl,-Ttext=0x0 -DLAB_SECURE_HOST \
    -Wl,-e,_start -o "$lab/lab-boot-secure.elf" "$ARMKVM_TOP/lab/firmware/lab-boot.S"
arm-linux-gnueabihf-objcopy -O binary "$lab/lab-boot-secure.elf" "$lab/lab-boot-secure.bin"

# Tools the lab host and the guest share: TCP transfers (network tests, bench-io) and
# self-checking disk blocks (integrity tests), O_DIRECT block figures (bench-io).
for t in tcpio blkpattern blkbench; do
    arm-linux-gnueabihf-gcc -static -O2 -Wall -Werror -o "$lab/$t" "$ARMKVM_TOP/tests/lab/$t.c"
done

kernel=$(ls "$root"/boot/vmlinuz-*-armmp | tail -n 1)
cp -u "$kernel" "$lab/vmlinuz"
bash "$ARMKVM_TOP/scripts/mkinitramfs.sh" "$lab/initrd.cpio.gz" --root "$root" \
    --init "$ARMKVM_TOP/lab/init" --module tun --module vhost_net \
    --module virtio_mmio --module virtio_blk \
    --file "$lab/tcpio:bin/tcpio" --file "$lab/blkpattern:bin/blkpattern" \
    --file "$lab/blkbench:bin/blkbench" \
    --file "$(ls "$root"/lib/modules/*/kernel/drivers/block/brd.ko):lib/modules/brd.ko" \
    --file "$module:lib/armkvm/armkvm.ko" \
    --file "$ARMKVM_TOP/lab/qmp-after:bin/qmp-after" \
    --file "$ARMKVM_TOP/lab/host-health:bin/host-health" \
    --binary "$qemu:bin/qemu-system-arm" \
    --binary "$qemu_bld/qemu-img:bin/qemu-img"

# The lab's exact inputs, for the record.
{
    echo "board: $(/usr/bin/qemu-system-arm --version | head -n 1)"
    echo "host kernel: $(basename "$kernel")"
    grep -E '^(linux-image|busybox-static|libglib2.0-0|libfdt1) ' "$root/armkvm-packages.txt" |
        sed 's/^/package: /'
    echo "module: $(modinfo -F vermagic "$module")"
} >"$lab/versions.txt"
echo "$lab"
