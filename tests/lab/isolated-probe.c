/*
 * Runs in the lab against /dev/armkvm: isolated mode's first steps
 * (ARMKVM_VM_MODE_ISOLATED), the guest kernel in the CPU's user mode with
 * its MMU off. Small guests, each started in virtual SVC mode: device
 * accesses and hypercalls from the virtual kernel; an SVC reflected to the
 * guest's vectors with the state the architecture gives; a guest that masks
 * interrupts and spins, which a signal must still stop; reads of the
 * module's own code, which must fault without a byte of it reaching the
 * guest; the virtual CP15 (registers written and read back, maintenance, a
 * failed condition) and an MCRR it does not emulate, refused with a clear
 * error; an HVC from the virtual user mode, which is no hypercall; the
 * replacement encodings of the sensitive instructions that do not trap
 * (MRS, MSR, CPS, SUBS pc, lr) from the virtual kernel and from its user
 * mode; an interrupt taken right after a replaced CPSIE; the host's tick
 * timer kept from the guest whatever CNTKCTL userspace sets; VMRS of FPEXC
 * an undefined instruction while CPACR keeps cp10 closed (and nothing when
 * its condition fails); the VFP opened by CPACR and FPEXC.EN, its ID
 * registers read, and closed again by EN; the guest kernel's own
 * physical timer, natively; the virtual CPACR, CSSELR and TEECR and the
 * guest's TEEHBR through ONE_REG and the guest's own accesses. Prints one
 * line per check; the lab test compares them with isolated-probe.expected.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <linux/armkvm.h>

#define RAM_BASE    0x40000000u
#define RAM_SIZE    (1u << 20)
#define HC_REPORT   0x86000099u     /* no one's hypercall: userspace gets it */

/*
 * The guests, position-independent, each copied to the start of guest RAM.
 * r12 holds an address the test program puts there (SET_REGS) where needed.
 */
