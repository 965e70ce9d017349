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
 * On a Secure host, a self-test then runs the world switch (armkvm_monitor.S)
 * on a one-page Non-secure guest (armkvm_tz_test_guest.S): the guest must see
 * every shared register as loaded, the switch must save every change the
 * guest made, and the host's own registers must be untouched, also when a
 * host interrupt ends the run halfway and the guest goes on. Then 1,000 SMC
 * round trips are timed, and a guest that masks IRQs and spins must be ended
 * by the host's next interrupt, as an FIQ. Only then is trustzone mode
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
#include <linux/slab.h>
#include <asm/cputype.h>
#include <asm/cacheflush.h>
#include <asm/outercache.h>
#include <asm/irqflags.h>

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
#define PSR_MODE(psr)		((psr) & 0x1f)
#define SVC_MODE_I		0x00000093	/* Non-secure SVC, IRQs masked; A, F clear */
#define FPEXC_EN		BIT(30)
#define CPACR_CP10_CP11		(0xf << 20)
#define CNTV_CTL_ISTATUS	BIT(2)
#define SELF_TEST_TRIPS		1000

/* The self-test's page: the test guest's code, a bare SMC, and its report. */
#define STUB_SMC		0x700
#define STUB_REPORT		0x800

/* What the test guest records (armkvm_tz_test_guest.S), in its order. */
struct armkvm_tz_report {
	u32 r[13];
	u32 usr_sp, usr_lr;
	u32 bank[4][3];
	u32 fiq[8];
	u32 tpidrurw, tpidruro, tpidrprw, contextidr, dacr, vbar, dfar, ifar;
	u64 d[32];
	u32 fpscr;
} __packed;

static bool trustzone;
module_param(trustzone, bool, 0444);
MODULE_PARM_DESC(trustzone, "the host runs in the Secure world and the monitor's self-test passed (read-only)");

static void __iomem *gicd;
static void __iomem *gicc;
static bool vfp_d32;

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

/*
 * The host's shared registers now, but for SVC's sp and lr (the caller's
 * own) and CNTV_CTL.ISTATUS (the hardware's: the host's tick expiring while
 * the guest runs is what ends a run).
 */
static void armkvm_tz_witness(struct armkvm_tz_regs *r, u32 flags)
{
	armkvm_tz_read_host(r, flags);
	r->svc[0] = 0;
	r->svc[1] = 0;
	r->cntv_ctl &= ~CNTV_CTL_ISTATUS;
}

/*
 * Run the guest of *w until it exits other than by a host interrupt, as a
 * vCPU's run loop does: an interrupt ends the run (the host takes it once
 * its interrupts are unmasked) and the guest goes on where it was. The
 * host's registers are read before and after each switch into *before and
 * *after. Returns the last vector; *interrupted counts the others.
 */
static int armkvm_tz_run(struct armkvm_tz_world *w, struct armkvm_tz_regs *before,
			 struct armkvm_tz_regs *after, unsigned int *interrupted)
{
	unsigned long flags;
	int vector, runs;

	for (runs = 0; runs < 1000; runs++) {
		local_irq_save(flags);
		local_fiq_disable();
		if (before)
			armkvm_tz_witness(before, w->flags);
		vector = armkvm_tz_switch(w);
		if (after)
			armkvm_tz_witness(after, w->flags);
		local_fiq_enable();
		local_irq_restore(flags);
		w->flags &= ~ARMKVM_TZ_FLUSH_TLB;
		if (vector != ARMKVM_MON_VEC_FIQ && vector != ARMKVM_MON_VEC_IRQ)
			break;
		w->guest_pc = w->lr - 4;
		(*interrupted)++;
		if (before && after && memcmp(before, after, sizeof(*before)))
			break;
	}
	return vector;
}

