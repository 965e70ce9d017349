/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * armkvm: the /dev/armkvm ioctl ABI, shared by the host module and QEMU.
 *
 * This header is the single definition of the ABI: linux-module/ and
 * accel/armkvm/ both include it; docs/abi.md describes each call.
 *
 * ARMKVM_API_VERSION is frozen, as KVM's is: what a call takes and does never
 * changes. The ABI grows by new calls, capabilities and register IDs, each
 * announced by ARMKVM_CHECK_EXTENSION, so a newer module runs older
 * userspace and userspace asks before it uses something new.
 *
 * Copyright (c) 2026 The armkvm developers
 */

#ifndef _UAPI_LINUX_ARMKVM_H
#define _UAPI_LINUX_ARMKVM_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define ARMKVM_API_VERSION	13

/* Outside KVM's 0xAE: an armkvm fd never answers KVM's calls by accident. */
#define ARMKVMIO		0xAF

/* Execution modes (struct armkvm_vm_config.mode). */
#define ARMKVM_VM_MODE_PRIVILEGED	1
/*
 * The guest kernel runs in the CPU's user mode (docs/isolated-mode.md), on
 * shadow page tables built from its own: every exception an exit, HVC
 * hypercalls and device accesses from its virtual privileged modes, its
 * faults, SVC and its user mode's undefined instructions reflected to its
 * vectors; an instruction that isolated mode does not emulate yet is
 * ARMKVM_INTERNAL_UNSUPPORTED_INSN.
 * Needs no capability when its RAM is the caller's (ram_size 0,
 * ARMKVM_CAP_ISOLATED_USER_MEMORY); with a RAM block, CAP_SYS_RAWIO as
 * privileged mode.
 */
#define ARMKVM_VM_MODE_ISOLATED		2

/*
 * An armkvm-aware guest image says so: these 16 bytes (the last four are the
 * marker's version), 4-byte aligned, within the first
 * ARMKVM_GUEST_MARKER_WINDOW bytes from its entry point. Privileged mode
 * gives the guest the host's kernel mode, so QEMU runs natively only images
 * that carry it; others run under TCG (mode=auto) or are refused
 * (mode=privileged). The module does not look: its caller is root already.
 */
#define ARMKVM_GUEST_MARKER		"armkvm-aware\x01\0\0\0"
#define ARMKVM_GUEST_MARKER_SIZE	16
#define ARMKVM_GUEST_MARKER_WINDOW	4096

/* Limits of a VM in privileged mode: guest RAM is one physically contiguous block. */
#define ARMKVM_RAM_ALIGN	(1u << 20)
#define ARMKVM_RAM_MAX		(256u << 20)

/*
 * struct armkvm_vm_config.flags: guest-physical = host-physical. armkvm picks
 * ram_gpa (give 0): where the block landed. A guest with its own MMU needs
 * it to use guest-physical addresses in its tables (Linux does).
 */
#define ARMKVM_VM_GPA_IS_HPA	(1u << 0)

struct armkvm_vm_config {
	__u32 mode;		/* ARMKVM_VM_MODE_* */
	__u32 flags;		/* ARMKVM_VM_* */
	__u64 ram_gpa;		/* guest-physical base, ARMKVM_RAM_ALIGN aligned; out with GPA_IS_HPA */
	__u64 ram_size;		/* bytes, ARMKVM_RAM_ALIGN multiple, <= ARMKVM_RAM_MAX */
	/*
	 * Host-physical alignment of the block: 0 for its size rounded up to a
	 * power of two, or a larger power of two up to 1 GiB (a Linux zImage
	 * decompresses to the 128 MiB boundary below it).
	 */
	__u64 ram_align;
	__u64 ram_hpa;		/* out (ignored in): the block's host-physical base */
	__u64 reserved[2];	/* 0 */
};

/*
 * The core registers of an ARMv7-A CPU, every mode's banked copy. The FIQ bank
 * is absent: in privileged mode it belongs to the hypervisor (docs/modes.md).
 */
