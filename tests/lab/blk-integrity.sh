# In the lab: block data integrity through virtio-blk under
# -accel armkvm,mode=privileged and -accel tcg (tests/lab/guest-integrity-check):
# a pattern the guest wrote is in the image after a clean power-off; what the
# guest synced survives kill -9 of QEMU (raw and qcow2, which qemu-img then
# finds consistent, and raw with cache=none); a reboot during heavy I/O neither hangs nor loses the
# synced data. Every line (the guest's and the host's checks) must match TCG's.
boot() { # NAME ACCEL IMAGE FORMAT PHASE [QEMU OPTIONS...]: QEMU in the background
    n=$1 accel=$2 img=$3 fmt=$4 phase=$5
    shift 5
    : >/tmp/$n.out
    qemu-system-arm -M armkvm-virt -m 64 -accel $accel \
        -kernel zImage -initrd initrd -display none -serial file:/tmp/$n.out \
        -drive file=$img,format=$fmt,if=none,id=disk -device virtio-blk-device,drive=disk \
        -append "console=ttyAMA0 quiet armkvm.test=integrity armkvm.integrity=$phase" \
        "$@" 2>/tmp/$n.err &
}
finish() { # NAME PID: wait for QEMU (10 minutes at most)
    for i in $(seq 3000); do
        kill -0 $2 2>/dev/null || break
        [ $i = 3000 ] && { echo "$1: hung"; kill -9 $2; }
        sleep 0.2
    done
    wait $2
    echo "$1: exit $?"
    grep -v ": info: " /tmp/$1.err
    tr -d '\r' </tmp/$1.out | grep -E '^(integrity|verify): ' | sed "s/^/$1: /"
}
image() { # FORMAT NAME: a fresh 64 MiB image
    rm -f /tmp/$2.img
    qemu-img create -q -f $1 /tmp/$2.img 64M
}
checks() { # ACCEL
    # 1. A pattern, a clean power-off, the host reads it back.
    image raw pattern
    boot pattern $1 /tmp/pattern.img raw pattern -no-reboot
    finish pattern $!
    echo "pattern: host $(blkpattern verify /tmp/pattern.img 1 16 512)"
    # 2. kill -9 as soon as the guest says its pattern is synced.
    for fmt in raw qcow2; do
        n=kill-$fmt
        image $fmt $n
        boot $n $1 /tmp/$n.img $fmt kill -no-reboot
        q=$!
        for i in $(seq 3000); do grep -q "integrity: synced" /tmp/$n.out && break; sleep 0.1; done
        kill -9 $q
        finish $n $q
        if [ $fmt = qcow2 ]; then
            qemu-img check -q /tmp/$n.img && echo "$n: qemu-img check: no errors"
            qemu-img convert -f qcow2 -O raw /tmp/$n.img /tmp/$n.raw
        else
            mv /tmp/$n.img /tmp/$n.raw
        fi
        echo "$n: host $(blkpattern verify /tmp/$n.raw 2 16 512)"
    done
    # 2b. The same with cache=none: QEMU's O_DIRECT I/O pins guest RAM (a RAM disk of
    # the lab host: tmpfs has no O_DIRECT).
    n=kill-direct
    rmmod brd 2>/dev/null
    insmod /lib/modules/brd.ko rd_nr=1 rd_size=65536
    boot $n $1 /dev/ram0 raw,cache=none kill -no-reboot
    q=$!
    for i in $(seq 3000); do grep -q "integrity: synced" /tmp/$n.out && break; sleep 0.1; done
    kill -9 $q
    finish $n $q
    echo "$n: host $(blkpattern verify /dev/ram0 2 16 512)"
    rmmod brd
    # 3. A reboot during heavy I/O: QEMU resets the machine, the guest boots again.
    image raw reboot
    boot reboot $1 /tmp/reboot.img raw reboot
    finish reboot $!
    echo "reboot: boots $(tr -d '\r' </tmp/reboot.out | grep -c '^armkvm-guest: ready')"
    echo "reboot: host $(blkpattern verify /tmp/reboot.img 4 16 512)"
    rm -f /tmp/*.img /tmp/*.raw
}
checks armkvm,mode=privileged | tee /tmp/armkvm.lines | sed "s/^/armkvm: /"
checks tcg | tee /tmp/tcg.lines | sed "s/^/tcg: /"
status=0

if cmp -s /tmp/armkvm.lines /tmp/tcg.lines; then echo "lines: the same under tcg"; else
    echo "lines: differ from tcg"; diff /tmp/armkvm.lines /tmp/tcg.lines; status=1
fi
host-health || status=1
exit $status
