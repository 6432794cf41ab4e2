// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
// A mistake libkrsi's BPF headers reject at compile time (make check-bpf-headers).
// expect-error: a deny value is a positive errno constant

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <krsi/krsi.bpf.h>

SEC("lsm/file_open")
int BPF_PROG(deny_negative, struct file *file, int ret)
{
	return KRSI_DENY(ret, -EPERM); /* the macro negates */
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
