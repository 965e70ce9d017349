/* SPDX-License-Identifier: GPL-2.0 */
/*
 * armkvm trustzone mode: the host in the Secure world, guests in the
 * Non-secure world (docs/trustzone-mode.md).
 *
 * Copyright (c) 2026 The armkvm developers
 */
#ifndef ARMKVM_TRUSTZONE_H
#define ARMKVM_TRUSTZONE_H

#include <linux/types.h>

/*
 * What the two worlds share and the switch therefore moves: the general
 * registers of every mode but monitor, and the CP15 and VFP registers that
 * are not banked by security state. One layout for host and guest; the
 * offsets are armkvm_monitor.S's (asserted in armkvm_secure_host.c).
 */
struct armkvm_tz_regs {
	u32 r[13];		/* 0x00: r0-r12 (the guest's; the host's are on its stack) */
	u32 usr_sp, usr_lr;	/* 0x34 */
	u32 svc[3];		/* 0x3c: sp, lr, spsr */
	u32 abt[3];		/* 0x48 */
	u32 und[3];		/* 0x54 */
	u32 irq[3];		/* 0x60 */
	u32 fiq[8];		/* 0x6c: r8-r12, sp, lr, spsr */
	u32 cpacr;		/* 0x8c */
	u32 cntkctl;		/* 0x90 */
	u32 cntv_ctl;		/* 0x94 */
	u32 cntv_cval_lo;	/* 0x98 */
	u32 cntv_cval_hi;	/* 0x9c */
	u32 fpexc;		/* 0xa0 */
	u32 fpscr;		/* 0xa4 */
	u64 d[32];		/* 0xa8: d16-d31 only where the VFP has them */
};

/* The Non-secure world's own CP15 bank: the guest's alone, never the host's. */
struct armkvm_tz_ns_cp15 {
	u32 sctlr, ttbr0, ttbr1, ttbcr, dacr, prrr, nmrr, contextidr;
	u32 tpidrurw, tpidruro, tpidrprw, dfsr, dfar, ifsr, ifar, vbar;
	u32 par, csselr;
};

#define ARMKVM_TZ_FLUSH_TLB	(1u << 0)	/* another guest ran here since: TLBIALL */
#define ARMKVM_TZ_D32		(1u << 1)	/* the VFP has d16-d31 */

/* One world switch: the guest's state in and out, the host's kept meanwhile. */
struct armkvm_tz_world {
	struct armkvm_tz_regs guest;	/* 0x000: first, for the vectors' STM */
	u32 guest_pc;			/* 0x1a8 */
	u32 guest_cpsr;			/* 0x1ac */
	struct armkvm_tz_ns_cp15 ns;	/* 0x1b0 */
	struct armkvm_tz_regs host;	/* 0x1f8 */
	u32 host_cpsr;			/* 0x3a0 */
	u32 host_sp;			/* 0x3a4 */
	u32 host_mvbar;			/* 0x3a8 */
	u32 host_scr;			/* 0x3ac */
	u32 gicc_ctlr;			/* 0x3b0: the virtual address of GICC_CTLR */
	u32 vector;			/* 0x3b4: out, ARMKVM_MON_VEC_* */
	u32 lr;				/* 0x3b8: out, monitor mode's LR at the exit */
	u32 flags;			/* 0x3bc: ARMKVM_TZ_* */
};

/* Monitor vector offsets / 4, as the exit records them. */
#define ARMKVM_MON_VEC_SMC	2
#define ARMKVM_MON_VEC_PABT	3
#define ARMKVM_MON_VEC_DABT	4
#define ARMKVM_MON_VEC_IRQ	6
#define ARMKVM_MON_VEC_FIQ	7

/*
 * Enter the Non-secure world at w->guest_pc with w->guest_cpsr and the
 * guest's registers; returns the vector that ended the run. Secure SVC mode,
 * IRQs and FIQs masked.
 */
int armkvm_tz_switch(struct armkvm_tz_world *w);
/* The host's shared registers as they are now (the self-test's witness). */
void armkvm_tz_read_host(struct armkvm_tz_regs *r, u32 flags);
extern const u32 armkvm_monitor_vectors[];
/* The self-test's Non-secure guest (armkvm_tz_test_guest.S), position independent. */
extern const u8 armkvm_tz_test_guest[], armkvm_tz_test_guest_end[];

void armkvm_trustzone_init(void);
void armkvm_trustzone_exit(void);
bool armkvm_trustzone_available(void);

#endif
