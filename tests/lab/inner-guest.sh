# In the lab: run a test guest under our armhf QEMU with -accel tcg (the oracle) and
# -accel armkvm, and require the same guest output. usage: inner-guest.sh GUEST.elf
guest=$1
common="-M armkvm-virt -m 64 -nographic -no-reboot -kernel $guest"
qemu-system-arm -accel tcg $common >/tmp/tcg.out 2>/tmp/tcg.err
tcg=$?
qemu-system-arm -accel armkvm $common >/tmp/armkvm.out 2>/tmp/armkvm.err
armkvm=$?
echo "tcg: exit $tcg"
echo "armkvm: exit $armkvm"
cat /tmp/armkvm.err
echo "--- guest output (armkvm)"
cat /tmp/armkvm.out
if ! cmp -s /tmp/tcg.out /tmp/armkvm.out; then
    echo "--- guest output differs from TCG's:"
    cat /tmp/tcg.out
    exit 1
fi
[ $tcg -eq 0 ] && [ $armkvm -eq 0 ] && [ -s /tmp/tcg.out ]
