// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Audit every open and exec of one process and its children: opens with
 * their path (krsi_file_d_path(): bpf_d_path(), or a walk where LSM
 * programs lack it), execs with the file name, from a sleepable program
 * (which the test loads only where the kernel has them). Opening one file is
 * denied, opening another is denied in monitor mode only. The verdicts do
 * not depend on the events: a full ring buffer changes nothing.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <krsi/krsi.bpf.h>

#include "audit_lsm.h"

KRSI_EVENT_RING(lsm_events, 256 * 1024);

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct krsi_path_buf);
} path_buf SEC(".maps");

KRSI_EVENT_TYPE(file_open, OPEN_TYPE, struct open_event);
KRSI_EVENT_TYPE(exec, EXEC_TYPE, struct exec_event);

/* Set by the loader before load. */
const volatile __u32 target_tgid;
const volatile __u64 deny_ino;
const volatile __u64 monitor_ino;

/* The target process, or one of its children. */
static bool targeted(void)
{
	struct task_struct *task = krsi_current_task();

	return BPF_CORE_READ(task, tgid) == target_tgid ||
	       BPF_CORE_READ(task, real_parent, tgid) == target_tgid;
}

SEC("lsm/file_open")
int BPF_PROG(audit_open, struct file *file, int ret)
{
	enum krsi_event_mode mode = KRSI_EVENT_ENFORCE;
	struct krsi_path_buf *pb;
	struct open_event *e;
	int verdict = 0;
	__u32 zero = 0;
	__u64 ino;

	if (ret)
		return ret; /* an earlier program already denied */
	if (!targeted())
		return 0;
	ino = BPF_CORE_READ(file, f_inode, i_ino);
	if (ino == deny_ino) {
		verdict = -EACCES;
	} else if (ino == monitor_ino) {
		verdict = -EACCES;
		mode = KRSI_EVENT_MONITOR;
	}
	e = krsi_event_reserve(lsm_events, file_open, OPEN_TYPE,
			       struct open_event);
	if (e) {
		e->flags = BPF_CORE_READ(file, f_flags);
		e->pad = 0;
		e->ino = ino;
		pb = bpf_map_lookup_elem(&path_buf, &zero);
		if (!pb || krsi_file_d_path(file, pb) <= 0 ||
		    bpf_probe_read_kernel_str(e->path, sizeof(e->path),
					      pb->path) <= 0)
			e->path[0] = '\0';
	}
	krsi_event_submit(e, AUDIT_POLICY, mode, verdict);
	if (verdict && mode == KRSI_EVENT_ENFORCE)
		return KRSI_DENY(ret, EACCES);
	return KRSI_ALLOW(ret);
}

/* sleepable: the event helpers work there too */
SEC("lsm.s/bprm_check_security")
int BPF_PROG(audit_exec, struct linux_binprm *bprm, int ret)
{
	struct exec_event *e;

	if (ret)
		return ret;
	if (!targeted())
		return 0;
	e = krsi_event_reserve(lsm_events, bprm_check_security, EXEC_TYPE,
			       struct exec_event);
	if (e && bpf_probe_read_kernel_str(e->filename, sizeof(e->filename),
					   BPF_CORE_READ(bprm, filename)) < 0)
		e->filename[0] = '\0';
	krsi_event_submit(e, AUDIT_POLICY, KRSI_EVENT_ENFORCE, 0);
	return KRSI_ALLOW(ret);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
