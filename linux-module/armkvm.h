/* SPDX-License-Identifier: GPL-2.0 */
/*
 * armkvm host module: declarations shared by its files.
 *
 * Copyright (c) 2026 The armkvm developers
 */
#ifndef ARMKVM_H
#define ARMKVM_H

#include <linux/types.h>
#include <linux/mutex.h>
#include <linux/threads.h>
#include <linux/hrtimer.h>
#include <linux/armkvm.h>

/* Vector numbers armkvm_world_switch() returns: the ARM vector offset / 4. */
#define ARMKVM_VEC_RESET	0
#define ARMKVM_VEC_UND		1
#define ARMKVM_VEC_SVC		2
#define ARMKVM_VEC_PABT		3
#define ARMKVM_VEC_DABT		4
#define ARMKVM_VEC_IRQ		6
#define ARMKVM_VEC_FIQ		7

#define CNTP_CTL_ENABLE		(1u << 0)
#define CNTP_CTL_IMASK		(1u << 1)
#define CNTKCTL_MASK		0x3ffu	/* PL0 access, event stream */

/* SCTLR.M: the one bit of SCTLR that is the guest's (struct armkvm_cp15_regs). */
#define SCTLR_M			(1u << 0)

/* The CP15 registers the world switch loads for the guest and stores back from it. */
struct armkvm_hw_cp15 {
	u32 ttbr0, ttbr1, ttbcr, dacr, prrr, nmrr;
	u32 contextidr, tpidrurw, tpidruro, tpidrprw;
	u32 dfsr, dfar, ifsr, ifar;
};

/* What armkvm_switch.S reads and writes; its offsets are checked in armkvm_vcpu.c. */
struct armkvm_switch {
	struct armkvm_core_regs guest;
	struct armkvm_hw_cp15 hw;
	u32 exit_vector;
	u32 exit_lr;
	u32 host_sp;
	u32 host_cpsr;
	u32 host_banked[17];
	u32 host_cp15[13];
	/* VFP: the guest's while it runs, the host's hardware state kept aside. */
	u32 guest_fpexc;
	u32 guest_fpscr;
	u32 pad0;
	u64 guest_d[32];
	u32 host_fpscr;
	u32 pad1;
	u64 host_d[32];
	u32 vfp_d32;			/* the CPU has d16-d31 */
	/* The fast path: guest exceptions armkvm_vectors sends straight to the guest. */
	u32 fwd_vbar;			/* the guest's vector base */
	u32 fwd_vectors;		/* bit ARMKVM_VEC_x: x may be forwarded */
	u32 fwd_unused[2];		/* was the exception's LR and SPSR (sp_fiq is the guest's now) */
	u32 forwarded;			/* exceptions forwarded since entry */
	u32 has_gtimer;			/* the CPU has the generic timer: swap CNTP, CNTKCTL */
	u32 host_cntkctl;
	u32 host_extra[6];		/* spsr_svc, sp_usr, lr_usr, cpacr, csselr, actlr */
	u32 guest_actlr;		/* as the guest left it (not the guest's to keep) */
	/* The host's virtual timer and PMU: a PL1 guest writes them without trapping. */
	u32 host_cntv[3];		/* cntv_ctl, cntv_cval (low, high): if has_gtimer */
	u32 has_pmu;			/* the CPU has the architected PMU: put it back */
	u32 host_pmu[5];		/* pmcr, pmselr, pmcntenset, pmintenset, pmuserenr */
	u32 host_pmevtyper[31];		/* the event types of the counters the host enabled */
};

struct armkvm_vgic;

struct armkvm_vm {
	struct mutex lock;
	struct armkvm_vgic *vgic;	/* the in-kernel interrupt controller, once created */
	struct page *ram;		/* one physically contiguous block */
	unsigned int ram_order;
	u64 ram_align;			/* as asked for: 0 or a power of two */
	bool ram_reserved;		/* counted against max_guest_ram_mb */
	u32 ram_gpa;
	u32 ram_size;
	u32 ram_hpa;			/* its host-physical base */
	u32 *l1;			/* armkvm's table for the guest's MMU-off state (16 KiB) */
	struct page *l1_page;
	bool has_vcpu;
};

/*
 * A decoded device access: one exit of len bytes per entry of reg[], at addr,
 * addr + 4, ... The guest's registers, base writeback and pc change only once
 * the last exit completes, so the instruction takes effect whole.
 */
struct armkvm_mmio {
	u32 addr;			/* guest virtual address of the first access */
	u32 pa;				/* and its guest-physical address */
	u32 next_pc;			/* where the guest resumes */
	u32 wback;			/* the base register's new value, if rn != 0xff */
	u32 val[16];			/* loaded values, held until the last access */
	u8 reg[16];			/* the register of each access, in address order */
	u8 count;			/* accesses in all */
	u8 done;			/* accesses completed so far */
	u8 len;				/* bytes per access: 1, 2 or 4 */
	u8 sign_extend;			/* loads: sign-extend from len bytes */
	u8 rn;				/* the base register to write back, or 0xff */
	bool load;
	bool thumb;			/* advance the IT state when done */
};

