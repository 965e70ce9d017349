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
 * The guest's RAM when it runs natively: memory the host module allocated
 * when the VM was created, mapped into QEMU. NULL (and no error) under TCG,
 * where the machine's own RAM is used.
 */
MemoryRegion *armkvm_guest_ram(MachineState *ms, Error **errp);

#endif
