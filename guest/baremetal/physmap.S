/*
 * A hostile guest's view of physical memory (docs/isolated-mode.md, 6.2):
 * it maps the whole 4 GiB physical address space by sections (all but its
 * own RAM, which it runs from, and the hypervisor's window), then
 *   - reads four words of every megabyte and counts the ones that hold the
 *     host's canary ("MAGC", which the lab test fills host memory with): in
 *     isolated mode guest-physical addresses outside RAM are devices or
 *     nothing, never host memory, so the count is 0;
 *   - writes its own pattern over every megabyte above its RAM (no device
 *     lives there: the writes go nowhere, the host's canary stays intact);
 *   - points its second table (TTBR1) and a second-level table outside its
 *     RAM, at host memory: the walks give it external aborts.
 * Reads where nothing answers are zero under armkvm (as under KVM) and an
 * external abort under TCG: the data abort handler steps over them, and the
 * output names neither, so it equals TCG's.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "common.inc"

	.equ	RAM,		0x40000000	@ 4 MiB
	.equ	RAM_END,	0x40400000
	.equ	WINDOW,		0xbf000000	@ the hypervisor's 16 MiB
	.equ	TABLE,		0x40200000
	.equ	HOST_MEMORY,	0x48000000	@ the lab host's RAM, not the guest's
	.equ	WALK_VA,	0x30000000	@ its L2 table at HOST_MEMORY
	.equ	TTBR1_VA,	0xf0000000	@ TTBCR.N = 1: TTBR1, at HOST_MEMORY
	.equ	CANARY,		0x4347414d	@ "MAGC", little-endian
	.equ	PATTERN,	0x5ca1ab1e

	.equ	SECT_ANY,	0x10c0e		@ SECT_RAM not shareable: what a guest may pick

	.text
	.global	_start
_start:
	armkvm_aware
	patch_sites
	ldr	sp, =svc_stack
	site	REPL_CPS_ABT, "cps #0x17"
	ldr	sp, =abt_stack
	site	REPL_CPS_SVC, "cps #0x13"
	ldr	r0, =vectors
	mcr	p15, 0, r0, c12, c0, 0		@ VBAR
	isb
	ldr	r0, =msg_start
	bl	puts

	/* Every megabyte at its own address, but the window. */
	ldr	r0, =TABLE
	ldr	r9, =RAM_END
	mov	r4, #0
1:	ldr	r1, =SECT_ANY
	cmp	r4, r9
	ldrlo	r1, =SECT_RAM
	orr	r1, r1, r4
	cmp	r4, #WINDOW
	blo	2f
	cmp	r4, #WINDOW + 0x1000000
	movlo	r1, #0
