/*
 * PSCI SYSTEM_RESET: the first boot marks RAM that reset leaves alone and asks
 * for a reset; the second boot finds the mark and powers off.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "common.inc"

	.equ	PSCI_SYSTEM_RESET, 0x84000009
	.equ	MARK_ADDR,	0x40300000	@ in RAM, outside the loaded image
	.equ	MARK,		0x52534554	@ "RSET"

	.text
	.global	_start
_start:
	armkvm_aware
	ldr	sp, =stack
	ldr	r4, =MARK_ADDR
	ldr	r5, [r4]
	ldr	r6, =MARK
	cmp	r5, r6
	beq	second

	str	r6, [r4]
	ldr	r0, =msg_first
	bl	puts
	ldr	r0, =PSCI_SYSTEM_RESET
	hvc	#0
	ldr	r0, =msg_no_reset
	bl	puts
	power_off

second:
	mov	r5, #0
	str	r5, [r4]
	ldr	r0, =msg_second
	bl	puts
	power_off

	define_puts
	.ltorg
msg_first:	.asciz	"armkvm-guest reset: first boot, asking PSCI for a reset\n"
msg_no_reset:	.asciz	"armkvm-guest reset: SYSTEM_RESET returned\n"
msg_second:	.asciz	"armkvm-guest reset: second boot after the reset\n"
	.balign	8
	.space	256
stack:
