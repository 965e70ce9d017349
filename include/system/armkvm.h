/*
 * armkvm accelerator: what machines and the rest of QEMU may ask of it.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef SYSTEM_ARMKVM_H
#define SYSTEM_ARMKVM_H

/*
 * Guest RAM is the machine's RAM (ms->ram) under every mode: running
 * natively, the accelerator makes the module's block the machine's
 * memory-backend (memory-backend-armkvm) before the board is built, and a
 * MemoryListener tells the module where the board mapped it. Boards do not
 * ask for it here.
 */

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

#endif
