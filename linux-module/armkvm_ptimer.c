// SPDX-License-Identifier: GPL-2.0
/*
 * armkvm host module: the guest's timer, in the kernel.
 *
 * On CPUs with the generic timer the stock host kernel runs on the virtual
 * timer (CNTV) and leaves the physical one (CNTP) alone, so a privileged-mode
 * guest programs CNTP natively: reading the counter and rearming the timer
 * cost no exit. The world switch loads the guest's CNTP (and CNTKCTL, its
 * PL0 access control) on entry and stops CNTP on exit. When it fires while
 * the guest runs, its interrupt (the non-secure physical timer PPI, which
 * armkvm claims) ends the guest's run like any host interrupt; the run loop
 * then reports the timer's level to userspace (run->timer_level), which
 * wires it to the guest's interrupt controller, as KVM does with a
 * userspace irqchip. While the vCPU waits for an interrupt, an hrtimer
 * stands in for CNTP.
 *
 * Copyright (c) 2026 The armkvm developers
 */
#include <linux/cpuhotplug.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/of.h>
#include <linux/of_irq.h>
#include <linux/percpu.h>
#include <asm/cputype.h>

#include "armkvm_internal.h"

/* The timer PPIs in the order of the DT binding: secure and non-secure physical. */
#define PTIMER_PPIS		2

static const struct of_device_id armkvm_timer_of_match[] = {
	{ .compatible = "arm,armv7-timer" },
	{ .compatible = "arm,armv8-timer" },
	{ }
};

static int armkvm_ptimer_irqs[PTIMER_PPIS];
static int armkvm_ptimer_cpuhp = -1;
static int __percpu *armkvm_ptimer_cookie;
static u32 armkvm_cntfrq;

bool armkvm_have_ptimer(void)
{
	return armkvm_cntfrq != 0;
}

/*
 * Whether the world switch swaps CNTP and CNTKCTL: on every CPU with the
 * generic timer, even if the guest was not given it, so that nothing a guest
 * writes there reaches the host.
 */
bool armkvm_cpu_has_gtimer(void)
{
	return (read_cpuid_ext(CPUID_EXT_PFR1) >> 16) & 0xf;
}

/*
 * The timer's PPIs off (mask) or on, on this CPU; preemption is disabled.
 * Besides CPU hotplug: while the guest's timer output is reported high, its
 * interrupt stays off for the guest's run, since until the guest rearms the
 * timer each entry would otherwise end at once with the same interrupt (a
 * guest that unmasks before it rearms, or whose GIC holds the interrupt
 * back). The level is checked again at every exit.
 */
void armkvm_ptimer_mask_local(bool mask)
{
	int i;

	for (i = 0; i < PTIMER_PPIS; i++) {
		if (!armkvm_ptimer_irqs[i])
			continue;
		if (mask)
			disable_percpu_irq(armkvm_ptimer_irqs[i]);
		else
			enable_percpu_irq(armkvm_ptimer_irqs[i],
					  irq_get_trigger_type(armkvm_ptimer_irqs[i]));
	}
}

/* CNTP stopped: this CPU's physical timer runs no guest's deadline now. */
static void armkvm_cntp_stop(void)
{
	asm volatile("mcr p15, 0, %0, c14, c2, 1" : : "r" (0));	/* CNTP_CTL */
	isb();
}

/* The guest's CNTP can fire: enabled and not masked (its deadline aside). */
static bool armkvm_ptimer_armed(const struct armkvm_ctx_timer *c)
{
	return armkvm_have_ptimer() &&
	       (c->cntp_ctl & (CNTP_CTL_ENABLE | CNTP_CTL_IMASK)) == CNTP_CTL_ENABLE;
}

static u64 armkvm_cntpct(void)
{
	u64 cnt;

	isb();
	asm volatile("mrrc p15, 0, %Q0, %R0, c14" : "=r" (cnt));	/* CNTPCT */
	return cnt;
}

static u64 armkvm_cval(const struct armkvm_ctx_timer *c)
{
	return ((u64)c->cntp_cval_hi << 32) | c->cntp_cval_lo;
}

/* The guest's CNTP output: enabled, not masked and expired. */
bool armkvm_ptimer_level(const struct armkvm_vcpu *vcpu)
{
	const struct armkvm_ctx_timer *c = &vcpu->sw.guest.timer;

	return armkvm_ptimer_armed(c) && armkvm_cntpct() >= armkvm_cval(c);
}

