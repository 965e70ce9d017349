// SPDX-License-Identifier: GPL-2.0
/*
 * armkvm host module: isolated mode's replacement encodings. At the CPU's
 * user mode CPS and MSR to the mode and mask bits do nothing, MRS reads the
 * real CPSR, and MRS/MSR of SPSR and exception returns are UNPREDICTABLE: a
 * guest kernel replaces each such instruction with a permanently undefined
 * one (UDF, imm16 0xA000-0xAFFF) that carries its operands, and the module
 * does the original on the virtual CPU (docs/isolated-mode.md, "Format I"):
 *
 *   imm16[11:9]  operation                     imm16[8:0]
 *   0            MRS Rd, CPSR / SPSR           [4] SPSR, [3:0] Rd
 *   1            MSR CPSR/SPSR_<fsxc>, Rn      [8] SPSR, [7:4] f s x c, [3:0] Rn
 *   2            MSR CPSR/SPSR_c, #imm8        [8] SPSR, [7:0] imm8
 *   3            CPS                           [8:7] imod, [6:4] A I F, [3] mode change,
 *                                              [2:0] usr fiq irq svc abt und sys
 *   4            SUBS pc, lr, #imm8            [7:0] imm8
 *   5            RFE{IA,IB,DA,DB} Rn{!}        [8:6] P U W, [3:0] Rn
 *   6            SRS{IA,IB,DA,DB} sp{!}, #mode [8:6] P U W, [2:0] mode as CPS's
 *
 * What does not fit ("Format O": conditional sites, LDM/STM of user
 * registers, LDM's exception return) becomes a branch to a stub: UDF #0xb000,
 * the original, a branch back to the site + 4. The branch has checked the
 * condition; the module does the original as if it stood at the site (a
 * fault is the site's, where the guest's exception table looks) and resumes
 * after it unless it wrote pc. UDF #0xb100 is the paravirtual interrupt
 * flags' unmask with an interrupt pending (armkvm_isolated_pv.c): the run
 * loop injects it. UDF #0xb200-0xb203 is Linux's return to user space
 * (armkvm_isolated_ret_user.c).
 *
 * From the virtual user mode they are undefined, as any UDF: the caller
 * reflects them. A mode the virtual CPU cannot be in (FIQ, Hyp, Monitor,
 * reserved) is refused (-EINVAL: ARMKVM_INTERNAL_UNSUPPORTED_INSN), and so
 * is an RFE or SRS whose memory is not guest RAM; where the guest's tables
 * do not allow the access, the guest takes the data abort.
 *
 * Copyright (c) 2026 The armkvm developers
 */
#include <linux/bitops.h>
#include <linux/kernel.h>
#include <asm/ptrace.h>

#include "armkvm_internal.h"
#include "armkvm_isolated.h"

#define PV_IRQ_WINDOW		0xb100u
#define PV_RET_USER		0xb200u	/* to 0xb203: imm16[1:0] its operands */

/* The PSR bits each MSR field byte writes: T, J and IT are never written by MSR. */
#define PSR_FIELD_F		0xf8000000u	/* N Z C V Q */
#define PSR_FIELD_S		0x000f0000u	/* GE */
#define PSR_FIELD_X		(PSR_E_BIT | PSR_A_BIT)
#define PSR_FIELD_C		(PSR_I_BIT | PSR_F_BIT | MODE_MASK)

static const u8 cps_modes[8] = {
	USR_MODE, FIQ_MODE, IRQ_MODE, SVC_MODE, ABT_MODE, UND_MODE, SYSTEM_MODE, 0,
};

/* The SPSR of the virtual CPU's current mode; NULL in user and system mode. */
static u32 *armkvm_virtual_spsr(struct armkvm_context *v)
{
	struct armkvm_bank *bank = armkvm_mode_bank(v, v->cpsr);

	return bank ? &bank->spsr : NULL;
}

static u32 armkvm_msr_mask(u32 fields)
{
	return ((fields & 8) ? PSR_FIELD_F : 0) | ((fields & 4) ? PSR_FIELD_S : 0) |
	       ((fields & 2) ? PSR_FIELD_X : 0) | ((fields & 1) ? PSR_FIELD_C : 0);
}

/* A new virtual CPSR: refused if its mode is not one the virtual CPU has. */
static bool armkvm_set_vcpsr(struct armkvm_context *v, u32 cpsr)
{
	if (!armkvm_guest_mode_ok(cpsr))
		return false;
	v->cpsr = cpsr;
	return true;
}

/* MSR: SPSR takes every bit the fields name; CPSR not T, J or IT. */
static bool armkvm_msr(struct armkvm_context *v, bool spsr, u32 fields, u32 val)
{
	u32 mask = armkvm_msr_mask(fields), *psr;

	if (spsr) {
		psr = armkvm_virtual_spsr(v);
		if (!psr)
			return false;
		if (fields & 8)
			mask |= PSR_IT_MASK | PSR_J_BIT;
		if (fields & 1)
			mask |= PSR_T_BIT;
		*psr = (*psr & ~mask) | (val & mask);
		return true;
	}
	return armkvm_set_vcpsr(v, (v->cpsr & ~mask) | (val & mask));
}

static bool armkvm_cps(struct armkvm_context *v, u32 ops)
{
	u32 imod = (ops >> 7) & 3, aif = ((ops >> 4) & 7) << 6, cpsr = v->cpsr;

	if (imod == 2)
		cpsr &= ~aif;
	else if (imod == 3)
		cpsr |= aif;
	else if (imod == 1 || (!imod && !(ops & 8)))
		return false;			/* UNPREDICTABLE encodings */
	if (ops & 8) {
		if (!cps_modes[ops & 7])
			return false;
		cpsr = (cpsr & ~MODE_MASK) | cps_modes[ops & 7];
	}
	return armkvm_set_vcpsr(v, cpsr);
}

/* SUBS pc, lr, #imm8: an exception return to SPSR's mode and state. */
static bool armkvm_exception_return(struct armkvm_vcpu *vcpu, u32 imm8)
{
	struct armkvm_context *v = &vcpu->sw.guest;
	u32 *spsr = armkvm_virtual_spsr(v), lr = *armkvm_vcpu_reg(vcpu, 14);

	if (!spsr || !armkvm_set_vcpsr(v, *spsr))
		return false;
	v->pc = (lr - imm8) & ((v->cpsr & PSR_T_BIT) ? ~1u : ~3u);
	return true;
}

/* LDM/STM addressing of two words from base: the first word's address. */
static u32 armkvm_two_words(u32 base, u32 ops)
{
	bool p = ops & BIT(8), u = ops & BIT(7);

	return u ? base + (p ? 4 : 0) : base - (p ? 8 : 4);
}

/* One word of an RFE or SRS: 1 done; else what the guest's data abort or a refusal gives. */
static int armkvm_word(struct armkvm_vcpu *vcpu, u32 va, bool write, u32 *val, int *ret)
{
	int fs = armkvm_isolated_access_word(vcpu, va, write, val);

	if (!fs)
		return 1;
	if (fs < 0)
		*ret = -EINVAL;
	else
		*ret = armkvm_isolated_abort(vcpu, false, fs | (write ? BIT(11) : 0), va,
					     vcpu->sw.guest.pc + 8);
	return 0;
}

/* RFE: pc and CPSR from memory at Rn, an exception return. */
static int armkvm_rfe(struct armkvm_vcpu *vcpu, u32 ops)
{
	struct armkvm_context *v = &vcpu->sw.guest;
	unsigned int rn = ops & 0xf;
	u32 base, addr, pc, cpsr;
	int ret;

	if (rn == 15)
		return -EINVAL;
	base = *armkvm_vcpu_reg(vcpu, rn);
	addr = armkvm_two_words(base, ops);
	if (!armkvm_word(vcpu, addr, false, &pc, &ret) ||
	    !armkvm_word(vcpu, addr + 4, false, &cpsr, &ret))
		return ret;
	if (!armkvm_guest_mode_ok(cpsr) || (cpsr & PSR_J_BIT))
		return -EINVAL;
	if (ops & BIT(6))
		*armkvm_vcpu_reg(vcpu, rn) = (ops & BIT(7)) ? base + 8 : base - 8;
	v->cpsr = cpsr;
	v->pc = pc & ((cpsr & PSR_T_BIT) ? ~1u : ~3u);
	return 1;
}

/* SRS: LR and SPSR of the current mode onto the stack of the mode named. */
static int armkvm_srs(struct armkvm_vcpu *vcpu, u32 ops)
{
	struct armkvm_context *v = &vcpu->sw.guest;
	u32 mode = cps_modes[ops & 7], *spsr = armkvm_virtual_spsr(v), *sp, addr, lr;
	struct armkvm_bank *bank;
	int ret;

	if (!spsr || !mode || mode == FIQ_MODE)
		return -EINVAL;
	bank = armkvm_mode_bank(v, mode);
	sp = bank ? &bank->sp : &v->usr[13];
	addr = armkvm_two_words(*sp, ops);
	lr = *armkvm_vcpu_reg(vcpu, 14);
	if (!armkvm_word(vcpu, addr, true, &lr, &ret) ||
	    !armkvm_word(vcpu, addr + 4, true, spsr, &ret))
		return ret;
	if (ops & BIT(6))
		*sp = (ops & BIT(7)) ? *sp + 8 : *sp - 8;
	v->pc += 4;
	return 1;
}

/*
 * LDM/STM with ^ (A1: cond 100 P U 1 W L Rn list): without pc, the user
 * mode's registers, no writeback; LDM with pc, an exception return: the
 * current mode's registers, then CPSR from SPSR.
 */
static int armkvm_ldm_stm_user(struct armkvm_vcpu *vcpu, u32 insn)
{
	struct armkvm_context *v = &vcpu->sw.guest;
	bool load = insn & BIT(20), wback = insn & BIT(21);
	bool p = insn & BIT(24), u = insn & BIT(23);
	u32 list = insn & 0xffff, rn = (insn >> 16) & 0xf, n = hweight16(list);
	bool eret = load && (list & BIT(15));
	u32 base, addr, vals[16], *spsr = armkvm_virtual_spsr(v), pc = 0;
	unsigned int i, k;
	int ret;

	if (rn == 15 || !n || !spsr || (!eret && (wback || (list & BIT(15)))) ||
	    (wback && (list & BIT(rn))))
		return -EINVAL;
	base = *armkvm_vcpu_reg(vcpu, rn);
	addr = u ? base + (p ? 4 : 0) : base - 4 * n + (p ? 0 : 4);
	for (i = 0, k = 0; i < 16; i++) {
		if (!(list & BIT(i)))
			continue;
		if (!load)
			vals[k] = v->usr[i];
		if (!armkvm_word(vcpu, addr + 4 * k, !load, &vals[k], &ret))
			return ret;
		k++;
	}
	if (!load) {
		v->pc += 4;
		return 1;
	}
	if (eret && (!armkvm_guest_mode_ok(*spsr) || (*spsr & PSR_J_BIT)))
		return -EINVAL;
	if (wback)
		*armkvm_vcpu_reg(vcpu, rn) = u ? base + 4 * n : base - 4 * n;
	for (i = 0, k = 0; i < 16; i++) {
		if (!(list & BIT(i)))
			continue;
		if (i == 15)
			pc = vals[k];
		else if (eret)
			*armkvm_vcpu_reg(vcpu, i) = vals[k];
		else
			v->usr[i] = vals[k];
		k++;
	}
	if (!eret) {
		v->pc += 4;
		return 1;
	}
	v->cpsr = *spsr;
	v->pc = pc & ((v->cpsr & PSR_T_BIT) ? ~1u : ~3u);
	return 1;
}

/*
 * The Format I trap for an A32 instruction (as the guest's boot patcher
 * computes it), or 0 if its operands do not fit one.
 */
static u32 armkvm_format_i_of(u32 insn)
{
	static const u8 cps_mode[32] = {
		[0x10] = 0 | 8, [0x11] = 1 | 8, [0x12] = 2 | 8, [0x13] = 3 | 8,
		[0x17] = 4 | 8, [0x1b] = 5 | 8, [0x1f] = 6 | 8,
	};
	u32 mode;

	if ((insn & 0xfff1fe20) == 0xf1000000) {		/* CPS */
		mode = (insn & BIT(17)) ? cps_mode[insn & 0x1f] : 0;
		if ((insn & BIT(17)) && !mode)
			return 0;
		return 0xa000 | 3 << 9 | ((insn >> 18) & 3) << 7 | ((insn >> 6) & 7) << 4 | mode;
	}
	if (insn >> 28 == 0xf)
		return 0;
	if ((insn & 0x0fbf0fff) == 0x010f0000)			/* MRS Rd, CPSR/SPSR */
		return 0xa000 | ((insn >> 22) & 1) << 4 | ((insn >> 12) & 0xf);
	if ((insn & 0x0fb0fff0) == 0x0120f000)			/* MSR <psr>_<mask>, Rn */
		return 0xa000 | 1 << 9 | ((insn >> 22) & 1) << 8 | ((insn >> 16) & 0xf) << 4 |
		       (insn & 0xf);
	if ((insn & 0x0fbfff00) == 0x0321f000)			/* MSR <psr>_c, #imm8 */
		return 0xa000 | 2 << 9 | ((insn >> 22) & 1) << 8 | (insn & 0xff);
	if ((insn & 0x0fffff00) == 0x025ef000)			/* SUBS pc, lr, #imm8 */
		return 0xa000 | 4 << 9 | (insn & 0xff);
	if ((insn & 0x0fffffff) == 0x01b0f00e)			/* MOVS pc, lr */
		return 0xa000 | 4 << 9;
	return 0;
}

static int armkvm_format_i(struct armkvm_vcpu *vcpu, u32 imm16);

/*
 * A Format O stub at pc: its original follows, then B site + 4. The
 * original is done as if it stood at the site.
 */
static int armkvm_format_o(struct armkvm_vcpu *vcpu)
{
	struct armkvm_context *v = &vcpu->sw.guest;
	u32 orig, back, imm16;

	if (armkvm_fetch_insn(vcpu, v->pc + 4, &orig) ||
	    armkvm_fetch_insn(vcpu, v->pc + 8, &back) || (back & 0xff000000) != 0xea000000)
		return -EINVAL;
	/* B's target is its address + 8 + imm24 * 4: the site + 4. */
	v->pc = v->pc + 8 + 8 + ((s32)(back << 8) >> 6) - 4;
	imm16 = armkvm_format_i_of(orig);
	if (imm16)
		return armkvm_format_i(vcpu, imm16);
	if ((orig & 0x0e400000) == 0x08400000)
		return armkvm_ldm_stm_user(vcpu, orig);
	return -EINVAL;
}

/*
 * The replacement encoding insn from a virtual privileged mode: what the run
 * loop returns (1 done; 0 to userspace, a data abort without vectors),
 * -EINVAL (refused), or -ENOENT (a UDF of another range: the guest's own
 * undefined instruction, or not a UDF).
 */
int armkvm_isolated_sensitive(struct armkvm_vcpu *vcpu, u32 insn)
{
	u32 imm16 = armkvm_udf_imm16(insn);

	if ((insn & ARMKVM_UDF_MASK) != ARMKVM_UDF_A32)
		return -ENOENT;
	if (imm16 == ARMKVM_FORMAT_O)
		return armkvm_format_o(vcpu);
	if (imm16 == PV_IRQ_WINDOW) {
		/* The run loop takes the interrupt before the next instruction. */
		vcpu->sw.guest.pc += 4;
		return 1;
	}
	if ((imm16 & ~3u) == PV_RET_USER)
		return armkvm_isolated_ret_user(vcpu, imm16 & 3);
	if (imm16 < ARMKVM_FORMAT_I_FIRST || imm16 > ARMKVM_FORMAT_I_LAST)
		return -ENOENT;
	return armkvm_format_i(vcpu, imm16);
}

/* Format I: the operation imm16[11:9] with the operands imm16[8:0]. */
static int armkvm_format_i(struct armkvm_vcpu *vcpu, u32 imm16)
{
	struct armkvm_context *v = &vcpu->sw.guest;
	u32 ops = imm16 & 0x1ff;
	bool spsr = ops & BIT(8);
	u32 *psr;

	switch ((imm16 >> 9) & 7) {
	case 0:
		psr = (ops & BIT(4)) ? armkvm_virtual_spsr(v) : &v->cpsr;
		if (!psr || (ops & 0xf) == 15)
			return -EINVAL;
		/* CPSR's execution state bits read as zero; SPSR's as they are. */
		*armkvm_vcpu_reg(vcpu, ops & 0xf) = *psr &
			((ops & BIT(4)) ? ~0u : ~(PSR_IT_MASK | PSR_J_BIT | PSR_T_BIT));
		break;
	case 1:
		if ((ops & 0xf) == 15 ||
		    !armkvm_msr(v, spsr, (ops >> 4) & 0xf, *armkvm_vcpu_reg(vcpu, ops & 0xf)))
			return -EINVAL;
		break;
	case 2:
		if (!armkvm_msr(v, spsr, 1, ops & 0xff))
			return -EINVAL;
		break;
	case 3:
		if (!armkvm_cps(v, ops))
			return -EINVAL;
		break;
	case 4:
		if (!armkvm_exception_return(vcpu, ops & 0xff))
			return -EINVAL;
		return 1;			/* pc is the return address */
	case 5:
		return armkvm_rfe(vcpu, ops);
	case 6:
		return armkvm_srs(vcpu, ops);
	default:
		return -EINVAL;
	}
	v->pc += 4;
	return 1;
}
