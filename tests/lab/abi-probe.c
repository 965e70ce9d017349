/*
 * Runs in the lab against /dev/armkvm: the ABI version call, its argument
 * check, unknown ioctls and file operations the device does not have, then
 * thousands of random ioctls. Prints one line per check; the lab test
 * compares them with what the ABI promises.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/armkvm.h>

#define FUZZ_ROUNDS 20000

static const char *err_name(int err)
{
    switch (err) {
    case 0: return "ok";
    case EINVAL: return "EINVAL";
    case ENOTTY: return "ENOTTY";
    case ENODEV: return "ENODEV";
    case EFAULT: return "EFAULT";
    default: return strerror(err);
    }
}

static void report(const char *what, long ret)
{
    printf("%s: %s\n", what, ret < 0 ? err_name(errno) : "ok");
}

int main(void)
{
    char buf[16];
    unsigned int seed = 0x61726d6b;
    int fd = open("/dev/armkvm", O_RDWR | O_CLOEXEC);
    int version, unexpected = 0;

    if (fd < 0) {
        printf("open /dev/armkvm: %s\n", strerror(errno));
        return 1;
    }
    version = ioctl(fd, ARMKVM_GET_API_VERSION, 0);
    printf("api-version: %d (header %d)\n", version, ARMKVM_API_VERSION);
    report("api-version with an argument", ioctl(fd, ARMKVM_GET_API_VERSION, 1));
    report("unknown armkvm ioctl", ioctl(fd, _IO(ARMKVMIO, 0x7f), 0));
    report("KVM's KVM_GET_API_VERSION", ioctl(fd, _IO(0xAE, 0x00), 0));
    report("a tty ioctl", ioctl(fd, TCGETS, buf));
    report("read", read(fd, buf, sizeof(buf)));
    report("write", write(fd, buf, sizeof(buf)));
    report("mmap", (long)(mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0)
                          == MAP_FAILED ? -1 : 0));

    /* Random commands and arguments: each must fail cleanly or be the version call. */
    for (int i = 0; i < FUZZ_ROUNDS; i++) {
        unsigned int cmd = (unsigned int)rand_r(&seed) << 1 ^ rand_r(&seed);
        unsigned long arg = (unsigned long)rand_r(&seed) << 1 ^ rand_r(&seed);
        int ret;

        if (i % 4 == 0) {
            cmd = (cmd & ~0xff00u) | (ARMKVMIO << 8);   /* our type byte */
        }
        ret = ioctl(fd, cmd, arg);
        if (cmd == ARMKVM_GET_API_VERSION) {
            continue;
        }
        if (ret >= 0 || (errno != ENOTTY && errno != EINVAL)) {
            printf("fuzz: ioctl 0x%08x arg 0x%08lx: %d %s\n", cmd, arg, ret,
                   err_name(errno));
            unexpected++;
        }
    }
    printf("fuzz: %d ioctls, %d unexpected\n", FUZZ_ROUNDS, unexpected);
    close(fd);
    return unexpected ? 1 : 0;
}
