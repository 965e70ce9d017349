# In the lab: our Linux guest boots the Debian root filesystem (lab/run --disk: /lab/disk0,
# read-only; a qcow2 overlay takes the guest's writes) from virtio-blk under
# -accel armkvm,mode=MODE (privileged by default, or isolated) and runs real Debian programs
# (/sbin/armkvm-check). Then a second boot, natively too, from a fresh overlay checks the
# first boot's disk as its second disk: e2fsck -fn, and the file the guest wrote as
# debugfs reads it (in privileged mode, whatever MODE). The build machine compares the first
# boot's lines with TCG's (rootfs-guest-run.sh). LIMIT (400 s) bounds each boot.
# usage: rootfs-guest.sh [MODE [LIMIT]]
# shellcheck source=tests/lab/rootfs-guest.conf
. ./guest.conf
mode=${1:-privileged} limit=${2:-400}
status=0
# shellcheck disable=SC2086 # $machine and DISK-OPTIONS are lists of options
boot() { # NAME MODE DISK-OPTIONS APPEND-EXTRA
    qemu-img create -q -f qcow2 -b /lab/disk0 -F raw /tmp/$1.qcow2
    timeout $limit qemu-system-arm $machine -accel armkvm,mode=$2 -kernel zImage \
        -serial file:/tmp/$1.out \
        -drive if=none,id=root,file=/tmp/$1.qcow2,format=qcow2 \
        -device virtio-blk-device,drive=root,serial=root $3 \
        -append "$append $4" 2>/tmp/$1.err
    echo "$1: exit $?"
    cat /tmp/$1.err
    [ -s /tmp/$1.err ] && grep -v "info: armkvm: /dev/armkvm speaks ABI" /tmp/$1.err && status=1
    qemu-img check -q /tmp/$1.qcow2 && echo "$1: qemu-img check: no errors"
}
boot armkvm $mode
tr -d '\r' </tmp/armkvm.out | grep -E '\] armkvm: (paravirtual guest|isolated mode)|^(check|armkvm-init): '
# The check of the disk is the same in every mode: privileged mode's is the fastest.
boot fsck privileged "-drive if=none,id=run,file=/tmp/armkvm.qcow2,format=qcow2,readonly=on
    -device virtio-blk-device,drive=run,serial=run" armkvm.fsck=/dev/vdb
tr -d '\r' </tmp/fsck.out | grep -E '^(check|armkvm-init): ' | sed 's/^/fsck: /'
host-health || status=1
exit $status
