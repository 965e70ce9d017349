// SPDX-License-Identifier: GPL-2.0
/*
 * armkvm host module: isolated mode's paravirtual words. A guest
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
 * A guest may also name the word TPIDRURO takes at each exception from its
 * user mode (ARMKVM_HC_PV_ENTRY_TPIDRURO): Linux's current task, which its
 * entry code would otherwise write there, a trap each time.
 *
 * The addresses are the running kernel's: they hold while the guest's MMU is on.
 * With the MMU off (a reset, which puts SCTLR back, or a kernel handing over
 * to another) armkvm forgets it before the next entry, so that it never
 * writes into memory a new boot has put something else in. ONE_REG reads
 * and sets them (ARMKVM_REG_PV_*), so that a restored guest has them named.
 *
 * Copyright (c) 2026 The armkvm developers
 */
#include <linux/highmem.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>
#include <asm/ptrace.h>

#include "armkvm_internal.h"
#include "armkvm_isolated.h"

/* Unmap and let go of the page behind a word named before, if any. */
static void armkvm_pv_drop(u32 **words, u32 *named)
{
	void *p = *words;

	*named = 0;
	if (!p)
		return;
	*words = NULL;
	p = (void *)((unsigned long)p & PAGE_MASK);
	put_page(vmalloc_to_page(p));
	vunmap(p);
}

/*
 * The page of the running kernel's RAM that holds its words at gpa (aligned
 * to align), held and mapped in the kernel for as long as they are named:
 * they are read or written at every entry and exit, where a kmap_local of a
 * highmem page would cost more than the rest of the work.
 */
static int armkvm_pv_hold(struct armkvm_vcpu *vcpu, u32 gpa, u32 align, u32 **words,
			  u32 *named)
{
	struct page *page;
	void *p;

	if ((gpa & (align - 1)) || !(vcpu->sw.arch.sctlr & SCTLR_M))
		return -EINVAL;
	page = armkvm_guest_page(vcpu->vm, gpa);
	if (IS_ERR_OR_NULL(page))
		return -EINVAL;
	p = vmap(&page, 1, VM_MAP, PAGE_KERNEL);
	if (!p)
		return -ENOMEM;
	get_page(page);
	armkvm_pv_drop(words, named);
	*words = p + (gpa & ~PAGE_MASK);
	*named = gpa | ARMKVM_REG_PV_NAMED;
	return 0;
}

/* SET_ONE_REG of ARMKVM_REG_PV_*: named as by the hypercall, or forgotten (0). */
static int armkvm_pv_set_named(struct armkvm_vcpu *vcpu, u32 v, u32 align, u32 **words,
			       u32 *named)
{
	if (!v) {
		armkvm_pv_drop(words, named);
		return 0;
	}
	if (!(v & ARMKVM_REG_PV_NAMED))
		return -EINVAL;
	return armkvm_pv_hold(vcpu, v & ~ARMKVM_REG_PV_NAMED, align, words, named);
}

int armkvm_isolated_pv_irq(struct armkvm_vcpu *vcpu, u32 gpa)
{
	return armkvm_pv_hold(vcpu, gpa, 8, &vcpu->pv_irq_words, &vcpu->pv_irq_named);
}

u32 armkvm_isolated_pv_irq_reg(struct armkvm_vcpu *vcpu)
{
	return vcpu->pv_irq_named;
}

int armkvm_isolated_set_pv_irq_reg(struct armkvm_vcpu *vcpu, u32 v)
{
	return armkvm_pv_set_named(vcpu, v, 8, &vcpu->pv_irq_words, &vcpu->pv_irq_named);
}

/*
 * ARMKVM_HC_PV_ENTRY_TPIDRURO: a word of the kernel's (Linux's __entry_task)
 * that TPIDRURO takes at every exception from the virtual user mode, so that
 * the guest's entry code need not write it (a trap each time).
 */
int armkvm_isolated_pv_entry_tpidruro(struct armkvm_vcpu *vcpu, u32 gpa)
{
	return armkvm_pv_hold(vcpu, gpa, 4, &vcpu->pv_tls_word, &vcpu->pv_tls_named);
}

u32 armkvm_isolated_pv_tls_reg(struct armkvm_vcpu *vcpu)
{
	return vcpu->pv_tls_named;
}

int armkvm_isolated_set_pv_tls_reg(struct armkvm_vcpu *vcpu, u32 v)
{
	return armkvm_pv_set_named(vcpu, v, 4, &vcpu->pv_tls_word, &vcpu->pv_tls_named);
}

/* An exception the virtual CPU takes from its user mode, with pv_tls_word named. */
void armkvm_isolated_pv_user_entry(struct armkvm_vcpu *vcpu)
{
	vcpu->sw.arch.cp15.tpidruro = READ_ONCE(*vcpu->pv_tls_word);
}

void armkvm_isolated_pv_release(struct armkvm_vcpu *vcpu)
{
	armkvm_pv_drop(&vcpu->pv_irq_words, &vcpu->pv_irq_named);
	armkvm_pv_drop(&vcpu->pv_tls_word, &vcpu->pv_tls_named);
}

/* Before an entry: the virtual I bit, and whether an interrupt waits for it. */
void armkvm_isolated_pv_put(struct armkvm_vcpu *vcpu, u32 vcpsr, bool irq_line)
{
	u32 *w = vcpu->pv_irq_words;

	if (!w)
		return;
	WRITE_ONCE(w[0], vcpsr & PSR_I_BIT);
	WRITE_ONCE(w[1], irq_line && (vcpsr & PSR_I_BIT));
}

/* After an exit from a virtual privileged mode: the I bit the guest kept. */
u32 armkvm_isolated_pv_get(struct armkvm_vcpu *vcpu, u32 vcpsr)
{
	if (!vcpu->pv_irq_words || (vcpsr & MODE_MASK) == USR_MODE)
		return vcpsr;
	return READ_ONCE(vcpu->pv_irq_words[0]) ? vcpsr | PSR_I_BIT : vcpsr & ~PSR_I_BIT;
}
