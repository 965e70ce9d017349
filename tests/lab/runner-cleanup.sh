#!/usr/bin/env bash
# On this machine, not in the lab: lab/run killed by SIGTERM or even SIGKILL in
# the middle of a run leaves no board process behind.
lab_run=$1
boards() { pgrep -f "qemu-system-arm .*-bios $ARMKVM_LAB_DIR/lab-boot.bin" | wc -l; }
status=0
for sig in TERM KILL; do
    before=$(boards)
    timeout -s $sig 8 "$lab_run" -- 'sleep 100' >/dev/null 2>&1
    sleep 1
    after=$(boards)
    echo "SIGTERM/KILL test: lab/run stopped by SIG$sig: boards before $before, after $after"
    [ "$after" -le "$before" ] || status=1
done
exit $status
