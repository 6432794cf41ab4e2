// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * The verdict macros of <krsi/verdict.bpf.h>: lsm/ and lsm_cgroup/ programs
 * on task_getsid that deny the test process, and a syscall program that
 * computes KRSI_DENY() on values chosen at run time.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <krsi/krsi.bpf.h>

/* The only process the lsm/ programs deny. */
__u32 target_tgid;
/* The errno deny_runtime denies with, chosen by the test. */
long deny_errno;
/* How often each lsm/ program ran for target_tgid. */
__u64 runs_const, runs_runtime;

SEC("lsm/task_getsid")
int BPF_PROG(deny_const, struct task_struct *p, int ret)
{
	if (krsi_current_tgid() != target_tgid)
		return KRSI_ALLOW(ret);
	runs_const++;
	return KRSI_DENY(ret, EACCES);
}

SEC("lsm/task_getsid")
int BPF_PROG(deny_runtime, struct task_struct *p, int ret)
{
	if (krsi_current_tgid() != target_tgid)
		return KRSI_ALLOW(ret);
	runs_runtime++;
	return KRSI_DENY(ret, deny_errno);
}

/* lsm_cgroup/ programs run for the tasks of the cgroup they attach to. */
SEC("lsm_cgroup/task_getsid")
int BPF_PROG(cgroup_deny_eacces, struct task_struct *p)
{
	return KRSI_CGROUP_DENY(EACCES);
}

SEC("lsm_cgroup/task_getsid")
int BPF_PROG(cgroup_deny_exdev, struct task_struct *p)
{
	return KRSI_CGROUP_DENY(EXDEV);
}

SEC("lsm_cgroup/task_getsid")
int BPF_PROG(cgroup_allow, struct task_struct *p)
{
	return KRSI_CGROUP_ALLOW();
}

/* KRSI_DENY(logic_ret, logic_err), computed by the syscall program. */
int logic_ret;
long logic_err;
int logic_deny, logic_allow;

SEC("syscall")
int verdict_logic(void *ctx)
{
	logic_deny = KRSI_DENY(logic_ret, logic_err);
	logic_allow = KRSI_ALLOW(logic_ret);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
