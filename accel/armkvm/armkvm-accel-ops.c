/*
 * armkvm accelerator: the vCPU operations.
 *
 * They are TCG's, inherited, unless a native mode runs the guest: then the
 * vCPU threads, kicks and register synchronisation are armkvm's own
 * (armkvm-vcpu.c).
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/accel.h"
#include "system/accel-ops.h"
#include "system/armkvm.h"
#include "hw/core/cpu.h"
#include "armkvm-int.h"

static void (*armkvm_parent_ops_init)(AccelOpsClass *ops);

/*
 * The gdbstub (-s, -S, docs/gdb.md): registers and memory come through the
 * usual state synchronisation, an interrupt (Ctrl-C) stops the vCPUs with
 * kicks, and continue lets them go; breakpoints and steps are BKPTs
 * (armkvm-debug.c), where the module has ARMKVM_CAP_GUEST_DEBUG.
 */
static bool armkvm_supports_guest_debug(void)
{
    return true;
}

static void armkvm_accel_ops_init(AccelOpsClass *ops)
{
    armkvm_parent_ops_init(ops);
    if (!armkvm_native_enabled()) {
        return;
    }
    ops->create_vcpu_thread = armkvm_start_vcpu_thread;
    ops->kick_vcpu_thread = armkvm_kick_vcpu_thread;
    ops->handle_interrupt = armkvm_handle_interrupt;
    ops->synchronize_post_reset = armkvm_cpu_mark_dirty;
    ops->synchronize_post_init = armkvm_cpu_mark_dirty;
    ops->synchronize_state = armkvm_cpu_synchronize_state;
    ops->synchronize_pre_loadvm = armkvm_cpu_mark_dirty;
    /* TCG's breakpoints and reset hooks do not apply to native execution. */
    ops->cpu_reset_hold = NULL;
    ops->supports_guest_debug = armkvm_supports_guest_debug;
    ops->insert_breakpoint = armkvm_insert_breakpoint;
    ops->remove_breakpoint = armkvm_remove_breakpoint;
    ops->remove_all_breakpoints = armkvm_remove_all_breakpoints;
    ops->update_guest_debug = armkvm_update_guest_debug;
    ops->get_virtual_clock = NULL;
    ops->get_elapsed_ticks = NULL;
}

static void armkvm_accel_ops_class_init(ObjectClass *oc, void *data)
{
    AccelOpsClass *ops = ACCEL_OPS_CLASS(oc);

    armkvm_parent_ops_init = ops->ops_init;
    ops->ops_init = armkvm_accel_ops_init;
}

static const TypeInfo armkvm_accel_ops_type = {
    .name = ACCEL_OPS_NAME("armkvm"),
    .parent = ACCEL_OPS_NAME("tcg"),
    .class_init = armkvm_accel_ops_class_init,
    .abstract = true,
};

static void armkvm_accel_ops_register_types(void)
{
    type_register_static(&armkvm_accel_ops_type);
}

type_init(armkvm_accel_ops_register_types);
