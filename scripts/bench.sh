#!/usr/bin/env bash
# The exit benchmark: guest CPU loop, MMIO exit, hypercall, SVC round trip and CP15 read
# costs under -accel tcg and -accel armkvm in privileged and isolated mode, and the CPU
# loop run natively, all in one lab boot; twice, on the wall clock and in a boot with
# -icount shift=0 (instruction time: the lab's clock counts instructions). Then the
# instructions each privileged-mode exit costs, counted by the guest's PMU. Prints
# figures (docs/benchmarks.md records them); it is not a test.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

cpu_n=${1:-20000000}
io_n=${2:-20000}
root=$(bash "$ARMKVM_TOP/scripts/armhf-sysroot.sh")
lab=$(bash "$ARMKVM_TOP/scripts/build-lab.sh")
out="$ARMKVM_BUILD/bench"
guest() { # NAME ITERATIONS DEFINES...
    local name=$1 n=$2
    shift 2
    arm-linux-gnueabihf-gcc -nostdlib -static -Wl,--build-id=none -Wl,-Ttext=0x40010000 \
        -Wl,-e,_start -I"$ARMKVM_TOP/guest/baremetal" "$@" -DITERATIONS="$n" \
        -o "$out/$name.elf" "$ARMKVM_TOP/guest/baremetal/bench.S"
}
rm -rf "$out" "$out-count"
mkdir -p "$out" "$out-count"
for kind in empty cpu mmio hvc svc trap; do
    def=
    [ "$kind" = empty ] || def=-DBENCH_$(echo "$kind" | tr a-z A-Z)
    n=$io_n
    [ "$kind" = cpu ] && n=$cpu_n
    guest "bench-$kind" "$n" $def
    case $kind in cpu|mmio|hvc) guest "../bench-count/count-$kind" 1000 $def -DBENCH_COUNT ;; esac
done
arm-linux-gnueabihf-gcc -static -O2 -o "$out/bench-native" "$ARMKVM_TOP/tests/lab/bench-native.c"
echo "$cpu_n" >"$out/cpu.n"
echo "$io_n" >"$out/io.n"
files=()
for f in "$out"/*; do files+=(--file "$f:$(basename "$f")"); done
for clock in wall icount; do
    echo "== $clock"
    ARMKVM_LAB_DIR=$lab "$ARMKVM_TOP/lab/run" $([ $clock = icount ] && echo --icount) \
        --timeout 1800 "${files[@]}" --file "$ARMKVM_TOP/tests/lab/bench.sh:bench.sh" -- sh bench.sh
done

# Instruction counts: a second boot of the board with exact counting.
files=()
for f in "$out-count"/*; do files+=(--file "$f:$(basename "$f")"); done
ARMKVM_LAB_DIR=$lab "$ARMKVM_TOP/lab/run" --icount --timeout 900 "${files[@]}" \
    --file "$ARMKVM_TOP/tests/lab/bench-count.sh:bench-count.sh" -- sh bench-count.sh
