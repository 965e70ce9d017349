/* SPDX-License-Identifier: GPL-2.0 */
/*
 * armkvm host module: what the world switches' assembly shares (privileged
 * mode's armkvm_switch.S, trustzone mode's armkvm_monitor.S): processor
 * modes, mask bits, and moving one mode's banked sp, lr and spsr.
 *
 * Copyright (c) 2026 The armkvm developers
 */
#ifndef ARMKVM_ASM_H
#define ARMKVM_ASM_H

#define MODE_USR	0x10
#define MODE_FIQ	0x11
#define MODE_IRQ	0x12
#define MODE_SVC	0x13
#define MODE_MON	0x16
#define MODE_ABT	0x17
#define MODE_UND	0x1b
#define MODE_SYS	0x1f
#define MASK_IF		0xc0	/* with cpsr_c: A stays as it is */
#define FPEXC_EN	(1 << 30)

/* Save sp, lr, spsr of the current mode at \ptr, advancing it; r2 scratch. */
	.macro	save_banked ptr
	str	sp, [\ptr], #4
	str	lr, [\ptr], #4
	mrs	r2, spsr
	str	r2, [\ptr], #4
	.endm

	.macro	load_banked ptr
	ldr	sp, [\ptr], #4
	ldr	lr, [\ptr], #4
	ldr	r2, [\ptr], #4
	msr	spsr_cxsf, r2
	.endm

#endif
