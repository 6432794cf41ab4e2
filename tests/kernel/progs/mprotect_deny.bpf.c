// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* Deny mprotect() to one process, and count how often the hook ran for it. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <krsi/krsi.bpf.h>

/* Set by the loader before load: the only process this program denies. */
const volatile __u32 target_tgid;

/* How many times the hook ran for target_tgid. */
__u64 calls;

SEC("lsm/file_mprotect")
int BPF_PROG(deny_mprotect, struct vm_area_struct *vma, unsigned long reqprot,
	     unsigned long prot, int ret)
{
	if (ret)
		return ret; /* an earlier program already denied */
	if ((bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	__sync_fetch_and_add(&calls, 1);
	return -EPERM;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
