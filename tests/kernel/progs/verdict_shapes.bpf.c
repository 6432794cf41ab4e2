// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * The verdict paths of <krsi/verdict.bpf.h> and <krsi/policy.bpf.h> in the
 * shapes programs write them: the verdict returned at once, or used again
 * afterwards (in an event, in bpf_printk(), in a global variable), with
 * an errno that is a constant or chosen at run time, deciding on a policy
 * set's lookup. clang folds each shape differently, and each must pass
 * every kernel line's verifier, which checks that an lsm/ program returns
 * 0 or -1..-4095 (6.12 and later).
 * verdict_shapes_o1.bpf.c builds the same programs at -O1, but for those
 * that report an event: at -O1 clang tests a reserved event twice (the
 * helper's NULL test and the program's), which the 5.10 and 6.1 verifiers
 * refuse ("Unreleased reference"), however the verdict is computed; see
 * <krsi/event.bpf.h>. Each program denies getsid() to the test process
 * while its uid is in denied_uids.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <krsi/krsi.bpf.h>
#include "verdict_shapes.h"

KRSI_POLICY_MAPS();
KRSI_ID_SET(denied_uids, 4);
KRSI_EVENT_RING(events, 4096);
KRSI_EVENT_TYPE(shape, 1, struct shape_event);

/* Set by the test. */
__u32 target_tgid;
long errno_rt; /* the errno of the run-time shapes */

/* What the programs saw, for the test. */
int last_verdict, last_decided;

/* Whether the policy denies the current task (1): its uid is in the set. */
static __always_inline int denied(void)
{
	struct krsi_snap snap;
	int hit, err;

	krsi_snap_begin(&krsi_ctl, &snap);
	do {
		hit = krsi_id_set_match(&denied_uids, &snap, krsi_current_uid(),
					NULL);
	} while ((err = krsi_snap_retry(&snap)) > 0);
	if (err)
		hit = 1; /* rules that kept changing: fail closed */
	return hit;
}

/*
 * A program deciding with krsi_policy_decide(): VERDICT is the policy's
 * verdict (ERR, or ELSE when the uid is not in the set), V what the policy
 * decides in its mode; USE uses both afterwards.
 */
#define SHAPE(name, err, otherwise, use)                                 \
	SEC("lsm/task_getsid")                                           \
	int BPF_PROG(name, struct task_struct *p, int ret)               \
	{                                                                \
		int verdict, v;                                          \
                                                                         \
		if (ret || krsi_current_tgid() != target_tgid)           \
			return ret;                                      \
		verdict = denied() > 0 ? -(err) : (otherwise);           \
		v = krsi_policy_decide(&krsi_ctl, &krsi_stats, verdict); \
		use;                                                     \
		return v;                                                \
	}

#ifndef SHAPES_NO_EVENTS
/* An event reporting the decision, as the examples' agent_decide() does. */
static __always_inline void report(int verdict, int v)
{
	struct shape_event *e =
		krsi_event_reserve(events, task_getsid, 1, struct shape_event);

	if (e) { /* tested once: see <krsi/event.bpf.h> */
		e->verdict = v;
		krsi_event_submit(e, 1,
				  v ? KRSI_EVENT_ENFORCE : KRSI_EVENT_MONITOR,
				  verdict);
	}
}

SHAPE(const_event, EACCES, 0, report(verdict, v))
SHAPE(runtime_event, errno_rt, 0, report(verdict, v))
/* Two errnos, and no allowing. */
SHAPE(either_event, EACCES, -EPERM, report(verdict, v))

/* KRSI_DENY() itself, the verdict reported afterwards. */
SEC("lsm/task_getsid")
int BPF_PROG(deny_event, struct task_struct *p, int ret)
{
	int v;

	if (krsi_current_tgid() != target_tgid || !denied())
		return KRSI_ALLOW(ret);
	v = KRSI_DENY(ret, errno_rt);
	report(v, v);
	return v;
}
#endif /* SHAPES_NO_EVENTS */

/* The decision returned as it is. */
SHAPE(const_return, EACCES, 0, (void)0)
SHAPE(runtime_return, errno_rt, 0, (void)0)
/* ... printed to the trace pipe. */
SHAPE(const_printk, EACCES, 0, bpf_printk("verdict %d: %d", verdict, v))
SHAPE(runtime_printk, errno_rt, 0, bpf_printk("verdict %d: %d", verdict, v))
SHAPE(either_printk, EACCES, -EPERM, bpf_printk("verdict %d: %d", verdict, v))
/* ... kept in global variables. */
SHAPE(const_global, EACCES, 0, (last_verdict = verdict, last_decided = v))
SHAPE(runtime_global, errno_rt, 0, (last_verdict = verdict, last_decided = v))

/* KRSI_DENY() itself, the verdict kept afterwards. */
SEC("lsm/task_getsid")
int BPF_PROG(deny_global, struct task_struct *p, int ret)
{
	int v;

	if (krsi_current_tgid() != target_tgid || !denied())
		return KRSI_ALLOW(ret);
	v = KRSI_DENY(ret, errno_rt);
	last_decided = v;
	return v;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
