# In the lab: a VMM process that started before armkvm.ko was loaded (its page
# tables hold none of the module area: they fill in on first touch) runs a
# guest natively, with the same output as one started afterwards.
# usage: older-process.sh GUEST.bin
rmmod armkvm || exit 1
MINI_VMM_WAIT=1 mini-vmm "$1" >/tmp/older.out 2>/tmp/older.err &
pid=$!
sleep 1
insmod /lib/armkvm/armkvm.ko || exit 1
wait $pid
echo "older process: exit $?"
mini-vmm "$1" >/tmp/newer.out 2>/dev/null
echo "newer process: exit $?"
cat /tmp/older.err
cmp -s /tmp/older.out /tmp/newer.out && echo "same output" || echo "outputs differ"
cat /tmp/older.out
taint=$(cat /proc/sys/kernel/tainted)
echo "taint warn: $(( (taint >> 9) & 1 )), die: $(( (taint >> 7) & 1 ))"
