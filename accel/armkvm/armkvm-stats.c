/*
 * armkvm accelerator: the module's per-vCPU statistics in QEMU.
 *
 * Two views of the same counters (ARMKVM_GET_STATS): read-only QOM properties
 * of each CPU (qom-get), and a provider for QMP query-stats / HMP info stats
 * (target vcpu, provider armkvm), like KVM's binary statistics.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "qapi/error.h"
#include "qapi/visitor.h"
#include "hw/core/cpu.h"
#include "system/stats.h"
#include "armkvm-int.h"

#include <sys/ioctl.h>
#include <linux/armkvm.h>

static const struct {
    const char *name;
    size_t offset;
    bool nanoseconds;
} armkvm_stats[] = {
    { "world-switches", offsetof(struct armkvm_vcpu_stats, world_switches) },
    { "exits-irq", offsetof(struct armkvm_vcpu_stats, exits_irq) },
    { "exits-mmio", offsetof(struct armkvm_vcpu_stats, exits_mmio) },
    { "mmio-in-kernel", offsetof(struct armkvm_vcpu_stats, mmio_in_kernel) },
    { "exits-hypercall", offsetof(struct armkvm_vcpu_stats, exits_hypercall) },
    { "exits-other", offsetof(struct armkvm_vcpu_stats, exits_other) },
    { "exceptions-delivered",
      offsetof(struct armkvm_vcpu_stats, exceptions_delivered) },
    { "exceptions-forwarded",
      offsetof(struct armkvm_vcpu_stats, exceptions_forwarded) },
    { "irqs-injected", offsetof(struct armkvm_vcpu_stats, irqs_injected) },
    { "idle-waits", offsetof(struct armkvm_vcpu_stats, idle_waits) },
    { "guest-ns", offsetof(struct armkvm_vcpu_stats, guest_ns), true },
};

static void do_armkvm_get_stats(CPUState *cpu, run_on_cpu_data arg)
{
    struct armkvm_vcpu_stats *st = arg.host_ptr;

    if (ioctl(cpu->accel->fd, ARMKVM_GET_STATS, st) < 0) {
        error_report("armkvm: vCPU %d: ARMKVM_GET_STATS: %s", cpu->cpu_index,
                     strerror(errno));
        memset(st, 0, sizeof(*st));
    }
}

/* On the vCPU's own thread: the module answers only between runs. */
static void armkvm_read_stats(CPUState *cpu, struct armkvm_vcpu_stats *st)
{
    run_on_cpu(cpu, do_armkvm_get_stats, RUN_ON_CPU_HOST_PTR(st));
}

static uint64_t armkvm_stat(const struct armkvm_vcpu_stats *st, int i)
{
    uint64_t value;

    memcpy(&value, (const char *)st + armkvm_stats[i].offset, sizeof(value));
    return value;
}

static void armkvm_get_stat(Object *obj, Visitor *v, const char *name,
                            void *opaque, Error **errp)
{
    struct armkvm_vcpu_stats st;
    uint64_t value;

    armkvm_read_stats(CPU(obj), &st);
    value = armkvm_stat(&st, (uintptr_t)opaque);
    visit_type_uint64(v, name, &value, errp);
}

/* QOM: armkvm-world-switches, armkvm-exits-irq, ... on each CPU. */
void armkvm_add_stats(CPUState *cpu)
{
    for (int i = 0; i < ARRAY_SIZE(armkvm_stats); i++) {
        g_autofree char *prop = g_strdup_printf("armkvm-%s",
                                                armkvm_stats[i].name);

        object_property_add(OBJECT(cpu), prop, "uint64", armkvm_get_stat,
                            NULL, NULL, (void *)(uintptr_t)i);
    }
}

static void armkvm_query_stats(StatsResultList **result, StatsTarget target,
                               strList *names, strList *targets, Error **errp)
{
    CPUState *cpu;

    if (target != STATS_TARGET_VCPU) {
        return;
    }
    CPU_FOREACH(cpu) {
        struct armkvm_vcpu_stats st;
        StatsList *list = NULL;

        if (!cpu->accel ||
            !apply_str_list_filter(cpu->parent_obj.canonical_path, targets)) {
            continue;
        }
        armkvm_read_stats(cpu, &st);
        for (int i = ARRAY_SIZE(armkvm_stats) - 1; i >= 0; i--) {
            Stats *stat;

            if (!apply_str_list_filter(armkvm_stats[i].name, names)) {
                continue;
            }
            stat = g_new0(Stats, 1);
            stat->name = g_strdup(armkvm_stats[i].name);
            stat->value = g_new0(StatsValue, 1);
            stat->value->type = QTYPE_QNUM;
            stat->value->u.scalar = armkvm_stat(&st, i);
            QAPI_LIST_PREPEND(list, stat);
        }
        add_stats_entry(result, STATS_PROVIDER_ARMKVM,
                        cpu->parent_obj.canonical_path, list);
    }
}

static void armkvm_query_stats_schemas(StatsSchemaList **result, Error **errp)
{
    StatsSchemaValueList *list = NULL;

    for (int i = ARRAY_SIZE(armkvm_stats) - 1; i >= 0; i--) {
        StatsSchemaValue *value = g_new0(StatsSchemaValue, 1);

        value->name = g_strdup(armkvm_stats[i].name);
        value->type = STATS_TYPE_CUMULATIVE;
        if (armkvm_stats[i].nanoseconds) {
            value->has_unit = true;
            value->unit = STATS_UNIT_SECONDS;
            value->has_base = true;
            value->base = 10;
            value->exponent = -9;
        }
        QAPI_LIST_PREPEND(list, value);
    }
    add_stats_schema(result, STATS_PROVIDER_ARMKVM, STATS_TARGET_VCPU, list);
}

/* query-stats and HMP info stats: provider "armkvm", target "vcpu". */
void armkvm_stats_register(void)
{
    add_stats_callbacks(STATS_PROVIDER_ARMKVM, armkvm_query_stats,
                        armkvm_query_stats_schemas);
}
