/*
 * armkvm-gic: the guest's GICv2 when the host module serves it.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_ARM_ARMKVM_GIC_H
#define HW_ARM_ARMKVM_GIC_H

/*
 * Properties: num-irq (32 + SPIs), dist-base, cpu-base, timer-intid (the
 * PPI of the guest's physical timer, or 0). GPIO input n is SPI n (INTID
 * 32 + n), like the first inputs of QEMU's GIC, so a board wires its
 * devices the same way to either.
 */
#define TYPE_ARMKVM_GIC "armkvm-gic"

#endif
