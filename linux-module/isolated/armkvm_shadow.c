// SPDX-License-Identifier: GPL-2.0
/*
 * armkvm host module: isolated mode's shadow page tables (docs/isolated-mode.md, 3).
 *
 * The real MMU walks a shadow root: a 16 KiB first-level table armkvm owns,
 * filled on demand from the guest's own tables (armkvm_guest_walk.c) one
 * 4 KiB page at a time, each pointing at the host page behind the
 * guest-physical page (armkvm_guest_ram.c), with the host's memory
 * attributes. With the guest's MMU off, a flat root maps each RAM page at its
 * guest-physical address. A root shadows one guest address space (TTBR0,
 * TTBR1, TTBCR, ASID) for one virtual privilege: the guest's kernel and user mode both run
 * at the real PL0, so each gets its own root, holding exactly what that
 * privilege may do (read-only, read-write, execute-never). A change of
 * virtual privilege is always an exit, and every entry loads TTBR0 and
 * flushes the TLB, so switching roots costs nothing more. Guest-physical
 * addresses outside RAM are never mapped: their accesses fault, the walk
 * finds them, and they become device accesses. The hypervisor's window
 * (the module area) holds armkvm's own pages, privileged-only, in every root
 * (armkvm_window.c): guest RAM cannot be mapped there, devices can (every
 * access faults).
 *
 * Coherence is the guest's TLB maintenance, which traps: TLBIALL drops every
 * root, TLBIASID the roots of that ASID, TLBIMVA(A) the page in every root
 * (and the whole megabyte if the guest's first-level descriptor changed).
 * A descriptor changed without maintenance may go on translating the old
 * way, as a TLB may. Roots are bounded per vCPU (evicted least recently
 * used), and so is the shadow's second-level memory (all dropped when full);
 * all of it is charged to the VM creator's memory cgroup.
 *
 * Copyright (c) 2026 The armkvm developers
 */
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <asm/pgtable.h>

#include "armkvm_internal.h"
#include "armkvm_isolated.h"

#define WINDOW_FIRST_MB		(MODULES_VADDR >> 20)
#define WINDOW_END_MB		(PAGE_OFFSET >> 20)
#define L1_ENTRIES		4096
#define L1_ORDER		2		/* 16 KiB, naturally aligned */
#define L2_SIZE			1024
#define L2_ENTRIES		256

#define TTBCR_EAE		BIT(31)
#define SHADOW_DACR		0x55555555u	/* all client: AP decides (the window's is PL1-only) */

/*
 * A shadow page: normal memory, write-back write-allocate as the host maps
 * its RAM (TEX remap index 7), shareable, not global; the access
 * permissions are read-only or read-write for every privilege (APX:AP
 * 111 or 011, the same under either AFE model).
 */
#define SHADOW_PAGE		(PTE_TYPE_SMALL | PTE_EXT_TEX(1) | PTE_CACHEABLE | \
				 PTE_BUFFERABLE | PTE_EXT_SHARED | PTE_EXT_NG | \
				 PTE_EXT_AP0 | PTE_EXT_AP1)
#define SHADOW_READ_ONLY	PTE_EXT_APX

#define FSR_FS(fsr)		((((fsr) >> 6) & 0x10) | ((fsr) & 0xf))
#define FSR_WNR			BIT(11)

static unsigned int shadow_roots = 16;
module_param(shadow_roots, uint, 0444);
MODULE_PARM_DESC(shadow_roots, "isolated mode: shadow roots per vCPU (2 per guest address space)");

static unsigned int shadow_l2_tables = 4096;
module_param(shadow_l2_tables, uint, 0444);
MODULE_PARM_DESC(shadow_l2_tables, "isolated mode: shadow second-level tables (1 KiB each) per vCPU");

/*
 * A miss fills the guest's valid mappings of its aligned group of pages too,
 * as a TLB may walk ahead: a process's code, stack and heap come in runs of
 * pages, and each page missed alone is a world switch. 0 or 1: one page.
 */
static unsigned int shadow_fill_ahead = 8;
module_param(shadow_fill_ahead, uint, 0644);
MODULE_PARM_DESC(shadow_fill_ahead, "isolated mode: pages (a power of two, up to 16) a shadow miss fills around it");

static struct kmem_cache *armkvm_l2_cache;

/* Read-only counters of all VMs, for tests: tables live now (0 once no VM is left), fills made. */
static atomic_t armkvm_shadow_tables = ATOMIC_INIT(0);
static atomic_long_t armkvm_shadow_fills = ATOMIC_LONG_INIT(0);

