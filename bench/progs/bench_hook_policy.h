/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/* Shared by bench_hook_policy.bpf.c and bench_hooks.c. */
#ifndef BENCH_HOOK_POLICY_H
#define BENCH_HOOK_POLICY_H

#include <krsi/inode_key.h>

#define HOOK_POLICY_ID 9
#define DENY_EVENT 1

/* Reported when the policy denies. */
struct deny_event {
	struct krsi_inode_key file; /* the file opened, or zero */
	__u32 target; /* the process asked about, or 0 */
	__u32 pad;
};

#endif /* BENCH_HOOK_POLICY_H */
