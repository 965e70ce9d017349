// SPDX-License-Identifier: GPL-2.0
/*
 * armkvm host module: the guest's short-descriptor translation (ARMv7-A
 * B3.5-B3.7), walked in software over its tables in guest RAM, for isolated
 * mode's shadow MMU (docs/isolated-mode.md, 3.2). The checks come in the
 * MMU's order: translation, domain, execute-never, access flag, permission;
 * a manager domain allows everything. The virtual SCTLR.AFE chooses the
 * access permission model. Tables outside guest RAM give the synchronous
 * external abort on a walk. Large (LPAE) descriptors are not walked: a guest
 * that sets TTBCR.EAE stops with ARMKVM_INTERNAL_GUEST_MMU (armkvm_shadow.c).
 *
 * Copyright (c) 2026 The armkvm developers
 */
#include <linux/highmem.h>
#include <linux/kernel.h>
#include <linux/mm.h>

#include "armkvm_internal.h"
#include "armkvm_isolated.h"

#define SCTLR_AFE		BIT(29)
#define TTBCR_N			0x7u
#define TTBCR_PD0		BIT(4)
#define TTBCR_PD1		BIT(5)
#define L1_TABLE_SIZE		0x4000u

#define DACR_NO_ACCESS		0u
#define DACR_CLIENT		1u
#define DACR_MANAGER		3u

/* A descriptor of the guest's tables: false if gpa is not RAM it can be read from. */
static bool armkvm_read_desc(struct armkvm_vm *vm, u32 gpa, u32 *desc)
{
	return !armkvm_guest_phys_access(vm, gpa, desc, 4, false);
}

void armkvm_guest_regime(const struct armkvm_vcpu *vcpu, struct armkvm_regime *r)
{
	const struct armkvm_ctx_cp15 *c = &vcpu->sw.arch.cp15;

	r->ttbr0 = c->ttbr0;
	r->ttbr1 = c->ttbr1;
	r->ttbcr = c->ttbcr;
}

/*
 * The guest-physical address of va's first-level descriptor: TTBR0's table
 * when TTBCR.N leaves va to it, else TTBR1's. False if TTBCR.PDx disables
 * that walk (a translation fault).
 */
static bool armkvm_l1_entry(const struct armkvm_regime *r, u32 va, u32 *gpa)
{
	unsigned int n = r->ttbcr & TTBCR_N;

	if (!n || !(va >> (32 - n))) {
		if (r->ttbcr & TTBCR_PD0)
			return false;
		*gpa = (r->ttbr0 & ~((L1_TABLE_SIZE >> n) - 1)) + (va >> 20) * 4;
	} else {
		if (r->ttbcr & TTBCR_PD1)
			return false;
		*gpa = (r->ttbr1 & ~(L1_TABLE_SIZE - 1)) + (va >> 20) * 4;
	}
	return true;
}

/* The first-level descriptor for va in regime r, as the guest's RAM holds it now. */
bool armkvm_guest_l1desc(struct armkvm_vm *vm, const struct armkvm_regime *r, u32 va, u32 *desc)
{
	u32 gpa;

	return armkvm_l1_entry(r, va, &gpa) && armkvm_read_desc(vm, gpa, desc);
}

/*
 * What a privilege may do under AP[2:0] = APX:AP[1:0] (B3.7.1): with AFE,
 * the simplified model, AP[0] being the access flag checked before.
 */
static u32 armkvm_ap_prot(u32 ap, bool afe, bool user)
{
#define R	ARMKVM_PROT_READ
#define RW	(ARMKVM_PROT_READ | ARMKVM_PROT_WRITE)
	/* Indexed by AP[2:0]; 0 is no access, 4 reserved. */
	static const u8 full_pl1[8] = { 0, RW, RW, RW, 0, R, R, R };
	static const u8 full_pl0[8] = { 0, 0, R, RW, 0, 0, R, R };
	/* Indexed by AP[2:1]. */
	static const u8 simple_pl1[4] = { RW, RW, R, R };
	static const u8 simple_pl0[4] = { 0, RW, 0, R };
#undef R
#undef RW

	ap &= 7;
	if (afe)
		return user ? simple_pl0[ap >> 1] : simple_pl1[ap >> 1];
	return user ? full_pl0[ap] : full_pl1[ap];
}

/* The fault status for a fault of kind fs at the walk's level, in domain. */
static int armkvm_walk_fault(struct armkvm_walk *w, u32 fs, u32 domain)
{
	w->fsr = fs | (domain << 4);
	return 1;
}

