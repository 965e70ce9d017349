/*
 * armkvm-gic: the guest's GICv2 when the host module serves it
 * (ARMKVM_CREATE_IRQCHIP, like KVM's in-kernel irqchip).
 *
 * The module emulates the distributor and CPU interface itself, so the
 * guest's acknowledge and end-of-interrupt accesses and its timer's PPI never
 * leave the kernel. What stays here: the levels of the SPIs QEMU's devices
 * drive (ARMKVM_IRQ_LINE), reset, and the controller's state for savevm and
 * migration (ARMKVM_GET/SET_IRQCHIP). The device has no MMIO regions: the
 * module answers the guest's GICD/GICC accesses before they could exit.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bitops.h"
#include "qemu/error-report.h"
#include "qapi/error.h"
#include "hw/qdev-properties.h"
#include "hw/sysbus.h"
#include "migration/vmstate.h"
#include "system/armkvm.h"
#include "armkvm-gic.h"
#include "armkvm-virt.h"

#include <linux/armkvm.h>

/* SGIs and PPIs: the INTIDs below the first SPI. */
#define ARMKVM_GIC_INTERNAL 32
#define ARMKVM_GIC_MAX_SPIS (ARMKVM_IRQCHIP_MAX_IRQS - ARMKVM_GIC_INTERNAL)

OBJECT_DECLARE_SIMPLE_TYPE(ArmkvmGicState, ARMKVM_GIC)

struct ArmkvmGicState {
    SysBusDevice parent_obj;

    uint32_t num_irq;
    uint64_t dist_base;
    uint64_t cpu_base;
    uint32_t timer_intid;

    /*
     * SPI levels as the module last took them: devices re-assert unchanged
     * levels often, and each ARMKVM_IRQ_LINE is a system call.
     */
    DECLARE_BITMAP(spi_level, ARMKVM_GIC_MAX_SPIS);
    /* The module's state, read before save and written back after load. */
    struct armkvm_irqchip_state state;
};

static void armkvm_gic_set_irq(void *opaque, int spi, int level)
{
    ArmkvmGicState *s = opaque;
    struct armkvm_irq_level line = {
        .intid = ARMKVM_GIC_INTERNAL + spi,
        .level = !!level,
    };
    int ret;

    if (test_bit(spi, s->spi_level) == line.level) {
        return;
    }
    ret = armkvm_vm_ioctl(ARMKVM_IRQ_LINE, &line);
    if (ret < 0) {
        /* The bitmap keeps the old level: the next change tries again. */
        error_report("armkvm-gic: ARMKVM_IRQ_LINE (INTID %u, level %u): %s",
                     line.intid, line.level, strerror(-ret));
        return;
    }
    if (line.level) {
        set_bit(spi, s->spi_level);
    } else {
        clear_bit(spi, s->spi_level);
    }
}

static int armkvm_gic_get_state(struct armkvm_irqchip_state *st)
{
    int ret = armkvm_vm_ioctl(ARMKVM_GET_IRQCHIP, st);

    if (ret < 0) {
        error_report("armkvm-gic: ARMKVM_GET_IRQCHIP: %s", strerror(-ret));
    }
    return ret;
}

static int armkvm_gic_put_state(ArmkvmGicState *s,
                                struct armkvm_irqchip_state *st)
{
    int ret;

    /* The module refuses non-zero reserved words; they are not migrated. */
    memset(st->reserved, 0, sizeof(st->reserved));
    ret = armkvm_vm_ioctl(ARMKVM_SET_IRQCHIP, st);
    if (ret < 0) {
        error_report("armkvm-gic: ARMKVM_SET_IRQCHIP: %s", strerror(-ret));
        return ret;
    }
    /* The module's input lines are now these: the bitmap follows them. */
    for (uint32_t spi = 0; spi < s->num_irq - ARMKVM_GIC_INTERNAL; spi++) {
        uint32_t intid = ARMKVM_GIC_INTERNAL + spi;

        if (st->level[intid / 32] & (1u << (intid % 32))) {
            set_bit(spi, s->spi_level);
        } else {
            clear_bit(spi, s->spi_level);
        }
    }
    return 0;
}

/*
 * The architectural reset state, except for the input lines: they belong to
 * the devices, which may reset before or after this one and lower them (or
 * not) with ARMKVM_IRQ_LINE either way.
 */
static void armkvm_gic_reset_hold(Object *obj, ResetType type)
{
    ArmkvmGicState *s = ARMKVM_GIC(obj);
    struct armkvm_irqchip_state st;
    uint32_t level[ARMKVM_IRQCHIP_WORDS];

    if (armkvm_gic_get_state(&st) < 0) {
        return;
    }
    memcpy(level, st.level, sizeof(level));
    memset(&st, 0, sizeof(st));
    memcpy(st.level, level, sizeof(level));
    /* SGIs are always enabled and edge-triggered, as on QEMU's GIC. */
    st.enabled[0] = 0xffff;
    st.edge[0] = 0xffff;
    armkvm_gic_put_state(s, &st);
}

