// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* A per-cgroup policy: deny mprotect() to every task of one cgroup. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <krsi/krsi.bpf.h>

/* Set by the loader: which version of the policy this is. */
const volatile __u32 version;

/* How many calls were denied, and by which version last. */
__u64 denials;
__u32 denied_by;

SEC("lsm_cgroup/file_mprotect")
int BPF_PROG(deny_in_cgroup, struct vm_area_struct *vma, unsigned long reqprot,
	     unsigned long prot)
{
	__sync_fetch_and_add(&denials, 1);
	denied_by = version;
	bpf_set_retval(-EACCES);
	return 0; /* deny */
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
