// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Who is acting (<krsi/task.bpf.h>): on task_getsid, record everything the
 * helpers report about the calling task, for tasks whose command name
 * starts with "ktask", keyed by thread id.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <krsi/krsi.bpf.h>
#include "bpf_task.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, struct task_info);
} infos SEC(".maps");

SEC("lsm/task_getsid")
int BPF_PROG(record, struct task_struct *p, int ret)
{
	struct task_info info = {};
	__u32 pid;

	krsi_current_comm(&info.comm);
	if (!krsi_str_has_prefix(info.comm, "ktask", sizeof("ktask")))
		return KRSI_ALLOW(ret);
	info.pid = pid = krsi_current_pid();
	info.tgid = krsi_current_tgid();
	info.ppid = krsi_current_ppid();
	info.uid = krsi_current_uid();
	info.gid = krsi_current_gid();
	info.euid = krsi_current_euid();
	info.loginuid = krsi_current_loginuid();
	info.cgroup_id = krsi_current_cgroup_id();
	info.exe_err = krsi_current_exe_key(&info.exe);
	info.ns_mask = krsi_current_ns_outside_init();
	info.in_container = krsi_current_in_container();
	bpf_map_update_elem(&infos, &pid, &info, BPF_ANY);
	return KRSI_ALLOW(ret);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
