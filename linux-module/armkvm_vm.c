// SPDX-License-Identifier: GPL-2.0
/*
 * armkvm host module: a VM, its guest RAM and its translation table.
 *
 * Guest RAM is one physically contiguous, naturally aligned block: from the
 * buddy allocator up to its largest block (4 MiB), beyond that the way CMA
 * gets its blocks, by migrating movable pages out of a range of lowmem
 * (alloc_contig_range), but without a reserved area: no boot parameter is
 * needed, and Debian's kernel does not export cma_alloc() to modules anyway.
 * When lowmem is too fragmented, ENOMEM. So a guest with its MMU off runs on
 * 1 MiB sections of a table armkvm builds: guest-physical ram_gpa maps to the block, everything
 * else a guest touches is unmapped and faults (MMIO); armkvm_mmu.c adds the
 * hypervisor's window and takes over once the guest's MMU is on.
 *
 * Copyright (c) 2026 The armkvm developers
 */
#include <linux/anon_inodes.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/module.h>
#include <linux/security.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/highmem.h>
#include <linux/log2.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/cacheflush.h>
#include <asm/pgtable.h>

#include "armkvm_internal.h"

#define SECTION_SHIFT_1M	20

/* Normal write-back memory, like the host's own mapping of the block; full access. */
#define GUEST_RAM_SECTION	(PMD_TYPE_SECT | PMD_SECT_AP_WRITE | PMD_SECT_AP_READ | \
				 PMD_SECT_WBWA | PMD_SECT_S | PMD_DOMAIN(0))

/*
 * Guest RAM at guest-physical gpa in the MMU-off table, in place of where it
 * was (CREATE_VM, or before a vCPU ran, ARMKVM_SET_USER_MEMORY_REGION).
 */
void armkvm_vm_map_ram(struct armkvm_vm *vm, u32 gpa)
{
	phys_addr_t pa = page_to_phys(vm->ram);
	unsigned int n = vm->ram_size >> SECTION_SHIFT_1M;
	unsigned int i;

	memset(&vm->l1[vm->ram_gpa >> SECTION_SHIFT_1M], 0, n * sizeof(u32));
	vm->ram_gpa = gpa;
	for (i = 0; i < n; i++)
		vm->l1[(gpa >> SECTION_SHIFT_1M) + i] =
			(pa + ((u32)i << SECTION_SHIFT_1M)) | GUEST_RAM_SECTION;
	/* The table is read by the MMU's walker: make it visible to it. */
	flush_icache_range((unsigned long)vm->l1, (unsigned long)vm->l1 + PAGE_SIZE * 4);
}

/*
 * Guest RAM of all VMs together, in MiB: pinned, unmovable lowmem, so a
 * bound the administrator sets (0: half of lowmem, computed at load).
 */
static unsigned int max_guest_ram_mb;
module_param(max_guest_ram_mb, uint, 0644);
MODULE_PARM_DESC(max_guest_ram_mb, "guest RAM of all VMs together, in MiB (0: half of lowmem)");

static atomic_long_t armkvm_ram_pages;	/* guest RAM held by all VMs */

static unsigned long armkvm_ram_limit_pages(void)
{
	unsigned int mb = READ_ONCE(max_guest_ram_mb);

	if (!mb)
		return (totalram_pages() - totalhigh_pages()) / 2;
	return (unsigned long)mb << (20 - PAGE_SHIFT);
}

/* Reserve nr pages against the module-wide limit; false (and nothing held) if over it. */
static bool armkvm_ram_reserve(unsigned long nr)
{
	if (atomic_long_add_return(nr, &armkvm_ram_pages) > armkvm_ram_limit_pages()) {
		atomic_long_sub(nr, &armkvm_ram_pages);
		return false;
	}
	return true;
}

/* Candidate blocks tried before ENOMEM: each try isolates and migrates pages. */
#define CONTIG_TRIES	64

/*
 * A naturally aligned run of nr_pages pages in lowmem (the module reaches
 * guest RAM through the linear map), tried from the top of each zone down,
 * where the kernel's own unmovable allocations are rarest.
 */
static struct page *armkvm_alloc_contig(unsigned long nr_pages, unsigned long align)
{
	pg_data_t *pgdat = NODE_DATA(0);
	unsigned int tries = 0;
	int z;

	for (z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &pgdat->node_zones[z];
		unsigned long first, pfn;

		if (!populated_zone(zone) || is_highmem(zone) || zone_idx(zone) == ZONE_MOVABLE)
			continue;
		first = ALIGN(zone->zone_start_pfn, align);
		if (zone_end_pfn(zone) < first + nr_pages)
			continue;
		for (pfn = ALIGN_DOWN(zone_end_pfn(zone) - nr_pages, align);
		     pfn >= first && tries < CONTIG_TRIES; pfn -= align, tries++) {
			if (!alloc_contig_range(pfn, pfn + nr_pages, MIGRATE_MOVABLE,
						GFP_KERNEL | __GFP_NOWARN))
				return pfn_to_page(pfn);
			if (fatal_signal_pending(current))
				return NULL;
			cond_resched();
			if (pfn < align)
				break;
		}
	}
	return NULL;
}

/* The buddy allocator for what it has (its blocks are naturally aligned), else migration. */
static bool armkvm_ram_from_buddy(unsigned int order, u64 align)
{
	return order < MAX_ORDER && align <= (PAGE_SIZE << order);
}

/*
 * From the buddy allocator, charged to the caller's memory cgroup
 * (__GFP_ACCOUNT): a cgroup's limit refuses the VM with ENOMEM. Migrated
 * blocks cannot be charged from a module (the kernel exports no way to);
 * the module-wide limit bounds them.
 */
static struct page *armkvm_alloc_ram(unsigned int order, u64 align)
{
	struct page *page;

	if (!armkvm_ram_from_buddy(order, align))
		return armkvm_alloc_contig(1ul << order,
					   max_t(unsigned long, 1ul << order, align >> PAGE_SHIFT));
	page = alloc_pages(GFP_KERNEL_ACCOUNT | __GFP_ZERO | __GFP_NOWARN, order);
	/* One reference per page, as a contiguous range has: see armkvm_vm_fault(). */
	if (page)
		split_page(page, order);
	return page;
}

/*
 * Each page drops our reference alone: a page that userspace still has
 * pinned (O_DIRECT in flight, vmsplice) goes back to the allocator when
 * that pin goes, not under it.
 */
static void armkvm_free_ram(struct armkvm_vm *vm)
{
	unsigned long i;

	for (i = 0; i < (1ul << vm->ram_order); i++)
		put_page(vm->ram + i);
}

static void armkvm_vm_free(struct armkvm_vm *vm)
{
	armkvm_eventfd_vm_free(vm);
	armkvm_iodev_bus_free(vm);
	armkvm_vgic_free(vm->vgic);
	armkvm_user_memory_free(vm);
	if (vm->l1_page)
		__free_pages(vm->l1_page, 2);
	if (vm->ram)
		armkvm_free_ram(vm);
	if (vm->ram_reserved)
		atomic_long_sub(1ul << vm->ram_order, &armkvm_ram_pages);
	kfree(vm);
}

static int armkvm_vm_release(struct inode *inode, struct file *filp)
{
	armkvm_vm_free(filp->private_data);
	return 0;
}

/*
 * Guest RAM reaches userspace as ordinary pages, not a PFN map, so that
 * get_user_pages() works on it: QEMU's O_DIRECT disk I/O (cache=none) and
 * vhost pin the guest's buffers. Each fault takes a page reference that the
 * mapping drops when it goes.
 */
static vm_fault_t armkvm_vm_fault(struct vm_fault *vmf)
{
	struct armkvm_vm *vm = vmf->vma->vm_file->private_data;

	if (vmf->pgoff >= vm->ram_size >> PAGE_SHIFT)
		return VM_FAULT_SIGBUS;
	vmf->page = vm->ram + vmf->pgoff;
	get_page(vmf->page);
	return 0;
}

static const struct vm_operations_struct armkvm_vm_ram_ops = {
	.fault = armkvm_vm_fault,
};

static int armkvm_vm_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct armkvm_vm *vm = filp->private_data;
	unsigned long len = vma->vm_end - vma->vm_start;

	/* A private mapping would give the caller copies the guest never sees. */
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	if (vma->vm_pgoff > vm->ram_size >> PAGE_SHIFT ||
	    len > vm->ram_size - (vma->vm_pgoff << PAGE_SHIFT))
		return -EINVAL;
	vma->vm_flags |= VM_DONTEXPAND | VM_DONTDUMP;
	vma->vm_ops = &armkvm_vm_ram_ops;
	return 0;
}

