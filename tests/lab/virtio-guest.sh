# In the lab: our Linux guest's virtio devices (block with flush and discard,
# RNG, a virtconsole and a named serial port, a 9p share) under
# -accel armkvm,mode=privileged, then the same under -accel tcg; twice: a raw
# image on virtio 1.x transports, and a qcow2 image on legacy transports
# (armkvm-virt,virtio-legacy=on). The guest's lines
# (tests/lab/guest-virtio-check), the disk images, the ports' output and the
# shared directory must be the same; the host also checks the guest's write
# and discard landed in the image and the qcow2 image is consistent.
status=0
seq 2000000 | head -c 8388608 >/tmp/base.img	# 8 MiB of numbered lines
seq 50000 | sed 's/^/host file /' >/tmp/from-host
run() { # ACCEL NAME FORMAT MACHINE-OPTIONS
    if [ "$3" = qcow2 ]; then
        qemu-img convert -f raw -O qcow2 /tmp/base.img /tmp/$2.img
    else
        cp /tmp/base.img /tmp/$2.img
    fi
    : >/tmp/$2.hvc
    : >/tmp/$2.port
    rm -rf /tmp/$2.share && mkdir /tmp/$2.share && cp /tmp/from-host /tmp/$2.share/
    signals0=$(cat /sys/module/armkvm/parameters/ioeventfd_signals 2>/dev/null || echo 0)
    timeout 600 qemu-system-arm -M armkvm-virt$4 -m 64 -accel $1 \
        -kernel zImage -initrd initrd -display none -no-reboot -serial file:/tmp/$2.out \
        -trace armkvm_mmio,file=/tmp/$2.trace \
        -drive file=/tmp/$2.img,format=$3,if=none,id=disk,discard=unmap \
        -device virtio-blk-device,drive=disk -device virtio-rng-device \
        -device virtio-serial-device -chardev file,id=hvc,path=/tmp/$2.hvc \
        -device virtconsole,chardev=hvc \
        -chardev file,id=port,path=/tmp/$2.port \
        -device virtserialport,chardev=port,name=org.armkvm.log \
        -fsdev local,id=fs,path=/tmp/$2.share,security_model=none \
        -device virtio-9p-device,fsdev=fs,mount_tag=share \
        -append "console=ttyAMA0 armkvm.test=virtio" 2>/tmp/$2.err
    echo "$2: exit $?"
    cat /tmp/$2.err
    # Queue notifications (QueueNotify, 0x50 in each transport): in the module
    # through ioeventfds, or exits to userspace (QEMU's trace of each MMIO exit).
    [ "$2" = armkvm ] && echo "$2: MMIO exits to userspace $(grep -c 'armkvm_mmio ' /tmp/$2.trace)," \
        "queue notifications among them $(grep -cE 'armkvm_mmio .*addr 0xa00[0-3][02468ace]50, len 4, write 1' /tmp/$2.trace)," \
        "ioeventfd signals $(( $(cat /sys/module/armkvm/parameters/ioeventfd_signals 2>/dev/null || echo 0) - signals0 ))"
    tr -d '\r' </tmp/$2.out | grep -E '^(virtio|blk|rng|hvc|port|9p): ' >/tmp/$2.lines
    if [ "$3" = qcow2 ]; then
        qemu-img check -q /tmp/$2.img && echo "$2: qemu-img check: no errors"
        qemu-img convert -f qcow2 -O raw /tmp/$2.img /tmp/$2.raw && mv /tmp/$2.raw /tmp/$2.img
    fi
}
same() { # WHAT A B [AS]
    if cmp -s "$2" "$3"; then echo "$1: the same ${4:-under tcg}"; else
        echo "$1: differs (${4:-under tcg})"; diff "$2" "$3" | head -20; status=1
    fi
}
for cfg in raw qcow2; do
    opts=
    [ $cfg = qcow2 ] && opts=,virtio-legacy=on
    run armkvm,mode=privileged armkvm $cfg $opts
    run tcg tcg $cfg $opts
    echo "== $cfg$opts"
    cat /tmp/armkvm.lines
    same lines /tmp/armkvm.lines /tmp/tcg.lines
    same image /tmp/armkvm.img /tmp/tcg.img
    same console /tmp/armkvm.hvc /tmp/tcg.hvc
    same port /tmp/armkvm.port /tmp/tcg.port
    same share /tmp/armkvm.share/from-guest /tmp/tcg.share/from-guest
    cat /tmp/armkvm.hvc /tmp/armkvm.port
    echo "share: the guest's file $(sha256sum </tmp/armkvm.share/from-guest | cut -c1-16)"
    # The guest's megabyte at 4 MiB, and the discarded last one, as the host reads the image.
    echo "image: 4 MiB $(dd if=/tmp/armkvm.img bs=65536 skip=64 count=16 2>/dev/null |
        sha256sum | cut -c1-16)"
    echo "image: last MiB nonzero bytes $(dd if=/tmp/armkvm.img bs=65536 skip=112 count=16 \
        2>/dev/null | tr -d '\000' | wc -c)"
    echo "image: the rest as the host wrote it: $(
        { dd if=/tmp/armkvm.img bs=65536 count=64 2>/dev/null
          dd if=/tmp/armkvm.img bs=65536 skip=80 count=32 2>/dev/null; } | sha256sum | cut -c1-16) vs $(
        { dd if=/tmp/base.img bs=65536 count=64 2>/dev/null
          dd if=/tmp/base.img bs=65536 skip=80 count=32 2>/dev/null; } | sha256sum | cut -c1-16)"
    if [ $cfg = raw ]; then mv /tmp/armkvm.img /tmp/raw-result.img; else
        same image /tmp/raw-result.img /tmp/armkvm.img "as the raw run's"
    fi
done
host-health || status=1
exit $status
