/*
 * A guest that scribbles on every register it can reach natively, then lets
 * the host run, ROUNDS times: the banked sp, lr and SPSR of every mode it may
 * enter, and FIQ's sp and lr (armkvm's, but Linux sets them), the CP15
 * registers a PL1 guest writes without trapping (thread IDs, CONTEXTIDR,
 * DACR, TTBR1, PRRR/NMRR, CSSELR, CPACR), ThumbEE's TEECR and TEEHBR,
 * the virtual timer and CNTKCTL,
 * the PMU's controls and event types, FPSCR and d0-d31 (not the debug
 * registers: the guest contract leaves them to the host). Each value carries
 * the register's own tag and the round number. Then, each round: an exit to
 * the VMM (an unknown hypercall), an exit served in the module (a hypercall),
 * a device access (an exit to the VMM), a trip to user mode and back by an
 * SVC that armkvm forwards to the guest's vector, and a stretch with
 * interrupts unmasked, where the host's interrupts end the run.
 *
 * tests/lab/host-state.sh runs it with mini-vmm and armkvm-hoststate.ko,
 * which records every host register that a switch changes and puts back what
 * it can. Without that module, what leaks may harm the host (CPACR.ASEDIS
 * makes NEON instructions UNDEFINED). Values chosen so that, leaked, they
 * change nothing else: CPACR keeps VFP on (the switch's own VFP code runs
 * with the guest's CPACR), the virtual timer fires within 1 ms (at worst an
 * early host tick), PMU overflow interrupts stay off, PRRR/NMRR change only
 * region 5 (not Normal
 * memory in Linux's PRRR: its NOS and cacheability bits mean nothing).
 *
 * The guest checks its own banked registers, thread IDs and CONTEXTIDR
 * after the exit to the VMM (not LR_und/SPSR_und: the hypercall itself is an
 * undefined-instruction trap) and prints how many had changed.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "common.inc"
	.fpu	vfpv3				@ VFP only: CPACR.ASEDIS is set

	.equ	ROUNDS,		3000
	.equ	WINDOW,		2000		@ loop iterations with interrupts unmasked
	.equ	MODE_USR,	0x10
	.equ	MODE_FIQ,	0x11
	.equ	MODE_IRQ,	0x12
	.equ	MODE_SVC,	0x13
	.equ	MODE_ABT,	0x17
	.equ	MODE_UND,	0x1b
	.equ	MODE_SYS,	0x1f
	.equ	PSR_AIF,	0x1c0
	.equ	VENDOR_EXIT,	0x860000ff	@ unknown to the module: the VMM's
	.equ	ARMKVM_HC_RAM_BASE, 0x86000003	@ served in the module
	.equ	F_TIMER,	1		@ what the CPU has, in r10
	.equ	F_PMU,		2
	.equ	F_D32,		8
	.equ	F_THUMBEE,	16

/*
 * Registers for the whole loop: r11 the round, r10 the features, r12 the
 * guest's own registers found changed. r0-r3 are scratch (hypercalls return
 * in r0).
 */

/* \rd = \id << 24 | round: no other register, no other round has it. */
	.macro	pat rd, id
	mov	\rd, #(\id) << 24
	orr	\rd, \rd, r11
	.endm

/* \rd = an SPSR: N Z C V = \id, GE = the round's low bits, user mode, A I F set. */
	.macro	spsr_pat rd, id
	and	\rd, r11, #0xf
	mov	\rd, \rd, lsl #16
	orr	\rd, \rd, #(\id) << 28
	orr	\rd, \rd, #PSR_AIF | MODE_USR
	.endm

/* sp, lr, SPSR of \mode from their tags; back to SVC. */
	.macro	scribble_bank mode, sp_id, lr_id, spsr_id
	cps	#\mode
	pat	r0, \sp_id
	mov	sp, r0
	pat	r0, \lr_id
	mov	lr, r0
	spsr_pat r0, \spsr_id
	msr	spsr_cxsf, r0
	cps	#MODE_SVC
	.endm

/* r12 += 1 if \reg is not pat \id (spsr_pat with \kind = spsr). Clobbers r0. */
	.macro	expect reg, id, kind=pat
	.ifc	\kind, spsr
	spsr_pat r0, \id
	.else
	pat	r0, \id
	.endif
	cmp	\reg, r0
	addne	r12, r12, #1
	.endm

/* Check sp, and lr and SPSR when their tags are given, of \mode. */
	.macro	check_bank mode, sp_id, lr_id, spsr_id
	cps	#\mode
	mov	r1, sp
	mov	r2, lr
	.ifnb	\spsr_id
	mrs	r3, spsr
	.endif
	cps	#MODE_SVC
	expect	r1, \sp_id
	.ifnb	\lr_id
	expect	r2, \lr_id
	.endif
	.ifnb	\spsr_id
	expect	r3, \spsr_id, spsr
	.endif
	.endm

	.macro	fill_d n
	mov	r1, #(0xd0 + \n) << 24
	vmov	d\n, r11, r1
	.endm

	.text
	.global	_start
