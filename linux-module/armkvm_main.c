// SPDX-License-Identifier: GPL-2.0
/*
 * armkvm host module: /dev/armkvm and its ioctls.
 *
 * Copyright (c) 2026 The armkvm developers
 */
#include <linux/module.h>
#include <linux/miscdevice.h>
#include <linux/fs.h>
#include <linux/armkvm.h>

#include "armkvm_internal.h"
#include "isolated/armkvm_isolated.h"
#include "trustzone/armkvm_trustzone.h"

static long armkvm_dev_ioctl(struct file *filp, unsigned int ioctl,
			     unsigned long arg)
{
	switch (ioctl) {
	case ARMKVM_GET_API_VERSION:
		/* Like KVM_GET_API_VERSION: no argument is defined, so none is accepted. */
		if (arg)
			return -EINVAL;
		return ARMKVM_API_VERSION;
	case ARMKVM_CREATE_VM:
		return armkvm_create_vm(filp, (void __user *)arg);
	case ARMKVM_GET_VCPU_MMAP_SIZE:
		return arg ? -EINVAL : PAGE_SIZE;
	case ARMKVM_CHECK_EXTENSION:
		switch (arg) {
		case ARMKVM_CAP_PTIMER:
			return armkvm_have_ptimer();
		case ARMKVM_CAP_IRQCHIP:
		case ARMKVM_CAP_ONE_REG:
		case ARMKVM_CAP_USER_MEMORY:
		case ARMKVM_CAP_IOEVENTFD:
		case ARMKVM_CAP_IRQFD:
		case ARMKVM_CAP_ISOLATED_USER_MEMORY:
		case ARMKVM_CAP_GUEST_DEBUG:
			return 1;
		default:
			return 0;
		}
	default:
		return -ENOTTY;
	}
}

static const struct file_operations armkvm_dev_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= armkvm_dev_ioctl,
	.llseek		= noop_llseek,
};

/*
 * Root's by default. CREATE_VM checks the opener's and the caller's
 * CAP_SYS_RAWIO and kernel lockdown for privileged mode (there the guest runs
 * in the host's kernel mode: /dev/mem), so an administrator may give the node
 * to a group for isolated mode, as /dev/kvm is (docs/modes.md).
 */
static struct miscdevice armkvm_dev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "armkvm",
	.fops	= &armkvm_dev_fops,
	.mode	= 0600,
};

static int __init armkvm_init(void)
{
	int ret = armkvm_check_host();

	if (!ret)
		ret = armkvm_check_passage();
	if (!ret)
		ret = armkvm_cpu_slots_init();
	if (!ret)
		ret = armkvm_eventfd_init();
	if (ret)
		return ret;
	ret = armkvm_ptimer_init();
	if (ret) {
		armkvm_eventfd_exit();
		return ret;
	}
	ret = armkvm_shadow_init();
	if (ret)
		goto err_shadow;
	armkvm_trustzone_init();
	ret = misc_register(&armkvm_dev);
	if (ret) {
		pr_err("armkvm: cannot register /dev/armkvm: %d\n", ret);
		goto err_register;
	}
	pr_info("armkvm: /dev/armkvm ready, ABI version %d\n", ARMKVM_API_VERSION);
	return 0;

err_register:
	armkvm_trustzone_exit();
	armkvm_shadow_exit();
err_shadow:
	armkvm_ptimer_exit();
	armkvm_eventfd_exit();
	return ret;
}

static void __exit armkvm_exit(void)
{
	misc_deregister(&armkvm_dev);
	armkvm_trustzone_exit();
	armkvm_shadow_exit();
	armkvm_ptimer_exit();
	armkvm_eventfd_exit();
}

module_init(armkvm_init);
module_exit(armkvm_exit);
MODULE_DESCRIPTION("armkvm: guests on ARMv6/ARMv7 CPUs without virtualization extensions");
MODULE_AUTHOR("The armkvm developers");
MODULE_LICENSE("GPL");
