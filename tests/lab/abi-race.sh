# In the lab: abi-race (tests/lab/abi-race.c) with its seed; kill -9 in the
# middle of RUN and of CREATE_VM's allocation; rmmod while each kind of
# reference to the module is held; rmmod and insmod once all are gone. Then
# what any of it could leave behind: module references, unreclaimable slab,
# vmalloc, free memory, warn/die/lockup taint, the kernel log.
# usage: sh abi-race.sh SEED CALLS SECONDS [THREADS [isolated]]
# With "isolated", the race and the kills during RUN are of isolated-mode VMs
# on the caller's memory (abi-race -m isolated), run by a user without
# privileges to whom the node is given, with a locked-memory limit; the
# checks of 256 MiB VMs and of rmmod with references held (root's, privileged
# mode's) are left to the other run.
# Prints a verdict per check; exits non-zero on any failure.
seed=${1:-1}
calls=${2:-100000}
secs=${3:-60}
threads=${4:-4}
ko=/lib/armkvm/armkvm.ko
fail=0
isolated=
if [ "$5" = isolated ]; then
    isolated=1
    # As isolated-hostile does: the node for group 100, 16 MiB of pinned
    # memory. One exec after another, so that kill -9 of $! hits abi-race.
    runner=/tmp/abi-race-as-user
    printf '#!/bin/sh\nulimit -l 16384 && exec %s/run-as 1000 100 %s/abi-race -m isolated "$@"\n' \
        "$PWD" "$PWD" >$runner
    chmod 0755 $runner
    give_node() { chgrp 100 /dev/armkvm && chmod 0660 /dev/armkvm; }
else
    runner=./abi-race
    give_node() { :; }
fi
race() { $runner "$@"; }

# verdict NAME STATUS [WHY]: STATUS is ok or FAIL.
verdict() {
    echo "verdict: $1: $2${3:+ ($3)}"
    [ "$2" = ok ] || fail=1
}
meminfo() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }
# Free pages including those on the per-CPU lists (MemFree leaves them out; guest
# RAM goes back a page at a time, so up to each list's high mark sits there).
pcp_kb() {
    awk '$1 == "count:" { n += $2 } END { print n * 4 }' /proc/zoneinfo	# 4 KiB pages
}
refcnt() { cat /sys/module/armkvm/refcnt 2>/dev/null || echo none; }
# Caches dropped and RCU callbacks run, so what is left is what is held.
settle() { sync; echo 3 >/proc/sys/vm/drop_caches; sleep 2; echo 3 >/proc/sys/vm/drop_caches; sleep 1; }
# The seed's own delays for the kills: MIN + up to SPAN seconds, two decimals.
delay() { awk -v s="$seed" -v i="$1" -v m="$2" -v r="$3" 'BEGIN { srand(s * 100 + i); printf "%.2f", m + rand() * r }'; }
# Killed processes and forked runners go away: up to 10 s for the references to drop.
refs_back() {
    n=0
    while [ "$(refcnt)" != "$1" ] && [ $n -lt 100 ]; do usleep 100000; n=$((n + 1)); done
    [ "$(refcnt)" = "$1" ]
}

# A hung task is one blocked 20 s, not the default 120: the run must see it.
[ -w /proc/sys/kernel/hung_task_timeout_secs ] && echo 20 >/proc/sys/kernel/hung_task_timeout_secs

# One cycle and a short race first, so lazily allocated kernel state does not count as a leak.
rmmod armkvm && insmod $ko && give_node || { echo "first cycle failed"; exit 1; }
race -s "$seed" -n 2000 -t 20 -j "$threads" >/tmp/warm.out 2>&1 ||
    { cat /tmp/warm.out; echo "warm-up run failed"; exit 1; }
rm -f /tmp/warm.out
settle
refs0=$(refcnt)
slab0=$(meminfo SUnreclaim)
vmalloc0=$(meminfo VmallocUsed)
free0=$(($(meminfo MemFree) + $(pcp_kb)))
echo "before: refcnt $refs0, SUnreclaim $slab0 kB, VmallocUsed $vmalloc0 kB, MemFree with per-CPU lists $free0 kB"

# The race itself.
eventfd_objects() { cat /sys/module/armkvm/parameters/eventfd_objects 2>/dev/null || echo none; }
signals0=$(cat /sys/module/armkvm/parameters/ioeventfd_signals)
t0=$(date +%s)
race -s "$seed" -n "$calls" -t "$secs" -j "$threads"
status=$?
echo "race took $(( $(date +%s) - t0 )) s"
[ $status -eq 0 ] && verdict race ok || verdict race FAIL "exit $status"
refs_back "$refs0" && verdict "references after the race" ok ||
    verdict "references after the race" FAIL "refcnt $(refcnt)"
echo "ioeventfd signals during the race: $(( $(cat /sys/module/armkvm/parameters/ioeventfd_signals) - signals0 ))"
[ "$(eventfd_objects)" = 0 ] && verdict "eventfd objects after the race" ok ||
    verdict "eventfd objects after the race" FAIL "$(eventfd_objects) live"

# kill -9 while threads run guests (RUN is most of the time), then while a
# 256 MiB VM is being allocated (migrated and zeroed: a few hundred ms each).
# abi-race -w keeps what each thread is in, so each kill says what it hit.
killed() {  # NAME CALL MIN SPAN ARGS...
    name=$1 call=$2 min=$3 span=$4
    shift 4
    i=0 caught=0 bad=0
    while [ $i -lt 4 ]; do
        $runner "$@" -s $((seed + i)) -n 1000000000 -t 60 -w /tmp/race.state >/tmp/kill.out 2>&1 &
        pid=$!
        d=$(delay $i $min $span)
        sleep "$d"
        kill -9 $pid
        { wait $pid; } 2>/dev/null
        st=$?
        in=$(awk '{ sub(/ +$/, ""); printf "%s%s", (NR > 1 ? ", " : ""), $0 }' /tmp/race.state)
        echo "$name: killed after $d s, its threads in: $in"
        echo "$in" | grep -q "$call" && caught=$((caught + 1))
        [ $st -eq 137 ] || { bad=1; echo "$name: kill $i: exit $st, not killed:"; cat /tmp/kill.out; }
        refs_back "$refs0" || { bad=1; echo "$name: kill $i: refcnt $(refcnt)"; }
        i=$((i + 1))
    done
    rm -f /tmp/kill.out /tmp/race.state
    echo "$name: $caught of 4 kills hit $call"
    # A kill that hit nothing of the kind proves little: most must.
    [ $caught -ge 2 ] || { bad=1; echo "$name: too few kills hit $call"; }
    [ $bad -eq 0 ] && verdict "$name" ok || verdict "$name" FAIL
}
killed "kill -9 during RUN" RUN 1 2 -j "$threads"
[ -z "$isolated" ] && killed "kill -9 during CREATE_VM" CREATE_VM 0.3 2 -m bigvm -j 1

# rmmod while one reference is held: an fd of each kind, a mapping of each.
kinds="dev vm vcpu run ram"
[ -n "$isolated" ] && kinds=
for kind in $kinds; do
    ./abi-race -m hold -k $kind >/tmp/hold.out 2>&1 &
    pid=$!
    n=0
    while ! grep -qs holding /tmp/hold.out && [ $n -lt 100 ]; do usleep 100000; n=$((n + 1)); done
    refs=$(refcnt)
    if msg=$(rmmod armkvm 2>&1); then
        verdict "rmmod with a $kind held" FAIL "rmmod succeeded"
        insmod $ko
    elif [ ! -c /dev/armkvm ] || [ "$refs" = 0 ]; then
        verdict "rmmod with a $kind held" FAIL "refcnt $refs, $msg"
    else
        echo "rmmod with a $kind held (refcnt $refs): $msg"
        kill -USR1 $pid
        wait $pid
        st=$?
        cat /tmp/hold.out
        [ $st -eq 0 ] && verdict "rmmod with a $kind held" ok ||
            verdict "rmmod with a $kind held" FAIL "the module failed afterwards: exit $st"
    fi
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    rm -f /tmp/hold.out
done

# With everything closed: the module goes and comes back.
[ "$(eventfd_objects)" = 0 ] && verdict "eventfd objects at the end" ok ||
    verdict "eventfd objects at the end" FAIL "$(eventfd_objects) live"
refs_back "$refs0" && verdict "references at the end" ok ||
    verdict "references at the end" FAIL "refcnt $(refcnt), was $refs0"
if rmmod armkvm && [ ! -e /dev/armkvm ] && insmod $ko && [ -c /dev/armkvm ]; then
    verdict "rmmod and insmod" ok
    give_node
else
    verdict "rmmod and insmod" FAIL
fi

settle
slab1=$(meminfo SUnreclaim)
vmalloc1=$(meminfo VmallocUsed)
free1=$(($(meminfo MemFree) + $(pcp_kb)))
echo "after: refcnt $(refcnt), SUnreclaim $slab1 kB, VmallocUsed $vmalloc1 kB, MemFree with per-CPU lists $free1 kB"
# A leaked vCPU is about 3 kB of slab and 4 kB of vmalloc, a VM 1 MiB or more of
# RAM: thousands are created, so a leak on any path shows many times over.
[ $((slab1 - slab0)) -lt 256 ] && verdict "slab growth $((slab1 - slab0)) kB" ok ||
    verdict "slab growth $((slab1 - slab0)) kB" FAIL "leak?"
[ $((vmalloc1 - vmalloc0)) -lt 64 ] && verdict "vmalloc growth $((vmalloc1 - vmalloc0)) kB" ok ||
    verdict "vmalloc growth $((vmalloc1 - vmalloc0)) kB" FAIL "leak?"
[ $((free0 - free1)) -lt 2048 ] && verdict "MemFree drop $((free0 - free1)) kB" ok ||
    verdict "MemFree drop $((free0 - free1)) kB" FAIL "leak?"

# Taint bits 9 (W: a warning), 7 (D: an oops), 14 (L: a soft lockup).
taint=$(cat /proc/sys/kernel/tainted)
echo "taint warn: $(( (taint >> 9) & 1 )), die: $(( (taint >> 7) & 1 )), lockup: $(( (taint >> 14) & 1 ))"
[ $(( taint & ((1 << 9) | (1 << 7) | (1 << 14)) )) -eq 0 ] && verdict taint ok || verdict taint FAIL
if dmesg | grep -E 'WARNING|BUG|Oops|Unable to handle|refcount|leak|hung|stall|lockup'; then
    verdict dmesg FAIL
else
    verdict dmesg ok
fi
[ $fail -eq 0 ] && echo "abi-race.sh: all checks passed" || echo "abi-race.sh: FAILED"
exit $fail
