# In the lab: a running guest saved and restored (QEMU's migration to a file, what savevm and
# migrate-to-file do): count.elf runs under -accel armkvm until its tenth round, is stopped and
# migrated to a file, QEMU quits; a new QEMU restores it from the file (-incoming) and
# continues it to its end. The two outputs, joined, must be what one unbroken TCG run prints.
# An ACCEL of the form SAVER>RESTORER saves under one accelerator and restores under another
# (armkvm to TCG and back, as KVM users move VMs). live:ACCEL migrates the running guest
# instead, over a local TCP socket, to a QEMU waiting with -incoming: no stop, no file.
# usage: snapshot-guest.sh COUNT.elf ACCEL...
guest=$1
shift
common="-M armkvm-virt,ram-base=0x40000000 -m 4 -display none -no-reboot -kernel $guest"
status=0
# wait_for FILE PATTERN SECONDS: until FILE holds a line matching PATTERN.
wait_for() {
    i=0
    while ! grep -qE "$2" "$1" 2>/dev/null && [ $i -lt $(($3 * 10)) ]; do
        sleep 0.1
        i=$((i + 1))
    done
}
qmp() { echo "{\"execute\":\"$1\"${2:+,\"arguments\":$2}}"; }

timeout 120 qemu-system-arm -accel tcg $common -serial file:/tmp/tcg.out 2>/tmp/tcg.err
echo "tcg: exit $?, $(grep -c '^round' /tmp/tcg.out) rounds"
# live ACCEL: the guest moved while it runs, from one QEMU to another.
live() {
    {
        qmp qmp_capabilities
        wait_for /tmp/a.out '^round 0000000a' 60
        # armkvm reports all RAM dirty at every sync (docs/snapshots.md): the budget for
        # the final copy must cover it.
        qmp migrate-set-parameters '{"downtime-limit":20000}'
        qmp migrate '{"uri":"tcp:127.0.0.1:4444"}'
        i=0
        while ! grep -qE '"status": "(completed|failed)"' /tmp/qmp-a.out && [ $i -lt 600 ]; do
            qmp query-migrate
            sleep 0.1
            i=$((i + 1))
        done
        qmp quit
    } | timeout 120 qemu-system-arm -accel $1 $common -serial file:/tmp/a.out \
        -qmp stdio >/tmp/qmp-a.out 2>/tmp/a.err
    echo "live:$1: source exit $?, status $(grep -o '"status": "[a-z]*"' /tmp/qmp-a.out | tail -1)"
}
for accel in "$@"; do
    saver=${accel%%>*} restorer=${accel#*>}
    rm -f /tmp/a.out /tmp/b.out /tmp/vm.state
    case $accel in
    live:*)
        accel=${accel#live:}
        timeout 120 qemu-system-arm -accel $accel $common -serial file:/tmp/b.out \
            -incoming tcp:127.0.0.1:4444 >/dev/null 2>/tmp/b.err &
        dest=$!
        sleep 2
        live $accel
        wait $dest
        echo "live:$accel: destination exit $?"
        accel=live:$accel
        ;;
    *)
    {
        qmp qmp_capabilities
        wait_for /tmp/a.out '^round 0000000a' 60
        qmp stop
        qmp migrate '{"uri":"exec:cat > /tmp/vm.state"}'
        sleep 3
        qmp query-migrate
        qmp quit
    } | timeout 120 qemu-system-arm -accel $saver $common -serial file:/tmp/a.out \
        -qmp stdio >/tmp/qmp-a.out 2>/tmp/a.err
    echo "$accel: saved, exit $?, status $(grep -o '"status": "[a-z]*"' /tmp/qmp-a.out | tail -1)"
    {
        qmp qmp_capabilities
        sleep 2
        qmp cont
        wait_for /tmp/b.out 'count: done' 60
        sleep 1
        qmp quit
    } | timeout 120 qemu-system-arm -accel $restorer $common -serial file:/tmp/b.out \
        -incoming 'exec:cat /tmp/vm.state' -qmp stdio >/tmp/qmp-b.out 2>/tmp/b.err
    echo "$accel: restored, exit $?"
        ;;
    esac
    grep -v 'speaks ABI version' /tmp/a.err /tmp/b.err | sed 's/^/  stderr: /'
    echo "$accel: rounds before $(grep -c '^round' /tmp/a.out), after $(grep -c '^round' /tmp/b.out)"
    grep -q '^round' /tmp/b.out || { echo "$accel: nothing ran after the move"; status=1; }
    cat /tmp/a.out /tmp/b.out >/tmp/joined.out
    if cmp -s /tmp/tcg.out /tmp/joined.out; then
        echo "$accel: the joined output is tcg's"
    else
        echo "$accel: the joined output differs from tcg's:"
        diff /tmp/tcg.out /tmp/joined.out | head -20
        status=1
    fi
done

# Privileged mode with ram-base auto gives the guest its RAM's host-physical address: a VM
# restored into a block elsewhere must be refused, clearly. The saved VM stays alive meanwhile,
# so that its block is taken and the restored one lands elsewhere.
q="qemu-system-arm -accel armkvm,mode=privileged -M armkvm-virt -m 16 -display none -S"
rm -f /tmp/hpa.state /tmp/restored
{
    qmp qmp_capabilities
    qmp migrate '{"uri":"exec:cat > /tmp/hpa.state"}'
    sleep 3
    qmp query-migrate
    wait_for /tmp/restored . 60
    qmp quit
} | timeout 120 $q -qmp stdio >/tmp/qmp-hpa.out 2>/tmp/hpa.err &
saver=$!
wait_for /tmp/qmp-hpa.out completed 60
timeout 60 $q -incoming 'exec:cat /tmp/hpa.state' >/tmp/restore.out 2>/tmp/restore.err </dev/null
echo "host-physical RAM elsewhere: restore exit $?"
echo done >/tmp/restored
wait $saver
grep -o 'armkvm: the saved guest.s RAM was [0-9]* MiB at host-physical 0x[0-9a-f]* (privileged mode, ram-base auto).*: it cannot be restored here' /tmp/restore.err |
    sed 's/0x[0-9a-f]*/ADDR/g'
tail -n 2 /tmp/tcg.out
host-health || status=1
exit $status