static void armkvm_tz_load_test_state(struct armkvm_tz_world *w, u32 pa)
{
	struct armkvm_tz_regs *g = &w->guest;
	int i, m;

	memset(w, 0, sizeof(*w));
	w->flags = ARMKVM_TZ_FLUSH_TLB | (vfp_d32 ? ARMKVM_TZ_D32 : 0);
	w->gicc_ctlr = (u32)(unsigned long)(gicc + GICC_CTLR);
	for (i = 0; i < 13; i++)
		g->r[i] = 0xa0000000 + i;
	g->usr_sp = 0xa1000000;
	g->usr_lr = 0xa1000004;
	for (m = 0; m < 4; m++) {
		u32 *b = m == 0 ? g->svc : m == 1 ? g->abt : m == 2 ? g->und : g->irq;

		b[0] = 0xa2000000 + (m << 8);
		b[1] = 0xa2000004 + (m << 8);
		b[2] = 0x600001d0 + m;
	}
	g->svc[0] = pa + STUB_REPORT;	/* where the guest writes its report */
	for (i = 0; i < 8; i++)
		g->fiq[i] = 0xa3000000 + i;
	g->fiq[7] = 0x800001d1;
	g->cpacr = CPACR_CP10_CP11;
	g->fpexc = FPEXC_EN;
	for (i = 0; i < 32; i++)
		g->d[i] = 0xd000000000000000ull + i;
	w->ns.sctlr = 0x00c50078;	/* ARMv7's reset value: MMU, caches off */
	w->ns.dacr = 0x55555555;
	w->ns.contextidr = 0x42;
	w->ns.tpidrurw = 0x1111;
	w->ns.tpidruro = 0x2222;
	w->ns.tpidrprw = 0x3333;
	w->ns.dfar = 0x4444;
	w->ns.ifar = 0x5555;
	w->guest_pc = pa;
	w->guest_cpsr = SVC_MODE_I;
}

/* Each failed check is said, and counted in *bad: one run tells all that is wrong. */
#define TZ_CHECK(bad, cond, fmt, ...) do {				\
	if (!(cond)) {							\
		pr_err("armkvm: trustzone: self-test: " fmt "\n", ##__VA_ARGS__); \
		(*(bad))++;						\
	}								\
} while (0)

/* Each word of the host's witness that changed across a run, said; their count. */
static int armkvm_tz_host_changes(const struct armkvm_tz_regs *before,
				  const struct armkvm_tz_regs *after)
{
	const u32 *b = (const u32 *)before, *a = (const u32 *)after;
	int i, changed = 0;

	for (i = 0; i < sizeof(*before) / 4; i++) {
		if (b[i] == a[i])
			continue;
		pr_err("armkvm: trustzone: self-test: the host's register word %d changed across a run: %08x, then %08x\n",
		       i, b[i], a[i]);
		changed++;
	}
	return changed;
}

/* What the guest saw is what was loaded; what it changed is saved; the host is untouched. */
static int armkvm_tz_check_state(const struct armkvm_tz_world *w, const struct armkvm_tz_report *rep,
				 const struct armkvm_tz_regs *before,
				 const struct armkvm_tz_regs *after)
{
	const struct armkvm_tz_regs *g = &w->guest;
	const u32 *loaded_banks[4] = { g->svc, g->abt, g->und, g->irq };
	u32 sp0 = w->guest.svc[0] - 1;	/* the report's address, as loaded */
	int i, m, bad = 0;

	for (i = 0; i < 13; i++) {
		TZ_CHECK(&bad, rep->r[i] == 0xa0000000 + i, "the guest saw r%d = %08x", i, rep->r[i]);
		TZ_CHECK(&bad, g->r[i] == 0x40 + i, "the guest's r%d saved as %08x", i, g->r[i]);
	}
	TZ_CHECK(&bad, rep->usr_sp == 0xa1000000 && rep->usr_lr == 0xa1000004 &&
		 g->usr_sp == 0xa1000001 && g->usr_lr == 0xa1000006,
		 "user sp, lr seen %08x %08x, saved %08x %08x",
		 rep->usr_sp, rep->usr_lr, g->usr_sp, g->usr_lr);
	for (m = 0; m < 4; m++) {
		u32 sp = m ? 0xa2000000 + (m << 8) : sp0;
		u32 lr = 0xa2000004 + (m << 8), spsr = 0x600001d0 + m;

		TZ_CHECK(&bad, rep->bank[m][0] == sp && rep->bank[m][1] == lr && rep->bank[m][2] == spsr,
			 "bank %d seen as %08x %08x %08x", m,
			 rep->bank[m][0], rep->bank[m][1], rep->bank[m][2]);
		TZ_CHECK(&bad, loaded_banks[m][0] == sp + 1 && loaded_banks[m][1] == lr + 2 &&
			 loaded_banks[m][2] == (spsr ^ 0xf0000000),
			 "bank %d saved as %08x %08x %08x", m,
			 loaded_banks[m][0], loaded_banks[m][1], loaded_banks[m][2]);
	}
	for (i = 0; i < 5; i++)
		TZ_CHECK(&bad, rep->fiq[i] == 0xa3000000 + i && g->fiq[i] == 0xa3000001 + i,
			 "FIQ r%d seen %08x, saved %08x", 8 + i, rep->fiq[i], g->fiq[i]);
	TZ_CHECK(&bad, g->fiq[5] == 0xa3000006 && g->fiq[6] == 0xa3000008 &&
		 g->fiq[7] == (0x800001d1 ^ 0xf0000000),
		 "FIQ sp, lr, spsr saved as %08x %08x %08x", g->fiq[5], g->fiq[6], g->fiq[7]);
	TZ_CHECK(&bad, rep->tpidrurw == 0x1111 && rep->tpidruro == 0x2222 && rep->tpidrprw == 0x3333 &&
		 rep->contextidr == 0x42 && rep->dacr == 0x55555555 && rep->vbar == 0 &&
		 rep->dfar == 0x4444 && rep->ifar == 0x5555,
		 "the Non-secure CP15 bank seen as loaded: no (TPIDRURW %08x, DACR %08x)",
		 rep->tpidrurw, rep->dacr);
	TZ_CHECK(&bad, w->ns.tpidrurw == 0x1112 && w->ns.tpidruro == 0x2223 && w->ns.tpidrprw == 0x3334 &&
		 w->ns.contextidr == 0x43 && w->ns.dacr == 0x55555556 && w->ns.vbar == 0x20 &&
		 w->ns.dfar == 0x4445 && w->ns.ifar == 0x5556,
		 "the Non-secure CP15 bank saved: no (TPIDRURW %08x, VBAR %08x)",
		 w->ns.tpidrurw, w->ns.vbar);
	for (i = 0; i < (vfp_d32 ? 32 : 16); i++) {
		u64 set = 0x5eed0000ull + i;

		TZ_CHECK(&bad, rep->d[i] == 0xd000000000000000ull + i && g->d[i] == (set << 32 | set),
			 "d%d seen %016llx, saved %016llx", i, rep->d[i], g->d[i]);
	}
	TZ_CHECK(&bad, g->fpscr == 0x03000000 && !(g->fpexc & FPEXC_EN) && g->cpacr == 0 &&
		 g->cntkctl == 3 && g->cntv_ctl == 0,
		 "the guest's FPSCR %08x, FPEXC %08x, CPACR %08x, CNTKCTL %08x, CNTV_CTL %08x",
		 g->fpscr, g->fpexc, g->cpacr, g->cntkctl, g->cntv_ctl);
	TZ_CHECK(&bad, PSR_MODE(w->guest_cpsr) == PSR_MODE(SVC_MODE_I),
		 "the guest's CPSR %08x", w->guest_cpsr);
	bad += armkvm_tz_host_changes(before, after);
	return bad ? -EIO : 0;
}

