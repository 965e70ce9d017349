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
 * From the virtual user mode they are undefined, as any UDF: the caller
 * reflects them. A mode the virtual CPU cannot be in (FIQ, Hyp, Monitor,
 * reserved) is refused (-EINVAL: ARMKVM_INTERNAL_UNSUPPORTED_INSN), and so
 * is an RFE or SRS whose memory is not guest RAM; where the guest's tables
 * do not allow the access, the guest takes the data abort.
 *
 * Copyright (c) 2026 The armkvm developers
 */
#include <linux/kernel.h>
#include <asm/ptrace.h>

#include "armkvm_internal.h"
#include "armkvm_isolated.h"

#define UDF_MASK		0xfff000f0u
#define UDF_A32			0xe7f000f0u
#define FORMAT_I_FIRST		0xa000u
#define FORMAT_I_LAST		0xafffu

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
 * The replacement encoding insn from a virtual privileged mode: what the run
 * loop returns (1 done; 0 to userspace, a data abort without vectors),
 * -EINVAL (refused), or -ENOENT (a UDF of another range: the guest's own
 * undefined instruction, or not a UDF).
 */
int armkvm_isolated_sensitive(struct armkvm_vcpu *vcpu, u32 insn)
{
	struct armkvm_context *v = &vcpu->sw.guest;
	u32 imm16 = ((insn >> 4) & 0xfff0) | (insn & 0xf), ops = imm16 & 0x1ff;
	bool spsr = ops & BIT(8);
	u32 *psr;

	if ((insn & UDF_MASK) != UDF_A32 || imm16 < FORMAT_I_FIRST || imm16 > FORMAT_I_LAST)
		return -ENOENT;
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
