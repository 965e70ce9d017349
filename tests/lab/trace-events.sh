# In the lab: the module's tracepoints (tracefs events/armkvm/) while the hello
# guest runs natively: its exits by vector (hypercalls are UND, device
# accesses DABT) and RUN's returns to userspace; then QEMU's trace events.
# usage: trace-events.sh GUEST.elf
t=/sys/kernel/tracing
mount -t tracefs nodev $t 2>/dev/null
ls -1 $t/events/armkvm | grep armkvm
echo 1 >$t/events/armkvm/enable
qemu-system-arm -M armkvm-virt,ram-base=0x40000000 -m 4 -nographic -no-reboot \
    -accel armkvm,mode=privileged -kernel "$1" >/tmp/guest.out 2>&1
echo "qemu: exit $?"
echo 0 >$t/events/armkvm/enable
cat /tmp/guest.out
echo "exits traced: $(grep -c 'armkvm_exit: vector' $t/trace)"
grep -m1 'armkvm_exit: vector 1 ' $t/trace | sed 's/^.*armkvm_exit/armkvm_exit/'
grep -m1 'armkvm_exit: vector 4 ' $t/trace | sed 's/^.*armkvm_exit/armkvm_exit/'
grep -m1 'armkvm_userspace_exit: ret 0 ' $t/trace | sed 's/^.*armkvm_userspace_exit/armkvm_userspace_exit/'

# QEMU's side (accel/armkvm/trace-events), through its log backend.
qemu-system-arm -M armkvm-virt,ram-base=0x40000000 -m 4 -nographic -no-reboot \
    -accel armkvm,mode=privileged -trace 'armkvm_*' -kernel "$1" >/tmp/qemu.out 2>&1
echo "qemu with -trace: exit $?"
for event in armkvm_create_vm armkvm_set_memory_region armkvm_run_exit armkvm_mmio \
        armkvm_hypercall; do
    echo "$event: $(grep -c "$event " /tmp/qemu.out)"
done
grep -m1 'armkvm_mmio .*addr 0x9000' /tmp/qemu.out | sed 's/^.*armkvm_mmio/armkvm_mmio/'
# Guest RAM reached the module through the MemoryListener, where the board put it.
grep -m1 'armkvm_set_memory_region ' /tmp/qemu.out | sed 's/^.*armkvm_set_memory_region/armkvm_set_memory_region/'
