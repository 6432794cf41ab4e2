/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/* The context of policy_sets.bpf.c's probe, shared with its test. */
#ifndef POLICY_SETS_H
#define POLICY_SETS_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/* Which set probe() looks up. */
enum probe_set {
	PROBE_FILE = 1,
	PROBE_HASH,
	PROBE_CGROUP,
	PROBE_ID,
	PROBE_PATH,
	PROBE_IPV4,
	PROBE_IPV6,
	PROBE_MY_CGROUP, /* bpf_get_current_cgroup_id() */
	PROBE_MY_UID, /* bpf_get_current_uid_gid()'s uid */
};

struct probe_args {
	/* in */
	__u32 set; /* enum probe_set */
	__u32 id;
	__u64 dev; /* as stat() gives it */
	__u64 ino;
	__u64 cgroup;
	__u32 addr4; /* network byte order */
	__u8 addr6[16];
	__u8 sha256[32];
	char path[512];
	/* out */
	__s32 hit; /* 1, 0 or a negative errno */
	__s32 begin_err; /* krsi_snap_begin() */
	__s32 retry_err; /* the last krsi_snap_retry() */
	__u64 generation;
	__u32 rule_id;
	__u32 rule_flags;
};

#endif /* POLICY_SETS_H */
