/*
 * armkvm's paravirtual return to user space (docs/isolated-mode.md, 5.4):
 * Linux's restore_user_regs written out, its TLS write a site whose
 * replacement, UDF #0xb200-0xb203, does in isolated mode the whole return in
 * one trap. Elsewhere (TCG, privileged mode) the instructions run as written,
 * and the output must be the same. Each case builds a struct pt_regs frame
 * and returns through it: the user code prints its registers, TPIDRURO and
 * an exclusive store's status (the return clears the monitor), then takes an
 * SVC whose handler prints how far sp_svc is from where the case began and
 * SPSR. Frames the sequence refuses (I set, a privileged mode) print
 * TPIDRURO alone: the TLS write is all that happened.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "common.inc"

	.equ	REPL_MSR_SPSR_R1, 0xe7fa3ff1	@ msr spsr_cxsf, r1
	.equ	REPL_RET_USER,	0xe7fb20f0	@ UDF #0xb200; | 1: r0 kept, | 2: frame at sp + 8
	.equ	S_OFF,		8
	.equ	S_PC,		60
	.equ	S_PSR,		64
	.equ	PT_REGS_SIZE,	72

/*
 * restore_user_regs (arch/arm/kernel/entry-header.S, ARM kernels): the TLS
 * value in r1, the frame at sp + \offset; \fast keeps r0. The LDM ^ is no
 * site: in isolated mode the operation does it, or the case has branched to
 * refused before it.
 */
	.macro	ret_user fast, offset
	site	(REPL_RET_USER | \fast | (\offset / S_OFF) << 1), "mcr p15, 0, r1, c13, c0, 3"
	mov	r2, sp
	ldr	r1, [r2, #\offset + S_PSR]
	ldr	lr, [r2, #\offset + S_PC]!
	tst	r1, #0x80 | 0x0f
	bne	refused
	site	REPL_MSR_SPSR_R1, "msr spsr_cxsf, r1"
	strex	r1, r2, [r2]
	.if	\fast
	ldmdb	r2, {r1 - lr}^
	.else
	ldmdb	r2, {r0 - lr}^
	.endif
	mov	r0, r0
	add	sp, sp, #\offset + PT_REGS_SIZE
	site	REPL_SUBS_PC_LR_0, "movs pc, lr"
	.endm

/*
 * One case: its name printed, a frame from the template with \cpsr and pc
 * \entry, r0 0x5a5a5a5a, an exclusive load left open, TPIDRURO's new value
 * \tls, then the return. The SVC handler or refused resumes at the next case.
 */
	.macro	ret_case msg, fast, offset, cpsr, entry, tls
	ldr	sp, =svc_stack
	ldr	r0, =\msg
	bl	puts
	ldr	r0, =resume
	ldr	r1, =9f
	str	r1, [r0]
	sub	sp, sp, #\offset + PT_REGS_SIZE
	add	r0, sp, #\offset
	ldr	r1, =frame_template
	ldmia	r1!, {r2 - r10}
	stmia	r0!, {r2 - r10}
	ldmia	r1!, {r2 - r10}
	stmia	r0!, {r2 - r10}
	sub	r0, r0, #PT_REGS_SIZE
	ldr	r1, =\cpsr
	str	r1, [r0, #S_PSR]
	ldr	r1, =\entry
	str	r1, [r0, #S_PC]
	ldr	r5, =exclusive_word
	ldrex	r4, [r5]
	ldr	r0, =0x5a5a5a5a
	ldr	r1, =\tls
	ret_user \fast, \offset
9:
	.endm

	.text
	.global	_start
_start:
	armkvm_aware
	patch_sites
	ldr	sp, =svc_stack
	set_vectors vectors

	ret_case msg_slow, 0, 0, 0x10, user_code, 0x7e570001
	ret_case msg_fast, 1, S_OFF, 0x10, user_code, 0x7e570002
	ret_case msg_thumb, 0, 0, 0x30, thumb_user_code, 0x7e570003
	ret_case msg_masked, 0, 0, 0x90, user_code, 0x7e570004
	ret_case msg_svc_mode, 0, 0, 0x13, user_code, 0x7e570005
	ldr	r0, =msg_done
	bl	puts
	power_off

/* The sequence refused the frame: only TPIDRURO was written. */
refused:
	ldr	r0, =msg_refused
	bl	puts
	mrc	p15, 0, r0, c13, c0, 3
	bl	puthex
	ldr	r0, =msg_newline
	bl	puts
	ldr	r0, =resume
	ldr	pc, [r0]

/* In user mode: r0-r14 as the return left them, TPIDRURO, the exclusive store's status. */
user_code:
	stmdb	sp, {r0 - r14}
	sub	sp, sp, #60
	ldr	r5, =exclusive_word
	strex	r6, r7, [r5]
	ldr	r0, =msg_user
	bl	puts
	mov	r4, #0
1:	ldr	r0, [sp, r4, lsl #2]
	bl	puthex
	add	r4, r4, #1
	cmp	r4, #15
	blo	1b
	ldr	r0, =msg_tls
	bl	puts
	mrc	p15, 0, r0, c13, c0, 3
	bl	puthex
	ldr	r0, =msg_strex
	bl	puts
	mov	r0, r6
	bl	puthex
	ldr	r0, =msg_newline
	bl	puts
	svc	#0

	.thumb
thumb_user_code:
	svc	#1
	.arm

/* Back from user mode: sp_svc against where the case began (0), SPSR. */
svc_handler:
	ldr	r0, =msg_svc
	bl	puts
	ldr	r1, =svc_stack
	sub	r0, r1, sp
	bl	puthex
	site	REPL_MRS_R5_SPSR, "mrs r5, spsr"
	mov	r0, r5
	bl	puthex
	ldr	r0, =msg_newline
	bl	puts
	ldr	r0, =resume
	ldr	pc, [r0]

	guest_vectors svc=svc_handler

	define_puts
	define_puthex
	.ltorg
msg_slow:	.asciz	"armkvm-guest retuser: r0 from the frame, the frame at sp\n"
msg_fast:	.asciz	"armkvm-guest retuser: r0 kept, the frame at sp + 8\n"
msg_thumb:	.asciz	"armkvm-guest retuser: to Thumb user code\n"
msg_masked:	.asciz	"armkvm-guest retuser: a frame with I set\n"
msg_svc_mode:	.asciz	"armkvm-guest retuser: a frame in SVC mode\n"
msg_refused:	.asciz	"armkvm-guest retuser: refused, TPIDRURO"
msg_user:	.asciz	"armkvm-guest retuser: user r0-r14"
msg_tls:	.asciz	"\narmkvm-guest retuser: TPIDRURO"
msg_strex:	.asciz	", exclusive store"
msg_svc:	.asciz	"armkvm-guest retuser: SVC: sp_svc moved, SPSR"
msg_newline:	.asciz	"\n"
msg_done:	.asciz	"armkvm-guest retuser: done\n"
msg_unexpected:	.asciz	"armkvm-guest retuser: unexpected exception\n"
	.balign	4
/* r0-r12, sp and lr of user mode (sp its stack), pc and CPSR set by each case, orig_r0. */
frame_template:
	.word	0xc0de0000, 0xc0de0001, 0xc0de0002, 0xc0de0003, 0xc0de0004, 0xc0de0005
	.word	0xc0de0006, 0xc0de0007, 0xc0de0008, 0xc0de0009, 0xc0de000a, 0xc0de000b
	.word	0xc0de000c, user_stack, 0xc0de000e, 0, 0, 0xc0de0011
resume:		.word	0
exclusive_word:	.word	0
	.balign	8
	.space	512
user_stack:
	.space	1024
svc_stack:
