// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * The verdict paths of <krsi/verdict.bpf.h> and <krsi/policy.bpf.h> in the
 * shapes programs write them: the verdict returned at once, or used again
 * afterwards (in an event, in bpf_printk(), in a global variable), with
 * an errno that is a constant or chosen at run time. clang folds each shape
 * differently, and each must pass every kernel line's verifier, which
 * checks that an lsm/ program returns 0 or -1..-4095 (6.12 and later).
 * verdict_shapes_o1.bpf.c builds the same programs at -O1, but for those
 * that report an event: at -O1 clang tests a reserved event twice (the
 * helper's NULL test and the program's), which the 5.10 and 6.1 verifiers
 * refuse ("Unreleased reference"), however the verdict is computed; see
 * <krsi/event.bpf.h>. Each program denies getsid() of the test process
 * while deny is set.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <krsi/krsi.bpf.h>
#include "verdict_shapes.h"

KRSI_POLICY_MAPS();
KRSI_EVENT_RING(events, 4096);
KRSI_EVENT_TYPE(shape, 1, struct shape_event);

/* Set by the test. */
__u32 target_tgid;
int deny; /* deny, or allow */
long errno_rt; /* the errno of the run-time shapes */

/* What the programs saw, for the test. */
int last_verdict;

/* The verdict of a policy with one rule: deny the test when deny is set. */
#define VERDICT(err) (deny ? -(err) : 0)

#define SHAPE(name, err, use)                                                 \
	SEC("lsm/task_getsid")                                                \
	int BPF_PROG(name, struct task_struct *p, int ret)                    \
	{                                                                     \
		int v;                                                        \
                                                                              \
		if (ret || krsi_current_tgid() != target_tgid)                \
			return ret;                                           \
		v = krsi_policy_decide(&krsi_ctl, &krsi_stats, VERDICT(err)); \
		use;                                                          \
		return v;                                                     \
	}

#ifndef SHAPES_NO_EVENTS
static __always_inline void report(int v)
{
	struct shape_event *e =
		krsi_event_reserve(events, task_getsid, 1, struct shape_event);

	if (e) { /* tested once: see <krsi/event.bpf.h> */
		e->verdict = v;
		krsi_event_submit(e, 1, KRSI_EVENT_ENFORCE, v);
	}
}

/* The policy's verdict, reported in an event first. */
SHAPE(const_event, EACCES, report(v))
SHAPE(runtime_event, errno_rt, report(v))

/* KRSI_DENY() itself, the verdict reported afterwards. */
SEC("lsm/task_getsid")
int BPF_PROG(deny_event, struct task_struct *p, int ret)
{
	int v;

	if (krsi_current_tgid() != target_tgid || !deny)
		return KRSI_ALLOW(ret);
	v = KRSI_DENY(ret, errno_rt);
	report(v);
	return v;
}
#endif /* SHAPES_NO_EVENTS */

/* The policy's verdict, returned as it is. */
SHAPE(const_return, EACCES, (void)0)
SHAPE(runtime_return, errno_rt, (void)0)
/* ... printed to the trace pipe. */
SHAPE(const_printk, EACCES, bpf_printk("verdict %d", v))
SHAPE(runtime_printk, errno_rt, bpf_printk("verdict %d", v))
/* ... kept in a global variable. */
SHAPE(const_global, EACCES, last_verdict = v)
SHAPE(runtime_global, errno_rt, last_verdict = v)

/* KRSI_DENY() itself, the verdict kept afterwards. */
SEC("lsm/task_getsid")
int BPF_PROG(deny_global, struct task_struct *p, int ret)
{
	int v;

	if (krsi_current_tgid() != target_tgid || !deny)
		return KRSI_ALLOW(ret);
	v = KRSI_DENY(ret, errno_rt);
	last_verdict = v;
	return v;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
