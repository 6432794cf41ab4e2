// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* A sleepable program on file_mprotect, a hook that may not sleep. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <krsi/krsi.bpf.h>

SEC("lsm.s/file_mprotect")
int BPF_PROG(sleepy, struct vm_area_struct *vma, unsigned long reqprot,
	     unsigned long prot, int ret)
{
	return ret;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
