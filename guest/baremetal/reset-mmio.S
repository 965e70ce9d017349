/*
 * Reset in the middle of a device access: each boot spins loading a device
 * register into r2, and the VMM resets the machine from outside (QMP
 * system_reset) while the vCPU is most likely inside that load. Every boot
 * must begin as the first did: same r0-r3 as QEMU's boot left them, counted
 * in RAM that reset leaves alone. A load completed after the reset would
 * show as r2 holding the device's value (and the PC one instruction on).
 * After BOOTS boots, power-off.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "common.inc"

	.equ	MARK_ADDR,	0x40300000	@ in RAM, outside the loaded image
	.equ	MARK,		0x4d524553	@ "SERM"
	.equ	BOOTS,		11

	.text
	.global	_start
_start:
	armkvm_aware
	ldr	r8, =MARK_ADDR
	ldr	r9, [r8]
	ldr	r10, =MARK
	cmp	r9, r10
	beq	again
	str	r10, [r8]			@ the first boot: its registers
	add	r9, r8, #8
	stmia	r9, {r0-r3}
	mov	r9, #0
	str	r9, [r8, #4]
	b	counted
again:
	add	r9, r8, #8
	ldmia	r9, {r4-r7}
	mov	r11, #0
	cmp	r0, r4
	addne	r11, r11, #1
	cmp	r1, r5
	addne	r11, r11, #1
	cmp	r2, r6
	addne	r11, r11, #1
	cmp	r3, r7
	addne	r11, r11, #1
	ldr	sp, =stack
	cmp	r11, #0
	beq	counted
	ldr	r0, =msg_differ
	bl	puts
	mov	r0, r2
	bl	puthex
	ldr	r0, =msg_nl
	bl	puts
counted:
	ldr	sp, =stack
	ldr	r9, [r8, #4]
	add	r9, r9, #1
	str	r9, [r8, #4]
	ldr	r0, =msg_boot
	bl	puts
	mov	r0, r9
	bl	puthex
	ldr	r0, =msg_nl
	bl	puts
	cmp	r9, #BOOTS
	bhs	done

	/* Device loads into r2 until the VMM resets the machine. */
	ldr	r4, =UART_BASE
1:	ldr	r2, [r4, #UART_FR]
	b	1b

done:
	mov	r9, #0
	str	r9, [r8]
	ldr	r0, =msg_done
	bl	puts
	power_off

	define_puts
	define_puthex
	.ltorg
msg_boot:	.asciz	"armkvm-guest reset-mmio: boot"
msg_differ:	.asciz	"armkvm-guest reset-mmio: registers differ from the first boot's, r2"
msg_done:	.asciz	"armkvm-guest reset-mmio: done\n"
msg_nl:		.asciz	"\n"
	.balign	8
	.space	256
stack:
