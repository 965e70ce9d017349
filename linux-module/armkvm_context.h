/* SPDX-License-Identifier: GPL-2.0 */
/*
 * armkvm host module: one CPU context layout for host and guest. The world
 * switch saves the host's and loads the guest's with one macro per part,
 * and the other way round at exit (armkvm_switch.S); armkvm_offsets.c
 * generates the offsets it uses.
 *
 * Copyright (c) 2026 The armkvm developers
 */
#ifndef ARMKVM_CONTEXT_H
#define ARMKVM_CONTEXT_H

#include <linux/types.h>

/* sp, lr and spsr of one exception mode. */
struct armkvm_bank {
	u32 sp, lr, spsr;
};

/* The exception modes both sides use, in the order the switch visits them. */
enum armkvm_bank_id {
	ARMKVM_BANK_SVC,
	ARMKVM_BANK_ABT,
	ARMKVM_BANK_UND,
	ARMKVM_BANK_IRQ,
	ARMKVM_BANKS
};

/* CP15: the translation regime, thread IDs and fault registers, in the switch's order. */
struct armkvm_ctx_cp15 {
	u32 ttbr0, ttbr1, ttbcr, dacr, prrr, nmrr;
	u32 contextidr, tpidrurw, tpidruro, tpidrprw;
	u32 dfsr, dfar, ifsr, ifar;
};

/* The generic timer's physical timer and its PL0 access control (if the CPU has one). */
struct armkvm_ctx_timer {
	u32 cntp_ctl, cntp_cval_lo, cntp_cval_hi, cntkctl;
};

struct armkvm_ctx_vfp {
	u32 fpexc, fpscr;
	u64 d[32];		/* d16-d31 only where the CPU has them */
};

/*
 * A CPU's state as the switch moves it. The guest's is all of it; the host's
 * core registers are on its stack but for sp_usr and lr_usr (usr[13..14]),
 * and cpsr is the one it called the switch with (pc unused).
 */
struct armkvm_context {
	u32 usr[15];		/* r0-r12, sp_usr, lr_usr */
	u32 pc;
	u32 cpsr;
	struct armkvm_bank bank[ARMKVM_BANKS];
	struct armkvm_ctx_cp15 cp15;
	struct armkvm_ctx_timer timer;
	struct armkvm_ctx_vfp vfp;
};

#endif
