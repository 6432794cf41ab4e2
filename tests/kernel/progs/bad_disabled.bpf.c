// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* A per-cgroup program on vm_enough_memory, a hook BPF may not attach to. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <krsi/krsi.bpf.h>

SEC("lsm_cgroup/vm_enough_memory")
int BPF_PROG(overcommit, struct mm_struct *mm, long pages)
{
	return 1;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
