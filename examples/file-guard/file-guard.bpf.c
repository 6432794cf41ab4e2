// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * file-guard: protect paths, and everything under them, from being
 * changed: opened for writing (or truncation), created, unlinked, renamed
 * (from or to) or truncated.
 *
 * Each operation has its hook, which sees the object before the change:
 *
 *	open(O_WRONLY/O_RDWR/O_TRUNC)	file_open	the file
 *	open(O_CREAT), mknod()		path_mknod	directory + new name
 *	unlink()			path_unlink	directory + name
 *	rmdir()				path_rmdir	directory + name
 *	rename()			path_rename	both directories + names
 *	truncate()			path_truncate	the file
 *
 * (ftruncate() needs a file opened for writing, which file_open judged.)
 * The protected paths are a path set (an LPM trie): one lookup tells
 * whether a protected entry covers the path. Paths are resolved the way
 * <krsi/path.bpf.h> chooses per kernel: a dentry walk on 6.1, the
 * bpf_path_d_path() kfunc on 6.12.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "../common/agent.bpf.h"

/* The policy's number in its events. */
#define FILE_POLICY_ID 3

/* From the kernel's <linux/fs.h> and <asm-generic/fcntl.h>. */
#define FMODE_WRITE 0x2
#define O_TRUNC 01000

/* Longest name of a directory entry, with its NUL. */
#define NAME_SIZE 256

KRSI_POLICY_MAPS();
KRSI_PATH_SET(protected, 1024);
KRSI_EVENT_RING(events, 256 * 1024);
AGENT_PATH_BUFFER();

enum file_op {
	FILE_WRITE = 1,
	FILE_CREATE,
	FILE_UNLINK,
	FILE_RMDIR,
	FILE_RENAME,
	FILE_TRUNCATE,
};

struct file_event {
	enum file_op op; /* what was attempted */
	__u32 rule; /* the --protect rule covering the path */
	char path[256] KRSI_PATH; /* the protected path */
};

enum { FILE_EVENT = 1 };
KRSI_EVENT_TYPE(file, FILE_EVENT, struct file_event);

/* The outcome of judging one path. */
struct judgement {
	int verdict; /* 0, or -EACCES for a protected path */
	int ret; /* what the program returns */
	enum krsi_event_mode mode;
	__u32 rule;
};

/*
 * Judge the path in PB (LEN: its length with the NUL, or a negative errno
 * when it could not be resolved). A path too long or too deep to resolve
 * is let through: it cannot be matched, and refusing every such path on
 * the system would break more than it protects.
 */
static __always_inline void judge(struct krsi_path_buf *pb, long len,
				  struct judgement *j)
{
	struct krsi_rule rule = {};
	struct krsi_snap snap;
	int hit = 0, err;

	if (len > 0) {
		krsi_snap_begin(&krsi_ctl, &snap);
		do {
			hit = krsi_path_set_match(&protected, &snap, pb->path,
						  &rule);
		} while ((err = krsi_snap_retry(&snap)) > 0);
		if (err)
			hit = 1; /* the rules kept changing: fail closed */
	}
	j->verdict = hit > 0 ? -EACCES : 0;
	j->rule = rule.id;
	j->ret = agent_decide(j->verdict, &j->mode);
}

/*
 * Report a denial (or, in monitor mode, one that would have been) of OP on
 * the path in PB, from HOOK.
 */
#define report(hook, op_, pb, j)                                        \
	({                                                              \
		struct file_event *e = krsi_event_reserve(              \
			events, hook, FILE_EVENT, struct file_event);   \
		if (e) {                                                \
			e->op = op_;                                    \
			e->rule = (j)->rule;                            \
			agent_copy_path(e->path, pb);                   \
			krsi_event_submit(e, FILE_POLICY_ID, (j)->mode, \
					  (j)->verdict);                \
		}                                                       \
	})

/*
 * What each program does: unless an earlier program denied (EARLIER, the
 * hook's ret), judge the path that RESOLVE, an expression, puts in the
 * per-CPU buffer pb (returning its length), and report OP from HOOK on a
 * protected path. Evaluates to what the program returns.
 */
#define guard(hook, op, earlier, resolve)                       \
	({                                                      \
		struct krsi_path_buf *pb = agent_path_buffer(); \
		struct judgement j = { .ret = earlier };        \
		if (!j.ret && pb) {                             \
			judge(pb, resolve, &j);                 \
			if (j.verdict)                          \
				report(hook, op, pb, &j);       \
		}                                               \
		j.ret;                                          \
	})

/*
 * The path of DENTRY, an entry of the directory DIR, into PB: DIR's path,
 * a '/', DENTRY's name. Returns its length with the NUL, or -errno.
 */
static __always_inline long child_path(const struct path *dir,
				       const struct dentry *dentry,
				       struct krsi_path_buf *pb)
{
	long len = krsi_path_resolve(dir, pb), n;
	__u64 end;

	if (len <= 0)
		return len ? len : -ENOENT;
	end = len - 1; /* at the NUL */
	if (end > KRSI_PATH_MAX - NAME_SIZE - 2)
		return -ENAMETOOLONG;
	barrier_var(end); /* the verifier must see the test's bound */
	if (end > 1) /* no second '/' after the root */
		pb->path[end++] = '/';
	n = bpf_probe_read_kernel_str(&pb->path[end], NAME_SIZE,
				      BPF_CORE_READ(dentry, d_name.name));
	return n < 0 ? n : end + n;
}

SEC("lsm/file_open")
int BPF_PROG(guard_open, struct file *file, int ret)
{
	if (!(BPF_CORE_READ(file, f_mode) & FMODE_WRITE) &&
	    !(BPF_CORE_READ(file, f_flags) & O_TRUNC))
		return ret; /* reading changes nothing */
	return guard(file_open, FILE_WRITE, ret, krsi_file_path(file, pb));
}

SEC("lsm/path_mknod")
int BPF_PROG(guard_mknod, const struct path *dir, struct dentry *dentry,
	     umode_t mode, unsigned int dev, int ret)
{
	return guard(path_mknod, FILE_CREATE, ret, child_path(dir, dentry, pb));
}

SEC("lsm/path_unlink")
int BPF_PROG(guard_unlink, const struct path *dir, struct dentry *dentry,
	     int ret)
{
	return guard(path_unlink, FILE_UNLINK, ret,
		     child_path(dir, dentry, pb));
}

SEC("lsm/path_rmdir")
int BPF_PROG(guard_rmdir, const struct path *dir, struct dentry *dentry,
	     int ret)
{
	return guard(path_rmdir, FILE_RMDIR, ret, child_path(dir, dentry, pb));
}

/*
 * Renaming a protected path away, or another file over one. The hook's
 * fifth argument, flags, is not in 5.10, so ret comes from krsi_hook_ret().
 */
SEC("lsm/path_rename")
int BPF_PROG(guard_rename, const struct path *old_dir,
	     struct dentry *old_dentry, const struct path *new_dir,
	     struct dentry *new_dentry)
{
	int ret = krsi_hook_ret(path_rename, 4);

	ret = guard(path_rename, FILE_RENAME, ret,
		    child_path(old_dir, old_dentry, pb));
	return guard(path_rename, FILE_RENAME, ret,
		     child_path(new_dir, new_dentry, pb));
}

SEC("lsm/path_truncate")
int BPF_PROG(guard_truncate, const struct path *path, int ret)
{
	return guard(path_truncate, FILE_TRUNCATE, ret,
		     krsi_path_resolve(path, pb));
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
