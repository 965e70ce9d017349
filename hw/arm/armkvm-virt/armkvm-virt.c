/*
 * armkvm-virt: the machine armkvm's paravirtual guests run on.
 *
 * Everything sits below 4 GiB so non-LPAE guests reach it. Guests get an
 * SP804 and, where the CPU has the generic timer, its physical timer only:
 * on the host the stock kernel runs on the virtual timer, which a guest in
 * privileged mode must not touch, while the module gives it the physical
 * one (ARMKVM_CAP_PTIMER).
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/units.h"
#include "qapi/error.h"
#include "qapi/visitor.h"
#include "armkvm-virt.h"
#include "armkvm-gic.h"
#include "hw/arm/boot.h"
#include "hw/char/pl011.h"
#include "hw/intc/arm_gic.h"
#include "hw/qdev-properties.h"
#include "hw/sysbus.h"
#include "system/armkvm.h"
#include "system/system.h"
#include "exec/address-spaces.h"
#include "target/arm/cpu.h"

static const ArmkvmVirtRegion armkvm_virt_fixed_map[AKV_NR_REGIONS] = {
    [AKV_GIC_DIST] = { 0x08000000, 0x00001000 },
    [AKV_GIC_CPU]  = { 0x08010000, 0x00002000 },
    [AKV_UART]     = { 0x09000000, 0x00001000 },
    [AKV_RTC]      = { 0x09010000, 0x00001000 },
    [AKV_TIMER]    = { 0x09020000, 0x00001000 },
    [AKV_VIRTIO]   = { 0x0a000000, AKV_NUM_VIRTIO * AKV_VIRTIO_SIZE },
};

/* Lowest address RAM may start at: above every device. */
#define AKV_RAM_BASE_MIN 0x10000000ULL

static bool armkvm_virt_check_ram(ArmkvmVirtState *s, MachineState *ms,
                                  Error **errp)
{
    if (s->ram_base < AKV_RAM_BASE_MIN || s->ram_base >= AKV_PHYS_LIMIT ||
        s->ram_base & (16 * MiB - 1)) {
        error_setg(errp, "armkvm-virt: ram-base 0x%" PRIx64 " must be a "
                   "multiple of 16 MiB in [0x%llx, 0x%llx)",
                   s->ram_base, AKV_RAM_BASE_MIN, AKV_PHYS_LIMIT);
        return false;
    }
    if (ms->ram_size > AKV_PHYS_LIMIT - s->ram_base) {
        error_setg(errp, "armkvm-virt: %" PRIu64 " MiB of RAM does not fit "
                   "below 4 GiB at ram-base 0x%" PRIx64 " (at most %" PRIu64
                   " MiB)", ms->ram_size / MiB, s->ram_base,
                   (uint64_t)((AKV_PHYS_LIMIT - s->ram_base) / MiB));
        return false;
    }
    return true;
}

static void armkvm_virt_create_cpus(MachineState *ms)
{
    for (unsigned int n = 0; n < ms->smp.cpus; n++) {
        Object *cpu = object_new(ms->cpu_type);

        /* A pre-virtualization-extensions, non-secure board. */
        if (object_property_find(cpu, "has_el3")) {
            object_property_set_bool(cpu, "has_el3", false, &error_abort);
        }
        if (object_property_find(cpu, "has_el2")) {
            object_property_set_bool(cpu, "has_el2", false, &error_abort);
        }
        object_property_set_int(cpu, "mp-affinity",
                                arm_build_mp_affinity(n,
                                    ARM_DEFAULT_CPUS_PER_CLUSTER),
                                &error_abort);
        qdev_realize(DEVICE(cpu), NULL, &error_fatal);
        object_unref(cpu);
    }
}

/*
 * The host module's GIC: it serves GICD and GICC and raises the vCPU's IRQ
 * and the timer's PPI itself, so only the SPIs are wired here, by the caller.
 */
static void armkvm_virt_create_kernel_gic(ArmkvmVirtState *s)
{
    s->gic = qdev_new(TYPE_ARMKVM_GIC);
    qdev_prop_set_uint32(s->gic, "num-irq", AKV_NUM_SPIS + GIC_INTERNAL);
    qdev_prop_set_uint64(s->gic, "dist-base", s->map[AKV_GIC_DIST].base);
    qdev_prop_set_uint64(s->gic, "cpu-base", s->map[AKV_GIC_CPU].base);
    qdev_prop_set_uint32(s->gic, "timer-intid",
                         s->arch_timer ? AKV_INTID_TIMER_NS : 0);
    object_property_add_child(OBJECT(s), "gic", OBJECT(s->gic));
    sysbus_realize_and_unref(SYS_BUS_DEVICE(s->gic), &error_fatal);
}

static void armkvm_virt_create_gic(ArmkvmVirtState *s, unsigned int ncpus)
{
    SysBusDevice *bus;

    if (armkvm_irqchip_in_kernel()) {
        armkvm_virt_create_kernel_gic(s);
        return;
    }
    s->gic = qdev_new(gic_class_name());
    qdev_prop_set_uint32(s->gic, "revision", 2);
    qdev_prop_set_uint32(s->gic, "num-cpu", ncpus);
    qdev_prop_set_uint32(s->gic, "num-irq", AKV_NUM_SPIS + GIC_INTERNAL);
    qdev_prop_set_bit(s->gic, "has-security-extensions", false);
    object_property_add_child(OBJECT(s), "gic", OBJECT(s->gic));
    bus = SYS_BUS_DEVICE(s->gic);
    sysbus_realize_and_unref(bus, &error_fatal);
    sysbus_mmio_map(bus, 0, s->map[AKV_GIC_DIST].base);
    sysbus_mmio_map(bus, 1, s->map[AKV_GIC_CPU].base);

    for (unsigned int i = 0; i < ncpus; i++) {
        DeviceState *cpu = DEVICE(qemu_get_cpu(i));

        int intid_base = AKV_NUM_SPIS + i * GIC_INTERNAL;

        sysbus_connect_irq(bus, i, qdev_get_gpio_in(cpu, ARM_CPU_IRQ));
        sysbus_connect_irq(bus, i + ncpus, qdev_get_gpio_in(cpu, ARM_CPU_FIQ));
        if (s->arch_timer) {
            qdev_connect_gpio_out(cpu, GTIMER_PHYS,
                qdev_get_gpio_in(s->gic, intid_base + AKV_INTID_TIMER_NS));
            qdev_connect_gpio_out(cpu, GTIMER_SEC,
                qdev_get_gpio_in(s->gic, intid_base + AKV_INTID_TIMER_S));
        }
    }
}

static DeviceState *armkvm_virt_add_device(ArmkvmVirtState *s, const char *name,
                                           const char *type, int region,
                                           int spi)
{
    DeviceState *dev = qdev_new(type);

    object_property_add_child(OBJECT(s), name, OBJECT(dev));
    if (!strcmp(type, TYPE_PL011)) {
        qdev_prop_set_chr(dev, "chardev", serial_hd(0));
    }
    sysbus_realize_and_unref(SYS_BUS_DEVICE(dev), &error_fatal);
    sysbus_mmio_map(SYS_BUS_DEVICE(dev), 0, s->map[region].base);
    sysbus_connect_irq(SYS_BUS_DEVICE(dev), 0, qdev_get_gpio_in(s->gic, spi));
    return dev;
}

static void armkvm_virt_create_virtio(ArmkvmVirtState *s)
{
    /*
     * qbus_find_recursive() hands out the newest bus first, so creating the
     * transports from the top down gives the first -device the lowest address.
     */
    for (int i = AKV_NUM_VIRTIO - 1; i >= 0; i--) {
        DeviceState *dev = qdev_new("virtio-mmio");

        /*
         * Virtio 1.x unless asked: the machine's compat property (or a
         * user's -global) has already set "force-legacy".
         */
        if (s->virtio_legacy) {
            qdev_prop_set_bit(dev, "force-legacy", true);
        }
        sysbus_realize_and_unref(SYS_BUS_DEVICE(dev), &error_fatal);
        sysbus_mmio_map(SYS_BUS_DEVICE(dev), 0,
                        s->map[AKV_VIRTIO].base + i * AKV_VIRTIO_SIZE);
        sysbus_connect_irq(SYS_BUS_DEVICE(dev), 0,
                           qdev_get_gpio_in(s->gic, AKV_SPI_VIRTIO + i));
    }
}

static void *armkvm_virt_get_dtb(const struct arm_boot_info *binfo, int *size)
{
    ArmkvmVirtState *s = container_of(binfo, ArmkvmVirtState, boot);

    *size = s->fdt_size;
    return MACHINE(s)->fdt;
}

static void armkvm_virt_init(MachineState *ms)
{
    ArmkvmVirtState *s = ARMKVM_VIRT_MACHINE(ms);
    MemoryRegion *sysmem = get_system_memory();

    if (!s->ram_base) {
        s->ram_base = AKV_DEFAULT_RAM_BASE;
    }
    if (!armkvm_virt_check_ram(s, ms, &error_fatal)) {
        return;
    }
    memcpy(s->map, armkvm_virt_fixed_map, sizeof(s->map));
    s->map[AKV_RAM].base = s->ram_base;
    s->map[AKV_RAM].size = ms->ram_size;

    armkvm_virt_create_cpus(ms);
    memory_region_add_subregion(sysmem, s->ram_base, ms->ram);
    s->arch_timer = arm_feature(&ARM_CPU(first_cpu)->env,
                                ARM_FEATURE_GENERIC_TIMER) &&
                    armkvm_guest_has_ptimer();
    armkvm_virt_create_gic(s, ms->smp.cpus);
    armkvm_virt_add_device(s, "uart", TYPE_PL011, AKV_UART, AKV_SPI_UART);
    armkvm_virt_add_device(s, "rtc", "pl031", AKV_RTC, AKV_SPI_RTC);
    armkvm_virt_add_device(s, "timer", "sp804", AKV_TIMER, AKV_SPI_TIMER);
    armkvm_virt_create_virtio(s);

    armkvm_virt_build_fdt(s);

    s->boot.ram_size = ms->ram_size;
    s->boot.loader_start = s->ram_base;
    s->boot.board_id = -1;
    s->boot.get_dtb = armkvm_virt_get_dtb;
    /* Without EL2/EL3 the guest's HVC is the PSCI call QEMU serves. */
    s->boot.psci_conduit = QEMU_PSCI_CONDUIT_HVC;
    arm_load_kernel(ARM_CPU(first_cpu), ms, &s->boot);
}

static void armkvm_virt_get_ram_base(Object *obj, Visitor *v, const char *name,
                                     void *opaque, Error **errp)
{
    visit_type_uint64(v, name, &ARMKVM_VIRT_MACHINE(obj)->ram_base, errp);
}

static void armkvm_virt_set_ram_base(Object *obj, Visitor *v, const char *name,
                                     void *opaque, Error **errp)
{
    visit_type_uint64(v, name, &ARMKVM_VIRT_MACHINE(obj)->ram_base, errp);
}

static bool armkvm_virt_get_virtio_legacy(Object *obj, Error **errp)
{
    return ARMKVM_VIRT_MACHINE(obj)->virtio_legacy;
}

static void armkvm_virt_set_virtio_legacy(Object *obj, bool value, Error **errp)
{
    ARMKVM_VIRT_MACHINE(obj)->virtio_legacy = value;
}

static void armkvm_virt_instance_init(Object *obj)
{
    ARMKVM_VIRT_MACHINE(obj)->ram_base = 0;     /* auto: see the description */
}

static GlobalProperty armkvm_virt_globals[] = {
    /* Paravirtual guests are new kernels: give them virtio 1.x transports. */
    { "virtio-mmio", "force-legacy", "false" },
};

static void armkvm_virt_class_init(ObjectClass *oc, void *data)
{
    MachineClass *mc = MACHINE_CLASS(oc);
    static const char * const valid_cpu_types[] = {
        ARM_CPU_TYPE_NAME("cortex-a7"),
        ARM_CPU_TYPE_NAME("cortex-a15"),
        NULL
    };

    mc->desc = "armkvm paravirtual machine (ARMv7, GICv2, SP804, virtio-mmio)";
    mc->init = armkvm_virt_init;
    mc->max_cpus = AKV_MAX_CPUS;
    mc->default_cpu_type = ARM_CPU_TYPE_NAME("cortex-a15");
    mc->valid_cpu_types = valid_cpu_types;
    mc->default_ram_size = 256 * MiB;
    mc->default_ram_id = "armkvm-virt.ram";
    mc->minimum_page_bits = 12;
    mc->no_cdrom = 1;
    mc->no_floppy = 1;
    mc->no_parallel = 1;
    compat_props_add(mc->compat_props, armkvm_virt_globals,
                     G_N_ELEMENTS(armkvm_virt_globals));

    object_class_property_add(oc, "ram-base", "uint64",
                              armkvm_virt_get_ram_base,
                              armkvm_virt_set_ram_base, NULL, NULL);
    object_class_property_set_description(oc, "ram-base",
        "Guest-physical address of RAM (16 MiB aligned, below 4 GiB); "
        "0 (default): 0x40000000, or under -accel armkvm's privileged mode "
        "the RAM's host-physical address (guest page tables need it)");

    object_class_property_add_bool(oc, "virtio-legacy",
                                   armkvm_virt_get_virtio_legacy,
                                   armkvm_virt_set_virtio_legacy);
    object_class_property_set_description(oc, "virtio-legacy",
        "Legacy (pre-1.0, version 1) virtio-mmio transports, for guests "
        "whose drivers predate virtio 1.0 (Linux before 4.0); default off: "
        "virtio 1.x transports (version 2)");
}

static const TypeInfo armkvm_virt_info = {
    .name = TYPE_ARMKVM_VIRT_MACHINE,
    .parent = TYPE_MACHINE,
    .instance_size = sizeof(ArmkvmVirtState),
    .instance_init = armkvm_virt_instance_init,
    .class_init = armkvm_virt_class_init,
};

static void armkvm_virt_register_types(void)
{
    type_register_static(&armkvm_virt_info);
}

type_init(armkvm_virt_register_types)
