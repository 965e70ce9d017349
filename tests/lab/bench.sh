# In the lab: time each benchmark guest under TCG and natively, and the CPU loop
# as a host program, in this one boot. Prints figures; asserts nothing.
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
for accel in tcg armkvm,mode=privileged; do
    base=$(run_ms q $accel bench-empty.elf)
    cpu=$(run_ms q $accel bench-cpu.elf)
    mmio=$(run_ms q $accel bench-mmio.elf)
    hvc=$(run_ms q $accel bench-hvc.elf)
    echo "figure: $accel: start-up and power-off $base ms"
    echo "figure: $accel: cpu loop ($cpu_n rounds) $((cpu - base)) ms"
    echo "figure: $accel: mmio exit $(( (mmio - base) * 1000000 / io_n )) ns each ($io_n reads)"
    echo "figure: $accel: hypercall $(( (hvc - base) * 1000000 / io_n )) ns each ($io_n calls)"
    eval "cpu_${accel%%,*}=$((cpu - base))"
done
native=$(run_ms ./bench-native $cpu_n)
echo "figure: native: cpu loop ($cpu_n rounds) $native ms"
echo "figure: cpu loop ratio native/privileged: $(( native * 100 / (cpu_armkvm > 0 ? cpu_armkvm : 1) ))%"
echo "figure: cpu loop speed-up privileged over TCG: $(( cpu_tcg * 10 / (cpu_armkvm > 0 ? cpu_armkvm : 1) ))/10 x"
