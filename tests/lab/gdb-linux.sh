# In the lab: gdb on our Linux guest with its MMU on, under -accel armkvm in MODE (privileged
# by default, or isolated). QEMU runs it with -s; gdb-probe lets it boot, interrupts it, puts a
# breakpoint at the kernel's ksys_write (its virtual address, from System.map: QEMU walks the
# guest's tables to place it), continues to it (the guest's next write(2)), removes it, steps five times
# and lets the guest run its workloads to its power-off, which must be complete;
# or, with "kill", kills QEMU there (isolated mode's boot and workloads are slow).
# usage: gdb-linux.sh [MODE [kill]]
status=0
addr=$(awk '$3 == "ksys_write" { print $1 }' System.map)
timeout 400 qemu-system-arm -M armkvm-virt -m 64 -accel armkvm,mode=${1:-privileged} \
    -kernel zImage -initrd initrd -append "console=ttyAMA0 armkvm.stress=1" -display none \
    -serial file:/tmp/guest.out -no-reboot -s >/tmp/qemu.out 2>&1 &
qemu=$!
timeout 380 ./gdb-probe 1234 kernel "$addr" $2 >/tmp/probe.out
echo "probe: exit $?"
wait $qemu
echo "qemu: exit $?"
cat /tmp/probe.out /tmp/qemu.out
tr -d '\r' </tmp/guest.out | grep -E '^(armkvm-guest|workload|Linux|\[ *[0-9.]+\] (armkvm|reboot))'
host-health || status=1
exit $status
