# In the lab: time each benchmark guest under TCG and natively in both modes,
# and the CPU loop as a host program, in this one boot (booted with -icount
# shift=0, its clock counts instructions: 1 ns is one). Prints figures;
# asserts nothing.
now_ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }
run_ms() {
    t0=$(now_ms)
    "$@" >/dev/null 2>&1
    rc=$?
    echo $(( $(now_ms) - t0 ))
    return $rc
}
q() { qemu-system-arm -M armkvm-virt,ram-base=0x40000000 -m 4 -nographic -no-reboot -accel "$1" -kernel "$2"; }
cpu_n=$(cat cpu.n); io_n=$(cat io.n)
each() { # WHAT MS-OF-THE-RUN: ns per iteration, the start-up subtracted
    echo "figure: $accel: $1 $(( ($2 - base) * 1000000 / io_n )) ns each ($io_n)"
}
min3() { # COMMAND...: the least of three runs' ms (the first pays for cold caches)
    a=$(run_ms "$@"); b=$(run_ms "$@"); c=$(run_ms "$@")
    [ $b -lt $a ] && a=$b
    [ $c -lt $a ] && a=$c
    echo $a
}
for accel in tcg armkvm,mode=privileged armkvm,mode=isolated; do
    base=$(min3 q $accel bench-empty.elf)
    cpu=$(run_ms q $accel bench-cpu.elf)
    echo "figure: $accel: start-up and power-off $base ms"
    echo "figure: $accel: cpu loop ($cpu_n rounds) $((cpu - base)) ms"
    each "mmio exit" "$(run_ms q $accel bench-mmio.elf)"
    each "hypercall" "$(run_ms q $accel bench-hvc.elf)"
    each "svc to the guest's vector and back" "$(run_ms q $accel bench-svc.elf)"
    each "cp15 read (DACR)" "$(run_ms q $accel bench-trap.elf)"
    mode=${accel#*=}
    eval "cpu_${mode}=$((cpu - base))"
done
ratio() { echo $(( $1 * 100 / ($2 > 0 ? $2 : 1) )); }
native=$(run_ms ./bench-native $cpu_n)
echo "figure: native: cpu loop ($cpu_n rounds) $native ms"
for mode in privileged isolated; do
    eval "t=\$cpu_$mode"
    echo "figure: cpu loop ratio native/$mode: $(ratio $native $t)%"
    echo "figure: cpu loop speed-up $mode over TCG: $(( cpu_tcg * 10 / (t > 0 ? t : 1) ))/10 x"
done
