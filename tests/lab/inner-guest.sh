# In the lab: run a test guest under our armhf QEMU with -accel tcg (the oracle),
# -accel armkvm (mode auto: TCG inside armkvm) and -accel armkvm,mode=privileged
# (natively, through the module, with its in-kernel GIC and with QEMU's), and require
# the same guest output from each.
# usage: inner-guest.sh GUEST.elf
guest=$1
common="-M armkvm-virt,ram-base=0x40000000 -m 4 -nographic -no-reboot -kernel $guest"
status=0
for accel in tcg armkvm armkvm,mode=privileged armkvm,mode=privileged,kernel-irqchip=off; do
    out=/tmp/$accel.out
    timeout 120 qemu-system-arm -accel $accel $common >$out 2>/tmp/$accel.err
    rc=$?
    echo "$accel: exit $rc"
    cat /tmp/$accel.err
    [ $rc -eq 0 ] && [ -s $out ] || status=1
    if ! cmp -s /tmp/tcg.out $out; then
        echo "--- guest output under $accel differs from TCG's:"
        cat $out
        status=1
    fi
done
echo "--- guest output (all)"
cat /tmp/tcg.out
taint=$(cat /proc/sys/kernel/tainted)
echo "taint warn: $(( (taint >> 9) & 1 ))"
[ $(( (taint >> 9) & 1 )) -eq 0 ] || status=1
exit $status
