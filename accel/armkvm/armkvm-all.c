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
#include "qapi/error.h"
#include "qemu/accel.h"
#include "qemu/error-report.h"
#include "hw/boards.h"
#include "armkvm-int.h"

typedef struct ArmkvmModeInfo {
    const char *name;
    bool needs_module;
    bool supported;
} ArmkvmModeInfo;

static const ArmkvmModeInfo armkvm_modes[ARMKVM_MODE__MAX] = {
    [ARMKVM_MODE_AUTO]       = { "auto",       true,  true },
    [ARMKVM_MODE_PRIVILEGED] = { "privileged", true,  false },
    [ARMKVM_MODE_ISOLATED]   = { "isolated",   true,  false },
    [ARMKVM_MODE_TRUSTZONE]  = { "trustzone",  true,  false },
    [ARMKVM_MODE_TCG]        = { "tcg",        false, true },
};

/*
 * The parent's instance struct is private to accel/tcg, so armkvm keeps its
 * own state here; there is one accelerator per QEMU process.
 */
static struct {
    ArmkvmMode mode;
    ArmkvmDevice dev;
} armkvm = { .mode = ARMKVM_MODE_AUTO, .dev = { .fd = -1 } };

static int (*armkvm_parent_init_machine)(MachineState *ms);

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
                     "(supported: auto, tcg)", mode->name);
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
        /* Reported, never silent: no native mode can run a guest CPU yet. */
        warn_report("armkvm: no native execution mode is available in this "
                    "build: guest CPUs run under TCG inside armkvm");
    }

    ret = armkvm_parent_init_machine(ms);
    if (ret < 0) {
        armkvm_device_close(&armkvm.dev);
    }
    return ret;
}

static void armkvm_accel_class_init(ObjectClass *oc, void *data)
{
    AccelClass *ac = ACCEL_CLASS(oc);

    ac->name = "armkvm";
    armkvm_parent_init_machine = ac->init_machine;
    ac->init_machine = armkvm_init_machine;

    object_class_property_add_str(oc, "mode", armkvm_get_mode,
                                  armkvm_set_mode);
    object_class_property_set_description(oc, "mode",
        "How guest CPUs run: auto, privileged, isolated, trustzone or tcg");
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
