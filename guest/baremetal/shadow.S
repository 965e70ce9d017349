/*
 * Shadow MMU: what a guest may expect of its translation tables, checked
 * against TCG by isolated mode's shadow page tables (docs/isolated-mode.md, 3):
 *   - every access permission (AP 0-7) in a no-access, client and manager
 *     domain, read and written from the kernel and from user mode, with
 *     DFSR (status, domain, WnR) and DFAR of each fault;
 *   - execute-never and a kernel-only page fetched from user mode (IFSR);
 *   - two tables with two ASIDs switched back and forth; a page remapped
 *     with TLBIMVA, TLBIASID and TLBIALL; a page table replaced by a section
 *     (a first-level change, then TLBIMVA); a freed table's memory reused
 *     under a new ASID without maintenance; an invalid entry made valid
 *     without maintenance (faults are never cached);
 *   - code written through one mapping and run through another;
 *   - high vectors (SCTLR.V) at a page the guest maps at 0xffff0000;
 *   - the console through a small-page device mapping, a fault in the
 *     hypervisor's window range where the guest maps nothing.
 * Isolated mode only (privileged mode's guests keep its MMU contract):
 * armkvm-aware all the same, so the marker check lets it run.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "common.inc"

	.equ	TABLE_A,	0x40200000
	.equ	TABLE_B,	0x40204000
	.equ	L2_MATRIX,	0x40208000
	.equ	L2_XA,		0x40208400
	.equ	L2_XB,		0x40208800
	.equ	L2_DEV,		0x40208c00
	.equ	L2_VEC,		0x40209000
	.equ	L2_Y,		0x40209400
	.equ	SECTION_P4,	0x40100000	@ a whole MiB of RAM, for a section
	.equ	P1,		0x40300000
	.equ	P2,		0x40301000
	.equ	P3,		0x40302000
	.equ	MATRIX_PAGE,	0x40303000
	.equ	CODE_PAGE,	0x40304000
	.equ	VEC_PAGE,	0x40305000
	.equ	P5,		0x40306000

	.equ	MATRIX_VA,	0x10000000	@ + domain index MiB + AP * 4 KiB
	.equ	UART_VA,	0x20000000
	.equ	X_VA,		0x30000000	@ page 0: data; 1-3: CODE_PAGE (XN, RWX, kernel-only)
	.equ	Y_VA,		0x30100000
	.equ	WINDOW_VA,	0xbf000000
	.equ	HIGH_VECTORS,	0xffff0000

	.equ	PAGE_TABLE,	0x01		@ domain 0
	.equ	PAGE_RAM,	0x47e		@ small page, WBWA, S, AP=11
	.equ	PAGE_KERNEL,	0x45e		@ small page, WBWA, S, AP=01
	.equ	PAGE_DEV,	0x417		@ small page, shared device, AP=01, XN
	.equ	DACR_VAL,	0xd1		@ 0 client, 1 no access, 2 client, 3 manager

	.text
	.global	_start
_start:
	armkvm_aware
	patch_sites
	ldr	sp, =svc_stack
	site	REPL_CPS_ABT, "cps #0x17"
	ldr	sp, =abt_stack
	site	REPL_CPS_SYS, "cps #0x1f"
	ldr	sp, =usr_stack
	site	REPL_CPS_SVC, "cps #0x13"
	mrc	p15, 0, r0, c1, c0, 0
	bic	r0, r0, #1 << 13		@ low vectors: VBAR
	mcr	p15, 0, r0, c1, c0, 0
	ldr	r0, =vectors
	mcr	p15, 0, r0, c12, c0, 0		@ VBAR
	isb
	ldr	r0, =msg_start
	bl	puts

	/* Table A: RAM by sections at its own address, the UART by a small page. */
	ldr	r0, =TABLE_A
	mov	r1, #0x8000 + 0x2000		@ both tables and the L2 tables: clear
	bl	clear
	ldr	r0, =TABLE_A
	ldr	r4, =0x40000000
	mov	r5, #4
