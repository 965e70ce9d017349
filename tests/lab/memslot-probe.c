/*
 * Runs in the lab against /dev/armkvm: ARMKVM_SET_USER_MEMORY_REGION, every
 * field wrong in turn (slot, flags, alignment, sizes and addresses that wrap,
 * mappings that are not this VM's own), then the calls that succeed, proven
 * by a guest that runs where the slot put RAM and asks the module where that
 * is (ARMKVM_HC_RAM_BASE). Prints one line per check; the lab test compares
 * them with memslot-probe.expected.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>
#include <linux/armkvm.h>

#define MB (1ull << 20)
#define RAM_SIZE (4 * MB)

static const char *err_name(int err)
{
    switch (err) {
    case EINVAL: return "EINVAL";
    case EFAULT: return "EFAULT";
    case EBUSY: return "EBUSY";
    case ENOTTY: return "ENOTTY";
    default: return strerror(err);
    }
}

static const char *result(long ret)
{
    return ret < 0 ? err_name(errno) : "ok";
}

static int create_vm(int dev, uint32_t flags, uint64_t gpa, uint64_t *gpa_out)
{
    struct armkvm_vm_config cfg = {
        .mode = ARMKVM_VM_MODE_PRIVILEGED, .flags = flags, .ram_gpa = gpa,
        .ram_size = RAM_SIZE, .ram_align = flags ? 128 * MB : 0,
    };
    int vm = ioctl(dev, ARMKVM_CREATE_VM, &cfg);

    if (vm < 0) {
        printf("CREATE_VM: %s\n", err_name(errno));
    } else if (gpa_out) {
        *gpa_out = cfg.ram_gpa;
    }
    return vm;
}

static void *map_vm(int vm, size_t len, int flags, off_t off)
{
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, flags, vm, off);

    return p == MAP_FAILED ? NULL : p;
}

static long set_slot(int vm, uint32_t slot, uint32_t flags, uint64_t gpa,
                     uint64_t size, uint64_t uaddr)
{
    struct armkvm_userspace_memory_region r = {
        .slot = slot, .flags = flags, .guest_phys_addr = gpa,
        .memory_size = size, .userspace_addr = uaddr,
    };

    return ioctl(vm, ARMKVM_SET_USER_MEMORY_REGION, &r);
}

#define UADDR(p) ((uint64_t)(uintptr_t)(p))

/*
 * Runs the VM's guest from the start of RAM: HVC RAM_BASE (served by the
 * module), then an HVC with r0 = 0, which reaches userspace with r0-r3 as
 * RAM_BASE left them. Prints the exit and the guest-physical base (as
 * label when it is gpa and a label is given: a host-physical one varies).
 */
static void run_ram_base(int vm, uint32_t *ram, uint64_t gpa, const char *what,
                         const char *label)
{
    char base[32];

    struct armkvm_core_regs regs;
    struct armkvm_run *run;
    int vcpu = ioctl(vm, ARMKVM_CREATE_VCPU, 0);
    long ret;

    run = vcpu < 0 ? MAP_FAILED : mmap(NULL, 4096, PROT_READ | PROT_WRITE,
                                       MAP_SHARED, vcpu, 0);
    if (run == MAP_FAILED) {
        printf("%s: vCPU setup failed: %s\n", what, strerror(errno));
        return;
    }
    ram[0] = 0xe59f0004;                /* ldr r0, [pc, #4] */
    ram[1] = 0xe1400070;                /* hvc #0: RAM_BASE, in the module */
    ram[2] = 0xe1400070;                /* hvc #0 with r0 = 0: to userspace */
    ram[3] = ARMKVM_HC_RAM_BASE;
    ret = ioctl(vcpu, ARMKVM_GET_REGS, &regs);
    printf("%s: reset pc at RAM's base: %s\n", what,
           ret == 0 && regs.pc == gpa ? "yes" : "no");
    ret = ioctl(vcpu, ARMKVM_RUN, 0);
    snprintf(base, sizeof(base), "0x%08x", run->hypercall.args[2]);
    printf("%s: RUN %s, exit %u, RAM_BASE's guest-physical base %s\n",
           what, result(ret), run->exit_reason,
           label && run->hypercall.args[2] == gpa ? label : base);
    munmap(run, 4096);
    close(vcpu);
}

/* Every field wrong in turn, on a 4 MiB VM at 0x40000000: nothing changes. */
static void check_refusals(int dev)
{
    uint64_t ok_gpa = 0x50000000;
    int vm = create_vm(dev, 0, 0x40000000, NULL);
    int other = create_vm(dev, 0, 0x40000000, NULL);
    void *ram, *anon, *gone, *short_map, *other_ram;

    if (vm < 0 || other < 0) {
        return;
    }
    ram = map_vm(vm, RAM_SIZE, MAP_SHARED, 0);
    other_ram = map_vm(other, RAM_SIZE, MAP_SHARED, 0);
    short_map = map_vm(vm, RAM_SIZE / 2, MAP_SHARED, 0);
    anon = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    gone = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (!ram || !other_ram || !short_map || anon == MAP_FAILED ||
        gone == MAP_FAILED) {
        printf("refusals: setup failed: %s\n", strerror(errno));
        return;
    }
    munmap(gone, RAM_SIZE);

    printf("slot 1: %s\n", result(set_slot(vm, 1, 0, ok_gpa, RAM_SIZE, UADDR(ram))));
    printf("slot 0x80000000: %s\n",
           result(set_slot(vm, 0x80000000u, 0, ok_gpa, RAM_SIZE, UADDR(ram))));
    printf("flags 1: %s\n", result(set_slot(vm, 0, 1, ok_gpa, RAM_SIZE, UADDR(ram))));
    printf("gpa not MiB aligned: %s\n",
           result(set_slot(vm, 0, 0, ok_gpa + 4096, RAM_SIZE, UADDR(ram))));
    printf("size smaller than the VM's RAM: %s\n",
           result(set_slot(vm, 0, 0, ok_gpa, RAM_SIZE - MB, UADDR(ram))));
    printf("size larger than the VM's RAM: %s\n",
           result(set_slot(vm, 0, 0, ok_gpa, RAM_SIZE + MB, UADDR(ram))));
    printf("size 2^64 - 1 MiB: %s\n",
           result(set_slot(vm, 0, 0, ok_gpa, -MB, UADDR(ram))));
    printf("into the hypervisor's window: %s\n",
           result(set_slot(vm, 0, 0, 0xbee00000, RAM_SIZE, UADDR(ram))));
    printf("above 4 GiB: %s\n",
           result(set_slot(vm, 0, 0, 1ull << 32, RAM_SIZE, UADDR(ram))));
    printf("gpa wrapping past 2^64: %s\n",
           result(set_slot(vm, 0, 0, -MB, RAM_SIZE, UADDR(ram))));
    printf("address not page aligned: %s\n",
           result(set_slot(vm, 0, 0, ok_gpa, RAM_SIZE, UADDR(ram) + 1)));
    printf("address beyond 32 bits: %s\n",
           result(set_slot(vm, 0, 0, ok_gpa, RAM_SIZE, UADDR(ram) | 1ull << 40)));
    printf("address unmapped: %s\n",
           result(set_slot(vm, 0, 0, ok_gpa, RAM_SIZE, UADDR(gone))));
    printf("anonymous memory: %s\n",
           result(set_slot(vm, 0, 0, ok_gpa, RAM_SIZE, UADDR(anon))));
    printf("another VM's mapping: %s\n",
           result(set_slot(vm, 0, 0, ok_gpa, RAM_SIZE, UADDR(other_ram))));
    /* Private copies of guest RAM would diverge from what the guest sees. */
    printf("a private mapping of the VM: %s\n",
           map_vm(vm, RAM_SIZE, MAP_PRIVATE, 0) ? "mapped" : err_name(errno));
    printf("half of RAM mapped: %s\n",
           result(set_slot(vm, 0, 0, ok_gpa, RAM_SIZE, UADDR(short_map))));
    printf("a page into the mapping: %s\n",
           result(set_slot(vm, 0, 0, ok_gpa, RAM_SIZE, UADDR(ram) + 4096)));
    printf("bad argument pointer: %s\n",
           result(ioctl(vm, ARMKVM_SET_USER_MEMORY_REGION, (void *)16)));
    printf("delete without a slot: %s\n",
           result(set_slot(vm, 0, 0, 0, 0, 0)));
    printf("on /dev/armkvm: %s\n",
           result(ioctl(dev, ARMKVM_SET_USER_MEMORY_REGION, NULL)));
    /* Nothing above moved RAM: the guest runs at CREATE_VM's base. */
    run_ram_base(vm, ram, 0x40000000, "after the refusals", NULL);
    close(vm);
    close(other);
    munmap(ram, RAM_SIZE);
    munmap(other_ram, RAM_SIZE);
    munmap(short_map, RAM_SIZE / 2);
    munmap(anon, RAM_SIZE);
}

/* RAM moved before the vCPU runs, then held in place once it has. */
static void check_move(int dev)
{
    int vm = create_vm(dev, 0, 0x40000000, NULL);
    uint32_t *ram = vm < 0 ? NULL : map_vm(vm, RAM_SIZE, MAP_SHARED, 0);

    if (!ram) {
        printf("move: setup failed\n");
        return;
    }
    printf("slot at 0x60000000: %s\n",
           result(set_slot(vm, 0, 0, 0x60000000, RAM_SIZE, UADDR(ram))));
    printf("slot moved to 0x50000000: %s\n",
           result(set_slot(vm, 0, 0, 0x50000000, RAM_SIZE, UADDR(ram))));
    run_ram_base(vm, ram, 0x50000000, "moved", NULL);
    printf("after RUN, moved to 0x60000000: %s\n",
           result(set_slot(vm, 0, 0, 0x60000000, RAM_SIZE, UADDR(ram))));
    printf("after RUN, the same place again: %s\n",
           result(set_slot(vm, 0, 0, 0x50000000, RAM_SIZE, UADDR(ram))));
    printf("after RUN, deleted: %s\n", result(set_slot(vm, 0, 0, 0, 0, 0)));
    run_ram_base(vm, ram, 0x50000000, "still there", NULL);
    munmap(ram, RAM_SIZE);
    close(vm);

    /* Deleted before any RUN: RAM is back at CREATE_VM's base. */
    vm = create_vm(dev, 0, 0x40000000, NULL);
    ram = vm < 0 ? NULL : map_vm(vm, RAM_SIZE, MAP_SHARED, 0);
    if (!ram) {
        printf("delete: setup failed\n");
        return;
    }
    printf("slot at 0x50000000: %s\n",
           result(set_slot(vm, 0, 0, 0x50000000, RAM_SIZE, UADDR(ram))));
    printf("deleted before RUN: %s\n", result(set_slot(vm, 0, 0, 0, 0, 0)));
    printf("deleted twice: %s\n", result(set_slot(vm, 0, 0, 0, 0, 0)));
    run_ram_base(vm, ram, 0x40000000, "deleted", NULL);
    munmap(ram, RAM_SIZE);
    close(vm);
}

/* A VM whose guest-physical addresses are host-physical: only there. */
static void check_gpa_is_hpa(int dev)
{
    uint64_t hpa = 0;
    int vm = create_vm(dev, ARMKVM_VM_GPA_IS_HPA, 0, &hpa);
    uint32_t *ram = vm < 0 ? NULL : map_vm(vm, RAM_SIZE, MAP_SHARED, 0);

    if (!ram) {
        printf("gpa=hpa: setup failed\n");
        return;
    }
    printf("gpa=hpa: 128 MiB elsewhere: %s\n",
           result(set_slot(vm, 0, 0, hpa ^ 128 * MB, RAM_SIZE, UADDR(ram))));
    printf("gpa=hpa: 1 MiB off: %s\n",
           result(set_slot(vm, 0, 0, hpa + MB, RAM_SIZE, UADDR(ram))));
    printf("gpa=hpa: at its host-physical base: %s\n",
           result(set_slot(vm, 0, 0, hpa, RAM_SIZE, UADDR(ram))));
    run_ram_base(vm, ram, hpa, "gpa=hpa", "its host-physical base");
    munmap(ram, RAM_SIZE);
    close(vm);
}

/*
 * Guest RAM as the kernel's get_user_pages() sees it (what O_DIRECT disk I/O
 * and vhost use): process_vm_readv() pins the pages it reads. Then the VM
 * goes while a mapping still holds its pages: they stay readable.
 */
static void check_pinnable(int dev)
{
    int vm = create_vm(dev, 0, 0x40000000, NULL);
    uint8_t *ram = vm < 0 ? NULL : map_vm(vm, RAM_SIZE, MAP_SHARED, 0);
    static uint8_t copy[RAM_SIZE];
    struct iovec local = { copy, RAM_SIZE }, remote;
    ssize_t n;
    size_t i, same = 0;

    if (!ram) {
        printf("pinnable: setup failed\n");
        return;
    }
    for (i = 0; i < RAM_SIZE; i++) {
        ram[i] = (uint8_t)(i * 13 + (i >> 12));
    }
    remote = (struct iovec){ ram, RAM_SIZE };
    n = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
    for (i = 0; n == RAM_SIZE && i < RAM_SIZE; i++) {
        same += copy[i] == ram[i];
    }
    printf("process_vm_readv of guest RAM: %s, %zu bytes the same\n",
           n < 0 ? err_name(errno) : n == RAM_SIZE ? "all read" : "short", same);
    close(vm);
    same = 0;
    for (i = 0; i < RAM_SIZE; i++) {
        same += ram[i] == (uint8_t)(i * 13 + (i >> 12));
    }
    printf("after close, the mapping still reads: %zu bytes the same\n", same);
    munmap(ram, RAM_SIZE);
}

int main(void)
{
    int dev = open("/dev/armkvm", O_RDWR);

    if (dev < 0) {
        perror("/dev/armkvm");
        return 1;
    }
    printf("CHECK_EXTENSION(USER_MEMORY): %d\n",
           ioctl(dev, ARMKVM_CHECK_EXTENSION, ARMKVM_CAP_USER_MEMORY));
    printf("API version: %d\n", ioctl(dev, ARMKVM_GET_API_VERSION, 0));
    check_refusals(dev);
    check_move(dev);
    check_gpa_is_hpa(dev);
    check_pinnable(dev);
    close(dev);
    return 0;
}
