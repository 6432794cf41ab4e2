/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/* Shared by bench_hook_plain.bpf.c and bench_hooks.c: the hand-written
 * policy's maps, with no libkrsi type. */
#ifndef BENCH_HOOK_PLAIN_H
#define BENCH_HOOK_PLAIN_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/* A file by its inode: the kernel's s_dev encoding ((major << 20) |
 * minor) and inode number. */
struct plain_file_key {
	__u64 dev;
	__u64 ino;
};

/* Per-CPU counters of the decisions taken. */
struct plain_stats {
	__u64 decisions;
	__u64 allowed;
	__u64 denied;
};

/* Reported when the policy denies. */
struct plain_deny_event {
	__u64 time_ns;
	__u32 pid;
	__u32 hook; /* 1: file_open, 2: task_getpgid */
	struct plain_file_key file; /* the file opened, or zero */
	__u32 target; /* the process asked about, or 0 */
	__s32 err;
};

#endif /* BENCH_HOOK_PLAIN_H */
