// SPDX-License-Identifier: GPL-2.0
/*
 * armkvm-hoststate: a test-only module that reads the host CPU state that
 * armkvm's world switch must give back unchanged (tests/lab/host-state.sh).
 *
 * /proc/armkvm-hoststate, when read, lists the state of the reader's CPU,
 * read with IRQs and FIQs masked: a line "name value class" per register.
 *
 * /proc/armkvm-hoststate-switch: probes on armkvm_world_switch() (a kprobe,
 * a kretprobe) read the same state as each switch is entered and as it
 * returns, and count per register the switches that changed it, with the
 * last values seen. Only a probe there sees SPSR_svc and the user-mode
 * sp/lr, which the host reloads on every return to user space. So that the
 * host survives what was just recorded, the probe then writes back what it
 * can (repair=1): a guest's
 * CPACR.ASEDIS left behind makes glibc's NEON memcpy SIGILL in every
 * process, init first. Writing to the file resets the counts.
 *
 * Copyright (c) 2026 The armkvm developers
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kprobes.h>
#include <linux/percpu.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <asm/vfp.h>

static char *probe = "armkvm_world_switch";
module_param(probe, charp, 0444);
MODULE_PARM_DESC(probe, "the world switch to probe (empty: no probe)");

static bool pmu_counter = true;
module_param(pmu_counter, bool, 0444);
MODULE_PARM_DESC(pmu_counter, "run event counter 1 on every CPU, as a host perf user would");

static bool repair = true;
module_param(repair, bool, 0444);
MODULE_PARM_DESC(repair, "write back what a switch changed, where the host can");

/*
 * Classes, for reads from user space:
 * CPU: set up once by the host for this CPU: any two reads must agree.
 * THREAD: the reading thread's (its mm, TLS, current): two reads by the
 *   same thread must agree.
 * CALL: changed by the host itself between two system calls, so compared
 *   per switch only: the LR and SPSR of IRQ, ABT and UND mode (every
 *   exception writes them), the caller's usr sp/lr and SPSR_svc, the fault
 *   registers, the host's timer, the lazily switched VFP registers.
 */
enum { HS_CPU, HS_THREAD, HS_CALL };
static const char * const hs_class_name[] = { "cpu", "thread", "call" };

/* The banked registers, in the order hs_banked() stores them. */
enum {
	R_USR_SP, R_USR_LR, R_SVC_SPSR,
	R_IRQ_SP, R_IRQ_LR, R_IRQ_SPSR,
	R_ABT_SP, R_ABT_LR, R_ABT_SPSR,
	R_UND_SP, R_UND_LR, R_UND_SPSR,
	R_FIQ_R8, R_FIQ_R9, R_FIQ_R10, R_FIQ_R11, R_FIQ_R12,
	R_FIQ_SP, R_FIQ_LR, R_FIQ_SPSR,
	R_BANKED,
	R_SCTLR = R_BANKED, R_ACTLR, R_CPACR, R_TTBR0, R_TTBR1, R_TTBCR, R_DACR,
	R_DFSR, R_IFSR, R_DFAR, R_IFAR, R_PRRR, R_NMRR, R_VBAR, R_FCSEIDR,
	R_CONTEXTIDR, R_TPIDRURW, R_TPIDRURO, R_TPIDRPRW, R_CSSELR,
	R_FPEXC, R_FPSCR, R_D0, R_D31 = R_D0 + 31,
	R_CNTFRQ, R_CNTKCTL, R_CNTV_CTL, R_CNTV_CVAL, R_CNTP_CTL, R_CNTP_CVAL,
	R_PMCR, R_PMCNTENSET, R_PMINTENSET, R_PMOVSR, R_PMSELR, R_PMUSERENR,
	R_PMXEVTYPER0, R_PMXEVTYPER3 = R_PMXEVTYPER0 + 3,
	R_DBGDSCR, R_DBGBVR0, R_DBGBCR0, R_DBGWVR0, R_DBGWCR0, R_DBGVCR,
	R_TEECR, R_TEEHBR,
	HS_NREGS
};

#define HS_WIDE		1	/* 64 bits */
#define HS_NOSWITCH	2	/* not compared per switch (see hs_regs) */
#define CNT_ISTATUS	4	/* the timer's condition: moves with the counter */
#define DBGDSCR_MOE	0x3c	/* method of debug entry */

struct hs_reg {
	const char *name;
	u8 class;
	u8 flags;
	u32 ignore;		/* bits that change by themselves */
};

static const struct hs_reg hs_regs[HS_NREGS] = {
	[R_USR_SP] = { "sp_usr", HS_CALL }, [R_USR_LR] = { "lr_usr", HS_CALL },
	[R_SVC_SPSR] = { "spsr_svc", HS_CALL },
	[R_IRQ_SP] = { "sp_irq", HS_CPU }, [R_IRQ_LR] = { "lr_irq", HS_CALL },
	[R_IRQ_SPSR] = { "spsr_irq", HS_CALL },
	[R_ABT_SP] = { "sp_abt", HS_CPU }, [R_ABT_LR] = { "lr_abt", HS_CALL },
	[R_ABT_SPSR] = { "spsr_abt", HS_CALL },
	[R_UND_SP] = { "sp_und", HS_CPU }, [R_UND_LR] = { "lr_und", HS_CALL },
	[R_UND_SPSR] = { "spsr_und", HS_CALL },
	/* Linux takes no FIQs: nothing changes FIQ mode's bank after boot. */
	[R_FIQ_R8] = { "r8_fiq", HS_CPU }, [R_FIQ_R9] = { "r9_fiq", HS_CPU },
	[R_FIQ_R10] = { "r10_fiq", HS_CPU }, [R_FIQ_R11] = { "r11_fiq", HS_CPU },
	[R_FIQ_R12] = { "r12_fiq", HS_CPU }, [R_FIQ_SP] = { "sp_fiq", HS_CPU },
	[R_FIQ_LR] = { "lr_fiq", HS_CPU }, [R_FIQ_SPSR] = { "spsr_fiq", HS_CPU },
	[R_SCTLR] = { "SCTLR", HS_CPU }, [R_ACTLR] = { "ACTLR", HS_CPU },
	[R_CPACR] = { "CPACR", HS_CPU }, [R_TTBR0] = { "TTBR0", HS_THREAD },
	[R_TTBR1] = { "TTBR1", HS_CPU }, [R_TTBCR] = { "TTBCR", HS_CPU },
	[R_DACR] = { "DACR", HS_CPU },	/* the kernel's, outside uaccess */
	/*
	 * The switch leaves the host the guest's fault registers: the host
	 * reads them only in its abort handlers, after an abort set them.
	 */
	[R_DFSR] = { "DFSR", HS_CALL, HS_NOSWITCH },
	[R_IFSR] = { "IFSR", HS_CALL, HS_NOSWITCH },
	[R_DFAR] = { "DFAR", HS_CALL, HS_NOSWITCH },
	[R_IFAR] = { "IFAR", HS_CALL, HS_NOSWITCH },
	[R_PRRR] = { "PRRR", HS_CPU }, [R_NMRR] = { "NMRR", HS_CPU },
	[R_VBAR] = { "VBAR", HS_CPU }, [R_FCSEIDR] = { "FCSEIDR", HS_CPU },
	[R_CONTEXTIDR] = { "CONTEXTIDR", HS_THREAD },
	[R_TPIDRURW] = { "TPIDRURW", HS_THREAD },
	[R_TPIDRURO] = { "TPIDRURO", HS_THREAD },	/* current, in the kernel */
	[R_TPIDRPRW] = { "TPIDRPRW", HS_CPU }, [R_CSSELR] = { "CSSELR", HS_CPU },
	/* Lazy VFP switching: FPEXC.EN and the registers go with their owner. */
	[R_FPEXC] = { "FPEXC", HS_CALL }, [R_FPSCR] = { "FPSCR", HS_CALL },
	[R_D0 ... R_D31] = { "d", HS_CALL, HS_WIDE },
	[R_CNTFRQ] = { "CNTFRQ", HS_CPU }, [R_CNTKCTL] = { "CNTKCTL", HS_CPU },
	/* The host's clockevent: reprogrammed all the time. */
	[R_CNTV_CTL] = { "CNTV_CTL", HS_CALL, 0, CNT_ISTATUS },
	[R_CNTV_CVAL] = { "CNTV_CVAL", HS_CALL, HS_WIDE },
	/*
	 * The guest's timer, stopped by every exit; the host never uses it,
	 * so the guest's compare value may stay behind.
	 */
	[R_CNTP_CTL] = { "CNTP_CTL", HS_CPU, 0, CNT_ISTATUS },
	[R_CNTP_CVAL] = { "CNTP_CVAL", HS_CALL, HS_WIDE | HS_NOSWITCH },
	/* No counter is read: they count whenever the host has them on. */
	[R_PMCR] = { "PMCR", HS_CPU }, [R_PMCNTENSET] = { "PMCNTENSET", HS_CPU },
	[R_PMINTENSET] = { "PMINTENSET", HS_CPU }, [R_PMOVSR] = { "PMOVSR", HS_CPU },
	[R_PMSELR] = { "PMSELR", HS_CPU }, [R_PMUSERENR] = { "PMUSERENR", HS_CPU },
	[R_PMXEVTYPER0 ... R_PMXEVTYPER3] = { "PMXEVTYPER", HS_CPU },
	/*
	 * MOE (bits 5:2) records how the last debug event was taken: a BKPT
	 * at PL0, which any host process may execute too, rewrites it, and
	 * every later debug event sets it afresh.
	 */
	[R_DBGDSCR] = { "DBGDSCRext", HS_CPU, 0, DBGDSCR_MOE },
	[R_DBGBVR0] = { "DBGBVR0", HS_CPU },
	[R_DBGBCR0] = { "DBGBCR0", HS_CPU }, [R_DBGWVR0] = { "DBGWVR0", HS_CPU },
	[R_DBGWCR0] = { "DBGWCR0", HS_CPU }, [R_DBGVCR] = { "DBGVCR", HS_CPU },
	/*
	 * ThumbEE: a PL1 guest writes both natively (Linux sets TEECR.XED);
	 * armkvm puts the host's back after the switch, in C, so they are
	 * compared by the reads around a run, not per switch. TEEHBR is the
	 * thread's where the host switches it (CONFIG_ARM_THUMBEE).
	 */
	[R_TEECR] = { "TEECR", HS_CPU, HS_NOSWITCH },
	[R_TEEHBR] = { "TEEHBR", HS_THREAD, HS_NOSWITCH },
};

struct hs_snap {
	u64 v[HS_NREGS];
};

/* What this CPU has (the lab's CPUs, Cortex-A7 and -A15, have all of it). */
static bool hs_present[HS_NREGS];
static bool hs_d32;
static unsigned int hs_pmu_types;	/* PMXEVTYPERs read */

struct hs_diff {
	u64 count, before, after;
};

static DEFINE_RAW_SPINLOCK(hs_lock);
static u64 hs_switches, hs_unpaired;
static struct hs_diff hs_diffs[HS_NREGS];
/* A switch runs with IRQs off on one CPU: entry and return pair up there. */
static DEFINE_PER_CPU(struct hs_snap, hs_before);
static DEFINE_PER_CPU(struct hs_snap, hs_after);
static DEFINE_PER_CPU(bool, hs_armed);

#define MRC(cp, op1, crn, crm, op2) ({					\
	u32 __v;							\
	asm volatile("mrc " #cp ", " #op1 ", %0, " #crn ", " #crm ", " #op2 \
		     : "=r" (__v));					\
	__v;								\
})
#define MCR(cp, op1, crn, crm, op2, val) ({				\
	asm volatile("mcr " #cp ", " #op1 ", %0, " #crn ", " #crm ", " #op2 \
		     : : "r" ((u32)(val)));				\
})
#define MRRC(op1, crm) ({						\
	u64 __v;							\
	asm volatile("mrrc p15, " #op1 ", %Q0, %R0, " #crm : "=r" (__v)); \
	__v;								\
})
#define MCRR(op1, crm, val) ({						\
	asm volatile("mcrr p15, " #op1 ", %Q0, %R0, " #crm : : "r" ((u64)(val))); \
})

/*
 * The banked registers of every mode, IRQs and FIQs masked. The banked MRS
 * that reads them from SVC mode (mrs r0, sp_irq) belongs to the
 * virtualization extensions, UNDEFINED on the CPUs armkvm is for: each mode
 * is entered with CPS instead (SYS for the user bank) and left for the
 * caller's mode. r0 is the pointer because FIQ mode banks r8-r12 and every
 * mode sp and lr. Called in SVC mode.
 */
static noinline void hs_banked(u32 *bank, bool write)
{
	register u32 *p asm("r0") = bank;

	if (!write) {
		asm volatile(
		"	mrs	r2, cpsr\n"
		"	cpsid	if\n"
		"	mrs	r3, spsr\n"		/* SVC's */
		"	str	r3, [%0, #8]\n"
		"	cps	#0x1f\n"		/* SYS: the user bank */
		"	str	sp, [%0], #4\n"
		"	str	lr, [%0], #8\n"
		"	.irp	mode, 0x12, 0x17, 0x1b\n"	/* IRQ, ABT, UND */
		"	cps	#\\mode\n"
		"	str	sp, [%0], #4\n"
		"	str	lr, [%0], #4\n"
		"	mrs	r3, spsr\n"
		"	str	r3, [%0], #4\n"
		"	.endr\n"
		"	cps	#0x11\n"		/* FIQ */
		"	stmia	%0!, {r8-r12}\n"
		"	str	sp, [%0], #4\n"
		"	str	lr, [%0], #4\n"
		"	mrs	r3, spsr\n"
		"	str	r3, [%0], #4\n"
		"	msr	cpsr_c, r2\n"
		: "+r" (p) : : "r2", "r3", "memory");
		return;
	}
	asm volatile(
	"	mrs	r2, cpsr\n"
	"	cpsid	if\n"
	"	ldr	r3, [%0, #8]\n"
	"	msr	spsr_cxsf, r3\n"
	"	cps	#0x1f\n"
	"	ldr	sp, [%0], #4\n"
	"	ldr	lr, [%0], #8\n"
	"	.irp	mode, 0x12, 0x17, 0x1b\n"
	"	cps	#\\mode\n"
	"	ldr	sp, [%0], #4\n"
	"	ldr	lr, [%0], #4\n"
	"	ldr	r3, [%0], #4\n"
	"	msr	spsr_cxsf, r3\n"
	"	.endr\n"
	"	cps	#0x11\n"
	"	ldmia	%0!, {r8-r12}\n"
	"	ldr	sp, [%0], #4\n"
	"	ldr	lr, [%0], #4\n"
	"	ldr	r3, [%0], #4\n"
	"	msr	spsr_cxsf, r3\n"
	"	msr	cpsr_c, r2\n"
	: "+r" (p) : : "r2", "r3", "memory");
}

static u32 hs_fpexc(void)
{
	u32 v;

	asm volatile(".fpu vfpv3\n vmrs %0, fpexc" : "=r" (v));
	return v;
}

static void hs_set_fpexc(u32 v)
{
	asm volatile(".fpu vfpv3\n vmsr fpexc, %0\n isb" : : "r" (v));
}

/* FPSCR and d0-d31 need FPEXC.EN: set for the read, then put back. */
static void hs_read_vfp(struct hs_snap *s)
{
	u32 fpexc = hs_fpexc(), fpscr;
	u64 d[32];

	s->v[R_FPEXC] = fpexc;
	hs_set_fpexc(fpexc | FPEXC_EN);
	asm volatile(".fpu vfpv3\n vmrs %0, fpscr" : "=r" (fpscr));
	asm volatile(".fpu vfpv3\n vstmia %0, {d0-d15}" : : "r" (d) : "memory");
	if (hs_d32)
		asm volatile(".fpu vfpv3\n vstmia %0, {d16-d31}" : : "r" (&d[16]) : "memory");
	hs_set_fpexc(fpexc);
	s->v[R_FPSCR] = fpscr;
	memcpy(&s->v[R_D0], d, (hs_d32 ? 32 : 16) * sizeof(d[0]));
}

static u32 hs_pmxevtyper(unsigned int n)
{
	MCR(p15, 0, c9, c12, 5, n);		/* PMSELR */
	isb();
	return MRC(p15, 0, c9, c13, 1);
}

