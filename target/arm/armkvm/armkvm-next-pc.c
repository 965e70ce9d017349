/*
 * armkvm: where the guest's next instruction can be, for a debugger's single
 * step (docs/gdb.md). Natively the guest cannot be stopped after one
 * instruction (the host owns the debug registers), so accel/armkvm puts a
 * BKPT at every address this gives and lets the guest run: the target of a
 * branch or of any other write to pc that the A32 and T32 instruction sets
 * allow, evaluated from the registers and flags, or else the address after
 * the instruction. Exceptions are not predicted:
 * with a step under way, the module stops the guest at every exception entry
 * and after every instruction it completes itself.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bitops.h"
#include "qemu/host-utils.h"
#include "cpu.h"
#include "internals.h"
#include "target/arm/armkvm/armkvm-arm.h"

#define T_BIT 1u        /* in an address this returns: Thumb state there */

typedef struct NextPcs {
    CPUState *cs;
    CPUARMState *env;
    uint32_t pc;
    uint32_t *out;
    int n;
    bool writes_pc;     /* a target is known: no falling through */
    bool bad_read;
} NextPcs;

static void add(NextPcs *s, uint32_t addr, bool thumb)
{
    uint32_t a = thumb ? (addr & ~1u) | T_BIT : addr & ~3u;
    int i;

    s->writes_pc = true;
    for (i = 0; i < s->n; i++) {
        if (s->out[i] == a) {
            return;
        }
    }
    if (s->n < ARMKVM_MAX_NEXT_PCS) {
        s->out[s->n++] = a;
    }
}

/* A write of v to pc that interworks (BX; loads and ALU writes in ARMv7). */
static void add_bx(NextPcs *s, uint32_t v)
{
    add(s, v, v & 1);
}

/* len bytes (1, 2, 4) of guest memory at addr, little-endian; 0 if unreadable. */
static uint32_t read_mem(NextPcs *s, uint32_t addr, int len)
{
    uint8_t b[4];

    if (cpu_memory_rw_debug(s->cs, addr, b, len, false)) {
        s->bad_read = true;
        return 0;
    }
    return ldn_le_p(b, len);
}

static uint32_t read32(NextPcs *s, uint32_t addr)
{
    return read_mem(s, addr, 4);
}

static uint32_t read16(NextPcs *s, uint32_t addr)
{
    return read_mem(s, addr, 2);
}

static bool cond_passed(CPUARMState *env, unsigned cond)
{
    uint32_t psr = cpsr_read(env);
    bool n = psr & CPSR_N, z = psr & CPSR_Z, c = psr & CPSR_C, v = psr & CPSR_V;
    /* EQ, CS, MI, VS, HI, GE, GT; each odd condition negates the even one. */
    bool base[7] = { z, c, n, v, c && !z, n == v, !z && n == v };

    if (cond >= 0xe) {
        return true;            /* AL, and the unconditional space */
    }
    return (cond & 1) ? !base[cond >> 1] : base[cond >> 1];
}

/* The CPSR an exception return loads: the current mode's SPSR. */
static bool spsr_thumb(CPUARMState *env)
{
    return env->spsr & CPSR_T;
}

/* A32: a register as an instruction reads it (pc: the instruction's + 8). */
static uint32_t a32_reg(NextPcs *s, int r)
{
    return r == 15 ? s->pc + 8 : s->env->regs[r];
}

/* A32's shifter: v shifted by an immediate (imm) or a register's amount. */
static uint32_t a32_shift(uint32_t v, int type, int amount, bool imm, bool *c)
{
    if (imm && amount == 0) {
        if (type == 0) {
            return v;                                       /* LSL #0 */
        }
        if (type == 3) {                                    /* RRX */
            uint32_t r = (v >> 1) | ((uint32_t)*c << 31);

            *c = v & 1;
            return r;
        }
        amount = 32;                                        /* LSR, ASR #32 */
    }
    if (amount == 0) {
        return v;
    }
    switch (type) {
    case 0:
        *c = amount <= 32 ? (v >> (32 - amount)) & 1 : 0;
        return amount >= 32 ? 0 : v << amount;
    case 1:
        *c = amount <= 32 ? (v >> (amount - 1)) & 1 : 0;
        return amount >= 32 ? 0 : v >> amount;
    case 2:
        if (amount >= 32) {
            *c = v >> 31;
            return (int32_t)v >> 31;
        }
        *c = (v >> (amount - 1)) & 1;
        return (int32_t)v >> amount;
    default:
        v = ror32(v, amount & 31);
        *c = v >> 31;
        return v;
    }
}

/* A32 data processing with Rd = pc: the value it writes. */
static uint32_t a32_alu(NextPcs *s, uint32_t insn)
{
    bool c = s->env->CF;
    uint32_t op1 = a32_reg(s, (insn >> 16) & 0xf), op2;
    int rot;

    if (insn & (1 << 25)) {
        rot = ((insn >> 8) & 0xf) * 2;
        op2 = ror32(insn & 0xff, rot);
    } else if (insn & (1 << 4)) {
        op2 = a32_shift(a32_reg(s, insn & 0xf), (insn >> 5) & 3,
                        a32_reg(s, (insn >> 8) & 0xf) & 0xff, false, &c);
    } else {
        op2 = a32_shift(a32_reg(s, insn & 0xf), (insn >> 5) & 3,
                        (insn >> 7) & 0x1f, true, &c);
    }
    c = s->env->CF;     /* ADC, SBC, RSC take the flag, not the shifter's */
    switch ((insn >> 21) & 0xf) {
    case 0x0: return op1 & op2;
    case 0x1: return op1 ^ op2;
    case 0x2: return op1 - op2;
    case 0x3: return op2 - op1;
    case 0x4: return op1 + op2;
    case 0x5: return op1 + op2 + c;
    case 0x6: return op1 - op2 - !c;
    case 0x7: return op2 - op1 - !c;
    case 0xc: return op1 | op2;
    case 0xd: return op2;
    case 0xe: return op1 & ~op2;
    default:  return ~op2;
    }
}

static void a32_next(NextPcs *s, uint32_t insn)
{
    CPUARMState *env = s->env;
    uint32_t pc = s->pc, addr, off, v;
    unsigned cond = insn >> 28;
    int rn = (insn >> 16) & 0xf, rd = (insn >> 12) & 0xf, op, count;
    bool up = insn & (1 << 23), pre = insn & (1 << 24), c = env->CF;

    if (cond == 0xf) {
        if ((insn & 0x0e000000) == 0x0a000000) {            /* BLX imm */
            add(s, pc + 8 + (sextract32(insn, 0, 24) << 2) +
                ((insn >> 23) & 2), true);
        } else if ((insn & 0x0e50ffff) == 0x08100a00) {     /* RFE */
            addr = a32_reg(s, rn);
            addr = up ? (pre ? addr + 4 : addr) : (pre ? addr - 8 : addr - 4);
            v = read32(s, addr);
            add(s, v, read32(s, addr + 4) & CPSR_T);
        }
        return;
    }
    if (!cond_passed(env, cond)) {
        return;
    }
    if ((insn & 0x0e000000) == 0x0a000000) {                /* B, BL */
        add(s, pc + 8 + (sextract32(insn, 0, 24) << 2), false);
    } else if ((insn & 0x0ffffff0) == 0x012fff10 ||          /* BX */
               (insn & 0x0ffffff0) == 0x012fff20 ||          /* BXJ */
               (insn & 0x0ffffff0) == 0x012fff30) {          /* BLX reg */
        add_bx(s, a32_reg(s, insn & 0xf));
    } else if ((insn & 0x0c000000) == 0 && rd == 15) {
        op = (insn >> 21) & 0xf;
        if (!(insn & (1 << 25)) && (insn & 0x90) == 0x90) {
            return;     /* multiplies, extra loads/stores: UNPREDICTABLE */
        }
        if ((op >> 2) == 2) {
            return;     /* TST, TEQ, CMP, CMN; S clear: MRS, MSR, MOVW... */
        }
        v = a32_alu(s, insn);
        if (insn & (1 << 20)) {
            add(s, v, spsr_thumb(env));                     /* SUBS pc, lr... */
        } else {
            add_bx(s, v);
        }
    } else if ((insn & 0x0c500000) == 0x04100000 && rd == 15 &&
               (insn & 0x02000010) != 0x02000010) {          /* LDR pc */
        if (insn & (1 << 25)) {
            off = a32_shift(a32_reg(s, insn & 0xf), (insn >> 5) & 3,
                            (insn >> 7) & 0x1f, true, &c);
        } else {
            off = insn & 0xfff;
        }
        addr = rn == 15 ? (pc + 8) & ~3u : env->regs[rn];
        if (pre) {
            addr = up ? addr + off : addr - off;
        }
        add_bx(s, read32(s, addr));
    } else if ((insn & 0x0e108000) == 0x08108000) {          /* LDM with pc */
        count = ctpop32(insn & 0xffff);
        addr = env->regs[rn];
        if (up) {
            addr += 4 * (count - 1) + (pre ? 4 : 0);
        } else {
            addr -= pre ? 4 : 0;
        }
        v = read32(s, addr);
        if (insn & (1 << 22)) {
            add(s, v, spsr_thumb(env));         /* LDM ^: a return */
        } else {
            add_bx(s, v);
        }
    }
}

static uint32_t t32_reg(NextPcs *s, int r)
{
    return r == 15 ? s->pc + 4 : s->env->regs[r];
}

static void t16_next(NextPcs *s, uint32_t hw)
{
    CPUARMState *env = s->env;
    uint32_t pc = s->pc, addr;
    int rm = (hw >> 3) & 0xf, rdn = ((hw >> 4) & 8) | (hw & 7);

    if ((hw & 0xf000) == 0xd000 && ((hw >> 8) & 0xf) < 0xe) { /* B<c> */
        if (cond_passed(env, (hw >> 8) & 0xf)) {
            add(s, pc + 4 + (sextract32(hw, 0, 8) << 1), true);
        }
    } else if ((hw & 0xf800) == 0xe000) {                   /* B */
        add(s, pc + 4 + (sextract32(hw, 0, 11) << 1), true);
    } else if ((hw & 0xff00) == 0x4700) {                   /* BX, BLX reg */
        add_bx(s, t32_reg(s, rm));
    } else if ((hw & 0xff00) == 0x4400 && rdn == 15) {      /* ADD pc, Rm */
        add(s, pc + 4 + t32_reg(s, rm), true);
    } else if ((hw & 0xff00) == 0x4600 && rdn == 15) {      /* MOV pc, Rm */
        add(s, t32_reg(s, rm), true);
    } else if ((hw & 0xff00) == 0xbd00) {                   /* POP {..., pc} */
        addr = env->regs[13] + 4 * ctpop32(hw & 0xff);
        add_bx(s, read32(s, addr));
    } else if ((hw & 0xf500) == 0xb100) {                   /* CBZ, CBNZ */
        if ((env->regs[hw & 7] == 0) != !!(hw & 0x800)) {
            add(s, pc + 4 + (((hw >> 3) & 0x40) | ((hw >> 2) & 0x3e)), true);
        }
    }
}

