# In the lab: a guest spinning forever with interrupts enabled, under TCG and
# natively (privileged mode). The host must keep its deadlines meanwhile and
# SIGTERM must end QEMU promptly; the guest's output must match TCG's.
# usage: spin-guest.sh SPIN.elf
status=0
now_ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }
for accel in tcg armkvm,mode=privileged; do
    qemu-system-arm -M armkvm-virt,ram-base=0x40000000 -m 4 -nographic -no-reboot -accel $accel \
        -kernel "$1" >/tmp/$accel.out 2>/tmp/$accel.err &
    pid=$!
    sleep 1
    # The host's own deadline: twenty 100 ms sleeps while the guest spins.
    t0=$(now_ms)
    i=0
    while [ $i -lt 20 ]; do sleep 0.1; i=$((i + 1)); done
    took=$(( $(now_ms) - t0 ))
    echo "$accel: 2000 ms of host sleeps took $took ms"
    [ $took -lt 6000 ] || { echo "$accel: the host missed its deadline"; status=1; }
    t0=$(now_ms)
    kill -TERM $pid
    i=0
    while kill -0 $pid 2>/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
    if kill -0 $pid 2>/dev/null; then
        echo "$accel: QEMU still running 5 s after SIGTERM"
        kill -KILL $pid
        status=1
    else
        echo "$accel: QEMU ended $(( $(now_ms) - t0 )) ms after SIGTERM"
    fi
    wait $pid
done
cat /tmp/armkvm,mode=privileged.err
echo "--- guest output (privileged)"
cat /tmp/armkvm,mode=privileged.out
cmp -s /tmp/tcg.out /tmp/armkvm,mode=privileged.out || { echo "differs from TCG"; status=1; }
exit $status
