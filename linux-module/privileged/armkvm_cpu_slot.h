/* SPDX-License-Identifier: GPL-2.0 */
/*
 * armkvm: which slot of armkvm_running a physical CPU uses, from its MPIDR.
 *
 * The vectors find the passage of the guest that was running from MPIDR
 * alone: no banked register is left that a privileged guest does not own.
 * Slot = Aff1[3:0]:Aff0[3:0], so CPUs of different clusters (big.LITTLE
 * boards started without Hyp) do not share one. armkvm_switch.S computes the
 * same (this_cpu_slot); tests/unit/cpu-slot.c checks this file.
 *
 * Plain C with no kernel types: the unit test includes it as it is.
 */
#ifndef ARMKVM_CPU_SLOT_H
#define ARMKVM_CPU_SLOT_H

#define ARMKVM_CPU_SLOTS	256
#define ARMKVM_MPIDR_MP		(1u << 31)	/* the multiprocessing format */

static inline unsigned int armkvm_cpu_slot(unsigned int mpidr)
{
	return (mpidr & 0xfu) | ((mpidr >> 4) & 0xf0u);
}

/*
 * Whether the slot names this CPU alone among any: Aff2 and the upper bits
 * of Aff1 and Aff0 must be zero (a CPU without the multiprocessing format
 * is a uniprocessor, whatever its other bits).
 */
static inline int armkvm_mpidr_fits_slot(unsigned int mpidr)
{
	if (!(mpidr & ARMKVM_MPIDR_MP))
		return 1;
	return !(mpidr & 0x00fff0f0u);
}

#endif
