// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * The audit head-to-head's hand-written baseline: what
 * bench_audit.bpf.c reports (every file open with its path, every exec
 * with its file name, except the agent's own), written on plain libbpf
 * with no libkrsi header, as a vendor would without the SDK: one struct
 * in a ring buffer, and a per-CPU counter of what could not be reserved.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "bench_audit_plain.h"

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 << 20);
} plain_audit SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} plain_audit_drops SEC(".maps");

/* The agent's tgid, set before load. */
const volatile __u32 agent_tgid;

static __always_inline struct plain_audit_event *reserve(__u32 type)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	__u64 id = bpf_get_current_pid_tgid(), ids;
	struct plain_audit_event *e;
	__u32 zero = 0;
	__u64 *drops;

	if (id >> 32 == agent_tgid)
		return NULL;
	e = bpf_ringbuf_reserve(&plain_audit, sizeof(*e), 0);
	if (!e) {
		drops = bpf_map_lookup_elem(&plain_audit_drops, &zero);
		if (drops)
			*drops += 1;
		return NULL;
	}
	ids = bpf_get_current_uid_gid();
	e->time_ns = bpf_ktime_get_boot_ns();
	e->cgroup = bpf_get_current_cgroup_id();
	e->type = type;
	e->cpu = bpf_get_smp_processor_id();
	e->pid = id >> 32;
	e->tid = (__u32)id;
	e->uid = (__u32)ids;
	e->gid = ids >> 32;
	e->euid = BPF_CORE_READ(task, cred, euid.val);
	e->loginuid = BPF_CORE_READ(task, loginuid.val);
	e->flags = 0;
	e->pad = 0;
	e->ino = 0;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	return e;
}

SEC("lsm/file_open")
int BPF_PROG(plain_file_open, struct file *file, int ret)
{
	struct plain_audit_event *e = reserve(PLAIN_OPEN);

	if (e) {
		e->flags = BPF_CORE_READ(file, f_flags);
		e->ino = BPF_CORE_READ(file, f_inode, i_ino);
		if (bpf_d_path((struct path *)&file->f_path, e->path,
			       sizeof(e->path)) < 0)
			e->path[0] = '\0';
		bpf_ringbuf_submit(e, 0);
	}
	return ret;
}

SEC("lsm/bprm_check_security")
int BPF_PROG(plain_exec, struct linux_binprm *bprm, int ret)
{
	struct plain_audit_event *e = reserve(PLAIN_EXEC);

	if (e) {
		if (bpf_probe_read_kernel_str(e->path, sizeof(e->path),
					      BPF_CORE_READ(bprm, filename)) <
		    0)
			e->path[0] = '\0';
		bpf_ringbuf_submit(e, 0);
	}
	return ret;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
