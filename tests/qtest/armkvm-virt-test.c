/*
 * QTest for the armkvm-virt machine: its device tree, the registers of each
 * device, the guest timer's interrupt, virtio-mmio and PSCI power-off.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "libqtest.h"
#include "qobject/qdict.h"
#include "armkvm-poweroff-blob.h"

#include <libfdt.h>

#define GIC_DIST        0x08000000
#define GIC_CPU         0x08010000
#define UART            0x09000000
#define RTC             0x09010000
#define TIMER           0x09020000
#define VIRTIO          0x0a000000
#define VIRTIO_SIZE     0x200
#define NUM_VIRTIO      32
#define SPI_TIMER       3

#define SP804_LOAD      0x00
#define SP804_VALUE     0x04
#define SP804_CONTROL   0x08
#define SP804_INTCLR    0x0c
#define SP804_RIS       0x10
#define SP804_MIS       0x14
#define SP804_ENABLE    0x80
#define SP804_PERIODIC  0x40
#define SP804_INTEN     0x20
#define SP804_32BIT     0x02

static void *dump_fdt(QTestState *qts)
{
    g_autofree char *path = NULL;
    void *fdt;
    gsize len;
    int fd = g_file_open_tmp("armkvm-virt-dtb-XXXXXX", &path, NULL);

    g_assert(fd >= 0);
    close(fd);
    qtest_qmp_assert_success(qts, "{'execute': 'dumpdtb', "
                             "'arguments': {'filename': %s}}", path);
    g_assert(g_file_get_contents(path, (char **)&fdt, &len, NULL));
    unlink(path);
    g_assert_cmpint(fdt_check_header(fdt), ==, 0);
    g_assert_cmpuint(fdt_totalsize(fdt), <=, len);
    return fdt;
}

static uint32_t fdt_cell(const void *fdt, int node, const char *prop, int idx)
{
    int len;
    const fdt32_t *p = fdt_getprop(fdt, node, prop, &len);

    g_assert_nonnull(p);
    g_assert_cmpint(len, >=, (idx + 1) * 4);
    return fdt32_to_cpu(p[idx]);
}

static int count_compatible(const void *fdt, const char *compat)
{
    int n = 0;

    for (int off = fdt_node_offset_by_compatible(fdt, -1, compat); off >= 0;
         off = fdt_node_offset_by_compatible(fdt, off, compat)) {
        n++;
    }
    return n;
}

static void test_fdt(void)
{
    QTestState *qts = qtest_init("-M armkvm-virt -smp 2 -m 128");
    g_autofree void *fdt = dump_fdt(qts);
    int node, len;

    g_assert_cmpint(fdt_node_check_compatible(fdt, 0, "armkvm,virt"), ==, 0);
    g_assert_cmpint(count_compatible(fdt, "arm,cortex-a15"), ==, 2);

    node = fdt_path_offset(fdt, "/psci");
    g_assert_cmpint(node, >=, 0);
    g_assert_cmpstr(fdt_getprop(fdt, node, "method", NULL), ==, "hvc");
    node = fdt_path_offset(fdt, "/cpus/cpu@1");
    g_assert_cmpstr(fdt_getprop(fdt, node, "enable-method", NULL), ==, "psci");

    node = fdt_node_offset_by_compatible(fdt, -1, "arm,cortex-a15-gic");
    g_assert_cmpint(node, >=, 0);
    g_assert_cmphex(fdt_cell(fdt, node, "reg", 0), ==, GIC_DIST);
    g_assert_cmphex(fdt_cell(fdt, node, "reg", 2), ==, GIC_CPU);

    node = fdt_node_offset_by_compatible(fdt, -1, "arm,pl011");
    g_assert_cmphex(fdt_cell(fdt, node, "reg", 0), ==, UART);
    node = fdt_path_offset(fdt, "/chosen");
    g_assert_cmpstr(fdt_getprop(fdt, node, "stdout-path", NULL), ==,
                    "/pl011@9000000");
    node = fdt_node_offset_by_compatible(fdt, -1, "arm,pl031");
    g_assert_cmphex(fdt_cell(fdt, node, "reg", 0), ==, RTC);
    node = fdt_node_offset_by_compatible(fdt, -1, "arm,sp804");
    g_assert_cmphex(fdt_cell(fdt, node, "reg", 0), ==, TIMER);
    g_assert_cmpuint(fdt_cell(fdt, node, "interrupts", 1), ==, SPI_TIMER);

    /*
     * The generic timer: its physical timer's PPIs (13 secure, 14 non-secure)
     * and nothing else, so the guest never uses the virtual timer the host
     * runs on.
     */
    g_assert_cmpint(count_compatible(fdt, "arm,armv7-timer"), ==, 1);
    node = fdt_node_offset_by_compatible(fdt, -1, "arm,armv7-timer");
    g_assert_nonnull(fdt_getprop(fdt, node, "interrupts", &len));
    g_assert_cmpint(len, ==, 6 * 4);
    g_assert_cmpuint(fdt_cell(fdt, node, "interrupts", 0), ==, 1);
    g_assert_cmpuint(fdt_cell(fdt, node, "interrupts", 1), ==, 13);
    g_assert_cmpuint(fdt_cell(fdt, node, "interrupts", 3), ==, 1);
    g_assert_cmpuint(fdt_cell(fdt, node, "interrupts", 4), ==, 14);
    g_assert_cmpint(count_compatible(fdt, "virtio,mmio"), ==, NUM_VIRTIO);

    node = fdt_path_offset(fdt, "/memory@40000000");
    g_assert_cmphex(fdt_cell(fdt, node, "reg", 0), ==, 0x40000000);
    g_assert_cmphex(fdt_cell(fdt, node, "reg", 1), ==, 128 * 1024 * 1024);
    qtest_quit(qts);
}

