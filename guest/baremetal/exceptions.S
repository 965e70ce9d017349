/*
 * Guest-handled exceptions: the guest installs its vectors (through armkvm's
 * hypercall, or VBAR where that hypercall is unknown, as under TCG), then takes
 * an SVC and an undefined instruction in its own handlers, which check what
 * the CPU gave them and return. Prints one line per check. Its sensitive
 * instructions are sites (common.inc): the same binary runs in isolated mode.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "common.inc"

	.text
	.global	_start
_start:
	armkvm_aware
	patch_sites
	ldr	sp, =stack_top
	set_vectors vectors

	mov	r7, #0				@ handlers count in r7
	svc	#0x42
	ldr	r0, =msg_after_svc
	bl	puts
	.word	0xe7f000f0			@ udf #0: permanently undefined
	ldr	r0, =msg_after_und
	bl	puts

	site	REPL_MRS_R4_CPSR, "mrs r4, cpsr"
	and	r4, r4, #0x1f
	cmp	r4, #0x13
	ldreq	r0, =msg_mode_ok
	ldrne	r0, =msg_mode_bad
	bl	puts
	cmp	r7, #2
	ldreq	r0, =msg_count_ok
	ldrne	r0, =msg_count_bad
	bl	puts
	power_off

svc_handler:
	mov	r6, lr
	ldr	r4, [lr, #-4]			@ the SVC instruction: its immediate
	bic	r4, r4, #0xff000000
	site	REPL_MRS_R5_SPSR, "mrs r5, spsr"
	and	r5, r5, #0x1f
	cmp	r4, #0x42
	cmpeq	r5, #0x13			@ taken from SVC mode
	ldreq	r0, =msg_svc_ok
	ldrne	r0, =msg_svc_bad
	bl	puts
	add	r7, r7, #1
	mov	lr, r6
	site	REPL_SUBS_PC_LR_0, "movs pc, lr"

und_handler:
	mov	r6, lr
	ldr	r4, [lr, #-4]			@ lr points past the faulting instruction
	ldr	r5, =0xe7f000f0
	cmp	r4, r5
	site	REPL_MRS_R5_CPSR, "mrs r5, cpsr"
	and	r5, r5, #0x1f
	cmpeq	r5, #0x1b			@ running in UND mode
	ldreq	r0, =msg_und_ok
	ldrne	r0, =msg_und_bad
	bl	puts
	add	r7, r7, #1
	mov	lr, r6
	site	REPL_SUBS_PC_LR_0, "movs pc, lr"

	guest_vectors und=und_handler, svc=svc_handler

	define_puts
	.ltorg
msg_svc_ok:	.asciz	"armkvm-guest exceptions: svc #0x42 taken in SVC mode from SVC mode\n"
msg_svc_bad:	.asciz	"armkvm-guest exceptions: svc handler saw the wrong state\n"
msg_after_svc:	.asciz	"armkvm-guest exceptions: returned from svc\n"
msg_und_ok:	.asciz	"armkvm-guest exceptions: undefined instruction taken in UND mode\n"
msg_und_bad:	.asciz	"armkvm-guest exceptions: und handler saw the wrong state\n"
msg_after_und:	.asciz	"armkvm-guest exceptions: returned from und\n"
msg_mode_ok:	.asciz	"armkvm-guest exceptions: back in SVC mode\n"
msg_mode_bad:	.asciz	"armkvm-guest exceptions: wrong mode after return\n"
msg_count_ok:	.asciz	"armkvm-guest exceptions: 2 handlers ran\n"
msg_count_bad:	.asciz	"armkvm-guest exceptions: wrong handler count\n"
msg_unexpected:	.asciz	"armkvm-guest exceptions: unexpected exception\n"
	.balign	8
	.space	1024
stack_top:
