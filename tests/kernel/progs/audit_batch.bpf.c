// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * One event per getpgid() of one process (task_getpgid), on a small ring
 * with the default fill threshold: what test_audit_batch.c produces
 * isolated events and bursts with.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <krsi/krsi.bpf.h>

#include "audit_batch.h"

KRSI_EVENT_RING(batch, BATCH_RING_BYTES);
KRSI_EVENT_TYPE(getpgid, BATCH_TYPE, struct batch_event);

/* Set by the loader. */
const volatile __u32 target_tgid;

/* Events reserved so far (one process, one thread). */
__u64 reserved;

SEC("lsm/task_getpgid")
int BPF_PROG(report_getpgid, struct task_struct *p, int ret)
{
	struct batch_event *e;

	if ((bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return KRSI_ALLOW(ret);
	e = krsi_event_reserve(batch, task_getpgid, BATCH_TYPE,
			       struct batch_event);
	if (e) {
		e->seq = reserved++; /* 5.10 has no atomic fetch-and-add */
		__builtin_memset(e->pad, 0, sizeof(e->pad));
	}
	krsi_event_submit(e, 1, KRSI_EVENT_ENFORCE, 0);
	return KRSI_ALLOW(ret);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
