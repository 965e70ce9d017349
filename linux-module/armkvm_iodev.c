// SPDX-License-Identifier: GPL-2.0
/*
 * armkvm host module: the VM's in-kernel device bus (armkvm_iodev.h). The
 * bus is an array replaced whole on each change and read under RCU, so the
 * device-access path takes no lock of its own (as KVM's kvm_io_bus).
 *
 * Copyright (c) 2026 The armkvm developers
 */
#include <linux/errno.h>
#include <linux/lockdep.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

#include "armkvm_internal.h"

struct armkvm_io_bus {
	struct rcu_head rcu;
	unsigned int count;
	struct armkvm_iodev *dev[ARMKVM_IODEV_MAX];
};

static struct armkvm_io_bus *armkvm_bus_locked(struct armkvm_vm *vm)
{
	return rcu_dereference_protected(vm->io_bus, lockdep_is_held(&vm->lock));
}

/* A copy of the bus with room for one more, or NULL. */
static struct armkvm_io_bus *armkvm_bus_copy(const struct armkvm_io_bus *old)
{
	struct armkvm_io_bus *bus = kzalloc(sizeof(*bus), GFP_KERNEL_ACCOUNT);

	if (bus && old) {
		bus->count = old->count;
		memcpy(bus->dev, old->dev, sizeof(bus->dev));
	}
	return bus;
}

static bool armkvm_ranges_overlap(const struct armkvm_iodev *a, const struct armkvm_iodev *b)
{
	/* Inclusive ends: base + size - 1 cannot overflow (checked at registration). */
	return a->base <= b->base + (b->size - 1) && b->base <= a->base + (a->size - 1);
}

int armkvm_iodev_register(struct armkvm_vm *vm, struct armkvm_iodev *dev)
{
	struct armkvm_io_bus *old = armkvm_bus_locked(vm), *bus;
	unsigned int i;

	if (!dev->size || dev->base > U32_MAX - (dev->size - 1) || !dev->ops || !dev->ops->access)
		return -EINVAL;
	if (old && old->count >= ARMKVM_IODEV_MAX)
		return -ENOSPC;
	for (i = 0; old && i < old->count; i++)
		if ((!old->dev[i]->ops->match || !dev->ops->match) &&
		    armkvm_ranges_overlap(old->dev[i], dev))
			return -EEXIST;
	bus = armkvm_bus_copy(old);
	if (!bus)
		return -ENOMEM;
	bus->dev[bus->count++] = dev;
	rcu_assign_pointer(vm->io_bus, bus);
	if (old)
		kfree_rcu(old, rcu);
	return 0;
}

void armkvm_iodev_unregister(struct armkvm_vm *vm, struct armkvm_iodev *dev)
{
	struct armkvm_io_bus *old = armkvm_bus_locked(vm), *bus;
	unsigned int i, j;

	if (!old)
		return;
	bus = kzalloc(sizeof(*bus), GFP_KERNEL_ACCOUNT | __GFP_NOFAIL);
	for (i = 0, j = 0; i < old->count; i++)
		if (old->dev[i] != dev)
			bus->dev[j++] = old->dev[i];
	bus->count = j;
	rcu_assign_pointer(vm->io_bus, bus);
	synchronize_rcu();		/* no reader holds dev any more */
	kfree(old);
}

struct armkvm_iodev *armkvm_iodev_find(struct armkvm_vm *vm, u32 pa, unsigned int len,
				       unsigned int count, bool write, u32 val)
{
	const struct armkvm_io_bus *bus = rcu_dereference(vm->io_bus);
	u32 span = 4 * (count - 1) + len;
	struct armkvm_iodev *dev;
	unsigned int i;

	for (i = 0; bus && i < bus->count; i++) {
		dev = bus->dev[i];
		/* One with a match hook decides alone (an ioeventfd: its address, any length). */
		if (dev->ops->match) {
			if (count == 1 && dev->ops->match(dev, pa, len, write, val))
				return dev;
		} else if (pa - dev->base < dev->size && span <= dev->size - (pa - dev->base)) {
			return dev;
		}
	}
	return NULL;
}

/* At VM destruction: no vCPU exists, nothing reads the bus. */
void armkvm_iodev_bus_free(struct armkvm_vm *vm)
{
	kfree(rcu_dereference_protected(vm->io_bus, 1));
}
