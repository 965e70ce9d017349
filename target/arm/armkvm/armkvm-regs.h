/*
 * armkvm: moving a vCPU's register state between QEMU and the host module.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef TARGET_ARM_ARMKVM_REGS_H
#define TARGET_ARM_ARMKVM_REGS_H

#include "cpu.h"

struct armkvm_core_regs;
struct armkvm_vfp_regs;

/* env -> module layout: every mode's banked registers, PC and CPSR. */
void armkvm_regs_from_env(CPUARMState *env, struct armkvm_core_regs *regs);
/* module layout -> env, leaving the FIQ bank (the hypervisor's) untouched. */
void armkvm_regs_to_env(const struct armkvm_core_regs *regs, CPUARMState *env);

void armkvm_vfp_from_env(CPUARMState *env, struct armkvm_vfp_regs *vfp);
void armkvm_vfp_to_env(const struct armkvm_vfp_regs *vfp, CPUARMState *env);

#endif
