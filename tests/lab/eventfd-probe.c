/*
 * Runs in the lab against /dev/armkvm: ARMKVM_IOEVENTFD and ARMKVM_IRQFD.
 * Every argument the calls refuse, the collisions and the per-VM limits;
 * a guest whose doorbell stores signal eventfds in the module without an
 * exit (each exit that does reach userspace is printed, with the stats and
 * eventfd counts after each round); a guest waiting for an SPI that an
 * irqfd raises; an irqfd torn down by closing its eventfd and by DEASSIGN;
 * a VM closed with live eventfds. The module's eventfd_objects count must
 * come back to where it started. Prints one line per check; the lab test
 * compares them with what the ABI promises.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/armkvm.h>

#define RAM_BASE    0x40000000u
#define GICD_BASE   0x08000000u
#define GICC_BASE   0x08010000u
#define DOORBELL    0x09000000u
#define NUM_IRQS    96
#define TEST_GSI    1               /* SPI 33 */
#define HC_REPORT   0x86000099u     /* no one's hypercall: userspace gets it */
#define HC_IRQ      0x86000098u

/*
 * The guest, position-independent, copied to the start of its RAM. It asks
 * userspace what to do (HC_REPORT returns a command in r0): 1 makes the
 * doorbell stores below, 2 waits for an interrupt with IRQs unmasked. Its
 * IRQ handler reports GICC_IAR (HC_IRQ), ends the interrupt and goes back
 * to asking, IRQs masked. SPI 33 is enabled and left level-sensitive.
 */
extern const uint32_t evfd_guest[], evfd_guest_cmd[], evfd_guest_end[];
__asm__(
    "   .pushsection .rodata\n"
    "   .balign 4\n"
    "   .arm\n"
    "evfd_guest:\n"
    "   b   1f\n"
    "   .rept 5\n"
    "   b   .\n"
    "   .endr\n"
    "   b   5f\n"                       /* IRQ */
    "   b   .\n"
    "1: ldr r0, =0x86000001\n"          /* ARMKVM_HC_SET_VECTORS */
    "   mov r1, #0x40000000\n"
    "   .inst 0xe1400070\n"             /* hvc #0 */
    "   ldr r4, =0x08000000\n"
    "   ldr r5, =0x08010000\n"
    "   ldr r8, =0x09000000\n"
    "   mov r0, #1\n"
    "   str r0, [r4]\n"                 /* GICD_CTLR */
    "   str r0, [r5]\n"                 /* GICC_CTLR */
    "   mov r0, #0xff\n"
    "   str r0, [r5, #4]\n"             /* GICC_PMR */
    "   mov r0, #2\n"
    "   str r0, [r4, #0x104]\n"         /* GICD_ISENABLER1: SPI 33 */
    "evfd_guest_cmd:\n"
    "2: ldr r0, =0x86000099\n"          /* HC_REPORT: the next command */
    "   .inst 0xe1400070\n"
    "   cmp r0, #1\n"
    "   beq 3f\n"
    "   cmp r0, #2\n"
    "   beq 4f\n"
    "   b   2b\n"
    "3: mov r0, #0\n"
    "   str r0, [r8, #0x50]\n"          /* 0x50 = 0, 4 bytes */
    "   mov r0, #1\n"
    "   str r0, [r8, #0x50]\n"          /* 0x50 = 1 */
    "   mov r0, #2\n"
    "   str r0, [r8, #0x50]\n"          /* 0x50 = 2 */
    "   mov r0, #0\n"
    "   strh r0, [r8, #0x50]\n"         /* 0x50 = 0, 2 bytes */
    "   mov r0, #7\n"
    "   strb r0, [r8, #0x60]\n"         /* 0x60, 1 byte */
    "   str r0, [r8, #0x60]\n"          /* 0x60, 4 bytes */
    "   strh r0, [r8, #0x70]\n"         /* 0x70, 2 bytes */
    "   str r0, [r8, #0x70]\n"          /* 0x70, 4 bytes */
    "   mov r0, #0x5a\n"
    "   strb r0, [r8, #0x80]\n"         /* 0x80 = 0x5a, 1 byte */
    "   mov r0, #0x5b\n"
    "   strb r0, [r8, #0x80]\n"         /* 0x80 = 0x5b */
    "   ldr r1, [r8, #0x50]\n"          /* a load of 0x50 */
    "   mov r0, #0\n"
    "   mov r1, #1\n"
    "   add r9, r8, #0x50\n"
    "   stmia r9, {r0, r1}\n"           /* 0x50 = 0, 0x54 = 1: one instruction */
    "   b   2b\n"
    "4: cpsie i\n"
    "6: ldr r0, =0x86000002\n"          /* ARMKVM_HC_WAIT_FOR_INTERRUPT */
    "   .inst 0xe1400070\n"
    "   b   6b\n"
    "5: ldr r6, [r5, #0xc]\n"           /* GICC_IAR */
    "   str r6, [r5, #0x10]\n"          /* GICC_EOIR */
    "   ldr r0, =0x86000098\n"          /* HC_IRQ */
    "   mov r1, r6\n"
    "   .inst 0xe1400070\n"
    "   cpsid i, #0x13\n"               /* back to SVC mode, IRQs masked */
    "   b   2b\n"
    "   .ltorg\n"
    "evfd_guest_end:\n"
    "   .popsection\n");

static int other_efd;

static const char *err_name(long ret)
{
    if (ret >= 0) {
        return "ok";
    }
    switch (errno) {
    case EINTR: return "EINTR";
    case EINVAL: return "EINVAL";
    case EFAULT: return "EFAULT";
    case EEXIST: return "EEXIST";
    case ENXIO: return "ENXIO";
    case ENOENT: return "ENOENT";
    case EBADF: return "EBADF";
    case ENOSPC: return "ENOSPC";
    default: return strerror(errno);
    }
}

static long eventfd_objects(void)
{
    FILE *f = fopen("/sys/module/armkvm/parameters/eventfd_objects", "r");
    long n = -1;

    if (f) {
        if (fscanf(f, "%ld", &n) != 1) {
            n = -1;
        }
        fclose(f);
    }
    return n;
}

/* Up to 2 s for HUP-detached irqfds' shutdown work to run. */
static long eventfd_objects_settled(long want)
{
    long n = eventfd_objects();

    for (int i = 0; i < 200 && n != want; i++) {
        usleep(10000);
        n = eventfd_objects();
    }
    return n;
}

static long ioeventfd(int vm, uint64_t addr, uint32_t len, int fd, uint32_t flags,
                      uint64_t datamatch)
{
    struct armkvm_ioeventfd a = {
        .datamatch = datamatch, .addr = addr, .len = len, .fd = fd, .flags = flags,
    };

    return ioctl(vm, ARMKVM_IOEVENTFD, &a);
}

static long irqfd(int vm, uint32_t fd, uint32_t gsi, uint32_t flags)
{
    struct armkvm_irqfd a = { .fd = fd, .gsi = gsi, .flags = flags };

    return ioctl(vm, ARMKVM_IRQFD, &a);
}

static uint64_t efd_count(int efd)
{
    uint64_t v = 0;

    if (read(efd, &v, sizeof(v)) != sizeof(v)) {
        v = 0;          /* EAGAIN: not signalled */
    }
    return v;
}

#define DM ARMKVM_IOEVENTFD_FLAG_DATAMATCH
#define DEASSIGN ARMKVM_IOEVENTFD_FLAG_DEASSIGN

