/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * What the examples' BPF programs share with their loader (agent.c): each
 * program defines, at file scope,
 *
 *	KRSI_POLICY_MAPS();			// krsi_ctl, krsi_stats
 *	KRSI_EVENT_RING(events, 256 * 1024);	// the audit stream
 *
 * and the sets its loader fills, then decides every operation it judges
 * with agent_decide(), which applies the policy's mode and counts, and
 * reports the decision in an event.
 */
#ifndef EXAMPLES_AGENT_BPF_H
#define EXAMPLES_AGENT_BPF_H

#include <krsi/krsi.bpf.h>

/*
 * Decide with VERDICT (0 to allow, or the -errno the policy denies with):
 * returns what an lsm/ program returns, VERDICT in enforce mode and 0 in
 * monitor mode, and stores in *MODE how to report the decision with
 * krsi_event_submit(): a denial in monitor mode is KRSI_EVENT_MONITOR (the
 * operation went ahead), an allowed operation carries the policy's mode.
 *
 *	ret = agent_decide(verdict, &mode);
 *	e = krsi_event_reserve(events, HOOK, TYPE, struct my_event);
 *	if (e) {
 *		... fill e ...
 *		krsi_event_submit(e, MY_POLICY_ID, mode, verdict);
 *	}
 *	return ret;
 *
 * Test the event once, as here: 6.1's verifier cannot tell that a reserved
 * record found non-NULL stays so, and rejects a program whose second test
 * of it could skip the submission ("Unreleased reference").
 */
#define agent_decide(verdict, mode) \
	__agent_decide(&krsi_ctl, &krsi_stats, verdict, mode)

static __always_inline int __agent_decide(void *ctl_map, void *stats_map,
					  int verdict,
					  enum krsi_event_mode *mode)
{
	struct krsi_policy_ctl *ctl;
	__u32 zero = 0;
	int ret;

	ret = krsi_policy_decide(ctl_map, stats_map, verdict);
	if (verdict) {
		*mode = ret ? KRSI_EVENT_ENFORCE : KRSI_EVENT_MONITOR;
	} else {
		ctl = bpf_map_lookup_elem(ctl_map, &zero);
		*mode = ctl && ctl->mode == KRSI_MODE_MONITOR
				? KRSI_EVENT_MONITOR
				: KRSI_EVENT_ENFORCE;
	}
	return ret;
}

/*
 * The cgroup whose tasks the lsm/ programs judge, 0 for every task: set by
 * the loader (agent.c) for --cgroup on a kernel without lsm_cgroup/
 * programs (before 6.0), which then judges in the lsm/ programs what the
 * lsm_cgroup/ twins judge elsewhere. agent_in_scope() tells whether the
 * current task is in that cgroup or beneath it.
 */
const volatile __u64 agent_cgroup_id;

#define agent_in_scope() \
	(!agent_cgroup_id || krsi_current_in_cgroup(agent_cgroup_id))

/*
 * AGENT_PATH_BUFFER() defines, at file scope, the per-CPU buffer paths are
 * resolved in (struct krsi_path_buf is 8 KiB, the stack 512 bytes);
 * agent_path_buffer() returns this CPU's, or NULL. Non-sleepable programs
 * only: a sleepable one could sleep while another task on the same CPU
 * uses the buffer.
 */
#define AGENT_PATH_BUFFER()                              \
	struct {                                         \
		__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); \
		__uint(max_entries, 1);                  \
		__type(key, __u32);                      \
		__type(value, struct krsi_path_buf);     \
	} agent_path_buffers SEC(".maps")

#define agent_path_buffer()                                  \
	({                                                   \
		__u32 __zero = 0;                            \
		(struct krsi_path_buf *)bpf_map_lookup_elem( \
			&agent_path_buffers, &__zero);       \
	})

/* Copy the path resolved in PB into a payload's char array FIELD. */
#define agent_copy_path(field, pb) \
	bpf_probe_read_kernel_str(field, sizeof(field), (pb)->path)

#endif /* EXAMPLES_AGENT_BPF_H */
