// SPDX-License-Identifier: GPL-2.0
/*
 * armkvm host module: the vCPU file: its creation, its ioctls (RUN,
 * statistics; the register ioctls are armkvm_regs.c's), its shared run page.
 *
 * Copyright (c) 2026 The armkvm developers
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/hrtimer.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <asm/vfp.h>

#include "armkvm_internal.h"

static long armkvm_vcpu_ioctl(struct file *filp, unsigned int ioctl, unsigned long arg)
{
	struct armkvm_vcpu *vcpu = filp->private_data;
	void __user *argp = (void __user *)arg;
	long ret;

	if (!mutex_trylock(&vcpu->lock))
		return -EBUSY;
	switch (ioctl) {
	case ARMKVM_RUN:
		ret = arg ? -EINVAL : armkvm_vcpu_run(vcpu);
		break;
	case ARMKVM_GET_STATS:
		ret = copy_to_user(argp, &vcpu->stats, sizeof(vcpu->stats)) ? -EFAULT : 0;
		break;
	case ARMKVM_SET_GUEST_DEBUG:
		ret = armkvm_set_guest_debug(vcpu, argp);
		break;
	default:
		ret = armkvm_vcpu_regs_ioctl(vcpu, ioctl, argp);
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
	vm->ops->release_vcpu(vcpu);
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
	armkvm_run_init_timers(vcpu);
	vm->ops->init_vcpu(vcpu);
	vcpu->sw.has_gtimer = armkvm_cpu_has_gtimer();
	vcpu->sw.has_pmu = armkvm_cpu_has_pmu();
	vcpu->has_thumbee = armkvm_cpu_has_thumbee();
	vcpu->vm = vm;
	vcpu->ram_dirty = true;
	/*
	 * Reset state, the architecture's: SVC mode, IRQs and FIQs masked (F in the
	 * guest's view only: the switch runs it with F clear), at the start of RAM.
	 */
	vcpu->sw.guest.cpsr = SVC_MODE | PSR_I_BIT | PSR_F_BIT;
	vcpu->sw.guest.pc = vm->ram_gpa;
	/* MMU off; memory attributes as the host's until the guest sets its own. */
	asm volatile("mrc p15, 0, %0, c10, c2, 0" : "=r" (vcpu->sw.arch.cp15.prrr));
	asm volatile("mrc p15, 0, %0, c10, c2, 1" : "=r" (vcpu->sw.arch.cp15.nmrr));
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
