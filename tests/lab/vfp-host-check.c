/*
 * A host program that keeps VFP/NEON registers live and checks them, for as
 * long as it is told: while armkvm guests run on the same CPU, the host's
 * (lazily switched) VFP state must never change under it. Given a size, it
 * also keeps that much memory dirty (rewritten each round with a new
 * pattern, then read back): a guest's cache maintenance must never throw
 * away what the host wrote.
 *
 * usage: vfp-host-check MILLISECONDS [KIB]   (exit 0: intact; 1: corrupted)
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Writes the round's pattern, lets the VFP loop run, then counts the words that changed. */
static unsigned long memory_round(volatile uint32_t *mem, size_t words, uint32_t round,
                                  int check)
{
    unsigned long bad = 0;

    for (size_t i = 0; i < words && check; i++) {
        if (mem[i] != (uint32_t)(round - 1) * 0x9e3779b9u + i) {
            bad++;
        }
    }
    for (size_t i = 0; i < words; i++) {
        mem[i] = round * 0x9e3779b9u + i;
    }
    return bad;
}

int main(int argc, char **argv)
{
    double end = now_ms() + (argc > 1 ? atof(argv[1]) : 1000);
    size_t words = argc > 2 ? strtoul(argv[2], NULL, 0) * 256 : 0;
    uint32_t *mem = words ? malloc(words * 4) : NULL;
    unsigned long rounds = 0, bad = 0, bad_mem = 0;

    if (words && !mem) {
        perror("vfp-host-check");
        return 2;
    }
    while (now_ms() < end) {
        /* Values held in registers across a busy loop: preemption lands in it. */
        register double a asm("d8") = 1.25, b asm("d9") = 2.5, c asm("d10") = 0;

        if (mem) {
            bad_mem += memory_round(mem, words, rounds + 1, rounds > 0);
        }
        for (int i = 0; i < 100000; i++) {
            asm volatile("vadd.f64 %P0, %P1, %P2" : "=w" (c) : "w" (a), "w" (b));
            asm volatile("" : "+w" (a), "+w" (b), "+w" (c));
        }
        if (a != 1.25 || b != 2.5 || c != 3.75) {
            bad++;
        }
        rounds++;
    }
    if (mem) {
        bad_mem += memory_round(mem, words, rounds + 1, rounds > 0);
        printf("vfp-host-check: %zu KiB of memory, %lu words changed\n", words / 256, bad_mem);
    }
    printf("vfp-host-check: %lu rounds, %lu corrupted\n", rounds, bad + bad_mem);
    return bad + bad_mem != 0;
}
