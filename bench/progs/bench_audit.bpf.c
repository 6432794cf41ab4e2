// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * The audit head-to-head's libkrsi side: every file open (with its path)
 * and every exec (with the file name) on the system, except the agent's
 * own, reported as events.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <krsi/krsi.bpf.h>
#include <krsi/self.bpf.h>

#include "bench_audit.h"

KRSI_EVENT_RING(audit_events, 4 << 20);
KRSI_EVENT_TYPE(file_open, AUDIT_OPEN, struct audit_open);
KRSI_EVENT_TYPE(exec, AUDIT_EXEC, struct audit_exec);

SEC("lsm/file_open")
int BPF_PROG(audit_file_open, struct file *file, int ret)
{
	struct audit_open *e;

	if (krsi_is_self())
		return KRSI_ALLOW(ret);
	e = krsi_event_reserve(audit_events, file_open, AUDIT_OPEN,
			       struct audit_open);
	if (e) {
		e->flags = BPF_CORE_READ(file, f_flags);
		e->pad = 0;
		e->ino = BPF_CORE_READ(file, f_inode, i_ino);
		if (bpf_d_path((struct path *)&file->f_path, e->path,
			       sizeof(e->path)) < 0)
			e->path[0] = '\0';
	}
	krsi_event_submit(e, AUDIT_POLICY_ID, KRSI_EVENT_ENFORCE, ret);
	return KRSI_ALLOW(ret);
}

SEC("lsm/bprm_check_security")
int BPF_PROG(audit_exec, struct linux_binprm *bprm, int ret)
{
	struct audit_exec *e;

	if (krsi_is_self())
		return KRSI_ALLOW(ret);
	e = krsi_event_reserve(audit_events, bprm_check_security, AUDIT_EXEC,
			       struct audit_exec);
	if (e && bpf_probe_read_kernel_str(e->filename, sizeof(e->filename),
					   BPF_CORE_READ(bprm, filename)) < 0)
		e->filename[0] = '\0';
	krsi_event_submit(e, AUDIT_POLICY_ID, KRSI_EVENT_ENFORCE, ret);
	return KRSI_ALLOW(ret);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
