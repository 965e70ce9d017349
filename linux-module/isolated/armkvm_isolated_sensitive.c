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
 *
 * From the virtual user mode they are undefined, as any UDF: the caller
 * reflects them. A mode the virtual CPU cannot be in (FIQ, Hyp, Monitor,
 * reserved) is refused (0: ARMKVM_INTERNAL_UNSUPPORTED_INSN).
 *
 * Copyright (c) 2026 The armkvm developers
 */
#include <linux/kernel.h>
#include <asm/ptrace.h>

#include "armkvm_internal.h"

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

/*
 * The replacement encoding insn from a virtual privileged mode: 1 (done),
 * 0 (not one of them, or refused), or -1 (a UDF of another range: the
 * guest's own undefined instruction).
 */
int armkvm_isolated_sensitive(struct armkvm_vcpu *vcpu, u32 insn)
{
	struct armkvm_context *v = &vcpu->sw.guest;
	u32 imm16 = ((insn >> 4) & 0xfff0) | (insn & 0xf), ops = imm16 & 0x1ff;
	bool spsr = ops & BIT(8);
	u32 *psr;

	if ((insn & UDF_MASK) != UDF_A32 || imm16 < FORMAT_I_FIRST || imm16 > FORMAT_I_LAST)
		return -1;
	switch ((imm16 >> 9) & 7) {
	case 0:
		psr = (ops & BIT(4)) ? armkvm_virtual_spsr(v) : &v->cpsr;
		if (!psr || (ops & 0xf) == 15)
			return 0;
		/* CPSR's execution state bits read as zero; SPSR's as they are. */
		*armkvm_vcpu_reg(vcpu, ops & 0xf) = *psr &
			((ops & BIT(4)) ? ~0u : ~(PSR_IT_MASK | PSR_J_BIT | PSR_T_BIT));
		break;
	case 1:
		if ((ops & 0xf) == 15 ||
		    !armkvm_msr(v, spsr, (ops >> 4) & 0xf, *armkvm_vcpu_reg(vcpu, ops & 0xf)))
			return 0;
		break;
	case 2:
		if (!armkvm_msr(v, spsr, 1, ops & 0xff))
			return 0;
		break;
	case 3:
		if (!armkvm_cps(v, ops))
			return 0;
		break;
	case 4:
		if (!armkvm_exception_return(vcpu, ops & 0xff))
			return 0;
		return 1;			/* pc is the return address */
	default:
		return 0;
	}
	v->pc += 4;
	return 1;
}
