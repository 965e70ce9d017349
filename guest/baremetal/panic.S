/*
 * A guest armkvm cannot run on: an undefined instruction with no vectors of
 * its own. Natively, QEMU must report it (GUEST_PANICKED) instead of guessing.
 * Under TCG the same guest takes the exception at address 0x4, where nothing
 * is mapped: it is a test of armkvm's error path, not a differential one.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "common.inc"

	.text
	.global	_start
_start:
	armkvm_aware
	ldr	r0, =message
	bl	puts
	.word	0xe7f000f0			@ udf #0
	power_off

	define_puts
	.ltorg
message:
	.asciz	"armkvm-guest panic: executing an undefined instruction without vectors\n"
	.balign	4
