/*
 * armkvm accelerator: the vCPU operations.
 *
 * They are TCG's, inherited: until a native mode is entered, a guest CPU is
 * a TCG vCPU. Native execution will take over create_vcpu_thread here, with a
 * loop that enters the module while the CPU state allows it and falls back to
 * TCG's cpu_exec otherwise.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/accel.h"
#include "system/accel-ops.h"
#include "armkvm-int.h"

static const TypeInfo armkvm_accel_ops_type = {
    .name = ACCEL_OPS_NAME("armkvm"),
    .parent = ACCEL_OPS_NAME("tcg"),
    .abstract = true,
};

static void armkvm_accel_ops_register_types(void)
{
    type_register_static(&armkvm_accel_ops_type);
}

type_init(armkvm_accel_ops_register_types);
