/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/* Shared by bench_audit_plain.bpf.c and agent_plain.c: the hand-written
 * audit's event, with no libkrsi type. */
#ifndef BENCH_AUDIT_PLAIN_H
#define BENCH_AUDIT_PLAIN_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define PLAIN_OPEN 1
#define PLAIN_EXEC 2

/* The fields libkrsi's JSON lines carry, in one struct for both hooks. */
struct plain_audit_event {
	__u64 time_ns; /* CLOCK_BOOTTIME */
	__u64 cgroup;
	__u32 type; /* PLAIN_OPEN or PLAIN_EXEC */
	__u32 cpu;
	__u32 pid, tid, uid, gid, euid, loginuid;
	__u32 flags; /* PLAIN_OPEN: the file's flags */
	__u32 pad;
	__u64 ino; /* PLAIN_OPEN: the file's inode */
	char comm[16];
	char path[256]; /* the path opened, or the file executed */
};

#endif /* BENCH_AUDIT_PLAIN_H */
