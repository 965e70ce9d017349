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
#include <linux/mm.h>
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

/* All clients: the guest's sections and the copied host kernel entries are checked by AP. */
#define GUEST_DACR	0x55555555

static void armkvm_check_layout(void)
{
	BUILD_BUG_ON(offsetof(struct armkvm_switch, guest.usr[8]) != 32);
	BUILD_BUG_ON(offsetof(struct armkvm_switch, guest.pc) != 60);
	BUILD_BUG_ON(offsetof(struct armkvm_switch, guest.cpsr) != 64);
	BUILD_BUG_ON(offsetof(struct armkvm_switch, guest.svc) != 68);
	BUILD_BUG_ON(offsetof(struct armkvm_switch, guest.abt) != 80);
	BUILD_BUG_ON(offsetof(struct armkvm_switch, guest.und) != 92);
	BUILD_BUG_ON(offsetof(struct armkvm_switch, guest.irq) != 104);
	BUILD_BUG_ON(offsetof(struct armkvm_switch, guest_ttbr0) != 120);
	BUILD_BUG_ON(offsetof(struct armkvm_switch, guest_dacr) != 124);
	BUILD_BUG_ON(offsetof(struct armkvm_switch, exit_vector) != 128);
	BUILD_BUG_ON(offsetof(struct armkvm_switch, exit_lr) != 132);
	BUILD_BUG_ON(offsetof(struct armkvm_switch, dfsr) != 136);
	BUILD_BUG_ON(offsetof(struct armkvm_switch, host_sp) != 152);
	BUILD_BUG_ON(offsetof(struct armkvm_switch, host_cpsr) != 156);
	BUILD_BUG_ON(offsetof(struct armkvm_switch, host_banked) != 160);
	BUILD_BUG_ON(offsetof(struct armkvm_switch, host_cp15) != 228);
	BUILD_BUG_ON(offsetof(struct armkvm_switch, guest_fpexc) != 268);
	BUILD_BUG_ON(offsetof(struct armkvm_switch, guest_fpscr) != 272);
	BUILD_BUG_ON(offsetof(struct armkvm_switch, guest_d) != 280);
	BUILD_BUG_ON(offsetof(struct armkvm_switch, host_fpscr) != 536);
	BUILD_BUG_ON(offsetof(struct armkvm_switch, host_d) != 544);
	BUILD_BUG_ON(offsetof(struct armkvm_switch, vfp_d32) != 800);
}

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
	unsigned int i;

	run->exit_reason = ARMKVM_EXIT_INTERNAL_ERROR;
	run->internal.suberror = suberror;
	run->internal.ndata = min_t(unsigned int, ndata, ARRAY_SIZE(run->internal.data));
	for (i = 0; i < run->internal.ndata; i++)
		run->internal.data[i] = data[i];
	vcpu->stats.exits_other++;
	return 0;
}

/* Reads the guest's instruction at its virtual pc through the armkvm-built table. */
static int armkvm_fetch_insn(struct armkvm_vcpu *vcpu, u32 pc, u32 *insn)
{
	struct armkvm_vm *vm = vcpu->vm;
	u32 off = pc - vm->ram_gpa;

	if (pc < vm->ram_gpa || off > vm->ram_size - 4 || (pc & 3))
		return -EFAULT;
	*insn = *(u32 *)(page_address(vm->ram) + off);
	return 0;
}

/* HVC on a CPU without virtualization extensions is UNDEFINED: armkvm's hypercall. */
static bool armkvm_is_hvc(u32 insn)
{
	return (insn & 0xfff000f0) == 0xe1400070;
}

/*
 * An exception the guest takes itself: the CPU already put the return address
 * and the old CPSR in the exception mode's LR and SPSR (saved with the guest's
 * banked registers); what is left is entering that mode at the guest's vector.
 */
/*
 * Enter an exception mode at the guest's vector, as the CPU does: ARM state
 * (SCTLR.TE and EE are 0), IT and J cleared, IRQs masked, and asynchronous
 * aborts masked too for aborts and IRQs.
 */
static void armkvm_enter_vector(struct armkvm_vcpu *vcpu, int vector, u32 mode)
{
	struct armkvm_core_regs *r = &vcpu->sw.guest;
	u32 cpsr = r->cpsr & ~(MODE_MASK | PSR_T_BIT | PSR_IT_MASK | PSR_J_BIT);

	cpsr |= mode | PSR_I_BIT;
	if (mode == ABT_MODE || mode == IRQ_MODE)
		cpsr |= PSR_A_BIT;
	r->cpsr = cpsr;
	r->pc = r->vbar + vector * 4;
}

static int armkvm_deliver_exception(struct armkvm_vcpu *vcpu, int vector)
{
	static const u8 mode_of[8] = {
		[ARMKVM_VEC_UND] = UND_MODE, [ARMKVM_VEC_SVC] = SVC_MODE,
		[ARMKVM_VEC_PABT] = ABT_MODE, [ARMKVM_VEC_DABT] = ABT_MODE,
	};

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

/*
 * Sleep until the interrupt line rises or userspace wants the vCPU. Userspace
 * raises the line and then kicks with a signal, which wakes this sleep; the
 * run loop then returns -EINTR, and the next RUN injects the interrupt.
 */
static void armkvm_wait_for_interrupt(struct armkvm_vcpu *vcpu)
{
	struct armkvm_run *run = vcpu->run;

	vcpu->stats.idle_waits++;
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (READ_ONCE(run->irq_line) || READ_ONCE(run->immediate_exit) ||
		    signal_pending(current))
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
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
	default:
		return false;
	}
}

/* Returns 1 to enter the guest again, 0 to return to userspace. */
static int armkvm_handle_exit(struct armkvm_vcpu *vcpu, int vector)
{
	struct armkvm_switch *sw = &vcpu->sw;
	struct armkvm_run *run = vcpu->run;
	u32 insn, data[6];
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
		if (!thumb && !armkvm_fetch_insn(vcpu, sw->guest.pc, &insn) &&
		    armkvm_is_hvc(insn)) {
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
			return 0;
		}
		break;
	case ARMKVM_VEC_DABT:
		sw->guest.pc = sw->exit_lr - 8;
		/* Translation faults outside guest RAM are device accesses. */
		if ((sw->dfsr & 0x40f) == 0x5 || (sw->dfsr & 0x40f) == 0x7) {
			if (thumb || armkvm_fetch_insn(vcpu, sw->guest.pc, &insn)) {
				data[0] = 0;
				data[1] = sw->guest.pc;
				return armkvm_exit_internal(vcpu, ARMKVM_INTERNAL_MMIO_DECODE, 2, data);
			}
			if (armkvm_mmio_decode(vcpu, insn)) {
				data[0] = insn;
				data[1] = sw->guest.pc;
				return armkvm_exit_internal(vcpu, ARMKVM_INTERNAL_MMIO_DECODE, 2, data);
			}
			vcpu->stats.exits_mmio++;
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
	data[2] = sw->dfsr;
	data[3] = sw->dfar;
	data[4] = sw->ifsr;
	data[5] = sw->ifar;
	return armkvm_exit_internal(vcpu, ARMKVM_INTERNAL_UNHANDLED_EXCEPTION, 6, data);
}

int armkvm_vcpu_run(struct armkvm_vcpu *vcpu)
{
	struct armkvm_run *run = vcpu->run;
	struct armkvm_vm *vm = vcpu->vm;
	u64 t0;
	int vector, ret;

	/* Complete what userspace did for the last exit. */
	if (run->exit_reason == ARMKVM_EXIT_MMIO)
		armkvm_mmio_complete(vcpu);
	else if (run->exit_reason == ARMKVM_EXIT_HYPERCALL)
		memcpy(vcpu->sw.guest.usr, run->hypercall.ret, sizeof(run->hypercall.ret));
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
			run->exit_reason = ARMKVM_EXIT_INTR;
			return -EINTR;
		}
		cond_resched();

		if (READ_ONCE(run->irq_line) && vcpu->sw.guest.vbar &&
		    !(vcpu->sw.guest.cpsr & PSR_I_BIT))
			armkvm_inject_irq(vcpu);

		preempt_disable();
		local_irq_disable();
		local_fiq_disable();
		armkvm_running[read_cpuid_mpidr() & 0xff] = &vcpu->sw;
		armkvm_vm_sync_kernel_mappings(vm);
		t0 = ktime_get_ns();
		vector = armkvm_world_switch(&vcpu->sw);
		vcpu->stats.guest_ns += ktime_get_ns() - t0;
		local_fiq_enable();
		local_irq_enable();	/* a pending physical interrupt is taken here */
		preempt_enable();
		vcpu->stats.world_switches++;

		ret = armkvm_handle_exit(vcpu, vector);
		if (ret <= 0)
			return ret;
	}
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
		ret = copy_to_user(argp, &vcpu->sw.guest, sizeof(regs)) ? -EFAULT : 0;
		break;
	case ARMKVM_SET_REGS:
		ret = -EFAULT;
		if (copy_from_user(&regs, argp, sizeof(regs)))
			break;
		ret = -EINVAL;
		if (!armkvm_guest_mode_ok(regs.cpsr))
			break;
		vcpu->sw.guest = regs;
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
	u32 ttbr0, mvfr0;
	int ret;

	armkvm_check_layout();
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
	vcpu->vm = vm;
	vcpu->ram_dirty = true;
	/* Reset state: SVC mode, interrupts masked, at the start of RAM. */
	vcpu->sw.guest.cpsr = SVC_MODE | PSR_I_BIT | PSR_F_BIT;
	vcpu->sw.guest.pc = vm->ram_gpa;
	/* The table walk attributes (low bits) follow the host's own TTBR0. */
	asm volatile("mrc p15, 0, %0, c2, c0, 0" : "=r" (ttbr0));
	vcpu->sw.guest_ttbr0 = page_to_phys(vm->l1_page) | (ttbr0 & 0x7f);
	vcpu->sw.guest_dacr = GUEST_DACR;
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

/* The switch state of the guest each physical CPU runs, by MPIDR.Aff0: read by armkvm_vectors. */
struct armkvm_switch *armkvm_running[256];
