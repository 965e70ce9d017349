#!/usr/bin/env bash
# The Linux guest benchmark (figures, not a test): in one lab boot, the time from QEMU's start
# to the guest's user space, and a CPU-bound, a syscall-bound and a fork-bound workload
# (tests/lab/guest-workload.c "bench") natively on the lab host, in our Linux guest under
# -accel armkvm (privileged mode) and under -accel tcg; then the ratios. docs/benchmarks.md
# records the results.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

lab=$(bash "$ARMKVM_TOP/scripts/build-lab.sh")
kernel=$(bash "$ARMKVM_TOP/scripts/build-guest-kernel.sh")/zImage
out="$ARMKVM_BUILD/bench-linux"
bash "$ARMKVM_TOP/scripts/build-linux-guest-initrd.sh" "$out" >/dev/null

ARMKVM_LAB_DIR=$lab "$ARMKVM_TOP/lab/run" --timeout 1800 --file "$kernel:zImage" \
    --file "$out/initrd.cpio.gz:initrd" --file "$out/workload:workload" -- '
now_ms() { awk "{ printf \"%d\n\", \$1 * 1000 }" /proc/uptime; }
./workload bench | sed "s/^figure: /figure: native: /"
for accel in armkvm,mode=privileged tcg; do
    t0=$(now_ms)
    qemu-system-arm -M armkvm-virt -m 64 -accel $accel -nographic -no-reboot -kernel zImage \
        -initrd initrd -append "console=ttyAMA0 quiet armkvm.test=bench" 2>/dev/null |
    while IFS= read -r line; do
        case "$line" in
        "armkvm-guest: ready"*) echo "figure: ${accel%%,*}: boot to user space $(( $(now_ms) - t0 )) ms" ;;
        figure:*) echo "$line" | tr -d "\r" | sed "s/^figure: /figure: ${accel%%,*}: /" ;;
        esac
    done
done' | tee "$out/figures.txt"

# Ratios: guest/native (higher is better: native time / guest time) and guest/TCG speed-up.
awk '/^figure: [a-z]+: workload/ { t[$2 $4] = $(NF - 1) }
     END {
         split("cpu: syscall: fork:", ws, " ")
         for (i = 1; i <= 3; i++) {
             k = ws[i]
             n = t["native:" k]; a = t["armkvm:" k]; g = t["tcg:" k]
             if (a > 0 && g > 0)
                 printf "figure: %s guest/native %.2f, guest/TCG speed-up %.1fx\n", k, n / a, g / a
         }
     }' "$out/figures.txt"