/* The page's lines out of the Secure view's caches: the guest reads and writes memory. */
static void armkvm_tz_page_to_memory(void *va, u32 pa)
{
	__cpuc_flush_dcache_area(va, PAGE_SIZE);
	outer_flush_range(pa, pa + PAGE_SIZE);
}

/* The monitor's self-test: the world switch, its cost, and interrupts. 0 or -errno. */
static int armkvm_monitor_self_test(void)
{
	size_t size = armkvm_tz_test_guest_end - armkvm_tz_test_guest;
	struct armkvm_tz_regs *before, *after;
	unsigned int interrupted = 0;
	struct armkvm_tz_world *w;
	struct page *page;
	u64 start, ns;
	int i, vector, ret = -EIO;
	u32 *stub, pa;

	u32 mvfr0;

	if (size > STUB_SMC)
		return -E2BIG;
	/* MVFR0[3:0] == 2: 32 double registers (VFPv3-D32, NEON). */
	asm volatile("mrc p10, 7, %0, cr7, cr0, 0" : "=r" (mvfr0));	/* VMRS MVFR0 */
	vfp_d32 = (mvfr0 & 0xf) == 2;
	w = kzalloc(sizeof(*w), GFP_KERNEL);
	before = kzalloc(sizeof(*before), GFP_KERNEL);
	after = kzalloc(sizeof(*after), GFP_KERNEL);
	page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!w || !before || !after || !page) {
		ret = -ENOMEM;
		goto out;
	}
	stub = page_address(page);
	pa = page_to_phys(page);
	memcpy(stub, armkvm_tz_test_guest, size);
	stub[STUB_SMC / 4] = ARM_SMC_0;
	stub[STUB_SMC / 4 + 1] = ARM_B_SELF;
	armkvm_tz_page_to_memory(stub, pa);
	/* The vectors' page in this task's tables before monitor mode needs it. */
	(void)READ_ONCE(armkvm_monitor_vectors[0]);

	/* Every shared register across a run that changes them all. */
	armkvm_tz_load_test_state(w, pa);
	vector = armkvm_tz_run(w, before, after, &interrupted);
	armkvm_tz_page_to_memory(stub, pa);
	if (vector != ARMKVM_MON_VEC_SMC)
		armkvm_tz_host_changes(before, after);	/* why armkvm_tz_run() stopped */
	if (vector != ARMKVM_MON_VEC_SMC || w->lr != pa + size - 4) {
		pr_err("armkvm: trustzone: self-test: the test guest ended through vector %d, LR %08x (expected %d, %08x)\n",
		       vector, w->lr, ARMKVM_MON_VEC_SMC, pa + (u32)size - 4);
		goto out;
	}
	ret = armkvm_tz_check_state(w, (void *)stub + STUB_REPORT, before, after);
	if (ret)
		goto out;
	ret = -EIO;

	/* The cost of a round trip through the monitor, all state switched. */
	armkvm_tz_load_test_state(w, pa + STUB_SMC);
	start = local_clock();
	for (i = 0; i < SELF_TEST_TRIPS; i++) {
		w->guest_pc = pa + STUB_SMC;
		vector = armkvm_tz_run(w, NULL, NULL, &interrupted);
		if (vector != ARMKVM_MON_VEC_SMC || w->lr != pa + STUB_SMC + 4) {
			pr_err("armkvm: trustzone: self-test: SMC round trip %d came back through vector %d, LR %08x\n",
			       i, vector, w->lr);
			goto out;
		}
	}
	ns = local_clock() - start;

	/* A guest that masks IRQs and spins: the host's next interrupt must end it. */
	w->guest_pc = pa + STUB_SMC + 4;
	local_irq_disable();
	local_fiq_disable();
	vector = armkvm_tz_switch(w);
	local_fiq_enable();
	local_irq_enable();
	if (vector != ARMKVM_MON_VEC_FIQ || w->lr != pa + STUB_SMC + 8) {
		pr_err("armkvm: trustzone: self-test: a spinning guest was ended through vector %d, LR %08x (expected the FIQ vector %d, %08x)\n",
		       vector, w->lr, ARMKVM_MON_VEC_FIQ, pa + STUB_SMC + 8);
		goto out;
	}
	pr_info("armkvm: trustzone: world switch: every shared register seen, saved and given back; %d SMC round trips, %llu ns each (%u runs ended by host interrupts); a host interrupt ends a guest that masks IRQs, as an FIQ\n",
		SELF_TEST_TRIPS, div_u64(ns, SELF_TEST_TRIPS), interrupted);
	ret = 0;
