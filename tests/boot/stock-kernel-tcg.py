#!/usr/bin/python3
"""Boot Debian's stock armmp kernel on armkvm-virt under TCG to a busybox shell
and check, from inside the guest, the console, timer, RTC, virtio-blk,
virtio-net, virtio-rng, a second CPU (PSCI CPU_ON) and PSCI power-off.

usage: stock-kernel-tcg.py QEMU KERNEL INITRD WORKDIR [ACCEL]
"""

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "scripts"))
from console import Console  # noqa: E402

MARKER = b"armkvm-disk-marker-7f3a"
# Timer interrupts on CPU 0: the generic timer's (arch_timer) and the SP804's.
TICKS = "awk '/timer/ { n += $2 } END { print n + 0 }' /proc/interrupts"


def main():
    qemu, kernel, initrd, work = sys.argv[1:5]
    accel = sys.argv[5] if len(sys.argv) > 5 else "tcg"
    os.makedirs(work, exist_ok=True)
    disk = os.path.join(work, "disk.img")
    with open(disk, "wb") as f:
        f.write(MARKER + b"\n")
        f.truncate(4 << 20)

    argv = [qemu, "-M", "armkvm-virt", "-m", "512", "-smp", "2", "-accel", accel,
            "-nographic", "-no-reboot", "-kernel", kernel, "-initrd", initrd,
            "-append", "console=ttyAMA0 quiet",
            "-drive", "file=%s,format=raw,if=none,id=d0" % disk,
            "-device", "virtio-blk-device,drive=d0",
            "-netdev", "user,id=n0", "-device", "virtio-net-device,netdev=n0",
            "-device", "virtio-rng-device"]
    con = Console(argv, os.path.join(work, "console.log"))
    prompt = r"/ # "
    try:
        con.expect(r"armkvm-guest: ready", 120)
        con.expect(prompt, 30)

        def run(cmd, want, timeout=30):
            con.send(cmd)
            m = con.expect(want, timeout)
            con.expect(prompt, timeout)
            return m

        run("uname -m", r"armv7l")
        # The second CPU came up through PSCI CPU_ON.
        run("grep -c ^processor /proc/cpuinfo", r"\n2\r?\n")
        # Timer: it ticks and sleep takes real time.
        run("grep -c . /proc/interrupts >/dev/null; "
            "t0=$(" + TICKS + "); sleep 1; t1=$(" + TICKS + "); "
            "echo timer-ticks $((t1 - t0))", r"timer-ticks ([1-9][0-9]*)")
        # RTC: within a day of the host's clock.
        m = run("cat /sys/class/rtc/rtc0/since_epoch", r"\n(\d{9,})\r?\n")
        if abs(int(m.group(1)) - time.time()) > 86400:
            raise AssertionError("RTC far from host time: %s" % m.group(1))
        run("head -c %d /dev/vda; echo" % len(MARKER), MARKER.decode())
        run("echo written-by-guest > /tmp/w; dd if=/tmp/w of=/dev/vda bs=512 "
            "seek=8 conv=fsync 2>/dev/null; echo dd-rc=$?", r"dd-rc=0")
        run("ip link set eth0 up && udhcpc -i eth0 -n -q -s /bin/true "
            "2>&1 | grep -o 'lease of [0-9.]* obtained'",
            r"lease of 10\.0\.2\.15 obtained", 60)
        run("head -c 32 /dev/hwrng | wc -c", r"\n32\r?\n")
        run("cat /sys/class/virtio-ports/*/name 2>/dev/null; "
            "ls /sys/bus/virtio/devices | wc -l", r"\n3\r?\n")
        con.send("poweroff -f")
        rc = con.wait_exit(60)
        if rc != 0:
            raise AssertionError("QEMU exited with %d after poweroff" % rc)
    except Exception as e:
        print("FAIL: %s (console log: %s)" % (e, con.log.name))
        con.close()
        return 1
    con.close()
    with open(disk, "rb") as f:
        f.seek(8 * 512)
        if not f.read(16).startswith(b"written-by-guest"):
            print("FAIL: the guest's write did not reach the disk image")
            return 1
    print("PASS: stock kernel booted on armkvm-virt (%s)" % accel)
    return 0


if __name__ == "__main__":
    sys.exit(main())
