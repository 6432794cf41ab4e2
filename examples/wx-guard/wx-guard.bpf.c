// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * wx-guard: no memory may be writable and executable at once (W^X).
 *
 * Code injected into a process usually needs memory it can write and then
 * run: mmap(PROT_WRITE | PROT_EXEC), or mprotect() adding PROT_EXEC to a
 * writable mapping. Both reach an LSM hook with the protection the kernel
 * is about to apply: mmap_file for new mappings (file-backed or anonymous)
 * and file_mprotect for changes. Writing, then making the memory read-only
 * and executable (what a well-behaved JIT does) stays allowed.
 *
 * Programs that need W+X (JIT compilers that do not flip protections) are
 * let through by executable: the loader's --allow PATH puts their (device,
 * inode) in the "allowed" set.
 *
 * The lsm/ programs judge every task; their lsm_cgroup/ twins, attached
 * with --cgroup DIR, the tasks of one cgroup (to try W^X on one service
 * before the whole machine). Kernels without lsm_cgroup/ programs (before
 * 6.0) judge that cgroup's tasks in the lsm/ programs (agent_in_scope()).
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "../common/agent.bpf.h"

/* From <asm-generic/mman-common.h>: vmlinux.h has no macros. */
#define PROT_WRITE 0x2
#define PROT_EXEC 0x4

KRSI_POLICY_MAPS();
KRSI_FILE_SET(allowed, 256);
KRSI_EVENT_RING(events, 256 * 1024);
AGENT_PATH_BUFFER();

/* The policy's number in its events. */
#define WX_POLICY_ID 2

/*
 * The events: a W+X request, denied (or, in monitor mode, that would have
 * been), or allowed by the rule of an --allow executable.
 */
struct wx_mmap_event {
	__u64 prot; /* PROT_* the mapping would get */
	__u64 flags; /* MAP_* */
	struct krsi_inode_key exe; /* the program asking */
	__u32 rule; /* the --allow rule that let it, or 0 */
	char path[256] KRSI_PATH; /* the file mapped; empty if anonymous */
};

struct wx_mprotect_event {
	__u64 prot; /* PROT_* the memory would get */
	__u64 start; /* the mapping changed */
	__u64 length;
	struct krsi_inode_key exe;
	__u32 rule;
	char path[256] KRSI_PATH; /* the file it maps; empty if anonymous */
};

enum { WX_MMAP = 1, WX_MPROTECT = 2 };
KRSI_EVENT_TYPE(wx_mmap, WX_MMAP, struct wx_mmap_event);
KRSI_EVENT_TYPE(wx_mprotect, WX_MPROTECT, struct wx_mprotect_event);

static __always_inline bool writable_and_executable(unsigned long prot)
{
	return (prot & (PROT_WRITE | PROT_EXEC)) == (PROT_WRITE | PROT_EXEC);
}

/* The decision on a W+X request, and what its event reports. */
struct decision {
	struct krsi_inode_key exe; /* the program asking */
	__u32 rule; /* the --allow rule that let it, or 0 */
	int verdict; /* 0, or -EACCES */
	int ret; /* what the program returns */
	enum krsi_event_mode mode;
};

/*
 * Decide on a W+X request of the current program: allowed when the
 * program is in the "allowed" set. A task without an executable (a kernel
 * thread) is judged like any other.
 */
static __always_inline void decide(struct decision *d)
{
	struct krsi_rule rule = {};
	struct krsi_snap snap;
	int hit = 0, err;

	if (!krsi_current_exe_key(&d->exe)) {
		krsi_snap_begin(&krsi_ctl, &snap);
		do {
			hit = krsi_file_set_match(&allowed, &snap, &d->exe,
						  &rule);
		} while ((err = krsi_snap_retry(&snap)) > 0);
		if (err)
			hit = 0; /* the rules kept changing: fail closed */
	}
	d->verdict = hit > 0 ? 0 : -EACCES;
	d->rule = hit > 0 ? rule.id : 0;
	d->ret = agent_decide(d->verdict, &d->mode);
}

/* Judge a W+X mmap() of FILE (NULL: anonymous memory); 0 or -EACCES. */
static __always_inline int judge_mmap(struct file *file, unsigned long prot,
				      unsigned long flags)
{
	struct decision d = {};
	struct wx_mmap_event *e;
	struct krsi_path_buf *pb;

	decide(&d);
	e = krsi_event_reserve(events, mmap_file, WX_MMAP,
			       struct wx_mmap_event);
	if (e) {
		e->prot = prot;
		e->flags = flags;
		e->exe = d.exe;
		e->rule = d.rule;
		e->path[0] = '\0';
		/* An anonymous mapping has no file: the path stays empty. */
		pb = agent_path_buffer();
		if (pb && krsi_file_path(file, pb) > 0)
			agent_copy_path(e->path, pb);
		krsi_event_submit(e, WX_POLICY_ID, d.mode, d.verdict);
	}
	return d.ret;
}

/* Judge an mprotect() making VMA W+X; 0 or -EACCES. */
static __always_inline int judge_mprotect(struct vm_area_struct *vma,
					  unsigned long prot)
{
	struct wx_mprotect_event *e;
	struct krsi_path_buf *pb;
	struct decision d = {};
	struct file *file;

	decide(&d);
	e = krsi_event_reserve(events, file_mprotect, WX_MPROTECT,
			       struct wx_mprotect_event);
	if (e) {
		e->prot = prot;
		e->start = BPF_CORE_READ(vma, vm_start);
		e->length = BPF_CORE_READ(vma, vm_end) - e->start;
		e->exe = d.exe;
		e->rule = d.rule;
		e->path[0] = '\0';
		/* vma->vm_file is not a trusted pointer: walk its path. */
		file = BPF_CORE_READ(vma, vm_file);
		pb = agent_path_buffer();
		if (file && pb && krsi_path_walk(&file->f_path, pb) > 0)
			agent_copy_path(e->path, pb);
		krsi_event_submit(e, WX_POLICY_ID, d.mode, d.verdict);
	}
	return d.ret;
}

/* Every task. */

SEC("lsm/mmap_file")
int BPF_PROG(wx_mmap, struct file *file, unsigned long reqprot,
	     unsigned long prot, unsigned long flags, int ret)
{
	if (ret || !writable_and_executable(prot) || !agent_in_scope())
		return ret;
	return judge_mmap(file, prot, flags);
}

SEC("lsm/file_mprotect")
int BPF_PROG(wx_mprotect, struct vm_area_struct *vma, unsigned long reqprot,
	     unsigned long prot, int ret)
{
	if (ret || !writable_and_executable(prot) || !agent_in_scope())
		return ret;
	return judge_mprotect(vma, prot);
}

/* The tasks of one cgroup (--cgroup): 1 allows, 0 denies. */

SEC("lsm_cgroup/mmap_file")
int BPF_PROG(wx_mmap_cgroup, struct file *file, unsigned long reqprot,
	     unsigned long prot, unsigned long flags)
{
	int ret = writable_and_executable(prot) ? judge_mmap(file, prot, flags)
						: 0;

	return ret ? KRSI_CGROUP_DENY(-ret) : KRSI_CGROUP_ALLOW();
}

SEC("lsm_cgroup/file_mprotect")
int BPF_PROG(wx_mprotect_cgroup, struct vm_area_struct *vma,
	     unsigned long reqprot, unsigned long prot)
{
	int ret = writable_and_executable(prot) ? judge_mprotect(vma, prot) : 0;

	return ret ? KRSI_CGROUP_DENY(-ret) : KRSI_CGROUP_ALLOW();
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
