# In the lab: test guests under -accel tcg (the oracle) and -accel armkvm,mode=isolated
# (the guest kernel at the CPU's user mode), the same output required. The unaware guest
# (no armkvm marker, interrupts masked for good) is refused by privileged mode: isolated
# mode runs it, and the host keeps its CPU. The guests that turn their MMU on run on
# shadow page tables, all freed once their VMs are gone and never more than the module's
# bounds (thrash makes it build far more), also with two of them at once; physmap maps the
# whole physical address space and finds none of the host's memory.
# usage: isolated-guests.sh GUEST.elf...
status=0
# Host memory a guest must never see or change (the physmap guest looks for it): 64 MiB of
# "MAGC", page after page, in the lab's RAM-backed root.
yes MAGC | tr -d '\n' | head -c 67108864 >/tmp/canary
# The shadow's size, sampled while the guests run (one VM at a time): never past its bounds.
p=/sys/module/armkvm/parameters
bound=$(( $(cat $p/shadow_roots) + $(cat $p/shadow_l2_tables) ))
rm -f /tmp/stop-watch /tmp/shadow-max
(
    max=0
    while [ ! -e /tmp/stop-watch ]; do
        t=$(cat $p/shadow_tables)
        [ "$t" -gt "$max" ] && { max=$t; echo "$max" >/tmp/shadow-max; }
        sleep 0.1
    done
) &
watcher=$!
# The world switches a guest's run costs, over QMP once it is off; with a second
# argument, those the host's interrupts did not cause.
world_switches() {
    {
        echo '{"execute":"qmp_capabilities"}'
        sleep 4
        for stat in world-switches exits-irq; do
            echo '{"execute":"qom-get","arguments":{"path":"/machine/unattached/device[0]","property":"armkvm-'$stat'"}}'
        done
        echo '{"execute":"quit"}'
    } | qemu-system-arm -M armkvm-virt,ram-base=0x40000000 -m 4 -display none -serial none \
        -no-shutdown -accel armkvm,mode=isolated -qmp stdio -kernel $1 2>/dev/null |
        grep -o '"return": [0-9][0-9]*' | sed 's/.*: //' | tr '\n' ' ' |
        { read -r all irq; [ -n "$2" ] && echo $((all - ${irq:-0})) || echo "$all"; }
}
for guest in "$@"; do
    name=${guest%.elf}
    for accel in tcg armkvm,mode=isolated; do
        timeout 240 qemu-system-arm -M armkvm-virt,ram-base=0x40000000 -m 4 -nographic \
            -no-reboot -accel $accel -kernel $guest >/tmp/$name.$accel.out 2>/tmp/err
        rc=$?
        echo "$name under $accel: exit $rc"
        cat /tmp/err
        [ $rc -eq 0 ] && [ -s /tmp/$name.$accel.out ] || status=1
    done
    if cmp -s /tmp/$name.tcg.out /tmp/$name.armkvm,mode=isolated.out; then
        echo "$name: the same output"
    else
        echo "$name: isolated mode's output differs from TCG's:"
        cat /tmp/$name.armkvm,mode=isolated.out
        status=1
    fi
    cat /tmp/$name.tcg.out
    # Natively, not TCG: the vCPU's world switches, over QMP once the guest is off.
    switches=$(world_switches $guest)
    if [ "${switches:-0}" -gt 0 ]; then
        echo "$name: natively ($switches world switches)"
    else
        echo "$name: no world switch: not run natively"
        status=1
    fi
done
# The sampling ends here: the bound is one vCPU's, and two VMs come next.
touch /tmp/stop-watch
wait $watcher
max=$(cat /tmp/shadow-max 2>/dev/null || echo 0)
echo "shadow tables at most: $max, within the bound of $bound: $([ "$max" -le "$bound" ] && echo yes || echo no)"
[ "$max" -le "$bound" ] || status=1
# The window in each root: armkvm's own pages only, a handful, not the host's modules.
echo "window pages in every root: $(cat $p/window_pages)"
# Two VMs at once, alternating on the lab's CPU: each still gives TCG's output.
if [ -e shadow.elf ] && [ -e thrash.elf ]; then
    pids=
    for name in shadow thrash; do
        timeout 120 qemu-system-arm -M armkvm-virt,ram-base=0x40000000 -m 4 -nographic \
            -no-reboot -accel armkvm,mode=isolated -kernel $name.elf >/tmp/$name.pair.out 2>/dev/null &
        pids="$pids $!"
    done
    wait $pids
    if cmp -s /tmp/shadow.pair.out /tmp/shadow.tcg.out && cmp -s /tmp/thrash.pair.out /tmp/thrash.tcg.out
    then
        echo "two VMs at once (shadow, thrash): each TCG's output"
    else
        echo "two VMs at once (shadow, thrash): an output differs from TCG's"
        status=1
    fi
fi
# Fill-ahead off (a miss fills its page alone): the same output, and more world switches
# than with it, which fills the rest of each miss's group of pages as a TLB may.
if [ -e shadow.elf ]; then
    fill_ahead=$(cat $p/shadow_fill_ahead)
    echo 0 >$p/shadow_fill_ahead
    timeout 120 qemu-system-arm -M armkvm-virt,ram-base=0x40000000 -m 4 -nographic -no-reboot \
        -accel armkvm,mode=isolated -kernel shadow.elf >/tmp/shadow.nofa.out 2>/dev/null
    without=$(world_switches shadow.elf guest)
    echo "$fill_ahead" >$p/shadow_fill_ahead
    with=$(world_switches shadow.elf guest)
    if cmp -s /tmp/shadow.nofa.out /tmp/shadow.tcg.out; then
        echo "shadow without fill-ahead: TCG's output"
    else
        echo "shadow without fill-ahead: the output differs from TCG's"
        status=1
    fi
    echo "shadow: fewer world switches with fill-ahead: $([ "${with:-0}" -gt 0 ] &&
        [ "$with" -lt "${without:-0}" ] && echo yes || echo no)"
    echo "shadow: world switches but for host interrupts: $without without fill-ahead, $with with it" >&2
fi
left=$(tr -d MAGC </tmp/canary | wc -c)
echo "host canary: $(wc -c </tmp/canary) bytes, $left of them changed"
[ "$left" = 0 ] || status=1
rm -f /tmp/canary
# Every VM gone: none of their shadow tables left (the module's own count).
tables=$(cat /sys/module/armkvm/parameters/shadow_tables)
echo "shadow tables left: $tables, fills made: $(cat /sys/module/armkvm/parameters/shadow_fills)"
[ "$tables" = 0 ] || status=1
host-health || status=1
exit $status
