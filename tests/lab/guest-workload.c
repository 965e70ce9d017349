/*
 * Workloads for a Linux guest: process creation, signals, pipes, mmap and
 * page faults, each checked and printed as a line whose content does not
 * depend on timing, so that the guest's output under -accel armkvm can be
 * compared with TCG's. "stress SECONDS" repeats all of them until the time is
 * up and prints only totals of failures; "bench" times a CPU-bound, a
 * syscall-bound and a fork-bound loop (figures, not checks).
 *
 * usage: guest-workload check | stress SECONDS | bench | loop syscall|fork N
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int failures;

static void check(const char *what, int ok, const char *detail)
{
    printf("workload: %s: %s%s%s\n", what, ok ? "ok" : "FAILED",
           detail ? ", " : "", detail ? detail : "");
    failures += !ok;
}

/* N children, each exec'ing /bin/true; all must exit 0. */
static int fork_exec(int n)
{
    int good = 0;

    for (int i = 0; i < n; i++) {
        pid_t pid = fork();
        int status;

        if (pid == 0) {
            execl("/bin/true", "true", (char *)NULL);
            _exit(127);
        }
        if (pid > 0 && waitpid(pid, &status, 0) == pid &&
            WIFEXITED(status) && WEXITSTATUS(status) == 0) {
            good++;
        }
    }
    return good;
}

static volatile sig_atomic_t usr1_count;

static void on_usr1(int sig)
{
    usr1_count++;
}

/* Signals to ourselves, a child killed by SIGKILL, a child stopped and continued. */
static int signals(char *detail, size_t len)
{
    struct sigaction sa = { .sa_handler = on_usr1 };
    int status, ok;
    pid_t pid;

    sigaction(SIGUSR1, &sa, NULL);
    usr1_count = 0;
    for (int i = 0; i < 100; i++) {
        kill(getpid(), SIGUSR1);
    }
    ok = usr1_count == 100;

    pid = fork();
    if (pid == 0) {
        for (;;) {
            pause();
        }
    }
    kill(pid, SIGSTOP);
    waitpid(pid, &status, WUNTRACED);
    ok = ok && WIFSTOPPED(status);
    kill(pid, SIGCONT);
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    ok = ok && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
    snprintf(detail, len, "100 SIGUSR1 caught %d, child stopped then killed by %d",
             (int)usr1_count, WIFSIGNALED(status) ? WTERMSIG(status) : -1);
    return ok;
}

/* A child writes a pattern through a pipe; the parent sums what it reads. */
static int pipes(uint32_t *sum_out)
{
    int fd[2];
    uint32_t sum = 2166136261u;     /* FNV-1a */
    unsigned char buf[4096];
    ssize_t n;
    pid_t pid;

    if (pipe(fd)) {
        return 0;
    }
    pid = fork();
    if (pid == 0) {
        close(fd[0]);
        for (int i = 0; i < 256; i++) {
            for (size_t j = 0; j < sizeof(buf); j++) {
                buf[j] = (unsigned char)(i * 7 + j);
            }
            if (write(fd[1], buf, sizeof(buf)) != sizeof(buf)) {
                _exit(1);
            }
        }
        _exit(0);
    }
    close(fd[1]);
    while ((n = read(fd[0], buf, sizeof(buf))) > 0) {
        for (ssize_t j = 0; j < n; j++) {
            sum = (sum ^ buf[j]) * 16777619u;
        }
    }
    close(fd[0]);
    waitpid(pid, NULL, 0);
    *sum_out = sum;
    return 1;
}

/* mmap, touch every page (a fault each), check, munmap; N rounds. */
static int mmap_faults(int rounds, size_t pages)
{
    long page = sysconf(_SC_PAGESIZE);

    for (int r = 0; r < rounds; r++) {
        uint32_t *p = mmap(NULL, pages * page, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

        if (p == MAP_FAILED) {
            return 0;
        }
        for (size_t i = 0; i < pages; i++) {
            p[i * page / 4] = (uint32_t)(i * 2654435761u + r);
        }
        for (size_t i = 0; i < pages; i++) {
            if (p[i * page / 4] != (uint32_t)(i * 2654435761u + r)) {
                munmap(p, pages * page);
                return 0;
            }
        }
        if (munmap(p, pages * page)) {
            return 0;
        }
    }
    return 1;
}

/* Copy-on-write after fork: the child's writes never show in the parent. */
static int cow(void)
{
    static int value = 1;
    int status;
    pid_t pid = fork();

    if (pid == 0) {
        value = 2;
        _exit(value == 2 ? 0 : 1);
    }
    waitpid(pid, &status, 0);
    return value == 1 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/*
 * A process storing to (or loading from) its kernel's mapping of the UART
 * (our guest kernel maps armkvm-virt's devices at 0xf8000000 for itself
 * only; a kernel that is not an armkvm guest has nothing there): each child
 * must die of SIGSEGV, natively as under TCG. Under privileged mode the
 * mapping's domain fault comes first; armkvm must still see the permission
 * fault, not emulate a device access (a guest process must not program its
 * kernel's devices, whose DMA reaches the host's memory).
 */
#define KERNEL_UART_VA  0xf9000000ul

static int device_window(char *detail, size_t len)
{
    unsigned long va = KERNEL_UART_VA;
    int killed = 0;

    for (int write = 0; write < 2; write++) {
        pid_t pid = fork();
        int status;

        if (pid == 0) {
            volatile uint32_t *reg = (volatile uint32_t *)va;

            if (write) {
                *reg = '!';             /* UARTDR */
            } else {
                (void)*(reg + 6);       /* UARTFR */
            }
            _exit(0);
        }
        if (pid > 0 && waitpid(pid, &status, 0) == pid &&
            WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV) {
            killed++;
        }
    }
    snprintf(detail, len, "load and store each killed by SIGSEGV: %s",
             killed == 2 ? "yes" : "no");
    return killed == 2;
}

/*
 * A process loading its kernel's memory with an unaligned LDM: the alignment
 * fault comes first, and the kernel's fixup must load with the process's
 * permissions (LDRT), so the child dies of SIGSEGV, natively as under TCG.
 * In armkvm's isolated mode LDRT runs in the CPU's user mode with the
 * kernel's view: the guest kernel refuses addresses that are not the user's.
 */
static int kernel_ldm(char *detail, size_t len)
{
    pid_t pid = fork();
    int status, killed = 0;

    if (pid == 0) {
        register unsigned long base asm("r0") = 0xc0000001ul;

        asm volatile("ldm r0, {r2, r3}" : : "r" (base) : "r2", "r3", "memory");
        _exit(0);
    }
    if (pid > 0 && waitpid(pid, &status, 0) == pid &&
        WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV) {
        killed = 1;
    }
    snprintf(detail, len, "killed by SIGSEGV: %s", killed ? "yes" : "no");
    return killed;
}

static void run_checks(void)
{
    char detail[128];
    uint32_t sum = 0;
    int n;

    n = fork_exec(200);
    snprintf(detail, sizeof(detail), "%d of 200 exited 0", n);
    check("fork+exec 200 times", n == 200, detail);
    n = signals(detail, sizeof(detail));
    check("signals", n, detail);
    n = pipes(&sum);
    snprintf(detail, sizeof(detail), "1 MiB through a pipe, hash %08x", (unsigned)sum);
    check("pipe", n && sum == 0x3d511dc5u, detail);
    check("mmap/munmap, 20 rounds of 256 faulting pages", mmap_faults(20, 256), NULL);
    check("copy-on-write after fork", cow(), NULL);
    n = device_window(detail, sizeof(detail));
    check("user access to the kernel's UART mapping", n, detail);
    n = kernel_ldm(detail, sizeof(detail));
    check("unaligned LDM of the kernel's memory", n, detail);
}

/*
 * The profile marks of scripts/lab-profile.sh (lab/profile/tbprof.c): one
 * A32 instruction each, which only sets r12; where the guest's user code
 * runs on the lab's CPU (armkvm), the lab's profile counts between them.
 */
__attribute__((target("arm"), noinline)) static void profile_mark(int start)
{
    if (start) {
        __asm__ volatile(".inst 0xe30ac4b1" : : : "r12");   /* movw r12, #0xa4b1 */
    } else {
        __asm__ volatile(".inst 0xe30ac4b2" : : : "r12");   /* movw r12, #0xa4b2 */
    }
}

/* One workload alone, untimed, warm: a first round, then a second between profile marks. */
static void loop(const char *what, int n)
{
    for (int round = 0; round < 2; round++) {
        if (round) {
            profile_mark(1);
        }
        if (!strcmp(what, "syscall")) {
            for (int i = 0; i < n; i++) {
                syscall(SYS_getppid);
            }
        } else {
            failures += fork_exec(n) != n;
        }
    }
    profile_mark(0);
}

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

#define CPU_RUNS 5

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

static void bench(void)
{
    volatile uint32_t x = 1;
    double t, cpu_ms[CPU_RUNS];

    usleep(500000);
    /* The lab's wall clock is uneven from one second to the next: a median of several. */
    for (int run = 0; run < CPU_RUNS; run++) {
        t = now();
        for (uint32_t i = 0; i < 100000000u; i++) {
            x = x * 1664525u + 1013904223u;
        }
        cpu_ms[run] = (now() - t) * 1e3;
    }
    qsort(cpu_ms, CPU_RUNS, sizeof(cpu_ms[0]), compare_doubles);
    printf("figure: workload cpu: 10^8 LCG steps (%.1f-%.1f ms, median of %d) %.1f ms\n",
           cpu_ms[0], cpu_ms[CPU_RUNS - 1], CPU_RUNS, cpu_ms[CPU_RUNS / 2]);
    usleep(500000);     /* quiet while the host reads its statistics */
    t = now();
    for (int i = 0; i < 20000; i++) {
        syscall(SYS_getppid);
    }
    printf("figure: workload syscall: 20000 getppid %.1f ms\n", (now() - t) * 1e3);
    usleep(500000);
    t = now();
    fork_exec(100);
    printf("figure: workload fork: 100 fork+exec+wait %.1f ms\n", (now() - t) * 1e3);
    usleep(500000);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc == 2 && !strcmp(argv[1], "check")) {
        run_checks();
    } else if (argc == 3 && !strcmp(argv[1], "stress")) {
        double end = now() + atoi(argv[2]);
        int rounds = 0;

        while (now() < end) {
            char detail[128];
            uint32_t sum;

            failures += fork_exec(20) != 20;
            failures += !signals(detail, sizeof(detail));
            failures += !pipes(&sum) || sum != 0x3d511dc5u;
            failures += !mmap_faults(5, 256);
            failures += !cow();
            rounds++;
        }
        printf("workload: stress: %s rounds, %d failures\n",
               rounds > 0 ? "some" : "no", failures);
    } else if (argc == 2 && !strcmp(argv[1], "bench")) {
        bench();
    } else if (argc == 4 && !strcmp(argv[1], "loop") &&
               (!strcmp(argv[2], "syscall") || !strcmp(argv[2], "fork"))) {
        loop(argv[2], atoi(argv[3]));
    } else {
        fprintf(stderr, "usage: %s check | stress SECONDS | bench | loop syscall|fork N\n",
                argv[0]);
        return 2;
    }
    return failures ? 1 : 0;
}
