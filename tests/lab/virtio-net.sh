# In the lab: our Linux guest with two virtio-net NICs, QEMU's user network
# (slirp) and a tap device in the lab host, under -accel armkvm,mode=privileged
# and then -accel tcg. TCP both ways on each: the guest sends to the host's
# listeners, the host connects to the guest's (tests/lab/guest-net-check).
# The guest's lines and what the host received must be the same under both.
status=0
seq 100000 | sed 's/^/guest /' | head -c 262144 >/tmp/guest-pattern
seq 100000 | sed 's/^/host /' | head -c 196608 >/tmp/host-pattern
echo "host: guest's pattern $(sha256sum </tmp/guest-pattern | cut -c1-16)," \
    "host's $(sha256sum </tmp/host-pattern | cut -c1-16)"
run() { # ACCEL NAME
    tcpio recv 7001 >/tmp/$2.user-in & r1=$!
    tcpio recv 7003 >/tmp/$2.tap-in & r2=$!
    # Each run's bound, both within lab/run's: a slow TCG boot is reported as its own.
    timeout 420 qemu-system-arm -M armkvm-virt -m 64 -accel $1 \
        -kernel zImage -initrd initrd -display none -no-reboot -serial file:/tmp/$2.out \
        -netdev user,id=u,hostfwd=tcp:127.0.0.1:7002-:7002 \
        -device virtio-net-device,netdev=u,mac=52:54:00:12:34:01 \
        -netdev tap,id=t,ifname=armkvm-tap0,script=no,downscript=no \
        -device virtio-net-device,netdev=t,mac=52:54:00:12:34:02 \
        -append "console=ttyAMA0 armkvm.test=net" 2>/tmp/$2.err & q=$!
    # QEMU creates the tap device; the host's end of the link gets its address.
    for i in $(seq 100); do [ -e /sys/class/net/armkvm-tap0 ] && break; sleep 0.1; done
    ip addr add 192.168.77.1/24 dev armkvm-tap0 && ip link set armkvm-tap0 up
    tcpio send 127.0.0.1 7002 </tmp/host-pattern && echo "$2: user: sent to the guest"
    tcpio send 192.168.77.2 7004 </tmp/host-pattern && echo "$2: tap: sent to the guest"
    wait $q
    echo "$2: exit $?"
    wait $r1 $r2
    cat /tmp/$2.err
    for p in user tap; do
        echo "$2: $p: received $(wc -c </tmp/$2.$p-in) bytes $(sha256sum </tmp/$2.$p-in | cut -c1-16)"
    done
    tr -d '\r' </tmp/$2.out | grep -E '^net: ' >/tmp/$2.lines
}
run armkvm,mode=privileged armkvm
run tcg tcg
cat /tmp/armkvm.lines
if cmp -s /tmp/armkvm.lines /tmp/tcg.lines; then echo "lines: the same under tcg"; else
    echo "lines: differ from tcg"; diff /tmp/armkvm.lines /tmp/tcg.lines; status=1
fi
host-health || status=1
exit $status
