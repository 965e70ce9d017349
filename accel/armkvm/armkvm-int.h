/*
 * armkvm accelerator: state shared by the files of accel/armkvm.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef ACCEL_ARMKVM_INT_H
#define ACCEL_ARMKVM_INT_H

#include "qom/object.h"

#define TYPE_ARMKVM_ACCEL ACCEL_CLASS_NAME("armkvm")
/* armkvm is TCG plus native execution: it subclasses QEMU's TCG accelerator. */
#define TYPE_ARMKVM_PARENT_ACCEL ACCEL_CLASS_NAME("tcg")

/* How guest CPUs run; "auto" picks native execution whenever it can. */
typedef enum ArmkvmMode {
    ARMKVM_MODE_AUTO,
    ARMKVM_MODE_PRIVILEGED,
    ARMKVM_MODE_ISOLATED,
    ARMKVM_MODE_TRUSTZONE,
    ARMKVM_MODE_TCG,
    ARMKVM_MODE__MAX
} ArmkvmMode;

/* The host side: /dev/armkvm, once opened and its ABI checked. */
typedef struct ArmkvmDevice {
    int fd;
    int api_version;
} ArmkvmDevice;

int armkvm_device_open(ArmkvmDevice *dev, Error **errp);
void armkvm_device_close(ArmkvmDevice *dev);

#endif
