# In the lab: isolated mode for a user without privileges (docs/modes.md). The node goes to
# group 100, as /dev/kvm goes to group kvm. User 1000, in it, runs an isolated VM with TCG's
# output under a memory-lock limit that covers its RAM, is refused one whose RAM the limit does
# not cover, and cannot create a privileged VM; user 1001, outside the group, cannot open the
# node. Each refusal is QEMU's clear message. usage: isolated-unprivileged.sh GUEST.elf
guest=$1
status=0
chgrp 100 /dev/armkvm && chmod 0660 /dev/armkvm
qemu="qemu-system-arm -M armkvm-virt -m 16 -nographic -no-reboot -kernel $guest"
timeout 60 $qemu -accel tcg >/tmp/tcg.out 2>/dev/null

# run NAME MEMLOCK_KIB UID GID ACCEL: QEMU as that user, its output in /tmp/NAME.out.
run() {
    ( ulimit -l "$2" && timeout 60 ./run-as "$3" "$4" $qemu -accel "$5" ) \
        >/tmp/"$1".out 2>/tmp/"$1".err
    echo "$1: exit $?"
    sed 's/^/  stderr: /' /tmp/"$1".err
}

run isolated 32768 1000 100 armkvm,mode=isolated
if [ -s /tmp/isolated.out ] && cmp -s /tmp/tcg.out /tmp/isolated.out; then
    echo "isolated: TCG's output"
else
    echo "isolated: output differs from TCG's:"; cat /tmp/isolated.out; status=1
fi
run memlock 4096 1000 100 armkvm,mode=isolated
run privileged 32768 1000 100 armkvm,mode=privileged
run outsider 32768 1001 1001 armkvm,mode=isolated
[ -s /tmp/privileged.out ] && { echo "privileged: the guest ran"; status=1; }
[ -s /tmp/outsider.out ] && { echo "outsider: the guest ran"; status=1; }
chmod 0600 /dev/armkvm && chgrp 0 /dev/armkvm
host-health || status=1
exit $status
