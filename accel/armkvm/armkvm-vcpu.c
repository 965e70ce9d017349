/*
 * armkvm accelerator: vCPUs that run natively through /dev/armkvm.
 *
 * Shaped like QEMU's other hypervisor accelerators: one thread per vCPU that
 * runs ARMKVM_RUN without the BQL and serves each exit with it, and a dirty
 * flag that says whether CPUARMState or the module holds the newest registers.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "qemu/guest-random.h"
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
#include <sys/mman.h>
#include <linux/armkvm.h>

static void armkvm_ipi_signal(int sig)
{
    /* Only interrupts ARMKVM_RUN; run->immediate_exit does the rest. */
}

static int armkvm_init_vcpu(CPUState *cpu)
{
    AccelCPUState *s = g_new0(AccelCPUState, 1);
    struct sigaction sa = { .sa_handler = armkvm_ipi_signal };
    sigset_t set;

    s->fd = ioctl(armkvm.vm.fd, ARMKVM_CREATE_VCPU, cpu->cpu_index);
    if (s->fd < 0) {
        error_report("armkvm: cannot create vCPU %d: %s", cpu->cpu_index,
                     strerror(errno));
        g_free(s);
        return -errno;
    }
    s->run = mmap(NULL, armkvm.vm.run_size, PROT_READ | PROT_WRITE,
                  MAP_SHARED, s->fd, 0);
    if (s->run == MAP_FAILED) {
        error_report("armkvm: cannot map the run structure of vCPU %d: %s",
                     cpu->cpu_index, strerror(errno));
        close(s->fd);
        g_free(s);
        return -errno;
    }
    sigaction(SIG_IPI, &sa, NULL);
    sigemptyset(&set);
    sigaddset(&set, SIG_IPI);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    s->irqchip_in_kernel = armkvm_irqchip_in_kernel();
    cpu->accel = s;
    cpu->vcpu_dirty = true;
    armkvm_add_stats(cpu);
    return 0;
}

static void armkvm_put_registers(CPUState *cpu)
{
    /* SET_REGS drops a pending completion in the module: this is newer. */
    cpu->accel->completion_pending = false;
    armkvm_arch_put_registers(cpu, cpu->accel->fd);
}

static void do_armkvm_synchronize_state(CPUState *cpu, run_on_cpu_data arg)
{
    if (!cpu->vcpu_dirty) {
        armkvm_arch_get_registers(cpu, cpu->accel->fd);
        cpu->vcpu_dirty = true;
    }
}

void armkvm_cpu_synchronize_state(CPUState *cpu)
{
    if (!cpu->vcpu_dirty) {
        run_on_cpu(cpu, do_armkvm_synchronize_state, RUN_ON_CPU_NULL);
    }
}

static void do_armkvm_mark_dirty(CPUState *cpu, run_on_cpu_data arg)
{
    /* QEMU's copy is the newest: it goes to the module before the next RUN. */
    cpu->vcpu_dirty = true;
}

/* After reset, machine init and loadvm alike, CPUARMState is what counts. */
void armkvm_cpu_mark_dirty(CPUState *cpu)
{
    run_on_cpu(cpu, do_armkvm_mark_dirty, RUN_ON_CPU_NULL);
}

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
static void armkvm_finish_pending(CPUState *cpu)
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

static int armkvm_vcpu_exec(CPUState *cpu)
{
    struct armkvm_run *run = cpu->accel->run;
    int ret = 0;

    if (!armkvm_memory_ready()) {
        error_report("armkvm: the machine did not map its RAM (the VM's "
                     "block, memory-backend-armkvm): a board that runs "
                     "natively must map ms->ram");
        exit(1);
    }
    armkvm_arch_check_guest_aware(cpu);
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

static void *armkvm_vcpu_thread_fn(void *arg)
{
    CPUState *cpu = arg;

    rcu_register_thread();
    bql_lock();
    qemu_thread_get_self(cpu->thread);
    cpu->thread_id = qemu_get_thread_id();
    current_cpu = cpu;
    if (armkvm_init_vcpu(cpu) < 0) {
        exit(1);
    }
    cpu_thread_signal_created(cpu);
    qemu_guest_random_seed_thread_part2(cpu->random_seed);

    do {
        if (cpu_can_run(cpu)) {
            armkvm_vcpu_exec(cpu);
        }
        qemu_wait_io_event(cpu);
    } while (!cpu->unplug || cpu_can_run(cpu));

    cpu_thread_signal_destroyed(cpu);
    bql_unlock();
    rcu_unregister_thread();
    return NULL;
}

void armkvm_start_vcpu_thread(CPUState *cpu)
{
    char name[VCPU_THREAD_NAME_SIZE];

    snprintf(name, sizeof(name), "CPU %d/armkvm", cpu->cpu_index);
    qemu_thread_create(cpu->thread, name, armkvm_vcpu_thread_fn, cpu,
                       QEMU_THREAD_JOINABLE);
}

/*
 * An interrupt input changed (with the BQL held). The kick exists to make a
 * running guest see a new interrupt promptly; QEMU's GIC re-asserts its
 * output on every register access, and a line that is already high reaches
 * the guest at its next entry anyway, so only a rising line kicks. Kicking
 * on every assertion livelocks the vCPU under an interrupt storm: each kick
 * costs an exit.
 */
void armkvm_handle_interrupt(CPUState *cpu, int mask)
{
    int old = cpu->interrupt_request;

    cpu->interrupt_request |= mask;
    if ((old & mask) != mask && !qemu_cpu_is_self(cpu)) {
        qemu_cpu_kick(cpu);
    }
}

void armkvm_kick_vcpu_thread(CPUState *cpu)
{
    cpu->exit_request = 1;
    if (!cpu->accel) {
        /*
         * No thread to signal yet (a kick during realize or reset): it reads
         * exit_request before it first runs the guest.
         */
        return;
    }
    qatomic_set(&cpu->accel->run->immediate_exit, 1);
    cpus_kick_thread(cpu);
}
