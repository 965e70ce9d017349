# In the lab: QMP system_reset while the guest spins in device loads
# (guest/baremetal/reset-mmio.S), ten times, under TCG and natively; every
# boot must start as the first did, and both outputs must match.
status=0
boots=11
now() { awk '{ print int($1 * 10) }' /proc/uptime; }
# wait_boots N FILE: until the guest has printed N boot lines (30 s at most).
wait_boots() {
    t=$(( $(now) + 300 ))
    while n=$(grep -c 'reset-mmio: boot [0-9a-f]\{8\}' "$2" 2>/dev/null); [ "${n:-0}" -lt "$1" ]; do
        [ "$(now)" -lt $t ] || return 1
        sleep 0.1
    done
}
for accel in tcg armkvm,mode=privileged; do
    out=/tmp/$accel.out
    rm -f "$out"
    {
        echo '{"execute":"qmp_capabilities"}'
        k=1
        while [ $k -lt $boots ]; do
            wait_boots $k "$out" || break
            sleep 0.2		# well inside the device loads
            echo '{"execute":"system_reset"}'
            k=$((k + 1))
        done
        wait_boots $boots "$out"
        sleep 1
        echo '{"execute":"quit"}'
    } | timeout 120 qemu-system-arm -M armkvm-virt,ram-base=0x40000000 -m 4 \
        -display none -serial file:"$out" -accel $accel -qmp stdio \
        -kernel reset-mmio.elf >/tmp/qmp-$accel.out 2>/tmp/$accel.err
    echo "reset-mmio under $accel: exit $?, resets $(grep -c '"event": "RESET"' /tmp/qmp-$accel.out)"
    cat /tmp/$accel.err
done
tr -d '\r' </tmp/armkvm,mode=privileged.out
cmp -s /tmp/tcg.out /tmp/armkvm,mode=privileged.out || { echo "reset-mmio: differs from TCG"; status=1; }
echo "reset-mmio: exit $status"
exit $status
