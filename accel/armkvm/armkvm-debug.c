/*
 * armkvm accelerator: the gdbstub's breakpoints and single step for guests
 * that run natively (docs/gdb.md). The host owns the CPU's debug registers,
 * so both are BKPT instructions written into guest memory:
 *   - a breakpoint (gdb's Z0, and Z1 alike) is a BKPT at its address, kept
 *     here with the bytes it replaced; the module, told to
 *     (ARMKVM_SET_GUEST_DEBUG), stops the guest at every BKPT, and one that
 *     is not ours is the guest's own, delivered to it;
 *   - a step puts a BKPT at every address the instruction can continue at
 *     (target/arm/armkvm/armkvm-next-pc.c) for one run (in privileged mode's
 *     abort-mode code a reserved UDF instead), while the module
 *     stops after anything it completes itself (device accesses, hypercalls,
 *     emulated instructions, exception entries) and holds virtual interrupts.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "qemu/main-loop.h"
#include "qemu/queue.h"
#include "qemu/rcu.h"
#include "exec/address-spaces.h"
#include "gdbstub/enums.h"
#include "exec/memory.h"
#include "hw/core/cpu.h"
#include "system/armkvm.h"
#include "system/hw_accel.h"
#include "target/arm/armkvm/armkvm-arm.h"
#include "armkvm-int.h"
#include "trace.h"

#include <sys/ioctl.h>
#include <linux/armkvm.h>

#define A32_BKPT 0xe1200070u
#define T16_BKPT 0xbe00u

QEMU_BUILD_BUG_ON(ARMKVM_MAX_STEP_BKPTS < ARMKVM_MAX_NEXT_PCS);

/* The debugger's breakpoints: one list for the VM, under the BQL. */
static QTAILQ_HEAD(, ArmkvmBkpt) armkvm_bkpts =
    QTAILQ_HEAD_INITIALIZER(armkvm_bkpts);

bool armkvm_has_guest_debug(void)
{
    return armkvm_native_enabled() &&
           ioctl(armkvm.dev.fd, ARMKVM_CHECK_EXTENSION,
                 ARMKVM_CAP_GUEST_DEBUG) > 0;
}

static bool address_is_ram(hwaddr pa, hwaddr len)
{
    MemoryRegion *mr;
    hwaddr xlat, l = len;

    RCU_READ_LOCK_GUARD();
    mr = address_space_translate(&address_space_memory, pa, &xlat, &l, true,
                                 MEMTXATTRS_UNSPECIFIED);
    return memory_region_is_ram(mr) && !memory_region_is_rom(mr) && l >= len;
}

/* Writes a BKPT at va (translated with the vCPU's synchronised MMU state). */
static int bkpt_write(CPUState *cpu, ArmkvmBkpt *bp)
{
    int len = bp->thumb ? 2 : 4;
    hwaddr page = cpu_get_phys_page_debug(cpu, bp->va & TARGET_PAGE_MASK);
    uint8_t buf[4];

    if (page == -1) {
        return -EFAULT;
    }
    bp->pa = page + (bp->va & ~TARGET_PAGE_MASK);
    /* Writable RAM only: a ROM would drop the BKPT, a device would act on it. */
    if (!address_is_ram(bp->pa, len)) {
        return -EFAULT;
    }
    if (address_space_read(&address_space_memory, bp->pa,
                           MEMTXATTRS_UNSPECIFIED, buf, len) != MEMTX_OK) {
        return -EFAULT;
    }
    bp->saved = bp->thumb ? lduw_le_p(buf) : ldl_le_p(buf);
    if (bp->thumb) {
        stw_le_p(buf, bp->udf ? ARMKVM_DEBUG_UDF_T16 : T16_BKPT);
    } else {
        stl_le_p(buf, bp->udf ? ARMKVM_DEBUG_UDF_A32 : A32_BKPT);
    }
    if (address_space_write(&address_space_memory, bp->pa,
                            MEMTXATTRS_UNSPECIFIED, buf, len) != MEMTX_OK) {
        return -EFAULT;
    }
    return 0;
}

static void bkpt_restore(const ArmkvmBkpt *bp)
{
    uint8_t buf[4];

    if (bp->thumb) {
        stw_le_p(buf, bp->saved);
    } else {
        stl_le_p(buf, bp->saved);
    }
    if (address_space_write(&address_space_memory, bp->pa,
                            MEMTXATTRS_UNSPECIFIED, buf,
                            bp->thumb ? 2 : 4) != MEMTX_OK) {
        error_report("armkvm: cannot remove the breakpoint at 0x%" VADDR_PRIx
                     " (guest-physical 0x%" HWADDR_PRIx ")", bp->va, bp->pa);
    }
}

static ArmkvmBkpt *bkpt_find(vaddr va)
{
    ArmkvmBkpt *bp;

    QTAILQ_FOREACH(bp, &armkvm_bkpts, entry) {
        if (bp->va == (va & ~(vaddr)1)) {
            return bp;
        }
    }
    return NULL;
}

static void do_set_guest_debug(CPUState *cpu, run_on_cpu_data arg)
{
    struct armkvm_guest_debug dbg = { .control = arg.host_int };

    if (ioctl(cpu->accel->fd, ARMKVM_SET_GUEST_DEBUG, &dbg) < 0) {
        error_report("armkvm: vCPU %d: ARMKVM_SET_GUEST_DEBUG: %s",
                     cpu->cpu_index, strerror(errno));
    }
}

/* What the module stops the vCPU at: BKPTs while any exist or a step runs. */
static uint32_t guest_debug_control(CPUState *cpu, bool stepping)
{
    uint32_t control = 0;

    if (stepping) {
        control = ARMKVM_GUESTDBG_ENABLE | ARMKVM_GUESTDBG_SINGLESTEP;
    } else if (!QTAILQ_EMPTY(&armkvm_bkpts)) {
        control = ARMKVM_GUESTDBG_ENABLE;
    }
    return control;
}

/* The module's debug settings for cpu; its fetches then see memory as is. */
int armkvm_update_guest_debug(CPUState *cpu)
{
    if (!cpu->accel) {
        return 0;       /* set when its thread starts the step */
    }
    run_on_cpu(cpu, do_set_guest_debug,
               RUN_ON_CPU_HOST_INT(guest_debug_control(cpu, false)));
    return 0;
}

static void update_all(void)
{
    CPUState *cpu;

    CPU_FOREACH(cpu) {
        armkvm_update_guest_debug(cpu);
    }
}

/* gdb's kind: 2 Thumb, 3 32-bit Thumb (a BKPT on its first half), 4 ARM. */
int armkvm_insert_breakpoint(CPUState *cpu, int type, vaddr addr, vaddr len)
{
    ArmkvmBkpt *bp;
    int ret;

    if (type != GDB_BREAKPOINT_SW && type != GDB_BREAKPOINT_HW) {
        return -ENOSYS;   /* watchpoints: the host owns the debug registers */
    }
    if (!armkvm_has_guest_debug()) {
        return -EOPNOTSUPP;
    }
    bp = bkpt_find(addr);
    if (bp) {
        bp->use_count++;
        return 0;
    }
    bp = g_new0(ArmkvmBkpt, 1);
    bp->va = addr & ~(vaddr)1;
    bp->thumb = len != 4;
    bp->use_count = 1;
    cpu_synchronize_state(cpu);
    ret = bkpt_write(cpu, bp);
    if (ret) {
        g_free(bp);
        return ret;
    }
    trace_armkvm_breakpoint_insert(bp->va, bp->pa, bp->thumb);
    QTAILQ_INSERT_HEAD(&armkvm_bkpts, bp, entry);
    update_all();
    return 0;
}

int armkvm_remove_breakpoint(CPUState *cpu, int type, vaddr addr, vaddr len)
{
    ArmkvmBkpt *bp = bkpt_find(addr);

    if (type != GDB_BREAKPOINT_SW && type != GDB_BREAKPOINT_HW) {
        return -ENOSYS;
    }
    if (!bp) {
        return -ENOENT;
    }
    if (--bp->use_count > 0) {
        return 0;
    }
    bkpt_restore(bp);
    QTAILQ_REMOVE(&armkvm_bkpts, bp, entry);
    g_free(bp);
    update_all();
    return 0;
}

void armkvm_remove_all_breakpoints(CPUState *cpu)
{
    ArmkvmBkpt *bp, *next;

    QTAILQ_FOREACH_SAFE(bp, &armkvm_bkpts, entry, next) {
        bkpt_restore(bp);
        QTAILQ_REMOVE(&armkvm_bkpts, bp, entry);
        g_free(bp);
    }
    update_all();
}

/*
 * On cpu's own thread, before a run that is a debugger's step: BKPTs where
 * the instruction at pc can continue (but where one of the debugger's is),
 * and the module told to step.
 */
void armkvm_step_arm(CPUState *cpu)
{
    AccelCPUState *s = cpu->accel;
    uint32_t next[ARMKVM_MAX_NEXT_PCS];
    ArmkvmBkpt *bp;
    int i, n;

    bool udf;

    cpu_synchronize_state(cpu);
    n = armkvm_arch_next_pcs(cpu, next);
    /*
     * In privileged mode a BKPT is a real prefetch abort, which would
     * overwrite LR_abt and SPSR_abt: code in abort mode gets UDFs.
     */
    udf = armkvm.mode == ARMKVM_MODE_PRIVILEGED &&
          armkvm_arch_in_abort_mode(cpu);
    s->nr_step_bkpts = 0;
    for (i = 0; i < n; i++) {
        if (bkpt_find(next[i])) {
            continue;
        }
        bp = &s->step_bkpts[s->nr_step_bkpts];
        *bp = (ArmkvmBkpt) {
            .va = next[i] & ~1u, .thumb = next[i] & 1, .udf = udf,
        };
        if (bkpt_write(cpu, bp) == 0) {
            s->nr_step_bkpts++;
        }
    }
    if (n < 0) {
        warn_report_once("armkvm: vCPU %d: cannot read the instruction at the "
                         "pc to step: the step runs on to the next exit",
                         cpu->cpu_index);
    }
    trace_armkvm_step_arm(cpu->cpu_index, n, s->nr_step_bkpts);
    do_set_guest_debug(cpu,
                       RUN_ON_CPU_HOST_INT(guest_debug_control(cpu, true)));
}

/*
 * After the step's run: its BKPTs gone; once it has ended, the module back to
 * the breakpoints alone. A run a kick ended leaves the module stepping: the
 * instruction it completed on the way out is reported at the next run, which
 * arms the step again from where the guest stands.
 */
void armkvm_step_disarm(CPUState *cpu, bool ended)
{
    AccelCPUState *s = cpu->accel;

    while (s->nr_step_bkpts > 0) {
        bkpt_restore(&s->step_bkpts[--s->nr_step_bkpts]);
    }
    if (ended) {
        uint32_t control = guest_debug_control(cpu, false);

        do_set_guest_debug(cpu, RUN_ON_CPU_HOST_INT(control));
    }
}

/*
 * ARMKVM_EXIT_DEBUG: a step done, or a BKPT or a step's UDF met: ours (a
 * breakpoint, or a step's) stops the VM for the debugger; the guest's own is
 * its prefetch abort or undefined instruction, which ends a step like any
 * exception entry.
 */
int armkvm_handle_debug_exit(CPUState *cpu, struct armkvm_run *run)
{
    AccelCPUState *s = cpu->accel;
    uint32_t reason = run->debug.reason;
    int i;

    trace_armkvm_debug_exit(cpu->cpu_index, reason, run->debug.pc);
    if (reason == ARMKVM_DEBUG_STEP) {
        return EXCP_DEBUG;
    }
    if (reason != ARMKVM_DEBUG_BKPT && reason != ARMKVM_DEBUG_UDF) {
        error_report("armkvm: vCPU %d: unknown debug exit %u",
                     cpu->cpu_index, reason);
        exit(1);
    }
    if (reason == ARMKVM_DEBUG_BKPT && bkpt_find(run->debug.pc)) {
        return EXCP_DEBUG;
    }
    for (i = 0; i < s->nr_step_bkpts; i++) {
        if (s->step_bkpts[i].va == run->debug.pc &&
            s->step_bkpts[i].udf == (reason == ARMKVM_DEBUG_UDF)) {
            return EXCP_DEBUG;
        }
    }
    cpu_synchronize_state(cpu);
    armkvm_arch_deliver_exception(cpu, reason == ARMKVM_DEBUG_UDF);
    return cpu->singlestep_enabled ? EXCP_DEBUG : 0;
}
