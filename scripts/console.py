#!/usr/bin/python3
"""Drive a program's console like a person would: wait for text, type a line.

Used by the boot tests and the lab runner. Everything the program prints is
copied to a log file so a failure can be read afterwards.
"""

import ctypes
import os
import re
import select
import signal
import subprocess
import time

PR_SET_PDEATHSIG = 1


def _die_with_parent():
    """In the child: be killed when the process that started us dies, however."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


class ConsoleTimeout(Exception):
    pass


class Console:
    def __init__(self, argv, log_path, env=None, echo=None):
        self.log = open(log_path, "wb")
        self.echo = echo
        self.buf = b""
        # A new session: killing the group leaves no process behind; and if
        # we are killed before we can, the child dies with us.
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT,
                                     env=env, start_new_session=True,
                                     preexec_fn=_die_with_parent)
        os.set_blocking(self.proc.stdout.fileno(), False)

    def _read(self, deadline):
        timeout = max(0.0, deadline - time.monotonic())
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not ready:
            return False
        data = self.proc.stdout.read()
        if not data:
            return None
        self.log.write(data)
        self.log.flush()
        if self.echo:
            self.echo.write(data.decode(errors="replace"))
            self.echo.flush()
        self.buf += data
        return True

    def expect(self, pattern, timeout):
        """Wait for a regex; return its match and drop the text up to it."""
        regex = re.compile(pattern.encode() if isinstance(pattern, str)
                           else pattern)
        deadline = time.monotonic() + timeout
        while True:
            m = regex.search(self.buf)
            if m:
                self.buf = self.buf[m.end():]
                return m
            got = self._read(deadline)
            if got is None:
                raise ConsoleTimeout("output ended before %r" % pattern)
            if got is False and time.monotonic() >= deadline:
                raise ConsoleTimeout("no %r within %ds" % (pattern, timeout))

    def send(self, line):
        self.proc.stdin.write(line.encode() + b"\n")
        self.proc.stdin.flush()

    def wait_exit(self, timeout):
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None:
            if self._read(deadline) is False and time.monotonic() >= deadline:
                raise ConsoleTimeout("did not exit within %ds" % timeout)
        while self._read(time.monotonic()):
            pass
        return self.proc.returncode

    def close(self, grace=0):
        """Kill the process group; with grace, SIGTERM first and up to that many
        seconds for a clean exit (QEMU then runs its plugins' exit callbacks)."""
        if self.proc.poll() is None:
            try:
                if grace:
                    os.killpg(self.proc.pid, signal.SIGTERM)
                    try:
                        self.proc.wait(grace)
                    except subprocess.TimeoutExpired:
                        pass
                if self.proc.poll() is None:
                    os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait()
        self.log.close()
