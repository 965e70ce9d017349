// SPDX-License-Identifier: GPL-2.0
/*
 * armkvm host module: a vCPU, its run loop and its register state.
 *
 * The run loop stays in the kernel for what needs no userspace (physical
 * interrupts, which the host handles the moment the world switch returns and
 * IRQs are unmasked) and exits to userspace for device accesses, hypercalls,
 * signals and anything it cannot run, with a reason.
 *
 * Copyright (c) 2026 The armkvm developers
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/hrtimer.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <asm/cacheflush.h>
#include <asm/cputype.h>
#include <asm/vfp.h>

#include "armkvm.h"

/* Register n (0-15) as the guest sees it in its current mode. */
u32 *armkvm_vcpu_reg(struct armkvm_vcpu *vcpu, unsigned int n)
{
	struct armkvm_core_regs *r = &vcpu->sw.guest;
	u32 *bank;

	if (n == 15)
		return &r->pc;
	if (n < 13)
		return &r->usr[n];
	switch (r->cpsr & MODE_MASK) {
	case SVC_MODE:
		bank = r->svc;
		break;
	case ABT_MODE:
		bank = r->abt;
		break;
	case UND_MODE:
		bank = r->und;
		break;
	case IRQ_MODE:
		bank = r->irq;
		break;
	default:
		bank = &r->usr[13];
		break;
	}
	return &bank[n - 13];
}

static bool armkvm_guest_mode_ok(u32 cpsr)
{
	switch (cpsr & MODE_MASK) {
	case USR_MODE: case SVC_MODE: case ABT_MODE: case UND_MODE:
	case IRQ_MODE: case SYSTEM_MODE:
		return true;
	default:	/* FIQ is the hypervisor's; Hyp and Monitor do not exist here */
		return false;
	}
}

static int armkvm_exit_internal(struct armkvm_vcpu *vcpu, u32 suberror,
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

/* HVC on a CPU without virtualization extensions is UNDEFINED: armkvm's hypercall. */
static bool armkvm_is_hvc(u32 insn)
{
	return (insn & 0xfff000f0) == 0xe1400070;
}

/*
 * Enter an exception mode at the guest's vector, as the CPU does (and as
 * armkvm_forward does for the exceptions it forwards): ARM state, little
 * endian (SCTLR.TE and EE are 0), IT and J cleared, IRQs masked, and asynchronous
 * aborts masked too for aborts and IRQs.
 */
static void armkvm_enter_vector(struct armkvm_vcpu *vcpu, int vector, u32 mode)
{
	struct armkvm_core_regs *r = &vcpu->sw.guest;
	u32 cpsr = r->cpsr & ~(MODE_MASK | PSR_T_BIT | PSR_IT_MASK | PSR_J_BIT | PSR_E_BIT);

	cpsr |= mode | PSR_I_BIT;
	if (mode == ABT_MODE || mode == IRQ_MODE)
		cpsr |= PSR_A_BIT;
	r->cpsr = cpsr;
	r->pc = r->vbar + vector * 4;
}

/*
 * An exception the guest takes itself: the CPU already put the return address
 * and the old CPSR in the exception mode's LR and SPSR (saved with the guest's
 * banked registers); what is left is entering that mode at the guest's vector.
 */
static int armkvm_deliver_exception(struct armkvm_vcpu *vcpu, int vector)
{
	static const u8 mode_of[8] = {
		[ARMKVM_VEC_UND] = UND_MODE, [ARMKVM_VEC_SVC] = SVC_MODE,
		[ARMKVM_VEC_PABT] = ABT_MODE, [ARMKVM_VEC_DABT] = ABT_MODE,
	};

	if (vector == ARMKVM_VEC_PABT || vector == ARMKVM_VEC_DABT)
		armkvm_mmu_take_fault(vcpu);
	armkvm_enter_vector(vcpu, vector, mode_of[vector]);
	vcpu->stats.exceptions_delivered++;
	return 1;
}

/*
 * A virtual interrupt: taken like a real IRQ exception, with the return
 * address and CPSR the architecture gives (LR_irq = next instruction + 4).
 */
static void armkvm_inject_irq(struct armkvm_vcpu *vcpu)
{
	struct armkvm_core_regs *r = &vcpu->sw.guest;

	r->irq[1] = r->pc + 4;
	r->irq[2] = r->cpsr;
	armkvm_enter_vector(vcpu, ARMKVM_VEC_IRQ, IRQ_MODE);
	vcpu->stats.irqs_injected++;
}

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
static void armkvm_wait_for_interrupt(struct armkvm_vcpu *vcpu)
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

/* Hypercalls the module answers itself; false for those userspace serves. */
static bool armkvm_hypercall_in_kernel(struct armkvm_vcpu *vcpu)
{
	u32 *r = vcpu->sw.guest.usr;

	switch (r[0]) {
	case ARMKVM_HC_SET_VECTORS:
		vcpu->sw.guest.vbar = r[1] & ~0x1fu;
		r[0] = 0;
		return true;
	case ARMKVM_HC_WAIT_FOR_INTERRUPT:
		armkvm_wait_for_interrupt(vcpu);
		r[0] = 0;
		return true;
	case ARMKVM_HC_RAM_BASE:
		r[0] = 0;
		r[1] = vcpu->vm->ram_hpa;
		r[2] = vcpu->vm->ram_gpa;
		return true;
	case ARMKVM_HC_MMU_ENABLE:
		r[0] = armkvm_mmu_enable(vcpu, r[1], r[2], r[3]) ?
		       ARMKVM_HC_INVALID_PARAMETERS : 0;
		return true;
	default:
		return false;
	}
}

/* The guest's translation regime is one armkvm cannot run it on. */
static int armkvm_exit_mmu(struct armkvm_vcpu *vcpu)
{
	const struct armkvm_cp15_regs *c = &vcpu->sw.guest.cp15;
	u32 data[5] = { c->ttbr0, c->ttbr1, c->ttbcr, c->dacr, vcpu->sw.guest.pc };

	return armkvm_exit_internal(vcpu, ARMKVM_INTERNAL_GUEST_MMU, 5, data);
}

/*
 * The interrupt window. A guest unmasking IRQs (an exception return, CPSIE)
 * does not trap, so an interrupt that is pending while the guest runs with
 * CPSR.I set would wait for the next exit, up to a host tick, and under a
 * storm (the line never low) forever behind its own device accesses. Like
 * x86's interrupt-window exiting, but polled: while the line is high and the
 * guest masked, a pinned timer forces an exit every WINDOW_POLL_NS.
 */
#define WINDOW_POLL_NS	50000

/* For measurements: 0 sends every guest exception through the host (the slow path). */
static bool forward_exceptions = true;
module_param(forward_exceptions, bool, 0644);
MODULE_PARM_DESC(forward_exceptions, "forward guest exceptions to the guest's vectors without a world switch");

static enum hrtimer_restart armkvm_window_fn(struct hrtimer *t)
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

/* Returns 1 to enter the guest again, 0 to return to userspace. */
static int armkvm_handle_exit(struct armkvm_vcpu *vcpu, int vector)
{
	struct armkvm_switch *sw = &vcpu->sw;
	struct armkvm_run *run = vcpu->run;
	u32 insn, pa, data[6];
	bool thumb = sw->guest.cpsr & PSR_T_BIT;

	switch (vector) {
	case ARMKVM_VEC_IRQ:
	case ARMKVM_VEC_FIQ:
		/* A physical interrupt: the host has handled it by now. */
		sw->guest.pc = sw->exit_lr - 4;
		vcpu->stats.exits_irq++;
		return 1;
	case ARMKVM_VEC_UND:
		sw->guest.pc = sw->exit_lr - (thumb ? 2 : 4);
		/* HVC at PL0 is UNDEFINED, for the guest's kernel to handle. */
		if (!thumb && (sw->guest.cpsr & MODE_MASK) != USR_MODE &&
		    !armkvm_fetch_insn(vcpu, sw->guest.pc, &insn) && armkvm_is_hvc(insn)) {
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
		break;
	case ARMKVM_VEC_DABT:
		sw->guest.pc = sw->exit_lr - 8;
		if (armkvm_mmu_is_device_abort(vcpu, sw->hw.dfsr, sw->hw.dfar, &pa)) {
			struct armkvm_vgic *g = armkvm_vm_vgic(vcpu->vm);

			if (armkvm_mmio_decode(vcpu, &data[0], pa)) {
				data[1] = sw->guest.pc;
				return armkvm_exit_internal(vcpu, ARMKVM_INTERNAL_MMIO_DECODE, 2, data);
			}
			if (g && armkvm_vgic_owns(g, pa)) {
				armkvm_mmio_serve_vgic(vcpu);
				return 1;
			}
			vcpu->stats.exits_mmio++;
			vcpu->pending = ARMKVM_PENDING_MMIO;
			return 0;
		}
		break;
	case ARMKVM_VEC_PABT:
		sw->guest.pc = sw->exit_lr - 4;
		break;
	case ARMKVM_VEC_SVC:
		sw->guest.pc = sw->exit_lr - (thumb ? 2 : 4);
		break;
	default:
		sw->guest.pc = sw->exit_lr;
		break;
	}
	if (vcpu->sw.guest.vbar && vector >= ARMKVM_VEC_UND && vector <= ARMKVM_VEC_DABT)
		return armkvm_deliver_exception(vcpu, vector);
	/* The guest gave no vectors to take it: say what happened. */
	data[0] = vector;
	data[1] = sw->guest.pc;
	data[2] = sw->hw.dfsr;
	data[3] = sw->hw.dfar;
	data[4] = sw->hw.ifsr;
	data[5] = sw->hw.ifar;
	return armkvm_exit_internal(vcpu, ARMKVM_INTERNAL_UNHANDLED_EXCEPTION, 6, data);
}

/* Debugging a guest: log this many exits (writable in /sys/module/armkvm/parameters). */
static unsigned int trace_exits;
module_param(trace_exits, uint, 0644);
MODULE_PARM_DESC(trace_exits, "log the next N guest exits (vector, pc, cpsr, lr, fault registers)");

/* One exit's share of trace_exits, taken atomically: vCPUs race for the last ones. */
static bool armkvm_trace_this_exit(void)
{
	unsigned int n = READ_ONCE(trace_exits), old;

	while (n) {
		old = cmpxchg(&trace_exits, n, n - 1);
		if (old == n)
			return true;
		n = old;
	}
	return false;
}

static void armkvm_trace_exit(struct armkvm_vcpu *vcpu, int vector)
{
	const struct armkvm_switch *sw = &vcpu->sw;

	pr_info("armkvm: exit %d pc %08x cpsr %08x lr %08x dfsr %03x dfar %08x ifsr %03x ifar %08x ttbr0 %08x mmu %d\n",
		vector, sw->guest.pc, sw->guest.cpsr, sw->exit_lr, sw->hw.dfsr, sw->hw.dfar,
		sw->hw.ifsr, sw->hw.ifar, sw->hw.ttbr0, armkvm_guest_mmu_on(vcpu));
}

static int armkvm_vcpu_run_loop(struct armkvm_vcpu *vcpu)
{
	struct armkvm_run *run = vcpu->run;
	struct armkvm_vm *vm = vcpu->vm;
	struct armkvm_switch *passage, **slot;
	u64 t0;
	int vector, ret;
	bool window, mask_timer, irq_line;

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
		window = irq_line && (vcpu->sw.guest.cpsr & PSR_I_BIT);
		if (window)
			hrtimer_start(&vcpu->window, ns_to_ktime(WINDOW_POLL_NS),
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
		if (window)
			hrtimer_try_to_cancel(&vcpu->window);
		vcpu->stats.world_switches++;
		vcpu->stats.exceptions_forwarded += vcpu->sw.forwarded;
		vcpu->sw.forwarded = 0;
		if (armkvm_mmu_after_exit(vcpu))
			return armkvm_exit_mmu(vcpu);

		if (unlikely(READ_ONCE(trace_exits)) && armkvm_trace_this_exit())
			armkvm_trace_exit(vcpu, vector);
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
	return ret;
}

static long armkvm_vcpu_ioctl(struct file *filp, unsigned int ioctl, unsigned long arg)
{
	struct armkvm_vcpu *vcpu = filp->private_data;
	void __user *argp = (void __user *)arg;
	struct armkvm_core_regs regs;
	long ret;

	if (!mutex_trylock(&vcpu->lock))
		return -EBUSY;
	switch (ioctl) {
	case ARMKVM_RUN:
		ret = arg ? -EINVAL : armkvm_vcpu_run(vcpu);
		break;
	case ARMKVM_GET_REGS:
		regs = vcpu->sw.guest;
		regs.cp15.sctlr = armkvm_guest_sctlr(vcpu);
		ret = copy_to_user(argp, &regs, sizeof(regs)) ? -EFAULT : 0;
		break;
	case ARMKVM_SET_REGS:
		ret = -EFAULT;
		if (copy_from_user(&regs, argp, sizeof(regs)))
			break;
		ret = -EINVAL;
		if (!armkvm_guest_mode_ok(regs.cpsr))
			break;
		regs.cp15.sctlr &= SCTLR_M;	/* the rest is the host's */
		regs.cp15.cntp_ctl &= CNTP_CTL_ENABLE | CNTP_CTL_IMASK;	/* ISTATUS is read-only */
		regs.cp15.cntkctl &= CNTKCTL_MASK;
		vcpu->sw.guest = regs;
		/* New state (reset, loadvm): the last exit's instruction is history. */
		vcpu->pending = ARMKVM_PENDING_NONE;
		vcpu->mmio.count = 0;
		vcpu->mmio.done = 0;
		vcpu->ram_dirty = true;
		ret = 0;
		break;
	case ARMKVM_GET_STATS:
		ret = copy_to_user(argp, &vcpu->stats, sizeof(vcpu->stats)) ? -EFAULT : 0;
		break;
	case ARMKVM_GET_VFP: {
		struct armkvm_vfp_regs vfp = {
			.fpscr = vcpu->sw.guest_fpscr, .fpexc = vcpu->sw.guest_fpexc,
		};

		memcpy(vfp.d, vcpu->sw.guest_d, sizeof(vfp.d));
		ret = copy_to_user(argp, &vfp, sizeof(vfp)) ? -EFAULT : 0;
		break;
	}
	case ARMKVM_SET_VFP: {
		struct armkvm_vfp_regs vfp;

		ret = -EFAULT;
		if (copy_from_user(&vfp, argp, sizeof(vfp)))
			break;
		memcpy(vcpu->sw.guest_d, vfp.d, sizeof(vfp.d));
		if (!vcpu->sw.vfp_d32)
			memset(&vcpu->sw.guest_d[16], 0, 16 * sizeof(u64));
		vcpu->sw.guest_fpscr = vfp.fpscr;
		/* Only EN is the guest's to set here; the exception bits are not emulated. */
		vcpu->sw.guest_fpexc = vfp.fpexc & FPEXC_EN;
		ret = 0;
		break;
	}
	default:
		ret = -ENOTTY;
	}
	mutex_unlock(&vcpu->lock);
	return ret;
}

static int armkvm_vcpu_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct armkvm_vcpu *vcpu = filp->private_data;

	if (vma->vm_pgoff || vma->vm_end - vma->vm_start != PAGE_SIZE)
		return -EINVAL;
	return remap_vmalloc_range(vma, vcpu->run, 0);
}

static int armkvm_vcpu_release(struct inode *inode, struct file *filp)
{
	struct armkvm_vcpu *vcpu = filp->private_data;
	struct armkvm_vm *vm = vcpu->vm;

	mutex_lock(&vm->lock);
	vm->has_vcpu = false;
	mutex_unlock(&vm->lock);
	hrtimer_cancel(&vcpu->window);
	hrtimer_cancel(&vcpu->ptimer);
	vfree(vcpu->run);
	fput(vcpu->vm_file);
	kfree(vcpu);
	return 0;
}

static const struct file_operations armkvm_vcpu_fops = {
	.owner		= THIS_MODULE,
	.release	= armkvm_vcpu_release,
	.unlocked_ioctl	= armkvm_vcpu_ioctl,
	.mmap		= armkvm_vcpu_mmap,
	.llseek		= noop_llseek,
};

int armkvm_create_vcpu(struct armkvm_vm *vm, struct file *vm_file, unsigned long id)
{
	struct armkvm_vcpu *vcpu;
	u32 mvfr0;
	int ret;

	if (id != 0)
		return -EINVAL;	/* one vCPU per VM until SMP guests */
	vcpu = kzalloc(sizeof(*vcpu), GFP_KERNEL);
	if (!vcpu)
		return -ENOMEM;
	vcpu->run = vmalloc_user(PAGE_SIZE);
	if (!vcpu->run) {
		kfree(vcpu);
		return -ENOMEM;
	}
	mutex_init(&vcpu->lock);
	hrtimer_init(&vcpu->window, CLOCK_MONOTONIC, HRTIMER_MODE_REL_PINNED);
	vcpu->window.function = armkvm_window_fn;
	hrtimer_init(&vcpu->ptimer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	vcpu->ptimer.function = armkvm_ptimer_fn;
	vcpu->sw.has_gtimer = armkvm_cpu_has_gtimer();
	vcpu->sw.has_pmu = armkvm_cpu_has_pmu();
	vcpu->vm = vm;
	vcpu->ram_dirty = true;
	/*
	 * Reset state, the architecture's: SVC mode, IRQs and FIQs masked (F in the
	 * guest's view only: the switch runs it with F clear), at the start of RAM.
	 */
	vcpu->sw.guest.cpsr = SVC_MODE | PSR_I_BIT | PSR_F_BIT;
	vcpu->sw.guest.pc = vm->ram_gpa;
	/* MMU off; memory attributes as the host's until the guest sets its own. */
	asm volatile("mrc p15, 0, %0, c10, c2, 0" : "=r" (vcpu->sw.guest.cp15.prrr));
	asm volatile("mrc p15, 0, %0, c10, c2, 1" : "=r" (vcpu->sw.guest.cp15.nmrr));
	/* MVFR0[3:0] == 2: 32 double registers (VFPv3-D32, NEON). */
	asm volatile("mrc p10, 7, %0, cr7, cr0, 0" : "=r" (mvfr0));	/* VMRS MVFR0 */
	vcpu->sw.vfp_d32 = (mvfr0 & 0xf) == 2;

	mutex_lock(&vm->lock);
	if (vm->has_vcpu) {
		mutex_unlock(&vm->lock);
		vfree(vcpu->run);
		kfree(vcpu);
		return -EEXIST;
	}
	vm->has_vcpu = true;
	mutex_unlock(&vm->lock);

	get_file(vm_file);
	vcpu->vm_file = vm_file;
	ret = anon_inode_getfd("armkvm-vcpu", &armkvm_vcpu_fops, vcpu, O_RDWR | O_CLOEXEC);
	if (ret < 0) {
		fput(vm_file);
		mutex_lock(&vm->lock);
		vm->has_vcpu = false;
		mutex_unlock(&vm->lock);
		vfree(vcpu->run);
		kfree(vcpu);
	}
	return ret;
}

/* Each CPU's copy of the running vCPU's switch state: module memory, mapped in every guest. */
struct armkvm_switch armkvm_passage[NR_CPUS] __aligned(L1_CACHE_BYTES);
