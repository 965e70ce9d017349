/*
 * Interrupt storm: the SP804 fires every 100 us (ten thousand interrupts a
 * second, 40 times a host tick; shorter periods are throttled by QEMU's
 * timer emulation) while the guest sends itself software-generated interrupts
 * through the GIC, one at a time, waiting for each, until it has taken at
 * least 500 of each kind. Every SGI must be taken exactly once, none lost
 * under the timer's flood, and the guest must keep making progress; then the
 * timer stops and no interrupt arrives any more.
 *
 * Where taking one interrupt costs more than the period (nested emulation
 * under load, where a device access can take longer than 100 us), no period
 * would ever leave time for the code between interrupts: the handler doubles
 * the period after 32 timer interrupts in a row without an SGI, up to 100 ms,
 * so the flood stays as fast as the machine can take and the output is the
 * same on every machine.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "common.inc"

	.equ	GICD_SGIR,	0xf00
	.equ	SGI_SELF,	(2 << 24)	@ TargetListFilter: the requesting CPU
	.equ	STORM_SGI,	5
	.equ	SGIS,		500		@ at least this many SGIs
	.equ	TIMER_IRQS,	500		@ and timer interrupts

	.equ	STARVED,	32		@ timer interrupts in a row without an SGI
	.equ	PERIOD_MAX,	100000		@ us
	/*
	 * Counters, in registers the handler owns: r7 timer, r8 SGIs, r9 others,
	 * r11 timer interrupts since the last SGI.
	 */

/* Let some time pass with a few thousand device reads (exits under armkvm). */
	.macro	idle_spin tmp
	ldr	\tmp, =2000
98:	ldr	r1, =TIMER
	ldr	r1, [r1, #SP804_CTRL]
	subs	\tmp, \tmp, #1
	bne	98b
	.endm

	.text
	.global	_start
_start:
	armkvm_aware
	patch_sites
	irq_guest_start

	gic_enable TIMER_IRQ
	ldr	r1, =GICD
	ldr	r0, =0xffff
	str	r0, [r1, #0x100]		@ GICD_ISENABLER0: the SGIs too

	mov	r7, #0
	mov	r8, #0
	mov	r9, #0
	mov	r11, #0
	ldr	r1, =TIMER
	mov	r0, #100			@ 100 us: 10,000 interrupts a second
	str	r0, [r1, #SP804_LOAD]
	mov	r0, #SP804_ON
	str	r0, [r1, #SP804_CTRL]
	site	REPL_CPSIE_I, "cpsie i"

	/* One SGI at a time, each awaited, under the flood. */
	mov	r4, #0
	ldr	r5, =GICD + GICD_SGIR
	ldr	r6, =SGI_SELF | STORM_SGI
1:	str	r6, [r5]
	add	r4, r4, #1
2:	cmp	r8, r4
	blo	2b
	cmp	r4, #SGIS
	blo	1b
	cmp	r7, #TIMER_IRQS			@ and until the flood has been felt
	blo	1b

	/* Stop the flood: interrupts in flight are taken, then none come. */
	site	REPL_CPSID_I, "cpsid i"
	ldr	r1, =TIMER
	mov	r0, #0
	str	r0, [r1, #SP804_CTRL]
	mov	r0, #1
	str	r0, [r1, #SP804_INTCLR]
	site	REPL_CPSIE_I, "cpsie i"
	idle_spin r0				@ what was in flight is taken
	mov	r10, r7
	idle_spin r0
	cmp	r7, r10
	ldreq	r0, =msg_quiet
	ldrne	r0, =msg_not_quiet
	bl	puts

	cmp	r8, r4
	ldreq	r0, =msg_sgis_ok
	ldrne	r0, =msg_sgis_bad
	bl	puts
	cmp	r4, #SGIS
	cmphs	r7, #TIMER_IRQS
	ldrhs	r0, =msg_timer_ok
	ldrlo	r0, =msg_timer_bad
	bl	puts
	cmp	r9, #0
	ldreq	r0, =msg_others_ok
	ldrne	r0, =msg_others_bad
	bl	puts
	power_off

irq_handler:
	push	{r0-r3, lr}
	ldr	r1, =GICC
	ldr	r0, [r1, #0x0c]			@ GICC_IAR
	ubfx	r2, r0, #0, #10
	cmp	r2, #TIMER_IRQ
	beq	3f
	cmp	r2, #STORM_SGI
	addeq	r8, r8, #1
	moveq	r11, #0
	beq	4f
	ldr	r3, =1023			@ spurious: nothing to end
	cmp	r2, r3
	beq	5f
	add	r9, r9, #1
	b	4f
3:	ldr	r2, =TIMER
	mov	r3, #1
	str	r3, [r2, #SP804_INTCLR]
	add	r7, r7, #1
	/* Starved: the code between interrupts never ran; a longer period. */
	add	r11, r11, #1
	cmp	r11, #STARVED
	blo	4f
	mov	r11, #0
	ldr	r3, [r2, #SP804_LOAD]
	lsl	r3, r3, #1
	ldr	r2, =PERIOD_MAX
	cmp	r3, r2
	movhi	r3, r2
	ldr	r2, =TIMER
	str	r3, [r2, #SP804_LOAD]
4:	str	r0, [r1, #0x10]			@ GICC_EOIR
5:	pop	{r0-r3, lr}
	site	REPL_SUBS_PC_LR_4, "subs pc, lr, #4"

	irq_only_vectors irq_handler

	define_puts
	.ltorg
msg_quiet:	.asciz	"armkvm-guest storm: timer stopped, no interrupt after it\n"
msg_not_quiet:	.asciz	"armkvm-guest storm: interrupts kept coming after the timer stopped\n"
msg_sgis_ok:	.asciz	"armkvm-guest storm: every SGI sent (one by one, awaited) taken once\n"
msg_sgis_bad:	.asciz	"armkvm-guest storm: SGIs lost or taken twice\n"
msg_timer_ok:	.asciz	"armkvm-guest storm: at least 500 SGIs and 500 timer interrupts taken\n"
msg_timer_bad:	.asciz	"armkvm-guest storm: too few interrupts: no storm\n"
msg_others_ok:	.asciz	"armkvm-guest storm: no other interrupt\n"
msg_others_bad:	.asciz	"armkvm-guest storm: unexpected interrupt IDs\n"
msg_unexpected:	.asciz	"armkvm-guest storm: unexpected exception\n"
	.balign	8
	.space	512
irq_stack:
	.space	1024
svc_stack:
