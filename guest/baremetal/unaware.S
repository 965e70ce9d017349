/*
 * A guest that is not armkvm-aware, like any RTOS or test suite: its own
 * vectors through VBAR, interrupts masked for good while it computes. Run
 * natively it would own the host's CPU (before the marker check it froze the
 * lab host); it carries no armkvm marker, so QEMU refuses it in
 * mode=privileged and runs it under TCG in mode=auto.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "common.inc"

	.text
	.global	_start
_start:
	cpsid	if
	adr	r0, vectors
	mcr	p15, 0, r0, c12, c0, 0		@ VBAR: its own, no hypercall
	isb
	ldr	r4, =100000			@ a while with interrupts masked
1:	subs	r4, r4, #1
	bne	1b
	adr	r0, message
	bl	puts
	power_off

	.balign	32
vectors:
	.rept	8
	b	.
	.endr

	define_puts
	.ltorg
message:
	.asciz	"armkvm-guest unaware: its own vectors, interrupts masked, done\n"
	.balign	4