static void armkvm_gic_realize(DeviceState *dev, Error **errp)
{
    ArmkvmGicState *s = ARMKVM_GIC(dev);
    struct armkvm_irqchip_config cfg = {
        .dist_base = s->dist_base,
        .cpu_base = s->cpu_base,
        .num_irqs = s->num_irq,
        .timer_intid = s->timer_intid,
    };
    int ret;

    if (!armkvm_irqchip_in_kernel()) {
        error_setg(errp, "armkvm-gic: needs -accel armkvm running guests "
                   "natively, kernel-irqchip=on and a module with the "
                   "in-kernel GIC (ARMKVM_CAP_IRQCHIP)");
        return;
    }
    /* The module checks too; the bitmap's size depends on this one. */
    if (s->num_irq < 64 || s->num_irq > ARMKVM_IRQCHIP_MAX_IRQS ||
        s->num_irq % 32) {
        error_setg(errp, "armkvm-gic: num-irq %u must be a multiple of 32 "
                   "from 64 to %u", s->num_irq, ARMKVM_IRQCHIP_MAX_IRQS);
        return;
    }
    ret = armkvm_vm_ioctl(ARMKVM_CREATE_IRQCHIP, &cfg);
    if (ret < 0) {
        error_setg_errno(errp, -ret, "armkvm-gic: ARMKVM_CREATE_IRQCHIP "
                         "(%u interrupts, GICD at 0x%" PRIx64 ", GICC at 0x%"
                         PRIx64 ", timer INTID %u)", s->num_irq,
                         s->dist_base, s->cpu_base, s->timer_intid);
        return;
    }
    qdev_init_gpio_in(dev, armkvm_gic_set_irq,
                      s->num_irq - ARMKVM_GIC_INTERNAL);
}

static int armkvm_gic_pre_save(void *opaque)
{
    ArmkvmGicState *s = opaque;

    return armkvm_gic_get_state(&s->state);
}

static int armkvm_gic_post_load(void *opaque, int version_id)
{
    ArmkvmGicState *s = opaque;

    return armkvm_gic_put_state(s, &s->state);
}

static const VMStateDescription vmstate_armkvm_gic = {
    .name = "armkvm-gic",
    .version_id = 1,
    .minimum_version_id = 1,
    .pre_save = armkvm_gic_pre_save,
    .post_load = armkvm_gic_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32(state.dist_ctlr, ArmkvmGicState),
        VMSTATE_UINT32(state.cpu_ctlr, ArmkvmGicState),
        VMSTATE_UINT32(state.pmr, ArmkvmGicState),
        VMSTATE_UINT32(state.bpr, ArmkvmGicState),
        VMSTATE_UINT32_ARRAY(state.apr, ArmkvmGicState, 4),
        VMSTATE_UINT32_ARRAY(state.enabled, ArmkvmGicState,
                             ARMKVM_IRQCHIP_WORDS),
        VMSTATE_UINT32_ARRAY(state.pending, ArmkvmGicState,
                             ARMKVM_IRQCHIP_WORDS),
        VMSTATE_UINT32_ARRAY(state.active, ArmkvmGicState,
                             ARMKVM_IRQCHIP_WORDS),
        VMSTATE_UINT32_ARRAY(state.level, ArmkvmGicState,
                             ARMKVM_IRQCHIP_WORDS),
        VMSTATE_UINT32_ARRAY(state.edge, ArmkvmGicState,
                             ARMKVM_IRQCHIP_WORDS),
        VMSTATE_UINT8_ARRAY(state.priority, ArmkvmGicState,
                            ARMKVM_IRQCHIP_MAX_IRQS),
        VMSTATE_END_OF_LIST()
    },
};

static const Property armkvm_gic_properties[] = {
    DEFINE_PROP_UINT32("num-irq", ArmkvmGicState, num_irq,
                       ARMKVM_GIC_INTERNAL + AKV_NUM_SPIS),
    DEFINE_PROP_UINT64("dist-base", ArmkvmGicState, dist_base, 0),
    DEFINE_PROP_UINT64("cpu-base", ArmkvmGicState, cpu_base, 0),
    DEFINE_PROP_UINT32("timer-intid", ArmkvmGicState, timer_intid, 0),
};

static void armkvm_gic_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    ResettableClass *rc = RESETTABLE_CLASS(oc);

    dc->desc = "armkvm in-kernel GICv2";
    dc->realize = armkvm_gic_realize;
    dc->vmsd = &vmstate_armkvm_gic;
    device_class_set_props(dc, armkvm_gic_properties);
    rc->phases.hold = armkvm_gic_reset_hold;
}

static const TypeInfo armkvm_gic_info = {
    .name = TYPE_ARMKVM_GIC,
    .parent = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(ArmkvmGicState),
    .class_init = armkvm_gic_class_init,
};

static void armkvm_gic_register_types(void)
{
    type_register_static(&armkvm_gic_info);
}

type_init(armkvm_gic_register_types)
