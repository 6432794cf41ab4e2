// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * exec-audit: report every program execution, and deny those of the
 * binaries on a deny list.
 *
 * bprm_check_security runs once the kernel has opened the binary and
 * before it commits to it: the program is known by path and by (device,
 * inode), the task is still the one that called execve(), with its
 * credentials, parent and cgroup, and denying makes execve() fail. A
 * script runs it twice: for the script, then for its interpreter.
 *
 * The deny list is a file set (by inode, so a renamed or hard-linked copy
 * of a denied binary is still denied; a copy is a new file and is not).
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "../common/agent.bpf.h"

/* The policy's number in its events. */
#define EXEC_POLICY_ID 1

/* x86-64 system call numbers (vmlinux.h has no macros). */
#define NR_EXECVE 59
#define NR_EXECVEAT 322

/* The arguments: at most ARGS_MAX of them, each cut at ARG_MAX bytes. */
#define ARGS_SIZE 512
#define ARGS_MAX 32
#define ARG_MAX 128

KRSI_POLICY_MAPS();
KRSI_FILE_SET(denied, 1024);
KRSI_EVENT_RING(events, 256 * 1024);
AGENT_PATH_BUFFER();

struct exec_event {
	struct krsi_inode_key file; /* the binary, as stat() names it */
	__u32 ppid; /* the parent process */
	__u32 argc; /* arguments given, maybe more than args holds */
	__u32 rule; /* the --deny rule that matched, or 0 */
	char parent[16]; /* the parent's command name */
	char path[256] KRSI_PATH; /* the binary */
	char args[ARGS_SIZE]; /* the arguments, separated by spaces */
};

enum { EXEC_EVENT = 1 };
KRSI_EVENT_TYPE(exec, EXEC_EVENT, struct exec_event);

/*
 * The arguments, read from the caller's own memory: bprm_check_security
 * runs inside execve(), whose argument vector is still the caller's and
 * was just read by the kernel (so its pages are present). Executions the
 * kernel starts itself (no execve() system call) have none.
 */
static __always_inline void read_args(char *args, int argc)
{
	struct pt_regs *regs;
	const char *const *argv;
	const char *arg;
	__u64 off = 0;
	long n;
	int i;

	args[0] = '\0';
	/* Kernels before 5.15 have no bpf_task_pt_regs(): no arguments. */
	if (!bpf_core_enum_value_exists(enum bpf_func_id,
					BPF_FUNC_task_pt_regs))
		return;
	regs = (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
	switch (BPF_CORE_READ(regs, orig_ax)) {
	case NR_EXECVE:
		argv = (const char *const *)BPF_CORE_READ(regs, si);
		break;
	case NR_EXECVEAT:
		argv = (const char *const *)BPF_CORE_READ(regs, dx);
		break;
	default:
		return;
	}
	for (i = 0; i < ARGS_MAX && i < argc; i++) {
		if (off > ARGS_SIZE - ARG_MAX ||
		    bpf_probe_read_user(&arg, sizeof(arg), &argv[i]))
			break;
		barrier_var(off); /* the verifier must see the test's bound */
		n = bpf_probe_read_user_str(&args[off], ARG_MAX, arg);
		if (n <= 0)
			break;
		off += n;
		args[(off - 1) & (ARGS_SIZE - 1)] = ' '; /* was the NUL */
	}
	if (off)
		args[(off - 1) & (ARGS_SIZE - 1)] = '\0';
}

SEC("lsm/bprm_check_security")
int BPF_PROG(exec_audit, struct linux_binprm *bprm, int ret)
{
	struct task_struct *task = krsi_current_task();
	struct krsi_inode_key file = {};
	struct krsi_rule rule = {};
	enum krsi_event_mode mode;
	struct krsi_path_buf *pb;
	struct exec_event *e;
	struct krsi_snap snap;
	int hit = 0, err, verdict;

	if (ret)
		return ret;
	if (!krsi_file_key(bprm->file, &file)) {
		krsi_snap_begin(&krsi_ctl, &snap);
		do {
			hit = krsi_file_set_match(&denied, &snap, &file, &rule);
		} while ((err = krsi_snap_retry(&snap)) > 0);
		if (err)
			hit = 1; /* the rules kept changing: fail closed */
	}
	verdict = hit > 0 ? -EPERM : 0;
	ret = agent_decide(verdict, &mode);

	e = krsi_event_reserve(events, bprm_check_security, EXEC_EVENT,
			       struct exec_event);
	if (e) {
		e->file = file;
		e->ppid = krsi_current_ppid();
		e->argc = bprm->argc;
		e->rule = verdict ? rule.id : 0;
		BPF_CORE_READ_STR_INTO(&e->parent, task, real_parent, comm);
		pb = agent_path_buffer();
		if (!pb || krsi_file_d_path(bprm->file, pb) <= 0 ||
		    agent_copy_path(e->path, pb) <= 0)
			e->path[0] = '\0';
		read_args(e->args, bprm->argc);
		krsi_event_submit(e, EXEC_POLICY_ID, mode, verdict);
	}
	return ret;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
