// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Readers of a policy whose generations user space flips as fast as it
 * can: each decision reads every id of the set in one snapshot and checks
 * that it saw exactly the generation it read. Run as a socket filter (with
 * bpf_prog_test_run(), also on the host) and as an LSM program.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <krsi/krsi.bpf.h>
#include "policy_gen.h"

KRSI_POLICY_MAPS();
KRSI_ID_SET(ids, GEN_KEYS);

/* Set by the loader: the process whose getsid() calls read the policy. */
const volatile __u32 target_tgid;

struct gen_counts counts;

static __always_inline void decide(void)
{
	struct krsi_rule rule;
	struct krsi_snap snap;
	__u32 i, size, bad;
	int hit, err;

	krsi_snap_begin(&krsi_ctl, &snap);
	do {
		size = gen_size(snap.generation);
		bad = 0;
		/* Unrolled: 6.1 rejects the loop clang makes of it. */
#pragma unroll
		for (i = 0; i < GEN_KEYS; i++) {
			hit = krsi_id_set_match(&ids, &snap, i, &rule);
			if (hit != (i < size) ||
			    (hit && (rule.id != (__u32)snap.generation ||
				     rule.flags != i)))
				bad = 1;
		}
		err = krsi_snap_retry(&snap);
		if (err > 0)
			__sync_fetch_and_add(&counts.retries, 1);
		if (err && bad)
			__sync_fetch_and_add(&counts.caught, 1);
	} while (err > 0);
	__sync_fetch_and_add(&counts.decisions, 1);
	if (err)
		__sync_fetch_and_add(&counts.gave_up, 1);
	else if (bad)
		__sync_fetch_and_add(&counts.bad, 1);
	else
		__sync_fetch_and_add(&counts.consistent, 1);
}

SEC("socket")
int read_policy(struct __sk_buff *skb)
{
	decide();
	return 0;
}

SEC("lsm/task_getsid")
int BPF_PROG(read_policy_lsm, struct task_struct *p, int ret)
{
	if ((bpf_get_current_pid_tgid() >> 32) == target_tgid)
		decide();
	return ret;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
