/*
 * armkvm: what the accelerator's generic vCPU loop (accel/armkvm) asks of
 * the ARM side (target/arm/armkvm), as accel/hvf asks target/arm/hvf.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef TARGET_ARM_ARMKVM_ARM_H
#define TARGET_ARM_ARMKVM_ARM_H

#include "hw/core/cpu.h"

struct armkvm_run;

/* What a vCPU holds in the module beyond CPUARMState. */
#define ARMKVM_NR_PV_REGS 2
typedef struct ArmkvmArchVcpu {
    /* Isolated mode's paravirtual words (ARMKVM_REG_PV_*; armkvm-pv.c). */
    bool pv_present[ARMKVM_NR_PV_REGS];
    uint32_t pv_named[ARMKVM_NR_PV_REGS];   /* as last read, or as loaded */
    bool pv_loaded;                         /* by a restore: for the next put */
} ArmkvmArchVcpu;

/*
 * A new vCPU: which of the registers QEMU knows the module has for it
 * (ARMKVM_GET_REG_LIST; armkvm-regs.c), and its state beyond CPUARMState.
 * NULL with errp set if it cannot tell.
 */
ArmkvmArchVcpu *armkvm_arch_init_vcpu(CPUState *cpu, int vcpu_fd,
                                      Error **errp);

/* CPUARMState into the module, by register ID; exits QEMU if refused. */
void armkvm_arch_put_registers(CPUState *cpu, ArmkvmArchVcpu *arch,
                               int vcpu_fd);
/* And back, the module's registers into CPUARMState. */
void armkvm_arch_get_registers(CPUState *cpu, ArmkvmArchVcpu *arch,
                               int vcpu_fd);

/* armkvm-pv.c: isolated mode's paravirtual words, saved and restored. */
bool armkvm_pv_reg_listed(ArmkvmArchVcpu *arch, uint64_t id);
void armkvm_pv_get(CPUState *cpu, ArmkvmArchVcpu *arch, int vcpu_fd);
void armkvm_pv_put(CPUState *cpu, ArmkvmArchVcpu *arch, int vcpu_fd);
void armkvm_pv_register(CPUState *cpu, ArmkvmArchVcpu *arch);

/*
 * A hypercall exit QEMU serves (armkvm-psci.c): PSCI, or NOT_SUPPORTED.
 * Returns 0 to run on, EXCP_HLT or EXCP_INTERRUPT to leave the loop.
 */
int armkvm_arch_handle_hypercall(CPUState *cpu, struct armkvm_run *run);

/* The guest's physical timer output, to where the board wired it (armkvm-timer.c). */
void armkvm_arch_set_timer_output(CPUState *cpu, bool level);

/*
 * Refuses (exits QEMU) a guest image without ARMKVM_GUEST_MARKER near its
 * entry point (armkvm-marker.c); checked once, before the first native
 * instruction.
 */
void armkvm_arch_check_guest_aware(CPUState *cpu);

/*
 * A debugger's single step (armkvm-next-pc.c): every address the instruction
 * at pc can continue at, bit 0 set where it continues in Thumb state, from
 * the synchronised CPUARMState. Returns how many (1 to ARMKVM_MAX_NEXT_PCS),
 * or -EFAULT if the instruction or what it loads cannot be read.
 */
#define ARMKVM_MAX_NEXT_PCS 2
int armkvm_arch_next_pcs(CPUState *cpu, uint32_t *out);

/*
 * The guest's own BKPT (or, udf, the undefined instruction a step reserves),
 * which a debugger's run stopped: the exception it takes, as the CPU would
 * (armkvm-debug-arm.c), in CPUARMState.
 */
void armkvm_arch_deliver_exception(CPUState *cpu, bool udf);

/* The vCPU is in abort mode (CPUARMState, synchronised). */
bool armkvm_arch_in_abort_mode(CPUState *cpu);

#endif
