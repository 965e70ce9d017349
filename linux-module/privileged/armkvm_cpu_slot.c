// SPDX-License-Identifier: GPL-2.0
/*
 * armkvm: the map from physical CPUs to the passage their guest runs on.
 *
 * armkvm_exit and armkvm_forward find the running guest's state through
 * armkvm_running[slot], slot from MPIDR (armkvm_cpu_slot.h). At load, every
 * online CPU must have a slot of its own; a CPU that comes online later
 * claims its slot at its first run, and is refused if another CPU has it.
 *
 * Copyright (c) 2026 The armkvm developers
 */
#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/errno.h>
#include <linux/printk.h>
#include <linux/smp.h>
#include <asm/cputype.h>

#include "armkvm_internal.h"
#include "armkvm_cpu_slot.h"

/* The switch state of the guest each physical CPU runs, by slot: read by armkvm_vectors. */
struct armkvm_passage *armkvm_running[ARMKVM_CPU_SLOTS];

/* The logical CPU that owns each slot, or -1. */
static int armkvm_slot_cpu[ARMKVM_CPU_SLOTS];

static void armkvm_read_mpidr(void *mpidr)
{
	*(u32 *)mpidr = read_cpuid_mpidr();
}

static int armkvm_claim_slot(int cpu, u32 mpidr)
{
	unsigned int slot = armkvm_cpu_slot(mpidr);
	int owner;

	if (!armkvm_mpidr_fits_slot(mpidr)) {
		pr_err_ratelimited("armkvm: CPU %d has MPIDR %08x: affinity beyond Aff1:Aff0 < 16:16 is not supported\n",
		       cpu, mpidr);
		return -EOPNOTSUPP;
	}
	owner = cmpxchg(&armkvm_slot_cpu[slot], -1, cpu);
	if (owner != -1 && owner != cpu) {
		pr_err_ratelimited("armkvm: CPUs %d and %d share passage slot %u (MPIDR %08x): not supported\n",
		       owner, cpu, slot, mpidr);
		return -EOPNOTSUPP;
	}
	return 0;
}

int armkvm_cpu_slots_init(void)
{
	unsigned int i;
	int cpu, ret;
	u32 mpidr;

	for (i = 0; i < ARRAY_SIZE(armkvm_slot_cpu); i++)
		armkvm_slot_cpu[i] = -1;
	for_each_online_cpu(cpu) {
		ret = smp_call_function_single(cpu, armkvm_read_mpidr, &mpidr, 1);
		if (!ret)
			ret = armkvm_claim_slot(cpu, mpidr);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * This CPU's slot, claimed if it came online after load; preemption is off.
 * Returns the slot's entry in armkvm_running, or NULL (logged) if refused.
 */
struct armkvm_passage **armkvm_this_cpu_slot(void)
{
	u32 mpidr = read_cpuid_mpidr();
	int cpu = smp_processor_id();
	unsigned int slot = armkvm_cpu_slot(mpidr);

	if (likely(READ_ONCE(armkvm_slot_cpu[slot]) == cpu))
		return &armkvm_running[slot];
	if (armkvm_claim_slot(cpu, mpidr))
		return NULL;
	return &armkvm_running[slot];
}
