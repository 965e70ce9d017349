/*
 * armkvm accelerator: isolated mode's guest RAM is QEMU's own.
 *
 * With ARMKVM_CAP_ISOLATED_USER_MEMORY the VM has no block of the module's:
 * the board's RAM is an ordinary backend, of any size the board allows, and
 * a MemoryListener gives each RAM section to the module as a memory slot
 * (ARMKVM_SET_USER_MEMORY_REGION, as KVM's listener does). The module pins
 * pages as the guest touches them and maps them into its shadow page tables;
 * nothing else (ROM, devices) is a slot, so its accesses exit to QEMU.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "exec/address-spaces.h"
#include "exec/memory.h"
#include "system/armkvm.h"
#include "armkvm-int.h"
#include "trace.h"

#include <sys/ioctl.h>
#include <linux/armkvm.h>

typedef struct ArmkvmUserSlot {
    hwaddr gpa;
    uint64_t size;              /* 0: free */
} ArmkvmUserSlot;

static ArmkvmUserSlot armkvm_user_slots[ARMKVM_USER_SLOTS];

static int armkvm_user_slot_set(int slot, hwaddr gpa, uint64_t size,
                                void *host)
{
    struct armkvm_userspace_memory_region r = {
        .slot = slot, .guest_phys_addr = gpa, .memory_size = size,
        .userspace_addr = (uintptr_t)host,
    };
    int ret = armkvm_vm_ioctl(ARMKVM_SET_USER_MEMORY_REGION, &r);

    trace_armkvm_set_memory_region(slot, gpa, size, host, ret);
    return ret;
}

static void armkvm_user_region_add(MemoryListener *l, MemoryRegionSection *s)
{
    hwaddr gpa = s->offset_within_address_space;
    uint64_t size = int128_get64(s->size);
    void *host;
    int slot, ret;

    /* ROM and devices are not slots: their accesses exit (code runs from RAM). */
    if (!memory_region_is_ram(s->mr) || memory_region_is_rom(s->mr) ||
        s->readonly) {
        return;
    }
    host = (uint8_t *)memory_region_get_ram_ptr(s->mr) + s->offset_within_region;
    for (slot = 0; slot < ARMKVM_USER_SLOTS; slot++) {
        if (!armkvm_user_slots[slot].size) {
            break;
        }
    }
    if (slot == ARMKVM_USER_SLOTS) {
        error_report("armkvm: RAM '%s' at 0x%" HWADDR_PRIx ": isolated mode "
                     "takes at most %d RAM regions", memory_region_name(s->mr),
                     gpa, ARMKVM_USER_SLOTS);
        exit(1);
    }
    ret = armkvm_user_slot_set(slot, gpa, size, host);
    if (ret == -ENOMEM) {
        error_report("armkvm: cannot give the module %" PRIu64 " MiB of "
                     "guest RAM at 0x%" HWADDR_PRIx ": it stays pinned, and "
                     "that is more than this process may lock (raise "
                     "RLIMIT_MEMLOCK, ulimit -l, to at least %" PRIu64 " KiB)",
                     size >> 20, gpa, size >> 10);
        exit(1);
    }
    if (ret < 0) {
        error_report("armkvm: the module refused RAM '%s' at 0x%" HWADDR_PRIx
                     " (%" PRIu64 " KiB): %s; isolated mode's RAM must be "
                     "page aligned, below 4 GiB and clear of 0xbf000000-"
                     "0xbfffffff, and cannot change once the guest has run",
                     memory_region_name(s->mr), gpa, size >> 10,
                     strerror(-ret));
        exit(1);
    }
    armkvm_user_slots[slot] = (ArmkvmUserSlot) { .gpa = gpa, .size = size };
    armkvm.vm.ram_mapped = true;
}

static void armkvm_user_region_del(MemoryListener *l, MemoryRegionSection *s)
{
    hwaddr gpa = s->offset_within_address_space;
    int slot, ret;

    for (slot = 0; slot < ARMKVM_USER_SLOTS; slot++) {
        if (armkvm_user_slots[slot].size &&
            armkvm_user_slots[slot].gpa == gpa) {
            break;
        }
    }
    if (slot == ARMKVM_USER_SLOTS) {
        return;
    }
    ret = armkvm_user_slot_set(slot, gpa, 0, NULL);
    if (ret < 0) {
        error_report("armkvm: guest RAM at 0x%" HWADDR_PRIx " cannot go "
                     "away once the guest has run: %s", gpa, strerror(-ret));
        exit(1);
    }
    armkvm_user_slots[slot].size = 0;
}

static MemoryListener armkvm_user_memory_listener = {
    .name = "armkvm-user-memory",
    .region_add = armkvm_user_region_add,
    .region_del = armkvm_user_region_del,
    .priority = MEMORY_LISTENER_PRIORITY_ACCEL,
};

void armkvm_user_memory_init(void)
{
    memory_listener_register(&armkvm_user_memory_listener,
                             &address_space_memory);
}
