/*
 * armkvm accelerator: what a saved or migrated VM must find where it lands.
 *
 * The vCPU, the in-kernel GIC and the devices carry their own state; this
 * section carries where guest RAM is. Privileged mode with ram-base auto
 * (ARMKVM_VM_GPA_IS_HPA) gives the guest its RAM's host-physical address,
 * which its own page tables then hold: restored into RAM anywhere else, such
 * a guest would run on addresses that are no longer its memory. The load is
 * refused instead, saying why and what would work.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "migration/vmstate.h"
#include "armkvm-int.h"

typedef struct ArmkvmRamPlace {
    uint64_t gpa;
    uint64_t size;
    uint8_t gpa_is_hpa;
} ArmkvmRamPlace;

static ArmkvmRamPlace armkvm_saved_place;

static int armkvm_ram_place_pre_save(void *opaque)
{
    ArmkvmRamPlace *p = opaque;

    p->gpa = armkvm.vm.ram_gpa;
    p->size = armkvm.vm.ram_size;
    p->gpa_is_hpa = armkvm.vm.gpa_is_hpa;
    return 0;
}

static int armkvm_ram_place_post_load(void *opaque, int version_id)
{
    ArmkvmRamPlace *p = opaque;

    if (p->gpa != armkvm.vm.ram_gpa || p->size != armkvm.vm.ram_size) {
        error_report("armkvm: the saved guest's RAM was %" PRIu64 " MiB at "
                     "host-physical 0x%" PRIx64 " (privileged mode, ram-base "
                     "auto), which its own page tables hold; this VM's RAM is "
                     "%" PRIu64 " MiB at 0x%" PRIx64 ": it cannot be restored "
                     "here. Restore it where that host memory is free, or run "
                     "guests that must move with an explicit ram-base "
                     "(docs/modes.md)", p->size >> 20, p->gpa,
                     armkvm.vm.ram_size >> 20, armkvm.vm.ram_gpa);
        return -EINVAL;
    }
    return 0;
}

/*
 * Sent only for such a guest: others carry nothing armkvm-specific here, so
 * that their state also loads under another accelerator (TCG).
 */
static bool armkvm_ram_place_needed(void *opaque)
{
    return armkvm.vm.gpa_is_hpa;
}

static const VMStateDescription vmstate_armkvm_ram_place = {
    .name = "armkvm-ram-place",
    .version_id = 1,
    .minimum_version_id = 1,
    .needed = armkvm_ram_place_needed,
    .pre_save = armkvm_ram_place_pre_save,
    .post_load = armkvm_ram_place_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT64(gpa, ArmkvmRamPlace),
        VMSTATE_UINT64(size, ArmkvmRamPlace),
        VMSTATE_UINT8(gpa_is_hpa, ArmkvmRamPlace),
        VMSTATE_END_OF_LIST()
    },
};

void armkvm_migration_register(void)
{
    vmstate_register(NULL, 0, &vmstate_armkvm_ram_place,
                     &armkvm_saved_place);
}
