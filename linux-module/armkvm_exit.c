// SPDX-License-Identifier: GPL-2.0
/*
 * armkvm host module: what to do with each exit from the guest, a handler
 * per exception vector (armkvm_exit_handlers). A handler returns 1 to enter
 * the guest again, 0 to return to userspace with run->exit_reason set, or a
 * negative errno.
 *
 * Copyright (c) 2026 The armkvm developers
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <asm/ptrace.h>

#include "armkvm_internal.h"

#define CREATE_TRACE_POINTS
#include "armkvm_trace.h"

int armkvm_exit_internal(struct armkvm_vcpu *vcpu, u32 suberror,
				unsigned int ndata, const u32 *data)
{
	struct armkvm_run *run = vcpu->run;
	/* The run page is userspace's too: bound the loop by a local, never by what it holds. */
	unsigned int i, n = min_t(unsigned int, ndata, ARRAY_SIZE(run->internal.data));

	run->exit_reason = ARMKVM_EXIT_INTERNAL_ERROR;
	run->internal.suberror = suberror;
	run->internal.ndata = n;
	for (i = 0; i < n; i++)
		run->internal.data[i] = data[i];
	vcpu->stats.exits_other++;
	return 0;
}

/* HVC on a CPU without virtualization extensions is UNDEFINED: armkvm's hypercall. */
bool armkvm_is_hvc(u32 insn)
{
	return (insn & 0xfff000f0) == 0xe1400070;
}

/* Hypercalls the module answers itself; false for those userspace serves. */
static bool armkvm_hypercall_in_kernel(struct armkvm_vcpu *vcpu)
{
	u32 *r = vcpu->sw.guest.usr;

	switch (r[0]) {
	case ARMKVM_HC_SET_VECTORS:
		vcpu->sw.arch.vbar = r[1] & ~0x1fu;
		r[0] = 0;
		return true;
	case ARMKVM_HC_WAIT_FOR_INTERRUPT:
		armkvm_wait_for_interrupt(vcpu);
		r[0] = 0;
		return true;
	case ARMKVM_HC_WAIT_FOR_INTERRUPT_UNMASKED:
		armkvm_wait_for_interrupt(vcpu);
		/* The run loop injects what is pending before the next instruction. */
		vcpu->sw.guest.cpsr &= ~PSR_I_BIT;
		r[0] = 0;
		return true;
	case ARMKVM_HC_GET_MODE:
		r[0] = 0;
		r[1] = vcpu->vm->ops == &armkvm_privileged_ops ? ARMKVM_VM_MODE_PRIVILEGED :
							       ARMKVM_VM_MODE_ISOLATED;
		return true;
	case ARMKVM_HC_RAM_BASE:
		if (vcpu->vm->ops != &armkvm_privileged_ops)
			break;
		r[0] = 0;
		r[1] = vcpu->vm->ram_hpa;
		r[2] = vcpu->vm->ram_gpa;
		return true;
	case ARMKVM_HC_PV_IRQ:
		if (vcpu->vm->ops != &armkvm_isolated_ops)
			break;
		if (armkvm_isolated_pv_irq(vcpu, r[1])) {
			r[0] = ARMKVM_HC_INVALID_PARAMETERS;
			return true;
		}
		r[0] = 0;
		r[1] = ARMKVM_PV_RET_USER | ARMKVM_PV_ENTRY_TPIDRURO;
		return true;
	case ARMKVM_HC_PV_ENTRY_TPIDRURO:
		if (vcpu->vm->ops != &armkvm_isolated_ops)
			break;
		r[0] = armkvm_isolated_pv_entry_tpidruro(vcpu, r[1]) ?
		       ARMKVM_HC_INVALID_PARAMETERS : 0;
		return true;
	case ARMKVM_HC_CACHE_SYNC:
		armkvm_guest_ram_coherent(vcpu->vm);
		r[0] = 0;
		return true;
	case ARMKVM_HC_MMU_ENABLE:
		if (vcpu->vm->ops != &armkvm_privileged_ops)
			break;
		r[0] = armkvm_mmu_enable(vcpu, r[1], r[2], r[3]) ?
		       ARMKVM_HC_INVALID_PARAMETERS : 0;
		return true;
	default:
		return false;
	}
	/* Host-physical addresses and the guest's own table: privileged mode's; PV_IRQ isolated's. */
	r[0] = ARMKVM_HC_NOT_SUPPORTED;
	return true;
}

