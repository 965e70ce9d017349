/*
 * armkvm: is the guest image armkvm-aware?
 *
 * Privileged mode runs natively only an image that says so
 * (ARMKVM_GUEST_MARKER near its entry point): any other guest would take the
 * host's CPU with its own vectors, page tables and interrupt masking. Where
 * the entry point is, is the ARM boot loader's knowledge (hw/arm/boot.c).
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "cpu.h"
#include "exec/address-spaces.h"
#include "hw/arm/boot.h"
#include "armkvm-arm.h"

#include <linux/armkvm.h>

void armkvm_arch_check_guest_aware(CPUState *cpu)
{
    static bool checked;
    ARMCPU *arm = ARM_CPU(cpu);
    const struct arm_boot_info *bi = arm->env.boot_info;
    uint64_t entry = bi && bi->entry ? bi->entry : arm->env.regs[15];
    g_autofree uint8_t *buf = NULL;

    if (checked) {
        return;
    }
    checked = true;
    buf = g_malloc0(ARMKVM_GUEST_MARKER_WINDOW);
    /* A window that runs past RAM reads as zeros there: no marker. */
    address_space_read(&address_space_memory, entry, MEMTXATTRS_UNSPECIFIED,
                       buf, ARMKVM_GUEST_MARKER_WINDOW);
    for (int i = 0; i + ARMKVM_GUEST_MARKER_SIZE <= ARMKVM_GUEST_MARKER_WINDOW;
         i += 4) {
        if (!memcmp(buf + i, ARMKVM_GUEST_MARKER, ARMKVM_GUEST_MARKER_SIZE)) {
            return;
        }
    }
    error_report("armkvm: the guest image (entry 0x%" PRIx64 ") is not "
                 "armkvm-aware: mode 'privileged' runs only guests that "
                 "carry the armkvm marker (docs/modes.md); run this one with "
                 "-accel armkvm,mode=auto or -accel tcg", entry);
    exit(1);
}
