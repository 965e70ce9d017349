/*
 * Runs in the lab against /dev/armkvm: the in-kernel interrupt controller
 * (ARMKVM_CREATE_IRQCHIP). Every way to configure or drive it wrongly, its
 * state read back, and a guest that takes an SPI raised while it waits and
 * its timer's PPI, acknowledging and ending both without a single device
 * access reaching userspace. Prints one line per check; the lab test
 * compares them with what the ABI promises.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/armkvm.h>

#define RAM_BASE    0x40000000u
#define GICD_BASE   0x08000000u
#define GICC_BASE   0x08010000u
#define NUM_IRQS    96
#define TIMER_PPI   30
#define TEST_SPI    33
#define HC_REPORT   0x86000099u     /* no one's hypercall: userspace gets it */

/*
 * The guest, position-independent, copied to the start of its RAM: vectors,
 * GIC set-up (SPI 33 edge-triggered and the timer's PPI enabled), then it
 * waits for interrupts for ever. Its IRQ handler stops the timer, reports
 * GICC_IAR, the GICC_IAR after GICC_EOIR and GICD_TYPER with a hypercall.
 */
extern const uint32_t gic_guest[], gic_guest_end[];
__asm__(
    "   .pushsection .rodata\n"
    "   .balign 4\n"
    "   .arm\n"
    "gic_guest:\n"
    "   b   1f\n"
    "   .rept 5\n"
    "   b   .\n"
    "   .endr\n"
    "   b   2f\n"                       /* IRQ */
    "   b   .\n"
    "1: ldr r0, =0x86000001\n"          /* ARMKVM_HC_SET_VECTORS */
    "   mov r1, #0x40000000\n"
    "   .inst 0xe1400070\n"           /* hvc #0 */
    "   ldr r4, =0x08000000\n"
    "   ldr r5, =0x08010000\n"
    "   mov r0, #1\n"
    "   str r0, [r4]\n"                 /* GICD_CTLR */
    "   str r0, [r5]\n"                 /* GICC_CTLR */
    "   mov r0, #0xff\n"
    "   str r0, [r5, #4]\n"             /* GICC_PMR */
    "   mov r0, #8\n"
    "   str r0, [r4, #0xc08]\n"         /* GICD_ICFGR2: SPI 33 edge-triggered */
    "   mov r0, #2\n"
    "   str r0, [r4, #0x104]\n"         /* GICD_ISENABLER1: SPI 33 */
    "   mov r0, #0x40000000\n"
    "   str r0, [r4, #0x100]\n"         /* GICD_ISENABLER0: PPI 30 */
    "   cpsie i\n"
    "3: ldr r0, =0x86000002\n"          /* ARMKVM_HC_WAIT_FOR_INTERRUPT */
    "   .inst 0xe1400070\n"           /* hvc #0 */
    "   b   3b\n"
    "2: ldr r6, [r5, #0xc]\n"           /* GICC_IAR */
    "   mov r0, #0\n"
    "   mcr p15, 0, r0, c14, c2, 1\n"   /* CNTP_CTL = 0: the timer's level falls */
    "   isb\n"
    "   str r6, [r5, #0x10]\n"          /* GICC_EOIR */
    "   ldr r7, [r5, #0xc]\n"
    "   ldr r3, [r4, #4]\n"             /* GICD_TYPER */
    "   ldr r0, =0x86000099\n"
    "   mov r1, r6\n"
    "   mov r2, r7\n"
    "   .inst 0xe1400070\n"           /* hvc #0 */
    "   subs pc, lr, #4\n"
    "   .ltorg\n"
    "gic_guest_end:\n"
    "   .popsection\n");

static const char *err_name(long ret)
{
    if (ret >= 0) {
        return "ok";
    }
    switch (errno) {
    case EINVAL: return "EINVAL";
    case EFAULT: return "EFAULT";
    case EEXIST: return "EEXIST";
    case ENXIO: return "ENXIO";
    case EBUSY: return "EBUSY";
    default: return strerror(errno);
    }
}

static long create_irqchip(int vm, uint64_t dist, uint64_t cpu, uint32_t num,
                           uint32_t timer, uint32_t reserved)
{
    struct armkvm_irqchip_config cfg = {
        .dist_base = dist, .cpu_base = cpu, .num_irqs = num,
        .timer_intid = timer, .reserved = { reserved },
    };

    return ioctl(vm, ARMKVM_CREATE_IRQCHIP, &cfg);
}

static long irq_line(int vm, uint32_t intid, uint32_t level)
{
    struct armkvm_irq_level l = { .intid = intid, .level = level };

    return ioctl(vm, ARMKVM_IRQ_LINE, &l);
}

static void check_configs(int vm)
{
    struct armkvm_irqchip_state s;

    printf("no irqchip: IRQ_LINE: %s\n", err_name(irq_line(vm, TEST_SPI, 1)));
    printf("no irqchip: GET_IRQCHIP: %s\n", err_name(ioctl(vm, ARMKVM_GET_IRQCHIP, &s)));
    printf("create: 48 interrupts: %s\n",
           err_name(create_irqchip(vm, GICD_BASE, GICC_BASE, 48, 0, 0)));
    printf("create: 288 interrupts: %s\n",
           err_name(create_irqchip(vm, GICD_BASE, GICC_BASE, 288, 0, 0)));
    printf("create: timer on SGI 5: %s\n",
           err_name(create_irqchip(vm, GICD_BASE, GICC_BASE, NUM_IRQS, 5, 0)));
    printf("create: overlapping regions: %s\n",
           err_name(create_irqchip(vm, GICC_BASE + 0x1000, GICC_BASE, NUM_IRQS, 0, 0)));
    printf("create: unaligned: %s\n",
           err_name(create_irqchip(vm, GICD_BASE + 4, GICC_BASE, NUM_IRQS, 0, 0)));
    printf("create: above 4 GiB: %s\n",
           err_name(create_irqchip(vm, 0x100000000ull, GICC_BASE, NUM_IRQS, 0, 0)));
    printf("create: reserved set: %s\n",
           err_name(create_irqchip(vm, GICD_BASE, GICC_BASE, NUM_IRQS, 0, 1)));
    printf("create: bad pointer: %s\n", err_name(ioctl(vm, ARMKVM_CREATE_IRQCHIP, 16)));
    printf("create: %s\n",
           err_name(create_irqchip(vm, GICD_BASE, GICC_BASE, NUM_IRQS, TIMER_PPI, 0)));
    printf("create: again: %s\n",
           err_name(create_irqchip(vm, GICD_BASE, GICC_BASE, NUM_IRQS, TIMER_PPI, 0)));
    printf("IRQ_LINE: a PPI: %s\n", err_name(irq_line(vm, 31, 1)));
    printf("IRQ_LINE: beyond the last SPI: %s\n", err_name(irq_line(vm, NUM_IRQS, 1)));
    printf("IRQ_LINE: level 2: %s\n", err_name(irq_line(vm, TEST_SPI, 2)));
    printf("IRQ_LINE: SPI 95 high: %s\n", err_name(irq_line(vm, 95, 1)));
    ioctl(vm, ARMKVM_GET_IRQCHIP, &s);
    printf("GET_IRQCHIP: SPI 95 level %u, SGIs enabled 0x%04x\n",
           s.level[2] >> 31, s.enabled[0] & 0xffff);
    s.enabled[3] = 1;                           /* interrupt 96 */
    printf("SET_IRQCHIP: interrupt 96 enabled: %s\n",
           err_name(ioctl(vm, ARMKVM_SET_IRQCHIP, &s)));
    s.enabled[3] = 0;
    s.reserved[0] = 1;
    printf("SET_IRQCHIP: reserved set: %s\n", err_name(ioctl(vm, ARMKVM_SET_IRQCHIP, &s)));
    s.reserved[0] = 0;
    s.level[2] = 0;
    s.priority[40] = 0xa0;
    printf("SET_IRQCHIP: %s\n", err_name(ioctl(vm, ARMKVM_SET_IRQCHIP, &s)));
    memset(&s, 0, sizeof(s));
    ioctl(vm, ARMKVM_GET_IRQCHIP, &s);
    printf("GET_IRQCHIP: SPI 95 level %u, priority of 40 0x%02x\n", s.level[2] >> 31,
           s.priority[40]);
}

static int probe_vm;

/* Raises the SPI once the vCPU is asleep in its wait: the controller must wake it. */
static void *raise_spi_later(void *arg)
{
    (void)arg;
    usleep(20000);
    irq_line(probe_vm, TEST_SPI, 1);
    return NULL;
}

static void report_interrupt(const char *what, int vcpu, struct armkvm_run *run)
{
    long ret = ioctl(vcpu, ARMKVM_RUN, 0);

    while (ret == 0 && run->exit_reason == ARMKVM_EXIT_HYPERCALL &&
           run->hypercall.args[0] != HC_REPORT) {
        run->hypercall.ret[0] = (uint32_t)-1;   /* PSCI's NOT_SUPPORTED */
        ret = ioctl(vcpu, ARMKVM_RUN, 0);
    }
    if (ret < 0 || run->exit_reason != ARMKVM_EXIT_HYPERCALL) {
        printf("%s: RUN %s, exit %u\n", what, err_name(ret), run->exit_reason);
        return;
    }
    printf("%s: IAR %u, after EOIR %u, GICD_TYPER 0x%x\n", what,
           run->hypercall.args[1], run->hypercall.args[2], run->hypercall.args[3]);
    run->hypercall.ret[0] = 0;
}