struct armkvm_core_regs {
	__u32 usr[15];		/* r0-r12, sp_usr, lr_usr */
	__u32 pc;
	__u32 cpsr;
	__u32 svc[3];		/* sp, lr, spsr of each exception mode */
	__u32 abt[3];
	__u32 und[3];
	__u32 irq[3];
	__u32 vbar;		/* the guest's vector base (0: none; see ARMKVM_HC_SET_VECTORS) */
	struct armkvm_cp15_regs {
		/*
		 * Only M (bit 0) is the guest's: the rest reads as the host's
		 * SCTLR, under which the guest's descriptors are interpreted
		 * (docs/modes.md, the guest MMU contract). M is set by
		 * ARMKVM_HC_MMU_ENABLE or here.
		 */
		__u32 sctlr;
		/* Used by the MMU only while M is set; RAM in them is host-physical. */
		__u32 ttbr0, ttbr1, ttbcr, dacr;
		__u32 prrr, nmrr;
		/* Always the guest's. */
		__u32 contextidr;
		__u32 tpidrurw, tpidruro, tpidrprw;
		__u32 dfsr, dfar, ifsr, ifar;
		/*
		 * The generic timer's physical timer (CNTP), the guest's to
		 * program natively where the CPU has one (the host runs on the
		 * virtual timer), and its PL0 access control. ctl's ISTATUS is
		 * read-only. Its output is run->timer_level.
		 */
		__u32 cntp_ctl, cntp_cval_lo, cntp_cval_hi, cntkctl;
	} cp15;
};

/* VFP/NEON state: d0-d31 (d16-d31 read as 0 on 16-register VFPs), FPSCR, FPEXC. */
struct armkvm_vfp_regs {
	__u64 d[32];
	__u32 fpscr;
	__u32 fpexc;
};

/* Exits (struct armkvm_run.exit_reason). */
#define ARMKVM_EXIT_UNKNOWN		0
#define ARMKVM_EXIT_MMIO		1	/* a device access: complete it, RUN again */
#define ARMKVM_EXIT_HYPERCALL		2	/* HVC #imm: r0-r3 in, ret[] back to r0-r3 */
#define ARMKVM_EXIT_INTR		3	/* a signal is pending: RUN returned -EINTR */
#define ARMKVM_EXIT_INTERNAL_ERROR	4	/* the guest did what armkvm cannot run */
#define ARMKVM_EXIT_TIMER		5	/* run->timer_level changed */
#define ARMKVM_EXIT_DEBUG		6	/* ARMKVM_SET_GUEST_DEBUG: run->debug says why */

/* internal.suberror */
#define ARMKVM_INTERNAL_UNHANDLED_EXCEPTION	1	/* vector, pc, fault regs in data[] */
#define ARMKVM_INTERNAL_MMIO_DECODE		2	/* instruction in data[0], pc in data[1] */
/* The guest's MMU state breaks its contract: ttbr0, ttbr1, ttbcr, dacr, pc in data[] */
#define ARMKVM_INTERNAL_GUEST_MMU		3
/* Isolated mode: a privileged instruction it does not emulate yet: instruction, pc, cpsr. */
#define ARMKVM_INTERNAL_UNSUPPORTED_INSN	4

struct armkvm_run {
	__u32 exit_reason;
	/*
	 * Written by userspace, any thread: when non-zero, RUN returns -EINTR
	 * (ARMKVM_EXIT_INTR) before entering the guest again. A signal alone can
	 * be consumed before RUN starts; this flag cannot be missed.
	 */
	__u32 immediate_exit;
	/*
	 * Written by userspace: the level of the vCPU's IRQ input (its interrupt
	 * controller's output). Read before every guest entry; an IRQ exception is
	 * delivered to the guest's vectors when it is high and CPSR.I is clear.
	 * Raise it, then kick (immediate_exit) for prompt delivery. Ignored once
	 * the VM has an in-kernel interrupt controller (ARMKVM_CREATE_IRQCHIP).
	 */
	__u32 irq_line;
	/*
	 * Written by the module: the level of the guest's physical timer output
	 * (CNTP enabled, not masked, expired), for userspace to wire to its
	 * interrupt controller. Up to date after every RUN; when it changes and
	 * nothing else exits, RUN exits with ARMKVM_EXIT_TIMER. With an in-kernel
	 * interrupt controller the timer drives its PPI there and never exits.
	 */
	__u32 timer_level;
	union {
		struct {
			__u64 phys_addr;
			__u8 data[8];	/* little-endian; a read's result goes here */
			__u32 len;	/* 1, 2 or 4 */
			__u8 is_write;
			__u8 pad[3];
		} mmio;
		struct {
			__u32 imm;	/* the HVC immediate */
			__u32 args[4];	/* r0-r3 at the call */
			__u32 ret[4];	/* written by userspace: r0-r3 after it */
		} hypercall;
		struct {
			__u32 suberror;
			__u32 ndata;
			__u32 data[8];
		} internal;
		struct {
			__u32 pc;	/* where the guest stands: the BKPT, or the next instruction */
			__u32 reason;	/* ARMKVM_DEBUG_* */
		} debug;
		__u8 pad[256];
	};
};

