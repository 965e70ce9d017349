#!/usr/bin/python3
"""Boot our guest kernel (guest/linux, scripts/build-guest-kernel.sh) on
armkvm-virt under TCG to a busybox shell with MEM MiB of RAM, and check from
inside the guest: the kernel, the PL011 console, the CPU's physical timer
(the clock event device, as under armkvm, which gives the guest CNTP), the PL031
RTC, virtio-blk/net/console/rng, then PSCI power-off. Prints the kernel's
memory figures from the boot log.

usage: guest-kernel-tcg.py QEMU ZIMAGE INITRD WORKDIR [MEM [DEVICES]]
  DEVICES: "virtio" (default: blk, net, rng, serial) or "none" (the board's
  own devices only: what fits in the smallest RAM).
"""

import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "scripts"))
from console import Console  # noqa: E402

MARKER = b"armkvm-disk-marker-5c1e"


def main():
    qemu, kernel, initrd, work = sys.argv[1:5]
    mem = sys.argv[5] if len(sys.argv) > 5 else "64"
    virtio = (sys.argv[6] if len(sys.argv) > 6 else "virtio") == "virtio"
    os.makedirs(work, exist_ok=True)
    disk = os.path.join(work, "disk.img")
    with open(disk, "wb") as f:
        f.write(MARKER + b"\n")
        f.truncate(1 << 20)

    argv = [qemu, "-M", "armkvm-virt", "-m", mem, "-accel", "tcg",
            "-nographic", "-no-reboot", "-kernel", kernel, "-initrd", initrd,
            "-append", "console=ttyAMA0 earlycon"]
    if virtio:
        # One serial port: each port's receive queue is filled with pages.
        argv += ["-drive", "file=%s,format=raw,if=none,id=d0" % disk,
                 "-device", "virtio-blk-device,drive=d0",
                 "-netdev", "user,id=n0",
                 "-device", "virtio-net-device,netdev=n0",
                 "-device", "virtio-rng-device",
                 "-device", "virtio-serial-device,max_ports=1"]
    con = Console(argv, os.path.join(work, "console.log"))
    prompt = r"/ # "
    try:
        # The kernel's own account of its RAM, before user space starts.
        m = con.expect(r"Memory: (\d+)K/(\d+)K available \(([^)]*)\)", 60)
        print("figure: guest kernel, -m %s: Memory: %sK/%sK available (%s)"
              % (mem, m.group(1).decode(), m.group(2).decode(),
                 m.group(3).decode()))
        con.expect(r"armkvm-guest: ready", 60)
        con.expect(prompt, 30)

        def run(cmd, want, timeout=30):
            con.send(cmd)
            m = con.expect(want, timeout)
            con.expect(prompt, timeout)
            return m

        run("uname -a", r"Linux armkvm-guest 6\.1\.\d+-armkvm #1 .* armv7l")
        run("cat /proc/interrupts", r"uart-pl011")
        # Console: the PL011 is the kernel's console.
        run("cat /proc/consoles", r"ttyAMA0 .*EC")
        # Timer: the generic timer is the clock event device and ticks while
        # we sleep.
        run("cat /sys/devices/system/clockevents/clockevent0/current_device",
            r"arch_sys_timer")
        # A sleep takes its time, by the guest's clock and the host's (a
        # missing time syscall once made it return at once).
        h0 = time.monotonic()
        ticks = "awk '/arch_timer/ { n += $2 } END { print n }' /proc/interrupts"
        m = run("t0=$(" + ticks + "); "
                "u0=$(cut -d' ' -f1 /proc/uptime); sleep 1; "
                "u1=$(cut -d' ' -f1 /proc/uptime); "
                "t1=$(" + ticks + "); "
                "echo timer-ticks $((t1 - t0)) uptime $u0 $u1",
                r"timer-ticks ([1-9][0-9]*) uptime ([\d.]+) ([\d.]+)\r?\n")
        slept = float(m.group(3)) - float(m.group(2))
        if not 0.9 <= slept < 5 or time.monotonic() - h0 < 0.9:
            raise AssertionError("sleep 1 took %.2f s of guest uptime" % slept)
        # RTC: /dev/rtc0 reads within a day of the host's clock.
        m = run("hwclock -r -u -f /dev/rtc0 >/dev/null && "
                "cat /sys/class/rtc/rtc0/since_epoch", r"\n(\d{9,})\r?\n")
        if abs(int(m.group(1)) - time.time()) > 86400:
            raise AssertionError("RTC far from host time: %s" % m.group(1))
        if virtio:
            # virtio: block (read and write), network (DHCP), entropy, console.
            run("head -c %d /dev/vda; echo" % len(MARKER), MARKER.decode())
            run("echo written-by-guest > /tmp/w; dd if=/tmp/w of=/dev/vda "
                "bs=512 seek=8 conv=fsync 2>/dev/null; echo dd-rc=$?",
                r"dd-rc=0")
            run("ip link set eth0 up && udhcpc -i eth0 -n -q -s /bin/true "
                "2>&1 | grep -o 'lease of [0-9.]* obtained'",
                r"lease of 10\.0\.2\.15 obtained", 60)
            run("cat /sys/class/misc/hw_random/rng_current", r"virtio_rng")
            run("head -c 32 /dev/hwrng | wc -c", r"\n32\r?\n")
            run("ls /sys/bus/virtio/drivers/virtio_console | grep -c virtio",
                r"\n1\r?\n")
            run("ls /sys/bus/virtio/devices | wc -l", r"\n4\r?\n")
        con.send("sync; poweroff -f")
        con.expect(r"reboot: Power down", 30)
        rc = con.wait_exit(30)
        if rc != 0:
            raise AssertionError("QEMU exited with %d after poweroff" % rc)
    except Exception as e:
        print("FAIL: %s (console log: %s)" % (e, con.log.name))
        con.close()
        return 1
    con.close()
    with open(disk, "rb") as f:
        f.seek(8 * 512)
        if virtio and not f.read(16).startswith(b"written-by-guest"):
            print("FAIL: the guest's write did not reach the disk image")
            return 1
    with open(con.log.name, "rb") as f:
        if re.search(rb"(Oops|BUG:|WARNING:|Kernel panic)", f.read()):
            print("FAIL: the kernel complained (console log: %s)"
                  % con.log.name)
            return 1
    print("PASS: guest kernel booted on armkvm-virt with %s MiB%s (TCG)"
          % (mem, "" if virtio else ", no virtio devices"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
