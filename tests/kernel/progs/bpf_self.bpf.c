// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Self-exemption (<krsi/self.bpf.h>): deny getsid() with EPERM to every
 * task whose command name starts with "kself", except the agent named in
 * krsi_self.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <krsi/krsi.bpf.h>
#include <krsi/self.bpf.h>

/* How often the agent was let through. */
__u64 exempted;

SEC("lsm/task_getsid")
int BPF_PROG(guard, struct task_struct *p, int ret)
{
	char comm[KRSI_COMM_LEN];

	krsi_current_comm(&comm);
	if (!krsi_str_has_prefix(comm, "kself", sizeof("kself")))
		return KRSI_ALLOW(ret);
	if (krsi_is_self()) {
		__sync_fetch_and_add(&exempted, 1);
		return KRSI_ALLOW(ret);
	}
	return KRSI_DENY(ret, EPERM);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
