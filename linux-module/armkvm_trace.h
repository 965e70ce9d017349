/* SPDX-License-Identifier: GPL-2.0 */
/*
 * armkvm's tracepoints (tracefs: events/armkvm/), as KVM has its own:
 * every exit from the guest, and every return from RUN to userspace.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM armkvm

#if !defined(_ARMKVM_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _ARMKVM_TRACE_H

#include <linux/tracepoint.h>

#include "armkvm_internal.h"

/*
 * An exit from the guest, by armkvm_vectors' slot, before it is handled: the
 * exception's return address (lr) and the guest's CPSR when it was taken,
 * the fault registers, and where this entry into the guest began.
 */
TRACE_EVENT(armkvm_exit,
	TP_PROTO(const struct armkvm_vcpu *vcpu, int vector),
	TP_ARGS(vcpu, vector),
	TP_STRUCT__entry(
		__field(int, vector)
		__field(u32, lr)
		__field(u32, cpsr)
		__field(u32, entry_pc)
		__field(u32, dfsr)
		__field(u32, dfar)
		__field(u32, ifsr)
		__field(u32, ifar)
		__field(u32, ttbr0)
	),
	TP_fast_assign(
		__entry->vector = vector;
		__entry->lr = vcpu->sw.exit_lr;
		__entry->cpsr = vcpu->sw.guest.cpsr;
		__entry->entry_pc = vcpu->sw.guest.pc;
		__entry->dfsr = vcpu->sw.guest.cp15.dfsr;
		__entry->dfar = vcpu->sw.guest.cp15.dfar;
		__entry->ifsr = vcpu->sw.guest.cp15.ifsr;
		__entry->ifar = vcpu->sw.guest.cp15.ifar;
		__entry->ttbr0 = vcpu->sw.guest.cp15.ttbr0;
	),
	TP_printk("vector %d lr %08x cpsr %08x dfsr %03x dfar %08x ifsr %03x ifar %08x ttbr0 %08x entry_pc %08x",
		  __entry->vector, __entry->lr, __entry->cpsr, __entry->dfsr, __entry->dfar,
		  __entry->ifsr, __entry->ifar, __entry->ttbr0, __entry->entry_pc)
);

/* RUN returns to userspace: its return value and the run page's exit reason. */
TRACE_EVENT(armkvm_userspace_exit,
	TP_PROTO(int ret, u32 reason),
	TP_ARGS(ret, reason),
	TP_STRUCT__entry(
		__field(int, ret)
		__field(u32, reason)
	),
	TP_fast_assign(
		__entry->ret = ret;
		__entry->reason = reason;
	),
	TP_printk("ret %d reason %u", __entry->ret, __entry->reason)
);

#endif /* _ARMKVM_TRACE_H */

/* Out of the kernel tree: define_trace.h finds this file beside its user. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE armkvm_trace
#include <trace/define_trace.h>
