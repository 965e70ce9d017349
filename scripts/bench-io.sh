#!/usr/bin/env bash
# The I/O benchmark (figures, not a test): in one lab boot, block I/O on a RAM disk of the
# lab host (brd: the backing store costs next to nothing, so the figures are the cost of
# virtualization; sequential write and read, 1 MiB blocks, and 4 KiB random reads, all O_DIRECT:
# tests/lab/blkbench.c) and TCP over a tap device (stream both ways, one-byte
# request/response: tests/lab/tcpio.c), natively by the lab host on the same disk and over
# loopback, then by our Linux guest through virtio-blk (cache=none on that disk) and
# virtio-net under -accel armkvm (privileged mode) and under -accel tcg (less work: TCG is
# slow), and a third guest run that counts exits per phase (QMP statistics). Twice: on the
# lab's wall clock and with -icount shift=0 (time = instructions). Then the ratios.
#   bench-io.sh [--vhost]    (--vhost: the tap NIC through the lab kernel's vhost-net)
# BENCH_IO_RUNS (default "armkvm tcg stats") and BENCH_IO_CLOCKS ("wall icount") pick parts,
# BENCH_IO_SMP (default 1) the lab board's CPUs.
# docs/benchmarks.md records the results.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

vhost=
[ "${1:-}" = --vhost ] && vhost=,vhost=on
lab=$(bash "$ARMKVM_TOP/scripts/build-lab.sh")
kernel=$(bash "$ARMKVM_TOP/scripts/build-guest-kernel.sh")/zImage
out="$ARMKVM_BUILD/bench-io"
initrd=$(bash "$ARMKVM_TOP/scripts/build-linux-guest-initrd.sh" "$out")

cmd='
rmmod brd 2>/dev/null
insmod /lib/modules/brd.ko rd_nr=1 rd_size=131072 || exit 1
disk=/dev/ram0
fig() { sed "s/^/figure: native: $1 /"; }
blkbench write $disk 64 1024 | fig blk
blkbench read $disk 64 1024 | fig blk
blkbench randread $disk 64 2000 | fig blk
tcpio sink 7010 | fig tcp-loopback & sleep 0.5
tcpio source 127.0.0.1 7010 64; wait
tcpio echo 7011 & sleep 0.5
tcpio rr 127.0.0.1 7011 2000 | fig tcp; wait
for run in '"${BENCH_IO_RUNS:-armkvm tcg stats}"'; do
    accel=armkvm,mode=privileged qmp= scale=8
    [ $run = tcg ] && accel=tcg scale=1
    if [ $run = stats ]; then
        rm -f /tmp/qmp.in /tmp/qmp.out; mkfifo /tmp/qmp.in /tmp/qmp.out
        cat /tmp/qmp.out >/tmp/qmp.log &
        qmp="-chardev pipe,id=qmp,path=/tmp/qmp -mon chardev=qmp,mode=control"
    fi
    tcpio sink 7010 | sed "s/^/figure: $run: tcp-out /" &
    tcpio echo 7011 & echo_pid=$!
    qemu-system-arm -M armkvm-virt -m 64 -accel $accel -nographic -no-reboot -kernel zImage \
        -initrd initrd $qmp -append "console=ttyAMA0 quiet armkvm.test=bench-io armkvm.scale=$scale" \
        -drive file=$disk,format=raw,cache=none,aio=threads,if=none,id=d \
        -device virtio-blk-device,drive=d \
        -netdev tap,id=t,ifname=armkvm-tap0,script=no,downscript=no'"$vhost"' \
        -device virtio-net-device,netdev=t 2>/tmp/qemu.err |
    {
    [ -n "$qmp" ] && exec 3>/tmp/qmp.in && echo "{\"execute\":\"qmp_capabilities\"}" >&3
    while IFS= read -r line; do
        line=$(echo "$line" | tr -d "\r")
        case "$line" in
        "bench: phase "*)
            [ -n "$qmp" ] && echo "{\"execute\":\"human-monitor-command\",\"arguments\":{\"command-line\":\"info stats vcpu\"}}" >&3
            [ -n "$qmp" ] && echo "qmp-mark: ${line#bench: phase }"
            case "$line" in "bench: phase tcp-in"*)
                tcpio source 192.168.77.2 7012 $((scale * 8)) & ;;
            esac ;;
        figure:*) echo "$line" | sed "s/^figure: /figure: $run: /" ;;
        esac
        [ -e /sys/class/net/armkvm-tap0 ] && [ ! -e /tmp/tap-up ] &&
            ip addr add 192.168.77.1/24 dev armkvm-tap0 && ip link set armkvm-tap0 up && touch /tmp/tap-up
    done
    }
    rm -f /tmp/tap-up
    cat /tmp/qemu.err
    # The guest may power off before its FIN leaves QEMU: the echo server would wait forever.
    kill $echo_pid 2>/dev/null
    wait
done
[ ! -e /tmp/qmp.log ] || sed "s/^/qmp: /" /tmp/qmp.log'

bench_boot() { # wall or icount
    local clock=$1 lab_txt="$out/lab-$1.txt"
    ARMKVM_LAB_DIR=$lab "$ARMKVM_TOP/lab/run" $([ "$clock" = icount ] && echo --icount) \
        --smp "${BENCH_IO_SMP:-1}" \
        --timeout 2400 --file "$kernel:zImage" --file "$initrd:initrd" \
        -- "$cmd" >"$lab_txt" || { tail -30 "$lab_txt"; die "the lab run failed"; }
    echo "== $clock clock${vhost:+, vhost-net}"
    grep "^figure:" "$lab_txt" | grep -v "^figure: stats:" | tee "$out/figures-$clock.txt"
    /usr/bin/python3 "$ARMKVM_TOP/scripts/bench-io-report.py" "$lab_txt"
}
for clock in ${BENCH_IO_CLOCKS:-wall icount}; do
    bench_boot "$clock"
done
