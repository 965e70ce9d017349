// SPDX-License-Identifier: GPL-2.0
/*
 * armkvm host module: the run loop. It stays in the kernel for what needs
 * no userspace (physical interrupts, which the host handles the moment the
 * world switch returns and IRQs are unmasked; hypercalls and device accesses
 * the module serves) and returns to userspace for the rest, with a reason
 * (armkvm_exit.c decides which).
 *
 * Copyright (c) 2026 The armkvm developers
 */
#include <linux/hrtimer.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/timekeeping.h>
#include <asm/cacheflush.h>

#include "armkvm.h"
#include "armkvm_trace.h"

/* The vCPU's IRQ input: the in-kernel controller's output, or what userspace says. */
static bool armkvm_irq_line(struct armkvm_vcpu *vcpu)
{
	struct armkvm_vgic *g = armkvm_vm_vgic(vcpu->vm);

	return g ? armkvm_vgic_irq_out(g) : READ_ONCE(vcpu->run->irq_line);
}

/*
 * Sleep until the interrupt line rises or userspace wants the vCPU. Userspace
 * raises the line and then kicks with a signal, which wakes this sleep; the
 * run loop then returns -EINTR, and the next RUN injects the interrupt. The
 * in-kernel controller wakes it itself.
 */
void armkvm_wait_for_interrupt(struct armkvm_vcpu *vcpu)
{
	struct armkvm_run *run = vcpu->run;
	u64 ns = armkvm_ptimer_ns_left(vcpu);

	vcpu->stats.idle_waits++;
	if (!ns) {
		if (!vcpu->timer_level)
			return;		/* the guest's timer has fired: the run loop reports it */
		ns = U64_MAX;		/* and it has been */
	}
	if (ns != U64_MAX) {
		vcpu->waiter = current;
		hrtimer_start(&vcpu->ptimer, ns_to_ktime(ns), HRTIMER_MODE_REL);
	}
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (armkvm_irq_line(vcpu) || READ_ONCE(run->immediate_exit) ||
		    signal_pending(current) || READ_ONCE(vcpu->ptimer_fired))
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	hrtimer_cancel(&vcpu->ptimer);
	vcpu->ptimer_fired = false;
}

/* The guest's CNTP while the vCPU waits: wake it. */
static enum hrtimer_restart armkvm_ptimer_fn(struct hrtimer *t)
{
	struct armkvm_vcpu *vcpu = container_of(t, struct armkvm_vcpu, ptimer);

	WRITE_ONCE(vcpu->ptimer_fired, true);
	wake_up_process(vcpu->waiter);
	return HRTIMER_NORESTART;
}

/*
 * Brings the guest timer's output up to date: true if it changed and
 * userspace needs to hear of it, false when it has not changed or the
 * in-kernel interrupt controller took it.
 */
static bool armkvm_update_timer_level(struct armkvm_vcpu *vcpu)
{
	struct armkvm_vgic *g = armkvm_vm_vgic(vcpu->vm);
	bool level = armkvm_ptimer_level(vcpu);

	if (level == vcpu->timer_level)
		return false;
	vcpu->timer_level = level;
	vcpu->run->timer_level = level;
	if (!g)
		return true;
	armkvm_vgic_set_timer(g, level);
	return false;
}

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

	sw->fwd_vbar = sw->guest.vbar;
	sw->fwd_vectors = 0;
	if (!sw->guest.vbar || !forward_exceptions)
		return;
	sw->fwd_vectors = BIT(ARMKVM_VEC_UND) | BIT(ARMKVM_VEC_SVC) | BIT(ARMKVM_VEC_PABT);
	if (armkvm_guest_mmu_on(vcpu))
		sw->fwd_vectors |= BIT(ARMKVM_VEC_DABT);
}