extern const uint32_t g_devices[], g_devices_end[];
extern const uint32_t g_svc[], g_svc_end[];
extern const uint32_t g_spin[], g_spin_end[];
extern const uint32_t g_peek[], g_peek_end[];
extern const uint32_t g_cp15[], g_cp15_end[];
extern const uint32_t g_user_hvc[], g_user_hvc_end[];
extern const uint32_t g_modes[], g_modes_end[];
extern const uint32_t g_unmask[], g_unmask_end[];
extern const uint32_t g_cntv[], g_cntv_end[];
extern const uint32_t g_vfpsys[], g_vfpsys_end[];
extern const uint32_t g_vfpctl[], g_vfpctl_end[];
extern const uint32_t g_timer[], g_timer_end[];
extern const uint32_t g_pvirq[], g_pvirq_end[];
extern const uint32_t g_archregs[], g_archregs_end[];
extern const uint32_t g_retuser[], g_retuser_end[];
extern const uint32_t g_chain[], g_chain_end[];
__asm__(
    "   .pushsection .rodata\n"
    "   .balign 4\n"
    "   .arm\n"
    /* A device write and read, a hypercall of privileged mode's. */
    "g_devices:\n"
    "   ldr r1, =0x09000000\n"
    "   mov r0, #0x41\n"
    "   str r0, [r1]\n"
    "   ldr r2, [r1, #4]\n"
    "   ldr r0, =0x86000003\n"          /* ARMKVM_HC_RAM_BASE: privileged mode's */
    "   .inst 0xe1400070\n"             /* hvc #0 */
    "   mov r4, r0\n"
    "   ldr r0, =0x8600000a\n"          /* ARMKVM_HC_CACHE_SYNC: every mode's */
    "   .inst 0xe1400070\n"
    "   mov r5, r0\n"
    "   ldr r0, =0x86000099\n"
    "   .inst 0xe1400070\n"
    "   b   .\n"
    "   .ltorg\n"
    "g_devices_end:\n"
    /* Vectors at RAM_BASE; an SVC from virtual SVC mode, reported from the handler. */
    "g_svc:\n"
    "   b   1f\n"
    "   b   .\n"
    "   b   2f\n"                       /* SVC */
    "   .rept 5\n"
    "   b   .\n"
    "   .endr\n"
    "1: ldr r0, =0x86000001\n"          /* ARMKVM_HC_SET_VECTORS */
    "   ldr r1, =0x40000000\n"
    "   .inst 0xe1400070\n"
    "   mov r5, #0x55\n"
    "   svc #7\n"
    "   b   .\n"
    "2: ldr r0, =0x86000099\n"
    "   mov r1, r5\n"
    "   .inst 0xe1400070\n"
    "   b   .\n"
    "   .ltorg\n"
    "g_svc_end:\n"
    /* Masks IRQs every way a kernel would and spins. */
    "g_spin:\n"
    "   cpsid if\n"
    "   msr cpsr_c, #0xd3\n"
    "   b   .\n"
    "g_spin_end:\n"
    /* Reads the word at r12 (the module's code, in the window). */
    "g_peek:\n"
    "   ldr r1, [r12]\n"
    "   ldr r0, =0x86000099\n"
    "   .inst 0xe1400070\n"
    "   b   .\n"
    "   .ltorg\n"
    "g_peek_end:\n"
    /*
     * The virtual CP15: DACR and TPIDRPRW written and read back, MPIDR,
     * maintenance, an MCR whose condition fails; then MCRR, not emulated.
     */
    "g_cp15:\n"
    "   ldr r0, =0x55555555\n"
    "   mcr p15, 0, r0, c3, c0, 0\n"
    "   mrc p15, 0, r1, c3, c0, 0\n"
    "   ldr r0, =0x12345678\n"
    "   mcr p15, 0, r0, c13, c0, 4\n"
    "   mrc p15, 0, r2, c13, c0, 4\n"
    "   mrc p15, 0, r3, c0, c0, 5\n"
    "   mcr p15, 0, r0, c7, c5, 0\n"   /* ICIALLU */
    "   mcr p15, 0, r12, c7, c14, 1\n" /* DCCIMVAC of guest RAM */
    "   mcr p15, 0, r0, c8, c7, 0\n"   /* TLBIALL */
    "   cmp r0, r0\n"
    "   mcrne p15, 0, r0, c3, c0, 0\n" /* not taken: DACR stays */
    "   mrc p15, 0, r4, c3, c0, 0\n"
    "   ldr r0, =0x86000099\n"
    "   .inst 0xe1400070\n"
    "   mcrr p15, 0, r0, r1, c2\n"     /* TTBR0, 64 bits */
    "   b   .\n"
    "   .ltorg\n"
    "g_cp15_end:\n"
    /* Started in virtual user mode: an HVC there is no hypercall. */
    "g_user_hvc:\n"
    "   ldr r0, =0x86000099\n"
    "   .inst 0xe1400070\n"
    "   b   .\n"
    "   .ltorg\n"
    "g_user_hvc_end:\n"
    /*
     * The replacement encodings (UDF 0xA000-0xAFFF, docs/isolated-mode.md):
     * MRS, CPSIE, MSR SPSR, SUBS pc, lr into the virtual user mode, an SVC
     * back, and a replacement tried from user mode (undefined there).
     */
    "g_modes:\n"
    "   b   1f\n"
    "   b   3f\n"                       /* UND */
    "   b   2f\n"                       /* SVC */
    "   .rept 5\n"
    "   b   .\n"
    "   .endr\n"
    "1: ldr r0, =0x86000001\n"
    "   ldr r1, =0x40000000\n"
    "   .inst 0xe1400070\n"
    "   .inst 0xe7fa00f1\n"             /* mrs r1, cpsr */
    "   .inst 0xe7fa72f0\n"             /* cpsie i */
    "   .inst 0xe7fa00f2\n"             /* mrs r2, cpsr */
    "   mov r3, #0x10\n"
    "   .inst 0xe7fa3ff3\n"             /* msr spsr_fsxc, r3 */
    "   adr lr, 4f\n"
    "   .inst 0xe7fa80f0\n"             /* subs pc, lr, #0 */
    "4: mov r6, r1\n"
    "   mov r7, r2\n"
    "   svc #1\n"
    "   b   .\n"
    "2: .inst 0xe7fa01f4\n"             /* mrs r4, spsr */
    "   mov r5, lr\n"
    "   ldr r0, =0x86000099\n"
    "   mov r1, r6\n"
    "   mov r2, r7\n"
    "   mov r3, r4\n"
    "   .inst 0xe1400070\n"
    "   adr lr, 5f\n"
    "   .inst 0xe7fa80f0\n"             /* subs pc, lr, #0: user mode again */
    "5: .inst 0xe7fa7af0\n"             /* cpsid i, in user mode */
    "   b   .\n"
    "3: .inst 0xe7fa01f1\n"             /* mrs r1, spsr */
    "   mov r2, lr\n"
    "   ldr r0, =0x86000099\n"
    "   .inst 0xe1400070\n"
    "   b   .\n"
    "   .ltorg\n"
    "g_modes_end:\n"
    /* An interrupt pending while masked is taken right after the replaced CPSIE. */
    "g_unmask:\n"
    "   b   1f\n"
    "   .rept 5\n"
    "   b   .\n"
    "   .endr\n"
    "   b   2f\n"                       /* IRQ */
    "   b   .\n"
    "1: ldr r0, =0x86000001\n"
    "   ldr r1, =0x40000000\n"
    "   .inst 0xe1400070\n"
    "   mov r0, #0\n"
    "   .inst 0xe7fa72f0\n"             /* cpsie i */
    "   mov r0, #1\n"
    "   b   .\n"
    "2: mov r1, lr\n"
    "   mov r2, r0\n"
    "   ldr r0, =0x86000099\n"
    "   .inst 0xe1400070\n"
    "   b   .\n"
    "   .ltorg\n"
    "g_unmask_end:\n"
    /* The host's tick timer (CNTV), asked for through CNTKCTL.PL0VTEN. */
    "g_cntv:\n"
    "   mrc p15, 0, r0, c14, c3, 1\n"
    "   b   .\n"
    "g_cntv_end:\n"
    /* VMRS FPEXC: first with a failing condition (nothing), then for real. */
    "g_vfpsys:\n"
    "   cmp r0, r0\n"
    "   .inst 0x1ef81a10\n"             /* vmrsne r1, fpexc */
    "   .inst 0xeef81a10\n"             /* vmrs r1, fpexc */
    "   b   .\n"
    "g_vfpsys_end:\n"
    /*
     * The VFP opened by CPACR and FPEXC.EN (emulated), its ID registers,
     * data moved through d0 natively; then EN off: VFP undefined again.
     */
    "g_vfpctl:\n"
    "   mov r0, #0xf00000\n"
    "   mcr p15, 0, r0, c1, c0, 2\n"  /* CPACR: cp10, cp11 full access */
    "   mrc p15, 0, r6, c1, c0, 2\n"
    "   mov r0, #0x40000000\n"
    "   .inst 0xeee80a10\n"             /* vmsr fpexc, r0 */
    "   .inst 0xeef81a10\n"             /* vmrs r1, fpexc */
    "   .inst 0xeef02a10\n"             /* vmrs r2, fpsid */
    "   .inst 0xeef73a10\n"             /* vmrs r3, mvfr0 */
    "   .inst 0xec410b10\n"             /* vmov d0, r0, r1 */
    "   .inst 0xec554b10\n"             /* vmov r4, r5, d0 */
    "   ldr r0, =0x86000099\n"
    "   .inst 0xe1400070\n"
    "   mov r0, #0\n"
    "   .inst 0xeee80a10\n"             /* vmsr fpexc, r0: EN off */
    "   .inst 0xec410b10\n"             /* vmov d0, r0, r1: undefined */
    "   b   .\n"
    "   .ltorg\n"
    "g_vfpctl_end:\n"
    /* The guest kernel's own timer (CNTP) and CNTFRQ, natively. */
    "g_timer:\n"
    "   mrc p15, 0, r2, c14, c0, 0\n"  /* CNTFRQ */
    "   mov r1, #100\n"
    "   mcr p15, 0, r1, c14, c2, 0\n"  /* CNTP_TVAL */
    "   mov r1, #1\n"
    "   mcr p15, 0, r1, c14, c2, 1\n"  /* CNTP_CTL: enabled */
    "   isb\n"
    "1: mrc p15, 0, r3, c14, c2, 1\n"
    "   tst r3, #4\n"                   /* ISTATUS */
    "   beq 1b\n"
    "   mov r1, r2\n"
    "   mov r2, r3\n"
    "   ldr r0, =0x86000099\n"
    "   .inst 0xe1400070\n"
    "   b   .\n"
    "   .ltorg\n"
    "g_timer_end:\n"
    /*
     * The interrupt flags' words named with the MMU off: refused (the
     * address would outlive the kernel that named it).
     */
    "g_pvirq:\n"
    "   ldr r0, =0x86000008\n"          /* ARMKVM_HC_PV_IRQ */
    "   ldr r1, =0x40000800\n"
    "   .inst 0xe1400070\n"
    "   mov r4, r0\n"
    "   ldr r0, =0x86000009\n"          /* ARMKVM_HC_PV_ENTRY_TPIDRURO */
    "   ldr r1, =0x40000800\n"
    "   .inst 0xe1400070\n"
    "   mov r5, r0\n"
    "   ldr r0, =0x86000099\n"
    "   .inst 0xe1400070\n"
    "   b   .\n"
    "   .ltorg\n"
    "g_pvirq_end:\n"
    /*
     * The virtual CPACR, CSSELR and TEECR and the guest's TEEHBR: read
     * (as ONE_REG set them), written, and TEEHBR read again after an exit.
     */
    "g_archregs:\n"
    "   mrc p15, 0, r1, c1, c0, 2\n"   /* CPACR */
    "   mrc p15, 2, r2, c0, c0, 0\n"   /* CSSELR */
    "   mrc p14, 6, r3, c0, c0, 0\n"   /* TEECR */
    "   mrc p14, 6, r4, c1, c0, 0\n"   /* TEEHBR */
    "   ldr r0, =0x86000099\n"
    "   .inst 0xe1400070\n"
    "   mov r0, #0x500000\n"
    "   mcr p15, 0, r0, c1, c0, 2\n"
    "   mov r0, #2\n"
    "   mcr p15, 2, r0, c0, c0, 0\n"
    "   mov r0, #0\n"
    "   mcr p14, 6, r0, c0, c0, 0\n"
    "   ldr r0, =0xfeedf00d\n"
    "   mcr p14, 6, r0, c1, c0, 0\n"
    "   ldr r0, =0x86000099\n"
    "   .inst 0xe1400070\n"
    "   mrc p14, 6, r4, c1, c0, 0\n"
    "   ldr r0, =0x86000099\n"
    "   .inst 0xe1400070\n"
    "   b   .\n"
    "   .ltorg\n"
    "g_archregs_end:\n"
    /*
     * The paravirtual return to user space (UDF #0xb200, Linux's
     * restore_user_regs in one trap): TPIDRURO from r1, the frame at sp_svc
     * (SET_REGS puts it at g_frame). A frame it takes returns to g_user,
     * whose HVC is undefined in user mode; one it refuses goes on to the HVC
     * after it, a hypercall from the virtual kernel.
     */
    "g_retuser:\n"
    "   ldr r1, =0x7e57aaaa\n"
    "   .inst 0xe7fb20f0\n"
    "   .inst 0xe1400070\n"
    "g_user:\n"
    "   .inst 0xe1400070\n"
    "   .ltorg\n"
    "g_frame:\n"
    "   .word 0xc0de0000, 0xc0de0001, 0xc0de0002, 0xc0de0003, 0xc0de0004, 0xc0de0005\n"
    "   .word 0xc0de0006, 0xc0de0007, 0xc0de0008, 0xc0de0009, 0xc0de000a, 0xc0de000b\n"
    "   .word 0xc0de000c, 0xc0de000d, 0xc0de000e, 0x40000000 + g_user - g_retuser\n"
    "   .word 0x10, 0\n"
    "g_retuser_end:\n"
    /*
     * Trapping instructions in a row (the module emulates up to 4 after the
     * one that trapped, armkvm_isolated_chain.c): CP15 reads, a Format I
     * MRS SPSR, a CP15 read PL0 may make (native, ends a chain), a DACR
     * write (ends one), and a Format O STM ^ followed by MRS SPSR, as in
     * Linux's vector_swi. r10's area is g_chain_area.
     */
    "g_chain:\n"
    "   ldr r8, =0x55555555\n"
    "   adr r10, g_chain_area + 8\n"
    "   mrc p15, 0, r1, c1, c0, 0\n"   /* SCTLR: traps */
    "   mrc p15, 0, r2, c3, c0, 0\n"   /* DACR */
    "   .inst 0xe7fa01f3\n"            /* MRS r3, SPSR */
    "   mrc p15, 0, r4, c2, c0, 0\n"   /* TTBR0 */
    "   mrc p15, 0, r5, c1, c0, 2\n"   /* CPACR: the fourth in the chain */
    "   mrc p15, 0, r6, c5, c0, 0\n"   /* DFSR: traps */
    "   mrc p15, 0, r7, c13, c0, 3\n"  /* TPIDRURO: PL0 reads it */
    "   mcr p15, 0, r8, c3, c0, 0\n"   /* DACR: traps, ends the chain */
    "   mrc p15, 0, r9, c3, c0, 0\n"   /* traps */
    "   b   2f\n"                      /* the site of STM ^ */
    "1: .inst 0xe7fa01fb\n"            /* MRS r11, SPSR */
    "   ldr r0, =0x86000099\n"
    "   .inst 0xe1400070\n"
    "2: .inst 0xe7fb00f0\n"            /* Format O */
    "   stmdb r10, {sp, lr}^\n"
    "   b   1b\n"
    "   .ltorg\n"
    "g_chain_area:\n"
    "   .word 0, 0\n"
    "g_chain_end:\n"
    "   .popsection\n");

static int dev_fd;

static const char *err_name(long ret)
{
    if (ret >= 0) {
        return "ok";
    }
    switch (errno) {
    case EINVAL: return "EINVAL";
    case EINTR: return "EINTR";
    case EPERM: return "EPERM";
    default: return strerror(errno);
    }
}

struct vm {
    int vm, vcpu;
    struct armkvm_run *run;
    uint64_t hpa;       /* CREATE_VM's ram_hpa */
};

static int create_vm(struct vm *v, uint32_t mode)
{
    struct armkvm_vm_config cfg = {
        .mode = mode, .ram_gpa = RAM_BASE, .ram_size = RAM_SIZE,
    };

    v->vm = ioctl(dev_fd, ARMKVM_CREATE_VM, &cfg);
    if (v->vm < 0) {
        return -1;
    }
    v->hpa = cfg.ram_hpa;
    v->vcpu = ioctl(v->vm, ARMKVM_CREATE_VCPU, 0);
    v->run = v->vcpu < 0 ? MAP_FAILED :
             mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, v->vcpu, 0);
    return v->run == MAP_FAILED ? -1 : 0;
}

static void destroy_vm(struct vm *v)
{
    munmap(v->run, 4096);
    close(v->vcpu);
    close(v->vm);
}

/* A new isolated VM running code [start, end) at RAM_BASE in mode cpsr. */
static int start_guest_in(struct vm *v, const uint32_t *start, const uint32_t *end,
                          uint32_t r12, uint32_t cpsr)
{
    struct armkvm_core_regs regs = { .pc = RAM_BASE, .cpsr = cpsr };
    void *ram;

    if (create_vm(v, ARMKVM_VM_MODE_ISOLATED)) {
        printf("isolated VM: %s\n", strerror(errno));
        return -1;
    }
    ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, v->vm, 0);
    if (ram == MAP_FAILED) {
        printf("guest RAM: %s\n", strerror(errno));
        destroy_vm(v);
        return -1;
    }
    memcpy(ram, start, (end - start) * 4);
    munmap(ram, RAM_SIZE);
    regs.usr[12] = r12;
    ioctl(v->vcpu, ARMKVM_SET_REGS, &regs);
    return 0;
}