_start:
	armkvm_aware
	ldr	sp, =stack_top
	set_vectors vectors

	/* What the CPU has: the host module makes the same checks. */
	mov	r10, #0
	mrc	p15, 0, r0, c0, c1, 1		@ ID_PFR1: the generic timer
	ubfx	r0, r0, #16, #4
	cmp	r0, #1
	orreq	r10, r10, #F_TIMER
	mrc	p15, 0, r0, c0, c1, 0		@ ID_PFR0: ThumbEE
	ubfx	r0, r0, #12, #4
	cmp	r0, #1
	orreq	r10, r10, #F_THUMBEE
	mrc	p15, 0, r0, c0, c1, 2		@ ID_DFR0: PMUv2 or v3
	ubfx	r0, r0, #24, #4
	cmp	r0, #2
	cmpne	r0, #3
	bne	1f
	mrc	p15, 0, r0, c9, c12, 0		@ PMCR.N: counter 1 is used
	ubfx	r0, r0, #11, #5
	cmp	r0, #2
	orrhs	r10, r10, #F_PMU
1:	mrc	p15, 0, r0, c1, c0, 2
	orr	r0, r0, #0xf << 20		@ CPACR: cp10, cp11 full access
	mcr	p15, 0, r0, c1, c0, 2
	isb
	mov	r0, #0x40000000
	vmsr	fpexc, r0			@ FPEXC.EN
	vmrs	r0, mvfr0
	and	r0, r0, #0xf
	cmp	r0, #2
	orreq	r10, r10, #F_D32
	mov	r11, #0
	mov	r12, #0

round:
	add	r11, r11, #1

	/* Interrupts unmasked for a while: the host's end the run here. */
	cpsie	i
	ldr	r0, =WINDOW
1:	subs	r0, r0, #1
	bne	1b
	cpsid	i

	/* The banked registers; SVC's last, just before the exit. */
	cps	#MODE_SYS			@ the user bank
	pat	r0, 0x50
	mov	sp, r0
	pat	r0, 0x51
	mov	lr, r0
	cps	#MODE_SVC
	scribble_bank MODE_ABT, 0x52, 0x53, 0x1
	scribble_bank MODE_UND, 0x54, 0x55, 0x2
	scribble_bank MODE_IRQ, 0x56, 0x57, 0x3
	/*
	 * FIQ mode's banked registers are armkvm's while the guest runs, and a
	 * guest may still write them as Linux's cpu_init does (its FIQ stack):
	 * the next forwarded exception must not depend on them.
	 */
	cps	#MODE_FIQ
	pat	r0, 0x5a
	mov	sp, r0
	pat	r0, 0x5b
	mov	lr, r0
	cps	#MODE_SVC

	/* CP15 a PL1 guest writes natively. */
	pat	r0, 0x60
	mcr	p15, 0, r0, c13, c0, 2		@ TPIDRURW
	pat	r0, 0x61
	mcr	p15, 0, r0, c13, c0, 3		@ TPIDRURO
	pat	r0, 0x62
	mcr	p15, 0, r0, c13, c0, 4		@ TPIDRPRW
	pat	r0, 0x63
	mcr	p15, 0, r0, c13, c0, 1		@ CONTEXTIDR
	ldr	r0, =0xd5555555			@ DACR: domain 15 manager, the rest
	mcr	p15, 0, r0, c3, c0, 0		@ clients (domain 0: RAM and the window)
	and	r0, r11, #0xff
	mov	r0, r0, lsl #14
	orr	r0, r0, #0x40000000
	mcr	p15, 0, r0, c2, c0, 1		@ TTBR1: never walked (TTBCR.N = 0)
	mrc	p15, 0, r0, c10, c2, 0		@ PRRR
	and	r1, r0, #3 << 10		@ TR5
	cmp	r1, #2 << 10			@ Normal memory? then leave it
	eorne	r0, r0, #1 << 29		@ NOS5
	mcr	p15, 0, r0, c10, c2, 0
	mrc	p15, 0, r0, c10, c2, 1		@ NMRR
	eorne	r0, r0, #1 << 10		@ IR5
	mcr	p15, 0, r0, c10, c2, 1
	and	r0, r11, #1
	add	r0, r0, #1
	mcr	p15, 2, r0, c0, c0, 0		@ CSSELR: L1 instruction or L2 cache
	tst	r10, #F_THUMBEE
	beq	1f
	pat	r0, 0x64
	mcr	p14, 6, r0, c1, c0, 0		@ TEEHBR
	mov	r0, #1
	mcr	p14, 6, r0, c0, c0, 0		@ TEECR.XED, as Linux's __v7_setup