static void t32_next(NextPcs *s, uint32_t hw1, uint32_t hw2)
{
    CPUARMState *env = s->env;
    uint32_t pc = s->pc, addr, off, s_bit = (hw1 >> 10) & 1, v;
    uint32_t j1 = (hw2 >> 13) & 1, j2 = (hw2 >> 11) & 1;
    int rn = hw1 & 0xf, rt = hw2 >> 12;

    if ((hw1 & 0xf800) == 0xf000 && (hw2 & 0xd000) == 0x8000 &&
        ((hw1 >> 6) & 0xf) < 0xe) {                         /* B<c>.W */
        if (cond_passed(env, (hw1 >> 6) & 0xf)) {
            off = sextract32(s_bit << 20 | j2 << 19 | j1 << 18 |
                             (hw1 & 0x3f) << 12 | (hw2 & 0x7ff) << 1, 0, 21);
            add(s, pc + 4 + off, true);
        }
    } else if ((hw1 & 0xf800) == 0xf000 && (hw2 & 0x9000) == 0x9000) {
        off = sextract32(s_bit << 24 | (!(j1 ^ s_bit)) << 23 |
                         (!(j2 ^ s_bit)) << 22 | (hw1 & 0x3ff) << 12 |
                         (hw2 & 0x7ff) << 1, 0, 25);
        add(s, pc + 4 + off, true);                         /* B.W, BL */
    } else if ((hw1 & 0xf800) == 0xf000 && (hw2 & 0xd001) == 0xc000) {
        off = sextract32(s_bit << 24 | (!(j1 ^ s_bit)) << 23 |
                         (!(j2 ^ s_bit)) << 22 | (hw1 & 0x3ff) << 12 |
                         (hw2 & 0x7ff) << 1, 0, 25);
        add(s, ((pc + 4) & ~3u) + off, false);              /* BLX imm */
    } else if (((hw1 & 0xffd0) == 0xe890 || (hw1 & 0xffd0) == 0xe910) &&
               (hw2 & 0x8000)) {                            /* LDMIA/DB with pc */
        addr = env->regs[rn];
        addr = (hw1 & 0x0100) ? addr - 4 : addr + 4 * (ctpop32(hw2) - 1);
        add_bx(s, read32(s, addr));
    } else if ((hw1 & 0xff7f) == 0xf85f && rt == 15) {      /* LDR pc, literal */
        addr = (pc + 4) & ~3u;
        addr = (hw1 & 0x80) ? addr + (hw2 & 0xfff) : addr - (hw2 & 0xfff);
        add_bx(s, read32(s, addr));
    } else if ((hw1 & 0xfff0) == 0xf8d0 && rt == 15) {      /* LDR pc, [Rn, #imm12] */
        add_bx(s, read32(s, env->regs[rn] + (hw2 & 0xfff)));
    } else if ((hw1 & 0xfff0) == 0xf850 && rt == 15) {
        addr = env->regs[rn];
        if (hw2 & 0x800) {                                  /* [Rn, #+/-imm8]{!} */
            if (hw2 & 0x400) {
                addr = (hw2 & 0x200) ? addr + (hw2 & 0xff) : addr - (hw2 & 0xff);
            }
        } else if ((hw2 & 0x0fc0) == 0) {                   /* [Rn, Rm, LSL #n] */
            addr += env->regs[hw2 & 0xf] << ((hw2 >> 4) & 3);
        }
        add_bx(s, read32(s, addr));
    } else if ((hw1 & 0xfff0) == 0xe8d0 && (hw2 & 0xffe0) == 0xf000) {
        addr = t32_reg(s, rn);                              /* TBB, TBH */
        if (hw2 & 0x10) {
            v = read16(s, addr + 2 * env->regs[hw2 & 0xf]);
        } else {
            v = read_mem(s, addr + env->regs[hw2 & 0xf], 1);
        }
        add(s, pc + 4 + 2 * v, true);
    } else if (hw1 == 0xf3de && (hw2 & 0xff00) == 0x8f00) { /* SUBS pc, lr, #imm */
        add(s, env->regs[14] - (hw2 & 0xff), spsr_thumb(env));
    } else if (((hw1 & 0xffd0) == 0xe810 || (hw1 & 0xffd0) == 0xe990) &&
               hw2 == 0xc000) {                             /* RFEDB, RFEIA */
        addr = env->regs[rn] - ((hw1 & 0x0100) ? 0 : 8);
        v = read32(s, addr);
        add(s, v, read32(s, addr + 4) & CPSR_T);
    }
}

/*
 * The next instruction, unless the instruction surely writes pc: a BKPT
 * there would overwrite what may be its data (TBB's table, LDR pc's word).
 */
static void fall_through(NextPcs *s, int len, bool thumb)
{
    if (!s->writes_pc || s->bad_read) {
        add(s, s->pc + len, thumb);
    }
}

int armkvm_arch_next_pcs(CPUState *cs, uint32_t *out)
{
    ARMCPU *cpu = ARM_CPU(cs);
    CPUARMState *env = &cpu->env;
    NextPcs s = { .cs = cs, .env = env, .pc = env->regs[15], .out = out };
    uint32_t hw1, hw2;
    bool wide;

    if (!env->thumb) {
        a32_next(&s, read32(&s, s.pc));
        fall_through(&s, 4, false);
        return s.bad_read ? -EFAULT : s.n;
    }
    hw1 = read16(&s, s.pc);
    wide = (hw1 >> 11) >= 0x1d;
    /* In an IT block an instruction whose condition fails does nothing. */
    if (!(env->condexec_bits & 0xf) || cond_passed(env, env->condexec_bits >> 4)) {
        if (wide) {
            hw2 = read16(&s, s.pc + 2);
            t32_next(&s, hw1, hw2);
        } else {
            t16_next(&s, hw1);
        }
    }
    fall_through(&s, wide ? 4 : 2, true);
    return s.bad_read ? -EFAULT : s.n;
}
