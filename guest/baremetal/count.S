/*
 * A guest whose state lives in registers and memory for seconds: 30 rounds,
 * each stirring a 64 KiB buffer with a generator whose state is a register,
 * printing the round and the buffer's checksum, then waiting 100 ms on the
 * physical counter. Its output depends on every round before it, never on
 * time, so a run saved, stopped and restored in the middle (snapshots,
 * migration) must print exactly what an unbroken run prints.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "common.inc"

#define ROUNDS		30
#define WORDS		16384

	.text
	.global	_start
_start:
	armkvm_aware
	ldr	sp, =stack_top
	adr	r0, msg_start
	bl	puts
	mrc	p15, 0, r9, c14, c0, 0		@ CNTFRQ
	mov	r0, #10
	udiv	r9, r9, r0			@ ticks in 100 ms
	mov	r4, #0				@ the round
	ldr	r5, =0x2545f491			@ the generator's state
	ldr	r10, =1664525
	ldr	r11, =1013904223
round:
	ldr	r6, =buffer
	mov	r7, #0
	mov	r8, #0				@ the checksum
1:	mla	r5, r5, r10, r11
	ldr	r0, [r6, r7, lsl #2]
	eor	r0, r0, r5, ror #7
	str	r0, [r6, r7, lsl #2]
	add	r8, r8, r0, ror #3
	add	r7, r7, #1
	cmp	r7, #WORDS
	blo	1b
	adr	r0, msg_round
	bl	puts
	mov	r0, r4
	bl	puthex
	mov	r0, r8
	bl	puthex
	adr	r0, msg_nl
	bl	puts
	/* 100 ms on the physical counter: the pace, not the output. */
	mrrc	p15, 0, r6, r7, c14		@ CNTPCT
	adds	r6, r6, r9
	adc	r7, r7, #0
2:	mrrc	p15, 0, r0, r1, c14
	cmp	r1, r7
	cmpeq	r0, r6
	blo	2b
	add	r4, r4, #1
	cmp	r4, #ROUNDS
	blo	round
	adr	r0, msg_done
	bl	puts
	power_off

	define_puts
	define_puthex
	.ltorg
msg_start:
	.asciz	"armkvm-guest count: 30 rounds\n"
msg_round:
	.asciz	"round"
msg_nl:
	.asciz	"\n"
msg_done:
	.asciz	"armkvm-guest count: done\n"
	.balign	4

	.bss
	.balign	4
buffer:
	.space	WORDS * 4
	.balign	8
	.space	1024
stack_top:
