/*
 * armkvm: isolated mode's paravirtual words across save and restore.
 *
 * A Linux guest in isolated mode names words of its RAM to the module by
 * hypercalls (its interrupt mask, the word its entry code would load into
 * TPIDRURO). They are not registers of CPUARMState, so they travel in a
 * section of their own, "armkvm-pv", one per vCPU, sent only while a word is
 * named: a guest that names none (every bare-metal test guest) still moves
 * to TCG. A restore names them again in the module at the vCPU's next put,
 * after the registers (the module needs the guest's MMU on to name a word).
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "migration/vmstate.h"
#include "armkvm-arm.h"

#include <sys/ioctl.h>
#include <linux/armkvm.h>

static const uint64_t armkvm_pv_ids[ARMKVM_NR_PV_REGS] = {
    ARMKVM_REG_PV_IRQ_WORDS, ARMKVM_REG_PV_ENTRY_TPIDRURO,
};

bool armkvm_pv_reg_listed(ArmkvmArchVcpu *arch, uint64_t id)
{
    for (int i = 0; i < ARMKVM_NR_PV_REGS; i++) {
        if (armkvm_pv_ids[i] == id) {
            arch->pv_present[i] = true;
            return true;
        }
    }
    return false;
}

static int armkvm_pv_one_reg(int vcpu_fd, unsigned long request, int i,
                             uint32_t *v)
{
    struct armkvm_one_reg reg = {
        .id = armkvm_pv_ids[i], .addr = (uintptr_t)v,
    };

    return ioctl(vcpu_fd, request, &reg) < 0 ? -errno : 0;
}

void armkvm_pv_get(CPUState *cpu, ArmkvmArchVcpu *arch, int vcpu_fd)
{
    for (int i = 0; i < ARMKVM_NR_PV_REGS; i++) {
        int ret;

        if (!arch->pv_present[i]) {
            continue;
        }
        ret = armkvm_pv_one_reg(vcpu_fd, ARMKVM_GET_ONE_REG, i,
                                &arch->pv_named[i]);
        if (ret) {
            error_report("armkvm: vCPU %d: reading paravirtual register "
                         "0x%016" PRIx64 ": %s", cpu->cpu_index,
                         armkvm_pv_ids[i], strerror(-ret));
            exit(1);
        }
    }
}

void armkvm_pv_put(CPUState *cpu, ArmkvmArchVcpu *arch, int vcpu_fd)
{
    if (!arch->pv_loaded) {
        return;
    }
    arch->pv_loaded = false;
    for (int i = 0; i < ARMKVM_NR_PV_REGS; i++) {
        int ret;

        if (!arch->pv_present[i]) {
            if (arch->pv_named[i]) {
                error_report("armkvm: vCPU %d: the saved guest named a "
                             "paravirtual word (0x%016" PRIx64 "), which "
                             "this mode does not have", cpu->cpu_index,
                             armkvm_pv_ids[i]);
                exit(1);
            }
            continue;
        }
        ret = armkvm_pv_one_reg(vcpu_fd, ARMKVM_SET_ONE_REG, i,
                                &arch->pv_named[i]);
        if (ret) {
            error_report("armkvm: vCPU %d: naming the saved guest's "
                         "paravirtual word 0x%016" PRIx64 " at 0x%08x: %s",
                         cpu->cpu_index, armkvm_pv_ids[i],
                         arch->pv_named[i] & ~ARMKVM_REG_PV_NAMED,
                         strerror(-ret));
            exit(1);
        }
    }
}

static bool armkvm_pv_needed(void *opaque)
{
    ArmkvmArchVcpu *arch = opaque;

    for (int i = 0; i < ARMKVM_NR_PV_REGS; i++) {
        if (arch->pv_named[i]) {
            return true;
        }
    }
    return false;
}

static int armkvm_pv_post_load(void *opaque, int version_id)
{
    ArmkvmArchVcpu *arch = opaque;

    arch->pv_loaded = true;
    return 0;
}

static const VMStateDescription vmstate_armkvm_pv = {
    .name = "armkvm-pv",
    .version_id = 1,
    .minimum_version_id = 1,
    .needed = armkvm_pv_needed,
    .post_load = armkvm_pv_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32_ARRAY(pv_named, ArmkvmArchVcpu, ARMKVM_NR_PV_REGS),
        VMSTATE_END_OF_LIST()
    },
};

void armkvm_pv_register(CPUState *cpu, ArmkvmArchVcpu *arch)
{
    vmstate_register(NULL, cpu->cpu_index, &vmstate_armkvm_pv, arch);
}
