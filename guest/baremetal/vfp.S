/*
 * VFP/NEON state across exits: the guest fills all 32 double registers and
 * FPSCR, makes the hypervisor switch worlds many times (console output is
 * MMIO), then checks every register and computes with them.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "common.inc"
	.fpu	neon-vfpv4

	.equ	FPSCR_TEST,	0x03c00000	@ round towards zero, flush-to-zero, default NaN

	.macro	fill_d n
	add	r4, r4, #1
	mov	r5, r4, lsl #8
	vmov	d\n, r4, r5
	.endm

	.macro	check_d n
	add	r4, r4, #1
	mov	r5, r4, lsl #8
	vmov	r2, r3, d\n
	cmp	r2, r4
	cmpeq	r3, r5
	addne	r8, r8, #1
	.endm

	.text
	.global	_start
_start:
	armkvm_aware
	ldr	sp, =stack
	mrc	p15, 0, r0, c1, c0, 2
	orr	r0, r0, #0xf << 20		@ CPACR: cp10, cp11 full access
	mcr	p15, 0, r0, c1, c0, 2
	isb
	mov	r0, #0x40000000
	vmsr	fpexc, r0			@ FPEXC.EN
	ldr	r0, =FPSCR_TEST
	vmsr	fpscr, r0

	ldr	r4, =0x10000
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fill_d	\n
	.endr

	ldr	r0, =msg_loaded
	bl	puts				@ each character is an exit
	ldr	r0, =msg_loaded
	bl	puts

	mov	r8, #0				@ mismatches
	ldr	r4, =0x10000
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	check_d	\n
	.endr
	vmrs	r0, fpscr
	ldr	r1, =FPSCR_TEST
	cmp	r0, r1
	addne	r8, r8, #1
	cmp	r8, #0
	ldreq	r0, =msg_intact
	ldrne	r0, =msg_broken
	bl	puts

	vmov.f64 d0, #1.5
	vadd.f64 d1, d0, d0
	vmul.f64 d2, d1, d1
	vcvt.s32.f64 s6, d2
	vmov	r0, s6
	cmp	r0, #9
	ldreq	r0, =msg_math
	ldrne	r0, =msg_math_bad
	bl	puts
	power_off

	define_puts
	.ltorg
msg_loaded:	.asciz	"armkvm-guest vfp: d0-d31 and FPSCR loaded\n"
msg_intact:	.asciz	"armkvm-guest vfp: d0-d31 and FPSCR intact across exits\n"
msg_broken:	.asciz	"armkvm-guest vfp: registers changed across exits\n"
msg_math:	.asciz	"armkvm-guest vfp: (1.5 + 1.5)^2 = 9\n"
msg_math_bad:	.asciz	"armkvm-guest vfp: wrong arithmetic\n"
	.balign	8
	.space	256
stack:
