/*
 * A four-word ARM guest for the armkvm qtests: it asks PSCI for SYSTEM_OFF
 * through HVC, the conduit armkvm-virt advertises.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef ARMKVM_POWEROFF_BLOB_H
#define ARMKVM_POWEROFF_BLOB_H

static const uint32_t armkvm_poweroff_code[] = {
    0xe59f0004, /* ldr r0, [pc, #4]      @ the literal below */
    0xe1400070, /* hvc #0                @ PSCI call */
    0xeafffffe, /* b .                   @ PSCI failed: spin */
    0x84000008, /* PSCI_0_2_FN_SYSTEM_OFF */
};

/* Writes the guest to a temporary file; the caller unlinks and frees it. */
static inline char *armkvm_write_poweroff_blob(void)
{
    char *path = NULL;
    uint32_t le[ARRAY_SIZE(armkvm_poweroff_code)];
    int fd = g_file_open_tmp("armkvm-poweroff-XXXXXX", &path, NULL);

    g_assert(fd >= 0);
    for (size_t i = 0; i < ARRAY_SIZE(le); i++) {
        le[i] = cpu_to_le32(armkvm_poweroff_code[i]);
    }
    g_assert(write(fd, le, sizeof(le)) == sizeof(le));
    close(fd);
    return path;
}

#endif
