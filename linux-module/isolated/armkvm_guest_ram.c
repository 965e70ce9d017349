// SPDX-License-Identifier: GPL-2.0
/*
 * armkvm host module: isolated mode's guest-physical RAM (docs/isolated-mode.md, 3.8).
 *
 * Either the VM's own block (created with a ram_size: privileged mode's
 * contiguous RAM, at ram_gpa), or, for a VM created without one
 * (ARMKVM_CAP_ISOLATED_USER_MEMORY), slots of the caller's own memory, as
 * KVM's memory slots: ordinary pages anywhere, highmem included, pinned one
 * by one as the guest first touches them (FOLL_LONGTERM, like VFIO) and
 * unpinned with the VM. Nothing here assumes guest-physical and
 * host-physical addresses are related: the shadow maps each page where the
 * pin found it. The module's own reads and writes of guest RAM (table
 * walks, fetches of trapped instructions, emulated loads and stores) go,
 * as KVM's do, through the registering process's mapping of the slot when
 * they run in that process, without mapping the page in the kernel (user
 * memory is mostly highmem, where each kmap_local costs a few hundred
 * instructions); otherwise, and where that mapping is not present now,
 * through the pinned page and kmap.
 *
 * Copyright (c) 2026 The armkvm developers
 */
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/cacheflush.h>

#include "armkvm_internal.h"
#include "armkvm_isolated.h"

#define GPA_LIMIT		(1ull << 32)

struct armkvm_user_slot {
	u64 gpa;
	u64 size;			/* 0: unused */
	u64 uaddr;
	struct page **pages;		/* each pinned at first use, or NULL */
};

struct armkvm_user_memory {
	struct mm_struct *mm;		/* the registering process's (mmgrab) */
	struct armkvm_user_slot slots[ARMKVM_USER_SLOTS];
};

/* What the process wrote to a page (a kernel image), cleaned to the point of unification. */
static void armkvm_page_to_pou(struct page *page)
{
	void *p = kmap_local_page(page);

	flush_icache_range((unsigned long)p, (unsigned long)p + PAGE_SIZE);
	kunmap_local(p);
}

/* A slot's page at index i, pinned now if it was not: its address space is the caller's. */
static struct page *armkvm_slot_page(struct armkvm_user_memory *um, struct armkvm_user_slot *s,
				     unsigned long i)
{
	struct page *page = READ_ONCE(s->pages[i]);

	if (page)
		return page;
	if (current->mm != um->mm)
		return ERR_PTR(-EFAULT);
	if (pin_user_pages_fast(s->uaddr + i * PAGE_SIZE, 1, FOLL_WRITE | FOLL_LONGTERM,
				&page) != 1)
		return ERR_PTR(-EFAULT);
	/* What the process wrote reaches the guest's instruction fetches. */
	armkvm_page_to_pou(page);
	armkvm_icache_inval_all();
	if (cmpxchg(&s->pages[i], NULL, page)) {
		/* Another vCPU pinned it first. */
		unpin_user_page(page);
		page = READ_ONCE(s->pages[i]);
	}
	return page;
}

/* The slot that holds guest-physical gpa, or NULL. */
static struct armkvm_user_slot *armkvm_user_slot(struct armkvm_user_memory *um, u32 gpa)
{
	unsigned int i;

	for (i = 0; i < ARMKVM_USER_SLOTS; i++) {
		struct armkvm_user_slot *s = &um->slots[i];

		if (s->size && gpa >= s->gpa && gpa - s->gpa < s->size)
			return s;
	}
	return NULL;
}

/*
 * The host page behind guest-physical gpa: NULL if gpa is not RAM (a device,
 * or nothing), an ERR_PTR if it is but cannot be pinned (the mapping is gone,
 * or this is not the registering process).
 */
struct page *armkvm_guest_page(struct armkvm_vm *vm, u32 gpa)
{
	struct armkvm_user_memory *um = vm->user_memory;
	struct armkvm_user_slot *s;

	if (!um) {
		u32 off = gpa - vm->ram_gpa;

		if (!vm->ram || gpa < vm->ram_gpa || off >= vm->ram_size)
			return NULL;
		return vm->ram + (off >> PAGE_SHIFT);
	}
	s = armkvm_user_slot(um, gpa);
	return s ? armkvm_slot_page(um, s, (gpa - s->gpa) >> PAGE_SHIFT) : NULL;
}

/*
 * len bytes of slot s at gpa through the registering process's own mapping,
 * never sleeping: false if this is another process or the page is not
 * mapped there now (then the pinned page serves). The slot's addresses were
 * checked against TASK_SIZE when it was set.
 */
static bool armkvm_user_copy(struct armkvm_user_memory *um, struct armkvm_user_slot *s,
			     u32 gpa, void *buf, unsigned int len, bool write)
{
	void __user *p = (void __user *)(unsigned long)(s->uaddr + (gpa - s->gpa));
	unsigned long left;

	if (current->mm != um->mm)
		return false;
	pagefault_disable();
	if (len == 4 && !(gpa & 3)) {
		/* A descriptor, an instruction, a word: without the copy's object checks. */
		u32 v;

		if (write) {
			memcpy(&v, buf, 4);
			left = __put_user(v, (u32 __user *)p);
		} else {
			left = __get_user(v, (u32 __user *)p);
			if (!left)
				memcpy(buf, &v, 4);
		}
	} else if (write) {
		left = __copy_to_user_inatomic(p, buf, len);
	} else {
		left = __copy_from_user_inatomic(buf, p, len);
	}
	pagefault_enable();
	return !left;
}

/*
 * Copy len bytes (not crossing a page) from or to guest RAM at gpa: 0, or
 * -ENOENT if gpa is not RAM, another error if it cannot be reached.
 */
int armkvm_guest_phys_access(struct armkvm_vm *vm, u32 gpa, void *buf, unsigned int len,
			     bool write)
{
	struct armkvm_user_memory *um = vm->user_memory;
	struct page *page;
	void *p;

	if ((gpa & ~PAGE_MASK) + len > PAGE_SIZE)
		return -EINVAL;
	if (um) {
		struct armkvm_user_slot *s = armkvm_user_slot(um, gpa);

		if (!s)
			return -ENOENT;
		if (armkvm_user_copy(um, s, gpa, buf, len, write))
			return 0;
		page = armkvm_slot_page(um, s, (gpa - s->gpa) >> PAGE_SHIFT);
	} else {
		page = armkvm_guest_page(vm, gpa);
	}
	if (!page)
		return -ENOENT;
	if (IS_ERR(page))
		return PTR_ERR(page);
	p = kmap_local_page(page) + (gpa & ~PAGE_MASK);
	if (write)
		memcpy(p, buf, len);
	else
		memcpy(buf, p, len);
	kunmap_local(p);
	return 0;
}

/* Every pinned page's data to the point of unification (userspace rewrote guest code). */
void armkvm_guest_ram_sync(struct armkvm_vm *vm)
{
	struct armkvm_user_memory *um = vm->user_memory;
	unsigned long i, n;
	unsigned int k;

	if (!um)
		return;
	for (k = 0; k < ARMKVM_USER_SLOTS; k++) {
		struct armkvm_user_slot *s = &um->slots[k];

		n = s->size >> PAGE_SHIFT;
		for (i = 0; i < n; i++) {
			struct page *page = READ_ONCE(s->pages[i]);

			if (page)
				armkvm_page_to_pou(page);
			if (!(i % 256))
				cond_resched();
		}
	}
	armkvm_icache_inval_all();
}

static void armkvm_slot_free(struct armkvm_user_memory *um, struct armkvm_user_slot *s)
{
	unsigned long i, n = s->size >> PAGE_SHIFT;

	if (!s->size)
		return;
	for (i = 0; i < n; i++) {
		if (s->pages[i])
			unpin_user_pages_dirty_lock(&s->pages[i], 1, true);
		if (!(i % 1024))
			cond_resched();
	}
	kvfree(s->pages);
	account_locked_vm(um->mm, n, false);
	memset(s, 0, sizeof(*s));
}

/* At the VM's end: every pin and every locked-memory charge given back. */
void armkvm_user_memory_free(struct armkvm_vm *vm)
{
	struct armkvm_user_memory *um = vm->user_memory;
	unsigned int i;

	if (!um)
		return;
	for (i = 0; i < ARMKVM_USER_SLOTS; i++)
		armkvm_slot_free(um, &um->slots[i]);
	if (um->mm)
		mmdrop(um->mm);
	kfree(um);
	vm->user_memory = NULL;
}

/* A VM of ARMKVM_CAP_ISOLATED_USER_MEMORY: no slots yet, the creator's address space. */
int armkvm_user_memory_init(struct armkvm_vm *vm)
{
	struct armkvm_user_memory *um;

	if (!current->mm)
		return -EINVAL;
	um = kzalloc(sizeof(*um), GFP_KERNEL_ACCOUNT);
	if (!um)
		return -ENOMEM;
	mmgrab(current->mm);
	um->mm = current->mm;
	vm->user_memory = um;
	return 0;
}

/* Whether [gpa, gpa + size) meets slot s (all in 64 bits, nothing wraps). */
static bool armkvm_slot_overlaps(const struct armkvm_user_slot *s, u64 gpa, u64 size)
{
	return s->size && gpa < s->gpa + s->size && s->gpa < gpa + size;
}

static int armkvm_check_user_slot(struct armkvm_user_memory *um,
				  const struct armkvm_userspace_memory_region *r)
{
	u64 gpa = r->guest_phys_addr, size = r->memory_size, uaddr = r->userspace_addr;
	unsigned int i;

	if (r->flags || (gpa | size | uaddr) & ~PAGE_MASK)
		return -EINVAL;
	if (gpa >= GPA_LIMIT || size > GPA_LIMIT - gpa)
		return -EINVAL;
	/* The window's addresses cannot be the guest's RAM: the shadow keeps them for armkvm. */
	if (gpa < PAGE_OFFSET && MODULES_VADDR < gpa + size)
		return -EINVAL;
	if (uaddr > TASK_SIZE || size > TASK_SIZE - uaddr)
		return -EINVAL;
	for (i = 0; i < ARMKVM_USER_SLOTS; i++)
		if (i != r->slot && armkvm_slot_overlaps(&um->slots[i], gpa, size))
			return -EEXIST;
	return 0;
}

/* ARMKVM_SET_USER_MEMORY_REGION for a VM without a block. */
long armkvm_user_memory_region(struct armkvm_vm *vm, const struct armkvm_userspace_memory_region *r)
{
	struct armkvm_user_memory *um = vm->user_memory;
	struct armkvm_user_slot *s;
	struct page **pages;
	unsigned long n;
	long ret;

	if (r->slot >= ARMKVM_USER_SLOTS)
		return -EINVAL;
	if (current->mm != um->mm)
		return -EPERM;
	s = &um->slots[r->slot];
	mutex_lock(&vm->lock);
	if (s->size && s->gpa == r->guest_phys_addr && s->size == r->memory_size &&
	    s->uaddr == r->userspace_addr && !r->flags) {
		ret = 0;		/* as it is */
		goto out;
	}
	ret = -EBUSY;
	if (vm->ran)
		goto out;
	if (!r->memory_size) {
		ret = s->size ? 0 : -EINVAL;
		armkvm_slot_free(um, s);
		goto out;
	}
	ret = armkvm_check_user_slot(um, r);
	if (ret)
		goto out;
	n = r->memory_size >> PAGE_SHIFT;
	ret = account_locked_vm(um->mm, n, true);
	if (ret)
		goto out;
	pages = kvcalloc(n, sizeof(*pages), GFP_KERNEL_ACCOUNT);
	if (!pages) {
		account_locked_vm(um->mm, n, false);
		ret = -ENOMEM;
		goto out;
	}
	armkvm_slot_free(um, s);
	s->gpa = r->guest_phys_addr;
	s->size = r->memory_size;
	s->uaddr = r->userspace_addr;
	s->pages = pages;
out:
	mutex_unlock(&vm->lock);
	return ret;
}
