# In the lab, booted with -icount (exact instruction counting): run each counting
# benchmark guest natively (mode=privileged: the guest programs the real PMU) and
# print the instructions one loop iteration costs, at every level and without PL0
# (guest + module + host kernel), and the difference (QEMU in user space).
for kind in cpu mmio hvc; do
    out=$(qemu-system-arm -M armkvm-virt,ram-base=0x40000000 -m 4 -nographic -no-reboot \
          -accel armkvm,mode=privileged -kernel count-$kind.elf 2>&1)
    set -- $(echo "$out" | sed -n 's/^count: *//p')
    if [ $# -ne 2 ]; then
        echo "count-$kind: no counts: $out"
        continue
    fi
    all=$(( 0x$1 / 1000 )); kernel=$(( 0x$2 / 1000 ))
    echo "figure: privileged: $kind loop: $all instructions per iteration" \
         "($kernel at PL1: guest, module, host kernel; $(( all - kernel )) in QEMU)"
done
echo "figure: native: the same loop bodies are 2 (cpu) and 3 (mmio: a load) instructions"