static void test_ram_base(void)
{
    QTestState *qts = qtest_init("-M armkvm-virt,ram-base=0x80000000 -m 64");
    g_autofree void *fdt = dump_fdt(qts);
    int node = fdt_path_offset(fdt, "/memory@80000000");

    g_assert_cmpint(node, >=, 0);
    g_assert_cmphex(fdt_cell(fdt, node, "reg", 1), ==, 64 * 1024 * 1024);
    qtest_writel(qts, 0x80000000, 0x12345678);
    qtest_writel(qts, 0x83fffffc, 0x9abcdef0);
    g_assert_cmphex(qtest_readl(qts, 0x80000000), ==, 0x12345678);
    g_assert_cmphex(qtest_readl(qts, 0x83fffffc), ==, 0x9abcdef0);
    qtest_quit(qts);
}

static void check_primecell_ids(QTestState *qts, uint64_t base,
                                const uint8_t periph[4])
{
    static const uint8_t cell[4] = { 0x0d, 0xf0, 0x05, 0xb1 };

    for (int i = 0; i < 4; i++) {
        g_assert_cmphex(qtest_readl(qts, base + 0xfe0 + 4 * i), ==, periph[i]);
        g_assert_cmphex(qtest_readl(qts, base + 0xff0 + 4 * i), ==, cell[i]);
    }
}

static void test_device_ids(void)
{
    static const uint8_t pl011[4] = { 0x11, 0x10, 0x14, 0x00 };
    static const uint8_t pl031[4] = { 0x31, 0x10, 0x14, 0x00 };
    static const uint8_t sp804[4] = { 0x04, 0x18, 0x14, 0x00 };
    QTestState *qts = qtest_init("-M armkvm-virt -smp 4");
    uint32_t typer;

    check_primecell_ids(qts, UART, pl011);
    check_primecell_ids(qts, RTC, pl031);
    check_primecell_ids(qts, TIMER, sp804);

    /* GICD_TYPER: 64 SPIs + 32 internal = 3 lines of 32, four CPUs. */
    typer = qtest_readl(qts, GIC_DIST + 0x004);
    g_assert_cmpuint(typer & 0x1f, ==, 2);
    g_assert_cmpuint((typer >> 5) & 0x7, ==, 3);
    /* GICC_IIDR: architecture version 2. */
    g_assert_cmpuint((qtest_readl(qts, GIC_CPU + 0xfc) >> 16) & 0xf, ==, 2);
    qtest_quit(qts);
}

static void test_rtc(void)
{
    QTestState *qts = qtest_init("-M armkvm-virt -rtc base=utc");
    int64_t now = time(NULL);
    uint32_t rtc = qtest_readl(qts, RTC);

    g_assert_cmpint(llabs((int64_t)rtc - now), <=, 5);
    qtest_quit(qts);
}

static void test_virtio_mmio(void)
{
    QTestState *qts = qtest_init("-M armkvm-virt "
                                 "-device virtio-rng-device "
                                 "-device virtio-serial-device");
    int rng = -1, serial = -1;

    for (int i = 0; i < NUM_VIRTIO; i++) {
        uint64_t base = VIRTIO + i * VIRTIO_SIZE;
        uint32_t id;

        g_assert_cmphex(qtest_readl(qts, base + 0x000), ==, 0x74726976);
        g_assert_cmpuint(qtest_readl(qts, base + 0x004), ==, 2);
        id = qtest_readl(qts, base + 0x008);
        if (id == 4) {
            rng = i;
        } else if (id == 3) {
            serial = i;
        } else {
            g_assert_cmpuint(id, ==, 0);
        }
        if (id) {
            g_assert_cmphex(qtest_readl(qts, base + 0x00c), ==, 0x554d4551);
        }
    }
    /* The first -device gets the lowest address. */
    g_assert_cmpint(rng, ==, 0);
    g_assert_cmpint(serial, ==, 1);
    qtest_quit(qts);
}

static void test_timer_irq(void)
{
    QTestState *qts = qtest_init("-M armkvm-virt");

    qtest_irq_intercept_in(qts, "/machine/gic");
    g_assert_false(qtest_get_irq(qts, SPI_TIMER));

    /* 1000 ticks of the 1 MHz SP804: one interrupt per millisecond. */
    qtest_writel(qts, TIMER + SP804_LOAD, 1000);
    qtest_writel(qts, TIMER + SP804_CONTROL, SP804_ENABLE | SP804_PERIODIC |
                 SP804_INTEN | SP804_32BIT);
    qtest_clock_step(qts, 500 * 1000);
    g_assert_false(qtest_get_irq(qts, SPI_TIMER));
    g_assert_cmpuint(qtest_readl(qts, TIMER + SP804_VALUE), <, 1000);
    qtest_clock_step(qts, 600 * 1000);
    g_assert_true(qtest_get_irq(qts, SPI_TIMER));
    g_assert_cmpuint(qtest_readl(qts, TIMER + SP804_MIS), ==, 1);

    qtest_writel(qts, TIMER + SP804_INTCLR, 1);
    g_assert_false(qtest_get_irq(qts, SPI_TIMER));

    /* Masked: the raw status still rises, the line does not. */
    qtest_writel(qts, TIMER + SP804_CONTROL, SP804_ENABLE | SP804_PERIODIC |
                 SP804_32BIT);
    qtest_clock_step(qts, 2000 * 1000);
    g_assert_cmpuint(qtest_readl(qts, TIMER + SP804_RIS), ==, 1);
    g_assert_cmpuint(qtest_readl(qts, TIMER + SP804_MIS), ==, 0);
    g_assert_false(qtest_get_irq(qts, SPI_TIMER));

    /* Unmasking a pending interrupt raises the line at once. */
    qtest_writel(qts, TIMER + SP804_CONTROL, SP804_ENABLE | SP804_PERIODIC |
                 SP804_INTEN | SP804_32BIT);
    g_assert_true(qtest_get_irq(qts, SPI_TIMER));
    qtest_quit(qts);
}

static void test_psci_poweroff(void)
{
    g_autofree char *blob = armkvm_write_poweroff_blob();
    QTestState *qts = qtest_initf("-M armkvm-virt -accel tcg -no-shutdown "
                                  "-S -kernel %s", blob);
    QDict *ev;

    /* Start the guest only once QMP listens, so the event cannot be missed. */
    qtest_qmp_assert_success(qts, "{'execute': 'cont'}");
    ev = qtest_qmp_eventwait_ref(qts, "SHUTDOWN");
    g_assert_cmpstr(qdict_get_str(qdict_get_qdict(ev, "data"), "reason"), ==,
                    "guest-shutdown");
    qobject_unref(ev);
    qtest_quit(qts);
    unlink(blob);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    qtest_add_func("armkvm-virt/fdt", test_fdt);
    qtest_add_func("armkvm-virt/ram-base", test_ram_base);
    qtest_add_func("armkvm-virt/device-ids", test_device_ids);
    qtest_add_func("armkvm-virt/rtc", test_rtc);
    qtest_add_func("armkvm-virt/virtio-mmio", test_virtio_mmio);
    qtest_add_func("armkvm-virt/timer-irq", test_timer_irq);
    qtest_add_func("armkvm-virt/psci-poweroff", test_psci_poweroff);
    return g_test_run();
}
