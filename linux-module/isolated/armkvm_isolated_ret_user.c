// SPDX-License-Identifier: GPL-2.0
/*
 * armkvm host module: isolated mode's paravirtual return to user space.
 * Linux returns to user space (restore_user_regs, arch/arm/kernel/
 * entry-header.S, ARM kernels) with the TLS write, MSR SPSR, LDM ^ and
 * MOVS pc, lr: four traps in isolated mode, each a world switch. A guest
 * that ARMKVM_HC_PV_IRQ told of ARMKVM_PV_RET_USER replaces the first, the
 * TLS write (MCR p15, 0, r1, c13, c0, 3), by UDF #0xb200-0xb203, which does
 * what the instructions from there to the exception return do:
 *
 *   TPIDRURO = r1; frame = sp + (imm16[1] ? 8 : 0), a struct pt_regs;
 *   if frame->cpsr is user mode with I clear:
 *	SPSR = frame->cpsr; lr = frame->pc; r0 (unless imm16[0]) to r12,
 *	sp_usr and lr_usr from the frame; sp = frame + 72; the exclusive
 *	monitor cleared; CPSR = SPSR, pc = lr.
 *
 * Anything else (a frame the guest kernel could not load, another mode, a
 * virtual mode without SPSR) does the TLS write alone and goes on to the
 * next instruction: the guest's own code then runs, faults or reports the
 * frame exactly as it would have without the operation. The frame is read
 * through the guest's own tables with its kernel's permissions.
 *
 * Copyright (c) 2026 The armkvm developers
 */
#include <linux/bits.h>
#include <linux/kernel.h>
#include <asm/ptrace.h>

#include "armkvm_internal.h"
#include "armkvm_isolated.h"

/* Linux's struct pt_regs: r0-r15, then the CPSR (orig_r0 is not read). */
#define FRAME_PC	15
#define FRAME_CPSR	16
#define FRAME_WORDS	17
#define PT_REGS_SIZE	72
/* The offset of the frame above sp in ret_fast_syscall (S_OFF). */
#define FRAME_S_OFF	8
/* MSR SPSR_fsxc writes every bit but the reserved ones. */
#define SPSR_RESERVED	GENMASK(23, 20)

/*
 * STREX rather than CLREX (Linux's way, Cortex-A15 erratum 830321): a return
 * to user space leaves no exclusive access of the kernel open.
 */
static void armkvm_clear_exclusive(void)
{
	u32 dummy = 0, status;

	asm volatile("strex %0, %2, [%1]" : "=&r" (status) : "r" (&dummy), "r" (0) : "memory");
}

int armkvm_isolated_ret_user(struct armkvm_vcpu *vcpu, u32 ops)
{
	struct armkvm_context *v = &vcpu->sw.guest;
	struct armkvm_bank *bank = armkvm_mode_bank(v, v->cpsr);
	u32 frame[FRAME_WORDS], base, cpsr;
	unsigned int i;

	vcpu->sw.arch.cp15.tpidruro = v->usr[1];
	if (!bank)
		goto tls_only;
	base = bank->sp + ((ops & 2) ? FRAME_S_OFF : 0);
	if ((base & 3) || armkvm_isolated_read(vcpu, base, frame, sizeof(frame)))
		goto tls_only;
	cpsr = frame[FRAME_CPSR];
	if ((cpsr & (PSR_I_BIT | 0xf)) || (cpsr & PSR_J_BIT) || !armkvm_guest_mode_ok(cpsr))
		goto tls_only;

	bank->spsr = cpsr & ~SPSR_RESERVED;
	bank->lr = frame[FRAME_PC];
	for (i = (ops & 1); i < 15; i++)
		v->usr[i] = frame[i];	/* r13 and r14: the user mode's own */
	bank->sp = base + PT_REGS_SIZE;
	armkvm_clear_exclusive();
	v->cpsr = bank->spsr;
	v->pc = bank->lr & ((v->cpsr & PSR_T_BIT) ? ~1u : ~3u);
	return 1;

tls_only:
	v->pc += 4;
	return 1;
}
