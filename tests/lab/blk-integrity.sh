# Block data integrity through virtio-blk under one accelerator
# (tests/lab/guest-integrity-check): a pattern the guest wrote is in the image
# after a clean power-off; what the guest synced survives kill -9 of QEMU (raw
# and qcow2, which qemu-img then finds consistent, and raw with cache=none); a
# reboot during heavy I/O neither hangs nor loses the synced data. In the lab
# under -accel armkvm,mode=privileged, on the build host under -accel tcg, the
# oracle (tests/lab/differential.sh): every line, the guest's and the host's
# checks, must be the same.
# Usage: sh blk-integrity.sh ACCEL, in a directory holding zImage and initrd;
# scratch files go to $TMPDIR (/tmp).
accel=$1 t=${TMPDIR:-/tmp}
boot() { # NAME ACCEL IMAGE FORMAT PHASE [QEMU OPTIONS...]: QEMU in the background
    n=$1 accel=$2 img=$3 fmt=$4 phase=$5
    shift 5
    : >$t/$n.out
    qemu-system-arm -M armkvm-virt -m 64 -accel $accel \
        -kernel zImage -initrd initrd -display none -serial file:$t/$n.out \
        -drive file=$img,format=$fmt,if=none,id=disk -device virtio-blk-device,drive=disk \
        -append "console=ttyAMA0 quiet armkvm.test=integrity armkvm.integrity=$phase" \
        "$@" 2>$t/$n.err &
}
finish() { # NAME PID: wait for QEMU (10 minutes at most)
    for i in $(seq 3000); do
        kill -0 $2 2>/dev/null || break
        [ $i = 3000 ] && { echo "$1: hung"; kill -9 $2; }
        sleep 0.2
    done
    wait $2
    echo "$1: exit $?"
    grep -v ": info: " $t/$1.err
    tr -d '\r' <$t/$1.out | grep -E '^(integrity|verify): ' | sed "s/^/$1: /"
}
image() { # FORMAT NAME: a fresh 64 MiB image
    rm -f $t/$2.img
    qemu-img create -q -f $1 $t/$2.img 64M
}
checks() { # ACCEL
    # 1. A pattern, a clean power-off, the host reads it back.
    image raw pattern
    boot pattern $1 $t/pattern.img raw pattern -no-reboot
    finish pattern $!
    echo "pattern: host $(blkpattern verify $t/pattern.img 1 16 512)"
    # 2. kill -9 as soon as the guest says its pattern is synced.
    for fmt in raw qcow2; do
        n=kill-$fmt
        image $fmt $n
        boot $n $1 $t/$n.img $fmt kill -no-reboot
        q=$!
        for i in $(seq 3000); do grep -q "integrity: synced" $t/$n.out && break; sleep 0.1; done
        kill -9 $q
        finish $n $q
        if [ $fmt = qcow2 ]; then
            qemu-img check -q $t/$n.img && echo "$n: qemu-img check: no errors"
            qemu-img convert -f qcow2 -O raw $t/$n.img $t/$n.raw
        else
            mv $t/$n.img $t/$n.raw
        fi
        echo "$n: host $(blkpattern verify $t/$n.raw 2 16 512)"
    done
    # 2b. The same with cache=none: QEMU's O_DIRECT I/O pins guest RAM. In the
    # lab a RAM disk (its tmpfs has no O_DIRECT), on the build host a file.
    n=kill-direct
    if [ -e /lib/modules/brd.ko ]; then
        rmmod brd 2>/dev/null
        insmod /lib/modules/brd.ko rd_nr=1 rd_size=65536
        disk=/dev/ram0
    else
        image raw $n
        disk=$t/$n.img
    fi
    boot $n $1 $disk raw,cache=none kill -no-reboot
    q=$!
    for i in $(seq 3000); do grep -q "integrity: synced" $t/$n.out && break; sleep 0.1; done
    kill -9 $q
    finish $n $q
    echo "$n: host $(blkpattern verify $disk 2 16 512)"
    [ $disk = /dev/ram0 ] && rmmod brd
    # 3. A reboot during heavy I/O: QEMU resets the machine, the guest boots again.
    image raw reboot
    boot reboot $1 $t/reboot.img raw reboot
    finish reboot $!
    echo "reboot: boots $(tr -d '\r' <$t/reboot.out | grep -c '^armkvm-guest: ready')"
    echo "reboot: host $(blkpattern verify $t/reboot.img 4 16 512)"
    rm -f $t/*.img $t/*.raw
}
checks $accel
status=0
case $accel in armkvm*) host-health || status=1; esac
exit $status
