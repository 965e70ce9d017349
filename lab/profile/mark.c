/*
 * Marks the part of a lab run that tbprof.so (marker=on) counts:
 * "profile-mark start" zeroes and starts its counts, "profile-mark stop"
 * stops them. Each is one instruction tbprof.so recognises.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc == 2 && !strcmp(argv[1], "start")) {
        __asm__ volatile(".inst 0xe30ac4b1" : : : "r12");   /* movw r12, #0xa4b1 */
    } else if (argc == 2 && !strcmp(argv[1], "stop")) {
        __asm__ volatile(".inst 0xe30ac4b2" : : : "r12");   /* movw r12, #0xa4b2 */
    } else {
        fprintf(stderr, "usage: profile-mark start|stop\n");
        return 2;
    }
    return 0;
}