1:	ldr	r1, =SECT_RAM
	orr	r1, r1, r4
	str	r1, [r0, r4, lsr #18]
	add	r4, r4, #0x100000
	subs	r5, r5, #1
	bne	1b
	ldr	r4, =UART_VA
	ldr	r1, =L2_DEV + PAGE_TABLE
	str	r1, [r0, r4, lsr #18]
	ldr	r1, =UART_BASE + PAGE_DEV
	ldr	r2, =L2_DEV
	str	r1, [r2]

	/* The matrix: one L2 table, page n with AP n, in domains 1, 2 and 3. */
	ldr	r2, =L2_MATRIX
	mov	r3, #0
2:	ldr	r1, =MATRIX_PAGE + 0x44e	@ small page, WBWA, S, AP from r3
	and	r6, r3, #3
	orr	r1, r1, r6, lsl #4
	tst	r3, #4
	orrne	r1, r1, #1 << 9			@ APX
	str	r1, [r2, r3, lsl #2]
	add	r3, r3, #1
	cmp	r3, #8
	bne	2b
	ldr	r4, =MATRIX_VA
	ldr	r1, =L2_MATRIX + PAGE_TABLE + (1 << 5)
	str	r1, [r0, r4, lsr #18]
	add	r4, r4, #0x100000
	add	r1, r1, #1 << 5
	str	r1, [r0, r4, lsr #18]
	add	r4, r4, #0x100000
	add	r1, r1, #1 << 5
	str	r1, [r0, r4, lsr #18]

	/* X: page 0 data (P1), 1 code XN, 2 code, 3 code kernel-only. */
	ldr	r4, =X_VA
	ldr	r1, =L2_XA + PAGE_TABLE
	str	r1, [r0, r4, lsr #18]
	ldr	r2, =L2_XA
	ldr	r1, =P1 + PAGE_RAM
	str	r1, [r2]
	ldr	r1, =CODE_PAGE + PAGE_RAM + 1	@ XN
	str	r1, [r2, #4]
	ldr	r1, =CODE_PAGE + PAGE_RAM
	str	r1, [r2, #8]
	ldr	r1, =CODE_PAGE + PAGE_KERNEL
	str	r1, [r2, #12]

	/* The high vector page, kernel-only. */
	ldr	r4, =HIGH_VECTORS & 0xfff00000
	ldr	r1, =L2_VEC + PAGE_TABLE
	str	r1, [r0, r4, lsr #18]
	ldr	r2, =L2_VEC + 0xf0 * 4
	ldr	r1, =VEC_PAGE + PAGE_KERNEL
	str	r1, [r2]

	/* Table B: table A's copy, X page 0 at P2. */
	ldr	r0, =TABLE_B
	ldr	r1, =TABLE_A
	mov	r2, #0x4000
	bl	copy
	ldr	r0, =L2_XB
	ldr	r1, =L2_XA
	mov	r2, #0x400
	bl	copy
	ldr	r0, =TABLE_B
	ldr	r4, =X_VA
	ldr	r1, =L2_XB + PAGE_TABLE
	str	r1, [r0, r4, lsr #18]
	ldr	r2, =L2_XB
	ldr	r1, =P2 + PAGE_RAM
	str	r1, [r2]

	/* What the pages hold. */
	ldr	r0, =P1
	ldr	r1, =0x11111111
	str	r1, [r0]
	ldr	r0, =P2
	ldr	r1, =0x22222222
	str	r1, [r0]
	ldr	r0, =P3
	ldr	r1, =0x33333333
	str	r1, [r0]
	ldr	r0, =SECTION_P4
	ldr	r1, =0x44444444
	str	r1, [r0]
	ldr	r0, =P5
	ldr	r1, =0x55555555
	str	r1, [r0]
	ldr	r0, =MATRIX_PAGE
	ldr	r1, =0x4d4d4d4d
	str	r1, [r0]
	ldr	r0, =CODE_PAGE
	ldr	r1, =0xe3a00001			@ mov r0, #1
	ldr	r2, =0xe12fff1e			@ bx lr
	stmia	r0, {r1, r2}
	ldr	r0, =VEC_PAGE
	ldr	r1, =0xe59ff018			@ ldr pc, [pc, #24]: the handler's address
	mov	r2, #8
3:	str	r1, [r0], #4
	subs	r2, r2, #1
	bne	3b
	ldr	r1, =vectors
	mov	r2, #8
4:	str	r1, [r0], #4
	add	r1, r1, #4
	subs	r2, r2, #1
	bne	4b
	bl	clean_all

	/* MMU on: table A, ASID 1. */
	ldr	r0, =PRRR_VAL
	mcr	p15, 0, r0, c10, c2, 0
	ldr	r0, =NMRR_VAL
	mcr	p15, 0, r0, c10, c2, 1
	mov	r0, #DACR_VAL
	mcr	p15, 0, r0, c3, c0, 0
	mov	r0, #0
	mcr	p15, 0, r0, c2, c0, 2		@ TTBCR
	mov	r0, #1
	mcr	p15, 0, r0, c13, c0, 1		@ CONTEXTIDR: ASID 1
	ldr	r0, =TABLE_A + TTB_FLAGS
	mcr	p15, 0, r0, c2, c0, 0
	mov	r0, #0
	mcr	p15, 0, r0, c8, c7, 0		@ TLBIALL
	dsb
	isb
	mrc	p15, 0, r0, c1, c0, 0
	orr	r0, r0, #1			@ M
	orr	r0, r0, #1 << 28		@ TRE
	bic	r0, r0, #1 << 29		@ AFE off: the full AP model
	mcr	p15, 0, r0, c1, c0, 0
	isb
	ldr	r0, =uart
	ldr	r1, =UART_VA
	str	r1, [r0]
	ldr	r0, =msg_on
	bl	puts

	bl	matrix
	bl	exec_checks
	bl	address_spaces
	bl	code_checks
	bl	high_vectors

	/* Nothing of the guest's at the window's addresses: its own translation fault. */
	ldr	r0, =msg_window
	bl	puts
	ldr	r5, =WINDOW_VA
	bl	fault_clear
	ldr	r4, [r5]
	bl	print_fault

	ldr	r0, =msg_done
	bl	puts
	power_off

/*
 * Every AP in each domain, read then written, from the kernel (SVC) and
 * from user mode (entered by CPS, left by SVC): one line per AP and domain,
 * the DFSR of the read and of the write (0: no fault).
 */
matrix:
	push	{r4-r8, lr}
	ldr	r0, =msg_matrix
	bl	puts
	ldr	r8, =results
	mov	r7, #0				@ 0: kernel, 1: user
1:	cmp	r7, #1
	bne	2f
	site	REPL_CPS_USR, "cps #0x10"
2:	mov	r6, #0				@ domain index 0-2
3:	mov	r5, #0				@ AP
4:	ldr	r4, =MATRIX_VA
	add	r4, r4, r6, lsl #20
	add	r4, r4, r5, lsl #12
	ldr	r3, =last_fsr
	mov	r0, #0
	str	r0, [r3]
	ldr	r0, [r4]
	ldr	r0, [r3]
	str	r0, [r8], #4
	mov	r0, #0
	str	r0, [r3]
	ldr	r0, =0x4d4d4d4d
	str	r0, [r4]
	ldr	r0, [r3]
	str	r0, [r8], #4
	add	r5, r5, #1
	cmp	r5, #8
	bne	4b
	add	r6, r6, #1
	cmp	r6, #3
	bne	3b
	cmp	r7, #1
	bne	5f
	svc	#0				@ back to SVC
5:	add	r7, r7, #1
	cmp	r7, #2
	bne	1b

	ldr	r8, =results
	mov	r7, #0
6:	mov	r6, #0
7:	mov	r5, #0
8:	ldr	r0, =msg_user
	cmp	r7, #0
	ldreq	r0, =msg_kernel
	bl	puts
	add	r0, r6, #1
	bl	puthex
	mov	r0, r5
	bl	puthex
	ldr	r0, [r8], #4
	bl	puthex
	ldr	r0, [r8], #4
	bl	puthex
	ldr	r0, =msg_nl
	bl	puts
	add	r5, r5, #1
	cmp	r5, #8
	bne	8b
	add	r6, r6, #1
	cmp	r6, #3
	bne	7b
	add	r7, r7, #1
	cmp	r7, #2
	bne	6b
	pop	{r4-r8, pc}

/* Calls into X's code pages: execute-never, executable, kernel-only from user mode. */
exec_checks:
	push	{r4, lr}
	ldr	r0, =msg_exec
	bl	puts
	ldr	r4, =X_VA + 0x2000
	bl	call_r4				@ kernel, executable
	ldr	r4, =X_VA + 0x1000
	bl	call_r4				@ kernel, execute-never
	ldr	r4, =X_VA + 0x3000
	bl	call_r4				@ kernel, kernel-only
	site	REPL_CPS_USR, "cps #0x10"
	ldr	r4, =X_VA + 0x2000
	bl	call_r4_user			@ user, executable
	ldr	r4, =X_VA + 0x3000
	bl	call_r4_user			@ user, kernel-only
	svc	#0
	ldr	r0, =msg_nl
	bl	puts
	pop	{r4, pc}

/* Call r4 (returns r0); print r0 and IFSR (& 0x80f) of a prefetch abort, or 0. */
call_r4:
	push	{r5, lr}
	ldr	r3, =last_ifsr
	mov	r0, #0
	str	r0, [r3]
	ldr	r0, =pabt_resume
	adr	r1, 1f
	str	r1, [r0]
	mov	r0, #0
	blx	r4
1:	bl	puthex
	ldr	r0, =last_ifsr
	ldr	r0, [r0]
	bl	puthex
	pop	{r5, pc}

/* The same from user mode: no printing there (the UART is kernel-only); results kept. */
call_r4_user:
	push	{r5, lr}
	ldr	r3, =last_ifsr
	mov	r0, #0
	str	r0, [r3]
	ldr	r0, =pabt_resume
	adr	r1, 1f
	str	r1, [r0]
	mov	r0, #0
	blx	r4
1:	ldr	r3, =user_results
	ldr	r1, =last_ifsr
	ldr	r1, [r1]
	ldr	r2, [r3]			@ count so far
	add	r5, r3, r2, lsl #3
	str	r0, [r5, #4]
	str	r1, [r5, #8]
	add	r2, r2, #1
	str	r2, [r3]
	pop	{r5, pc}

/* Two address spaces, remaps and each kind of TLB maintenance: X's first word each time. */
address_spaces:
	push	{r4-r6, lr}
	/* The user-mode exec results, printed here in SVC mode. */
	ldr	r0, =msg_exec_user
	bl	puts
	ldr	r4, =user_results
	ldr	r0, [r4, #4]
	bl	puthex
	ldr	r0, [r4, #8]
	bl	puthex
	ldr	r0, [r4, #12]
	bl	puthex
	ldr	r0, [r4, #16]
	bl	puthex
	ldr	r0, =msg_nl
	bl	puts

	ldr	r0, =msg_spaces
	bl	puts
	ldr	r5, =X_VA
	ldr	r0, [r5]
	bl	puthex				@ A, ASID 1: P1
	ldr	r0, =TABLE_B + TTB_FLAGS
	mov	r1, #2
	bl	switch_to
	ldr	r0, [r5]
	bl	puthex				@ B, ASID 2: P2
	ldr	r0, =TABLE_A + TTB_FLAGS
	mov	r1, #1
	bl	switch_to
	ldr	r0, [r5]
	bl	puthex				@ A again: P1
	ldr	r0, =msg_nl
	bl	puts

	/* Remap X to P3 in A: TLBIMVA (X, ASID 1). */
	ldr	r0, =msg_remap
	bl	puts
	ldr	r0, =P3 + PAGE_RAM
	bl	set_xa
	ldr	r0, =X_VA + 1
	mcr	p15, 0, r0, c8, c7, 1		@ TLBIMVA
	dsb
	isb
	ldr	r0, [r5]
	bl	puthex				@ P3
	/* Back to P1: TLBIASID 1. */
	ldr	r0, =P1 + PAGE_RAM
	bl	set_xa
	mov	r0, #1
	mcr	p15, 0, r0, c8, c7, 2		@ TLBIASID
	dsb
	isb
	ldr	r0, [r5]
	bl	puthex				@ P1
	/* To P5: TLBIALL. */
	ldr	r0, =P5 + PAGE_RAM
	bl	set_xa
	mov	r0, #0
	mcr	p15, 0, r0, c8, c7, 0		@ TLBIALL
	dsb
	isb
	ldr	r0, [r5]
	bl	puthex				@ P5
	/* The page table replaced by a section (a first-level change): TLBIMVAA. */
	ldr	r0, =TABLE_A
	ldr	r1, =SECTION_P4
	ldr	r2, =SECT_RAM
	orr	r1, r1, r2
	str	r1, [r0, r5, lsr #18]
	add	r0, r0, r5, lsr #18		@ DCCMVAC of that entry's line
	mcr	p15, 0, r0, c7, c10, 1
	dsb
	mcr	p15, 0, r5, c8, c7, 3		@ TLBIMVAA
	dsb
	isb
	ldr	r0, [r5]
	bl	puthex				@ the section: P4
	ldr	r0, =msg_nl
	bl	puts

	/*
	 * Table B's memory reused for another space under a new ASID, without
	 * maintenance (as Linux reuses a freed pgd): X now P3, Y mapped.
	 */
	ldr	r0, =msg_reuse
	bl	puts
	ldr	r0, =L2_XB
	ldr	r1, =P3 + PAGE_RAM
	str	r1, [r0]
	mcr	p15, 0, r0, c7, c10, 1
	dsb
	ldr	r0, =TABLE_B + TTB_FLAGS
	mov	r1, #3
	bl	switch_to
	ldr	r0, [r5]
	bl	puthex				@ P3
	/* Y: a translation fault, then mapped without maintenance, then read. */
	ldr	r6, =Y_VA
	bl	fault_clear
	ldr	r0, [r6]
	ldr	r0, =last_fsr
	ldr	r0, [r0]
	bl	puthex				@ 0x005
	ldr	r0, =TABLE_B
	ldr	r1, =L2_Y + PAGE_TABLE
	str	r1, [r0, r6, lsr #18]
	add	r0, r0, r6, lsr #18
	mcr	p15, 0, r0, c7, c10, 1
	ldr	r0, =L2_Y
	ldr	r1, =P2 + PAGE_RAM
	str	r1, [r0]
	mcr	p15, 0, r0, c7, c10, 1
	dsb
	isb
	ldr	r0, [r6]
	bl	puthex				@ P2
	ldr	r0, =msg_nl
	bl	puts
	ldr	r0, =TABLE_A + TTB_FLAGS
	mov	r1, #1
	bl	switch_to
	pop	{r4-r6, pc}

/* Table A's X page 0 := r0 (a small-page descriptor), cleaned. */
set_xa:
	ldr	r1, =L2_XA
	str	r0, [r1]
	mcr	p15, 0, r1, c7, c10, 1
	dsb
	bx	lr

/* TTBR0 := r0 and ASID := r1, the ARMv7 way: reserved ASID 0 in between. */
switch_to:
	mov	r2, #0
	mcr	p15, 0, r2, c13, c0, 1
	isb
	mcr	p15, 0, r0, c2, c0, 0
	isb
	mcr	p15, 0, r1, c13, c0, 1
	isb
	bx	lr

/*
 * Code written and run at X + 8 KiB (by now in the section that replaced
 * X's page table); then rewritten and run again.
 */
code_checks:
	push	{r4, lr}
	ldr	r0, =msg_code
	bl	puts
	ldr	r4, =X_VA + 0x2000
	ldr	r0, =0xe12fff1e			@ bx lr
	str	r0, [r4, #4]
	ldr	r0, =0xe3a0002a			@ mov r0, #42
	str	r0, [r4]
	mcr	p15, 0, r4, c7, c11, 1		@ DCCMVAU
	dsb
	mcr	p15, 0, r0, c7, c5, 0		@ ICIALLU
	dsb
	isb
	bl	call_r4
	ldr	r0, =0xe3a00007			@ mov r0, #7
	str	r0, [r4]
	mcr	p15, 0, r4, c7, c11, 1
	dsb
	mcr	p15, 0, r4, c7, c5, 1		@ ICIMVAU
	dsb
	isb
	bl	call_r4
	ldr	r0, =msg_nl
	bl	puts
	pop	{r4, pc}

/* SVC through the high vectors, then low ones again. */
high_vectors:
	push	{r4, lr}
	mrc	p15, 0, r0, c1, c0, 0
	orr	r0, r0, #1 << 13
	mcr	p15, 0, r0, c1, c0, 0
	isb
	ldr	r4, =svc_count
	ldr	r0, [r4]
	push	{r0}
	svc	#1
	mrc	p15, 0, r0, c1, c0, 0
	bic	r0, r0, #1 << 13
	mcr	p15, 0, r0, c1, c0, 0
	isb
	ldr	r0, =msg_high
	bl	puts
	pop	{r1}
	ldr	r0, [r4]
	sub	r0, r0, r1
	bl	puthex
	ldr	r0, =msg_nl
	bl	puts
	pop	{r4, pc}

fault_clear:
	ldr	r0, =last_fsr
	mov	r1, #0
	str	r1, [r0]
	bx	lr

print_fault:
	push	{r4, lr}
	ldr	r0, =last_fsr
	ldr	r0, [r0]
	bl	puthex
	ldr	r0, =last_far
	ldr	r0, [r0]
	bl	puthex
	ldr	r0, =msg_nl
	bl	puts
	pop	{r4, pc}

/* r0 = address, r1 = bytes (a multiple of 4): zero them. */
clear:
	mov	r2, #0
1:	subs	r1, r1, #4
	str	r2, [r0, r1]
	bne	1b
	bx	lr

/* r0 = destination, r1 = source, r2 = bytes (a multiple of 4). */
copy:
1:	ldr	r3, [r1], #4
	str	r3, [r0], #4
	subs	r2, r2, #4
	bne	1b
	bx	lr

/* The tables to the point of coherency (the MMU off: by physical address). */
clean_all:
	ldr	r0, =TABLE_A
	ldr	r1, =L2_Y + 0x400
1:	mcr	p15, 0, r0, c7, c14, 1		@ DCCIMVAC
	add	r0, r0, #32
	cmp	r0, r1
	blo	1b
	dsb
	mcr	p15, 0, r0, c7, c5, 0		@ ICIALLU
	dsb
	isb
	bx	lr

/* Data abort: record DFSR (WnR, domain, status) and DFAR, skip the access. */
dabt_handler:
	push	{r0, r1}
	mrc	p15, 0, r0, c5, c0, 0
	ldr	r1, =0x8ff
	and	r0, r0, r1
	ldr	r1, =last_fsr
	str	r0, [r1]
	mrc	p15, 0, r0, c6, c0, 0
	ldr	r1, =last_far
	str	r0, [r1]
	pop	{r0, r1}
	site	REPL_SUBS_PC_LR_4, "subs pc, lr, #4"

/* Prefetch abort: record IFSR (status, no domain), resume at pabt_resume in the old mode. */
pabt_handler:
	push	{r0, r1}
	mrc	p15, 0, r0, c5, c0, 1
	ldr	r1, =0x40f
	and	r0, r0, r1
	ldr	r1, =last_ifsr
	str	r0, [r1]
	ldr	lr, =pabt_resume
	ldr	lr, [lr]
	pop	{r0, r1}
	site	REPL_SUBS_PC_LR_0, "movs pc, lr"

/* SVC: counted; returns in SVC mode (how user mode gets back to the kernel). */
svc_handler:
	push	{r0, r1}
	ldr	r0, =svc_count
	ldr	r1, [r0]
	add	r1, r1, #1
	str	r1, [r0]
	pop	{r0, r1}
	bx	lr

	guest_vectors svc=svc_handler, pabt=pabt_handler, dabt=dabt_handler

/* puts, through the UART at the address in `uart`. */
	define_puts via=uart

	define_puthex

	.ltorg
	.data
	.balign	4
uart:		.word	UART_BASE
last_fsr:	.word	0
last_far:	.word	0
last_ifsr:	.word	0
pabt_resume:	.word	0
svc_count:	.word	0
user_results:	.space	4 + 8 * 4
results:	.space	2 * 3 * 8 * 2 * 4
msg_start:	.asciz	"armkvm-guest shadow: building tables\n"
msg_on:		.asciz	"armkvm-guest shadow: MMU on, the console through a small device page\n"
msg_matrix:	.asciz	"armkvm-guest shadow: mode, domain, AP: DFSR of a read and of a write\n"
msg_kernel:	.asciz	"kernel"
msg_user:	.asciz	"user  "
msg_nl:		.asciz	"\n"
msg_exec:	.asciz	"armkvm-guest shadow: calls (r0, IFSR): executable, execute-never, kernel-only:"
msg_exec_user:	.asciz	"armkvm-guest shadow: from user mode: executable, kernel-only:"
msg_spaces:	.asciz	"armkvm-guest shadow: X in A, B, A:"
msg_remap:	.asciz	"armkvm-guest shadow: X after TLBIMVA, TLBIASID, TLBIALL, a section and TLBIMVAA:"
msg_reuse:	.asciz	"armkvm-guest shadow: B's memory reused as ASID 3: X, Y's fault, Y mapped:"
msg_code:	.asciz	"armkvm-guest shadow: code written and run, rewritten and run:"
msg_high:	.asciz	"armkvm-guest shadow: SVCs through the high vectors:"
msg_window:	.asciz	"armkvm-guest shadow: a read at 0xbf000000 (DFSR, DFAR):"
msg_done:	.asciz	"armkvm-guest shadow: done\n"
msg_unexpected:	.asciz	"armkvm-guest shadow: unexpected exception\n"
	.balign	8
	.space	1024
svc_stack:
	.space	512
abt_stack:
	.space	512
usr_stack:
