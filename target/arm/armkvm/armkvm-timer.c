/*
 * armkvm: the guest's physical timer output, wired as under TCG.
 *
 * The guest's CNTP runs on the real CPU; the module reports its output after
 * every RUN, and it goes where the board connected the CPU's GTIMER_PHYS
 * output (armkvm-virt: the GIC's PPI). With the module's GIC, the module
 * raises that PPI itself and this is not called.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "cpu.h"
#include "hw/irq.h"
#include "armkvm-arm.h"

void armkvm_arch_set_timer_output(CPUState *cpu, bool level)
{
    qemu_set_irq(ARM_CPU(cpu)->gt_timer_outputs[GTIMER_PHYS], level);
}
