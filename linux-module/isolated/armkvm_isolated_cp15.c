// SPDX-License-Identifier: GPL-2.0
/*
 * armkvm host module: isolated mode's virtual CP15. At the CPU's user mode
 * every privileged MRC and MCR to CP15 is UNDEFINED: the guest kernel's
 * accesses trap, and are done here on the virtual registers (vcpu->sw.arch),
 * never on the real ones. TLB maintenance drops shadow entries
 * (armkvm_shadow.c); cache maintenance is done on the real caches, never as
 * an invalidate that could drop the host's data.
 * Identification registers are the real CPU's but MPIDR (one CPU).
 * What is not listed is left to the caller (ARMKVM_INTERNAL_UNSUPPORTED_INSN).
 *
 * Copyright (c) 2026 The armkvm developers
 */
#include <linux/highmem.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <asm/barrier.h>
#include <asm/ptrace.h>

#include "armkvm_internal.h"
#include "armkvm_isolated.h"

/* An MRC or MCR's coordinates: CRn, opc1, CRm, opc2, in one number. */
#define CP15(crn, opc1, crm, opc2)	(((crn) << 12) | ((opc1) << 8) | ((crm) << 4) | (opc2))

/* The virtual register an MRC/MCR names, or NULL. */
static u32 *armkvm_cp15_reg(struct armkvm_vcpu *vcpu, u32 id)
{
	struct armkvm_guest_arch *a = &vcpu->sw.arch;

	switch (id) {
	case CP15(1, 0, 0, 0):	return &a->sctlr;
	case CP15(1, 0, 0, 2):	return &a->cpacr;
	case CP15(0, 2, 0, 0):	return &a->csselr;
	case CP15(2, 0, 0, 0):	return &a->cp15.ttbr0;
	case CP15(2, 0, 0, 1):	return &a->cp15.ttbr1;
	case CP15(2, 0, 0, 2):	return &a->cp15.ttbcr;
	case CP15(3, 0, 0, 0):	return &a->cp15.dacr;
	case CP15(5, 0, 0, 0):	return &a->cp15.dfsr;
	case CP15(5, 0, 0, 1):	return &a->cp15.ifsr;
	case CP15(6, 0, 0, 0):	return &a->cp15.dfar;
	case CP15(6, 0, 0, 2):	return &a->cp15.ifar;
	case CP15(10, 0, 2, 0):	return &a->cp15.prrr;
	case CP15(10, 0, 2, 1):	return &a->cp15.nmrr;
	case CP15(12, 0, 0, 0):	return &a->vbar;
	case CP15(13, 0, 0, 1):	return &a->cp15.contextidr;
	case CP15(13, 0, 0, 2):	return &a->cp15.tpidrurw;
	case CP15(13, 0, 0, 3):	return &a->cp15.tpidruro;
	case CP15(13, 0, 0, 4):	return &a->cp15.tpidrprw;
	/* The virtual CNTKCTL: the real one follows the virtual privilege at entry. */
	case CP15(14, 0, 1, 0):	return &vcpu->sw.guest.timer.cntkctl;
	default:		return NULL;
	}
}

/*
 * Registers whose change alters every translation (SCTLR: M, AFE; TTBCR;
 * DACR): the shadow is dropped. TTBRs and CONTEXTIDR only select a root.
 */
static bool armkvm_cp15_regime(u32 id)
{
	return id == CP15(1, 0, 0, 0) || id == CP15(2, 0, 0, 2) || id == CP15(3, 0, 0, 0);
}

/*
 * The real CCSIDR of the cache the guest's CSSELR selects: the real CSSELR,
 * the host's to keep, is set for the read and put back.
 */
static u32 armkvm_ccsidr(u32 csselr)
{
	unsigned long flags;
	u32 old, val;

	local_irq_save(flags);
	asm volatile("mrc p15, 2, %0, c0, c0, 0" : "=r" (old));
	asm volatile("mcr p15, 2, %0, c0, c0, 0" : : "r" (csselr));
	isb();
	asm volatile("mrc p15, 1, %0, c0, c0, 0" : "=r" (val));
	asm volatile("mcr p15, 2, %0, c0, c0, 0" : : "r" (old));
	isb();
	local_irq_restore(flags);
	return val;
}

/* A feature register of c0 (opc1 0): the real CPU's. */
#define ARMKVM_MRC_ID(crm, opc2) ({						\
	u32 __v;								\
	asm volatile("mrc p15, 0, %0, c0, c" #crm ", " #opc2 : "=r" (__v));	\
	__v;									\
})

/*
 * Identification registers: the real CPU's, read-only, but for MPIDR (one
 * CPU) and the implementation-defined TCMTR, TLBTR and AIDR (no TCM, no
 * lockdown, nothing); and the two control registers a guest may write but
 * not change, ACTLR (the host's coherency and errata bits) and FCSEIDR.
 */
static bool armkvm_cp15_id(struct armkvm_vcpu *vcpu, u32 id, u32 *val)
{
	switch (id) {
	case CP15(0, 1, 0, 0):
		*val = armkvm_ccsidr(vcpu->sw.arch.csselr);
		return true;
	case CP15(0, 1, 0, 1):
		asm volatile("mrc p15, 1, %0, c0, c0, 1" : "=r" (*val));	/* CLIDR */
		return true;
	case CP15(0, 0, 0, 0):
		asm volatile("mrc p15, 0, %0, c0, c0, 0" : "=r" (*val));
		return true;
	case CP15(0, 0, 0, 1):
		asm volatile("mrc p15, 0, %0, c0, c0, 1" : "=r" (*val));
		return true;
	case CP15(0, 0, 0, 5):
		*val = 0x80000000u;	/* MPIDR: one CPU, multiprocessor format */
		return true;
	case CP15(0, 0, 0, 2):	/* TCMTR */
	case CP15(0, 0, 0, 3):	/* TLBTR: unified TLB, no lockable entries */
	case CP15(0, 1, 0, 7):	/* AIDR */
		*val = 0;
		return true;
	case CP15(1, 0, 0, 1):	/* ACTLR: the real one; writes ignored */
		asm volatile("mrc p15, 0, %0, c1, c0, 1" : "=r" (*val));
		return true;
	case CP15(13, 0, 0, 0):	/* FCSEIDR: no FCSE (ARMv7 may have none); writes ignored */
		*val = 0;
		return true;
	case CP15(0, 0, 0, 6):	/* REVIDR: an alias of MIDR where not implemented */
		asm volatile("mrc p15, 0, %0, c0, c0, 6" : "=r" (*val));
		return true;
	case CP15(0, 0, 1, 0):	/* ID_PFR0 */
		*val = ARMKVM_MRC_ID(1, 0);
		return true;
	case CP15(0, 0, 1, 1):	/* ID_PFR1 */
		*val = ARMKVM_MRC_ID(1, 1);
		return true;
	case CP15(0, 0, 1, 2):	/* ID_DFR0 */
		*val = ARMKVM_MRC_ID(1, 2);
		return true;
	case CP15(0, 0, 1, 3):	/* ID_AFR0 */
		*val = ARMKVM_MRC_ID(1, 3);
		return true;
	case CP15(0, 0, 1, 4):	/* ID_MMFR0 */
		*val = ARMKVM_MRC_ID(1, 4);
		return true;
	case CP15(0, 0, 1, 5):	/* ID_MMFR1 */
		*val = ARMKVM_MRC_ID(1, 5);
		return true;
	case CP15(0, 0, 1, 6):	/* ID_MMFR2 */
		*val = ARMKVM_MRC_ID(1, 6);
		return true;
	case CP15(0, 0, 1, 7):	/* ID_MMFR3 */
		*val = ARMKVM_MRC_ID(1, 7);
		return true;
	case CP15(0, 0, 2, 0):	/* ID_ISAR0 */
		*val = ARMKVM_MRC_ID(2, 0);
		return true;
	case CP15(0, 0, 2, 1):	/* ID_ISAR1 */
		*val = ARMKVM_MRC_ID(2, 1);
		return true;
	case CP15(0, 0, 2, 2):	/* ID_ISAR2 */
		*val = ARMKVM_MRC_ID(2, 2);
		return true;
	case CP15(0, 0, 2, 3):	/* ID_ISAR3 */
		*val = ARMKVM_MRC_ID(2, 3);
		return true;
	case CP15(0, 0, 2, 4):	/* ID_ISAR4 */
		*val = ARMKVM_MRC_ID(2, 4);
		return true;
	case CP15(0, 0, 2, 5):	/* ID_ISAR5 */
		*val = ARMKVM_MRC_ID(2, 5);
		return true;
	default:
		return false;
	}
}

/*
 * The whole I-cache and branch predictor, on every CPU where the CPU has the
 * multiprocessing extensions (MPIDR's format bit): the vCPU thread may move.
 */
void armkvm_icache_inval_all(void)
{
	u32 mpidr;

	asm volatile("mrc p15, 0, %0, c0, c0, 5" : "=r" (mpidr));
	if (mpidr & BIT(31))
		asm volatile("mcr p15, 0, %0, c7, c1, 0\n\t"	/* ICIALLUIS */
			     "mcr p15, 0, %0, c7, c1, 6"	/* BPIALLIS */
			     : : "r" (0) : "memory");
	else
		asm volatile("mcr p15, 0, %0, c7, c5, 0\n\t"	/* ICIALLU */
			     "mcr p15, 0, %0, c7, c5, 6"	/* BPIALL */
			     : : "r" (0) : "memory");
	dsb(ish);
	isb();
}

/*
 * Maintenance and barrier operations (MCR to c7 and c8); false if not one.
 * Data cache operations by address act on the host's alias of the guest's
 * line (ARMv7 data caches behave as physically indexed); an invalidate is
 * always done as clean and invalidate, which loses nothing anyone wrote. By
 * set/way the guest's operand goes to the real cache as clean and
 * invalidate: that line of some set and way, never data thrown away. An
 * address outside guest RAM is ignored (a device: nothing cached).
 */
static bool armkvm_cp15_op(struct armkvm_vcpu *vcpu, u32 id, u32 val)
{
	void *line;

	switch (id) {
	case CP15(7, 0, 5, 0):	/* ICIALLU */
	case CP15(7, 0, 5, 1):	/* ICIMVAU: the I-cache may be virtually indexed */
	case CP15(7, 0, 5, 6):	/* BPIALL */
	case CP15(7, 0, 5, 7):	/* BPIMVA */
	case CP15(7, 0, 1, 0):	/* ICIALLUIS */
	case CP15(7, 0, 1, 6):	/* BPIALLIS */
		armkvm_icache_inval_all();
		return true;
	case CP15(7, 0, 11, 1):	/* DCCMVAU */
		line = armkvm_isolated_kmap(vcpu, val);
		if (line) {
			asm volatile("mcr p15, 0, %0, c7, c11, 1" : : "r" (line) : "memory");
			kunmap_local(line);
		}
		dsb(ish);
		return true;
	case CP15(7, 0, 10, 1):	/* DCCMVAC */
		line = armkvm_isolated_kmap(vcpu, val);
		if (line) {
			asm volatile("mcr p15, 0, %0, c7, c10, 1" : : "r" (line) : "memory");
			kunmap_local(line);
		}
		dsb(sy);
		return true;
	case CP15(7, 0, 6, 1):	/* DCIMVAC */
	case CP15(7, 0, 14, 1):	/* DCCIMVAC */
		line = armkvm_isolated_kmap(vcpu, val);
		if (line) {
			asm volatile("mcr p15, 0, %0, c7, c14, 1" : : "r" (line) : "memory");
			kunmap_local(line);
		}
		dsb(sy);
		return true;
	case CP15(7, 0, 6, 2):	/* DCISW */
	case CP15(7, 0, 10, 2):	/* DCCSW */
	case CP15(7, 0, 14, 2):	/* DCCISW */
		asm volatile("mcr p15, 0, %0, c7, c14, 2" : : "r" (val) : "memory");
		dsb(sy);
		return true;
	case CP15(1, 0, 0, 1):	/* ACTLR */
	case CP15(13, 0, 0, 0):	/* FCSEIDR */
		return true;
	case CP15(7, 0, 5, 4):	/* CP15ISB */
		isb();
		return true;
	case CP15(7, 0, 10, 4):	/* CP15DSB */
	case CP15(7, 0, 10, 5):	/* CP15DMB */
		dsb(sy);
		return true;
	/* TLB maintenance: the shadow is the guest's TLB (every entry flushes the real one). */
	case CP15(8, 0, 7, 0):	/* TLBIALL */
	case CP15(8, 0, 3, 0):	/* TLBIALLIS */
	case CP15(8, 0, 5, 0):	/* ITLBIALL */
	case CP15(8, 0, 6, 0):	/* DTLBIALL */
		armkvm_shadow_tlbi(vcpu, ARMKVM_TLBI_ALL, val);
		return true;
	case CP15(8, 0, 7, 2):	/* TLBIASID */
	case CP15(8, 0, 3, 2):	/* TLBIASIDIS */
	case CP15(8, 0, 5, 2):	/* ITLBIASID */
	case CP15(8, 0, 6, 2):	/* DTLBIASID */
		armkvm_shadow_tlbi(vcpu, ARMKVM_TLBI_ASID, val);
		return true;
	case CP15(8, 0, 7, 1):	/* TLBIMVA */
	case CP15(8, 0, 7, 3):	/* TLBIMVAA */
	case CP15(8, 0, 3, 1):	/* TLBIMVAIS */
	case CP15(8, 0, 3, 3):	/* TLBIMVAAIS */
	case CP15(8, 0, 5, 1):	/* ITLBIMVA */
	case CP15(8, 0, 6, 1):	/* DTLBIMVA */
		armkvm_shadow_tlbi(vcpu, ARMKVM_TLBI_MVA, val);
		return true;
	default:
		return false;
	}
}

