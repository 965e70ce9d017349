/*
 * Guest MMU: the guest builds its own translation table and turns its MMU
 * on (armkvm's ARMKVM_HC_MMU_ENABLE, or natively where that hypercall is
 * unknown, as under TCG), then checks what the table says: RAM through an
 * alias, the UART through its own device mapping, its own translation and
 * domain faults with the fault registers, a second table switched to
 * natively, and thread/context ID registers kept across hundreds of exits.
 *
 * Under armkvm's privileged mode, RAM in tables is addressed host-physically
 * (ARMKVM_HC_RAM_BASE gives the offset; 0 under TCG and in isolated mode) and
 * devices sit in domain 2, which DACR keeps at no access so that each device
 * access becomes an exit. Isolated mode runs it like TCG (the hypercalls
 * answer -1), on the shadow of its tables, its sensitive instructions patched.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "common.inc"

	.equ	ARMKVM_HC_RAM_BASE,	0x86000003
	.equ	ARMKVM_HC_MMU_ENABLE,	0x86000004

	.equ	RAM,		0x40000000	@ guest-physical, 4 MiB
	.equ	TABLE1,		0x40200000
	.equ	TABLE2,		0x40204000
	.equ	SCRATCH1,	0x40300000	@ the alias's target in TABLE1
	.equ	SCRATCH2,	0x40100000	@ and in TABLE2
	.equ	ALIAS_VA,	0x10000000
	.equ	UART_VA,	0x20000000
	.equ	UNMAPPED_VA,	0x30000000
	.equ	NOACCESS_VA,	0x50000000	@ RAM in domain 3, which DACR closes

	/* RAM: SECT_RAM (common.inc; full access: the user-mode check below runs from it). */
	/* Section: shared device (index 1), execute-never, domain 2. */
	.equ	SECT_DEV,	0x456
	.equ	SECT_DOMAIN3,	0x60

	.text
	.global	_start
_start:
	armkvm_aware
	patch_sites
	ldr	sp, =stack_top
	set_vectors vectors
	ldr	r0, =msg_start
	bl	puts

	/* r11 = host-physical minus guest-physical RAM address (0 where unknown). */
	ldr	r0, =ARMKVM_HC_RAM_BASE
	hvc	#0
	cmp	r0, #0
	subeq	r11, r1, r2
	movne	r11, #0

	/* TABLE1: RAM at its own address and ALIAS_VA, the UART, a closed domain. */
	ldr	r0, =TABLE1
	bl	clear_table
	ldr	r4, =RAM
	mov	r5, #4
1:	add	r1, r4, r11
	ldr	r2, =SECT_RAM
	orr	r1, r1, r2
	str	r1, [r0, r4, lsr #18]
	add	r4, r4, #0x100000
	subs	r5, r5, #1
	bne	1b
	ldr	r4, =ALIAS_VA
	ldr	r1, =SCRATCH1
	bl	map_ram
	ldr	r4, =NOACCESS_VA
	ldr	r1, =SCRATCH1
	bl	map_ram
	ldr	r1, [r0, r4, lsr #18]
	orr	r1, r1, #SECT_DOMAIN3
	str	r1, [r0, r4, lsr #18]
	ldr	r1, =UART_BASE
	ldr	r2, =SECT_DEV
	orr	r1, r1, r2
	ldr	r4, =UART_VA
	str	r1, [r0, r4, lsr #18]
	bl	clean_table

	ldr	r0, =PRRR_VAL
	mcr	p15, 0, r0, c10, c2, 0
	ldr	r0, =NMRR_VAL
	mcr	p15, 0, r0, c10, c2, 1

	/* Domain 0 client; 2 (devices) no access under armkvm, client natively. */
	ldr	r0, =ARMKVM_HC_MMU_ENABLE
	ldr	r1, =TABLE1 + TTB_FLAGS
	add	r1, r1, r11
	mov	r2, #0
	mov	r3, #0x01
	hvc	#0
	cmp	r0, #0
	beq	2f
	mcr	p15, 0, r1, c2, c0, 0		@ TTBR0
	mcr	p15, 0, r2, c2, c0, 2		@ TTBCR
	mov	r3, #0x11
	mcr	p15, 0, r3, c3, c0, 0		@ DACR
	mrc	p15, 0, r0, c1, c0, 0
	orr	r0, r0, #1			@ M
	orr	r0, r0, #1 << 28		@ TRE
	mcr	p15, 0, r0, c1, c0, 0
2:	isb
	ldr	r0, =uart
	ldr	r1, =UART_VA
	str	r1, [r0]
	ldr	r0, =msg_on
	bl	puts

	/* RAM through the alias. */
	ldr	r4, =0xc0ffee01
	ldr	r5, =ALIAS_VA + 0x10
	str	r4, [r5]
	ldr	r6, =SCRATCH1 + 0x10
	ldr	r4, [r6]
	ldr	r0, =msg_alias
	bl	puts
	mov	r0, r4
	bl	puthex

	/* A device register through the guest's own mapping: PL011 UARTPeriphID0-3. */
	ldr	r0, =msg_periph
	bl	puts
	ldr	r5, =UART_VA + 0xfe0
	ldr	r0, [r5]
	bl	puthex_nonl
	ldr	r0, [r5, #4]
	bl	puthex_nonl
	ldr	r0, [r5, #8]
	bl	puthex_nonl
	ldr	r0, [r5, #12]
	bl	puthex

	/* Faults the guest takes itself: translation (read, write), domain, permission. */
	ldr	r5, =UNMAPPED_VA
	ldr	r4, [r5, #4]
	str	r4, [r5, #8]
	ldr	r5, =NOACCESS_VA
	ldr	r4, [r5, #0xc]

	/*
	 * User mode may not touch the kernel-only UART mapping: the guest's own
	 * permission fault (0x80d), not a device access; the handler returns to SVC.
	 */
	ldr	r5, =UART_VA
	site	REPL_CPS_USR, "cps #0x10"
	str	r5, [r5]

	/* A second table, switched to natively (a copy, with another alias). */
	ldr	r4, =0x5ec0d000
	ldr	r5, =SCRATCH2 + 0x10
	str	r4, [r5]
	ldr	r0, =TABLE2
	ldr	r1, =TABLE1
	mov	r2, #4096
3:	ldr	r3, [r1], #4
	str	r3, [r0], #4
	subs	r2, r2, #1
	bne	3b
	ldr	r0, =TABLE2
	ldr	r4, =ALIAS_VA
	ldr	r1, =SCRATCH2
	bl	map_ram
	bl	clean_table
	ldr	r1, =TABLE2 + TTB_FLAGS
	add	r1, r1, r11
	bl	switch_table
	ldr	r0, =msg_table2
	bl	puts
	ldr	r5, =ALIAS_VA + 0x10
	ldr	r0, [r5]
	bl	puthex
	ldr	r1, =TABLE1 + TTB_FLAGS
	add	r1, r1, r11
	bl	switch_table
	ldr	r0, =msg_table1
	bl	puts
	ldr	r5, =ALIAS_VA + 0x10
	ldr	r0, [r5]
	bl	puthex

	/* Thread and context IDs are the guest's, across many exits. */
	ldr	r0, =0x7e57da7a
	mcr	p15, 0, r0, c13, c0, 3		@ TPIDRURO
	ldr	r0, =0x12345678
	mcr	p15, 0, r0, c13, c0, 2		@ TPIDRURW
	ldr	r0, =0x0abcdef0
	mcr	p15, 0, r0, c13, c0, 4		@ TPIDRPRW
	mov	r0, #0x42
	mcr	p15, 0, r0, c13, c0, 1		@ CONTEXTIDR (ASID 0x42)
	ldr	r0, =msg_ids
	bl	puts
	mrc	p15, 0, r0, c13, c0, 3
	bl	puthex_nonl
	mrc	p15, 0, r0, c13, c0, 2
	bl	puthex_nonl
	mrc	p15, 0, r0, c13, c0, 4
	bl	puthex_nonl
	mrc	p15, 0, r0, c13, c0, 1
	bl	puthex

	svc	#0x11
	ldr	r0, =msg_done
	bl	puts
	power_off

/* r0 = table: zero its 16 KiB. */
clear_table:
	mov	r1, #0
	mov	r2, #4096
1:	subs	r2, r2, #1
	str	r1, [r0, r2, lsl #2]
	bne	1b
	bx	lr

/* In the table at r0, map the 1 MiB section at virtual r4 to guest RAM at r1. */
map_ram:
	add	r1, r1, r11
	ldr	r2, =SECT_RAM
	orr	r1, r1, r2
	str	r1, [r0, r4, lsr #18]
	bx	lr

/* The table at r0 to the point of coherency: the MMU's walks read memory. */
clean_table:
	mov	r1, r0
	add	r2, r0, #0x4000
1:	mcr	p15, 0, r1, c7, c10, 1		@ DCCMVAC
	add	r1, r1, #32
	cmp	r1, r2
	blo	1b
	dsb
	bx	lr

/* TTBR0 = r1, natively, and forget the old translations. */
switch_table:
	mcr	p15, 0, r1, c2, c0, 0
	isb
	mov	r0, #0
	mcr	p15, 0, r0, c8, c7, 0		@ TLBIALL
	dsb
	isb
	bx	lr

/*
 * Like an OS's abort entry, leave ABT mode at once: under armkvm a device
 * access is trapped by an abort, which would overwrite LR_abt and SPSR_abt
 * if it happened in ABT mode (docs/modes.md).
 */
dabt_handler:
	sub	lr, lr, #4			@ return past the faulting access
	site	REPL_SRSDB_SP_SVC, "srsdb sp!, #0x13"	@ LR_abt, SPSR_abt onto the SVC stack
	site	REPL_CPS_SVC, "cps #0x13"
	push	{r0-r3, r12, lr}
	ldr	r0, =msg_dabt
	bl	puts
	mrc	p15, 0, r0, c5, c0, 0		@ DFSR
	ldr	r1, =0x80f			@ WnR, FS[3:0]
	and	r0, r0, r1
	bl	puthex_nonl
	mrc	p15, 0, r0, c6, c0, 0		@ DFAR
	bl	puthex
	ldr	r0, [sp, #28]			@ the saved SPSR, above six registers and LR
	and	r1, r0, #0x1f
	cmp	r1, #0x10
	biceq	r0, r0, #0x1f			@ taken in user mode: return in SVC mode
	orreq	r0, r0, #0x13
	streq	r0, [sp, #28]
	pop	{r0-r3, r12, lr}
	site	REPL_RFEIA_SP, "rfeia sp!"

svc_handler:
	push	{r0-r3, lr}
	ldr	r0, =msg_svc
	bl	puts
	pop	{r0-r3, lr}
	site	REPL_SUBS_PC_LR_0, "movs pc, lr"

	guest_vectors svc=svc_handler, dabt=dabt_handler

/* puts, through the UART at the address in `uart`. */
	define_puts via=uart

/* r0 as 8 hex digits and a newline (puthex) or a space (puthex_nonl). Clobbers r0-r3. */
puthex:
	mov	r3, #'\n'
	b	1f
puthex_nonl:
	mov	r3, #' '
1:	push	{r4, r5, lr}
	ldr	r1, =hexbuf
	strb	r3, [r1, #8]
	mov	r2, #8
2:	and	r4, r0, #0xf
	cmp	r4, #10
	addlo	r4, r4, #'0'
	addhs	r4, r4, #'a' - 10
	subs	r2, r2, #1
	strb	r4, [r1, r2]
	lsr	r0, r0, #4
	bne	2b
	mov	r0, r1
	bl	puts
	pop	{r4, r5, pc}

	.ltorg
	.data
uart:		.word	UART_BASE
hexbuf:		.space	12
msg_start:	.asciz	"armkvm-guest mmu: building a table\n"
msg_on:		.asciz	"armkvm-guest mmu: MMU on, printing through the guest's own UART mapping\n"
msg_alias:	.asciz	"armkvm-guest mmu: written through the alias, read at its target: "
msg_periph:	.asciz	"armkvm-guest mmu: UART peripheral ID through the mapping: "
msg_dabt:	.asciz	"armkvm-guest mmu: data abort taken by the guest: DFSR (WnR, FS) and DFAR: "
msg_table2:	.asciz	"armkvm-guest mmu: second table, alias reads: "
msg_table1:	.asciz	"armkvm-guest mmu: first table again, alias reads: "
msg_ids:	.asciz	"armkvm-guest mmu: TPIDRURO TPIDRURW TPIDRPRW CONTEXTIDR after exits: "
msg_svc:	.asciz	"armkvm-guest mmu: svc taken with the MMU on\n"
msg_done:	.asciz	"armkvm-guest mmu: done\n"
msg_unexpected:	.asciz	"armkvm-guest mmu: unexpected exception\n"
	.balign	8
	.space	1024
stack_top:
