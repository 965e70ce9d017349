/*
 * armkvm accelerator: guest RAM in a native mode.
 *
 * Guest RAM is the block the host module allocated at CREATE_VM (physically
 * contiguous, possibly at guest-physical = host-physical), mapped from the
 * VM fd. Two parts, so that boards use ms->ram as under any accelerator:
 * - memory-backend-armkvm, a host memory backend whose memory is that
 *   mapping; the accelerator makes it the machine's memory-backend before
 *   the board is built;
 * - a MemoryListener that tells the module where the board put it
 *   (ARMKVM_SET_USER_MEMORY_REGION, as KVM's listener does), and refuses
 *   RAM that is not the VM's: the guest could not reach it natively.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "qapi/error.h"
#include "qom/object_interfaces.h"
#include "exec/address-spaces.h"
#include "exec/memory.h"
#include "hw/boards.h"
#include "system/armkvm.h"
#include "system/hostmem.h"
#include "armkvm-int.h"
#include "trace.h"

#include <sys/ioctl.h>
#include <sys/mman.h>
#include <linux/armkvm.h>

#define TYPE_MEMORY_BACKEND_ARMKVM "memory-backend-armkvm"

static bool armkvm_backend_alloc(HostMemoryBackend *backend, Error **errp)
{
    ArmkvmVM *vm = &armkvm.vm;
    g_autofree char *name = NULL;
    void *ram;

    if (vm->fd < 0) {
        error_setg(errp, TYPE_MEMORY_BACKEND_ARMKVM " is the RAM of an armkvm "
                   "VM: only -accel armkvm,mode=privileged creates one");
        return false;
    }
    if (vm->ram) {
        error_setg(errp, TYPE_MEMORY_BACKEND_ARMKVM ": the VM's RAM has its "
                   "backend already (the machine's memory-backend)");
        return false;
    }
    if (backend->size != vm->ram_size) {
        error_setg(errp, TYPE_MEMORY_BACKEND_ARMKVM ": %" PRIu64 " MiB asked "
                   "for, but the VM has %" PRIu64 " MiB of RAM (-m)",
                   backend->size >> 20, vm->ram_size >> 20);
        return false;
    }
    ram = mmap(NULL, vm->ram_size, PROT_READ | PROT_WRITE, MAP_SHARED,
               vm->fd, 0);
    if (ram == MAP_FAILED) {
        error_setg_errno(errp, errno, "armkvm: cannot map the VM's RAM");
        return false;
    }
    name = host_memory_backend_get_name(backend);
    memory_region_init_ram_ptr(&backend->mr, OBJECT(backend), name,
                               vm->ram_size, ram);
    vm->ram = ram;
    return true;
}

static void armkvm_backend_instance_init(Object *obj)
{
    HostMemoryBackend *backend = MEMORY_BACKEND(obj);

    /* Shared with the module; pinned and physically contiguous: no KSM. */
    backend->share = true;
    backend->merge = false;
}

static void armkvm_backend_class_init(ObjectClass *oc, void *data)
{
    MEMORY_BACKEND_CLASS(oc)->alloc = armkvm_backend_alloc;
}

static const TypeInfo armkvm_backend_info = {
    .name = TYPE_MEMORY_BACKEND_ARMKVM,
    .parent = TYPE_MEMORY_BACKEND,
    .instance_init = armkvm_backend_instance_init,
    .class_init = armkvm_backend_class_init,
};

/*
 * The machine's RAM backend, made as QEMU's create_default_memdev() makes
 * one (the same RAMBlock name as under TCG), before the board is built.
 */
static bool armkvm_backend_create(MachineState *ms, Error **errp)
{
    const char *id = MACHINE_GET_CLASS(ms)->default_ram_id;
    Object *obj = object_new(TYPE_MEMORY_BACKEND_ARMKVM);
    bool ok = false;

    if (!object_property_set_uint(obj, "size", ms->ram_size, errp)) {
        goto out;
    }
    object_property_add_child(object_get_objects_root(),
                              id ? id : "armkvm.ram", obj);
    if (!object_property_set_bool(obj, "x-use-canonical-path-for-ramblock-id",
                                  false, errp) ||
        !user_creatable_complete(USER_CREATABLE(obj), errp)) {
        goto out;
    }
    ok = object_property_set_link(OBJECT(ms), "memory-backend", obj, errp);
out:
    if (!ok && obj->parent) {
        /* The id is the default backend's: free it for a TCG fallback. */
        object_unparent(obj);
    }
    object_unref(obj);
    return ok;
}

