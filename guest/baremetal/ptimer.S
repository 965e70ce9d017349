/*
 * The CPU's physical timer (CNTP), programmed natively under armkvm: its
 * interrupt (PPI, INTID 30) through the GIC while the guest idles, ISTATUS,
 * the mask bit holding the interrupt back, CNTKCTL and the counter across
 * exits. Needs a CPU with the generic timer (armkvm-virt's cortex-a15/a7).
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "common.inc"

	.arch_extension idiv

	.equ	PTIMER_IRQ,	30
	.equ	CTL_ENABLE,	1
	.equ	CTL_IMASK,	2
	.equ	CTL_ISTATUS,	4

	.macro	cntp_ctl_write reg
	mcr	p15, 0, \reg, c14, c2, 1
	isb
	.endm
	.macro	cntp_ctl_read reg
	mrc	p15, 0, \reg, c14, c2, 1
	.endm
	.macro	cntp_tval_write reg
	mcr	p15, 0, \reg, c14, c2, 0
	.endm

	.text
	.global	_start
_start:
	armkvm_aware
	patch_sites
	irq_guest_start

	mrc	p15, 0, r0, c0, c1, 1		@ ID_PFR1: GenTimer
	ubfx	r0, r0, #16, #4
	cmp	r0, #0
	ldreq	r0, =msg_no_timer
	beq	fail

	gic_enable PTIMER_IRQ

	mrc	p15, 0, r9, c14, c0, 0		@ CNTFRQ
	cmp	r9, #0
	ldreq	r0, =msg_no_freq
	beq	fail
	ldr	r0, =100
	udiv	r9, r9, r0			@ r9: 10 ms in counter ticks

	/* Ten interrupts, the guest idle between them; the handler re-arms. */
	mov	r7, #0
	mov	r8, #0
	cntp_tval_write r9
	mov	r0, #CTL_ENABLE
	cntp_ctl_write r0
	site	REPL_CPSIE_I, "cpsie i"
1:	idle
	cmp	r7, #10
	blo	1b
	site	REPL_CPSID_I, "cpsid i"
	ldr	r0, =msg_ten
	bl	puts
	ldr	r0, =msg_istatus_ok
	cmp	r8, #0
	ldrne	r0, =msg_istatus_bad
	bl	puts

	/* Masked by IMASK: the timer expires (ISTATUS), no interrupt is taken. */
	mov	r6, r7
	mov	r0, #100
	cntp_tval_write r0
	mov	r0, #CTL_ENABLE | CTL_IMASK
	cntp_ctl_write r0
	site	REPL_CPSIE_I, "cpsie i"
2:	cntp_ctl_read r0
	tst	r0, #CTL_ISTATUS
	beq	2b
	ldr	r1, =1000
3:	subs	r1, r1, #1			@ a moment for a wrongly taken interrupt
	bne	3b
	cmp	r7, r6
	ldreq	r0, =msg_masked_ok
	ldrne	r0, =msg_masked_bad
	bl	puts
	mov	r0, #CTL_ENABLE			@ unmasked: taken
	cntp_ctl_write r0
4:	cmp	r7, r6
	beq	4b
	site	REPL_CPSID_I, "cpsid i"
	ldr	r0, =msg_unmasked
	bl	puts
	mov	r0, #0
	cntp_ctl_write r0

	/* CNTKCTL is the guest's, kept across exits (each puts is several). */
	mov	r0, #0
	mcr	p15, 0, r0, c14, c1, 0
	ldr	r0, =msg_cntkctl
	bl	puts
	mrc	p15, 0, r0, c14, c1, 0
	mov	r4, r0
	mov	r0, #0x3
	mcr	p15, 0, r0, c14, c1, 0
	ldr	r0, =msg_cntkctl
	bl	puts
	mrc	p15, 0, r0, c14, c1, 0
	and	r0, r0, #0x3
	cmp	r4, #0
	cmpeq	r0, #0x3
	ldreq	r0, =msg_cntkctl_ok
	ldrne	r0, =msg_cntkctl_bad
	bl	puts
	mov	r0, #0				@ leave it closed: the host's must not be
	mcr	p15, 0, r0, c14, c1, 0

	/* The counter only goes forward, across exits too. */
	isb
	mrrc	p15, 0, r4, r5, c14		@ CNTPCT
	ldr	r0, =msg_counter
	bl	puts
	isb
	mrrc	p15, 0, r2, r3, c14
	subs	r2, r2, r4
	sbcs	r3, r3, r5
	ldrhs	r0, =msg_counter_ok
	ldrlo	r0, =msg_counter_bad
	orrs	r2, r2, r3
	ldreq	r0, =msg_counter_bad
	bl	puts
	power_off

fail:
	bl	puts
	power_off

/* Count the timer's interrupts, each with ISTATUS set (r8 counts those without), and re-arm. */
irq_handler:
	push	{r0-r3, lr}
	ldr	r1, =GICC
	ldr	r0, [r1, #0x0c]			@ GICC_IAR
	ubfx	r2, r0, #0, #10
	cmp	r2, #PTIMER_IRQ
	bne	5f
	cntp_ctl_read r3
	tst	r3, #CTL_ISTATUS
	addeq	r8, r8, #1
	add	r7, r7, #1
	cmp	r7, #10
	cntp_tval_write r9			@ the next one in 10 ms ...
	movhs	r3, #CTL_ENABLE | CTL_IMASK	@ ... or none after ten
	movlo	r3, #CTL_ENABLE
	cntp_ctl_write r3
5:	str	r0, [r1, #0x10]			@ GICC_EOIR
	pop	{r0-r3, lr}
	site	REPL_SUBS_PC_LR_4, "subs pc, lr, #4"

	irq_only_vectors irq_handler

	define_puts
	.ltorg
msg_no_timer:	.asciz	"armkvm-guest ptimer: no generic timer\n"
msg_no_freq:	.asciz	"armkvm-guest ptimer: CNTFRQ is 0\n"
msg_ten:	.asciz	"armkvm-guest ptimer: 10 interrupts taken, idle between them\n"
msg_istatus_ok:	.asciz	"armkvm-guest ptimer: ISTATUS set in each\n"
msg_istatus_bad: .asciz	"armkvm-guest ptimer: an interrupt without ISTATUS\n"
msg_masked_ok:	.asciz	"armkvm-guest ptimer: IMASK: expired, no interrupt\n"
msg_masked_bad:	.asciz	"armkvm-guest ptimer: IMASK: an interrupt was taken\n"
msg_unmasked:	.asciz	"armkvm-guest ptimer: taken once unmasked\n"
msg_cntkctl:	.asciz	"armkvm-guest ptimer: CNTKCTL written\n"
msg_cntkctl_ok:	.asciz	"armkvm-guest ptimer: CNTKCTL kept across exits\n"
msg_cntkctl_bad: .asciz	"armkvm-guest ptimer: CNTKCTL changed across exits\n"
msg_counter:	.asciz	"armkvm-guest ptimer: counter read\n"
msg_counter_ok:	.asciz	"armkvm-guest ptimer: counter went forward across exits\n"
msg_counter_bad: .asciz	"armkvm-guest ptimer: counter did not go forward\n"
msg_unexpected:	.asciz	"armkvm-guest ptimer: unexpected exception\n"
	.balign	8
	.space	512
irq_stack:
	.space	1024
svc_stack:
