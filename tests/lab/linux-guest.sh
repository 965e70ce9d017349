# In the lab: our Linux guest under -accel armkvm,mode=MODE (privileged by
# default, or isolated). It boots to its initramfs, runs the workloads (their
# lines are checked here and, under TCG, by tests/boot: the same expected
# lines), powers off; meanwhile a host process keeps 20 ms deadlines. Then
# reboot (QEMU exits), REBOOTS reboots (3) that reset the machine, each boot
# running the workloads, and a panic reported over QMP. LIMIT (200 s) bounds
# the reboots, LIMIT + 100 s the first run.
# usage: linux-guest.sh STRESS_SECONDS [MODE [REBOOTS [LIMIT]]]
status=0
now_ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }
q="qemu-system-arm -M armkvm-virt -m 64 -accel armkvm,mode=${2:-privileged} -kernel zImage -initrd initrd"
reboots=${3:-3}
limit=${4:-200}

t0=$(now_ms)
# The console to a file; QMP reads the vCPU's statistics once the guest is down.
qmp-after /tmp/guest.out "reboot: Power down" 1 $((limit + 100)) \
    '{"execute":"query-stats","arguments":{"target":"vcpu","providers":[{"provider":"armkvm"}]}}' |
    timeout $((limit + 100)) $q -display none -serial file:/tmp/guest.out -no-shutdown -qmp stdio \
    -append "console=ttyAMA0 armkvm.stress=$1" >/tmp/qmp-run.out 2>/tmp/guest.err &
pid=$!
# The host's own deadlines while the guest works: the worst lateness of 20 ms sleeps.
worst=0
while kill -0 $pid 2>/dev/null; do
    a=$(now_ms); sleep 0.02; late=$(( $(now_ms) - a - 20 ))
    [ $late -gt $worst ] && worst=$late
done
wait $pid
rc=$?
echo "run: exit $rc after $(( $(now_ms) - t0 )) ms"
echo "figure: host's worst lateness on 20 ms sleeps while the guest ran: $worst ms"
[ $worst -lt 1000 ] || { echo "the host missed its deadlines"; status=1; }
cat /tmp/guest.err
tr -d '\r' </tmp/guest.out | grep -E '^(armkvm-guest|workload|Linux|\[ *[0-9.]+\] (armkvm|reboot|Run))'
for stat in world-switches exits-mmio mmio-in-kernel exceptions-delivered exceptions-forwarded irqs-injected idle-waits; do
    echo "stat $stat $(grep -o "\"name\": \"$stat\", \"value\": [0-9]*" /tmp/qmp-run.out | grep -o '[0-9]*$')"
done
boot=$(tr -d '\r' </tmp/guest.out | sed -n 's/^\[ *\([0-9.]*\)\] Run \/init.*/\1/p')
echo "figure: guest kernel boot to /init: $boot s (guest clock)"

timeout 120 $q -nographic -no-reboot -append "console=ttyAMA0 armkvm.test=reboot" \
    >/tmp/reboot.out 2>&1
echo "reboot: exit $?"
tr -d '\r' </tmp/reboot.out | grep -E '^armkvm-guest: rebooting|reboot: Restarting'

# Rebooted without -no-reboot: the machine resets and the guest boots again,
# REBOOTS times, running its workloads each time (no completion left from
# before); quit once the last boot reaches /init.
qmp-after /tmp/reboots.out "armkvm-guest: ready" $((reboots + 1)) $limit |
    timeout $((limit + 100)) $q -display none -serial file:/tmp/reboots.out -qmp stdio \
    -append "console=ttyAMA0 armkvm.test=reboots" >/tmp/qmp-reboots.out 2>/tmp/reboots.err
echo "reboots: exit $?, resets $(grep -c '"event": "RESET"' /tmp/qmp-reboots.out)"
cat /tmp/reboots.err
echo "reboots: boots $(grep -c 'armkvm-guest: ready' /tmp/reboots.out)," \
    "workloads passed $(grep -c 'workloads passed, rebooting' /tmp/reboots.out)"

printf '{"execute":"qmp_capabilities"}\n' | timeout 120 $q -display none \
    -serial file:/tmp/panic.out -no-reboot -qmp stdio -action panic=exit-failure \
    -append "console=ttyAMA0 armkvm.test=panic" >/tmp/qmp.out 2>/tmp/panic.err
echo "panic: exit $?"
grep -o '"event": "GUEST_PANICKED"' /tmp/qmp.out
grep -o "the guest panicked" /tmp/panic.err
tr -d '\r' </tmp/panic.out | grep -o "Kernel panic - not syncing: sysrq triggered crash"

taint=$(cat /proc/sys/kernel/tainted)
echo "taint warn: $(( (taint >> 9) & 1 ))"
[ $(( (taint >> 9) & 1 )) -eq 0 ] || status=1
exit $status
