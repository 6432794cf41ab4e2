// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
// A mistake libkrsi's BPF headers reject at compile time (make check-bpf-headers).
// expect-error: a deny value is a positive errno constant

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <krsi/krsi.bpf.h>

SEC("lsm_cgroup/file_open")
int BPF_PROG(cgroup_deny_negative, struct file *file)
{
	return KRSI_CGROUP_DENY(-EACCES); /* the macro negates */
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
