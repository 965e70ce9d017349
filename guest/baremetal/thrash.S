/*
 * Shadow thrashing (docs/isolated-mode.md, 6.2): a guest that makes
 * isolated mode's shadow build far more than it keeps. 768 megabytes of
 * virtual addresses all alias one megabyte of RAM; under 200 ASIDs in turn
 * it reads 300 of those megabytes each, so each address space needs 300
 * second-level tables and the guest's ASIDs outnumber the roots a vCPU may
 * keep: roots are evicted and the second-level memory is emptied again and
 * again. Every read must still see what the guest wrote through its own
 * mapping of that RAM, and the host's count of shadow tables stays within
 * the module's bounds (the lab script watches it).
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "common.inc"

	.equ	TABLE,		0x40200000
	.equ	TARGET,		0x40300000	@ the megabyte every alias maps
	.equ	ALIAS_VA,	0x10000000	@ 768 aliases from here
	.equ	ALIASES,	768
	.equ	ASIDS,		200
	.equ	READS,		300		@ per ASID
	.equ	SECT_UART,	0x416		@ device (TEX remap index 1), XN, AP=01, domain 0
	.equ	VALUE,		0x7ea5e7ea

	.text
	.global	_start
_start:
	armkvm_aware
	patch_sites
	ldr	sp, =stack_top
	ldr	r0, =msg_start
	bl	puts

	/* RAM's 4 MiB at their own address, the UART, and the aliases. */
	ldr	r0, =TABLE
	mov	r1, #0
	mov	r2, #0x4000
1:	subs	r2, r2, #4
	str	r1, [r0, r2]
	bne	1b
	ldr	r4, =0x40000000
	mov	r5, #4
2:	ldr	r1, =SECT_RAM
	orr	r1, r1, r4
	str	r1, [r0, r4, lsr #18]
	add	r4, r4, #0x100000
	subs	r5, r5, #1
	bne	2b
	ldr	r4, =UART_BASE
	ldr	r1, =SECT_UART
	orr	r1, r1, r4
	str	r1, [r0, r4, lsr #18]
	ldr	r4, =ALIAS_VA
	ldr	r1, =TARGET + SECT_RAM
	mov	r5, #ALIASES
3:	str	r1, [r0, r4, lsr #18]
	add	r4, r4, #0x100000
	subs	r5, r5, #1
	bne	3b
	add	r1, r0, #0x4000
4:	mcr	p15, 0, r0, c7, c10, 1		@ DCCMVAC: the MMU is off
	add	r0, r0, #32
	cmp	r0, r1
	blo	4b
	dsb
	ldr	r0, =TARGET
	ldr	r1, =VALUE
	str	r1, [r0]

	ldr	r0, =PRRR_VAL
	mcr	p15, 0, r0, c10, c2, 0
	ldr	r0, =NMRR_VAL
	mcr	p15, 0, r0, c10, c2, 1
	mov	r0, #1				@ domain 0 client
	mcr	p15, 0, r0, c3, c0, 0
	mov	r0, #0
	mcr	p15, 0, r0, c2, c0, 2		@ TTBCR
	mov	r0, #1
	mcr	p15, 0, r0, c13, c0, 1		@ ASID 1
	ldr	r0, =TABLE + TTB_FLAGS
	mcr	p15, 0, r0, c2, c0, 0
	mcr	p15, 0, r0, c8, c7, 0		@ TLBIALL
	dsb
	isb
	mrc	p15, 0, r0, c1, c0, 0
	orr	r0, r0, #1			@ M
	orr	r0, r0, #1 << 28		@ TRE
	bic	r0, r0, #1 << 29		@ AFE off
	mcr	p15, 0, r0, c1, c0, 0
	isb

	/* ASID n reads aliases (7n + k) mod 768, k < 300: r8 reads, r9 wrong values. */
	mov	r8, #0
	mov	r9, #0
	ldr	r10, =VALUE
	mov	r6, #1				@ ASID
5:	mov	r0, #0
	mcr	p15, 0, r0, c13, c0, 1		@ the reserved ASID between
	isb
	mcr	p15, 0, r6, c13, c0, 1
	isb
	mov	r7, #0				@ k
	add	r4, r6, r6, lsl #3
	sub	r4, r4, r6, lsl #1		@ 7n
6:	add	r0, r4, r7
7:	cmp	r0, #ALIASES
	subhs	r0, r0, #ALIASES
	bhs	7b
	ldr	r1, =ALIAS_VA
	add	r1, r1, r0, lsl #20
	ldr	r2, [r1]
	add	r8, r8, #1
	cmp	r2, r10
	addne	r9, r9, #1
	add	r7, r7, #1
	cmp	r7, #READS
	blo	6b
	add	r6, r6, #1
	cmp	r6, #ASIDS + 1
	blo	5b

	ldr	r0, =msg_reads
	bl	puts
	mov	r0, r8
	bl	puthex
	mov	r0, r9
	bl	puthex
	ldr	r0, =msg_nl
	bl	puts
	power_off

	guest_vectors

	define_puts
	define_puthex

	.ltorg
	.data
	.balign	4
msg_start:	.asciz	"armkvm-guest thrash: 768 aliases of one megabyte, 200 ASIDs\n"
msg_reads:	.asciz	"armkvm-guest thrash: reads through the aliases, wrong values among them:"
msg_nl:		.asciz	"\n"
msg_unexpected:	.asciz	"armkvm-guest thrash: unexpected exception\n"
	.balign	8
	.space	1024
stack_top:
