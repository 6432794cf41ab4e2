// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Hook cost's baseline: the realistic policy of bench_hook_policy.bpf.c
 * written by hand on plain libbpf maps, with no libkrsi header, as a
 * vendor would without the SDK. The same decision: the agent (by its tgid)
 * goes through, only tasks of one cgroup are decided, the file or the pid
 * is looked up in a hash map, the mode (enforce or monitor) is read from an
 * array, the decision counted per CPU, and a denial reported in a ring
 * buffer. What it lacks is what libkrsi adds: a consistent generation of
 * the policy's data, pid namespaces in the self check, drop counters.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "bench_hook_plain.h"

#define EACCES 13

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, struct plain_file_key);
	__type(value, __u8);
} plain_files SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u8);
} plain_pids SEC(".maps");

/* Entry 0: 1 enforces, 0 only counts. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} plain_mode SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct plain_stats);
} plain_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} plain_events SEC(".maps");

/* Set before load. */
const volatile __u32 agent_tgid;
const volatile __u64 target_cgroup;

static __always_inline bool in_scope(void)
{
	return bpf_get_current_pid_tgid() >> 32 != agent_tgid &&
	       bpf_get_current_cgroup_id() == target_cgroup;
}

static __always_inline int decide(bool hit)
{
	struct plain_stats *st;
	__u32 zero = 0, *mode;

	st = bpf_map_lookup_elem(&plain_stats, &zero);
	if (st)
		st->decisions++;
	if (!hit) {
		if (st)
			st->allowed++;
		return 0;
	}
	mode = bpf_map_lookup_elem(&plain_mode, &zero);
	if (!mode || !*mode)
		return 0;
	if (st)
		st->denied++;
	return -EACCES;
}

static __always_inline void report(__u32 hook, const struct plain_file_key *f,
				   __u32 target, int verdict)
{
	struct plain_deny_event *e;

	e = bpf_ringbuf_reserve(&plain_events, sizeof(*e), 0);
	if (!e)
		return;
	e->time_ns = bpf_ktime_get_boot_ns();
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->hook = hook;
	if (f) {
		e->file = *f;
	} else {
		e->file.dev = 0;
		e->file.ino = 0;
	}
	e->target = target;
	e->err = verdict;
	bpf_ringbuf_submit(e, 0);
}

SEC("lsm/file_open")
int BPF_PROG(plain_open, struct file *file, int ret)
{
	struct plain_file_key key;
	int verdict;
	bool hit;

	if (ret)
		return ret;
	if (!in_scope())
		return 0;
	key.ino = BPF_CORE_READ(file, f_inode, i_ino);
	key.dev = BPF_CORE_READ(file, f_inode, i_sb, s_dev);
	hit = bpf_map_lookup_elem(&plain_files, &key) != NULL;
	verdict = decide(hit);
	if (hit)
		report(1, &key, 0, verdict);
	return verdict;
}

SEC("lsm/task_getpgid")
int BPF_PROG(plain_getpgid, struct task_struct *p, int ret)
{
	__u32 tgid;
	int verdict;
	bool hit;

	if (ret)
		return ret;
	if (!in_scope())
		return 0;
	tgid = BPF_CORE_READ(p, tgid);
	hit = bpf_map_lookup_elem(&plain_pids, &tgid) != NULL;
	verdict = decide(hit);
	if (hit)
		report(2, NULL, tgid, verdict);
	return verdict;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
