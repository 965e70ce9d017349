// SPDX-License-Identifier: GPL-2.0
/*
 * armkvm: offsets into struct armkvm_passage and struct armkvm_context for
 * armkvm_switch.S, generated the way the kernel's asm-offsets.c are (Kbuild
 * turns the compiler's assembly output into armkvm-offsets.h). Also the
 * layout the switch's block loads and stores assume: fields they move
 * together must stay contiguous and in this order.
 *
 * Copyright (c) 2026 The armkvm developers
 */
#include <linux/build_bug.h>
#include <linux/kbuild.h>
#include <linux/stddef.h>

#include "armkvm_internal.h"

#define CTX(sym, field)	OFFSET(sym, armkvm_context, field)
#define PSG(sym, field)	OFFSET(sym, armkvm_passage, field)

/* Consecutive fields of struct s: what one LDM/STM or a post-indexed run covers. */
#define FOLLOWS(s, a, b) \
	static_assert(offsetof(struct s, b) == offsetof(struct s, a) + sizeof_field(struct s, a))

static_assert(offsetof(struct armkvm_passage, sw) == 0);
static_assert(offsetof(struct armkvm_switch, guest) == 0);
static_assert(offsetof(struct armkvm_context, usr) == 0);	/* r0-r7 at the passage */
FOLLOWS(armkvm_context, usr, pc);
FOLLOWS(armkvm_context, pc, cpsr);
static_assert(sizeof(struct armkvm_bank) == 3 * 4);
static_assert(sizeof(struct armkvm_ctx_cp15) == 14 * 4);
static_assert(sizeof(struct armkvm_ctx_timer) == 4 * 4);
FOLLOWS(armkvm_ctx_vfp, fpexc, fpscr);
FOLLOWS(armkvm_passage, host_vbar, host_sctlr);
FOLLOWS(armkvm_passage, host_sctlr, host_cpacr);
FOLLOWS(armkvm_passage, host_cpacr, host_csselr);
FOLLOWS(armkvm_passage, host_csselr, host_actlr);
static_assert(sizeof_field(struct armkvm_passage, host_fiq) == 8 * 4);
static_assert(sizeof_field(struct armkvm_passage, host_cntv) == 3 * 4);
static_assert(sizeof_field(struct armkvm_passage, host_pmu) == 5 * 4);
/* Indexed by event counter: PMCNTENSET bits 0-30. */
static_assert(ARRAY_SIZE(((struct armkvm_passage *)0)->host_pmevtyper) == 31);

int main(void)
{
	/* Every CPU context, host's and guest's alike. */
	CTX(CTX_R8, usr[8]);
	CTX(CTX_SP_USR, usr[13]);
	CTX(CTX_PC, pc);
	CTX(CTX_CPSR, cpsr);
	CTX(CTX_BANKS, bank);
	CTX(CTX_CP15, cp15);
	CTX(CTX_TIMER, timer);
	CTX(CTX_FPEXC, vfp.fpexc);
	CTX(CTX_FPSCR, vfp.fpscr);
	CTX(CTX_D, vfp.d);
	BLANK();
	/* The vCPU's part (struct armkvm_switch, at the passage's start). */
	PSG(SW_GUEST, sw.guest);
	PSG(SW_ARCH_FAULT, sw.arch.cp15.dfsr);
	PSG(SW_EXIT_VECTOR, sw.exit_vector);
	PSG(SW_EXIT_LR, sw.exit_lr);
	PSG(SW_FWD_VBAR, sw.fwd_vbar);
	PSG(SW_FWD_VECTORS, sw.fwd_vectors);
	PSG(SW_FORWARDED, sw.forwarded);
	PSG(SW_HAS_GTIMER, sw.has_gtimer);
	PSG(SW_HAS_PMU, sw.has_pmu);
	PSG(SW_VFP_D32, sw.vfp_d32);
	PSG(SW_GUEST_ACTLR, sw.guest_actlr);
	BLANK();
	/* The host's state, which stays in the passage. */
	PSG(PSG_HOST, host);
	PSG(PSG_HOST_FIQ, host_fiq);
	PSG(PSG_HOST_VBAR, host_vbar);
	PSG(PSG_HOST_SCTLR, host_sctlr);
	PSG(PSG_HOST_CPACR, host_cpacr);
	PSG(PSG_HOST_ACTLR, host_actlr);
	PSG(PSG_HOST_CNTV, host_cntv);
	PSG(PSG_HOST_PMU, host_pmu);
	PSG(PSG_HOST_PMEVTYPER, host_pmevtyper);
	return 0;
}
