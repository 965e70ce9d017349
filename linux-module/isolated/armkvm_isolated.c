// SPDX-License-Identifier: GPL-2.0
/*
 * armkvm host module: isolated mode, one struct armkvm_mode_ops
 * (docs/isolated-mode.md). The guest kernel runs in the CPU's user mode:
 * vcpu->sw.guest holds its *virtual* CPU (its mode, I/F/A bits, banked
 * registers), and each entry puts the current virtual mode's sp and lr in
 * the real user registers and enters user mode with its flags only, so the
 * guest can neither mask a physical interrupt nor reach a privileged
 * register. Every exception it takes is an exit; what the real CPU did in
 * its own modes is reflected onto the virtual one.
 *
 * The guest runs on the shadow of its own tables, or of its RAM with its
 * MMU off (armkvm_shadow.c), whose misses, the guest's faults and its device
 * accesses come here as aborts. The virtual CP15 is armkvm_isolated_cp15.c's;
 * the sensitive instructions that do not trap come as replacement encodings
 * (armkvm_isolated_sensitive.c). What neither knows from a virtual
 * privileged mode (other coprocessor accesses, a refused replacement) stops
 * the vCPU with ARMKVM_INTERNAL_UNSUPPORTED_INSN.
 *
 * Copyright (c) 2026 The armkvm developers
 */
#include <linux/kernel.h>
#include <asm/ptrace.h>

#include "armkvm_internal.h"
#include "armkvm_isolated.h"
#include "armkvm_trace.h"

/* What of the virtual CPSR the real one holds while the guest runs: never M, A, I, F. */
#define REAL_CPSR_BITS	(0xf80f0000u | PSR_IT_MASK | PSR_E_BIT | PSR_T_BIT)

/* CNTKCTL.PL0VTEN: CNTV is the host's tick, never the guest's to stop. */
#define CNTKCTL_PL0VTEN	BIT(8)
/* PL0PCTEN, PL0VCTEN, PL0PTEN: the counters, CNTFRQ and the guest's own CNTP. */
#define CNTKCTL_KERNEL	(BIT(0) | BIT(1) | BIT(9))

/*
 * The real CNTKCTL for the virtual privilege: the guest kernel reaches its
 * timer (the real CNTP, as in privileged mode) and the counters natively;
 * its user mode what the virtual CNTKCTL gives it; CNTV never. A change of
 * virtual privilege is always an exit, so the value holds for the entry.
 */
static u32 armkvm_real_cntkctl(u32 vcpsr, u32 vcntkctl)
{
	if ((vcpsr & MODE_MASK) != USR_MODE)
		vcntkctl |= CNTKCTL_KERNEL;
	return vcntkctl & ~CNTKCTL_PL0VTEN;
}

/* The shadow of the guest's tables, or of its RAM with its MMU off. */
static int armkvm_isolated_prepare(struct armkvm_vcpu *vcpu)
{
	/* Whatever set it (SET_REGS, ONE_REG): CNTV is never the guest's (armkvm_real_cntkctl). */
	vcpu->sw.guest.timer.cntkctl &= ~CNTKCTL_PL0VTEN;
	/* The interrupt flags' words belong to the kernel that named them, with its MMU on. */
	if (!(vcpu->sw.arch.sctlr & SCTLR_M))
		armkvm_isolated_pv_release(vcpu);
	return armkvm_shadow_prepare(vcpu);
}

/*
 * Enter the virtual CPU at real PL0. The real exception modes' banked
 * registers are loaded by the switch and clobbered by the exception that
 * ends the run: the virtual ones are kept aside and put back.
 */
