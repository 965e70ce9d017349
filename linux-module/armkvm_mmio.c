// SPDX-License-Identifier: GPL-2.0
/*
 * armkvm host module: turning a guest's faulting device access into MMIO exits.
 *
 * Without virtualization extensions there is no syndrome: the instruction is
 * decoded here. Handled: A32 LDR/STR{,B,H}, LDRS{B,H}, LDRD/STRD and LDM/STM
 * (not the ^ forms); Thumb 16-bit LDR/STR{,B,H}, LDRS{B,H}, LDM/STM and
 * 32-bit LDR/STR{,B,H}, LDRS{B,H}, LDRD/STRD (immediate), LDM/STM (IA/DB).
 * An instruction that moves several words is a sequence of 4-byte exits, one
 * per RUN, and takes effect (registers, writeback, pc) after the last one.
 * Anything else (user-mode T forms, literal loads, loads to or stores of pc,
 * UNPREDICTABLE encodings) is an internal-error exit naming the instruction,
 * never a guess.
 *
 * Copyright (c) 2026 The armkvm developers
 */
#include <linux/kernel.h>
#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/rcupdate.h>
#include <asm/page.h>
#include <asm/ptrace.h>

#include "armkvm_internal.h"

/*
 * The guest-physical address of one of the instruction's accesses: they all
 * lie in the page of the first, whose translation the fault handler found.
 */
static u32 armkvm_mmio_pa(struct armkvm_vcpu *vcpu, u32 va)
{
	return vcpu->mmio.pa + (va - vcpu->mmio.addr);
}

static u32 armkvm_shift_imm(u32 value, unsigned int type, unsigned int amount, u32 carry)
{
	switch (type) {
	case 0:
		return value << amount;					/* LSL */
	case 1:
		return amount ? value >> amount : 0;			/* LSR #32 */
	case 2:
		return amount ? (u32)((s32)value >> amount) :		/* ASR #32 */
				((s32)value < 0 ? ~0u : 0);
	default:
		if (!amount)						/* RRX */
			return (carry << 31) | (value >> 1);
		return ror32(value, amount);				/* ROR */
	}
}

/* A base register as the instruction reads it: pc is A32's +8, Thumb's +4 word-aligned. */
static u32 armkvm_mmio_base(struct armkvm_vcpu *vcpu, unsigned int n)
{
	u32 pc = vcpu->sw.guest.pc;

	if (n != 15)
		return *armkvm_vcpu_reg(vcpu, n);
	return (vcpu->sw.guest.cpsr & PSR_T_BIT) ? (pc + 4) & ~3u : pc + 8;
}

/* The address of a single or dual transfer: [rn +/- offset] pre-indexed, [rn] post-indexed. */
static void armkvm_mmio_indexed(struct armkvm_vcpu *vcpu, struct armkvm_mmio *m,
				unsigned int rn, u32 offset, bool pre, bool up, bool wback)
{
	u32 base = armkvm_mmio_base(vcpu, rn);
	u32 moved = up ? base + offset : base - offset;

	m->addr = pre ? moved : base;
	m->wback = moved;
	m->rn = wback ? rn : 0xff;
}

/* LDM/STM: the lowest-numbered register at the lowest address; before: IB/DB. */
static int armkvm_mmio_block(struct armkvm_vcpu *vcpu, struct armkvm_mmio *m,
			     unsigned int rn, u16 list, bool before, bool up, bool wback)
{
	u32 base = armkvm_mmio_base(vcpu, rn), size = 4 * hweight16(list);
	unsigned int i;

	if (rn == 15 || !list)
		return -EINVAL;
	m->addr = up ? base : base - size;
	if (before == up)
		m->addr += 4;			/* IB, DA */
	m->wback = up ? base + size : base - size;
	m->rn = wback ? rn : 0xff;
	m->len = 4;
	for (i = 0; i < 16; i++)
		if (list & (1u << i))
			m->reg[m->count++] = i;
	return 0;
}

