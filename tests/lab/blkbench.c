/*
 * blkbench: block I/O figures with O_DIRECT (no page cache on either side),
 * the same program in the lab host and in the guest (scripts/bench-io.sh).
 *
 *   blkbench write PATH MIB BLOCK_KIB    sequential writes, then fdatasync
 *   blkbench read PATH MIB BLOCK_KIB     sequential reads
 *   blkbench randread PATH MIB COUNT     COUNT 4 KiB reads at random offsets
 *                                        within the first MIB MiB
 *
 * Prints "NAME: BYTES bytes, N requests in SECONDS s, MiB/s, IOPS".
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void fail(const char *what, const char *path)
{
    fprintf(stderr, "blkbench: %s %s: %s\n", what, path, strerror(errno));
    exit(1);
}

static void report(const char *name, unsigned long long bytes, long reqs, double t)
{
    printf("%s: %llu bytes, %ld requests in %.3f s, %.1f MiB/s, %.0f IOPS\n",
           name, bytes, reqs, t, t > 0 ? bytes / 1048576.0 / t : 0.0,
           t > 0 ? reqs / t : 0.0);
}

int main(int argc, char **argv)
{
    const char *m = argc == 5 ? argv[1] : "", *path = argv[2];
    long mib, arg, reqs = 0;
    size_t bs;
    void *buf;
    double t0;
    int fd;

    if (strcmp(m, "write") && strcmp(m, "read") && strcmp(m, "randread")) {
        fprintf(stderr, "usage: blkbench write|read|randread PATH MIB BLOCK_KIB|COUNT\n");
        return 2;
    }
    mib = atol(argv[3]);
    arg = atol(argv[4]);
    bs = strcmp(m, "randread") ? (size_t)arg * 1024 : 4096;
    if (mib <= 0 || arg <= 0 || bs > (64 << 20) || (mib << 20) % bs) {
        fprintf(stderr, "blkbench: bad size or count\n");
        return 2;
    }
    if (posix_memalign(&buf, 4096, bs)) {
        fail("memalign", path);
    }
    memset(buf, 0x5a, bs);
    fd = open(path, (strcmp(m, "write") ? O_RDONLY : O_WRONLY) | O_DIRECT);
    if (fd < 0) {
        fail("open", path);
    }

    t0 = now();
    if (!strcmp(m, "randread")) {
        unsigned int x = 12345;
        long blocks = (mib << 20) / 4096;

        for (reqs = 0; reqs < arg; reqs++) {
            x = x * 1103515245u + 12345u;
            if (pread(fd, buf, 4096, (off_t)((x >> 4) % blocks) * 4096) != 4096) {
                fail("read", path);
            }
        }
        report("randread", (unsigned long long)arg * 4096, reqs, now() - t0);
        return 0;
    }
    for (off_t off = 0; off < (off_t)mib << 20; off += bs, reqs++) {
        ssize_t r = strcmp(m, "write") ? pread(fd, buf, bs, off) : pwrite(fd, buf, bs, off);

        if (r != (ssize_t)bs) {
            fail(m, path);
        }
    }
    if (!strcmp(m, "write") && fdatasync(fd)) {
        fail("fdatasync", path);
    }
    report(m, (unsigned long long)mib << 20, reqs, now() - t0);
    return 0;
}
