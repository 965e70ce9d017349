# In the lab: a guest that is not armkvm-aware (no marker) must never run
# natively. mode=privileged refuses it with a clear error before its first
# instruction; mode=auto runs it under TCG to its end, as -accel tcg does.
# The host stays responsive throughout. usage: unaware-guest.sh GUEST.elf
guest=$1
common="-M armkvm-virt,ram-base=0x40000000 -m 4 -nographic -no-reboot -kernel $guest"
status=0
for accel in tcg armkvm,mode=auto armkvm,mode=privileged; do
    timeout 60 qemu-system-arm -accel $accel $common >/tmp/$accel.out 2>/tmp/$accel.err
    echo "$accel: exit $?"
    sed 's/^/  stderr: /' /tmp/$accel.err
    sed 's/^/  guest: /' /tmp/$accel.out
done
cmp -s /tmp/tcg.out /tmp/armkvm,mode=auto.out && echo "auto matches tcg" || status=1
[ -s /tmp/armkvm,mode=privileged.out ] && { echo "privileged: the guest ran"; status=1; }
# Still ours: a user process runs and the kernel has not complained.
echo "host alive: $(cat /proc/loadavg | cut -d' ' -f1-3)"
taint=$(cat /proc/sys/kernel/tainted)
echo "taint warn: $(( (taint >> 9) & 1 ))"
[ $(( (taint >> 9) & 1 )) -eq 0 ] || status=1
exit $status