static void check_ioeventfd_args(int vm, int efd, int null_fd)
{
    struct armkvm_ioeventfd a = { .addr = DOORBELL, .len = 4, .fd = efd };
    long n0 = eventfd_objects();
    int i, extra[ARMKVM_IOEVENTFD_MAX + 1], assigned = 0;

    printf("ioeventfd: PIO flag: %s\n", err_name(ioeventfd(vm, DOORBELL, 4, efd, 1u << 1, 0)));
    printf("ioeventfd: unknown flag: %s\n", err_name(ioeventfd(vm, DOORBELL, 4, efd, 1u << 3, 0)));
    printf("ioeventfd: len 3: %s\n", err_name(ioeventfd(vm, DOORBELL, 3, efd, 0, 0)));
    printf("ioeventfd: len 8: %s\n", err_name(ioeventfd(vm, DOORBELL, 8, efd, 0, 0)));
    printf("ioeventfd: unaligned: %s\n", err_name(ioeventfd(vm, DOORBELL + 2, 4, efd, 0, 0)));
    printf("ioeventfd: above 4 GiB: %s\n",
           err_name(ioeventfd(vm, 0x100000000ull + DOORBELL, 4, efd, 0, 0)));
    printf("ioeventfd: past 4 GiB: %s\n",
           err_name(ioeventfd(vm, 0xffffffffull, 2, efd, 0, 0)));
    printf("ioeventfd: datamatch 0x100, len 1: %s\n",
           err_name(ioeventfd(vm, DOORBELL, 1, efd, DM, 0x100)));
    printf("ioeventfd: datamatch 2^32, len 4: %s\n",
           err_name(ioeventfd(vm, DOORBELL, 4, efd, DM, 0x100000000ull)));
    printf("ioeventfd: datamatch with len 0: %s\n",
           err_name(ioeventfd(vm, DOORBELL, 0, efd, DM, 0)));
    printf("ioeventfd: datamatch without the flag: %s\n",
           err_name(ioeventfd(vm, DOORBELL, 4, efd, 0, 1)));
    a.pad[35] = 1;
    printf("ioeventfd: pad set: %s\n", err_name(ioctl(vm, ARMKVM_IOEVENTFD, &a)));
    printf("ioeventfd: fd -1: %s\n", err_name(ioeventfd(vm, DOORBELL, 4, -1, 0, 0)));
    printf("ioeventfd: fd 999: %s\n", err_name(ioeventfd(vm, DOORBELL, 4, 999, 0, 0)));
    printf("ioeventfd: not an eventfd: %s\n",
           err_name(ioeventfd(vm, DOORBELL, 4, null_fd, 0, 0)));
    printf("ioeventfd: bad pointer: %s\n", err_name(ioctl(vm, ARMKVM_IOEVENTFD, 16)));
    printf("ioeventfd: in the GIC's distributor: %s\n",
           err_name(ioeventfd(vm, GICD_BASE + 0x100, 4, efd, 0, 0)));
    printf("ioeventfd: in the GIC's CPU interface: %s\n",
           err_name(ioeventfd(vm, GICC_BASE + 0x1ffc, 4, efd, 0, 0)));
    printf("ioeventfd: last word below 4 GiB: %s\n",
           err_name(ioeventfd(vm, 0xfffffffcull, 4, efd, 0, 0)));
    printf("ioeventfd: deassign it: %s\n",
           err_name(ioeventfd(vm, 0xfffffffcull, 4, efd, DEASSIGN, 0)));
    printf("ioeventfd: refused ones left nothing: %ld more objects\n",
           eventfd_objects() - n0);

    /* Collisions: a store that two would match. */
    printf("collide: 0x50 len 4 = 0: %s\n", err_name(ioeventfd(vm, DOORBELL + 0x50, 4, efd, DM, 0)));
    printf("collide: again: %s\n", err_name(ioeventfd(vm, DOORBELL + 0x50, 4, efd, DM, 0)));
    printf("collide: again, another eventfd: %s\n",
           err_name(ioeventfd(vm, DOORBELL + 0x50, 4, other_efd, DM, 0)));
    printf("collide: 0x50 len 4, any value: %s\n",
           err_name(ioeventfd(vm, DOORBELL + 0x50, 4, efd, 0, 0)));
    printf("collide: 0x50 any length: %s\n",
           err_name(ioeventfd(vm, DOORBELL + 0x50, 0, efd, 0, 0)));
    printf("collide: 0x50 len 4 = 1: %s\n", err_name(ioeventfd(vm, DOORBELL + 0x50, 4, efd, DM, 1)));
    printf("collide: 0x50 len 2 = 0: %s\n", err_name(ioeventfd(vm, DOORBELL + 0x50, 2, efd, DM, 0)));

    /* DEASSIGN names one exactly. */
    printf("deassign: other value: %s\n",
           err_name(ioeventfd(vm, DOORBELL + 0x50, 4, efd, DEASSIGN | DM, 2)));
    printf("deassign: without datamatch: %s\n",
           err_name(ioeventfd(vm, DOORBELL + 0x50, 4, efd, DEASSIGN, 0)));
    printf("deassign: other length: %s\n",
           err_name(ioeventfd(vm, DOORBELL + 0x50, 1, efd, DEASSIGN | DM, 0)));
    printf("deassign: other address: %s\n",
           err_name(ioeventfd(vm, DOORBELL + 0x54, 4, efd, DEASSIGN | DM, 0)));
    printf("deassign: other eventfd: %s\n",
           err_name(ioeventfd(vm, DOORBELL + 0x50, 4, other_efd, DEASSIGN | DM, 0)));
    printf("deassign: not an eventfd: %s\n",
           err_name(ioeventfd(vm, DOORBELL + 0x50, 4, null_fd, DEASSIGN | DM, 0)));
    printf("deassign: 0x50 len 4 = 0: %s\n",
           err_name(ioeventfd(vm, DOORBELL + 0x50, 4, efd, DEASSIGN | DM, 0)));
    printf("deassign: 0x50 len 4 = 1: %s\n",
           err_name(ioeventfd(vm, DOORBELL + 0x50, 4, efd, DEASSIGN | DM, 1)));
    printf("deassign: 0x50 len 2 = 0: %s\n",
           err_name(ioeventfd(vm, DOORBELL + 0x50, 2, efd, DEASSIGN | DM, 0)));
    printf("deassign: again: %s\n",
           err_name(ioeventfd(vm, DOORBELL + 0x50, 2, efd, DEASSIGN | DM, 0)));
    printf("ioeventfd: objects back: %ld more\n", eventfd_objects() - n0);

    /* The per-VM limit, one eventfd each. */
    for (i = 0; i <= ARMKVM_IOEVENTFD_MAX; i++) {
        extra[i] = eventfd(0, EFD_CLOEXEC);
        if (ioeventfd(vm, 0x0a000000u + 4 * i, 4, extra[i], 0, 0) < 0) {
            break;
        }
        assigned++;
    }
    printf("limit: %d assigned, then %s; %ld objects more\n", assigned,
           err_name(-1), eventfd_objects() - n0);
    for (i = 0; i < assigned; i++) {
        ioeventfd(vm, 0x0a000000u + 4 * i, 4, extra[i], DEASSIGN, 0);
    }
    for (i = 0; i <= assigned && i <= ARMKVM_IOEVENTFD_MAX; i++) {
        close(extra[i]);
    }
    printf("limit: all deassigned: %ld objects more\n", eventfd_objects() - n0);
}