/* What the next RUN must complete before anything else: the last exit's instruction. */
enum armkvm_pending {
	ARMKVM_PENDING_NONE,
	ARMKVM_PENDING_MMIO,		/* a device access userspace serves */
	ARMKVM_PENDING_HYPERCALL,	/* a hypercall whose r0-r3 userspace returns */
};

struct armkvm_vcpu {
	struct armkvm_vm *vm;
	struct file *vm_file;		/* a reference: the VM outlives its vCPUs */
	struct mutex lock;
	struct armkvm_run *run;
	struct armkvm_switch sw;
	struct armkvm_vcpu_stats stats;
	struct armkvm_hw_cp15 loaded;	/* what the last switch gave the hardware */
	struct hrtimer window;		/* polls for the guest's interrupt window */
	struct hrtimer ptimer;		/* the guest's CNTP while the vCPU waits */
	struct task_struct *waiter;	/* the vCPU thread, for ptimer */
	bool ptimer_fired;
	bool timer_level;		/* the guest's timer output, as last reported */
	bool ram_dirty;			/* flush caches for guest code before running */
	struct armkvm_mmio mmio;	/* the device access in flight */
	enum armkvm_pending pending;	/* never read from the shared run page */
};

int armkvm_check_host(void);
long armkvm_create_vm(struct file *filp, void __user *argp);
int armkvm_create_vcpu(struct armkvm_vm *vm, struct file *vm_file, unsigned long id);
int armkvm_mmu_prepare(struct armkvm_vcpu *vcpu);
int armkvm_mmu_after_exit(struct armkvm_vcpu *vcpu);
int armkvm_mmu_enable(struct armkvm_vcpu *vcpu, u32 ttbr0, u32 ttbcr, u32 dacr);
int armkvm_guest_translate(struct armkvm_vcpu *vcpu, u32 va, u32 *pa);
int armkvm_guest_read(struct armkvm_vcpu *vcpu, u32 va, void *buf, unsigned int len);
bool armkvm_guest_mmu_on(const struct armkvm_vcpu *vcpu);
bool armkvm_mmu_is_device_abort(struct armkvm_vcpu *vcpu, u32 dfsr, u32 dfar, u32 *pa);
void armkvm_mmu_take_fault(struct armkvm_vcpu *vcpu);
u32 armkvm_guest_sctlr(const struct armkvm_vcpu *vcpu);
u32 armkvm_host_sctlr(void);
int armkvm_check_passage(void);
int armkvm_cpu_slots_init(void);
struct armkvm_switch **armkvm_this_cpu_slot(void);
extern struct armkvm_switch *armkvm_running[];
bool armkvm_cpu_has_pmu(void);
int armkvm_vcpu_run(struct armkvm_vcpu *vcpu);
u32 *armkvm_vcpu_reg(struct armkvm_vcpu *vcpu, unsigned int n);
int armkvm_fetch_insn(struct armkvm_vcpu *vcpu, u32 pc, u32 *insn);
int armkvm_fetch_insn16(struct armkvm_vcpu *vcpu, u32 pc, u16 *hw);
int armkvm_mmio_decode(struct armkvm_vcpu *vcpu, u32 *insn, u32 pa);
int armkvm_mmio_complete(struct armkvm_vcpu *vcpu);

int armkvm_ptimer_init(void);
void armkvm_ptimer_exit(void);
bool armkvm_have_ptimer(void);
bool armkvm_cpu_has_gtimer(void);
void armkvm_ptimer_mask_local(bool mask);
bool armkvm_ptimer_level(const struct armkvm_vcpu *vcpu);
u64 armkvm_ptimer_ns_left(const struct armkvm_vcpu *vcpu);

/* armkvm_vgic.c */
long armkvm_vgic_ioctl(struct armkvm_vm *vm, unsigned int ioctl, void __user *argp);
void armkvm_vgic_free(struct armkvm_vgic *g);
bool armkvm_vgic_owns(const struct armkvm_vgic *g, u32 pa);
u32 armkvm_vgic_mmio(struct armkvm_vgic *g, u32 pa, unsigned int len, bool write, u32 v);
void armkvm_vgic_set_timer(struct armkvm_vgic *g, bool level);
bool armkvm_vgic_irq_out(const struct armkvm_vgic *g);
void armkvm_vgic_set_vcpu_task(struct armkvm_vgic *g, struct task_struct *task);
void armkvm_mmio_serve_vgic(struct armkvm_vcpu *vcpu);

/* Set once, never cleared while the VM lives: readers need no lock. */
static inline struct armkvm_vgic *armkvm_vm_vgic(struct armkvm_vm *vm)
{
	return smp_load_acquire(&vm->vgic);	/* pairs with the store in armkvm_vgic_ioctl() */
}

int armkvm_world_switch(struct armkvm_switch *sw);
extern const u32 armkvm_vectors[];
extern const u32 armkvm_switch_end[];	/* the end of armkvm_switch.S's code */
extern struct armkvm_switch armkvm_passage[NR_CPUS];

#endif
