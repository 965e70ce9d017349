/*
 * armkvm accelerator: what machines and the rest of QEMU may ask of it.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef SYSTEM_ARMKVM_H
#define SYSTEM_ARMKVM_H

#include "exec/memory.h"
#include "hw/boards.h"

/* True when guest CPUs run natively through /dev/armkvm (not under TCG). */
bool armkvm_native_enabled(void);

/*
 * Whether guests get the CPU's generic timer: under TCG when the CPU has one;
 * natively only when the module can give them its physical timer (CNTP).
 */
bool armkvm_guest_has_ptimer(void);

/*
 * Whether the guest's GIC runs in the host module (ARMKVM_CREATE_IRQCHIP):
 * only natively, with the accelerator's kernel-irqchip=on (the default) and
 * a module that has it (ARMKVM_CAP_IRQCHIP). Otherwise QEMU's GIC serves it.
 */
bool armkvm_irqchip_in_kernel(void);

/* An ioctl on the VM's fd, retried on EINTR: its result, or -errno. */
int armkvm_vm_ioctl(unsigned long request, void *arg);

/*
 * The guest's RAM when it runs natively: memory the host module allocated
 * when the VM was created, mapped into QEMU. NULL (and no error) under TCG,
 * where the machine's own RAM is used.
 */
MemoryRegion *armkvm_guest_ram(MachineState *ms, Error **errp);

#endif
