/*
 * A guest that never stops: says so, unmasks interrupts and spins. The host
 * must stay responsive (physical interrupts preempt it) and a signal to QEMU
 * must end it promptly.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "common.inc"

	.text
	.global	_start
_start:
	armkvm_aware
	adr	r0, message
	bl	puts
	cpsie	if
1:	b	1b

	define_puts
	.ltorg
message:
	.asciz	"armkvm-guest spin: spinning with interrupts enabled\n"
	.balign	4
