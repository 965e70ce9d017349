/*
 * Runs in the lab against /dev/armkvm: registers one at a time by ID
 * (ARMKVM_CAP_ONE_REG). The list of IDs, each ID's value against GET_REGS
 * and GET_VFP, SET_ONE_REG under SET_REGS's rules, every kind of ID that
 * does not exist, bad pointers, then thousands of random IDs. Prints one
 * line per check; the lab test compares them with what the ABI promises.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/armkvm.h>

#define FUZZ_ROUNDS 20000
#define MAX_IDS 256

static const char *err_name(int err)
{
    switch (err) {
    case 0: return "ok";
    case EINVAL: return "EINVAL";
    case ENOENT: return "ENOENT";
    case EFAULT: return "EFAULT";
    case E2BIG: return "E2BIG";
    default: return strerror(err);
    }
}

static long get_reg(int vcpu, uint64_t id, void *val)
{
    struct armkvm_one_reg r = { .id = id, .addr = (uintptr_t)val };

    return ioctl(vcpu, ARMKVM_GET_ONE_REG, &r) < 0 ? -errno : 0;
}

static long set_reg(int vcpu, uint64_t id, const void *val)
{
    struct armkvm_one_reg r = { .id = id, .addr = (uintptr_t)val };

    return ioctl(vcpu, ARMKVM_SET_ONE_REG, &r) < 0 ? -errno : 0;
}

static void report(const char *what, long ret)
{
    printf("%s: %s\n", what, err_name(ret < 0 ? -ret : 0));
}

/* What GET_REGS or GET_VFP holds for an ID, by the ABI's own description of IDs. */
static const void *expected_value(uint64_t id, const struct armkvm_core_regs *regs,
                                  const struct armkvm_vfp_regs *vfp)
{
    static const struct { uint64_t id; size_t off; } cp15[] = {
        { ARMKVM_REG_CP15(1, 0, 0, 0), offsetof(struct armkvm_cp15_regs, sctlr) },
        { ARMKVM_REG_CP15(2, 0, 0, 0), offsetof(struct armkvm_cp15_regs, ttbr0) },
        { ARMKVM_REG_CP15(2, 0, 0, 1), offsetof(struct armkvm_cp15_regs, ttbr1) },
        { ARMKVM_REG_CP15(2, 0, 0, 2), offsetof(struct armkvm_cp15_regs, ttbcr) },
        { ARMKVM_REG_CP15(3, 0, 0, 0), offsetof(struct armkvm_cp15_regs, dacr) },
        { ARMKVM_REG_CP15(5, 0, 0, 0), offsetof(struct armkvm_cp15_regs, dfsr) },
        { ARMKVM_REG_CP15(5, 0, 0, 1), offsetof(struct armkvm_cp15_regs, ifsr) },
        { ARMKVM_REG_CP15(6, 0, 0, 0), offsetof(struct armkvm_cp15_regs, dfar) },
        { ARMKVM_REG_CP15(6, 0, 0, 2), offsetof(struct armkvm_cp15_regs, ifar) },
        { ARMKVM_REG_CP15(10, 0, 2, 0), offsetof(struct armkvm_cp15_regs, prrr) },
        { ARMKVM_REG_CP15(10, 0, 2, 1), offsetof(struct armkvm_cp15_regs, nmrr) },
        { ARMKVM_REG_CP15(13, 0, 0, 1), offsetof(struct armkvm_cp15_regs, contextidr) },
        { ARMKVM_REG_CP15(13, 0, 0, 2), offsetof(struct armkvm_cp15_regs, tpidrurw) },
        { ARMKVM_REG_CP15(13, 0, 0, 3), offsetof(struct armkvm_cp15_regs, tpidruro) },
        { ARMKVM_REG_CP15(13, 0, 0, 4), offsetof(struct armkvm_cp15_regs, tpidrprw) },
        { ARMKVM_REG_CP15(14, 0, 1, 0), offsetof(struct armkvm_cp15_regs, cntkctl) },
        { ARMKVM_REG_CP15(14, 0, 2, 1), offsetof(struct armkvm_cp15_regs, cntp_ctl) },
        { ARMKVM_REG_CP15_64(2, 14), offsetof(struct armkvm_cp15_regs, cntp_cval_lo) },
    };
    unsigned int index = id & ARMKVM_REG_INDEX_MASK;

    switch (id & ARMKVM_REG_CLASS_MASK) {
    case ARMKVM_REG_CLASS_CORE:
        return (const uint32_t *)regs + index;
    case ARMKVM_REG_CLASS_CP15:
        for (size_t i = 0; i < sizeof(cp15) / sizeof(cp15[0]); i++) {
            if (cp15[i].id == id) {
                return (const char *)&regs->cp15 + cp15[i].off;
            }
        }
        return NULL;
    case ARMKVM_REG_CLASS_VFP:
        return id == ARMKVM_REG_VFP_FPSCR ? (const void *)&vfp->fpscr :
               id == ARMKVM_REG_VFP_FPEXC ? (const void *)&vfp->fpexc :
               (const void *)&vfp->d[index];
    default:
        return NULL;
    }
}

static size_t id_size(uint64_t id)
{
    return (id & ARMKVM_REG_SIZE_MASK) == ARMKVM_REG_SIZE_U64 ? 8 : 4;
}

/* The listed IDs, by class; each one's value against GET_REGS and GET_VFP. */
static void check_list(int vcpu, uint64_t *ids, int *count)
{
    struct { struct armkvm_reg_list h; uint64_t reg[MAX_IDS]; } list = { .h.n = 0 };
    struct armkvm_core_regs regs;
    struct armkvm_vfp_regs vfp;
    int core = 0, cp15 = 0, vfpn = 0, other = 0, match = 0, mirrored = 0, n;
    long ret;

    ret = ioctl(vcpu, ARMKVM_GET_REG_LIST, &list) < 0 ? -errno : 0;
    printf("reg-list: no room: %s, n %llu\n", err_name(-ret), (unsigned long long)list.h.n);
    list.h.n = MAX_IDS;
    report("reg-list: with room", ioctl(vcpu, ARMKVM_GET_REG_LIST, &list) < 0 ? -errno : 0);
    n = list.h.n;
    ioctl(vcpu, ARMKVM_GET_REGS, &regs);
    ioctl(vcpu, ARMKVM_GET_VFP, &vfp);
    for (int i = 0; i < n; i++) {
        uint64_t id = list.reg[i], val = 0;
        const void *want = expected_value(id, &regs, &vfp);

        switch (id & ARMKVM_REG_CLASS_MASK) {
        case ARMKVM_REG_CLASS_CORE: core++; break;
        case ARMKVM_REG_CLASS_CP15: cp15++; break;
        case ARMKVM_REG_CLASS_VFP: vfpn++; break;
        default: other++; break;
        }
        mirrored += want != NULL;
        if (want && !get_reg(vcpu, id, &val) && !memcmp(&val, want, id_size(id))) {
            match++;
        }
        ids[i] = id;
    }
    *count = n;
    printf("reg-list: core %d, cp15 %d, vfp %d, other %d\n", core, cp15, vfpn, other);
    /* The rest (ThumbEE's TEECR and TEEHBR) have no place in GET_REGS. */
    printf("get-one-reg: %d of %d equal GET_REGS/GET_VFP\n", match, mirrored);
}

