/*
 * The lab board's firmware: start Debian's kernel in non-secure SVC mode, the
 * way a pre-virtualization-extensions board's boot loader and secure monitor
 * do, and serve the kernel's PSCI calls over SMC.
 *
 * Why a firmware at all: with no firmware, QEMU's virt board emulates PSCI
 * over HVC at EL1, so an HVC whose r0 holds a PSCI function ID powers the
 * *board* off. Real ARMv7 CPUs without Hyp mode treat HVC as UNDEFINED, and
 * armkvm relies on that (HVC traps to the hypervisor). QEMU only stops
 * emulating PSCI when the board is secure and runs its own firmware, so the
 * lab does exactly that, and PSCI moves to SMC, where real firmware has it.
 *
 * Every CPU enters here at reset, in secure SVC mode. Each hands its banked
 * GIC state to the non-secure world (group 1), lets it use VFP/NEON and sets
 * up monitor mode. CPU 0 does the same for the shared GIC state and enters
 * the kernel (r0 = 0, r1 = ~0, r2 = the device tree); the others wait for
 * PSCI CPU_ON. PSCI here: VERSION (0.2), CPU_ON, MIGRATE_INFO_TYPE,
 * SYSTEM_OFF and SYSTEM_RESET (both stop the CPU: lab/run ends the board).
 *
 * lab-boot-secure.bin (LAB_SECURE_HOST, lab/run --secure-host) is the board
 * of armkvm's trustzone mode: the kernel stays in the Secure world, in secure
 * SVC mode, the way boards whose boot loader never leaves it start Linux.
 * Every interrupt stays in group 0, the Secure group, which the Non-secure
 * world can neither see nor reconfigure; the kernel's GIC driver enables it
 * and takes it as IRQ. VFP/NEON stay open to the Non-secure world (NSACR),
 * where guests run. There is no PSCI for that kernel: once its MMU is on,
 * monitor mode runs on its Secure translation tables, where this code is not
 * mapped, so the board is one CPU and the device tree has no /psci node
 * (lab/run); armkvm's module brings the monitor vectors it needs.
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
	.equ	MAILBOX,	0x0e000100	/* secure RAM: entry, context per CPU */
	.equ	NSACR_CP10_11,	(3 << 10)
	.equ	MODE_MON,	0x16
#ifdef LAB_ENTER_HYP
/*
 * lab-boot-hyp.bin (lab/run --hyp, a board with virtualization extensions):
 * the kernel starts in non-secure Hyp mode, as on a board whose boot loader
 * gives Linux Hyp mode for KVM; armkvm must refuse to load there.
 */
	.equ	SCR_NS_FW_AW,	0x131		/* NS, FW, AW, HCE */
	.equ	SPSR_NS_SVC,	0x1da		/* Hyp, A, I and F masked */
#else
	.equ	SCR_NS_FW_AW,	0x31		/* NS, FW, AW */
	.equ	SPSR_NS_SVC,	0x1d3		/* SVC, A, I and F masked */
#endif

	.equ	PSCI_VERSION,		0x84000000
	.equ	PSCI_CPU_ON,		0x84000003
	.equ	PSCI_MIGRATE_INFO_TYPE,	0x84000006
	.equ	PSCI_SYSTEM_OFF,	0x84000008
	.equ	PSCI_SYSTEM_RESET,	0x84000009

	.text
	.global	_start
_start:
#ifndef LAB_SECURE_HOST
	/* This CPU's banked GIC state: SGIs and PPIs to group 1, CPU interface on. */
	ldr	r4, =GICD_BASE
	mvn	r1, #0
	str	r1, [r4, #GICD_IGROUPR]
	ldr	r4, =GICC_BASE
	mov	r0, #3
	str	r0, [r4, #GICC_CTLR]
	mov	r0, #0xff
	str	r0, [r4, #GICC_PMR]
#endif

	ldr	r0, =NSACR_CP10_11
	mcr	p15, 0, r0, c1, c1, 2		@ NSACR
#ifndef LAB_SECURE_HOST
	adr	r0, monitor_vectors
	mcr	p15, 0, r0, c12, c0, 1		@ MVBAR
	cps	#MODE_MON
	ldr	sp, =MAILBOX			@ the SMC handler's base register
	cps	#0x13
#endif

	mrc	p15, 0, r5, c0, c0, 5		@ MPIDR
	and	r5, r5, #0xff
	cmp	r5, #0
	bne	secondary

#ifndef LAB_SECURE_HOST
	/* CPU 0: the shared interrupts to group 1, the distributor on. */
	ldr	r4, =GICD_BASE
	mov	r0, #1
1:	add	r2, r4, #GICD_IGROUPR
	str	r1, [r2, r0, lsl #2]
	add	r0, r0, #1
	cmp	r0, #32
	blo	1b
	mov	r0, #3
	str	r0, [r4, #GICD_CTLR]
#endif
	ldr	r4, =KERNEL_ADDR
	mov	r0, #0
	ldr	r2, =DTB_ADDR
	b	enter_kernel

secondary:
	ldr	r4, =MAILBOX
	add	r4, r4, r5, lsl #3
2:	wfe
	ldr	r0, [r4, #4]			@ PSCI context_id
	ldr	r4, [r4]
	cmp	r4, #0
	beq	secondary
	mov	r2, #0

/* Enter the kernel at r4 with r0 and r2 as given, r1 = ~0. */
enter_kernel:
	mvn	r1, #0
#ifdef LAB_SECURE_HOST
	mov	r3, #0
	bx	r4				@ secure SVC, A, I and F masked since reset
#else
	cps	#MODE_MON
	mov	lr, r4
	mov	r3, #SCR_NS_FW_AW
	mcr	p15, 0, r3, c1, c1, 0		@ SCR: from now on, non-secure
	isb
	mov	r3, #SPSR_NS_SVC
	msr	spsr_cxsf, r3
	mov	r3, #0
	movs	pc, lr
#endif

	.balign	32
monitor_vectors:
	b	.
	b	.
	b	smc_handler
	b	.
	b	.
	b	.
	b	.
	b	.

/* Monitor mode; r0 = function, r1-r3 = arguments; sp = MAILBOX, the word below it scratch. */
smc_handler:
	str	r3, [sp, #-4]
	ldr	r3, =PSCI_CPU_ON
	cmp	r0, r3
	beq	cpu_on
	ldr	r3, =PSCI_VERSION
	cmp	r0, r3
	moveq	r0, #2				@ PSCI 0.2
	beq	smc_return
	ldr	r3, =PSCI_MIGRATE_INFO_TYPE
	cmp	r0, r3
	moveq	r0, #2				@ no trusted OS
	beq	smc_return
	ldr	r3, =PSCI_SYSTEM_OFF
	cmp	r0, r3
	ldrne	r3, =PSCI_SYSTEM_RESET
	cmpne	r0, r3
	beq	halt
	mvn	r0, #0				@ NOT_SUPPORTED
smc_return:
	movs	pc, lr

cpu_on:
	and	r1, r1, #0xff			@ target's Aff0
	add	r1, sp, r1, lsl #3
	ldr	r3, [sp, #-4]			@ context_id
	str	r3, [r1, #4]
	dsb
	str	r2, [r1]			@ the entry point last: it releases the CPU
	dsb
	sev
	mov	r0, #0				@ SUCCESS
	movs	pc, lr

halt:
	wfi
	b	halt
	.ltorg