static void check_irqfd_args(int vm, int efd, int null_fd)
{
    struct armkvm_irqfd a = { .fd = efd, .gsi = TEST_GSI };
    long n0 = eventfd_objects();
    int i, extra[ARMKVM_IRQFD_MAX + 1], assigned = 0;

    printf("irqfd: gsi 64 (interrupt 96): %s\n", err_name(irqfd(vm, efd, NUM_IRQS - 32, 0)));
    printf("irqfd: gsi -1: %s\n", err_name(irqfd(vm, efd, ~0u, 0)));
    printf("irqfd: RESAMPLE: %s\n",
           err_name(irqfd(vm, efd, TEST_GSI, ARMKVM_IRQFD_FLAG_RESAMPLE)));
    printf("irqfd: unknown flag: %s\n", err_name(irqfd(vm, efd, TEST_GSI, 1u << 2)));
    a.resamplefd = efd;
    printf("irqfd: resamplefd set: %s\n", err_name(ioctl(vm, ARMKVM_IRQFD, &a)));
    a.resamplefd = 0;
    a.pad[15] = 1;
    printf("irqfd: pad set: %s\n", err_name(ioctl(vm, ARMKVM_IRQFD, &a)));
    printf("irqfd: fd -1: %s\n", err_name(irqfd(vm, ~0u, TEST_GSI, 0)));
    printf("irqfd: fd 999: %s\n", err_name(irqfd(vm, 999, TEST_GSI, 0)));
    printf("irqfd: not an eventfd: %s\n", err_name(irqfd(vm, null_fd, TEST_GSI, 0)));
    printf("irqfd: bad pointer: %s\n", err_name(ioctl(vm, ARMKVM_IRQFD, 16)));
    printf("irqfd: deassign, none: %s\n",
           err_name(irqfd(vm, efd, TEST_GSI, ARMKVM_IRQFD_FLAG_DEASSIGN)));
    printf("irqfd: refused ones left nothing: %ld more objects\n", eventfd_objects() - n0);
    printf("irqfd: gsi 63 (interrupt 95): %s\n", err_name(irqfd(vm, efd, 63, 0)));
    printf("irqfd: same eventfd again: %s\n", err_name(irqfd(vm, efd, TEST_GSI, 0)));
    printf("irqfd: deassign, other gsi: %s\n",
           err_name(irqfd(vm, efd, TEST_GSI, ARMKVM_IRQFD_FLAG_DEASSIGN)));
    printf("irqfd: deassign: %s\n", err_name(irqfd(vm, efd, 63, ARMKVM_IRQFD_FLAG_DEASSIGN)));
    printf("irqfd: deassign again: %s\n",
           err_name(irqfd(vm, efd, 63, ARMKVM_IRQFD_FLAG_DEASSIGN)));

    for (i = 0; i <= ARMKVM_IRQFD_MAX; i++) {
        extra[i] = eventfd(0, EFD_CLOEXEC);
        if (irqfd(vm, extra[i], i % 64, 0) < 0) {
            break;
        }
        assigned++;
    }
    printf("limit: %d irqfds, then %s; %ld objects more\n", assigned, err_name(-1),
           eventfd_objects() - n0);
    for (i = 0; i < assigned / 2; i++) {
        irqfd(vm, extra[i], i % 64, ARMKVM_IRQFD_FLAG_DEASSIGN);
    }
    printf("limit: half deassigned: %ld objects more\n", eventfd_objects() - n0);
    for (i = 0; i <= assigned && i <= ARMKVM_IRQFD_MAX; i++) {
        close(extra[i]);            /* the rest go with their eventfd (HUP) */
    }
    printf("limit: eventfds closed: %ld objects more\n", eventfd_objects_settled(n0) - n0);
}

static struct armkvm_vcpu_stats stats0;

/*
 * RUN until the guest asks for its next command; prints every exit that
 * reaches userspace, and what the module served since the last call.
 */
static void run_until_report(int vcpu, struct armkvm_run *run, const char *what,
                             uint32_t *irq)
{
    struct armkvm_vcpu_stats st;
    long ret;

    for (;;) {
        ret = ioctl(vcpu, ARMKVM_RUN, 0);
        if (ret < 0 || run->exit_reason == ARMKVM_EXIT_INTERNAL_ERROR) {
            printf("%s: RUN %s, exit %u\n", what, err_name(ret), run->exit_reason);
            return;
        }
        if (run->exit_reason == ARMKVM_EXIT_MMIO) {
            uint32_t v = 0;

            memcpy(&v, run->mmio.data, 4);
            printf("%s: exit: %s 0x%08llx, %u bytes, 0x%x\n", what,
                   run->mmio.is_write ? "store to" : "load from",
                   (unsigned long long)run->mmio.phys_addr, run->mmio.len, v);
            memset(run->mmio.data, 0, sizeof(run->mmio.data));
            continue;
        }
        if (run->exit_reason != ARMKVM_EXIT_HYPERCALL) {
            continue;
        }
        if (run->hypercall.args[0] == HC_IRQ) {
            *irq = run->hypercall.args[1];
            continue;
        }
        if (run->hypercall.args[0] == HC_REPORT) {
            break;
        }
        run->hypercall.ret[0] = (uint32_t)-1;   /* PSCI's NOT_SUPPORTED */
    }
    ioctl(vcpu, ARMKVM_GET_STATS, &st);
    printf("%s: %llu served in the kernel, %llu exits to userspace\n", what,
           (unsigned long long)(st.mmio_in_kernel - stats0.mmio_in_kernel),
           (unsigned long long)(st.exits_mmio - stats0.exits_mmio));
    stats0 = st;
}

static int signal_fd;
static struct armkvm_run *kick_run;
static pthread_t vcpu_thread;

static void on_kick(int sig)
{
    (void)sig;          /* only interrupts ARMKVM_RUN */
}

/* Signals the irqfd once the vCPU is asleep in its wait: the GIC must wake it. */
static void *signal_later(void *arg)
{
    uint64_t one = 1;

    (void)arg;
    usleep(20000);
    if (write(signal_fd, &one, sizeof(one)) != sizeof(one)) {
        perror("write eventfd");
    }
    usleep(200000);
    /* If nothing came, RUN ends with EINTR (a kick as QEMU's: flag, then signal). */
    kick_run->immediate_exit = 1;
    pthread_kill(vcpu_thread, SIGUSR1);
    return NULL;
}

/* Command 2: wait for an interrupt, the eventfd signalled 20 ms later. */
static void wait_for_irq(int vcpu, struct armkvm_run *run, const char *what, int efd)
{
    uint32_t irq = 0;
    pthread_t thread;
    long ret;

    run->hypercall.ret[0] = 2;
    signal_fd = efd;
    kick_run = run;
    vcpu_thread = pthread_self();
    pthread_create(&thread, NULL, signal_later, NULL);
    ret = ioctl(vcpu, ARMKVM_RUN, 0);
    while (ret == 0 && run->exit_reason == ARMKVM_EXIT_HYPERCALL &&
           run->hypercall.args[0] != HC_IRQ) {
        run->hypercall.ret[0] = (uint32_t)-1;
        ret = ioctl(vcpu, ARMKVM_RUN, 0);
    }
    if (ret == 0 && run->exit_reason == ARMKVM_EXIT_HYPERCALL) {
        irq = run->hypercall.args[1];
        printf("%s: interrupt %u\n", what, irq);
    } else {
        printf("%s: no interrupt (RUN %s, exit %u)\n", what, err_name(ret),
               run->exit_reason);
    }
    pthread_join(thread, NULL);
    run->immediate_exit = 0;
    if (irq) {
        run_until_report(vcpu, run, what, &irq);
    } else {
        /* Out of its wait: back to the command loop, IRQs masked. */
        struct armkvm_core_regs regs;

        ioctl(vcpu, ARMKVM_GET_REGS, &regs);
        regs.cpsr |= 0x80;
        regs.pc = RAM_BASE + 4 * (evfd_guest_cmd - evfd_guest);
        ioctl(vcpu, ARMKVM_SET_REGS, &regs);
        run_until_report(vcpu, run, what, &irq);
    }
}

static void check_guest(int vm, int vcpu, struct armkvm_run *run)
{
    struct armkvm_core_regs regs = { .pc = RAM_BASE, .cpsr = 0x1d3 };
    int e50_0, e50_1, e60, e70, e80, eirq;
    uint32_t *ram = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_SHARED, vm, 0);
    uint32_t irq = 0;

    if (ram == MAP_FAILED) {
        printf("guest: RAM mapping failed: %s\n", strerror(errno));
        return;
    }
    memcpy(ram, evfd_guest, (evfd_guest_end - evfd_guest) * 4);
    munmap(ram, 1 << 20);
    ioctl(vcpu, ARMKVM_SET_REGS, &regs);

    e50_0 = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    e50_1 = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    e60 = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    e70 = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    e80 = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    printf("doorbells: 0x50 len 4 = 0: %s, = 1: %s, 0x60 any length: %s, "
           "0x70 len 2: %s, 0x80 len 1 = 0x5a: %s\n",
           err_name(ioeventfd(vm, DOORBELL + 0x50, 4, e50_0, DM, 0)),
           err_name(ioeventfd(vm, DOORBELL + 0x50, 4, e50_1, DM, 1)),
           err_name(ioeventfd(vm, DOORBELL + 0x60, 0, e60, 0, 0)),
           err_name(ioeventfd(vm, DOORBELL + 0x70, 2, e70, 0, 0)),
           err_name(ioeventfd(vm, DOORBELL + 0x80, 1, e80, DM, 0x5a)));

    run_until_report(vcpu, run, "start", &irq);
    run->hypercall.ret[0] = 1;
    run_until_report(vcpu, run, "round 1", &irq);
    printf("round 1: signals: 0x50=0 %llu, 0x50=1 %llu, 0x60 %llu, 0x70 %llu, 0x80 %llu\n",
           (unsigned long long)efd_count(e50_0), (unsigned long long)efd_count(e50_1),
           (unsigned long long)efd_count(e60), (unsigned long long)efd_count(e70),
           (unsigned long long)efd_count(e80));

    printf("round 2: deassign 0x50 = 0: %s, 0x60: %s\n",
           err_name(ioeventfd(vm, DOORBELL + 0x50, 4, e50_0, DEASSIGN | DM, 0)),
           err_name(ioeventfd(vm, DOORBELL + 0x60, 0, e60, DEASSIGN, 0)));
    run->hypercall.ret[0] = 1;
    run_until_report(vcpu, run, "round 2", &irq);
    printf("round 2: signals: 0x50=0 %llu, 0x50=1 %llu, 0x60 %llu, 0x70 %llu, 0x80 %llu\n",
           (unsigned long long)efd_count(e50_0), (unsigned long long)efd_count(e50_1),
           (unsigned long long)efd_count(e60), (unsigned long long)efd_count(e70),
           (unsigned long long)efd_count(e80));

    /* irqfd: the SPI reaches a guest asleep in its wait, without an exit. */
    eirq = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    printf("irqfd: assign gsi %d: %s\n", TEST_GSI, err_name(irqfd(vm, eirq, TEST_GSI, 0)));
    wait_for_irq(vcpu, run, "irqfd", eirq);
    printf("irqfd: eventfd counter after the injection: %llu\n",
           (unsigned long long)efd_count(eirq));
    printf("irqfd: deassign: %s\n",
           err_name(irqfd(vm, eirq, TEST_GSI, ARMKVM_IRQFD_FLAG_DEASSIGN)));
    run->hypercall.ret[0] = 0;
    run_until_report(vcpu, run, "after deassign", &irq);
    wait_for_irq(vcpu, run, "irqfd deassigned", eirq);

    /* Signalled before it is assigned: the assignment injects at once. */
    printf("irqfd: assign a signalled eventfd: %s\n", err_name(irqfd(vm, eirq, TEST_GSI, 0)));
    run->hypercall.ret[0] = 2;
    irq = 0;
    {
        long ret = ioctl(vcpu, ARMKVM_RUN, 0);

        if (ret == 0 && run->exit_reason == ARMKVM_EXIT_HYPERCALL &&
            run->hypercall.args[0] == HC_IRQ) {
            printf("irqfd signalled before: interrupt %u\n", run->hypercall.args[1]);
            run_until_report(vcpu, run, "irqfd signalled before", &irq);
        } else {
            printf("irqfd signalled before: RUN %s, exit %u, 0x%x\n", err_name(ret),
                   run->exit_reason, run->hypercall.args[0]);
        }
    }
    /* Closing the eventfd tears the irqfd down (HUP). */
    {
        long n = eventfd_objects();

        close(eirq);
        printf("irqfd: eventfd closed: %ld objects less\n", n - eventfd_objects_settled(n - 1));
    }
    close(e50_0);
    close(e50_1);
    close(e60);
    close(e70);
    close(e80);
}

/* A VM closed while it has ioeventfds and irqfds, their eventfds still open. */
static void check_vm_close(int fd, long n0)
{
    struct armkvm_vm_config cfg = {
        .mode = ARMKVM_VM_MODE_PRIVILEGED, .ram_gpa = RAM_BASE, .ram_size = 1 << 20,
    };
    struct armkvm_irqchip_config chip = {
        .dist_base = GICD_BASE, .cpu_base = GICC_BASE, .num_irqs = NUM_IRQS,
    };
    int vm = ioctl(fd, ARMKVM_CREATE_VM, &cfg), e[5], i;

    ioctl(vm, ARMKVM_CREATE_IRQCHIP, &chip);
    for (i = 0; i < 5; i++) {
        e[i] = eventfd(0, EFD_CLOEXEC);
    }
    for (i = 0; i < 3; i++) {
        ioeventfd(vm, DOORBELL + 4 * i, 4, e[i], 0, 0);
    }
    irqfd(vm, e[3], 3, 0);
    irqfd(vm, e[4], 4, 0);
    printf("VM close: %ld objects live\n", eventfd_objects() - n0);
    close(vm);
    printf("VM close: closed, %ld objects live\n", eventfd_objects() - n0);
    for (i = 0; i < 5; i++) {
        close(e[i]);
    }
    printf("VM close: eventfds closed, %ld objects live\n", eventfd_objects() - n0);
}

int main(void)
{
    struct armkvm_vm_config cfg = {
        .mode = ARMKVM_VM_MODE_PRIVILEGED, .ram_gpa = RAM_BASE, .ram_size = 1 << 20,
    };
    struct armkvm_irqchip_config chip = {
        .dist_base = GICD_BASE, .cpu_base = GICC_BASE, .num_irqs = NUM_IRQS,
    };
    int fd = open("/dev/armkvm", O_RDWR | O_CLOEXEC), vm, vcpu, efd, null_fd;
    struct armkvm_run *run;
    long n0 = eventfd_objects();
    struct sigaction sa = { .sa_handler = on_kick };

    sigaction(SIGUSR1, &sa, NULL);

    if (fd < 0) {
        printf("open /dev/armkvm: %s\n", strerror(errno));
        return 1;
    }
    printf("CHECK_EXTENSION(IOEVENTFD): %d, (IRQFD): %d; eventfd_objects %ld\n",
           ioctl(fd, ARMKVM_CHECK_EXTENSION, ARMKVM_CAP_IOEVENTFD),
           ioctl(fd, ARMKVM_CHECK_EXTENSION, ARMKVM_CAP_IRQFD), n0);
    vm = ioctl(fd, ARMKVM_CREATE_VM, &cfg);
    vcpu = vm < 0 ? -1 : ioctl(vm, ARMKVM_CREATE_VCPU, 0);
    run = vcpu < 0 ? MAP_FAILED :
          mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
    if (run == MAP_FAILED) {
        printf("setup failed: %s\n", strerror(errno));
        return 1;
    }
    null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
    efd = eventfd(0, EFD_CLOEXEC);
    other_efd = eventfd(0, EFD_CLOEXEC);        /* never registered */

    printf("irqfd: no irqchip: %s\n", err_name(irqfd(vm, efd, TEST_GSI, 0)));
    ioctl(vm, ARMKVM_CREATE_IRQCHIP, &chip);
    check_ioeventfd_args(vm, efd, null_fd);
    check_irqfd_args(vm, efd, null_fd);
    check_guest(vm, vcpu, run);
    printf("VM with vCPU: %ld objects live before close\n", eventfd_objects() - n0);
    munmap(run, 4096);          /* the run page holds the vCPU, which holds the VM */
    close(vcpu);
    close(vm);
    printf("VM with vCPU: closed, %ld objects live\n", eventfd_objects() - n0);
    check_vm_close(fd, n0);
    close(efd);
    close(fd);
    printf("eventfd_objects at the end: %ld\n", eventfd_objects());
    return 0;
}
