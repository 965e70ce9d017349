#!/usr/bin/python3
"""Turn tbprof.so's block counts into a profile by function.

usage: report.py KERNEL_SYMBOLS LAB_OUTPUT BLOCKS [TOP]

KERNEL_SYMBOLS: the lab kernel's text symbols as /proc/kallsyms lists them;
LAB_OUTPUT: the lab command's output, with armkvm's lines of /proc/kallsyms
between "armkvm-symbols-begin" and "armkvm-symbols-end"; BLOCKS: tbprof.so's
file.
Prints the functions that ran the most instructions, privileged and user
mode apart (user mode at kernel addresses is an isolated guest's kernel).
"""
import bisect
import collections
import sys


def load_symbols(kernel_symbols, lab_output):
    syms = []
    with open(kernel_symbols) as f:
        for line in f:
            p = line.split()
            if len(p) >= 3 and p[1] in "tT":
                syms.append((int(p[0], 16), p[2]))
    inside = False
    with open(lab_output, errors="replace") as f:
        for line in f:
            if line.startswith("armkvm-symbols-begin"):
                inside = True
            elif line.startswith("armkvm-symbols-end"):
                inside = False
            elif inside:
                p = line.split()
                if len(p) >= 3 and p[1] in "tT":
                    syms.append((int(p[0], 16), " ".join(p[2:])))
    syms.sort()
    return [a for a, _ in syms], [n for _, n in syms]


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    addrs, names = load_symbols(sys.argv[1], sys.argv[2])
    top = int(sys.argv[4]) if len(sys.argv) > 4 else 40
    by_fn = collections.Counter()
    execs = collections.Counter()
    total = 0
    with open(sys.argv[3]) as f:
        for line in f:
            if line.startswith("#"):
                total = int(line.split()[2])
                continue
            insns, n, vaddr, mode = line.split()
            va = int(vaddr, 16)
            i = bisect.bisect_right(addrs, va) - 1
            fn = names[i] if i >= 0 and va >= 0xbf000000 else "(below the kernel)"
            if mode == "usr":
                fn = "usr " + ("(user addresses)" if va < 0xbf000000 else
                               "(a guest kernel at %08x)" % (va & ~0xfff))
            by_fn[fn] += int(insns)
            execs[fn] += int(n)
    listed = sum(by_fn.values())
    print("profile: %d instructions in all, %d in the blocks listed" % (total, listed))
    for fn, n in by_fn.most_common(top):
        print("%6.2f%% %12d %10d  %s" % (100.0 * n / max(total, 1), n, execs[fn], fn))


if __name__ == "__main__":
    main()
