# In the lab: our Linux guest boots the Debian root filesystem (lab/run --disk: /lab/disk0,
# read-only; a qcow2 overlay takes the guest's writes) from virtio-blk under
# -accel armkvm,mode=privileged and runs real Debian programs (/sbin/armkvm-check). Then a
# second boot, natively too, from a fresh overlay checks the first boot's disk as its
# second disk: e2fsck -fn, and the file the guest wrote as debugfs reads it. The build
# machine compares the first boot's lines with TCG's (rootfs-guest-run.sh).
# shellcheck source=tests/lab/rootfs-guest.conf
. ./guest.conf
status=0
# shellcheck disable=SC2086 # $machine and DISK-OPTIONS are lists of options
boot() { # NAME DISK-OPTIONS APPEND-EXTRA
    qemu-img create -q -f qcow2 -b /lab/disk0 -F raw /tmp/$1.qcow2
    timeout 400 qemu-system-arm $machine -accel armkvm,mode=privileged -kernel zImage \
        -serial file:/tmp/$1.out \
        -drive if=none,id=root,file=/tmp/$1.qcow2,format=qcow2 \
        -device virtio-blk-device,drive=root,serial=root $2 \
        -append "$append $3" 2>/tmp/$1.err
    echo "$1: exit $?"
    cat /tmp/$1.err
    [ -s /tmp/$1.err ] && grep -v "info: armkvm: /dev/armkvm speaks ABI" /tmp/$1.err && status=1
    qemu-img check -q /tmp/$1.qcow2 && echo "$1: qemu-img check: no errors"
}
boot armkvm
tr -d '\r' </tmp/armkvm.out | grep -E '\] armkvm: paravirtual guest|^(check|armkvm-init): '
boot fsck "-drive if=none,id=run,file=/tmp/armkvm.qcow2,format=qcow2,readonly=on
    -device virtio-blk-device,drive=run,serial=run" armkvm.fsck=/dev/vdb
tr -d '\r' </tmp/fsck.out | grep -E '^(check|armkvm-init): ' | sed 's/^/fsck: /'
host-health || status=1
exit $status