/* The guest's translation regime is one armkvm cannot run it on. */
int armkvm_exit_mmu(struct armkvm_vcpu *vcpu)
{
	const struct armkvm_ctx_cp15 *c = &vcpu->sw.arch.cp15;
	u32 data[5] = { c->ttbr0, c->ttbr1, c->ttbcr, c->dacr, vcpu->sw.guest.pc };

	return armkvm_exit_internal(vcpu, ARMKVM_INTERNAL_GUEST_MMU, 5, data);
}

/*
 * An exception the guest takes at its own vectors (UND, SVC, PABT, DABT that
 * armkvm does not serve), or, if it has none, an exit that says what happened.
 */
static int armkvm_exit_to_guest(struct armkvm_vcpu *vcpu, int vector)
{
	if (vcpu->sw.arch.vbar && vector >= ARMKVM_VEC_UND && vector <= ARMKVM_VEC_DABT)
		return armkvm_deliver_exception(vcpu, vector);
	return armkvm_exit_unhandled(vcpu, vector);
}

/* An exception the guest has no vectors for: an exit with the state that says what happened. */
int armkvm_exit_unhandled(struct armkvm_vcpu *vcpu, int vector)
{
	struct armkvm_switch *sw = &vcpu->sw;
	u32 data[6];

	data[0] = vector;
	data[1] = sw->guest.pc;
	data[2] = sw->guest.cp15.dfsr;
	data[3] = sw->guest.cp15.dfar;
	data[4] = sw->guest.cp15.ifsr;
	data[5] = sw->guest.cp15.ifar;
	return armkvm_exit_internal(vcpu, ARMKVM_INTERNAL_UNHANDLED_EXCEPTION, 6, data);
}

/* A physical interrupt: the host has handled it by now. */
static int armkvm_exit_irq(struct armkvm_vcpu *vcpu, int vector)
{
	vcpu->sw.guest.pc = vcpu->sw.exit_lr - 4;
	vcpu->stats.exits_irq++;
	return 1;
}

/* An undefined instruction: an ARM-state HVC from the guest's kernel is a hypercall. */
static int armkvm_exit_und(struct armkvm_vcpu *vcpu, int vector)
{
	struct armkvm_switch *sw = &vcpu->sw;
	bool thumb = sw->guest.cpsr & PSR_T_BIT;
	u32 insn;

	sw->guest.pc = sw->exit_lr - (thumb ? 2 : 4);
	if (armkvm_debug_udf_exit(vcpu))
		return 0;
	/* HVC at PL0 is UNDEFINED, for the guest's kernel to handle. */
	if (thumb || (sw->guest.cpsr & MODE_MASK) == USR_MODE ||
	    armkvm_fetch_insn(vcpu, sw->guest.pc, &insn) || !armkvm_is_hvc(insn))
		return armkvm_exit_to_guest(vcpu, vector);
	return armkvm_exit_hypercall(vcpu, insn);
}

/* The guest's HVC insn at pc: served here, or an exit that userspace completes. */
int armkvm_exit_hypercall(struct armkvm_vcpu *vcpu, u32 insn)
{
	struct armkvm_switch *sw = &vcpu->sw;
	struct armkvm_run *run = vcpu->run;

	vcpu->stats.exits_hypercall++;
	if (armkvm_hypercall_in_kernel(vcpu)) {
		sw->guest.pc += 4;
		return 1;
	}
	run->exit_reason = ARMKVM_EXIT_HYPERCALL;
	run->hypercall.imm = ((insn >> 4) & 0xfff0) | (insn & 0xf);
	memcpy(run->hypercall.args, sw->guest.usr, sizeof(run->hypercall.args));
	memcpy(run->hypercall.ret, sw->guest.usr, sizeof(run->hypercall.ret));
	sw->guest.pc += 4;
	vcpu->pending = ARMKVM_PENDING_HYPERCALL;
	return 0;
}