static int armkvm_isolated_enter(struct armkvm_vcpu *vcpu, bool irq_line, int *vector)
{
	struct armkvm_context *v = &vcpu->sw.guest;
	struct armkvm_bank banks[ARMKVM_BANKS], *cur;
	u32 vcpsr = v->cpsr, usr_sp = v->usr[13], usr_lr = v->usr[14];
	u32 vcntkctl = v->timer.cntkctl, vfpexc = v->vfp.fpexc;
	int ret;

	memcpy(banks, v->bank, sizeof(banks));
	cur = armkvm_mode_bank(v, v->cpsr);
	if (cur) {
		v->usr[13] = cur->sp;
		v->usr[14] = cur->lr;
	}
	v->cpsr = (vcpsr & REAL_CPSR_BITS) | USR_MODE;
	if (!(vcpsr & PSR_T_BIT))
		v->cpsr &= ~PSR_IT_MASK;	/* an IT state is Thumb's only */
	v->timer.cntkctl = armkvm_real_cntkctl(vcpsr, vcntkctl);
	v->vfp.fpexc = armkvm_isolated_real_fpexc(vcpu, vcpsr);
	armkvm_isolated_pv_put(vcpu, vcpsr, irq_line);
	/* Never the fast path: it would enter the guest's vectors at PL1. */
	vcpu->sw.fwd_vectors = 0;
	vcpu->sw.fwd_vbar = 0;

	ret = armkvm_switch_guest(vcpu, irq_line, vector);
	v->timer.cntkctl = vcntkctl;
	v->vfp.fpexc = vfpexc;		/* PL0 cannot change the real one */
	/* The one CP15 register user mode writes: the guest's, natively. */
	vcpu->sw.arch.cp15.tpidrurw = v->cp15.tpidrurw;

	/*
	 * Every exit leaves the guest's user mode. One that did not (a host
	 * FIQ or abort nested in armkvm's vectors) left the guest's state in
	 * registers the vectors were saving: it cannot be resumed.
	 */
	if (ret > 0 && (v->cpsr & MODE_MASK) != USR_MODE) {
		WARN_ONCE(1, "armkvm: isolated guest exit from mode 0x%x at %08x\n",
			  v->cpsr & MODE_MASK, vcpu->sw.exit_lr);
		memcpy(v->bank, banks, sizeof(banks));
		v->cpsr = vcpsr;
		return armkvm_exit_internal(vcpu, ARMKVM_INTERNAL_UNHANDLED_EXCEPTION, 2,
					    (u32 []){ *vector, vcpu->sw.exit_lr });
	}
	memcpy(v->bank, banks, sizeof(banks));
	v->cpsr = (v->cpsr & REAL_CPSR_BITS) |
		  (armkvm_isolated_pv_get(vcpu, vcpsr) & ~REAL_CPSR_BITS);
	cur = armkvm_mode_bank(v, v->cpsr);
	if (cur) {
		cur->sp = v->usr[13];
		cur->lr = v->usr[14];
		v->usr[13] = usr_sp;
		v->usr[14] = usr_lr;
	}
	return ret;
}

/*
 * An exception the guest's own vectors take, or, before it has any (VBAR 0,
 * low vectors), an exit that says what happened.
 */
static int armkvm_isolated_reflect(struct armkvm_vcpu *vcpu, int vector)
{
	if (armkvm_has_vectors(vcpu))
		return armkvm_reflect_exception(vcpu, vector, vcpu->sw.exit_lr);
	return armkvm_exit_unhandled(vcpu, vector);
}

/*
 * An abort the guest takes (a miss its tables do not allow, or an emulated
 * instruction's access): its fault registers as its MMU would set them, the
 * other pair keeping their virtual values; lr as the architecture gives it.
 */
int armkvm_isolated_abort(struct armkvm_vcpu *vcpu, bool fetch, u32 fsr, u32 far, u32 lr)
{
	struct armkvm_ctx_cp15 *hw = &vcpu->sw.guest.cp15;
	const struct armkvm_ctx_cp15 *c = &vcpu->sw.arch.cp15;
	int vector = fetch ? ARMKVM_VEC_PABT : ARMKVM_VEC_DABT;

	hw->dfsr = fetch ? c->dfsr : fsr;
	hw->dfar = fetch ? c->dfar : far;
	hw->ifsr = fetch ? fsr : c->ifsr;
	hw->ifar = fetch ? far : c->ifar;
	if (armkvm_has_vectors(vcpu))
		return armkvm_reflect_exception(vcpu, vector, lr);
	return armkvm_exit_unhandled(vcpu, vector);
}