/*
 * Hypercalls the module serves itself (HVC, r0 = function, in the SMC calling
 * convention's vendor-specific hypervisor range). Under TCG, QEMU answers every
 * HVC it does not know with PSCI's NOT_SUPPORTED (-1): a guest that gets -1
 * does the architectural thing instead, so one guest binary runs under both.
 */
/* r1 = the guest's exception vector base; r0 = 0. The guest must not write VBAR itself. */
#define ARMKVM_HC_SET_VECTORS	0x86000001
/*
 * Wait for an interrupt (WFI, but the vCPU thread sleeps in the host instead
 * of holding the CPU): returns r0 = 0 once irq_line is high or userspace
 * needs the vCPU (a signal, immediate_exit: RUN returns -EINTR meanwhile).
 */
#define ARMKVM_HC_WAIT_FOR_INTERRUPT	0x86000002
/*
 * Where guest RAM really is: r0 = 0, r1 = its host-physical base, r2 = its
 * guest-physical base. A guest with its own MMU puts host-physical addresses
 * of RAM in its translation tables and TTBRs (the two are equal when QEMU
 * places RAM at its host-physical address). Device addresses are guest-physical.
 */
#define ARMKVM_HC_RAM_BASE		0x86000003
/*
 * Turn the guest's MMU on: r1 = TTBR0, r2 = TTBCR, r3 = DACR. armkvm writes
 * its own entries for 0xbf000000-0xbfffffff (reserved to the hypervisor in
 * every guest address space) into the table, loads the three registers and
 * sets SCTLR.M; the guest continues at the next instruction, translated by
 * its table. r0 = 0, or -2 (INVALID_PARAMETERS) if the table is not in guest
 * RAM, uses long descriptors or disabled walks, or DACR closes domain 0
 * (the hypervisor's entries: client or manager will do). The guest must not write SCTLR,
 * TTBR0/1 or TTBCR itself while its MMU is off.
 */
#define ARMKVM_HC_MMU_ENABLE		0x86000004
#define ARMKVM_HC_INVALID_PARAMETERS	((__u32)-2)
/* A call this VM's mode does not offer (PSCI's NOT_SUPPORTED). */
#define ARMKVM_HC_NOT_SUPPORTED		((__u32)-1)
/*
 * The guest panicked (r1: a guest-defined code): served by userspace, which
 * reports it (QEMU: the GUEST_PANICKED event) and stops the guest.
 */
#define ARMKVM_HC_GUEST_PANIC		0x86000005
/*
 * WAIT_FOR_INTERRUPT, then CPSR.I cleared: the call returns as if the next
 * instruction were CPSIE i, so an interrupt that ended the wait is taken at
 * the instruction after the HVC rather than at the guest's next exit (an
 * unmask does not trap). For guests that unmask right after idling (Linux's
 * arch_cpu_idle()); r0 = 0.
 */
#define ARMKVM_HC_WAIT_FOR_INTERRUPT_UNMASKED	0x86000006
/*
 * Which mode runs the guest: r0 = 0, r1 = ARMKVM_VM_MODE_*. A guest patches
 * its sensitive instructions for isolated mode by it (docs/isolated-mode.md).
 */
#define ARMKVM_HC_GET_MODE		0x86000007
/*
 * Isolated mode: r1 = the guest-physical address (8-byte aligned, in RAM) of
 * the two words that keep the virtual CPSR.I ("masked", the guest's) and
 * "pending" (armkvm's), so that masking interrupts does not trap
 * (docs/isolated-mode.md, "Paravirtual interrupt flags"). r0 = 0 and r1 =
 * the other paravirtual operations the module offers (ARMKVM_PV_*), or
 * ARMKVM_HC_INVALID_PARAMETERS; ARMKVM_HC_NOT_SUPPORTED in privileged mode.
 */
#define ARMKVM_HC_PV_IRQ		0x86000008
/*
 * UDF #0xb200-0xb203: Linux's return to user space in one trap, in place of
 * restore_user_regs's TLS write (docs/isolated-mode.md, 5.4).
 */
#define ARMKVM_PV_RET_USER		(1u << 0)
/* ARMKVM_HC_PV_ENTRY_TPIDRURO is offered. */
#define ARMKVM_PV_ENTRY_TPIDRURO	(1u << 1)
/*
 * Isolated mode: r1 = the guest-physical address (4-byte aligned, in RAM) of
 * a word that TPIDRURO takes at every exception from the guest's user mode
 * (Linux's __entry_task), so that its entry code need not write it. r0 = 0,
 * or ARMKVM_HC_INVALID_PARAMETERS; ARMKVM_HC_NOT_SUPPORTED in privileged
 * mode. Like PV_IRQ's words, named with the MMU on and forgotten once it is
 * off.
 */
#define ARMKVM_HC_PV_ENTRY_TPIDRURO	0x86000009
/*
 * Every mode: code the guest wrote with data stores made runnable: guest
 * RAM's data cleaned to the point of unification, the instruction caches and
 * branch predictors invalidated. One exit where isolated mode traps every
 * maintenance instruction (a decompressor's clean of its image, a set/way
 * flush). r0 = 0.
 */
#define ARMKVM_HC_CACHE_SYNC		0x8600000a

struct armkvm_vcpu_stats {
	__u64 world_switches;
	__u64 exits_irq;
	__u64 exits_mmio;
	__u64 exits_hypercall;
	__u64 exits_other;
	__u64 exceptions_delivered;	/* guest exceptions sent to the guest's vectors by the host */
	__u64 irqs_injected;		/* virtual interrupts delivered to the guest */
	__u64 idle_waits;		/* ARMKVM_HC_WAIT_FOR_INTERRUPT sleeps */
	__u64 guest_ns;		/* time spent in the guest */
	__u64 exceptions_forwarded;	/* guest exceptions sent to its vectors without an exit */
	__u64 mmio_in_kernel;		/* device accesses served in the module: GIC, ioeventfds */
};

/*
 * The in-kernel interrupt controller (like KVM_CREATE_IRQCHIP): a GICv2
 * distributor and CPU interface without the security or virtualization
 * extensions, for one CPU, served in the module so that the guest's
 * acknowledge and end-of-interrupt accesses and its timer's interrupt do not
 * leave the kernel. Userspace keeps its other devices and drives their
 * shared peripheral interrupts (SPIs) with ARMKVM_IRQ_LINE. Created before
 * any vCPU runs (EBUSY after).
 */
#define ARMKVM_IRQCHIP_MAX_IRQS	256
#define ARMKVM_IRQCHIP_WORDS	(ARMKVM_IRQCHIP_MAX_IRQS / 32)

struct armkvm_irqchip_config {
	__u64 dist_base;	/* guest-physical, 4 KiB aligned: GICD (4 KiB) */
	__u64 cpu_base;		/* guest-physical, 4 KiB aligned: GICC (8 KiB) */
	__u32 num_irqs;		/* 32 + SPIs: a multiple of 32, 64..ARMKVM_IRQCHIP_MAX_IRQS */
	__u32 timer_intid;	/* the PPI (16-31) of the guest's physical timer, or 0 */
	__u32 reserved[4];	/* 0 */
};

struct armkvm_irq_level {
	__u32 intid;		/* an SPI: 32..num_irqs-1 */
	__u32 level;		/* 0 or 1 */
};

/*
 * The controller's whole state (GET/SET_IRQCHIP: savevm, migration, reset).
 * Bitmaps have bit n of word n / 32 for interrupt ID n. An SGI's source is
 * always CPU 0. apr[] are the active priority registers (GICC_APRn: bit n
 * of the 128 is group priority 2n); the running priority follows from them.
 */
struct armkvm_irqchip_state {
	__u32 dist_ctlr;	/* GICD_CTLR.Enable */
	__u32 cpu_ctlr;		/* GICC_CTLR: bits 0-4, 9 */
	__u32 pmr;		/* GICC_PMR */
	__u32 bpr;		/* GICC_BPR */
	__u32 apr[4];
	__u32 enabled[ARMKVM_IRQCHIP_WORDS];
	__u32 pending[ARMKVM_IRQCHIP_WORDS];	/* latched: edges, GICD_ISPENDR */
	__u32 active[ARMKVM_IRQCHIP_WORDS];
	__u32 level[ARMKVM_IRQCHIP_WORDS];	/* input lines */
	__u32 edge[ARMKVM_IRQCHIP_WORDS];	/* GICD_ICFGR: edge-triggered */
	__u8 priority[ARMKVM_IRQCHIP_MAX_IRQS];
	__u32 reserved[8];	/* 0 */
};