static int armkvm_get_shadow_tables(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&armkvm_shadow_tables));
}

static int armkvm_get_shadow_fills(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%lu\n", (unsigned long)atomic_long_read(&armkvm_shadow_fills));
}

static const struct kernel_param_ops armkvm_shadow_tables_ops = {
	.get = armkvm_get_shadow_tables,
};

static const struct kernel_param_ops armkvm_shadow_fills_ops = {
	.get = armkvm_get_shadow_fills,
};

module_param_cb(shadow_tables, &armkvm_shadow_tables_ops, NULL, 0444);
MODULE_PARM_DESC(shadow_tables, "isolated mode: shadow roots and second-level tables of all VMs (read-only)");
module_param_cb(shadow_fills, &armkvm_shadow_fills_ops, NULL, 0444);
MODULE_PARM_DESC(shadow_fills, "isolated mode: shadow entries made from guest tables (read-only)");

struct armkvm_shadow_root {
	struct list_head link;		/* in the vCPU's roots, most recently used first */
	struct armkvm_regime key;
	u32 asid;
	bool user;			/* the guest's user mode's view, else its kernel's */
	bool flat;			/* the guest's MMU off: RAM at its own address */
	u32 *l1;			/* what the MMU walks */
	u32 *guest_l1;			/* per megabyte with a shadow L2: the guest's descriptor */
};

/*
 * The module's own TLB: translations its walks of the guest's tables found,
 * for the module's reads and writes of guest memory (each trapped
 * instruction is fetched, a chain fetches the next, an STM ^ stores word by
 * word, a return to user space reads its frame), which would walk the
 * guest's tables each time. Like the CPU's, it keeps only translations that
 * succeeded, until the guest's TLB maintenance, a change of any of its
 * virtual CP15 registers (TTBRs, TTBCR, DACR, SCTLR, CONTEXTIDR among them)
 * or new registers from userspace (armkvm_shadow_flush()); a descriptor the
 * guest makes valid is walked afresh, as no fault is cached.
 */
#define WALK_CACHE_SIZE		16		/* direct-mapped by page */
#define WALK_CACHE_USER		BIT(0)
#define WALK_CACHE_VALID	BIT(1)

struct armkvm_walk_cache {
	struct {
		u32 tag;		/* the virtual page | WALK_CACHE_VALID | _USER */
		u32 gpa;		/* its guest-physical page */
		u32 prot;		/* ARMKVM_PROT_* for that privilege */
	} e[WALK_CACHE_SIZE];
};

struct armkvm_shadow {
	struct list_head roots;
	unsigned int nr_roots;
	unsigned int nr_l2;
	struct armkvm_shadow_root *cur;	/* the root of the last entry */
	struct armkvm_walk_cache tlb;
};

int armkvm_shadow_init(void)
{
	int ret;

	armkvm_l2_cache = kmem_cache_create("armkvm_shadow_l2", L2_SIZE, L2_SIZE,
					    SLAB_ACCOUNT, NULL);
	if (!armkvm_l2_cache)
		return -ENOMEM;
	ret = armkvm_window_init(armkvm_l2_cache);
	if (ret)
		kmem_cache_destroy(armkvm_l2_cache);
	return ret;
}

void armkvm_shadow_exit(void)
{
	armkvm_window_exit(armkvm_l2_cache);
	kmem_cache_destroy(armkvm_l2_cache);
}

/*
 * The MMU's walks read the table from memory: clean what changed to the
 * point of unification (cores whose walks snoop the data cache need none,
 * the others do); the entry's barriers finish it.
 */
void armkvm_shadow_clean(const void *p, size_t len)
{
	unsigned long a = (unsigned long)p & ~31ul, end = (unsigned long)p + len;

	for (; a < end; a += 32)
		asm volatile("mcr p15, 0, %0, c7, c11, 1" : : "r" (a) : "memory");	/* DCCMVAU */
	dsb(ishst);
}

static bool armkvm_in_window(u32 va)
{
	return (va >> 20) >= WINDOW_FIRST_MB && (va >> 20) < WINDOW_END_MB;
}

static u32 *armkvm_l2_of(u32 l1e)
{
	return phys_to_virt(l1e & ~(L2_SIZE - 1));
}

/* Drop the shadow of one megabyte of a root. */
static void armkvm_shadow_drop_mb(struct armkvm_shadow *s, struct armkvm_shadow_root *root,
				  unsigned int mb)
{
	u32 l1e = root->l1[mb];

	if ((l1e & 3) != 1 || (mb >= WINDOW_FIRST_MB && mb < WINDOW_END_MB))
		return;
	root->l1[mb] = 0;
	armkvm_shadow_clean(&root->l1[mb], 4);
	kmem_cache_free(armkvm_l2_cache, armkvm_l2_of(l1e));
	s->nr_l2--;
	atomic_dec(&armkvm_shadow_tables);
}

static void armkvm_shadow_clear_root(struct armkvm_shadow *s, struct armkvm_shadow_root *root)
{
	unsigned int mb;

	for (mb = 0; mb < L1_ENTRIES; mb++)
		armkvm_shadow_drop_mb(s, root, mb);
}

static void armkvm_shadow_free_root(struct armkvm_shadow *s, struct armkvm_shadow_root *root)
{
	armkvm_shadow_clear_root(s, root);
	list_del(&root->link);
	s->nr_roots--;
	if (s->cur == root)
		s->cur = NULL;
	free_pages((unsigned long)root->l1, L1_ORDER);
	kvfree(root->guest_l1);
	kfree(root);
	atomic_dec(&armkvm_shadow_tables);
}

/* Every root of the vCPU, gone: the guest's TLBIALL, a regime change, release. */
void armkvm_shadow_flush(struct armkvm_vcpu *vcpu)
{
	struct armkvm_shadow *s = vcpu->shadow;
	struct armkvm_shadow_root *root, *tmp;

	if (!s)
		return;
	list_for_each_entry_safe(root, tmp, &s->roots, link)
		armkvm_shadow_free_root(s, root);
	armkvm_walk_cache_flush(vcpu);
}

/* The walk cache emptied: TLB maintenance, a virtual CP15 register changed, new registers. */
void armkvm_walk_cache_flush(struct armkvm_vcpu *vcpu)
{
	if (vcpu->shadow)
		memset(&vcpu->shadow->tlb, 0, sizeof(vcpu->shadow->tlb));
}

static u32 armkvm_walk_cache_tag(u32 va, bool user)
{
	return (va & PAGE_MASK) | WALK_CACHE_VALID | (user ? WALK_CACHE_USER : 0);
}

/* va's translation for that privilege and access, if cached: its guest-physical address. */
bool armkvm_walk_cache_lookup(struct armkvm_vcpu *vcpu, u32 va, bool user, u32 access, u32 *gpa)
{
	struct armkvm_shadow *s = vcpu->shadow;
	unsigned int i = (va >> PAGE_SHIFT) % WALK_CACHE_SIZE;

	if (!s)
		return false;
	if (s->tlb.e[i].tag != armkvm_walk_cache_tag(va, user) || !(s->tlb.e[i].prot & access))
		return false;
	*gpa = s->tlb.e[i].gpa | (va & ~PAGE_MASK);
	return true;
}

/* A walk of va that succeeded, for that privilege, in the guest's regime now. */
void armkvm_walk_cache_insert(struct armkvm_vcpu *vcpu, u32 va, bool user,
			      const struct armkvm_walk *w)
{
	struct armkvm_shadow *s = vcpu->shadow;
	unsigned int i = (va >> PAGE_SHIFT) % WALK_CACHE_SIZE;

	if (!s)
		return;
	s->tlb.e[i].tag = armkvm_walk_cache_tag(va, user);
	s->tlb.e[i].gpa = w->pa & PAGE_MASK;
	s->tlb.e[i].prot = w->prot;
}

void armkvm_shadow_release(struct armkvm_vcpu *vcpu)
{
	armkvm_shadow_flush(vcpu);
	kfree(vcpu->shadow);
	vcpu->shadow = NULL;
}

static struct armkvm_shadow_root *armkvm_shadow_new_root(struct armkvm_shadow *s)
{
	struct armkvm_shadow_root *root;

	if (s->nr_roots >= max(shadow_roots, 2u))
		armkvm_shadow_free_root(s, list_last_entry(&s->roots,
							   struct armkvm_shadow_root, link));
	root = kzalloc(sizeof(*root), GFP_KERNEL_ACCOUNT);
	if (!root)
		return NULL;
	root->l1 = (u32 *)__get_free_pages(GFP_KERNEL_ACCOUNT | __GFP_ZERO, L1_ORDER);
	root->guest_l1 = kvcalloc(L1_ENTRIES, sizeof(u32), GFP_KERNEL_ACCOUNT);
	if (!root->l1 || !root->guest_l1) {
		if (root->l1)
			free_pages((unsigned long)root->l1, L1_ORDER);
		kvfree(root->guest_l1);
		kfree(root);
		return NULL;
	}
	armkvm_window_write(root->l1);
	armkvm_shadow_clean(root->l1, L1_ENTRIES * 4);
	list_add(&root->link, &s->roots);
	s->nr_roots++;
	atomic_inc(&armkvm_shadow_tables);
	return root;
}

static bool armkvm_root_is(const struct armkvm_shadow_root *root, bool user, bool flat, u32 asid,
			   const struct armkvm_regime *key)
{
	return root->user == user && root->flat == flat && root->asid == asid &&
	       !memcmp(&root->key, key, sizeof(*key));
}

/* The root for the guest's current address space and privilege, made if new. */
static struct armkvm_shadow_root *armkvm_shadow_root(struct armkvm_vcpu *vcpu)
{
	struct armkvm_shadow *s = vcpu->shadow;
	struct armkvm_shadow_root *root;
	struct armkvm_regime key;
	u32 asid = vcpu->sw.arch.cp15.contextidr & 0xff;
	bool user = (vcpu->sw.guest.cpsr & MODE_MASK) == USR_MODE;
	bool flat = !armkvm_guest_mmu_on(vcpu);

	memset(&key, 0, sizeof(key));
	if (flat)
		asid = 0;
	else
		armkvm_guest_regime(vcpu, &key);
	/* Most entries are to the last entry's root: at the head of the list already. */
	root = s->cur;
	if (root && list_first_entry(&s->roots, typeof(*root), link) == root &&
	    armkvm_root_is(root, user, flat, asid, &key))
		return root;
	list_for_each_entry(root, &s->roots, link) {
		if (armkvm_root_is(root, user, flat, asid, &key)) {
			list_move(&root->link, &s->roots);
			return root;
		}
	}
	root = armkvm_shadow_new_root(s);
	if (root) {
		root->key = key;
		root->asid = asid;
		root->user = user;
		root->flat = flat;
	}
	return root;
}

static u32 armkvm_host_ttbr0_attrs(void)
{
	u32 ttbr0;

	asm volatile("mrc p15, 0, %0, c2, c0, 0" : "=r" (ttbr0));
	return ttbr0 & 0x7f;
}

/*
 * Before an entry: the root of the guest's address space, and the hardware's
 * translation registers for it (the guest's own stay virtual).
 */
int armkvm_shadow_prepare(struct armkvm_vcpu *vcpu)
{
	struct armkvm_ctx_cp15 *hw = &vcpu->sw.guest.cp15;
	struct armkvm_shadow_root *root;

	if (armkvm_guest_mmu_on(vcpu) && (vcpu->sw.arch.cp15.ttbcr & TTBCR_EAE))
		return armkvm_exit_internal(vcpu, ARMKVM_INTERNAL_GUEST_MMU, 1,
					    &vcpu->sw.arch.cp15.ttbcr);
	if (!vcpu->shadow) {
		vcpu->shadow = kzalloc(sizeof(*vcpu->shadow), GFP_KERNEL_ACCOUNT);
		if (!vcpu->shadow)
			return -ENOMEM;
		INIT_LIST_HEAD(&vcpu->shadow->roots);
	}
	root = armkvm_shadow_root(vcpu);
	if (!root)
		return -ENOMEM;
	vcpu->shadow->cur = root;

	*hw = vcpu->sw.arch.cp15;
	hw->ttbr0 = virt_to_phys(root->l1) | armkvm_host_ttbr0_attrs();
	hw->ttbr1 = hw->ttbr0;
	hw->ttbcr = 0;
	hw->dacr = SHADOW_DACR;
	asm volatile("mrc p15, 0, %0, c10, c2, 0" : "=r" (hw->prrr));
	asm volatile("mrc p15, 0, %0, c10, c2, 1" : "=r" (hw->nmrr));
	vcpu->hw_at_entry = *hw;
	return 1;
}

/*
 * Map va's page in the root as the walk w found it, at host-physical hpa.
 * -EEXIST if that very entry is there already (the fault cannot be this).
 */
static int armkvm_shadow_fill(struct armkvm_vcpu *vcpu, struct armkvm_shadow_root *root,
			      u32 va, const struct armkvm_walk *w, phys_addr_t hpa)
{
	struct armkvm_shadow *s = vcpu->shadow;
	unsigned int mb = va >> 20, i = (va >> 12) & (L2_ENTRIES - 1);
	u32 *l2, entry;

	if (!(root->l1[mb] & 3)) {
		if (s->nr_l2 >= shadow_l2_tables) {
			/* Full: start again (the guest refaults what it uses). */
			struct armkvm_shadow_root *r;

			list_for_each_entry(r, &s->roots, link)
				armkvm_shadow_clear_root(s, r);
		}
		l2 = kmem_cache_zalloc(armkvm_l2_cache, GFP_KERNEL_ACCOUNT);
		if (!l2)
			return -ENOMEM;
		s->nr_l2++;
		atomic_inc(&armkvm_shadow_tables);
		armkvm_shadow_clean(l2, L2_SIZE);
		root->guest_l1[mb] = w->l1desc;
		root->l1[mb] = virt_to_phys(l2) | PMD_TYPE_TABLE;	/* domain 0 */
		armkvm_shadow_clean(&root->l1[mb], 4);
	}
	l2 = armkvm_l2_of(root->l1[mb]);
	entry = ((u32)hpa & PAGE_MASK) | SHADOW_PAGE;
	if (!(w->prot & ARMKVM_PROT_WRITE))
		entry |= SHADOW_READ_ONLY;
	if (!(w->prot & ARMKVM_PROT_EXEC))
		entry |= PTE_EXT_XN;
	if (l2[i] == entry)
		return -EEXIST;
	l2[i] = entry;
	armkvm_shadow_clean(&l2[i], 4);
	return 0;
}

/*
 * After a fill at va from the guest's tables: the other pages of va's group
 * that the guest maps to its RAM, with the permissions of the root's
 * privilege (a page the walk refuses, a device's, or one filled already is
 * left to its own miss). Only within va's megabyte, whose second-level
 * table the fill has made, and only while the guest's first-level entry is
 * the one that table was made from.
 */
static void armkvm_shadow_fill_ahead(struct armkvm_vcpu *vcpu, struct armkvm_shadow_root *root,
				     u32 va)
{
	unsigned int pages = min(READ_ONCE(shadow_fill_ahead), 16u), mb = va >> 20, i;
	u32 base, *l2 = armkvm_l2_of(root->l1[mb]);
	struct armkvm_walk w;
	struct page *page;
	u32 a;

	if (pages < 2)
		return;
	pages = rounddown_pow_of_two(pages);
	base = va & ~(pages * PAGE_SIZE - 1);
	for (a = base; a - base < pages * PAGE_SIZE; a += PAGE_SIZE) {
		i = (a >> 12) & (L2_ENTRIES - 1);
		if (a == (va & PAGE_MASK) || l2[i] || armkvm_in_window(a))
			continue;
		if (armkvm_guest_walk(vcpu, a, ARMKVM_ACCESS_READ, root->user, &w) ||
		    w.l1desc != root->guest_l1[mb])
			continue;
		page = armkvm_guest_page(vcpu->vm, w.pa);
		if (IS_ERR_OR_NULL(page))
			continue;
		armkvm_shadow_fill(vcpu, root, a, &w, page_to_phys(page));
	}
}

static int armkvm_shadow_guest_mmu_error(struct armkvm_vcpu *vcpu, u32 va, u32 fsr, u32 pa)
{
	return armkvm_exit_internal(vcpu, ARMKVM_INTERNAL_GUEST_MMU, 4,
				    (u32 []){ va, fsr, pa, vcpu->sw.guest.pc });
}

/*
 * A prefetch or data abort from the guest with its MMU on. Translation and
 * permission faults on the shadow are misses: the guest's walk decides
 * between its own fault, a fill, and a device access. Alignment and debug
 * events are the guest's as they are.
 */
int armkvm_shadow_abort(struct armkvm_vcpu *vcpu, bool fetch)
{
	const struct armkvm_ctx_cp15 *hw = &vcpu->sw.guest.cp15;
	struct armkvm_shadow_root *root = vcpu->shadow ? vcpu->shadow->cur : NULL;
	u32 fsr = fetch ? hw->ifsr : hw->dfsr, va = fetch ? hw->ifar : hw->dfar;
	u32 wnr = fetch ? 0 : fsr & FSR_WNR;
	enum armkvm_access access;
	struct armkvm_walk w;
	struct page *page;
	int ret;

	switch (FSR_FS(fsr)) {
	case ARMKVM_FS_ALIGNMENT:
	case ARMKVM_FS_DEBUG:
		return armkvm_isolated_abort(vcpu, fetch, FSR_FS(fsr) | wnr, va, vcpu->sw.exit_lr);
	case ARMKVM_FS_TRANSLATION_SECTION:
	case ARMKVM_FS_TRANSLATION_PAGE:
	case ARMKVM_FS_PERMISSION_SECTION:
	case ARMKVM_FS_PERMISSION_PAGE:
		break;
	default:
		/* The shadow has no domains to close, access flags or walks outside RAM. */
		return armkvm_exit_unhandled(vcpu, fetch ? ARMKVM_VEC_PABT : ARMKVM_VEC_DABT);
	}
	if (!root)
		return armkvm_shadow_guest_mmu_error(vcpu, va, fsr, 0);

	access = fetch ? ARMKVM_ACCESS_FETCH : wnr ? ARMKVM_ACCESS_WRITE : ARMKVM_ACCESS_READ;
	if (root->flat) {
		w.pa = va;
		w.prot = ARMKVM_PROT_READ | ARMKVM_PROT_WRITE | ARMKVM_PROT_EXEC;
		w.l1desc = 0;
	} else if (armkvm_guest_walk(vcpu, va, access, root->user, &w)) {
		return armkvm_isolated_abort(vcpu, fetch, w.fsr | wnr, va, vcpu->sw.exit_lr);
	}
	page = armkvm_guest_page(vcpu->vm, w.pa);
	if (IS_ERR(page))
		return PTR_ERR(page);	/* the caller's RAM is gone: RUN fails */
	if (!page) {
		/* Code runs from RAM only; data elsewhere is a device's (or nothing's). */
		if (fetch)
			return armkvm_shadow_guest_mmu_error(vcpu, va, fsr, w.pa);
		return armkvm_exit_device_access(vcpu, w.pa);
	}
	/* The window is the hypervisor's: RAM cannot be mapped there. */
	if (armkvm_in_window(va))
		return armkvm_shadow_guest_mmu_error(vcpu, va, fsr, w.pa);
	ret = armkvm_shadow_fill(vcpu, root, va, &w, page_to_phys(page));
	if (ret == -EEXIST)
		return armkvm_shadow_guest_mmu_error(vcpu, va, fsr, w.pa);
	if (ret)
		return ret;
	atomic_long_inc(&armkvm_shadow_fills);
	if (!root->flat)
		armkvm_shadow_fill_ahead(vcpu, root, va);
	return 1;
}

/* One page of every root: gone, or its megabyte if the guest's L1 entry changed. */
static void armkvm_shadow_drop_va(struct armkvm_vcpu *vcpu, u32 va)
{
	struct armkvm_shadow *s = vcpu->shadow;
	unsigned int mb = va >> 20;
	struct armkvm_shadow_root *root;
	u32 desc, *l2;

	list_for_each_entry(root, &s->roots, link) {
		if ((root->l1[mb] & 3) != 1 || armkvm_in_window(va))
			continue;
		if (root->flat) {
			/* Its mapping never changes; a TLB may forget it all the same. */
			armkvm_shadow_drop_mb(s, root, mb);
			continue;
		}
		if (!armkvm_guest_l1desc(vcpu->vm, &root->key, va, &desc) ||
		    desc != root->guest_l1[mb]) {
			armkvm_shadow_drop_mb(s, root, mb);
			continue;
		}
		l2 = armkvm_l2_of(root->l1[mb]);
		l2[(va >> 12) & (L2_ENTRIES - 1)] = 0;
		armkvm_shadow_clean(&l2[(va >> 12) & (L2_ENTRIES - 1)], 4);
	}
}

/*
 * The guest's TLB maintenance. Dropping more than asked is always right (a
 * TLB may forget anything); an entry for another ASID's root may have come
 * from a global descriptor, so by address every root is visited.
 */
void armkvm_shadow_tlbi(struct armkvm_vcpu *vcpu, enum armkvm_tlbi op, u32 val)
{
	struct armkvm_shadow *s = vcpu->shadow;
	struct armkvm_shadow_root *root, *tmp;

	if (!s)
		return;
	armkvm_walk_cache_flush(vcpu);
	switch (op) {
	case ARMKVM_TLBI_ALL:
		armkvm_shadow_flush(vcpu);
		break;
	case ARMKVM_TLBI_ASID:
		list_for_each_entry_safe(root, tmp, &s->roots, link)
			if (root->asid == (val & 0xff))
				armkvm_shadow_free_root(s, root);
		break;
	case ARMKVM_TLBI_MVA:
		armkvm_shadow_drop_va(vcpu, val & PAGE_MASK);
		break;
	}
}