static int armkvm_decode_a32(struct armkvm_vcpu *vcpu, struct armkvm_mmio *m, u32 insn)
{
	unsigned int rn = (insn >> 16) & 0xf, rt = (insn >> 12) & 0xf, rm = insn & 0xf;
	bool pre = insn & (1 << 24), up = insn & (1 << 23), w = insn & (1 << 21);
	bool pair = false;
	u32 offset;

	m->load = insn & (1 << 20);
	if ((insn >> 28) == 0xf)
		return -EINVAL;			/* unconditional space: not a load/store */
	if ((insn & 0x0e000000) == 0x08000000) {
		/* LDM/STM; the ^ forms move user registers or return from exceptions. */
		if (insn & (1 << 22))
			return -EINVAL;
		return armkvm_mmio_block(vcpu, m, rn, insn & 0xffff, pre, up, w);
	}
	if (!pre && w)
		return -EINVAL;			/* LDRT/STRT, LDRHT...: user-mode forms */
	if ((insn & 0x0c000000) == 0x04000000) {
		/* LDR/STR/LDRB/STRB; register offsets may not be register-shifted. */
		if (insn & (1 << 25)) {
			if ((insn & (1 << 4)) || rm == 15)
				return -EINVAL;
			offset = armkvm_shift_imm(*armkvm_vcpu_reg(vcpu, rm), (insn >> 5) & 3,
						  (insn >> 7) & 0x1f,
						  (vcpu->sw.guest.cpsr >> 29) & 1);
		} else {
			offset = insn & 0xfff;
		}
		m->len = (insn & (1 << 22)) ? 1 : 4;
	} else if ((insn & 0x0e000090) == 0x00000090 && (insn & 0x60)) {
		/* Extra load/store, op: 1 STRH/LDRH, 2 LDRD/LDRSB, 3 STRD/LDRSH. */
		unsigned int op = (insn >> 5) & 3;

		if (!(insn & (1 << 22)) && (rm == 15 || (insn & 0xf00)))
			return -EINVAL;
		if (insn & (1 << 22))
			offset = ((insn >> 4) & 0xf0) | rm;
		else
			offset = *armkvm_vcpu_reg(vcpu, rm);
		if (!m->load && op != 1) {
			/* LDRD/STRD: an even register and the next one. */
			m->load = op == 2;
			pair = true;
			if ((rt & 1) ||
			    (m->load && !(insn & (1 << 22)) && (rm == rt || rm == rt + 1)))
				return -EINVAL;
			m->len = 4;
		} else {
			m->len = op == 2 ? 1 : 2;
			m->sign_extend = op != 1 ? m->len : 0;
		}
	} else {
		return -EINVAL;
	}
	armkvm_mmio_indexed(vcpu, m, rn, offset, pre, up, !pre || w);
	m->reg[m->count++] = rt;
	if (pair)
		m->reg[m->count++] = rt + 1;
	return 0;
}