2:	str	r1, [r0, r4, lsr #18]
	adds	r4, r4, #0x100000
	bne	1b
	/* WALK_VA's megabyte: a second-level table in host memory. */
	ldr	r4, =WALK_VA
	ldr	r1, =HOST_MEMORY + 1		@ page table, domain 0
	str	r1, [r0, r4, lsr #18]
	bl	clean_table

	ldr	r0, =PRRR_VAL
	mcr	p15, 0, r0, c10, c2, 0
	ldr	r0, =NMRR_VAL
	mcr	p15, 0, r0, c10, c2, 1
	mov	r0, #1				@ domain 0 client
	mcr	p15, 0, r0, c3, c0, 0
	mov	r0, #0
	mcr	p15, 0, r0, c2, c0, 2		@ TTBCR: TTBR0 only
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
	ldr	r0, =msg_on
	bl	puts

	/* Four words of every megabyte outside RAM and the window: canaries seen. */
	mov	r4, #0				@ address
	mov	r5, #0				@ words read
	mov	r6, #0				@ canaries
	ldr	r7, =CANARY
3:	cmp	r4, #RAM
	blo	4f
	cmp	r4, r9
	blo	5f
	cmp	r4, #WINDOW
	blo	4f
	cmp	r4, #WINDOW + 0x1000000
	blo	5f
4:	mov	r8, #0
	ldr	r8, [r4]			@ a fault steps over it: r8 stays 0
	add	r5, r5, #1
	cmp	r8, r7
	addeq	r6, r6, #1
5:	adds	r4, r4, #0x40000
	bne	3b
	ldr	r0, =msg_read
	bl	puts
	mov	r0, r5
	bl	puthex
	mov	r0, r6
	bl	puthex
	ldr	r0, =msg_nl
	bl	puts

	/* The pattern over every megabyte above RAM (and past the window). */
	ldr	r4, =RAM_END
	mov	r5, #0
	ldr	r7, =PATTERN
6:	cmp	r4, #WINDOW
	blo	7f
	cmp	r4, #WINDOW + 0x1000000
	blo	8f
7:	str	r7, [r4]
	add	r8, r4, #0x80000
	str	r7, [r8]
	add	r5, r5, #2
8:	adds	r4, r4, #0x100000
	bne	6b
	ldr	r0, =msg_written
	bl	puts
	mov	r0, r5
	bl	puthex
	ldr	r0, =msg_nl
	bl	puts

	/* Walks into host memory: a second-level table there, then TTBR1 there. */
	ldr	r0, =msg_walks
	bl	puts
	bl	fault_clear
	ldr	r4, =WALK_VA
	ldr	r0, [r4]
	bl	print_fault
	ldr	r0, =HOST_MEMORY + TTB_FLAGS
	mcr	p15, 0, r0, c2, c0, 1		@ TTBR1
	mov	r0, #1
	mcr	p15, 0, r0, c2, c0, 2		@ TTBCR.N = 1: 0x80000000 up through TTBR1
	mcr	p15, 0, r0, c8, c7, 0		@ TLBIALL
	dsb
	isb
	bl	fault_clear
	ldr	r4, =TTBR1_VA
	ldr	r0, [r4]
	bl	print_fault
	/* The UART at 0x09000000 is still TTBR0's, and so is all of RAM. */
	ldr	r0, =msg_done
	bl	puts
	power_off

fault_clear:
	ldr	r0, =last_fsr
	mov	r1, #0
	str	r1, [r0]
	str	r1, [r0, #4]
	bx	lr

/* The last data abort's DFSR (status and WnR; the domain is UNKNOWN for these) and DFAR. */
print_fault:
	push	{r4, lr}
	ldr	r4, =last_fsr
	ldr	r0, [r4]
	ldr	r1, =0xc0f
	and	r0, r0, r1
	bl	puthex
	ldr	r0, [r4, #4]
	bl	puthex
	ldr	r0, =msg_nl
	bl	puts
	pop	{r4, pc}

/* The table to the point of coherency (the MMU is off: by physical address). */
clean_table:
	ldr	r0, =TABLE
	add	r1, r0, #0x4000
1:	mcr	p15, 0, r0, c7, c10, 1		@ DCCMVAC
	add	r0, r0, #32
	cmp	r0, r1
	blo	1b
	dsb
	bx	lr

/* A data abort: recorded, the access skipped. */
dabt_handler:
	push	{r0, r1}
	ldr	r1, =last_fsr
	mrc	p15, 0, r0, c5, c0, 0
	str	r0, [r1]
	mrc	p15, 0, r0, c6, c0, 0
	str	r0, [r1, #4]
	pop	{r0, r1}
	site	REPL_SUBS_PC_LR_4, "subs pc, lr, #4"

	guest_vectors dabt=dabt_handler

	define_puts
	define_puthex

	.ltorg
	.data
	.balign	4
last_fsr:	.word	0
last_far:	.word	0
msg_start:	.asciz	"armkvm-guest physmap: mapping every megabyte of the physical address space\n"
msg_on:		.asciz	"armkvm-guest physmap: MMU on\n"
msg_read:	.asciz	"armkvm-guest physmap: words read outside RAM, host canaries among them:"
msg_written:	.asciz	"armkvm-guest physmap: words written above RAM:"
msg_walks:	.asciz	"armkvm-guest physmap: walks through host memory (DFSR, DFAR): L2, TTBR1\n"
msg_nl:		.asciz	"\n"
msg_done:	.asciz	"armkvm-guest physmap: done\n"
msg_unexpected:	.asciz	"armkvm-guest physmap: unexpected exception\n"
	.balign	8
	.space	1024
svc_stack:
	.space	256
abt_stack:
