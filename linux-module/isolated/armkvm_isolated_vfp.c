// SPDX-License-Identifier: GPL-2.0
/*
 * armkvm host module: isolated mode's VFP control (docs/isolated-mode.md, 1.1).
 *
 * The guest's data processing and FPSCR run natively at PL0. FPEXC, FPSID
 * and MVFR0/1 are PL1's: VMRS and VMSR of them trap, and come here. FPEXC
 * is virtual (sw.guest.vfp.fpexc, as GET/SET_VFP see it): its EN bit and
 * the guest's virtual CPACR decide whether the real FPEXC.EN is set while
 * the guest runs, so that a guest kernel that turns the VFP off, or keeps it
 * from its user mode, takes the undefined instruction it expects. The ID
 * registers are the real VFP's.
 *
 * Copyright (c) 2026 The armkvm developers
 */
#include <linux/kernel.h>
#include <asm/ptrace.h>
#include <asm/vfp.h>

#include "armkvm_internal.h"
#include "armkvm_isolated.h"

#define VFP_REG_FPSID	0
#define VFP_REG_MVFR1	6
#define VFP_REG_MVFR0	7
#define VFP_REG_FPEXC	8

/* Whether the guest's virtual CPACR lets its current privilege use cp10 (the VFP). */
static bool armkvm_vfp_allowed(const struct armkvm_vcpu *vcpu, u32 vcpsr)
{
	u32 cp10 = (vcpu->sw.arch.cpacr >> 20) & 3;

	return (vcpsr & MODE_MASK) == USR_MODE ? cp10 == 3 : cp10 & 1;
}

/* The real FPEXC for an entry in virtual mode vcpsr: EN only if the guest has it on. */
u32 armkvm_isolated_real_fpexc(const struct armkvm_vcpu *vcpu, u32 vcpsr)
{
	if (!armkvm_vfp_allowed(vcpu, vcpsr))
		return 0;
	return vcpu->sw.guest.vfp.fpexc & FPEXC_EN;
}

static u32 armkvm_vfp_id(unsigned int reg)
{
	u32 val;

	switch (reg) {
	case VFP_REG_FPSID:
		asm volatile("mrc p10, 7, %0, cr0, cr0, 0" : "=r" (val));
		break;
	case VFP_REG_MVFR1:
		asm volatile("mrc p10, 7, %0, cr6, cr0, 0" : "=r" (val));
		break;
	default:
		asm volatile("mrc p10, 7, %0, cr7, cr0, 0" : "=r" (val));
		break;
	}
	return val;
}

/*
 * VMRS or VMSR of a system register from a virtual privileged mode: 1 done
 * (pc advanced), 0 if the guest takes an undefined instruction instead
 * (cp10 closed by its CPACR, a register that is not there or not
 * writable), -ENOENT if insn is not one.
 */
int armkvm_isolated_vfp_sys(struct armkvm_vcpu *vcpu, u32 insn)
{
	unsigned int reg = (insn >> 16) & 0xf, rt = (insn >> 12) & 0xf;
	bool read = insn & BIT(20);
	u32 *fpexc = &vcpu->sw.guest.vfp.fpexc;

	if ((insn & 0x0fe00fff) != 0x0ee00a10)
		return -ENOENT;
	if (!armkvm_vfp_allowed(vcpu, vcpu->sw.guest.cpsr) || rt == 15)
		return 0;
	switch (reg) {
	case VFP_REG_FPSID:
	case VFP_REG_MVFR0:
	case VFP_REG_MVFR1:
		if (read)
			*armkvm_vcpu_reg(vcpu, rt) = armkvm_vfp_id(reg);
		else if (reg != VFP_REG_FPSID)
			return 0;	/* MVFRs are read-only; FPSID ignores writes */
		break;
	case VFP_REG_FPEXC:
		if (read)
			*armkvm_vcpu_reg(vcpu, rt) = *fpexc;
		else
			*fpexc = *armkvm_vcpu_reg(vcpu, rt) & FPEXC_EN;
		break;
	default:
		return 0;
	}
	vcpu->sw.guest.pc += 4;
	return 1;
}
