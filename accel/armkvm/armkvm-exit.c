/*
 * armkvm accelerator: one vCPU's RUN loop and what each exit reason does
 * (kvm_cpu_exec's part of accel/kvm): MMIO to QEMU's address space, the
 * hypercalls and timer output the ARM side serves (target/arm/armkvm),
 * guest panics, and completing an exit before the vCPU leaves the loop.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "qemu/main-loop.h"
#include "exec/address-spaces.h"
#include "exec/memory.h"
#include "hw/core/cpu.h"
#include "system/armkvm.h"
#include "system/cpus.h"
#include "system/hw_accel.h"
#include "system/runstate.h"
#include "target/arm/armkvm/armkvm-arm.h"
#include "armkvm-int.h"
#include "trace.h"

#include <sys/ioctl.h>
#include <linux/armkvm.h>

static void armkvm_handle_mmio(CPUState *cpu, struct armkvm_run *run)
{
    MemTxResult r;

    trace_armkvm_mmio(cpu->cpu_index, run->mmio.phys_addr, run->mmio.len,
                      run->mmio.is_write);
    r = address_space_rw(&address_space_memory, run->mmio.phys_addr,
                         MEMTXATTRS_UNSPECIFIED, run->mmio.data,
                         run->mmio.len, run->mmio.is_write);

    if (r != MEMTX_OK) {
        /* No device there: reads as zero, writes ignored, like the bus. */
        if (!run->mmio.is_write) {
            memset(run->mmio.data, 0, sizeof(run->mmio.data));
        }
    }
}

static int armkvm_run_ioctl(CPUState *cpu)
{
    int ret;

    armkvm_note_guest_ran();
    bql_unlock();
    ret = ioctl(cpu->accel->fd, ARMKVM_RUN, 0);
    ret = ret < 0 ? -errno : ret;
    bql_lock();
    /* Whatever RUN returned, it completed the last exit's instruction. */
    cpu->accel->completion_pending = false;
    trace_armkvm_run_exit(cpu->cpu_index, ret, cpu->accel->run->exit_reason);
    return ret;
}

/*
 * Like KVM with immediate_exit: after an MMIO or hypercall exit the module
 * completes the instruction at the next RUN, so before the vCPU leaves its
 * loop (a kick, reset, pause, savevm, a panic) it runs once more with
 * immediate_exit set: the instruction takes effect, the guest is not entered.
 */
void armkvm_finish_pending(CPUState *cpu)
{
    struct armkvm_run *run = cpu->accel->run;
    int ret;

    while (cpu->accel->completion_pending) {
        trace_armkvm_finish_pending(cpu->cpu_index);
        qatomic_set(&run->immediate_exit, 1);
        ret = armkvm_run_ioctl(cpu);
        if (ret == -EINTR || ret == -EAGAIN) {
            break;
        }
        if (ret < 0 || run->exit_reason != ARMKVM_EXIT_MMIO) {
            error_report("armkvm: vCPU %d: completing an exit: %s (exit "
                         "reason %u)", cpu->cpu_index,
                         ret < 0 ? strerror(-ret) : "an unexpected exit",
                         run->exit_reason);
            exit(1);
        }
        /* The next access of a multi-word load or store. */
        cpu->accel->completion_pending = true;
        armkvm_handle_mmio(cpu, run);
    }
    qatomic_set(&run->immediate_exit, 0);
}

/*
 * A guest panic is armkvm's own call (docs/abi.md); everything else (PSCI)
 * is the target's.
 */
static int armkvm_handle_hypercall(CPUState *cpu, struct armkvm_run *run)
{
    uint32_t *arg = run->hypercall.args;

    trace_armkvm_hypercall(cpu->cpu_index, run->hypercall.imm, arg[0], arg[1]);
    if (arg[0] != ARMKVM_HC_GUEST_PANIC) {
        return armkvm_arch_handle_hypercall(cpu, run);
    }
    error_report("armkvm: vCPU %d: the guest panicked (code 0x%x)",
                 cpu->cpu_index, arg[1]);
    armkvm_finish_pending(cpu);
    cpu_synchronize_state(cpu);
    qemu_system_guest_panicked(NULL);
    return EXCP_HLT;
}

/*
 * The guest's timer output, which the module reports after every RUN, to
 * the board's interrupt controller; with the module's GIC, the module
 * raises the timer's interrupt itself.
 */
static void armkvm_sync_timer_level(CPUState *cpu, struct armkvm_run *run)
{
    if (cpu->accel->irqchip_in_kernel) {
        return;
    }
    if (run->timer_level != cpu->accel->timer_level) {
        cpu->accel->timer_level = run->timer_level;
        armkvm_arch_set_timer_output(cpu, run->timer_level);
    }
}

static int armkvm_vcpu_loop(CPUState *cpu)
{
    struct armkvm_run *run = cpu->accel->run;
    int ret = 0;

    while (!ret) {
        if (cpu->vcpu_dirty) {
            armkvm_put_registers(cpu);
            cpu->vcpu_dirty = false;
        }
        if (qatomic_read(&cpu->exit_request)) {
            qatomic_set(&cpu->exit_request, 0);
            armkvm_finish_pending(cpu);
            return EXCP_INTERRUPT;
        }
        /* QEMU's GIC's output, as the CPU's IRQ input sees it. */
        if (!cpu->accel->irqchip_in_kernel) {
            run->irq_line = !!(cpu->interrupt_request & CPU_INTERRUPT_HARD);
        }

        ret = armkvm_run_ioctl(cpu);
        armkvm_sync_timer_level(cpu, run);
        if (ret < 0) {
            if (ret == -EINTR || ret == -EAGAIN) {
                qatomic_set(&run->immediate_exit, 0);
                return EXCP_INTERRUPT;
            }
            error_report("armkvm: vCPU %d: ARMKVM_RUN: %s", cpu->cpu_index,
                         strerror(-ret));
            exit(1);
        }
        ret = 0;

        switch (run->exit_reason) {
        case ARMKVM_EXIT_MMIO:
            cpu->accel->completion_pending = true;
            armkvm_handle_mmio(cpu, run);
            break;
        case ARMKVM_EXIT_TIMER:
            /* Served above; never comes with the module's GIC. */
            break;
        case ARMKVM_EXIT_HYPERCALL:
            cpu->accel->completion_pending = true;
            ret = armkvm_handle_hypercall(cpu, run);
            if (ret) {
                armkvm_finish_pending(cpu);
            }
            break;
        case ARMKVM_EXIT_DEBUG:
            ret = armkvm_handle_debug_exit(cpu, run);
            break;
        case ARMKVM_EXIT_INTERNAL_ERROR:
            error_report("armkvm: vCPU %d: the guest did what armkvm cannot "
                         "run (suberror %u): %08x %08x %08x %08x %08x %08x",
                         cpu->cpu_index, run->internal.suberror,
                         run->internal.data[0], run->internal.data[1],
                         run->internal.data[2], run->internal.data[3],
                         run->internal.data[4], run->internal.data[5]);
            cpu_synchronize_state(cpu);
            qemu_system_guest_panicked(NULL);
            return EXCP_HLT;
        default:
            error_report("armkvm: vCPU %d: unknown exit reason %u",
                         cpu->cpu_index, run->exit_reason);
            exit(1);
        }
    }
    return ret;
}

int armkvm_vcpu_exec(CPUState *cpu)
{
    int ret;

    if (!armkvm_memory_ready()) {
        error_report("armkvm: the machine did not map its RAM (the VM's "
                     "block, memory-backend-armkvm): a board that runs "
                     "natively must map ms->ram");
        exit(1);
    }
    /* Privileged mode gives the guest the host's kernel mode: aware guests only. */
    if (armkvm.mode == ARMKVM_MODE_PRIVILEGED) {
        armkvm_arch_check_guest_aware(cpu);
    }
    if (!cpu->singlestep_enabled) {
        return armkvm_vcpu_loop(cpu);
    }
    /* A debugger's step: one run with BKPTs after the instruction (docs/gdb.md). */
    armkvm_step_arm(cpu);
    ret = armkvm_vcpu_loop(cpu);
    armkvm_step_disarm(cpu, ret == EXCP_DEBUG);
    return ret;
}