static void check_guest(int vm, int vcpu, struct armkvm_run *run)
{
    struct armkvm_core_regs regs = { .pc = RAM_BASE, .cpsr = 0x1d3 };
    struct armkvm_vcpu_stats st;
    pthread_t thread;
    uint32_t *ram = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_SHARED, vm, 0);

    if (ram == MAP_FAILED) {
        printf("guest: RAM mapping failed: %s\n", strerror(errno));
        return;
    }
    memcpy(ram, gic_guest, (gic_guest_end - gic_guest) * 4);
    munmap(ram, 1 << 20);
    ioctl(vcpu, ARMKVM_SET_REGS, &regs);

    probe_vm = vm;
    pthread_create(&thread, NULL, raise_spi_later, NULL);
    report_interrupt("guest: SPI 33 while waiting", vcpu, run);
    pthread_join(thread, NULL);
    irq_line(vm, TEST_SPI, 0);

    /* The timer, expired at once: its PPI is the controller's, never an exit. */
    ioctl(vcpu, ARMKVM_GET_REGS, &regs);
    regs.cp15.cntp_ctl = 1;
    regs.cp15.cntp_cval_lo = regs.cp15.cntp_cval_hi = 0;
    ioctl(vcpu, ARMKVM_SET_REGS, &regs);
    report_interrupt("guest: timer PPI", vcpu, run);

    ioctl(vcpu, ARMKVM_GET_STATS, &st);
    printf("guest: device accesses: %llu in the kernel, %llu to userspace; waited: %s\n",
           (unsigned long long)st.mmio_in_kernel, (unsigned long long)st.exits_mmio,
           st.idle_waits ? "yes" : "no");
}

/* A controller for a VM whose vCPU has run comes too late: its RUNs read the line from userspace. */
static void check_create_after_run(int fd)
{
    static const uint32_t exit_at_once[] = {
        0xe3a00000,                     /* mov r0, #0: a call armkvm leaves to userspace */
        0xe1400070,                     /* hvc #0 */
    };
    struct armkvm_vm_config cfg = {
        .mode = ARMKVM_VM_MODE_PRIVILEGED, .ram_gpa = RAM_BASE, .ram_size = 1 << 20,
    };
    struct armkvm_core_regs regs = { .pc = RAM_BASE, .cpsr = 0x1d3 };
    int vm = ioctl(fd, ARMKVM_CREATE_VM, &cfg);
    int vcpu = vm < 0 ? -1 : ioctl(vm, ARMKVM_CREATE_VCPU, 0);
    void *ram = vcpu < 0 ? MAP_FAILED :
                mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_SHARED, vm, 0);
    long ret;

    if (ram == MAP_FAILED) {
        printf("after a RUN: setup failed: %s\n", strerror(errno));
        return;
    }
    memcpy(ram, exit_at_once, sizeof(exit_at_once));
    munmap(ram, 1 << 20);
    ioctl(vcpu, ARMKVM_SET_REGS, &regs);
    ret = ioctl(vcpu, ARMKVM_RUN, 0);
    printf("after a RUN: RUN %s; create: %s\n", err_name(ret),
           err_name(create_irqchip(vm, GICD_BASE, GICC_BASE, NUM_IRQS, 0, 0)));
    close(vcpu);
    close(vm);
}

int main(void)
{
    struct armkvm_vm_config cfg = {
        .mode = ARMKVM_VM_MODE_PRIVILEGED, .ram_gpa = RAM_BASE, .ram_size = 1 << 20,
    };
    int fd = open("/dev/armkvm", O_RDWR | O_CLOEXEC), vm, vcpu;
    struct armkvm_run *run;

    if (fd < 0) {
        printf("open /dev/armkvm: %s\n", strerror(errno));
        return 1;
    }
    printf("CHECK_EXTENSION(IRQCHIP): %d\n",
           ioctl(fd, ARMKVM_CHECK_EXTENSION, ARMKVM_CAP_IRQCHIP));
    vm = ioctl(fd, ARMKVM_CREATE_VM, &cfg);
    vcpu = vm < 0 ? -1 : ioctl(vm, ARMKVM_CREATE_VCPU, 0);
    run = vcpu < 0 ? MAP_FAILED :
          mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
    if (run == MAP_FAILED) {
        printf("setup failed: %s\n", strerror(errno));
        return 1;
    }
    check_configs(vm);
    check_guest(vm, vcpu, run);
    close(vcpu);
    close(vm);
    check_create_after_run(fd);
    close(fd);
    return 0;
}
