# In the lab: run a bare-metal guest natively in privileged mode (mini-vmm on
# /dev/armkvm) and under our armhf QEMU's TCG (the oracle); the guest's output
# must be the same. usage: native-guest.sh GUEST.elf GUEST.bin
qemu-system-arm -M armkvm-virt,ram-base=0x40000000 -m 64 -nographic -no-reboot -accel tcg \
    -kernel "$1" >/tmp/tcg.out 2>/tmp/tcg.err
tcg=$?
mini-vmm "$2" >/tmp/native.out 2>/tmp/native.err
native=$?
echo "tcg: exit $tcg"
echo "native: exit $native"
cat /tmp/native.err
echo "--- guest output (native)"
cat /tmp/native.out
if ! cmp -s /tmp/tcg.out /tmp/native.out; then
    echo "--- guest output differs from TCG's:"
    cat /tmp/tcg.out
    exit 1
fi
taint=$(cat /proc/sys/kernel/tainted)
echo "taint warn: $(( (taint >> 9) & 1 ))"
[ $tcg -eq 0 ] && [ $native -eq 0 ] && [ -s /tmp/tcg.out ] && [ $(( (taint >> 9) & 1 )) -eq 0 ]
