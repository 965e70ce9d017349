// SPDX-License-Identifier: GPL-2.0
/*
 * armkvm trustzone mode: does the host run in the Secure world, and can the
 * module take the CPU into the Non-secure world and back?
 *
 * Which world a kernel runs in cannot be read directly: SCR, NSACR writes and
 * MVBAR are UNDEFINED in the Non-secure world (an oops for a module), and
 * DBGDSCR.NS is not modelled by every implementation. The GIC's Security
 * Extensions answer instead, as the GIC architecture defines them: the
 * interrupt group registers are RAZ/WI to Non-secure accesses. So with a CPU
 * and a GIC that both have Security Extensions, the host is Secure if it can
 * flip, and flip back, the group bit of SGI 15 (one of the SGIs Linux leaves
 * to secure firmware) with its interrupts off.
 *
 * On a Secure host, a self-test then makes monitor trips (armkvm_monitor.S)
 * into a one-page Non-secure stub: an SMC must come back through the SMC
 * vector at the right address, and a stub that masks IRQs and spins must be
 * ended by the host's next interrupt, as an FIQ. Only then is trustzone mode
 * available (module parameter trustzone, read-only).
 *
 * Copyright (c) 2026 The armkvm developers
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/io.h>
#include <linux/of.h>
#include <linux/of_address.h>
#include <linux/mm.h>
#include <linux/gfp.h>
#include <linux/sched/clock.h>
#include <asm/cputype.h>
#include <asm/cacheflush.h>
#include <asm/outercache.h>

#include "armkvm_trustzone.h"

#define GICD_TYPER		0x004
#define GICD_TYPER_SECURITY	BIT(10)
#define GICD_IGROUPR0		0x080
#define GICC_CTLR		0x000
#define PROBE_SGI		15

/* ID_PFR1[7:4] Security: 0 = no Security Extensions. */
#define PFR1_SECURITY(pfr1)	(((pfr1) >> 4) & 0xf)

#define ARM_SMC_0		0xe1600070	/* smc #0 */
#define ARM_B_SELF		0xeafffffe	/* b . */
/* The stub's CPSR: Non-secure SVC, IRQs masked (A and F cannot be: SCR.AW, FW). */
#define STUB_CPSR		0x00000093
#define PSR_MODE(psr)		((psr) & 0x1f)
#define SELF_TEST_TRIPS		1000

static bool trustzone;
module_param(trustzone, bool, 0444);
MODULE_PARM_DESC(trustzone, "the host runs in the Secure world and monitor trips work (read-only)");

static void __iomem *gicd;
static void __iomem *gicc;

bool armkvm_trustzone_available(void)
{
	return trustzone;
}

static bool armkvm_gic_says_secure(void)
{
	void __iomem *reg = gicd + GICD_IGROUPR0;
	unsigned long flags;
	u32 was, flipped;

	local_irq_save(flags);
	was = readl_relaxed(reg);
	writel_relaxed(was ^ BIT(PROBE_SGI), reg);
	flipped = readl_relaxed(reg);
	writel_relaxed(was, reg);
	local_irq_restore(flags);
	return flipped != was;
}

static int armkvm_trip(u32 pa, struct armkvm_monitor_trip *t)
{
	unsigned long flags;
	int vector;

	memset(t, 0, sizeof(*t));
	t->ns_pc = pa;
	t->ns_cpsr = STUB_CPSR;
	t->gicc_ctlr = (u32)(unsigned long)(gicc + GICC_CTLR);
	local_irq_save(flags);
	vector = armkvm_monitor_trip(t);
	local_irq_restore(flags);
	return vector;
}

/*
 * A trip to the SMC at pa. A host interrupt pending at entry ends the trip
 * before the stub's first instruction (FIQ, LR pa + 4): the host takes it
 * and the trip is made again, as a vCPU's run loop does.
 */
static int armkvm_smc_trip(u32 pa, struct armkvm_monitor_trip *t,
			   unsigned int *interrupted)
{
	int vector, tries;

	for (tries = 0; tries < 100; tries++) {
		vector = armkvm_trip(pa, t);
		if (vector != ARMKVM_MON_VEC_FIQ || t->lr != pa + 4)
			break;
		(*interrupted)++;
	}
	return vector;
}