/* The same in SVC mode, IRQs and FIQs masked. */
static int start_guest(struct vm *v, const uint32_t *start, const uint32_t *end, uint32_t r12)
{
    return start_guest_in(v, start, end, r12, 0x1d3);
}

/* RUN once; the registers after it into *regs. */
static long run_guest(struct vm *v, struct armkvm_core_regs *regs)
{
    long ret = ioctl(v->vcpu, ARMKVM_RUN, 0);

    ioctl(v->vcpu, ARMKVM_GET_REGS, regs);
    return ret;
}

/* RUN once to an internal-error exit: the exception vector and where it was taken. */
static void run_to_internal(struct vm *v, const char *what)
{
    long ret = ioctl(v->vcpu, ARMKVM_RUN, 0);

    printf("%s: RUN %s, exit %u, suberror %u, vector %u at +0x%x\n", what, err_name(ret),
           v->run->exit_reason, v->run->internal.suberror, v->run->internal.data[0],
           v->run->internal.data[1] - RAM_BASE);
}

static void check_devices(void)
{
    struct armkvm_core_regs regs;
    struct vm v;
    long ret;

    if (start_guest(&v, g_devices, g_devices_end, 0)) {
        return;
    }
    ret = ioctl(v.vcpu, ARMKVM_RUN, 0);
    printf("devices: RUN %s, exit %u, %s at 0x%llx, %u bytes, 0x%02x\n", err_name(ret),
           v.run->exit_reason, v.run->mmio.is_write ? "write" : "read",
           (unsigned long long)v.run->mmio.phys_addr, v.run->mmio.len, v.run->mmio.data[0]);
    ret = ioctl(v.vcpu, ARMKVM_RUN, 0);
    printf("devices: RUN %s, exit %u, %s at 0x%llx, %u bytes\n", err_name(ret),
           v.run->exit_reason, v.run->mmio.is_write ? "write" : "read",
           (unsigned long long)v.run->mmio.phys_addr, v.run->mmio.len);
    memcpy(v.run->mmio.data, "\x34\x12\x00\x00", 4);
    ret = run_guest(&v, &regs);
    printf("devices: RUN %s, exit %u, hypercall 0x%x: read 0x%x, virtual CPSR 0x%x, "
           "RAM_BASE answered 0x%x, CACHE_SYNC 0x%x\n", err_name(ret), v.run->exit_reason,
           v.run->hypercall.args[0], v.run->hypercall.args[2], regs.cpsr, regs.usr[4],
           regs.usr[5]);
    destroy_vm(&v);
}

static void check_svc(void)
{
    struct armkvm_core_regs regs;
    struct vm v;
    long ret;

    if (start_guest(&v, g_svc, g_svc_end, 0)) {
        return;
    }
    ret = run_guest(&v, &regs);
    /* The SVC sits at RAM_BASE + 0x30: LR_svc is the next instruction. */
    printf("svc: RUN %s, exit %u, hypercall 0x%x from the handler, r5 0x%x, "
           "CPSR 0x%x, LR_svc +0x%x, SPSR_svc 0x%x\n", err_name(ret), v.run->exit_reason,
           v.run->hypercall.args[0], v.run->hypercall.args[1], regs.cpsr,
           regs.svc[1] - RAM_BASE, regs.svc[2]);
    destroy_vm(&v);
}

static void on_alarm(int sig)
{
    (void)sig;
}

static void check_spin(void)
{
    struct sigaction sa = { .sa_handler = on_alarm };
    struct timespec t0, t1;
    struct vm v;
    long ret;

    if (start_guest(&v, g_spin, g_spin_end, 0)) {
        return;
    }
    sigaction(SIGALRM, &sa, NULL);
    alarm(1);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    ret = ioctl(v.vcpu, ARMKVM_RUN, 0);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("spin with IRQs masked: RUN %s, exit %u, within 3 s: %s\n", err_name(ret),
           v.run->exit_reason, t1.tv_sec - t0.tv_sec < 3 ? "yes" : "no");
    destroy_vm(&v);
}

/* Where the module's code is, from sysfs (root only). */
static uint32_t module_text(void)
{
    FILE *f = fopen("/sys/module/armkvm/sections/.text", "r");
    unsigned long addr = 0;

    if (!f || fscanf(f, "%lx", &addr) != 1) {
        addr = 0;
    }
    if (f) {
        fclose(f);
    }
    return addr;
}

static void check_peek(void)
{
    uint32_t text = module_text();
    struct vm v;
    long ret;

    if (!text) {
        printf("peek: cannot find the module's code\n");
        return;
    }
    if (start_guest(&v, g_peek, g_peek_end, text)) {
        return;
    }
    /*
     * With its MMU off the guest names a guest-physical address where it has
     * no RAM: a device access, which userspace answers; never the module's bytes.
     */
    ret = ioctl(v.vcpu, ARMKVM_RUN, 0);
    printf("peek at the module's code: RUN %s, exit %u, %s, at it: %s\n", err_name(ret),
           v.run->exit_reason, v.run->mmio.is_write ? "write" : "read",
           v.run->mmio.phys_addr == text ? "yes" : "no");
    memcpy(v.run->mmio.data, "\xef\xbe\xad\xde", 4);
    ret = ioctl(v.vcpu, ARMKVM_RUN, 0);
    printf("peek at the module's code: RUN %s, exit %u, the guest read 0x%x\n", err_name(ret),
           v.run->exit_reason, v.run->hypercall.args[1]);
    destroy_vm(&v);
}

static void check_cp15(void)
{
    struct armkvm_core_regs regs;
    struct vm v;
    long ret;

    if (start_guest(&v, g_cp15, g_cp15_end, RAM_BASE + 0x40)) {
        return;
    }
    ret = run_guest(&v, &regs);
    printf("CP15: RUN %s, exit %u: DACR 0x%08x, TPIDRPRW 0x%08x, MPIDR 0x%08x, "
           "DACR after a failed MCRNE 0x%08x; GET_REGS DACR 0x%08x TPIDRPRW 0x%08x\n",
           err_name(ret), v.run->exit_reason, v.run->hypercall.args[1],
           v.run->hypercall.args[2], v.run->hypercall.args[3], regs.usr[4],
           regs.cp15.dacr, regs.cp15.tpidrprw);
    ret = ioctl(v.vcpu, ARMKVM_RUN, 0);
    printf("MCRR TTBR0: RUN %s, exit %u, suberror %u, instruction 0x%08x at +0x%x\n",
           err_name(ret), v.run->exit_reason, v.run->internal.suberror,
           v.run->internal.data[0], v.run->internal.data[1] - RAM_BASE);
    destroy_vm(&v);
}

static void check_user_hvc(void)
{
    struct vm v;

    if (start_guest_in(&v, g_user_hvc, g_user_hvc_end, 0, 0x10)) {
        return;
    }
    run_to_internal(&v, "HVC in virtual user mode");
    destroy_vm(&v);
}

static void check_modes(void)
{
    struct armkvm_core_regs regs;
    struct vm v;
    long ret;

    if (start_guest(&v, g_modes, g_modes_end, 0)) {
        return;
    }
    ret = run_guest(&v, &regs);
    printf("replacements: RUN %s, exit %u: CPSR 0x%x, after CPSIE 0x%x; from user mode "
           "by SVC: SPSR_svc 0x%x, LR_svc +0x%x\n", err_name(ret), v.run->exit_reason,
           v.run->hypercall.args[1], v.run->hypercall.args[2], v.run->hypercall.args[3],
           regs.usr[5] - RAM_BASE);
    v.run->hypercall.ret[0] = 0;
    ret = run_guest(&v, &regs);
    printf("replacement in user mode: RUN %s, exit %u: undefined, SPSR_und 0x%x, "
           "LR_und +0x%x, CPSR 0x%x\n", err_name(ret), v.run->exit_reason,
           v.run->hypercall.args[1], v.run->hypercall.args[2] - RAM_BASE, regs.cpsr);
    destroy_vm(&v);
}