/* SET_ONE_REG changes that register only, under SET_REGS's rules. */
static void check_set(int vcpu)
{
    struct armkvm_core_regs before, after;
    struct armkvm_vfp_regs vfp;
    uint32_t v32;
    uint64_t v64;

    ioctl(vcpu, ARMKVM_GET_REGS, &before);
    v32 = 0x40000100;
    report("set: pc", set_reg(vcpu, ARMKVM_REG_CORE(15), &v32));
    v32 = 0x12345678;
    report("set: r5", set_reg(vcpu, ARMKVM_REG_CORE(5), &v32));
    v32 = 0xcafe0000;
    report("set: sp_irq", set_reg(vcpu, ARMKVM_REG_CORE(26), &v32));
    ioctl(vcpu, ARMKVM_GET_REGS, &after);
    before.pc = 0x40000100;
    before.usr[5] = 0x12345678;
    before.irq[0] = 0xcafe0000;
    printf("set: GET_REGS shows those three and nothing else: %s\n",
           memcmp(&before, &after, sizeof(before)) ? "no" : "yes");
    v32 = 0x1d1;
    report("set: cpsr FIQ mode", set_reg(vcpu, ARMKVM_REG_CORE(16), &v32));
    ioctl(vcpu, ARMKVM_GET_REGS, &after);
    printf("set: refused state unchanged: %s\n",
           memcmp(&before, &after, sizeof(before)) ? "no" : "yes");
    v32 = 0xffffffff;
    report("set: sctlr all ones", set_reg(vcpu, ARMKVM_REG_CP15(1, 0, 0, 0), &v32));
    get_reg(vcpu, ARMKVM_REG_CP15(1, 0, 0, 0), &v32);
    ioctl(vcpu, ARMKVM_GET_REGS, &after);
    printf("set: sctlr reads as the host's with M: %s\n",
           (v32 & 1) && v32 == after.cp15.sctlr && v32 != 0xffffffff ? "yes" : "no");
    v32 = 0;
    set_reg(vcpu, ARMKVM_REG_CP15(1, 0, 0, 0), &v32);
    v64 = 0x0123456789abcdefULL;
    report("set: cntp_cval", set_reg(vcpu, ARMKVM_REG_CP15_64(2, 14), &v64));
    ioctl(vcpu, ARMKVM_GET_REGS, &after);
    printf("set: cntp_cval halves: %s\n",
           after.cp15.cntp_cval_lo == 0x89abcdef && after.cp15.cntp_cval_hi == 0x01234567 ?
           "lo, hi" : "wrong");
    v64 = 0x1122334455667788ULL;
    report("set: d17", set_reg(vcpu, ARMKVM_REG_VFP_D(17), &v64));
    v32 = 0xffffffff;
    report("set: fpexc all ones", set_reg(vcpu, ARMKVM_REG_VFP_FPEXC, &v32));
    ioctl(vcpu, ARMKVM_GET_VFP, &vfp);
    printf("set: GET_VFP: d17 %s, fpexc 0x%08x\n",
           vfp.d[17] == 0x1122334455667788ULL ? "set" : "not set", vfp.fpexc);
    /* ThumbEE's (the lab's CPUs have it): TEECR keeps XED alone. */
    v32 = 0xffffffff;
    report("set: teecr all ones", set_reg(vcpu, ARMKVM_REG_CP14(0, 6, 0, 0), &v32));
    get_reg(vcpu, ARMKVM_REG_CP14(0, 6, 0, 0), &v32);
    printf("set: teecr reads 0x%x\n", v32);
    v32 = 0x40001000;
    report("set: teehbr", set_reg(vcpu, ARMKVM_REG_CP14(1, 6, 0, 0), &v32));
    v32 = 0;
    get_reg(vcpu, ARMKVM_REG_CP14(1, 6, 0, 0), &v32);
    printf("set: teehbr reads 0x%08x\n", v32);
}

static void check_missing(int vcpu)
{
    static const struct { const char *what; uint64_t id; } ids[] = {
        { "core word 30", ARMKVM_REG_CORE(30) },
        { "core as 64-bit", ARMKVM_REG_CORE(0) ^ ARMKVM_REG_SIZE_U32 ^ ARMKVM_REG_SIZE_U64 },
        { "core without the arch bits", ARMKVM_REG_CORE(0) & ~ARMKVM_REG_ARM },
        { "core with a stray bit 40", ARMKVM_REG_CORE(0) | (1ULL << 40) },
        { "MIDR (not the guest's)", ARMKVM_REG_CP15(0, 0, 0, 0) },
        { "VBAR (the hypervisor's)", ARMKVM_REG_CP15(12, 0, 0, 0) },
        { "CNTP_CVAL as 32-bit", ARMKVM_REG_CP15_64(2, 14) ^ ARMKVM_REG_SIZE_U32 ^
                                 ARMKVM_REG_SIZE_U64 },
        { "d32", ARMKVM_REG_VFP_D(32) },
        { "VFP index 0x102", ARMKVM_REG_VFP_FPSCR + 2 },
        { "an unknown class", ARMKVM_REG_ARM | ARMKVM_REG_SIZE_U32 | 0x00770000 },
    };
    uint64_t val;

    for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
        char what[96];

        snprintf(what, sizeof(what), "missing: %s", ids[i].what);
        report(what, get_reg(vcpu, ids[i].id, &val));
    }
    report("missing: set of a missing one", set_reg(vcpu, ARMKVM_REG_CORE(40), &val));
    report("pointer: get to NULL", get_reg(vcpu, ARMKVM_REG_CORE(0), NULL));
    report("pointer: set from NULL", set_reg(vcpu, ARMKVM_REG_CORE(0), NULL));
    report("pointer: get to a kernel address",
           get_reg(vcpu, ARMKVM_REG_CORE(0), (void *)0xc0008000));
    report("pointer: reg-list at NULL", ioctl(vcpu, ARMKVM_GET_REG_LIST, NULL) < 0 ? -errno : 0);
}

/* Random IDs, mostly near real ones: each ok (a listed ID) or ENOENT, never more. */
static void fuzz_ids(int vcpu, const uint64_t *ids, int n, unsigned int *seed)
{
    int unexpected = 0, found = 0;

    for (int i = 0; i < FUZZ_ROUNDS; i++) {
        uint64_t id = ids[rand_r(seed) % n] ^ (1ULL << (rand_r(seed) % 64));
        uint64_t val = 0;
        int listed = 0;
        long ret;

        if (i % 4 == 0) {
            id = (uint64_t)rand_r(seed) << 33 ^ (uint64_t)rand_r(seed);
        }
        for (int j = 0; j < n; j++) {
            listed |= ids[j] == id;
        }
        ret = get_reg(vcpu, id, &val);
        found += !ret;
        if (listed ? ret != 0 : ret != -ENOENT) {
            printf("fuzz: id 0x%016llx: %s\n", (unsigned long long)id, err_name(-ret));
            unexpected++;
        }
    }
    printf("fuzz: %d ids, %s, %d unexpected\n", FUZZ_ROUNDS,
           found ? "some listed" : "none listed", unexpected);
}

int main(void)
{
    struct armkvm_vm_config cfg = {
        .mode = ARMKVM_VM_MODE_PRIVILEGED, .ram_gpa = 0x40000000, .ram_size = 1 << 20,
    };
    uint64_t ids[MAX_IDS];
    unsigned int seed = 0x6f6e6572;
    int fd = open("/dev/armkvm", O_RDWR | O_CLOEXEC), vm, vcpu, n = 0;

    if (fd < 0) {
        printf("open /dev/armkvm: %s\n", strerror(errno));
        return 1;
    }
    printf("CHECK_EXTENSION(ONE_REG): %d\n", ioctl(fd, ARMKVM_CHECK_EXTENSION,
                                                   ARMKVM_CAP_ONE_REG));
    vm = ioctl(fd, ARMKVM_CREATE_VM, &cfg);
    vcpu = vm < 0 ? -1 : ioctl(vm, ARMKVM_CREATE_VCPU, 0);
    if (vcpu < 0) {
        printf("setup: %s\n", strerror(errno));
        return 1;
    }
    check_list(vcpu, ids, &n);
    check_set(vcpu);
    check_missing(vcpu);
    if (n > 0) {
        fuzz_ids(vcpu, ids, n, &seed);
    }
    close(vcpu);
    close(vm);
    close(fd);
    return 0;
}