/* The whole state of this CPU; IRQs off. */
static void hs_read(struct hs_snap *s)
{
	u32 bank[R_BANKED];
	unsigned int i;

	hs_banked(bank, false);
	for (i = 0; i < R_BANKED; i++)
		s->v[i] = bank[i];
	s->v[R_SCTLR] = MRC(p15, 0, c1, c0, 0);
	s->v[R_ACTLR] = MRC(p15, 0, c1, c0, 1);
	s->v[R_CPACR] = MRC(p15, 0, c1, c0, 2);
	s->v[R_TTBR0] = MRC(p15, 0, c2, c0, 0);
	s->v[R_TTBR1] = MRC(p15, 0, c2, c0, 1);
	s->v[R_TTBCR] = MRC(p15, 0, c2, c0, 2);
	s->v[R_DACR] = MRC(p15, 0, c3, c0, 0);
	s->v[R_DFSR] = MRC(p15, 0, c5, c0, 0);
	s->v[R_IFSR] = MRC(p15, 0, c5, c0, 1);
	s->v[R_DFAR] = MRC(p15, 0, c6, c0, 0);
	s->v[R_IFAR] = MRC(p15, 0, c6, c0, 2);
	s->v[R_PRRR] = MRC(p15, 0, c10, c2, 0);
	s->v[R_NMRR] = MRC(p15, 0, c10, c2, 1);
	s->v[R_VBAR] = MRC(p15, 0, c12, c0, 0);
	s->v[R_FCSEIDR] = MRC(p15, 0, c13, c0, 0);
	s->v[R_CONTEXTIDR] = MRC(p15, 0, c13, c0, 1);
	s->v[R_TPIDRURW] = MRC(p15, 0, c13, c0, 2);
	s->v[R_TPIDRURO] = MRC(p15, 0, c13, c0, 3);
	s->v[R_TPIDRPRW] = MRC(p15, 0, c13, c0, 4);
	s->v[R_CSSELR] = MRC(p15, 2, c0, c0, 0);
	hs_read_vfp(s);
	if (hs_present[R_CNTKCTL]) {
		s->v[R_CNTFRQ] = MRC(p15, 0, c14, c0, 0);
		s->v[R_CNTKCTL] = MRC(p15, 0, c14, c1, 0);
		s->v[R_CNTV_CTL] = MRC(p15, 0, c14, c3, 1);
		s->v[R_CNTV_CVAL] = MRRC(3, c14);
		s->v[R_CNTP_CTL] = MRC(p15, 0, c14, c2, 1);
		s->v[R_CNTP_CVAL] = MRRC(2, c14);
	}
	if (hs_present[R_PMCR]) {
		s->v[R_PMCR] = MRC(p15, 0, c9, c12, 0);
		s->v[R_PMCNTENSET] = MRC(p15, 0, c9, c12, 1);
		s->v[R_PMINTENSET] = MRC(p15, 0, c9, c14, 1);
		s->v[R_PMOVSR] = MRC(p15, 0, c9, c12, 3);
		s->v[R_PMSELR] = MRC(p15, 0, c9, c12, 5);
		s->v[R_PMUSERENR] = MRC(p15, 0, c9, c14, 0);
		for (i = 0; i < hs_pmu_types; i++)
			s->v[R_PMXEVTYPER0 + i] = hs_pmxevtyper(i);
		MCR(p15, 0, c9, c12, 5, s->v[R_PMSELR]);
		isb();
	}
	if (hs_present[R_TEECR]) {
		s->v[R_TEECR] = MRC(p14, 6, c0, c0, 0);
		s->v[R_TEEHBR] = MRC(p14, 6, c1, c0, 0);
	}
	if (hs_present[R_DBGDSCR]) {
		s->v[R_DBGDSCR] = MRC(p14, 0, c0, c2, 2);
		s->v[R_DBGBVR0] = MRC(p14, 0, c0, c0, 4);
		s->v[R_DBGBCR0] = MRC(p14, 0, c0, c0, 5);
		s->v[R_DBGWVR0] = MRC(p14, 0, c0, c0, 6);
		s->v[R_DBGWCR0] = MRC(p14, 0, c0, c0, 7);
		s->v[R_DBGVCR] = MRC(p14, 0, c0, c7, 0);
	}
}

/*
 * Put back register i as it was before a switch, if the host can: not the
 * translation regime, SCTLR, VBAR or the thread pointers (the probe's own
 * way here already depended on them) nor ACTLR (mostly read-only outside
 * the secure state) nor VFP (the switch's own business, and only user state).
 * Returns whether PMSELR must be restored afterwards.
 */
