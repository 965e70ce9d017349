# In the lab: the timer guest runs natively and powers off (-no-shutdown keeps
# QEMU up); then its vCPU's statistics are read over QMP as QOM properties.
cpu=/machine/unattached/device[0]
{
    echo '{"execute":"qmp_capabilities"}'
    sleep 4
    for stat in world-switches exits-irq exits-mmio exits-hypercall \
                exceptions-delivered irqs-injected idle-waits guest-ns; do
        echo '{"execute":"qom-get","arguments":{"path":"'$cpu'","property":"armkvm-'$stat'"}}'
    done
    echo '{"execute":"quit"}'
} | qemu-system-arm -M armkvm-virt -m 4 -display none -serial none -no-shutdown \
    -accel armkvm,mode=privileged -qmp stdio -kernel guest.elf 2>/dev/null >/tmp/qmp.out
echo "qemu: exit $?"
# One "return" per statistic, in order; the first is the capabilities' {}.
grep -o '"return": [0-9]*' /tmp/qmp.out | sed 's/"return": /stat /'
