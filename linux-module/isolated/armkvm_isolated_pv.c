// SPDX-License-Identifier: GPL-2.0
/*
 * armkvm host module: isolated mode's paravirtual interrupt flags. A guest
 * kernel masks interrupts thousands of times a second; in user mode CPSID
 * and MSR do nothing, and a trap for each would cost a world switch. So the
 * guest keeps its virtual CPSR.I in two words of its own RAM that it names
 * with ARMKVM_HC_PV_IRQ (guest-physical, 8-byte aligned):
 *
 *   word 0  masked	the guest's: PSR_I_BIT while interrupts are masked, else 0
 *   word 1  pending	armkvm's: nonzero while an interrupt waits for the unmask
 *
 * armkvm writes both before each entry and reads "masked" after each exit
 * from a virtual privileged mode; the guest, unmasking with "pending" set,
 * traps once (UDF #0xb100) so that the interrupt is taken before its next
 * instruction. The words are guest memory: the guest can only lie about its
 * own I bit, which it owns anyway.
 *
 * The address is the running kernel's: it holds while the guest's MMU is on.
 * With the MMU off (a reset, which puts SCTLR back, or a kernel handing over
 * to another) armkvm forgets it before the next entry, so that it never
 * writes into memory a new boot has put something else in.
 *
 * Copyright (c) 2026 The armkvm developers
 */
#include <linux/highmem.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <asm/ptrace.h>

#include "armkvm_internal.h"
#include "armkvm_isolated.h"

int armkvm_isolated_pv_irq(struct armkvm_vcpu *vcpu, u32 gpa)
{
	struct page *page;

	if ((gpa & 7) || !(vcpu->sw.arch.sctlr & SCTLR_M))
		return -EINVAL;
	page = armkvm_guest_page(vcpu->vm, gpa);
	if (IS_ERR_OR_NULL(page))
		return -EINVAL;
	get_page(page);
	if (vcpu->pv_irq_page)
		put_page(vcpu->pv_irq_page);
	vcpu->pv_irq_page = page;
	vcpu->pv_irq_offset = gpa & ~PAGE_MASK;
	return 0;
}

void armkvm_isolated_pv_release(struct armkvm_vcpu *vcpu)
{
	if (vcpu->pv_irq_page)
		put_page(vcpu->pv_irq_page);
	vcpu->pv_irq_page = NULL;
}

/* Before an entry: the virtual I bit, and whether an interrupt waits for it. */
void armkvm_isolated_pv_put(struct armkvm_vcpu *vcpu, u32 vcpsr, bool irq_line)
{
	u32 *w;

	if (!vcpu->pv_irq_page)
		return;
	w = kmap_local_page(vcpu->pv_irq_page) + vcpu->pv_irq_offset;
	WRITE_ONCE(w[0], vcpsr & PSR_I_BIT);
	WRITE_ONCE(w[1], irq_line && (vcpsr & PSR_I_BIT));
	kunmap_local(w);
}

/* After an exit from a virtual privileged mode: the I bit the guest kept. */
u32 armkvm_isolated_pv_get(struct armkvm_vcpu *vcpu, u32 vcpsr)
{
	u32 *w, masked;

	if (!vcpu->pv_irq_page || (vcpsr & MODE_MASK) == USR_MODE)
		return vcpsr;
	w = kmap_local_page(vcpu->pv_irq_page) + vcpu->pv_irq_offset;
	masked = READ_ONCE(w[0]);
	kunmap_local(w);
	return masked ? vcpsr | PSR_I_BIT : vcpsr & ~PSR_I_BIT;
}
