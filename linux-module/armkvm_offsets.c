// SPDX-License-Identifier: GPL-2.0
/*
 * armkvm: offsets into struct armkvm_switch for armkvm_switch.S, generated
 * the way the kernel's asm-offsets.c are (Kbuild turns the compiler's
 * assembly output into armkvm-offsets.h). Also the layout the switch's
 * block loads and stores assume: fields they move together must stay
 * contiguous and in this order.
 *
 * Copyright (c) 2026 The armkvm developers
 */
#include <linux/build_bug.h>
#include <linux/kbuild.h>
#include <linux/stddef.h>

#include "armkvm_internal.h"

#define SW(sym, field)	OFFSET(sym, armkvm_switch, field)

/* Consecutive fields: what one LDM/STM or a post-indexed run covers. */
#define SW_FOLLOWS(a, b) \
	static_assert(offsetof(struct armkvm_switch, b) == \
		      offsetof(struct armkvm_switch, a) + sizeof_field(struct armkvm_switch, a))

static_assert(offsetof(struct armkvm_switch, guest.usr) == 0);	/* r0-r7 at sw */
SW_FOLLOWS(guest.pc, guest.cpsr);
SW_FOLLOWS(guest.cpsr, guest.svc);	/* svc, abt, und, irq: load_banked in turn */
SW_FOLLOWS(guest.svc, guest.abt);
SW_FOLLOWS(guest.abt, guest.und);
SW_FOLLOWS(guest.und, guest.irq);
SW_FOLLOWS(guest.cp15.dfsr, guest.cp15.dfar);
SW_FOLLOWS(guest.cp15.dfar, guest.cp15.ifsr);
SW_FOLLOWS(guest.cp15.ifsr, guest.cp15.ifar);
SW_FOLLOWS(guest.cp15.cntp_ctl, guest.cp15.cntp_cval_lo);
SW_FOLLOWS(guest.cp15.cntp_cval_lo, guest.cp15.cntp_cval_hi);
SW_FOLLOWS(guest.cp15.cntp_cval_hi, guest.cp15.cntkctl);
static_assert(sizeof_field(struct armkvm_switch, host_banked) == 17 * 4);
static_assert(sizeof_field(struct armkvm_switch, host_cp15) == 13 * 4);
static_assert(sizeof_field(struct armkvm_switch, host_extra) == 6 * 4);
static_assert(sizeof_field(struct armkvm_switch, host_cntv) == 3 * 4);
static_assert(sizeof_field(struct armkvm_switch, host_pmu) == 5 * 4);
/* Indexed by event counter: PMCNTENSET bits 0-30. */
static_assert(ARRAY_SIZE(((struct armkvm_switch *)0)->host_pmevtyper) == 31);

int main(void)
{
	/* The guest's registers: r8-r12, sp_usr, lr_usr by one STM/LDM (user bank). */
	SW(SW_R8, guest.usr[8]);
	SW(SW_PC, guest.pc);
	SW(SW_CPSR, guest.cpsr);
	SW(SW_SVC, guest.svc);
	SW(SW_ABT, guest.abt);
	SW(SW_UND, guest.und);
	SW(SW_IRQ, guest.irq);
	SW(SW_GUEST_DFSR, guest.cp15.dfsr);
	SW(SW_GUEST_CNTP, guest.cp15.cntp_ctl);
	BLANK();
	/* What the switch loads into the hardware and stores back. */
	SW(SW_HW_LIVE, hw_live);
	SW(SW_HW_LIVE_FAULT, hw_live.dfsr);
	SW(SW_EXIT_VECTOR, exit_vector);
	SW(SW_EXIT_LR, exit_lr);
	BLANK();
	/* The host's state, kept while the guest runs. */
	SW(SW_HOST_SP, host_sp);
	SW(SW_HOST_CPSR, host_cpsr);
	SW(SW_HOST_BANKED, host_banked);
	SW(SW_HOST_CP15, host_cp15);
	SW(SW_HOST_CP15_2, host_cp15[10]);
	SW(SW_HOST_EXTRA, host_extra);
	SW(SW_HOST_CNTKCTL, host_cntkctl);
	SW(SW_HOST_CNTV, host_cntv);
	SW(SW_HOST_PMU, host_pmu);
	SW(SW_HOST_PMEVTYPER, host_pmevtyper);
	SW(SW_GUEST_ACTLR, guest_actlr);
	BLANK();
	/* VFP. */
	SW(SW_GUEST_FPEXC, guest_fpexc);
	SW(SW_GUEST_FPSCR, guest_fpscr);
	SW(SW_GUEST_D, guest_d);
	SW(SW_HOST_FPSCR, host_fpscr);
	SW(SW_HOST_D, host_d);
	SW(SW_VFP_D32, vfp_d32);
	BLANK();
	/* The fast path and what the CPU has. */
	SW(SW_FWD_VBAR, fwd_vbar);
	SW(SW_FWD_VECTORS, fwd_vectors);
	SW(SW_FORWARDED, forwarded);
	SW(SW_HAS_GTIMER, has_gtimer);
	SW(SW_HAS_PMU, has_pmu);
	return 0;
}