static bool hs_write(unsigned int i, u64 before, u64 after)
{
	switch (i) {
	case R_CPACR:
		MCR(p15, 0, c1, c0, 2, before);
		break;
	case R_CSSELR:
		MCR(p15, 2, c0, c0, 0, before);
		break;
	case R_TEECR:
		MCR(p14, 6, c0, c0, 0, before);
		break;
	case R_TEEHBR:
		MCR(p14, 6, c1, c0, 0, before);
		break;
	case R_TPIDRURW:
		MCR(p15, 0, c13, c0, 2, before);
		break;
	case R_CNTKCTL:
		MCR(p15, 0, c14, c1, 0, before);
		break;
	case R_CNTV_CTL:
		MCR(p15, 0, c14, c3, 1, before);
		break;
	case R_CNTV_CVAL:
		MCRR(3, c14, before);
		break;
	case R_CNTP_CTL:
		MCR(p15, 0, c14, c2, 1, before);
		break;
	case R_PMCR:
		MCR(p15, 0, c9, c12, 0, before);
		break;
	case R_PMCNTENSET:
		MCR(p15, 0, c9, c12, 2, after & ~before);
		MCR(p15, 0, c9, c12, 1, before);
		break;
	case R_PMINTENSET:
		MCR(p15, 0, c9, c14, 2, after & ~before);
		MCR(p15, 0, c9, c14, 1, before);
		break;
	case R_PMOVSR:
		MCR(p15, 0, c9, c12, 3, after & ~before);
		break;
	case R_PMUSERENR:
		MCR(p15, 0, c9, c14, 0, before);
		break;
	case R_PMSELR:
		return true;
	case R_PMXEVTYPER0 ... R_PMXEVTYPER3:
		MCR(p15, 0, c9, c12, 5, i - R_PMXEVTYPER0);
		isb();
		MCR(p15, 0, c9, c13, 1, before);
		return true;
	case R_DBGDSCR:
		MCR(p14, 0, c0, c2, 2, before);
		break;
	case R_DBGBVR0:
		MCR(p14, 0, c0, c0, 4, before);
		break;
	case R_DBGBCR0:
		MCR(p14, 0, c0, c0, 5, before);
		break;
	case R_DBGWVR0:
		MCR(p14, 0, c0, c0, 6, before);
		break;
	case R_DBGWCR0:
		MCR(p14, 0, c0, c0, 7, before);
		break;
	case R_DBGVCR:
		MCR(p14, 0, c0, c7, 0, before);
		break;
	}
	return false;
}

static bool hs_differ(unsigned int i, const struct hs_snap *a, const struct hs_snap *b)
{
	return (a->v[i] ^ b->v[i]) & ~(u64)hs_regs[i].ignore;
}

/*
 * The switch's entry has a kprobe of its own rather than the kretprobe's
 * entry handler, for the post_handler: a kprobe with one is never optimized
 * into a branch (CONFIG_OPTPROBES), so it is always hit through its
 * breakpoint, an undefined-instruction exception whose return (svc_exit)
 * loads SPSR_svc with the CPSR it interrupted: that is what the switch finds
 * there (kernel/kprobes.c: "kprobes with 'post_handler' can not be
 * optimized"; an optimized probe would leave SPSR_svc alone).
 */
static int hs_entry(struct kprobe *p, struct pt_regs *regs)
{
	struct hs_snap *before;
	unsigned long flags;

	local_irq_save(flags);
	before = this_cpu_ptr(&hs_before);
	hs_read(before);
	before->v[R_SVC_SPSR] = regs->ARM_cpsr;
	__this_cpu_write(hs_armed, true);
	local_irq_restore(flags);
	return 0;
}

static void hs_entry_post(struct kprobe *p, struct pt_regs *regs, unsigned long flags)
{
}

static int hs_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	bool banked = false, pmselr = false;
	const struct hs_snap *before;
	struct hs_snap *after;
	unsigned long flags;
	unsigned int i;

	local_irq_save(flags);
	before = this_cpu_ptr(&hs_before);
	after = this_cpu_ptr(&hs_after);
	hs_read(after);
	raw_spin_lock(&hs_lock);
	if (!__this_cpu_read(hs_armed)) {
		hs_unpaired++;
		raw_spin_unlock(&hs_lock);
		local_irq_restore(flags);
		return 0;
	}
	__this_cpu_write(hs_armed, false);
	hs_switches++;
	for (i = 0; i < HS_NREGS; i++) {
		if (!hs_present[i] || (hs_regs[i].flags & HS_NOSWITCH) ||
		    !hs_differ(i, before, after))
			continue;
		hs_diffs[i].count++;
		hs_diffs[i].before = before->v[i];
		hs_diffs[i].after = after->v[i];
		if (!repair)
			continue;
		if (i < R_BANKED)
			banked = true;
		else
			pmselr |= hs_write(i, before->v[i], after->v[i]);
	}
	raw_spin_unlock(&hs_lock);
	if (pmselr)
		MCR(p15, 0, c9, c12, 5, before->v[R_PMSELR]);
	if (banked) {
		u32 bank[R_BANKED];

		for (i = 0; i < R_BANKED; i++)
			bank[i] = before->v[i];
		hs_banked(bank, true);
	}
	isb();
	local_irq_restore(flags);
	return 0;
}

