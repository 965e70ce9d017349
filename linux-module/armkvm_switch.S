/* SPDX-License-Identifier: GPL-2.0 */
/*
 * armkvm: the privileged-mode world switch (ARMv7-A, no virtualization extensions).
 *
 * Contract with the C side (struct armkvm_switch in armkvm.h, offsets checked there):
 *
 *   int armkvm_world_switch(struct armkvm_switch *sw)
 *
 *   Called in SVC mode with IRQs and FIQs masked. Saves the host's callee-saved
 *   registers, banked ABT/UND/IRQ/FIQ registers and CP15 state, loads the
 *   CP15 registers the guest owns from sw->hw (translation tables, DACR,
 *   memory attributes, context and thread IDs, fault registers) and armkvm's
 *   vectors (VBAR, SCTLR.V=0), flushes the TLB and branch predictor, loads the
 *   guest's registers and returns to the guest. The next exception the CPU
 *   takes while the guest runs enters armkvm_vectors, which saves the guest's
 *   registers into sw->guest and its CP15 registers into sw->hw, records the
 *   vector (ARMKVM_VEC_*) and the exception's LR, restores the host exactly
 *   and returns the vector number to the caller.
 *
 *   Only the module area (0xbf000000-0xbfffffff, where this code and *sw
 *   live: the caller passes its per-CPU passage in the module's .bss) is
 *   touched while the guest's table is live; the caller has put the host's
 *   entries for it in that table and stored sw in armkvm_running[MPIDR.Aff0].
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

#define MODE_FIQ	0x11
#define MODE_IRQ	0x12
#define MODE_SVC	0x13
#define MODE_ABT	0x17
#define MODE_UND	0x1b
#define MASK_IF		0xc0

/* struct armkvm_switch */
#define SW_R8		32
#define SW_PC		60
#define SW_CPSR		64
#define SW_SVC		68
#define SW_ABT		80
#define SW_UND		92
#define SW_IRQ		104
#define SW_HW		180	/* ttbr0 ttbr1 ttbcr dacr prrr nmrr contextidr tpidrurw tpidruro tpidrprw */
#define SW_HW_FAULT	220	/* dfsr dfar ifsr ifar */
#define SW_EXIT_VECTOR	236
#define SW_EXIT_LR	240
#define SW_HOST_SP	244
#define SW_HOST_CPSR	248
#define SW_HOST_BANKED	252	/* abt, und, irq: sp lr spsr; fiq: r8-r12 sp lr spsr */
#define SW_HOST_CP15	320	/* ttbr0 ttbcr dacr vbar sctlr contextidr tpidrprw tpidrurw tpidruro fpexc */
#define SW_HOST_CP15_2	360	/* ttbr1 prrr nmrr */
#define SW_GUEST_FPEXC	372
#define SW_GUEST_FPSCR	376
#define SW_GUEST_D	384
#define SW_HOST_FPSCR	640
#define SW_HOST_D	648
#define SW_VFP_D32	904

#define SCTLR_V		(1 << 13)
#define FPEXC_EN	(1 << 30)

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

/* This CPU's slot in armkvm_running: r = &armkvm_running[MPIDR.Aff0]. */
	.macro	this_cpu_slot r, tmp
	mrc	p15, 0, \tmp, c0, c0, 5		@ MPIDR
	and	\tmp, \tmp, #0xff
	ldr	\r, =armkvm_running
	add	\r, \r, \tmp, lsl #2
	.endm

ENTRY(armkvm_world_switch)
	push	{r4-r12, lr}
	str	sp, [r0, #SW_HOST_SP]
	mrs	r2, cpsr
	str	r2, [r0, #SW_HOST_CPSR]

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
	add	r1, r0, #SW_HW
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
	ldr	r6, [r0, #SW_HOST_CP15 + 16]	@ the host's SCTLR
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
	msr	spsr_cxsf, r2
	add	r9, r8, #SW_R8
	ldmia	r9, {r8-r14}^			@ the guest's r8-r12, sp_usr, lr_usr
	nop
	ldmia	r8, {r0-r7}
	movs	pc, lr
ENDPROC(armkvm_world_switch)

	.ltorg

/* Vector table: 32-byte aligned for VBAR. Each entry goes to FIQ mode and names itself. */
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
	vector	und, 1
	vector	svc, 2
	vector	pabt, 3
	vector	dabt, 4
	vector	irq, 6
	vector	fiq, 7

/* The exception mode of each vector, with IRQs and FIQs masked. */
armkvm_vector_mode:
	.byte	MODE_SVC | MASK_IF, MODE_UND | MASK_IF, MODE_SVC | MASK_IF
	.byte	MODE_ABT | MASK_IF, MODE_ABT | MASK_IF, MODE_SVC | MASK_IF
	.byte	MODE_IRQ | MASK_IF, MODE_FIQ | MASK_IF
	.align	2

/* FIQ mode, r8 = vector. Every guest register but r8_fiq-r14_fiq is untouched. */
armkvm_exit:
	this_cpu_slot r10, r9
	ldr	r9, [r10]			@ sw
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
	add	r10, r9, #SW_HW
	stmia	r10!, {r0-r7}
	mrc	p15, 0, r0, c13, c0, 3		@ TPIDRURO
	mrc	p15, 0, r1, c13, c0, 4		@ TPIDRPRW
	mrc	p15, 0, r2, c5, c0, 0		@ DFSR
	mrc	p15, 0, r3, c6, c0, 0		@ DFAR
	mrc	p15, 0, r4, c5, c0, 1		@ IFSR
	mrc	p15, 0, r5, c6, c0, 2		@ IFAR
	stmia	r10, {r0-r5}

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
	flush_translation r2

	/* The host's banked registers. */
	add	r1, r0, #SW_HOST_BANKED
	exception_modes load_banked, r1
	msr	cpsr_c, #MODE_FIQ | MASK_IF
	ldmia	r1!, {r8-r12}
	load_banked r1

	msr	cpsr_c, #MODE_SVC | MASK_IF
	ldr	sp, [r0, #SW_HOST_SP]
	ldr	r1, [r0, #SW_HOST_CPSR]
	msr	cpsr_cxsf, r1
	ldr	r0, [r0, #SW_EXIT_VECTOR]
	pop	{r4-r12, pc}
ENDPROC(armkvm_vectors)

	.ltorg
