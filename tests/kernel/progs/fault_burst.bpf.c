// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Deny every mprotect() of one process with EPERM, reporting each denial
 * on a ring buffer of one page: a burst overwhelms it at once. The
 * verdict does not depend on the event being reserved.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <krsi/krsi.bpf.h>

#include "fault_burst.h"

KRSI_EVENT_RING(burst, BURST_RING_BYTES);
KRSI_EVENT_TYPE(mprotect, BURST_TYPE, struct burst_event);

/* Set by the loader. */
const volatile __u32 target_tgid;

/* Calls of the target the program saw. */
__u64 calls;

SEC("lsm/file_mprotect")
int BPF_PROG(deny_and_report, struct vm_area_struct *vma, unsigned long reqprot,
	     unsigned long prot, int ret)
{
	struct burst_event *e;

	if (ret)
		return ret; /* an earlier program already denied */
	if ((bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	__sync_fetch_and_add(&calls, 1);
	e = krsi_event_reserve(burst, file_mprotect, BURST_TYPE,
			       struct burst_event);
	if (e)
		e->prot = prot;
	krsi_event_submit(e, BURST_POLICY, KRSI_EVENT_ENFORCE, -EPERM);
	return KRSI_DENY(ret, EPERM);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
