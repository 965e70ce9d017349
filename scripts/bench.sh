#!/usr/bin/env bash
# The privileged-mode benchmark: guest CPU loop, MMIO exit and hypercall costs under
# -accel armkvm,mode=privileged and -accel tcg, and the CPU loop run natively, all in one
# lab boot. Prints figures (docs/benchmarks.md records them); it is not a test.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

cpu_n=${1:-20000000}
io_n=${2:-20000}
root=$(bash "$ARMKVM_TOP/scripts/armhf-sysroot.sh")
lab=$(bash "$ARMKVM_TOP/scripts/build-lab.sh")
out="$ARMKVM_BUILD/bench"
mkdir -p "$out"
for kind in empty cpu mmio hvc; do
    def=
    [ "$kind" = empty ] || def=-DBENCH_$(echo "$kind" | tr a-z A-Z)
    n=$io_n
    [ "$kind" = cpu ] && n=$cpu_n
    arm-linux-gnueabihf-gcc -nostdlib -static -Wl,--build-id=none -Wl,-Ttext=0x40010000 \
        -Wl,-e,_start $def -DITERATIONS="$n" -o "$out/bench-$kind.elf" \
        "$ARMKVM_TOP/guest/baremetal/bench.S"
done
arm-linux-gnueabihf-gcc -static -O2 -o "$out/bench-native" "$ARMKVM_TOP/tests/lab/bench-native.c"
echo "$cpu_n" >"$out/cpu.n"
echo "$io_n" >"$out/io.n"
files=()
for f in "$out"/*; do files+=(--file "$f:$(basename "$f")"); done
ARMKVM_LAB_DIR=$lab "$ARMKVM_TOP/lab/run" --timeout 900 "${files[@]}" \
    --file "$ARMKVM_TOP/tests/lab/bench.sh:bench.sh" -- sh bench.sh
