/*
 * A host program that keeps VFP/NEON registers live and checks them, for as
 * long as it is told: while armkvm guests run on the same CPU, the host's
 * (lazily switched) VFP state must never change under it.
 *
 * usage: vfp-host-check MILLISECONDS   (exit 0: intact; 1: corrupted)
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
    double end = now_ms() + (argc > 1 ? atof(argv[1]) : 1000);
    unsigned long rounds = 0, bad = 0;

    while (now_ms() < end) {
        /* Values held in registers across a busy loop: preemption lands in it. */
        register double a asm("d8") = 1.25, b asm("d9") = 2.5, c asm("d10") = 0;
        for (int i = 0; i < 100000; i++) {
            asm volatile("vadd.f64 %P0, %P1, %P2" : "=w" (c) : "w" (a), "w" (b));
            asm volatile("" : "+w" (a), "+w" (b), "+w" (c));
        }
        if (a != 1.25 || b != 2.5 || c != 3.75) {
            bad++;
        }
        rounds++;
    }
    printf("vfp-host-check: %lu rounds, %lu corrupted\n", rounds, bad);
    return bad != 0;
}
