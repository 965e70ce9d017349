# In the lab: does the world switch give the host back every register of its
# own? armkvm-hoststate.ko (tests/lab/hoststate) probes every world switch and
# compares the host's banked registers and system registers before and after
# it; host-state-check reads them through /proc in one thread before and
# after running the scribble guest (mini-vmm's code, in that same thread),
# and again from another process. Prints every register that differs, with
# its value before and after; exits non-zero on any difference.
# usage: host-state.sh [MODULE ARGS, e.g. repair=0]
#        (in /lab: armkvm-hoststate.ko, host-state-check, scribble.bin)
status=0
insmod ./armkvm-hoststate.ko "$@" || { echo "cannot load armkvm-hoststate.ko"; exit 1; }
echo reset >/proc/armkvm-hoststate-switch
# Every read on one CPU (the lab has one unless --smp).
pin=
command -v taskset >/dev/null && [ "$(nproc)" -gt 1 ] && pin="taskset 1"
$pin ./host-state-check run scribble.bin /tmp/state.before >/tmp/run.out 2>/tmp/run.err || status=1
grep -v '^armkvm-guest' /tmp/run.out
echo "--- guest output"
grep '^armkvm-guest' /tmp/run.out
cat /tmp/run.err
$pin ./host-state-check compare /tmp/state.before || status=1

# Per switch: what the probe saw ("differ NAME BEFORE AFTER in N", the last pair seen).
echo "--- per switch"
cat /proc/armkvm-hoststate-switch
switches=$(awk '$1 == "switches" { print $2 }' /proc/armkvm-hoststate-switch)
[ "${switches:-0}" -ge 9000 ] || { echo "too few switches probed: ${switches:-0}"; status=1; }
grep -q '^missed 0$' /proc/armkvm-hoststate-switch || status=1
grep -q '^differ ' /proc/armkvm-hoststate-switch && status=1
grep -q 'own registers found changed after exits 00000000$' /tmp/run.out || status=1
rmmod armkvm_hoststate || status=1

host-health 'undefined instruction|SIGILL' || status=1
echo "host-state: exit $status"
exit $status
