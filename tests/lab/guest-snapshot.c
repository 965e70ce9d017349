/*
 * In the Linux guest (armkvm.test=snapshot): state a snapshot must keep. An
 * 8 MiB buffer of a generator's words and its digest; then ROUNDS rounds,
 * each appending 64 KiB of further words to a file in tmpfs and checking the
 * buffer again, a line per round with a pause after it, for the host to save,
 * restore or roll the VM back meanwhile (tests/lab/snapshot-linux.sh). At the
 * end the file is read back and compared with its words generated again. No
 * line depends on timing or on where the VM was saved, so the lines are the
 * same under TCG without any snapshot.
 *
 * usage: guest-snapshot [ROUNDS]
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define BUFFER_WORDS  ((8u << 20) / 4)
#define BLOCK_WORDS   ((64u << 10) / 4)
#define FILE_PATH     "/tmp/snapshot.file"

/* xorshift32: the words of stream SEED. */
static void generate(uint32_t *w, size_t n, uint32_t seed)
{
    uint32_t x = seed * 2654435761u + 1;

    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        w[i] = x;
    }
}

/* FNV-1a over words, 64-bit. */
static uint64_t digest(const uint32_t *w, size_t n, uint64_t h)
{
    for (size_t i = 0; i < n; i++) {
        h ^= w[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

#define FNV_BASIS 0xcbf29ce484222325ull

static int file_matches(int rounds, uint64_t *file_digest, long *bytes)
{
    static uint32_t want[BLOCK_WORDS], got[BLOCK_WORDS];
    int fd = open(FILE_PATH, O_RDONLY), ok = fd >= 0;
    uint64_t h = FNV_BASIS;

    *bytes = 0;
    for (int r = 0; ok && r < rounds; r++) {
        ssize_t n = read(fd, got, sizeof(got));

        generate(want, BLOCK_WORDS, 2 + r);
        ok = n == sizeof(got);
        for (size_t i = 0; ok && i < BLOCK_WORDS; i++) {
            ok = got[i] == want[i];
        }
        if (n > 0) {
            *bytes += n;
            h = digest(got, n / 4, h);
        }
    }
    if (ok && read(fd, got, 1) != 0) {
        ok = 0;                         /* more than was written */
    }
    if (fd >= 0) {
        close(fd);
    }
    *file_digest = h;
    return ok;
}

int main(int argc, char **argv)
{
    static uint32_t block[BLOCK_WORDS];
    int rounds = argc > 1 ? atoi(argv[1]) : 20, changed = 0, fd;
    uint32_t *buffer = malloc(BUFFER_WORDS * 4);
    uint64_t mem, file_digest;
    long bytes;

    setvbuf(stdout, NULL, _IOLBF, 0);
    if (!buffer || rounds < 1 || rounds > 1000) {
        fprintf(stderr, "usage: %s [ROUNDS: 1-1000]\n", argv[0]);
        return 2;
    }
    generate(buffer, BUFFER_WORDS, 1);
    mem = digest(buffer, BUFFER_WORDS, FNV_BASIS);
    printf("snapshot: memory 8 MiB, digest %016llx\n", (unsigned long long)mem);
    fd = open(FILE_PATH, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        perror(FILE_PATH);
        return 1;
    }
    for (int r = 0; r < rounds; r++) {
        generate(block, BLOCK_WORDS, 2 + r);
        if (write(fd, block, sizeof(block)) != sizeof(block)) {
            perror("write");
            return 1;
        }
        changed += digest(buffer, BUFFER_WORDS, FNV_BASIS) != mem;
        printf("snapshot: round %d\n", r + 1);
        usleep(250000);
    }
    close(fd);
    printf("snapshot: memory after %d rounds: %s\n", rounds,
           changed ? "CHANGED" : "the same");
    printf("snapshot: file as written: %s",
           file_matches(rounds, &file_digest, &bytes) ? "yes" : "NO");
    printf(", %ld bytes, digest %016llx\n", bytes,
           (unsigned long long)file_digest);
    printf("snapshot: done\n");
    return 0;
}
