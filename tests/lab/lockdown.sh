# In the lab: privileged mode is /dev/mem's kind of access, so kernel lockdown
# ends it. A privileged guest runs before lockdown and is refused after it,
# with QEMU saying why. usage: lockdown.sh GUEST.elf
guest=$1
q="qemu-system-arm -M armkvm-virt,ram-base=0x40000000 -m 4 -nographic -no-reboot -kernel $guest"
status=0
mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
$q -accel armkvm,mode=privileged >/tmp/before.out 2>/tmp/before.err
echo "before lockdown: exit $?"
if [ ! -w /sys/kernel/security/lockdown ]; then
    echo "no lockdown LSM in this kernel"; exit 1
fi
echo integrity >/sys/kernel/security/lockdown
echo "lockdown: $(cat /sys/kernel/security/lockdown)"
$q -accel armkvm,mode=privileged >/tmp/after.out 2>/tmp/after.err
echo "after lockdown: exit $?"
cat /tmp/after.err
[ -s /tmp/after.out ] && { echo "the guest ran under lockdown"; status=1; }
# TCG needs no privilege: it still runs.
$q -accel armkvm,mode=tcg >/tmp/tcg.out 2>/dev/null
echo "tcg under lockdown: exit $?"
cmp -s /tmp/before.out /tmp/tcg.out && echo "tcg output matches" || status=1
exit $status
