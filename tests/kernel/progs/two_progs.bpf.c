// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Several programs on one hook, each recording when it ran (a sequence
 * number) and the verdict it found, so a test can see the order and the
 * chaining the kernel applies. The test chooses which ones to attach.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <krsi/krsi.bpf.h>

const volatile __u32 target_tgid;

/* Counted without atomics: fetching ones need 5.12, and only the test's
 * own thread runs the programs. */
__u64 seq;
/* Per program: the sequence number of its last run (0: never), and the
 * verdict of the programs before it (ret, or bpf_get_retval()). */
__u64 ran_eacces, ran_eperm, ran_pass, ran_cg_eacces, ran_cg_allow;
int saw_eacces, saw_eperm, saw_pass, saw_cg_eacces, saw_cg_allow;

static __always_inline bool targeted(void)
{
	return (bpf_get_current_pid_tgid() >> 32) == target_tgid;
}

SEC("lsm/file_mprotect")
int BPF_PROG(deny_eacces, struct vm_area_struct *vma, unsigned long reqprot,
	     unsigned long prot, int ret)
{
	if (!targeted())
		return ret;
	ran_eacces = ++seq;
	saw_eacces = ret;
	return ret ?: -EACCES;
}

SEC("lsm/file_mprotect")
int BPF_PROG(deny_eperm, struct vm_area_struct *vma, unsigned long reqprot,
	     unsigned long prot, int ret)
{
	if (!targeted())
		return ret;
	ran_eperm = ++seq;
	saw_eperm = ret;
	return ret ?: -EPERM;
}

/* Allows, passing on any earlier denial. */
SEC("lsm/file_mprotect")
int BPF_PROG(pass, struct vm_area_struct *vma, unsigned long reqprot,
	     unsigned long prot, int ret)
{
	if (!targeted())
		return ret;
	ran_pass = ++seq;
	saw_pass = ret;
	return ret;
}

SEC("lsm_cgroup/file_mprotect")
int BPF_PROG(cg_deny_eacces, struct vm_area_struct *vma, unsigned long reqprot,
	     unsigned long prot)
{
	if (!targeted())
		return 1;
	ran_cg_eacces = ++seq;
	saw_cg_eacces = bpf_get_retval();
	bpf_set_retval(-EACCES);
	return 0;
}

/* Allows: an allow after a denial must not undo it. */
SEC("lsm_cgroup/file_mprotect")
int BPF_PROG(cg_allow, struct vm_area_struct *vma, unsigned long reqprot,
	     unsigned long prot)
{
	if (!targeted())
		return 1;
	ran_cg_allow = ++seq;
	saw_cg_allow = bpf_get_retval();
	return 1;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
