# Our Linux guest's virtio devices (block with flush and discard, RNG, a
# virtconsole and a named serial port, a 9p share) under one accelerator:
# in the lab under -accel armkvm,mode=privileged (tests/lab/meson.build), on
# the build host under -accel tcg, the oracle (tests/boot/meson.build).
# Twice: a raw image on virtio 1.x transports, and a qcow2 image on legacy
# transports (armkvm-virt,virtio-legacy=on). Every line either side prints
# (the guest's, tests/lab/guest-virtio-check, and digests of the image, the
# ports' output and the shared directory as the host reads them) is checked
# against the same expected lines, so armkvm's must be TCG's.
# Usage: sh virtio-guest.sh ACCEL, in a directory holding zImage and initrd;
# scratch files go to $TMPDIR (/tmp). tests/lab/differential.sh compares the
# two sides' lines but those of "armkvm: " (the module's own figures).
accel=$1 t=${TMPDIR:-/tmp}
status=0
seq 2000000 | head -c 8388608 >$t/base.img	# 8 MiB of numbered lines
seq 50000 | sed 's/^/host file /' >$t/from-host
digest() { sha256sum | cut -c1-16; }
run() { # FORMAT MACHINE-OPTIONS
    if [ "$1" = qcow2 ]; then
        qemu-img convert -f raw -O qcow2 $t/base.img $t/guest.img
    else
        cp $t/base.img $t/guest.img
    fi
    : >$t/guest.hvc
    : >$t/guest.port
    rm -rf $t/guest.share && mkdir $t/guest.share && cp $t/from-host $t/guest.share/
    signals0=$(cat /sys/module/armkvm/parameters/ioeventfd_signals 2>/dev/null || echo 0)
    timeout 600 qemu-system-arm -M armkvm-virt$2 -m 64 -accel $accel \
        -kernel zImage -initrd initrd -display none -no-reboot -serial file:$t/guest.out \
        -trace armkvm_mmio,file=$t/guest.trace \
        -drive file=$t/guest.img,format=$1,if=none,id=disk,discard=unmap \
        -device virtio-blk-device,drive=disk -device virtio-rng-device \
        -device virtio-serial-device -chardev file,id=hvc,path=$t/guest.hvc \
        -device virtconsole,chardev=hvc \
        -chardev file,id=port,path=$t/guest.port \
        -device virtserialport,chardev=port,name=org.armkvm.log \
        -fsdev local,id=fs,path=$t/guest.share,security_model=none \
        -device virtio-9p-device,fsdev=fs,mount_tag=share \
        -append "console=ttyAMA0 armkvm.test=virtio" 2>$t/guest.err
    echo "guest: exit $?"
    grep -v ": info: " $t/guest.err
    # Queue notifications (QueueNotify, 0x50 in each transport): in the module
    # through ioeventfds, or exits to userspace (QEMU's trace of each MMIO exit).
    case $accel in armkvm*) echo "armkvm: MMIO exits to userspace $(grep -c 'armkvm_mmio ' $t/guest.trace)," \
        "queue notifications among them $(grep -cE 'armkvm_mmio .*addr 0xa00[0-3][02468ace]50, len 4, write 1' $t/guest.trace)," \
        "ioeventfd signals $(( $(cat /sys/module/armkvm/parameters/ioeventfd_signals 2>/dev/null || echo 0) - signals0 ))"
    esac
    if [ "$1" = qcow2 ]; then
        qemu-img check -q $t/guest.img && echo "image: qemu-img check: no errors"
        qemu-img convert -f qcow2 -O raw $t/guest.img $t/guest.raw && mv $t/guest.raw $t/guest.img
    fi
}
for cfg in raw qcow2; do
    opts=
    [ $cfg = qcow2 ] && opts=,virtio-legacy=on
    run $cfg $opts
    echo "== $cfg$opts"
    tr -d '\r' <$t/guest.out | grep -E '^(virtio|blk|rng|hvc|port|9p): '
    cat $t/guest.hvc $t/guest.port
    echo "hvc: file $(digest <$t/guest.hvc), port: file $(digest <$t/guest.port)"
    echo "share: the guest's file $(digest <$t/guest.share/from-guest)"
    echo "share: files $(ls $t/guest.share | tr '\n' ' ')"
    echo "image: $(digest <$t/guest.img)"
    # The guest's megabyte at 4 MiB, and the discarded last one, as the host reads the image.
    echo "image: 4 MiB $(dd if=$t/guest.img bs=65536 skip=64 count=16 2>/dev/null | digest)"
    echo "image: last MiB nonzero bytes $(dd if=$t/guest.img bs=65536 skip=112 count=16 \
        2>/dev/null | tr -d '\000' | wc -c)"
    echo "image: the rest as the host wrote it: $(
        { dd if=$t/guest.img bs=65536 count=64 2>/dev/null
          dd if=$t/guest.img bs=65536 skip=80 count=32 2>/dev/null; } | digest) vs $(
        { dd if=$t/base.img bs=65536 count=64 2>/dev/null
          dd if=$t/base.img bs=65536 skip=80 count=32 2>/dev/null; } | digest)"
    if [ $cfg = raw ]; then mv $t/guest.img $t/raw-result.img
    elif cmp -s $t/raw-result.img $t/guest.img; then echo "image: the same as the raw run's"
    else echo "image: differs from the raw run's"; status=1
    fi
done
rm -rf $t/guest.* $t/base.img $t/raw-result.img $t/from-host
case $accel in armkvm*) host-health || status=1; esac
exit $status
