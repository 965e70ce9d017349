/*
 * The host's user space still reads the virtual counter (CNTVCT), as its vDSO
 * does, after guests wrote their own CNTKCTL: a guest's value leaking into
 * the host would make this (and every clock_gettime()) die with SIGILL.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include <stdio.h>

static uint64_t cntvct(void)
{
    uint64_t v;

    __asm__ volatile("isb; mrrc p15, 1, %Q0, %R0, c14" : "=r"(v));
    return v;
}

int main(void)
{
    uint64_t a = cntvct(), b = cntvct();

    printf("host: PL0 reads CNTVCT after the guests: %s\n",
           b >= a ? "ok" : "went backwards");
    return b >= a ? 0 : 1;
}
