// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* A sleepable program on file_open, a hook that may sleep: deny one
 * process's opens, counting them. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <krsi/krsi.bpf.h>

const volatile __u32 target_tgid;
__u64 calls;

SEC("lsm.s/file_open")
int BPF_PROG(deny_open_sleepable, struct file *file, int ret)
{
	if (ret)
		return ret;
	if ((bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	__sync_fetch_and_add(&calls, 1);
	return -EPERM;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
