// SPDX-License-Identifier: GPL-2.0
/*
 * armkvm host module: the guest's registers as the ABI names them
 * (struct armkvm_core_regs) and where they live in the vCPU (its context,
 * struct armkvm_context, and its own view of CP15, struct armkvm_guest_arch).
 *
 * Copyright (c) 2026 The armkvm developers
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/vfp.h>

#include "armkvm_internal.h"

static u32 *armkvm_uapi_bank_regs(struct armkvm_core_regs *regs, enum armkvm_bank_id b)
{
	u32 *banks[ARMKVM_BANKS] = {
		[ARMKVM_BANK_SVC] = regs->svc, [ARMKVM_BANK_ABT] = regs->abt,
		[ARMKVM_BANK_UND] = regs->und, [ARMKVM_BANK_IRQ] = regs->irq,
	};

	return banks[b];
}

void armkvm_context_to_regs(const struct armkvm_context *ctx, const struct armkvm_guest_arch *arch,
			    struct armkvm_core_regs *regs)
{
	const struct armkvm_ctx_cp15 *c = &arch->cp15;
	enum armkvm_bank_id b;
	u32 *bank;

	memset(regs, 0, sizeof(*regs));
	memcpy(regs->usr, ctx->usr, sizeof(regs->usr));
	regs->pc = ctx->pc;
	regs->cpsr = ctx->cpsr;
	for (b = 0; b < ARMKVM_BANKS; b++) {
		bank = armkvm_uapi_bank_regs(regs, b);
		bank[0] = ctx->bank[b].sp;
		bank[1] = ctx->bank[b].lr;
		bank[2] = ctx->bank[b].spsr;
	}
	regs->vbar = arch->vbar;
	regs->cp15 = (struct armkvm_cp15_regs) {
		.sctlr = arch->sctlr,
		.ttbr0 = c->ttbr0, .ttbr1 = c->ttbr1, .ttbcr = c->ttbcr, .dacr = c->dacr,
		.prrr = c->prrr, .nmrr = c->nmrr, .contextidr = c->contextidr,
		.tpidrurw = c->tpidrurw, .tpidruro = c->tpidruro, .tpidrprw = c->tpidrprw,
		.dfsr = c->dfsr, .dfar = c->dfar, .ifsr = c->ifsr, .ifar = c->ifar,
		.cntp_ctl = ctx->timer.cntp_ctl, .cntp_cval_lo = ctx->timer.cntp_cval_lo,
		.cntp_cval_hi = ctx->timer.cntp_cval_hi, .cntkctl = ctx->timer.cntkctl,
	};
}

/* Values as given: the mode's set_regs has checked and masked them. */
void armkvm_regs_to_context(struct armkvm_core_regs *regs, struct armkvm_context *ctx,
			    struct armkvm_guest_arch *arch)
{
	const struct armkvm_cp15_regs *c = &regs->cp15;
	enum armkvm_bank_id b;
	u32 *bank;

	memcpy(ctx->usr, regs->usr, sizeof(ctx->usr));
	ctx->pc = regs->pc;
	ctx->cpsr = regs->cpsr;
	for (b = 0; b < ARMKVM_BANKS; b++) {
		bank = armkvm_uapi_bank_regs(regs, b);
		ctx->bank[b] = (struct armkvm_bank) { bank[0], bank[1], bank[2] };
	}
	arch->vbar = regs->vbar;
	arch->sctlr = c->sctlr;
	arch->cp15 = (struct armkvm_ctx_cp15) {
		.ttbr0 = c->ttbr0, .ttbr1 = c->ttbr1, .ttbcr = c->ttbcr, .dacr = c->dacr,
		.prrr = c->prrr, .nmrr = c->nmrr, .contextidr = c->contextidr,
		.tpidrurw = c->tpidrurw, .tpidruro = c->tpidruro, .tpidrprw = c->tpidrprw,
		.dfsr = c->dfsr, .dfar = c->dfar, .ifsr = c->ifsr, .ifar = c->ifar,
	};
	ctx->timer = (struct armkvm_ctx_timer) {
		c->cntp_ctl, c->cntp_cval_lo, c->cntp_cval_hi, c->cntkctl,
	};
}

/* New state (reset, loadvm, a debugger): the last exit's instruction is history. */
static void armkvm_state_replaced(struct armkvm_vcpu *vcpu)
{
	vcpu->pending = ARMKVM_PENDING_NONE;
	vcpu->mmio.count = 0;
	vcpu->mmio.done = 0;
	vcpu->ram_dirty = true;
}

static int armkvm_set_regs(struct armkvm_vcpu *vcpu, struct armkvm_core_regs *regs)
{
	int ret = vcpu->vm->ops->set_regs(vcpu, regs);

	if (!ret)
		armkvm_state_replaced(vcpu);
	return ret;
}

static void armkvm_get_vfp(struct armkvm_vcpu *vcpu, struct armkvm_vfp_regs *vfp)
{
	const struct armkvm_ctx_vfp *v = &vcpu->sw.guest.vfp;

	memset(vfp, 0, sizeof(*vfp));
	memcpy(vfp->d, v->d, sizeof(vfp->d));
	vfp->fpscr = v->fpscr;
	vfp->fpexc = v->fpexc;
}

static void armkvm_set_vfp(struct armkvm_vcpu *vcpu, const struct armkvm_vfp_regs *vfp)
{
	struct armkvm_ctx_vfp *v = &vcpu->sw.guest.vfp;

	memcpy(v->d, vfp->d, sizeof(v->d));
	if (!vcpu->sw.vfp_d32)
		memset(&v->d[16], 0, 16 * sizeof(u64));
	v->fpscr = vfp->fpscr;
	/* Only EN is the guest's to set here; the exception bits are not emulated. */
	v->fpexc = vfp->fpexc & FPEXC_EN;
}

/* The CP15 registers by ID: where each is in struct armkvm_core_regs. */
struct armkvm_cp15_id {
	u64 id;
	u16 offset;
	bool timer;			/* only where the CPU has the generic timer */
};

#define CP15_REG(crn, opc1, crm, opc2, field) \
	{ ARMKVM_REG_CP15(crn, opc1, crm, opc2), offsetof(struct armkvm_core_regs, cp15.field) }
#define CP15_TIMER(crn, opc1, crm, opc2, field) \
	{ ARMKVM_REG_CP15(crn, opc1, crm, opc2), offsetof(struct armkvm_core_regs, cp15.field), true }

static const struct armkvm_cp15_id armkvm_cp15_ids[] = {
	CP15_REG(1, 0, 0, 0, sctlr),
	CP15_REG(2, 0, 0, 0, ttbr0),
	CP15_REG(2, 0, 0, 1, ttbr1),
	CP15_REG(2, 0, 0, 2, ttbcr),
	CP15_REG(3, 0, 0, 0, dacr),
	CP15_REG(5, 0, 0, 0, dfsr),
	CP15_REG(5, 0, 0, 1, ifsr),
	CP15_REG(6, 0, 0, 0, dfar),
	CP15_REG(6, 0, 0, 2, ifar),
	CP15_REG(10, 0, 2, 0, prrr),
	CP15_REG(10, 0, 2, 1, nmrr),
	CP15_REG(13, 0, 0, 1, contextidr),
	CP15_REG(13, 0, 0, 2, tpidrurw),
	CP15_REG(13, 0, 0, 3, tpidruro),
	CP15_REG(13, 0, 0, 4, tpidrprw),
	CP15_TIMER(14, 0, 1, 0, cntkctl),
	CP15_TIMER(14, 0, 2, 1, cntp_ctl),
	/* CNTP_CVAL: low word first, as the two halves lie in the structure. */
	{ ARMKVM_REG_CP15_64(2, 14), offsetof(struct armkvm_core_regs, cp15.cntp_cval_lo), true },
};

#define ARMKVM_CORE_WORDS	(offsetof(struct armkvm_core_regs, cp15) / 4)

/*
 * Where a register ID's value lives: in struct armkvm_core_regs, struct
 * armkvm_vfp_regs, or (arch) the mode's word of struct armkvm_guest_arch.
 */
struct armkvm_reg_place {
	bool vfp;
	const struct armkvm_arch_reg *arch;
	unsigned int offset;
	unsigned int size;
};

static bool armkvm_arch_reg_present(struct armkvm_vcpu *vcpu, const struct armkvm_arch_reg *r)
{
	return !r->thumbee || vcpu->has_thumbee;
}

static const struct armkvm_arch_reg *armkvm_arch_reg_find(struct armkvm_vcpu *vcpu, u64 id)
{
	const struct armkvm_mode_ops *ops = vcpu->vm->ops;
	unsigned int i;

	for (i = 0; i < ops->nr_arch_regs; i++)
		if (ops->arch_regs[i].id == id && armkvm_arch_reg_present(vcpu, &ops->arch_regs[i]))
			return &ops->arch_regs[i];
	return NULL;
}

static int armkvm_reg_find(struct armkvm_vcpu *vcpu, u64 id, struct armkvm_reg_place *p)
{
	u64 index = id & ARMKVM_REG_INDEX_MASK;
	unsigned int i;

	if ((id & ~(ARMKVM_REG_SIZE_MASK | ARMKVM_REG_CLASS_MASK | ARMKVM_REG_INDEX_MASK)) !=
	    ARMKVM_REG_ARM)
		return -ENOENT;
	p->vfp = false;
	p->size = (id & ARMKVM_REG_SIZE_MASK) == ARMKVM_REG_SIZE_U64 ? 8 : 4;
	p->arch = armkvm_arch_reg_find(vcpu, id);
	if (p->arch)
		return 0;
	switch (id & ARMKVM_REG_CLASS_MASK) {
	case ARMKVM_REG_CLASS_CORE:
		if (id != ARMKVM_REG_CORE(index) || index >= ARMKVM_CORE_WORDS)
			return -ENOENT;
		p->offset = index * 4;
		return 0;
	case ARMKVM_REG_CLASS_CP15:
		for (i = 0; i < ARRAY_SIZE(armkvm_cp15_ids); i++) {
			if (armkvm_cp15_ids[i].id != id)
				continue;
			if (armkvm_cp15_ids[i].timer && !vcpu->sw.has_gtimer)
				return -ENOENT;
			p->offset = armkvm_cp15_ids[i].offset;
			return 0;
		}
		return -ENOENT;
	case ARMKVM_REG_CLASS_VFP:
		p->vfp = true;
		if (id == ARMKVM_REG_VFP_FPSCR || id == ARMKVM_REG_VFP_FPEXC) {
			p->offset = id == ARMKVM_REG_VFP_FPSCR ? offsetof(struct armkvm_vfp_regs, fpscr)
							       : offsetof(struct armkvm_vfp_regs, fpexc);
			return 0;
		}
		if (id != ARMKVM_REG_VFP_D(index) || index >= (vcpu->sw.vfp_d32 ? 32 : 16))
			return -ENOENT;
		p->offset = offsetof(struct armkvm_vfp_regs, d[index]);
		return 0;
	default:
		return -ENOENT;
	}
}

/* Every register ID of the vCPU, in the order of the classes above; returns how many. */
static unsigned int armkvm_reg_ids(struct armkvm_vcpu *vcpu, u64 *ids, unsigned int room)
{
	unsigned int n = 0, i;

#define ADD_ID(x)	do { if (n < room) ids[n] = (x); n++; } while (0)
	for (i = 0; i < ARMKVM_CORE_WORDS; i++)
		ADD_ID(ARMKVM_REG_CORE(i));
	for (i = 0; i < ARRAY_SIZE(armkvm_cp15_ids); i++)
		if (!armkvm_cp15_ids[i].timer || vcpu->sw.has_gtimer)
			ADD_ID(armkvm_cp15_ids[i].id);
	for (i = 0; i < vcpu->vm->ops->nr_arch_regs; i++)
		if (armkvm_arch_reg_present(vcpu, &vcpu->vm->ops->arch_regs[i]))
			ADD_ID(vcpu->vm->ops->arch_regs[i].id);
	for (i = 0; i < (vcpu->sw.vfp_d32 ? 32 : 16); i++)
		ADD_ID(ARMKVM_REG_VFP_D(i));
	ADD_ID(ARMKVM_REG_VFP_FPSCR);
	ADD_ID(ARMKVM_REG_VFP_FPEXC);
#undef ADD_ID
	return n;
}