static struct kprobe hs_entry_probe = {
	.pre_handler	= hs_entry,
	.post_handler	= hs_entry_post,
};
static struct kretprobe hs_return_probe = {
	.handler	= hs_return,
};
static bool hs_probing;

static void hs_print(struct seq_file *m, unsigned int i, u64 v)
{
	if (i >= R_D0 && i <= R_D31)
		seq_printf(m, "d%u", i - R_D0);
	else if (i >= R_PMXEVTYPER0 && i <= R_PMXEVTYPER3)
		seq_printf(m, "PMXEVTYPER%u", i - R_PMXEVTYPER0);
	else
		seq_puts(m, hs_regs[i].name);
	seq_printf(m, hs_regs[i].flags & HS_WIDE ? " %016llx" : " %08llx", v);
}

static int hs_state_show(struct seq_file *m, void *v)
{
	struct hs_snap *s = kmalloc(sizeof(*s), GFP_KERNEL);
	unsigned long flags;
	unsigned int i;
	int cpu;

	if (!s)
		return -ENOMEM;
	local_irq_save(flags);
	cpu = smp_processor_id();
	hs_read(s);
	local_irq_restore(flags);
	seq_printf(m, "cpu %d info\n", cpu);
	for (i = 0; i < HS_NREGS; i++) {
		if (!hs_present[i])
			continue;
		hs_print(m, i, s->v[i]);
		seq_printf(m, " %s\n", hs_class_name[hs_regs[i].class]);
	}
	kfree(s);
	return 0;
}

static int hs_state_open(struct inode *inode, struct file *file)
{
	return single_open(file, hs_state_show, NULL);
}

static const struct proc_ops hs_state_ops = {
	.proc_open	= hs_state_open,
	.proc_read	= seq_read,
	.proc_lseek	= seq_lseek,
	.proc_release	= single_release,
};

static int hs_switch_show(struct seq_file *m, void *v)
{
	unsigned int i, n = 0;

	seq_printf(m, "probe %s\n", hs_probing ? probe : "none");
	for (i = 0; i < HS_NREGS; i++)
		n += hs_present[i] && !(hs_regs[i].flags & HS_NOSWITCH);
	seq_printf(m, "compared %u registers\n", n);
	raw_spin_lock_irq(&hs_lock);
	seq_printf(m, "switches %llu\n", hs_switches);
	seq_printf(m, "missed %llu\n", hs_unpaired +
		   (hs_probing ? hs_entry_probe.nmissed + hs_return_probe.nmissed : 0));
	for (i = 0; i < HS_NREGS; i++) {
		if (!hs_diffs[i].count)
			continue;
		seq_puts(m, "differ ");
		hs_print(m, i, hs_diffs[i].before);
		seq_printf(m, hs_regs[i].flags & HS_WIDE ? " %016llx" : " %08llx",
			   hs_diffs[i].after);
		seq_printf(m, " in %llu\n", hs_diffs[i].count);
	}
	raw_spin_unlock_irq(&hs_lock);
	return 0;
}

static int hs_switch_open(struct inode *inode, struct file *file)
{
	return single_open(file, hs_switch_show, NULL);
}

static ssize_t hs_switch_write(struct file *file, const char __user *buf, size_t len,
			       loff_t *pos)
{
	raw_spin_lock_irq(&hs_lock);
	hs_switches = 0;
	hs_unpaired = 0;
	memset(hs_diffs, 0, sizeof(hs_diffs));
	raw_spin_unlock_irq(&hs_lock);
	return len;
}

static const struct proc_ops hs_switch_ops = {
	.proc_open	= hs_switch_open,
	.proc_read	= seq_read,
	.proc_write	= hs_switch_write,
	.proc_lseek	= seq_lseek,
	.proc_release	= single_release,
};

/*
 * Which optional parts this CPU has. Debug registers only where Linux's own
 * hw_breakpoint code reaches them: v7.1 debug, OS lock and double lock
 * clear (otherwise cp14 accesses may be UNDEFINED).
 */
