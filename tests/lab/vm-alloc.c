/*
 * Creates one privileged-mode VM with N MiB of guest RAM and says how it
 * went: "vm-alloc N MiB: ok" or the errno's name. For the RAM limit tests
 * (the module's max_guest_ram_mb, the caller's memory cgroup).
 *
 * usage: vm-alloc MIB
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
#include <unistd.h>
#include <linux/armkvm.h>

int main(int argc, char **argv)
{
    struct armkvm_vm_config cfg = {
        .mode = ARMKVM_VM_MODE_PRIVILEGED, .ram_gpa = 0x40000000,
    };
    int fd, vm;

    if (argc != 2) {
        fprintf(stderr, "usage: vm-alloc MIB\n");
        return 2;
    }
    cfg.ram_size = strtoull(argv[1], NULL, 0) << 20;
    fd = open("/dev/armkvm", O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        printf("vm-alloc: open /dev/armkvm: %s\n", strerror(errno));
        return 2;
    }
    vm = ioctl(fd, ARMKVM_CREATE_VM, &cfg);
    printf("vm-alloc %s MiB: %s\n", argv[1],
           vm >= 0 ? "ok" : errno == ENOMEM ? "ENOMEM" : strerror(errno));
    return vm >= 0 ? 0 : 1;
}
