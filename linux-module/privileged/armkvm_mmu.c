// SPDX-License-Identifier: GPL-2.0
/*
 * armkvm host module: the guest's translation regime in privileged mode.
 *
 * Without a second stage of translation, the MMU walks one table while the
 * guest runs. With the guest's MMU off that is a table armkvm builds (guest
 * RAM by 1 MiB sections at its guest-physical address). Once the guest turns
 * its MMU on (ARMKVM_HC_MMU_ENABLE), it is the guest's own table, holding
 * host-physical addresses of RAM, which the guest writes and switches
 * natively. Either way the hardware's vectors and the world switch must stay
 * mapped, so the module area (0xbf000000-0xbfffffff, where this module lives
 * and which a guest never maps) carries the host's own entries in every
 * table the guest runs on: armkvm writes them before each entry.
 *
 * Device accesses must never reach real hardware: with the MMU off they hit
 * unmapped addresses (translation faults); with it on, the guest maps
 * devices in a domain its DACR keeps at no access, so each access is a
 * domain fault outside guest RAM (docs/modes.md, the guest MMU contract).
 *
 * Copyright (c) 2026 The armkvm developers
 */
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <asm/cacheflush.h>
#include <asm/pgtable.h>

#include "armkvm_internal.h"
#include "armkvm_cpu_slot.h"

#define SECTION_SHIFT		20
#define WINDOW_FIRST		(MODULES_VADDR >> SECTION_SHIFT)
#define WINDOW_ENTRIES		((PAGE_OFFSET - MODULES_VADDR) >> SECTION_SHIFT)
#define L1_TABLE_SIZE		(16 * 1024)

#define TTBCR_N			0x7u
#define TTBCR_PD0		(1u << 4)
#define TTBCR_PD1		(1u << 5)
#define TTBCR_EAE		(1u << 31)
#define DACR_CLIENT		1u

/* All clients: armkvm's sections for guest RAM and the window are checked by AP. */
#define MMU_OFF_DACR		0x55555555u

/* The guest's fault status is "translation fault" or "domain fault" (FS[4], FS[3:0]). */
#define FSR_FS(fsr)		((((fsr) >> 6) & 0x10) | ((fsr) & 0xf))
#define FSR_WRITE		(1u << 11)	/* WnR */
#define FSR_DOMAIN_MASK		(0xfu << 4)
#define FSR_PERM_SECTION	0xdu
#define FSR_PERM_PAGE		0xfu

u32 armkvm_host_sctlr(void)
{
	u32 sctlr;

	asm volatile("mrc p15, 0, %0, c1, c0, 0" : "=r" (sctlr));
	return sctlr;
}

static u32 armkvm_host_ttbr0(void)
{
	u32 ttbr0;

	asm volatile("mrc p15, 0, %0, c2, c0, 0" : "=r" (ttbr0));
	return ttbr0;
}

bool armkvm_guest_mmu_on(const struct armkvm_vcpu *vcpu)
{
	return vcpu->sw.arch.sctlr & SCTLR_M;
}

/*
 * The module's code and the per-CPU passages must lie in the window: a host
 * that put modules in vmalloc space (module PLTs) cannot run guests.
 */
int armkvm_check_passage(void)
{
	const unsigned long addrs[] = {
		(unsigned long)armkvm_world_switch, (unsigned long)armkvm_vectors,
		(unsigned long)armkvm_switch_end - 1, (unsigned long)armkvm_running,
		(unsigned long)&armkvm_running[ARMKVM_CPU_SLOTS] - 1,
		(unsigned long)&armkvm_passage[ARRAY_SIZE(armkvm_passage)] - 1,
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(addrs); i++) {
		if (addrs[i] < MODULES_VADDR || addrs[i] >= PAGE_OFFSET) {
			pr_err("armkvm: loaded at %#lx, outside the module area %#lx-%#lx that guests leave to the hypervisor\n",
			       addrs[i], (unsigned long)MODULES_VADDR, (unsigned long)PAGE_OFFSET - 1);
			return -ENOEXEC;
		}
	}
	return 0;
}

/* Guest RAM from the host's side: host-physical [pa, pa + len) or NULL. */
static void *armkvm_ram_hpa(struct armkvm_vm *vm, u32 pa, u32 len)
{
	u32 off = pa - vm->ram_hpa;

	if (pa < vm->ram_hpa || off > vm->ram_size || len > vm->ram_size - off)
		return NULL;
	return page_address(vm->ram) + off;
}

/* The table that translates the window: TTBR1's when TTBCR.N splits the space. */
static u32 armkvm_window_table(const struct armkvm_ctx_cp15 *hw)
{
	return (hw->ttbcr & TTBCR_N) ? hw->ttbr1 : hw->ttbr0;
}

/*
 * The table that will hold the window, seen from the host, if armkvm can run
 * the guest on this translation regime; NULL otherwise.
 */
static u32 *armkvm_regime_table(struct armkvm_vm *vm, const struct armkvm_ctx_cp15 *hw)
{
	u32 table = armkvm_window_table(hw) & ~(L1_TABLE_SIZE - 1);

	if (hw->ttbcr & (TTBCR_EAE | TTBCR_PD1 | ((hw->ttbcr & TTBCR_N) ? 0 : TTBCR_PD0)))
		return NULL;
	/* Client or manager: either reaches the window (its AP is the host's). */
	if (!(hw->dacr & DACR_CLIENT))
		return NULL;
	return armkvm_ram_hpa(vm, table, L1_TABLE_SIZE);
}

/*
 * The host's entries for the window, into a table the guest runs on. They
 * come from the calling process's table, whose module-area entries appear on
 * first touch (a process older than the module has none yet): touch both
 * ends of what the switch uses first. The MMU's walker reads the
 * table: clean what changed.
 */
static void armkvm_write_window(u32 *table)
{
	const u32 *host = (const u32 *)current->active_mm->pgd;
	bool changed = false;
	unsigned int i;

	READ_ONCE(*(u32 *)armkvm_vectors);
	READ_ONCE(*(u32 *)armkvm_world_switch);
	READ_ONCE(armkvm_switch_end[-1]);
	READ_ONCE(armkvm_running[0]);
	READ_ONCE(armkvm_running[ARMKVM_CPU_SLOTS - 1]);
	READ_ONCE(armkvm_passage[0].sw.exit_vector);
	READ_ONCE(*((u8 *)&armkvm_passage[ARRAY_SIZE(armkvm_passage)] - 1));

	for (i = WINDOW_FIRST; i < WINDOW_FIRST + WINDOW_ENTRIES; i++) {
		if (table[i] != host[i]) {
			table[i] = host[i];
			changed = true;
		}
	}
	if (changed)
		flush_icache_range((unsigned long)&table[WINDOW_FIRST],
				   (unsigned long)&table[WINDOW_FIRST + WINDOW_ENTRIES]);
}

/*
 * What the hardware gets for the next entry: the guest's own registers, but
 * armkvm's table, all-client domains and the host's memory attributes (which
 * armkvm's sections are written for) while the guest's MMU is off.
 */
int armkvm_mmu_prepare(struct armkvm_vcpu *vcpu)
{
	const struct armkvm_ctx_cp15 *c = &vcpu->sw.arch.cp15;
	struct armkvm_ctx_cp15 *hw = &vcpu->sw.guest.cp15;
	struct armkvm_vm *vm = vcpu->vm;
	u32 *table;

	*hw = *c;			/* the same layout: the guest's view, then what differs */
	if (armkvm_guest_mmu_on(vcpu)) {
		table = armkvm_regime_table(vm, hw);
		if (!table)
			return -EINVAL;
		armkvm_write_window(table);
	} else {
		/* The table walk attributes (low bits) follow the host's own TTBR0. */
		hw->ttbr0 = page_to_phys(vm->l1_page) | (armkvm_host_ttbr0() & 0x7f);
		hw->ttbcr = 0;
		hw->dacr = MMU_OFF_DACR;
		asm volatile("mrc p15, 0, %0, c10, c2, 0" : "=r" (hw->prrr));
		asm volatile("mrc p15, 0, %0, c10, c2, 1" : "=r" (hw->nmrr));
		armkvm_write_window(vm->l1);
	}
	vcpu->hw_at_entry = *hw;
	return 0;
}

/*
 * Take back what the guest changed natively. With its MMU off, a guest that
 * moved TTBR0 or TTBCR broke the contract (it must use ARMKVM_HC_MMU_ENABLE):
 * -EINVAL. Fault registers stay as they were unless the exit delivers an
 * abort to the guest (armkvm_mmu_take_fault), as a device access on real
 * hardware would leave them.
 */
int armkvm_mmu_after_exit(struct armkvm_vcpu *vcpu)
{
	struct armkvm_ctx_cp15 *c = &vcpu->sw.arch.cp15;
	const struct armkvm_ctx_cp15 *hw = &vcpu->sw.guest.cp15, *was = &vcpu->hw_at_entry;

	c->contextidr = hw->contextidr;
	c->tpidrurw = hw->tpidrurw;
	c->tpidruro = hw->tpidruro;
	c->tpidrprw = hw->tpidrprw;
	if (!armkvm_guest_mmu_on(vcpu) &&
	    (hw->ttbr0 != was->ttbr0 || hw->ttbcr != was->ttbcr))
		return -EINVAL;
	if (hw->ttbr0 != was->ttbr0)
		c->ttbr0 = hw->ttbr0;
	if (hw->ttbr1 != was->ttbr1)
		c->ttbr1 = hw->ttbr1;
	if (hw->ttbcr != was->ttbcr)
		c->ttbcr = hw->ttbcr;
	if (hw->dacr != was->dacr)
		c->dacr = hw->dacr;
	if (hw->prrr != was->prrr)
		c->prrr = hw->prrr;
	if (hw->nmrr != was->nmrr)
		c->nmrr = hw->nmrr;
	return 0;
}

int armkvm_mmu_enable(struct armkvm_vcpu *vcpu, u32 ttbr0, u32 ttbcr, u32 dacr)
{
	struct armkvm_ctx_cp15 *c = &vcpu->sw.arch.cp15;
	struct armkvm_ctx_cp15 hw = {
		.ttbr0 = ttbr0, .ttbr1 = c->ttbr1, .ttbcr = ttbcr, .dacr = dacr,
	};

	if (!armkvm_regime_table(vcpu->vm, &hw))
		return -EINVAL;
	c->ttbr0 = ttbr0;
	c->ttbcr = ttbcr;
	c->dacr = dacr;
	vcpu->sw.arch.sctlr |= SCTLR_M;
	return 0;
}

/*
 * What a translation allows, from its descriptor's AP bits: bit 2 APX,
 * bits 1:0 AP[1:0] (sections and supersections: bits 15, 11:10; pages: 9, 5:4).
 */
#define WALK_AP_SECTION(d)	((((d) >> 13) & 4) | (((d) >> 10) & 3))
#define WALK_AP_PAGE(d)		((((d) >> 7) & 4) | (((d) >> 4) & 3))
#define SCTLR_AFE		(1u << 29)

/* The guest's short-descriptor walk, in software, over tables in its RAM. */
static int armkvm_walk_ap(struct armkvm_vcpu *vcpu, u32 va, u32 *pa, u32 *ap, bool *section)
{
	const struct armkvm_ctx_cp15 *c = &vcpu->sw.arch.cp15;
	unsigned int n = c->ttbcr & TTBCR_N;
	u32 table, *l1, *l2, desc;

	if (n && !(va >> (32 - n)))
		table = c->ttbr0 & ~((L1_TABLE_SIZE >> n) - 1);
	else
		table = (n ? c->ttbr1 : c->ttbr0) & ~(L1_TABLE_SIZE - 1);
	l1 = armkvm_ram_hpa(vcpu->vm, table + (va >> SECTION_SHIFT) * 4, 4);
	if (!l1)
		return -EFAULT;
	desc = READ_ONCE(*l1);
	switch (desc & 3) {
	case 1:					/* page table */
		l2 = armkvm_ram_hpa(vcpu->vm, (desc & ~0x3ffu) + ((va >> 12) & 0xff) * 4, 4);
		if (!l2)
			return -EFAULT;
		desc = READ_ONCE(*l2);
		if (desc & 2)			/* small page */
			*pa = (desc & ~0xfffu) | (va & 0xfff);
		else if (desc & 1)		/* large page */
			*pa = (desc & ~0xffffu) | (va & 0xffff);
		else
			return -EFAULT;
		*ap = WALK_AP_PAGE(desc);
		*section = false;
		return 0;
	case 2:
	case 3:
		if (desc & (1 << 18))		/* supersection */
			*pa = (desc & 0xff000000u) | (va & 0xffffff);
		else
			*pa = (desc & 0xfff00000u) | (va & 0xfffff);
		*ap = WALK_AP_SECTION(desc);
		*section = true;
		return 0;
	default:
		return -EFAULT;
	}
}

static int armkvm_walk(struct armkvm_vcpu *vcpu, u32 va, u32 *pa)
{
	bool section;
	u32 ap;

	return armkvm_walk_ap(vcpu, va, pa, &ap, &section);
}

/*
 * May unprivileged code make this access? The descriptor's AP bits, read as
 * the host's SCTLR.AFE says (the guest's SCTLR is the host's).
 */
static bool armkvm_ap_allows_user(u32 ap, bool write)
{
	if (armkvm_host_sctlr() & SCTLR_AFE)	/* AP[2:1]: x1 user access, 1x read-only */
		return (ap & 2) && !(write && (ap & 4));
	if (write)
		return ap == 3;			/* APX=0, AP=11: full access */
	return ap & 2;				/* AP=1x: user may read */
}

/* The address the guest's access to va reaches: guest-physical with its MMU off. */
int armkvm_guest_translate(struct armkvm_vcpu *vcpu, u32 va, u32 *pa)
{
	if (!armkvm_guest_mmu_on(vcpu)) {
		*pa = va;
		return 0;
	}
	return armkvm_walk(vcpu, va, pa);
}

/*
 * Privileged mode's guest RAM at the guest's virtual va (len bytes, not
 * crossing a page): its tables hold host-physical addresses.
 */
int armkvm_privileged_guest_read(struct armkvm_vcpu *vcpu, u32 va, void *buf, unsigned int len)
{
	struct armkvm_vm *vm = vcpu->vm;
	void *p;
	u32 pa;

	if ((va & ~PAGE_MASK) + len > PAGE_SIZE || armkvm_guest_translate(vcpu, va, &pa))
		return -EFAULT;
	if (armkvm_guest_mmu_on(vcpu))
		p = armkvm_ram_hpa(vm, pa, len);
	else
		p = armkvm_ram_hpa(vm, pa - vm->ram_gpa + vm->ram_hpa, len);
	if (!p)
		return -EFAULT;
	memcpy(buf, p, len);
	return 0;
}

/* Read len bytes (not crossing a page) of guest RAM at the guest's virtual va. */
int armkvm_guest_read(struct armkvm_vcpu *vcpu, u32 va, void *buf, unsigned int len)
{
	return vcpu->vm->ops->guest_read(vcpu, va, buf, len);
}

/*
 * Is this data abort a device access? With the MMU off, a translation fault
 * (nothing but guest RAM is mapped); with it on, a domain fault whose address
 * lies outside guest RAM. *pa gets the device's guest-physical address.
 */
bool armkvm_mmu_is_device_abort(struct armkvm_vcpu *vcpu, u32 dfsr, u32 dfar, u32 *pa)
{
	u32 fs = FSR_FS(dfsr), ap;
	bool section, write = dfsr & FSR_WRITE;

	if (!armkvm_guest_mmu_on(vcpu)) {
		*pa = dfar;
		return fs == 0x5 || fs == 0x7;
	}
	if (fs != 0x9 && fs != 0xb)
		return false;
	if (armkvm_walk_ap(vcpu, dfar, pa, &ap, &section))
		return false;
	if (armkvm_ram_hpa(vcpu->vm, *pa, 1))
		return false;
	/*
	 * The domain fault came before the permission check the hardware would
	 * make once the domain is open: a user-mode access the descriptor does
	 * not allow is the guest's own permission fault, never a device access
	 * (a guest process must not program its kernel's devices).
	 */
	if ((vcpu->sw.guest.cpsr & MODE_MASK) == USR_MODE && !armkvm_ap_allows_user(ap, write)) {
		vcpu->sw.guest.cp15.dfsr = (dfsr & (FSR_WRITE | FSR_DOMAIN_MASK)) |
				   (section ? FSR_PERM_SECTION : FSR_PERM_PAGE);
		return false;
	}
	return true;
}

/* An abort the guest takes itself: its fault registers say what happened. */
void armkvm_mmu_take_fault(struct armkvm_vcpu *vcpu)
{
	struct armkvm_ctx_cp15 *c = &vcpu->sw.arch.cp15;
	const struct armkvm_ctx_cp15 *hw = &vcpu->sw.guest.cp15;

	c->dfsr = hw->dfsr;
	c->dfar = hw->dfar;
	c->ifsr = hw->ifsr;
	c->ifar = hw->ifar;
}

/* The guest's SCTLR as the hardware applies it: the host's, with the guest's M. */
u32 armkvm_guest_sctlr(const struct armkvm_vcpu *vcpu)
{
	return (armkvm_host_sctlr() & ~(SCTLR_M | SCTLR_V)) |
	       (vcpu->sw.arch.sctlr & SCTLR_M);
}
