/* SPDX-License-Identifier: GPL-2.0 */
/*
 * armkvm host module: what isolated mode's files share (docs/isolated-mode.md).
 *
 * Copyright (c) 2026 The armkvm developers
 */
#ifndef ARMKVM_ISOLATED_H
#define ARMKVM_ISOLATED_H

#include <linux/types.h>

struct armkvm_vcpu;
struct armkvm_vm;

/* What an access or a translation may do: as QEMU's PAGE_READ, _WRITE, _EXEC. */
#define ARMKVM_PROT_READ	1u
#define ARMKVM_PROT_WRITE	2u
#define ARMKVM_PROT_EXEC	4u

/* The kinds of access a guest walk checks (one of the bits above). */
enum armkvm_access {
	ARMKVM_ACCESS_READ = ARMKVM_PROT_READ,
	ARMKVM_ACCESS_WRITE = ARMKVM_PROT_WRITE,
	ARMKVM_ACCESS_FETCH = ARMKVM_PROT_EXEC,
};

/* The guest's fault status codes (short-descriptor DFSR/IFSR FS[3:0], B3.13.3). */
#define ARMKVM_FS_ALIGNMENT		0x1
#define ARMKVM_FS_DEBUG			0x2
#define ARMKVM_FS_ACCESS_SECTION	0x3
#define ARMKVM_FS_TRANSLATION_SECTION	0x5
#define ARMKVM_FS_ACCESS_PAGE		0x6
#define ARMKVM_FS_TRANSLATION_PAGE	0x7
#define ARMKVM_FS_DOMAIN_SECTION	0x9
#define ARMKVM_FS_DOMAIN_PAGE		0xb
#define ARMKVM_FS_WALK_EXTERNAL_L1	0xc
#define ARMKVM_FS_PERMISSION_SECTION	0xd
#define ARMKVM_FS_WALK_EXTERNAL_L2	0xe
#define ARMKVM_FS_PERMISSION_PAGE	0xf

/*
 * The guest's translation of one virtual address, as its MMU would make it
 * for one privilege: where it goes and what that privilege may do there,
 * or the fault status the guest takes (fsr: FS and domain, no WnR).
 */
struct armkvm_walk {
	u32 pa;			/* guest-physical */
	u32 prot;		/* ARMKVM_PROT_*, for the privilege walked */
	u32 l1desc;		/* the first-level descriptor the walk used */
	u32 fsr;		/* if it faulted */
};

/* The guest regime a walk reads (virtual TTBR0, TTBR1, TTBCR): a shadow root's key. */
struct armkvm_regime {
	u32 ttbr0, ttbr1, ttbcr;
};

/* isolated/armkvm_guest_walk.c: the guest's short-descriptor translation, in software */
void armkvm_guest_regime(const struct armkvm_vcpu *vcpu, struct armkvm_regime *r);
int armkvm_guest_walk(struct armkvm_vcpu *vcpu, u32 va, enum armkvm_access access, bool user,
		      struct armkvm_walk *w);
bool armkvm_guest_l1desc(struct armkvm_vm *vm, const struct armkvm_regime *r, u32 va, u32 *desc);
int armkvm_isolated_guest_read(struct armkvm_vcpu *vcpu, u32 va, void *buf, unsigned int len);
int armkvm_isolated_kernel_fetch(struct armkvm_vcpu *vcpu, u32 va, u32 *insn);

/* isolated/armkvm_shadow.c: the module's own TLB of the guest's translations */
void armkvm_walk_cache_flush(struct armkvm_vcpu *vcpu);
bool armkvm_walk_cache_lookup(struct armkvm_vcpu *vcpu, u32 va, bool user, u32 access, u32 *gpa);
void armkvm_walk_cache_insert(struct armkvm_vcpu *vcpu, u32 va, bool user,
			      const struct armkvm_walk *w);
void *armkvm_isolated_kmap(struct armkvm_vcpu *vcpu, u32 va);
int armkvm_isolated_access_word(struct armkvm_vcpu *vcpu, u32 va, bool write, u32 *val);
int armkvm_isolated_read(struct armkvm_vcpu *vcpu, u32 va, void *buf, unsigned int len);

/* The replacement encodings (armkvm_isolated_sensitive.c): A32 UDF and its imm16. */
#define ARMKVM_UDF_MASK		0xfff000f0u
#define ARMKVM_UDF_A32		0xe7f000f0u
#define ARMKVM_FORMAT_I_FIRST	0xa000u
#define ARMKVM_FORMAT_I_LAST	0xafffu
#define ARMKVM_FORMAT_O		0xb000u

static inline u32 armkvm_udf_imm16(u32 insn)
{
	return ((insn >> 4) & 0xfff0) | (insn & 0xf);
}

/* An A32 MRC or MCR of CP15 that does not name pc: what the CP15 emulation takes. */
static inline bool armkvm_is_cp15_access(u32 insn)
{
	return (insn & 0x0f000f10) == 0x0e000f10 && ((insn >> 12) & 0xf) != 15;
}

/* isolated/armkvm_isolated_chain.c: trapping instructions in a row, in one exit */
#define ARMKVM_CHAIN_MAX	4
int armkvm_isolated_chain(struct armkvm_vcpu *vcpu, u32 insn, u32 cpsr, int ret,
			  int (*emulate)(struct armkvm_vcpu *vcpu, u32 insn));

/* isolated/armkvm_guest_ram.c: guest-physical RAM, the block or the caller's slots */
struct armkvm_userspace_memory_region;
struct page;
struct page *armkvm_guest_page(struct armkvm_vm *vm, u32 gpa);
int armkvm_guest_phys_access(struct armkvm_vm *vm, u32 gpa, void *buf, unsigned int len,
			     bool write);

/* The guest's TLB maintenance, by what it names (ITLB and DTLB forms as the unified ones). */
enum armkvm_tlbi {
	ARMKVM_TLBI_ALL,
	ARMKVM_TLBI_ASID,
	ARMKVM_TLBI_MVA,		/* TLBIMVA and TLBIMVAA: every ASID's entries go */
};

/* CPACR's cp10 and cp11 fields, the one part of it isolated mode keeps. */
#define CPACR_CP10_CP11		0x00f00000u
/*
 * The virtual SCTLR's bits that ARMv7's VMSA reserves as read-as-one (3-6,
 * 16, 18, 22 U, 23): its reset value, with M, C, I, V and the rest clear.
 */
#define ARMKVM_SCTLR_RAO	0x00c50078u

/* isolated/armkvm_isolated_vfp.c: the VFP's system registers */
int armkvm_isolated_vfp_sys(struct armkvm_vcpu *vcpu, u32 insn);
u32 armkvm_isolated_real_fpexc(const struct armkvm_vcpu *vcpu, u32 vcpsr);

/* isolated/armkvm_isolated_cp15.c: ICIALLU(IS) and BPIALL(IS), as the CPU allows */
void armkvm_icache_inval_all(void);

/* isolated/armkvm_isolated.c */
int armkvm_isolated_abort(struct armkvm_vcpu *vcpu, bool fetch, u32 fsr, u32 far, u32 lr);

/* isolated/armkvm_isolated_sensitive.c: the replacement encodings */
int armkvm_isolated_sensitive(struct armkvm_vcpu *vcpu, u32 insn);

/* armkvm_isolated_pv.c */
void armkvm_isolated_pv_release(struct armkvm_vcpu *vcpu);
void armkvm_isolated_pv_put(struct armkvm_vcpu *vcpu, u32 vcpsr, bool irq_line);
u32 armkvm_isolated_pv_get(struct armkvm_vcpu *vcpu, u32 vcpsr);

/* isolated/armkvm_isolated_ret_user.c: Linux's return to user space, one trap */
int armkvm_isolated_ret_user(struct armkvm_vcpu *vcpu, u32 ops);

/* isolated/armkvm_window.c: armkvm's own pages, the one part of the window in a root */
struct kmem_cache;
int armkvm_window_init(struct kmem_cache *l2_cache);
void armkvm_window_exit(struct kmem_cache *l2_cache);
void armkvm_window_write(u32 *l1);

/* isolated/armkvm_shadow.c: the shadow page tables the real MMU walks */
int armkvm_shadow_init(void);
void armkvm_shadow_clean(const void *p, size_t len);
void armkvm_shadow_exit(void);
void armkvm_shadow_release(struct armkvm_vcpu *vcpu);
int armkvm_shadow_prepare(struct armkvm_vcpu *vcpu);
int armkvm_shadow_abort(struct armkvm_vcpu *vcpu, bool fetch);
void armkvm_shadow_tlbi(struct armkvm_vcpu *vcpu, enum armkvm_tlbi op, u32 val);
void armkvm_shadow_flush(struct armkvm_vcpu *vcpu);

#endif