static void check_unmask(void)
{
    struct vm v;
    long ret;

    if (start_guest(&v, g_unmask, g_unmask_end, 0)) {
        return;
    }
    v.run->irq_line = 1;
    ret = ioctl(v.vcpu, ARMKVM_RUN, 0);
    printf("unmask with a line high: RUN %s, exit %u: IRQ taken with LR_irq +0x%x, "
           "r0 %u\n", err_name(ret), v.run->exit_reason,
           v.run->hypercall.args[1] - RAM_BASE, v.run->hypercall.args[2]);
    destroy_vm(&v);
}

static void check_cntv(void)
{
    struct armkvm_core_regs regs;
    struct vm v;
    long ret;

    if (start_guest(&v, g_cntv, g_cntv_end, 0)) {
        return;
    }
    ioctl(v.vcpu, ARMKVM_GET_REGS, &regs);
    regs.cp15.cntkctl |= 0x300;     /* PL0VTEN, PL0PTEN */
    ioctl(v.vcpu, ARMKVM_SET_REGS, &regs);
    ret = ioctl(v.vcpu, ARMKVM_RUN, 0);
    printf("CNTV with PL0VTEN asked for: RUN %s, exit %u, suberror %u, at +0x%x\n",
           err_name(ret), v.run->exit_reason, v.run->internal.suberror,
           v.run->internal.data[1] - RAM_BASE);
    destroy_vm(&v);
}

static void check_vfpsys(void)
{
    struct vm v;

    if (start_guest(&v, g_vfpsys, g_vfpsys_end, 0)) {
        return;
    }
    /* CPACR keeps cp10 closed: the guest's undefined instruction (no vectors: an exit). */
    run_to_internal(&v, "VMRS FPEXC, cp10 closed");
    destroy_vm(&v);
}

static void check_vfpctl(void)
{
    struct armkvm_core_regs regs;
    struct vm v;
    long ret;

    if (start_guest(&v, g_vfpctl, g_vfpctl_end, 0)) {
        return;
    }
    ret = run_guest(&v, &regs);
    printf("VFP control: RUN %s, exit %u: CPACR 0x%x, FPEXC 0x%x, FPSID and MVFR0 read: %s, "
           "d0 through: %s\n", err_name(ret), v.run->exit_reason, regs.usr[6], regs.usr[1],
           regs.usr[2] && regs.usr[3] ? "yes" : "no",
           regs.usr[4] == 0x40000000 && regs.usr[5] == 0x40000000 ? "yes" : "no");
    run_to_internal(&v, "VFP control, EN off");
    destroy_vm(&v);
}

static void check_pvirq(void)
{
    struct armkvm_core_regs regs;
    struct vm v;
    long ret;

    if (start_guest(&v, g_pvirq, g_pvirq_end, 0)) {
        return;
    }
    ret = run_guest(&v, &regs);
    printf("PV_IRQ with the MMU off: RUN %s, exit %u, answered 0x%x\n", err_name(ret),
           v.run->exit_reason, regs.usr[4]);
    printf("PV_ENTRY_TPIDRURO with the MMU off: answered 0x%x\n", regs.usr[5]);
    destroy_vm(&v);
}

static long one_reg(int vcpu, unsigned long req, uint64_t id, uint32_t *val)
{
    struct armkvm_one_reg r = { .id = id, .addr = (uintptr_t)val };

    return ioctl(vcpu, req, &r);
}

/* ONE_REG's isolated-mode registers: listed, masked as the MCRs are, the guest's own. */
static void check_archregs(void)
{
    static const struct { const char *name; uint64_t id; } ids[] = {
        { "CPACR", ARMKVM_REG_CP15(1, 0, 0, 2) }, { "CSSELR", ARMKVM_REG_CP15(0, 2, 0, 0) },
        { "TEECR", ARMKVM_REG_CP14(0, 6, 0, 0) }, { "TEEHBR", ARMKVM_REG_CP14(1, 6, 0, 0) },
    };
    struct { struct armkvm_reg_list h; uint64_t reg[256]; } list = { .h.n = 256 };
    uint32_t val[4], ones = 0xffffffff, teehbr = 0xabcd0000;
    struct armkvm_core_regs regs;
    struct vm v;
    long ret;

    if (start_guest(&v, g_archregs, g_archregs_end, 0)) {
        return;
    }
    ioctl(v.vcpu, ARMKVM_GET_REG_LIST, &list);
    printf("arch regs: listed");
    for (int i = 0; i < 4; i++) {
        int listed = 0;

        for (uint64_t j = 0; j < list.h.n && j < 256; j++) {
            listed |= list.reg[j] == ids[i].id;
        }
        printf(" %s %s", ids[i].name, listed ? "yes" : "no");
        one_reg(v.vcpu, ARMKVM_SET_ONE_REG, ids[i].id, &ones);
        one_reg(v.vcpu, ARMKVM_GET_ONE_REG, ids[i].id, &val[i]);
    }
    printf("\narch regs: all ones set: CPACR 0x%08x, CSSELR 0x%x, TEECR 0x%x, TEEHBR 0x%08x\n",
           val[0], val[1], val[2], val[3]);
    ret = run_guest(&v, &regs);
    printf("arch regs: RUN %s, the guest reads CPACR 0x%08x, CSSELR 0x%x, TEECR 0x%x, "
           "TEEHBR 0x%08x\n", err_name(ret), regs.usr[1], regs.usr[2], regs.usr[3], regs.usr[4]);
    ret = ioctl(v.vcpu, ARMKVM_RUN, 0);
    for (int i = 0; i < 4; i++) {
        one_reg(v.vcpu, ARMKVM_GET_ONE_REG, ids[i].id, &val[i]);
    }
    printf("arch regs: RUN %s, the guest wrote CPACR 0x%08x, CSSELR 0x%x, TEECR 0x%x, "
           "TEEHBR 0x%08x\n", err_name(ret), val[0], val[1], val[2], val[3]);
    one_reg(v.vcpu, ARMKVM_SET_ONE_REG, ids[3].id, &teehbr);
    ret = run_guest(&v, &regs);
    printf("arch regs: RUN %s, TEEHBR after SET_ONE_REG 0x%08x\n", err_name(ret), regs.usr[4]);
    destroy_vm(&v);
}

/*
 * ONE_REG's paravirtual words (ARMKVM_REG_PV_*): listed, none named at first,
 * refused with the guest's MMU off or without the named bit, forgotten by 0.
 * Naming one with the MMU on is snapshot-linux's (a Linux guest restored).
 */
static void check_pv_regs(void)
{
    static const uint64_t ids[2] = { ARMKVM_REG_PV_IRQ_WORDS, ARMKVM_REG_PV_ENTRY_TPIDRURO };
    struct { struct armkvm_reg_list h; uint64_t reg[256]; } list = { .h.n = 256 };
    uint32_t val[2] = { 1, 1 }, named = RAM_BASE | ARMKVM_REG_PV_NAMED, bare = RAM_BASE;
    uint32_t zero = 0;
    int listed[2] = { 0, 0 };
    struct vm v;

    if (start_guest(&v, g_archregs, g_archregs_end, 0)) {
        return;
    }
    ioctl(v.vcpu, ARMKVM_GET_REG_LIST, &list);
    for (int i = 0; i < 2; i++) {
        for (uint64_t j = 0; j < list.h.n && j < 256; j++) {
            listed[i] |= list.reg[j] == ids[i];
        }
        one_reg(v.vcpu, ARMKVM_GET_ONE_REG, ids[i], &val[i]);
    }
    printf("pv regs: listed IRQ_WORDS %s ENTRY_TPIDRURO %s, none named: 0x%x 0x%x\n",
           listed[0] ? "yes" : "no", listed[1] ? "yes" : "no", val[0], val[1]);
    printf("pv regs: named with the guest's MMU off: %s",
           err_name(one_reg(v.vcpu, ARMKVM_SET_ONE_REG, ids[0], &named)));
    printf(" %s\n", err_name(one_reg(v.vcpu, ARMKVM_SET_ONE_REG, ids[1], &named)));
    printf("pv regs: an address without the named bit: %s\n",
           err_name(one_reg(v.vcpu, ARMKVM_SET_ONE_REG, ids[0], &bare)));
    printf("pv regs: forgotten (0): %s", err_name(one_reg(v.vcpu, ARMKVM_SET_ONE_REG, ids[0], &zero)));
    printf(" %s\n", err_name(one_reg(v.vcpu, ARMKVM_SET_ONE_REG, ids[1], &zero)));
    destroy_vm(&v);
}

/*
 * The return to user space: what the frame gives (in one world switch, the
 * HVC's undefined exception the second), and the frames it refuses, a
 * privileged one and one outside RAM, which leave the TLS write alone; from
 * the virtual user mode, an undefined instruction.
 */
static void check_ret_user(void)
{
    static const struct { const char *what; uint32_t cpsr, sp, frame_cpsr; } cases[] = {
        { "return to user space", 0x1d3, 0, 0x10 },
        { "return to user space, a frame with I set", 0x1d3, 0, 0x90 },
        { "return to user space, a frame outside RAM", 0x1d3, 0x10000000, 0x10 },
        { "return to user space, from user mode", 0x10, 0, 0x10 },
    };
    uint32_t frame = RAM_BASE + 4 * (g_retuser_end - g_retuser) - 72, sp;
    struct armkvm_core_regs regs;
    struct armkvm_vcpu_stats stats;
    unsigned int i, same;
    struct vm v;
    long ret;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        if (start_guest_in(&v, g_retuser, g_retuser_end, 0, cases[i].cpsr)) {
            return;
        }
        ioctl(v.vcpu, ARMKVM_GET_REGS, &regs);
        sp = regs.svc[0] = cases[i].sp ? cases[i].sp : frame;
        ioctl(v.vcpu, ARMKVM_SET_REGS, &regs);
        if (cases[i].frame_cpsr != 0x10) {
            /* The frame's CPSR word, through the VM's own mapping of its RAM. */
            uint32_t *ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, v.vm, 0);

            if (ram != MAP_FAILED) {
                ram[(frame - RAM_BASE) / 4 + 16] = cases[i].frame_cpsr;
                munmap(ram, RAM_SIZE);
            }
        }
        ret = run_guest(&v, &regs);
        ioctl(v.vcpu, ARMKVM_GET_STATS, &stats);
        for (same = 0; same < 15 && regs.usr[same] == 0xc0de0000u + same; same++) {
        }
        printf("%s: RUN %s, exit %u, at +0x%x, CPSR 0x%x, TPIDRURO 0x%x, r0-r14 from the "
               "frame %u, sp_svc moved %d, LR_svc 0x%x, SPSR_svc 0x%x, world switches but for host "
               "interrupts %llu\n",
               cases[i].what, err_name(ret), v.run->exit_reason,
               v.run->exit_reason == ARMKVM_EXIT_INTERNAL_ERROR ?
               v.run->internal.data[1] - RAM_BASE : regs.pc - RAM_BASE,
               regs.cpsr, regs.cp15.tpidruro, same, (int)(regs.svc[0] - sp),
               regs.svc[1], regs.svc[2],
               (unsigned long long)(stats.world_switches - stats.exits_irq));
        destroy_vm(&v);
    }
}

/* The module parameter chain_traps (root's to write), or -1. */
static int set_chain_traps(int on)
{
    FILE *f = fopen("/sys/module/armkvm/parameters/chain_traps", "w");
    int ret;

    if (!f) {
        return -1;
    }
    ret = fputs(on ? "Y\n" : "N\n", f) < 0;
    return fclose(f) || ret ? -1 : 0;
}

static void check_chain(void)
{
    uint32_t area = 4 * (g_chain_end - g_chain) - 8;
    struct armkvm_core_regs regs;
    struct armkvm_vcpu_stats stats;
    uint32_t *ram;
    struct vm v;
    long ret;
    int on;

    for (on = 1; on >= 0; on--) {
        if (set_chain_traps(on)) {
            printf("chain_traps: %s\n", strerror(errno));
            return;
        }
        if (start_guest(&v, g_chain, g_chain_end, 0)) {
            return;
        }
        ioctl(v.vcpu, ARMKVM_GET_REGS, &regs);
        regs.svc[2] = 0x200001d3;
        regs.usr[13] = 0x5e7a0013;
        regs.usr[14] = 0x5e7a0014;
        ioctl(v.vcpu, ARMKVM_SET_REGS, &regs);
        ret = run_guest(&v, &regs);
        ioctl(v.vcpu, ARMKVM_GET_STATS, &stats);
        ram = mmap(NULL, RAM_SIZE, PROT_READ, MAP_SHARED, v.vm, 0);
        printf("trapping instructions in a row, chain_traps %s: RUN %s, exit %u, r0 0x%x, "
               "SCTLR 0x%x, DACR 0x%x, SPSR 0x%x, TTBR0 0x%x, CPACR 0x%x, DFSR 0x%x, "
               "DACR written 0x%x, STM ^ 0x%x 0x%x, SPSR 0x%x, world switches but for host "
               "interrupts %llu\n",
               on ? "Y" : "N", err_name(ret), v.run->exit_reason, regs.usr[0],
               regs.usr[1], regs.usr[2], regs.usr[3], regs.usr[4], regs.usr[5],
               regs.usr[6], regs.usr[9],
               ram == MAP_FAILED ? 0 : ram[area / 4], ram == MAP_FAILED ? 0 : ram[area / 4 + 1],
               regs.usr[11], (unsigned long long)(stats.world_switches - stats.exits_irq));
        if (ram != MAP_FAILED) {
            munmap(ram, RAM_SIZE);
        }
        destroy_vm(&v);
    }
    set_chain_traps(1);
}

static void check_timer(void)
{
    struct vm v;
    long ret;
    int i;

    if (start_guest(&v, g_timer, g_timer_end, 0)) {
        return;
    }
    /* The timer's level may be reported on the way (ARMKVM_EXIT_TIMER). */
    for (i = 0; i < 10; i++) {
        ret = ioctl(v.vcpu, ARMKVM_RUN, 0);
        if (ret || v.run->exit_reason != ARMKVM_EXIT_TIMER) {
            break;
        }
    }
    printf("CNTP from the virtual kernel: RUN %s, exit %u: CNTFRQ set: %s, CNTP_CTL 0x%x, "
           "timer level %u\n", err_name(ret), v.run->exit_reason,
           v.run->hypercall.args[1] ? "yes" : "no", v.run->hypercall.args[2],
           v.run->timer_level);
    destroy_vm(&v);
}

int main(void)
{
    struct armkvm_vm_config cfg = {
        .mode = 3, .ram_gpa = RAM_BASE, .ram_size = RAM_SIZE,
    };
    struct armkvm_core_regs regs = { .pc = RAM_BASE, .cpsr = 0x1d1 };
    struct vm v;

    setvbuf(stdout, NULL, _IOLBF, 0);
    dev_fd = open("/dev/armkvm", O_RDWR | O_CLOEXEC);
    if (dev_fd < 0) {
        printf("open /dev/armkvm: %s\n", strerror(errno));
        return 1;
    }
    printf("CREATE_VM mode 3: %s\n", err_name(ioctl(dev_fd, ARMKVM_CREATE_VM, &cfg)));
    cfg.mode = ARMKVM_VM_MODE_ISOLATED;
    cfg.flags = ARMKVM_VM_GPA_IS_HPA;
    cfg.ram_gpa = 0;
    printf("CREATE_VM isolated, GPA_IS_HPA: %s\n",
           err_name(ioctl(dev_fd, ARMKVM_CREATE_VM, &cfg)));
    if (create_vm(&v, ARMKVM_VM_MODE_ISOLATED)) {
        printf("isolated VM: %s\n", strerror(errno));
        return 1;
    }
    printf("CREATE_VM isolated: ok, ram_hpa 0x%llx\n", (unsigned long long)v.hpa);
    printf("SET_REGS virtual FIQ mode: %s\n", err_name(ioctl(v.vcpu, ARMKVM_SET_REGS, &regs)));
    destroy_vm(&v);
    check_devices();
    check_svc();
    check_spin();
    check_peek();
    check_cp15();
    check_user_hvc();
    check_modes();
    check_unmask();
    check_cntv();
    check_vfpsys();
    check_vfpctl();
    check_timer();
    check_pvirq();
    check_archregs();
    check_pv_regs();
    check_ret_user();
    check_chain();
    return 0;
}
