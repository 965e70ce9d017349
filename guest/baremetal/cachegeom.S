/*
 * Cache geometry and maintenance as a kernel does it (Linux's
 * v7_flush_dcache_all): CLIDR for the levels up to the point of coherency,
 * CSSELR and CCSIDR for each data or unified level's sets, ways and lines,
 * then an invalidate by set/way of every line; and invalidates by address
 * of its own data. The guest's data must survive both (isolated mode turns
 * each into a clean and invalidate: the host's data shares those lines).
 * Prints what holds on any ARMv7 CPU, not the geometry itself, so that its
 * output is TCG's wherever it runs.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "common.inc"

	.equ	DATA,		0x40100000
	.equ	DATA_WORDS,	4096		@ 16 KiB

	.text
	.global	_start
_start:
	armkvm_aware
	ldr	sp, =stack_top
	ldr	r0, =msg_start
	bl	puts

	/* A pattern in 16 KiB of RAM. */
	ldr	r0, =DATA
	ldr	r1, =DATA_WORDS
1:	eor	r2, r0, r1, lsl #16
	str	r2, [r0], #4
	subs	r1, r1, #1
	bne	1b

	/* Every data or unified level up to LoC: r8 levels seen, r9 levels with sets or ways 0. */
	mov	r8, #0
	mov	r9, #0
	mrc	p15, 1, r0, c0, c0, 1		@ CLIDR
	ands	r3, r0, #0x7000000
	mov	r3, r3, lsr #23			@ LoC * 2
	beq	6f
	mov	r10, #0				@ level * 2
2:	add	r2, r10, r10, lsr #1		@ level * 3
	mov	r1, r0, lsr r2
	and	r1, r1, #7			@ this level's cache type
	cmp	r1, #2
	blt	5f				@ no data cache here
	add	r8, r8, #1
	mcr	p15, 2, r10, c0, c0, 0		@ CSSELR: this level's data or unified cache
	isb
	mrc	p15, 1, r1, c0, c0, 0		@ CCSIDR
	and	r2, r1, #7
	add	r2, r2, #4			@ log2 of the line length
	ldr	r4, =0x3ff
	ands	r4, r4, r1, lsr #3		@ ways - 1
	clz	r5, r4				@ the way's shift
	ldr	r7, =0x7fff
	ands	r7, r7, r1, lsr #13		@ sets - 1
	cmp	r4, #0
	cmpeq	r7, #0
	addeq	r9, r9, #1
3:	mov	r6, r4
4:	orr	r11, r10, r6, lsl r5
	orr	r11, r11, r7, lsl r2
	mcr	p15, 0, r11, c7, c6, 2		@ DCISW
	subs	r6, r6, #1
	bge	4b
	subs	r7, r7, #1
	bge	3b
5:	add	r10, r10, #2
	cmp	r3, r10
	bgt	2b
6:	dsb
	isb

	/* Its own data invalidated by address (DCIMVAC), a line at a time. */
	ldr	r0, =DATA
	add	r1, r0, #DATA_WORDS * 4
7:	mcr	p15, 0, r0, c7, c6, 1		@ DCIMVAC
	add	r0, r0, #32
	cmp	r0, r1
	blo	7b
	dsb

	/* r10: words of the pattern changed. */
	mov	r10, #0
	ldr	r0, =DATA
	ldr	r1, =DATA_WORDS
8:	eor	r2, r0, r1, lsl #16
	ldr	r3, [r0], #4
	cmp	r2, r3
	addne	r10, r10, #1
	subs	r1, r1, #1
	bne	8b

	cmp	r8, #0
	ldrne	r0, =msg_levels
	ldreq	r0, =msg_no_levels
	bl	puts
	cmp	r9, #0
	ldreq	r0, =msg_geometry
	ldrne	r0, =msg_bad_geometry
	bl	puts
	cmp	r10, #0
	ldreq	r0, =msg_intact
	ldrne	r0, =msg_broken
	bl	puts
	power_off

	guest_vectors

	define_puts

	.ltorg
	.data
	.balign	4
msg_start:	.asciz	"armkvm-guest cachegeom: a pattern, then every cache line invalidated\n"
msg_levels:	.asciz	"armkvm-guest cachegeom: CLIDR names a data cache before the point of coherency\n"
msg_no_levels:	.asciz	"armkvm-guest cachegeom: CLIDR names no data cache\n"
msg_geometry:	.asciz	"armkvm-guest cachegeom: CCSIDR follows CSSELR: sets and ways for each level\n"
msg_bad_geometry: .asciz "armkvm-guest cachegeom: a level with one set of one way\n"
msg_intact:	.asciz	"armkvm-guest cachegeom: by set/way and by address: the data intact\n"
msg_broken:	.asciz	"armkvm-guest cachegeom: data lost to an invalidate\n"
msg_unexpected:	.asciz	"armkvm-guest cachegeom: unexpected exception\n"
	.balign	8
	.space	512
stack_top:
