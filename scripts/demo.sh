#!/usr/bin/env bash
# The main job: build everything (QEMU for x86_64 and armhf, the module, the lab, our guest
# kernel), then boot the lab (an ARMv7 board without virtualization extensions running
# Debian's stock armhf kernel and our module) and boot our Linux guest there under
# -accel armkvm (privileged mode: natively), showing the host's view, the guest's view and
# the exit statistics; then the same guest kernel boots a Debian armhf root filesystem from
# virtio-blk there, natively too, and runs a few of its programs. "scripts/demo.sh --shell"
# instead gives an interactive Debian bash in that guest under TCG on this machine.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

bash "$ARMKVM_TOP/scripts/install-deps.sh"
qemu=$(bash "$ARMKVM_TOP/scripts/build-qemu.sh" native)/qemu-system-arm
lab=$(bash "$ARMKVM_TOP/scripts/build-lab.sh")
kernel=$(bash "$ARMKVM_TOP/scripts/build-guest-kernel.sh")/zImage
initrd=$(bash "$ARMKVM_TOP/scripts/build-linux-guest-initrd.sh")
rootfs=$(bash "$ARMKVM_TOP/scripts/build-rootfs.sh")

if [ "${1:-}" = --shell ]; then
    # snapshot=on: the guest's writes go to a temporary file, the cached image stays as built.
    log "our guest kernel and the Debian root filesystem under TCG on this machine; exit the shell to power off"
    exec "$qemu" -M armkvm-virt -m 128 -accel tcg -nographic -no-reboot -kernel "$kernel" \
        -drive "if=none,id=root,file=$rootfs,format=raw,snapshot=on" \
        -device virtio-blk-device,drive=root \
        -append "console=ttyAMA0 quiet root=/dev/vda rw init=/sbin/armkvm-init armkvm.shell"
fi

log "the lab: our Linux guest under -accel armkvm (privileged mode), natively on the board's CPU"
ARMKVM_LAB_DIR=$lab "$ARMKVM_TOP/lab/run" --timeout 600 \
    --file "$kernel:zImage" --file "$initrd:initrd" -- '
echo "== host: uname -a"; uname -a
echo "== host: $(grep -m1 "model name" /proc/cpuinfo)"
echo "== host: $(dmesg | grep -m1 "started in")"
echo "== host: module: $(grep ^armkvm /proc/modules), $(ls -l /dev/armkvm)"
echo "== host: qemu-system-arm -M armkvm-virt -m 64 -accel armkvm,mode=privileged -kernel zImage -initrd initrd"
qmp-after /tmp/guest.out "reboot: Power down" 1 300 \
    "{\"execute\":\"human-monitor-command\",\"arguments\":{\"command-line\":\"info stats vcpu\"}}" |
    qemu-system-arm -M armkvm-virt -m 64 -accel armkvm,mode=privileged -display none \
    -serial file:/tmp/guest.out -no-shutdown -qmp stdio -kernel zImage -initrd initrd \
    -append "console=ttyAMA0 quiet armkvm.test=demo" >/tmp/qmp.out 2>/tmp/qemu.err
echo "== QEMU exit status $?"
cat /tmp/qemu.err
tr -d "\r" </tmp/guest.out
echo "== host: the vCPU'"'"'s exit statistics (HMP info stats vcpu)"
sed -n "s/.*\"return\": \"provider: armkvm\\\\r\\\\n\(.*\)\"}/\1/p" /tmp/qmp.out | sed "s/\\\\r\\\\n/\n/g"'

log "the lab: the same guest boots a Debian armhf root filesystem from virtio-blk, natively"
# The image is a read-only disk of the board; the guest writes to a qcow2 overlay on it.
ARMKVM_LAB_DIR=$lab "$ARMKVM_TOP/lab/run" --timeout 300 --disk "$rootfs" \
    --file "$kernel:zImage" -- '
echo "== host: the board'"'"'s disk $(ls -l /lab/disk0 | sed "s/.* -> //"), $(($(blockdev --getsize64 /lab/disk0) >> 20)) MiB, a qcow2 overlay on it"
echo "== host: qemu-system-arm -M armkvm-virt -m 128 -accel armkvm,mode=privileged -kernel zImage -drive file=/tmp/rootfs.qcow2 (virtio-blk) -append \"root=/dev/vda rw init=/sbin/armkvm-init armkvm.demo\""
qemu-img create -q -f qcow2 -b /lab/disk0 -F raw /tmp/rootfs.qcow2
qemu-system-arm -M armkvm-virt -m 128 -accel armkvm,mode=privileged -display none \
    -no-reboot -serial file:/tmp/rootfs.out -kernel zImage \
    -drive if=none,id=root,file=/tmp/rootfs.qcow2,format=qcow2 \
    -device virtio-blk-device,drive=root \
    -append "console=ttyAMA0 quiet root=/dev/vda rw init=/sbin/armkvm-init armkvm.demo"
echo "== QEMU exit status $?"
tr -d "\r" </tmp/rootfs.out'
