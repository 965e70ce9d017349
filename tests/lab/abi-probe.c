/*
 * Runs in the lab against /dev/armkvm: the ABI version call, its argument
 * check, unknown ioctls and file operations the device does not have, every
 * way to get a VM or vCPU wrong, then thousands of random ioctls. Prints one line per check; the lab test
 * compares them with what the ABI promises.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/armkvm.h>
#include <linux/capability.h>

#define FUZZ_ROUNDS 20000

static const char *err_name(int err)
{
    switch (err) {
    case 0: return "ok";
    case EINVAL: return "EINVAL";
    case ENOTTY: return "ENOTTY";
    case ENODEV: return "ENODEV";
    case EFAULT: return "EFAULT";
    case EEXIST: return "EEXIST";
    case EINTR: return "EINTR";
    case EPERM: return "EPERM";
    case EACCES: return "EACCES";
    default: return strerror(err);
    }
}

static void report(const char *what, long ret)
{
    printf("%s: %s\n", what, ret < 0 ? err_name(errno) : "ok");
}

static long create_vm(int fd, unsigned int mode, unsigned long long gpa,
                      unsigned long long size, unsigned long long reserved)
{
    struct armkvm_vm_config cfg = {
        .mode = mode, .ram_gpa = gpa, .ram_size = size, .reserved = { reserved },
    };
    long ret = ioctl(fd, ARMKVM_CREATE_VM, &cfg);

    if (ret >= 0) {
        close(ret);
    }
    return ret;
}

/* CREATE_VM with flags and an alignment; closes the VM; -1/errno on failure. */
static long config_vm(int fd, unsigned int flags, unsigned long long gpa,
                      unsigned long long size, unsigned long long align)
{
    struct armkvm_vm_config cfg = {
        .mode = ARMKVM_VM_MODE_PRIVILEGED, .flags = flags, .ram_gpa = gpa,
        .ram_size = size, .ram_align = align,
    };
    long ret = ioctl(fd, ARMKVM_CREATE_VM, &cfg);

    if (ret >= 0) {
        close(ret);
    }
    return ret;
}

/* Each bad configuration is refused with EINVAL before anything is allocated. */
static void check_vm_configs(int fd)
{
    const unsigned long long mb = 1 << 20, gpa = 0x40000000;

    report("vm: 1 MiB at 0x40000000", create_vm(fd, ARMKVM_VM_MODE_PRIVILEGED, gpa, mb, 0));
    report("vm: 4 MiB", create_vm(fd, ARMKVM_VM_MODE_PRIVILEGED, gpa, 4 * mb, 0));
    report("vm: unknown mode", create_vm(fd, 7, gpa, mb, 0));
    report("vm: no RAM", create_vm(fd, ARMKVM_VM_MODE_PRIVILEGED, gpa, 0, 0));
    report("vm: more than the limit", create_vm(fd, ARMKVM_VM_MODE_PRIVILEGED, gpa,
                                                ARMKVM_RAM_MAX + mb, 0));
    report("vm: unaligned size", create_vm(fd, ARMKVM_VM_MODE_PRIVILEGED, gpa, mb + 4096, 0));
    report("vm: unaligned base", create_vm(fd, ARMKVM_VM_MODE_PRIVILEGED, gpa + 4096, mb, 0));
    report("vm: RAM over the host kernel", create_vm(fd, ARMKVM_VM_MODE_PRIVILEGED,
                                                     0xbf000000, mb, 0));
    /* Sums that wrap in 64 or 32 bits must not pass for small addresses. */
    report("vm: base that wraps with its size",
           create_vm(fd, ARMKVM_VM_MODE_PRIVILEGED, 0xffffffffff000000ull, 256 * mb, 0));
    report("vm: base above 4 GiB", create_vm(fd, ARMKVM_VM_MODE_PRIVILEGED,
                                             0x100000000ull, mb, 0));
    report("vm: RAM running into the window", create_vm(fd, ARMKVM_VM_MODE_PRIVILEGED,
                                                        0xbe000000, 32 * mb, 0));
    report("vm: reserved field set", create_vm(fd, ARMKVM_VM_MODE_PRIVILEGED, gpa, mb, 1));
    report("vm: bad pointer", ioctl(fd, ARMKVM_CREATE_VM, (void *)16));
    report("vm: host-physical with a base given",
           config_vm(fd, ARMKVM_VM_GPA_IS_HPA, gpa, mb, 0));
    report("vm: alignment not a power of two", config_vm(fd, 0, gpa, mb, 3 * mb));
    report("vm: alignment over 1 GiB", config_vm(fd, 0, gpa, mb, 2048 * mb));
}

/* Guest-physical = host-physical, 128 MiB aligned: what QEMU asks for by default. */
static void check_identity_vm(int fd)
{
    struct armkvm_vm_config cfg = {
        .mode = ARMKVM_VM_MODE_PRIVILEGED, .flags = ARMKVM_VM_GPA_IS_HPA,
        .ram_size = 16 << 20, .ram_align = 128 << 20,
    };
    int vm = ioctl(fd, ARMKVM_CREATE_VM, &cfg);

    if (vm < 0) {
        printf("vm: guest-physical = host-physical: %s\n", err_name(errno));
        return;
    }
    printf("vm: guest-physical = host-physical: %s\n",
           cfg.ram_gpa == cfg.ram_hpa && cfg.ram_hpa && !(cfg.ram_hpa % (128 << 20)) ?
           "ok, 128 MiB aligned" : "wrong addresses");
    close(vm);
}

/*
 * Beyond the buddy allocator's largest block, RAM is migrated together: three
 * 32 MiB VMs in turn, each zeroed although the last one dirtied the memory.
 */
static void check_big_vm(int fd)
{
    const size_t size = 32 << 20;
    struct armkvm_vm_config cfg = {
        .mode = ARMKVM_VM_MODE_PRIVILEGED, .ram_gpa = 0x40000000, .ram_size = size,
    };
    int round, dirty = 0, failed = 0;

    for (round = 0; round < 3; round++) {
        int vm = ioctl(fd, ARMKVM_CREATE_VM, &cfg);
        uint32_t *ram;

        if (vm < 0) {
            printf("vm: 32 MiB: %s\n", err_name(errno));
            return;
        }
        ram = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, vm, 0);
        if (ram == MAP_FAILED) {
            failed = 1;
        } else {
            for (size_t i = 0; i < size / 4; i++) {
                dirty |= ram[i] != 0;
                ram[i] = 0xdeadbeef;
            }
            munmap(ram, size);
        }
        close(vm);
    }
    printf("vm: 32 MiB three times: %s\n",
           failed ? "mmap failed" : dirty ? "not zeroed" : "ok, zeroed each time");
}

static void check_vcpu(int fd)
{
    struct armkvm_vm_config cfg = {
        .mode = ARMKVM_VM_MODE_PRIVILEGED, .ram_gpa = 0x40000000, .ram_size = 1 << 20,
    };
    struct armkvm_core_regs regs = { .pc = 0x40000000, .cpsr = 0x1d1 };
    struct armkvm_guest_debug dbg;
    int vm = ioctl(fd, ARMKVM_CREATE_VM, &cfg), vcpu;

    report("vcpu: id 1", ioctl(vm, ARMKVM_CREATE_VCPU, 1));
    vcpu = ioctl(vm, ARMKVM_CREATE_VCPU, 0);
    report("vcpu: id 0", vcpu);
    report("vcpu: a second id 0", ioctl(vm, ARMKVM_CREATE_VCPU, 0));
    report("vcpu: FIQ mode refused", ioctl(vcpu, ARMKVM_SET_REGS, &regs));
    regs.cpsr = 0x1d6;
    report("vcpu: monitor mode refused", ioctl(vcpu, ARMKVM_SET_REGS, &regs));
    report("vcpu: run mmap of 2 pages", (long)(mmap(NULL, 8192, PROT_READ, MAP_SHARED,
                                                    vcpu, 0) == MAP_FAILED ? -1 : 0));
    report("vm: mmap past RAM", (long)(mmap(NULL, 2 << 20, PROT_READ, MAP_SHARED,
                                            vm, 0) == MAP_FAILED ? -1 : 0));
    report("vcpu: RUN with an argument", ioctl(vcpu, ARMKVM_RUN, 1));
    dbg = (struct armkvm_guest_debug) { .control = ARMKVM_GUESTDBG_ENABLE };
    report("debug: enable", ioctl(vcpu, ARMKVM_SET_GUEST_DEBUG, &dbg));
    dbg.control |= ARMKVM_GUESTDBG_SINGLESTEP;
    report("debug: enable and step", ioctl(vcpu, ARMKVM_SET_GUEST_DEBUG, &dbg));
    dbg.control = ARMKVM_GUESTDBG_SINGLESTEP;
    report("debug: step without enable", ioctl(vcpu, ARMKVM_SET_GUEST_DEBUG, &dbg));
    dbg.control = 1u << 31;
    report("debug: unknown bit", ioctl(vcpu, ARMKVM_SET_GUEST_DEBUG, &dbg));
    dbg = (struct armkvm_guest_debug) { .control = ARMKVM_GUESTDBG_ENABLE, .pad = 1 };
    report("debug: pad set", ioctl(vcpu, ARMKVM_SET_GUEST_DEBUG, &dbg));
    report("debug: bad pointer", ioctl(vcpu, ARMKVM_SET_GUEST_DEBUG, (void *)16));
    dbg = (struct armkvm_guest_debug) { 0 };
    report("debug: off", ioctl(vcpu, ARMKVM_SET_GUEST_DEBUG, &dbg));
    close(vcpu);
    close(vm);
}

/* A 1 MiB VM at 0x40000000 with its vCPU and run structure; false (and why) if not. */
struct probe_guest {
    int vm, vcpu;
    struct armkvm_run *run;
};

static bool open_guest(int fd, const char *what, struct probe_guest *g)
{
    struct armkvm_vm_config cfg = {
        .mode = ARMKVM_VM_MODE_PRIVILEGED, .ram_gpa = 0x40000000, .ram_size = 1 << 20,
    };

    g->vm = ioctl(fd, ARMKVM_CREATE_VM, &cfg);
    g->vcpu = g->vm < 0 ? -1 : ioctl(g->vm, ARMKVM_CREATE_VCPU, 0);
    g->run = g->vcpu < 0 ? MAP_FAILED :
             mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, g->vcpu, 0);
    if (g->run == MAP_FAILED) {
        printf("%s: setup failed: %s\n", what, strerror(errno));
        if (g->vcpu >= 0) {
            close(g->vcpu);
        }
        if (g->vm >= 0) {
            close(g->vm);
        }
        return false;
    }
    return true;
}

static void close_guest(struct probe_guest *g)
{
    munmap(g->run, 4096);
    close(g->vcpu);
    close(g->vm);
}

/*
 * Who may create a privileged-mode VM: the node is root's alone, and a
 * process without CAP_SYS_RAWIO (even root's) is refused at CREATE_VM.
 */
static void check_privileges(void)
{
    struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
    struct __user_cap_data_struct caps[2];
    struct stat st;
    pid_t pid;
    int status;

    if (stat("/dev/armkvm", &st) == 0) {
        printf("node: mode %04o, uid %u\n", (unsigned int)st.st_mode & 07777,
               (unsigned int)st.st_uid);
    }
    pid = fork();
    if (pid == 0) {
        int fd = open("/dev/armkvm", O_RDWR);

        syscall(SYS_capget, &hdr, caps);
        caps[0].effective &= ~(1u << CAP_SYS_RAWIO);
        syscall(SYS_capset, &hdr, caps);
        report("privileges: CREATE_VM without CAP_SYS_RAWIO",
               create_vm(fd, ARMKVM_VM_MODE_PRIVILEGED, 0x40000000, 1 << 20, 0));
        fflush(stdout);
        close(fd);
        if (setuid(65534) == 0) {
            fd = open("/dev/armkvm", O_RDWR);
            report("privileges: open as an unprivileged user", fd);
        }
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, &status, 0);
}

static void on_alarm(int sig)
{
    (void)sig;      /* only interrupts ARMKVM_RUN */
}

/*
 * The guest's physical timer: its output reaches userspace as
 * run->timer_level with an ARMKVM_EXIT_TIMER when it changes. The guest
 * spins (B .) with interrupts unmasked; an expired timer it never handles
 * keeps ending its runs, until the alarm.
 */
static void check_timer(int fd)
{
    struct armkvm_core_regs regs = { .pc = 0x40000000, .cpsr = 0x113 };
    struct itimerval limit = { .it_value = { .tv_usec = 50000 } };
    struct sigaction sa = { .sa_handler = on_alarm };
    struct armkvm_vcpu_stats before, after;
    struct probe_guest g;
    struct armkvm_run *run;
    int vcpu, ret, cap;
    uint32_t *ram;

    cap = ioctl(fd, ARMKVM_CHECK_EXTENSION, ARMKVM_CAP_PTIMER);
    printf("timer: CHECK_EXTENSION(PTIMER): %d\n", cap);
    printf("timer: CHECK_EXTENSION(unknown): %d\n",
           ioctl(fd, ARMKVM_CHECK_EXTENSION, 0x7fff));
    if (cap != 1) {
        return;
    }
    if (!open_guest(fd, "timer", &g)) {
        return;
    }
    vcpu = g.vcpu;
    run = g.run;
    ram = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_SHARED, g.vm, 0);
    if (ram == MAP_FAILED) {
        printf("timer: RAM mapping failed: %s\n", strerror(errno));
        close_guest(&g);
        return;
    }
    ram[0] = 0xeafffffe;                        /* b . */
    regs.cp15.cntp_ctl = 1;                     /* enabled, compare value 0: expired */
    ioctl(vcpu, ARMKVM_SET_REGS, &regs);
    ret = ioctl(vcpu, ARMKVM_RUN, 0);
    printf("timer: expired: RUN %d, exit %u, level %u\n", ret, run->exit_reason,
           run->timer_level);
    sigaction(SIGALRM, &sa, NULL);
    ioctl(vcpu, ARMKVM_GET_STATS, &before);
    setitimer(ITIMER_REAL, &limit, NULL);
    ret = ioctl(vcpu, ARMKVM_RUN, 0);
    ioctl(vcpu, ARMKVM_GET_STATS, &after);
    /* Its interrupt stays off while the level is reported: no exit per entry. */
    printf("timer: never handled: RUN %s, level %u, %s exits in 50 ms\n",
           err_name(ret < 0 ? errno : 0), run->timer_level,
           after.world_switches - before.world_switches < 100 ? "few" : "too many");
    ioctl(vcpu, ARMKVM_GET_REGS, &regs);
    printf("timer: ISTATUS read back: %u\n", (regs.cp15.cntp_ctl >> 2) & 1);
    regs.cp15.cntp_ctl = 0;                     /* disabled */
    ioctl(vcpu, ARMKVM_SET_REGS, &regs);
    ret = ioctl(vcpu, ARMKVM_RUN, 0);
    printf("timer: disabled: RUN %d, exit %u, level %u\n", ret, run->exit_reason,
           run->timer_level);

    /* HVC is a hypercall from the guest's kernel only: at PL0 it is UNDEFINED. */
    ram[0] = 0xe1400070;                        /* hvc #0 */
    memset(&regs, 0, sizeof(regs));
    regs.pc = 0x40000000;
    regs.cpsr = 0x10;                           /* user mode, no vectors */
    ioctl(vcpu, ARMKVM_SET_REGS, &regs);
    ret = ioctl(vcpu, ARMKVM_RUN, 0);
    printf("user-mode hvc: exit %u, vector %u\n", run->exit_reason, run->internal.data[0]);
    regs.cpsr = 0x1d3;                          /* SVC mode */
    ioctl(vcpu, ARMKVM_SET_REGS, &regs);
    ret = ioctl(vcpu, ARMKVM_RUN, 0);
    printf("svc-mode hvc: exit %u\n", run->exit_reason);
    munmap(ram, 1 << 20);
    close_guest(&g);
}

/*
 * The last exit's instruction is completed by the next RUN, as the module
 * recorded it: with immediate_exit set, completed without entering the guest;
 * after SET_REGS (reset, loadvm) dropped; never on the run page's say-so.
 */
static void check_pending(int fd)
{
    struct armkvm_core_regs regs = { .pc = 0x40000000, .cpsr = 0x1d3 };
    struct probe_guest g;
    struct armkvm_run *run;
    uint32_t *ram, v = 0x55;
    int ret;

    if (!open_guest(fd, "pending", &g)) {
        return;
    }
    run = g.run;
    ram = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_SHARED, g.vm, 0);
    if (ram == MAP_FAILED) {
        printf("pending: RAM mapping failed: %s\n", strerror(errno));
        close_guest(&g);
        return;
    }
    ram[0] = 0xe5910000;                        /* ldr r0, [r1]: a device read */
    ram[1] = 0xeafffffe;                        /* b . */
    ram[0x40] = 0xeafffffe;                     /* b . */
    regs.usr[0] = 0x1234;
    regs.usr[1] = 0x09000000;
    ioctl(g.vcpu, ARMKVM_SET_REGS, &regs);
    ret = ioctl(g.vcpu, ARMKVM_RUN, 0);
    printf("pending: device read: RUN %d, exit %u\n", ret, run->exit_reason);
    memcpy(run->mmio.data, &v, 4);
    run->immediate_exit = 1;
    ret = ioctl(g.vcpu, ARMKVM_RUN, 0);
    ioctl(g.vcpu, ARMKVM_GET_REGS, &regs);
    printf("pending: immediate exit: RUN %s, r0 %#x, pc +%u\n",
           err_name(ret < 0 ? errno : 0), regs.usr[0], regs.pc - 0x40000000);

    /* A read in flight, then new registers: the old load must not land. */
    run->immediate_exit = 0;
    regs.pc = 0x40000000;
    regs.usr[0] = 0x1234;
    ioctl(g.vcpu, ARMKVM_SET_REGS, &regs);
    ioctl(g.vcpu, ARMKVM_RUN, 0);
    regs.pc = 0x40000100;
    ioctl(g.vcpu, ARMKVM_SET_REGS, &regs);
    memcpy(run->mmio.data, &v, 4);
    run->immediate_exit = 1;
    ret = ioctl(g.vcpu, ARMKVM_RUN, 0);
    ioctl(g.vcpu, ARMKVM_GET_REGS, &regs);
    printf("pending: dropped by SET_REGS: RUN %s, r0 %#x, pc +%u\n",
           err_name(ret < 0 ? errno : 0), regs.usr[0], regs.pc - 0x40000000);

    /* Nothing in flight: a forged hypercall exit changes no register. */
    run->exit_reason = ARMKVM_EXIT_HYPERCALL;
    memset(run->hypercall.ret, 0xee, sizeof(run->hypercall.ret));
    ret = ioctl(g.vcpu, ARMKVM_RUN, 0);
    ioctl(g.vcpu, ARMKVM_GET_REGS, &regs);
    printf("pending: forged hypercall exit: RUN %s, r0 %#x\n",
           err_name(ret < 0 ? errno : 0), regs.usr[0]);
    run->exit_reason = ARMKVM_EXIT_MMIO;
    ret = ioctl(g.vcpu, ARMKVM_RUN, 0);
    ioctl(g.vcpu, ARMKVM_GET_REGS, &regs);
    printf("pending: forged MMIO exit: RUN %s, r0 %#x, pc +%u\n",
           err_name(ret < 0 ? errno : 0), regs.usr[0], regs.pc - 0x40000000);
    munmap(ram, 1 << 20);
    close_guest(&g);
}

/*
 * Random register states on a zero-filled guest (zeros decode as ANDEQ, a
 * no-op): whatever the mode, flags, pc and vectors, every RUN must end in an
 * exit with a reason, or be interrupted by a signal when the guest loops for
 * ever (a random vector base can fault into itself, as on a real CPU); and
 * SET_REGS must refuse the modes a guest cannot have.
 */
static void fuzz_regs(int fd, unsigned int *seed)
{
    static const unsigned int modes[] = { 0x10, 0x13, 0x17, 0x1b, 0x12, 0x1f };
    struct sigaction sa = { .sa_handler = on_alarm };
    struct itimerval limit = { .it_value = { .tv_usec = 20000 } };
    int runs = 0, refused = 0, bad = 0, vcpu;
    struct armkvm_run *run;
    struct probe_guest g;

    if (!open_guest(fd, "regs fuzz", &g)) {
        return;
    }
    vcpu = g.vcpu;
    run = g.run;
    sigaction(SIGALRM, &sa, NULL);
    for (int i = 0; i < 2000; i++) {
        struct armkvm_core_regs regs;
        uint32_t *w = (uint32_t *)&regs;

        for (size_t j = 0; j < sizeof(regs) / 4; j++) {
            w[j] = (uint32_t)rand_r(seed) << 1 ^ rand_r(seed);
        }
        if (i % 3) {
            /* Mostly valid modes, ARM state, pc somewhere in or near RAM. */
            regs.cpsr = (regs.cpsr & 0xf80001c0) | modes[i % 6];
            regs.pc = 0x40000000 + (regs.pc & 0x1ffffc);
        }
        if (ioctl(vcpu, ARMKVM_SET_REGS, &regs) < 0) {
            refused += errno == EINVAL;
            bad += errno != EINVAL;
            continue;
        }
        setitimer(ITIMER_REAL, &limit, NULL);
        if (ioctl(vcpu, ARMKVM_RUN, 0) < 0) {
            if (errno == EINTR && run->exit_reason == ARMKVM_EXIT_INTR) {
                runs++;
            } else {
                bad++;
            }
            continue;
        }
        runs++;
        if (run->exit_reason != ARMKVM_EXIT_INTERNAL_ERROR &&
            run->exit_reason != ARMKVM_EXIT_MMIO &&
            run->exit_reason != ARMKVM_EXIT_TIMER &&
            run->exit_reason != ARMKVM_EXIT_HYPERCALL) {
            bad++;
        }
        if (run->exit_reason == ARMKVM_EXIT_MMIO && !run->mmio.is_write) {
            memset(run->mmio.data, 0, sizeof(run->mmio.data));
        }
    }
    limit.it_value.tv_usec = 0;
    setitimer(ITIMER_REAL, &limit, NULL);
    printf("regs fuzz: 2000 states, %s, %s, %d unexpected\n",
           runs > 1000 ? "most ran to an exit" : "too few ran",
           refused > 0 ? "impossible modes refused" : "nothing refused", bad);
    close_guest(&g);
}

int main(void)
{
    char buf[16];
    unsigned int seed = 0x61726d6b;
    int fd = open("/dev/armkvm", O_RDWR | O_CLOEXEC);
    int version, unexpected = 0;

    if (fd < 0) {
        printf("open /dev/armkvm: %s\n", strerror(errno));
        return 1;
    }
    version = ioctl(fd, ARMKVM_GET_API_VERSION, 0);
    if (version == ARMKVM_API_VERSION) {
        printf("api-version: the header's\n");
    } else {
        printf("api-version: %d, header %d\n", version, ARMKVM_API_VERSION);
    }
    report("api-version with an argument", ioctl(fd, ARMKVM_GET_API_VERSION, 1));
    report("unknown armkvm ioctl", ioctl(fd, _IO(ARMKVMIO, 0x7f), 0));
    report("KVM's KVM_GET_API_VERSION", ioctl(fd, _IO(0xAE, 0x00), 0));
    report("a tty ioctl", ioctl(fd, TCGETS, buf));
    report("read", read(fd, buf, sizeof(buf)));
    report("write", write(fd, buf, sizeof(buf)));
    report("mmap", (long)(mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0)
                          == MAP_FAILED ? -1 : 0));
    check_vm_configs(fd);
    check_big_vm(fd);
    check_identity_vm(fd);
    check_vcpu(fd);
    check_timer(fd);
    check_pending(fd);
    check_privileges();
    fuzz_regs(fd, &seed);

    /* Random commands and arguments: each must fail cleanly or be the version call. */
    for (int i = 0; i < FUZZ_ROUNDS; i++) {
        unsigned int cmd = (unsigned int)rand_r(&seed) << 1 ^ rand_r(&seed);
        unsigned long arg = (unsigned long)rand_r(&seed) << 1 ^ rand_r(&seed);
        int ret;

        if (i % 4 == 0) {
            cmd = (cmd & ~0xff00u) | (ARMKVMIO << 8);   /* our type byte */
        }
        ret = ioctl(fd, cmd, arg);
        if (cmd == ARMKVM_GET_API_VERSION || cmd == ARMKVM_GET_VCPU_MMAP_SIZE ||
            cmd == ARMKVM_CHECK_EXTENSION) {
            continue;
        }
        if (ret >= 0 && cmd == ARMKVM_CREATE_VM) {
            close(ret);     /* a random argument that happened to be a valid config */
            continue;
        }
        if (ret >= 0 || (errno != ENOTTY && errno != EINVAL && errno != EFAULT)) {
            printf("fuzz: ioctl 0x%08x arg 0x%08lx: %d %s\n", cmd, arg, ret,
                   err_name(errno));
            unexpected++;
        }
    }
    printf("fuzz: %d ioctls, %d unexpected\n", FUZZ_ROUNDS, unexpected);
    close(fd);
    return unexpected ? 1 : 0;
}
