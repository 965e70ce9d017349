/* SPDX-License-Identifier: GPL-2.0 */
/*
 * armkvm: the privileged-mode world switch (ARMv7-A, no virtualization extensions).
 *
 * Contract with the C side (struct armkvm_switch in armkvm_internal.h; offsets generated
 * by armkvm_offsets.c, which also asserts the layout the block moves need):
 *
 *   int armkvm_world_switch(struct armkvm_switch *sw)
 *
 *   Called in SVC mode with IRQs and FIQs masked. Saves the host's callee-saved
 *   registers, banked ABT/UND/IRQ/FIQ registers and CP15 state, loads the
 *   CP15 registers the guest owns from sw->hw_live (translation tables, DACR,
 *   memory attributes, context and thread IDs, fault registers), the guest's
 *   physical timer and CNTKCTL (if sw->has_gtimer), and armkvm's vectors
 *   (VBAR, SCTLR.V=0), flushes the TLB and branch predictor, loads the guest's
 *   registers and returns to the guest. Guest exceptions that armkvm_forward
 *   may forward go straight on to the guest's vectors. Any other exception
 *   the CPU takes while the guest runs leaves through armkvm_exit, which
 *   saves the guest's registers into sw->guest and its CP15 registers into
 *   sw->hw_live, saves and stops its timer, records the vector (ARMKVM_VEC_*) and
 *   the exception's LR, restores the host exactly and returns the vector
 *   number to the caller.
 *
 *   Only the module area (0xbf000000-0xbfffffff, where this code and *sw
 *   live: the caller passes its per-CPU passage in the module's .bss) is
 *   touched while the guest's table is live; the caller has put the host's
 *   entries for it in that table and stored sw in this CPU's slot of
 *   armkvm_running (armkvm_cpu_slot.h: from MPIDR, the one per-CPU value a
 *   privileged guest cannot change; Linux sets sp_fiq in cpu_init).
 *
 *   Host state the guest could change natively and the host relies on comes
 *   back exactly: besides the above, SPSR_svc, sp_usr and lr_usr, CPACR (a
 *   guest closing cp10/cp11 would break the host's VFP), CSSELR, ACTLR
 *   (written back only if the guest changed it: writing it may be UNDEFINED
 *   in the non-secure world), the host's virtual timer (CNTV_CTL, CNTV_CVAL:
 *   its tick, written back only if the guest changed it) and PMU
 *   (PMUSERENR, the interrupt-enable set and PMCR's modes always; PMCR.E,
 *   PMSELR, the enable set and the enabled counters' event types when the
 *   host runs counters). Not switched, and so part of the guest contract
 *   (docs/modes.md): the PMU's counts and overflow flags, and the debug
 *   registers.
 *
 *   Physical FIQs stay with the host: the guest is entered with CPSR.F clear
 *   whatever its own F bit (a privileged guest that masks FIQs natively
 *   masks them until its next exit).
 *
 *   FIQ mode's banked registers belong to armkvm while a guest runs: the
 *   vectors need scratch registers that the guest cannot own, and a
 *   privileged-mode guest never gets FIQs (physical FIQs stay with the host).
 *   VFP: the hardware's VFP registers (whoever owns them in the host's lazy
 *   scheme) are set aside in sw->host_d and come back exactly; the guest's
 *   FPEXC, FPSCR and d0-d31 live in sw while it does not run.
 */
#include <linux/linkage.h>
#include <asm/assembler.h>

#define MODE_USR	0x10
#define MODE_FIQ	0x11
#define MODE_IRQ	0x12
#define MODE_SVC	0x13
#define MODE_ABT	0x17
#define MODE_UND	0x1b
#define MASK_IF		0xc0

/* SW_*: offsets into struct armkvm_switch, generated from armkvm_offsets.c. */
#include "armkvm-offsets.h"

#define SCTLR_V		(1 << 13)
#define FPEXC_EN	(1 << 30)
#define PMCR_E		(1 << 0)
#define FWD_BUDGET	4096	/* forwarded exceptions per entry, then an exit */
#define PSR_A		(1 << 8)
#define PSR_I		(1 << 7)
#define PSR_F		(1 << 6)

	.arch	armv7-a
	.fpu	vfpv3
	.arm
	.text

/* Save sp, lr, spsr of the current mode at \ptr, advancing it. */
	.macro	save_banked ptr
	str	sp, [\ptr], #4
	str	lr, [\ptr], #4
	mrs	r2, spsr
	str	r2, [\ptr], #4
	.endm

	.macro	load_banked ptr
	ldr	sp, [\ptr], #4
	ldr	lr, [\ptr], #4
	ldr	r2, [\ptr], #4
	msr	spsr_cxsf, r2
	.endm

/* Store d0-d31 at \base + \save, load them from \base + \load (d16-d31 if present). */
	.macro	vfp_swap base, save, load
	ldr	r3, [\base, #SW_VFP_D32]
	cmp	r3, #0
	add	r1, \base, #\save
	vstmia	r1!, {d0-d15}
	vstmiane r1, {d16-d31}
	add	r1, \base, #\load
	vldmia	r1!, {d0-d15}
	vldmiane r1, {d16-d31}
	.endm

	.macro	flush_translation tmp
	isb
	mov	\tmp, #0
	mcr	p15, 0, \tmp, c8, c7, 0		@ TLBIALL
	mcr	p15, 0, \tmp, c7, c5, 6		@ BPIALL
	dsb
	isb
	.endm

/* \op (save_banked or load_banked) for ABT, UND and IRQ mode in turn, at \ptr. */
	.macro	exception_modes op, ptr
	msr	cpsr_c, #MODE_ABT | MASK_IF
	\op	\ptr
	msr	cpsr_c, #MODE_UND | MASK_IF
	\op	\ptr
	msr	cpsr_c, #MODE_IRQ | MASK_IF
	\op	\ptr
	.endm

/* r = this CPU's slot in armkvm_running: Aff1[3:0]:Aff0[3:0], as armkvm_cpu_slot(). */
	.macro	this_cpu_slot r, tmp
	mrc	p15, 0, \tmp, c0, c0, 5		@ MPIDR
	and	\r, \tmp, #0xf00
	and	\tmp, \tmp, #0xf
	orr	\tmp, \tmp, \r, lsr #4
	ldr	\r, =armkvm_running
	add	\r, \r, \tmp, lsl #2
	.endm

/*
 * The event type of every event counter set in \mask (clobbered; the cycle
 * counter, bit 31, has none) to (save) or from (load) the array at \base.
 */
	.macro	pmu_evtypers op, mask, base, idx, val
	bic	\mask, \mask, #1 << 31
	mov	\idx, #0
9:	movs	\mask, \mask, lsr #1		@ C: this counter; Z: none left
	bcc	8f
	mcr	p15, 0, \idx, c9, c12, 5		@ PMSELR
	isb
	.ifc	\op, save
	mrc	p15, 0, \val, c9, c13, 1		@ PMXEVTYPER
	str	\val, [\base, \idx, lsl #2]
	.else
	ldr	\val, [\base, \idx, lsl #2]
	mcr	p15, 0, \val, c9, c13, 1
	.endif
8:	add	\idx, \idx, #1
	bne	9b
	.endm

ENTRY(armkvm_world_switch)
	push	{r4-r12, lr}
	str	sp, [r0, #SW_HOST_SP]
	mrs	r2, cpsr
	str	r2, [r0, #SW_HOST_CPSR]
	cpsid	a			@ no asynchronous abort inside the switch (restored on return)

	/* The host's banked registers of the modes the guest will use. */
	add	r1, r0, #SW_HOST_BANKED
	exception_modes save_banked, r1
	msr	cpsr_c, #MODE_FIQ | MASK_IF
	stmia	r1!, {r8-r12}
	save_banked r1
	msr	cpsr_c, #MODE_SVC | MASK_IF

	/* The host's MMU and thread state. */
	mrc	p15, 0, r2, c2, c0, 0		@ TTBR0
	mrc	p15, 0, r3, c2, c0, 2		@ TTBCR
	mrc	p15, 0, r4, c3, c0, 0		@ DACR
	mrc	p15, 0, r5, c12, c0, 0		@ VBAR
	mrc	p15, 0, r6, c1, c0, 0		@ SCTLR
	mrc	p15, 0, r7, c13, c0, 1		@ CONTEXTIDR
	mrc	p15, 0, r8, c13, c0, 4		@ TPIDRPRW
	mrc	p15, 0, r9, c13, c0, 2		@ TPIDRURW
	mrc	p15, 0, r10, c13, c0, 3		@ TPIDRURO
	vmrs	r11, fpexc
	add	r1, r0, #SW_HOST_CP15
	stmia	r1!, {r2-r11}
	mrc	p15, 0, r2, c2, c0, 1		@ TTBR1
	mrc	p15, 0, r3, c10, c2, 0		@ PRRR
	mrc	p15, 0, r4, c10, c2, 1		@ NMRR
	stmia	r1, {r2-r4}
	add	r1, r0, #SW_HOST_EXTRA
	mrs	r2, spsr
	str	r2, [r1], #4
	stmia	r1, {sp, lr}^			@ sp_usr, lr_usr
	nop
	add	r1, r1, #8
	mrc	p15, 0, r2, c1, c0, 2		@ CPACR
	mrc	p15, 2, r3, c0, c0, 0		@ CSSELR
	mrc	p15, 0, r4, c1, c0, 1		@ ACTLR
	stmia	r1, {r2-r4}

	/* The host's PMU: its controls, and the event types of the counters it runs. */
	ldr	r2, [r0, #SW_HAS_PMU]
	cmp	r2, #0
	beq	1f
	mrc	p15, 0, r2, c9, c12, 0		@ PMCR
	mrc	p15, 0, r3, c9, c12, 5		@ PMSELR
	mrc	p15, 0, r4, c9, c12, 1		@ PMCNTENSET
	mrc	p15, 0, r5, c9, c14, 1		@ PMINTENSET
	mrc	p15, 0, r6, c9, c14, 0		@ PMUSERENR
	add	r1, r0, #SW_HOST_PMU
	stmia	r1, {r2-r6}
	add	r1, r0, #SW_HOST_PMEVTYPER
	pmu_evtypers save, r4, r1, r2, r3
1:

	/* VFP: set the hardware's registers aside, load the guest's. */
	orr	r11, r11, #FPEXC_EN
	vmsr	fpexc, r11
	vmrs	r2, fpscr
	str	r2, [r0, #SW_HOST_FPSCR]
	vfp_swap r0, SW_HOST_D, SW_GUEST_D
	ldr	r2, [r0, #SW_GUEST_FPSCR]
	vmsr	fpscr, r2
	ldr	r2, [r0, #SW_GUEST_FPEXC]
	vmsr	fpexc, r2

	/* The guest's CP15 state and armkvm's vectors. */
	add	r1, r0, #SW_HW_LIVE
	ldmia	r1!, {r2-r11}
	mcr	p15, 0, r2, c2, c0, 0		@ TTBR0
	mcr	p15, 0, r3, c2, c0, 1		@ TTBR1
	mcr	p15, 0, r4, c2, c0, 2		@ TTBCR
	mcr	p15, 0, r5, c3, c0, 0		@ DACR
	mcr	p15, 0, r6, c10, c2, 0		@ PRRR
	mcr	p15, 0, r7, c10, c2, 1		@ NMRR
	mcr	p15, 0, r8, c13, c0, 1		@ CONTEXTIDR
	mcr	p15, 0, r9, c13, c0, 2		@ TPIDRURW
	mcr	p15, 0, r10, c13, c0, 3		@ TPIDRURO
	mcr	p15, 0, r11, c13, c0, 4		@ TPIDRPRW
	ldmia	r1, {r2-r5}
	mcr	p15, 0, r2, c5, c0, 0		@ DFSR
	mcr	p15, 0, r3, c6, c0, 0		@ DFAR
	mcr	p15, 0, r4, c5, c0, 1		@ IFSR
	mcr	p15, 0, r5, c6, c0, 2		@ IFAR
	ldr	r2, [r0, #SW_HAS_GTIMER]
	cmp	r2, #0
	beq	1f
	mrc	p15, 0, r2, c14, c1, 0		@ CNTKCTL: the host's
	str	r2, [r0, #SW_HOST_CNTKCTL]
	mrc	p15, 0, r2, c14, c3, 1		@ CNTV_CTL: the host's tick
	mrrc	p15, 3, r3, r4, c14		@ CNTV_CVAL
	add	r1, r0, #SW_HOST_CNTV
	stmia	r1, {r2-r4}
	add	r1, r0, #SW_GUEST_CNTP
	ldmia	r1, {r2-r5}
	mcr	p15, 0, r5, c14, c1, 0		@ CNTKCTL
	mcrr	p15, 2, r3, r4, c14		@ CNTP_CVAL, then CNTP_CTL
	mcr	p15, 0, r2, c14, c2, 1
1:	ldr	r6, [r0, #SW_HOST_CP15 + 16]	@ the host's SCTLR
	adr	r5, armkvm_vectors
	mcr	p15, 0, r5, c12, c0, 0		@ VBAR
	bic	r6, r6, #SCTLR_V
	mcr	p15, 0, r6, c1, c0, 0		@ SCTLR: vectors at VBAR
	flush_translation r3

	/* The guest's banked registers. */
	add	r1, r0, #SW_SVC
	load_banked r1				@ SVC: our sp is no longer needed
	exception_modes load_banked, r1

	/* Enter the guest from FIQ mode, whose r8-r14 are ours. */
	msr	cpsr_c, #MODE_FIQ | MASK_IF
	mov	r8, r0
	ldr	lr, [r8, #SW_PC]
	ldr	r2, [r8, #SW_CPSR]
	bic	r2, r2, #PSR_F			@ physical FIQs reach the host
	msr	spsr_cxsf, r2
	add	r9, r8, #SW_R8
	ldmia	r9, {r8-r14}^			@ the guest's r8-r12, sp_usr, lr_usr
	nop
	ldmia	r8, {r0-r7}
	movs	pc, lr
ENDPROC(armkvm_world_switch)

	.ltorg

/*
 * Vector table: 32-byte aligned for VBAR. IRQ, FIQ and reset leave the guest.
 * The guest's own exceptions (UND, SVC, aborts) first try the fast path: the
 * CPU has already done what taking them in the guest means (its mode, LR,
 * SPSR, fault registers), so armkvm_forward only needs to branch to the
 * guest's vector, unless the exception is armkvm's (a hypercall, a device
 * access) or the guest has no vectors yet.
 */
	.align	5
ENTRY(armkvm_vectors)
	b	armkvm_vec_reset
	b	armkvm_vec_und
	b	armkvm_vec_svc
	b	armkvm_vec_pabt
	b	armkvm_vec_dabt
	b	armkvm_vec_reset
	b	armkvm_vec_irq
	b	armkvm_vec_fiq

	.macro	vector name, number
armkvm_vec_\name:
	msr	cpsr_c, #MODE_FIQ | MASK_IF
	mov	r8, #\number
	b	armkvm_exit
	.endm

	vector	reset, 0
	vector	irq, 6
	vector	fiq, 7

/* A guest exception: on to FIQ mode, whose r8-r14 are ours; LR and SPSR stay banked. */
	.macro	guest_vector name, number
armkvm_vec_\name:
	cpsid	aif, #MODE_FIQ
	mov	r8, #\number
	b	armkvm_forward
	.endm

	guest_vector und, 1
	guest_vector svc, 2
	guest_vector pabt, 3
	guest_vector dabt, 4

/* The exception mode of each vector, with IRQs and FIQs masked. */
armkvm_vector_mode:
	.byte	MODE_SVC | MASK_IF, MODE_UND | MASK_IF, MODE_SVC | MASK_IF
	.byte	MODE_ABT | MASK_IF, MODE_ABT | MASK_IF, MODE_SVC | MASK_IF
	.byte	MODE_IRQ | MASK_IF, MODE_FIQ | MASK_IF
	.align	2

/* What taking UND, SVC, PABT, DABT sets in CPSR (A for aborts); F stays the guest's. */
armkvm_entry_psr:
	.word	0, MODE_UND | PSR_I, MODE_SVC | PSR_I
	.word	MODE_ABT | PSR_I | PSR_A, MODE_ABT | PSR_I | PSR_A

/*
 * FIQ mode, r8 = vector. Forward the exception to the guest's vector when
 * sw->fwd_vectors allows it and it is the guest's; otherwise leave through
 * armkvm_exit_sw (r9 = sw). Every guest register but r8_fiq-r14_fiq is as
 * it was.
 */
armkvm_forward:
	this_cpu_slot r10, r9
	ldr	r9, [r10]			@ sw
	ldr	r10, [r9, #SW_FWD_VECTORS]
	mov	r11, #1
	tst	r10, r11, lsl r8
	beq	armkvm_exit_sw
	ldr	lr, [r9, #SW_FORWARDED]		@ lr: exceptions forwarded since entry
	cmp	lr, #FWD_BUDGET
	bhs	armkvm_exit_sw
	/* The exception's LR and SPSR from its mode, through the guest's r0, r1 (kept). */
	mov	r10, r0
	mov	r11, r1
	adr	r12, armkvm_vector_mode
	ldrb	r12, [r12, r8]
	msr	cpsr_c, r12
	mov	r0, lr
	mrs	r1, spsr
	msr	cpsr_c, #MODE_FIQ | MASK_IF
	mov	sp, r0				@ sp: the exception's return address
	mov	r12, r1				@ r12: the CPSR the exception interrupted
	mov	r0, r10
	mov	r1, r11
	and	r10, r12, #0x1f
	cmp	r10, #MODE_FIQ			@ taken in FIQ mode: in armkvm's own code
	beq	armkvm_exit_sw
	cmp	r8, #4				@ DABT: a domain fault is a device access
	bne	1f
	mrc	p15, 0, r10, c5, c0, 0		@ DFSR
	tst	r10, #1 << 10			@ FS[4]
	bne	3f
	and	r11, r10, #0xf
	cmp	r11, #0x9
	cmpne	r11, #0xb
	beq	armkvm_exit_sw
3:	mrc	p15, 0, r11, c6, c0, 0		@ DFAR
	str	r10, [r9, #SW_GUEST_DFSR]	@ the guest's own abort: its fault registers
	str	r11, [r9, #SW_GUEST_DFSR + 4]
	b	2f
1:	cmp	r8, #3				@ PABT
	bne	4f
	mrc	p15, 0, r10, c5, c0, 1		@ IFSR
	mrc	p15, 0, r11, c6, c0, 2		@ IFAR
	str	r10, [r9, #SW_GUEST_DFSR + 8]
	str	r11, [r9, #SW_GUEST_DFSR + 12]
	b	2f
4:	cmp	r8, #1				@ UND: an ARM-state HVC at PL1 is a hypercall
	bne	2f
	tst	r12, #PSR_T_BIT			@ Thumb, or user mode: the guest's to handle
	bne	2f
	and	r10, r12, #0x1f
	cmp	r10, #MODE_USR
	beq	2f
	ldr	r10, [sp, #-4]			@ the instruction, just fetched from there
	ldr	r11, =0xfff000f0
	and	r10, r10, r11
	ldr	r11, =0xe1400070
	cmp	r10, r11
	beq	armkvm_exit_sw
2:	bic	r10, r12, #0x3f			@ mode, T
	bic	r10, r10, #0xfe00		@ IT[7:2], E
	bic	r10, r10, #0x07000000		@ IT[1:0], J
	adr	r11, armkvm_entry_psr
	ldr	r11, [r11, r8, lsl #2]
	orr	r10, r10, r11
	msr	spsr_cxsf, r10
	add	lr, lr, #1
	str	lr, [r9, #SW_FORWARDED]
	ldr	lr, [r9, #SW_FWD_VBAR]
	add	lr, lr, r8, lsl #2
	movs	pc, lr				@ the guest's vector, in the exception's mode

	.ltorg

/*
 * FIQ mode, r8 = vector. Every guest register but r8_fiq-r14_fiq is untouched.
 * armkvm_forward, which has found sw already, enters at armkvm_exit_sw.
 */
armkvm_exit:
	this_cpu_slot r10, r9
	ldr	r9, [r10]			@ sw
armkvm_exit_sw:
	stmia	r9, {r0-r7}
	add	r10, r9, #SW_R8
	stmia	r10, {r8-r14}^			@ the guest's r8-r12, sp_usr, lr_usr
	nop
	str	r8, [r9, #SW_EXIT_VECTOR]

	/* The exception's return address and the guest's CPSR, from its mode. */
	adr	r1, armkvm_vector_mode
	ldrb	r0, [r1, r8]
	msr	cpsr_c, r0
	mov	r1, lr
	mrs	r2, spsr
	msr	cpsr_c, #MODE_FIQ | MASK_IF
	str	r1, [r9, #SW_EXIT_LR]
	str	r2, [r9, #SW_CPSR]

	/* The guest's banked registers. */
	add	r1, r9, #SW_SVC
	msr	cpsr_c, #MODE_SVC | MASK_IF
	save_banked r1
	exception_modes save_banked, r1
	msr	cpsr_c, #MODE_FIQ | MASK_IF

	/* The CP15 state the guest owns, as it left it. */
	mrc	p15, 0, r0, c2, c0, 0		@ TTBR0
	mrc	p15, 0, r1, c2, c0, 1		@ TTBR1
	mrc	p15, 0, r2, c2, c0, 2		@ TTBCR
	mrc	p15, 0, r3, c3, c0, 0		@ DACR
	mrc	p15, 0, r4, c10, c2, 0		@ PRRR
	mrc	p15, 0, r5, c10, c2, 1		@ NMRR
	mrc	p15, 0, r6, c13, c0, 1		@ CONTEXTIDR
	mrc	p15, 0, r7, c13, c0, 2		@ TPIDRURW
	add	r10, r9, #SW_HW_LIVE
	stmia	r10!, {r0-r7}
	mrc	p15, 0, r0, c13, c0, 3		@ TPIDRURO
	mrc	p15, 0, r1, c13, c0, 4		@ TPIDRPRW
	mrc	p15, 0, r2, c5, c0, 0		@ DFSR
	mrc	p15, 0, r3, c6, c0, 0		@ DFAR
	mrc	p15, 0, r4, c5, c0, 1		@ IFSR
	mrc	p15, 0, r5, c6, c0, 2		@ IFAR
	stmia	r10, {r0-r5}

	/* The guest's timer: kept, and stopped (the host never runs it); the host's CNTKCTL. */
	ldr	r0, [r9, #SW_HAS_GTIMER]
	cmp	r0, #0
	beq	1f
	mrc	p15, 0, r0, c14, c2, 1		@ CNTP_CTL
	mrrc	p15, 2, r1, r2, c14		@ CNTP_CVAL
	mrc	p15, 0, r3, c14, c1, 0		@ CNTKCTL
	add	r10, r9, #SW_GUEST_CNTP
	stmia	r10, {r0-r3}
	mov	r0, #0
	mcr	p15, 0, r0, c14, c2, 1
	ldr	r0, [r9, #SW_HOST_CNTKCTL]
	mcr	p15, 0, r0, c14, c1, 0
	add	r10, r9, #SW_HOST_CNTV		@ the host's tick, if the guest moved it
	ldmia	r10, {r0-r2}
	mrc	p15, 0, r3, c14, c3, 1		@ CNTV_CTL
	mrrc	p15, 3, r4, r5, c14		@ CNTV_CVAL
	cmp	r3, r0
	cmpeq	r4, r1
	cmpeq	r5, r2
	mcrrne	p15, 3, r1, r2, c14		@ CNTV_CVAL, then CNTV_CTL
	mcrne	p15, 0, r0, c14, c3, 1
1:

	/* VFP: keep the guest's, give the hardware back its registers. */
	vmrs	r2, fpexc
	str	r2, [r9, #SW_GUEST_FPEXC]
	orr	r2, r2, #FPEXC_EN
	vmsr	fpexc, r2
	vmrs	r2, fpscr
	str	r2, [r9, #SW_GUEST_FPSCR]
	vfp_swap r9, SW_GUEST_D, SW_HOST_D
	ldr	r2, [r9, #SW_HOST_FPSCR]
	vmsr	fpscr, r2

	/* The host's MMU and thread state, exactly as they were. */
	mov	r0, r9
	add	r1, r0, #SW_HOST_CP15
	ldmia	r1, {r2-r7}
	mcr	p15, 0, r2, c2, c0, 0		@ TTBR0
	mcr	p15, 0, r3, c2, c0, 2		@ TTBCR
	mcr	p15, 0, r4, c3, c0, 0		@ DACR
	mcr	p15, 0, r5, c12, c0, 0		@ VBAR
	mcr	p15, 0, r6, c1, c0, 0		@ SCTLR
	mcr	p15, 0, r7, c13, c0, 1		@ CONTEXTIDR
	add	r1, r0, #SW_HOST_CP15 + 24
	ldmia	r1, {r2-r5}
	mcr	p15, 0, r2, c13, c0, 4		@ TPIDRPRW
	mcr	p15, 0, r3, c13, c0, 2		@ TPIDRURW
	mcr	p15, 0, r4, c13, c0, 3		@ TPIDRURO
	vmsr	fpexc, r5
	add	r1, r0, #SW_HOST_CP15_2
	ldmia	r1, {r2-r4}
	mcr	p15, 0, r2, c2, c0, 1		@ TTBR1
	mcr	p15, 0, r3, c10, c2, 0		@ PRRR
	mcr	p15, 0, r4, c10, c2, 1		@ NMRR
	add	r1, r0, #SW_HOST_EXTRA + 12
	ldmia	r1, {r2-r4}
	mcr	p15, 0, r2, c1, c0, 2		@ CPACR
	mcr	p15, 2, r3, c0, c0, 0		@ CSSELR
	mrc	p15, 0, r5, c1, c0, 1		@ ACTLR: the guest's
	str	r5, [r0, #SW_GUEST_ACTLR]
	cmp	r5, r4
	mcrne	p15, 0, r4, c1, c0, 1		@ back to the host's only if it changed

	/*
	 * The host's PMU. Always: user-mode access (PMUSERENR: host processes
	 * must not reach the PMU), overflow interrupts, PMCR's modes. Counters,
	 * event types and PMCR.E only if the host runs counters: Linux sets a
	 * counter's type before it enables it, and an idle PMU is nobody's, so a
	 * guest's counting goes on across exits (scripts/bench.sh relies on it).
	 */
	ldr	r1, [r0, #SW_HAS_PMU]
	cmp	r1, #0
	beq	1f
	add	r1, r0, #SW_HOST_PMU
	ldmia	r1, {r2-r6}			@ pmcr pmselr pmcntenset pmintenset pmuserenr
	mcr	p15, 0, r6, c9, c14, 0		@ PMUSERENR
	mvn	r7, #0
	mcr	p15, 0, r7, c9, c14, 2		@ PMINTENCLR
	mcr	p15, 0, r5, c9, c14, 1		@ PMINTENSET
	cmp	r4, #0
	bne	2f
	mrc	p15, 0, r7, c9, c12, 0		@ PMCR: the guest's E, the host's modes
	and	r7, r7, #PMCR_E
	bic	r2, r2, #PMCR_E
	orr	r2, r2, r7
	mcr	p15, 0, r2, c9, c12, 0		@ (P and C read as zero: no reset)
	b	1f
2:	mcr	p15, 0, r7, c9, c12, 2		@ PMCNTENCLR: stopped while types go back
	mcr	p15, 0, r2, c9, c12, 0		@ PMCR
	mov	r6, r4
	add	r1, r0, #SW_HOST_PMEVTYPER
	pmu_evtypers load, r6, r1, r2, r7
	mcr	p15, 0, r3, c9, c12, 5		@ PMSELR
	mcr	p15, 0, r4, c9, c12, 1		@ PMCNTENSET
1:	flush_translation r2

	/* The host's banked registers. */
	add	r1, r0, #SW_HOST_BANKED
	exception_modes load_banked, r1
	msr	cpsr_c, #MODE_FIQ | MASK_IF
	ldmia	r1!, {r8-r12}
	load_banked r1

	msr	cpsr_c, #MODE_SVC | MASK_IF
	ldr	r1, [r0, #SW_HOST_EXTRA]
	msr	spsr_cxsf, r1			@ SPSR_svc
	add	r1, r0, #SW_HOST_EXTRA + 4
	ldmia	r1, {sp, lr}^			@ sp_usr, lr_usr
	nop
	ldr	sp, [r0, #SW_HOST_SP]
	ldr	r1, [r0, #SW_HOST_CPSR]
	msr	cpsr_cxsf, r1
	ldr	r0, [r0, #SW_EXIT_VECTOR]
	pop	{r4-r12, pc}
ENDPROC(armkvm_vectors)

	.ltorg

/* The end of the code the guest's table must map (armkvm_write_window touches it). */
	.globl	armkvm_switch_end
armkvm_switch_end:
