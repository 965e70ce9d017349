#!/usr/bin/python3
"""Run a command (usually lab/run ...) and check what it printed.

usage: check-output.py [--status N] [--equals FILE] [--expect REGEX]... -- COMMAND...

--status N     the command must exit with N (default 0)
--equals FILE  its output must equal FILE's contents
--expect RE    each regex must match a line of the output, in the given order
"""

import argparse
import re
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser(usage=__doc__)
    ap.add_argument("--status", type=int, default=0)
    ap.add_argument("--equals")
    ap.add_argument("--expect", action="append", default=[])
    ap.add_argument("command", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    # Only the separator: the command's own "--" are its arguments.
    cmd = a.command[1:] if a.command[:1] == ["--"] else a.command
    r = subprocess.run(cmd, stdout=subprocess.PIPE, text=True,
                       errors="replace")
    out = r.stdout
    print(out, end="")
    ok = True
    if r.returncode != a.status:
        print("check: exit status %d, wanted %d" % (r.returncode, a.status))
        ok = False
    if a.equals:
        want = open(a.equals).read()
        if out != want:
            print("check: output differs from %s; wanted:\n%s" % (a.equals, want))
            ok = False
    lines = out.splitlines()
    pos = 0
    for pattern in a.expect:
        rx = re.compile(pattern)
        while pos < len(lines) and not rx.search(lines[pos]):
            pos += 1
        if pos == len(lines):
            print("check: no line matching %r (in order)" % pattern)
            ok = False
            break
        pos += 1
    print("check: %s" % ("PASS" if ok else "FAIL"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
