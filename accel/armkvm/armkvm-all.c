/*
 * armkvm accelerator: the accelerator object, its modes and start-up.
 *
 * armkvm is shaped like kqemu was: a guest CPU runs natively through the host
 * module (/dev/armkvm) whenever its state allows, and under TCG otherwise.
 * The accelerator therefore extends QEMU's TCG accelerator: TCG is always set
 * up, and the native modes are layered on it.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/units.h"
#include "qapi/error.h"
#include "qemu/accel.h"
#include "qemu/error-report.h"
#include "hw/boards.h"
#include "system/armkvm.h"
#include "armkvm-int.h"
#include "trace.h"

#include <sys/ioctl.h>
#include <linux/armkvm.h>

typedef struct ArmkvmModeInfo {
    const char *name;
    bool needs_module;
    bool supported;
} ArmkvmModeInfo;

static const ArmkvmModeInfo armkvm_modes[ARMKVM_MODE__MAX] = {
    [ARMKVM_MODE_AUTO]       = { "auto",       true,  true },
    [ARMKVM_MODE_PRIVILEGED] = { "privileged", true,  true },
    [ARMKVM_MODE_ISOLATED]   = { "isolated",   true,  true },
    [ARMKVM_MODE_TRUSTZONE]  = { "trustzone",  true,  false },
    [ARMKVM_MODE_TCG]        = { "tcg",        false, true },
};

/*
 * The parent's instance struct is private to accel/tcg, so armkvm keeps its
 * own state here; there is one accelerator per QEMU process.
 */
ArmkvmState armkvm = {
    .mode = ARMKVM_MODE_AUTO, .kernel_irqchip = true,
    .dev = { .fd = -1 }, .vm = { .fd = -1 },
};

bool armkvm_native_enabled(void)
{
    return armkvm.vm.fd >= 0;
}

bool armkvm_guest_has_ptimer(void)
{
    if (!armkvm_native_enabled()) {
        return true;
    }
    return ioctl(armkvm.dev.fd, ARMKVM_CHECK_EXTENSION, ARMKVM_CAP_PTIMER) > 0;
}

bool armkvm_irqchip_in_kernel(void)
{
    return armkvm_native_enabled() && armkvm.kernel_irqchip &&
           ioctl(armkvm.dev.fd, ARMKVM_CHECK_EXTENSION, ARMKVM_CAP_IRQCHIP) > 0;
}

int armkvm_vm_ioctl(unsigned long request, void *arg)
{
    int ret;

    do {
        ret = ioctl(armkvm.vm.fd, request, arg);
    } while (ret < 0 && errno == EINTR);
    return ret < 0 ? -errno : ret;
}

/*
 * Privileged mode: guest RAM is one physically contiguous block the module
 * allocates now, at the guest-physical base the machine was given (or, with
 * ram-base auto, at its host-physical address, which the machine is told).
 * It becomes the machine's memory backend (armkvm-memory.c).
 */
static int armkvm_create_vm(MachineState *ms)
{
    bool isolated = armkvm.mode == ARMKVM_MODE_ISOLATED;
    const char *mode = armkvm_modes[armkvm.mode].name;
    struct armkvm_vm_config cfg = {
        .mode = isolated ? ARMKVM_VM_MODE_ISOLATED : ARMKVM_VM_MODE_PRIVILEGED,
    };
    ArmkvmVM *vm = &armkvm.vm;
    Error *err = NULL;
    bool user_memory;
    int fd, ret;

    if (!object_property_find(OBJECT(ms), "ram-base")) {
        error_report("armkvm: mode '%s' needs the armkvm-virt machine "
                     "(-M armkvm-virt)", mode);
        return -EINVAL;
    }
    /* Registers move one at a time, by ID: the first capability QEMU needs. */
    if (ioctl(armkvm.dev.fd, ARMKVM_CHECK_EXTENSION, ARMKVM_CAP_ONE_REG) <= 0) {
        error_report("armkvm: the loaded armkvm module cannot move registers "
                     "by ID (no ARMKVM_CAP_ONE_REG): load the module built "
                     "with this QEMU");
        return -ENOTSUP;
    }
    cfg.ram_gpa = object_property_get_uint(OBJECT(ms), "ram-base", &err);
    if (err) {
        error_report_err(err);
        return -EINVAL;
    }
    if (!cfg.ram_gpa && isolated) {
        /* Host-physical addresses are privileged mode's: virt's usual base. */
        cfg.ram_gpa = 0x40000000;
        object_property_set_uint(OBJECT(ms), "ram-base", cfg.ram_gpa,
                                 &error_abort);
    } else if (!cfg.ram_gpa) {
        /*
         * ram-base auto: RAM where it really is, so that a guest's own page
         * tables work; 128 MiB aligned, where a Linux zImage decompresses.
         */
        cfg.flags = ARMKVM_VM_GPA_IS_HPA;
        cfg.ram_align = 128 * MiB;
    }
    cfg.ram_size = ms->ram_size;
    /* Isolated mode's RAM, where the module can: QEMU's own, any size. */
    user_memory = isolated && ioctl(armkvm.dev.fd, ARMKVM_CHECK_EXTENSION,
                                    ARMKVM_CAP_ISOLATED_USER_MEMORY) > 0;
    if (user_memory) {
        if (cfg.ram_gpa % qemu_real_host_page_size() ||
            cfg.ram_size % qemu_real_host_page_size() ||
            cfg.ram_gpa > UINT32_MAX ||
            cfg.ram_size > UINT32_MAX + 1ULL - cfg.ram_gpa) {
            error_report("armkvm: ram-base 0x%" PRIx64 " with %" PRIu64
                         " KiB of RAM: guest RAM must be page aligned and end "
                         "within the 32-bit address space",
                         (uint64_t)cfg.ram_gpa,
                         (uint64_t)cfg.ram_size >> 10);
            return -EINVAL;
        }
        cfg.ram_gpa = 0;
        cfg.ram_size = 0;
    } else if (cfg.ram_size > ARMKVM_RAM_MAX ||
               cfg.ram_size % ARMKVM_RAM_ALIGN) {
        error_report("armkvm: %s mode runs guests of up to %u MiB of "
                     "RAM, in whole MiB (asked for %" PRIu64 " KiB): use -m",
                     mode, ARMKVM_RAM_MAX >> 20, (uint64_t)cfg.ram_size >> 10);
        return -EINVAL;
    }
    /* Checked here too, without sums that wrap: the error names the option. */
    if (cfg.ram_gpa % ARMKVM_RAM_ALIGN || cfg.ram_gpa > UINT32_MAX ||
        cfg.ram_size > UINT32_MAX + 1ULL - cfg.ram_gpa) {
        error_report("armkvm: ram-base 0x%" PRIx64 " with %" PRIu64 " MiB of "
                     "RAM: guest RAM must start on a MiB boundary and end "
                     "within the 32-bit address space (-M armkvm-virt,"
                     "ram-base=)", (uint64_t)cfg.ram_gpa,
                     (uint64_t)cfg.ram_size >> 20);
        return -EINVAL;
    }
    fd = ioctl(armkvm.dev.fd, ARMKVM_CREATE_VM, &cfg);
    if (fd < 0) {
        fd = -errno;
    }
    trace_armkvm_create_vm(cfg.ram_gpa, cfg.ram_size, fd);
    if (fd < 0) {
        ret = fd;
        if (ret == -EPERM) {
            error_report("armkvm: the module refused a %s-mode VM: "
                         "it needs CAP_SYS_RAWIO and a kernel that is not "
                         "locked down (docs/modes.md)", mode);
            return ret;
        }

        g_autofree char *where = cfg.ram_gpa ?
            g_strdup_printf("0x%" PRIx64, (uint64_t)cfg.ram_gpa) :
            g_strdup("its host-physical address");

        error_report("armkvm: cannot create the VM (%" PRIu64 " MiB of guest "
                     "RAM at %s): %s", (uint64_t)cfg.ram_size >> 20, where,
                     strerror(-ret));
        return ret;
    }
    vm->run_size = ioctl(armkvm.dev.fd, ARMKVM_GET_VCPU_MMAP_SIZE, 0);
    if (vm->run_size <= 0) {
        ret = vm->run_size < 0 ? -errno : -EINVAL;
        error_report("armkvm: ARMKVM_GET_VCPU_MMAP_SIZE: %s", strerror(-ret));
        close(fd);
        return ret;
    }
    if (cfg.flags & ARMKVM_VM_GPA_IS_HPA) {
        object_property_set_uint(OBJECT(ms), "ram-base", cfg.ram_gpa,
                                 &error_abort);
    }
    vm->fd = fd;
    vm->ram_gpa = cfg.ram_gpa;
    vm->ram_size = cfg.ram_size;
    vm->user_memory = user_memory;
    vm->gpa_is_hpa = cfg.flags & ARMKVM_VM_GPA_IS_HPA;
    /* The board maps RAM as under TCG; the listener tells the module where. */
    ret = armkvm_memory_init(ms);
    if (ret < 0) {
        close(fd);
        vm->fd = -1;
        return ret;
    }
    armkvm_ioeventfd_init();
    return 0;
}

static int (*armkvm_parent_init_machine)(MachineState *ms);

static bool armkvm_get_kernel_irqchip(Object *obj, Error **errp)
{
    return armkvm.kernel_irqchip;
}

static void armkvm_set_kernel_irqchip(Object *obj, bool value, Error **errp)
{
    armkvm.kernel_irqchip = value;
}

static char *armkvm_get_mode(Object *obj, Error **errp)
{
    return g_strdup(armkvm_modes[armkvm.mode].name);
}

static void armkvm_set_mode(Object *obj, const char *value, Error **errp)
{
    for (int m = 0; m < ARMKVM_MODE__MAX; m++) {
        if (!strcmp(value, armkvm_modes[m].name)) {
            armkvm.mode = m;
            return;
        }
    }
    error_setg(errp, "armkvm: unknown mode '%s'", value);
    error_append_hint(errp, "Valid modes: auto, privileged, isolated, "
                      "trustzone, tcg\n");
}

/*
 * Everything that can fail is checked before TCG is set up, so a failure
 * leaves nothing behind and QEMU's accelerator fallback (-accel armkvm
 * -accel tcg) starts from a clean slate.
 */
static int armkvm_init_machine(MachineState *ms)
{
    const ArmkvmModeInfo *mode = &armkvm_modes[armkvm.mode];
    Error *err = NULL;
    int ret;

    if (!mode->supported) {
        error_report("armkvm: mode '%s' is not supported yet "
                     "(supported: auto, privileged, isolated, tcg)",
                     mode->name);
        return -ENOTSUP;
    }

    if (mode->needs_module) {
        ret = armkvm_device_open(&armkvm.dev, &err);
        if (ret < 0) {
            error_report_err(err);
            return ret;
        }
        info_report("armkvm: /dev/armkvm speaks ABI version %d",
                    armkvm.dev.api_version);
    }

    if (armkvm.mode == ARMKVM_MODE_AUTO) {
        /*
         * Reported, never silent. Switching to native execution when the
         * guest turns out to be armkvm-aware is not built yet.
         */
        warn_report("armkvm: mode 'auto' runs guest CPUs under TCG inside "
                    "armkvm (mode=privileged runs armkvm-aware guests "
                    "natively)");
    }
    if (armkvm.mode == ARMKVM_MODE_PRIVILEGED ||
        armkvm.mode == ARMKVM_MODE_ISOLATED) {
        if (ms->smp.cpus > 1) {
            error_report("armkvm: %s mode runs one vCPU until SMP "
                         "guests exist (asked for %u): use -smp 1",
                         mode->name, ms->smp.cpus);
            armkvm_device_close(&armkvm.dev);
            return -ENOTSUP;
        }
        ret = armkvm_create_vm(ms);
        if (ret < 0) {
            armkvm_device_close(&armkvm.dev);
            return ret;
        }
        armkvm_stats_register();
        armkvm_migration_register();
    }

    /* TCG is set up in every mode: it is the fallback a native mode uses. */
    ret = armkvm_parent_init_machine(ms);
    if (ret < 0) {
        armkvm_device_close(&armkvm.dev);
    }
    return ret;
}

static int (*armkvm_parent_sstep_flags)(void);

/*
 * Natively a step is BKPTs after the instruction, with the guest's virtual
 * interrupts held (docs/gdb.md); its timer runs on. Under TCG, TCG's.
 */
static int armkvm_gdbstub_sstep_flags(void)
{
    if (armkvm_native_enabled()) {
        return armkvm_has_guest_debug() ? SSTEP_ENABLE | SSTEP_NOIRQ : 0;
    }
    return armkvm_parent_sstep_flags ? armkvm_parent_sstep_flags() : 0;
}

static void armkvm_accel_class_init(ObjectClass *oc, void *data)
{
    AccelClass *ac = ACCEL_CLASS(oc);

    ac->name = "armkvm";
    armkvm_parent_init_machine = ac->init_machine;
    ac->init_machine = armkvm_init_machine;
    armkvm_parent_sstep_flags = ac->gdbstub_supported_sstep_flags;
    ac->gdbstub_supported_sstep_flags = armkvm_gdbstub_sstep_flags;

    object_class_property_add_str(oc, "mode", armkvm_get_mode,
                                  armkvm_set_mode);
    object_class_property_set_description(oc, "mode",
        "How guest CPUs run: auto, privileged, isolated, trustzone or tcg");
    object_class_property_add_bool(oc, "kernel-irqchip",
                                   armkvm_get_kernel_irqchip,
                                   armkvm_set_kernel_irqchip);
    object_class_property_set_description(oc, "kernel-irqchip",
        "Run the guest's GIC in the host module when it has one (default on); "
        "off, under TCG or with a module without it, QEMU's GIC serves it");
}

static const TypeInfo armkvm_accel_type = {
    .name = TYPE_ARMKVM_ACCEL,
    .parent = TYPE_ARMKVM_PARENT_ACCEL,
    .class_init = armkvm_accel_class_init,
};

static void armkvm_register_types(void)
{
    type_register_static(&armkvm_accel_type);
}

type_init(armkvm_register_types);
