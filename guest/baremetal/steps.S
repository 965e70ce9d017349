/*
 * A guest to single-step through (tests/lab/gdb-probe.c, docs/gdb.md): every
 * way A32 and T32 code moves on that a debugger's step must follow, each
 * leaving its trace in r0-r12 so that a step that lands wrong shows: a
 * counted loop (a conditional branch taken, then not), BL and BX, BLX to
 * Thumb and back, LDR pc, MOV pc and ADD pc, LDM and POP with pc, CBZ and
 * CBNZ, an IT block, TBB and TBH, B.W and BL in Thumb, and a device store
 * (a character on the console: an exit to QEMU natively), an SVC into the
 * guest's own vector and its exception return (emulated in isolated mode).
 * bp_here is where the probe's breakpoint goes; steps_end, where it stops
 * stepping through the branches; then two of the guest's own BKPTs, which
 * its prefetch abort handler counts and returns from, and its own copy of the
 * undefined instruction armkvm's steps reserve, which its undefined
 * instruction handler counts: the probe steps through the first BKPT (into
 * abort mode and back, to after_bkpt) and the UDF (to after_udf), and runs
 * over the second BKPT to after_bkpt2, its last breakpoint.
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
	ldr	sp, =stack_top
	set_vectors vectors
	movs	r0, #0				@ TCG and armkvm answered apart: r0, flags
	mov	r2, #0
	mov	r3, #0
	mov	r1, #3
	.global	bp_here
bp_here:
1:	add	r0, r0, r1			@ r0 = 3 + 2 + 1
	subs	r1, r1, #1
	bne	1b
	bl	arm_leaf			@ BL, BX lr
	bl	arm_frame			@ PUSH, LDM with pc
	adr	r2, thumb_code + 1
	blx	r2				@ into Thumb, back by BX lr
	ldr	pc, =1f				@ LDR pc, from the pool
	mov	r0, #0xdead			@ skipped
1:	adr	r3, 2f
	mov	pc, r3				@ MOV pc
	mov	r0, #0xdead			@ skipped
2:	mov	r3, #4
	add	pc, pc, r3			@ ADD pc: over two words
	mov	r0, #0xdead
	mov	r0, #0xdead
	mov	r1, #0x7f			@ lands here
	ldr	r2, =UART_BASE
	mov	r3, #'*'
	str	r3, [r2, #UART_DR]		@ a device store
	mov	r3, #'\n'
	str	r3, [r2, #UART_DR]
	cmp	r1, #0x80
	movlt	r4, #1				@ conditional, executed
	movge	r4, #2				@ conditional, not
	svc	#1				@ the guest's vector, and back
	.global	steps_end
steps_end:
	bkpt	#7				@ the guest's own, stepped into
	.global	after_bkpt
after_bkpt:
	.word	0xe7fdbdfd			@ the UDF armkvm's steps use: the guest's
	.global	after_udf
after_udf:
	bkpt	#8				@ and one run over
	.global	after_bkpt2
after_bkpt2:
	adr	r0, message
	bl	puts
	power_off

svc_handler:
	add	r11, r11, #1
	site	REPL_SUBS_PC_LR_0, "movs pc, lr"

pabt_handler:					@ lr: the BKPT + 4
	add	r12, r12, #1
	site	REPL_SUBS_PC_LR_0, "movs pc, lr"

und_handler:					@ lr: the UDF + 4
	add	r9, r9, #1
	site	REPL_SUBS_PC_LR_0, "movs pc, lr"

arm_leaf:
	add	r5, r0, #0x100
	bx	lr

arm_frame:
	push	{r4, lr}
	mov	r4, #0x55
	add	r6, r4, r5
	pop	{r4, pc}

	.thumb
	.thumb_func
thumb_code:
	push	{r4, lr}
	movs	r4, #2
3:	subs	r4, #1
	cmp	r4, #0
	bne	3b				@ B<c>, 16 bits
	cbz	r4, 4f				@ taken
	movs	r7, #0x11
4:	cbnz	r4, 5f				@ not taken
	movs	r7, #0x22
5:	cmp	r7, #0x22
	ite	eq
	moveq	r8, r7				@ executed
	movne	r8, r4				@ not
	movs	r4, #1
	tbb	[pc, r4]
6:	.byte	(7f - 6b) / 2, (8f - 6b) / 2
7:	movs	r9, #0xa			@ skipped
8:	movs	r4, #0
	tbh	[pc, r4, lsl #1]
9:	.hword	(10f - 9b) / 2
10:	b.w	11f
	nop
11:	bl	thumb_leaf
	pop	{r4, pc}			@ POP pc: back to ARM (interworking)

	.thumb_func
thumb_leaf:
	add	r10, r7, r8
	bx	lr

	.arm
	guest_vectors und=und_handler, svc=svc_handler, pabt=pabt_handler

	define_puts
	.ltorg
message:
	.asciz	"armkvm-guest steps: the end\n"
msg_unexpected:
	.asciz	"armkvm-guest steps: an unexpected exception\n"
	.balign	8
	.space	256
stack_top:
