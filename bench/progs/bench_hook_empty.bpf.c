// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* Hook cost: programs that do nothing but pass on the hook's verdict. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <krsi/krsi.bpf.h>

SEC("lsm/task_getpgid")
int BPF_PROG(empty_getpgid, struct task_struct *p, int ret)
{
	return KRSI_ALLOW(ret);
}

SEC("lsm/file_open")
int BPF_PROG(empty_open, struct file *file, int ret)
{
	return KRSI_ALLOW(ret);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
