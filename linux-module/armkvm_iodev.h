/* SPDX-License-Identifier: GPL-2.0 */
/*
 * armkvm host module: the VM's in-kernel device bus. A device the module
 * serves itself (the interrupt controller, ioeventfd doorbells) registers
 * the guest-physical range it answers; a device access the guest makes
 * there is served in the kernel, any other goes to userspace.
 *
 * Copyright (c) 2026 The armkvm developers
 */
#ifndef ARMKVM_IODEV_H
#define ARMKVM_IODEV_H

#include <linux/types.h>
#include <linux/armkvm.h>

struct armkvm_vm;
struct armkvm_iodev;

struct armkvm_iodev_ops {
	/*
	 * One access of len (1, 2 or 4) bytes at pa, inside the device's
	 * range; returns what a load reads (ignored for a store). Called with
	 * the bus read-locked (RCU): it must not sleep.
	 */
	u32 (*access)(struct armkvm_iodev *dev, u32 pa, unsigned int len, bool write, u32 val);
	/*
	 * Optional: a device that takes only some accesses of its range (an
	 * ioeventfd: a store of one length and value at its base). Such a
	 * device serves the single accesses it matches, never an instruction's
	 * several ones; several may share a range, none may overlap a device
	 * without the hook.
	 * Called under RCU like access.
	 */
	bool (*match)(struct armkvm_iodev *dev, u32 pa, unsigned int len, bool write, u32 val);
};

struct armkvm_iodev {
	u32 base;			/* guest-physical */
	u32 size;			/* bytes, > 0; base + size - 1 fits in 32 bits */
	const struct armkvm_iodev_ops *ops;
};

/* Devices per VM: the GIC's two regions, room for more, and the ioeventfds. */
#define ARMKVM_IODEV_MAX	(8 + ARMKVM_IOEVENTFD_MAX)

/*
 * Both with vm->lock held. -EINVAL: a bad range; -EEXIST: it overlaps one
 * (two devices with a match hook may overlap); -ENOSPC: bus full.
 */
int armkvm_iodev_register(struct armkvm_vm *vm, struct armkvm_iodev *dev);
/* Returns once no access to dev is in flight: the caller may free it then. */
void armkvm_iodev_unregister(struct armkvm_vm *vm, struct armkvm_iodev *dev);

/*
 * The device that answers the whole of [pa, pa + count * len): count
 * accesses of len bytes, the first (if a store) of val; or NULL. Call and
 * use the result between rcu_read_lock() and rcu_read_unlock().
 */
struct armkvm_iodev *armkvm_iodev_find(struct armkvm_vm *vm, u32 pa, unsigned int len,
				       unsigned int count, bool write, u32 val);

void armkvm_iodev_bus_free(struct armkvm_vm *vm);

#endif