out:
	if (page)
		__free_page(page);
	kfree(after);
	kfree(before);
	kfree(w);
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

static_assert(offsetof(struct armkvm_tz_regs, usr_sp) == 0x34);
static_assert(offsetof(struct armkvm_tz_regs, fiq) == 0x6c);
static_assert(offsetof(struct armkvm_tz_regs, cpacr) == 0x8c);
static_assert(offsetof(struct armkvm_tz_regs, fpexc) == 0xa0);
static_assert(offsetof(struct armkvm_tz_regs, fpscr) == 0xa4);
static_assert(offsetof(struct armkvm_tz_regs, d) == 0xa8);
static_assert(sizeof(struct armkvm_tz_regs) == 0x1a8);
static_assert(offsetof(struct armkvm_tz_world, guest) == 0x000);
static_assert(offsetof(struct armkvm_tz_world, guest_pc) == 0x1a8);
static_assert(offsetof(struct armkvm_tz_world, guest_cpsr) == 0x1ac);
static_assert(offsetof(struct armkvm_tz_world, ns) == 0x1b0);
static_assert(sizeof(struct armkvm_tz_ns_cp15) == 18 * 4);
static_assert(offsetof(struct armkvm_tz_world, host) == 0x1f8);
static_assert(offsetof(struct armkvm_tz_world, host_cpsr) == 0x3a0);
static_assert(offsetof(struct armkvm_tz_world, host_sp) == 0x3a4);
static_assert(offsetof(struct armkvm_tz_world, host_mvbar) == 0x3a8);
static_assert(offsetof(struct armkvm_tz_world, host_scr) == 0x3ac);
static_assert(offsetof(struct armkvm_tz_world, gicc_ctlr) == 0x3b0);
static_assert(offsetof(struct armkvm_tz_world, vector) == 0x3b4);
static_assert(offsetof(struct armkvm_tz_world, lr) == 0x3b8);
static_assert(offsetof(struct armkvm_tz_world, flags) == 0x3bc);
static_assert(sizeof(struct armkvm_tz_report) == 108 * 4);
static_assert(STUB_REPORT + sizeof(struct armkvm_tz_report) <= PAGE_SIZE);