/* A32 coprocessor space (MCR, MRC, MCRR, MRRC, LDC, STC, CDP) to cp14 or cp15. */
static bool armkvm_is_system_coproc(u32 insn)
{
	u32 coproc = (insn >> 8) & 0xf;

	if ((insn >> 28) == 0xf)
		return false;
	return ((insn >> 25) & 7) >= 6 && ((insn >> 24) & 0xf) != 0xf &&
	       (coproc == 14 || coproc == 15);
}

/* The trapped A32 instruction insn at the virtual kernel's pc (emulate_fn). */
static int armkvm_isolated_emulate(struct armkvm_vcpu *vcpu, u32 insn)
{
	struct armkvm_switch *sw = &vcpu->sw;
	u32 data[3];
	int ret;

	if (armkvm_is_hvc(insn))
		return armkvm_exit_hypercall(vcpu, insn);
	/* A trapped instruction that fails its condition does nothing (ARMv7 may trap it). */
	if (!armkvm_cond_passed(insn >> 28, sw->guest.cpsr)) {
		sw->guest.pc += 4;
		return 1;
	}
	ret = armkvm_isolated_sensitive(vcpu, insn);
	if (ret >= 0)
		return ret;
	if (ret == -ENOENT) {
		if (armkvm_isolated_cp15(vcpu, insn) || armkvm_isolated_cp14(vcpu, insn))
			return 1;
		ret = armkvm_isolated_vfp_sys(vcpu, insn);
		if (ret >= 0)
			return ret ? 1 : armkvm_isolated_reflect(vcpu, ARMKVM_VEC_UND);
		if (!armkvm_is_system_coproc(insn))
			return armkvm_isolated_reflect(vcpu, ARMKVM_VEC_UND);
	}
	data[0] = insn;
	data[1] = sw->guest.pc;
	data[2] = sw->guest.cpsr;
	return armkvm_exit_internal(vcpu, ARMKVM_INTERNAL_UNSUPPORTED_INSN, 3, data);
}

static int armkvm_isolated_exit_und(struct armkvm_vcpu *vcpu)
{
	struct armkvm_switch *sw = &vcpu->sw;
	bool thumb = sw->guest.cpsr & PSR_T_BIT;
	u32 insn = 0, cpsr;

	sw->guest.pc = sw->exit_lr - (thumb ? 2 : 4);
	if (armkvm_debug_udf_exit(vcpu))
		return 0;
	/* The guest's user mode: its kernel handles what is undefined there, HVC included. */
	if ((sw->guest.cpsr & MODE_MASK) == USR_MODE || thumb ||
	    armkvm_fetch_insn(vcpu, sw->guest.pc, &insn))
		return armkvm_isolated_reflect(vcpu, ARMKVM_VEC_UND);
	cpsr = sw->guest.cpsr;
	return armkvm_isolated_chain(vcpu, insn, cpsr, armkvm_isolated_emulate(vcpu, insn),
				     armkvm_isolated_emulate);
}

static int armkvm_isolated_handle_exit(struct armkvm_vcpu *vcpu, int vector)
{
	struct armkvm_switch *sw = &vcpu->sw;

	trace_armkvm_exit(vcpu, vector);
	switch (vector) {
	case ARMKVM_VEC_IRQ:
	case ARMKVM_VEC_FIQ:
		/* The host has handled it by now. */
		sw->guest.pc = sw->exit_lr - 4;
		vcpu->stats.exits_irq++;
		return 1;
	case ARMKVM_VEC_UND:
		return armkvm_isolated_exit_und(vcpu);
	case ARMKVM_VEC_SVC:
		sw->guest.pc = sw->exit_lr - ((sw->guest.cpsr & PSR_T_BIT) ? 2 : 4);
		return armkvm_isolated_reflect(vcpu, vector);
	case ARMKVM_VEC_PABT:
		sw->guest.pc = sw->exit_lr - 4;
		if (armkvm_debug_bkpt_exit(vcpu))
			return 0;
		return armkvm_shadow_abort(vcpu, true);
	case ARMKVM_VEC_DABT:
		sw->guest.pc = sw->exit_lr - 8;
		return armkvm_shadow_abort(vcpu, false);
	default:
		/* Reset and the unused vector: no guest reaches them. */
		return armkvm_exit_internal(vcpu, ARMKVM_INTERNAL_UNHANDLED_EXCEPTION, 1,
					    (u32 []){ vector });
	}
}

