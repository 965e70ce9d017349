# In the lab: the timer guest runs natively and powers off (-no-shutdown keeps
# QEMU up); then its vCPU's statistics are read over QMP as QOM properties, with
# query-stats (provider armkvm) and with HMP's info stats.
cpu=/machine/unattached/device[0]
{
    echo '{"execute":"qmp_capabilities"}'
    sleep 4
    for stat in world-switches exits-irq exits-mmio exits-hypercall \
                exceptions-delivered irqs-injected idle-waits guest-ns; do
        echo '{"execute":"qom-get","arguments":{"path":"'$cpu'","property":"armkvm-'$stat'"}}'
    done
    echo '{"execute":"query-stats","arguments":{"target":"vcpu","providers":[{"provider":"armkvm"}]}}'
    echo '{"execute":"query-stats-schemas","arguments":{"provider":"armkvm"}}'
    echo '{"execute":"human-monitor-command","arguments":{"command-line":"info stats vcpu"}}'
    echo '{"execute":"quit"}'
} | qemu-system-arm -M armkvm-virt,ram-base=0x40000000 -m 4 -display none -serial none -no-shutdown \
    -accel armkvm,mode=privileged -qmp stdio -kernel guest.elf 2>/dev/null >/tmp/qmp.out
echo "qemu: exit $?"
# One "return" per statistic, in order; the first is the capabilities' {}.
grep -o '"return": [0-9]*' /tmp/qmp.out | sed 's/"return": /stat /'
# query-stats: the same counters by name; the schema; HMP's rendering.
grep -o '"name": "[a-z-]*", "value": [0-9]*' /tmp/qmp.out |
    sed 's/"name": "\(.*\)", "value": /query-stats \1 /'
grep -o '"name": "guest-ns", "unit": "seconds", "base": 10, "exponent": -9' /tmp/qmp.out |
    sed 's/.*/schema: guest-ns in ns/'
grep -o 'world-switches (cumulative): [0-9]*' /tmp/qmp.out | sed 's/^/hmp: /'
