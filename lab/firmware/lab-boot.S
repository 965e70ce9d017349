/*
 * The lab board's firmware: start Debian's kernel in non-secure SVC mode, the
 * way a pre-virtualization-extensions board's boot loader does.
 *
 * Why a firmware at all: with no firmware, QEMU's virt board emulates PSCI
 * over HVC at EL1, so an HVC whose r0 holds a PSCI function ID powers the
 * *board* off. Real ARMv7 CPUs without Hyp mode treat HVC as UNDEFINED, and
 * armkvm relies on that (HVC traps to the hypervisor). QEMU only stops
 * emulating PSCI when the board is secure and runs its own firmware, so the
 * lab does exactly that. The host kernel then has no PSCI: lab/run stops the
 * board itself once the command has reported its status.
 *
 * Entered at reset in secure SVC mode on every CPU. CPU 0 hands all GIC
 * interrupts to the non-secure world (group 1), lets it use VFP/NEON, and
 * leaves for the non-secure kernel with r0 = 0, r1 = ~0, r2 = the DTB.
 * Other CPUs wait forever (no PSCI, so the lab host has one CPU).
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
	.syntax	unified
	.arm
	.arch	armv7-a
	.arch_extension sec

	.equ	GICD_BASE,	0x08000000
	.equ	GICC_BASE,	0x08010000
	.equ	GICD_CTLR,	0x000
	.equ	GICD_IGROUPR,	0x080
	.equ	GICC_CTLR,	0x000
	.equ	GICC_PMR,	0x004
	.equ	KERNEL_ADDR,	0x40200000	/* where lab/run loads the zImage */
	.equ	DTB_ADDR,	0x47f00000	/* and the device tree */
	.equ	NSACR_CP10_11,	(3 << 10)
	.equ	SCR_NS_FW_AW,	0x31		/* NS, FW, AW */
	.equ	MODE_MON,	0x16
	.equ	SPSR_NS_SVC,	0x1d3		/* SVC, A, I and F masked */

	.text
	.global	_start
_start:
	mrc	p15, 0, r0, c0, c0, 5		@ MPIDR
	ands	r0, r0, #0xff
	bne	park

	ldr	r4, =GICD_BASE
	mov	r0, #0
	mvn	r1, #0
1:	add	r2, r4, #GICD_IGROUPR
	str	r1, [r2, r0, lsl #2]		@ every interrupt to group 1
	add	r0, r0, #1
	cmp	r0, #32
	blo	1b
	mov	r0, #3
	str	r0, [r4, #GICD_CTLR]
	ldr	r4, =GICC_BASE
	mov	r0, #3
	str	r0, [r4, #GICC_CTLR]
	mov	r0, #0xff
	str	r0, [r4, #GICC_PMR]

	ldr	r0, =NSACR_CP10_11
	mcr	p15, 0, r0, c1, c1, 2		@ NSACR
	cps	#MODE_MON
	mov	r0, #SCR_NS_FW_AW
	mcr	p15, 0, r0, c1, c1, 0		@ SCR: from now on, non-secure
	isb
	ldr	lr, =KERNEL_ADDR
	mov	r0, #SPSR_NS_SVC
	msr	spsr_cxsf, r0
	mov	r0, #0
	mvn	r1, #0
	ldr	r2, =DTB_ADDR
	movs	pc, lr

park:
	wfi
	b	park
	.ltorg
