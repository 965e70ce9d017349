/*
 * armkvm accelerator: state shared by the files of accel/armkvm.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef ACCEL_ARMKVM_INT_H
#define ACCEL_ARMKVM_INT_H

#include "qom/object.h"
#include "hw/boards.h"
#include "qemu/queue.h"
#include "exec/hwaddr.h"
#include "exec/vaddr.h"

struct armkvm_run;

#define TYPE_ARMKVM_ACCEL ACCEL_CLASS_NAME("armkvm")
/* armkvm is TCG plus native execution: it subclasses QEMU's TCG accelerator. */
#define TYPE_ARMKVM_PARENT_ACCEL ACCEL_CLASS_NAME("tcg")

/* How guest CPUs run; "auto" picks native execution whenever it can. */
typedef enum ArmkvmMode {
    ARMKVM_MODE_AUTO,
    ARMKVM_MODE_PRIVILEGED,
    ARMKVM_MODE_ISOLATED,
    ARMKVM_MODE_TRUSTZONE,
    ARMKVM_MODE_TCG,
    ARMKVM_MODE__MAX
} ArmkvmMode;

/* The host side: /dev/armkvm, once opened and its ABI checked. */
typedef struct ArmkvmDevice {
    int fd;
    int api_version;
} ArmkvmDevice;

int armkvm_device_open(ArmkvmDevice *dev, Error **errp);
void armkvm_device_close(ArmkvmDevice *dev);

/* A VM: its fd and the guest RAM the module gave it (privileged mode's block). */
typedef struct ArmkvmVM {
    int fd;
    void *ram;                  /* the VM fd mapped: memory-backend-armkvm */
    uint64_t ram_gpa;           /* where the module has it */
    uint64_t ram_size;
    bool has_user_memory;       /* ARMKVM_CAP_USER_MEMORY: RAM can be placed */
    bool ram_mapped;            /* the board mapped it (the listener saw it) */
    /* Isolated mode: RAM is QEMU's own, given as slots (armkvm-user-memory.c) */
    bool user_memory;
    /* Privileged mode, ram-base auto: guest-physical = host-physical. */
    bool gpa_is_hpa;
    int run_size;
} ArmkvmVM;

struct armkvm_run;

/* A BKPT armkvm wrote into guest memory for a debugger (armkvm-debug.c). */
typedef struct ArmkvmBkpt {
    vaddr va;           /* where the debugger asked, bit 0 clear */
    hwaddr pa;          /* where it is written */
    bool thumb;         /* a 16-bit BKPT, else 32 */
    bool udf;           /* ARMKVM_DEBUG_UDF_*, not BKPT (a step in abort mode) */
    uint32_t saved;     /* what it replaced */
    int use_count;
    QTAILQ_ENTRY(ArmkvmBkpt) entry;
} ArmkvmBkpt;

#define ARMKVM_MAX_STEP_BKPTS 2

struct AccelCPUState {
    int fd;
    struct armkvm_run *run;
    uint32_t timer_level;       /* run->timer_level as the GIC last saw it */
    /* The module's GIC drives the IRQ input and the timer's PPI itself. */
    bool irqchip_in_kernel;
    /*
     * The last exit was an MMIO access or a hypercall, which the module
     * completes at the next RUN: it must come before anything else touches
     * the vCPU (armkvm_finish_pending).
     */
    bool completion_pending;
    /* What the target keeps of the vCPU beyond CPUARMState (armkvm-arm.h). */
    struct ArmkvmArchVcpu *arch;
    /* A debugger's step under way: its BKPTs, for this run only. */
    ArmkvmBkpt step_bkpts[ARMKVM_MAX_STEP_BKPTS];
    int nr_step_bkpts;
};

/* The accelerator's state: one per QEMU process. */
typedef struct ArmkvmState {
    ArmkvmMode mode;
    bool kernel_irqchip;        /* the property: use the module's GIC if any */
    ArmkvmDevice dev;
    ArmkvmVM vm;
} ArmkvmState;

extern ArmkvmState armkvm;

/* vCPUs running natively (armkvm-vcpu.c). */
void armkvm_start_vcpu_thread(CPUState *cpu);
void armkvm_kick_vcpu_thread(CPUState *cpu);
void armkvm_handle_interrupt(CPUState *cpu, int mask);
void armkvm_cpu_synchronize_state(CPUState *cpu);
void armkvm_cpu_mark_dirty(CPUState *cpu);
/* CPUARMState is the newest: into the module before the next RUN. */
void armkvm_put_registers(CPUState *cpu);

/* One vCPU's RUN loop until it must leave it: an EXCP_* (armkvm-exit.c). */
int armkvm_vcpu_exec(CPUState *cpu);
/* Completes the last exit's instruction without entering the guest. */
void armkvm_finish_pending(CPUState *cpu);

/*
 * Guest RAM (armkvm-memory.c): the machine's memory backend and the listener
 * that places it in the module. Init before the board is built.
 */
int armkvm_memory_init(MachineState *ms);
void armkvm_user_memory_init(void);
/* The board mapped the VM's RAM: the guest may run. */
bool armkvm_memory_ready(void);

/*
 * The guest's doorbell stores signalled in the module (armkvm-ioeventfd.c):
 * QEMU's ioeventfds passed on, where the module has ARMKVM_CAP_IOEVENTFD.
 */
void armkvm_ioeventfd_init(void);

/* A debugger's breakpoints and steps, natively (armkvm-debug.c). */
bool armkvm_has_guest_debug(void);
int armkvm_update_guest_debug(CPUState *cpu);
int armkvm_insert_breakpoint(CPUState *cpu, int type, vaddr addr, vaddr len);
int armkvm_remove_breakpoint(CPUState *cpu, int type, vaddr addr, vaddr len);
void armkvm_remove_all_breakpoints(CPUState *cpu);
void armkvm_step_arm(CPUState *cpu);
void armkvm_step_disarm(CPUState *cpu, bool ended);
int armkvm_handle_debug_exit(CPUState *cpu, struct armkvm_run *run);

/* armkvm-stats.c */
void armkvm_add_stats(CPUState *cpu);
void armkvm_stats_register(void);
void armkvm_migration_register(void);
void armkvm_note_guest_ran(void);

#endif
