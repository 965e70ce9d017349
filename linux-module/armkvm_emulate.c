// SPDX-License-Identifier: GPL-2.0
/*
 * armkvm host module: what the CPU would do, done in software for the
 * guest: its registers as its current mode sees them, fetching its
 * instructions, and taking an exception at its vectors.
 *
 * Copyright (c) 2026 The armkvm developers
 */
#include <linux/errno.h>
#include <asm/ptrace.h>

#include "armkvm_internal.h"

/* The mode each exception the guest takes at its vectors enters. */
static const u8 armkvm_vector_mode[8] = {
	[ARMKVM_VEC_UND] = UND_MODE, [ARMKVM_VEC_SVC] = SVC_MODE,
	[ARMKVM_VEC_PABT] = ABT_MODE, [ARMKVM_VEC_DABT] = ABT_MODE,
};

/* sp, lr and spsr of r's banks for mode (a CPSR's M bits); NULL for user and system mode. */
struct armkvm_bank *armkvm_mode_bank(struct armkvm_context *r, u32 mode)
{
	switch (mode & MODE_MASK) {
	case SVC_MODE:
		return &r->bank[ARMKVM_BANK_SVC];
	case ABT_MODE:
		return &r->bank[ARMKVM_BANK_ABT];
	case UND_MODE:
		return &r->bank[ARMKVM_BANK_UND];
	case IRQ_MODE:
		return &r->bank[ARMKVM_BANK_IRQ];
	default:
		return NULL;
	}
}

/* Register n (0-15) as the guest sees it in its current mode. */
u32 *armkvm_vcpu_reg(struct armkvm_vcpu *vcpu, unsigned int n)
{
	struct armkvm_context *r = &vcpu->sw.guest;
	struct armkvm_bank *bank;

	if (n == 15)
		return &r->pc;
	if (n < 13)
		return &r->usr[n];
	bank = armkvm_mode_bank(r, r->cpsr);
	if (!bank)
		return &r->usr[n];
	return n == 13 ? &bank->sp : &bank->lr;
}

/* The modes a guest may be in at RUN. */
bool armkvm_guest_mode_ok(u32 cpsr)
{
	switch (cpsr & MODE_MASK) {
	case USR_MODE: case SVC_MODE: case ABT_MODE: case UND_MODE:
	case IRQ_MODE: case SYSTEM_MODE:
		return true;
	default:	/* FIQ is the hypervisor's; Hyp and Monitor do not exist here */
		return false;
	}
}

/* ARM's ConditionPassed(): cond (an instruction's bits 31:28) on cpsr's flags. */
bool armkvm_cond_passed(u32 cond, u32 cpsr)
{
	bool n = cpsr & PSR_N_BIT, z = cpsr & PSR_Z_BIT;
	bool c = cpsr & PSR_C_BIT, v = cpsr & PSR_V_BIT;
	bool r;

	switch ((cond >> 1) & 7) {
	case 0:
		r = z;
		break;
	case 1:
		r = c;
		break;
	case 2:
		r = n;
		break;
	case 3:
		r = v;
		break;
	case 4:
		r = c && !z;
		break;
	case 5:
		r = n == v;
		break;
	case 6:
		r = !z && n == v;
		break;
	default:
		return true;	/* AL, and the unconditional space */
	}
	return (cond & 1) ? !r : r;
}

/* Reads the guest's A32 instruction at its virtual pc. */
int armkvm_fetch_insn(struct armkvm_vcpu *vcpu, u32 pc, u32 *insn)
{
	if (pc & 3)
		return -EFAULT;
	return armkvm_guest_read(vcpu, pc, insn, 4);
}

/* The same for one Thumb halfword (a 32-bit Thumb instruction is two of them). */
int armkvm_fetch_insn16(struct armkvm_vcpu *vcpu, u32 pc, u16 *hw)
{
	if (pc & 1)
		return -EFAULT;
	return armkvm_guest_read(vcpu, pc, hw, 2);
}

/*
 * Enter an exception mode at the guest's vector, as the CPU does (and as
 * armkvm_forward does for the exceptions it forwards): ARM state, little
 * endian (SCTLR.TE and EE are 0), IT and J cleared, IRQs masked, and asynchronous
 * aborts masked too for aborts and IRQs.
 */
static void armkvm_enter_vector(struct armkvm_vcpu *vcpu, int vector, u32 mode)
{
	struct armkvm_context *r = &vcpu->sw.guest;
	u32 cpsr = r->cpsr & ~(MODE_MASK | PSR_T_BIT | PSR_IT_MASK | PSR_J_BIT | PSR_E_BIT);

	/* Isolated mode: the TPIDRURO a guest asked for at entries from its user mode. */
	if (vcpu->pv_tls_word && (r->cpsr & MODE_MASK) == USR_MODE)
		armkvm_isolated_pv_user_entry(vcpu);
	cpsr |= mode | PSR_I_BIT;
	if (mode == ABT_MODE || mode == IRQ_MODE)
		cpsr |= PSR_A_BIT;
	r->cpsr = cpsr;
	/* High vectors: isolated mode's virtual SCTLR (privileged mode's holds only M). */
	r->pc = ((vcpu->sw.arch.sctlr & SCTLR_V) ? 0xffff0000u : vcpu->sw.arch.vbar) + vector * 4;
}

/*
 * An exception the guest takes itself: the CPU already put the return address
 * and the old CPSR in the exception mode's LR and SPSR (saved with the guest's
 * banked registers); what is left is entering that mode at the guest's vector.
 */
int armkvm_deliver_exception(struct armkvm_vcpu *vcpu, int vector)
{
	if (vector == ARMKVM_VEC_PABT || vector == ARMKVM_VEC_DABT)
		armkvm_mmu_take_fault(vcpu);
	armkvm_enter_vector(vcpu, vector, armkvm_vector_mode[vector]);
	vcpu->stats.exceptions_delivered++;
	return 1;
}

/*
 * An exception taken by the guest's virtual CPU that the real CPU took in
 * another mode (isolated mode): the return address (lr, as the architecture
 * gives it for the exception) and CPSR go where the CPU would have put them,
 * then it is delivered like any other.
 */
int armkvm_reflect_exception(struct armkvm_vcpu *vcpu, int vector, u32 lr)
{
	struct armkvm_context *r = &vcpu->sw.guest;
	struct armkvm_bank *bank;

	if (vector < ARMKVM_VEC_UND || vector > ARMKVM_VEC_DABT)
		return -EINVAL;
	bank = armkvm_mode_bank(r, armkvm_vector_mode[vector]);
	bank->lr = lr;
	bank->spsr = r->cpsr;
	return armkvm_deliver_exception(vcpu, vector);
}

/*
 * A virtual interrupt: taken like a real IRQ exception, with the return
 * address and CPSR the architecture gives (LR_irq = next instruction + 4).
 */
void armkvm_inject_irq(struct armkvm_vcpu *vcpu)
{
	struct armkvm_context *r = &vcpu->sw.guest;

	r->bank[ARMKVM_BANK_IRQ].lr = r->pc + 4;
	r->bank[ARMKVM_BANK_IRQ].spsr = r->cpsr;
	armkvm_enter_vector(vcpu, ARMKVM_VEC_IRQ, IRQ_MODE);
	vcpu->stats.irqs_injected++;
}