/*
 * Emulate A32 MRC/MCR p15 insn from a virtual privileged mode. Returns 1
 * (done, pc advanced) or 0 if it is not one isolated mode emulates.
 */
int armkvm_isolated_cp15(struct armkvm_vcpu *vcpu, u32 insn)
{
	u32 id = CP15((insn >> 16) & 0xf, (insn >> 21) & 7, insn & 0xf, (insn >> 5) & 7);
	unsigned int rt = (insn >> 12) & 0xf;
	bool read = insn & BIT(20);
	u32 *reg, val;

	if (!armkvm_is_cp15_access(insn))
		return 0;
	if (!armkvm_cond_passed(insn >> 28, vcpu->sw.guest.cpsr)) {
		vcpu->sw.guest.pc += 4;
		return 1;
	}
	if (read) {
		reg = armkvm_cp15_reg(vcpu, id);
		if (reg)
			val = *reg;
		else if (!armkvm_cp15_id(vcpu, id, &val))
			return 0;
		*armkvm_vcpu_reg(vcpu, rt) = val;
	} else {
		val = *armkvm_vcpu_reg(vcpu, rt);
		reg = armkvm_cp15_reg(vcpu, id);
		if (reg) {
			if (id == CP15(1, 0, 0, 2))
				val &= CPACR_CP10_CP11;	/* ASEDIS, D32DIS: not enforced, RAZ */
			if (id == CP15(0, 2, 0, 0))
				val &= 0xf;		/* Level, InD */
			if (id == CP15(1, 0, 0, 0))
				val |= ARMKVM_SCTLR_RAO;
			if (*reg != val) {
				if (armkvm_cp15_regime(id))
					armkvm_shadow_flush(vcpu);	/* the walk cache too */
				else
					armkvm_walk_cache_flush(vcpu);
			}
			*reg = val;
		} else if (!armkvm_cp15_op(vcpu, id, val)) {
			return 0;
		}
	}
	vcpu->sw.guest.pc += 4;
	return 1;
}

/*
 * A32 MRC/MCR p14 from a virtual privileged mode: the one CP14 register a
 * kernel sets up, ThumbEE's TEECR (Linux's __v7_setup sets XED), virtual.
 * XED is not enforced on the guest's user mode: TEEHBR stays reachable
 * there, as it is to any host process. Returns 1 (done) or 0 (not one).
 */
int armkvm_isolated_cp14(struct armkvm_vcpu *vcpu, u32 insn)
{
	unsigned int rt = (insn >> 12) & 0xf;

	/* MRC/MCR p14, 6, Rt, c0, c0, 0 (TEECR); never with pc. */
	if ((insn & 0x0fef0fff) != 0x0ec00e10 || rt == 15)
		return 0;
	if (armkvm_cond_passed(insn >> 28, vcpu->sw.guest.cpsr)) {
		if (insn & BIT(20))
			*armkvm_vcpu_reg(vcpu, rt) = vcpu->sw.arch.teecr;
		else
			vcpu->sw.arch.teecr = *armkvm_vcpu_reg(vcpu, rt) & 1;
	}
	vcpu->sw.guest.pc += 4;
	return 1;
}