/* ioctls on /dev/armkvm */
/* Returns ARMKVM_API_VERSION of the loaded module; takes no argument. */
#define ARMKVM_GET_API_VERSION	_IO(ARMKVMIO, 0x00)
/* Returns a VM fd and fills in ram_hpa (and ram_gpa with GPA_IS_HPA). Guest RAM is allocated now (ENOMEM if it cannot be). */
#define ARMKVM_CREATE_VM	_IOWR(ARMKVMIO, 0x01, struct armkvm_vm_config)
/* Like KVM_CHECK_EXTENSION: the argument is an ARMKVM_CAP_*; returns 1 if present, else 0. */
#define ARMKVM_CHECK_EXTENSION	_IO(ARMKVMIO, 0x03)
/* Guests own the CPU's physical timer (CNTP; run->timer_level is its output). */
#define ARMKVM_CAP_PTIMER	1
/* ARMKVM_CREATE_IRQCHIP and its calls. */
#define ARMKVM_CAP_IRQCHIP	2
/* ARMKVM_GET_ONE_REG, ARMKVM_SET_ONE_REG and ARMKVM_GET_REG_LIST. */
#define ARMKVM_CAP_ONE_REG	3
/* Size of the run structure to mmap from a vCPU fd. */
#define ARMKVM_GET_VCPU_MMAP_SIZE _IO(ARMKVMIO, 0x04)

/* ioctls on a VM fd; mmap(offset 0, ram_size) maps guest RAM. */
/* Argument: the vCPU id (0 only, for now). Returns a vCPU fd. */
#define ARMKVM_CREATE_VCPU	_IO(ARMKVMIO, 0x41)
/* Once per VM, before or after its vCPU; EEXIST the second time. */
#define ARMKVM_CREATE_IRQCHIP	_IOW(ARMKVMIO, 0x42, struct armkvm_irqchip_config)
/* An SPI's input level; a vCPU waiting for an interrupt wakes, a running one is kicked. */
#define ARMKVM_IRQ_LINE		_IOW(ARMKVMIO, 0x43, struct armkvm_irq_level)
#define ARMKVM_GET_IRQCHIP	_IOR(ARMKVMIO, 0x44, struct armkvm_irqchip_state)
/* EINVAL for bits or priorities beyond num_irqs, or non-zero reserved words. */
#define ARMKVM_SET_IRQCHIP	_IOW(ARMKVMIO, 0x45, struct armkvm_irqchip_state)

/*
 * Guest RAM's place in the guest-physical address space, from userspace (like
 * KVM_SET_USER_MEMORY_REGION; QEMU calls it from a MemoryListener). Offered
 * when ARMKVM_CHECK_EXTENSION(ARMKVM_CAP_USER_MEMORY) says 1.
 *
 * Privileged mode has one slot, 0, and it is the VM's own block: memory_size
 * is the VM's ram_size and userspace_addr a mapping of this VM's fd at offset
 * 0 (guest RAM stays the block CREATE_VM allocated; the address only proves
 * the caller maps it). guest_phys_addr is ARMKVM_RAM_ALIGN aligned, RAM ends
 * below the hypervisor's window (0xbf000000), and with ARMKVM_VM_GPA_IS_HPA it
 * equals the block's host-physical base. While no slot is registered, RAM is
 * at CREATE_VM's ram_gpa (callers that never use this call).
 *
 * memory_size 0 deletes the slot: RAM goes back to CREATE_VM's ram_gpa. Once
 * a vCPU of the VM has run, RAM stays where it is: moving or deleting the slot
 * fails with EBUSY (registering the same place again succeeds).
 *
 * EINVAL: slot or flags not 0, a size or an address the rules above refuse,
 * an address that is not this VM's mapping; EFAULT: nothing mapped there.
 */
#define ARMKVM_CAP_USER_MEMORY	4

/*
 * Isolated mode's guest RAM from the caller's own memory, offered when
 * ARMKVM_CHECK_EXTENSION(ARMKVM_CAP_ISOLATED_USER_MEMORY) says 1: an isolated
 * VM created with ram_size 0 (ram_gpa and ram_align 0 too) has no block; its
 * RAM is up to ARMKVM_USER_SLOTS slots of any private or shared mapping of
 * the caller, as KVM's. Per slot: guest_phys_addr and memory_size page
 * aligned, the range below 4 GiB and clear of the hypervisor's window
 * (0xbf000000-0xbfffffff) and of the other slots; userspace_addr page aligned,
 * the range in the caller's address space; flags 0. Pages are pinned as the
 * guest first touches them; each slot's size counts against the caller's
 * RLIMIT_MEMLOCK while it exists (ENOMEM over it, unless CAP_IPC_LOCK). Only
 * the process that registered the slots may run the VM. memory_size 0
 * deletes a slot. Once a vCPU has run, slots are fixed: a change is EBUSY
 * (registering a slot as it is succeeds).
 */
#define ARMKVM_CAP_ISOLATED_USER_MEMORY	7
#define ARMKVM_USER_SLOTS	8

struct armkvm_userspace_memory_region {
	__u32 slot;		/* 0 */
	__u32 flags;		/* 0 */
	__u64 guest_phys_addr;
	__u64 memory_size;	/* bytes; 0 deletes the slot */
	__u64 userspace_addr;	/* where the caller mapped the VM fd, offset 0 */
};

#define ARMKVM_SET_USER_MEMORY_REGION \
	_IOW(ARMKVMIO, 0x46, struct armkvm_userspace_memory_region)

/*
 * Notifications that bypass userspace (like KVM_IOEVENTFD and KVM_IRQFD),
 * offered when ARMKVM_CHECK_EXTENSION says 1 for ARMKVM_CAP_IOEVENTFD and
 * ARMKVM_CAP_IRQFD (docs/abi.md, "Eventfds").
 *
 * ARMKVM_IOEVENTFD: a guest store of len bytes (0: any length) to the
 * guest-physical addr (with DATAMATCH: of the value datamatch) signals the
 * eventfd fd in the module and the guest goes on without an exit. Several
 * may share an address with different datamatch values (virtio-mmio's
 * QueueNotify). addr is len-aligned, below 4 GiB; datamatch fits in len
 * bytes and is 0 without DATAMATCH; pad is 0. EINVAL for anything else,
 * EEXIST for one that would match the same stores as a registered one or
 * that overlaps the in-kernel interrupt controller, ENOSPC beyond
 * ARMKVM_IOEVENTFD_MAX per VM, EBADF/EINVAL for an fd that is not an
 * eventfd. DEASSIGN removes the one with the same addr, len, fd and
 * datamatch (ENOENT if none).
 */
#define ARMKVM_CAP_IOEVENTFD	5
#define ARMKVM_IOEVENTFD_MAX	256

#define ARMKVM_IOEVENTFD_FLAG_DATAMATCH	(1u << 0)
#define ARMKVM_IOEVENTFD_FLAG_DEASSIGN	(1u << 2)	/* KVM's bit; 1 << 1 (PIO) is EINVAL */

struct armkvm_ioeventfd {
	__u64 datamatch;
	__u64 addr;		/* guest-physical */
	__u32 len;		/* 0 (any), 1, 2 or 4 */
	__s32 fd;
	__u32 flags;
	__u8 pad[36];		/* 0 */
};

#define ARMKVM_IOEVENTFD	_IOW(ARMKVMIO, 0x47, struct armkvm_ioeventfd)

/*
 * ARMKVM_IRQFD: each signal of the eventfd fd makes the SPI with interrupt
 * ID 32 + gsi of the in-kernel interrupt controller pending, as a write to
 * GICD_ISPENDR does (level-sensitive SPIs behave as edges; the input level
 * ARMKVM_IRQ_LINE sets is left alone), and wakes or kicks the vCPU.
 * Needs ARMKVM_CREATE_IRQCHIP first (ENXIO); gsi < num_irqs - 32; one
 * irqfd per eventfd per VM (EEXIST), ARMKVM_IRQFD_MAX per VM (ENOSPC).
 * Closing the eventfd removes it; DEASSIGN removes the one with the same fd
 * and gsi (ENOENT if none) and returns once no injection of it is in
 * flight. RESAMPLE is not offered (EINVAL); resamplefd and pad are 0.
 */
#define ARMKVM_CAP_IRQFD	6
#define ARMKVM_IRQFD_MAX	256

#define ARMKVM_IRQFD_FLAG_DEASSIGN	(1u << 0)
#define ARMKVM_IRQFD_FLAG_RESAMPLE	(1u << 1)	/* not offered: EINVAL */

struct armkvm_irqfd {
	__u32 fd;
	__u32 gsi;		/* SPI number: interrupt ID 32 + gsi */
	__u32 flags;
	__u32 resamplefd;	/* 0 */
	__u8 pad[16];		/* 0 */
};

#define ARMKVM_IRQFD		_IOW(ARMKVMIO, 0x48, struct armkvm_irqfd)

/* ioctls on a vCPU fd; mmap(offset 0) maps struct armkvm_run. */
#define ARMKVM_RUN		_IO(ARMKVMIO, 0x80)
#define ARMKVM_GET_REGS		_IOR(ARMKVMIO, 0x81, struct armkvm_core_regs)
#define ARMKVM_SET_REGS		_IOW(ARMKVMIO, 0x82, struct armkvm_core_regs)
#define ARMKVM_GET_STATS	_IOR(ARMKVMIO, 0x84, struct armkvm_vcpu_stats)
#define ARMKVM_GET_VFP		_IOR(ARMKVMIO, 0x85, struct armkvm_vfp_regs)
#define ARMKVM_SET_VFP		_IOW(ARMKVMIO, 0x86, struct armkvm_vfp_regs)

/*
 * One register at a time, by ID (like KVM's ONE_REG): the ID says the
 * register's size (ARMKVM_REG_SIZE_*) and where it is; addr points at a
 * buffer of that size. GET_REG_LIST gives the IDs the vCPU has in its VM's
 * mode, so a mode with more state adds IDs, not structures. Bits 63-56 say
 * the architecture (ARMKVM_REG_ARM), bits 55-52 the size, bits 31-16 the
 * class, bits 15-0 the register in its class.
 */
struct armkvm_one_reg {
	__u64 id;
	__u64 addr;		/* userspace address of the value */
};

/* In: n, the room in reg[]. Out: n, the number of IDs (E2BIG if more than the room). */
struct armkvm_reg_list {
	__u64 n;
	__u64 reg[];
};

#define ARMKVM_REG_ARM			0x4000000000000000ULL
#define ARMKVM_REG_SIZE_SHIFT		52
#define ARMKVM_REG_SIZE_MASK		0x00f0000000000000ULL
#define ARMKVM_REG_SIZE_U32		0x0020000000000000ULL
#define ARMKVM_REG_SIZE_U64		0x0030000000000000ULL
#define ARMKVM_REG_CLASS_MASK		0x00000000ffff0000ULL
#define ARMKVM_REG_INDEX_MASK		0x000000000000ffffULL

/*
 * Core registers: index = the 32-bit word's index in struct armkvm_core_regs
 * up to (not including) cp15: 0-14 usr[], 15 pc, 16 cpsr, 17-19 svc[],
 * 20-22 abt[], 23-25 und[], 26-28 irq[], 29 vbar.
 */
#define ARMKVM_REG_CLASS_CORE		0x0000000000100000ULL
#define ARMKVM_REG_CORE(n)		(ARMKVM_REG_ARM | ARMKVM_REG_SIZE_U32 | \
					 ARMKVM_REG_CLASS_CORE | (n))
/*
 * CP15 by its MRC/MCR encoding: index = CRn << 11 | opc1 << 7 | CRm << 3 |
 * opc2 (32-bit); 64-bit registers (MRRC/MCRR) by CRm << 3 | opc1 << 7 with
 * ARMKVM_REG_SIZE_U64 and CRn 0. The values are what struct armkvm_cp15_regs
 * says of each (e.g. SCTLR: the host's, with the guest's M).
 */
#define ARMKVM_REG_CLASS_CP15		0x0000000000150000ULL
#define ARMKVM_REG_CP15(crn, opc1, crm, opc2) \
	(ARMKVM_REG_ARM | ARMKVM_REG_SIZE_U32 | ARMKVM_REG_CLASS_CP15 | \
	 ((crn) << 11) | ((opc1) << 7) | ((crm) << 3) | (opc2))
#define ARMKVM_REG_CP15_64(opc1, crm) \
	(ARMKVM_REG_ARM | ARMKVM_REG_SIZE_U64 | ARMKVM_REG_CLASS_CP15 | \
	 ((opc1) << 7) | ((crm) << 3))
/*
 * CP14, encoded as CP15 (32-bit): ThumbEE's TEECR (opc1 6, CRn 0) and TEEHBR
 * (opc1 6, CRn 1), where the CPU has ThumbEE (ID_PFR0), in every mode.
 * Isolated mode also lists CP15's CPACR (cp10 and cp11 only) and CSSELR
 * (Level, InD): its virtual ones.
 */
#define ARMKVM_REG_CLASS_CP14		0x0000000000140000ULL
#define ARMKVM_REG_CP14(crn, opc1, crm, opc2) \
	(ARMKVM_REG_ARM | ARMKVM_REG_SIZE_U32 | ARMKVM_REG_CLASS_CP14 | \
	 ((crn) << 11) | ((opc1) << 7) | ((crm) << 3) | (opc2))
/*
 * Isolated mode's paravirtual words (ARMKVM_HC_PV_IRQ, _PV_ENTRY_TPIDRURO),
 * so that a saved guest finds them named where it is restored: the
 * guest-physical address the guest named, with ARMKVM_REG_PV_NAMED (bit 0)
 * set, or 0 while none is. Setting one names it as the hypercall does, with
 * the same checks (the guest's MMU on, aligned, in RAM: else EINVAL); 0
 * forgets it. Listed in isolated mode only.
 */
#define ARMKVM_REG_CLASS_PARAVIRT	0x0000000000200000ULL
#define ARMKVM_REG_PV_IRQ_WORDS		(ARMKVM_REG_ARM | ARMKVM_REG_SIZE_U32 | \
					 ARMKVM_REG_CLASS_PARAVIRT | 0)
#define ARMKVM_REG_PV_ENTRY_TPIDRURO	(ARMKVM_REG_ARM | ARMKVM_REG_SIZE_U32 | \
					 ARMKVM_REG_CLASS_PARAVIRT | 1)
#define ARMKVM_REG_PV_NAMED		1u
/* VFP: d0-d31 (index 0-31, 64-bit), then FPSCR and FPEXC (32-bit). */
#define ARMKVM_REG_CLASS_VFP		0x0000000000120000ULL
#define ARMKVM_REG_VFP_D(n)		(ARMKVM_REG_ARM | ARMKVM_REG_SIZE_U64 | \
					 ARMKVM_REG_CLASS_VFP | (n))
#define ARMKVM_REG_VFP_FPSCR		(ARMKVM_REG_ARM | ARMKVM_REG_SIZE_U32 | \
					 ARMKVM_REG_CLASS_VFP | 0x100)
#define ARMKVM_REG_VFP_FPEXC		(ARMKVM_REG_ARM | ARMKVM_REG_SIZE_U32 | \
					 ARMKVM_REG_CLASS_VFP | 0x101)

/* ioctls on a vCPU fd, with ARMKVM_CAP_ONE_REG. ENOENT: no such register here. */
#define ARMKVM_GET_ONE_REG	_IOW(ARMKVMIO, 0x87, struct armkvm_one_reg)
/* EINVAL: a value the register cannot take here (the same rules as SET_REGS). */
#define ARMKVM_SET_ONE_REG	_IOW(ARMKVMIO, 0x88, struct armkvm_one_reg)
#define ARMKVM_GET_REG_LIST	_IOWR(ARMKVMIO, 0x89, struct armkvm_reg_list)

/*
 * Debugging the guest (ARMKVM_CAP_GUEST_DEBUG), KVM_SET_GUEST_DEBUG's shape,
 * for a debugger's software breakpoints and single step without the debug
 * registers (which are the host's). With ENABLE, a BKPT the guest executes
 * (a prefetch abort with the debug-event status) ends RUN with
 * ARMKVM_EXIT_DEBUG, reason BKPT, pc at the BKPT, the guest's registers as
 * before it (but privileged mode's LR_abt and SPSR_abt, which the CPU wrote):
 * userspace serves its own breakpoints and delivers the guest's. With
 * SINGLESTEP too, RUN ends with reason STEP once an instruction the module
 * completes (a device access, a hypercall, an emulated instruction, an
 * exception entry) has moved pc or CPSR; virtual interrupts are held, and
 * every guest exception goes through the module. Instructions that run
 * natively are userspace's to stop, with BKPTs after them. Every call also
 * makes the guest's instruction fetches see what userspace wrote to its
 * RAM. EINVAL: an unknown bit, SINGLESTEP without ENABLE, pad not zero.
 */
#define ARMKVM_CAP_GUEST_DEBUG	8
struct armkvm_guest_debug {
	__u32 control;
	__u32 pad;
};
#define ARMKVM_GUESTDBG_ENABLE		(1u << 0)
#define ARMKVM_GUESTDBG_SINGLESTEP	(1u << 1)
#define ARMKVM_DEBUG_BKPT		1
#define ARMKVM_DEBUG_STEP		2
#define ARMKVM_DEBUG_UDF		3
/*
 * With SINGLESTEP, these permanently undefined encodings stop the guest too
 * (reason UDF, pc at it): for privileged mode's steps through code that runs
 * in abort mode, where a BKPT's prefetch abort would overwrite LR_abt and
 * SPSR_abt (an undefined instruction writes LR_und and SPSR_und instead).
 * One that is not userspace's is the guest's undefined instruction.
 */
#define ARMKVM_DEBUG_UDF_A32		0xe7fdbdfd
#define ARMKVM_DEBUG_UDF_T16		0xdebd
#define ARMKVM_SET_GUEST_DEBUG	_IOW(ARMKVMIO, 0x8a, struct armkvm_guest_debug)

#endif /* _UAPI_LINUX_ARMKVM_H */
