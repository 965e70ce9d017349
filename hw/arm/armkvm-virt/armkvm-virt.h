/*
 * armkvm-virt: the machine armkvm's paravirtual guests run on.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_ARM_ARMKVM_VIRT_H
#define HW_ARM_ARMKVM_VIRT_H

#include "hw/boards.h"
#include "hw/arm/boot.h"
#include "qom/object.h"

#define TYPE_ARMKVM_VIRT_MACHINE MACHINE_TYPE_NAME("armkvm-virt")
OBJECT_DECLARE_SIMPLE_TYPE(ArmkvmVirtState, ARMKVM_VIRT_MACHINE)

/* Regions of the memory map (docs/memory-map.md); "ram-base" places RAM. */
enum {
    AKV_GIC_DIST,
    AKV_GIC_CPU,
    AKV_UART,
    AKV_RTC,
    AKV_TIMER,
    AKV_VIRTIO,
    AKV_RAM,
    AKV_NR_REGIONS
};

typedef struct ArmkvmVirtRegion {
    hwaddr base;
    hwaddr size;
} ArmkvmVirtRegion;

#define AKV_MAX_CPUS            4
#define AKV_NUM_VIRTIO          32
#define AKV_VIRTIO_SIZE         0x200
#define AKV_NUM_SPIS            64
#define AKV_DEFAULT_RAM_BASE    0x40000000ULL
/* Non-LPAE guests see 32 bits of physical address space. */
#define AKV_PHYS_LIMIT          0x100000000ULL
#define AKV_TIMER_HZ            1000000     /* QEMU's SP804 counts at 1 MHz */
#define AKV_APB_CLOCK_HZ        24000000

/* SPI numbers (GIC interrupt ID minus 32). */
/* The generic timer's physical timer: secure and non-secure PPI (INTIDs). */
#define AKV_INTID_TIMER_S       29
#define AKV_INTID_TIMER_NS      30

#define AKV_SPI_UART            1
#define AKV_SPI_RTC             2
#define AKV_SPI_TIMER           3
#define AKV_SPI_VIRTIO          16

struct ArmkvmVirtState {
    MachineState parent_obj;

    uint64_t ram_base;
    bool virtio_legacy;         /* pre-1.0 virtio-mmio transports (version 1) */
    ArmkvmVirtRegion map[AKV_NR_REGIONS];
    DeviceState *gic;
    bool arch_timer;            /* the guest gets the CPU's generic timer */
    struct arm_boot_info boot;
    int fdt_size;
};

void armkvm_virt_build_fdt(ArmkvmVirtState *s);

#endif
