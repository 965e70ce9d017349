// SPDX-License-Identifier: GPL-2.0
/*
 * armkvm host module: privileged mode, one struct armkvm_mode_ops. The
 * guest runs natively in its own privileged modes, on its own translation
 * tables with the hypervisor's window in them (armkvm_mmu.c), entered
 * through the world switch (armkvm_switch.S) on this CPU's passage; its
 * exits are handled by armkvm_exit.c's table. Other modes will be other
 * files with their own ops.
 *
 * Copyright (c) 2026 The armkvm developers
 */
#include <linux/hrtimer.h>
#include <linux/module.h>
#include <linux/preempt.h>
#include <linux/sched/clock.h>
#include <linux/string.h>
#include <asm/ptrace.h>

#include "armkvm_internal.h"

/*
 * The interrupt window. A guest unmasking IRQs (an exception return, CPSIE)
 * does not trap, so an interrupt that is pending while the guest runs with
 * CPSR.I set would wait for the next exit, up to a host tick, and under a
 * storm (the line never low) forever behind its own device accesses. Like
 * x86's interrupt-window exiting, but polled: while the line is high and the
 * guest masked, a pinned timer forces an exit every IRQ_WINDOW_POLL_NS.
 */
#define IRQ_WINDOW_POLL_NS	50000

/* For measurements: 0 sends every guest exception through the host (the slow path). */
static bool forward_exceptions = true;
module_param(forward_exceptions, bool, 0644);
MODULE_PARM_DESC(forward_exceptions, "forward guest exceptions to the guest's vectors without a world switch");

static enum hrtimer_restart armkvm_irq_window_fn(struct hrtimer *t)
{
	return HRTIMER_NORESTART;	/* its interrupt has ended the guest's run */
}

/*
 * The fast path (armkvm_forward): once the guest has vectors, its system
 * calls, undefined instructions other than hypercalls and prefetch aborts go
 * straight to them without leaving the guest, and so do its data aborts once
 * its MMU is on (a domain fault, a device access, still exits). With the MMU
 * off, every data abort outside RAM is a device access. A budget of
 * forwarded exceptions per entry (FWD_BUDGET in armkvm_switch.S) bounds a
 * guest looping through its vectors with interrupts masked: the next one
 * exits, and the host gets its CPU back.
 */
static void armkvm_set_forwarding(struct armkvm_vcpu *vcpu)
{
	struct armkvm_switch *sw = &vcpu->sw;

	sw->fwd_vbar = sw->arch.vbar;
	sw->fwd_vectors = 0;
	/* A debugger's single step stops at every exception entry: the module delivers them. */
	if (!sw->arch.vbar || !forward_exceptions || armkvm_debug_stepping(vcpu))
		return;
	sw->fwd_vectors = BIT(ARMKVM_VEC_UND) | BIT(ARMKVM_VEC_SVC) | BIT(ARMKVM_VEC_PABT);
	if (armkvm_guest_mmu_on(vcpu))
		sw->fwd_vectors |= BIT(ARMKVM_VEC_DABT);
	/* A debugger's breakpoints are BKPTs: prefetch aborts it must see. */
	if (vcpu->guest_debug & ARMKVM_GUESTDBG_ENABLE)
		sw->fwd_vectors &= ~BIT(ARMKVM_VEC_PABT);
}

/* Before entering: the guest's translation regime, with the window in it. */
static int armkvm_privileged_prepare(struct armkvm_vcpu *vcpu)
{
	return armkvm_mmu_prepare(vcpu) ? armkvm_exit_mmu(vcpu) : 1;
}

static int armkvm_privileged_enter(struct armkvm_vcpu *vcpu, bool irq_line, int *vector)
{
	armkvm_set_forwarding(vcpu);
	return armkvm_switch_guest(vcpu, irq_line, vector);
}

/*
 * One world switch onto vcpu->sw (what the hardware is to hold, and the
 * fast path's settings): the guest runs until an exception reaches armkvm's
 * vectors; *vector says which. Returns 1, or what RUN returns.
 */
int armkvm_switch_guest(struct armkvm_vcpu *vcpu, bool irq_line, int *vector)
{
	struct armkvm_passage *passage, **slot;
	bool poll_irq_window, mask_timer, thumbee = vcpu->has_thumbee;
	bool native_teecr = vcpu->vm->ops == &armkvm_privileged_ops;
	u32 teecr = 0, teehbr = 0;
	u64 t0;

	/* The switch runs on this CPU's passage, in the hypervisor's window. */
	preempt_disable();
	slot = armkvm_this_cpu_slot();
	if (unlikely(!slot)) {
		preempt_enable();
		return -EOPNOTSUPP;
	}
	local_irq_disable();
	local_fiq_disable();
	poll_irq_window = irq_line && (vcpu->sw.guest.cpsr & PSR_I_BIT);
	if (poll_irq_window)
		hrtimer_start(&vcpu->irq_window_poll, ns_to_ktime(IRQ_WINDOW_POLL_NS),
			      HRTIMER_MODE_REL_PINNED);
	mask_timer = vcpu->timer_level;
	if (mask_timer)
		armkvm_ptimer_mask_local(true);
	passage = &armkvm_passage[smp_processor_id()];
	passage->sw = vcpu->sw;		/* the host's part stays in the passage */
	*slot = passage;
	/*
	 * ThumbEE's TEECR and TEEHBR: a privileged guest writes them natively
	 * (Linux's __v7_setup sets TEECR.XED, which makes TEEHBR UNDEFINED at
	 * PL0), an isolated one TEEHBR at PL0: its TEECR is virtual, the real
	 * one 0 so that TEEHBR is there at PL0 whatever the host's XED. The
	 * world switch keeps neither: the guest's go in here and come back out,
	 * the host's go back after.
	 */
	if (thumbee) {
		asm volatile("mrc p14, 6, %0, c0, c0, 0\n\t"
			     "mrc p14, 6, %1, c1, c0, 0" : "=r" (teecr), "=r" (teehbr));
		asm volatile("mcr p14, 6, %0, c0, c0, 0\n\t"
			     "mcr p14, 6, %1, c1, c0, 0\n\t"
			     "isb" : : "r" (native_teecr ? passage->sw.arch.teecr : 0),
			     "r" (passage->sw.arch.teehbr) : "memory");
	}
	/* This CPU's clock, as the scheduler's: cheaper than ktime_get_ns() at every switch. */
	t0 = local_clock();
	*vector = armkvm_world_switch(passage);
	vcpu->stats.guest_ns += local_clock() - t0;
	if (thumbee) {
		if (native_teecr)
			asm volatile("mrc p14, 6, %0, c0, c0, 0" : "=r" (passage->sw.arch.teecr));
		asm volatile("mrc p14, 6, %0, c1, c0, 0" : "=r" (passage->sw.arch.teehbr));
		asm volatile("mcr p14, 6, %0, c0, c0, 0\n\t"
			     "mcr p14, 6, %1, c1, c0, 0\n\t"
			     "isb" : : "r" (teecr), "r" (teehbr) : "memory");
	}
	vcpu->sw = passage->sw;
	if (mask_timer)
		armkvm_ptimer_mask_local(false);
	local_fiq_enable();
	local_irq_enable();	/* a pending physical interrupt is taken here */
	preempt_enable();
	if (poll_irq_window)
		hrtimer_try_to_cancel(&vcpu->irq_window_poll);
	vcpu->stats.world_switches++;
	vcpu->stats.exceptions_forwarded += vcpu->sw.forwarded;
	vcpu->sw.forwarded = 0;
	if (armkvm_mmu_after_exit(vcpu))
		return armkvm_exit_mmu(vcpu);
	return 1;
}

/* GET_REGS: SCTLR reads as the host's, with the guest's M bit. */
static void armkvm_privileged_get_regs(struct armkvm_vcpu *vcpu, struct armkvm_core_regs *regs)
{
	armkvm_context_to_regs(&vcpu->sw.guest, &vcpu->sw.arch, regs);
	regs->cp15.sctlr = armkvm_guest_sctlr(vcpu);
}

/* SET_REGS: only what is the guest's in this mode. */
static int armkvm_privileged_set_regs(struct armkvm_vcpu *vcpu, struct armkvm_core_regs *regs)
{
	if (!armkvm_guest_mode_ok(regs->cpsr))
		return -EINVAL;
	regs->cp15.sctlr &= SCTLR_M;	/* the rest is the host's */
	regs->cp15.cntp_ctl &= CNTP_CTL_ENABLE | CNTP_CTL_IMASK;	/* ISTATUS is read-only */
	regs->cp15.cntkctl &= CNTKCTL_MASK;
	armkvm_regs_to_context(regs, &vcpu->sw.guest, &vcpu->sw.arch);
	return 0;
}

static void armkvm_privileged_init_vcpu(struct armkvm_vcpu *vcpu)
{
	hrtimer_init(&vcpu->irq_window_poll, CLOCK_MONOTONIC, HRTIMER_MODE_REL_PINNED);
	vcpu->irq_window_poll.function = armkvm_irq_window_fn;
}

static void armkvm_privileged_release_vcpu(struct armkvm_vcpu *vcpu)
{
	hrtimer_cancel(&vcpu->irq_window_poll);
}

static const struct armkvm_arch_reg armkvm_privileged_arch_regs[] = {
	ARMKVM_ARCH_REG_THUMBEE(ARMKVM_REG_TEECR, teecr, 1),
	ARMKVM_ARCH_REG_THUMBEE(ARMKVM_REG_TEEHBR, teehbr, ~0u),
};
static_assert(ARRAY_SIZE(armkvm_privileged_arch_regs) <= ARMKVM_MAX_ARCH_REGS);

const struct armkvm_mode_ops armkvm_privileged_ops = {
	.name		= "privileged",
	.init_vcpu	= armkvm_privileged_init_vcpu,
	.release_vcpu	= armkvm_privileged_release_vcpu,
	.prepare	= armkvm_privileged_prepare,
	.enter		= armkvm_privileged_enter,
	.handle_exit	= armkvm_handle_exit,
	.get_regs	= armkvm_privileged_get_regs,
	.set_regs	= armkvm_privileged_set_regs,
	.guest_read	= armkvm_privileged_guest_read,
	.arch_regs	= armkvm_privileged_arch_regs,
	.nr_arch_regs	= ARRAY_SIZE(armkvm_privileged_arch_regs),
};

/* Each CPU's copy of the running vCPU's switch state: module memory, mapped in every guest. */
struct armkvm_passage armkvm_passage[NR_CPUS] __aligned(L1_CACHE_BYTES);
