// SPDX-License-Identifier: GPL-2.0
/*
 * armkvm host module: the in-kernel interrupt controller (ARMKVM_CREATE_IRQCHIP).
 *
 * A GICv2 distributor and CPU interface for one CPU, without the security or
 * virtualization extensions: the GIC armkvm-virt gives its guests, with the
 * register behaviour QEMU's model has for that configuration (the guest must
 * see the same GIC under -accel tcg). Serving it here keeps a guest's timer
 * tick in the kernel: the timer's PPI, the acknowledge, the end of interrupt
 * and the acknowledge that finds nothing more were four round trips to QEMU.
 * Not modelled: FIQs (GICC_CTLR.FIQEn makes the interrupt an FIQ, which in
 * privileged mode belongs to the hypervisor, so it is never delivered) and
 * SGIs from other CPUs (there are none).
 *
 * One file of about 550 lines: the distributor, the CPU interface and their
 * state ioctls share the bitmaps, the lock and armkvm_vgic_update(), which
 * every path ends in; split, each part would need the others' internals.
 *
 * Copyright (c) 2026 The armkvm developers
 */
#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>

#include "armkvm_internal.h"

#define GICD_SIZE		0x1000
#define GICC_SIZE		0x2000
#define NR_SGIS			16
#define NR_INTERNAL		32
#define SPURIOUS		1023
#define IDLE_PRIORITY		0x100
#define GICC_CTLR_ENABLE	(1u << 0)
#define GICC_CTLR_FIQ_EN	(1u << 3)
#define GICC_CTLR_EOIMODE	(1u << 9)
#define GICC_CTLR_MASK		0x21fu	/* writable without the security extensions */

/* GICD_PIDR4-7, PIDR0-3, CIDR0-3 of a GICv2 (offsets 0xfd0-0xffc, one byte per word). */
static const u8 armkvm_gicd_id[] = {
	0x04, 0x00, 0x00, 0x00, 0x90, 0xb4, 0x2b, 0x00, 0x0d, 0xf0, 0x05, 0xb1
};

struct armkvm_vgic {
	spinlock_t lock;
	u32 num_irqs;
	u32 timer_intid;
	struct armkvm_irqchip_state s;
	/* Derived from s by armkvm_vgic_update(). */
	u32 running;			/* running priority, IDLE_PRIORITY when none */
	u32 current_pending;		/* GICC_HPPIR */
	bool irq_out;			/* the CPU's IRQ input */
	struct task_struct *vcpu_task;	/* in ARMKVM_RUN: woken or kicked by new interrupts */
	struct armkvm_iodev dist, cpu;	/* its two regions on the VM's device bus */
};

static bool vgic_test(const u32 *map, unsigned int n)
{
	return map[n / 32] & BIT(n % 32);
}

static void vgic_assign(u32 *map, unsigned int n, bool v)
{
	if (v)
		map[n / 32] |= BIT(n % 32);
	else
		map[n / 32] &= ~BIT(n % 32);
}

/* Pending as the CPU interface sees it: latched, or a level-sensitive line held high. */
static bool vgic_pending(const struct armkvm_vgic *g, unsigned int n)
{
	return vgic_test(g->s.pending, n) || (!vgic_test(g->s.edge, n) && vgic_test(g->s.level, n));
}

/* The running priority: the highest (numerically lowest) active group priority. */
static u32 vgic_running_priority(const struct armkvm_vgic *g)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(g->s.apr); i++)
		if (g->s.apr[i])
			return (i * 32 + __ffs(g->s.apr[i])) << 1;
	return IDLE_PRIORITY;
}

/*
 * The highest-priority pending interrupt and whether it interrupts the CPU.
 * The candidates (enabled, pending as vgic_pending() says, not active) are
 * found 32 at a time: this runs at every access to the controller.
 */
static void armkvm_vgic_update(struct armkvm_vgic *g)
{
	u32 best = SPURIOUS, best_prio = IDLE_PRIORITY, cand;
	unsigned int w, n;

	g->running = vgic_running_priority(g);
	g->current_pending = SPURIOUS;
	g->irq_out = false;
	if (!(g->s.dist_ctlr & 1) || !(g->s.cpu_ctlr & 3))
		return;
	for (w = 0; w < DIV_ROUND_UP(g->num_irqs, 32); w++) {
		cand = g->s.enabled[w] & ~g->s.active[w] &
		       (g->s.pending[w] | (g->s.level[w] & ~g->s.edge[w]));
		/* In order of number: the lowest wins a tie, as before. */
		for (; cand; cand &= cand - 1) {
			n = w * 32 + __ffs(cand);
			if (n >= g->num_irqs)
				break;
			if (g->s.priority[n] < best_prio) {
				best_prio = g->s.priority[n];
				best = n;
			}
		}
	}
	if (best_prio >= g->s.pmr)
		return;
	g->current_pending = best;
	g->irq_out = best_prio < g->running && (g->s.cpu_ctlr & GICC_CTLR_ENABLE) &&
		     !(g->s.cpu_ctlr & GICC_CTLR_FIQ_EN);
}

