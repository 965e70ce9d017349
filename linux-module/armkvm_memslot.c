// SPDX-License-Identifier: GPL-2.0
/*
 * armkvm host module: where guest RAM sits in the guest-physical address
 * space, as userspace says (ARMKVM_SET_USER_MEMORY_REGION, KVM's memory
 * slots; QEMU calls it from a MemoryListener).
 *
 * Privileged mode has one slot: the VM's own physically contiguous block,
 * whole. Userspace chooses only its guest-physical base, and only until a
 * vCPU has run: afterwards the guest's tables and the MMU-off table name it,
 * so RAM stays put (EBUSY). Every field comes from userspace and is checked
 * in 64 bits, without sums that can wrap.
 *
 * Copyright (c) 2026 The armkvm developers
 */
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/uaccess.h>

#include "armkvm_internal.h"

/*
 * userspace_addr must be where the caller mapped this VM's fd at offset 0,
 * size bytes of one mapping: then it names this VM's block, nothing else.
 */
static int armkvm_check_user_mapping(struct file *vm_file, u64 uaddr, u64 size)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	int ret = -EFAULT;

	if (uaddr > ULONG_MAX || (uaddr & ~PAGE_MASK))
		return -EINVAL;
	if (!mm)
		return -EFAULT;
	mmap_read_lock(mm);
	vma = vma_lookup(mm, uaddr);
	if (vma) {
		ret = -EINVAL;
		if (vma->vm_file == vm_file && (vma->vm_flags & VM_SHARED) && !vma->vm_pgoff &&
		    vma->vm_start == uaddr &&
		    size <= vma->vm_end - vma->vm_start)
			ret = 0;
	}
	mmap_read_unlock(mm);
	return ret;
}

/* RAM back at CREATE_VM's ram_gpa; refused once a vCPU has run. */
static int armkvm_memslot_delete(struct armkvm_vm *vm)
{
	int ret = 0;

	mutex_lock(&vm->lock);
	if (!vm->slot_set)
		ret = -EINVAL;
	else if (vm->ran)
		ret = -EBUSY;
	else
		armkvm_vm_map_ram(vm, vm->config_gpa);
	if (!ret)
		vm->slot_set = false;
	mutex_unlock(&vm->lock);
	return ret;
}

long armkvm_set_memory_region(struct armkvm_vm *vm, struct file *vm_file, void __user *argp)
{
	struct armkvm_userspace_memory_region r;
	u64 gpa, size;
	int ret;

	if (copy_from_user(&r, argp, sizeof(r)))
		return -EFAULT;
	if (vm->user_memory)
		return armkvm_user_memory_region(vm, &r);
	if (r.slot || r.flags)
		return -EINVAL;
	if (!r.memory_size)
		return armkvm_memslot_delete(vm);
	gpa = r.guest_phys_addr;
	size = r.memory_size;
	if (size != vm->ram_size || gpa % ARMKVM_RAM_ALIGN)
		return -EINVAL;
	/* Below the hypervisor's window, as CREATE_VM's ram_gpa (armkvm_mmu.c). */
	if (gpa > MODULES_VADDR || size > MODULES_VADDR - gpa)
		return -EINVAL;
	if (vm->gpa_is_hpa && gpa != vm->ram_hpa)
		return -EINVAL;
	ret = armkvm_check_user_mapping(vm_file, r.userspace_addr, size);
	if (ret)
		return ret;

	mutex_lock(&vm->lock);
	if (vm->ran && gpa != vm->ram_gpa) {
		ret = -EBUSY;
	} else {
		/* Where it is already, rewriting the table would fault a running vCPU's RAM. */
		if (gpa != vm->ram_gpa)
			armkvm_vm_map_ram(vm, gpa);
		vm->slot_set = true;
	}
	mutex_unlock(&vm->lock);
	return ret;
}

/* Called at every RUN: from the first one on, RAM does not move. */
void armkvm_memslot_freeze(struct armkvm_vm *vm)
{
	/* Pairs with the release below: RAM's place as the first RUN saw it. */
	if (smp_load_acquire(&vm->ran))
		return;
	/* The lock orders this after any slot change (made under it). */
	mutex_lock(&vm->lock);
	/* Later RUNs, on any thread, skip the lock and still see that place. */
	smp_store_release(&vm->ran, true);
	mutex_unlock(&vm->lock);
}
