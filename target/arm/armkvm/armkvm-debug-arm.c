/*
 * armkvm: what a debugger's BKPTs ask of the ARM side (docs/gdb.md). The
 * module stops the guest at every BKPT while a debugger has breakpoints in
 * it, and one that is not the debugger's is the guest's own exception to
 * take: a prefetch abort with a debug-event status (or, for the UDF a step
 * reserves, an undefined instruction), delivered here as TCG would deliver
 * it (as KVM's userspace does on other architectures). And whether the vCPU
 * is in abort mode, where a step uses that UDF instead of a BKPT.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "cpu.h"
#include "internals.h"
#include "target/arm/armkvm/armkvm-arm.h"

void armkvm_arch_deliver_exception(CPUState *cs, bool udf)
{
    CPUARMState *env = &ARM_CPU(cs)->env;
    /* The module refuses long descriptors: a short-descriptor status. */
    ARMMMUFaultInfo fi = { .type = ARMFault_Debug };

    if (udf) {
        env->exception.syndrome = syn_uncategorized();
        cs->exception_index = EXCP_UDEF;
    } else {
        env->exception.fsr = arm_fi_to_sfsc(&fi);
        env->exception.vaddress = 0;        /* IFAR is UNKNOWN: as TCG */
        env->exception.syndrome = syn_aa32_bkpt(0, env->thumb);
        cs->exception_index = EXCP_BKPT;
    }
    env->exception.target_el = 1;
    arm_cpu_do_interrupt(cs);
    cs->exception_index = -1;
}

bool armkvm_arch_in_abort_mode(CPUState *cs)
{
    CPUARMState *env = &ARM_CPU(cs)->env;

    return (env->uncached_cpsr & CPSR_M) == ARM_CPU_MODE_ABT;
}
