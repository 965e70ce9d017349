/*
 * Runs in the lab against /dev/armkvm: hostile code in isolated mode
 * (docs/isolated-mode.md, 6.2). One VM, its RAM this process's own memory;
 * thousands of short runs, each from a fresh register state:
 *   - every MCR and MRC encoding of CP15, and of CP14's debug and trace
 *     space, from the virtual kernel (MCR also from its user mode), with
 *     all-ones operands;
 *   - VMSR and VMRS of every VFP system register, cp10 closed and open;
 *   - every mode change a guest can forge through the replacement
 *     encodings: CPS to each mode index, MSR CPSR_c with each immediate, an
 *     exception return (SUBS pc, lr) and an RFE to each of the 32 mode
 *     values with the T and J bits set, and the paravirtual return to user
 *     space through frames of each;
 *   - random instruction words (armkvm's own replacement range and
 *     paravirtual operations included)
 *     in each virtual mode, with random registers and every device access
 *     answered.
 * Each run must end in an exit the ABI defines (a hypercall, an internal
 * error, a device access, a signal for a guest that loops), never with an
 * error from RUN, and leave the virtual CPU in a mode it may be in. The lab
 * test runs it under the host-state probe: the host's own registers must
 * come back from every switch. Prints what it saw; exits non-zero on any
 * failure.
 *
 * usage: isolated-hostile            the above
 *        isolated-hostile live SECS  a guest that, for SECS seconds, fills the
 *            VFP registers, turns FPEXC.EN off, walks every data cache line by
 *            set/way with DCISW, DCCSW and DCCISW (conditional ones too),
 *            invalidates its RAM and addresses outside it by MVA, the
 *            I-cache, the branch predictor and the TLBs, then turns EN on and
 *            checks its registers, again and again; host programs that keep
 *            VFP registers and dirty memory live run beside it (the lab test
 *            isolated-live-host) and check theirs.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <unistd.h>
#include <linux/armkvm.h>

#define RAM_BASE    0x40000000u
#define RAM_SIZE    (1u << 20)
#define DATA        (RAM_BASE + 0x80000)    /* what RFE loads */
#define HVC         0xe1400070u             /* hvc #0 */
#define MAX_EXITS   64                      /* device accesses answered per run */

static int vm_fd, vcpu_fd;
static struct armkvm_run *run;
static uint32_t *ram;
static unsigned int failures;
static unsigned long runs, exits[8], run_errors;

/* The modes a virtual CPU may be in; all but FIQ (its bank is the host's) may be set. */
static const uint32_t modes[] = { 0x10, 0x12, 0x13, 0x17, 0x1b, 0x1f, 0x11 };
#define SETTABLE_MODES  6

static int valid_mode(uint32_t cpsr)
{
    unsigned int i;

    for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
        if ((cpsr & 0x1f) == modes[i]) {
            return 1;
        }
    }
    return 0;
}

static uint32_t rnd_state = 0x2545f491;

static uint32_t rnd(void)
{
    rnd_state ^= rnd_state << 13;
    rnd_state ^= rnd_state >> 17;
    rnd_state ^= rnd_state << 5;
    return rnd_state;
}

static void on_alarm(int sig)
{
    (void)sig;
}

/*
 * Run code (n words, then an HVC) at RAM_BASE from the given CPSR, r0-r12
 * from regs (or all ones): until an exit that ends it. Returns the exit.
 */
static unsigned int run_code(const uint32_t *code, unsigned int n, uint32_t cpsr,
                             const uint32_t *gprs)
{
    struct armkvm_core_regs regs;
    struct itimerval t = { .it_value = { .tv_usec = 200000 } };
    unsigned int i, exit_reason = ARMKVM_EXIT_UNKNOWN;
    long ret;

    memcpy(ram, code, n * 4);
    ram[n] = HVC;
    memset(&regs, 0, sizeof(regs));
    for (i = 0; i < 13; i++) {
        regs.usr[i] = gprs ? gprs[i] : 0xffffffffu;
    }
    regs.usr[13] = RAM_BASE + RAM_SIZE - 64;
    regs.svc[0] = regs.abt[0] = regs.und[0] = regs.irq[0] = RAM_BASE + RAM_SIZE - 256;
    regs.pc = RAM_BASE;
    regs.cpsr = cpsr;
    if (ioctl(vcpu_fd, ARMKVM_SET_REGS, &regs)) {
        printf("SET_REGS refused CPSR 0x%x: %s\n", cpsr, strerror(errno));
        failures++;
        return exit_reason;
    }
    runs++;
    setitimer(ITIMER_REAL, &t, NULL);
    for (i = 0; i < MAX_EXITS; i++) {
        ret = ioctl(vcpu_fd, ARMKVM_RUN, 0);
        exit_reason = run->exit_reason;
        if (ret < 0) {
            if (errno != EINTR) {
                run_errors++;
                if (run_errors < 5) {
                    printf("RUN: %s (CPSR 0x%x, first word 0x%08x)\n", strerror(errno),
                           cpsr, code[0]);
                }
            }
            break;
        }
        if (exit_reason != ARMKVM_EXIT_MMIO && exit_reason != ARMKVM_EXIT_TIMER) {
            break;
        }
        if (exit_reason == ARMKVM_EXIT_MMIO && !run->mmio.is_write) {
            memset(run->mmio.data, 0, sizeof(run->mmio.data));
        }
    }
    t.it_value.tv_usec = 0;
    setitimer(ITIMER_REAL, &t, NULL);
    /* Complete whatever is pending before the next SET_REGS (a signal ends it). */
    run->immediate_exit = 1;
    ioctl(vcpu_fd, ARMKVM_RUN, 0);
    run->immediate_exit = 0;
    if (exit_reason < 8) {
        exits[exit_reason]++;
    }
    if (ioctl(vcpu_fd, ARMKVM_GET_REGS, &regs) || !valid_mode(regs.cpsr)) {
        printf("after code 0x%08x from CPSR 0x%x: virtual CPSR 0x%x\n", code[0], cpsr,
               regs.cpsr);
        failures++;
    }
    return exit_reason;
}

static void report(const char *what)
{
    printf("%s: %lu runs; hypercall %lu, internal error %lu, device %lu, signal %lu; "
           "RUN errors %lu\n", what, runs, exits[ARMKVM_EXIT_HYPERCALL],
           exits[ARMKVM_EXIT_INTERNAL_ERROR], exits[ARMKVM_EXIT_MMIO],
           exits[ARMKVM_EXIT_INTR], run_errors);
    if (run_errors) {
        failures++;
    }
    runs = run_errors = 0;
    memset(exits, 0, sizeof(exits));
}

/* MCR/MRC p<cp>, opc1, r0, CRn, CRm, opc2 for every field value. */
static void coprocessor_space(unsigned int cp, int load, uint32_t cpsr, const char *what)
{
    unsigned int opc1, crn, crm, opc2;

    for (opc1 = 0; opc1 < 8; opc1++) {
        for (crn = 0; crn < 16; crn++) {
            for (crm = 0; crm < 16; crm++) {
                for (opc2 = 0; opc2 < 8; opc2++) {
                    uint32_t insn = 0xee000010u | opc1 << 21 | (load ? 1u << 20 : 0) |
                                    crn << 16 | cp << 8 | opc2 << 5 | crm;

                    run_code(&insn, 1, cpsr, NULL);
                }
            }
        }
    }
    report(what);
}

/* Format I replacement encodings (UDF 0xA000 | op << 9 | operands). */
static uint32_t repl(unsigned int op, unsigned int operands)
{
    uint32_t imm16 = 0xa000u | op << 9 | operands;

    return 0xe7f000f0u | (imm16 >> 4) << 8 | (imm16 & 0xf);
}

static void forged_modes(void)
{
    uint32_t code[4], gprs[13];
    unsigned int i;

    /* CPS #mode with each mode index, from the virtual kernel. */
    for (i = 0; i < 8; i++) {
        code[0] = repl(3, 1u << 3 | i);
        run_code(code, 1, 0x1d3, NULL);
    }
    /* MSR CPSR_c, #imm8 with each immediate (R = 0), and MSR SPSR_c. */
    for (i = 0; i < 256; i++) {
        code[0] = repl(2, i);
        run_code(code, 1, 0x1d3, NULL);
        code[0] = repl(2, 1u << 8 | i);
        run_code(code, 1, 0x1d3, NULL);
    }
    /* MSR SPSR_fsxc, r1 then SUBS pc, lr: each mode, with T and J. */
    for (i = 0; i < 32; i++) {
        memset(gprs, 0, sizeof(gprs));
        gprs[1] = 0x010001c0u | 0x20 | i;      /* J, T, A I F, mode i */
        code[0] = repl(1, 1u << 8 | 0xf << 4 | 1);
        code[1] = 0xe3a0e101u;                  /* mov lr, #0x40000000 */
        code[2] = repl(4, 0);                   /* movs pc, lr */
        run_code(code, 3, 0x1d3, gprs);
    }
    /* RFEIA r2 with CPSR words of each mode, T and J set, and a pc in RAM. */
    for (i = 0; i < 32; i++) {
        memset(gprs, 0, sizeof(gprs));
        gprs[2] = DATA;
        ram[DATA / 4 - RAM_BASE / 4] = RAM_BASE;
        ram[DATA / 4 - RAM_BASE / 4 + 1] = 0x010001c0u | 0x20 | i;
        code[0] = repl(5, 1u << 7 | 2);         /* P 0, U 1, W 0: IA, Rn r2 */
        run_code(code, 1, 0x1d3, gprs);
    }
    /* RFE from addresses outside RAM, in the window and unaligned. */
    {
        static const uint32_t at[] = { 0x0, 0x50000000, 0xbf000000, 0xbffffffc, 0xfffffffc,
                                       RAM_BASE + 2 };

        for (i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
            memset(gprs, 0, sizeof(gprs));
            gprs[2] = at[i];
            code[0] = repl(5, 1u << 7 | 2);
            run_code(code, 1, 0x1d3, gprs);
            code[0] = repl(6, 1u << 7 | 3);     /* SRSIA sp, #svc */
            run_code(code, 1, 0x1d3, gprs);
        }
    }
    /*
     * The return to user space (UDF #0xb200 and #0xb203) through a frame at
     * sp_svc with each of the 32 mode values, plain and with J, T, I and F:
     * user mode with I clear is taken, the rest is the TLS write alone.
     */
    for (i = 0; i < 64; i++) {
        uint32_t *frame = &ram[(RAM_SIZE - 256) / 4];

        for (unsigned int j = 0; j < 15; j++) {
            frame[j] = rnd();
        }
        /* pc and CPSR for a frame at sp, and for one at sp + 8. */
        frame[15] = frame[17] = RAM_BASE;
        frame[16] = frame[18] = (i & 32) ? 0x010000e0u | (i & 31) : i;
        code[0] = (i & 1) ? 0xe7fb20f3u : 0xe7fb20f0u;
        run_code(code, 1, 0x1d3, NULL);
    }
    report("forged mode changes");
}

/* VMSR and VMRS of each VFP system register, all ones, with cp10 closed and open. */
static void vfp_system(void)
{
    uint32_t code[4];
    unsigned int reg, open, load;

    for (open = 0; open < 2; open++) {
        for (reg = 0; reg < 16; reg++) {
            for (load = 0; load < 2; load++) {
                code[0] = 0xe3a0060fu;          /* mov r0, #0xf00000 */
                code[1] = open ? 0xee010f50u : 0xe1a00000u;   /* mcr CPACR, r0 / nop */
                code[2] = 0xeee00a10u | load << 20 | reg << 16 | 1 << 12;   /* vmsr/vmrs r1 */
                code[3] = 0xec410b10u;          /* vmov d0, r0, r1 */
                run_code(code, 4, 0x1d3, NULL);
            }
        }
    }
    report("VFP system registers");
}

/*
 * The live-data guest (MMU off, virtual SVC mode, at RAM_BASE). r4 is the
 * pass's pattern, r10 counts what it found wrong, r11 the maintenance
 * operations; each pass ends in hypercall 0x8f0000b0 (userspace's) with r10
 * and r11 in r1 and r2. A VFP instruction with EN off must be an undefined
 * instruction exception at its vectors, which counts them in sp_und and
 * returns past it (the replacement encoding of MOVS pc, lr); any other
 * exception is hypercall 0x8f0000bf.
 */
extern const uint32_t live_code[], live_vectors[], live_end[];
__asm__(
    "   .pushsection .rodata\n"
    "   .balign 32\n"
    "   .arm\n"
    "   .arch armv7-a\n"
    "   .fpu neon-vfpv4\n"
    "live_code:\n"
    "   b live_start\n"
    "   .balign 32\n"
    "live_vectors:\n"
    "   b 9f\n"
    "   b 8f\n"                            /* undefined instruction */
    "   b 9f\n"
    "   b 9f\n"
    "   b 9f\n"
    "   b 9f\n"
    "   b 9f\n"
    "   b 9f\n"
    "8: add sp, sp, #1\n"
    "   .inst 0xe7fa80f0\n"                /* MOVS pc, lr (Format I, op 4) */
    "9: ldr r0, =0x8f0000bf\n"
    "   mov r1, lr\n"
    "   .inst 0xe1400070\n"
    "   b 9b\n"
    "live_start:\n"
    "   mov r10, #0\n"
    "   mov r11, #0\n"
    "   mov r0, #0xf00000\n"
    "   mcr p15, 0, r0, c1, c0, 2\n"       /* CPACR: cp10 and cp11 */
    "   isb\n"
    "   mov r0, #0x40000000\n"
    "   vmsr fpexc, r0\n"                  /* EN */
    "   mov r5, #0\n"
    "   .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
    "   vmov d\\n, r4, r5\n"
    "   add r5, r5, #1\n"
    "   .endr\n"
    "   mov r0, #0\n"
    "   vmsr fpexc, r0\n"                  /* EN off, the registers still the guest's */
    "   vmrs r1, fpexc\n"
    "   tst r1, #0x40000000\n"
    "   addne r10, r10, #1\n"
    "   vmov d0, r10, r11\n"               /* EN off: undefined, d0 unchanged */

    /* Every data or unified cache level up to the LoC, every set and way. */
    "   mrc p15, 1, r0, c0, c0, 1\n"       /* CLIDR */
    "   ubfx r1, r0, #24, #3\n"            /* LoC */
    "   lsl r1, r1, #1\n"
    "   mov r2, #0\n"                      /* level << 1, as CSSELR and the operand have it */
    "1: cmp r2, r1\n"
    "   bhs 6f\n"
    "   add r3, r2, r2, lsr #1\n"
    "   lsr r3, r0, r3\n"
    "   and r3, r3, #7\n"
    "   cmp r3, #2\n"                      /* a data or unified cache here? */
    "   blo 5f\n"
    "   mcr p15, 2, r2, c0, c0, 0\n"       /* CSSELR */
    "   isb\n"
    "   mrc p15, 1, r3, c0, c0, 0\n"       /* CCSIDR */
    "   and r8, r3, #7\n"
    "   add r8, r8, #4\n"                  /* log2 of the line's bytes */
    "   ubfx r6, r3, #3, #10\n"            /* ways - 1 */
    "   ubfx r7, r3, #13, #15\n"           /* sets - 1 */
    "   clz r5, r6\n"                      /* the way's shift (32 for one way: lsl gives 0) */
    "2: mov r9, r6\n"                      /* each set, each way */
    "3: lsl lr, r9, r5\n"
    "   orr lr, lr, r2\n"
    "   orr lr, lr, r7, lsl r8\n"
    "   and r12, r11, #3\n"
    "   cmp r12, #1\n"
    "   mcrlo p15, 0, lr, c7, c6, 2\n"     /* DCISW */
    "   mcreq p15, 0, lr, c7, c10, 2\n"    /* DCCSW */
    "   mcrhi p15, 0, lr, c7, c14, 2\n"    /* DCCISW, and for 3 a DCISW after it */
    "   cmp r12, #3\n"
    "   mcreq p15, 0, lr, c7, c6, 2\n"
    "   add r11, r11, #1\n"
    "   subs r9, r9, #1\n"
    "   bge 3b\n"
    "   subs r7, r7, #1\n"
    "   bge 2b\n"
    "5: add r2, r2, #2\n"
    "   b 1b\n"
    /* By MVA: 64 KiB of its RAM, and lines where no RAM is. */
    "6: dsb\n"
    "   mov r6, #0x40000000\n"
    "   add r7, r6, #0x10000\n"
    "7: mcr p15, 0, r6, c7, c6, 1\n"       /* DCIMVAC */
    "   mcr p15, 0, r6, c7, c14, 1\n"      /* DCCIMVAC */
    "   add r11, r11, #2\n"
    "   add r6, r6, #64\n"
    "   cmp r6, r7\n"
    "   blo 7b\n"
    "   mov r6, #0\n"
    "   mcr p15, 0, r6, c7, c6, 1\n"
    "   mvn r6, #0\n"
    "   mcr p15, 0, r6, c7, c6, 1\n"
    "   mov r6, #0xbf000000\n"             /* the window's */
    "   mcr p15, 0, r6, c7, c6, 1\n"
    "   mcr p15, 0, r6, c7, c5, 0\n"       /* ICIALLU */
    "   mcr p15, 0, r6, c7, c5, 6\n"       /* BPIALL */
    "   mcr p15, 0, r6, c8, c7, 0\n"       /* TLBIALL */
    "   mcr p15, 0, r6, c8, c7, 1\n"       /* TLBIMVA */
    "   add r11, r11, #7\n"
    "   dsb\n"
    "   isb\n"
    /* EN on: the guest's registers as it left them. */
    "   mov r0, #0x40000000\n"
    "   vmsr fpexc, r0\n"
    "   mov r5, #0\n"
    "   .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
    "   vmov r6, r7, d\\n\n"
    "   cmp r6, r4\n"
    "   cmpeq r7, r5\n"
    "   addne r10, r10, #1\n"
    "   add r5, r5, #1\n"
    "   .endr\n"
    "   ldr r0, =0x8f0000b0\n"
    "   mov r1, r10\n"
    "   mov r2, r11\n"
    "   .inst 0xe1400070\n"                /* hvc #0 */
    "   ldr r3, =0x01010101\n"
    "   add r4, r4, r3\n"
    "   b live_start\n"
    "   .ltorg\n"
    "live_end:\n"
    "   .popsection\n");

/* The live-data guest for secs seconds: every pass must find its registers intact. */
static void live(double secs)
{
    struct armkvm_core_regs regs;
    struct timeval t0, t;
    unsigned long passes = 0, bad = 0, ops = 0, other = 0;

    memcpy(ram, live_code, (const uint8_t *)live_end - (const uint8_t *)live_code);
    memset(&regs, 0, sizeof(regs));
    regs.usr[4] = 0x5a5a0000u;
    regs.pc = RAM_BASE;
    regs.cpsr = 0x1d3;
    regs.vbar = RAM_BASE + ((const uint8_t *)live_vectors - (const uint8_t *)live_code);
    if (ioctl(vcpu_fd, ARMKVM_SET_REGS, &regs)) {
        printf("live: SET_REGS: %s\n", strerror(errno));
        failures++;
        return;
    }
    gettimeofday(&t0, NULL);
    do {
        if (ioctl(vcpu_fd, ARMKVM_RUN, 0) < 0) {
            if (errno != EINTR) {
                printf("live: RUN: %s\n", strerror(errno));
                run_errors++;
                break;
            }
        } else if (run->exit_reason == ARMKVM_EXIT_HYPERCALL &&
                   run->hypercall.args[0] == 0x8f0000b0u) {
            passes++;
            bad += run->hypercall.args[1];
            ops += run->hypercall.args[2];
            run->hypercall.ret[0] = 0x8f0000b0u;
        } else if (run->exit_reason != ARMKVM_EXIT_TIMER) {
            if (other++ < 5) {
                printf("live: exit %u (pc 0x%08x)\n", run->exit_reason,
                       ioctl(vcpu_fd, ARMKVM_GET_REGS, &regs) ? 0 : regs.pc);
            }
            break;
        }
        gettimeofday(&t, NULL);
    } while ((t.tv_sec - t0.tv_sec) + (t.tv_usec - t0.tv_usec) / 1e6 < secs);
    /* One VFP instruction with EN off per pass (the last pass may be cut short). */
    if (ioctl(vcpu_fd, ARMKVM_GET_REGS, &regs)) {
        regs.und[0] = ~0u;
    }
    printf("live host data: %lu passes, %lu maintenance operations, %lu wrong in the guest; "
           "other exits %lu, RUN errors %lu\n", passes, ops, bad, other, run_errors);
    printf("live: VFP instructions with EN off taken as undefined: %s\n",
           regs.und[0] == passes || regs.und[0] == passes + 1 ? "each" : "NOT each");
    if (!passes || bad || other || run_errors ||
        (regs.und[0] != passes && regs.und[0] != passes + 1)) {
        failures++;
    }
}

/*
 * Exception storms: vectors whose every entry takes the same exception again
 * (SVC, an undefined instruction, a BKPT's prefetch abort, an LDRD's
 * alignment fault), for good. Each run must end with the
 * interval timer's signal (300 ms), the vCPU in a valid mode, after at
 * least a hundred exceptions delivered (thousands in the lab).
 */
static void exception_storms(void)
{
    static const struct {
        const char *what;
        uint32_t vbar, insn;
    } storms[] = {
        { "SVC", RAM_BASE + 0x1000, 0xef000000u },             /* svc #0 */
        { "undefined", RAM_BASE + 0x1000, 0xe7f000f0u },       /* udf */
        { "prefetch abort", RAM_BASE + 0x1000, 0xe1200070u },  /* bkpt #0 */
        { "data abort", RAM_BASE + 0x1000, 0xe1c200d0u },      /* ldrd r0, r1, [r2] */
    };
    struct itimerval t = { .it_value = { .tv_usec = 300000 } };
    struct armkvm_vcpu_stats before, after;
    struct armkvm_core_regs regs;
    unsigned int i, j;
    long ret;

    for (i = 0; i < sizeof(storms) / sizeof(storms[0]); i++) {
        for (j = 0; j < 8; j++) {
            ram[0x1000 / 4 + j] = storms[i].insn;
        }
        memset(&regs, 0, sizeof(regs));
        regs.usr[2] = RAM_BASE + 1;                 /* LDRD faults there whatever SCTLR.A */
        regs.svc[0] = regs.abt[0] = regs.und[0] = regs.irq[0] = RAM_BASE + RAM_SIZE - 256;
        regs.vbar = storms[i].vbar;
        regs.pc = RAM_BASE + 0x1000;
        regs.cpsr = 0x1d3;
        if (ioctl(vcpu_fd, ARMKVM_SET_REGS, &regs) ||
            ioctl(vcpu_fd, ARMKVM_GET_STATS, &before)) {
            printf("storm %s: setting up: %s\n", storms[i].what, strerror(errno));
            failures++;
            continue;
        }
        runs++;
        setitimer(ITIMER_REAL, &t, NULL);
        ret = ioctl(vcpu_fd, ARMKVM_RUN, 0);
        if (ret == 0) {
            exits[run->exit_reason < 8 ? run->exit_reason : 0]++;
        } else if (errno == EINTR) {
            exits[ARMKVM_EXIT_INTR]++;
        } else {
            run_errors++;
        }
        ioctl(vcpu_fd, ARMKVM_GET_STATS, &after);
        printf("storm %s: RUN %s after %llu exceptions delivered\n", storms[i].what,
               ret ? strerror(errno) : "returned an exit",
               (unsigned long long)(after.exceptions_delivered - before.exceptions_delivered));
        if (ret == 0 || after.exceptions_delivered - before.exceptions_delivered < 100 ||
            ioctl(vcpu_fd, ARMKVM_GET_REGS, &regs) || !valid_mode(regs.cpsr)) {
            failures++;
        }
        run->immediate_exit = 1;
        ioctl(vcpu_fd, ARMKVM_RUN, 0);
        run->immediate_exit = 0;
    }
    report("exception storms");
}

static void random_code(void)
{
    uint32_t code[32], gprs[13];
    unsigned int i, j;

    for (i = 0; i < 3000; i++) {
        for (j = 0; j < 32; j++) {
            code[j] = rnd();
            /*
             * One word in four from armkvm's replacement range: Format I,
             * or one in eight of those Format O and the paravirtual
             * operations (UDF #0xb000-#0xb2ff).
             */
            if (!(code[j] & 0x30000)) {
                code[j] = (code[j] & 0x1c0000) ? 0xe7fa00f0u | (rnd() & 0xff0f) :
                          0xe7fb00f0u | (rnd() % 3) << 12 | (rnd() & 0xf0f);
            }
        }
        for (j = 0; j < 13; j++) {
            gprs[j] = (rnd() & 1) ? rnd() : RAM_BASE + (rnd() & (RAM_SIZE - 4));
        }
        /* Each mode, A I F at random, Thumb one run in eight. */
        run_code(code, 32, modes[i % SETTABLE_MODES] | (rnd() & 0x1c0) |
                 (rnd() % 8 ? 0 : 0x20), gprs);
    }
    report("random instructions");
}

int main(int argc, char **argv)
{
    struct armkvm_vm_config cfg = { .mode = ARMKVM_VM_MODE_ISOLATED };
    struct armkvm_userspace_memory_region slot = {
        .guest_phys_addr = RAM_BASE, .memory_size = RAM_SIZE,
    };
    struct sigaction sa = { .sa_handler = on_alarm };
    int dev = open("/dev/armkvm", O_RDWR);

    setvbuf(stdout, NULL, _IOLBF, 0);
    sigaction(SIGALRM, &sa, NULL);
    ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    slot.userspace_addr = (uintptr_t)ram;
    vm_fd = dev < 0 ? -1 : ioctl(dev, ARMKVM_CREATE_VM, &cfg);
    if (vm_fd < 0 || ioctl(vm_fd, ARMKVM_SET_USER_MEMORY_REGION, &slot) ||
        (vcpu_fd = ioctl(vm_fd, ARMKVM_CREATE_VCPU, 0)) < 0) {
        perror("isolated VM");
        return 1;
    }
    run = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu_fd, 0);
    if (argc == 3 && !strcmp(argv[1], "live")) {
        live(atof(argv[2]));
        printf("live guest: %s\n", failures ? "FAILED" : "its registers intact");
        return failures != 0;
    }

    coprocessor_space(15, 0, 0x1d3, "CP15 writes from the virtual kernel");
    coprocessor_space(15, 1, 0x1d3, "CP15 reads from the virtual kernel");
    coprocessor_space(15, 0, 0x1d0, "CP15 writes from the virtual user mode");
    coprocessor_space(14, 0, 0x1d3, "CP14 writes from the virtual kernel");
    forged_modes();
    exception_storms();
    vfp_system();
    random_code();
    printf("hostile code: %s\n", failures ? "FAILED" : "every run confined");
    return failures != 0;
}
