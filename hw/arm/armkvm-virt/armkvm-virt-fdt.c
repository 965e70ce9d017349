/*
 * armkvm-virt: the device tree handed to the guest.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "armkvm-virt.h"
#include "hw/arm/fdt.h"
#include "system/device_tree.h"
#include "target/arm/cpu.h"

#include <libfdt.h>

typedef struct FdtPhandles {
    uint32_t gic;
    uint32_t apb_clock;
    uint32_t timer_clock;
} FdtPhandles;

static char *node_at(const char *name, hwaddr base)
{
    return g_strdup_printf("/%s@%" PRIx64, name, base);
}

static void fdt_add_clock(void *fdt, const char *name, uint32_t hz,
                          uint32_t phandle)
{
    g_autofree char *node = g_strdup_printf("/%s", name);

    qemu_fdt_add_subnode(fdt, node);
    qemu_fdt_setprop_string(fdt, node, "compatible", "fixed-clock");
    qemu_fdt_setprop_cell(fdt, node, "#clock-cells", 0);
    qemu_fdt_setprop_cell(fdt, node, "clock-frequency", hz);
    qemu_fdt_setprop_string(fdt, node, "clock-output-names", name);
    qemu_fdt_setprop_cell(fdt, node, "phandle", phandle);
}

static void fdt_add_cpus(void *fdt, MachineState *ms)
{
    qemu_fdt_add_subnode(fdt, "/cpus");
    qemu_fdt_setprop_cell(fdt, "/cpus", "#address-cells", 1);
    qemu_fdt_setprop_cell(fdt, "/cpus", "#size-cells", 0);

    /* Subnodes are prepended: add the last CPU first. */
    for (int n = ms->smp.cpus - 1; n >= 0; n--) {
        ARMCPU *cpu = ARM_CPU(qemu_get_cpu(n));
        g_autofree char *node = g_strdup_printf("/cpus/cpu@%d", n);

        qemu_fdt_add_subnode(fdt, node);
        qemu_fdt_setprop_string(fdt, node, "device_type", "cpu");
        qemu_fdt_setprop_string(fdt, node, "compatible", cpu->dtb_compatible);
        qemu_fdt_setprop_cell(fdt, node, "reg", arm_cpu_mp_affinity(cpu));
        if (ms->smp.cpus > 1) {
            qemu_fdt_setprop_string(fdt, node, "enable-method", "psci");
        }
    }
}

static void fdt_add_psci(void *fdt)
{
    const char compat[] = "arm,psci-1.0\0arm,psci-0.2\0arm,psci";

    qemu_fdt_add_subnode(fdt, "/psci");
    qemu_fdt_setprop(fdt, "/psci", "compatible", compat, sizeof(compat));
    /*
     * HVC: on a CPU without virtualization extensions it is undefined, so
     * armkvm sees it trap; under TCG QEMU's own PSCI code serves it.
     */
    qemu_fdt_setprop_string(fdt, "/psci", "method", "hvc");
}

/* Only the physical timer's interrupts: without a virtual one, Linux uses it. */
static void fdt_add_arch_timer(void *fdt, ArmkvmVirtState *s)
{
    uint32_t flags = GIC_FDT_IRQ_FLAGS_LEVEL_HI |
        (((1 << MACHINE(s)->smp.cpus) - 1) << GIC_FDT_IRQ_PPI_CPU_START);

    qemu_fdt_add_subnode(fdt, "/timer");
    qemu_fdt_setprop_string(fdt, "/timer", "compatible", "arm,armv7-timer");
    qemu_fdt_setprop_cells(fdt, "/timer", "interrupts",
                           GIC_FDT_IRQ_TYPE_PPI, AKV_INTID_TIMER_S - 16, flags,
                           GIC_FDT_IRQ_TYPE_PPI, AKV_INTID_TIMER_NS - 16, flags);
}

static void fdt_add_gic(void *fdt, ArmkvmVirtState *s, uint32_t phandle)
{
    g_autofree char *node = node_at("intc", s->map[AKV_GIC_DIST].base);

    qemu_fdt_add_subnode(fdt, node);
    qemu_fdt_setprop_string(fdt, node, "compatible", "arm,cortex-a15-gic");
    qemu_fdt_setprop_cell(fdt, node, "#interrupt-cells", 3);
    qemu_fdt_setprop(fdt, node, "interrupt-controller", NULL, 0);
    qemu_fdt_setprop_sized_cells(fdt, node, "reg",
                                 1, s->map[AKV_GIC_DIST].base,
                                 1, s->map[AKV_GIC_DIST].size,
                                 1, s->map[AKV_GIC_CPU].base,
                                 1, s->map[AKV_GIC_CPU].size);
    qemu_fdt_setprop_cell(fdt, node, "phandle", phandle);
    qemu_fdt_setprop_cell(fdt, "/", "interrupt-parent", phandle);
}

static char *fdt_add_simple(void *fdt, ArmkvmVirtState *s, const char *name,
                            int region, const char *compat, size_t compat_len,
                            int spi)
{
    char *node = node_at(name, s->map[region].base);

    qemu_fdt_add_subnode(fdt, node);
    qemu_fdt_setprop(fdt, node, "compatible", compat, compat_len);
    qemu_fdt_setprop_sized_cells(fdt, node, "reg",
                                 1, s->map[region].base,
                                 1, s->map[region].size);
    qemu_fdt_setprop_cells(fdt, node, "interrupts", GIC_FDT_IRQ_TYPE_SPI, spi,
                           GIC_FDT_IRQ_FLAGS_LEVEL_HI);
    return node;
}

static void fdt_add_devices(void *fdt, ArmkvmVirtState *s,
                            const FdtPhandles *ph)
{
    const char uart_compat[] = "arm,pl011\0arm,primecell";
    const char uart_clocks[] = "uartclk\0apb_pclk";
    const char rtc_compat[] = "arm,pl031\0arm,primecell";
    const char timer_compat[] = "arm,sp804\0arm,primecell";
    const char timer_clocks[] = "timclken1\0timclken2\0apb_pclk";
    g_autofree char *uart = NULL, *rtc = NULL, *timer = NULL;

    uart = fdt_add_simple(fdt, s, "pl011", AKV_UART, uart_compat,
                          sizeof(uart_compat), AKV_SPI_UART);
    qemu_fdt_setprop_cells(fdt, uart, "clocks", ph->apb_clock, ph->apb_clock);
    qemu_fdt_setprop(fdt, uart, "clock-names", uart_clocks,
                     sizeof(uart_clocks));
    qemu_fdt_setprop_string(fdt, "/chosen", "stdout-path", uart);
    qemu_fdt_setprop_string(fdt, "/aliases", "serial0", uart);

    rtc = fdt_add_simple(fdt, s, "pl031", AKV_RTC, rtc_compat,
                         sizeof(rtc_compat), AKV_SPI_RTC);
    qemu_fdt_setprop_cell(fdt, rtc, "clocks", ph->apb_clock);
    qemu_fdt_setprop_string(fdt, rtc, "clock-names", "apb_pclk");

    /* Three clocks tell Linux's SP804 driver each timer has its own. */
    timer = fdt_add_simple(fdt, s, "timer", AKV_TIMER, timer_compat,
                           sizeof(timer_compat), AKV_SPI_TIMER);
    qemu_fdt_setprop_cells(fdt, timer, "clocks", ph->timer_clock,
                           ph->timer_clock, ph->apb_clock);
    qemu_fdt_setprop(fdt, timer, "clock-names", timer_clocks,
                     sizeof(timer_clocks));

    /* Reverse order so the finished tree lists the lowest address first. */
    for (int i = AKV_NUM_VIRTIO - 1; i >= 0; i--) {
        hwaddr base = s->map[AKV_VIRTIO].base + i * AKV_VIRTIO_SIZE;
        g_autofree char *node = node_at("virtio_mmio", base);

        qemu_fdt_add_subnode(fdt, node);
        qemu_fdt_setprop_string(fdt, node, "compatible", "virtio,mmio");
        qemu_fdt_setprop_sized_cells(fdt, node, "reg", 1, base,
                                     1, AKV_VIRTIO_SIZE);
        qemu_fdt_setprop_cells(fdt, node, "interrupts", GIC_FDT_IRQ_TYPE_SPI,
                               AKV_SPI_VIRTIO + i,
                               GIC_FDT_IRQ_FLAGS_EDGE_LO_HI);
        qemu_fdt_setprop(fdt, node, "dma-coherent", NULL, 0);
    }
}

void armkvm_virt_build_fdt(ArmkvmVirtState *s)
{
    MachineState *ms = MACHINE(s);
    FdtPhandles ph;
    g_autofree char *mem = NULL;
    void *fdt = create_device_tree(&s->fdt_size);

    if (!fdt) {
        error_report("armkvm-virt: cannot create the device tree");
        exit(1);
    }
    ms->fdt = fdt;

    qemu_fdt_setprop_string(fdt, "/", "compatible", "armkvm,virt");
    qemu_fdt_setprop_string(fdt, "/", "model", "armkvm-virt");
    qemu_fdt_setprop_cell(fdt, "/", "#address-cells", 1);
    qemu_fdt_setprop_cell(fdt, "/", "#size-cells", 1);
    qemu_fdt_add_subnode(fdt, "/chosen");
    qemu_fdt_add_subnode(fdt, "/aliases");

    ph.gic = qemu_fdt_alloc_phandle(fdt);
    ph.apb_clock = qemu_fdt_alloc_phandle(fdt);
    ph.timer_clock = qemu_fdt_alloc_phandle(fdt);
    fdt_add_clock(fdt, "apb-pclk", AKV_APB_CLOCK_HZ, ph.apb_clock);
    fdt_add_clock(fdt, "timer-clk", AKV_TIMER_HZ, ph.timer_clock);

    mem = node_at("memory", s->map[AKV_RAM].base);
    qemu_fdt_add_subnode(fdt, mem);
    qemu_fdt_setprop_string(fdt, mem, "device_type", "memory");
    qemu_fdt_setprop_sized_cells(fdt, mem, "reg", 1, s->map[AKV_RAM].base,
                                 1, s->map[AKV_RAM].size);

    fdt_add_cpus(fdt, ms);
    fdt_add_psci(fdt);
    fdt_add_gic(fdt, s, ph.gic);
    if (s->arch_timer) {
        fdt_add_arch_timer(fdt, s);
    }
    fdt_add_devices(fdt, s, &ph);
}
