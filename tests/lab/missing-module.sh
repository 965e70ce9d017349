# In the lab, booted without armkvm.ko: -accel armkvm must say the module is
# missing and exit 1; -accel armkvm -accel tcg must fall back and run the guest.
guest=$1
common="-M armkvm-virt,ram-base=0x40000000 -m 64 -nographic -no-reboot -kernel $guest"
qemu-system-arm -accel armkvm $common >/tmp/a.out 2>/tmp/a.err
echo "armkvm alone: exit $?"
cat /tmp/a.err
qemu-system-arm -accel armkvm -accel tcg $common >/tmp/b.out 2>/tmp/b.err
echo "with fallback: exit $?"
grep -o 'falling back to tcg' /tmp/b.err
cat /tmp/b.out
