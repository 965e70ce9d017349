/*
 * Timer interrupts: the SP804 ticks every 10 ms through the GIC. The guest
 * idles (armkvm's wait-for-interrupt hypercall, or WFI) until ten interrupts
 * have been handled, then checks masking:
 * with CPSR.I set a raised interrupt stays pending, and is taken as soon as
 * the guest unmasks; an idle call made masked that unmasks on return has the
 * interrupt that ended it taken before the next instruction.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "common.inc"


	.text
	.global	_start
_start:
	armkvm_aware
	patch_sites
	irq_guest_start

	gic_enable TIMER_IRQ

	mov	r7, #0				@ interrupts handled
	ldr	r1, =TIMER
	ldr	r0, =10000			@ 10 ms at 1 MHz
	str	r0, [r1, #SP804_LOAD]
	mov	r0, #SP804_ON
	str	r0, [r1, #SP804_CTRL]
	site	REPL_CPSIE_I, "cpsie i"
1:	idle
	cmp	r7, #10
	blo	1b
	ldr	r0, =msg_ten
	bl	puts

	/* Masked: the timer raises its line, nothing is taken. */
	site	REPL_CPSID_I, "cpsid i"
	mov	r8, r7
	ldr	r1, =TIMER
2:	ldr	r0, [r1, #SP804_RIS]
	tst	r0, #1
	beq	2b
	cmp	r7, r8
	ldreq	r0, =msg_masked_ok
	ldrne	r0, =msg_masked_bad
	bl	puts
	site	REPL_CPSIE_I, "cpsie i"
	ldr	r1, =TIMER
3:	cmp	r7, r8				@ taken once unmasked
	beq	3b
	ldr	r0, =msg_unmasked
	bl	puts

	/*
	 * Masked, idle until the next tick with the call that unmasks: under
	 * armkvm the tick is taken before the instruction after the HVC (not
	 * at some later exit); where the call is unknown (TCG, -1), WFI and
	 * CPSIE do the same.
	 */
	mov	r8, r7
5:	site	REPL_CPSID_I, "cpsid i"
	ldr	r0, =ARMKVM_HC_WAIT_FOR_INTERRUPT_UNMASKED
	hvc	#0
	subs	r9, r7, r8			@ r9: taken by now
	bne	4f
	cmp	r0, #0
	bne	6f
	site	REPL_MRS_R1_CPSR, "mrs r1, cpsr"
	tst	r1, #0x80			@ CPSR.I
	beq	5b				@ woken without it (as WFI may be): again
	b	4f				@ returned masked: fails
6:	wfi
	site	REPL_CPSIE_I, "cpsie i"
	isb
	subs	r9, r7, r8
4:	cmp	r9, #0
	ldrne	r0, =msg_idle_unmasked_ok
	ldreq	r0, =msg_idle_unmasked_bad
	bl	puts
	ldr	r1, =TIMER
	mov	r0, #0
	str	r0, [r1, #SP804_CTRL]
	power_off

irq_handler:
	push	{r0-r3, lr}
	ldr	r1, =GICC
	ldr	r0, [r1, #0x0c]			@ GICC_IAR
	ubfx	r2, r0, #0, #10
	cmp	r2, #TIMER_IRQ
	ldreq	r2, =TIMER
	moveq	r3, #1
	streq	r3, [r2, #SP804_INTCLR]
	addeq	r7, r7, #1
	str	r0, [r1, #0x10]			@ GICC_EOIR
	pop	{r0-r3, lr}
	site	REPL_SUBS_PC_LR_4, "subs pc, lr, #4"

	irq_only_vectors irq_handler

	define_puts
	.ltorg
msg_ten:	.asciz	"armkvm-guest timer: 10 interrupts taken, idle between them\n"
msg_masked_ok:	.asciz	"armkvm-guest timer: masked, a raised interrupt stays pending\n"
msg_masked_bad:	.asciz	"armkvm-guest timer: masked, yet an interrupt was taken\n"
msg_unmasked:	.asciz	"armkvm-guest timer: taken once unmasked\n"
msg_idle_unmasked_ok:	.asciz	"armkvm-guest timer: an idle call that unmasks: taken right after it\n"
msg_idle_unmasked_bad:	.asciz	"armkvm-guest timer: an idle call that unmasks: not taken after it\n"
msg_unexpected:	.asciz	"armkvm-guest timer: unexpected exception\n"
	.balign	8
	.space	512
irq_stack:
	.space	1024
svc_stack:
