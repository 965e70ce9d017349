/*
 * The passage slot of each physical CPU (linux-module/privileged/armkvm_cpu_slot.h):
 * distinct for every CPU of the boards armkvm targets, big.LITTLE clusters
 * included, and affinities it cannot tell apart are refused.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>

#include "armkvm_cpu_slot.h"

#define MP	ARMKVM_MPIDR_MP

static int failures;

static void expect(int ok, const char *what, unsigned int mpidr)
{
	if (!ok) {
		printf("FAIL: %s (MPIDR %08x)\n", what, mpidr);
		failures++;
	}
}

/* The CPUs of one board: each must fit a slot, no two the same slot. */
static void board(const char *name, const unsigned int *mpidr, int n)
{
	int i, j;

	for (i = 0; i < n; i++) {
		expect(armkvm_mpidr_fits_slot(mpidr[i]), name, mpidr[i]);
		expect(armkvm_cpu_slot(mpidr[i]) < ARMKVM_CPU_SLOTS, name, mpidr[i]);
		for (j = 0; j < i; j++)
			expect(armkvm_cpu_slot(mpidr[i]) != armkvm_cpu_slot(mpidr[j]),
			       name, mpidr[i]);
	}
	printf("%s: %d CPUs, slots distinct\n", name, n);
}

int main(void)
{
	/* A15x2 + A7x3 (TC2), A15x4 + A7x4 (Exynos 5422): clusters in Aff1. */
	static const unsigned int tc2[] = {
		MP | 0x000, MP | 0x001, MP | 0x100, MP | 0x101, MP | 0x102,
	};
	static const unsigned int exynos[] = {
		MP | 0x000, MP | 0x001, MP | 0x002, MP | 0x003,
		MP | 0x100, MP | 0x101, MP | 0x102, MP | 0x103,
	};
	/* QEMU virt with GICv2: up to 8 CPUs in cluster 0. */
	static const unsigned int virt8[] = {
		MP | 0, MP | 1, MP | 2, MP | 3, MP | 4, MP | 5, MP | 6, MP | 7,
	};
	/* A uniprocessor (Cortex-A8 style: no multiprocessing format). */
	static const unsigned int up[] = { 0x00000000 };
	/* A uniprocessor in the multiprocessing format (U, bit 30). */
	static const unsigned int u_bit[] = { MP | (1u << 30) | 0x203 };

	board("TC2", tc2, 5);
	board("Exynos 5422", exynos, 8);
	board("virt, 8 CPUs", virt8, 8);
	board("uniprocessor", up, 1);
	board("U bit", u_bit, 1);

	/* The old Aff0-only index put these two in one slot. */
	expect(armkvm_cpu_slot(MP | 0x001) != armkvm_cpu_slot(MP | 0x101),
	       "clusters 0 and 1 share a slot", MP | 0x101);
	/* What the 8-bit slot cannot name is refused, not aliased. */
	expect(!armkvm_mpidr_fits_slot(MP | 0x10000), "Aff2 accepted", MP | 0x10000);
	expect(!armkvm_mpidr_fits_slot(MP | 0x1000), "Aff1 >= 16 accepted", MP | 0x1000);
	expect(!armkvm_mpidr_fits_slot(MP | 0x10), "Aff0 >= 16 accepted", MP | 0x10);
	printf("refusals checked\n");

	printf("cpu-slot: %s\n", failures ? "FAIL" : "PASS");
	return failures != 0;
}
