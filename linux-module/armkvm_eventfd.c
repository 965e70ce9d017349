// SPDX-License-Identifier: GPL-2.0
/*
 * armkvm host module: notifications that do not go through userspace, as
 * KVM's virt/kvm/eventfd.c has them.
 *
 * ARMKVM_IOEVENTFD: an eventfd a guest store signals. Each one is a device
 * on the VM's bus (armkvm_iodev.h) with a match hook: the vCPU thread finds
 * it under RCU when the guest's store faults, signals the eventfd and
 * re-enters the guest without an exit. Changes happen under vm->lock and
 * wait for readers (armkvm_iodev_unregister) before the eventfd is put.
 *
 * ARMKVM_IRQFD: an eventfd whose signal makes an SPI of the in-kernel GIC
 * pending. The eventfd's wake-up callback runs in atomic context, with the
 * eventfd's wait-queue lock held and interrupts off; the GIC's lock is taken
 * with interrupts on elsewhere, so the callback only schedules a work item
 * that injects. The eventfd closing (EPOLLHUP), DEASSIGN and the VM's end
 * detach the irqfd: off the VM's list under its lock, then a shutdown work
 * item on armkvm_irqfd_wq removes the wait-queue entry, waits for the
 * injection work and frees it. DEASSIGN and the VM's end flush that queue,
 * so nothing of an irqfd runs after them.
 *
 * eventfd_objects counts the live ioeventfds and irqfds of all VMs (a
 * read-only module parameter): 0 once every VM is gone. ioeventfd_signals
 * counts the stores served by an ioeventfd.
 *
 * Copyright (c) 2026 The armkvm developers
 */
#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/list.h>
#include <linux/moduleparam.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "armkvm_internal.h"

static atomic_t armkvm_eventfd_objects = ATOMIC_INIT(0);
static atomic_long_t armkvm_ioeventfd_signals = ATOMIC_LONG_INIT(0);

static int armkvm_get_eventfd_objects(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&armkvm_eventfd_objects));
}

static int armkvm_get_ioeventfd_signals(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%lu\n", (unsigned long)atomic_long_read(&armkvm_ioeventfd_signals));
}

static const struct kernel_param_ops armkvm_eventfd_objects_ops = {
	.get = armkvm_get_eventfd_objects,
};

static const struct kernel_param_ops armkvm_ioeventfd_signals_ops = {
	.get = armkvm_get_ioeventfd_signals,
};

module_param_cb(eventfd_objects, &armkvm_eventfd_objects_ops, NULL, 0444);
MODULE_PARM_DESC(eventfd_objects, "live ioeventfds and irqfds of all VMs (read-only)");
module_param_cb(ioeventfd_signals, &armkvm_ioeventfd_signals_ops, NULL, 0444);
MODULE_PARM_DESC(ioeventfd_signals, "guest stores served by an ioeventfd (read-only)");

/* ioeventfds */

struct armkvm_ioeventfd_dev {
	struct list_head list;		/* vm->ioeventfds, under vm->lock */
	struct armkvm_iodev dev;
	struct eventfd_ctx *eventfd;
	u32 addr;
	u32 datamatch;
	u8 len;				/* 0: any */
	bool wildcard;			/* no DATAMATCH */
};

static struct armkvm_ioeventfd_dev *to_ioeventfd(struct armkvm_iodev *dev)
{
	return container_of(dev, struct armkvm_ioeventfd_dev, dev);
}

static bool armkvm_ioeventfd_match(struct armkvm_iodev *dev, u32 pa, unsigned int len,
				   bool write, u32 val)
{
	struct armkvm_ioeventfd_dev *p = to_ioeventfd(dev);

	return write && pa == p->addr && (!p->len || len == p->len) &&
	       (p->wildcard || val == p->datamatch);
}

static u32 armkvm_ioeventfd_access(struct armkvm_iodev *dev, u32 pa, unsigned int len,
				   bool write, u32 val)
{
	eventfd_signal(to_ioeventfd(dev)->eventfd, 1);
	atomic_long_inc(&armkvm_ioeventfd_signals);
	return 0;
}

static const struct armkvm_iodev_ops armkvm_ioeventfd_ops = {
	.access = armkvm_ioeventfd_access,
	.match = armkvm_ioeventfd_match,
};

/* Two that some store would match both of (KVM's ioeventfd_check_collision). */
static bool armkvm_ioeventfd_collide(const struct armkvm_ioeventfd_dev *a,
				     const struct armkvm_ioeventfd_dev *b)
{
	return a->addr == b->addr && (!a->len || !b->len || a->len == b->len) &&
	       (a->wildcard || b->wildcard || a->datamatch == b->datamatch);
}

static void armkvm_ioeventfd_free(struct armkvm_ioeventfd_dev *p)
{
	eventfd_ctx_put(p->eventfd);
	kfree(p);
	atomic_dec(&armkvm_eventfd_objects);
}

static int armkvm_ioeventfd_check(const struct armkvm_ioeventfd *args)
{
	unsigned int i;

	if (args->flags & ~(ARMKVM_IOEVENTFD_FLAG_DATAMATCH | ARMKVM_IOEVENTFD_FLAG_DEASSIGN))
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(args->pad); i++)
		if (args->pad[i])
			return -EINVAL;
	if (args->len != 0 && args->len != 1 && args->len != 2 && args->len != 4)
		return -EINVAL;
	/* Below 4 GiB, whole, and aligned: the module serves aligned accesses only. */
	if (args->addr > U32_MAX || (args->len && args->addr > U32_MAX - (args->len - 1)) ||
	    (args->len && (args->addr & (args->len - 1))))
		return -EINVAL;
	if (args->flags & ARMKVM_IOEVENTFD_FLAG_DATAMATCH) {
		/* A store of len bytes can only carry a value that fits in them. */
		if (!args->len || (args->len < 4 && args->datamatch >> (8 * args->len)) ||
		    args->datamatch > U32_MAX)
			return -EINVAL;
	} else if (args->datamatch) {
		return -EINVAL;
	}
	return 0;
}

static int armkvm_ioeventfd_assign(struct armkvm_vm *vm, const struct armkvm_ioeventfd *args)
{
	struct armkvm_ioeventfd_dev *p, *q;
	struct eventfd_ctx *eventfd;
	int ret;

	eventfd = eventfd_ctx_fdget(args->fd);
	if (IS_ERR(eventfd))
		return PTR_ERR(eventfd);
	p = kzalloc(sizeof(*p), GFP_KERNEL_ACCOUNT);
	if (!p) {
		eventfd_ctx_put(eventfd);
		return -ENOMEM;
	}
	atomic_inc(&armkvm_eventfd_objects);
	p->eventfd = eventfd;
	p->addr = args->addr;
	p->len = args->len;
	p->wildcard = !(args->flags & ARMKVM_IOEVENTFD_FLAG_DATAMATCH);
	p->datamatch = args->datamatch;
	p->dev.base = p->addr;
	p->dev.size = p->len ? p->len : 1;
	p->dev.ops = &armkvm_ioeventfd_ops;

	mutex_lock(&vm->lock);
	ret = -ENOSPC;
	if (vm->nr_ioeventfds >= ARMKVM_IOEVENTFD_MAX)
		goto fail;
	ret = -EEXIST;
	list_for_each_entry(q, &vm->ioeventfds, list)
		if (armkvm_ioeventfd_collide(p, q))
			goto fail;
	ret = armkvm_iodev_register(vm, &p->dev);
	if (ret)
		goto fail;
	list_add_tail(&p->list, &vm->ioeventfds);
	vm->nr_ioeventfds++;
	mutex_unlock(&vm->lock);
	return 0;
fail:
	mutex_unlock(&vm->lock);
	armkvm_ioeventfd_free(p);
	return ret;
}

static int armkvm_ioeventfd_deassign(struct armkvm_vm *vm, const struct armkvm_ioeventfd *args)
{
	bool wildcard = !(args->flags & ARMKVM_IOEVENTFD_FLAG_DATAMATCH);
	struct armkvm_ioeventfd_dev *p;
	struct eventfd_ctx *eventfd;
	int ret = -ENOENT;

	eventfd = eventfd_ctx_fdget(args->fd);
	if (IS_ERR(eventfd))
		return PTR_ERR(eventfd);
	mutex_lock(&vm->lock);
	list_for_each_entry(p, &vm->ioeventfds, list) {
		if (p->eventfd != eventfd || p->addr != args->addr || p->len != args->len ||
		    p->wildcard != wildcard || (!wildcard && p->datamatch != args->datamatch))
			continue;
		/* Returns once no vCPU can be in its access any more. */
		armkvm_iodev_unregister(vm, &p->dev);
		list_del(&p->list);
		vm->nr_ioeventfds--;
		armkvm_ioeventfd_free(p);
		ret = 0;
		break;
	}
	mutex_unlock(&vm->lock);
	eventfd_ctx_put(eventfd);
	return ret;
}

static long armkvm_ioeventfd_ioctl(struct armkvm_vm *vm, void __user *argp)
{
	struct armkvm_ioeventfd args;
	int ret;

	if (copy_from_user(&args, argp, sizeof(args)))
		return -EFAULT;
	ret = armkvm_ioeventfd_check(&args);
	if (ret)
		return ret;
	if (args.flags & ARMKVM_IOEVENTFD_FLAG_DEASSIGN)
		return armkvm_ioeventfd_deassign(vm, &args);
	return armkvm_ioeventfd_assign(vm, &args);
}

/* irqfds */

static struct workqueue_struct *armkvm_irqfd_wq;

struct armkvm_irqfd_obj {
	struct armkvm_vm *vm;
	struct eventfd_ctx *eventfd;
	u32 intid;
	wait_queue_entry_t wait;
	wait_queue_head_t *wqh;
	poll_table pt;
	struct work_struct inject;
	struct work_struct shutdown;
	struct list_head list;		/* vm->irqfds, under vm->irqfds_lock; empty once detached */
};

static void armkvm_irqfd_inject(struct work_struct *work)
{
	struct armkvm_irqfd_obj *irqfd = container_of(work, struct armkvm_irqfd_obj, inject);

	armkvm_vgic_pulse_spi(armkvm_vm_vgic(irqfd->vm), irqfd->intid);
}

static void armkvm_irqfd_shutdown(struct work_struct *work)
{
	struct armkvm_irqfd_obj *irqfd = container_of(work, struct armkvm_irqfd_obj, shutdown);
	u64 cnt;

	/* After this no wake-up can queue the injection again. */
	eventfd_ctx_remove_wait_queue(irqfd->eventfd, &irqfd->wait, &cnt);
	flush_work(&irqfd->inject);
	eventfd_ctx_put(irqfd->eventfd);
	kfree(irqfd);
	atomic_dec(&armkvm_eventfd_objects);
}

/* With vm->irqfds_lock held. */
static bool armkvm_irqfd_is_active(struct armkvm_irqfd_obj *irqfd)
{
	return !list_empty(&irqfd->list);
}

/* With vm->irqfds_lock held: off the list, and freed by the shutdown work. */
static void armkvm_irqfd_deactivate(struct armkvm_irqfd_obj *irqfd)
{
	list_del_init(&irqfd->list);
	irqfd->vm->nr_irqfds--;
	queue_work(armkvm_irqfd_wq, &irqfd->shutdown);
}

/* The eventfd's wake-up: atomic context, its wait-queue lock held. */
static int armkvm_irqfd_wakeup(wait_queue_entry_t *wait, unsigned int mode, int sync, void *key)
{
	struct armkvm_irqfd_obj *irqfd = container_of(wait, struct armkvm_irqfd_obj, wait);
	__poll_t flags = key_to_poll(key);
	struct armkvm_vm *vm = irqfd->vm;
	unsigned long irqflags;
	u64 cnt;

	if (flags & EPOLLIN) {
		eventfd_ctx_do_read(irqfd->eventfd, &cnt);
		schedule_work(&irqfd->inject);
	}
	if (flags & EPOLLHUP) {
		/* The eventfd is going away: detach, unless DEASSIGN or the VM's end did. */
		spin_lock_irqsave(&vm->irqfds_lock, irqflags);
		if (armkvm_irqfd_is_active(irqfd))
			armkvm_irqfd_deactivate(irqfd);
		spin_unlock_irqrestore(&vm->irqfds_lock, irqflags);
	}
	return 0;
}

static void armkvm_irqfd_ptable_queue(struct file *file, wait_queue_head_t *wqh, poll_table *pt)
{
	struct armkvm_irqfd_obj *irqfd = container_of(pt, struct armkvm_irqfd_obj, pt);

	irqfd->wqh = wqh;
	add_wait_queue(wqh, &irqfd->wait);
}

static int armkvm_irqfd_assign(struct armkvm_vm *vm, const struct armkvm_irqfd *args)
{
	struct armkvm_irqfd_obj *irqfd, *q;
	struct eventfd_ctx *eventfd;
	__poll_t events;
	struct fd f;
	int ret;

	f = fdget(args->fd);
	if (!f.file)
		return -EBADF;
	eventfd = eventfd_ctx_fileget(f.file);
	if (IS_ERR(eventfd)) {
		ret = PTR_ERR(eventfd);
		goto out;
	}
	irqfd = kzalloc(sizeof(*irqfd), GFP_KERNEL_ACCOUNT);
	if (!irqfd) {
		eventfd_ctx_put(eventfd);
		ret = -ENOMEM;
		goto out;
	}
	atomic_inc(&armkvm_eventfd_objects);
	irqfd->vm = vm;
	irqfd->eventfd = eventfd;
	irqfd->intid = 32 + args->gsi;
	INIT_LIST_HEAD(&irqfd->list);
	INIT_WORK(&irqfd->inject, armkvm_irqfd_inject);
	INIT_WORK(&irqfd->shutdown, armkvm_irqfd_shutdown);
	init_waitqueue_func_entry(&irqfd->wait, armkvm_irqfd_wakeup);
	init_poll_funcptr(&irqfd->pt, armkvm_irqfd_ptable_queue);

	mutex_lock(&vm->lock);
	spin_lock_irq(&vm->irqfds_lock);
	ret = -ENOSPC;
	if (vm->nr_irqfds >= ARMKVM_IRQFD_MAX)
		goto fail;
	ret = -EEXIST;
	list_for_each_entry(q, &vm->irqfds, list)
		if (q->eventfd == eventfd)
			goto fail;
	list_add_tail(&irqfd->list, &vm->irqfds);
	vm->nr_irqfds++;
	spin_unlock_irq(&vm->irqfds_lock);

	/*
	 * On the eventfd's wait queue from here: a signal already counted
	 * injects now. vm->lock keeps DEASSIGN from detaching it before the
	 * entry is added; the VM cannot end and the eventfd cannot close (its
	 * HUP) while this call holds their files.
	 */
	events = vfs_poll(f.file, &irqfd->pt);
	if (events & EPOLLIN)
		schedule_work(&irqfd->inject);
	mutex_unlock(&vm->lock);
	ret = 0;
	goto out;
fail:
	spin_unlock_irq(&vm->irqfds_lock);
	mutex_unlock(&vm->lock);
	eventfd_ctx_put(eventfd);
	kfree(irqfd);
	atomic_dec(&armkvm_eventfd_objects);
out:
	fdput(f);
	return ret;
}

static int armkvm_irqfd_deassign(struct armkvm_vm *vm, const struct armkvm_irqfd *args)
{
	struct armkvm_irqfd_obj *irqfd, *tmp;
	struct eventfd_ctx *eventfd;
	int ret = -ENOENT;

	eventfd = eventfd_ctx_fdget(args->fd);
	if (IS_ERR(eventfd))
		return PTR_ERR(eventfd);
	mutex_lock(&vm->lock);
	spin_lock_irq(&vm->irqfds_lock);
	list_for_each_entry_safe(irqfd, tmp, &vm->irqfds, list) {
		if (irqfd->eventfd == eventfd && irqfd->intid == 32 + args->gsi) {
			armkvm_irqfd_deactivate(irqfd);
			ret = 0;
		}
	}
	spin_unlock_irq(&vm->irqfds_lock);
	mutex_unlock(&vm->lock);
	eventfd_ctx_put(eventfd);
	/* Nothing of it runs once DEASSIGN returns. */
	flush_workqueue(armkvm_irqfd_wq);
	return ret;
}

static long armkvm_irqfd_ioctl(struct armkvm_vm *vm, void __user *argp)
{
	struct armkvm_vgic *g = armkvm_vm_vgic(vm);
	struct armkvm_irqfd args;
	unsigned int i;

	if (copy_from_user(&args, argp, sizeof(args)))
		return -EFAULT;
	if ((args.flags & ~ARMKVM_IRQFD_FLAG_DEASSIGN) || args.resamplefd)
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(args.pad); i++)
		if (args.pad[i])
			return -EINVAL;
	if (!g)
		return -ENXIO;
	if (args.gsi >= armkvm_vgic_num_irqs(g) - 32)
		return -EINVAL;
	if (args.flags & ARMKVM_IRQFD_FLAG_DEASSIGN)
		return armkvm_irqfd_deassign(vm, &args);
	return armkvm_irqfd_assign(vm, &args);
}

/* The VM fd's ioctls of this file; -ENOTTY if it is not one. */
long armkvm_eventfd_ioctl(struct armkvm_vm *vm, unsigned int ioctl, void __user *argp)
{
	switch (ioctl) {
	case ARMKVM_IOEVENTFD:
		return armkvm_ioeventfd_ioctl(vm, argp);
	case ARMKVM_IRQFD:
		return armkvm_irqfd_ioctl(vm, argp);
	default:
		return -ENOTTY;
	}
}

void armkvm_eventfd_vm_init(struct armkvm_vm *vm)
{
	INIT_LIST_HEAD(&vm->ioeventfds);
	INIT_LIST_HEAD(&vm->irqfds);
	spin_lock_init(&vm->irqfds_lock);
}

/*
 * At the VM's end: no vCPU and no ioctl of it exist any more (each holds
 * the VM's file); eventfds closing may still race to detach irqfds.
 */
void armkvm_eventfd_vm_free(struct armkvm_vm *vm)
{
	struct armkvm_ioeventfd_dev *p, *ptmp;
	struct armkvm_irqfd_obj *irqfd, *tmp;

	spin_lock_irq(&vm->irqfds_lock);
	list_for_each_entry_safe(irqfd, tmp, &vm->irqfds, list)
		armkvm_irqfd_deactivate(irqfd);
	spin_unlock_irq(&vm->irqfds_lock);
	/* Every shutdown of this VM's irqfds, the HUP-detached ones too, is done. */
	flush_workqueue(armkvm_irqfd_wq);

	/* Nothing reads the bus: armkvm_iodev_bus_free() frees it whole. */
	list_for_each_entry_safe(p, ptmp, &vm->ioeventfds, list) {
		list_del(&p->list);
		armkvm_ioeventfd_free(p);
	}
	vm->nr_ioeventfds = 0;
}

int armkvm_eventfd_init(void)
{
	armkvm_irqfd_wq = alloc_workqueue("armkvm-irqfd", 0, 0);
	return armkvm_irqfd_wq ? 0 : -ENOMEM;
}

void armkvm_eventfd_exit(void)
{
	destroy_workqueue(armkvm_irqfd_wq);
}
