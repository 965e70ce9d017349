/*
 * The smallest armkvm-virt guest: say hello on the PL011, then ask PSCI to
 * power off. Exercises the console, the hypercall conduit (HVC) and the exit.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
	.syntax unified
	.arm
	.arch armv7-a
	.arch_extension virt

	.equ	UART_BASE,	0x09000000
	.equ	UART_DR,	0x00
	.equ	UART_FR,	0x18
	.equ	UART_CR,	0x30
	.equ	UART_FR_TXFF,	0x20
	.equ	UART_CR_ON,	0x301		@ UARTEN | TXE | RXE
	.equ	PSCI_SYSTEM_OFF, 0x84000008

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
	beq	off
wait:
	ldr	r3, [r1, #UART_FR]
	tst	r3, #UART_FR_TXFF
	bne	wait
	str	r0, [r1, #UART_DR]
	b	next
off:
	ldr	r0, =PSCI_SYSTEM_OFF
	hvc	#0
	b	.				@ PSCI returned: nothing else to do

message:
	.asciz	"armkvm-guest hello: console and PSCI power-off work\n"
	.balign	4
