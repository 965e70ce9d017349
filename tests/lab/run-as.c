/*
 * Runs a command as another user, for the lab's tests of what a user
 * without privileges may do: run-as UID GID COMMAND [ARG]... drops every
 * supplementary group, then takes GID and UID (and with them every
 * capability), keeping the resource limits it was given.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    uid_t uid;
    gid_t gid;

    if (argc < 4) {
        fprintf(stderr, "usage: run-as UID GID COMMAND [ARG]...\n");
        return 2;
    }
    uid = strtoul(argv[1], NULL, 0);
    gid = strtoul(argv[2], NULL, 0);
    if (setgroups(0, NULL) || setgid(gid) || setuid(uid)) {
        perror("run-as");
        return 2;
    }
    if (setuid(0) == 0) {
        fprintf(stderr, "run-as: still root\n");
        return 2;
    }
    execvp(argv[3], argv + 3);
    perror(argv[3]);
    return 127;
}
