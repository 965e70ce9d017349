/*
 * The host's CPU state around a natively run guest, as user space sees it
 * through tests/lab/hoststate (armkvm-hoststate.ko's /proc/armkvm-hoststate).
 *
 * usage: host-state-check run IMAGE SAVE   read the state, run IMAGE with
 *            mini-vmm's code in this very thread, read it again: every
 *            register of class cpu or thread must be unchanged; the first
 *            state is saved to SAVE
 *        host-state-check compare SAVE     from another process: every
 *            register of class cpu must equal SAVE's
 *
 * Before the first read this thread sets TPIDRURW (the user read/write
 * thread ID register) to a value of its own: the guest's must not replace it.
 * Exit status: 0 if nothing differs and the guest powered off cleanly.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define main mini_vmm_main
#include "mini-vmm.c"
#undef main

#define STATE "/proc/armkvm-hoststate"
#define MAX_REGS 256
#define TPIDRURW_MINE 0x7e57c0deu

struct reg {
    char name[32];
    unsigned long long value;
    char class[16];
};

struct state {
    int n;
    struct reg r[MAX_REGS];
};

static int parse(FILE *f, struct state *s)
{
    s->n = 0;
    while (s->n < MAX_REGS &&
           fscanf(f, "%31s %llx %15s", s->r[s->n].name, &s->r[s->n].value,
                  s->r[s->n].class) == 3) {
        s->n++;
    }
    return s->n > 1 ? 0 : -1;
}

/* Read the file in one go: each read of it is one snapshot. */
static int snapshot(struct state *s, const char *save)
{
    static char buf[65536];
    size_t len = 0;
    ssize_t n;
    FILE *f;
    int fd = open(STATE, O_RDONLY);

    if (fd < 0) {
        perror(STATE);
        return -1;
    }
    while ((n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0) {
        len += n;
    }
    close(fd);
    buf[len] = 0;
    if (save) {
        f = fopen(save, "w");
        if (!f || fputs(buf, f) < 0 || fclose(f)) {
            perror(save);
            return -1;
        }
    }
    f = fmemopen(buf, len, "r");
    if (!f || parse(f, s)) {
        fprintf(stderr, "host-state-check: cannot parse %s\n", STATE);
        return -1;
    }
    fclose(f);
    return 0;
}

/* Compare the registers of the given classes; print each that differs. */
static int compare(const char *what, const struct state *a, const struct state *b,
                   const char *class1, const char *class2)
{
    int i, j, compared = 0, differ = 0;

    for (i = 0; i < a->n; i++) {
        const struct reg *x = &a->r[i];

        if (strcmp(x->class, "info") == 0) {
            for (j = 0; j < b->n && strcmp(b->r[j].name, x->name); j++) {
            }
            if (j == b->n || b->r[j].value != x->value) {
                printf("%s: not on the same CPU\n", what);
                return -1;
            }
            continue;
        }
        if (strcmp(x->class, class1) && (!class2 || strcmp(x->class, class2))) {
            continue;
        }
        for (j = 0; j < b->n && strcmp(b->r[j].name, x->name); j++) {
        }
        if (j == b->n) {
            printf("%s: %s missing\n", what, x->name);
            differ++;
            continue;
        }
        compared++;
        if (b->r[j].value != x->value) {
            printf("%s: %s differs: before %08llx after %08llx\n", what, x->name,
                   x->value, b->r[j].value);
            differ++;
        }
    }
    printf("%s: %d registers compared, %d differ\n", what, compared, differ);
    return differ;
}

static struct state before, after;

int main(int argc, char **argv)
{
    char *vmm_argv[] = { "mini-vmm", NULL, NULL };
    unsigned int tpidrurw = TPIDRURW_MINE;
    int rc, differ;

    if (argc == 4 && strcmp(argv[1], "run") == 0) {
        asm volatile("mcr p15, 0, %0, c13, c0, 2" : : "r" (tpidrurw));
        if (snapshot(&before, argv[3])) {
            return 2;
        }
        fflush(stdout);
        vmm_argv[1] = argv[2];
        rc = mini_vmm_main(2, vmm_argv);
        fflush(stdout);
        if (snapshot(&after, NULL)) {
            return 2;
        }
        printf("guest: mini-vmm returned %d\n", rc);
        differ = compare("same thread", &before, &after, "cpu", "thread");
        asm volatile("mrc p15, 0, %0, c13, c0, 2" : "=r" (tpidrurw));
        if (tpidrurw != TPIDRURW_MINE) {
            printf("same thread: TPIDRURW read in user mode: %08x, set %08x\n",
                   tpidrurw, TPIDRURW_MINE);
            differ++;
        }
        return rc || differ ? 1 : 0;
    }
    if (argc == 3 && strcmp(argv[1], "compare") == 0) {
        FILE *f = fopen(argv[2], "r");

        if (!f || parse(f, &before)) {
            fprintf(stderr, "host-state-check: cannot read %s\n", argv[2]);
            return 2;
        }
        fclose(f);
        if (snapshot(&after, NULL)) {
            return 2;
        }
        return compare("another process", &before, &after, "cpu", NULL) ? 1 : 0;
    }
    fprintf(stderr, "usage: host-state-check run IMAGE SAVE | compare SAVE\n");
    return 2;
}
