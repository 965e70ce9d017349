# In the lab: unload and reload armkvm.ko 100 times, then look for what a
# leak or a bad unload leaves behind. Prints a verdict per check; exits non-zero on any failure.
fail=0
ko=/lib/armkvm/armkvm.ko
# Unreclaimable slab: what a leaked kmalloc would grow. Caches and RCU are settled first.
slab() {
    sync; echo 3 >/proc/sys/vm/drop_caches; sleep 1
    awk '/^SUnreclaim:/ { print $2 }' /proc/meminfo
}
# One cycle first, so lazily allocated kernel state does not count as a leak.
rmmod armkvm && insmod $ko || { echo "first cycle failed"; exit 1; }
before=$(slab)
i=0
while [ $i -lt 100 ]; do
    rmmod armkvm || { echo "rmmod failed at cycle $i"; fail=1; break; }
    [ -e /dev/armkvm ] && { echo "/dev/armkvm still there after rmmod"; fail=1; break; }
    insmod $ko || { echo "insmod failed at cycle $i"; fail=1; break; }
    [ -c /dev/armkvm ] || { echo "/dev/armkvm missing after insmod"; fail=1; break; }
    i=$((i + 1))
done
echo "cycles: $i"
after=$(slab)
growth=$((after - before))
echo "unreclaimable slab growth over 100 cycles: $growth kB"
# It moves a little with any activity; a leak of 256 bytes a cycle would show as 25 kB.
[ $growth -lt 24 ] || { echo "slab grew: leak?"; fail=1; }
# Taint bits 9 and 7 (W, D); bits 12/13 (O, E) are expected for our module.
host-health 'leak|refcount' || fail=1
grep -c '^armkvm ' /proc/modules | sed 's/^/loaded instances: /'
exit $fail
