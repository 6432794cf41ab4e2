// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
// A mistake libkrsi's BPF headers reject at compile time (make check-bpf-headers).
// expect-error: incompatible pointer types

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <krsi/krsi.bpf.h>

SEC("lsm/file_open")
int BPF_PROG(small_comm, struct file *file, int ret)
{
	char comm[8]; /* KRSI_COMM_LEN is 16 */

	krsi_current_comm(&comm);
	return KRSI_ALLOW(ret);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
