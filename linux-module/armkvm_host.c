// SPDX-License-Identifier: GPL-2.0
/*
 * armkvm host module: can this CPU and kernel run armkvm guests at all?
 *
 * armkvm needs an ARMv6/ARMv7 CPU with the VMSAv6/v7 short-descriptor MMU
 * (domains, the format its world switch and shadow tables speak), running a
 * kernel built for that format. cpu_architecture() is not exported, so the
 * check reads the ID registers itself, the way the kernel's own does.
 *
 * Copyright (c) 2026 The armkvm developers
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/printk.h>
#include <asm/cputype.h>
#include <asm/hwcap.h>

#include "armkvm_internal.h"

/* MIDR[19:16] == 0xf: the CPUID scheme (ARMv6 ARM11 and later, ARMv7). */
#define MIDR_ARCH_CPUID_SCHEME	0xf
/* ID_MMFR0[3:0]: 2 = VMSAv6, 3 or more = VMSAv7 (5 adds long descriptors). */
#define MMFR0_VMSA_V6		2
/* ID_ISAR4[19:16] Barrier_instrs: DMB, DSB and ISB exist (ARMv7; ARM1176 has none). */
#define ISAR4_BARRIERS(isar4)	(((isar4) >> 16) & 0xf)
/* SCTLR.TE and EE: exceptions taken in Thumb state or big-endian. */
#define SCTLR_TE_EE		((1u << 30) | (1u << 25))

/* ID_DFR0[27:24] PerfMon: 1-3 the architected PMU (c9), 0 none, 0xf IMPLEMENTATION DEFINED. */
#define DFR0_PERFMON(dfr0)	(((dfr0) >> 24) & 0xf)

/* Whether the world switch must put back the host's PMU registers. */
bool armkvm_cpu_has_pmu(void)
{
	unsigned int perfmon = DFR0_PERFMON(read_cpuid_ext(CPUID_EXT_DFR0));

	return perfmon >= 1 && perfmon != 0xf;
}

/* ID_PFR0[15:12] State3: 1 = ThumbEE, whose TEECR and TEEHBR the switch puts back. */
bool armkvm_cpu_has_thumbee(void)
{
	return ((read_cpuid_ext(CPUID_EXT_PFR0) >> 12) & 0xf) == 1;
}

int armkvm_check_host(void)
{
	unsigned int midr = read_cpuid_id();
	unsigned int vmsa;

	if (((midr >> 16) & 0xf) != MIDR_ARCH_CPUID_SCHEME) {
		pr_err("armkvm: CPU (MIDR %08x) predates ARMv6's CPUID scheme: not supported\n",
		       midr);
		return -ENODEV;
	}
	vmsa = read_cpuid_ext(CPUID_EXT_MMFR0) & 0xf;
	if (vmsa < MMFR0_VMSA_V6) {
		pr_err("armkvm: CPU (MIDR %08x) has no VMSAv6/v7 MMU (ID_MMFR0.VMSA=%u): not supported\n",
		       midr, vmsa);
		return -ENODEV;
	}
	/*
	 * The world switch and vectors use ARMv7 barrier instructions and VBAR.
	 * ARMv6 (ARM1176) needs their CP15 forms: not done yet, so refused
	 * rather than crashing the host. (ARM1176 reports VMSAv7 in ID_MMFR0.)
	 */
	if (!ISAR4_BARRIERS(read_cpuid_ext(CPUID_EXT_ISAR4))) {
		pr_err("armkvm: CPU (MIDR %08x) is not ARMv7 (no DMB/DSB/ISB instructions): ARMv6 hosts are not supported yet\n",
		       midr);
		return -ENODEV;
	}
	/* The switch saves and restores VFPv3 state unconditionally. */
	if (!(elf_hwcap & HWCAP_VFPv3)) {
		pr_err("armkvm: CPU (MIDR %08x) has no VFPv3 unit (hwcap %08x): not supported\n",
		       midr, elf_hwcap);
		return -ENODEV;
	}
	if (IS_ENABLED(CONFIG_ARM_LPAE)) {
		pr_err("armkvm: this kernel uses LPAE page tables; armkvm needs a kernel with short-descriptor page tables (CONFIG_ARM_LPAE=n)\n");
		return -ENODEV;
	}
	/* armkvm's vectors are ARM code, and it takes guest exceptions as little-endian ARM. */
	if (armkvm_host_sctlr() & SCTLR_TE_EE) {
		pr_err("armkvm: this kernel takes exceptions in Thumb state or big-endian (SCTLR %08x): not supported\n",
		       armkvm_host_sctlr());
		return -ENODEV;
	}
	pr_info("armkvm: CPU MIDR %08x, VMSA %u: supported\n", midr, vmsa);
	return 0;
}
