/*
 * armkvm accelerator: ioeventfds in the host module (ARMKVM_IOEVENTFD).
 *
 * QEMU's virtio-mmio asks for an ioeventfd per queue at QueueNotify
 * (memory_region_add_eventfd, whatever the accelerator). Without a listener
 * that passes them on, the guest's notify store is an MMIO exit and QEMU's
 * memory core signals the eventfd from the vCPU thread
 * (memory_region_dispatch_write_eventfds, done for every accelerator but
 * KVM). With this listener the module signals it: the store is served in
 * the kernel and the vCPU re-enters the guest at once, as under KVM. A
 * store the module does not serve (an instruction that moves several words,
 * an ioeventfd the module refused) still exits and QEMU signals the eventfd
 * itself, so a refusal costs speed, never a notification.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "qemu/event_notifier.h"
#include "exec/address-spaces.h"
#include "exec/memory.h"
#include "system/armkvm.h"
#include "armkvm-int.h"
#include "trace.h"

#include <sys/ioctl.h>
#include <linux/armkvm.h>

static int armkvm_set_ioeventfd(MemoryRegionSection *section, bool match_data,
                                uint64_t data, EventNotifier *e, bool assign)
{
    struct armkvm_ioeventfd iofd = {
        .datamatch = match_data ? data : 0,
        .addr = section->offset_within_address_space,
        .len = int128_get64(section->size),
        .fd = event_notifier_get_fd(e),
        .flags = (match_data ? ARMKVM_IOEVENTFD_FLAG_DATAMATCH : 0) |
                 (assign ? 0 : ARMKVM_IOEVENTFD_FLAG_DEASSIGN),
    };
    int ret = armkvm_vm_ioctl(ARMKVM_IOEVENTFD, &iofd);

    trace_armkvm_ioeventfd(iofd.addr, iofd.len, match_data, data, iofd.fd,
                           assign, ret);
    return ret;
}

static void armkvm_ioeventfd_add(MemoryListener *listener,
                                 MemoryRegionSection *section,
                                 bool match_data, uint64_t data,
                                 EventNotifier *e)
{
    int ret = armkvm_set_ioeventfd(section, match_data, data, e, true);

    if (ret < 0) {
        warn_report_once("armkvm: the module refused an ioeventfd at 0x%"
                         HWADDR_PRIx " (%s): QEMU signals it on the guest's "
                         "exit instead", section->offset_within_address_space,
                         strerror(-ret));
    }
}

static void armkvm_ioeventfd_del(MemoryListener *listener,
                                 MemoryRegionSection *section,
                                 bool match_data, uint64_t data,
                                 EventNotifier *e)
{
    /* ENOENT: one the module refused at add. */
    armkvm_set_ioeventfd(section, match_data, data, e, false);
}

static MemoryListener armkvm_ioeventfd_listener = {
    .name = "armkvm-ioeventfd",
    .eventfd_add = armkvm_ioeventfd_add,
    .eventfd_del = armkvm_ioeventfd_del,
    .priority = MEMORY_LISTENER_PRIORITY_ACCEL,
};

void armkvm_ioeventfd_init(void)
{
    if (ioctl(armkvm.dev.fd, ARMKVM_CHECK_EXTENSION,
              ARMKVM_CAP_IOEVENTFD) <= 0) {
        return;         /* QEMU signals ioeventfds on the guest's exits */
    }
    memory_listener_register(&armkvm_ioeventfd_listener,
                             &address_space_memory);
}