/* Nanoseconds until the guest's CNTP fires; 0 if it has, U64_MAX if it will not. */
u64 armkvm_ptimer_ns_left(const struct armkvm_vcpu *vcpu)
{
	const struct armkvm_ctx_timer *c = &vcpu->sw.guest.timer;
	u64 now, cval, ticks;

	if (!armkvm_ptimer_armed(c))
		return U64_MAX;
	now = armkvm_cntpct();
	cval = armkvm_cval(c);
	if (cval <= now)
		return 0;
	/* At most an hour (then the vCPU wakes and waits again): no overflow below. */
	ticks = min_t(u64, cval - now, (u64)armkvm_cntfrq * 3600);
	return mul_u64_u32_div(ticks, NSEC_PER_SEC, armkvm_cntfrq) + 1;	/* never early */
}

/*
 * Taken only in the host, after an exit: the world switch has stopped CNTP
 * already, so this interrupt has done its job (ending the guest's run).
 */
static irqreturn_t armkvm_ptimer_isr(int irq, void *cookie)
{
	armkvm_cntp_stop();
	return IRQ_HANDLED;
}

/* Each CPU, as it comes online (and those online now): CNTP stopped, its PPIs enabled. */
static int armkvm_ptimer_cpu_up(unsigned int cpu)
{
	armkvm_cntp_stop();
	armkvm_ptimer_mask_local(false);
	return 0;
}

static int armkvm_ptimer_cpu_down(unsigned int cpu)
{
	armkvm_ptimer_mask_local(true);
	return 0;
}

static void armkvm_ptimer_free(void)
{
	int i;

	for (i = 0; i < PTIMER_PPIS; i++) {
		if (armkvm_ptimer_irqs[i])
			free_percpu_irq(armkvm_ptimer_irqs[i], armkvm_ptimer_cookie);
		armkvm_ptimer_irqs[i] = 0;
	}
	free_percpu(armkvm_ptimer_cookie);
	armkvm_ptimer_cookie = NULL;
}

/*
 * Claims the physical timer's interrupts. Without a generic timer, or
 * without its interrupts in the device tree, guests use a device timer
 * (armkvm-virt's SP804): not an error. A host whose own timer is the
 * physical one (a kernel booted in Hyp mode uses CNTP, and its HVC goes to
 * the hyp stub) cannot run armkvm guests: the world switch stops CNTP.
 * Such hosts have the virtualization extensions and should use KVM: -ENODEV.
 */
int armkvm_ptimer_init(void)
{
	struct device_node *np;
	u32 freq;
	int i, ret, claimed = 0;

	if (!armkvm_cpu_has_gtimer())
		return 0;
	asm volatile("mrc p15, 0, %0, c14, c0, 0" : "=r" (freq));	/* CNTFRQ */
	np = of_find_matching_node(NULL, armkvm_timer_of_match);
	if (!np || !freq) {
		of_node_put(np);
		pr_info("armkvm: no generic timer to give guests\n");
		return 0;
	}
	armkvm_ptimer_cookie = alloc_percpu(int);
	if (!armkvm_ptimer_cookie) {
		of_node_put(np);
		return -ENOMEM;
	}
	for (i = 0; i < PTIMER_PPIS; i++) {
		int irq = irq_of_parse_and_map(np, i);

		if (irq <= 0)
			continue;
		ret = request_percpu_irq(irq, armkvm_ptimer_isr, "armkvm-ptimer",
					 armkvm_ptimer_cookie);
		if (ret == -EBUSY) {
			pr_err("armkvm: the host's own timer uses the physical timer (interrupt %d): a kernel booted in Hyp mode? Use KVM on such hosts\n",
			       irq);
			of_node_put(np);
			armkvm_ptimer_free();
			return -ENODEV;
		}
		if (ret) {
			pr_warn("armkvm: cannot claim the physical timer's interrupt %d: %d\n",
				irq, ret);
			continue;
		}
		armkvm_ptimer_irqs[i] = irq;
		claimed++;
	}
	of_node_put(np);
	if (!claimed) {
		armkvm_ptimer_free();
		return 0;
	}
	ret = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "armkvm/ptimer:online",
				armkvm_ptimer_cpu_up, armkvm_ptimer_cpu_down);
	if (ret < 0) {
		pr_warn("armkvm: cannot follow CPU hotplug for the physical timer: %d\n", ret);
		armkvm_ptimer_free();
		return 0;
	}
	armkvm_ptimer_cpuhp = ret;
	armkvm_cntfrq = freq;
	pr_info("armkvm: guests get the physical timer (%u Hz)\n", freq);
	return 0;
}

void armkvm_ptimer_exit(void)
{
	if (!armkvm_have_ptimer())
		return;
	cpuhp_remove_state(armkvm_ptimer_cpuhp);
	armkvm_ptimer_cpuhp = -1;
	armkvm_ptimer_free();
	armkvm_cntfrq = 0;
}
