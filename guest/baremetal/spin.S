/*
 * A guest that never stops: says so, unmasks interrupts and spins. The host
 * must stay responsive (physical interrupts preempt it) and a signal to QEMU
 * must end it promptly.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
	.syntax unified
	.arm
	.arch armv7-a

	.equ	UART_BASE,	0x09000000
	.equ	UART_DR,	0x00
	.equ	UART_FR,	0x18
	.equ	UART_CR,	0x30
	.equ	UART_FR_TXFF,	0x20
	.equ	UART_CR_ON,	0x301

	.text
	.global	_start
_start:
	ldr	r1, =UART_BASE
	ldr	r0, =UART_CR_ON
	str	r0, [r1, #UART_CR]
	adr	r2, message
next:
	ldrb	r0, [r2], #1
	cmp	r0, #0
	beq	spin
wait:
	ldr	r3, [r1, #UART_FR]
	tst	r3, #UART_FR_TXFF
	bne	wait
	str	r0, [r1, #UART_DR]
	b	next
spin:
	cpsie	if
1:	b	1b

message:
	.asciz	"armkvm-guest spin: spinning with interrupts enabled\n"
	.balign	4
