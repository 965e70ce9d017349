/*
 * armkvm: PSCI over HVC, the conduit armkvm-virt's device tree names.
 *
 * The answers QEMU's own PSCI gives a TCG guest (target/arm/tcg/psci.c), so
 * a guest sees the same firmware under both (kvm-consts.h names the
 * numbers). One vCPU: CPU_ON has no CPU to start. Any other call gets
 * NOT_SUPPORTED, as under TCG, so a guest falls back to the architectural
 * way (docs/abi.md, "Hypercalls").
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "cpu.h"
#include "system/runstate.h"
#include "target/arm/arm-powerctl.h"
#include "armkvm-arm.h"

#include <linux/armkvm.h>

static uint32_t armkvm_psci_features(uint32_t fn)
{
    switch (fn) {
    case QEMU_PSCI_0_2_FN_PSCI_VERSION:
    case QEMU_PSCI_0_2_FN_CPU_SUSPEND:
    case QEMU_PSCI_0_2_FN_CPU_OFF:
    case QEMU_PSCI_0_2_FN_CPU_ON:
    case QEMU_PSCI_0_2_FN_AFFINITY_INFO:
    case QEMU_PSCI_0_2_FN_MIGRATE_INFO_TYPE:
    case QEMU_PSCI_0_2_FN_SYSTEM_OFF:
    case QEMU_PSCI_0_2_FN_SYSTEM_RESET:
    case QEMU_PSCI_1_0_FN_PSCI_FEATURES:
        return QEMU_PSCI_RET_SUCCESS;
    default:
        return QEMU_PSCI_RET_NOT_SUPPORTED;
    }
}

int armkvm_arch_handle_hypercall(CPUState *cpu, struct armkvm_run *run)
{
    uint32_t *arg = run->hypercall.args, *ret = run->hypercall.ret;
    CPUState *target;

    switch (arg[0]) {
    case QEMU_PSCI_0_2_FN_PSCI_VERSION:
        ret[0] = QEMU_PSCI_VERSION_1_1;
        return 0;
    case QEMU_PSCI_1_0_FN_PSCI_FEATURES:
        ret[0] = armkvm_psci_features(arg[1]);
        return 0;
    case QEMU_PSCI_0_2_FN_MIGRATE_INFO_TYPE:
        ret[0] = QEMU_PSCI_0_2_RET_TOS_MIGRATION_NOT_REQUIRED;
        return 0;
    case QEMU_PSCI_0_2_FN_AFFINITY_INFO:
        target = arm_get_cpu_by_id(arg[1]);
        if (arg[2]) {
            /* Levels above 0 are always on. */
            ret[0] = QEMU_PSCI_RET_SUCCESS;
        } else if (!target) {
            ret[0] = QEMU_PSCI_RET_INVALID_PARAMS;
        } else {
            ret[0] = ARM_CPU(target)->power_state;
        }
        return 0;
    case QEMU_PSCI_0_2_FN_CPU_ON:
        ret[0] = arm_get_cpu_by_id(arg[1]) ? QEMU_PSCI_RET_ALREADY_ON
                                           : QEMU_PSCI_RET_INVALID_PARAMS;
        return 0;
    case QEMU_PSCI_0_2_FN_CPU_SUSPEND:
        /* A standby that ends at once is a valid suspend: nothing is lost. */
        ret[0] = (arg[1] & 0xfffe0000) ? QEMU_PSCI_RET_INVALID_PARAMS
                                       : QEMU_PSCI_RET_SUCCESS;
        return 0;
    case QEMU_PSCI_0_2_FN_CPU_OFF:
        cpu->halted = 1;
        return EXCP_HLT;
    case QEMU_PSCI_0_2_FN_SYSTEM_OFF:
        qemu_system_shutdown_request(SHUTDOWN_CAUSE_GUEST_SHUTDOWN);
        cpu->halted = 1;
        return EXCP_HLT;
    case QEMU_PSCI_0_2_FN_SYSTEM_RESET:
        qemu_system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
        return EXCP_INTERRUPT;
    default:
        ret[0] = QEMU_PSCI_RET_NOT_SUPPORTED;
        return 0;
    }
}
