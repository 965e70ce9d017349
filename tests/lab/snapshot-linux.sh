# In the lab: our Linux guest saved and restored while it runs guest-snapshot (an 8 MiB
# buffer checked every round, a file in tmpfs written a block per round, both checked at the
# end against their words generated again). Each way must end with TCG's lines:
#   isolated, file: stopped at round 5, migrated to a file, QEMU quits; a new QEMU restores
#     it (-incoming) and continues it to its end;
#   isolated, qcow2: savevm into a qcow2 image at round 5, QEMU quits; a new QEMU starts
#     from it (-loadvm) and runs to the end;
#   privileged, qcow2: savevm at round 5, loadvm at round 8 in the same QEMU (its guest's
#     RAM is at its host-physical address: docs/snapshots.md), the guest back at round 5
#     and on to the end: rounds 6-8 twice.
# usage: snapshot-linux.sh
status=0
wait_for() { # FILE PATTERN SECONDS: until FILE holds a line matching PATTERN
    i=0
    while ! cat "$1" 2>/dev/null | tr -d '\r' | grep -qE "$2" && [ $i -lt $(($3 * 10)) ]; do
        sleep 0.1
        i=$((i + 1))
    done
}
qmp() { echo "{\"execute\":\"$1\"${2:+,\"arguments\":$2}}"; }
hmp() { qmp human-monitor-command "{\"command-line\":\"$1\"}"; }
migrated() { # QMP-OUTPUT: query-migrate until it completes or fails
    i=0
    while ! grep -qE '"status": "(completed|failed)"' "$1" && [ $i -lt 300 ]; do
        qmp query-migrate
        sleep 0.2
        i=$((i + 1))
    done
}
guest() { # ACCEL SERIAL-FILE QEMU-ARGS...
    accel=$1 out=$2
    shift 2
    timeout 600 qemu-system-arm -M armkvm-virt -m 64 -accel "$accel" -kernel zImage \
        -initrd initrd -append "console=ttyAMA0 armkvm.test=snapshot" -display none \
        -serial file:"$out" -qmp stdio "$@"
}
# ROUNDS-FILE SAVED-ROUND ROLLBACK: the rounds 1-20 in order, or with ROLLBACK 1 once
# going back to SAVED-ROUND + 1 (loadvm in the same QEMU).
rounds_ok() {
    sed -n 's/^snapshot: round //p' "$1" | awk -v k="$2" -v back="$3" '
        NR == 1 && $1 != 1 { bad = 1 }
        NR > 1 && $1 != prev + 1 { if (back && !seen && $1 == k + 1) seen = 1; else bad = 1 }
        { prev = $1 }
        END { print (!bad && prev == 20 && (seen || !back)) ? "yes" : "no" }'
}
# NAME SAVED-ROUND ROLLBACK SERIAL-FILES...: the guest's lines and verdicts.
report() {
    name=$1 k=$2 back=$3
    shift 3
    cat "$@" | tr -d '\r' | grep '^snapshot: ' >/tmp/$name.lines
    echo "$name: saved at round $k, rounds as expected: $(rounds_ok /tmp/$name.lines $k $back)"
    grep -v '^snapshot: round ' /tmp/$name.lines | tee /tmp/$name.verdicts | sed "s/^/$name: /"
}
# SERIAL-FILE: how many rounds the stopped guest has printed.
rounds_in() { tr -d '\r' <"$1" | grep -c '^snapshot: round '; }
drive() { echo "-drive if=none,id=vmstate,format=qcow2,file=$1"; }

rm -f /tmp/*.out /tmp/*.upto /tmp/vm.state /tmp/*.qcow2
{
    qmp qmp_capabilities
    wait_for /tmp/file-a.out '^snapshot: round 5$' 500
    qmp stop
    sleep 0.5
    cp /tmp/file-a.out /tmp/file-a.upto
    qmp migrate '{"uri":"exec:cat > /tmp/vm.state"}'
    migrated /tmp/qmp-file-a.out
    qmp quit
} | guest armkvm,mode=isolated /tmp/file-a.out >/tmp/qmp-file-a.out 2>/tmp/file-a.err
echo "isolated-file: saved, exit $?, $(grep -o '"status": "[a-z]*"' /tmp/qmp-file-a.out | tail -1)"
{
    qmp qmp_capabilities
    # The state says "paused" (the source was stopped): cont once it is in, not before.
    i=0
    while ! grep -q '"status": "paused"' /tmp/qmp-file-b.out && [ $i -lt 600 ]; do
        qmp query-status
        sleep 0.2
        i=$((i + 1))
    done
    qmp cont
    wait_for /tmp/file-b.out '^snapshot: done$' 300
} | guest armkvm,mode=isolated /tmp/file-b.out -incoming 'exec:cat /tmp/vm.state' \
    >/tmp/qmp-file-b.out 2>/tmp/file-b.err
echo "isolated-file: restored, exit $?"
report isolated-file "$(rounds_in /tmp/file-a.upto)" 0 /tmp/file-a.upto /tmp/file-b.out

qemu-img create -q -f qcow2 /tmp/iso.qcow2 64M
{
    qmp qmp_capabilities
    wait_for /tmp/qcow2-a.out '^snapshot: round 5$' 500
    qmp stop
    sleep 0.5
    cp /tmp/qcow2-a.out /tmp/qcow2-a.upto
    hmp "savevm round5"
    qmp quit
} | guest armkvm,mode=isolated /tmp/qcow2-a.out $(drive /tmp/iso.qcow2) \
    >/tmp/qmp-qcow2-a.out 2>/tmp/qcow2-a.err
echo "isolated-qcow2: saved, exit $?, snapshots in the image:" \
    "$(qemu-img snapshot -l /tmp/iso.qcow2 | awk 'NR > 2 { print $2 }' | tr '\n' ' ')"
{
    qmp qmp_capabilities
    wait_for /tmp/qcow2-b.out '^snapshot: done$' 300
} | guest armkvm,mode=isolated /tmp/qcow2-b.out $(drive /tmp/iso.qcow2) -loadvm round5 \
    >/tmp/qmp-qcow2-b.out 2>/tmp/qcow2-b.err
echo "isolated-qcow2: loaded, exit $?"
report isolated-qcow2 "$(rounds_in /tmp/qcow2-a.upto)" 0 /tmp/qcow2-a.upto /tmp/qcow2-b.out

qemu-img create -q -f qcow2 /tmp/priv.qcow2 64M
{
    qmp qmp_capabilities
    wait_for /tmp/priv.out '^snapshot: round 5$' 300
    qmp stop
    sleep 0.5
    rounds_in /tmp/priv.out >/tmp/priv.saved
    hmp "savevm round5"
    qmp cont
    wait_for /tmp/priv.out '^snapshot: round 8$' 60
    hmp "loadvm round5"
    wait_for /tmp/priv.out '^snapshot: done$' 120
} | guest armkvm,mode=privileged /tmp/priv.out $(drive /tmp/priv.qcow2) \
    >/tmp/qmp-priv.out 2>/tmp/priv.err
echo "privileged-qcow2: exit $?, savevm and loadvm without a message:" \
    "$(grep -c '"return": ""' /tmp/qmp-priv.out) of 2"
report privileged-qcow2 "$(cat /tmp/priv.saved)" 1 /tmp/priv.out

for f in /tmp/*.err; do
    grep -v 'speaks ABI version' "$f" | sed "s|^|stderr $(basename "$f" .err): |"
done
# Every way's verdicts are the same (TCG's are the boot suite's snapshot-tcg).
for name in isolated-qcow2 privileged-qcow2; do
    if cmp -s /tmp/isolated-file.verdicts /tmp/$name.verdicts; then
        echo "$name: the same verdicts as isolated-file"
    else
        echo "$name: verdicts differ"; status=1
    fi
done
host-health || status=1
exit $status