/*
 * Translate va for an access by the guest's kernel (user false) or its user
 * mode. 0: w has the translation, which allows the access; 1: w->fsr is the
 * fault the guest takes.
 */
int armkvm_guest_walk(struct armkvm_vcpu *vcpu, u32 va, enum armkvm_access access, bool user,
		      struct armkvm_walk *w)
{
	struct armkvm_vm *vm = vcpu->vm;
	bool afe = vcpu->sw.arch.sctlr & SCTLR_AFE, section;
	u32 dacr = vcpu->sw.arch.cp15.dacr, gpa, desc, domain = 0, ap, dom_prot;
	bool xn, pxn = false;
	struct armkvm_regime r;

	armkvm_guest_regime(vcpu, &r);
	w->l1desc = 0;
	if (!armkvm_l1_entry(&r, va, &gpa))
		return armkvm_walk_fault(w, ARMKVM_FS_TRANSLATION_SECTION, 0);
	if (!armkvm_read_desc(vm, gpa, &desc))
		return armkvm_walk_fault(w, ARMKVM_FS_WALK_EXTERNAL_L1, 0);
	w->l1desc = desc;
	switch (desc & 3) {
	case 0:
		return armkvm_walk_fault(w, ARMKVM_FS_TRANSLATION_SECTION, 0);
	case 1:				/* a second-level table */
		domain = (desc >> 5) & 0xf;
		pxn = desc & BIT(2);
		if (!armkvm_read_desc(vm, (desc & ~0x3ffu) + ((va >> 12) & 0xff) * 4, &desc))
			return armkvm_walk_fault(w, ARMKVM_FS_WALK_EXTERNAL_L2, domain);
		if (!(desc & 3))
			return armkvm_walk_fault(w, ARMKVM_FS_TRANSLATION_PAGE, domain);
		if (desc & 2) {		/* small page */
			w->pa = (desc & PAGE_MASK) | (va & ~PAGE_MASK);
			xn = desc & 1;
		} else {		/* large page */
			w->pa = (desc & 0xffff0000u) | (va & 0xffff);
			xn = desc & BIT(15);
		}
		ap = ((desc >> 7) & 4) | ((desc >> 4) & 3);
		section = false;
		break;
	default:			/* a section or supersection; bit 0 is PXN */
		pxn = desc & 1;
		if (desc & BIT(18)) {
			/* Bits 23:20 and 8:5 extend it past 32 bits: nothing is there, a translation fault. */
			if (desc & 0x00f001e0u)
				return armkvm_walk_fault(w, ARMKVM_FS_TRANSLATION_SECTION, 0);
			w->pa = (desc & 0xff000000u) | (va & 0x00ffffffu);
		} else {
			domain = (desc >> 5) & 0xf;
			w->pa = (desc & 0xfff00000u) | (va & 0x000fffffu);
		}
		xn = desc & BIT(4);
		ap = ((desc >> 13) & 4) | ((desc >> 10) & 3);
		section = true;
		break;
	}

	dom_prot = (dacr >> (domain * 2)) & 3;
	if (dom_prot == DACR_NO_ACCESS || dom_prot == 2)
		return armkvm_walk_fault(w, section ? ARMKVM_FS_DOMAIN_SECTION :
					 ARMKVM_FS_DOMAIN_PAGE, domain);
	if (dom_prot == DACR_MANAGER) {
		w->prot = ARMKVM_PROT_READ | ARMKVM_PROT_WRITE | ARMKVM_PROT_EXEC;
		return 0;
	}
	if (pxn && !user)
		xn = true;
	if (xn && access == ARMKVM_ACCESS_FETCH)
		return armkvm_walk_fault(w, section ? ARMKVM_FS_PERMISSION_SECTION :
					 ARMKVM_FS_PERMISSION_PAGE, domain);
	if (afe && !(ap & 1))
		return armkvm_walk_fault(w, section ? ARMKVM_FS_ACCESS_SECTION :
					 ARMKVM_FS_ACCESS_PAGE, domain);
	w->prot = armkvm_ap_prot(ap, afe, user);
	if (w->prot && !xn)
		w->prot |= ARMKVM_PROT_EXEC;
	if (!(w->prot & access))
		return armkvm_walk_fault(w, section ? ARMKVM_FS_PERMISSION_SECTION :
					 ARMKVM_FS_PERMISSION_PAGE, domain);
	return 0;
}

/*
 * The guest-physical address the virtual CPU reaches at va for access, with
 * its kernel's (user false) or its user mode's permissions: 0, or the fault
 * status the guest would take (never 0).
 */
static u32 armkvm_translate(struct armkvm_vcpu *vcpu, u32 va, enum armkvm_access access,
			    bool user, u32 *gpa)
{
	struct armkvm_walk w;

	*gpa = va;
	if (!armkvm_guest_mmu_on(vcpu) || armkvm_walk_cache_lookup(vcpu, va, user, access, gpa))
		return 0;
	if (armkvm_guest_walk(vcpu, va, access, user, &w))
		return w.fsr;
	armkvm_walk_cache_insert(vcpu, va, user, &w);
	*gpa = w.pa;
	return 0;
}

static bool armkvm_in_user_mode(const struct armkvm_vcpu *vcpu)
{
	return (vcpu->sw.guest.cpsr & MODE_MASK) == USR_MODE;
}

/* Mode op guest_read: len bytes (not crossing a page) at va, as the guest's kernel reads them. */
int armkvm_isolated_guest_read(struct armkvm_vcpu *vcpu, u32 va, void *buf, unsigned int len)
{
	u32 gpa;

	if ((va & ~PAGE_MASK) + len > PAGE_SIZE ||
	    armkvm_translate(vcpu, va, ARMKVM_ACCESS_READ, false, &gpa))
		return -EFAULT;
	return armkvm_guest_phys_access(vcpu->vm, gpa, buf, len, false) ? -EFAULT : 0;
}

/*
 * The instruction word at va if the guest's kernel may execute it there: 0,
 * or -EFAULT (unaligned, a fault, not guest RAM).
 */
int armkvm_isolated_kernel_fetch(struct armkvm_vcpu *vcpu, u32 va, u32 *insn)
{
	u32 gpa;

	if ((va & 3) || armkvm_translate(vcpu, va, ARMKVM_ACCESS_FETCH, false, &gpa))
		return -EFAULT;
	return armkvm_guest_phys_access(vcpu->vm, gpa, insn, 4, false) ? -EFAULT : 0;
}

/*
 * The guest RAM byte its kernel reaches at va, mapped in the host for a
 * moment (kunmap_local() it), or NULL if that is not RAM: for cache
 * maintenance by address.
 */
void *armkvm_isolated_kmap(struct armkvm_vcpu *vcpu, u32 va)
{
	struct page *page;
	u32 gpa;

	if (armkvm_translate(vcpu, va, ARMKVM_ACCESS_READ, false, &gpa))
		return NULL;
	page = armkvm_guest_page(vcpu->vm, gpa);
	if (IS_ERR_OR_NULL(page))
		return NULL;
	return kmap_local_page(page) + (gpa & ~PAGE_MASK);
}

/*
 * A word the virtual CPU loads or stores for an emulated instruction (RFE,
 * SRS), with its current privilege's permissions: 0 done, a fault status if
 * the guest takes a data abort there (alignment included), -EFAULT if the
 * address is not guest RAM.
 */
int armkvm_isolated_access_word(struct armkvm_vcpu *vcpu, u32 va, bool write, u32 *val)
{
	u32 fs, gpa;

	if (va & 3)
		return ARMKVM_FS_ALIGNMENT;
	fs = armkvm_translate(vcpu, va, write ? ARMKVM_ACCESS_WRITE : ARMKVM_ACCESS_READ,
			      armkvm_in_user_mode(vcpu), &gpa);
	if (fs)
		return fs;
	return armkvm_guest_phys_access(vcpu->vm, gpa, val, 4, write) ? -EFAULT : 0;
}

/*
 * len bytes at va as the virtual CPU loads them now (its privilege's
 * permissions), a page at a time: 0, or nonzero if any of them would fault
 * or is not guest RAM. For paravirtual operations, which fall back to the
 * guest's own instructions (and their faults) when it fails.
 */
int armkvm_isolated_read(struct armkvm_vcpu *vcpu, u32 va, void *buf, unsigned int len)
{
	bool user = armkvm_in_user_mode(vcpu);
	unsigned int n;
	u32 gpa;

	while (len) {
		n = min_t(u32, len, PAGE_SIZE - (va & ~PAGE_MASK));
		if (armkvm_translate(vcpu, va, ARMKVM_ACCESS_READ, user, &gpa) ||
		    armkvm_guest_phys_access(vcpu->vm, gpa, buf, n, false))
			return -EFAULT;
		va += n;
		buf += n;
		len -= n;
	}
	return 0;
}
