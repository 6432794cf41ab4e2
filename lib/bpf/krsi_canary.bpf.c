// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * The probe's canary: deny getsid() to one thread, the prober's, and count
 * how often the hook ran for it. If the count stays 0 while attached, the
 * kernel never calls BPF LSM programs.
 *
 * No vmlinux.h: the canary reads no kernel structure, so it builds from the
 * UAPI headers alone, without the build host's BTF.
 */
#include <linux/types.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <krsi/errno.bpf.h>

/* The hook's argument, passed on opaque. */
struct task_struct;

/* Set before load: the only thread the canary denies. */
const volatile __u32 canary_tid;

/* How many times the hook ran for canary_tid. */
__u64 runs;

SEC("lsm/task_getsid")
int BPF_PROG(krsi_canary, struct task_struct *p, int ret)
{
	if (ret)
		return ret; /* an earlier program already denied */
	if ((__u32)bpf_get_current_pid_tgid() != canary_tid)
		return 0;
	__sync_fetch_and_add(&runs, 1);
	return -EPERM;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
