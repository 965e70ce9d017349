/*
 * armkvm accelerator: what a saved or migrated VM must find where it lands.
 *
 * The vCPU, the in-kernel GIC and the devices carry their own state; this
 * file adds where guest RAM is, and which of it a live migration must send
 * again.
 *
 * A guest running natively writes its RAM without QEMU seeing it, and the
 * module does not track dirty pages yet. So a dirty-log sync reports all of
 * guest RAM dirty if a vCPU has entered the guest since the last sync: a
 * live migration is correct for any guest (the last sync, with the vCPUs
 * stopped, sends everything once more), and converges only when the whole
 * RAM fits in the downtime budget (downtime-limit times the bandwidth); a
 * stopped VM's migration makes one pass. Write-protecting shadow mappings
 * (isolated mode) is the tracking that will replace it.
 *
 * Where guest RAM is: Privileged mode with ram-base auto
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
#include "exec/memory.h"
#include "exec/ram_addr.h"
#include "exec/address-spaces.h"
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

/* Set before every ARMKVM_RUN, taken by the next sync. */
static bool armkvm_guest_ran;

void armkvm_note_guest_ran(void)
{
    qatomic_set(&armkvm_guest_ran, true);
}

static int armkvm_dirty_block(RAMBlock *rb, void *opaque)
{
    cpu_physical_memory_set_dirty_range(qemu_ram_get_offset(rb),
                                        qemu_ram_get_used_length(rb),
                                        1 << DIRTY_MEMORY_MIGRATION);
    return 0;
}

static void armkvm_log_sync_global(MemoryListener *l, bool last_stage)
{
    if (qatomic_xchg(&armkvm_guest_ran, false)) {
        qemu_ram_foreach_block(armkvm_dirty_block, NULL);
    }
}

static MemoryListener armkvm_dirty_listener = {
    .name = "armkvm-dirty",
    .log_sync_global = armkvm_log_sync_global,
    .priority = MEMORY_LISTENER_PRIORITY_ACCEL,
};

void armkvm_migration_register(void)
{
    memory_listener_register(&armkvm_dirty_listener, &address_space_memory);
    vmstate_register(NULL, 0, &vmstate_armkvm_ram_place,
                     &armkvm_saved_place);
}
