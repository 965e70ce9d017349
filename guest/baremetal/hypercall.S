/*
 * Hypercall round trips: PSCI calls over HVC, each printed with its result
 * (r0) and r1-r3 after it, and a check that every other register survives
 * the call. Under armkvm each HVC is an exit served by QEMU (or the module);
 * under TCG, QEMU's own PSCI answers: the outputs must match.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "common.inc"

	.equ	PSCI_VERSION,		0x84000000
	.equ	PSCI_CPU_SUSPEND,	0x84000001
	.equ	PSCI_CPU_ON,		0x84000003
	.equ	PSCI_AFFINITY_INFO,	0x84000004
	.equ	PSCI_MIGRATE_INFO_TYPE,	0x84000006
	.equ	PSCI_FEATURES,		0x8400000a
	.equ	SMC64_CPU_ON,		0xc4000003
	.equ	VENDOR_UNKNOWN,		0x860000ff

/* hvc_case: r0-r3 = fn, a1, a2, a3; HVC; print "name: r0 r1 r2 r3". */
	.macro	hvc_case name, fn, a1, a2, a3
	ldr	r0, =\name
	bl	puts
	ldr	r0, =\fn
	ldr	r1, =\a1
	ldr	r2, =\a2
	ldr	r3, =\a3
	bl	call_and_print
	.endm

	.text
	.global	_start
_start:
	armkvm_aware
	ldr	sp, =stack_top
	hvc_case n_version, PSCI_VERSION, 0x11, 0x22, 0x33
	hvc_case n_feat_version, PSCI_FEATURES, PSCI_VERSION, 0, 0
	hvc_case n_feat_affinity, PSCI_FEATURES, PSCI_AFFINITY_INFO, 0, 0
	hvc_case n_feat_features, PSCI_FEATURES, PSCI_FEATURES, 0, 0
	hvc_case n_feat_smc64, PSCI_FEATURES, SMC64_CPU_ON, 0, 0
	hvc_case n_feat_unknown, PSCI_FEATURES, 0x8400001f, 0, 0
	hvc_case n_migrate, PSCI_MIGRATE_INFO_TYPE, 0, 0, 0
	hvc_case n_affinity0, PSCI_AFFINITY_INFO, 0, 0, 0
	hvc_case n_affinity1, PSCI_AFFINITY_INFO, 1, 0, 0
	hvc_case n_cpu_on_self, PSCI_CPU_ON, 0, 0x40010000, 0
	hvc_case n_cpu_on_none, PSCI_CPU_ON, 3, 0x40010000, 0
	hvc_case n_unknown, VENDOR_UNKNOWN, 1, 2, 3
	ldr	r0, =msg_done
	bl	puts
	power_off

/* HVC with r0-r3 as given and r4-r12, lr set to known values; print the results. */
call_and_print:
	push	{r4-r11, lr}
	ldr	r4, =saved_sp
	str	sp, [r4]
	ldr	r4, =0x44440004
	ldr	r5, =0x44440005
	ldr	r6, =0x44440006
	ldr	r7, =0x44440007
	ldr	r8, =0x44440008
	ldr	r9, =0x44440009
	ldr	r10, =0x4444000a
	ldr	r11, =0x4444000b
	ldr	r12, =0x4444000c
	ldr	lr, =0x4444000d
	hvc	#0
	push	{r0-r3}				@ the results, printed below
	ldr	r0, =0x44440004
	cmp	r4, r0
	ldreq	r0, =0x44440005
	cmpeq	r5, r0
	ldreq	r0, =0x44440006
	cmpeq	r6, r0
	ldreq	r0, =0x44440007
	cmpeq	r7, r0
	ldreq	r0, =0x44440008
	cmpeq	r8, r0
	ldreq	r0, =0x44440009
	cmpeq	r9, r0
	ldreq	r0, =0x4444000a
	cmpeq	r10, r0
	ldreq	r0, =0x4444000b
	cmpeq	r11, r0
	ldreq	r0, =0x4444000c
	cmpeq	r12, r0
	ldreq	r0, =0x4444000d
	cmpeq	lr, r0
	ldr	r1, =saved_sp
	ldr	r1, [r1]
	add	r2, sp, #16
	cmpeq	r1, r2
	ldreq	r4, =msg_kept
	ldrne	r4, =msg_lost
	pop	{r0}
	bl	puthex
	pop	{r0}
	bl	puthex
	pop	{r0}
	bl	puthex
	pop	{r0}
	bl	puthex
	mov	r0, r4
	bl	puts
	pop	{r4-r11, pc}

	define_puthex

	define_puts
	.ltorg
	.data
saved_sp:	.word	0
n_version:	.asciz	"armkvm-guest hypercall: PSCI_VERSION:"
n_feat_version:	.asciz	"armkvm-guest hypercall: FEATURES(VERSION):"
n_feat_affinity: .asciz	"armkvm-guest hypercall: FEATURES(AFFINITY_INFO):"
n_feat_features: .asciz	"armkvm-guest hypercall: FEATURES(FEATURES):"
n_feat_smc64:	.asciz	"armkvm-guest hypercall: FEATURES(CPU_ON, SMC64):"
n_feat_unknown:	.asciz	"armkvm-guest hypercall: FEATURES(0x8400001f):"
n_migrate:	.asciz	"armkvm-guest hypercall: MIGRATE_INFO_TYPE:"
n_affinity0:	.asciz	"armkvm-guest hypercall: AFFINITY_INFO(cpu 0):"
n_affinity1:	.asciz	"armkvm-guest hypercall: AFFINITY_INFO(cpu 1, absent):"
n_cpu_on_self:	.asciz	"armkvm-guest hypercall: CPU_ON(self):"
n_cpu_on_none:	.asciz	"armkvm-guest hypercall: CPU_ON(cpu 3, absent):"
n_unknown:	.asciz	"armkvm-guest hypercall: unknown vendor call:"
msg_kept:	.asciz	"; r4-r12, sp, lr kept\n"
msg_lost:	.asciz	"; r4-r12, sp or lr CHANGED\n"
msg_done:	.asciz	"armkvm-guest hypercall: done\n"
	.balign	8
	.space	1024
stack_top:
