# In the lab: our Linux guest's virtio devices (block with flush and discard,
# RNG, a virtconsole port) under -accel armkvm,mode=privileged, then the same
# under -accel tcg. The guest's lines (tests/lab/guest-virtio-check), the disk
# image it leaves and what reached the console port must be the same; the
# host also checks the guest's write and discard landed in the image.
status=0
seq 2000000 | head -c 8388608 >/tmp/base.img	# 8 MiB of numbered lines
run() { # ACCEL NAME
    cp /tmp/base.img /tmp/$2.img
    : >/tmp/$2.hvc
    timeout 600 qemu-system-arm -M armkvm-virt -m 64 -accel $1 \
        -kernel zImage -initrd initrd -display none -no-reboot -serial file:/tmp/$2.out \
        -drive file=/tmp/$2.img,format=raw,if=none,id=disk,discard=unmap \
        -device virtio-blk-device,drive=disk -device virtio-rng-device \
        -device virtio-serial-device -chardev file,id=port,path=/tmp/$2.hvc \
        -device virtconsole,chardev=port \
        -append "console=ttyAMA0 armkvm.test=virtio" 2>/tmp/$2.err
    echo "$2: exit $?"
    cat /tmp/$2.err
    tr -d '\r' </tmp/$2.out | grep -E '^(virtio|blk|rng|hvc): ' >/tmp/$2.lines
}
run armkvm,mode=privileged armkvm
run tcg tcg
cat /tmp/armkvm.lines
same() { # WHAT A B
    if cmp -s "$2" "$3"; then echo "$1: the same under tcg"; else
        echo "$1: differs from tcg"; diff "$2" "$3"; status=1
    fi
}
same lines /tmp/armkvm.lines /tmp/tcg.lines
same image /tmp/armkvm.img /tmp/tcg.img
same console /tmp/armkvm.hvc /tmp/tcg.hvc
cat /tmp/armkvm.hvc
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
host-health || status=1
exit $status