/* The monitor's round trips against a stub page; 0 or -EIO with the reason said. */
static int armkvm_monitor_self_test(void)
{
	struct armkvm_monitor_trip t;
	struct page *page;
	u64 start, ns;
	unsigned int interrupted = 0;
	u32 *stub, pa;
	int i, vector, ret = -EIO;

	page = alloc_page(GFP_KERNEL);
	if (!page)
		return -ENOMEM;
	stub = page_address(page);
	pa = page_to_phys(page);
	stub[0] = ARM_SMC_0;
	stub[1] = ARM_B_SELF;
	stub[2] = ARM_B_SELF;
	/*
	 * The Non-secure world fetches with its MMU and caches off, and the
	 * caches tag lines by world: the stub must be in memory.
	 */
	__cpuc_flush_dcache_area(stub, 3 * sizeof(u32));
	outer_clean_range(pa, pa + 3 * sizeof(u32));
	/* The vectors' page in this task's tables before monitor mode needs it. */
	(void)READ_ONCE(armkvm_monitor_vectors[0]);

	vector = armkvm_smc_trip(pa, &t, &interrupted);
	if (vector != ARMKVM_MON_VEC_SMC || t.lr != pa + 4 ||
	    PSR_MODE(t.spsr) != PSR_MODE(STUB_CPSR)) {
		pr_err("armkvm: trustzone: an SMC from the Non-secure world came back through vector %d, LR %08x, SPSR %08x (expected %d, %08x, SVC)\n",
		       vector, t.lr, t.spsr, ARMKVM_MON_VEC_SMC, pa + 4);
		goto out;
	}
	start = local_clock();
	for (i = 0; i < SELF_TEST_TRIPS; i++) {
		vector = armkvm_smc_trip(pa, &t, &interrupted);
		if (vector != ARMKVM_MON_VEC_SMC) {
			pr_err("armkvm: trustzone: SMC trip %d came back through vector %d, LR %08x\n",
			       i, vector, t.lr);
			goto out;
		}
	}
	ns = local_clock() - start;

	/* The stub masks IRQs and spins: the host's next interrupt must end it. */
	vector = armkvm_trip(pa + 8, &t);
	if (vector != ARMKVM_MON_VEC_FIQ || t.lr != pa + 12) {
		pr_err("armkvm: trustzone: a spinning Non-secure stub was ended through vector %d, LR %08x (expected the FIQ vector %d, %08x)\n",
		       vector, t.lr, ARMKVM_MON_VEC_FIQ, pa + 12);
		goto out;
	}
	pr_info("armkvm: trustzone: %d SMC round trips to the Non-secure world, %llu ns each (%u more ended by host interrupts); a host interrupt ends a Non-secure world that masks IRQs, as an FIQ\n",
		SELF_TEST_TRIPS, div_u64(ns, SELF_TEST_TRIPS), interrupted);
	ret = 0;
out:
	__free_page(page);
	return ret;
}

static const struct of_device_id armkvm_gicv2_ids[] = {
	{ .compatible = "arm,cortex-a15-gic" },
	{ .compatible = "arm,cortex-a7-gic" },
	{ .compatible = "arm,cortex-a9-gic" },
	{ .compatible = "arm,gic-400" },
	{ }
};

static void armkvm_gic_unmap(void)
{
	if (gicc)
		iounmap(gicc);
	if (gicd)
		iounmap(gicd);
	gicc = NULL;
	gicd = NULL;
}

/*
 * Never fails the module's load: without a Secure host the other modes still
 * work, and the log says why trustzone mode is not there.
 */
void armkvm_trustzone_init(void)
{
	struct device_node *np;

	if (!PFR1_SECURITY(read_cpuid_ext(CPUID_EXT_PFR1))) {
		pr_info("armkvm: trustzone mode unavailable: the CPU has no Security Extensions\n");
		return;
	}
	np = of_find_matching_node(NULL, armkvm_gicv2_ids);
	if (!np) {
		pr_info("armkvm: trustzone mode unavailable: no GICv2 in the device tree\n");
		return;
	}
	gicd = of_iomap(np, 0);
	gicc = of_iomap(np, 1);
	of_node_put(np);
	if (!gicd || !gicc) {
		pr_err("armkvm: trustzone mode unavailable: cannot map the GIC\n");
		armkvm_gic_unmap();
		return;
	}
	if (!(readl_relaxed(gicd + GICD_TYPER) & GICD_TYPER_SECURITY)) {
		pr_info("armkvm: trustzone mode unavailable: the GIC has no Security Extensions\n");
		armkvm_gic_unmap();
		return;
	}
	if (!armkvm_gic_says_secure()) {
		pr_info("armkvm: trustzone mode unavailable: the host runs in the Non-secure world\n");
		armkvm_gic_unmap();
		return;
	}
	pr_info("armkvm: the host runs in the Secure world\n");
	if (armkvm_monitor_self_test()) {
		pr_err("armkvm: trustzone mode unavailable: the monitor's self-test failed\n");
		armkvm_gic_unmap();
		return;
	}
	trustzone = true;
}

void armkvm_trustzone_exit(void)
{
	trustzone = false;
	armkvm_gic_unmap();
}

static_assert(offsetof(struct armkvm_monitor_trip, ns_pc) == 0x00);
static_assert(offsetof(struct armkvm_monitor_trip, ns_cpsr) == 0x04);
static_assert(offsetof(struct armkvm_monitor_trip, gicc_ctlr) == 0x08);
static_assert(offsetof(struct armkvm_monitor_trip, host_cpsr) == 0x0c);
static_assert(offsetof(struct armkvm_monitor_trip, host_sp) == 0x10);
static_assert(offsetof(struct armkvm_monitor_trip, host_mvbar) == 0x14);
static_assert(offsetof(struct armkvm_monitor_trip, host_scr) == 0x18);
static_assert(offsetof(struct armkvm_monitor_trip, vector) == 0x1c);
static_assert(offsetof(struct armkvm_monitor_trip, lr) == 0x20);
static_assert(offsetof(struct armkvm_monitor_trip, spsr) == 0x24);
