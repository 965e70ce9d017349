/*
 * armkvm: moving a vCPU's register state between QEMU and the host module,
 * one register at a time by ID (ARMKVM_GET/SET_ONE_REG), from a table that
 * says where each ID lives in CPUARMState (as target/arm/hvf syncs from
 * its table). The module's GET_REG_LIST says which of them the vCPU has.
 *
 * CPUARMState keeps the current mode's r13, r14 and SPSR in regs[] and spsr
 * and the other modes' in the banked arrays; the module keeps every mode's
 * copy in its own slot. Flushing the current mode into the banks first makes
 * both directions a plain copy. The CP15 registers are QEMU's AArch32
 * non-secure views (armkvm-virt's CPUs have no EL3).
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "qapi/error.h"
#include "cpu.h"
#include "internals.h"
#include "exec/cputlb.h"
#include "armkvm-arm.h"

#include <sys/ioctl.h>
#include <linux/armkvm.h>

typedef enum ArmkvmEnvKind {
    ARMKVM_ENV_FIELD,       /* a field of CPUARMState: offset, size */
    ARMKVM_ENV_CPSR,        /* cpsr_read(), cpsr_write() */
    ARMKVM_ENV_FPSCR,       /* vfp_get_fpscr(), vfp_set_fpscr() */
} ArmkvmEnvKind;

typedef struct ArmkvmRegDesc {
    uint64_t id;
    ArmkvmEnvKind kind;
    uint32_t offset;
    uint8_t size;
} ArmkvmRegDesc;

#define ENV(id_, field) \
    { (id_), ARMKVM_ENV_FIELD, offsetof(CPUARMState, field), \
      sizeof_field(CPUARMState, field) }
#define CORE(n, field)  ENV(ARMKVM_REG_CORE(n), field)
#define CP15(crn, opc1, crm, opc2, field) \
    ENV(ARMKVM_REG_CP15(crn, opc1, crm, opc2), cp15.field)
#define VFP_D(n)        ENV(ARMKVM_REG_VFP_D(n), vfp.zregs[(n) / 2].d[(n) % 2])

static const ArmkvmRegDesc armkvm_regs[] = {
    CORE(0, regs[0]), CORE(1, regs[1]), CORE(2, regs[2]), CORE(3, regs[3]),
    CORE(4, regs[4]), CORE(5, regs[5]), CORE(6, regs[6]), CORE(7, regs[7]),
    CORE(8, usr_regs[0]), CORE(9, usr_regs[1]), CORE(10, usr_regs[2]),
    CORE(11, usr_regs[3]), CORE(12, usr_regs[4]),
    CORE(13, banked_r13[BANK_USRSYS]), CORE(14, banked_r14[BANK_USRSYS]),
    CORE(15, regs[15]),
    { ARMKVM_REG_CORE(16), ARMKVM_ENV_CPSR },
    /* sp, lr, spsr of SVC, ABT, UND, IRQ (r14_bank_number() is bank_number()) */
    CORE(17, banked_r13[BANK_SVC]), CORE(18, banked_r14[BANK_SVC]),
    CORE(19, banked_spsr[BANK_SVC]),
    CORE(20, banked_r13[BANK_ABT]), CORE(21, banked_r14[BANK_ABT]),
    CORE(22, banked_spsr[BANK_ABT]),
    CORE(23, banked_r13[BANK_UND]), CORE(24, banked_r14[BANK_UND]),
    CORE(25, banked_spsr[BANK_UND]),
    CORE(26, banked_r13[BANK_IRQ]), CORE(27, banked_r14[BANK_IRQ]),
    CORE(28, banked_spsr[BANK_IRQ]),
    CORE(29, cp15.vbar_el[1]),
    CP15(1, 0, 0, 0, sctlr_el[1]),
    CP15(2, 0, 0, 0, ttbr0_el[1]),
    CP15(2, 0, 0, 1, ttbr1_el[1]),
    CP15(2, 0, 0, 2, tcr_el[1]),
    CP15(3, 0, 0, 0, dacr_ns),
    CP15(5, 0, 0, 0, dfsr_ns),
    CP15(5, 0, 0, 1, ifsr_ns),
    CP15(6, 0, 0, 0, dfar_ns),
    CP15(6, 0, 0, 2, ifar_ns),
    CP15(10, 0, 2, 0, mair0_ns),        /* PRRR */
    CP15(10, 0, 2, 1, mair1_ns),        /* NMRR */
    CP15(13, 0, 0, 1, contextidr_el[1]),
    CP15(13, 0, 0, 2, tpidr_el[0]),     /* TPIDRURW */
    CP15(13, 0, 0, 3, tpidrro_el[0]),   /* TPIDRURO */
    CP15(13, 0, 0, 4, tpidr_el[1]),     /* TPIDRPRW */
    CP15(14, 0, 1, 0, c14_cntkctl),
    CP15(14, 0, 2, 1, c14_timer[GTIMER_PHYS].ctl),
    ENV(ARMKVM_REG_CP15_64(2, 14), cp15.c14_timer[GTIMER_PHYS].cval),
    /* Isolated mode's virtual ones; ThumbEE's in every mode where the CPU has it. */
    CP15(1, 0, 0, 2, cpacr_el1),
    CP15(0, 2, 0, 0, csselr_ns),
    ENV(ARMKVM_REG_CP14(0, 6, 0, 0), teecr),
    ENV(ARMKVM_REG_CP14(1, 6, 0, 0), teehbr),
    VFP_D(0), VFP_D(1), VFP_D(2), VFP_D(3),
    VFP_D(4), VFP_D(5), VFP_D(6), VFP_D(7),
    VFP_D(8), VFP_D(9), VFP_D(10), VFP_D(11),
    VFP_D(12), VFP_D(13), VFP_D(14), VFP_D(15),
    VFP_D(16), VFP_D(17), VFP_D(18), VFP_D(19),
    VFP_D(20), VFP_D(21), VFP_D(22), VFP_D(23),
    VFP_D(24), VFP_D(25), VFP_D(26), VFP_D(27),
    VFP_D(28), VFP_D(29), VFP_D(30), VFP_D(31),
    { ARMKVM_REG_VFP_FPSCR, ARMKVM_ENV_FPSCR },
    ENV(ARMKVM_REG_VFP_FPEXC, vfp.xregs[ARM_VFP_FPEXC]),
};