/* The largest list: every core word, CP15 register, mode's register and VFP register. */
#define ARMKVM_MAX_REG_IDS	(ARMKVM_CORE_WORDS + ARRAY_SIZE(armkvm_cp15_ids) + \
				 ARMKVM_MAX_ARCH_REGS + 34)

static long armkvm_get_reg_list(struct armkvm_vcpu *vcpu, struct armkvm_reg_list __user *ulist)
{
	u64 ids[ARMKVM_MAX_REG_IDS], room;
	unsigned int n;

	if (get_user(room, &ulist->n))
		return -EFAULT;
	n = armkvm_reg_ids(vcpu, ids, ARRAY_SIZE(ids));
	if (put_user((u64)n, &ulist->n))
		return -EFAULT;
	if (room < n)
		return -E2BIG;
	return copy_to_user(ulist->reg, ids, n * sizeof(ids[0])) ? -EFAULT : 0;
}

static long armkvm_one_reg(struct armkvm_vcpu *vcpu, bool set, struct armkvm_one_reg __user *ureg)
{
	struct armkvm_one_reg reg;
	struct armkvm_reg_place p;
	union {
		struct armkvm_core_regs core;
		struct armkvm_vfp_regs vfp;
	} block;
	void __user *uval;
	u8 *val;
	int ret;

	if (copy_from_user(&reg, ureg, sizeof(reg)))
		return -EFAULT;
	ret = armkvm_reg_find(vcpu, reg.id, &p);
	if (ret)
		return ret;
	uval = u64_to_user_ptr(reg.addr);
	if (p.arch) {
		u32 *word = (u32 *)((u8 *)&vcpu->sw.arch + p.arch->offset), v;

		if (!set)
			return put_user(p.arch->get ? p.arch->get(vcpu) : *word, (u32 __user *)uval);
		if (get_user(v, (u32 __user *)uval))
			return -EFAULT;
		if (p.arch->set)
			return p.arch->set(vcpu, v);
		*word = v & p.arch->mask;	/* bits the mode does not keep read as zero */
		return 0;
	}
	if (p.vfp)
		armkvm_get_vfp(vcpu, &block.vfp);
	else
		vcpu->vm->ops->get_regs(vcpu, &block.core);
	val = (u8 *)&block + p.offset;
	if (!set)
		return copy_to_user(uval, val, p.size) ? -EFAULT : 0;
	if (copy_from_user(val, uval, p.size))
		return -EFAULT;
	if (p.vfp) {
		armkvm_set_vfp(vcpu, &block.vfp);
		return 0;
	}
	return armkvm_set_regs(vcpu, &block.core);
}

/* The vCPU's register ioctls; -ENOTTY for any other. */
long armkvm_vcpu_regs_ioctl(struct armkvm_vcpu *vcpu, unsigned int ioctl, void __user *argp)
{
	union {
		struct armkvm_core_regs core;
		struct armkvm_vfp_regs vfp;
	} u;

	switch (ioctl) {
	case ARMKVM_GET_REGS:
		vcpu->vm->ops->get_regs(vcpu, &u.core);
		return copy_to_user(argp, &u.core, sizeof(u.core)) ? -EFAULT : 0;
	case ARMKVM_SET_REGS:
		if (copy_from_user(&u.core, argp, sizeof(u.core)))
			return -EFAULT;
		return armkvm_set_regs(vcpu, &u.core);
	case ARMKVM_GET_VFP:
		armkvm_get_vfp(vcpu, &u.vfp);
		return copy_to_user(argp, &u.vfp, sizeof(u.vfp)) ? -EFAULT : 0;
	case ARMKVM_SET_VFP:
		if (copy_from_user(&u.vfp, argp, sizeof(u.vfp)))
			return -EFAULT;
		armkvm_set_vfp(vcpu, &u.vfp);
		return 0;
	case ARMKVM_GET_ONE_REG:
	case ARMKVM_SET_ONE_REG:
		return armkvm_one_reg(vcpu, ioctl == ARMKVM_SET_ONE_REG, argp);
	case ARMKVM_GET_REG_LIST:
		return armkvm_get_reg_list(vcpu, argp);
	default:
		return -ENOTTY;
	}
}
