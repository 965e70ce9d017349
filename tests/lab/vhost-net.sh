# In the lab: our Linux guest's virtio-net on a tap device served by the lab
# host's in-kernel vhost-net (vhost=on), under -accel armkvm,mode=privileged,
# against the same without vhost. vhost's kick eventfds are QEMU's host
# notifiers: with ARMKVM_CAP_IOEVENTFD the module signals them, so the guest's
# queue notifications go straight to the vhost worker. Its call eventfds are
# guest notifiers, which virtio-mmio never turns into irqfds: QEMU's main loop
# reads them and raises the SPI. The guest's TCP lines must be those of the
# virtio-net test; a 16 MiB host-to-guest stream over the tap is timed.
status=0
seq 100000 | sed 's/^/host /' | head -c 196608 >/tmp/host-pattern
head -c 16777216 /dev/zero | tr '\0' 'x' >/tmp/stream
run() { # NAME VHOST
    tcpio recv 7001 >/tmp/$1.user-in & r1=$!
    tcpio recv 7003 >/tmp/$1.tap-in & r2=$!
    signals0=$(cat /sys/module/armkvm/parameters/ioeventfd_signals)
    timeout 600 qemu-system-arm -M armkvm-virt -m 64 -accel armkvm,mode=privileged \
        -kernel zImage -initrd initrd -display none -no-reboot -serial file:/tmp/$1.out \
        -netdev user,id=u,hostfwd=tcp:127.0.0.1:7002-:7002 \
        -device virtio-net-device,netdev=u,mac=52:54:00:12:34:01 \
        -netdev tap,id=t,ifname=armkvm-tap0,script=no,downscript=no,vhost=$2 \
        -device virtio-net-device,netdev=t,mac=52:54:00:12:34:02 \
        -append "console=ttyAMA0 armkvm.test=net" 2>/tmp/$1.err & q=$!
    for i in $(seq 100); do [ -e /sys/class/net/armkvm-tap0 ] && break; sleep 0.1; done
    ip addr add 192.168.77.1/24 dev armkvm-tap0 && ip link set armkvm-tap0 up
    tcpio send 127.0.0.1 7002 </tmp/host-pattern && echo "$1: user: sent to the guest"
    # Timed from when the guest has sent its patterns (it listens on 7004 next).
    wait $r1 $r2
    vhost_threads=$(ps | grep -c '[[]vhost-[0-9]')
    t0=$(awk '{ print $1 }' /proc/uptime)
    tcpio send 192.168.77.2 7004 </tmp/stream && echo "$1: tap: sent 16 MiB to the guest"
    t1=$(awk '{ print $1 }' /proc/uptime)
    wait $q
    echo "$1: exit $?"
    cat /tmp/$1.err
    echo "$1: QEMU's messages naming vhost: $(grep -ci vhost /tmp/$1.err)"
    echo "$1: vhost worker threads while it ran: $vhost_threads"
    echo "$1: 16 MiB host to guest over the tap in $(awk -v a=$t0 -v b=$t1 'BEGIN { printf "%.2f s, %.1f MB/s", b - a, 16.777216 / (b - a) }')"
    echo "$1: ioeventfd signals $(( $(cat /sys/module/armkvm/parameters/ioeventfd_signals) - signals0 ))"
    echo "$1: tap: guest sent $(wc -c </tmp/$1.tap-in) bytes $(sha256sum </tmp/$1.tap-in | cut -c1-16)"
    tr -d '\r' </tmp/$1.out | grep -E '^net: '
}
run vhost on
run novhost off
host-health || status=1
exit $status