/* Which table entries the module's vCPUs have (every vCPU of a VM alike). */
static bool armkvm_reg_present[ARRAY_SIZE(armkvm_regs)];

static unsigned armkvm_id_size(uint64_t id)
{
    return (id & ARMKVM_REG_SIZE_MASK) == ARMKVM_REG_SIZE_U64 ? 8 : 4;
}

ArmkvmArchVcpu *armkvm_arch_init_vcpu(CPUState *cpu, int vcpu_fd,
                                      Error **errp)
{
    struct armkvm_reg_list probe = { .n = 0 };
    g_autofree struct armkvm_reg_list *list = NULL;
    ArmkvmArchVcpu *arch;
    int unknown = 0;

    if (ioctl(vcpu_fd, ARMKVM_GET_REG_LIST, &probe) == 0 || errno != E2BIG) {
        error_setg_errno(errp, errno, "armkvm: vCPU %d: ARMKVM_GET_REG_LIST "
                         "gave no size", cpu->cpu_index);
        return NULL;
    }
    list = g_malloc0(sizeof(*list) + probe.n * sizeof(list->reg[0]));
    list->n = probe.n;
    if (ioctl(vcpu_fd, ARMKVM_GET_REG_LIST, list) < 0) {
        error_setg_errno(errp, errno, "armkvm: vCPU %d: ARMKVM_GET_REG_LIST",
                         cpu->cpu_index);
        return NULL;
    }
    arch = g_new0(ArmkvmArchVcpu, 1);
    memset(armkvm_reg_present, 0, sizeof(armkvm_reg_present));
    for (uint64_t i = 0; i < list->n; i++) {
        int j;

        for (j = 0; j < ARRAY_SIZE(armkvm_regs); j++) {
            if (armkvm_regs[j].id == list->reg[i]) {
                armkvm_reg_present[j] = true;
                break;
            }
        }
        unknown += j == ARRAY_SIZE(armkvm_regs) &&
                   !armkvm_pv_reg_listed(arch, list->reg[i]);
    }
    if (unknown) {
        /* A newer module's mode: its state would not survive savevm. */
        warn_report("armkvm: the module has %d registers this QEMU does not "
                    "know; they are left to the module", unknown);
    }
    armkvm_pv_register(cpu, arch);
    return arch;
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

static uint64_t armkvm_env_read(CPUARMState *env, const ArmkvmRegDesc *r)
{
    void *field = (char *)env + r->offset;

    switch (r->kind) {
    case ARMKVM_ENV_CPSR:
        return cpsr_read(env);
    case ARMKVM_ENV_FPSCR:
        return vfp_get_fpscr(env);
    default:
        return r->size == 8 ? *(uint64_t *)field : *(uint32_t *)field;
    }
}

/* CPSR is left to the caller: it switches banks, so it goes last. */
static void armkvm_env_write(CPUARMState *env, const ArmkvmRegDesc *r,
                             uint64_t v)
{
    void *field = (char *)env + r->offset;

    switch (r->kind) {
    case ARMKVM_ENV_CPSR:
        break;
    case ARMKVM_ENV_FPSCR:
        vfp_set_fpscr(env, v);
        break;
    default:
        if (r->size == 8) {
            *(uint64_t *)field = v;
        } else {
            *(uint32_t *)field = v;
        }
    }
}

/* One register through its ID; the value travels in the ID's size. */
static int armkvm_one_reg(int vcpu_fd, unsigned long request, uint64_t id,
                          uint64_t *v)
{
    uint32_t v32 = *v;
    struct armkvm_one_reg reg = {
        .id = id,
        .addr = armkvm_id_size(id) == 8 ? (uintptr_t)v : (uintptr_t)&v32,
    };
    int ret = ioctl(vcpu_fd, request, &reg);

    if (armkvm_id_size(id) == 4) {
        *v = v32;
    }
    return ret < 0 ? -errno : 0;
}

void armkvm_arch_put_registers(CPUState *cpu, ArmkvmArchVcpu *arch,
                               int vcpu_fd)
{
    CPUARMState *env = cpu_env(cpu);

    armkvm_flush_current_bank(env);
    for (int i = 0; i < ARRAY_SIZE(armkvm_regs); i++) {
        uint64_t v;
        int ret;

        if (!armkvm_reg_present[i]) {
            continue;
        }
        v = armkvm_env_read(env, &armkvm_regs[i]);
        ret = armkvm_one_reg(vcpu_fd, ARMKVM_SET_ONE_REG, armkvm_regs[i].id,
                             &v);
        if (ret) {
            error_report("armkvm: vCPU %d: setting register 0x%016" PRIx64
                         " to 0x%" PRIx64 ": %s (pc 0x%08x, cpsr 0x%08x)",
                         cpu->cpu_index, armkvm_regs[i].id, v, strerror(-ret),
                         env->regs[15], cpsr_read(env));
            exit(1);
        }
    }
    /* After the registers: the module names a word only with the MMU on. */
    armkvm_pv_put(cpu, arch, vcpu_fd);
}

void armkvm_arch_get_registers(CPUState *cpu, ArmkvmArchVcpu *arch,
                               int vcpu_fd)
{
    CPUARMState *env = cpu_env(cpu);
    uint64_t cpsr = cpsr_read(env);

    armkvm_flush_current_bank(env);
    for (int i = 0; i < ARRAY_SIZE(armkvm_regs); i++) {
        uint64_t v = 0;
        int ret;

        if (!armkvm_reg_present[i]) {
            continue;
        }
        ret = armkvm_one_reg(vcpu_fd, ARMKVM_GET_ONE_REG, armkvm_regs[i].id,
                             &v);
        if (ret) {
            error_report("armkvm: vCPU %d: reading register 0x%016" PRIx64
                         ": %s", cpu->cpu_index, armkvm_regs[i].id,
                         strerror(-ret));
            exit(1);
        }
        if (armkvm_regs[i].kind == ARMKVM_ENV_CPSR) {
            cpsr = v;
        }
        armkvm_env_write(env, &armkvm_regs[i], v);
    }
    /* Raw: no bank switch here, the banks are already complete. */
    cpsr_write(env, cpsr, 0xffffffff, CPSRWriteRaw);
    armkvm_load_current_bank(env);
    /* The translation regime changed behind TCG's back. */
    tlb_flush(cpu);
    arm_rebuild_hflags(env);
    armkvm_pv_get(cpu, arch, vcpu_fd);
}
