// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Hook cost: a realistic policy, as a product would write it with
 * libkrsi's helpers. Each program lets the agent itself through
 * (krsi_is_self()), decides only for tasks of one cgroup, looks the object
 * up in one policy set (a consistent generation, <krsi/policy.bpf.h>),
 * applies the policy's mode and counts the decision (krsi_policy_decide()),
 * and reports an event when it denies.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <krsi/krsi.bpf.h>
#include <krsi/self.bpf.h>

#include "bench_hook_policy.h"

KRSI_POLICY_MAPS();
KRSI_FILE_SET(denied_files, 64);
KRSI_ID_SET(protected_pids, 64);
KRSI_EVENT_RING(events, 64 * 1024);
KRSI_EVENT_TYPE(deny, DENY_EVENT, struct deny_event);

/* The cgroup whose tasks the policy applies to; set before load. */
const volatile __u64 target_cgroup;

static __always_inline bool in_scope(void)
{
	return !krsi_is_self() && krsi_current_cgroup_id() == target_cgroup;
}

/* Report a denial in E (reserved for the hook that denied), if any. */
static __always_inline void report(struct deny_event *e,
				   const struct krsi_inode_key *file,
				   __u32 target, int verdict)
{
	if (e) {
		__builtin_memset(e, 0, sizeof(*e));
		if (file)
			e->file = *file;
		e->target = target;
	}
	krsi_event_submit(e, HOOK_POLICY_ID,
			  verdict ? KRSI_EVENT_ENFORCE : KRSI_EVENT_MONITOR,
			  -EACCES);
}

SEC("lsm/file_open")
int BPF_PROG(policy_open, struct file *file, int ret)
{
	struct krsi_inode_key key;
	struct krsi_snap snap;
	int hit, err, verdict;

	if (ret)
		return ret;
	if (!in_scope() || krsi_file_key(file, &key))
		return 0;
	krsi_snap_begin(&krsi_ctl, &snap);
	do {
		hit = krsi_file_set_match(&denied_files, &snap, &key, NULL);
	} while ((err = krsi_snap_retry(&snap)) > 0);
	hit = err || hit > 0; /* fail closed */
	verdict = krsi_policy_decide(&krsi_ctl, &krsi_stats, hit ? -EACCES : 0);
	if (hit)
		report(krsi_event_reserve(events, file_open, DENY_EVENT,
					  struct deny_event),
		       &key, 0, verdict);
	return verdict;
}

SEC("lsm/task_getpgid")
int BPF_PROG(policy_getpgid, struct task_struct *p, int ret)
{
	struct krsi_snap snap;
	__u32 tgid;
	int hit, err, verdict;

	if (ret)
		return ret;
	if (!in_scope())
		return 0;
	tgid = BPF_CORE_READ(p, tgid);
	krsi_snap_begin(&krsi_ctl, &snap);
	do {
		hit = krsi_id_set_match(&protected_pids, &snap, tgid, NULL);
	} while ((err = krsi_snap_retry(&snap)) > 0);
	hit = err || hit > 0; /* fail closed */
	verdict = krsi_policy_decide(&krsi_ctl, &krsi_stats, hit ? -EACCES : 0);
	if (hit)
		report(krsi_event_reserve(events, task_getpgid, DENY_EVENT,
					  struct deny_event),
		       NULL, tgid, verdict);
	return verdict;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
