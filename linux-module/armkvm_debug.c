// SPDX-License-Identifier: GPL-2.0
/*
 * armkvm host module: debugging a guest (ARMKVM_SET_GUEST_DEBUG). The host
 * keeps the CPU's debug registers, so a debugger's breakpoints are BKPT
 * instructions userspace writes into guest memory, and a single step is a
 * BKPT after the instruction plus the module stopping after each instruction
 * it completes itself (docs/gdb.md).
 *
 * Copyright (c) 2026 The armkvm developers
 */
#include <linux/uaccess.h>

#include "armkvm_internal.h"

#define GUESTDBG_VALID	(ARMKVM_GUESTDBG_ENABLE | ARMKVM_GUESTDBG_SINGLESTEP)
#define IFSR_FS_MASK	0x40f		/* FS[4], FS[3:0] (short descriptors) */
#define IFSR_DEBUG	0x002		/* a debug event: BKPT */

long armkvm_set_guest_debug(struct armkvm_vcpu *vcpu, void __user *argp)
{
	struct armkvm_guest_debug dbg;

	if (copy_from_user(&dbg, argp, sizeof(dbg)))
		return -EFAULT;
	if ((dbg.control & ~GUESTDBG_VALID) || dbg.pad)
		return -EINVAL;
	if ((dbg.control & ARMKVM_GUESTDBG_SINGLESTEP) &&
	    !(dbg.control & ARMKVM_GUESTDBG_ENABLE))
		return -EINVAL;
	vcpu->guest_debug = dbg.control;
	/* A step userspace re-arms (after a signal ended RUN) still has its end to report. */
	if (!(dbg.control & ARMKVM_GUESTDBG_SINGLESTEP))
		vcpu->debug_step_done = false;
	/* Userspace has written or removed BKPTs through its own mapping. */
	vcpu->ram_dirty = true;
	return 0;
}

static bool armkvm_debug_stop(struct armkvm_vcpu *vcpu, u32 reason)
{
	struct armkvm_run *run = vcpu->run;

	vcpu->stats.exits_other++;
	run->exit_reason = ARMKVM_EXIT_DEBUG;
	run->debug.pc = vcpu->sw.guest.pc;
	run->debug.reason = reason;
	return true;
}

/*
 * A prefetch abort at the guest's pc: true, with the exit set up, if it is a
 * BKPT and a debugger wants it. The guest's own fault registers are kept
 * (the exit paths leave them as they were unless they deliver an abort).
 */
bool armkvm_debug_bkpt_exit(struct armkvm_vcpu *vcpu)
{
	if (!(vcpu->guest_debug & ARMKVM_GUESTDBG_ENABLE) ||
	    (vcpu->sw.guest.cp15.ifsr & IFSR_FS_MASK) != IFSR_DEBUG)
		return false;
	return armkvm_debug_stop(vcpu, ARMKVM_DEBUG_BKPT);
}

/*
 * An undefined instruction at the guest's pc: true, with the exit set up, if
 * it is a step's ARMKVM_DEBUG_UDF_* (one in code that runs in abort mode).
 */
bool armkvm_debug_udf_exit(struct armkvm_vcpu *vcpu)
{
	u32 pc = vcpu->sw.guest.pc, insn;
	u16 hw;

	if (!armkvm_debug_stepping(vcpu))
		return false;
	if (vcpu->sw.guest.cpsr & PSR_T_BIT) {
		if (armkvm_fetch_insn16(vcpu, pc, &hw) || hw != ARMKVM_DEBUG_UDF_T16)
			return false;
	} else if (armkvm_fetch_insn(vcpu, pc, &insn) || insn != ARMKVM_DEBUG_UDF_A32) {
		return false;
	}
	return armkvm_debug_stop(vcpu, ARMKVM_DEBUG_UDF);
}

/*
 * Single step: true, with the exit set up, if the guest has moved on, i.e.
 * an instruction the module served or an exception it delivered has
 * completed (debug_step_done: one whose completion userspace served, kept
 * across a RUN that a signal ended first). A physical interrupt or a shadow-table fill leaves the guest
 * where it was, and the run goes on.
 */
bool armkvm_debug_step_exit(struct armkvm_vcpu *vcpu, bool moved)
{
	if (!moved || !(vcpu->guest_debug & ARMKVM_GUESTDBG_SINGLESTEP))
		return false;
	vcpu->debug_step_done = false;
	return armkvm_debug_stop(vcpu, ARMKVM_DEBUG_STEP);
}
