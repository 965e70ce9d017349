/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The monitor self-test's Non-secure guest (armkvm_secure_host.c), copied to
 * a page of its own and run there with its MMU and caches off. Entered in
 * Non-secure SVC mode with sp_svc = the page's report area. It records every
 * register the world switch gave it (so that the host can compare them with
 * what it loaded), changes each one in a way the host can predict (so that
 * the host can compare what the switch saved), changes the host's shared
 * registers the way a hostile guest would (CPACR closed, the virtual timer
 * stopped, CNTKCTL, the VFP registers), and ends with SMC.
 *
 * Report area, words: r0-r12; SYS sp, lr; SVC, ABT, UND, IRQ sp, lr, spsr;
 * FIQ r8-r12, sp, lr, spsr; TPIDRURW, TPIDRURO, TPIDRPRW, CONTEXTIDR, DACR,
 * VBAR, DFAR, IFAR (the Non-secure bank as loaded); d0-d31; FPSCR.
 *
 * Copyright (c) 2026 The armkvm developers
 */
#include <linux/linkage.h>
#include "../armkvm_asm.h"

	.arch	armv7-a
	.fpu	vfpv3
	.arch_extension sec
	.arm
	.section .rodata, "a"
	.align	2


/* Record this mode's sp, lr, spsr at [r0], then move each by a known step. */
	.macro	record_bank
	str	sp, [r0], #4
	str	lr, [r0], #4
	mrs	r1, spsr
	str	r1, [r0], #4
	add	sp, sp, #1
	add	lr, lr, #2
	eor	r1, r1, #0xf0000000
	msr	spsr_fsxc, r1
	.endm

/* Record a Non-secure CP15 register at [r0], then add \step to it. */
	.macro	record_cp15 crn, crm, op2, step
	mrc	p15, 0, r1, \crn, \crm, \op2
	str	r1, [r0], #4
	add	r1, r1, #\step
	mcr	p15, 0, r1, \crn, \crm, \op2
	.endm

ENTRY(armkvm_tz_test_guest)
	stmia	sp, {r0-r12}
	add	r0, sp, #13 * 4
	cps	#MODE_SYS
	str	sp, [r0], #4
	str	lr, [r0], #4
	add	sp, sp, #1
	add	lr, lr, #2
	.irp	mode, MODE_SVC, MODE_ABT, MODE_UND, MODE_IRQ
	cps	#\mode
	record_bank
	.endr
	cps	#MODE_FIQ
	stmia	r0!, {r8-r12}
	add	r8, r8, #1
	add	r9, r9, #1
	add	r10, r10, #1
	add	r11, r11, #1
	add	r12, r12, #1
	record_bank
	cps	#MODE_SVC

	record_cp15 c13, c0, 2, 1		@ TPIDRURW
	record_cp15 c13, c0, 3, 1		@ TPIDRURO
	record_cp15 c13, c0, 4, 1		@ TPIDRPRW
	record_cp15 c13, c0, 1, 1		@ CONTEXTIDR
	record_cp15 c3, c0, 0, 1		@ DACR
	record_cp15 c12, c0, 0, 0x20		@ VBAR
	record_cp15 c6, c0, 0, 1		@ DFAR
	record_cp15 c6, c0, 2, 1		@ IFAR

	/* The VFP: record what was loaded, then d_n = 0x5eed0000 + n in both halves. */
	vmrs	r1, fpexc
	orr	r1, r1, #FPEXC_EN
	vmsr	fpexc, r1
	vstmia	r0!, {d0-d15}
	vstmia	r0!, {d16-d31}
	vmrs	r1, fpscr
	str	r1, [r0], #4
	movw	r2, #0x0000
	movt	r2, #0x5eed
	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	vmov	d\n, r2, r2
	add	r2, r2, #1
	.endr
	mov	r1, #0x03000000			@ FPSCR: DN, FZ
	vmsr	fpscr, r1

	/* The host's shared registers, as a hostile guest would leave them. */
	mov	r1, #0
	mcr	p15, 0, r1, c14, c3, 1		@ CNTV_CTL: the host's tick stopped
	mov	r1, #3
	mcr	p15, 0, r1, c14, c1, 0		@ CNTKCTL
	vmrs	r1, fpexc
	bic	r1, r1, #FPEXC_EN
	vmsr	fpexc, r1
	mov	r1, #0
	mcr	p15, 0, r1, c1, c0, 2		@ CPACR: cp10 and cp11 closed
	isb

	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12
	mov	r\n, #0x40 + \n
	.endr
	smc	#0
	b	.
ENDPROC(armkvm_tz_test_guest)
	.globl	armkvm_tz_test_guest_end
armkvm_tz_test_guest_end:
