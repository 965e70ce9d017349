/*
 * armkvm: moving a vCPU's register state between QEMU and the host module.
 *
 * CPUARMState keeps the current mode's r13, r14 and SPSR in regs[] and spsr
 * and the other modes' in the banked arrays; the module keeps every mode's
 * copy in its own slot. Flushing the current mode into the banks first makes
 * both directions a plain copy.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "cpu.h"
#include "internals.h"
#include "exec/cputlb.h"
#include "armkvm-arm.h"
#include "armkvm-regs.h"

#include <sys/ioctl.h>
#include <linux/armkvm.h>

static const int armkvm_banked_modes[] = {
    ARM_CPU_MODE_SVC, ARM_CPU_MODE_ABT, ARM_CPU_MODE_UND, ARM_CPU_MODE_IRQ,
};

static uint32_t *armkvm_bank(struct armkvm_core_regs *regs, int mode)
{
    switch (mode) {
    case ARM_CPU_MODE_SVC:
        return regs->svc;
    case ARM_CPU_MODE_ABT:
        return regs->abt;
    case ARM_CPU_MODE_UND:
        return regs->und;
    case ARM_CPU_MODE_IRQ:
        return regs->irq;
    default:
        g_assert_not_reached();
    }
}

/* Current mode's r8-r14 and SPSR into the banks, so the banks are complete. */
static void armkvm_flush_current_bank(CPUARMState *env)
{
    int mode = env->uncached_cpsr & CPSR_M;

    if (mode == ARM_CPU_MODE_FIQ) {
        memcpy(env->fiq_regs, env->regs + 8, 5 * sizeof(uint32_t));
    } else {
        memcpy(env->usr_regs, env->regs + 8, 5 * sizeof(uint32_t));
    }
    env->banked_r13[bank_number(mode)] = env->regs[13];
    env->banked_r14[r14_bank_number(mode)] = env->regs[14];
    env->banked_spsr[bank_number(mode)] = env->spsr;
}

/* And back: the banks of the (new) current mode into regs[] and spsr. */
static void armkvm_load_current_bank(CPUARMState *env)
{
    int mode = env->uncached_cpsr & CPSR_M;

    if (mode == ARM_CPU_MODE_FIQ) {
        memcpy(env->regs + 8, env->fiq_regs, 5 * sizeof(uint32_t));
    } else {
        memcpy(env->regs + 8, env->usr_regs, 5 * sizeof(uint32_t));
    }
    env->regs[13] = env->banked_r13[bank_number(mode)];
    env->regs[14] = env->banked_r14[r14_bank_number(mode)];
    env->spsr = env->banked_spsr[bank_number(mode)];
}

/*
 * The CP15 state a privileged-mode guest owns, in QEMU's AArch32 non-secure
 * views (armkvm-virt's CPUs have no EL3). The module honours only SCTLR.M
 * and reports the rest of SCTLR as the hardware applies it.
 */
static void armkvm_cp15_from_env(CPUARMState *env, struct armkvm_cp15_regs *c)
{
    c->sctlr = env->cp15.sctlr_el[1];
    c->ttbr0 = env->cp15.ttbr0_el[1];
    c->ttbr1 = env->cp15.ttbr1_el[1];
    c->ttbcr = env->cp15.tcr_el[1];
    c->dacr = env->cp15.dacr_ns;
    c->prrr = env->cp15.mair0_ns;
    c->nmrr = env->cp15.mair1_ns;
    c->contextidr = env->cp15.contextidr_el[1];
    c->tpidrurw = env->cp15.tpidr_el[0];
    c->tpidruro = env->cp15.tpidrro_el[0];
    c->tpidrprw = env->cp15.tpidr_el[1];
    c->dfsr = env->cp15.dfsr_ns;
    c->dfar = env->cp15.dfar_ns;
    c->ifsr = env->cp15.ifsr_ns;
    c->ifar = env->cp15.ifar_ns;
    c->cntp_ctl = env->cp15.c14_timer[GTIMER_PHYS].ctl;
    c->cntp_cval_lo = env->cp15.c14_timer[GTIMER_PHYS].cval;
    c->cntp_cval_hi = env->cp15.c14_timer[GTIMER_PHYS].cval >> 32;
    c->cntkctl = env->cp15.c14_cntkctl;
}

static void armkvm_cp15_to_env(const struct armkvm_cp15_regs *c,
                               CPUARMState *env)
{
    env->cp15.sctlr_el[1] = c->sctlr;
    env->cp15.ttbr0_el[1] = c->ttbr0;
    env->cp15.ttbr1_el[1] = c->ttbr1;
    env->cp15.tcr_el[1] = c->ttbcr;
    env->cp15.dacr_ns = c->dacr;
    env->cp15.mair0_ns = c->prrr;
    env->cp15.mair1_ns = c->nmrr;
    env->cp15.contextidr_el[1] = c->contextidr;
    env->cp15.tpidr_el[0] = c->tpidrurw;
    env->cp15.tpidrro_el[0] = c->tpidruro;
    env->cp15.tpidr_el[1] = c->tpidrprw;
    env->cp15.dfsr_ns = c->dfsr;
    env->cp15.dfar_ns = c->dfar;
    env->cp15.ifsr_ns = c->ifsr;
    env->cp15.ifar_ns = c->ifar;
    env->cp15.c14_timer[GTIMER_PHYS].ctl = c->cntp_ctl;
    env->cp15.c14_timer[GTIMER_PHYS].cval =
        ((uint64_t)c->cntp_cval_hi << 32) | c->cntp_cval_lo;
    env->cp15.c14_cntkctl = c->cntkctl;
    /* The translation regime changed behind TCG's back. */
    tlb_flush(env_cpu(env));
}

void armkvm_regs_from_env(CPUARMState *env, struct armkvm_core_regs *regs)
{
    armkvm_flush_current_bank(env);
    memcpy(regs->usr, env->regs, 8 * sizeof(uint32_t));
    memcpy(regs->usr + 8, env->usr_regs, 5 * sizeof(uint32_t));
    regs->usr[13] = env->banked_r13[BANK_USRSYS];
    regs->usr[14] = env->banked_r14[BANK_USRSYS];
    regs->pc = env->regs[15];
    regs->cpsr = cpsr_read(env);
    regs->vbar = env->cp15.vbar_el[1];
    armkvm_cp15_from_env(env, &regs->cp15);
    for (int i = 0; i < ARRAY_SIZE(armkvm_banked_modes); i++) {
        uint32_t *bank = armkvm_bank(regs, armkvm_banked_modes[i]);

        bank[0] = env->banked_r13[bank_number(armkvm_banked_modes[i])];
        bank[1] = env->banked_r14[r14_bank_number(armkvm_banked_modes[i])];
        bank[2] = env->banked_spsr[bank_number(armkvm_banked_modes[i])];
    }
}

void armkvm_regs_to_env(const struct armkvm_core_regs *regs, CPUARMState *env)
{
    armkvm_flush_current_bank(env);
    memcpy(env->regs, regs->usr, 8 * sizeof(uint32_t));
    memcpy(env->usr_regs, regs->usr + 8, 5 * sizeof(uint32_t));
    env->banked_r13[BANK_USRSYS] = regs->usr[13];
    env->banked_r14[BANK_USRSYS] = regs->usr[14];
    for (int i = 0; i < ARRAY_SIZE(armkvm_banked_modes); i++) {
        const uint32_t *bank = armkvm_bank((struct armkvm_core_regs *)regs,
                                           armkvm_banked_modes[i]);

        env->banked_r13[bank_number(armkvm_banked_modes[i])] = bank[0];
        env->banked_r14[r14_bank_number(armkvm_banked_modes[i])] = bank[1];
        env->banked_spsr[bank_number(armkvm_banked_modes[i])] = bank[2];
    }
    env->regs[15] = regs->pc;
    env->cp15.vbar_el[1] = regs->vbar;
    armkvm_cp15_to_env(&regs->cp15, env);
    /* Raw: no bank switch here, the banks are already complete. */
    cpsr_write(env, regs->cpsr, 0xffffffff, CPSRWriteRaw);
    armkvm_load_current_bank(env);
    arm_rebuild_hflags(env);
}

void armkvm_vfp_from_env(CPUARMState *env, struct armkvm_vfp_regs *vfp)
{
    for (int i = 0; i < 32; i++) {
        vfp->d[i] = *aa32_vfp_dreg(env, i);
    }
    vfp->fpscr = vfp_get_fpscr(env);
    vfp->fpexc = env->vfp.xregs[ARM_VFP_FPEXC];
}

void armkvm_vfp_to_env(const struct armkvm_vfp_regs *vfp, CPUARMState *env)
{
    for (int i = 0; i < 32; i++) {
        *aa32_vfp_dreg(env, i) = vfp->d[i];
    }
    vfp_set_fpscr(env, vfp->fpscr);
    env->vfp.xregs[ARM_VFP_FPEXC] = vfp->fpexc;
}

void armkvm_arch_put_registers(CPUState *cpu, int vcpu_fd)
{
    struct armkvm_core_regs regs;
    struct armkvm_vfp_regs vfp;

    armkvm_regs_from_env(cpu_env(cpu), &regs);
    armkvm_vfp_from_env(cpu_env(cpu), &vfp);
    if (ioctl(vcpu_fd, ARMKVM_SET_REGS, &regs) < 0) {
        error_report("armkvm: vCPU %d: ARMKVM_SET_REGS: %s (pc 0x%08x, "
                     "cpsr 0x%08x)", cpu->cpu_index, strerror(errno),
                     regs.pc, regs.cpsr);
        exit(1);
    }
    if (ioctl(vcpu_fd, ARMKVM_SET_VFP, &vfp) < 0) {
        error_report("armkvm: vCPU %d: ARMKVM_SET_VFP: %s", cpu->cpu_index,
                     strerror(errno));
        exit(1);
    }
}

void armkvm_arch_get_registers(CPUState *cpu, int vcpu_fd)
{
    struct armkvm_core_regs regs;
    struct armkvm_vfp_regs vfp;

    if (ioctl(vcpu_fd, ARMKVM_GET_REGS, &regs) < 0 ||
        ioctl(vcpu_fd, ARMKVM_GET_VFP, &vfp) < 0) {
        error_report("armkvm: vCPU %d: reading its registers: %s",
                     cpu->cpu_index, strerror(errno));
        exit(1);
    }
    armkvm_regs_to_env(&regs, cpu_env(cpu));
    armkvm_vfp_to_env(&vfp, cpu_env(cpu));
}
