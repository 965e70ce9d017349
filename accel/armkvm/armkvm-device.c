/*
 * armkvm accelerator: finding and checking the host module, /dev/armkvm.
 *
 * Each failure names what is missing, so a user knows whether to load the
 * module, update it, or run on another host.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "armkvm-int.h"

#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <linux/armkvm.h>

#define ARMKVM_DEVICE_PATH "/dev/armkvm"

static bool armkvm_host_is_armv6_or_v7(Error **errp)
{
    struct utsname u;

    if (uname(&u) < 0) {
        error_setg_errno(errp, errno, "armkvm: cannot read the host's "
                         "architecture (uname)");
        return false;
    }
    if (!g_str_has_prefix(u.machine, "armv6") &&
        !g_str_has_prefix(u.machine, "armv7")) {
        error_setg(errp, "armkvm: this host is not an ARMv6/ARMv7 machine "
                   "(it is %s): guests can only run under TCG here "
                   "(-accel armkvm,mode=tcg or -accel tcg)", u.machine);
        return false;
    }
    return true;
}

int armkvm_device_open(ArmkvmDevice *dev, Error **errp)
{
    int fd, version;

    dev->fd = -1;
    if (!armkvm_host_is_armv6_or_v7(errp)) {
        return -ENODEV;
    }

    fd = open(ARMKVM_DEVICE_PATH, O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        int err = errno;

        if (err == ENOENT || err == ENODEV || err == ENXIO) {
            error_setg(errp, "armkvm: %s is missing: the armkvm kernel module "
                       "is not loaded (modprobe armkvm)", ARMKVM_DEVICE_PATH);
        } else if (err == EACCES || err == EPERM) {
            error_setg(errp, "armkvm: no permission to open %s: isolated "
                       "mode needs the group the administrator gives it to "
                       "(as /dev/kvm's), privileged mode root "
                       "(CAP_SYS_RAWIO); anyone may run guests under TCG "
                       "(-accel tcg)", ARMKVM_DEVICE_PATH);
        } else {
            error_setg_errno(errp, err, "armkvm: cannot open %s",
                             ARMKVM_DEVICE_PATH);
        }
        return -err;
    }

    version = ioctl(fd, ARMKVM_GET_API_VERSION, 0);
    if (version < 0) {
        int err = errno;

        error_setg_errno(errp, err, "armkvm: %s does not answer "
                         "ARMKVM_GET_API_VERSION: is it the armkvm module?",
                         ARMKVM_DEVICE_PATH);
        close(fd);
        return -err;
    }
    if (version != ARMKVM_API_VERSION) {
        error_setg(errp, "armkvm: ABI version mismatch: the loaded module "
                   "speaks version %d, this QEMU needs version %d: load the "
                   "module built with this QEMU", version, ARMKVM_API_VERSION);
        close(fd);
        return -EPROTO;
    }

    dev->fd = fd;
    dev->api_version = version;
    return 0;
}

void armkvm_device_close(ArmkvmDevice *dev)
{
    if (dev->fd >= 0) {
        close(dev->fd);
        dev->fd = -1;
    }
}
