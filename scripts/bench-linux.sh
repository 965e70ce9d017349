#!/usr/bin/env bash
# The Linux guest benchmark (figures, not a test): in one lab boot, the time from QEMU's start
# to the guest's user space, and a CPU-bound, a syscall-bound and a fork-bound workload
# (tests/lab/guest-workload.c "bench") natively on the lab host, in our Linux guest under
# -accel armkvm in privileged and in isolated mode, and under -accel tcg; then the ratios.
# Twice: on the wall clock, and in a second boot with -icount shift=0, where time is
# instructions executed (one per ns), free of the emulated lab's uneven cost per instruction
# and of the build machine's load. docs/benchmarks.md records the results.
#   bash scripts/bench-linux.sh [wall] [icount]     the boots named (default: both)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

lab=$(bash "$ARMKVM_TOP/scripts/build-lab.sh")
kernel=$(bash "$ARMKVM_TOP/scripts/build-guest-kernel.sh")/zImage
out="$ARMKVM_BUILD/bench-linux"
bash "$ARMKVM_TOP/scripts/build-linux-guest-initrd.sh" "$out" >/dev/null

cmd='
now_ms() { awk "{ printf \"%d\n\", \$1 * 1000 }" /proc/uptime; }
./workload bench >/dev/null        # each figure is a second run, translated code warm
./workload bench | sed "s/^figure: /figure: native: /"
# The last two boots only count exits (QMP on a pipe: the vCPU'"'"'s statistics at each figure
# line); their QMP traffic disturbs the timing, so their times are not figures.
for run in armkvm isolated tcg stats istats; do
    accel=armkvm,mode=privileged qmp=
    case $run in
    tcg) accel=tcg ;;
    isolated|istats) accel=armkvm,mode=isolated ;;
    esac
    if [ $run = stats ] || [ $run = istats ]; then
        rm -f /tmp/qmp.in /tmp/qmp.out; mkfifo /tmp/qmp.in /tmp/qmp.out
        cat /tmp/qmp.out >/tmp/qmp-$run.log &
        qmp="-chardev pipe,id=qmp,path=/tmp/qmp -mon chardev=qmp,mode=control"
    fi
    t0=$(now_ms)
    qemu-system-arm -M armkvm-virt -m 64 -accel $accel -nographic -no-reboot -kernel zImage \
        -initrd initrd $qmp -append "console=ttyAMA0 quiet armkvm.test=bench" 2>/dev/null |
    {
    [ -n "$qmp" ] && exec 3>/tmp/qmp.in && echo "{\"execute\":\"qmp_capabilities\"}" >&3
    stats() {
        [ -n "$qmp" ] && echo "{\"execute\":\"human-monitor-command\",\"arguments\":{\"command-line\":\"info stats vcpu\"}}" >&3
    }
    while IFS= read -r line; do
        case "$line" in
        "armkvm-guest: ready"*) echo "figure: $run: boot to user space $(( $(now_ms) - t0 )) ms" ;;
        "armkvm-guest: warm"*) stats ;;
        figure:*) echo "$line" | tr -d "\r" | sed "s/^figure: /figure: $run: /"; stats ;;
        esac
    done
    }
done
sed "s/^/qmp: armkvm: /" /tmp/qmp-stats.log
sed "s/^/qmp: isolated: /" /tmp/qmp-istats.log'

# One lab boot ($1: wall or icount): figures, exits per workload, ratios.
bench_boot() {
local clock=$1 lab_txt="$out/lab-$1.txt" figures="$out/figures-$1.txt"
ARMKVM_LAB_DIR=$lab "$ARMKVM_TOP/lab/run" $([ "$clock" = icount ] && echo --icount) \
    --timeout 1800 --file "$kernel:zImage" --file "$out/initrd.cpio.gz:initrd" \
    --file "$out/workload:workload" -- "$cmd" >"$lab_txt"
echo "== $clock clock"
grep "^figure:" "$lab_txt" | grep -v "^figure: i\\?stats:" | tee "$figures"

# Exits per workload: the differences between the vCPU's statistics before and after each.
python3 - "$lab_txt" <<'PY' | tee -a "$figures"
import re, sys
snaps = {"armkvm": [], "isolated": []}
for line in open(sys.argv[1]):
    m = re.match(r"qmp: (armkvm|isolated): (.*)", line)
    if m and "provider: armkvm" in line:
        text = m[2].replace("\\r\\n", "\n")
        snaps[m[1]].append({k: int(v) for k, v in re.findall(r"([a-z-]+)[^:\n]*: (\d+)", text)})
for mode, s in snaps.items():
    for name, a, b in zip(("cpu", "syscall", "fork"), s, s[1:]):
        diff = ", ".join("%s %d" % (k, b[k] - a.get(k, 0)) for k in b
                         if k != "guest-ns" and b[k] != a.get(k, 0))
        in_guest = (b.get("guest-ns", 0) - a.get("guest-ns", 0)) / 1e6
        print("figure: %s: during %s: %s; in the guest %.0f ms" % (mode, name, diff, in_guest))
PY

# Ratios: guest/native (higher is better: native time / guest time) and guest/TCG speed-up.
awk '/^figure: [a-z]+: workload/ { t[$2 $4] = $(NF - 1) }
     END {
         split("cpu: syscall: fork:", ws, " ")
         for (i = 1; i <= 3; i++) {
             k = ws[i]
             n = t["native:" k]; g = t["tcg:" k]
             for (m = 1; m <= 2; m++) {
                 mode = m == 1 ? "armkvm" : "isolated"; a = t[mode ":" k]
                 if (a > 0 && g > 0)
                     printf "figure: %s %s guest/native %.2f, guest/TCG speed-up %.1fx\n", mode, k, n / a, g / a
             }
         }
     }' "$figures"
}

for clock in ${*:-wall icount}; do
    case $clock in
    wall|icount) bench_boot "$clock" ;;
    *) die "usage: bench-linux.sh [wall] [icount]" ;;
    esac
done
