/*
 * armkvm accelerator: vCPUs that run natively through /dev/armkvm.
 *
 * Shaped like QEMU's other hypervisor accelerators: one thread per vCPU that
 * runs ARMKVM_RUN without the BQL and serves each exit with it (the loop and
 * the exit dispatch are armkvm-exit.c), and a dirty flag that says whether
 * CPUARMState or the module holds the newest registers.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "qapi/error.h"
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
    Error *err = NULL;
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
    s->arch = armkvm_arch_init_vcpu(cpu, s->fd, &err);
    if (!s->arch) {
        error_report_err(err);
        munmap(s->run, armkvm.vm.run_size);
        close(s->fd);
        g_free(s);
        return -EINVAL;
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

void armkvm_put_registers(CPUState *cpu)
{
    /* SET_REGS drops a pending completion in the module: this is newer. */
    cpu->accel->completion_pending = false;
    trace_armkvm_put_registers(cpu->cpu_index);
    armkvm_arch_put_registers(cpu, cpu->accel->arch, cpu->accel->fd);
}

static void do_armkvm_synchronize_state(CPUState *cpu, run_on_cpu_data arg)
{
    if (!cpu->vcpu_dirty) {
        /*
         * The last exit's instruction first: read before the module
         * completes it, the registers would go back with the old pc and
         * the put would drop the completion (the guest repeats a store).
         */
        armkvm_finish_pending(cpu);
        trace_armkvm_get_registers(cpu->cpu_index);
        armkvm_arch_get_registers(cpu, cpu->accel->arch, cpu->accel->fd);
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
        if (cpu_can_run(cpu) && armkvm_vcpu_exec(cpu) == EXCP_DEBUG) {
            cpu_handle_guest_debug(cpu);
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
