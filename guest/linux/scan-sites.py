#!/usr/bin/env python3
"""Find the guest kernel's sensitive instructions that are not recorded sites.

usage: scan-sites.py [--allow FILE] VMLINUX [DECOMPRESSOR-ELF]
       scan-sites.py --self-test

In armkvm's isolated mode the guest kernel runs in the CPU's user mode,
where some instructions do something else without trapping
(docs/isolated-mode.md, section 1.2): CPS, MRS and MSR of CPSR and SPSR, the
exception returns, LDM and STM of the user registers, SRS and RFE, and the
unprivileged loads and stores. The kernel records each one it runs in
isolated mode as a site (.armkvm.sites, guest patch 0008) and rewrites it at
boot; an instruction that is neither a site nor the copy in a site's stub
(.armkvm.stubs) must be one of the checked, harmless ones the allow file
lists by function; every site must hold one (a paravirtual operation's site,
the instruction it stands in for), and no stub's copy may read pc (it runs
away from the site). This reads every code region of the ELF files (their $a
mapping symbols: literal pools are $d) and prints the sensitive
instructions by class and where they are. Exit status 1 if one is neither a
site nor allowed, or if the allow file names a function where none is.
"""

import argparse
import struct
import sys
from collections import Counter, defaultdict

# Site kinds (asm/armkvm-sites.h) and the stubs' trap (UDF #0xb000).
SITE_KINDS = {0: "trap", 1: "stub", 2: "irq-disable", 3: "irq-enable",
              4: "irq-save", 5: "irq-restore", 6: "ret-user", 7: "skip",
              8: "entry-tpidruro", 9: "ptw-clean"}
# A paravirtual site holds what it stands in for, not a sensitive instruction
# (mask, value): the return to user space, its TLS write (mcr p15, 0, r1, c13,
# c0, 3); a skipped sequence, its SCTLR read (mrc p15, 0, rN, c1, c0, 0);
# the entry's TPIDRURO write (mcr p15, 0, rN, c13, c0, 3); a clean of page
# tables for the hardware walker (mcr p15, 0, rN, c7, c10, 1) or the branch
# into such a loop (B).
PV_SITE_INSN = {6: [(0xffffffff, 0xee0d1f70)], 7: [(0xffff0fff, 0xee110f10)],
                8: [(0xffff0fff, 0xee0d0f70)],
                9: [(0xffff0fff, 0xee070f3a), (0xff000000, 0xea000000)]}
UDF_STUB = 0xe7fb00f0


def classify(w):
    """The section 1.2 class of an A32 instruction word, or None."""
    cond = w >> 28
    if cond == 0xf:
        if (w & 0xfff10020) == 0xf1000000:
            return "cps"
        if (w & 0xfe50ffff) == 0xf8100a00:
            return "rfe"
        if (w & 0xfe5fffe0) == 0xf84d0500:
            return "srs"
        return None
    if (w & 0x0fbf0fff) == 0x010f0000:
        return "mrs-spsr" if w & (1 << 22) else "mrs-cpsr"
    if (w & 0x0fb00eff) == 0x01000200:
        return "mrs-banked"
    if (w & 0x0fb0fff0) == 0x0120f000 or \
       ((w & 0x0fb0f000) == 0x0320f000 and (w & 0x000f0000)):
        if w & (1 << 22):
            return "msr-spsr"
        # CPSR_f and CPSR_s (flags, GE) are the same at PL0: only c and x matter.
        return "msr-cpsr" if w & 0x00030000 else None
    if (w & 0x0fb0fff0) == 0x0120f200:
        return "msr-banked"
    if (w & 0x0e400000) == 0x08400000:
        if (w & (1 << 20)) and (w & (1 << 15)):
            return "ldm-exception-return"
        return "ldm-stm-user"
    if (w & 0x0c10f000) == 0x0010f000 and \
       not ((w & 0x02000000) == 0 and (w & 0x90) == 0x90):
        return "data-processing-s-pc"
    # LDRT and kin: P = 0, W = 1 (a register offset has bit 4 clear: else a media instruction).
    if (w & 0x0d200000) == 0x04200000 and (w & 0x02000010) != 0x02000010:
        return "ldrt-strt"
    if (w & 0x0f200090) == 0x00200090 and (w & 0x60):
        return "ldrt-strt"
    return None


