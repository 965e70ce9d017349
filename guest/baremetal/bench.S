/*
 * Benchmark guests: one loop, chosen at build time, then PSCI power-off.
 *   BENCH_CPU   ITERATIONS rounds of a register-only loop
 *   BENCH_MMIO  ITERATIONS reads of the PL011 flag register (each an MMIO exit)
 *   BENCH_HVC   ITERATIONS PSCI_VERSION calls (each a hypercall exit)
 *   BENCH_SVC   ITERATIONS SVCs to the guest's own vector and back (movs pc,
 *               lr, a site): forwarded in privileged mode, reflected and
 *               emulated in isolated mode, a system call's two crossings
 *   BENCH_TRAP  ITERATIONS reads of DACR: native in privileged mode, a
 *               trapped and emulated CP15 access in isolated mode
 *   none        power off at once (the start-up and exit cost to subtract)
 * scripts/bench.sh times whole runs in the lab; the loop body is shared with
 * the native version, tests/lab/bench-native.c.
 *   BENCH_COUNT (with one of the above) counts the loop's instructions with
 *   the PMU (INST_RETIRED, every privilege level, and without PL0) and
 *   prints both counts in hex: in privileged mode the guest owns the real
 *   PMU, so this counts everything the CPU did for the loop's exits (guest,
 *   module, host kernel, QEMU). The lab board counts exactly with -icount.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "common.inc"

	.equ	PSCI_VERSION,	0x84000000
	.equ	INST_RETIRED,	0x08
	.equ	EXCLUDE_PL0,	1 << 30		@ PMXEVTYPER.U (NSU = 0: nor non-secure PL0)

/* PMSELR = \n, then PMXEVCNTR into \reg. */
	.macro	read_counter reg, n
	mov	\reg, #\n
	mcr	p15, 0, \reg, c9, c12, 5
	isb
	mrc	p15, 0, \reg, c9, c13, 2
	.endm

	.text
	.global	_start
_start:
	armkvm_aware
	patch_sites
	ldr	sp, =stack_top
#ifdef BENCH_SVC
	set_vectors vectors
#endif
#ifdef BENCH_COUNT
	/* Counter 0: instructions at every level; counter 1: not at PL0. */
	mov	r0, #0
	mcr	p15, 0, r0, c9, c12, 5		@ PMSELR
	mov	r1, #INST_RETIRED
	mcr	p15, 0, r1, c9, c13, 1		@ PMXEVTYPER
	mov	r0, #1
	mcr	p15, 0, r0, c9, c12, 5
	orr	r1, r1, #EXCLUDE_PL0
	mcr	p15, 0, r1, c9, c13, 1
	mov	r0, #3
	mcr	p15, 0, r0, c9, c12, 1		@ PMCNTENSET
	mrc	p15, 0, r0, c9, c12, 0
	orr	r0, r0, #3			@ PMCR: E, reset event counters
	mcr	p15, 0, r0, c9, c12, 0
	isb
	read_counter r5, 0
	read_counter r6, 1
#endif
	ldr	r4, =ITERATIONS
#if defined(BENCH_CPU)
1:	subs	r4, r4, #1
	bne	1b
#elif defined(BENCH_MMIO)
	ldr	r1, =UART_BASE + UART_FR
1:	ldr	r3, [r1]
	subs	r4, r4, #1
	bne	1b
#elif defined(BENCH_HVC)
1:	ldr	r0, =PSCI_VERSION
	hvc	#0
	subs	r4, r4, #1
	bne	1b
#elif defined(BENCH_SVC)
1:	svc	#0
	subs	r4, r4, #1
	bne	1b
#elif defined(BENCH_TRAP)
1:	mrc	p15, 0, r3, c3, c0, 0		@ DACR
	subs	r4, r4, #1
	bne	1b
#endif
#ifdef BENCH_COUNT
	read_counter r7, 0
	read_counter r8, 1
	ldr	r0, =msg_count
	bl	puts
	sub	r0, r7, r5
	bl	puthex
	sub	r0, r8, r6
	bl	puthex
	ldr	r0, =msg_nl
	bl	puts
#endif
	power_off

#ifdef BENCH_SVC
svc_handler:
	site	REPL_SUBS_PC_LR_0, "movs pc, lr"
	guest_vectors svc=svc_handler
msg_unexpected:	.asciz	"bench: unexpected exception\n"
	.balign	4
#endif
#if defined(BENCH_COUNT) || defined(BENCH_SVC)
	define_puts
#endif
#ifdef BENCH_COUNT
	define_puthex
	.ltorg
	.data
msg_count:	.asciz	"count:"
msg_nl:		.asciz	"\n"
#endif
	.ltorg
	.data
	.balign	8
	.space	256
stack_top:
