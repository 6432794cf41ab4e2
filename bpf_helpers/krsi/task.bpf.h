/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * Who is acting: the identity of the task that triggered the hook.
 *
 * Ids are those of the initial namespaces (the kernel's global view):
 * process ids as in the host's /proc, user and group ids as the host's
 * root user namespace maps them. Credentials are the task's subjective
 * ones (current->cred), which the kernel's own permission checks use.
 *
 * Every read is CO-RE (BPF_CORE_READ()), of fields present on every kernel
 * from 5.10 to 7.3; a field a kernel may lack is tested with
 * bpf_core_field_exists(). All helpers work in every hook, sleepable or
 * not, on 5.10 and later.
 */
#ifndef __KRSI_TASK_BPF_H
#define __KRSI_TASK_BPF_H

#if !defined(__bpf__)
#error "krsi/task.bpf.h is for BPF programs: compile with clang -target bpf"
#endif

#include <krsi/common.bpf.h>
#include <krsi/errno.bpf.h>
#include <krsi/file.bpf.h>

/* The login uid of a task no login set (audit's AUDIT_UID_UNSET). */
#define KRSI_UID_UNSET 4294967295U

/* Bytes of a command name, NUL included (the kernel's TASK_COMM_LEN). */
#define KRSI_COMM_LEN 16

/* Namespaces, as bits of krsi_current_ns_outside_init()'s result. */
enum krsi_ns {
	KRSI_NS_MNT = 1 << 0,
	KRSI_NS_UTS = 1 << 1,
	KRSI_NS_IPC = 1 << 2,
	KRSI_NS_NET = 1 << 3,
	KRSI_NS_PID = 1 << 4,
	KRSI_NS_USER = 1 << 5,
	KRSI_NS_CGROUP = 1 << 6,
};

/* The initial namespaces, found through kallsyms when the program loads. */
extern const void init_nsproxy __ksym __weak;

/* Most levels of cgroup nesting krsi_current_in_cgroup() looks through. */
#ifndef KRSI_CGROUP_DEPTH
#define KRSI_CGROUP_DEPTH 32
#endif

/**
 * krsi_current_task() - the current task.
 *
 * bpf_get_current_task_btf() where the kernel has it (5.11 and later),
 * chosen when the program loads; on older kernels the address
 * bpf_get_current_task() gives, which BPF_CORE_READ() reads all the same.
 * Read its fields with BPF_CORE_READ() only, never directly, so that the
 * program loads on both.
 *
 * Cost: one helper call.
 */
static __always_inline struct task_struct *krsi_current_task(void)
{
	if (bpf_core_enum_value_exists(enum bpf_func_id,
				       BPF_FUNC_get_current_task_btf))
		return bpf_get_current_task_btf();
	return (struct task_struct *)bpf_get_current_task();
}

/**
 * krsi_current_tgid() - the process id of the current task (its tgid).
 *
 * Cost: one helper call.
 */
static __always_inline __u32 krsi_current_tgid(void)
{
	return bpf_get_current_pid_tgid() >> 32;
}

/**
 * krsi_current_pid() - the thread id of the current task (the kernel's pid).
 *
 * Cost: one helper call.
 */
static __always_inline __u32 krsi_current_pid(void)
{
	return (__u32)bpf_get_current_pid_tgid();
}

/**
 * krsi_current_uid() - the real user id of the current task.
 *
 * Cost: one helper call.
 */
static __always_inline __u32 krsi_current_uid(void)
{
	return (__u32)bpf_get_current_uid_gid();
}

/**
 * krsi_current_gid() - the real group id of the current task.
 *
 * Cost: one helper call.
 */
static __always_inline __u32 krsi_current_gid(void)
{
	return bpf_get_current_uid_gid() >> 32;
}

/**
 * krsi_current_euid() - the effective user id of the current task, the one
 * permission checks use.
 *
 * Cost: two reads of kernel memory.
 */
static __always_inline __u32 krsi_current_euid(void)
{
	struct task_struct *task = krsi_current_task();

	return BPF_CORE_READ(task, cred, euid.val);
}

/**
 * krsi_current_loginuid() - the audit login uid of the current task: the
 * user who logged in, kept across su and sudo.
 *
 * Kernels built without CONFIG_AUDIT have no login uid; there, as for tasks
 * no login set, the result is KRSI_UID_UNSET.
 *
 * Cost: one read of kernel memory.
 */
static __always_inline __u32 krsi_current_loginuid(void)
{
	struct task_struct *task = krsi_current_task();

	if (!bpf_core_field_exists(task->loginuid))
		return KRSI_UID_UNSET;
	return BPF_CORE_READ(task, loginuid.val);
}

/**
 * krsi_current_comm() - the command name of the current task.
 * @comm: receives the name, NUL-terminated
 *
 * Cost: one helper call.
 *
 * Return: 0, or a negative errno (the name is then zeroed).
 */
static __always_inline long krsi_current_comm(char (*comm)[KRSI_COMM_LEN])
{
	return bpf_get_current_comm(*comm, KRSI_COMM_LEN);
}

/**
 * krsi_current_cgroup_id() - the id of the current task's cgroup v2: the
 * inode number of its directory under the cgroup2 mount.
 *
 * Cost: one helper call.
 *
 * Return: the id; 0 on a kernel without cgroup v2.
 */
static __always_inline __u64 krsi_current_cgroup_id(void)
{
	return bpf_get_current_cgroup_id();
}

/**
 * krsi_current_in_cgroup() - whether the current task is in a cgroup v2 or
 * beneath it, as the tasks an lsm_cgroup/ program attached to that cgroup
 * judges.
 * @cgroup_id: the cgroup's id (the inode number of its directory, as
 *             krsi_get_cgroup_id() gives it)
 *
 * What an lsm/ program uses to judge one cgroup's tasks on kernels without
 * lsm_cgroup/ programs (before 6.0). Walks up from the task's cgroup
 * through CO-RE reads, at most KRSI_CGROUP_DEPTH levels: 5.10 does not
 * give LSM programs bpf_get_current_ancestor_cgroup_id() ("unknown func").
 *
 * Cost: three reads of kernel memory per level of the current task's
 * cgroup, and one more.
 *
 * Return: true when the current task's cgroup is @cgroup_id or one of its
 * descendants.
 */
static __always_inline bool krsi_current_in_cgroup(__u64 cgroup_id)
{
	struct task_struct *task = krsi_current_task();
	struct cgroup *cgrp = BPF_CORE_READ(task, cgroups, dfl_cgrp);
	struct cgroup_subsys_state *parent;
	int level;

	for (level = 0; level < KRSI_CGROUP_DEPTH && cgrp; level++) {
		if (BPF_CORE_READ(cgrp, kn, id) == cgroup_id)
			return true;
		/* The parent's cgroup, around its css. */
		parent = BPF_CORE_READ(cgrp, self.parent);
		cgrp = parent ? (void *)parent - bpf_core_field_offset(
							 struct cgroup, self)
			      : NULL;
	}
	return false;
}

/**
 * krsi_current_ppid() - the process id of the current task's parent: the
 * process that will reap it (its real parent, not a ptrace tracer).
 *
 * Cost: two reads of kernel memory.
 */
static __always_inline __u32 krsi_current_ppid(void)
{
	struct task_struct *task = krsi_current_task();

	return BPF_CORE_READ(task, real_parent, tgid);
}

/**
 * krsi_current_exe_key() - the file the current process executes, as a
 * (device, inode) key equal to stat() of /proc/self/exe.
 * @key: receives the key
 *
 * Cost: five reads of kernel memory.
 *
 * Return: 0, or -ENOENT for a task without an executable (a kernel thread).
 */
static __always_inline int krsi_current_exe_key(struct krsi_inode_key *key)
{
	struct task_struct *task = krsi_current_task();
	struct file *exe = BPF_CORE_READ(task, mm, exe_file);

	if (!exe)
		return -ENOENT;
	return krsi_inode_key(BPF_CORE_READ(exe, f_inode), key);
}

/**
 * krsi_current_ns_outside_init() - which namespaces of the current task are
 * not the initial ones.
 *
 * Mount, UTS, IPC, network and cgroup namespaces are compared with those of
 * the initial task (init_nsproxy, found through kallsyms at load time); the
 * pid and user namespaces by their nesting level. A task unshares its pid
 * namespace for its children only: the bit is set in those children.
 *
 * Cost: about twelve reads of kernel memory.
 *
 * Return: a mask of enum krsi_ns bits, 0 when every namespace is the
 * initial one; -ENOENT when the kernel did not reveal init_nsproxy
 * (kallsyms hidden from the loader); -ESRCH for an exiting task.
 */
static __always_inline int krsi_current_ns_outside_init(void)
{
	struct task_struct *task = krsi_current_task();
	const struct nsproxy *init = (const struct nsproxy *)&init_nsproxy;
	struct nsproxy *ns;
	int mask = 0;

	if (!__krsi_ksym_exists(&init_nsproxy))
		return -ENOENT;
	ns = BPF_CORE_READ(task, nsproxy);
	if (!ns)
		return -ESRCH;
	if (BPF_CORE_READ(ns, mnt_ns) != BPF_CORE_READ(init, mnt_ns))
		mask |= KRSI_NS_MNT;
	if (BPF_CORE_READ(ns, uts_ns) != BPF_CORE_READ(init, uts_ns))
		mask |= KRSI_NS_UTS;
	if (BPF_CORE_READ(ns, ipc_ns) != BPF_CORE_READ(init, ipc_ns))
		mask |= KRSI_NS_IPC;
	if (BPF_CORE_READ(ns, net_ns) != BPF_CORE_READ(init, net_ns))
		mask |= KRSI_NS_NET;
	if (BPF_CORE_READ(ns, cgroup_ns) != BPF_CORE_READ(init, cgroup_ns))
		mask |= KRSI_NS_CGROUP;
	if (BPF_CORE_READ(task, thread_pid, level) != 0)
		mask |= KRSI_NS_PID;
	if (BPF_CORE_READ(task, cred, user_ns, level) != 0)
		mask |= KRSI_NS_USER;
	return mask;
}

/**
 * krsi_current_in_container() - whether the current task runs in a
 * container, taken to mean: in any namespace but the initial ones.
 *
 * Cost: that of krsi_current_ns_outside_init().
 *
 * Return: 1 in a container, 0 outside, or a negative errno as
 * krsi_current_ns_outside_init() returns.
 */
static __always_inline int krsi_current_in_container(void)
{
	int mask = krsi_current_ns_outside_init();

	return mask > 0 ? 1 : mask;
}

#endif /* __KRSI_TASK_BPF_H */