/* A data abort: a device access (served here if a device on the VM's bus answers it), or the guest's. */
static int armkvm_exit_dabt(struct armkvm_vcpu *vcpu, int vector)
{
	struct armkvm_switch *sw = &vcpu->sw;
	u32 pa;

	sw->guest.pc = sw->exit_lr - 8;
	if (!armkvm_mmu_is_device_abort(vcpu, sw->guest.cp15.dfsr, sw->guest.cp15.dfar, &pa))
		return armkvm_exit_to_guest(vcpu, vector);
	return armkvm_exit_device_access(vcpu, pa);
}

/* The instruction at the guest's pc accessed a device at guest-physical pa. */
int armkvm_exit_device_access(struct armkvm_vcpu *vcpu, u32 pa)
{
	struct armkvm_switch *sw = &vcpu->sw;
	u32 data[2];

	if (armkvm_mmio_decode(vcpu, &data[0], pa)) {
		data[1] = sw->guest.pc;
		return armkvm_exit_internal(vcpu, ARMKVM_INTERNAL_MMIO_DECODE, 2, data);
	}
	if (armkvm_mmio_in_kernel(vcpu))
		return 1;
	vcpu->stats.exits_mmio++;
	vcpu->pending = ARMKVM_PENDING_MMIO;
	return 0;
}

static int armkvm_exit_pabt(struct armkvm_vcpu *vcpu, int vector)
{
	vcpu->sw.guest.pc = vcpu->sw.exit_lr - 4;
	if (armkvm_debug_bkpt_exit(vcpu))
		return 0;
	return armkvm_exit_to_guest(vcpu, vector);
}

static int armkvm_exit_svc(struct armkvm_vcpu *vcpu, int vector)
{
	vcpu->sw.guest.pc = vcpu->sw.exit_lr - ((vcpu->sw.guest.cpsr & PSR_T_BIT) ? 2 : 4);
	return armkvm_exit_to_guest(vcpu, vector);
}

/* Reset and the unused vector: never taken by a guest; reported. */
static int armkvm_exit_unexpected(struct armkvm_vcpu *vcpu, int vector)
{
	vcpu->sw.guest.pc = vcpu->sw.exit_lr;
	return armkvm_exit_to_guest(vcpu, vector);
}

static int (*const armkvm_exit_handlers[8])(struct armkvm_vcpu *vcpu, int vector) = {
	[ARMKVM_VEC_RESET]	= armkvm_exit_unexpected,
	[ARMKVM_VEC_UND]	= armkvm_exit_und,
	[ARMKVM_VEC_SVC]	= armkvm_exit_svc,
	[ARMKVM_VEC_PABT]	= armkvm_exit_pabt,
	[ARMKVM_VEC_DABT]	= armkvm_exit_dabt,
	[5]			= armkvm_exit_unexpected,
	[ARMKVM_VEC_IRQ]	= armkvm_exit_irq,
	[ARMKVM_VEC_FIQ]	= armkvm_exit_irq,
};

/* The exit the world switch returned, by its vector (0-7: armkvm_vectors' slot). */
int armkvm_handle_exit(struct armkvm_vcpu *vcpu, int vector)
{
	trace_armkvm_exit(vcpu, vector);
	if (vector < 0 || vector >= ARRAY_SIZE(armkvm_exit_handlers))
		return armkvm_exit_unexpected(vcpu, vector);
	return armkvm_exit_handlers[vector](vcpu, vector);
}
