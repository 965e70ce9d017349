/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * armkvm: the /dev/armkvm ioctl ABI, shared by the host module and QEMU.
 *
 * This header is the single definition of the ABI: linux-module/ and
 * accel/armkvm/ both include it. Any change to it bumps ARMKVM_API_VERSION.
 * docs/abi.md describes each call.
 *
 * Copyright (c) 2026 The armkvm developers
 */

#ifndef _UAPI_LINUX_ARMKVM_H
#define _UAPI_LINUX_ARMKVM_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define ARMKVM_API_VERSION	1

/* Outside KVM's 0xAE: an armkvm fd never answers KVM's calls by accident. */
#define ARMKVMIO		0xAF

/* ioctls on /dev/armkvm */

/* Returns ARMKVM_API_VERSION of the loaded module; takes no argument. */
#define ARMKVM_GET_API_VERSION	_IO(ARMKVMIO, 0x00)

#endif /* _UAPI_LINUX_ARMKVM_H */