static void hs_features(void)
{
	u32 pfr0 = MRC(p15, 0, c0, c1, 0), pfr1 = MRC(p15, 0, c0, c1, 1);
	u32 dfr0 = MRC(p15, 0, c0, c1, 2);
	u32 mvfr0, didr, pmu;
	unsigned int i;

	for (i = 0; i < R_CNTFRQ; i++)
		hs_present[i] = true;
	asm volatile(".fpu vfpv3\n vmrs %0, mvfr0" : "=r" (mvfr0));
	hs_d32 = (mvfr0 & 0xf) == 2;
	if (!hs_d32)
		for (i = R_D0 + 16; i <= R_D31; i++)
			hs_present[i] = false;
	if (((pfr1 >> 16) & 0xf) == 1)
		for (i = R_CNTFRQ; i <= R_CNTP_CVAL; i++)
			hs_present[i] = true;
	pmu = (dfr0 >> 24) & 0xf;
	if (pmu == 2 || pmu == 3) {
		hs_pmu_types = min(4u, (MRC(p15, 0, c9, c12, 0) >> 11) & 0x1f);
		for (i = R_PMCR; i < R_PMXEVTYPER0 + hs_pmu_types; i++)
			hs_present[i] = true;
	}
	if (((pfr0 >> 12) & 0xf) == 1)
		hs_present[R_TEECR] = hs_present[R_TEEHBR] = true;
	didr = MRC(p14, 0, c0, c0, 0);
	if (((didr >> 16) & 0xf) == 5 && !(MRC(p14, 0, c1, c3, 4) & 1) &&
	    !(MRC(p14, 0, c1, c1, 4) & 2))
		for (i = R_DBGDSCR; i <= R_DBGVCR; i++)
			hs_present[i] = true;
	pr_info("generic timer %d, PMU %d (%u event types), debug %d, d16-d31 %d, ThumbEE %d\n",
		hs_present[R_CNTKCTL], hs_present[R_PMCR], hs_pmu_types,
		hs_present[R_DBGDSCR], hs_d32, hs_present[R_TEECR]);
}

/*
 * Event counter 1 on, counting cycles, on this CPU: the host's own use of
 * the PMU, whose event type the switch must keep (the scribble guest writes
 * counter 1's). PMCR.E stays as it is.
 */
static void hs_pmu_counter_on(void *unused)
{
	MCR(p15, 0, c9, c12, 5, 1);		/* PMSELR */
	isb();
	MCR(p15, 0, c9, c13, 1, 0x11);		/* PMXEVTYPER1: cycles */
	MCR(p15, 0, c9, c12, 1, 1u << 1);	/* PMCNTENSET */
}

static void hs_pmu_counter_off(void *unused)
{
	MCR(p15, 0, c9, c12, 2, 1u << 1);	/* PMCNTENCLR */
}

static bool hs_pmu_counting(void)
{
	return pmu_counter && hs_pmu_types >= 2;
}

static void hs_unprobe(void)
{
	if (!hs_probing)
		return;
	unregister_kretprobe(&hs_return_probe);
	unregister_kprobe(&hs_entry_probe);
}

static int __init hs_init(void)
{
	int ret;

	hs_features();
	if (hs_pmu_counting())
		on_each_cpu(hs_pmu_counter_on, NULL, 1);
	if (probe && *probe) {
		hs_entry_probe.symbol_name = probe;
		hs_return_probe.kp.symbol_name = probe;
		ret = register_kprobe(&hs_entry_probe);
		if (!ret) {
			ret = register_kretprobe(&hs_return_probe);
			if (ret)
				unregister_kprobe(&hs_entry_probe);
		}
		if (ret) {
			pr_err("cannot probe %s: %d (is armkvm loaded?)\n", probe, ret);
			if (hs_pmu_counting())
				on_each_cpu(hs_pmu_counter_off, NULL, 1);
			return ret;
		}
		hs_probing = true;
	}
	if (!proc_create("armkvm-hoststate", 0400, NULL, &hs_state_ops) ||
	    !proc_create("armkvm-hoststate-switch", 0600, NULL, &hs_switch_ops)) {
		remove_proc_entry("armkvm-hoststate", NULL);
		hs_unprobe();
		if (hs_pmu_counting())
			on_each_cpu(hs_pmu_counter_off, NULL, 1);
		return -ENOMEM;
	}
	return 0;
}

static void __exit hs_exit(void)
{
	remove_proc_entry("armkvm-hoststate-switch", NULL);
	remove_proc_entry("armkvm-hoststate", NULL);
	hs_unprobe();
	if (hs_pmu_counting())
		on_each_cpu(hs_pmu_counter_off, NULL, 1);
}

module_init(hs_init);
module_exit(hs_exit);
MODULE_DESCRIPTION("armkvm test: the host state a world switch must keep");
MODULE_LICENSE("GPL");
