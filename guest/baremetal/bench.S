/*
 * Benchmark guests: one loop, chosen at build time, then PSCI power-off.
 *   BENCH_CPU   ITERATIONS rounds of a register-only loop
 *   BENCH_MMIO  ITERATIONS reads of the PL011 flag register (each an MMIO exit)
 *   BENCH_HVC   ITERATIONS PSCI_VERSION calls (each a hypercall exit)
 *   none        power off at once (the start-up and exit cost to subtract)
 * scripts/bench.sh times whole runs in the lab; the loop body is shared with
 * the native version, tests/lab/bench-native.c.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
	.syntax unified
	.arm
	.arch armv7-a
	.arch_extension virt

	.equ	UART_FR,	0x09000018
	.equ	PSCI_VERSION,	0x84000000
	.equ	PSCI_SYSTEM_OFF, 0x84000008

	.text
	.global	_start
_start:
	ldr	r4, =ITERATIONS
#if defined(BENCH_CPU)
1:	subs	r4, r4, #1
	bne	1b
#elif defined(BENCH_MMIO)
	ldr	r1, =UART_FR
1:	ldr	r3, [r1]
	subs	r4, r4, #1
	bne	1b
#elif defined(BENCH_HVC)
1:	ldr	r0, =PSCI_VERSION
	hvc	#0
	subs	r4, r4, #1
	bne	1b
#endif
	ldr	r0, =PSCI_SYSTEM_OFF
	hvc	#0
	b	.
	.ltorg
