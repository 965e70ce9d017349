/*
 * blkpattern: write and verify self-checking 4 KiB blocks on a disk or image,
 * in the guest and in the lab host, for the block integrity tests.
 *
 *   blkpattern write PATH SEED FIRST COUNT     write blocks FIRST.., fsync
 *   blkpattern loop PATH SEED FIRST COUNT      write them over and over (never
 *                                              returns: heavy I/O to be cut off)
 *   blkpattern verify PATH SEED FIRST COUNT    prints "verify: N ok, N bad"
 *
 * Each block carries its number, the seed and a checksum of its contents, so a
 * block that is torn, misplaced, stale (another seed) or zero is "bad".
 * Exit status: 0, or 1 if a block is bad or an I/O call failed.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BLOCK 4096
#define MAGIC 0x61726b76u           /* "arkv" */
#define WORDS (BLOCK / 4)

/* Block layout, in 32-bit words: magic, seed, number, checksum, data... */
static void fill(uint32_t *b, uint32_t seed, uint32_t n)
{
    uint32_t x = seed * 2654435761u ^ n * 40503u ^ 0x9e3779b9u, sum = 0;

    b[0] = MAGIC;
    b[1] = seed;
    b[2] = n;
    for (int i = 4; i < WORDS; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        b[i] = x;
        sum = sum * 31 + x;
    }
    b[3] = sum;
}

static int check(const uint32_t *b, uint32_t seed, uint32_t n)
{
    static uint32_t want[WORDS];

    fill(want, seed, n);
    return !memcmp(b, want, BLOCK);
}

static int io_fail(const char *what, const char *path)
{
    fprintf(stderr, "blkpattern: %s %s: %s\n", what, path, strerror(errno));
    return 1;
}

static int write_blocks(int fd, const char *path, uint32_t seed, uint32_t first,
                        uint32_t count)
{
    static uint32_t b[WORDS];

    for (uint32_t n = first; n < first + count; n++) {
        fill(b, seed, n);
        if (pwrite(fd, b, BLOCK, (off_t)n * BLOCK) != BLOCK) {
            return io_fail("write", path);
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    static uint32_t b[WORDS];
    uint32_t seed, first, count, ok = 0, bad = 0;
    const char *path;
    int fd;

    if (argc != 6) {
        fprintf(stderr, "usage: blkpattern write|loop|verify PATH SEED FIRST COUNT\n");
        return 2;
    }
    path = argv[2];
    seed = strtoul(argv[3], NULL, 0);
    first = strtoul(argv[4], NULL, 0);
    count = strtoul(argv[5], NULL, 0);
    if (count > (UINT32_MAX - first)) {
        fprintf(stderr, "blkpattern: FIRST + COUNT overflows\n");
        return 2;
    }

    if (!strcmp(argv[1], "verify")) {
        fd = open(path, O_RDONLY);
        if (fd < 0) {
            return io_fail("open", path);
        }
        for (uint32_t n = first; n < first + count; n++) {
            if (pread(fd, b, BLOCK, (off_t)n * BLOCK) != BLOCK) {
                return io_fail("read", path);
            }
            if (check(b, seed, n)) {
                ok++;
            } else {
                bad++;
            }
        }
        printf("verify: %" PRIu32 " ok, %" PRIu32 " bad\n", ok, bad);
        return bad != 0;
    }

    fd = open(path, O_WRONLY);
    if (fd < 0) {
        return io_fail("open", path);
    }
    if (!strcmp(argv[1], "write")) {
        if (write_blocks(fd, path, seed, first, count)) {
            return 1;
        }
        if (fsync(fd)) {
            return io_fail("fsync", path);
        }
        return close(fd) ? io_fail("close", path) : 0;
    }
    if (!strcmp(argv[1], "loop")) {
        for (;;) {
            if (write_blocks(fd, path, seed, first, count) || fsync(fd)) {
                return io_fail("loop", path);
            }
        }
    }
    fprintf(stderr, "blkpattern: unknown command '%s'\n", argv[1]);
    return 2;
}