SELF_TEST = [
    (0xf10c0080, "cps"),                  # cpsid i
    (0xf1080080, "cps"),                  # cpsie i
    (0xf1020013, "cps"),                  # cps #0x13
    (0xe10f0000, "mrs-cpsr"),             # mrs r0, cpsr
    (0xe14f1000, "mrs-spsr"),             # mrs r1, spsr
    (0xe121f000, "msr-cpsr"),             # msr cpsr_c, r0
    (0xe128f000, None),                   # msr cpsr_f, r0 (APSR_nzcvq)
    (0xe321f0d3, "msr-cpsr"),             # msr cpsr_c, #0xd3
    (0xe16ff000, "msr-spsr"),             # msr spsr_cxsf, r0
    (0xe320f003, None),                   # wfi
    (0xe320f000, None),                   # nop
    (0xe8dd7fff, "ldm-stm-user"),         # ldm sp, {r0-lr}^
    (0xe8cd7fff, "ldm-stm-user"),         # stmia sp, {r0-lr}^
    (0xe8fd8000, "ldm-exception-return"),  # ldm sp!, {pc}^
    (0xe25ef004, "data-processing-s-pc"),  # subs pc, lr, #4
    (0xe1b0f00e, "data-processing-s-pc"),  # movs pc, lr
    (0xe1a0f00e, None),                   # mov pc, lr
    (0xe0d0f0b2, None),                   # ldrh pc, [r0], #2: no S bit, extra load
    (0xf89d0a00, "rfe"),                  # rfeia sp
    (0xf96d0513, "srs"),                  # srsdb sp!, #0x13
    (0xe4b01004, "ldrt-strt"),            # ldrt r1, [r0], #4
    (0xe4e01001, "ldrt-strt"),            # strbt r1, [r0], #1
    (0xe0f010b2, "ldrt-strt"),            # ldrht r1, [r0], #2
    (0xe0b010b2, "ldrt-strt"),            # ldrht r1, [r0], r2
    (0xe0d010b2, None),                   # ldrh r1, [r0], #2 (post-indexed, W=0)
    (0xe5901004, None),                   # ldr r1, [r0, #4]
    (0xe6ef1071, None),                   # uxtb r1, r1
    (0xe6b01002, "ldrt-strt"),            # ldrt r1, [r0], r2
    (0xef000000, None),                   # svc #0
    (0xe1400070, None),                   # hvc #0
    (0xee110f10, None),                   # mrc p15, 0, r0, c1, c0, 0
    (0xe7fb00f0, None),                   # udf #0xb000
]


class Elf32:
    """The parts of a little-endian ELF32 file this needs."""

    def __init__(self, path):
        with open(path, "rb") as f:
            self.data = f.read()
        d = self.data
        if d[:4] != b"\x7fELF" or d[4] != 1 or d[5] != 1:
            raise SystemExit("%s: not a little-endian ELF32 file" % path)
        shoff, = struct.unpack_from("<I", d, 0x20)
        shentsize, shnum, shstrndx = struct.unpack_from("<HHH", d, 0x2e)
        self.sections = []
        for i in range(shnum):
            name, stype, flags, addr, off, size, link, _, _, entsize = \
                struct.unpack_from("<10I", d, shoff + i * shentsize)
            self.sections.append(dict(name=name, type=stype, flags=flags, addr=addr,
                                      off=off, size=size, link=link, entsize=entsize))
        strtab = self.sections[shstrndx]
        for s in self.sections:
            s["name"] = self._str(strtab, s["name"])
        self.symbols = []
        for s in self.sections:
            if s["type"] != 2:      # SHT_SYMTAB
                continue
            names = self.sections[s["link"]]
            for off in range(s["off"], s["off"] + s["size"], 16):
                name, value, size, info, _, shndx = struct.unpack_from("<IIIBBH", d, off)
                self.symbols.append((self._str(names, name), value, size, info & 0xf, shndx))

    def _str(self, sec, off):
        start = sec["off"] + off
        return self.data[start:self.data.index(b"\0", start)].decode()

    def section(self, name):
        for s in self.sections:
            if s["name"] == name:
                return s
        return None

    def word_at(self, addr):
        """The word at addr in the executable section that holds it, or None."""
        for s in self.sections:
            if s["flags"] & 0x4 and s["type"] == 1 and s["addr"] <= addr < s["addr"] + s["size"]:
                return struct.unpack_from("<I", self.data, s["off"] + addr - s["addr"])[0]
        return None

    def words(self, sec, addr, end):
        base = sec["off"] + addr - sec["addr"]
        return struct.unpack_from("<%dI" % ((end - addr) // 4), self.data, base)


def code_ranges(elf, index, sec):
    """[start, end) of each $a region of an executable section."""
    marks = sorted((v & ~1, n[:2]) for n, v, _, _, shndx in elf.symbols
                   if shndx == index and n[:2] in ("$a", "$d", "$t"))
    ranges = []
    for i, (start, kind) in enumerate(marks):
        end = marks[i + 1][0] if i + 1 < len(marks) else sec["addr"] + sec["size"]
        if kind == "$a" and end > start:
            ranges.append((start, end))
    return ranges


def functions_of(elf, index):
    # At one address a function (STT_FUNC) wins over a label (the end of the one before).
    funcs = sorted((v, typ == 2, n) for n, v, _, typ, shndx in elf.symbols
                   if shndx == index and typ in (0, 2) and n and not n.startswith("$")
                   and not n.startswith(".L"))
    return [(v, n) for v, _, n in funcs]


def owner(funcs, addr):
    """The nearest symbol at or before addr, as name+offset."""
    lo, hi = 0, len(funcs)
    while lo < hi:
        mid = (lo + hi) // 2
        if funcs[mid][0] <= addr:
            lo = mid + 1
        else:
            hi = mid
    if lo == 0:
        return "?", addr
    return funcs[lo - 1][1], addr - funcs[lo - 1][0]


def read_sites(elf):
    # vmlinux.lds.S gathers the objects' .armkvm.sites into .init.armkvm_sites.
    sec = elf.section(".init.armkvm_sites") or elf.section(".armkvm.sites")
    if sec is None:
        return {}, set()
    sites, stubs = {}, set()
    for off in range(sec["off"], sec["off"] + sec["size"], 12):
        addr, stub, kind = struct.unpack_from("<III", elf.data, off)
        sites[addr] = kind & 0xff     # bits 8 and up: the operation's operands
        if stub:
            stubs.add(stub + 4)     # the original, after the stub's UDF
    return sites, stubs


def scan(path, allowed, report):
    elf = Elf32(path)
    sites, stub_copies = read_sites(elf)
    unrecorded = []
    allowed_hits = Counter()
    site_hits = 0
    by_class = Counter()
    for index, sec in enumerate(elf.sections):
        if not sec["flags"] & 0x4 or sec["type"] != 1:     # SHF_EXECINSTR, PROGBITS
            continue
        funcs = functions_of(elf, index)
        for start, end in code_ranges(elf, index, sec):
            for i, w in enumerate(elf.words(sec, start, end)):
                cls = classify(w)
                if cls is None:
                    continue
                addr = start + 4 * i
                by_class[cls] += 1
                name, off = owner(funcs, addr)
                if addr in sites or addr in stub_copies:
                    site_hits += 1
                elif (name, cls) in allowed:
                    allowed_hits[(name, cls)] += 1
                else:
                    unrecorded.append((addr, w, cls, name, off, sec["name"]))
    report("%s: %d sensitive instructions (%s): %d at sites or in their stubs, "
           "%d allowed, %d unrecorded" %
           (path.rsplit("/", 1)[-1], sum(by_class.values()),
            ", ".join("%s %d" % kv for kv in sorted(by_class.items())),
            site_hits, sum(allowed_hits.values()), len(unrecorded)))
    # Each site must hold what its kind rewrites: a sensitive instruction; a stub's copy
    # runs away from the site, so it must not read pc (Rn, or Rm of a register form).
    for addr in sorted(sites):
        w = elf.word_at(addr)
        if sites[addr] in PV_SITE_INSN:
            if w is None or not any(w & mask == value
                                    for mask, value in PV_SITE_INSN[sites[addr]]):
                unrecorded.append((addr, w or 0, "pv-site-unexpected", "?", 0, "sites"))
        elif w is None or classify(w) is None:
            unrecorded.append((addr, w or 0, "site-not-sensitive", "?", 0, "sites"))
    for addr in sorted(stub_copies):
        w = elf.word_at(addr) or 0
        if (w >> 16) & 0xf == 15 or (not w & 0x02000000 and w & 0xf == 15 and
                                     (w & 0x0c000000) == 0):
            unrecorded.append((addr, w, "stub-reads-pc", "?", 0, "stubs"))
    for addr, w, cls, name, off, secname in unrecorded:
        what = ("bad site" if cls in ("site-not-sensitive", "stub-reads-pc", "pv-site-unexpected")
                else "unrecorded")
        report("  %s: 0x%08x %08x %s in %s+0x%x (%s)" % (what, addr, w, cls, name, off, secname))
    if sites:
        report("%s: %d sites recorded (%s)" %
               (path.rsplit("/", 1)[-1], len(sites),
                ", ".join("%s %d" % (SITE_KINDS.get(k, str(k)), n)
                          for k, n in sorted(Counter(sites.values()).items()))))
    return unrecorded, allowed_hits


def read_allow(path):
    """Lines 'FUNCTION CLASS  # why'; returns {(function, class): why}."""
    allowed = {}
    with open(path) as f:
        for line in f:
            body, _, why = line.partition("#")
            fields = body.split()
            if not fields:
                continue
            if len(fields) != 2 or not why.strip():
                raise SystemExit("%s: want 'FUNCTION CLASS  # why': %s" % (path, line.strip()))
            allowed[(fields[0], fields[1])] = why.strip()
    return allowed


def self_test():
    bad = 0
    for w, want in SELF_TEST:
        got = classify(w)
        if got != want:
            print("self-test: %08x: %s, wanted %s" % (w, got, want))
            bad += 1
    print("self-test: %d encodings, %d wrong" % (len(SELF_TEST), bad))
    return 1 if bad else 0


def main():
    ap = argparse.ArgumentParser(usage=__doc__)
    ap.add_argument("--allow")
    ap.add_argument("--self-test", action="store_true")
    ap.add_argument("elf", nargs="*")
    a = ap.parse_args()
    if a.self_test:
        return self_test()
    if not a.elf:
        ap.error("no ELF file")
    allowed = read_allow(a.allow) if a.allow else {}
    status = 0
    hits = Counter()
    for path in a.elf:
        unrecorded, allowed_hits = scan(path, allowed, print)
        hits.update(allowed_hits)
        status |= bool(unrecorded)
    for key in sorted(allowed):
        print("allowed: %s %s: %d (%s)" % (key[0], key[1], hits[key], allowed[key]))
        if not hits[key]:
            print("  stale: no %s in %s" % (key[1], key[0]))
            status = 1
    print("scan: %s" % ("every sensitive instruction a site or allowed" if not status
                        else "FAIL"))
    return status


if __name__ == "__main__":
    sys.exit(main())
