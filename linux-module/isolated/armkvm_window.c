// SPDX-License-Identifier: GPL-2.0
/*
 * armkvm host module: the hypervisor's window in isolated mode's shadow
 * roots (docs/isolated-mode.md, 3.9).
 *
 * While a guest runs, the MMU walks its shadow root, so the world switch,
 * armkvm's vectors, the slot array and the per-CPU passages must be mapped
 * there at their own addresses. Privileged mode copies the host's
 * module-area entries, which map every module; isolated mode maps only
 * armkvm's own pages: second-level tables built once at load from the
 * host's page table entries for those pages (privileged-only, as the host
 * has them), the same in every root. Everything else of the window's
 * 16 MiB is absent, so a guest sees no more of the host than its own faults.
 *
 * Copyright (c) 2026 The armkvm developers
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <asm/pgtable.h>

#include "armkvm_internal.h"
#include "armkvm_isolated.h"
#include "../privileged/armkvm_cpu_slot.h"

#define WINDOW_FIRST_MB		(MODULES_VADDR >> 20)
#define WINDOW_MBS		((PAGE_OFFSET - MODULES_VADDR) >> 20)
#define L2_SIZE			1024

/* What each root's window entries are: armkvm's tables, or nothing. */
static u32 armkvm_window_l1[WINDOW_MBS];
static u32 *armkvm_window_l2[WINDOW_MBS];

/* For tests: how many pages of the window a guest's root maps (all armkvm's). */
static unsigned int window_pages;
module_param(window_pages, uint, 0444);
MODULE_PARM_DESC(window_pages, "isolated mode: pages of the hypervisor's window in every shadow root (read-only)");

/* Map [start, end) as the host maps it: small pages under a host second-level table only. */
static int armkvm_window_map(struct kmem_cache *l2_cache, unsigned long start, unsigned long end)
{
	const u32 *host = (const u32 *)current->active_mm->pgd;
	unsigned long va;

	for (va = start & PAGE_MASK; va < end; va += PAGE_SIZE) {
		unsigned int mb = (va >> 20) - WINDOW_FIRST_MB;
		u32 l1, pte;

		READ_ONCE(*(const u8 *)va);	/* the process's entry appears on first touch */
		l1 = host[va >> 20];
		if (va < MODULES_VADDR || va >= PAGE_OFFSET || (l1 & 3) != 1)
			return -ENOEXEC;
		pte = ((const u32 *)phys_to_virt(l1 & ~(L2_SIZE - 1)))[(va >> 12) & 0xff];
		if (!(pte & 2))
			return -ENOEXEC;
		if (!armkvm_window_l2[mb]) {
			armkvm_window_l2[mb] = kmem_cache_zalloc(l2_cache, GFP_KERNEL);
			if (!armkvm_window_l2[mb])
				return -ENOMEM;
			/* The host's type, domain and NS bits, armkvm's table. */
			armkvm_window_l1[mb] = virt_to_phys(armkvm_window_l2[mb]) | (l1 & 0x3ff);
		}
		if (!armkvm_window_l2[mb][(va >> 12) & 0xff])
			window_pages++;
		armkvm_window_l2[mb][(va >> 12) & 0xff] = pte;
	}
	return 0;
}

void armkvm_window_exit(struct kmem_cache *l2_cache)
{
	unsigned int i;

	for (i = 0; i < WINDOW_MBS; i++) {
		if (armkvm_window_l2[i])
			kmem_cache_free(l2_cache, armkvm_window_l2[i]);
		armkvm_window_l2[i] = NULL;
		armkvm_window_l1[i] = 0;
	}
	window_pages = 0;
}

int armkvm_window_init(struct kmem_cache *l2_cache)
{
	unsigned int i;
	int ret;

	ret = armkvm_window_map(l2_cache, (unsigned long)armkvm_world_switch,
				(unsigned long)armkvm_switch_end);
	if (!ret)
		ret = armkvm_window_map(l2_cache, (unsigned long)armkvm_running,
					(unsigned long)&armkvm_running[ARMKVM_CPU_SLOTS]);
	if (!ret)
		ret = armkvm_window_map(l2_cache, (unsigned long)armkvm_passage,
					(unsigned long)&armkvm_passage[ARRAY_SIZE(armkvm_passage)]);
	if (ret) {
		pr_err("armkvm: cannot build isolated mode's window from the host's tables\n");
		armkvm_window_exit(l2_cache);
		return ret;
	}
	for (i = 0; i < WINDOW_MBS; i++)
		if (armkvm_window_l2[i])
			armkvm_shadow_clean(armkvm_window_l2[i], L2_SIZE);
	return 0;
}

/* A root's window: armkvm's pages only (its entries never change afterwards). */
void armkvm_window_write(u32 *l1)
{
	memcpy(&l1[WINDOW_FIRST_MB], armkvm_window_l1, sizeof(armkvm_window_l1));
	armkvm_shadow_clean(&l1[WINDOW_FIRST_MB], sizeof(armkvm_window_l1));
}
