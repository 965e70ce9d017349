/*
 * The benchmark's CPU loop as a program of the lab host, for the native
 * figure: the same two instructions as guest/baremetal/bench.S's BENCH_CPU.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>

int main(int argc, char **argv)
{
    unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 0) : 1;

    asm volatile("1: subs %0, %0, #1\n\tbne 1b" : "+r" (n) : : "cc");
    return 0;
}
