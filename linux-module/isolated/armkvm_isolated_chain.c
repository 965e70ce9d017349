// SPDX-License-Identifier: GPL-2.0
/*
 * armkvm host module: isolated mode's chained traps. A guest kernel's
 * trapping instructions often stand together (Linux's system call entry
 * stores the user registers with STM ^ and reads the SPSR at once: two
 * replacements in a row; its fault handlers read DFSR, then DFAR), and each
 * would be a world switch of its own. After the module has emulated one, it
 * looks at the next: if that one would trap too, it is emulated at once, up
 * to ARMKVM_CHAIN_MAX in a row, with the same code the trap would run.
 *
 * This changes nothing the guest can see, given three rules:
 *  - only what certainly traps at PL0 is taken (a CP15 access PL0 may make,
 *    such as TPIDRURO's read or the CP15 barriers, runs on the CPU as ever);
 *  - the chain stops where the run loop has work before the next guest
 *    instruction: a change of the virtual CPSR (privilege, interrupt masks:
 *    the next entry's regime and the injection of a virtual interrupt), a
 *    CP15 write that changes the translation regime (the next fetch must
 *    see it after the guest's own ISB), the paravirtual operations;
 *  - the next instruction is fetched with the guest kernel's permissions to
 *    execute it: a page the guest may not execute from faults on the CPU.
 * Interrupts are asynchronous: a host or virtual interrupt that arrives
 * during a chain is taken a few instructions later, as on a busy bus.
 *
 * Copyright (c) 2026 The armkvm developers
 */
#include <linux/bits.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <asm/ptrace.h>

#include "armkvm_internal.h"
#include "armkvm_isolated.h"

/* For measurements and tests: 0 makes every trapping instruction a world switch. */
static bool chain_traps = true;
module_param(chain_traps, bool, 0644);
MODULE_PARM_DESC(chain_traps, "emulate trapping instructions in a row in one isolated-mode exit");

/*
 * A CP15 register access that is UNDEFINED at PL0 whatever the real
 * SCTLR.CP15BEN, CNTKCTL or PMUSERENR: IDs, SCTLR and CPACR, TTBRs, DACR,
 * fault status and address, cache and TLB maintenance, PRRR/NMRR, VBAR. Not
 * c7's CP15ISB, CP15DSB and CP15DMB, nor c9, c13 and c14.
 */
static bool armkvm_cp15_traps_at_pl0(u32 insn)
{
	unsigned int crn = (insn >> 16) & 0xf, crm = insn & 0xf;
	unsigned int opc1 = (insn >> 21) & 7, opc2 = (insn >> 5) & 7;

	switch (crn) {
	case 0: case 1: case 2: case 3: case 5: case 6: case 8: case 10: case 12:
		return true;
	case 7:
		return !(opc1 == 0 && ((crm == 5 && opc2 == 4) ||
				       (crm == 10 && (opc2 == 4 || opc2 == 5))));
	default:
		return false;
	}
}

/* insn, at the virtual kernel's next pc, would trap: the chain may take it. */
static bool armkvm_chain_into(u32 insn)
{
	u32 imm16;

	/* Conditional ones take the CPU's own condition check. */
	if ((insn >> 28) != 0xe)
		return false;
	if ((insn & ARMKVM_UDF_MASK) == ARMKVM_UDF_A32) {
		imm16 = armkvm_udf_imm16(insn);
		/* Format I, and Format O's stubs: not the paravirtual operations. */
		return (imm16 >= ARMKVM_FORMAT_I_FIRST && imm16 <= ARMKVM_FORMAT_I_LAST) ||
		       imm16 == ARMKVM_FORMAT_O;
	}
	return armkvm_is_cp15_access(insn) && armkvm_cp15_traps_at_pl0(insn);
}

/*
 * insn, just emulated, leaves the run loop nothing to do before the next
 * instruction if the virtual CPSR is unchanged: a replacement, a CP15 read,
 * or cache and TLB maintenance (c7, c8).
 */
static bool armkvm_chain_after(u32 insn)
{
	if (!armkvm_chain_into(insn))
		return false;
	if ((insn & ARMKVM_UDF_MASK) == ARMKVM_UDF_A32)
		return true;
	return (insn & BIT(20)) || ((insn >> 16) & 0xf) == 7 || ((insn >> 16) & 0xf) == 8;
}

/*
 * After emulate(vcpu, insn) returned ret for the trapped insn, with the
 * virtual CPSR cpsr before it: emulate what follows while it would trap.
 * Returns what the last emulation returned.
 */
int armkvm_isolated_chain(struct armkvm_vcpu *vcpu, u32 insn, u32 cpsr, int ret,
			  int (*emulate)(struct armkvm_vcpu *vcpu, u32 insn))
{
	struct armkvm_context *v = &vcpu->sw.guest;
	unsigned int n;

	for (n = 0; n < ARMKVM_CHAIN_MAX && READ_ONCE(chain_traps); n++) {
		/* A debugger's single step stops after each instruction. */
		if (ret != 1 || v->cpsr != cpsr || (cpsr & PSR_T_BIT) ||
		    armkvm_debug_stepping(vcpu) ||
		    !armkvm_chain_after(insn) ||
		    armkvm_isolated_kernel_fetch(vcpu, v->pc, &insn) || !armkvm_chain_into(insn))
			break;
		ret = emulate(vcpu, insn);
	}
	return ret;
}
