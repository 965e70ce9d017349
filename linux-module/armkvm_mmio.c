// SPDX-License-Identifier: GPL-2.0
/*
 * armkvm host module: turning a guest's faulting device access into an MMIO exit.
 *
 * Without virtualization extensions there is no syndrome: the instruction is
 * decoded here. A32 single loads and stores are handled (LDR/STR, LDRB/STRB
 * with immediate or shifted-register offsets, LDRH/STRH/LDRSB/LDRSH, pre/post
 * index and writeback); anything else is an internal-error exit naming the
 * instruction, never a guess.
 *
 * Copyright (c) 2026 The armkvm developers
 */
#include <linux/kernel.h>
#include <linux/errno.h>

#include "armkvm.h"

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

int armkvm_mmio_decode(struct armkvm_vcpu *vcpu, u32 insn)
{
	struct armkvm_run *run = vcpu->run;
	unsigned int rn = (insn >> 16) & 0xf, rd = (insn >> 12) & 0xf;
	bool pre = insn & (1 << 24), up = insn & (1 << 23);
	bool wback = !pre || (insn & (1 << 21)), load = insn & (1 << 20);
	u32 offset, len;
	bool sign = false;

	if ((insn >> 28) == 0xf)
		return -EINVAL;			/* unconditional space: not a load/store */
	if ((insn & 0x0c000000) == 0x04000000) {
		/* LDR/STR/LDRB/STRB; register offsets may not be register-shifted. */
		if ((insn & (1 << 25)) && (insn & (1 << 4)))
			return -EINVAL;
		if (!pre && (insn & (1 << 21)))
			return -EINVAL;		/* LDRT/STRT: user-mode forms */
		len = (insn & (1 << 22)) ? 1 : 4;
		if (insn & (1 << 25))
			offset = armkvm_shift_imm(*armkvm_vcpu_reg(vcpu, insn & 0xf),
						  (insn >> 5) & 3, (insn >> 7) & 0x1f,
						  (vcpu->sw.guest.cpsr >> 29) & 1);
		else
			offset = insn & 0xfff;
	} else if ((insn & 0x0e000090) == 0x00000090 && (insn & 0x60)) {
		/* Extra load/store: STRH/LDRH, LDRSB, LDRSH (LDRD/STRD are not single). */
		unsigned int op = (insn >> 5) & 3;

		if (!load && op != 1)
			return -EINVAL;
		len = op == 2 ? 1 : 2;
		sign = op != 1;
		if (insn & (1 << 22))
			offset = ((insn >> 4) & 0xf0) | (insn & 0xf);
		else
			offset = *armkvm_vcpu_reg(vcpu, insn & 0xf);
	} else {
		return -EINVAL;
	}
	if (rd == 15 || (wback && (rn == 15 || rn == rd)))
		return -EINVAL;			/* loads to pc and unpredictable forms */

	run->exit_reason = ARMKVM_EXIT_MMIO;
	run->mmio.phys_addr = vcpu->sw.dfar;	/* the guest's VA = its PA: no guest MMU yet */
	run->mmio.len = len;
	run->mmio.is_write = !load;
	memset(run->mmio.data, 0, sizeof(run->mmio.data));
	if (!load) {
		u32 v = *armkvm_vcpu_reg(vcpu, rd);

		memcpy(run->mmio.data, &v, len);	/* little-endian host and guest */
	}
	vcpu->mmio.rd = load ? rd : 0xff;
	vcpu->mmio.sign_extend = sign ? len : 0;
	if (wback) {
		u32 *base = armkvm_vcpu_reg(vcpu, rn);

		*base = up ? *base + offset : *base - offset;
	}
	return 0;
}

void armkvm_mmio_complete(struct armkvm_vcpu *vcpu)
{
	struct armkvm_run *run = vcpu->run;

	if (vcpu->mmio.rd != 0xff) {
		u32 v = 0;

		memcpy(&v, run->mmio.data, run->mmio.len);
		if (vcpu->mmio.sign_extend == 1)
			v = (u32)(s32)(s8)v;
		else if (vcpu->mmio.sign_extend == 2)
			v = (u32)(s32)(s16)v;
		*armkvm_vcpu_reg(vcpu, vcpu->mmio.rd) = v;
	}
	vcpu->sw.guest.pc += 4;
}
