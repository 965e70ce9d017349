# In the lab: PSCI reset, natively and under TCG (same output), then a guest that
# armkvm cannot run, which QEMU must report as a guest panic (QMP GUEST_PANICKED).
status=0
for accel in tcg armkvm,mode=privileged; do
    # No -no-reboot: the guest's reset must really reset the machine.
    timeout 60 qemu-system-arm -M armkvm-virt,ram-base=0x40000000 -m 4 -nographic -accel $accel \
        -kernel reset.elf >/tmp/$accel.out 2>/tmp/$accel.err
    echo "reset under $accel: exit $?"
done
cat /tmp/armkvm,mode=privileged.out
cmp -s /tmp/tcg.out /tmp/armkvm,mode=privileged.out || { echo "reset: differs from TCG"; status=1; }

printf '{"execute":"qmp_capabilities"}\n{"execute":"cont"}\n' | timeout 60 \
    qemu-system-arm -M armkvm-virt,ram-base=0x40000000 -m 4 -display none -serial file:/tmp/panic.out \
    -accel armkvm,mode=privileged -S -qmp stdio -action panic=exit-failure \
    -kernel panic.elf >/tmp/qmp.out 2>/tmp/panic.err
echo "panic: exit $?"
grep -o '"event": "GUEST_PANICKED"' /tmp/qmp.out
grep -o "the guest did what armkvm cannot run (suberror 1)" /tmp/panic.err
cat /tmp/panic.out
exit $status
