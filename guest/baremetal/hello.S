/*
 * The smallest armkvm-virt guest: say hello on the PL011, then ask PSCI to
 * power off. Exercises the console, the hypercall conduit (HVC) and the exit.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "common.inc"

	.text
	.global	_start
_start:
	armkvm_aware
	adr	r0, message
	bl	puts
	power_off

	define_puts
	.ltorg
message:
	.asciz	"armkvm-guest hello: console and PSCI power-off work\n"
	.balign	4
