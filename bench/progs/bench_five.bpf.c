// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Load and attach: an object of five LSM programs as a small product would
 * ship, each deciding with one policy set and reporting denials. Loaded,
 * never run by the benchmark.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <krsi/krsi.bpf.h>

KRSI_POLICY_MAPS();
KRSI_FILE_SET(files, 1024);
KRSI_ID_SET(pids, 1024);
KRSI_CGROUP_SET(cgroups, 64);
KRSI_EVENT_RING(five_events, 256 * 1024);

struct five_event {
	__u64 object;
};
KRSI_EVENT_TYPE(five, 1, struct five_event);

#define FIVE_POLICY 5

/* Decide with HIT; report a denial from HOOK about WHAT. Both are
 * evaluated once, before the event is reserved. */
#define DECIDE(hook, hit, what)                                         \
	({                                                              \
		int __hit = (hit);                                      \
		__u64 __what = (what);                                  \
		int __v = krsi_policy_decide(&krsi_ctl, &krsi_stats,    \
					     __hit ? -EPERM : 0);       \
		if (__hit)                                              \
			report(krsi_event_reserve(five_events, hook, 1, \
						  struct five_event),   \
			       __what);                                 \
		__v;                                                    \
	})

static __always_inline void report(struct five_event *e, __u64 what)
{
	if (e)
		e->object = what;
	krsi_event_submit(e, FIVE_POLICY, KRSI_EVENT_ENFORCE, -EPERM);
}

static __always_inline int file_denied(struct file *file)
{
	struct krsi_inode_key key;
	struct krsi_snap snap;
	int hit, err;

	if (krsi_file_key(file, &key))
		return 0;
	krsi_snap_begin(&krsi_ctl, &snap);
	do {
		hit = krsi_file_set_match(&files, &snap, &key, NULL);
	} while ((err = krsi_snap_retry(&snap)) > 0);
	return err || hit > 0;
}

static __always_inline int pid_protected(__u32 pid)
{
	struct krsi_snap snap;
	int hit, err;

	krsi_snap_begin(&krsi_ctl, &snap);
	do {
		hit = krsi_id_set_match(&pids, &snap, pid, NULL);
	} while ((err = krsi_snap_retry(&snap)) > 0);
	return err || hit > 0;
}

SEC("lsm/file_open")
int BPF_PROG(five_open, struct file *file, int ret)
{
	if (ret)
		return ret;
	return DECIDE(file_open, file_denied(file),
		      BPF_CORE_READ(file, f_inode, i_ino));
}

SEC("lsm/bprm_check_security")
int BPF_PROG(five_exec, struct linux_binprm *bprm, int ret)
{
	if (ret)
		return ret;
	return DECIDE(bprm_check_security, file_denied(bprm->file),
		      BPF_CORE_READ(bprm, file, f_inode, i_ino));
}

SEC("lsm/file_mprotect")
int BPF_PROG(five_mprotect, struct vm_area_struct *vma, unsigned long reqprot,
	     unsigned long prot, int ret)
{
	struct file *file = BPF_CORE_READ(vma, vm_file);

	if (ret)
		return ret;
	/* writable and executable memory of a denied file */
	return DECIDE(file_mprotect,
		      file && (prot & 0x6) == 0x6 && file_denied(file), prot);
}

SEC("lsm/task_kill")
int BPF_PROG(five_kill, struct task_struct *p, struct kernel_siginfo *info,
	     int sig, const struct cred *cred, int ret)
{
	__u32 pid = BPF_CORE_READ(p, tgid);

	if (ret)
		return ret;
	return DECIDE(task_kill, pid_protected(pid), pid);
}

SEC("lsm/task_setnice")
int BPF_PROG(five_setnice, struct task_struct *p, int nice, int ret)
{
	struct krsi_snap snap;
	int hit, err;
	__u64 cgroup = krsi_current_cgroup_id();

	if (ret)
		return ret;
	krsi_snap_begin(&krsi_ctl, &snap);
	do {
		hit = krsi_cgroup_set_match(&cgroups, &snap, cgroup, NULL);
	} while ((err = krsi_snap_retry(&snap)) > 0);
	return DECIDE(task_setnice, err || hit > 0, nice);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
