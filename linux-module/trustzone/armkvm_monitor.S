/* SPDX-License-Identifier: GPL-2.0 */
/*
 * armkvm trustzone mode: the world switch through monitor mode, the door
 * between the host (Secure world) and a guest (Non-secure world).
 *
 *   int armkvm_tz_switch(struct armkvm_tz_world *w)
 *
 * Called in Secure SVC mode with IRQs and FIQs masked. The worlds share the
 * general registers of every mode but monitor, and the CP15 and VFP
 * registers that are not banked (CPACR, CNTKCTL, FPEXC, FPSCR, d0-d31): the
 * switch sets the host's aside in w->host and loads the guest's from
 * w->guest, and the other way round at the exit. The virtual timer is the
 * host's tick and stays live: the guest's writes to it are recorded in
 * w->guest and undone at the exit (the guest's own timer is the Non-secure
 * physical one, banked). The Non-secure
 * CP15 bank (w->ns: translation regime, VBAR, thread IDs, fault registers)
 * is the guest's alone; monitor mode reaches it with SCR.NS set.
 *
 * MVBAR is armkvm's for the run only: the firmware's comes back at the exit,
 * so the host's own SMCs keep reaching the firmware and this code never runs
 * in another task's address space (monitor mode translates through the
 * host's tables).
 *
 * While the guest runs, the host's interrupts (all of GIC group 0) are
 * signalled as FIQ (GICC_CTLR.FIQEn, the Secure CPU interface) and SCR is
 * NS | IRQ | FIQ | EA with FW and AW clear: interrupts and external aborts
 * go to monitor mode, and the Non-secure world can mask neither FIQs nor
 * asynchronous aborts, so a guest that masks its own interrupts cannot keep
 * the host's CPU. Whatever brings the CPU to monitor mode ends the run: the
 * vector, its LR and the guest's CPSR (SPSR_mon) go to *w, and the host's
 * state comes back before the vector number is returned.
 *
 * Order matters twice. Banked registers are reached by changing mode, which
 * is only safe while SCR.NS is clear (a mode change with NS set would be one
 * into the Non-secure world, executing this code through the guest's
 * tables): they are switched in the Secure world, before NS is set and after
 * it is cleared. And the guest's CPACR may deny cp10/cp11: at the exit the
 * host's CPACR comes back before the VFP registers are touched.
 *
 * Copyright (c) 2026 The armkvm developers
 */
#include <linux/linkage.h>
#include "../armkvm_asm.h"

	.arch	armv7-a
	.fpu	vfpv3
	.arch_extension sec
	.arm
	.text

#define SCR_NS			(1 << 0)
#define SCR_IRQ			(1 << 1)
#define SCR_FIQ			(1 << 2)
#define SCR_EA			(1 << 3)
#define SCR_GUEST		(SCR_NS | SCR_IRQ | SCR_FIQ | SCR_EA)
#define GICC_CTLR_FIQEN		(1 << 3)
#define TZ_FLUSH_TLB		(1 << 0)
#define TZ_D32			(1 << 1)

/* struct armkvm_tz_regs */
#define R_USR_SP		0x34
#define R_CPACR			0x8c
#define R_FPEXC			0xa0
#define R_FPSCR			0xa4
#define R_D			0xa8
/* struct armkvm_tz_world */
#define W_GUEST			0x000
#define W_GUEST_PC		0x1a8
#define W_GUEST_CPSR		0x1ac
#define W_NS			0x1b0
#define W_HOST			0x1f8
#define W_HOST_CPSR		0x3a0
#define W_HOST_SP		0x3a4
#define W_HOST_MVBAR		0x3a8
#define W_HOST_SCR		0x3ac
#define W_GICC_CTLR		0x3b0
#define W_VECTOR		0x3b4
#define W_LR			0x3b8
#define W_FLAGS			0x3bc

/*
 * \op (save or load) the banked registers of struct armkvm_tz_regs at
 * r0 + \regs: SYS's sp and lr (user mode's), SVC, ABT, UND, IRQ, then FIQ's
 * r8-r14 and SPSR. Secure world only; r1, r2 scratch; ends in FIQ mode.
 */
	.macro	tz_banks op, regs
	add	r1, r0, #\regs + R_USR_SP
	msr	cpsr_c, #MODE_SYS | MASK_IF
	.ifc	\op, save
	str	sp, [r1], #4
	str	lr, [r1], #4
	.else
	ldr	sp, [r1], #4
	ldr	lr, [r1], #4
	.endif
	.irp	mode, MODE_SVC, MODE_ABT, MODE_UND, MODE_IRQ
	msr	cpsr_c, #\mode | MASK_IF
	\op\()_banked r1
	.endr
	msr	cpsr_c, #MODE_FIQ | MASK_IF
	.ifc	\op, save
	stmia	r1!, {r8-r12}
	.else
	ldmia	r1!, {r8-r12}
	.endif
	\op\()_banked r1
	.endm

/* CPACR, CNTKCTL, CNTV_CTL, CNTV_CVAL at r0 + \regs; r1-r5 scratch. */
	.macro	tz_common_save regs
	mrc	p15, 0, r2, c1, c0, 2		@ CPACR
	mrc	p15, 0, r3, c14, c1, 0		@ CNTKCTL
	mrc	p15, 0, r4, c14, c3, 1		@ CNTV_CTL
	add	r1, r0, #\regs + R_CPACR
	stmia	r1!, {r2-r4}
	mrrc	p15, 3, r2, r3, c14		@ CNTV_CVAL
	stmia	r1, {r2, r3}
	.endm

/*
 * CPACR and CNTKCTL at r0 + \regs, and with \cntv the virtual timer: the
 * host's tick, which stays live while the guest runs (the guest's timer is
 * its own Non-secure CNTP), so only the host's is ever loaded, stopped
 * while its compare value changes. r1-r6 scratch.
 */
	.macro	tz_common_load regs, cntv=0
	add	r1, r0, #\regs + R_CPACR
	ldmia	r1, {r2-r6}
	mcr	p15, 0, r2, c1, c0, 2		@ CPACR
	mcr	p15, 0, r3, c14, c1, 0		@ CNTKCTL
	.if	\cntv
	mov	r2, #0
	mcr	p15, 0, r2, c14, c3, 1		@ CNTV_CTL: stopped
	mcrr	p15, 3, r5, r6, c14		@ CNTV_CVAL
	mcr	p15, 0, r4, c14, c3, 1		@ CNTV_CTL
	.endif
	isb
	.endm

/* FPEXC, FPSCR, d0-d31 at r0 + \regs (d16-d31 if \flags has TZ_D32); leaves the VFP enabled. */
	.macro	tz_vfp_save regs, flags
	vmrs	r2, fpexc
	str	r2, [r0, #\regs + R_FPEXC]
	orr	r2, r2, #FPEXC_EN
	vmsr	fpexc, r2
	vmrs	r2, fpscr
	str	r2, [r0, #\regs + R_FPSCR]
	tst	\flags, #TZ_D32
	add	r1, r0, #\regs + R_D
	vstmia	r1!, {d0-d15}
	vstmiane r1, {d16-d31}
	.endm

	.macro	tz_vfp_load regs, flags
	tst	\flags, #TZ_D32
	add	r1, r0, #\regs + R_D
	vldmia	r1!, {d0-d15}
	vldmiane r1, {d16-d31}
	ldr	r2, [r0, #\regs + R_FPSCR]
	vmsr	fpscr, r2
	ldr	r2, [r0, #\regs + R_FPEXC]
	vmsr	fpexc, r2
	.endm

/* The Non-secure CP15 bank (struct armkvm_tz_ns_cp15); monitor mode, SCR.NS set. */
	.macro	tz_ns_save
	mrc	p15, 0, r1, c1, c0, 0		@ SCTLR
	mrc	p15, 0, r2, c2, c0, 0		@ TTBR0
	mrc	p15, 0, r3, c2, c0, 1		@ TTBR1
	mrc	p15, 0, r4, c2, c0, 2		@ TTBCR
	mrc	p15, 0, r5, c3, c0, 0		@ DACR
	mrc	p15, 0, r6, c10, c2, 0		@ PRRR
	mrc	p15, 0, r7, c10, c2, 1		@ NMRR
	mrc	p15, 0, r8, c13, c0, 1		@ CONTEXTIDR
	add	r0, sp, #W_NS
	stmia	r0!, {r1-r8}
	mrc	p15, 0, r1, c13, c0, 2		@ TPIDRURW
	mrc	p15, 0, r2, c13, c0, 3		@ TPIDRURO
	mrc	p15, 0, r3, c13, c0, 4		@ TPIDRPRW
	mrc	p15, 0, r4, c5, c0, 0		@ DFSR
	mrc	p15, 0, r5, c6, c0, 0		@ DFAR
	mrc	p15, 0, r6, c5, c0, 1		@ IFSR
	mrc	p15, 0, r7, c6, c0, 2		@ IFAR
	mrc	p15, 0, r8, c12, c0, 0		@ VBAR
	stmia	r0!, {r1-r8}
	mrc	p15, 0, r1, c7, c4, 0		@ PAR
	mrc	p15, 2, r2, c0, c0, 0		@ CSSELR
	stmia	r0, {r1, r2}
	.endm

	.macro	tz_ns_load
	add	r0, sp, #W_NS
	ldmia	r0!, {r1-r8}
	mcr	p15, 0, r1, c1, c0, 0		@ SCTLR
	mcr	p15, 0, r2, c2, c0, 0		@ TTBR0
	mcr	p15, 0, r3, c2, c0, 1		@ TTBR1
	mcr	p15, 0, r4, c2, c0, 2		@ TTBCR
	mcr	p15, 0, r5, c3, c0, 0		@ DACR
	mcr	p15, 0, r6, c10, c2, 0		@ PRRR
	mcr	p15, 0, r7, c10, c2, 1		@ NMRR
	mcr	p15, 0, r8, c13, c0, 1		@ CONTEXTIDR
	ldmia	r0!, {r1-r8}
	mcr	p15, 0, r1, c13, c0, 2		@ TPIDRURW
	mcr	p15, 0, r2, c13, c0, 3		@ TPIDRURO
	mcr	p15, 0, r3, c13, c0, 4		@ TPIDRPRW
	mcr	p15, 0, r4, c5, c0, 0		@ DFSR
	mcr	p15, 0, r5, c6, c0, 0		@ DFAR
	mcr	p15, 0, r6, c5, c0, 1		@ IFSR
	mcr	p15, 0, r7, c6, c0, 2		@ IFAR
	mcr	p15, 0, r8, c12, c0, 0		@ VBAR
	ldmia	r0, {r1, r2}
	mcr	p15, 0, r1, c7, c4, 0		@ PAR
	mcr	p15, 2, r2, c0, c0, 0		@ CSSELR
	.endm

/* GICC_CTLR.FIQEn: \op is orr (the host's interrupts become FIQs) or bic. */
	.macro	tz_fiqen op
	ldr	r2, [sp, #W_GICC_CTLR]
	ldr	r1, [r2]
	\op	r1, r1, #GICC_CTLR_FIQEN
	str	r1, [r2]
	dsb
	.endm

ENTRY(armkvm_tz_switch)
	push	{r4-r12, lr}
	mrs	r1, cpsr
	str	r1, [r0, #W_HOST_CPSR]
	str	sp, [r0, #W_HOST_SP]
	cpsid	aif

	/* Secure world: the banked registers (SVC's sp is no longer needed). */
	tz_banks save, W_HOST
	tz_banks load, W_GUEST
	msr	cpsr_c, #MODE_SVC | MASK_IF

	/* VFP under the host's CPACR, then the other shared CP15 registers. */
	ldr	r4, [r0, #W_FLAGS]
	tz_vfp_save W_HOST, r4
	tz_vfp_load W_GUEST, r4
	tz_common_save W_HOST
	tz_common_load W_GUEST

	/* Monitor mode, armkvm's vectors, the host's interrupts as FIQs. */
	mrc	p15, 0, r1, c12, c0, 1		@ MVBAR: the firmware's
	str	r1, [r0, #W_HOST_MVBAR]
	mrc	p15, 0, r1, c1, c1, 0		@ SCR
	str	r1, [r0, #W_HOST_SCR]
	ldr	r1, =armkvm_monitor_vectors
	mcr	p15, 0, r1, c12, c0, 1
	isb
	cps	#MODE_MON
	mov	sp, r0				@ sp_mon: this run, for the vectors
	tz_fiqen orr
	mov	r1, #SCR_GUEST
	mcr	p15, 0, r1, c1, c1, 0
	isb

	/* The Non-secure bank is the guest's; another guest's TLB entries go. */
	tz_ns_load
	ldr	r1, [sp, #W_FLAGS]
	tst	r1, #TZ_FLUSH_TLB
	mov	r1, #0
	mcrne	p15, 0, r1, c8, c7, 0		@ TLBIALL, Non-secure
	mcrne	p15, 0, r1, c7, c5, 6		@ BPIALL
	dsb
	isb

	ldr	lr, [sp, #W_GUEST_PC]
	ldr	r1, [sp, #W_GUEST_CPSR]
	msr	spsr_cxsf, r1
	ldmia	sp, {r0-r12}
	movs	pc, lr
ENDPROC(armkvm_tz_switch)

/*
 * MVBAR's low five bits are reserved: 32-byte aligned. Reset and undefined
 * are never monitor-mode exceptions from the Non-secure world; if armkvm's
 * own monitor code took one, the run still ends with its vector number.
 */
	.align	5
ENTRY(armkvm_monitor_vectors)
	.irp	vec, 0, 1, 2, 3, 4, 5, 6, 7
	b	monitor_exit_\vec
	.endr
ENDPROC(armkvm_monitor_vectors)

	.irp	vec, 0, 1, 2, 3, 4, 5, 6, 7
monitor_exit_\vec:
	stmia	sp, {r0-r12}			@ the guest's, at w->guest.r
	mov	r0, #\vec
	b	monitor_exit
	.endr

/* Monitor mode, SCR.NS set, sp = w, r0 = the vector; the guest's r0-r12 saved. */
monitor_exit:
	str	r0, [sp, #W_VECTOR]
	str	lr, [sp, #W_LR]
	mrs	r1, spsr
	str	r1, [sp, #W_GUEST_CPSR]
	tz_ns_save

	/* The Secure world again, the host's interrupts IRQs, the firmware's MVBAR. */
	ldr	r1, [sp, #W_HOST_SCR]
	mcr	p15, 0, r1, c1, c1, 0
	isb
	tz_fiqen bic
	ldr	r1, [sp, #W_HOST_MVBAR]
	mcr	p15, 0, r1, c12, c0, 1
	isb
	mov	r0, sp

	/* The host's CPACR before any VFP access, then the VFP. */
	tz_common_save W_GUEST
	tz_common_load W_HOST, cntv=1
	ldr	r4, [r0, #W_FLAGS]
	tz_vfp_save W_GUEST, r4
	tz_vfp_load W_HOST, r4

	tz_banks save, W_GUEST
	tz_banks load, W_HOST
	ldr	r1, [r0, #W_HOST_CPSR]
	msr	cpsr_cxsf, r1			@ Secure SVC, the host's A, I and F
	isb
	ldr	sp, [r0, #W_HOST_SP]
	ldr	r0, [r0, #W_VECTOR]
	pop	{r4-r12, pc}
	.ltorg

/* void armkvm_tz_read_host(struct armkvm_tz_regs *r, u32 flags): a witness, nothing changed. */
ENTRY(armkvm_tz_read_host)
	push	{r4-r12, lr}
	mrs	r12, cpsr
	mov	r11, sp
	mov	r10, r1
	cpsid	aif
	sub	r0, r0, #W_HOST			@ the macros address w->host
	tz_banks save, W_HOST
	msr	cpsr_c, #MODE_SVC | MASK_IF
	mov	sp, r11
	tz_common_save W_HOST
	tz_vfp_save W_HOST, r10
	ldr	r2, [r0, #W_HOST + R_FPEXC]
	vmsr	fpexc, r2			@ as it was
	msr	cpsr_cxsf, r12
	pop	{r4-r12, pc}
ENDPROC(armkvm_tz_read_host)