static int armkvm_decode_t16(struct armkvm_vcpu *vcpu, struct armkvm_mmio *m, u16 hw)
{
	/* Register-offset forms by opB: STR STRH STRB LDRSB LDR LDRH LDRB LDRSH. */
	static const u8 reg_len[8] = { 4, 2, 1, 1, 4, 2, 1, 2 };
	unsigned int rt = hw & 7, rn = (hw >> 3) & 7, imm5 = (hw >> 6) & 0x1f, op;
	u32 offset;

	m->load = hw & (1 << 11);
	switch (hw >> 12) {
	case 0x5:
		op = (hw >> 9) & 7;
		m->len = reg_len[op];
		m->load = op >= 3;
		m->sign_extend = (op == 3 || op == 7) ? m->len : 0;
		offset = *armkvm_vcpu_reg(vcpu, (hw >> 6) & 7);
		break;
	case 0x6:				/* LDR/STR #imm5 * 4 */
		m->len = 4;
		offset = imm5 << 2;
		break;
	case 0x7:				/* LDRB/STRB #imm5 */
		m->len = 1;
		offset = imm5;
		break;
	case 0x8:				/* LDRH/STRH #imm5 * 2 */
		m->len = 2;
		offset = imm5 << 1;
		break;
	case 0x9:				/* LDR/STR [sp, #imm8 * 4] */
		m->len = 4;
		rn = 13;
		rt = (hw >> 8) & 7;
		offset = (hw & 0xff) << 2;
		break;
	case 0xc:				/* LDM/STM rn!: an LDM that loads rn does not write back */
		rn = (hw >> 8) & 7;
		return armkvm_mmio_block(vcpu, m, rn, hw & 0xff, false, true,
					 !(m->load && (hw & (1 << rn))));
	default:
		return -EINVAL;
	}
	armkvm_mmio_indexed(vcpu, m, rn, offset, true, true, false);
	m->reg[m->count++] = rt;
	return 0;
}

static int armkvm_decode_t32(struct armkvm_vcpu *vcpu, struct armkvm_mmio *m, u16 hw1, u16 hw2)
{
	unsigned int rn = hw1 & 0xf, rt = hw2 >> 12, size;
	bool pre, up, wback;
	u32 offset;

	m->load = hw1 & (1 << 4);
	if ((hw1 & 0xfe40) == 0xe800) {
		/* LDM/STM, op 1: IA, 2: DB (0, 3: SRS/RFE); no sp, at least two registers. */
		unsigned int op = (hw1 >> 7) & 3;

		if (op == 0 || op == 3 || (hw2 & (1 << 13)) || hweight16(hw2) < 2)
			return -EINVAL;
		return armkvm_mmio_block(vcpu, m, rn, hw2, op == 2, op == 1, hw1 & (1 << 5));
	}
	if ((hw1 & 0xfe40) == 0xe840 && (hw1 & 0x0120)) {
		/* LDRD/STRD (immediate); P = W = 0 is the exclusives' space. */
		unsigned int rt2 = (hw2 >> 8) & 0xf;

		if (rn == 15 || rt == 13 || rt2 == 13)
			return -EINVAL;		/* literal, and sp: UNPREDICTABLE */
		m->len = 4;
		armkvm_mmio_indexed(vcpu, m, rn, (hw2 & 0xff) << 2, hw1 & (1 << 8),
				    hw1 & (1 << 7), hw1 & (1 << 5));
		m->reg[m->count++] = rt;
		m->reg[m->count++] = rt2;
		return 0;
	}
	if ((hw1 & 0xfe00) != 0xf800)
		return -EINVAL;
	/* Single: hw1 bit 8 sign-extends, bit 7 selects imm12, bits 6:5 the size. */
	size = (hw1 >> 5) & 3;
	if (size == 3 || rn == 15 || ((hw1 & (1 << 8)) && (!m->load || size == 2)))
		return -EINVAL;			/* literal loads, unallocated encodings */
	if (rt == 15 || (rt == 13 && size != 2))
		return -EINVAL;			/* pc: loads to it and hints; sp: UNPREDICTABLE */
	m->len = 1 << size;
	m->sign_extend = (hw1 & (1 << 8)) ? m->len : 0;
	if (hw1 & (1 << 7)) {
		offset = hw2 & 0xfff;
		pre = up = true;
		wback = false;
	} else if (hw2 & (1 << 11)) {
		/* imm8 with 1PUW; PUW = 110 is the user-mode T form, P = W = 0 unallocated. */
		pre = hw2 & (1 << 10);
		up = hw2 & (1 << 9);
		wback = hw2 & (1 << 8);
		if ((hw2 & 0x0700) == 0x0600 || (!pre && !wback))
			return -EINVAL;
		offset = hw2 & 0xff;
	} else if (!(hw2 & 0x0fc0)) {
		unsigned int rm = hw2 & 0xf;

		if (rm == 13 || rm == 15)
			return -EINVAL;
		offset = *armkvm_vcpu_reg(vcpu, rm) << ((hw2 >> 4) & 3);
		pre = up = true;
		wback = false;
	} else {
		return -EINVAL;
	}
	armkvm_mmio_indexed(vcpu, m, rn, offset, pre, up, wback);
	m->reg[m->count++] = rt;
	return 0;
}

/* Put access number m->done of the instruction in flight into the run structure. */
static void armkvm_mmio_exit(struct armkvm_vcpu *vcpu)
{
	struct armkvm_mmio *m = &vcpu->mmio;
	struct armkvm_run *run = vcpu->run;

	run->exit_reason = ARMKVM_EXIT_MMIO;
	run->mmio.phys_addr = armkvm_mmio_pa(vcpu, m->addr + 4 * m->done);
	run->mmio.len = m->len;
	run->mmio.is_write = !m->load;
	memset(run->mmio.data, 0, sizeof(run->mmio.data));
	if (!m->load) {
		u32 v = *armkvm_vcpu_reg(vcpu, m->reg[m->done]);

		memcpy(run->mmio.data, &v, m->len);	/* little-endian host and guest */
	}
}

/*
 * Decode the instruction at the guest's pc, whose data access faulted at DFAR
 * (guest-physical pa), and produce its first MMIO exit. On failure *insn is
 * the instruction (a 32-bit Thumb one: first halfword high), or 0 if it could
 * not be fetched.
 */
int armkvm_mmio_decode(struct armkvm_vcpu *vcpu, u32 *insn, u32 pa)
{
	struct armkvm_mmio *m = &vcpu->mmio;
	u32 pc = vcpu->sw.guest.pc;
	unsigned int i;
	u16 hw1, hw2;
	int ret;

	memset(m, 0, sizeof(*m));
	m->pa = pa;
	m->rn = 0xff;
	m->thumb = vcpu->sw.guest.cpsr & PSR_T_BIT;
	*insn = 0;
	if (!m->thumb) {
		if (armkvm_fetch_insn(vcpu, pc, insn))
			return -EFAULT;
		m->next_pc = pc + 4;
		ret = armkvm_decode_a32(vcpu, m, *insn);
	} else {
		if (armkvm_fetch_insn16(vcpu, pc, &hw1))
			return -EFAULT;
		*insn = hw1;
		if ((hw1 >> 11) < 0x1d) {
			m->next_pc = pc + 2;
			ret = armkvm_decode_t16(vcpu, m, hw1);
		} else {
			if (armkvm_fetch_insn16(vcpu, pc + 2, &hw2))
				return -EFAULT;
			*insn = ((u32)hw1 << 16) | hw2;
			m->next_pc = pc + 4;
			ret = armkvm_decode_t32(vcpu, m, hw1, hw2);
		}
	}
	if (ret)
		goto refuse;
	ret = -EINVAL;
	/* pc moves and writeback of a moved register are UNPREDICTABLE or not emulated. */
	if (m->rn == 15 || (m->load && m->count == 2 && m->reg[0] == m->reg[1]))
		goto refuse;
	for (i = 0; i < m->count; i++)
		if (m->reg[i] == 15 || m->reg[i] == m->rn)
			goto refuse;
	/* The decoded address must be the one that faulted (not a RAM/device straddle). */
	if (m->addr != vcpu->sw.guest.cp15.dfar || (m->addr & (m->len - 1)))
		goto refuse;
	/* One translation serves every access: they must not leave its page. */
	if ((m->addr ^ (m->addr + m->count * m->len - 1)) & PAGE_MASK)
		goto refuse;
	armkvm_mmio_exit(vcpu);
	return 0;
refuse:
	m->count = 0;				/* nothing in flight for armkvm_mmio_complete() */
	return ret;
}

/* ITAdvance: a Thumb instruction in an IT block hands the next one its condition. */
static void armkvm_it_advance(struct armkvm_context *r)
{
	u32 it = ((r->cpsr >> 25) & 3) | ((r->cpsr >> 8) & 0xfc);

	it = (it & 7) ? (it & 0xe0) | ((it << 1) & 0x1f) : 0;
	r->cpsr = (r->cpsr & ~PSR_IT_MASK) | ((it & 3) << 25) | ((it & 0xfc) << 8);
}

/*
 * Take the result of the exit userspace completed. Returns 1 with the next
 * exit in the run structure if the instruction has more accesses to make,
 * 0 once it has taken effect and the guest can go on.
 */
/* One access done (v: what a load read); true if the instruction has more to make. */
static bool armkvm_mmio_step(struct armkvm_vcpu *vcpu, u32 v)
{
	struct armkvm_mmio *m = &vcpu->mmio;
	unsigned int i;

	if (m->load) {
		if (m->sign_extend == 1)
			v = (u32)(s32)(s8)v;
		else if (m->sign_extend == 2)
			v = (u32)(s32)(s16)v;
		m->val[m->done] = v;
	}
	if (++m->done < m->count)
		return true;
	if (m->rn != 0xff)
		*armkvm_vcpu_reg(vcpu, m->rn) = m->wback;
	if (m->load)
		for (i = 0; i < m->count; i++)
			*armkvm_vcpu_reg(vcpu, m->reg[i]) = m->val[i];
	vcpu->sw.guest.pc = m->next_pc;
	if (m->thumb)
		armkvm_it_advance(&vcpu->sw.guest);
	return false;
}

int armkvm_mmio_complete(struct armkvm_vcpu *vcpu)
{
	struct armkvm_mmio *m = &vcpu->mmio;
	u32 v = 0;

	if (m->done >= m->count)
		return 0;			/* nothing in flight: userspace's exit_reason lied */
	if (m->load)
		memcpy(&v, vcpu->run->mmio.data, m->len);
	if (armkvm_mmio_step(vcpu, v)) {
		armkvm_mmio_exit(vcpu);
		vcpu->stats.exits_mmio++;
		return 1;
	}
	return 0;
}

/*
 * When one device on the VM's bus answers all the decoded instruction's
 * accesses (one page holds them), make them here, from the module's own
 * copy of the instruction, and complete it: true. False: they go to
 * userspace.
 */
bool armkvm_mmio_in_kernel(struct armkvm_vcpu *vcpu)
{
	struct armkvm_mmio *m = &vcpu->mmio;
	struct armkvm_iodev *dev;
	u32 v = 0;

	if (!m->load)
		v = *armkvm_vcpu_reg(vcpu, m->reg[0]) & (m->len == 4 ? ~0u : BIT(8 * m->len) - 1);
	rcu_read_lock();
	dev = armkvm_iodev_find(vcpu->vm, armkvm_mmio_pa(vcpu, m->addr), m->len, m->count,
				!m->load, v);
	if (!dev) {
		rcu_read_unlock();
		return false;
	}
	vcpu->run->exit_reason = ARMKVM_EXIT_UNKNOWN;	/* no exit: armkvm_mmio_exit() wrote one */
	do {
		v = 0;
		if (!m->load)
			v = *armkvm_vcpu_reg(vcpu, m->reg[m->done]) &
			    (m->len == 4 ? ~0u : BIT(8 * m->len) - 1);
		v = dev->ops->access(dev, armkvm_mmio_pa(vcpu, m->addr + 4 * m->done), m->len,
				     !m->load, v);
		if (m->load && m->len < 4)
			v &= BIT(8 * m->len) - 1;
	} while (armkvm_mmio_step(vcpu, v));
	rcu_read_unlock();
	vcpu->stats.mmio_in_kernel++;
	return true;
}