static long armkvm_vm_ioctl(struct file *filp, unsigned int ioctl, unsigned long arg)
{
	struct armkvm_vm *vm = filp->private_data;

	switch (ioctl) {
	case ARMKVM_CREATE_VCPU:
		return armkvm_create_vcpu(vm, filp, arg);
	case ARMKVM_SET_USER_MEMORY_REGION:
		return armkvm_set_memory_region(vm, filp, (void __user *)arg);
	case ARMKVM_IOEVENTFD:
	case ARMKVM_IRQFD:
		return armkvm_eventfd_ioctl(vm, ioctl, (void __user *)arg);
	default:
		return armkvm_vgic_ioctl(vm, ioctl, (void __user *)arg);
	}
}

static const struct file_operations armkvm_vm_fops = {
	.owner		= THIS_MODULE,
	.release	= armkvm_vm_release,
	.unlocked_ioctl	= armkvm_vm_ioctl,
	.mmap		= armkvm_vm_mmap,
	.llseek		= noop_llseek,
};

/*
 * In privileged mode the guest runs in the host's kernel mode and its page
 * tables can name any physical address: like /dev/mem, only a process with
 * CAP_SYS_RAWIO in the initial user namespace that opened the device may
 * create such a VM, and never under kernel lockdown. The same goes for a RAM
 * block (either mode): contiguous lowmem that no memory cgroup is charged for.
 */
static int armkvm_may_run_privileged(struct file *filp)
{
	int ret;

	if (!file_ns_capable(filp, &init_user_ns, CAP_SYS_RAWIO) || !capable(CAP_SYS_RAWIO)) {
		pr_info_ratelimited("armkvm: privileged-mode VMs and RAM blocks need CAP_SYS_RAWIO (%s[%d] has not)\n",
				    current->comm, task_pid_nr(current));
		return -EPERM;
	}
	ret = security_locked_down(LOCKDOWN_DEV_MEM);
	if (ret)
		pr_info_ratelimited("armkvm: the kernel is locked down: no privileged-mode VMs\n");
	return ret;
}

/* Every address and size is checked in 64 bits, without sums that can wrap. */
static int armkvm_check_config(const struct armkvm_vm_config *cfg)
{
	int i;

	if ((cfg->mode != ARMKVM_VM_MODE_PRIVILEGED && cfg->mode != ARMKVM_VM_MODE_ISOLATED) ||
	    (cfg->flags & ~ARMKVM_VM_GPA_IS_HPA))
		return -EINVAL;
	if ((cfg->flags & ARMKVM_VM_GPA_IS_HPA) && cfg->ram_gpa)
		return -EINVAL;
	/* Isolated mode without a block: RAM comes from the caller's memory slots. */
	if (cfg->mode == ARMKVM_VM_MODE_ISOLATED && !cfg->ram_size &&
	    (cfg->flags || cfg->ram_gpa || cfg->ram_align))
		return -EINVAL;
	/* Host-physical addresses are privileged mode's business only. */
	if ((cfg->flags & ARMKVM_VM_GPA_IS_HPA) && cfg->mode == ARMKVM_VM_MODE_ISOLATED)
		return -EINVAL;
	if (cfg->ram_align && (!is_power_of_2(cfg->ram_align) ||
			       cfg->ram_align < ARMKVM_RAM_ALIGN || cfg->ram_align > SZ_1G))
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(cfg->reserved); i++)
		if (cfg->reserved[i])
			return -EINVAL;
	if (!cfg->ram_size && cfg->mode == ARMKVM_VM_MODE_ISOLATED)
		return 0;
	if (!cfg->ram_size || cfg->ram_size > ARMKVM_RAM_MAX ||
	    cfg->ram_size % ARMKVM_RAM_ALIGN || cfg->ram_gpa % ARMKVM_RAM_ALIGN)
		return -EINVAL;
	/* Guest RAM must lie below the hypervisor's window (armkvm_mmu.c). */
	if (cfg->ram_gpa > MODULES_VADDR || cfg->ram_size > MODULES_VADDR - cfg->ram_gpa)
		return -EINVAL;
	return 0;
}

static int armkvm_vm_getfd(struct armkvm_vm *vm)
{
	int ret = anon_inode_getfd("armkvm-vm", &armkvm_vm_fops, vm, O_RDWR | O_CLOEXEC);

	if (ret < 0)
		armkvm_vm_free(vm);
	return ret;
}

/* An isolated VM whose RAM is the caller's own (ARMKVM_CAP_ISOLATED_USER_MEMORY): no block. */
static long armkvm_create_user_memory_vm(struct armkvm_vm *vm, struct armkvm_vm_config *cfg,
					 void __user *argp)
{
	int ret = armkvm_user_memory_init(vm);

	if (ret) {
		armkvm_vm_free(vm);
		return ret;
	}
	cfg->ram_hpa = 0;
	if (copy_to_user(argp, cfg, sizeof(*cfg))) {
		armkvm_vm_free(vm);
		return -EFAULT;
	}
	return armkvm_vm_getfd(vm);
}

long armkvm_create_vm(struct file *filp, void __user *argp)
{
	struct armkvm_vm_config cfg;
	struct armkvm_vm *vm;
	int ret;

	if (copy_from_user(&cfg, argp, sizeof(cfg)))
		return -EFAULT;
	ret = armkvm_check_config(&cfg);
	if (ret)
		return ret;
	/*
	 * Privileged mode is /dev/mem; a block of contiguous lowmem is memory no
	 * cgroup is charged for. Isolated mode on the caller's own memory is for
	 * anyone the node is opened to (docs/modes.md, who may use which mode).
	 */
	if (cfg.mode == ARMKVM_VM_MODE_PRIVILEGED || cfg.ram_size) {
		ret = armkvm_may_run_privileged(filp);
		if (ret)
			return ret;
	}

	vm = kzalloc(sizeof(*vm), GFP_KERNEL);
	if (!vm)
		return -ENOMEM;
	mutex_init(&vm->lock);
	armkvm_eventfd_vm_init(vm);
	vm->ops = cfg.mode == ARMKVM_VM_MODE_ISOLATED ? &armkvm_isolated_ops : &armkvm_privileged_ops;
	if (!cfg.ram_size)
		return armkvm_create_user_memory_vm(vm, &cfg, argp);
	vm->ram_gpa = cfg.ram_gpa;
	vm->ram_size = cfg.ram_size;
	vm->ram_order = get_order(cfg.ram_size);
	vm->ram_align = cfg.ram_align;
	if (!armkvm_ram_reserve(1ul << vm->ram_order)) {
		pr_info_ratelimited("armkvm: %llu MiB more guest RAM would pass max_guest_ram_mb (%lu MiB)\n",
				    cfg.ram_size >> 20,
				    armkvm_ram_limit_pages() >> (20 - PAGE_SHIFT));
		kfree(vm);
		return -ENOMEM;
	}
	vm->ram_reserved = true;
	vm->ram = armkvm_alloc_ram(vm->ram_order, cfg.ram_align);
	vm->l1_page = alloc_pages(GFP_KERNEL | __GFP_ZERO, 2);
	if (!vm->ram || !vm->l1_page) {
		if (!vm->ram)
			pr_info_ratelimited("armkvm: no %llu MiB of contiguous lowmem for guest RAM\n",
					    cfg.ram_size >> 20);
		armkvm_vm_free(vm);
		return -ENOMEM;
	}
	if (!armkvm_ram_from_buddy(vm->ram_order, vm->ram_align)) {
		/* Migrated-out pages leave their old contents behind. */
		unsigned long i;

		for (i = 0; i < (1ul << vm->ram_order); i++) {
			clear_highpage(vm->ram + i);
			if (!(i % 256))
				cond_resched();
		}
	}
	vm->ram_hpa = page_to_phys(vm->ram);
	if (cfg.flags & ARMKVM_VM_GPA_IS_HPA) {
		/* The hypervisor's window must stay out of the identity map. */
		if (vm->ram_hpa + cfg.ram_size > MODULES_VADDR) {
			armkvm_vm_free(vm);
			return -ENOMEM;
		}
		vm->ram_gpa = vm->ram_hpa;
	}
	vm->config_gpa = vm->ram_gpa;
	vm->gpa_is_hpa = cfg.flags & ARMKVM_VM_GPA_IS_HPA;
	cfg.ram_gpa = vm->ram_gpa;
	cfg.ram_hpa = cfg.mode == ARMKVM_VM_MODE_ISOLATED ? 0 : vm->ram_hpa;
	if (copy_to_user(argp, &cfg, sizeof(cfg))) {
		armkvm_vm_free(vm);
		return -EFAULT;
	}
	vm->l1 = page_address(vm->l1_page);
	armkvm_vm_map_ram(vm, vm->ram_gpa);
	return armkvm_vm_getfd(vm);
}
