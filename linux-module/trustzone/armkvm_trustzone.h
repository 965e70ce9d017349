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
 * One trip through monitor mode into the Non-secure world and back
 * (armkvm_monitor.S). The layout is the assembly's: offsets are asserted in
 * armkvm_secure_host.c.
 */
struct armkvm_monitor_trip {
	/* In: where and how the Non-secure world starts, the GIC CPU interface. */
	u32 ns_pc;		/* 0x00 */
	u32 ns_cpsr;		/* 0x04 */
	u32 gicc_ctlr;		/* 0x08: the virtual address of GICC_CTLR */
	/* The host's, saved by the entry, put back by the exit. */
	u32 host_cpsr;		/* 0x0c */
	u32 host_sp;		/* 0x10 */
	u32 host_mvbar;		/* 0x14 */
	u32 host_scr;		/* 0x18 */
	/* Out: the monitor vector that ended the trip, its LR and SPSR. */
	u32 vector;		/* 0x1c: ARMKVM_MON_VEC_* */
	u32 lr;			/* 0x20 */
	u32 spsr;		/* 0x24 */
};

/* Monitor vector offsets / 4, as the exit records them. */
#define ARMKVM_MON_VEC_SMC	2
#define ARMKVM_MON_VEC_PABT	3
#define ARMKVM_MON_VEC_DABT	4
#define ARMKVM_MON_VEC_IRQ	6
#define ARMKVM_MON_VEC_FIQ	7

int armkvm_monitor_trip(struct armkvm_monitor_trip *trip);
extern const u32 armkvm_monitor_vectors[];

void armkvm_trustzone_init(void);
void armkvm_trustzone_exit(void);
bool armkvm_trustzone_available(void);

#endif