static int armkvm_vcpu_run_loop(struct armkvm_vcpu *vcpu)
{
	struct armkvm_run *run = vcpu->run;
	struct armkvm_vm *vm = vcpu->vm;
	struct armkvm_switch *passage, **slot;
	u64 t0;
	int vector, ret;
	bool poll_irq_window, mask_timer, irq_line;

	/*
	 * Complete what userspace did for the last exit, as the module recorded
	 * it (the run page's exit_reason is userspace's to scribble on), before
	 * anything else: with immediate_exit set, RUN completes the instruction
	 * and returns -EINTR without entering the guest, as KVM does.
	 */
	switch (vcpu->pending) {
	case ARMKVM_PENDING_MMIO:
		vcpu->pending = ARMKVM_PENDING_NONE;
		if (armkvm_mmio_complete(vcpu)) {
			vcpu->pending = ARMKVM_PENDING_MMIO;
			return 0;	/* the next access of a multi-word instruction */
		}
		break;
	case ARMKVM_PENDING_HYPERCALL:
		vcpu->pending = ARMKVM_PENDING_NONE;
		memcpy(vcpu->sw.guest.usr, run->hypercall.ret, sizeof(run->hypercall.ret));
		break;
	case ARMKVM_PENDING_NONE:
		break;
	}
	run->exit_reason = ARMKVM_EXIT_UNKNOWN;

	if (!armkvm_guest_mode_ok(vcpu->sw.guest.cpsr))
		return -EINVAL;
	if (vcpu->ram_dirty) {
		/* Userspace wrote guest code through its own mapping. */
		flush_icache_range((unsigned long)page_address(vm->ram),
				   (unsigned long)page_address(vm->ram) + vm->ram_size);
		vcpu->ram_dirty = false;
	}

	for (;;) {
		if (signal_pending(current) || READ_ONCE(run->immediate_exit)) {
			armkvm_update_timer_level(vcpu);
			run->exit_reason = ARMKVM_EXIT_INTR;
			return -EINTR;
		}
		cond_resched();
		if (armkvm_update_timer_level(vcpu)) {
			run->exit_reason = ARMKVM_EXIT_TIMER;
			vcpu->stats.exits_other++;
			return 0;
		}

		irq_line = armkvm_irq_line(vcpu);
		if (irq_line && vcpu->sw.guest.vbar && !(vcpu->sw.guest.cpsr & PSR_I_BIT))
			armkvm_inject_irq(vcpu);

		if (armkvm_mmu_prepare(vcpu))
			return armkvm_exit_mmu(vcpu);

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
		armkvm_set_forwarding(vcpu);
		mask_timer = vcpu->timer_level;
		if (mask_timer)
			armkvm_ptimer_mask_local(true);
		passage = &armkvm_passage[smp_processor_id()];
		memcpy(passage, &vcpu->sw, sizeof(*passage));
		*slot = passage;
		t0 = ktime_get_ns();
		vector = armkvm_world_switch(passage);
		vcpu->stats.guest_ns += ktime_get_ns() - t0;
		memcpy(&vcpu->sw, passage, sizeof(*passage));
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

		ret = armkvm_handle_exit(vcpu, vector);
		if (ret <= 0) {
			armkvm_update_timer_level(vcpu);
			return ret;
		}
	}
}

/* The in-kernel interrupt controller wakes or kicks the vCPU thread while it runs. */
int armkvm_vcpu_run(struct armkvm_vcpu *vcpu)
{
	struct armkvm_vgic *g = armkvm_vm_vgic(vcpu->vm);
	int ret;

	if (g)
		armkvm_vgic_set_vcpu_task(g, current);
	ret = armkvm_vcpu_run_loop(vcpu);
	if (g)
		armkvm_vgic_set_vcpu_task(g, NULL);
	trace_armkvm_userspace_exit(ret, vcpu->run->exit_reason);
	return ret;
}

/* The vCPU's timers: the interrupt window's poll and the guest's CNTP while it waits. */
void armkvm_run_init_timers(struct armkvm_vcpu *vcpu)
{
	hrtimer_init(&vcpu->irq_window_poll, CLOCK_MONOTONIC, HRTIMER_MODE_REL_PINNED);
	vcpu->irq_window_poll.function = armkvm_irq_window_fn;
	hrtimer_init(&vcpu->ptimer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	vcpu->ptimer.function = armkvm_ptimer_fn;
}

/* Each CPU's copy of the running vCPU's switch state: module memory, mapped in every guest. */
struct armkvm_switch armkvm_passage[NR_CPUS] __aligned(L1_CACHE_BYTES);
