// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
// A mistake libkrsi's BPF headers reject at compile time (make check-bpf-headers).
// expect-error: KRSI_PATH_MAX must be a power of two from 256 to 4096
#define KRSI_PATH_MAX 1000
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <krsi/krsi.bpf.h>

SEC("lsm/file_open")
int BPF_PROG(allow, struct file *file, int ret)
{
	return KRSI_ALLOW(ret);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
