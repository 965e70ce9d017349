/*
 * A minimal VMM on /dev/armkvm, for the lab: runs a raw bare-metal guest image
 * in privileged mode with a PL011 transmit register and PSCI SYSTEM_OFF, and
 * nothing else. It tests the module alone, without QEMU in the way.
 *
 * usage: mini-vmm IMAGE   (loaded at 0x40010000, entered in SVC mode)
 *
 * With MINI_VMM_WAIT set, it waits up to 30 s for /dev/armkvm to appear: a
 * process that existed before the module was loaded, whose page tables have
 * none of the module area yet.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/armkvm.h>

#define RAM_GPA     0x40000000u
#define RAM_SIZE    (1u << 20)
#define LOAD_OFFSET 0x10000u
#define UART_DR     0x09000000u
#define UART_FR     0x09000018u
#define UART_CR     0x09000030u
#define PSCI_SYSTEM_OFF 0x84000008u

static int fail(const char *what)
{
    fprintf(stderr, "mini-vmm: %s: %s\n", what, strerror(errno));
    return 2;
}

int main(int argc, char **argv)
{
    struct armkvm_vm_config cfg = {
        .mode = ARMKVM_VM_MODE_PRIVILEGED, .ram_gpa = RAM_GPA, .ram_size = RAM_SIZE,
    };
    struct armkvm_core_regs regs = { 0 };
    struct armkvm_vcpu_stats st;
    struct armkvm_run *run;
    unsigned char *ram;
    int dev, vm, vcpu, img;
    ssize_t n;

    if (argc != 2) {
        fprintf(stderr, "usage: mini-vmm IMAGE\n");
        return 2;
    }
    for (int i = 0; getenv("MINI_VMM_WAIT") && i < 300 && access("/dev/armkvm", F_OK); i++) {
        usleep(100000);
    }
    dev = open("/dev/armkvm", O_RDWR | O_CLOEXEC);
    if (dev < 0) {
        return fail("open /dev/armkvm");
    }
    vm = ioctl(dev, ARMKVM_CREATE_VM, &cfg);
    if (vm < 0) {
        return fail("ARMKVM_CREATE_VM");
    }
    ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, vm, 0);
    if (ram == MAP_FAILED) {
        return fail("mmap guest RAM");
    }
    img = open(argv[1], O_RDONLY);
    if (img < 0) {
        return fail(argv[1]);
    }
    n = read(img, ram + LOAD_OFFSET, RAM_SIZE - LOAD_OFFSET);
    if (n <= 0) {
        return fail("read image");
    }
    vcpu = ioctl(vm, ARMKVM_CREATE_VCPU, 0);
    if (vcpu < 0) {
        return fail("ARMKVM_CREATE_VCPU");
    }
    run = mmap(NULL, ioctl(dev, ARMKVM_GET_VCPU_MMAP_SIZE, 0), PROT_READ | PROT_WRITE,
               MAP_SHARED, vcpu, 0);
    if (run == MAP_FAILED) {
        return fail("mmap run");
    }
    regs.pc = RAM_GPA + LOAD_OFFSET;
    regs.cpsr = 0x1d3;    /* SVC, IRQs and FIQs masked, as QEMU boots a kernel */
    if (ioctl(vcpu, ARMKVM_SET_REGS, &regs) < 0) {
        return fail("ARMKVM_SET_REGS");
    }

    for (;;) {
        if (ioctl(vcpu, ARMKVM_RUN, 0) < 0) {
            if (errno == EINTR) {
                continue;
            }
            return fail("ARMKVM_RUN");
        }
        switch (run->exit_reason) {
        case ARMKVM_EXIT_MMIO: {
            uint32_t v = 0;

            memcpy(&v, run->mmio.data, run->mmio.len);
            if (run->mmio.is_write && run->mmio.phys_addr == UART_DR) {
                putchar(v & 0xff);
            } else if (run->mmio.is_write && run->mmio.phys_addr == UART_CR) {
                /* enabling the UART: nothing to do */
            } else if (!run->mmio.is_write && run->mmio.phys_addr == UART_FR) {
                memset(run->mmio.data, 0, sizeof(run->mmio.data));  /* never full */
            } else {
                fprintf(stderr, "mini-vmm: unexpected %s of %u bytes at 0x%llx\n",
                        run->mmio.is_write ? "write" : "read", run->mmio.len,
                        (unsigned long long)run->mmio.phys_addr);
                return 1;
            }
            break;
        }
        case ARMKVM_EXIT_HYPERCALL:
            if (run->hypercall.args[0] == PSCI_SYSTEM_OFF) {
                fflush(stdout);
                if (ioctl(vcpu, ARMKVM_GET_STATS, &st) == 0) {
                    fprintf(stderr, "mini-vmm: power-off after %llu world switches "
                            "(%llu mmio, %llu irq, %llu hypercall exits)\n",
                            (unsigned long long)st.world_switches,
                            (unsigned long long)st.exits_mmio,
                            (unsigned long long)st.exits_irq,
                            (unsigned long long)st.exits_hypercall);
                }
                return 0;
            }
            run->hypercall.ret[0] = (uint32_t)-1;    /* PSCI NOT_SUPPORTED */
            break;
        case ARMKVM_EXIT_INTERNAL_ERROR:
            fprintf(stderr, "mini-vmm: internal error %u:", run->internal.suberror);
            for (unsigned int i = 0; i < run->internal.ndata; i++) {
                fprintf(stderr, " 0x%08x", run->internal.data[i]);
            }
            fprintf(stderr, "\n");
            return 1;
        default:
            fprintf(stderr, "mini-vmm: unknown exit %u\n", run->exit_reason);
            return 1;
        }
    }
}