1:	mrc	p15, 0, r0, c1, c0, 2
	orr	r0, r0, #1 << 31		@ CPACR.ASEDIS
	mcr	p15, 0, r0, c1, c0, 2
	isb

	tst	r10, #F_TIMER
	beq	1f
	mrrc	p15, 1, r0, r1, c14		@ CNTVCT
	adds	r0, r0, #0x10000		@ about 1 ms ahead
	adc	r1, r1, #0
	mcrr	p15, 3, r0, r1, c14		@ CNTV_CVAL
	mov	r0, #1
	mcr	p15, 0, r0, c14, c3, 1		@ CNTV_CTL: enabled, unmasked
	mov	r0, #0
	mcr	p15, 0, r0, c14, c1, 0		@ CNTKCTL: no PL0 access
1:
	tst	r10, #F_PMU
	beq	1f
	mov	r0, #1
	mcr	p15, 0, r0, c9, c12, 5		@ PMSELR: counter 1
	tst	r11, #1
	moveq	r0, #0x08			@ instructions
	movne	r0, #0x11			@ cycles
	mcr	p15, 0, r0, c9, c13, 1		@ PMXEVTYPER1
	mov	r0, #1
	mcr	p15, 0, r0, c9, c14, 0		@ PMUSERENR.EN
	ldr	r0, =(1 << 31) | (1 << 1)
	mcr	p15, 0, r0, c9, c12, 1		@ PMCNTENSET: cycles, counter 1
	mrc	p15, 0, r0, c9, c12, 0
	orr	r0, r0, #0x9
	mcr	p15, 0, r0, c9, c12, 0		@ PMCR.E, PMCR.D
1:
	/* VFP: FPSCR flags from the round, round to zero, flush to zero, default NaN. */
	and	r0, r11, #0xf
	mov	r0, r0, lsl #28
	orr	r0, r0, #0x03c00000
	vmsr	fpscr, r0
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	fill_d	\n
	.endr
	tst	r10, #F_D32
	beq	1f
	.irp	n, 16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fill_d	\n
	.endr
1:
	pat	r0, 0x58
	mov	sp, r0
	pat	r0, 0x59
	mov	lr, r0
	spsr_pat r0, 0x4
	msr	spsr_cxsf, r0

	/* An exit to the VMM. */
	ldr	r0, =VENDOR_EXIT
	hvc	#0

	/* Ours, as we left them? */
	check_bank MODE_SVC, 0x58, 0x59, 0x4
	check_bank MODE_SYS, 0x50, 0x51
	check_bank MODE_ABT, 0x52, 0x53, 0x1
	check_bank MODE_UND, 0x54
	check_bank MODE_IRQ, 0x56, 0x57, 0x3
	mrc	p15, 0, r1, c13, c0, 2
	expect	r1, 0x60
	mrc	p15, 0, r1, c13, c0, 3
	expect	r1, 0x61
	mrc	p15, 0, r1, c13, c0, 4
	expect	r1, 0x62
	mrc	p15, 0, r1, c13, c0, 1
	expect	r1, 0x63

	/* A hypercall the module serves, and a device access (the VMM's). */
	ldr	r0, =ARMKVM_HC_RAM_BASE
	hvc	#0
	ldr	r1, =UART_BASE
	ldr	r0, [r1, #UART_FR]

	/* User mode, and back by an SVC forwarded to our vector. */
	adr	r0, user
	mov	r1, #PSR_AIF | MODE_USR
	msr	spsr_cxsf, r1
	movs	pc, r0
user:
	pat	r0, 0x64
	mcr	p15, 0, r0, c13, c0, 2		@ TPIDRURW, from user mode
	svc	#0
	b	unexpected

svc_handler:
	ldr	r0, =ROUNDS
	cmp	r11, r0
	blo	round

	ldr	sp, =stack_top
	ldr	r0, =msg_rounds
	bl	puts
	mov	r0, r11
	bl	puthex
	ldr	r0, =msg_changed
	bl	puts
	mov	r0, r12
	bl	puthex
	ldr	r0, =msg_newline
	bl	puts
	power_off

	guest_vectors svc=svc_handler

	define_puthex

	define_puts
	.ltorg
	.data
msg_rounds:	.asciz	"armkvm-guest scribble: rounds"
msg_changed:	.asciz	", own registers found changed after exits"
msg_newline:	.asciz	"\n"
msg_unexpected:	.asciz	"armkvm-guest scribble: unexpected exception\n"
	.balign	8
	.space	1024
stack_top:
