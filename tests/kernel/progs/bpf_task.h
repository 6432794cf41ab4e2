/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/* What bpf_task.bpf.c records about a task; shared with test_bpf_task.c. */
#ifndef BPF_TASK_H
#define BPF_TASK_H

#include <krsi/inode_key.h>

struct task_info {
	__u32 pid, tgid, ppid;
	__u32 uid, gid, euid, loginuid;
	char comm[16];
	__u64 cgroup_id;
	struct krsi_inode_key exe;
	__s32 exe_err;
	__s32 ns_mask;
	__s32 in_container;
};

#endif /* BPF_TASK_H */
