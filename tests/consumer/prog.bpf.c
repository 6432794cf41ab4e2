// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* An outside BPF consumer: includes libkrsi's BPF headers as installed. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <krsi/krsi.bpf.h>

SEC("lsm/task_getsid")
int BPF_PROG(deny_getsid, struct task_struct *p, int ret)
{
	return ret ? ret : -EPERM;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
