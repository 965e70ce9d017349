/*
 * Runs in the lab against /dev/armkvm: several threads make random calls over
 * a shared table of device, VM and vCPU fds that they close and recreate at
 * random, so ioctls race close (and fd numbers get reused under them), RUN of
 * a small guest races SET_REGS, IRQ_LINE, the irqchip calls, placing guest
 * RAM (SET_USER_MEMORY_REGION), mmap/munmap of the run page and of guest RAM,
 * writes to the run page and signals, ioeventfds on the guest's device
 * addresses and irqfds assigned and deassigned while their eventfds are
 * signalled, closed (their HUP) and recreated. Prints
 * the calls made by result and the guest's exits; exits non-zero on an errno
 * the ABI does not give or a call that does not return within 20 s (60 s for
 * CREATE_VM), and dies of its own fault if a mapping it writes goes wrong.
 *
 * usage: abi-race [-s SEED] [-n CALLS] [-t SECONDS] [-j THREADS] [-S SLOTS]
 *                 [-m MODE] [-w FILE]
 *   -m race     the above (default): until CALLS calls or SECONDS, whichever first
 *   -m isolated the same race with isolated-mode VMs (docs/isolated-mode.md) on
 *               this process's own memory, as a user without privileges may
 *               run it: the guest is confined, so registers, CP15 state and
 *               hypercall numbers are random too, and the memory behind the
 *               VMs' slots is replaced, unmapped and registered wrongly
 *   -m bigvm    create and close 256 MiB VMs until killed (or CALLS / SECONDS)
 *   -m hold -k dev|vm|vcpu|run|ram
 *               keep only that object open, say "holding", wait for SIGUSR1,
 *               then show the module still works and exit
 *   -w FILE     keep in FILE what each thread is in (for kill -9: what it interrupted)
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/time.h>
#include <unistd.h>
#include <linux/armkvm.h>

#define RAM_GPA     0x40000000u
#define CODE_OFF    0x10000u        /* below it: zeros the reset pc slides through */
#define DATA_OFF    0x20000u        /* what RAM writes may touch */
#define MMIO_BASE   0x09000000u     /* nothing there: device exits to userspace */
#define GICD_BASE   0x08000000u
#define GICC_BASE   0x08010000u
#define NOWHERE     0x0a000000u     /* a jump there is a prefetch abort */
#define MAX_THREADS 16
#define MAX_SLOTS   16

/*
 * The guest runs natively at PL1 and nothing isolates it (docs/modes.md): one
 * store through a random base register could write anywhere in the host. So
 * every state this program can give it is safe by construction, whatever
 * the races: its only base registers are r9-r12, which every SET_REGS sets to
 * device addresses and the guest never changes; it enters at one of its entry
 * points (or where it stopped); no T bit, MMU off; r0-r3 never receive one of
 * the module's hypercall numbers from a random value; RAM writes store only
 * its code or zeros (which run as no-ops in either state); its vectors are
 * where its own SET_VECTORS put them, over its code. It never runs long with
 * IRQs masked (natively, that would hold the host's CPU: docs/modes.md), so
 * the kicker thread's signals end every RUN, whether the guest spins, sleeps
 * in its wait hypercall or loops through its vectors.
 *
 * The code is position-independent and sits at CODE_OFF with its vectors;
 * run from one entry point it goes round all of them: a loop, a hypercall
 * for userspace, device loads and stores (single, halfword, LDM, STRD), the
 * GIC's registers (in-kernel with an irqchip, userspace exits without), its
 * timer, the wait hypercall, SVC and UDF through its vectors, Thumb device
 * accesses. Three more entry points end elsewhere: a load to pc from a
 * device, a jump to nowhere, PSCI SYSTEM_OFF. Only the module's own
 * hypercalls start with 0x860000: the ones for userspace never do, since
 * their r0 comes back through hypercall.ret (see tame()).
 */
extern const uint32_t rg_code[], rg_end[];
extern const uint32_t rg_e_start[], rg_e_spin[], rg_e_hvc[], rg_e_mmio[], rg_e_gic[],
                      rg_e_timer[], rg_e_wait[], rg_e_exc[], rg_e_thumb[], rg_e_decode[],
                      rg_e_jump[], rg_e_off[];
__asm__(
    "   .pushsection .rodata\n"
    "   .balign 32\n"
    "   .arm\n"
    "rg_code:\n"
    "   b   rg_e_start\n"           /* reset */
    "   b   1f\n"                   /* undefined */
    "   b   2f\n"                   /* SVC */
    "   b   3f\n"                   /* prefetch abort */
    "   b   3f\n"                   /* data abort */
    "   b   rg_e_start\n"
    "   b   4f\n"                   /* IRQ */
    "   b   rg_e_start\n"           /* FIQ: never */
    "1: movs pc, lr\n"              /* skip the undefined instruction */
    "2: movs pc, lr\n"
    "3: cps #0x13\n"                /* an abort: start again in SVC mode */
    "   b   rg_e_start\n"
    "4: ldr r5, [r11, #0xc]\n"      /* GICC_IAR */
    "   mov r6, #0\n"
    "   mcr p15, 0, r6, c14, c2, 1\n"   /* CNTP_CTL = 0: the timer's level falls */
    "   isb\n"
    "   str r5, [r11, #0x10]\n"     /* GICC_EOIR */
    "   subs pc, lr, #4\n"
    "rg_e_start:\n"
    "   ldr r0, =0x86000001\n"      /* ARMKVM_HC_SET_VECTORS */
    "   adr r1, rg_code\n"
    "   .inst 0xe1400070\n"         /* hvc #0 */
    "   ldr r0, =0x86000003\n"      /* ARMKVM_HC_RAM_BASE */
    "   .inst 0xe1400070\n"
    "rg_e_spin:\n"
    "   mov r4, #0x4000\n"
    "5: subs r4, r4, #1\n"
    "   bne 5b\n"
    "rg_e_hvc:\n"
    "   ldr r0, =0x8f0000a0\n"      /* no one's: userspace serves it */
    "   .inst 0xe140017a\n"         /* hvc #0x1a */
    "rg_e_mmio:\n"
    "   str r0, [r9]\n"
    "   ldr r5, [r9, #4]\n"
    "   ldrh r6, [r9, #8]\n"
    "   ldrsb r7, [r9, #9]\n"
    "   ldm r9, {r5-r8}\n"
    "   strd r4, r5, [r9, #16]\n"
    "rg_e_gic:\n"
    "   mov r5, #1\n"
    "   str r5, [r10]\n"            /* GICD_CTLR */
    "   str r5, [r11]\n"            /* GICC_CTLR */
    "   mov r5, #0xff\n"
    "   str r5, [r11, #4]\n"        /* GICC_PMR */
    "   mvn r5, #0\n"
    "   str r5, [r10, #0x100]\n"    /* GICD_ISENABLER0: the SGIs and PPIs */
    "   str r5, [r10, #0x104]\n"    /* GICD_ISENABLER1: SPIs 32-63 */
    "   ldr r6, [r10, #4]\n"        /* GICD_TYPER */
    "   cpsie i\n"
    "rg_e_timer:\n"
    "   mov r5, #0x1000\n"
    "   mcr p15, 0, r5, c14, c2, 0\n"   /* CNTP_TVAL */
    "   mov r5, #1\n"
    "   mcr p15, 0, r5, c14, c2, 1\n"   /* CNTP_CTL: enabled */
    "   isb\n"
    "rg_e_wait:\n"
    "   ldr r0, =0x86000002\n"      /* ARMKVM_HC_WAIT_FOR_INTERRUPT */
    "   .inst 0xe1400070\n"
    "rg_e_exc:\n"
    "   svc #1\n"
    "   .inst 0xe7f000f0\n"         /* udf */
    "rg_e_thumb:\n"
    "   adr r5, 6f + 1\n"
    "   bx  r5\n"
    "   .thumb\n"
    "6: str.w r0, [r9, #4]\n"
    "   ldrh.w r5, [r9, #2]\n"
    "   ldrsb.w r6, [r9, #1]\n"
    "   ldrd r5, r6, [r9, #8]\n"
    "   adr.w r5, rg_e_spin\n"
    "   bx  r5\n"
    "   .balign 4\n"
    "   .arm\n"
    "rg_e_decode:\n"
    "   ldr pc, [r9]\n"             /* a load to pc: refused, never guessed */
    "   b   rg_e_spin\n"
    "rg_e_jump:\n"
    "   mov pc, r12\n"
    "rg_e_off:\n"
    "   ldr r0, =0x84000008\n"      /* PSCI SYSTEM_OFF: for userspace */
    "   .inst 0xe1400070\n"
    "   b   rg_e_spin\n"
    "   .ltorg\n"
    "rg_end:\n"
    "   .popsection\n");

static const uint32_t *const entries[] = {
    rg_e_start, rg_e_spin, rg_e_hvc, rg_e_mmio, rg_e_gic, rg_e_timer, rg_e_wait,
    rg_e_exc, rg_e_thumb, rg_e_decode, rg_e_jump, rg_e_off,
};

/* Every call the threads make, counted by result. */
enum call {
    C_OPEN, C_CLOSE, C_VERSION, C_CHECK_EXT, C_MMAP_SIZE, C_CREATE_VM, C_CREATE_VCPU,
    C_CREATE_IRQCHIP, C_IRQ_LINE, C_GET_IRQCHIP, C_SET_IRQCHIP, C_RUN, C_GET_REGS,
    C_SET_REGS, C_GET_VFP, C_SET_VFP, C_GET_STATS, C_MMAP_RAM, C_MMAP_RUN, C_MUNMAP,
    C_RANDOM_IOCTL, C_FORK, C_KICK, C_SET_MEMORY, C_EVENTFD, C_IOEVENTFD, C_IRQFD,
    NCALLS, C_NONE = NCALLS
};

static const char *const call_names[NCALLS] = {
    "open", "close", "GET_API_VERSION", "CHECK_EXTENSION", "GET_VCPU_MMAP_SIZE",
    "CREATE_VM", "CREATE_VCPU", "CREATE_IRQCHIP", "IRQ_LINE", "GET_IRQCHIP",
    "SET_IRQCHIP", "RUN", "GET_REGS", "SET_REGS", "GET_VFP", "SET_VFP", "GET_STATS",
    "mmap RAM", "mmap run", "munmap", "random ioctl", "fork", "signal",
    "SET_MEMORY_REGION", "eventfd", "IOEVENTFD", "IRQFD",
};

/* The errnos the ABI gives (fd numbers reused under a call give EBADF, ENOTTY, ...). */
static const int known_errs[] = {
    0, EINTR, EBUSY, EBADF, ENOTTY, EINVAL, EFAULT, EEXIST, ENXIO, ENOMEM, ENODEV,
    ENOENT, ENOSPC, EPERM,
};
#define NERRS (sizeof(known_errs) / sizeof(known_errs[0]) + 1)     /* + other */

static unsigned long counts[NCALLS][NERRS];
static unsigned long total_calls, unexpected, run_writes, ram_writes;
static unsigned long exits[8];      /* by exit_reason, [7]: anything else */

enum { X_MMIO, X_HYPERCALL, X_TIMER, X_INTERNAL, X_OTHER };

struct slot {
    int dev, vm, vcpu;              /* -1 when none: read and replaced racily */
    int efd[4];                     /* eventfds for IOEVENTFD and IRQFD, or -1 */
    uint32_t gpa, ram_size;         /* of the VM last created here: racy too */
    /*
     * Held while this program reads or writes through the mappings below, and
     * while it changes them: its own accesses must not fault. The kernel side
     * (RUN, close, the fds) takes no part in it.
     */
    pthread_mutex_t lock;
    struct armkvm_run *run;         /* a vCPU's run page, or NULL */
    uint8_t *ram;                   /* a VM's RAM from offset 0, or NULL */
    size_t ram_len;
};

struct worker {
    pthread_t thread;
    pid_t tid;
    uint64_t rng;
    volatile int call;              /* in flight, for the hang watch */
    volatile uint64_t since;
};

static struct slot slots[MAX_SLOTS];
static struct worker workers[MAX_THREADS];
static int nslots = 4, nthreads = 4;
static volatile int stop;
static int running;                 /* workers not yet returned: the kicker's targets */
static unsigned long max_calls = 20000;
static double max_seconds = 60;
static struct armkvm_core_regs reset_regs;     /* a fresh vCPU's: the host's PRRR/NMRR */
static bool isolated;               /* -m isolated: VMs of that mode on our own memory */

static uint64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static uint32_t rnd(uint64_t *s)
{
    /* xorshift64*: each thread its own, seeded from the seed and its index. */
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return (*s * 2685821657736338717ull) >> 32;
}

static bool chance(uint64_t *s, unsigned int percent)
{
    return rnd(s) % 100 < percent;
}

/*
 * Nothing random may reach r0-r3 as one of the module's own hypercalls
 * (SET_VECTORS, MMU_ENABLE): not even its top three bytes, which the module's
 * byte-sized mmio.is_write can complete into one (it shares a word with
 * hypercall.ret[0]). An isolated guest may make any of them.
 */
static uint32_t tame(uint32_t v)
{
    return !isolated && v >> 8 == 0x860000 ? v ^ 0x100 : v;
}

static int err_index(long ret, int err)
{
    if (ret >= 0) {
        return 0;
    }
    for (unsigned int i = 1; i < NERRS - 1; i++) {
        if (known_errs[i] == err) {
            return i;
        }
    }
    return NERRS - 1;
}

static const char *err_label(unsigned int i)
{
    static const char *const names[] = {
        "ok", "EINTR", "EBUSY", "EBADF", "ENOTTY", "EINVAL", "EFAULT", "EEXIST",
        "ENXIO", "ENOMEM", "ENODEV", "ENOENT", "ENOSPC", "EPERM", "other",
    };
    return names[i];
}

static void count(enum call c, long ret, int err)
{
    int i = err_index(ret, err);

    __atomic_fetch_add(&counts[c][i], 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(&total_calls, 1, __ATOMIC_RELAXED);
    if (i == NERRS - 1 && __atomic_fetch_add(&unexpected, 1, __ATOMIC_RELAXED) < 20) {
        printf("abi-race: %s: unexpected %s\n", call_names[c], strerror(err));
    }
}

/*
 * What each thread is in, for the hang watch and, with -w FILE, in that
 * file (one line per thread, kept by the page cache): whoever kill -9s this
 * program reads there what it interrupted.
 */
static char (*state_lines)[32];

static void state_line(char *line, const char *text)
{
    char buf[33];

    snprintf(buf, sizeof(buf), "%-31s\n", text);
    memcpy(line, buf, 32);      /* no NUL: a text file */
}

static void in_flight(struct worker *w, int c)
{
    if (!w) {
        return;
    }
    w->since = now_ns();
    w->call = c;
    if (state_lines) {
        state_line(state_lines[w - workers], c == C_NONE ? "-" : call_names[c]);
    }
}

/* One call, counted, with what is in flight kept for the hang watch. */
#define CALL(w, c, expr) ({                                             \
    long __r;                                                           \
    int __e;                                                            \
    in_flight((w), (c));                                                \
    __r = (long)(expr);                                                 \
    __e = errno;                                                        \
    in_flight((w), C_NONE);                                             \
    count((c), __r, __e);                                               \
    errno = __e;                                                        \
    __r;                                                                \
})

static int fd_of(int *p)
{
    return __atomic_load_n(p, __ATOMIC_RELAXED);
}

/* Puts fd in the table and closes what was there: only its taker closes an fd. */
static void replace_fd(struct worker *w, int *p, int fd)
{
    int old = __atomic_exchange_n(p, fd, __ATOMIC_ACQ_REL);

    if (old >= 0) {
        CALL(w, C_CLOSE, close(old));
    }
}

/*
 * What a mapping really is: the fd it came from may have been closed and its
 * number reused for another kind of object by the time mmap ran. Only a
 * verified run page or RAM mapping is ever written through.
 */
static bool mapping_is(void *p, size_t len, const char *what)
{
    char path[64], target[64];
    ssize_t n;

    snprintf(path, sizeof(path), "/proc/self/map_files/%lx-%lx",
             (unsigned long)p, (unsigned long)p + len);
    n = readlink(path, target, sizeof(target) - 1);
    if (n < 0) {
        return false;
    }
    target[n] = 0;
    return strcmp(target, what) == 0;
}

static void unmap_locked(struct worker *w, void **p, size_t len)
{
    if (*p) {
        CALL(w, C_MUNMAP, munmap(*p, len));
        *p = NULL;
    }
}

/* The guest's code into RAM mapped at p (verified), at CODE_OFF. */
static void write_code(uint8_t *p, size_t len)
{
    size_t n = (const uint8_t *)rg_end - (const uint8_t *)rg_code;

    if (len >= CODE_OFF + n) {
        memcpy(p + CODE_OFF, rg_code, n);
        __atomic_fetch_add(&ram_writes, 1, __ATOMIC_RELAXED);
    }
}

static void open_dev(struct worker *w, struct slot *s)
{
    int fd = CALL(w, C_OPEN, open("/dev/armkvm", O_RDWR | O_CLOEXEC));

    if (fd >= 0) {
        replace_fd(w, &s->dev, fd);
    }
}

static void place_user_ram(struct worker *w, struct slot *s);

/*
 * An isolated VM without RAM of its own (ARMKVM_CAP_ISOLATED_USER_MEMORY),
 * then this process's memory placed as its RAM. Now and then a
 * configuration the module refuses: a block of the module's (CAP_SYS_RAWIO),
 * reserved fields, another mode (privileged: root's).
 */
static void create_isolated_vm(struct worker *w, struct slot *s, int dev)
{
    static const uint32_t sizes[] = { 1 << 20, 1 << 20, 1 << 20, 2 << 20, 4 << 20 };
    struct armkvm_vm_config cfg = { .mode = ARMKVM_VM_MODE_ISOLATED };
    uint32_t r = rnd(&w->rng) % 100;
    int vm;

    if (r < 3) {
        cfg.ram_gpa = RAM_GPA;
        cfg.ram_size = 1 << 20;
    } else if (r < 5) {
        cfg.reserved[rnd(&w->rng) % 2] = 1;
    } else if (r < 7) {
        cfg.mode = chance(&w->rng, 50) ? ARMKVM_VM_MODE_PRIVILEGED : rnd(&w->rng);
        cfg.ram_gpa = RAM_GPA;
        cfg.ram_size = 1 << 20;
    }
    vm = CALL(w, C_CREATE_VM, ioctl(dev, ARMKVM_CREATE_VM, &cfg));
    if (vm >= 0) {
        __atomic_store_n(&s->gpa, cfg.ram_size ? (uint32_t)cfg.ram_gpa : RAM_GPA,
                         __ATOMIC_RELAXED);
        __atomic_store_n(&s->ram_size, cfg.ram_size ? (uint32_t)cfg.ram_size :
                         sizes[rnd(&w->rng) % 5], __ATOMIC_RELAXED);
        replace_fd(w, &s->vm, vm);
        if (!cfg.ram_size) {
            place_user_ram(w, s);
        }
    }
}

static void create_vm(struct worker *w, struct slot *s)
{
    struct armkvm_vm_config cfg = {
        .mode = ARMKVM_VM_MODE_PRIVILEGED, .ram_gpa = RAM_GPA, .ram_size = 1 << 20,
    };
    uint32_t r = rnd(&w->rng) % 100;
    int dev = fd_of(&s->dev), vm;

    if (dev < 0) {
        open_dev(w, s);
        return;
    }
    if (isolated) {
        create_isolated_vm(w, s, dev);
        return;
    }
    if (r < 80) {
        /* 1 MiB at RAM_GPA */
    } else if (r < 88) {
        cfg.ram_size = 2 << 20;
    } else if (r < 92) {
        cfg.flags = ARMKVM_VM_GPA_IS_HPA;
        cfg.ram_gpa = 0;
    } else if (r < 95) {
        cfg.ram_size = 4 << 20;
    } else if (r < 97) {
        cfg.ram_size = (8 + rnd(&w->rng) % 9) << 20;   /* migrated: alloc_contig_range */
    } else if (r < 98) {
        cfg.ram_size += 4096;                           /* refused, like the rest */
    } else if (r < 99) {
        cfg.reserved[rnd(&w->rng) % 2] = 1;
    } else {
        cfg.mode = rnd(&w->rng);
    }
    vm = CALL(w, C_CREATE_VM, ioctl(dev, ARMKVM_CREATE_VM, &cfg));
    if (vm >= 0) {
        void *p;

        /*
         * Every VM gets its code at once: a vCPU state copied from another
         * VM's (fd numbers move) may have vectors there.
         */
        CALL(w, C_MMAP_RAM, (p = mmap(NULL, cfg.ram_size, PROT_READ | PROT_WRITE, MAP_SHARED,
                                      vm, 0)) == MAP_FAILED ? -1 : 0);
        if (p != MAP_FAILED) {
            write_code(p, cfg.ram_size);
            CALL(w, C_MUNMAP, munmap(p, cfg.ram_size));
        }
        __atomic_store_n(&s->gpa, (uint32_t)cfg.ram_gpa, __ATOMIC_RELAXED);
        __atomic_store_n(&s->ram_size, (uint32_t)cfg.ram_size, __ATOMIC_RELAXED);
        replace_fd(w, &s->vm, vm);
    }
}

static void create_vcpu(struct worker *w, struct slot *s)
{
    int vm = fd_of(&s->vm), vcpu;

    if (vm < 0) {
        create_vm(w, s);
        return;
    }
    vcpu = CALL(w, C_CREATE_VCPU, ioctl(vm, ARMKVM_CREATE_VCPU,
                                        chance(&w->rng, 95) ? 0 : rnd(&w->rng) % 3));
    if (vcpu >= 0) {
        replace_fd(w, &s->vcpu, vcpu);
    }
}

/*
 * Now and then, RAM placed through this mapping while RUNs race: where it
 * is (most often), 16 MiB up, deleted, or at a wrong address. Moves after a
 * RUN are refused (EBUSY); a guest whose RAM moved faults where it was.
 */
static void set_memory(struct worker *w, struct slot *s, int vm, void *p, size_t len)
{
    uint32_t r = rnd(&w->rng) % 100;
    struct armkvm_userspace_memory_region m = {
        .guest_phys_addr = __atomic_load_n(&s->gpa, __ATOMIC_RELAXED),
        .memory_size = len, .userspace_addr = (uintptr_t)p,
    };

    if (r >= 30) {
        return;
    } else if (r < 5) {
        m.guest_phys_addr += 16 << 20;
    } else if (r < 8) {
        m.memory_size = 0;
    } else if (r < 10) {
        m.userspace_addr += 4096 * (1 + rnd(&w->rng) % 4);
    }
    CALL(w, C_SET_MEMORY, ioctl(vm, ARMKVM_SET_USER_MEMORY_REGION, &m));
}

/*
 * Isolated mode: fresh memory of this process (the old goes, pinned or not:
 * the VM keeps the pages it pinned) with the code in it, placed as the
 * slot's VM's RAM, most often where it was, else in a second slot, over the
 * window the module keeps for itself, at a random place, with a wrong
 * address or size, or deleted. After the first RUN moves are refused.
 */
static void place_user_ram(struct worker *w, struct slot *s)
{
    int vm = fd_of(&s->vm);
    size_t len = __atomic_load_n(&s->ram_size, __ATOMIC_RELAXED);
    uint32_t r = rnd(&w->rng) % 100;
    struct armkvm_userspace_memory_region m = {
        .guest_phys_addr = __atomic_load_n(&s->gpa, __ATOMIC_RELAXED),
    };
    void *p;

    if (vm < 0 || !len) {
        create_vm(w, s);
        return;
    }
    pthread_mutex_lock(&s->lock);
    unmap_locked(w, (void **)&s->ram, s->ram_len);
    CALL(w, C_MMAP_RAM, (p = mmap(NULL, len, PROT_READ | PROT_WRITE,
                                  (chance(&w->rng, 80) ? MAP_PRIVATE : MAP_SHARED) |
                                  MAP_ANONYMOUS, -1, 0)) == MAP_FAILED ? -1 : 0);
    if (p == MAP_FAILED) {
        pthread_mutex_unlock(&s->lock);
        return;
    }
    write_code(p, len);
    s->ram = p;
    s->ram_len = len;
    m.memory_size = len;
    m.userspace_addr = (uintptr_t)p;
    if (r < 70) {
        /* where it was, as slot 0 */
    } else if (r < 78) {
        m.slot = 1 + rnd(&w->rng) % 3;
        m.guest_phys_addr += 64 << 20;
    } else if (r < 82) {
        m.memory_size = 0;
    } else if (r < 86) {
        m.guest_phys_addr = 0xbf000000;         /* the window's: refused */
    } else if (r < 90) {
        m.guest_phys_addr = rnd(&w->rng) & ~0xfffu;
        m.slot = rnd(&w->rng) % 10;
    } else if (r < 94) {
        m.userspace_addr += 4096 * (1 + rnd(&w->rng) % 4);     /* past the end: EFAULT at use */
    } else if (r < 97) {
        m.memory_size += 4096 * (1 + rnd(&w->rng) % 4);
    } else {
        m.memory_size = rnd(&w->rng);
        m.flags = chance(&w->rng, 50) ? rnd(&w->rng) : 0;
    }
    CALL(w, C_SET_MEMORY, ioctl(vm, ARMKVM_SET_USER_MEMORY_REGION, &m));
    pthread_mutex_unlock(&s->lock);
}

static void map_ram(struct worker *w, struct slot *s)
{
    int vm = fd_of(&s->vm);
    size_t len = __atomic_load_n(&s->ram_size, __ATOMIC_RELAXED);
    void *p;

    if (isolated && chance(&w->rng, 90)) {
        place_user_ram(w, s);
        return;
    }
    if (vm < 0 || !len) {
        create_vm(w, s);
        return;
    }
    pthread_mutex_lock(&s->lock);
    unmap_locked(w, (void **)&s->ram, s->ram_len);
    CALL(w, C_MMAP_RAM, (p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, vm, 0))
                        == MAP_FAILED ? -1 : 0);
    if (p != MAP_FAILED) {
        if (mapping_is(p, len, "anon_inode:armkvm-vm")) {
            write_code(p, len);
            s->ram = p;
            s->ram_len = len;
            set_memory(w, s, vm, p, len);
        } else {
            CALL(w, C_MUNMAP, munmap(p, len));
        }
    }
    pthread_mutex_unlock(&s->lock);
}

static void map_run(struct worker *w, struct slot *s)
{
    int vcpu = fd_of(&s->vcpu);
    void *p;

    if (vcpu < 0) {
        create_vcpu(w, s);
        return;
    }
    pthread_mutex_lock(&s->lock);
    unmap_locked(w, (void **)&s->run, 4096);
    CALL(w, C_MMAP_RUN, (p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0))
                        == MAP_FAILED ? -1 : 0);
    if (p != MAP_FAILED) {
        if (mapping_is(p, 4096, "anon_inode:armkvm-vcpu")) {
            s->run = p;
        } else {
            CALL(w, C_MUNMAP, munmap(p, 4096));
        }
    }
    pthread_mutex_unlock(&s->lock);
}

/* A mapping of its own, of any size and offset, touched and unmapped at once. */
static void map_touch_unmap(struct worker *w, struct slot *s, bool run)
{
    int fd = fd_of(run ? &s->vcpu : &s->vm);
    uint32_t size = __atomic_load_n(&s->ram_size, __ATOMIC_RELAXED);
    size_t pages = run ? 1 + chance(&w->rng, 10) : 1 + rnd(&w->rng) % (size / 4096 + 2);
    off_t off = chance(&w->rng, 80) ? 0 : (rnd(&w->rng) % 4) * 4096;
    volatile uint32_t *p;

    CALL(w, run ? C_MMAP_RUN : C_MMAP_RAM,
         (p = mmap(NULL, pages * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, off))
         == MAP_FAILED ? -1 : 0);
    if (p != MAP_FAILED) {
        (void)p[rnd(&w->rng) % (pages * 1024)];
        CALL(w, C_MUNMAP, munmap((void *)p, pages * 4096));
    }
}

/*
 * Isolated mode confines its guest whatever its state: any base registers,
 * any CPSR (SET_REGS refuses the modes a vCPU may not be in), vectors
 * anywhere, and the guest's MMU on over random tables, domains and TTBCR.
 */
static void random_isolated_regs(struct worker *w, uint32_t ram, struct armkvm_core_regs *r)
{
    for (int i = 9; i < 13; i++) {
        if (chance(&w->rng, 30)) {
            r->usr[i] = rnd(&w->rng);
        }
    }
    if (chance(&w->rng, 20)) {
        r->cpsr = rnd(&w->rng);
    }
    if (chance(&w->rng, 10)) {
        r->pc = rnd(&w->rng);
    }
    if (chance(&w->rng, 50)) {
        r->vbar = chance(&w->rng, 50) ? ram + CODE_OFF : rnd(&w->rng) & ~0x1fu;
    }
    if (chance(&w->rng, 30)) {
        r->cp15.sctlr |= 1;
        r->cp15.ttbr0 = chance(&w->rng, 50) ? ram + (rnd(&w->rng) % 64) * 0x4000 :
                        rnd(&w->rng);
        r->cp15.ttbr1 = rnd(&w->rng);
        r->cp15.ttbcr = rnd(&w->rng) % 8;
        r->cp15.dacr = rnd(&w->rng);
        r->cp15.contextidr = rnd(&w->rng);
    }
}

/*
 * A state for the guest: random where nothing can come of it, and an entry
 * point of its code in this slot's RAM (another VM's, once fd numbers moved:
 * then zeros or nothing, both harmless).
 */
static void safe_regs(struct worker *w, struct slot *s, struct armkvm_core_regs *r)
{
    static const uint32_t modes[] = { 0x10, 0x13, 0x17, 0x1b, 0x12, 0x1f };
    uint32_t base = __atomic_load_n(&s->gpa, __ATOMIC_RELAXED) + CODE_OFF;
    const uint32_t *e = entries[rnd(&w->rng) % (sizeof(entries) / sizeof(entries[0]))];
    uint32_t *banks[] = { r->svc, r->abt, r->und, r->irq };

    *r = reset_regs;
    for (int i = 0; i < 9; i++) {
        r->usr[i] = tame(rnd(&w->rng));
    }
    r->usr[9] = MMIO_BASE;
    r->usr[10] = GICD_BASE;
    r->usr[11] = GICC_BASE;
    r->usr[12] = NOWHERE;
    r->usr[13] = rnd(&w->rng);
    r->usr[14] = rnd(&w->rng);
    r->pc = base + (uint32_t)((const uint8_t *)e - (const uint8_t *)rg_code);
    r->cpsr = modes[rnd(&w->rng) % 6] | (rnd(&w->rng) & 0xf80001c0);
    for (int i = 0; i < 4; i++) {
        banks[i][0] = rnd(&w->rng);
        banks[i][1] = rnd(&w->rng);
        banks[i][2] = modes[rnd(&w->rng) % 6] | (rnd(&w->rng) & 0xf80001c0);
    }
    /*
     * No vectors: only the guest's own SET_VECTORS gives it some, where its
     * code is. Vectors over zeroed RAM would have it slide to the end of RAM
     * and fault back to them, IRQs masked by each abort, for seconds per
     * entry (the forwarding budget counts exceptions, not time).
     */
    r->vbar = 0;
    r->cp15.contextidr = rnd(&w->rng);
    r->cp15.tpidrurw = rnd(&w->rng);
    r->cp15.tpidruro = rnd(&w->rng);
    r->cp15.tpidrprw = rnd(&w->rng);
    r->cp15.cntp_ctl = rnd(&w->rng) & 3;
    r->cp15.cntp_cval_lo = rnd(&w->rng);
    r->cp15.cntp_cval_hi = chance(&w->rng, 50) ? 0 : rnd(&w->rng);
    r->cp15.cntkctl = rnd(&w->rng) & 0x3ff;
    if (isolated) {
        random_isolated_regs(w, base - CODE_OFF, r);
    }
}

static void set_regs(struct worker *w, struct slot *s, int vcpu)
{
    struct armkvm_core_regs r;
    uint32_t how = rnd(&w->rng) % 10;

    if (how < 7) {
        safe_regs(w, s, &r);
    } else if (how == 7) {
        /*
         * As it is (wherever the guest stopped, or another VM's guest did:
         * then its vectors go, for the reason safe_regs() gives).
         */
        uint32_t code = __atomic_load_n(&s->gpa, __ATOMIC_RELAXED) + CODE_OFF;

        if (CALL(w, C_GET_REGS, ioctl(vcpu, ARMKVM_GET_REGS, &r)) < 0) {
            return;
        }
        if (r.vbar != code) {
            r.vbar = 0;
        }
    } else if (how == 8) {
        safe_regs(w, s, &r);
        r.cpsr = (r.cpsr & ~0x1fu) | (rnd(&w->rng) % 2 ? 0x11 : 0x16);   /* FIQ, monitor */
    } else {
        CALL(w, C_SET_REGS, ioctl(vcpu, ARMKVM_SET_REGS, NULL));
        return;
    }
    CALL(w, C_SET_REGS, ioctl(vcpu, ARMKVM_SET_REGS, &r));
}

/* Userspace's part of an exit: the run page is this slot's, verified, locked. */
static void serve_exit(struct worker *w, struct slot *s, struct armkvm_run *run, int vcpu)
{
    switch (run->exit_reason) {
    case ARMKVM_EXIT_MMIO:
        if (!run->mmio.is_write) {
            *(volatile uint32_t *)run->mmio.data = rnd(&w->rng);
        }
        if (chance(&w->rng, 5)) {
            run->irq_line = 1;
        }
        __atomic_fetch_add(&exits[X_MMIO], 1, __ATOMIC_RELAXED);
        break;
    case ARMKVM_EXIT_HYPERCALL:
        run->hypercall.ret[0] = chance(&w->rng, 50) ? (uint32_t)-1 : tame(rnd(&w->rng));
        __atomic_fetch_add(&exits[X_HYPERCALL], 1, __ATOMIC_RELAXED);
        break;
    case ARMKVM_EXIT_TIMER:
        run->irq_line = run->timer_level;
        __atomic_fetch_add(&exits[X_TIMER], 1, __ATOMIC_RELAXED);
        break;
    case ARMKVM_EXIT_INTERNAL_ERROR:
        __atomic_fetch_add(&exits[X_INTERNAL], 1, __ATOMIC_RELAXED);
        set_regs(w, s, vcpu);
        break;
    default:        /* scribbled over, or another vCPU's page */
        __atomic_fetch_add(&exits[X_OTHER], 1, __ATOMIC_RELAXED);
        break;
    }
}

static void do_run(struct worker *w, struct slot *s)
{
    int vcpu = fd_of(&s->vcpu), n = 1 + rnd(&w->rng) % 8;

    if (vcpu < 0) {
        create_vcpu(w, s);
        return;
    }
    if (!s->run && chance(&w->rng, 50)) {
        map_run(w, s);
    }
    for (int i = 0; i < n && !stop; i++) {
        long ret = CALL(w, C_RUN, ioctl(vcpu, ARMKVM_RUN, 0));
        int err = errno;

        pthread_mutex_lock(&s->lock);
        if (s->run) {
            if (ret == 0) {
                serve_exit(w, s, s->run, vcpu);
            } else if (err == EINTR && chance(&w->rng, 75)) {
                s->run->immediate_exit = 0;
            }
        }
        pthread_mutex_unlock(&s->lock);
        if (ret < 0 && err != EINTR) {
            break;
        }
    }
}

/*
 * Writes to the run page, as a confused or hostile VMM would: any field,
 * including exit_reason and what RUN takes back from an MMIO or hypercall
 * exit. Word by word, each word tamed, so that RUN (which reads it without
 * this program's lock) never sees a hypercall number for r0-r3.
 */
static void scribble_run(struct worker *w, struct slot *s)
{
    volatile uint32_t *u;
    uint32_t word, v;

    pthread_mutex_lock(&s->lock);
    if (!s->run) {
        pthread_mutex_unlock(&s->lock);
        map_run(w, s);
        return;
    }
    u = (volatile uint32_t *)s->run;
    switch (rnd(&w->rng) % 6) {
    case 0:
        u[0] = chance(&w->rng, 80) ? rnd(&w->rng) % 7 : rnd(&w->rng);   /* exit_reason */
        break;
    case 1:
        s->run->immediate_exit = rnd(&w->rng) % 2;
        break;
    case 2:
        s->run->irq_line = chance(&w->rng, 90) ? rnd(&w->rng) % 2 : rnd(&w->rng);
        break;
    case 3:
        s->run->timer_level = rnd(&w->rng);
        break;
    default:
        /* The union: mmio, hypercall, internal fields alike. */
        for (int i = 0, n = 1 + rnd(&w->rng) % 8; i < n; i++) {
            word = 4 + rnd(&w->rng) % 64;
            v = rnd(&w->rng);
            if (word == 6 && chance(&w->rng, 50)) {
                v = rnd(&w->rng) % 5;                   /* mmio.len, 1, 2, 4 mostly */
            }
            u[word] = tame(v);
        }
        break;
    }
    __atomic_fetch_add(&run_writes, 1, __ATOMIC_RELAXED);
    pthread_mutex_unlock(&s->lock);
}

/*
 * Writes to guest RAM: only zeros past the code, or the code again; in
 * isolated mode also random words anywhere (the code and what the guest's
 * tables may point at included).
 */
static void scribble_ram(struct worker *w, struct slot *s)
{
    pthread_mutex_lock(&s->lock);
    if (!s->ram) {
        pthread_mutex_unlock(&s->lock);
        map_ram(w, s);
        return;
    }
    if (chance(&w->rng, 20)) {
        write_code(s->ram, s->ram_len);
    } else if (isolated && chance(&w->rng, 40)) {
        uint32_t *words = (uint32_t *)s->ram;

        for (int i = 0, n = 1 + rnd(&w->rng) % 64; i < n; i++) {
            words[rnd(&w->rng) % (s->ram_len / 4)] = rnd(&w->rng);
        }
        __atomic_fetch_add(&ram_writes, 1, __ATOMIC_RELAXED);
    } else if (s->ram_len > DATA_OFF) {
        size_t off = DATA_OFF + rnd(&w->rng) % (s->ram_len - DATA_OFF);
        size_t len = rnd(&w->rng) % 8192;

        if (len > s->ram_len - off) {
            len = s->ram_len - off;
        }
        memset(s->ram + off, 0, len);
        __atomic_fetch_add(&ram_writes, 1, __ATOMIC_RELAXED);
    }
    pthread_mutex_unlock(&s->lock);
}

static void irqchip_call(struct worker *w, struct slot *s)
{
    int vm = fd_of(&s->vm);
    uint32_t r = rnd(&w->rng) % 100;

    if (vm < 0) {
        create_vm(w, s);
        return;
    }
    if (r < 20) {
        struct armkvm_irqchip_config cfg = {
            .dist_base = GICD_BASE, .cpu_base = GICC_BASE,
            .num_irqs = 64 + 32 * (rnd(&w->rng) % 7),
            .timer_intid = chance(&w->rng, 70) ? 30 : 0,
        };

        if (chance(&w->rng, 10)) {
            cfg.num_irqs = rnd(&w->rng) % 300;
        }
        CALL(w, C_CREATE_IRQCHIP, ioctl(vm, ARMKVM_CREATE_IRQCHIP, &cfg));
    } else if (r < 70) {
        struct armkvm_irq_level l = {
            .intid = 32 + rnd(&w->rng) % 240, .level = rnd(&w->rng) % 2,
        };

        if (chance(&w->rng, 5)) {
            l.intid = rnd(&w->rng) % 40;
            l.level = rnd(&w->rng) % 3;
        }
        CALL(w, C_IRQ_LINE, ioctl(vm, ARMKVM_IRQ_LINE, &l));
    } else if (r < 82) {
        struct armkvm_irqchip_state st;

        CALL(w, C_GET_IRQCHIP, ioctl(vm, ARMKVM_GET_IRQCHIP, &st));
    } else {
        struct armkvm_irqchip_state st;

        if (CALL(w, C_GET_IRQCHIP, ioctl(vm, ARMKVM_GET_IRQCHIP, &st)) < 0) {
            memset(&st, 0, sizeof(st));
        }
        /* Interrupts below 64 exist in any controller; beyond, it depends. */
        st.enabled[rnd(&w->rng) % 2] ^= 1u << (rnd(&w->rng) % 32);
        st.pending[rnd(&w->rng) % 2] ^= 1u << (rnd(&w->rng) % 32);
        st.level[1] ^= 1u << (rnd(&w->rng) % 32);
        st.edge[1] ^= rnd(&w->rng);
        st.active[rnd(&w->rng) % 2] ^= chance(&w->rng, 20) ? 1u << (rnd(&w->rng) % 32) : 0;
        st.priority[rnd(&w->rng) % 64] = rnd(&w->rng);
        st.pmr = rnd(&w->rng) & 0xff;
        st.bpr = rnd(&w->rng) % 8;
        st.dist_ctlr = rnd(&w->rng) % 2;
        st.cpu_ctlr = rnd(&w->rng) & 0x21f;
        if (chance(&w->rng, 10)) {
            st.apr[rnd(&w->rng) % 4] = rnd(&w->rng);
        }
        if (chance(&w->rng, 10)) {
            st.reserved[rnd(&w->rng) % 8] = 1;          /* refused */
        }
        if (chance(&w->rng, 10)) {
            st.enabled[7] |= 0x80000000;                /* refused below 256 interrupts */
        }
        CALL(w, C_SET_IRQCHIP, ioctl(vm, ARMKVM_SET_IRQCHIP, &st));
    }
}

static void vcpu_call(struct worker *w, struct slot *s)
{
    int vcpu = fd_of(&s->vcpu);

    if (vcpu < 0) {
        create_vcpu(w, s);
        return;
    }
    switch (rnd(&w->rng) % 6) {
    case 0:
    case 1: {
        struct armkvm_core_regs r;

        CALL(w, C_GET_REGS, ioctl(vcpu, ARMKVM_GET_REGS, &r));
        break;
    }
    case 2: {
        struct armkvm_vfp_regs v;

        CALL(w, C_GET_VFP, ioctl(vcpu, ARMKVM_GET_VFP, &v));
        break;
    }
    case 3: {
        struct armkvm_vfp_regs v;

        for (int i = 0; i < 32; i++) {
            v.d[i] = (uint64_t)rnd(&w->rng) << 32 | rnd(&w->rng);
        }
        v.fpscr = rnd(&w->rng);
        v.fpexc = rnd(&w->rng);
        CALL(w, C_SET_VFP, ioctl(vcpu, ARMKVM_SET_VFP, &v));
        break;
    }
    default: {
        struct armkvm_vcpu_stats st;

        CALL(w, C_GET_STATS, ioctl(vcpu, ARMKVM_GET_STATS, &st));
        break;
    }
    }
}

static void dev_call(struct worker *w, struct slot *s)
{
    int dev = fd_of(&s->dev);

    if (dev < 0) {
        open_dev(w, s);
        return;
    }
    switch (rnd(&w->rng) % 3) {
    case 0:
        CALL(w, C_VERSION, ioctl(dev, ARMKVM_GET_API_VERSION, rnd(&w->rng) % 2));
        break;
    case 1:
        CALL(w, C_CHECK_EXT, ioctl(dev, ARMKVM_CHECK_EXTENSION, rnd(&w->rng) % 4));
        break;
    default:
        CALL(w, C_MMAP_SIZE, ioctl(dev, ARMKVM_GET_VCPU_MMAP_SIZE, 0));
        break;
    }
}

/*
 * Any of the ABI's calls (or an unknown one) on any fd of the table with an
 * argument that points nowhere useful: this program's own memory must not be
 * written by a call it did not mean, and SET_REGS never gets random contents.
 */
static void random_ioctl(struct worker *w, struct slot *s)
{
    static const unsigned int cmds[] = {
        ARMKVM_GET_API_VERSION, ARMKVM_CREATE_VM, ARMKVM_CHECK_EXTENSION,
        ARMKVM_GET_VCPU_MMAP_SIZE, ARMKVM_CREATE_VCPU, ARMKVM_CREATE_IRQCHIP,
        ARMKVM_IRQ_LINE, ARMKVM_GET_IRQCHIP, ARMKVM_SET_IRQCHIP, ARMKVM_RUN,
        ARMKVM_GET_REGS, ARMKVM_SET_REGS, ARMKVM_GET_STATS, ARMKVM_GET_VFP,
        ARMKVM_SET_VFP, ARMKVM_SET_USER_MEMORY_REGION, ARMKVM_IOEVENTFD, ARMKVM_IRQFD,
    };
    static const unsigned long args[] = { 0, 1, 16, 0xc0000000, 0xfffff000 };
    int *fds[] = { &s->dev, &s->vm, &s->vcpu };
    int fd = fd_of(fds[rnd(&w->rng) % 3]);
    unsigned int cmd;
    long ret;

    if (chance(&w->rng, 50)) {
        cmd = cmds[rnd(&w->rng) % (sizeof(cmds) / sizeof(cmds[0]))];
    } else {
        cmd = (rnd(&w->rng) & 0xffff00ff) | (ARMKVMIO << 8);
    }
    ret = CALL(w, C_RANDOM_IOCTL, ioctl(fd, cmd, args[rnd(&w->rng) % 5]));
    if (ret > 2 && (cmd == ARMKVM_CREATE_VM || cmd == ARMKVM_CREATE_VCPU)) {
        CALL(w, C_CLOSE, close(ret));   /* an argument that happened to be valid */
    }
}

/*
 * Eventfds of the slot created, signalled and closed (an irqfd's HUP), and
 * ioeventfds (where the guest's device stores go) and irqfds assigned and
 * deassigned with them, now and then with arguments the module refuses.
 */
static void eventfd_call(struct worker *w, struct slot *s)
{
    static const uint32_t lens[] = { 0, 1, 2, 4, 4 };
    int *pe = &s->efd[rnd(&w->rng) % 4];
    int efd = fd_of(pe), vm = fd_of(&s->vm);
    uint32_t r = rnd(&w->rng) % 100;

    if (efd < 0 || r < 15) {
        efd = CALL(w, C_EVENTFD, eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
        if (efd >= 0) {
            replace_fd(w, pe, efd);
        }
        return;
    }
    if (r < 30) {
        uint64_t one = 1;

        CALL(w, C_EVENTFD, write(efd, &one, sizeof(one)));
        return;
    }
    if (vm < 0) {
        create_vm(w, s);
        return;
    }
    if (r < 70) {
        struct armkvm_ioeventfd a = {
            .addr = MMIO_BASE + 4 * (rnd(&w->rng) % 4),
            .len = lens[rnd(&w->rng) % 5], .fd = efd,
        };

        if (a.len && chance(&w->rng, 50)) {
            a.flags |= ARMKVM_IOEVENTFD_FLAG_DATAMATCH;
            a.datamatch = rnd(&w->rng) % 2;
        }
        if (chance(&w->rng, 40)) {
            a.flags |= ARMKVM_IOEVENTFD_FLAG_DEASSIGN;
        }
        if (chance(&w->rng, 5)) {
            a.flags = rnd(&w->rng) & 7;
            a.len = rnd(&w->rng) % 9;
            a.datamatch = rnd(&w->rng) % 0x300;
        }
        if (chance(&w->rng, 3)) {
            a.addr = GICD_BASE + (rnd(&w->rng) % 0x3000);      /* the GIC's, or not */
        }
        CALL(w, C_IOEVENTFD, ioctl(vm, ARMKVM_IOEVENTFD, &a));
    } else {
        struct armkvm_irqfd a = { .fd = efd, .gsi = rnd(&w->rng) % 40 };

        if (chance(&w->rng, 40)) {
            a.flags = ARMKVM_IRQFD_FLAG_DEASSIGN;
        }
        if (chance(&w->rng, 5)) {
            a.flags = rnd(&w->rng) % 4;
            a.gsi = rnd(&w->rng) % 300;
        }
        CALL(w, C_IRQFD, ioctl(vm, ARMKVM_IRQFD, &a));
    }
}

static void on_signal(int sig)
{
    (void)sig;      /* only interrupts ARMKVM_RUN */
}

/*
 * A child inherits the fds and runs the vCPU from another address space,
 * racing its parent's threads, then exits (closing what it inherited). Only
 * system calls here: the parent's other threads may hold any lock.
 */
static void fork_runner(struct worker *w, struct slot *s)
{
    int vcpu = fd_of(&s->vcpu), n = 1 + rnd(&w->rng) % 8;
    pid_t pid = CALL(w, C_FORK, fork());

    if (pid == 0) {
        struct itimerval kick = {
            .it_interval = { .tv_usec = 2000 }, .it_value = { .tv_usec = 2000 },
        };

        prctl(PR_SET_PDEATHSIG, SIGKILL);
        setitimer(ITIMER_REAL, &kick, NULL);
        for (int i = 0; i < n; i++) {
            ioctl(vcpu, ARMKVM_RUN, 0);
        }
        _exit(0);
    }
}

static void close_one(struct worker *w, struct slot *s)
{
    uint32_t r = rnd(&w->rng) % 10;

    if (r < 2) {
        replace_fd(w, &s->dev, -1);
    } else if (r < 5) {
        replace_fd(w, &s->vm, -1);
        if (chance(&w->rng, 50)) {
            pthread_mutex_lock(&s->lock);
            unmap_locked(w, (void **)&s->ram, s->ram_len);
            pthread_mutex_unlock(&s->lock);
        }
    } else {
        /* The run page keeps its vCPU alive (and CREATE_VCPU says EEXIST) until unmapped. */
        replace_fd(w, &s->vcpu, -1);
        if (chance(&w->rng, 70)) {
            pthread_mutex_lock(&s->lock);
            unmap_locked(w, (void **)&s->run, 4096);
            pthread_mutex_unlock(&s->lock);
        }
    }
}

static void one_op(struct worker *w)
{
    struct slot *s = &slots[rnd(&w->rng) % nslots];
    uint32_t r = rnd(&w->rng) % 1000;

    if (r < 250) {
        do_run(w, s);
    } else if (r < 320) {
        int vcpu = fd_of(&s->vcpu);

        if (vcpu < 0) {
            create_vcpu(w, s);
        } else {
            set_regs(w, s, vcpu);
        }
    } else if (r < 400) {
        vcpu_call(w, s);
    } else if (r < 510) {
        irqchip_call(w, s);
    } else if (r < 590) {
        scribble_run(w, s);
    } else if (r < 610) {
        scribble_ram(w, s);
    } else if (r < 640) {
        map_run(w, s);
    } else if (r < 660) {
        map_ram(w, s);
    } else if (r < 680) {
        pthread_mutex_lock(&s->lock);
        if (r & 1) {
            unmap_locked(w, (void **)&s->run, 4096);
        } else {
            unmap_locked(w, (void **)&s->ram, s->ram_len);
        }
        pthread_mutex_unlock(&s->lock);
    } else if (r < 700) {
        map_touch_unmap(w, s, r & 1);
    } else if (r < 740) {
        create_vcpu(w, s);
    } else if (r < 770) {
        create_vm(w, s);
    } else if (r < 785) {
        open_dev(w, s);
    } else if (r < 830) {
        close_one(w, s);
    } else if (r < 860) {
        dev_call(w, s);
    } else if (r < 900) {
        random_ioctl(w, s);
    } else if (r < 902) {
        fork_runner(w, s);
    } else if (r < 950) {
        eventfd_call(w, s);
    } else {
        /* Another thread's RUN told to stop, as QEMU's kick does. */
        pthread_mutex_lock(&s->lock);
        if (s->run) {
            s->run->immediate_exit = 1;
            __atomic_fetch_add(&run_writes, 1, __ATOMIC_RELAXED);
        }
        pthread_mutex_unlock(&s->lock);
    }
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;

    w->tid = gettid();
    while (!stop) {
        one_op(w);
    }
    __atomic_fetch_sub(&running, 1, __ATOMIC_RELEASE);
    return NULL;
}

/*
 * Ends every RUN sooner or later: signals to the workers, immediate_exit on
 * run pages. It outlives the workers' loops (they may be in RUN when told to
 * stop), and the workers are joined only after it: a joined thread's id is
 * no target for pthread_kill.
 */
static void *kicker_main(void *arg)
{
    uint64_t rng = *(uint64_t *)arg;

    while (stop < 2) {
        struct timespec ts = { .tv_nsec = 200000 + rnd(&rng) % 1800000 };
        struct worker *w = &workers[rnd(&rng) % nthreads];
        struct slot *s = &slots[rnd(&rng) % nslots];

        nanosleep(&ts, NULL);
        CALL((struct worker *)NULL, C_KICK,
             (errno = pthread_kill(w->thread, SIGUSR1)) ? -1 : 0);
        if (rnd(&rng) % 4 == 0 && pthread_mutex_trylock(&s->lock) == 0) {
            if (s->run) {
                s->run->immediate_exit = 1;
            }
            pthread_mutex_unlock(&s->lock);
        }
    }
    return NULL;
}

static void seed_rng(uint64_t *rng, unsigned int seed, unsigned int index)
{
    /* splitmix64 of (seed, index): never 0, which xorshift cannot leave. */
    uint64_t z = ((uint64_t)seed << 32 | index) + 0x9e3779b97f4a7c15ull;

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    *rng = (z ^ (z >> 31)) | 1;
}

/* The reset state of a fresh vCPU: SET_REGS templates keep its PRRR/NMRR. */
static int read_reset_regs(void)
{
    struct armkvm_vm_config cfg = {
        .mode = ARMKVM_VM_MODE_PRIVILEGED, .ram_gpa = RAM_GPA, .ram_size = 1 << 20,
    };
    struct armkvm_vm_config isolated_cfg = { .mode = ARMKVM_VM_MODE_ISOLATED };

    if (isolated) {
        cfg = isolated_cfg;
    }
    int dev = open("/dev/armkvm", O_RDWR | O_CLOEXEC), vm = -1, vcpu = -1, ret = -1;

    if (dev >= 0 && (vm = ioctl(dev, ARMKVM_CREATE_VM, &cfg)) >= 0 &&
        (vcpu = ioctl(vm, ARMKVM_CREATE_VCPU, 0)) >= 0) {
        ret = ioctl(vcpu, ARMKVM_GET_REGS, &reset_regs);
    }
    if (ret < 0) {
        printf("abi-race: setting up a vCPU: %s\n", strerror(errno));
    }
    close(vcpu);
    close(vm);
    close(dev);
    return ret;
}

static void print_summary(const char *mode, unsigned int seed, double secs)
{
    printf("abi-race: mode %s, seed %u, %d threads, %d slots\n", mode, seed, nthreads,
           nslots);
    for (int c = 0; c < NCALLS; c++) {
        unsigned long sum = 0;
        char line[512];
        int n = 0;

        for (unsigned int i = 0; i < NERRS; i++) {
            sum += counts[c][i];
        }
        if (!sum) {
            continue;
        }
        for (unsigned int i = 0; i < NERRS; i++) {
            if (counts[c][i]) {
                n += snprintf(line + n, sizeof(line) - n, "%s %s %lu", n ? "," : "",
                              err_label(i), counts[c][i]);
            }
        }
        printf("  %-20s %9lu:%s\n", call_names[c], sum, line);
    }
    printf("exits: mmio %lu, hypercall %lu, timer %lu, internal %lu, other %lu\n",
           exits[X_MMIO], exits[X_HYPERCALL], exits[X_TIMER], exits[X_INTERNAL],
           exits[X_OTHER]);
    printf("writes: run pages %lu, guest RAM %lu\n", run_writes, ram_writes);
    printf("abi-race: %lu calls in %.1f s, %lu unexpected\n", total_calls, secs, unexpected);
}

/* What the kernel says of a thread that does not come back. */
static void show_thread(pid_t tid)
{
    static const char *const files[] = { "stat", "wchan", "syscall", "stack" };
    char path[64], buf[2048];

    for (unsigned int i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        int fd, n;

        snprintf(path, sizeof(path), "/proc/self/task/%d/%s", tid, files[i]);
        fd = open(path, O_RDONLY);
        n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
        close(fd);
        buf[n < 0 ? 0 : n] = 0;
        printf("abi-race:   %s: %s%s", files[i], buf, n > 0 && buf[n - 1] == '\n' ? "" : "\n");
    }
}

/* Waits for the end, and stops everything if a call has not returned for too long. */
static bool watch(uint64_t t0)
{
    for (;;) {
        struct timespec ts = { .tv_nsec = 100000000 };
        uint64_t now;
        int fd;

        nanosleep(&ts, NULL);
        now = now_ns();
        if (__atomic_load_n(&total_calls, __ATOMIC_RELAXED) >= max_calls ||
            now - t0 >= max_seconds * 1e9) {
            return true;
        }
        for (int i = 0; i < nthreads; i++) {
            struct worker *w = &workers[i];
            int c = w->call;
            uint64_t limit = c == C_CREATE_VM ? 60 : 20;

            if (c != C_NONE && now > w->since && now - w->since > limit * 1000000000ull) {
                printf("abi-race: HANG: thread %d in %s for %llu s (%lu signals sent)\n", i,
                       call_names[c], (unsigned long long)((now - w->since) / 1000000000ull),
                       counts[C_KICK][0]);
                show_thread(w->tid);
                /* What the guest does meanwhile: the module's exit tracepoint. */
                fd = system("mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null; "
                            "echo 1 >/sys/kernel/tracing/events/armkvm/armkvm_exit/enable && "
                            "sleep 1 && head -n 60 /sys/kernel/tracing/trace");
                (void)fd;
                return false;
            }
        }
    }
}

static int race(unsigned int seed)
{
    uint64_t t0 = now_ns(), kick_rng;
    pthread_t kicker;
    bool done;

    if (read_reset_regs() < 0) {
        return 1;
    }
    for (int i = 0; i < nslots; i++) {
        slots[i].dev = slots[i].vm = slots[i].vcpu = -1;
        for (int j = 0; j < 4; j++) {
            slots[i].efd[j] = -1;
        }
        pthread_mutex_init(&slots[i].lock, NULL);
    }
    running = nthreads;
    for (int i = 0; i < nthreads; i++) {
        seed_rng(&workers[i].rng, seed, i);
        workers[i].call = C_NONE;
        pthread_create(&workers[i].thread, NULL, worker_main, &workers[i]);
    }
    seed_rng(&kick_rng, seed, 1000);
    pthread_create(&kicker, NULL, kicker_main, &kick_rng);
    done = watch(t0);
    if (!done) {
        fflush(stdout);
        _exit(3);       /* the stuck thread cannot be joined */
    }
    stop = 1;
    while (__atomic_load_n(&running, __ATOMIC_ACQUIRE)) {
        struct timespec ts = { .tv_nsec = 1000000 };

        nanosleep(&ts, NULL);
    }
    stop = 2;
    pthread_join(kicker, NULL);
    for (int i = 0; i < nthreads; i++) {
        pthread_join(workers[i].thread, NULL);
    }
    /* Everything closed and unmapped by hand: those paths count too. */
    for (int i = 0; i < nslots; i++) {
        struct slot *s = &slots[i];

        unmap_locked(NULL, (void **)&s->run, 4096);
        unmap_locked(NULL, (void **)&s->ram, s->ram_len);
        replace_fd(NULL, &s->vcpu, -1);
        /* Half the slots' eventfds go before their VM (HUP), half after. */
        for (int j = 0; j < 4 && (i & 1); j++) {
            replace_fd(NULL, &s->efd[j], -1);
        }
        replace_fd(NULL, &s->vm, -1);
        replace_fd(NULL, &s->dev, -1);
        for (int j = 0; j < 4; j++) {
            replace_fd(NULL, &s->efd[j], -1);
        }
    }
    print_summary(isolated ? "isolated" : "race", seed, (now_ns() - t0) / 1e9);
    return unexpected ? 1 : 0;
}

/* 256 MiB VMs one after another (in each thread): for kill -9 during the allocation. */
static void *bigvm_main(void *arg)
{
    struct worker *w = arg;
    struct armkvm_vm_config cfg = {
        .mode = ARMKVM_VM_MODE_PRIVILEGED, .ram_gpa = RAM_GPA, .ram_size = ARMKVM_RAM_MAX,
    };

    while (!stop) {
        int dev = CALL(w, C_OPEN, open("/dev/armkvm", O_RDWR | O_CLOEXEC));
        int vm = CALL(w, C_CREATE_VM, ioctl(dev, ARMKVM_CREATE_VM, &cfg));

        if (vm >= 0) {
            CALL(w, C_CLOSE, close(vm));
        }
        CALL(w, C_CLOSE, close(dev));
    }
    return NULL;
}

static int bigvm(unsigned int seed)
{
    uint64_t t0 = now_ns();

    for (int i = 0; i < nthreads; i++) {
        workers[i].call = C_NONE;
        pthread_create(&workers[i].thread, NULL, bigvm_main, &workers[i]);
    }
    if (!watch(t0)) {
        fflush(stdout);
        _exit(3);
    }
    stop = 1;
    for (int i = 0; i < nthreads; i++) {
        pthread_join(workers[i].thread, NULL);
    }
    print_summary("bigvm", seed, (now_ns() - t0) / 1e9);
    return unexpected ? 1 : 0;
}

/* A guest that makes one hypercall for userspace: proof the module works. */
static int one_guest(const char *what)
{
    struct armkvm_vm_config cfg = {
        .mode = ARMKVM_VM_MODE_PRIVILEGED, .ram_gpa = RAM_GPA, .ram_size = 1 << 20,
    };
    struct armkvm_core_regs r;
    struct armkvm_run *run;
    int dev, vm, vcpu, ret;
    uint8_t *ram;

    dev = open("/dev/armkvm", O_RDWR | O_CLOEXEC);
    vm = dev < 0 ? -1 : ioctl(dev, ARMKVM_CREATE_VM, &cfg);
    vcpu = vm < 0 ? -1 : ioctl(vm, ARMKVM_CREATE_VCPU, 0);
    ram = vm < 0 ? MAP_FAILED : mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_SHARED, vm, 0);
    run = vcpu < 0 ? MAP_FAILED : mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
    if (ram == MAP_FAILED || run == MAP_FAILED) {
        printf("%s: setup failed: %s\n", what, strerror(errno));
        return 1;
    }
    write_code(ram, 1 << 20);
    ioctl(vcpu, ARMKVM_GET_REGS, &r);
    r.pc = RAM_GPA + CODE_OFF + ((const uint8_t *)rg_e_hvc - (const uint8_t *)rg_code);
    ret = ioctl(vcpu, ARMKVM_SET_REGS, &r);
    if (!ret) {
        ret = ioctl(vcpu, ARMKVM_RUN, 0);
    }
    printf("%s: a new guest: RUN %s, exit %u, r0 0x%08x\n", what, ret ? strerror(errno) : "ok",
           run->exit_reason, run->hypercall.args[0]);
    ret = ret || run->exit_reason != ARMKVM_EXIT_HYPERCALL;
    munmap(run, 4096);
    munmap(ram, 1 << 20);
    close(vcpu);
    close(vm);
    close(dev);
    return ret;
}

/*
 * Keeps one kind of reference to the module and nothing else, so that rmmod
 * must refuse; after SIGUSR1, shows the module still serves both the held
 * object and a new guest.
 */
static int hold(const char *kind)
{
    struct armkvm_vm_config cfg = {
        .mode = ARMKVM_VM_MODE_PRIVILEGED, .ram_gpa = RAM_GPA, .ram_size = 1 << 20,
    };
    int dev = open("/dev/armkvm", O_RDWR | O_CLOEXEC);
    int vm = dev < 0 ? -1 : ioctl(dev, ARMKVM_CREATE_VM, &cfg);
    int vcpu = vm < 0 ? -1 : ioctl(vm, ARMKVM_CREATE_VCPU, 0);
    void *run = vcpu < 0 ? MAP_FAILED : mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED,
                                             vcpu, 0);
    void *ram = vm < 0 ? MAP_FAILED : mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_SHARED,
                                           vm, 0);
    bool keep_dev = !strcmp(kind, "dev"), keep_vm = !strcmp(kind, "vm");
    bool keep_vcpu = !strcmp(kind, "vcpu"), keep_run = !strcmp(kind, "run");
    bool keep_ram = !strcmp(kind, "ram");
    sigset_t set;
    int sig, ret = 0;

    if (run == MAP_FAILED || ram == MAP_FAILED) {
        printf("hold %s: setup failed: %s\n", kind, strerror(errno));
        return 1;
    }
    if (!keep_dev && !keep_vm && !keep_vcpu && !keep_run && !keep_ram) {
        printf("hold: what is %s?\n", kind);
        return 2;
    }
    /* Only the one reference stays: a vCPU keeps its VM, a mapping its object. */
    if (!keep_run) {
        munmap(run, 4096);
    }
    if (!keep_ram) {
        munmap(ram, 1 << 20);
    }
    if (!keep_vcpu) {
        close(vcpu);
    }
    if (!keep_vm) {
        close(vm);
    }
    if (!keep_dev) {
        close(dev);
    }
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, NULL);
    printf("hold %s: holding\n", kind);
    fflush(stdout);
    sigwait(&set, &sig);

    /* The held object still works. */
    if (keep_dev) {
        ret = ioctl(dev, ARMKVM_GET_API_VERSION, 0) != ARMKVM_API_VERSION;
    } else if (keep_vm) {
        ret = ioctl(vm, ARMKVM_CREATE_VCPU, 0) < 0;     /* its vCPU is gone */
    } else if (keep_vcpu) {
        struct armkvm_vcpu_stats st;

        ret = ioctl(vcpu, ARMKVM_GET_STATS, &st) < 0;
    } else if (keep_run) {
        ret = ((struct armkvm_run *)run)->exit_reason != ARMKVM_EXIT_UNKNOWN;
    } else {
        ret = ((volatile uint32_t *)ram)[0] != 0;       /* zeroed, still mapped */
    }
    printf("hold %s: the held object %s\n", kind, ret ? "FAILED" : "works");
    return one_guest(kind) | ret;
}

int main(int argc, char **argv)
{
    struct sigaction sa = { .sa_handler = on_signal };      /* no SA_RESTART */
    const char *mode = "race", *kind = "", *state = NULL;
    unsigned int seed = 1;
    int opt;

    while ((opt = getopt(argc, argv, "s:n:t:j:S:m:k:w:")) != -1) {
        switch (opt) {
        case 's': seed = strtoul(optarg, NULL, 0); break;
        case 'n': max_calls = strtoul(optarg, NULL, 0); break;
        case 't': max_seconds = strtod(optarg, NULL); break;
        case 'j': nthreads = atoi(optarg); break;
        case 'S': nslots = atoi(optarg); break;
        case 'm': mode = optarg; break;
        case 'k': kind = optarg; break;
        case 'w': state = optarg; break;
        default:
            fprintf(stderr, "usage: abi-race [-s SEED] [-n CALLS] [-t SECONDS] "
                    "[-j THREADS] [-S SLOTS] [-m race|isolated|bigvm|hold] [-k KIND] [-w FILE]\n");
            return 2;
        }
    }
    if (nthreads < 1 || nthreads > MAX_THREADS || nslots < 1 || nslots > MAX_SLOTS) {
        fprintf(stderr, "abi-race: 1-%d threads, 1-%d slots\n", MAX_THREADS, MAX_SLOTS);
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (state) {
        int fd = open(state, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        size_t len = nthreads * sizeof(*state_lines);

        if (fd < 0 || ftruncate(fd, len) ||
            (state_lines = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0))
            == MAP_FAILED) {
            perror(state);
            return 2;
        }
        close(fd);
        for (int i = 0; i < nthreads; i++) {
            state_line(state_lines[i], "-");
        }
    }
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGALRM, &sa, NULL);
    signal(SIGCHLD, SIG_IGN);       /* fork_runner's children reap themselves */
    if (!strcmp(mode, "race")) {
        return race(seed);
    }
    if (!strcmp(mode, "isolated")) {
        isolated = true;
        return race(seed);
    }
    if (!strcmp(mode, "bigvm")) {
        return bigvm(seed);
    }
    if (!strcmp(mode, "hold")) {
        return hold(kind);
    }
    fprintf(stderr, "abi-race: no mode %s\n", mode);
    return 2;
}
