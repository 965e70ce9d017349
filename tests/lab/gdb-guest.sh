# In the lab: QEMU's gdbstub on an armkvm guest (-s -S), driven by gdb-probe (gdb's remote
# protocol: stop reply, registers, memory, register and memory writes, a breakpoint, then
# continue to the guest's end, or interrupts of a spinning guest and kill, or breakpoints
# and single steps through every way code moves on), under -accel tcg (the oracle) and
# -accel armkvm in privileged and isolated mode: the probe's lines and the guest's output
# must be TCG's.
# usage: gdb-guest.sh HELLO.elf SPIN.elf STEPS.elf
status=0
run() {     # run ACCEL GUEST [interrupt]
    accel=$1 guest=$2 tag=$1-$(basename "$2" .elf)
    timeout 120 qemu-system-arm -accel "$accel" -M armkvm-virt,ram-base=0x40000000 -m 4 \
        -nographic -no-reboot -kernel "$guest" -s -S >/tmp/$tag.out 2>/tmp/$tag.err &
    qemu=$!
    timeout 100 ./gdb-probe 1234 "$guest" $3 >/tmp/$tag.probe
    echo "$tag: probe exit $?"
    wait $qemu
    echo "$tag: qemu exit $?"
    sed 's/^/  /' /tmp/$tag.probe
    grep -v -e 'speaks ABI version' -e 'Terminated via GDBstub' /tmp/$tag.err | sed 's/^/  stderr: /'
    cp /tmp/$tag.probe /tmp/$tag.same
    if [ "$accel" != tcg ]; then
        cmp -s /tmp/tcg-$(basename "$2" .elf).same /tmp/$tag.same &&
            echo "$tag: the probe saw what it saw under tcg" || status=1
        cmp -s /tmp/tcg-$(basename "$2" .elf).out /tmp/$tag.out &&
            echo "$tag: the guest's output is tcg's" || status=1
    fi
}
for accel in tcg armkvm,mode=privileged armkvm,mode=isolated; do
    run $accel "$1"
    run $accel "$2" interrupt
    run $accel "$3" step
done
head -n 1 /tmp/tcg-hello.out
host-health || status=1
exit $status