static void armkvm_region_refuse(MemoryRegionSection *s, const char *why)
{
    error_report("armkvm: RAM '%s' at 0x%" HWADDR_PRIx " (%" PRIu64 " KiB) "
                 "%s: a natively running guest has the VM's RAM only, whole, "
                 "from " TYPE_MEMORY_BACKEND_ARMKVM " (drop -machine "
                 "memory-backend= and RAM devices)", memory_region_name(s->mr),
                 s->offset_within_address_space,
                 int128_get64(s->size) >> 10, why);
    exit(1);
}

/* Slot 0 at gpa, or deleted (size 0); exits QEMU if the module refuses. */
static void armkvm_set_memory_region(hwaddr gpa, uint64_t size)
{
    ArmkvmVM *vm = &armkvm.vm;
    struct armkvm_userspace_memory_region r = {
        .slot = 0, .guest_phys_addr = gpa, .memory_size = size,
        .userspace_addr = size ? (uintptr_t)vm->ram : 0,
    };
    int ret = armkvm_vm_ioctl(ARMKVM_SET_USER_MEMORY_REGION, &r);

    trace_armkvm_set_memory_region(r.slot, gpa, size, vm->ram, ret);
    if (ret == -EBUSY) {
        error_report("armkvm: guest RAM cannot move or go away once the "
                     "guest has run (it stays at 0x%" PRIx64 "): the board "
                     "must keep RAM where it mapped it", vm->ram_gpa);
        exit(1);
    }
    if (ret < 0) {
        error_report("armkvm: the module refused guest RAM at 0x%" HWADDR_PRIx
                     " (%" PRIu64 " MiB): %s; RAM must start on a MiB "
                     "boundary and end below 0xbf000000 (-M armkvm-virt,"
                     "ram-base=)", gpa, size >> 20, strerror(-ret));
        exit(1);
    }
    if (size) {
        vm->ram_gpa = gpa;
    }
}

/* Where the section's memory is in QEMU. */
static void *armkvm_section_host(MemoryRegionSection *s)
{
    uint8_t *base = memory_region_get_ram_ptr(s->mr);

    return base + s->offset_within_region;
}

static void armkvm_region_add(MemoryListener *l, MemoryRegionSection *s)
{
    ArmkvmVM *vm = &armkvm.vm;
    hwaddr gpa = s->offset_within_address_space;

    if (!memory_region_is_ram(s->mr)) {
        return;         /* a device: its accesses exit to QEMU */
    }
    if (armkvm_section_host(s) != vm->ram ||
        int128_get64(s->size) != vm->ram_size) {
        armkvm_region_refuse(s, "is not the VM's RAM");
    }
    if (vm->ram_mapped) {
        armkvm_region_refuse(s, "is mapped twice");
    }
    if (vm->has_user_memory) {
        armkvm_set_memory_region(gpa, vm->ram_size);
    } else if (gpa != vm->ram_gpa) {
        error_report("armkvm: the board put guest RAM at 0x%" HWADDR_PRIx
                     ", the VM has it at 0x%" PRIx64 ", and this armkvm "
                     "module cannot move it (no ARMKVM_CAP_USER_MEMORY): "
                     "load a newer module", gpa, vm->ram_gpa);
        exit(1);
    }
    vm->ram_mapped = true;
}

static void armkvm_region_del(MemoryListener *l, MemoryRegionSection *s)
{
    ArmkvmVM *vm = &armkvm.vm;

    if (!memory_region_is_ram(s->mr) || !vm->ram_mapped ||
        armkvm_section_host(s) != vm->ram) {
        return;
    }
    if (vm->has_user_memory) {
        armkvm_set_memory_region(s->offset_within_address_space, 0);
    }
    vm->ram_mapped = false;
}

static MemoryListener armkvm_memory_listener = {
    .name = "armkvm",
    .region_add = armkvm_region_add,
    .region_del = armkvm_region_del,
    .priority = MEMORY_LISTENER_PRIORITY_ACCEL,
};

int armkvm_memory_init(MachineState *ms)
{
    Error *err = NULL;

    if (armkvm.vm.user_memory) {
        armkvm_user_memory_init();
        return 0;
    }
    armkvm.vm.has_user_memory = ioctl(armkvm.dev.fd, ARMKVM_CHECK_EXTENSION,
                                      ARMKVM_CAP_USER_MEMORY) > 0;
    if (!armkvm_backend_create(ms, &err)) {
        error_report_err(err);
        return -EINVAL;
    }
    memory_listener_register(&armkvm_memory_listener, &address_space_memory);
    return 0;
}

bool armkvm_memory_ready(void)
{
    return armkvm.vm.ram_mapped;
}

static void armkvm_memory_register_types(void)
{
    type_register_static(&armkvm_backend_info);
}

type_init(armkvm_memory_register_types);