/* A new interrupt for the vCPU: wake it from its wait, or make it leave the guest. */
static void armkvm_vgic_kick(struct armkvm_vgic *g)
{
	if (g->irq_out && g->vcpu_task) {
		wake_up_process(g->vcpu_task);
		kick_process(g->vcpu_task);
	}
}

/* GICC_IAR: acknowledge the highest-priority pending interrupt. */
static u32 vgic_acknowledge(struct armkvm_vgic *g)
{
	u32 n = g->current_pending, gprio, level;

	if (n == SPURIOUS || g->s.priority[n] >= g->running)
		return SPURIOUS;
	gprio = g->s.priority[n] & (~0u << ((g->s.bpr & 7) + 1));
	level = gprio >> 1;
	g->s.apr[level / 32] |= BIT(level % 32);
	vgic_assign(g->s.active, n, true);
	vgic_assign(g->s.pending, n, false);
	return n;			/* an SGI's source, bits 12:10, is CPU 0 */
}

/* GICC_EOIR: drop the running priority, and deactivate unless EOImode splits the two. */
static void vgic_end_of_interrupt(struct armkvm_vgic *g, u32 n)
{
	unsigned int i;

	if (n >= g->num_irqs || g->running == IDLE_PRIORITY)
		return;
	for (i = 0; i < ARRAY_SIZE(g->s.apr); i++) {
		if (g->s.apr[i]) {
			g->s.apr[i] &= g->s.apr[i] - 1;
			break;
		}
	}
	if (!(g->s.cpu_ctlr & GICC_CTLR_EOIMODE))
		vgic_assign(g->s.active, n, false);
}

static u32 vgic_cpu_read(struct armkvm_vgic *g, u32 off)
{
	switch (off) {
	case 0x00:
		return g->s.cpu_ctlr;
	case 0x04:
		return g->s.pmr;
	case 0x08:
		return g->s.bpr;
	case 0x0c:
		return vgic_acknowledge(g);
	case 0x14:
		return min_t(u32, g->running, 0xff);
	case 0x18:
		return g->current_pending;
	case 0xd0: case 0xd4: case 0xd8: case 0xdc:
		return g->s.apr[(off - 0xd0) / 4];
	case 0xfc:
		return (2 << 16) | 0x43b;	/* GICv2, ARM */
	default:
		return 0;			/* ABPR, NSAPRn: no groups; the rest reserved */
	}
}

static void vgic_cpu_write(struct armkvm_vgic *g, u32 off, u32 v)
{
	switch (off) {
	case 0x00:
		g->s.cpu_ctlr = v & GICC_CTLR_MASK;
		break;
	case 0x04:
		g->s.pmr = v & 0xff;
		break;
	case 0x08:
		g->s.bpr = v & 7;
		break;
	case 0x10:
		vgic_end_of_interrupt(g, v & 0x3ff);
		break;
	case 0xd0: case 0xd4: case 0xd8: case 0xdc:
		g->s.apr[(off - 0xd0) / 4] = v;
		break;
	case 0x1000:				/* GICC_DIR */
		v &= 0x3ff;
		if (v < g->num_irqs && (g->s.cpu_ctlr & GICC_CTLR_EOIMODE))
			vgic_assign(g->s.active, v, false);
		break;
	}
}

/* The bitmap a set/clear register pair at 0x100 * k works on. */
static u32 *vgic_dist_map(struct armkvm_vgic *g, u32 off)
{
	switch (off & ~0xffu) {
	case 0x100:
		return g->s.enabled;
	case 0x200:
		return g->s.pending;
	default:
		return g->s.active;
	}
}

/*
 * The distributor byte by byte, as QEMU's model serves it (wider accesses
 * are made of bytes there too); offsets beyond num_irqs read as zero.
 */
static u32 vgic_dist_readb(struct armkvm_vgic *g, u32 off)
{
	u32 n, v = 0;
	unsigned int i;

	switch (off) {
	case 0x000:
		return g->s.dist_ctlr;
	case 0x004:
		return g->num_irqs / 32 - 1;		/* one CPU, no security */
	case 0x008:
		return 0x3b;				/* GICD_IIDR: ARM */
	case 0x009:
		return 0x04;
	}
	if (off >= 0x100 && off < 0x400) {
		n = (off & 0x7f) * 8;
		if (n >= g->num_irqs)
			return 0;
		for (i = 0; i < 8; i++)
			if (off >= 0x200 && off < 0x300 ? vgic_pending(g, n + i) :
			    vgic_test(vgic_dist_map(g, off), n + i))
				v |= BIT(i);
		return v;
	}
	if (off >= 0x400 && off < 0x800)
		return off - 0x400 < g->num_irqs ? g->s.priority[off - 0x400] : 0;
	if (off >= 0xc00 && off < 0xf00) {
		n = (off - 0xc00) * 4;
		for (i = 0; i < 4 && n + i < g->num_irqs; i++)
			if (vgic_test(g->s.edge, n + i))
				v |= 2u << (2 * i);
		return v;
	}
	if (off >= 0xf10 && off < 0xf30)		/* C/SPENDSGIRn: the sources */
		return vgic_test(g->s.pending, (off - 0xf10) % NR_SGIS);
	if (off >= 0xfd0 && !(off & 3))
		return armkvm_gicd_id[(off - 0xfd0) / 4];
	return 0;	/* IGROUPRn (no groups), ITARGETSRn (one CPU), reserved */
}

static void vgic_dist_writeb(struct armkvm_vgic *g, u32 off, u32 v)
{
	u32 n, *map;
	unsigned int i;

	if (off == 0x000) {
		g->s.dist_ctlr = v & 1;
		return;
	}
	if (off >= 0x100 && off < 0x400) {
		n = (off & 0x7f) * 8;
		if (n >= g->num_irqs)
			return;
		/* SGIs are always enabled, and their pending state is GICD_SGIR's. */
		if (n < NR_SGIS && off < 0x300)
			v = off < 0x180 ? 0xff : 0;
		map = vgic_dist_map(g, off);
		for (i = 0; i < 8; i++)
			if (v & BIT(i))
				vgic_assign(map, n + i, !(off & 0x80));
		return;
	}
	if (off >= 0x400 && off < 0x800) {
		if (off - 0x400 < g->num_irqs)
			g->s.priority[off - 0x400] = v;
		return;
	}
	if (off >= 0xc00 && off < 0xf00) {
		n = (off - 0xc00) * 4;
		if (n >= g->num_irqs)
			return;
		if (n < NR_SGIS)
			v |= 0xaa;			/* SGIs are edge-triggered */
		for (i = 0; i < 4; i++)
			vgic_assign(g->s.edge, n + i, v & (2u << (2 * i)));
		return;
	}
	if (off >= 0xf10 && off < 0xf20 && (v & 1))	/* GICD_CPENDSGIRn, from CPU 0 */
		vgic_assign(g->s.pending, off - 0xf10, false);
	else if (off >= 0xf20 && off < 0xf30 && (v & 1))	/* GICD_SPENDSGIRn */
		vgic_assign(g->s.pending, off - 0xf20, true);
}

/* GICD_SGIR: filter 0 (the list), 2 (this CPU) and 3 (all) include CPU 0; 1 does not. */
static void vgic_sgir(struct armkvm_vgic *g, u32 v)
{
	u32 filter = (v >> 24) & 3;

	if ((filter == 0 && (v & BIT(16))) || filter >= 2)
		vgic_assign(g->s.pending, v & 0xf, true);
}

/* One device access to either region: returns what a load reads. */
static u32 armkvm_vgic_access(struct armkvm_vgic *g, bool cpu_if, u32 pa, unsigned int len,
			      bool write, u32 v)
{
	u32 ret = 0, off;
	unsigned int i;

	spin_lock(&g->lock);
	if (cpu_if) {
		off = pa - g->cpu.base;
		if (off & 3)
			;			/* not a register */
		else if (write)
			vgic_cpu_write(g, off, v);
		else
			ret = vgic_cpu_read(g, off);
	} else {
		off = pa - g->dist.base;
		if (write && len == 4 && off == 0xf00)
			vgic_sgir(g, v);
		else
			for (i = 0; i < len; i++) {
				if (write)
					vgic_dist_writeb(g, off + i, (v >> (8 * i)) & 0xff);
				else
					ret |= vgic_dist_readb(g, off + i) << (8 * i);
			}
	}
	armkvm_vgic_update(g);
	spin_unlock(&g->lock);
	return ret;
}

static u32 armkvm_vgic_dist_access(struct armkvm_iodev *dev, u32 pa, unsigned int len,
				   bool write, u32 v)
{
	return armkvm_vgic_access(container_of(dev, struct armkvm_vgic, dist), false, pa, len,
				  write, v);
}

static u32 armkvm_vgic_cpu_access(struct armkvm_iodev *dev, u32 pa, unsigned int len,
				  bool write, u32 v)
{
	return armkvm_vgic_access(container_of(dev, struct armkvm_vgic, cpu), true, pa, len,
				  write, v);
}

static const struct armkvm_iodev_ops armkvm_vgic_dist_ops = { .access = armkvm_vgic_dist_access };
static const struct armkvm_iodev_ops armkvm_vgic_cpu_ops = { .access = armkvm_vgic_cpu_access };

/* An input line: an SPI from userspace, or the guest's timer PPI. */
static void vgic_set_level(struct armkvm_vgic *g, u32 n, bool level)
{
	if (vgic_test(g->s.level, n) == level)
		return;
	vgic_assign(g->s.level, n, level);
	if (level && vgic_test(g->s.edge, n))
		vgic_assign(g->s.pending, n, true);
	armkvm_vgic_update(g);
}

void armkvm_vgic_set_timer(struct armkvm_vgic *g, bool level)
{
	if (!g->timer_intid)
		return;
	spin_lock(&g->lock);
	vgic_set_level(g, g->timer_intid, level);
	spin_unlock(&g->lock);
}

/*
 * An irqfd's signal (armkvm_eventfd.c): the SPI becomes pending as a write
 * to GICD_ISPENDR makes it, whatever its trigger mode and input level.
 */
void armkvm_vgic_pulse_spi(struct armkvm_vgic *g, u32 intid)
{
	spin_lock(&g->lock);
	vgic_assign(g->s.pending, intid, true);
	armkvm_vgic_update(g);
	armkvm_vgic_kick(g);
	spin_unlock(&g->lock);
}

u32 armkvm_vgic_num_irqs(const struct armkvm_vgic *g)
{
	return g->num_irqs;
}

bool armkvm_vgic_irq_out(const struct armkvm_vgic *g)
{
	return READ_ONCE(g->irq_out);
}

/* The vCPU thread enters (task) or leaves (NULL) ARMKVM_RUN. */
void armkvm_vgic_set_vcpu_task(struct armkvm_vgic *g, struct task_struct *task)
{
	spin_lock(&g->lock);
	g->vcpu_task = task;
	spin_unlock(&g->lock);
}

static int armkvm_vgic_irq_line(struct armkvm_vgic *g, void __user *argp)
{
	struct armkvm_irq_level l;

	if (copy_from_user(&l, argp, sizeof(l)))
		return -EFAULT;
	if (l.intid < NR_INTERNAL || l.intid >= g->num_irqs || l.level > 1)
		return -EINVAL;
	spin_lock(&g->lock);
	vgic_set_level(g, l.intid, l.level);
	armkvm_vgic_kick(g);
	spin_unlock(&g->lock);
	return 0;
}

/* Every bit and priority beyond num_irqs is 0, registers hold only what they can. */
static int armkvm_vgic_check_state(const struct armkvm_vgic *g,
				   const struct armkvm_irqchip_state *s)
{
	const u32 *maps[] = { s->enabled, s->pending, s->active, s->level, s->edge };
	unsigned int i, w;

	if ((s->dist_ctlr & ~1u) || (s->cpu_ctlr & ~GICC_CTLR_MASK) || s->pmr > 0xff ||
	    s->bpr > 7)
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(s->reserved); i++)
		if (s->reserved[i])
			return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(maps); i++)
		for (w = g->num_irqs / 32; w < ARMKVM_IRQCHIP_WORDS; w++)
			if (maps[i][w])
				return -EINVAL;
	for (i = g->num_irqs; i < ARMKVM_IRQCHIP_MAX_IRQS; i++)
		if (s->priority[i])
			return -EINVAL;
	return 0;
}

static int armkvm_vgic_get(struct armkvm_vgic *g, void __user *argp)
{
	struct armkvm_irqchip_state *s = kmalloc(sizeof(*s), GFP_KERNEL);
	int ret;

	if (!s)
		return -ENOMEM;
	spin_lock(&g->lock);
	*s = g->s;
	spin_unlock(&g->lock);
	ret = copy_to_user(argp, s, sizeof(*s)) ? -EFAULT : 0;
	kfree(s);
	return ret;
}

static int armkvm_vgic_set(struct armkvm_vgic *g, void __user *argp)
{
	struct armkvm_irqchip_state *s = memdup_user(argp, sizeof(*s));
	int ret;

	if (IS_ERR(s))
		return PTR_ERR(s);
	ret = armkvm_vgic_check_state(g, s);
	if (!ret) {
		spin_lock(&g->lock);
		g->s = *s;
		armkvm_vgic_update(g);
		armkvm_vgic_kick(g);
		spin_unlock(&g->lock);
	}
	kfree(s);
	return ret;
}

static struct armkvm_vgic *armkvm_vgic_create(void __user *argp)
{
	struct armkvm_irqchip_config cfg;
	struct armkvm_vgic *g;
	unsigned int i;

	if (copy_from_user(&cfg, argp, sizeof(cfg)))
		return ERR_PTR(-EFAULT);
	for (i = 0; i < ARRAY_SIZE(cfg.reserved); i++)
		if (cfg.reserved[i])
			return ERR_PTR(-EINVAL);
	if (cfg.num_irqs % 32 || cfg.num_irqs < 64 || cfg.num_irqs > ARMKVM_IRQCHIP_MAX_IRQS ||
	    (cfg.timer_intid && (cfg.timer_intid < NR_SGIS || cfg.timer_intid >= NR_INTERNAL)))
		return ERR_PTR(-EINVAL);
	/* Page-aligned below 4 GiB, and the two regions apart. */
	if ((cfg.dist_base | cfg.cpu_base) & (PAGE_SIZE - 1) ||
	    cfg.dist_base > U32_MAX - GICD_SIZE || cfg.cpu_base > U32_MAX - GICC_SIZE ||
	    (cfg.dist_base < cfg.cpu_base + GICC_SIZE && cfg.cpu_base < cfg.dist_base + GICD_SIZE))
		return ERR_PTR(-EINVAL);
	g = kzalloc(sizeof(*g), GFP_KERNEL);
	if (!g)
		return ERR_PTR(-ENOMEM);
	spin_lock_init(&g->lock);
	g->num_irqs = cfg.num_irqs;
	g->timer_intid = cfg.timer_intid;
	g->dist = (struct armkvm_iodev) { cfg.dist_base, GICD_SIZE, &armkvm_vgic_dist_ops };
	g->cpu = (struct armkvm_iodev) { cfg.cpu_base, GICC_SIZE, &armkvm_vgic_cpu_ops };
	/* Reset: SGIs enabled and edge-triggered, everything else 0. */
	g->s.enabled[0] = 0xffff;
	g->s.edge[0] = 0xffff;
	armkvm_vgic_update(g);
	return g;
}

/* A VM ioctl of the interrupt controller; -ENOTTY if it is not one. */
long armkvm_vgic_ioctl(struct armkvm_vm *vm, unsigned int ioctl, void __user *argp)
{
	struct armkvm_vgic *g = armkvm_vm_vgic(vm);
	int ret;

	if (ioctl == ARMKVM_CREATE_IRQCHIP) {
		if (g)
			return -EEXIST;
		g = armkvm_vgic_create(argp);
		if (IS_ERR(g))
			return PTR_ERR(g);
		mutex_lock(&vm->lock);
		/*
		 * A RUN takes the controller as it finds it at its start (the
		 * vCPU task it wakes, the line it reads): once a vCPU has run,
		 * it is too late, as for KVM's vGIC. The first RUN sets ran
		 * under this lock.
		 */
		if (vm->vgic)
			ret = -EEXIST;
		else if (vm->ran)
			ret = -EBUSY;
		else
			ret = armkvm_iodev_register(vm, &g->dist);
		if (!ret) {
			ret = armkvm_iodev_register(vm, &g->cpu);
			if (ret)
				armkvm_iodev_unregister(vm, &g->dist);
		}
		if (ret) {
			mutex_unlock(&vm->lock);
			kfree(g);
			return ret;
		}
		/* Pairs with armkvm_vm_vgic(): readers see it initialized. */
		smp_store_release(&vm->vgic, g);
		mutex_unlock(&vm->lock);
		return 0;
	}
	if (ioctl != ARMKVM_IRQ_LINE && ioctl != ARMKVM_GET_IRQCHIP && ioctl != ARMKVM_SET_IRQCHIP)
		return -ENOTTY;
	if (!g)
		return -ENXIO;			/* like KVM without an irqchip */
	switch (ioctl) {
	case ARMKVM_IRQ_LINE:
		return armkvm_vgic_irq_line(g, argp);
	case ARMKVM_GET_IRQCHIP:
		return armkvm_vgic_get(g, argp);
	default:
		return armkvm_vgic_set(g, argp);
	}
}

void armkvm_vgic_free(struct armkvm_vgic *g)
{
	kfree(g);
}
