/*
 * Runs in the lab against /dev/armkvm: isolated mode's guest RAM from the
 * caller's own memory (ARMKVM_CAP_ISOLATED_USER_MEMORY). CREATE_VM without
 * a block, then ARMKVM_SET_USER_MEMORY_REGION with each field wrong in turn,
 * overlaps, the window, another process; then a guest that runs from a
 * private anonymous slot and writes into a shared memfd slot, which this
 * process reads back (the module maps the caller's pages, not copies), and
 * reads outside every slot (a device access); slots fixed once it has run;
 * the memory-lock limit, and its charge given back with the VM. Prints one
 * line per check; the lab test compares them with user-memory-probe.expected.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/armkvm.h>
#include <linux/capability.h>

#define RAM0        0x40000000u     /* slot 0: private anonymous memory */
#define RAM0_SIZE   (1u << 20)
#define RAM1        0x80000000u     /* slot 1: a shared memfd mapping */
#define RAM1_SIZE   (64u << 10)
#define HC_REPORT   0x86000099u

/* Runs at RAM0, MMU off, virtual SVC: a word into slot 1, a read of no slot, a report. */
extern const uint32_t g_slots[], g_slots_end[];
__asm__(
    "   .pushsection .rodata\n"
    "   .balign 4\n"
    "   .arm\n"
    "g_slots:\n"
    "   ldr r1, =0x80000010\n"
    "   ldr r0, =0x5ca1ab1e\n"
    "   str r0, [r1]\n"
    "   ldr r2, =0x50000000\n"
    "   ldr r3, [r2]\n"
    "   ldr r4, [r1]\n"
    "   ldr r0, =0x86000099\n"
    "   .inst 0xe1400070\n"             /* hvc #0 */
    "   b   .\n"
    "   .ltorg\n"
    "g_slots_end:\n"
    "   .popsection\n");

static int dev_fd;

static const char *result(long ret)
{
    if (ret >= 0) {
        return "ok";
    }
    switch (errno) {
    case EINVAL: return "EINVAL";
    case EFAULT: return "EFAULT";
    case EBUSY: return "EBUSY";
    case EEXIST: return "EEXIST";
    case EPERM: return "EPERM";
    case ENOMEM: return "ENOMEM";
    default: return strerror(errno);
    }
}

static int create_vm(uint32_t mode, uint32_t flags, uint64_t gpa, uint64_t size)
{
    struct armkvm_vm_config cfg = {
        .mode = mode, .flags = flags, .ram_gpa = gpa, .ram_size = size,
    };

    return ioctl(dev_fd, ARMKVM_CREATE_VM, &cfg);
}

static long set_slot(int vm, uint32_t slot, uint32_t flags, uint64_t gpa, uint64_t size,
                     uint64_t uaddr)
{
    struct armkvm_userspace_memory_region r = {
        .slot = slot, .flags = flags, .guest_phys_addr = gpa, .memory_size = size,
        .userspace_addr = uaddr,
    };

    return ioctl(vm, ARMKVM_SET_USER_MEMORY_REGION, &r);
}

/* This process's locked memory, in KiB (what the slots are charged to). */
static long locked_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[128];
    long kib = -1;

    while (f && fgets(line, sizeof(line), f)) {
        if (sscanf(line, "VmLck: %ld kB", &kib) == 1) {
            break;
        }
    }
    if (f) {
        fclose(f);
    }
    return kib;
}

static void check_create(void)
{
    int vm;

    printf("capability: %d\n",
           ioctl(dev_fd, ARMKVM_CHECK_EXTENSION, ARMKVM_CAP_ISOLATED_USER_MEMORY));
    printf("no block, privileged mode: %s\n",
           result(create_vm(ARMKVM_VM_MODE_PRIVILEGED, 0, 0, 0)));
    printf("no block, a ram_gpa: %s\n",
           result(create_vm(ARMKVM_VM_MODE_ISOLATED, 0, RAM0, 0)));
    printf("no block, GPA_IS_HPA: %s\n",
           result(create_vm(ARMKVM_VM_MODE_ISOLATED, ARMKVM_VM_GPA_IS_HPA, 0, 0)));
    vm = create_vm(ARMKVM_VM_MODE_ISOLATED, 0, 0, 0);
    printf("no block, isolated: %s\n", result(vm));
    close(vm);
}

static void check_refusals(void)
{
    int vm = create_vm(ARMKVM_VM_MODE_ISOLATED, 0, 0, 0);
    uint8_t *mem = mmap(NULL, 2 * RAM0_SIZE, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    uint64_t u = (uintptr_t)mem;
    pid_t pid;
    int status;

    printf("slot %d: %s\n", ARMKVM_USER_SLOTS,
           result(set_slot(vm, ARMKVM_USER_SLOTS, 0, RAM0, RAM0_SIZE, u)));
    printf("flags: %s\n", result(set_slot(vm, 0, 1, RAM0, RAM0_SIZE, u)));
    printf("gpa not page aligned: %s\n", result(set_slot(vm, 0, 0, RAM0 + 8, RAM0_SIZE, u)));
    printf("size not page aligned: %s\n", result(set_slot(vm, 0, 0, RAM0, 100, u)));
    printf("address not page aligned: %s\n",
           result(set_slot(vm, 0, 0, RAM0, RAM0_SIZE, u + 8)));
    printf("past 4 GiB: %s\n", result(set_slot(vm, 0, 0, 0xfffff000u, 0x2000, u)));
    printf("a size that wraps: %s\n",
           result(set_slot(vm, 0, 0, 0x1000, 0xfffffffffffff000ull, u)));
    printf("over the window: %s\n",
           result(set_slot(vm, 0, 0, 0xbe000000u, 0x2000000, u)));
    printf("an address past user space: %s\n",
           result(set_slot(vm, 0, 0, RAM0, RAM0_SIZE, 0xfffff000u)));
    printf("delete a slot never set: %s\n", result(set_slot(vm, 3, 0, 0, 0, 0)));
    printf("slot 0: %s\n", result(set_slot(vm, 0, 0, RAM0, RAM0_SIZE, u)));
    printf("slot 1 over slot 0: %s\n",
           result(set_slot(vm, 1, 0, RAM0 + RAM0_SIZE - 4096, 8192, u + RAM0_SIZE)));
    printf("slot 0 moved: %s\n", result(set_slot(vm, 0, 0, RAM0 + RAM0_SIZE, RAM0_SIZE, u)));
    printf("slot 0 deleted: %s\n", result(set_slot(vm, 0, 0, 0, 0, 0)));
    /* The VM's memory is its creator's: another process may not give it any. */
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        printf("from a child process: %s\n",
               result(set_slot(vm, 0, 0, RAM0, RAM0_SIZE, u)));
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, &status, 0);
    close(vm);
    munmap(mem, 2 * RAM0_SIZE);
}

static void check_run(void)
{
    struct armkvm_core_regs regs = { .pc = RAM0, .cpsr = 0x1d3 };
    struct armkvm_run *run;
    uint32_t *ram0, *ram1;
    long before = locked_kib(), ret;
    int vm, vcpu, memfd;

    vm = create_vm(ARMKVM_VM_MODE_ISOLATED, 0, 0, 0);
    ram0 = mmap(NULL, RAM0_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memfd = memfd_create("slot1", 0);
    if (vm < 0 || ram0 == MAP_FAILED || memfd < 0 || ftruncate(memfd, RAM1_SIZE)) {
        printf("run: set-up failed: %s\n", strerror(errno));
        return;
    }
    ram1 = mmap(NULL, RAM1_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
    memcpy(ram0, g_slots, (g_slots_end - g_slots) * 4);
    printf("run: slot 0 %s, slot 1 %s, locked memory up by %ld KiB\n",
           result(set_slot(vm, 0, 0, RAM0, RAM0_SIZE, (uintptr_t)ram0)),
           result(set_slot(vm, 1, 0, RAM1, RAM1_SIZE, (uintptr_t)ram1)),
           locked_kib() - before);
    vcpu = ioctl(vm, ARMKVM_CREATE_VCPU, 0);
    run = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
    ioctl(vcpu, ARMKVM_SET_REGS, &regs);

    ret = ioctl(vcpu, ARMKVM_RUN, 0);
    printf("run: RUN %s, exit %u, %s at 0x%llx\n", result(ret), run->exit_reason,
           run->mmio.is_write ? "write" : "read", (unsigned long long)run->mmio.phys_addr);
    memcpy(run->mmio.data, "\x78\x56\x34\x12", 4);
    ret = ioctl(vcpu, ARMKVM_RUN, 0);
    ioctl(vcpu, ARMKVM_GET_REGS, &regs);
    printf("run: RUN %s, exit %u, hypercall 0x%x: device read 0x%x, slot 1 read 0x%x; "
           "this process sees 0x%x in slot 1\n", result(ret), run->exit_reason,
           run->hypercall.args[0], regs.usr[3], regs.usr[4], ram1[4]);
    printf("run: slot 0 moved after the run: %s, set as it is: %s, deleted: %s\n",
           result(set_slot(vm, 0, 0, RAM0 + RAM0_SIZE, RAM0_SIZE, (uintptr_t)ram0)),
           result(set_slot(vm, 0, 0, RAM0, RAM0_SIZE, (uintptr_t)ram0)),
           result(set_slot(vm, 0, 0, 0, 0, 0)));
    munmap(run, 4096);
    close(vcpu);
    close(vm);
    printf("run: locked memory after the VM: %ld KiB more than before\n",
           locked_kib() - before);
    munmap(ram0, RAM0_SIZE);
    munmap(ram1, RAM1_SIZE);
    close(memfd);
}

/* Without CAP_IPC_LOCK, a slot counts against RLIMIT_MEMLOCK. */
static void check_memlock(void)
{
    struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
    struct __user_cap_data_struct caps[2];
    struct rlimit lim = { 256 << 10, 256 << 10 };
    pid_t pid;
    int status;

    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        uint8_t *mem = mmap(NULL, RAM0_SIZE, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        int vm;

        syscall(SYS_capget, &hdr, caps);
        caps[CAP_IPC_LOCK / 32].effective &= ~(1u << (CAP_IPC_LOCK % 32));
        if (syscall(SYS_capset, &hdr, caps) || setrlimit(RLIMIT_MEMLOCK, &lim)) {
            printf("memlock: set-up failed: %s\n", strerror(errno));
            _exit(0);
        }
        vm = create_vm(ARMKVM_VM_MODE_ISOLATED, 0, 0, 0);
        printf("memlock: 1 MiB over a 256 KiB limit: %s\n",
               result(set_slot(vm, 0, 0, RAM0, RAM0_SIZE, (uintptr_t)mem)));
        printf("memlock: 128 KiB: %s\n",
               result(set_slot(vm, 0, 0, RAM0, 128 << 10, (uintptr_t)mem)));
        printf("memlock: another 192 KiB: %s\n",
               result(set_slot(vm, 1, 0, RAM1, 192 << 10, (uintptr_t)mem + RAM0_SIZE / 2)));
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, &status, 0);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    dev_fd = open("/dev/armkvm", O_RDWR);
    if (dev_fd < 0) {
        perror("/dev/armkvm");
        return 1;
    }
    check_create();
    check_refusals();
    check_run();
    check_memlock();
    return 0;
}