/* Every CP15 register here is virtual: SCTLR whole (only M has an effect yet). */
static void armkvm_isolated_get_regs(struct armkvm_vcpu *vcpu, struct armkvm_core_regs *regs)
{
	armkvm_context_to_regs(&vcpu->sw.guest, &vcpu->sw.arch, regs);
}

static int armkvm_isolated_set_regs(struct armkvm_vcpu *vcpu, struct armkvm_core_regs *regs)
{
	if (!armkvm_guest_mode_ok(regs->cpsr))
		return -EINVAL;
	regs->cp15.cntp_ctl &= CNTP_CTL_ENABLE | CNTP_CTL_IMASK;
	regs->cp15.cntkctl &= CNTKCTL_MASK;
	regs->cp15.sctlr |= ARMKVM_SCTLR_RAO;
	armkvm_regs_to_context(regs, &vcpu->sw.guest, &vcpu->sw.arch);
	/* A new translation regime: nothing of the old shadow is kept. */
	armkvm_shadow_flush(vcpu);
	return 0;
}

static enum hrtimer_restart armkvm_isolated_no_poll(struct hrtimer *t)
{
	return HRTIMER_NORESTART;
}

/*
 * The virtual SCTLR at its reset value. The interrupt-window poll is
 * privileged mode's: the real CPSR.I is never set here, so the switch never
 * starts it; initialized all the same.
 */
static void armkvm_isolated_init_vcpu(struct armkvm_vcpu *vcpu)
{
	vcpu->sw.arch.sctlr = ARMKVM_SCTLR_RAO;
	hrtimer_init(&vcpu->irq_window_poll, CLOCK_MONOTONIC, HRTIMER_MODE_REL_PINNED);
	vcpu->irq_window_poll.function = armkvm_isolated_no_poll;
}

static void armkvm_isolated_release_vcpu(struct armkvm_vcpu *vcpu)
{
	hrtimer_cancel(&vcpu->irq_window_poll);
	armkvm_isolated_pv_release(vcpu);
	armkvm_shadow_release(vcpu);
}

/* The virtual registers that GET_REGS does not give. */
static const struct armkvm_arch_reg armkvm_isolated_arch_regs[] = {
	ARMKVM_ARCH_REG(ARMKVM_REG_CP15(1, 0, 0, 2), cpacr, CPACR_CP10_CP11),
	ARMKVM_ARCH_REG(ARMKVM_REG_CP15(0, 2, 0, 0), csselr, 0xf),
	ARMKVM_ARCH_REG_THUMBEE(ARMKVM_REG_TEECR, teecr, 1),
	ARMKVM_ARCH_REG_THUMBEE(ARMKVM_REG_TEEHBR, teehbr, ~0u),
	ARMKVM_ARCH_REG_HOOKS(ARMKVM_REG_PV_IRQ_WORDS, armkvm_isolated_pv_irq_reg,
			      armkvm_isolated_set_pv_irq_reg),
	ARMKVM_ARCH_REG_HOOKS(ARMKVM_REG_PV_ENTRY_TPIDRURO, armkvm_isolated_pv_tls_reg,
			      armkvm_isolated_set_pv_tls_reg),
};
static_assert(ARRAY_SIZE(armkvm_isolated_arch_regs) <= ARMKVM_MAX_ARCH_REGS);

const struct armkvm_mode_ops armkvm_isolated_ops = {
	.name		= "isolated",
	.init_vcpu	= armkvm_isolated_init_vcpu,
	.release_vcpu	= armkvm_isolated_release_vcpu,
	.prepare	= armkvm_isolated_prepare,
	.enter		= armkvm_isolated_enter,
	.handle_exit	= armkvm_isolated_handle_exit,
	.get_regs	= armkvm_isolated_get_regs,
	.set_regs	= armkvm_isolated_set_regs,
	.guest_read	= armkvm_isolated_guest_read,
	.arch_regs	= armkvm_isolated_arch_regs,
	.nr_arch_regs	= ARRAY_SIZE(armkvm_isolated_arch_regs),
};
