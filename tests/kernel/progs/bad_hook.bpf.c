// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* A program on a hook no kernel has, beside a valid one. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <krsi/krsi.bpf.h>

SEC("lsm/file_mprotect")
int BPF_PROG(valid, struct vm_area_struct *vma, unsigned long reqprot,
	     unsigned long prot, int ret)
{
	return ret;
}

SEC("lsm/krsi_no_such_hook")
int BPF_PROG(hookless, int ret)
{
	return ret;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
