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
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <asm/cacheflush.h>

#include "armkvm_internal.h"
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
 * in-kernel interrupt controller took it. That controller's line is set at
 * every turn, not only at a change: a loaded state (SET_IRQCHIP and the
 * timer's registers, loadvm) may hold another level than the last one seen.
 */
static bool armkvm_update_timer_level(struct armkvm_vcpu *vcpu)
{
	struct armkvm_vgic *g = armkvm_vm_vgic(vcpu->vm);
	bool level = armkvm_ptimer_level(vcpu), changed = level != vcpu->timer_level;

	vcpu->timer_level = level;
	vcpu->run->timer_level = level;
	if (g) {
		armkvm_vgic_set_timer(g, level);
		return false;
	}
	return changed;
}

/*
 * Guest RAM's data to the point of unification and the instruction caches
 * invalidated: code the guest or userspace wrote with data stores runs.
 * Bounded by the VM's RAM; ARMKVM_HC_CACHE_SYNC and ram_dirty.
 */
void armkvm_guest_ram_coherent(struct armkvm_vm *vm)
{
	if (vm->ram)
		flush_icache_range((unsigned long)page_address(vm->ram),
				   (unsigned long)page_address(vm->ram) + vm->ram_size);
	else
		armkvm_guest_ram_sync(vm);
}

static int armkvm_vcpu_run_loop(struct armkvm_vcpu *vcpu)
{
	const struct armkvm_mode_ops *ops = vcpu->vm->ops;
	struct armkvm_run *run = vcpu->run;
	struct armkvm_vm *vm = vcpu->vm;
	int vector, ret;
	u32 pc, cpsr;
	bool irq_line, completed;

	/*
	 * Complete what userspace did for the last exit, as the module recorded
	 * it (the run page's exit_reason is userspace's to scribble on), before
	 * anything else: with immediate_exit set, RUN completes the instruction
	 * and returns -EINTR without entering the guest, as KVM does.
	 */
	completed = vcpu->pending != ARMKVM_PENDING_NONE;
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
	/* A single step over a device access or a hypercall ends with its completion. */
	if (completed && armkvm_debug_stepping(vcpu))
		vcpu->debug_step_done = true;
	if (vcpu->ram_dirty) {
		/* Userspace wrote guest code through its own mapping. */
		armkvm_guest_ram_coherent(vm);
		vcpu->ram_dirty = false;
	}

	for (;;) {
		if (signal_pending(current) || READ_ONCE(run->immediate_exit)) {
			armkvm_update_timer_level(vcpu);
			run->exit_reason = ARMKVM_EXIT_INTR;
			return -EINTR;
		}
		if (armkvm_debug_step_exit(vcpu, vcpu->debug_step_done))
			return 0;
		cond_resched();
		if (armkvm_update_timer_level(vcpu)) {
			run->exit_reason = ARMKVM_EXIT_TIMER;
			vcpu->stats.exits_other++;
			return 0;
		}

		/* A debugger's single step holds virtual interrupts, as QEMU's does under TCG. */
		irq_line = armkvm_irq_line(vcpu) && !armkvm_debug_stepping(vcpu);
		if (irq_line && armkvm_has_vectors(vcpu) && !(vcpu->sw.guest.cpsr & PSR_I_BIT))
			armkvm_inject_irq(vcpu);

		ret = ops->prepare(vcpu);
		if (ret <= 0)
			return ret;
		pc = vcpu->sw.guest.pc;
		cpsr = vcpu->sw.guest.cpsr;
		ret = ops->enter(vcpu, irq_line, &vector);
		if (ret <= 0)
			return ret;
		ret = ops->handle_exit(vcpu, vector);
		if (ret <= 0) {
			armkvm_update_timer_level(vcpu);
			return ret;
		}
		if (armkvm_debug_step_exit(vcpu, vcpu->sw.guest.pc != pc ||
						 vcpu->sw.guest.cpsr != cpsr)) {
			armkvm_update_timer_level(vcpu);
			return 0;
		}
	}
}

/* The in-kernel interrupt controller wakes or kicks the vCPU thread while it runs. */
int armkvm_vcpu_run(struct armkvm_vcpu *vcpu)
{
	struct armkvm_vgic *g = armkvm_vm_vgic(vcpu->vm);
	int ret;

	armkvm_memslot_freeze(vcpu->vm);
	if (g)
		armkvm_vgic_set_vcpu_task(g, current);
	ret = armkvm_vcpu_run_loop(vcpu);
	if (g)
		armkvm_vgic_set_vcpu_task(g, NULL);
	trace_armkvm_userspace_exit(ret, vcpu->run->exit_reason);
	return ret;
}

/* The guest's CNTP while the vCPU waits. */
void armkvm_run_init_timers(struct armkvm_vcpu *vcpu)
{
	hrtimer_init(&vcpu->ptimer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	vcpu->ptimer.function = armkvm_ptimer_fn;
}
