# In the lab: which world the host runs in, as armkvm.ko finds it, and its monitor's
# self-test (linux-module/trustzone/armkvm_secure_host.c).
# usage: secure-host.sh secure|non-secure [GUEST.elf]
#   secure      the board of lab/run --secure-host: trustzone mode must be available, the
#               self-test's trips must work at every load (rmmod/insmod 50 times), and the
#               other modes must still run GUEST.elf as TCG does
#   non-secure  the usual lab: trustzone mode must be refused, saying why
world=$1
guest=$2
status=0
ko=/lib/armkvm/armkvm.ko
p=/sys/module/armkvm/parameters/trustzone
dmesg | grep -E 'armkvm: (the host runs|trustzone)' | sed 's/^\[[ 0-9.]*\] //'
echo "trustzone: $(cat $p)"
if [ "$world" = secure ]; then
    [ "$(cat $p)" = Y ] || status=1
    i=0
    while [ $i -lt 50 ]; do
        rmmod armkvm && insmod $ko || { echo "module cycle $i failed"; status=1; break; }
        [ "$(cat $p)" = Y ] || { echo "cycle $i: trustzone $(cat $p)"; status=1; break; }
        i=$((i + 1))
    done
    echo "cycles with a working monitor: $i"
    echo "self-test failures: $(dmesg | grep -c 'self-test failed')"
    # The other modes on a Secure host: the guest's output as TCG's.
    for accel in tcg armkvm,mode=privileged armkvm,mode=isolated; do
        timeout 120 qemu-system-arm -accel $accel -M armkvm-virt,ram-base=0x40000000 -m 4 \
            -nographic -no-reboot -kernel "$guest" >/tmp/$accel.out 2>/tmp/$accel.err
        rc=$?
        echo "$accel: exit $rc"
        [ $rc -eq 0 ] && [ -s /tmp/$accel.out ] || { cat /tmp/$accel.err; status=1; }
        cmp -s /tmp/tcg.out /tmp/$accel.out || { echo "$accel: output differs"; status=1; }
    done
    head -n 1 /tmp/tcg.out
else
    [ "$(cat $p)" = N ] || status=1
fi
host-health 'leak|refcount|self-test failed' || status=1
exit $status
