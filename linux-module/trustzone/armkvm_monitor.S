/* SPDX-License-Identifier: GPL-2.0 */
/*
 * armkvm trustzone mode: monitor mode, the door between the host (Secure
 * world) and a guest (Non-secure world).
 *
 *   int armkvm_monitor_trip(struct armkvm_monitor_trip *t)
 *
 * Called in Secure SVC mode. Saves the host's CPSR, SP, MVBAR and SCR in *t,
 * installs armkvm_monitor_vectors as MVBAR for the trip only (the firmware's
 * comes back at the exit, so the host's own SMCs keep reaching it and this
 * code is never entered in another task's address space), masks A, I and F,
 * and in monitor mode:
 *   - sets GICC_CTLR.FIQEn: the host's interrupts (all in group 0, the Secure
 *     group) are signalled as FIQ while the guest runs;
 *   - sets SCR to NS | IRQ | FIQ | EA with FW and AW clear: FIQs, IRQs and
 *     external aborts go to monitor mode, and the Non-secure world can mask
 *     neither FIQs nor asynchronous aborts, so a guest that masks its own
 *     interrupts cannot keep the host's CPU;
 *   - returns to t->ns_pc in the Non-secure world with CPSR t->ns_cpsr.
 * Whatever brings the CPU back to monitor mode ends the trip: the vector,
 * LR and SPSR go to *t, SCR, GICC_CTLR.FIQEn and MVBAR are the host's again,
 * and the host's CPSR and SP return with the vector number.
 *
 * This is the monitor's first increment: the Non-secure world's general and
 * banked registers are not switched yet (the module's self-test runs code
 * that touches none of them).
 *
 * Copyright (c) 2026 The armkvm developers
 */
#include <linux/linkage.h>

	.arch_extension sec

#define MODE_MON		0x16
#define SCR_NS			(1 << 0)
#define SCR_IRQ			(1 << 1)
#define SCR_FIQ			(1 << 2)
#define SCR_EA			(1 << 3)
#define SCR_GUEST		(SCR_NS | SCR_IRQ | SCR_FIQ | SCR_EA)
#define GICC_CTLR_FIQEN		(1 << 3)

#define T_NS_PC			0x00
#define T_NS_CPSR		0x04
#define T_GICC_CTLR		0x08
#define T_HOST_CPSR		0x0c
#define T_HOST_SP		0x10
#define T_HOST_MVBAR		0x14
#define T_HOST_SCR		0x18
#define T_VECTOR		0x1c
#define T_LR			0x20
#define T_SPSR			0x24

	.text
	.arm
ENTRY(armkvm_monitor_trip)
	push	{r4-r12, lr}
	mrs	r1, cpsr
	str	r1, [r0, #T_HOST_CPSR]
	str	sp, [r0, #T_HOST_SP]
	mrc	p15, 0, r1, c12, c0, 1		@ MVBAR: the firmware's
	str	r1, [r0, #T_HOST_MVBAR]
	mrc	p15, 0, r1, c1, c1, 0		@ SCR
	str	r1, [r0, #T_HOST_SCR]
	cpsid	aif
	ldr	r1, =armkvm_monitor_vectors
	mcr	p15, 0, r1, c12, c0, 1
	isb
	cps	#MODE_MON
	mov	sp, r0				@ sp_mon: this trip, for the vectors
	ldr	r2, [r0, #T_GICC_CTLR]
	ldr	r1, [r2]
	orr	r1, r1, #GICC_CTLR_FIQEN
	str	r1, [r2]
	dsb
	ldr	lr, [r0, #T_NS_PC]
	ldr	r1, [r0, #T_NS_CPSR]
	msr	spsr_cxsf, r1
	mov	r1, #SCR_GUEST
	mcr	p15, 0, r1, c1, c1, 0
	isb
	movs	pc, lr
ENDPROC(armkvm_monitor_trip)

/*
 * MVBAR's low five bits are reserved: 32-byte aligned. Reset and undefined
 * are never monitor-mode exceptions from the Non-secure world; if armkvm's
 * own monitor code took one, the trip still ends with its vector number.
 */
	.align	5
ENTRY(armkvm_monitor_vectors)
	b	monitor_exit_0
	b	monitor_exit_1
	b	monitor_exit_2
	b	monitor_exit_3
	b	monitor_exit_4
	b	monitor_exit_5
	b	monitor_exit_6
	b	monitor_exit_7

	.irp	vec, 0, 1, 2, 3, 4, 5, 6, 7
monitor_exit_\vec:
	mov	r0, #\vec
	b	monitor_exit
	.endr

/* Monitor mode, sp = the trip, r0 = the vector. */
monitor_exit:
	str	r0, [sp, #T_VECTOR]
	str	lr, [sp, #T_LR]
	mrs	r1, spsr
	str	r1, [sp, #T_SPSR]
	ldr	r1, [sp, #T_HOST_SCR]
	mcr	p15, 0, r1, c1, c1, 0		@ Secure again
	isb
	ldr	r2, [sp, #T_GICC_CTLR]
	ldr	r1, [r2]
	bic	r1, r1, #GICC_CTLR_FIQEN	@ the host's interrupts are IRQs again
	str	r1, [r2]
	dsb
	ldr	r1, [sp, #T_HOST_MVBAR]
	mcr	p15, 0, r1, c12, c0, 1
	mov	r0, sp
	ldr	r1, [r0, #T_HOST_CPSR]
	msr	cpsr_cxsf, r1			@ Secure SVC, the host's A, I and F
	isb
	ldr	sp, [r0, #T_HOST_SP]
	ldr	r0, [r0, #T_VECTOR]
	pop	{r4-r12, pc}
ENDPROC(armkvm_monitor_vectors)
	.ltorg
