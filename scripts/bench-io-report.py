#!/usr/bin/python3
"""Ratios and exit counts from one scripts/bench-io.sh lab run (its output file).

Figures are lines "figure: RUN: KIND NAME: ..." (RUN native, armkvm or tcg; native's TCP
stream runs over loopback and stands for both directions). Rates
(MiB/s, IOPS) are compared as guest/native and guest/TCG; the request/response
latency (us each) as native/guest and TCG/guest, so that higher is better in every
ratio. The "stats" run's QMP answers, one per "qmp-mark: PHASE AMOUNT UNIT" line,
give the exits of each phase per MiB or per request.
"""
import re
import sys

TARGETS = {"seq-write": 0.9, "seq-read": 0.9, "rand-read": 0.7,
           "tcp-out": 0.9, "tcp-in": 0.9, "tcp-rr": 0.7}


def figures(lines):
    """{(run, phase): (value, higher_is_better)}"""
    out = {}
    for line in lines:
        m = re.match(r"figure: (\w+): (\S+) (\w+): (.*)", line)
        if not m:
            continue
        run, kind, name, rest = m.groups()
        if name == "write":
            phase = "seq-write"
        elif name == "read":
            phase = "seq-read"
        elif name == "randread":
            phase = "rand-read"
        elif name in ("sink", "drain"):
            phase = kind                # tcp-in or tcp-out
        elif name == "rr":
            phase = "tcp-rr"
        else:
            continue
        if phase == "rand-read":
            value, better = float(re.search(r"([\d.]+) IOPS", rest).group(1)), True
        elif phase == "tcp-rr":
            value, better = float(re.search(r"([\d.]+) us each", rest).group(1)), False
        else:
            value, better = float(re.search(r"([\d.]+) MiB/s", rest).group(1)), True
        if kind == "tcp-loopback":      # native: one stream over loopback, both ways
            out[(run, "tcp-in")] = out[(run, "tcp-out")] = (value, better)
        else:
            out[(run, phase)] = (value, better)
    return out


def exits(lines):
    marks = [l.split(" ", 1)[1].split() for l in lines if l.startswith("qmp-mark: ")]
    snaps = []
    for line in lines:
        if line.startswith("qmp: ") and "provider: armkvm" in line:
            text = line[5:].replace("\\r\\n", "\n")
            snaps.append({k: int(v) for k, v in
                          re.findall(r"([a-z-]+)[^:\n]*: (\d+)", text)})
    for mark, a, b in zip(marks, snaps, snaps[1:]):
        phase, amount, unit = mark[0], int(mark[1]), mark[2]
        keys = [k for k in b if b[k] != a.get(k, 0)]
        per = ", ".join("%s %.1f" % (k, (b[k] - a.get(k, 0)) / amount) if k != "guest-ns"
                        else "guest-us %.0f" % ((b[k] - a[k]) / amount / 1000) for k in keys)
        print("figure: armkvm: %s exits per %s: %s"
              % (phase, unit.rstrip("s"), per or "none"))


def main():
    lines = [l.rstrip("\n") for l in open(sys.argv[1])]
    f = figures(lines)
    for phase, target in TARGETS.items():
        n, a, t = (f.get((r, phase)) for r in ("native", "armkvm", "tcg"))
        if not (n and a):
            print("figure: %s: missing" % phase)
            continue
        better = a[1]
        vs_native = a[0] / n[0] if better else n[0] / a[0]
        vs_tcg = (a[0] / t[0] if better else t[0] / a[0]) if t else float("nan")
        verdict = "met" if vs_native >= target and vs_tcg >= 10 else "missed"
        print("figure: %s guest/native %.2f (target %.1f), guest/TCG %.1fx (target 10x): %s"
              % (phase, vs_native, target, vs_tcg, verdict))
    exits(lines)


main()
